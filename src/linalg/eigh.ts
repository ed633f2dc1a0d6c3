// Symmetric / Hermitian eigendecomposition A = V·diag(λ)·Vᴴ: Householder tridiagonalisation, implicit QL for the
// values, divide and conquer for the vectors.
//
// Real A: Householder reduction to tridiagonal T = Qᵀ·A·Q (Golub & Van Loan 4th ed. Alg. 8.3.1; EISPACK tred2),
// with the rank-2 update of step k fused with the symmetric matrix–vector product of step k+1 so the trailing
// triangle is streamed once per step. Complex Hermitian A: complex Householder reflectors in the LAPACK zhetrd
// convention (Hᴴ·x = β·e₁ with β real) give a REAL symmetric tridiagonal directly, which plays the role of the
// EISPACK htridi diagonal phase scaling. The eigenvalues always come from the implicit QL iteration of
// tridiag.ts (tql1), so they are bit-identical with and without vectors; the eigenvectors S of T come from the
// divide and conquer of tridiag-dc.ts (LAPACK dstedc) and V = Q·S is formed by applying the reflectors to S
// (LAPACK dormtr). Only the LOWER triangle of A is read (j ≤ i), and for complex A the imaginary part of the
// diagonal is ignored; A is scaled by 1/max|a_ij| internally to avoid overflow. The real path is the backend's
// linalg family (`eighReal`: pure JS on the js backend, in linear memory on the wasm one); the complex path runs
// here, its divide-and-conquer merges on the backend's GEMM.
import { cmat, isCMat, mat, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import { boolOpt, checkFiniteResult, checkOpts, checkSquare } from './checks.js';
import { applyReflectorLeftC, zlarfg } from './householder.js';
import { tql } from './tridiag.js';
import { tridiagVectors } from './tridiag-dc.js';

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Compute eigenvectors (default false: values only). */
  readonly vectors?: boolean;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Result of {@link eigh} for an n×n matrix. */
export interface EighResult<M extends AnyMat = AnyMat> {
  /** The n real eigenvalues, ascending. */
  readonly values: Float64Array;
  /** Orthonormal eigenvectors as the columns of V (n×n), column j for values[j]; absent when vectors = false. */
  readonly vectors?: M;
}

/**
 * Eigenvalues (ascending) and, with {vectors: true}, orthonormal eigenvectors of a real symmetric or complex Hermitian
 * matrix, reading only the lower triangle (the upper triangle is assumed to mirror it; the imaginary part of a
 * complex diagonal is ignored). Backward stable: ‖A·V − V·Λ‖ and ‖VᴴV − I‖ are O(n·eps·‖A‖). The values do
 * not depend on whether vectors are requested. Throws ShapeError for non-square A, InputError for NaN/Inf
 * entries, NumericalError if QL fails (60 iterations on one value) or a secular equation does not converge.
 */
export function eigh(a: Mat, opts?: EighOptions): EighResult<Mat>;
export function eigh(a: CMat, opts?: EighOptions): EighResult<CMat>;
export function eigh(a: AnyMat, opts?: EighOptions): EighResult;
export function eigh(a: AnyMat, opts?: EighOptions): EighResult {
  checkSquare('eigh', 'A', a);
  checkOpts('eigh', opts);
  const r = eighUnchecked(a, boolOpt('eigh', 'vectors', opts?.vectors, false), resolveBackend('eigh', opts?.backend));
  const v = r.vectors;
  checkFiniteResult('eigh', 'the eigendecomposition of A', r.values, ...(v === undefined ? [] : isCMat(v) ? [v.re, v.im] : [v.data]));
  return r;
}

/** {@link eigh} without input validation, on `backend`. */
export function eighUnchecked(a: AnyMat, wantV: boolean, backend: Backend): EighResult {
  const n = a.rows;
  const d = new Float64Array(n), e = new Float64Array(Math.max(n, 1));
  if (n === 0) return wantV ? { values: d, vectors: isCMat(a) ? cmat(0, 0) : mat(0, 0) } : { values: d };
  if (!isCMat(a)) {
    const scale = lowerMaxAbs(n, a.data, null);
    const z = backend.linalg.eighReal(n, a.data, scale > 0 ? scale : 1, d, wantV);
    if (scale > 0) for (let i = 0; i < n; i++) d[i]! *= scale;
    return z === null ? { values: d } : { values: d, vectors: mat(n, n, z) };
  }
  const wr = Float64Array.from(a.re), wi = Float64Array.from(a.im);
  const scale = lowerMaxAbs(n, wr, wi);
  if (scale > 0 && scale !== 1) for (let i = 0; i < wr.length; i++) { wr[i]! /= scale; wi[i]! /= scale; }
  const tr = new Float64Array(n), ti = new Float64Array(n);
  tridiagComplex(n, wr, wi, d, e, tr, ti);
  let zr: Float64Array | null = null, zi: Float64Array | null = null;
  if (wantV) {
    // V = Q·S with S real: apply H₀⋯H_{n−2} to (S, 0), last reflector first
    zr = tridiagVectors(n, d, e, backend.blas);
    zi = new Float64Array(n * n);
    const work = new Float64Array(2 * n);
    for (let k = n - 2; k >= 0; k--) {
      if (tr[k] === 0 && ti[k] === 0) continue;
      applyReflectorLeftC(n, n, zr, zi, k + 1, 0, n, tr[k]!, ti[k]!, wr, wi, n, k, work);
    }
  }
  tql(n, d, e, [], 0, 'eigh');
  if (scale > 0) for (let i = 0; i < n; i++) d[i]! *= scale;
  return zr === null || zi === null ? { values: d } : { values: d, vectors: cmat(n, n, zr, zi) };
}

function lowerMaxAbs(n: number, re: Float64Array, im: Float64Array | null): number {
  let mx = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    mx = Math.max(mx, Math.abs(re[i * n + j]!));
    if (im !== null && j < i) mx = Math.max(mx, Math.abs(im[i * n + j]!));
  }
  return mx;
}

