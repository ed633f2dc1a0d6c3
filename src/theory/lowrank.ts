// Rank analysis of learned weight changes ΔM = M_after − M_before (docs/theory/alignment.md §4): spectra, ranks, share outside col(B).
//
// RFLO's updates are B·(something) at every step (docs/theory/alignment.md §4), so under plain SGD the total change
// of W (and of U) has rank ≤ O and lies in the column space of B. This module measures that on any pair of
// matrices: singular values of ΔM (descending) and normalised by s_max, the numerical rank (#{s > 1e-8·s_max}),
// the effective rank exp(H(p)), p_k = s_k / Σ s (Roy & Vetterli 2007), the share ‖(I − Π_B) ΔM‖_F / ‖ΔM‖_F of ΔM
// outside col(B), and, for square ΔM, its eigenvalues sorted by modulus and divided by the largest modulus with
// the count of normalised moduli above 1e-2.
import { InputError, ShapeError } from '../core/errors.js';
import { mat, type CVec, type Mat } from '../core/types.js';
import { checkOptional } from '../core/guards.js';
import { checkMatrix } from '../linalg/checks.js';
import { eig, sortEig } from '../linalg/eig.js';
import { svd } from '../linalg/svd.js';
import { defaultRcond, numericalRank } from '../linalg/pinv.js';

/** Relative cutoff of the numerical rank: singular values > 1e-8·s_max count. */
export const LOW_RANK_TOL = 1e-8;
/** Relative cutoff of the eigenvalue rank: normalised eigenvalue moduli > 1e-2 count. */
export const EIG_RANK_TOL = 1e-2;

/** Options of {@link lowRankChange}. */
export interface LowRankOptions {
  /** Feedback matrix B (r×k with r the number of rows of the matrices): measure the share of ΔM outside col(B). */
  readonly B?: Mat;
}

/** Rank analysis of ΔM (r×c), k = min(r, c). */
export interface LowRankAnalysis {
  /** ΔM = after − before (r×c). */
  readonly delta: Mat;
  /** Singular values of ΔM, descending, length k. */
  readonly singularValues: Float64Array;
  /** singularValues / s_max (all 0 when ΔM = 0). */
  readonly normalised: Float64Array;
  /** Numerical rank: #{s > LOW_RANK_TOL·s_max} (0 when ΔM = 0). */
  readonly rank: number;
  /** Effective rank exp(−Σ p_k ln p_k), p_k = s_k / Σ_j s_j, in [1, k] (0 when ΔM = 0). */
  readonly effectiveRank: number;
  /** ‖(I − Π_B) ΔM‖_F / ‖ΔM‖_F in [0, 1], Π_B the orthogonal projector onto col(B); when B is given (0 when ΔM = 0). */
  readonly outsideFeedback?: number;
  /** Square ΔM: eigenvalues sorted by decreasing modulus, divided by the largest modulus (all 0 when ΔM = 0). */
  readonly eigenvalues?: CVec;
  /** Square ΔM: #{normalised |λ| > EIG_RANK_TOL}. */
  readonly eigenvalueRank?: number;
}

/**
 * Rank analysis of the learned change ΔM = after − before of a weight matrix (alignment.md §4): real finite matrices
 * of equal shape r×c; optional B (r×k) for the share of ΔM outside col(B) (col(B) from the SVD of B with the
 * default cutoff max(r, k)·2^-52·σ_max). See {@link LowRankAnalysis} for the fields and their conventions.
 */
