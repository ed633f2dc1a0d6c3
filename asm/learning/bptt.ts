// Backward sweeps of (truncated) BPTT over one window of a sequence (src/backend/learning/types.ts bptt, bpttComplex).
//
// One backward step is a matrix–vector product u_t = V_hᵀ Gy_t + Wᵀ g_{t+1}; with the leak rate a,
// δ_t = u_t + (1−a) δ_{t+1} and g_t = a σ'_t ⊙ δ_t (a = 1: g_t = σ'_t ⊙ u_t, no δ kept), σ' = 1 − s_t² (tanh; s the
// state h_t, or φ_t when a < 1) or 1 (docs/theory/learning-rules.md §2.1). [Vᵀ | Wᵀ] is packed once per call into panels of RW
// output rows (common/panel.ts layout, depth O + N), streamed against z = [Gy_t; g_{t+1}] with RW pre-activations in
// registers, as the forward rollout does (rollout/rollout.ts). The complex Wirtinger sweep δ_t = Vᴴ Gy_t + Wᴴ δ_{t+1}
// is the same sweep on stacked real parts: [δr; δi] has 2N rows, z = [Gy_r; Gy_i; δr; δi]
// (docs/theory/learning-rules.md §2.4). Each g_t is written to row t of G; the caller forms gW += Gᵀ H_prev and gU += Gᵀ X
// with gemm.ts, so no outer product is accumulated step by step.

import { packCols } from '../common/panel';
import { leakBack, tanhPrime } from './steps';
import { madd } from '../common/vec';

/** Output rows per panel: six f64x2 accumulators (rollout/rollout.ts explains why not more). */
const RW: i32 = 12;

@inline function padded(nn: i32): i32 {
  return ((nn + RW - 1) / RW) * RW;
}

/** Doubles of the packed backward matrix for nn state rows and no error inputs (real: N, O; complex: 2N, 2O). */
export function bpttPackedSize(nn: i32, no: i32): i32 {
  return padded(nn) * (no + nn);
}

/** Doubles of one step vector z = [Gy slots (no) | g (nn) | padding]; a sweep needs two. */
export function bpttStepSize(nn: i32, no: i32): i32 {
  return no + padded(nn) + 2;
}

/** Packs the real [Vᵀ | Wᵀ] (N rows, depth O + N): weight of Gy_o for row i is V[o, i], of g_j is W[j, i]. */
export function bpttPack(n: i32, nOut: i32, W: usize, V: usize, wp: usize): void {
  const depth = nOut + n;
  packCols(wp, depth, 0, V, n, 0, nOut, 0, n, RW, 1.0);
  packCols(wp, depth, nOut, W, n, 0, n, 0, n, RW, 1.0);
}

/**
 * Packs the stacked real form of [Vᴴ | Wᴴ] (2N rows, depth 2O + 2N) via tmp ((2O + 2N) × 2N doubles): rows
 * i < N give Re δ'_i = Σ Vr Gyr + Vi Gyi + Wr δr + Wi δi, rows N + i give Im δ'_i = Σ −Vi Gyr + Vr Gyi − Wi δr + Wr δi
 * (coefficients V[o, i], W[j, i]).
 */
export function bpttPackComplex(n: i32, nOut: i32, Wr: usize, Wi: usize, Vr: usize, Vi: usize, tmp: usize, wp: usize): void {
  const nn = 2 * n, depth = 2 * nOut + nn;
  for (let q = 0; q < nOut + n; q++) {
    // source row q: V row o = q (q < nOut) or W row j = q − nOut; its real-input and imaginary-input positions
    const isV = q < nOut;
    const src = isV ? q : q - nOut;
    const re = isV ? Vr : Wr, im = isV ? Vi : Wi;
    const pr = isV ? q : 2 * nOut + src, pi = isV ? nOut + q : 2 * nOut + n + src;
    const rowR = tmp + (<usize>(pr * nn) << 3), rowI = tmp + (<usize>(pi * nn) << 3);
    for (let i = 0; i < n; i++) {
      const a = load<f64>(re + (<usize>(src * n + i) << 3)), b = load<f64>(im + (<usize>(src * n + i) << 3));
      store<f64>(rowR + (<usize>i << 3), a);
      store<f64>(rowR + (<usize>(n + i) << 3), -b);
      store<f64>(rowI + (<usize>i << 3), b);
      store<f64>(rowI + (<usize>(n + i) << 3), a);
    }
  }
  packCols(wp, depth, 0, tmp, nn, 0, depth, 0, nn, RW, 1.0);
}

/** out[0 .. padded(nn)) = Σ_{j0 ≤ j < j1} panel column j · z_j (depth = panel length). */
function panelMatVec(nn: i32, depth: i32, wp: usize, j0: i32, j1: i32, z: usize, out: usize): void {
  const panelBytes = <usize>(RW * depth) << 3;
  let panel = wp;
  for (let i0 = 0; i0 < nn; i0 += RW) {
    let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    let w = panel + (<usize>(j0 * RW) << 3);
    let zj = z + (<usize>j0 << 3);
    const zEnd = z + (<usize>j1 << 3);
    while (zj < zEnd) {
      const s = v128.load64_splat(zj);
      a0 = madd(a0, v128.load(w), s);
      a1 = madd(a1, v128.load(w, 16), s);
      a2 = madd(a2, v128.load(w, 32), s);
      a3 = madd(a3, v128.load(w, 48), s);
      a4 = madd(a4, v128.load(w, 64), s);
      a5 = madd(a5, v128.load(w, 80), s);
      w += <usize>RW << 3;
      zj += 8;
    }
    const o = out + (<usize>i0 << 3);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
    v128.store(o, a4, 64);
    v128.store(o, a5, 80);
    panel += panelBytes;
  }
}

