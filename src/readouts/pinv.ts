// Pseudo-inverse readout: W_out = (H⁺ Y)ᵀ through the thin SVD of the states, never the normal equations.
//
// Spec: docs/theory/networks.md §5.2 (W_out = Y H⁺ with states as columns; the limit of ridge as λ → 0⁺) and §5.3
// (the relative ridge as λ_rel → 0). With H = U diag(s) Vᴴ (thin), H⁺Y = V diag(1/s_i) UᴴY over the
// singular values above the cutoff rcond·s_max; the others are dropped, which gives the minimum-norm
// least-squares solution of the truncated problem. Working through UᴴY (k×O) avoids forming the N×T matrix H⁺.
import { InputError, describeValue } from '../core/errors.js';
import { mat, cmat, type CMat, type Mat, type SeqBatch } from '../core/types.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import { defaultRcond, numericalRank } from '../linalg/pinv.js';
import { svd } from '../linalg/svd.js';
import { keptRows, lsqPair, type LsqData } from './ridge.js';

/** Options of {@link fitPinv}. */
export interface PinvFitOptions {
  /** Rows dropped at the start of each sequence (default 0). */
  readonly washout?: number;
  /** Relative cutoff: singular values ≤ rcond·s_max are treated as zero. Default max(rows, N)·eps (src/linalg/pinv.ts defaultRcond, numpy's matrix_rank rule). */
  readonly rcond?: number;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** A pseudo-inverse fit: Y ≈ H W_outᵀ with the numerical rank of H and the absolute cutoff used. */
export interface PinvFit { readonly Wout: Mat; readonly rank: number; readonly cutoff: number }
/** A complex pseudo-inverse fit. */
export interface CPinvFit { readonly Wout: CMat; readonly rank: number; readonly cutoff: number }

/**
 * Minimum-norm least-squares readout W_out = (H⁺ Y)ᵀ (O×N) after dropping `washout` rows per sequence.
 * H: T×N or (B, T, N); Y: T×O or (B, T, O); complex when either is (Hᴴ in place of Hᵀ).
 * Sequences of a batch are stacked, so a batch fit equals the fit of the concatenated rows.
 */
export function fitPinv(H: Mat | SeqBatch, Y: Mat | SeqBatch, opts?: PinvFitOptions): PinvFit;
export function fitPinv(H: LsqData, Y: LsqData, opts?: PinvFitOptions): PinvFit | CPinvFit;
export function fitPinv(H: LsqData, Y: LsqData, opts: PinvFitOptions = {}): PinvFit | CPinvFit {
  const { h, y, washout } = lsqPair('pinv', H, Y, opts.washout);
  const complex = h.im !== null || y.im !== null;
  const Hm = keptRows(h, washout, complex), Ym = keptRows(y, washout, complex);
  const rows = Hm.rows, n = h.dim, o = y.dim;
  if (rows < 1) throw new InputError('washout', `pinv: washout = ${washout}: no rows left to fit (steps per sequence = ${h.steps})`);
  const rcond = opts.rcond ?? defaultRcond(rows, n);
  if (typeof rcond !== 'number' || !(rcond >= 0 && rcond < 1)) throw new InputError('rcond', `pinv: rcond = ${describeValue(opts.rcond)}: must be a number in [0, 1)`);
  const backend = resolveBackend('pinv', opts.backend);
  const dec = svd(Hm, { vectors: true, backend });
  const s = dec.s, k = s.length;
  const cutoff = rcond * (k > 0 ? s[0]! : 0);
  const rank = numericalRank(s, cutoff);
  const K = backend.blas;
  if (!complex) {
    const U = dec.U as Mat, Vt = dec.Vt as Mat;
    // Z = Uᵀ Y (k×O), scaled row-wise by 1/s_i (zero past the rank); X = Vtᵀ Z (N×O); W_out = Xᵀ = Zᵀ Vt.
    const Z = new Float64Array(k * o);
    K.gemm(true, false, k, o, rows, 1, U.data, (Ym as Mat).data, 0, Z);
    for (let i = 0; i < k; i++) { const f = i < rank ? 1 / s[i]! : 0; for (let j = 0; j < o; j++) Z[i * o + j]! *= f; }
    const Wout = mat(o, n);
    K.gemm(true, false, o, n, k, 1, Z, Vt.data, 0, Wout.data);
    return { Wout, rank, cutoff };
  }
  const U = dec.U as CMat, Vt = dec.Vt as CMat, Yc = Ym as CMat;
  const Zr = new Float64Array(k * o), Zi = new Float64Array(k * o);
  K.zgemm('C', 'N', k, o, rows, 1, U.re, U.im, Yc.re, Yc.im, 0, Zr, Zi);
  for (let i = 0; i < k; i++) {
    const f = i < rank ? 1 / s[i]! : 0;
    for (let j = 0; j < o; j++) { Zr[i * o + j]! *= f; Zi[i * o + j]! *= f; }
  }
  // X = Vtᴴ Z (N×O) and W_out = Xᵀ = Zᵀ conj(Vt): computed as (Vtᴴ Z)ᵀ.
  const Xr = new Float64Array(n * o), Xi = new Float64Array(n * o);
  K.zgemm('C', 'N', n, o, k, 1, Vt.re, Vt.im, Zr, Zi, 0, Xr, Xi);
  const Wout = cmat(o, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < o; j++) { Wout.re[j * n + i] = Xr[i * o + j]!; Wout.im[j * n + i] = Xi[i * o + j]!; }
  return { Wout, rank, cutoff };
}
