// Contract of the linalg family: the O(n³) steps of the real dense decompositions, whole (one call per step).
//
// The decompositions of src/linalg (eigh, eig, svd, qr, pinv, lstsq) validate their input, scale it and handle the
// complex cases themselves; the real O(n³) work goes through these methods. The JS family runs the pure-JS code
// of src/linalg; the WebAssembly one keeps a matrix in linear memory for a whole step (copied in once, its factors
// copied out once). Both run the same algorithms, so they agree to rounding (test/contracts/). Arrays are
// row-major Float64Arrays; nothing here validates its arguments.
import type { BidiagSvd } from '../../linalg/svd-bidiag.js';

export type { BidiagSvd } from '../../linalg/svd-bidiag.js';

/** The linalg family of a backend. */
export interface LinalgKernels {
  /** Implementation name ('js', 'wasm'). */
  readonly name: string;

  /**
   * Real symmetric eigenproblem of the n×n matrix whose LOWER triangle is in `data` (not modified), divided by
   * `scale` (> 0) first: Householder tridiagonalisation, eigenvalues by implicit QL written to d (n, ascending,
   * of the scaled matrix; identical with and without vectors) and, when wantV, the eigenvectors by divide and
   * conquer returned as the columns of a fresh n×n array (null otherwise). n ≥ 1. Throws NumericalError when QL
   * or a secular equation does not converge.
   */
  eighReal(n: number, data: Float64Array, scale: number, d: Float64Array, wantV: boolean): Float64Array | null;

  /**
   * Real nonsymmetric eigenproblem of the balanced n×n matrix h (destroyed): Householder Hessenberg reduction and
   * Francis double-shift QR; eigenvalues λ_j = wr[j] + i·wi[j] (n each) in Schur-form order and, when wantV,
   * the real eigenvector matrix in the EISPACK convention of hqr.ts (returned, n×n; null otherwise). n ≥ 1.
   * `where` names the caller in the NumericalError thrown when the QR iteration does not converge.
   */
  eigReal(n: number, h: Float64Array, wantV: boolean, wr: Float64Array, wi: Float64Array, where: string): Float64Array | null;

  /**
   * Blocked Householder QR in place (src/linalg/blocked-qr.ts qrFactorReal): a (m×n) is overwritten by R (upper
   * triangle) and the reflectors (below it), tau (≥ min(m, n)) by τ. Nothing happens when min(m, n) = 0.
   */
  qrFactor(m: number, n: number, a: Float64Array, tau: Float64Array): void;

  /**
   * C (m×p) ← Q·C (adjoint false) or Qᵀ·C (adjoint true) for Q = H₀⋯H_{k−1}, the first k reflectors of the m×n
   * factor f from {@link LinalgKernels.qrFactor} with its τ; with formQ, C is [I; 0] on entry (backward
   * accumulation of the thin Q). Nothing happens when k = 0 or p = 0.
   */
  applyQ(m: number, n: number, k: number, f: Float64Array, tau: Float64Array, c: Float64Array, p: number,
    adjoint: boolean, formQ: boolean): void;

  /** Singular values (descending, length n, fresh array) of the real rows×n matrix w (rows ≥ n ≥ 1; destroyed). */
  bidiagValues(rows: number, n: number, w: Float64Array): Float64Array;

  /** Thin SVD W = U·diag(s)·Vᵀ of the real rows×n matrix w (rows ≥ n ≥ 1; destroyed): s, U (rows×n), Vᵀ (n×n). */
  bidiagSvd(rows: number, n: number, w: Float64Array): BidiagSvd;
}
