// Exponentially weighted RLS (kernels.ts rls / rlsComplex), one chunk of rows at a time:
//   ph = P h,  k = ph / (λ + hᴴ ph),  pred = W h,  W += (y − pred) kᴴ,  P := (P − k phᴴ) / λ.
//
// P is Hermitian (real: symmetric), so only its upper triangle is swept per step, with exactly the
// reference's update (P_ij − k_i·conj(ph_j))/λ. The same sweep accumulates the next step's ph' = P' h'
// from the updated upper triangle alone — row i contributes P'_ij h'_j to ph'_i and conj(P'_ij) h'_i to
// ph'_j (j > i) — so P is read once per step. The caller mirrors the lower triangle once at the end.

import { at, axpy, dot, hsum } from '../common/vec';

/** ph = P h from the upper triangle of a symmetric P, in the order the fused sweep uses (start of a call). */
export function matVec(n: i32, P: usize, h: usize, ph: usize): void {
  sweep(n, P, 0, 0, 1.0, h, ph, false);
}

/** P_ij := (P_ij − k_i ph_j)·inv, the reference's update of one entry (update = false: P_ij as it is). */
@inline function upd(P: usize, q: i32, ki: f64, phj: f64, inv: f64, update: bool): f64 {
  if (!update) return load<f64>(at(P, q));
  const v = (load<f64>(at(P, q)) - ki * phj) * inv;
  store<f64>(at(P, q), v);
  return v;
}

/**
 * Upper-triangle P update fused with ph' = P' h' (skipped when h' = 0, the last row of the whole call).
 * Rows go in pairs (i, i+1) so that ph_j, h'_j and ph'_j are loaded once for both:
 * P_ij := (P_ij − k_i ph_j)·inv for j ≥ i; ph'_i += Σ_{j≥i} P_ij h'_j; ph'_j += P_ij h'_i (j > i).
 * With update = false only ph' = P h' is formed (k, ph, inv unused), in exactly the same order, so the first
 * step of a call sees the ph its previous call would have computed: results do not depend on how a
 * sequence is split into calls.
 */
@inline function sweep(n: i32, P: usize, k: usize, ph: usize, inv: f64, hn: usize, phn: usize, update: bool): void {
  const iv = f64x2.splat(inv);
  const next = hn != 0;
  if (next) memory.fill(phn, 0, <usize>n << 3);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const r0 = at(P, i * n), r1 = at(P, (i + 1) * n);
    const k0 = update ? load<f64>(at(k, i)) : 0.0, k1 = update ? load<f64>(at(k, i + 1)) : 0.0;
    const p0 = update ? load<f64>(at(ph, i)) : 0.0, p1 = update ? load<f64>(at(ph, i + 1)) : 0.0;
    // the 2 × 2 corner on the diagonal: (i, i), (i, i+1), (i+1, i+1)
    const v00 = upd(r0, i, k0, p0, inv, update), v01 = upd(r0, i + 1, k0, p1, inv, update);
    const v11 = upd(r1, i + 1, k1, p1, inv, update);
    const k0v = f64x2.splat(k0), k1v = f64x2.splat(k1);
    const x0 = next ? load<f64>(at(hn, i)) : 0.0, x1 = next ? load<f64>(at(hn, i + 1)) : 0.0;
    const x0v = f64x2.splat(x0), x1v = f64x2.splat(x1);
    let d0 = f64x2.splat(0.0), d1 = d0;
    let j = i + 2;
    for (; j + 2 <= n; j += 2) {
      let a = v128.load(at(r0, j)), b = v128.load(at(r1, j));
      if (update) {
        const c = v128.load(at(ph, j));
        a = f64x2.mul(f64x2.sub(a, f64x2.mul(k0v, c)), iv);
        b = f64x2.mul(f64x2.sub(b, f64x2.mul(k1v, c)), iv);
        v128.store(at(r0, j), a);
        v128.store(at(r1, j), b);
      }
      if (!next) continue;
      const g = v128.load(at(hn, j));
      d0 = f64x2.add(d0, f64x2.mul(a, g));
      d1 = f64x2.add(d1, f64x2.mul(b, g));
      v128.store(at(phn, j), f64x2.add(v128.load(at(phn, j)), f64x2.add(f64x2.mul(a, x0v), f64x2.mul(b, x1v))));
    }
    let s0 = v00 * x0 + v01 * x1 + hsum(d0), s1 = v01 * x0 + v11 * x1 + hsum(d1);
    for (; j < n; j++) {
      const c = update ? load<f64>(at(ph, j)) : 0.0;
      const a = upd(r0, j, k0, c, inv, update), b = upd(r1, j, k1, c, inv, update);
      if (!next) continue;
      const g = load<f64>(at(hn, j));
      s0 += a * g;
      s1 += b * g;
      store<f64>(at(phn, j), load<f64>(at(phn, j)) + (a * x0 + b * x1));
    }
    if (next) {
      store<f64>(at(phn, i), load<f64>(at(phn, i)) + s0);
      store<f64>(at(phn, i + 1), load<f64>(at(phn, i + 1)) + s1);
    }
  }
  if (i < n) {
    // last row of an odd n: the diagonal entry only
    const v = upd(at(P, i * n), i, update ? load<f64>(at(k, i)) : 0.0, update ? load<f64>(at(ph, i)) : 0.0, inv, update);
    if (next) store<f64>(at(phn, i), load<f64>(at(phn, i)) + v * load<f64>(at(hn, i)));
  }
}

