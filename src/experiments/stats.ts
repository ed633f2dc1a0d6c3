// Small order statistics shared by the experiments' summaries.

/** Median of a non-empty list (mean of the two middle values for an even length); does not modify `xs`. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : 0.5 * (s[k - 1]! + s[k]!);
}
