// Real symmetric Householder tridiagonalisation T = Qᵀ·A·Q on the lower triangle (EISPACK tred2 order), fused updates.
//
// Golub & Van Loan (4th ed.) Alg. 8.3.1. The pure-JS step of the real eigh path (src/backend/linalg/js.ts); the
// WebAssembly path runs the same reduction in asm/linalg/tridiag.ts.
import { larfg } from './householder.js';

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
