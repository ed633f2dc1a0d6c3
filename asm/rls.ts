// Exponentially weighted RLS (kernels.ts rls / rlsComplex), one chunk of rows at a time:
//   ph = P h,  k = ph / (λ + hᴴ ph),  pred = W h,  W += (y − pred) kᴴ,  P := (P − k phᴴ) / λ.
//
// P is Hermitian (real: symmetric), so only its upper triangle is swept per step, with exactly the
// reference's update (P_ij − k_i·conj(ph_j))/λ. The same sweep accumulates the next step's ph' = P' h'
// from the updated upper triangle alone — row i contributes P'_ij h'_j to ph'_i and conj(P'_ij) h'_i to
// ph'_j (j > i) — so P is read once per step. The caller mirrors the lower triangle once at the end.

import { at, axpy, dot, hsum } from './vec';

/** ph = P h for a full n × n P (start of a call). */
export function matVec(n: i32, P: usize, h: usize, ph: usize): void {
  for (let i = 0; i < n; i++) store<f64>(at(ph, i), dot(at(P, i * n), h, n));
}

/**
 * Upper-triangle P update fused with ph' = P' h' (skipped when h' = 0, the last row of the whole call).
 * Row i: P_ij := (P_ij − k_i ph_j)·inv for j ≥ i; ph'_i += Σ_{j≥i} P_ij h'_j; ph'_j += P_ij h'_i (j > i).
 */
function sweep(n: i32, P: usize, k: usize, ph: usize, inv: f64, hn: usize, phn: usize): void {
  const iv = f64x2.splat(inv);
  if (hn != 0) memory.fill(phn, 0, <usize>n << 3);
  for (let i = 0; i < n; i++) {
    const row = at(P, i * n);
    const ki = load<f64>(at(k, i));
    const kv = f64x2.splat(ki);
    const pii = (load<f64>(at(row, i)) - ki * load<f64>(at(ph, i))) * inv;
    store<f64>(at(row, i), pii);
    let j = i + 1;
    if (hn == 0) {
      for (; j + 2 <= n; j += 2) {
        v128.store(at(row, j), f64x2.mul(f64x2.sub(v128.load(at(row, j)), f64x2.mul(kv, v128.load(at(ph, j)))), iv));
      }
      for (; j < n; j++) store<f64>(at(row, j), (load<f64>(at(row, j)) - ki * load<f64>(at(ph, j))) * inv);
      continue;
    }
    const hi = load<f64>(at(hn, i));
    const hv = f64x2.splat(hi);
    let acc = f64x2.splat(0.0);
    for (; j + 2 <= n; j += 2) {
      const v = f64x2.mul(f64x2.sub(v128.load(at(row, j)), f64x2.mul(kv, v128.load(at(ph, j)))), iv);
      v128.store(at(row, j), v);
      acc = f64x2.add(acc, f64x2.mul(v, v128.load(at(hn, j))));
      v128.store(at(phn, j), f64x2.add(v128.load(at(phn, j)), f64x2.mul(v, hv)));
    }
    let s = pii * hi + hsum(acc);
    for (; j < n; j++) {
      const v = (load<f64>(at(row, j)) - ki * load<f64>(at(ph, j))) * inv;
      store<f64>(at(row, j), v);
      s += v * load<f64>(at(hn, j));
      store<f64>(at(phn, j), load<f64>(at(phn, j)) + v * hi);
    }
    store<f64>(at(phn, i), load<f64>(at(phn, i)) + s);
  }
}

/**
 * Runs `steps` real RLS steps over H (steps × n), Y (steps × o), writing pred (steps × o).
 * On entry ph = P h_0 (matVec); hNext is the row after this chunk (0 = none). work: 2n doubles.
 * On return ph = P h_next when hNext ≠ 0. Only the upper triangle of P is current (mirrorUpper after).
 */