export function lowRankChange(before: Mat, after: Mat, opts: LowRankOptions = {}): LowRankAnalysis {
  const where = 'lowRankChange';
  checkMatrix(where, 'before', before);
  checkMatrix(where, 'after', after);
  checkOptional(where, 'options', opts);
  for (const [f, m] of [['before', before], ['after', after]] as const) if ('re' in m) throw new InputError(f, `${where}: ${f} is complex: must be a real Mat`);
  if (before.rows !== after.rows || before.cols !== after.cols) {
    throw new ShapeError('after', `${where}: after is ${after.rows}×${after.cols}, expected the shape of before (${before.rows}×${before.cols})`);
  }
  const r = before.rows, c = before.cols;
  if (opts.B !== undefined) {
    checkMatrix(where, 'B', opts.B);
    if ('re' in opts.B) throw new InputError('B', `${where}: B is complex: must be a real Mat`);
    if (opts.B.rows !== r) throw new ShapeError('B', `${where}: B is ${opts.B.rows}×${opts.B.cols}, expected ${r} rows (the rows of before)`);
  }
  const d = new Float64Array(r * c);
  for (let i = 0; i < d.length; i++) d[i] = after.data[i]! - before.data[i]!;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) throw new InputError('after', `${where}: after − before overflows at entry ${i}: the change must be finite`);
  const delta = mat(r, c, d);
  const s = svd(delta).s;
  const smax = s.length > 0 ? s[0]! : 0;
  const normalised = s.map((x) => (smax > 0 ? x / smax : 0));
  const rank = smax > 0 ? numericalRank(s, LOW_RANK_TOL * smax) : 0;
  let effectiveRank = 0;
  if (smax > 0) {
    let sum = 0, H = 0;
    for (const x of s) sum += x;
    for (const x of s) { const p = x / sum; if (p > 0) H -= p * Math.log(p); }
    effectiveRank = Math.exp(H);
  }
  const out: { -readonly [K in keyof LowRankAnalysis]: LowRankAnalysis[K] } = { delta, singularValues: s, normalised, rank, effectiveRank };
  if (opts.B !== undefined) out.outsideFeedback = outside(delta, opts.B);
  if (r === c) {
    const e = sortEig(eig(delta), 'modulus').values;
    const m = r > 0 ? Math.hypot(e.re[0]!, e.im[0]!) : 0;
    const re = e.re.map((x) => (m > 0 ? x / m : 0)), im = e.im.map((x) => (m > 0 ? x / m : 0));
    let count = 0;
    for (let i = 0; i < r; i++) if (Math.hypot(re[i]!, im[i]!) > EIG_RANK_TOL) count++;
    out.eigenvalues = { re, im };
    out.eigenvalueRank = count;
  }
  return out;
}

/** ‖(I − QQᵀ) Δ‖_F / ‖Δ‖_F with Q an orthonormal basis of col(B) (left singular vectors above the default cutoff). */
function outside(delta: Mat, B: Mat): number {
  const r = delta.rows, c = delta.cols;
  let mx = 0;
  for (const x of delta.data) mx = Math.max(mx, Math.abs(x));
  if (mx === 0) return 0;
  const res = delta.data.map((x) => x / mx); // scaled: the squares below cannot overflow or underflow
  let all = 0;
  for (const x of res) all += x * x;
  if (B.cols > 0 && r > 0) {
    const sv = svd(B, { vectors: true });
    const k = sv.s.length;
    const q = sv.s.length > 0 ? numericalRank(sv.s, defaultRcond(B.rows, B.cols) * sv.s[0]!) : 0;
    const Q = sv.U!.data; // r×k
    const t = new Float64Array(c);
    for (let l = 0; l < q; l++) {
      // residual ← residual − q_l (q_lᵀ residual): one Gram–Schmidt sweep over the orthonormal columns
      t.fill(0);
      for (let i = 0; i < r; i++) { const a = Q[i * k + l]!; for (let j = 0; j < c; j++) t[j]! += a * res[i * c + j]!; }
      for (let i = 0; i < r; i++) { const a = Q[i * k + l]!; for (let j = 0; j < c; j++) res[i * c + j]! -= a * t[j]!; }
    }
  }
  let rest = 0;
  for (const x of res) rest += x * x;
  return Math.sqrt(rest / all);
}
