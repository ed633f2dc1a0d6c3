// Householder tridiagonalisation of a real symmetric matrix (lower triangle, row-major), as src/linalg/eigh.ts
// tridiagReal: step k's rank-2 update A ← A − v·wᵀ − w·vᵀ is fused with step k+1's p = τ·A·u, so the trailing
// triangle is read and written once per step (Golub & Van Loan 4th ed. Alg. 8.3.1; EISPACK tred2). The fused
// sweep takes rows two at a time so that v, w, u and p are loaded once for both, in f64x2 lanes.

import { el, larfg } from './house';

/**
 * In place on the lower triangle of a (n×n, row-major, byte address): d, e receive the diagonal and subdiagonal
 * of T = Qᵀ·A·Q, reflector k (v_{k+1} = 1) is left in column k below the subdiagonal, taus[k] = τ_k. The lower
 * triangle is first divided by `scale` (> 0). work: 4n doubles.
 */
export function tridiagLower(n: i32, a: usize, scale: f64, d: usize, e: usize, taus: usize, work: usize): void {
  if (n <= 0) return;
  if (scale != 1.0) {
    for (let i = 0; i < n; i++) {
      const r = el(a, i * n);
      for (let j = 0; j <= i; j++) store<f64>(el(r, j), load<f64>(el(r, j)) / scale);
    }
  }
  let v = work, w = el(work, n), u = el(work, 2 * n);
  const p = el(work, 3 * n);
  let havePrev = false;
  for (let k = 0; k < n - 1; k++) {
    if (havePrev) {
      const vk = load<f64>(el(v, k)), wk = load<f64>(el(w, k));
      for (let i = k; i < n; i++) {
        const q = el(a, i * n + k);
        store<f64>(q, load<f64>(q) - (load<f64>(el(v, i)) * wk + load<f64>(el(w, i)) * vk));
      }
    }
    store<f64>(el(d, k), load<f64>(el(a, k * n + k)));
    const t = larfg(n - k - 1, el(a, (k + 1) * n + k), n);
    store<f64>(el(taus, k), t);
    store<f64>(el(e, k), load<f64>(el(a, (k + 1) * n + k)));
    const k1 = k + 1;
    store<f64>(el(u, k1), 1.0);
    for (let i = k + 2; i < n; i++) store<f64>(el(u, i), load<f64>(el(a, i * n + k)));
    memory.fill(el(p, k1), 0, <usize>(n - k1) << 3);
    if (havePrev) fusedSweep(n, a, k1, v, w, u, p);
    else if (t != 0.0) symvLower(n, a, k1, u, p);
    if (t == 0.0) {
      havePrev = false;
      continue;
    }
    // p = τ·A·u, K = (τ/2)·pᵀu, w = p − K·u
    let dot = 0.0;
    for (let i = k1; i < n; i++) {
      const pi = load<f64>(el(p, i)) * t;
      store<f64>(el(p, i), pi);
      dot += pi * load<f64>(el(u, i));
    }
    const K = 0.5 * t * dot;
    const tmp = v;
    v = u;
    u = tmp;
    for (let i = k1; i < n; i++) store<f64>(el(w, i), load<f64>(el(p, i)) - K * load<f64>(el(v, i)));
    havePrev = true;
  }
  if (havePrev) {
    const q = el(a, (n - 1) * n + n - 1);
    store<f64>(q, load<f64>(q) - 2.0 * load<f64>(el(v, n - 1)) * load<f64>(el(w, n - 1)));
  }
  store<f64>(el(d, n - 1), load<f64>(el(a, (n - 1) * n + n - 1)));
}

/**
 * Rows i ≥ k1, columns k1 ≤ j ≤ i: a_ij −= v_i·w_j + w_i·v_j, then p_j += a_ij·u_i (j < i), p_i += Σ_{j≤i} a_ij·u_j.
 * Rows in pairs (i, i+1): the shared columns j < i share the loads of v, w, u, p.
 */
