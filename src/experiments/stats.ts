// Small order statistics shared by the experiments' summaries; a non-finite value (a diverged run) ranks above every finite one.

/** The sort key of a value: NaN (a diverged run without a value) counts as +∞. */
function key(x: number): number {
  return Number.isNaN(x) ? Infinity : x;
}

/**
 * Median of a non-empty list (mean of the two middle values for an even length) over ALL its values; does
 * not modify `xs`. NaN counts as +∞, so diverged runs (+∞ or NaN) are never dropped: the median is +∞ once
 * more than half of the values are (and, for an even length, when the upper middle one is).
 */
export function median(xs: readonly number[]): number {
  const s = xs.map(key).sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : 0.5 * (s[k - 1]! + s[k]!);
}

/** How many values are not finite (NaN or ±∞: runs that diverged). */
export function countNonFinite(xs: readonly number[]): number {
  let c = 0;
  for (const x of xs) if (!Number.isFinite(x)) c++;
  return c;
}