export function rlsRun(n: i32, o: i32, steps: i32, H: usize, Y: usize, hNext: usize, lambda: f64,
  P: usize, W: usize, pred: usize, ph: usize, work: usize): void {
  const inv = 1.0 / lambda;
  const k = work;
  let cur = ph, nxt = work + (<usize>n << 3);
  for (let t = 0; t < steps; t++) {
    const h = at(H, t * n);
    const denom = lambda + dot(h, cur, n);
    for (let i = 0; i < n; i++) store<f64>(at(k, i), load<f64>(at(cur, i)) / denom);
    for (let r = 0; r < o; r++) {
      const wr = at(W, r * n);
      const s = dot(wr, h, n);
      store<f64>(at(pred, t * o + r), s);
      axpy(n, load<f64>(at(Y, t * o + r)) - s, k, wr);
    }
    sweep(n, P, k, cur, inv, t + 1 < steps ? at(H, (t + 1) * n) : hNext, nxt);
    const swap = cur;
    cur = nxt;
    nxt = swap;
  }
  if (cur != ph) memory.copy(ph, cur, <usize>n << 3);
}

/** (re, im) of Σ_j a_j b_j for split complex vectors (no conjugation). */
@inline function cdotRe(ar: usize, ai: usize, br: usize, bi: usize, n: i32): f64 {
  return dot(ar, br, n) - dot(ai, bi, n);
}
@inline function cdotIm(ar: usize, ai: usize, br: usize, bi: usize, n: i32): f64 {
  return dot(ar, bi, n) + dot(ai, br, n);
}

/** ph = P h for a full complex P (start of a call). */
export function matVecComplex(n: i32, Pre: usize, Pim: usize, hr: usize, hi: usize, phr: usize, phi: usize): void {
  for (let i = 0; i < n; i++) {
    const pr = at(Pre, i * n), pi = at(Pim, i * n);
    store<f64>(at(phr, i), cdotRe(pr, pi, hr, hi, n));
    store<f64>(at(phi, i), cdotIm(pr, pi, hr, hi, n));
  }
}

/**
 * Complex sweep: P_ij := (P_ij − k_i conj(ph_j))·inv for j ≥ i (Im P_ii := 0), fused with
 * ph'_i += Σ_{j≥i} P_ij h'_j and ph'_j += conj(P_ij) h'_i for j > i.
 */
function sweepComplex(n: i32, Pre: usize, Pim: usize, kr: usize, ki: usize, phr: usize, phi: usize, inv: f64,
  hr: usize, hi: usize, pnr: usize, pni: usize): void {
  const iv = f64x2.splat(inv);
  const next = hr != 0;
  if (next) {
    memory.fill(pnr, 0, <usize>n << 3);
    memory.fill(pni, 0, <usize>n << 3);
  }
  for (let i = 0; i < n; i++) {
    const rr = at(Pre, i * n), ri = at(Pim, i * n);
    const a = load<f64>(at(kr, i)), b = load<f64>(at(ki, i));
    // k_i conj(ph_j) = (a·phr_j + b·phi_j) + i(b·phr_j − a·phi_j)
    const pii = (load<f64>(at(rr, i)) - (a * load<f64>(at(phr, i)) + b * load<f64>(at(phi, i)))) * inv;
    store<f64>(at(rr, i), pii);
    store<f64>(at(ri, i), 0.0);
    const av = f64x2.splat(a), bv = f64x2.splat(b);
    const xr = next ? load<f64>(at(hr, i)) : 0.0, xi = next ? load<f64>(at(hi, i)) : 0.0;
    const xrv = f64x2.splat(xr), xiv = f64x2.splat(xi);
    let sr = f64x2.splat(0.0), si = sr;
    let j = i + 1;
    for (; j + 2 <= n; j += 2) {
      const cr = v128.load(at(phr, j)), ci = v128.load(at(phi, j));
      const vr = f64x2.mul(f64x2.sub(v128.load(at(rr, j)), f64x2.add(f64x2.mul(av, cr), f64x2.mul(bv, ci))), iv);
      const vi = f64x2.mul(f64x2.sub(v128.load(at(ri, j)), f64x2.sub(f64x2.mul(bv, cr), f64x2.mul(av, ci))), iv);
      v128.store(at(rr, j), vr);
      v128.store(at(ri, j), vi);
      if (!next) continue;
      const gr = v128.load(at(hr, j)), gi = v128.load(at(hi, j));
      // ph'_i += P_ij h'_j ; ph'_j += conj(P_ij) h'_i
      sr = f64x2.add(sr, f64x2.sub(f64x2.mul(vr, gr), f64x2.mul(vi, gi)));
      si = f64x2.add(si, f64x2.add(f64x2.mul(vr, gi), f64x2.mul(vi, gr)));
      v128.store(at(pnr, j), f64x2.add(v128.load(at(pnr, j)), f64x2.add(f64x2.mul(vr, xrv), f64x2.mul(vi, xiv))));
      v128.store(at(pni, j), f64x2.add(v128.load(at(pni, j)), f64x2.sub(f64x2.mul(vr, xiv), f64x2.mul(vi, xrv))));
    }
    let tr = pii * xr + hsum(sr), ti = pii * xi + hsum(si);
    for (; j < n; j++) {
      const cr = load<f64>(at(phr, j)), ci = load<f64>(at(phi, j));
      const vr = (load<f64>(at(rr, j)) - (a * cr + b * ci)) * inv;
      const vi = (load<f64>(at(ri, j)) - (b * cr - a * ci)) * inv;
      store<f64>(at(rr, j), vr);
      store<f64>(at(ri, j), vi);
      if (!next) continue;
      const gr = load<f64>(at(hr, j)), gi = load<f64>(at(hi, j));
      tr += vr * gr - vi * gi;
      ti += vr * gi + vi * gr;
      store<f64>(at(pnr, j), load<f64>(at(pnr, j)) + (vr * xr + vi * xi));
      store<f64>(at(pni, j), load<f64>(at(pni, j)) + (vr * xi - vi * xr));
    }
    if (next) {
      store<f64>(at(pnr, i), load<f64>(at(pnr, i)) + tr);
      store<f64>(at(pni, i), load<f64>(at(pni, i)) + ti);
    }
  }
}

