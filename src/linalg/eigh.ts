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
// diagonal is ignored; A is scaled by 1/max|a_ij| internally to avoid overflow. With the WebAssembly kernels
// active the real path runs in linear memory (wasm-eigh.ts).
import { cmat, isCMat, mat, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { boolOpt, checkFiniteResult, checkOpts, checkSquare } from './checks.js';
import { applyQReal } from './blocked-qr.js';
import { applyReflectorLeftC, larfg, zlarfg } from './householder.js';
import { tql } from './tridiag.js';
import { DcMatrixJs, tridiagDC } from './tridiag-dc.js';
import { eighRealWasm } from './wasm-eigh.js';
import { linalgWasm } from './wasm-linalg.js';

/** Options of {@link eigh}. */
export interface EighOptions {
  /** Compute eigenvectors (default false: values only). */
  readonly vectors?: boolean;
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
  const r = eighUnchecked(a, boolOpt('eigh', 'vectors', opts?.vectors, false));
  const v = r.vectors;
  checkFiniteResult('eigh', 'the eigendecomposition of A', r.values, ...(v === undefined ? [] : isCMat(v) ? [v.re, v.im] : [v.data]));
  return r;
}

/** {@link eigh} without input validation. */
export function eighUnchecked(a: AnyMat, wantV: boolean): EighResult {
  const n = a.rows;
  const d = new Float64Array(n), e = new Float64Array(Math.max(n, 1));
  if (n === 0) return wantV ? { values: d, vectors: isCMat(a) ? cmat(0, 0) : mat(0, 0) } : { values: d };
  if (!isCMat(a)) {
    const rt = linalgWasm();
    if (rt !== null) {
      const scale = lowerMaxAbs(n, a.data, null);
      const z = eighRealWasm(rt, n, a.data, scale > 0 ? scale : 1, d, wantV);
      if (scale > 0) for (let i = 0; i < n; i++) d[i]! *= scale;
      return z === null ? { values: d } : { values: d, vectors: mat(n, n, z) };
    }
    const w = Float64Array.from(a.data);
    const scale = lowerMaxAbs(n, w, null);
    if (scale > 0 && scale !== 1) for (let i = 0; i < w.length; i++) w[i]! /= scale;
    const taus = new Float64Array(n);
    tridiagReal(n, w, d, e, taus);
    const z = wantV ? tridiagVectors(n, d, e) : null;
    tql(n, d, e, [], 0, 'eigh');
    // V = Q·S = diag(1, Q')·S: the reflectors act on rows 1..n−1 of S
    if (z !== null) applyQReal(n - 1, n, n - 2, w.subarray(n), taus, z.subarray(n), n, false, false, new Float64Array(0));
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
    zr = tridiagVectors(n, d, e);
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

/** Eigenvectors S (columns of an n×n row-major array, ascending eigenvalues) of the tridiagonal (d, e), which are kept. */
function tridiagVectors(n: number, d: Float64Array, e: Float64Array): Float64Array {
  const s = new Float64Array(n * n);
  tridiagDC(n, d.slice(), e.slice(), new DcMatrixJs(n, s), 'eigh');
  return s;
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
 * Real symmetric tridiagonalisation in place on the lower triangle of a (n×n): d, e receive the diagonal and
 * subdiagonal of T = Qᵀ·A·Q, reflector k (acting on indices k+1..n−1, v_{k+1} = 1) is left in column k below the
 * subdiagonal and taus[k] = τ_k. Step k's update A ← A − v·wᵀ − w·vᵀ is fused with step k+1's p = τ·A·v.
 */
export function tridiagReal(n: number, a: Float64Array, d: Float64Array, e: Float64Array, taus: Float64Array): void {
  let v = new Float64Array(n), w = new Float64Array(n);
  let u = new Float64Array(n);
  const p = new Float64Array(n);
  let havePrev = false;
  for (let k = 0; k < n - 1; k++) {
    if (havePrev) {
      const vk = v[k]!, wk = w[k]!;
      for (let i = k; i < n; i++) a[i * n + k]! -= v[i]! * wk + w[i]! * vk;
    }
    d[k] = a[k * n + k]!;
    const t = larfg(n - k - 1, a, (k + 1) * n + k, n);
    taus[k] = t;
    e[k] = a[(k + 1) * n + k]!;
    const k1 = k + 1;
    u[k1] = 1;
    for (let i = k + 2; i < n; i++) u[i] = a[i * n + k]!;
    p.fill(0, k1, n);
    if (havePrev) {
      for (let i = k1; i < n; i++) {
        const ro = i * n, vi = v[i]!, wi = w[i]!, ui = u[i]!;
        // unrolled by 4 with independent accumulators (the dot-product chain is the latency bottleneck)
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        let j = k1;
        for (; j + 3 < i; j += 4) {
          const o = ro + j;
          const a0 = a[o]! - vi * w[j]! - wi * v[j]!;
          const a1 = a[o + 1]! - vi * w[j + 1]! - wi * v[j + 1]!;
          const a2 = a[o + 2]! - vi * w[j + 2]! - wi * v[j + 2]!;
          const a3 = a[o + 3]! - vi * w[j + 3]! - wi * v[j + 3]!;
          a[o] = a0;
          a[o + 1] = a1;
          a[o + 2] = a2;
          a[o + 3] = a3;
          s0 += a0 * u[j]!;
          s1 += a1 * u[j + 1]!;
          s2 += a2 * u[j + 2]!;
          s3 += a3 * u[j + 3]!;
          p[j]! += a0 * ui;
          p[j + 1]! += a1 * ui;
          p[j + 2]! += a2 * ui;
          p[j + 3]! += a3 * ui;
        }
        for (; j < i; j++) {
          const aij = a[ro + j]! - vi * w[j]! - wi * v[j]!;
          a[ro + j] = aij;
          s0 += aij * u[j]!;
          p[j]! += aij * ui;
        }
        const aii = a[ro + i]! - 2 * vi * wi;
        a[ro + i] = aii;
        p[i]! += (s0 + s1) + (s2 + s3) + aii * ui;
      }
    } else if (t !== 0) {
      for (let i = k1; i < n; i++) {
        const ro = i * n, ui = u[i]!;
        let s = 0;
        for (let j = k1; j < i; j++) {
          const aij = a[ro + j]!;
          s += aij * u[j]!;
          p[j]! += aij * ui;
        }
        p[i]! += s + a[ro + i]! * ui;
      }
    }
    if (t === 0) {
      havePrev = false;
      continue;
    }
    // p = τ·A·u, K = (τ/2)·pᵀu, w = p − K·u
    let dot = 0;
    for (let i = k1; i < n; i++) { p[i]! *= t; dot += p[i]! * u[i]!; }
    const K = 0.5 * t * dot;
    const tmp = v;
    v = u;
    u = tmp;
    for (let i = k1; i < n; i++) w[i] = p[i]! - K * v[i]!;
    havePrev = true;
  }
  if (havePrev) {
    // pending update of the last reflector (never taken in practice: a length-1 real reflector is the identity)
    const i = n - 1;
    a[i * n + i]! -= 2 * v[i]! * w[i]!;
  }
  d[n - 1] = a[(n - 1) * n + n - 1]!;
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
