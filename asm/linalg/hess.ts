// Householder reduction of a real square matrix to upper Hessenberg form H = Qᵀ·A·Q (Golub & Van Loan 4th ed.
// Alg. 7.4.2), row-major, as src/linalg/hqr.ts hessenbergReal. Step k's left and right reflections are done in
// two passes over the matrix instead of four: w = vᵀ·A[k+1:, k+1:] first, then every row r gets
// d_r = A[r, k+1:]·v − τ·v_r·(wᵀv) (its product with v after the left reflection) and the combined update
// A[r, k+1:] −= τ·v_r·wᵀ + τ·d_r·vᵀ while it is in cache.

import { el, larfg } from './house';

/**
 * Reduces h (n×n, row-major) in place to upper Hessenberg form; reflector k (v_{k+1} = 1) is left in column k
 * below the subdiagonal and τ_k in taus[k] (k < n−2; taus[n−2] = 0). work: 2n doubles.
 */
export function hessenbergReduce(n: i32, h: usize, taus: usize, work: usize): void {
  const v = work, w = el(work, n);
  if (n >= 2) store<f64>(el(taus, n - 2), 0.0);
  for (let k = 0; k + 2 < n; k++) {
    const t = larfg(n - k - 1, el(h, (k + 1) * n + k), n);
    store<f64>(el(taus, k), t);
    if (t == 0.0) continue;
    const c0 = k + 1, len = n - c0;
    store<f64>(el(v, c0), 1.0);
    for (let i = k + 2; i < n; i++) store<f64>(el(v, i), load<f64>(el(h, i * n + k)));
    // w = vᵀ·H[k+1:, k+1:]
    memory.fill(el(w, c0), 0, <usize>len << 3);
    for (let i = c0; i < n; i++) {
      const vi = load<f64>(el(v, i));
      if (vi == 0.0) continue;
      const vv = f64x2.splat(vi);
      const row = el(h, i * n), wp = el(w, 0);
      let c = c0;
      for (; c + 2 <= n; c += 2) v128.store(el(wp, c), f64x2.add(v128.load(el(wp, c)), f64x2.mul(vv, v128.load(el(row, c)))));
      for (; c < n; c++) store<f64>(el(wp, c), load<f64>(el(wp, c)) + vi * load<f64>(el(row, c)));
    }
    let wv = 0.0;
    for (let c = c0; c < n; c++) wv += load<f64>(el(w, c)) * load<f64>(el(v, c));
    const twv = t * wv;
    for (let r = 0; r < n; r++) {
      const row = el(h, r * n);
      const vr = r >= c0 ? load<f64>(el(v, r)) : 0.0;
      // d = row·v
      let s0 = f64x2.splat(0.0), s1 = s0;
      let c = c0;
      for (; c + 4 <= n; c += 4) {
        s0 = f64x2.add(s0, f64x2.mul(v128.load(el(row, c)), v128.load(el(v, c))));
        s1 = f64x2.add(s1, f64x2.mul(v128.load(el(row, c + 2)), v128.load(el(v, c + 2))));
      }
      const sv = f64x2.add(s0, s1);
      let d = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
      for (; c < n; c++) d += load<f64>(el(row, c)) * load<f64>(el(v, c));
      d -= vr * twv;
      const a = t * vr, b = t * d;
      if (a == 0.0 && b == 0.0) continue;
      const av = f64x2.splat(a), bv = f64x2.splat(b);
      c = c0;
      for (; c + 2 <= n; c += 2) {
        const x = v128.load(el(row, c));
        v128.store(el(row, c), f64x2.sub(x, f64x2.add(f64x2.mul(av, v128.load(el(w, c))), f64x2.mul(bv, v128.load(el(v, c))))));
      }
      for (; c < n; c++) store<f64>(el(row, c), load<f64>(el(row, c)) - (a * load<f64>(el(w, c)) + b * load<f64>(el(v, c))));
    }
  }
}

/** Zeroes the entries of h (n×n) below the subdiagonal. */
export function zeroBelowSubdiagonal(n: i32, h: usize): void {
  for (let i = 2; i < n; i++) memory.fill(el(h, i * n), 0, <usize>(i - 1) << 3);
}
