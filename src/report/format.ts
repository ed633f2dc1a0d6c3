// Number and duration formatting shared by the figure tables, the HTML report and the CLI summary.

/**
 * A number for humans: integers as is (up to 1e15), otherwise 4 significant digits, in exponent form
 * below 1e-3 or from 1e6 on; non-finite values as "NaN", "∞", "−∞".
 */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}

/** A summary or table cell: numbers via {@link formatNumber}, strings as they are. */
export function formatValue(v: number | string): string {
  return typeof v === 'number' ? formatNumber(v) : v;
}

/** A duration in ms as "850 ms", "3.2 s", "4 min 05 s" or "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m} min ${String(totalS % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