/**
 * Complex RLS over rows of H, Y (split storage), writing pred; ph (2n: re then im) = P h_0 on entry and
 * P h_next on return when hNext ≠ 0 (hNextRe/hNextIm = 0: none). work: 4n doubles. Upper triangle only on return.
 */
export function rlsComplexRun(n: i32, o: i32, steps: i32, Hre: usize, Him: usize, Yre: usize, Yim: usize,
  hNextRe: usize, hNextIm: usize, lambda: f64, Pre: usize, Pim: usize, Wre: usize, Wim: usize,
  predRe: usize, predIm: usize, ph: usize, work: usize): void {
  const inv = 1.0 / lambda;
  const nb = <usize>n << 3;
  const kr = work, ki = work + nb;
  let cur = ph, nxt = work + 2 * nb;
  for (let t = 0; t < steps; t++) {
    const hr = at(Hre, t * n), hi = at(Him, t * n);
    const cr = cur, ci = cur + nb;
    // hᴴ P h is real for Hermitian P: Re Σ conj(h_i) ph_i
    const denom = lambda + (dot(hr, cr, n) + dot(hi, ci, n));
    for (let i = 0; i < n; i++) {
      store<f64>(at(kr, i), load<f64>(at(cr, i)) / denom);
      store<f64>(at(ki, i), load<f64>(at(ci, i)) / denom);
    }
    for (let r = 0; r < o; r++) {
      const wr = at(Wre, r * n), wi = at(Wim, r * n);
      const sr = cdotRe(wr, wi, hr, hi, n), si = cdotIm(wr, wi, hr, hi, n);
      store<f64>(at(predRe, t * o + r), sr);
      store<f64>(at(predIm, t * o + r), si);
      // W_r += e conj(k):  Re += er·kr + ei·ki,  Im += ei·kr − er·ki
      const er = load<f64>(at(Yre, t * o + r)) - sr, ei = load<f64>(at(Yim, t * o + r)) - si;
      axpy(n, er, kr, wr);
      axpy(n, ei, ki, wr);
      axpy(n, ei, kr, wi);
      axpy(n, -er, ki, wi);
    }
    const last = t + 1 == steps;
    const nr = last ? hNextRe : at(Hre, (t + 1) * n), ni = last ? hNextIm : at(Him, (t + 1) * n);
    sweepComplex(n, Pre, Pim, kr, ki, cr, ci, inv, nr, ni, nxt, nxt + nb);
    const swap = cur;
    cur = nxt;
    nxt = swap;
  }
  if (cur != ph) memory.copy(ph, cur, 2 * nb);
}