/** out_i = x_i / d for i < n (k = Ph / denominator). */
function divide(n: i32, x: usize, d: f64, out: usize): void {
  const dv = f64x2.splat(d);
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(at(out, i), f64x2.div(v128.load(at(x, i)), dv));
  for (; i < n; i++) store<f64>(at(out, i), load<f64>(at(x, i)) / d);
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
    divide(n, cur, lambda + dot(h, cur, n), k);
    for (let r = 0; r < o; r++) {
      const wr = at(W, r * n);
      const s = dot(wr, h, n);
      store<f64>(at(pred, t * o + r), s);
      axpy(n, load<f64>(at(Y, t * o + r)) - s, k, wr);
    }
    sweep(n, P, k, cur, inv, t + 1 < steps ? at(H, (t + 1) * n) : hNext, nxt, true);
    const swap = cur;
    cur = nxt;
    nxt = swap;
  }
  if (cur != ph) memory.copy(ph, cur, <usize>n << 3);
}

/** ph = P h from the upper triangle of a Hermitian P, in the order sweepComplex uses (start of a call). */
export function matVecComplex(n: i32, Pre: usize, Pim: usize, hr: usize, hi: usize, phr: usize, phi: usize): void {
  sweepComplex(n, Pre, Pim, 0, 0, 0, 0, 1.0, hr, hi, phr, phi, false);
}

/** Complex entry update (Re, Im of (P_ij − k_i conj(ph_j))·inv) for k_i = a + ib, ph_j = cr + i·ci. */
@inline function cupdRe(p: f64, a: f64, b: f64, cr: f64, ci: f64, inv: f64): f64 {
  return (p - (a * cr + b * ci)) * inv;
}
@inline function cupdIm(p: f64, a: f64, b: f64, cr: f64, ci: f64, inv: f64): f64 {
  return (p - (b * cr - a * ci)) * inv;
}

/**
 * Complex sweep: P_ij := (P_ij − k_i conj(ph_j))·inv for j ≥ i (Im P_ii := 0), fused with
 * ph'_i += Σ_{j≥i} P_ij h'_j and ph'_j += conj(P_ij) h'_i for j > i. update = false: ph' = P h' only,
 * in the same order (see sweep).
 */
@inline function sweepComplex(n: i32, Pre: usize, Pim: usize, kr: usize, ki: usize, phr: usize, phi: usize, inv: f64,
  hr: usize, hi: usize, pnr: usize, pni: usize, update: bool): void {
  const iv = f64x2.splat(inv);
  const next = hr != 0;
  if (next) {
    memory.fill(pnr, 0, <usize>n << 3);
    memory.fill(pni, 0, <usize>n << 3);
  }
  for (let i = 0; i < n; i++) {
    const rr = at(Pre, i * n), ri = at(Pim, i * n);
    const a = update ? load<f64>(at(kr, i)) : 0.0, b = update ? load<f64>(at(ki, i)) : 0.0;
    // k_i conj(ph_j) = (a·phr_j + b·phi_j) + i(b·phr_j − a·phi_j); the diagonal is real
    let pii = load<f64>(at(rr, i));
    if (update) {
      pii = cupdRe(pii, a, b, load<f64>(at(phr, i)), load<f64>(at(phi, i)), inv);
      store<f64>(at(rr, i), pii);
      store<f64>(at(ri, i), 0.0);
    }
    const av = f64x2.splat(a), bv = f64x2.splat(b);
    const xr = next ? load<f64>(at(hr, i)) : 0.0, xi = next ? load<f64>(at(hi, i)) : 0.0;
    const xrv = f64x2.splat(xr), xiv = f64x2.splat(xi);
    let sr = f64x2.splat(0.0), si = sr;
    let j = i + 1;
    for (; j + 2 <= n; j += 2) {
      let vr = v128.load(at(rr, j)), vi = v128.load(at(ri, j));
      if (update) {
        const cr = v128.load(at(phr, j)), ci = v128.load(at(phi, j));
        vr = f64x2.mul(f64x2.sub(vr, f64x2.add(f64x2.mul(av, cr), f64x2.mul(bv, ci))), iv);
        vi = f64x2.mul(f64x2.sub(vi, f64x2.sub(f64x2.mul(bv, cr), f64x2.mul(av, ci))), iv);
        v128.store(at(rr, j), vr);
        v128.store(at(ri, j), vi);
      }
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
      let vr = load<f64>(at(rr, j)), vi = load<f64>(at(ri, j));
      if (update) {
        const cr = load<f64>(at(phr, j)), ci = load<f64>(at(phi, j));
        vr = cupdRe(vr, a, b, cr, ci, inv);
        vi = cupdIm(vi, a, b, cr, ci, inv);
        store<f64>(at(rr, j), vr);
        store<f64>(at(ri, j), vi);
      }
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

/** Re and Im of Σ_j a_j b_j for split complex vectors (no conjugation). */
@inline function cdotRe(ar: usize, ai: usize, br: usize, bi: usize, n: i32): f64 {
  return dot(ar, br, n) - dot(ai, bi, n);
}
@inline function cdotIm(ar: usize, ai: usize, br: usize, bi: usize, n: i32): f64 {
  return dot(ar, bi, n) + dot(ai, br, n);
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
    divide(n, cr, denom, kr);
    divide(n, ci, denom, ki);
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
    sweepComplex(n, Pre, Pim, kr, ki, cr, ci, inv, nr, ni, nxt, nxt + nb, true);
    const swap = cur;
    cur = nxt;
    nxt = swap;
  }
  if (cur != ph) memory.copy(ph, cur, 2 * nb);
}