function fusedSweep(n: i32, a: usize, k1: i32, v: usize, w: usize, u: usize, p: usize): void {
  let i = k1;
  for (; i + 1 < n; i += 2) {
    const r0 = el(a, i * n), r1 = el(a, (i + 1) * n);
    const vi0 = load<f64>(el(v, i)), wi0 = load<f64>(el(w, i)), ui0 = load<f64>(el(u, i));
    const vi1 = load<f64>(el(v, i + 1)), wi1 = load<f64>(el(w, i + 1)), ui1 = load<f64>(el(u, i + 1));
    const v0 = f64x2.splat(vi0), w0 = f64x2.splat(wi0), x0 = f64x2.splat(ui0);
    const v1 = f64x2.splat(vi1), w1 = f64x2.splat(wi1), x1 = f64x2.splat(ui1);
    let s0 = f64x2.splat(0.0), s1 = s0;
    let j = k1;
    for (; j + 2 <= i; j += 2) {
      const wj = v128.load(el(w, j)), vj = v128.load(el(v, j)), uj = v128.load(el(u, j));
      const a0 = f64x2.sub(v128.load(el(r0, j)), f64x2.add(f64x2.mul(v0, wj), f64x2.mul(w0, vj)));
      const a1 = f64x2.sub(v128.load(el(r1, j)), f64x2.add(f64x2.mul(v1, wj), f64x2.mul(w1, vj)));
      v128.store(el(r0, j), a0);
      v128.store(el(r1, j), a1);
      s0 = f64x2.add(s0, f64x2.mul(a0, uj));
      s1 = f64x2.add(s1, f64x2.mul(a1, uj));
      v128.store(el(p, j), f64x2.add(v128.load(el(p, j)), f64x2.add(f64x2.mul(a0, x0), f64x2.mul(a1, x1))));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    for (; j < i; j++) {
      const wj = load<f64>(el(w, j)), vj = load<f64>(el(v, j)), uj = load<f64>(el(u, j));
      const a0 = load<f64>(el(r0, j)) - (vi0 * wj + wi0 * vj);
      const a1 = load<f64>(el(r1, j)) - (vi1 * wj + wi1 * vj);
      store<f64>(el(r0, j), a0);
      store<f64>(el(r1, j), a1);
      t0 += a0 * uj;
      t1 += a1 * uj;
      store<f64>(el(p, j), load<f64>(el(p, j)) + (a0 * ui0 + a1 * ui1));
    }
    // column i: the diagonal of row i and the last off-diagonal of row i+1; then the diagonal of row i+1
    const aii = load<f64>(el(r0, i)) - 2.0 * vi0 * wi0;
    store<f64>(el(r0, i), aii);
    const a1i = load<f64>(el(r1, i)) - (vi1 * wi0 + wi1 * vi0);
    store<f64>(el(r1, i), a1i);
    const a11 = load<f64>(el(r1, i + 1)) - 2.0 * vi1 * wi1;
    store<f64>(el(r1, i + 1), a11);
    store<f64>(el(p, i), load<f64>(el(p, i)) + t0 + aii * ui0 + a1i * ui1);
    store<f64>(el(p, i + 1), load<f64>(el(p, i + 1)) + t1 + a1i * ui0 + a11 * ui1);
  }
  if (i < n) {
    const r0 = el(a, i * n);
    const vi0 = load<f64>(el(v, i)), wi0 = load<f64>(el(w, i)), ui0 = load<f64>(el(u, i));
    const v0 = f64x2.splat(vi0), w0 = f64x2.splat(wi0), x0 = f64x2.splat(ui0);
    let s0 = f64x2.splat(0.0);
    let j = k1;
    for (; j + 2 <= i; j += 2) {
      const wj = v128.load(el(w, j)), vj = v128.load(el(v, j)), uj = v128.load(el(u, j));
      const a0 = f64x2.sub(v128.load(el(r0, j)), f64x2.add(f64x2.mul(v0, wj), f64x2.mul(w0, vj)));
      v128.store(el(r0, j), a0);
      s0 = f64x2.add(s0, f64x2.mul(a0, uj));
      v128.store(el(p, j), f64x2.add(v128.load(el(p, j)), f64x2.mul(a0, x0)));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    for (; j < i; j++) {
      const a0 = load<f64>(el(r0, j)) - (vi0 * load<f64>(el(w, j)) + wi0 * load<f64>(el(v, j)));
      store<f64>(el(r0, j), a0);
      t0 += a0 * load<f64>(el(u, j));
      store<f64>(el(p, j), load<f64>(el(p, j)) + a0 * ui0);
    }
    const aii = load<f64>(el(r0, i)) - 2.0 * vi0 * wi0;
    store<f64>(el(r0, i), aii);
    store<f64>(el(p, i), load<f64>(el(p, i)) + t0 + aii * ui0);
  }
}

/** p_j += Σ over the lower triangle rows i ≥ k1: p_i += Σ_{j≤i} a_ij·u_j, p_j += a_ij·u_i (j < i). */
function symvLower(n: i32, a: usize, k1: i32, u: usize, p: usize): void {
  for (let i = k1; i < n; i++) {
    const r0 = el(a, i * n);
    const ui0 = load<f64>(el(u, i));
    const x0 = f64x2.splat(ui0);
    let s0 = f64x2.splat(0.0);
    let j = k1;
    for (; j + 2 <= i; j += 2) {
      const a0 = v128.load(el(r0, j));
      s0 = f64x2.add(s0, f64x2.mul(a0, v128.load(el(u, j))));
      v128.store(el(p, j), f64x2.add(v128.load(el(p, j)), f64x2.mul(a0, x0)));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    for (; j < i; j++) {
      const a0 = load<f64>(el(r0, j));
      t0 += a0 * load<f64>(el(u, j));
      store<f64>(el(p, j), load<f64>(el(p, j)) + a0 * ui0);
    }
    store<f64>(el(p, i), load<f64>(el(p, i)) + t0 + load<f64>(el(r0, i)) * ui0);
  }
}