/** Copies step t's error signal into the first `no` slots of z (two halves from gyA and gyB when gyB ≠ 0). */
@inline function loadErrors(no: i32, gyA: usize, gyB: usize, t: i32, z: usize): void {
  const half = gyB != 0 ? no >> 1 : no;
  const bytes = <usize>half << 3;
  memory.copy(z, gyA + <usize>t * bytes, bytes);
  if (gyB != 0) memory.copy(z + bytes, gyB + <usize>t * bytes, bytes);
}

/**
 * Full backward sweep over window rows t = rows−1 … 0: u_t = Vᵀ Gy_t [t ≥ from] + Wᵀ g_{t+1}, g_t = σ'_t ⊙ u_t
 * (leak 1) or δ_t = u_t + (1−a) δ_{t+1}, g_t = a σ'_t ⊙ δ_t, and G[t] := g_t.
 * nn, no: state rows and error inputs (real N, O; complex 2N, 2O with gyB the imaginary errors); gy rows hold
 * no (or no/2) values. sg ≠ 0 (real tanh): the σ' sources, row t = h_t (leak 1) or φ_t. z: two step vectors; on
 * entry the g slot (offset no) of the first holds g_rows (zero at the end of a sequence), on return g_0. dl (leak
 * < 1): δ_rows on entry (zero at the end of a sequence), δ_0 on return (nn values padded to even).
 */
export function bpttFull(nn: i32, no: i32, wp: usize, rows: i32, from: i32, gyA: usize, gyB: usize, sg: usize,
  G: usize, z: usize, leak: f64, dl: usize): void {
  const depth = no + nn;
  const zBytes = <usize>bpttStepSize(nn, no) << 3;
  const gOff = <usize>no << 3, gBytes = <usize>nn << 3;
  let cur = z, nxt = z + zBytes;
  for (let t = rows - 1; t >= 0; t--) {
    const inject = t >= from;
    if (inject) loadErrors(no, gyA, gyB, t, cur);
    const g = nxt + gOff;
    panelMatVec(nn, depth, wp, inject ? 0 : no, depth, cur, g);
    if (leak != 1.0) leakBack(nn, g, dl, leak);
    if (sg != 0) tanhPrime(nn, g, sg + <usize>t * gBytes);
    memory.copy(G + <usize>t * gBytes, g, gBytes);
    const swap = cur;
    cur = nxt;
    nxt = swap;
  }
  if (cur != z) memory.copy(z + gOff, cur + gOff, gBytes);
}

/**
 * Truncated sweeps: for each loss step s in [from, rows) with a nonzero error, the recursion of bpttFull from
 * u_s = Vᵀ Gy_s (δ_{s+1} = 0) over t = s … max(0, s − tau + 1), each g_t ADDED to G[t] (G zeroed by the caller).
 * Arguments as in bpttFull; z: two step vectors of scratch; dl: nn values of scratch (leak < 1).
 */
export function bpttTruncated(nn: i32, no: i32, wp: usize, rows: i32, from: i32, tau: i32, gyA: usize, gyB: usize,
  sg: usize, G: usize, z: usize, leak: f64, dl: usize): void {
  const depth = no + nn;
  const zBytes = <usize>bpttStepSize(nn, no) << 3;
  const gOff = <usize>no << 3, gBytes = <usize>nn << 3;
  const half = gyB != 0 ? no >> 1 : no;
  for (let s = from; s < rows; s++) {
    let nonzero = false;
    for (let k = 0; k < half; k++) {
      const o = <usize>(s * half + k) << 3;
      if (load<f64>(gyA + o) != 0.0 || (gyB != 0 && load<f64>(gyB + o) != 0.0)) nonzero = true;
    }
    if (!nonzero) continue;
    let cur = z, nxt = z + zBytes;
    loadErrors(no, gyA, gyB, s, cur);
    if (leak != 1.0) memory.fill(dl, 0, <usize>(nn + 2) << 3);
    const lo = max(0, s - tau + 1);
    for (let t = s; t >= lo; t--) {
      const g = nxt + gOff;
      if (t == s) panelMatVec(nn, depth, wp, 0, no, cur, g);
      else panelMatVec(nn, depth, wp, no, depth, cur, g);
      if (leak != 1.0) leakBack(nn, g, dl, leak);
      if (sg != 0) tanhPrime(nn, g, sg + <usize>t * gBytes);
      const row = G + <usize>t * gBytes;
      let i = 0;
      for (; i + 2 <= nn; i += 2) {
        const off = <usize>i << 3;
        v128.store(row + off, f64x2.add(v128.load(row + off), v128.load(g + off)));
      }
      if (i < nn) store<f64>(row + (<usize>i << 3), load<f64>(row + (<usize>i << 3)) + load<f64>(g + (<usize>i << 3)));
      const swap = cur;
      cur = nxt;
      nxt = swap;
    }
  }
}
