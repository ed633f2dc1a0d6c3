// Moore–Penrose pseudo-inverse A⁺ = V·Σ⁺·Uᴴ from the SVD, with an explicit relative cutoff (never normal equations).
//
// Reference: Golub & Van Loan (4th ed.) §5.5.2 (pseudo-inverse, minimum-norm least squares) and §5.4.1
// (numerical rank). Singular values σ ≤ cutoff = rcond·σ_max count as zero. Default rcond = max(m, n)·eps
// (eps = 2^-52), the threshold numpy.linalg.matrix_rank uses: singular values below it are indistinguishable
// from rounding errors of a backward-stable SVD of A, whose absolute errors are about max(m, n)·eps·σ_max.
import { InputError, describeValue } from '../core/errors.js';
import { cmat, isCMat, mat, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import { EPS, checkFiniteResult, checkMatrix, checkOpts, rcondOpt } from './checks.js';
import { applyCoreQ, negate, svdCore, transposeArr, type SvdCore } from './svd.js';
import { checkInt, checkF64 } from '../core/guards.js';

/** Options of {@link pinv}. */
export interface PinvOptions {
  /** Relative cutoff in [0, 1): σ ≤ rcond·σ_max counts as zero (default max(m, n)·2^-52). */
  readonly rcond?: number;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Result of {@link pinv} for A (m×n). */
export interface PinvResult<M extends AnyMat = AnyMat> {
  /** A⁺ (n×m). */
  readonly pinv: M;
  /** Numerical rank: the number of singular values > cutoff. */
  readonly rank: number;
  /** Absolute cutoff rcond·σ_max actually used (0 for the zero or empty matrix). */
  readonly cutoff: number;
}

/** Default relative cutoff max(m, n)·eps for an m×n matrix. */
export function defaultRcond(m: number, n: number): number {
  checkInt('defaultRcond', 'm', m, 0);
  checkInt('defaultRcond', 'n', n, 0);
  return Math.max(m, n, 1) * EPS;
}

/**
 * Moore–Penrose pseudo-inverse of a real or complex m×n matrix via the SVD: A⁺ = Σ_{σ_r > cutoff} v_r·u_rᴴ/σ_r,
 * cutoff = rcond·σ_max. Satisfies A·A⁺·A = A and A⁺·A·A⁺ = A⁺ up to about max(m,n)·eps·‖A‖·‖A⁺‖ relative.
 * Throws InputError for NaN/Inf entries or rcond outside [0, 1), NumericalError if the SVD fails.
 */
export function pinv(a: Mat, opts?: PinvOptions): PinvResult<Mat>;
export function pinv(a: CMat, opts?: PinvOptions): PinvResult<CMat>;
export function pinv(a: AnyMat, opts?: PinvOptions): PinvResult;
export function pinv(a: AnyMat, opts?: PinvOptions): PinvResult {
  checkMatrix('pinv', 'A', a);
  checkOpts('pinv', opts);
  const rcond = rcondOpt('pinv', opts?.rcond, defaultRcond(a.rows, a.cols));
  const c = svdCore(a, true, resolveBackend('pinv', opts?.backend));
  if (c === null) return { pinv: isCMat(a) ? cmat(a.cols, a.rows) : mat(a.cols, a.rows), rank: 0, cutoff: 0 };
  const cutoff = rcond * c.s[0]!;
  const rank = numericalRank(c.s, cutoff);
  const P = pinvFromCore(c, rank);
  checkFiniteResult('pinv', 'A⁺ (the pseudo-inverse of A)', ...(isCMat(P) ? [P.re, P.im] : [P.data]));
  return { pinv: P, rank, cutoff };
}

/** Number of singular values (descending s) strictly greater than cutoff. */
export function numericalRank(s: Float64Array, cutoff: number): number {
  checkF64('numericalRank', 's', s);
  if (typeof cutoff !== 'number' || !(cutoff >= 0)) throw new InputError('cutoff', `numericalRank: cutoff = ${describeValue(cutoff)}: must be a number >= 0`);
  let r = 0;
  while (r < s.length && s[r]! > cutoff && s[r]! > 0) r++;
  return r;
}

/**
 * A⁺ from the internal SVD core of the tall T (= A, or Aᴴ when swapped): T = Q·[Ux; 0]·Σ·Vt, so
 * (T⁺)ᴴ = Q·[Ux·Σ⁺·Vt; 0] (m×n, one application of Q, none without a QR) and A⁺ = (T⁺)ᴴ when swapped, its
 * adjoint otherwise.
 */
function pinvFromCore(c: SvdCore, rank: number): AnyMat {
  const { m, n } = c;
  const complex = c.fi !== null;
  // C = (Ux[:, :rank]·diag(1/σ))·Vt[:rank, :] (uRows×n, one GEMM), written into the top of an m×n buffer
  const cr = new Float64Array(m * n), ci = complex ? new Float64Array(m * n) : null;
  const ur = c.uRows, uxr = c.uxr!, uxi = c.uxi, vtr = c.vtr!, vti = c.vti;
  if (rank > 0) {
    const wr = new Float64Array(ur * rank), wi = uxi === null ? null : new Float64Array(ur * rank);
    for (let i = 0; i < ur; i++) for (let r = 0; r < rank; r++) {
      const inv = 1 / c.s[r]!;
      wr[i * rank + r] = uxr[i * n + r]! * inv;
      if (wi !== null) wi[i * rank + r] = uxi![i * n + r]! * inv;
    }
    const top = ur * n;
    if (ci === null || wi === null) c.backend.blas.gemm(false, false, ur, n, rank, 1, wr, vtr.subarray(0, rank * n), 0, cr.subarray(0, top));
    else {
      c.backend.blas.zgemm('N', 'N', ur, n, rank, 1, wr, wi, vtr.subarray(0, rank * n), vti!.subarray(0, rank * n), 0,
        cr.subarray(0, top), ci.subarray(0, top));
    }
  }
  applyCoreQ(c, n, cr, ci);
  if (c.swap) return ci === null ? mat(m, n, cr) : cmat(m, n, cr, ci);
  const tr = transposeArr(m, n, cr);
  return ci === null ? mat(n, m, tr) : cmat(n, m, tr, negate(transposeArr(m, n, ci)));
}
