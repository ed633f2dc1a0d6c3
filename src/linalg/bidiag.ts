// Golub–Kahan bidiagonalisation B = Q_Lᴴ·A·Q_R of real and complex matrices (the first step of the SVD).
//
// References: Golub & Kahan, "Calculating the singular values and pseudo-inverse of a matrix", SIAM J. Numer.
// Anal. 2(2), 1965, doi:10.1137/0702016; Golub & Van Loan (4th ed.) Alg. 5.4.2. Complex A uses reflectors with
// real β on both sides (LAPACK zgebrd convention), so B is real; its singular values come from bdsqr.ts.
// Backward stable. Cost 4mn² − 4n³/3 (8n³/3 for square A).
import { applyReflectorLeftC, larfg, zlarfg } from './householder.js';

/**
 * Reduces the row-major m×n matrix (ar, ai?) with m ≥ n in place to upper bidiagonal form B = Q_Lᴴ·A·Q_R:
 * d (n) receives the diagonal, e (n−1) the superdiagonal, both real. For real A, when tauq (n) and taup (n)
 * are given they receive the τ of the left reflector k (unit entry in row k, stored in column k below it) and of
 * the right reflector k (unit entry in column k+1, stored in row k right of it; taup[n−1] = 0), so that
 * Q_L = H₀⋯H_{n−1} and Q_R = G₀⋯G_{n−2} can be formed (LAPACK dgebrd conventions).
 */
export function bidiagonalise(m: number, n: number, ar: Float64Array, ai: Float64Array | null, d: Float64Array, e: Float64Array,
  tauq: Float64Array | null = null, taup: Float64Array | null = null): void {
  const work = new Float64Array(2 * Math.max(n, 1));
  const tau = new Float64Array(2);
  for (let k = 0; k < n; k++) {
    // left reflector: column k, rows k..m−1
    if (ai === null) {
      const t = larfg(m - k, ar, k * n + k, n);
      if (tauq !== null) tauq[k] = t;
      d[k] = ar[k * n + k]!;
      if (t !== 0 && k + 1 < n) leftReal(m, n, ar, k, t, work);
    } else {
      zlarfg(m - k, ar, ai, k * n + k, n, tau);
      d[k] = ar[k * n + k]!;
      if (k + 1 < n) applyReflectorLeftC(m, n, ar, ai, k, k + 1, n, tau[0]!, -tau[1]!, ar, ai, n, k, work);
    }
    if (taup !== null) taup[k] = 0;
    if (k + 1 >= n) continue;
    // right reflector: row k, columns k+1..n−1 (contiguous)
    const o = k * n + k + 1, len = n - k - 1;
    if (ai === null) {
      const t = larfg(len, ar, o, 1);
      if (taup !== null) taup[k] = t;
      e[k] = ar[o]!;
      if (t === 0) continue;
      // rows k+1..m−1: A[i, k+1:] −= t·(A[i, k+1:]·v)·vᵀ, v₀ = 1
      for (let i = k + 1; i < m; i++) {
        const ro = i * n + k + 1;
        let s = ar[ro]!;
        for (let c = 1; c < len; c++) s += ar[ro + c]! * ar[o + c]!;
        s *= t;
        if (s === 0) continue;
        ar[ro]! -= s;
        for (let c = 1; c < len; c++) ar[ro + c]! -= s * ar[o + c]!;
      }
    } else {
      // x·H = β·e₁ᵀ: run zlarfg on conj(x) (Hᴴ·conj(x)ᵀ = β·e₁), then multiply the rows below by H
      for (let c = 0; c < len; c++) ai[o + c] = -ai[o + c]!;
      zlarfg(len, ar, ai, o, 1, tau);
      e[k] = ar[o]!;
      const tr = tau[0]!, ti = tau[1]!;
      if (tr === 0 && ti === 0) continue;
      for (let i = k + 1; i < m; i++) {
        const ro = i * n + k + 1;
        // s = A[i, :]·v (v₀ = 1)
        let sr = ar[ro]!, si = ai[ro]!;
        for (let c = 1; c < len; c++) {
          const xr = ar[ro + c]!, xi = ai[ro + c]!, vr = ar[o + c]!, vi = ai[o + c]!;
          sr += xr * vr - xi * vi;
          si += xr * vi + xi * vr;
        }
        // f = τ·s ; A[i, :] −= f·conj(v)
        const fr = tr * sr - ti * si, fi = tr * si + ti * sr;
        if (fr === 0 && fi === 0) continue;
        ar[ro]! -= fr;
        ai[ro]! -= fi;
        for (let c = 1; c < len; c++) {
          const vr = ar[o + c]!, vi = -ai[o + c]!;
          ar[ro + c]! -= fr * vr - fi * vi;
          ai[ro + c]! -= fr * vi + fi * vr;
        }
      }
    }
  }
}

/** A[k:, k+1:] ← (I − t·v·vᵀ)·A[k:, k+1:] with v in column k (v_k = 1). */
function leftReal(m: number, n: number, a: Float64Array, k: number, t: number, w: Float64Array): void {
  const c0 = k + 1, nc = n - c0, rk = k * n + c0;
  for (let q = 0; q < nc; q++) w[q] = a[rk + q]!;
  for (let i = k + 1; i < m; i++) {
    const vi = a[i * n + k]!;
    if (vi === 0) continue;
    const ri = i * n + c0;
    for (let q = 0; q < nc; q++) w[q]! += vi * a[ri + q]!;
  }
  for (let q = 0; q < nc; q++) a[rk + q]! -= t * w[q]!;
  for (let i = k + 1; i < m; i++) {
    const f = t * a[i * n + k]!;
    if (f === 0) continue;
    const ri = i * n + c0;
    for (let q = 0; q < nc; q++) a[ri + q]! -= f * w[q]!;
  }
}
