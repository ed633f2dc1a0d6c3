// Golub–Kahan bidiagonalisation B = Q_Lᵀ·A·Q_R of a real m×n matrix (m ≥ n), row-major, keeping the reflectors
// (LAPACK dgebrd conventions, as src/linalg/bidiag.ts). Step k's left reflection (column k) and right reflection
// (row k) are done in two passes over the trailing rows: w = vᵀ·A[k:, k+1:] first; then row k is reflected
// and its right reflector u generated; then every row i > k gets s_i = A[i, k+1:]·u − τ_q·v_i·(wᵀu) (its
// product with u after the left reflection) and the combined update A[i, k+1:] −= τ_q·v_i·wᵀ + τ_p·s_i·uᵀ.

import { el, larfg } from './house';

/**
 * In place on a (m×n, m ≥ n): d (n) ← diagonal, e (n−1) ← superdiagonal of B; left reflector k (unit in row k)
 * stays in column k below the diagonal with τ in tauq[k]; right reflector k (unit in column k+1) stays in row k
 * right of the superdiagonal with τ in taup[k] (taup[n−1] = 0). work: m + 2n doubles.
 */
export function bidiagReduce(m: i32, n: i32, a: usize, d: usize, e: usize, tauq: usize, taup: usize, work: usize): void {
  const v = work, w = el(work, m), u = el(w, n);
  for (let k = 0; k < n; k++) {
    const tq = larfg(m - k, el(a, k * n + k), n);
    store<f64>(el(tauq, k), tq);
    store<f64>(el(d, k), load<f64>(el(a, k * n + k)));
    store<f64>(el(taup, k), 0.0);
    if (k + 1 >= n) break;
    const c0 = k + 1;
    const rk = el(a, k * n);
    if (tq != 0.0) {
      store<f64>(el(v, k), 1.0);
      for (let i = k + 1; i < m; i++) store<f64>(el(v, i), load<f64>(el(a, i * n + k)));
      // w = vᵀ·A[k:, k+1:]
      memory.copy(el(w, c0), el(rk, c0), <usize>(n - c0) << 3);
      for (let i = k + 1; i < m; i++) {
        const vi = load<f64>(el(v, i));
        if (vi == 0.0) continue;
        axpyRow(el(a, i * n), el(w, 0), vi, c0, n);
      }
      // row k of the left reflection
      axpyRow(el(w, 0), rk, -tq, c0, n);
    }
    // right reflector of row k, columns k+1..
    const tp = larfg(n - c0, el(rk, c0), 1);
    store<f64>(el(taup, k), tp);
    store<f64>(el(e, k), load<f64>(el(rk, c0)));
    if (tq == 0.0 && tp == 0.0) continue;
    store<f64>(el(u, c0), 1.0);
    for (let c = c0 + 1; c < n; c++) store<f64>(el(u, c), load<f64>(el(rk, c)));
    let wu = 0.0;
    if (tq != 0.0) for (let c = c0; c < n; c++) wu += load<f64>(el(w, c)) * load<f64>(el(u, c));
    for (let i = k + 1; i < m; i++) {
      const row = el(a, i * n);
      const aa = tq == 0.0 ? 0.0 : tq * load<f64>(el(v, i));
      let bb = 0.0;
      if (tp != 0.0) bb = tp * (dotRow(row, u, c0, n) - aa * wu);
      if (aa == 0.0 && bb == 0.0) continue;
      const av = f64x2.splat(aa), bv = f64x2.splat(bb);
      let c = c0;
      for (; c + 2 <= n; c += 2) {
        const x = v128.load(el(row, c));
        v128.store(el(row, c), f64x2.sub(x, f64x2.add(f64x2.mul(av, v128.load(el(w, c))), f64x2.mul(bv, v128.load(el(u, c))))));
      }
      for (; c < n; c++) store<f64>(el(row, c), load<f64>(el(row, c)) - (aa * load<f64>(el(w, c)) + bb * load<f64>(el(u, c))));
    }
  }
}

/** y[c] += alpha·x[c] for c0 ≤ c < n (x, y: rows indexed from column 0). */
function axpyRow(x: usize, y: usize, alpha: f64, c0: i32, n: i32): void {
  const av = f64x2.splat(alpha);
  let c = c0;
  for (; c + 2 <= n; c += 2) v128.store(el(y, c), f64x2.add(v128.load(el(y, c)), f64x2.mul(av, v128.load(el(x, c)))));
  for (; c < n; c++) store<f64>(el(y, c), load<f64>(el(y, c)) + alpha * load<f64>(el(x, c)));
}

/** Σ_{c0 ≤ c < n} x[c]·y[c]. */
function dotRow(x: usize, y: usize, c0: i32, n: i32): f64 {
  let s0 = f64x2.splat(0.0), s1 = s0;
  let c = c0;
  for (; c + 4 <= n; c += 4) {
    s0 = f64x2.add(s0, f64x2.mul(v128.load(el(x, c)), v128.load(el(y, c))));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(el(x, c + 2)), v128.load(el(y, c + 2))));
  }
  const sv = f64x2.add(s0, s1);
  let s = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
  for (; c < n; c++) s += load<f64>(el(x, c)) * load<f64>(el(y, c));
  return s;
}