/**
 * Complex Hermitian tridiagonalisation (lower triangle of (ar, ai), destroyed): T = Qᴴ·A·Q real symmetric
 * tridiagonal with diagonal d and subdiagonal e; reflector k (H_k = I − τ_k·v·vᴴ, v_{k+1} = 1) is left in column
 * k below the subdiagonal, τ_k in (tr[k], ti[k]). Q = H₀⋯H_{n−2}.
 */
function tridiagComplex(n: number, ar: Float64Array, ai: Float64Array, d: Float64Array, e: Float64Array, tr: Float64Array, ti: Float64Array): void {
  const vr = new Float64Array(n), vi = new Float64Array(n), pr = new Float64Array(n), pi = new Float64Array(n);
  const tau = new Float64Array(2);
  for (let k = 0; k < n - 1; k++) {
    d[k] = ar[k * n + k]!;
    zlarfg(n - k - 1, ar, ai, (k + 1) * n + k, n, tau);
    const tRe = tau[0]!, tIm = tau[1]!;
    tr[k] = tRe;
    ti[k] = tIm;
    e[k] = ar[(k + 1) * n + k]!;
    if (tRe === 0 && tIm === 0) continue;
    const k1 = k + 1;
    vr[k1] = 1;
    vi[k1] = 0;
    for (let i = k + 2; i < n; i++) { vr[i] = ar[i * n + k]!; vi[i] = ai[i * n + k]!; }
    // y = A22·v from the lower triangle (A_ji = conj(A_ij)), diagonal taken real
    pr.fill(0, k1, n);
    pi.fill(0, k1, n);
    for (let i = k1; i < n; i++) {
      const ro = i * n, uvr = vr[i]!, uvi = vi[i]!;
      let sr = 0, si = 0;
      for (let j = k1; j < i; j++) {
        const xr = ar[ro + j]!, xi = ai[ro + j]!;
        sr += xr * vr[j]! - xi * vi[j]!;
        si += xr * vi[j]! + xi * vr[j]!;
        // conj(A_ij)·v_i
        pr[j]! += xr * uvr + xi * uvi;
        pi[j]! += xr * uvi - xi * uvr;
      }
      const dii = ar[ro + i]!;
      pr[i]! += sr + dii * uvr;
      pi[i]! += si + dii * uvi;
    }
    // p = τ·y ; α = −½·τ·(pᴴ·v) ; w = p + α·v
    let hr = 0, hi = 0;
    for (let i = k1; i < n; i++) {
      const yr = pr[i]!, yi = pi[i]!;
      const qr = tRe * yr - tIm * yi, qi = tRe * yi + tIm * yr;
      pr[i] = qr;
      pi[i] = qi;
      // conj(p_i)·v_i
      hr += qr * vr[i]! + qi * vi[i]!;
      hi += qr * vi[i]! - qi * vr[i]!;
    }
    const alr = -0.5 * (tRe * hr - tIm * hi), ali = -0.5 * (tRe * hi + tIm * hr);
    for (let i = k1; i < n; i++) {
      const xr = vr[i]!, xi = vi[i]!;
      pr[i]! += alr * xr - ali * xi;
      pi[i]! += alr * xi + ali * xr;
    }
    // A22 −= v·wᴴ + w·vᴴ (lower triangle; diagonal real)
    for (let i = k1; i < n; i++) {
      const ro = i * n, a_r = vr[i]!, a_i = vi[i]!, b_r = pr[i]!, b_i = pi[i]!;
      for (let j = k1; j < i; j++) {
        // v_i·conj(w_j) + w_i·conj(v_j)
        const wjr = pr[j]!, wji = pi[j]!, vjr = vr[j]!, vji = vi[j]!;
        ar[ro + j]! -= a_r * wjr + a_i * wji + b_r * vjr + b_i * vji;
        ai[ro + j]! -= a_i * wjr - a_r * wji + b_i * vjr - b_r * vji;
      }
      ar[ro + i]! -= 2 * (a_r * b_r + a_i * b_i);
      ai[ro + i] = 0;
    }
  }
  d[n - 1] = ar[(n - 1) * n + n - 1]!;
}
