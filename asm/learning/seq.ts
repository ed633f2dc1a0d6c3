// Batched forward pass and full BPTT sweeps over whole sequences, two sequences in lockstep (learning kernels).
//
// A recurrent step is a matrix–vector product per sequence. Two independent sequences a, b share each load of the
// packed matrix: panels of RP = 8 rows (common/panel.ts layout) give per position j four f64x2 weight loads, the two
// splats z_a[j], z_b[j] and eight multiply–adds into eight accumulators (14 live vectors; rollout/rollout.ts explains the
// register budget), against seven loads per six multiply–adds for one sequence with 12-row panels.
//   forward  (docs/conventions.md): φ_t = act(b + U x_t + W h_{t−1}), z = [x_t; h_{t−1}] (the accumulators start from
//            b), h_t = (1−a) h_{t−1} + a φ_t (φ_t = h_t when a = 1), φ_t stored when asked for, y_t = V_h h_t
//   backward (docs/theory/learning-rules.md §2.1): u_t = V_hᵀ Gy_t [t ≥ from] + Wᵀ g_{t+1}, z = [Gy_t; g_{t+1}];
//            a = 1: g_t = σ'_t ⊙ u_t; a < 1: δ_t = u_t + (1−a) δ_{t+1}, g_t = a σ'_t ⊙ δ_t
// then gW += Σ_t g_t h_{t−1}ᵀ, gU += Σ_t g_t x_tᵀ and gb += Σ_t g_t per sequence (gemm.ts). σ' = 1 − s² with
// s read from the states (a = 1) or the stored φ. Sequences sit back to back (sequence s, row t at
// (s·rows + t)·width), as in the caller's batch-major arrays.

import { packCols, packRows } from '../common/panel';
import { rolloutRun, rolloutStepSize } from '../rollout/rollout';
import { tanhInPlace } from '../common/tanh';
import { gemmTN, learnOutputs } from './gemm';
import { leakBack, tanhPrime } from './steps';
import { madd } from '../common/vec';

/** Output rows per panel of the lockstep kernels. */
const RP: i32 = 8;

@inline function paddedRows(n: i32): i32 {
  return ((n + RP - 1) / RP) * RP;
}

/** Doubles of a packed lockstep matrix of n output rows and the given depth. */
export function pairPackedSize(n: i32, depth: i32): i32 {
  return paddedRows(n) * depth;
}

/** Doubles of one lockstep step vector [lead | n state values | padding]; lead = I (forward) or O (backward). */
function pairStep(n: i32, lead: i32): i32 {
  return lead + paddedRows(n) + 2;
}

/** Doubles of one sequence's step-vector slot of forwardSeqs (two step vectors, also valid for rolloutRun). */
export function forwardSlotSize(n: i32, nIn: i32): i32 {
  return 2 * max(pairStep(n, nIn), rolloutStepSize(n, nIn));
}

/** Doubles of the step vectors bpttSeqs needs (two per sequence of a pair, and two carried δ for a leak < 1). */
export function bpttSeqsWorkSize(n: i32, nOut: i32): i32 {
  return 4 * pairStep(n, nOut) + 2 * (paddedRows(n) + 2);
}

/** Packs [U | W] (n rows, depth I + N) for forwardSeqs. */
export function forwardPairPack(n: i32, nIn: i32, W: usize, U: usize, wp: usize): void {
  const depth = nIn + n;
  packRows(wp, depth, 0, U, nIn, 0, n, 0, nIn, RP, 1.0);
  packRows(wp, depth, nIn, W, n, 0, n, 0, n, RP, 1.0);
}

/** Packs [Vᵀ | Wᵀ] (n rows, depth O + N) for bpttSeqs: weight of Gy_o for row i is V[o, i], of g_j is W[j, i]. */
export function bpttPairPack(n: i32, nOut: i32, W: usize, V: usize, wp: usize): void {
  const depth = nOut + n;
  packCols(wp, depth, 0, V, n, 0, nOut, 0, n, RP, 1.0);
  packCols(wp, depth, nOut, W, n, 0, n, 0, n, RP, 1.0);
}

/**
 * oa[0 .. padded n) = b + Σ_{j0 ≤ j < j1} M[·, j] za_j and ob likewise from zb (M packed, RP-row panels of `depth`;
 * bias b: padded n values, 0 = none).
 */
function pairMatVec(n: i32, depth: i32, wp: usize, j0: i32, j1: i32, za: usize, zb: usize, oa: usize, ob: usize, bias: usize): void {
  const panelBytes = <usize>(RP * depth) << 3;
  let panel = wp;
  for (let i0 = 0; i0 < n; i0 += RP) {
    let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
    if (bias != 0) {
      const q = bias + (<usize>i0 << 3);
      a0 = v128.load(q);
      a1 = v128.load(q, 16);
      a2 = v128.load(q, 32);
      a3 = v128.load(q, 48);
    }
    let b0 = a0, b1 = a1, b2 = a2, b3 = a3;
    let w = panel + (<usize>(j0 * RP) << 3);
    let pa = za + (<usize>j0 << 3), pb = zb + (<usize>j0 << 3);
    const end = za + (<usize>j1 << 3);
    while (pa < end) {
      const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
      const sa = v128.load64_splat(pa), sb = v128.load64_splat(pb);
      a0 = madd(a0, w0, sa);
      a1 = madd(a1, w1, sa);
      a2 = madd(a2, w2, sa);
      a3 = madd(a3, w3, sa);
      b0 = madd(b0, w0, sb);
      b1 = madd(b1, w1, sb);
      b2 = madd(b2, w2, sb);
      b3 = madd(b3, w3, sb);
      w += <usize>RP << 3;
      pa += 8;
      pb += 8;
    }
    const qa = oa + (<usize>i0 << 3), qb = ob + (<usize>i0 << 3);
    v128.store(qa, a0);
    v128.store(qa, a1, 16);
    v128.store(qa, a2, 32);
    v128.store(qa, a3, 48);
    v128.store(qb, b0);
    v128.store(qb, b1, 16);
    v128.store(qb, b2, 32);
    v128.store(qb, b3, 48);
    panel += panelBytes;
  }
}

/**
 * h = (1 − a)·prev + a·φ over n values (padded to even) with φ in place at `phi` (overwritten by h); φ is first
 * copied to `keepTo` when keepTo ≠ 0.
 */
function leakFinish(n: i32, phi: usize, prev: usize, leak: f64, keepTo: usize): void {
  const bytes = <usize>n << 3;
  if (keepTo != 0) memory.copy(keepTo, phi, bytes);
  if (leak == 1.0) return;
  const a = f64x2.splat(leak), k = f64x2.splat(1.0 - leak);
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    v128.store(phi + off, f64x2.add(f64x2.mul(k, v128.load(prev + off)), f64x2.mul(a, v128.load(phi + off))));
  }
}

/**
 * `rows` forward steps of the sequences a and b in lockstep: x rows (I values), states out (N values), step
 * vectors za, zb (two each, `stride` bytes apart; the first holds h_{t−1} after its I input slots on entry and
 * the last state on return). bias (0 = none), leak a, Pa/Pb: φ rows out (0 = not kept; b may equal a).
 */
function forwardPair(n: i32, nIn: i32, wp: usize, useTanh: bool, rows: i32, xa: usize, xb: usize, za: usize,
  zb: usize, stride: usize, Ha: usize, Hb: usize, bias: usize, leak: f64, Pa: usize, Pb: usize): void {
  const depth = nIn + n;
  const hOff = <usize>nIn << 3, xBytes = <usize>nIn << 3, hBytes = <usize>n << 3;
  let ca = za, na = za + stride, cb = zb, nb = zb + stride;
  for (let t = 0; t < rows; t++) {
    memory.copy(ca, xa + <usize>t * xBytes, xBytes);
    memory.copy(cb, xb + <usize>t * xBytes, xBytes);
    pairMatVec(n, depth, wp, 0, depth, ca, cb, na + hOff, nb + hOff, bias);
    if (useTanh) {
      tanhInPlace(na + hOff, n);
      tanhInPlace(nb + hOff, n);
    }
    if (leak != 1.0 || Pa != 0) {
      leakFinish(n, na + hOff, ca + hOff, leak, Pa != 0 ? Pa + <usize>t * hBytes : 0);
      leakFinish(n, nb + hOff, cb + hOff, leak, Pb != 0 ? Pb + <usize>t * hBytes : 0);
    }
    memory.copy(Ha + <usize>t * hBytes, na + hOff, hBytes);
    memory.copy(Hb + <usize>t * hBytes, nb + hOff, hBytes);
    let s = ca;
    ca = na;
    na = s;
    s = cb;
    cb = nb;
    nb = s;
  }
  if (ca != za) {
    memory.copy(za + hOff, ca + hOff, hBytes);
    memory.copy(zb + hOff, cb + hOff, hBytes);
  }
}

/**
 * Forward pass of `seqs` sequences of `rows` steps (x: seqs·rows × I, H: seqs·rows × N, Y: seqs·rows × O when
 * V ≠ 0). wp8: forwardPairPack; wp12: rolloutPack with the same bias (the odd last sequence runs rolloutRun, or,
 * when φ is kept, forwardPair paired with itself). bias: padded N values (0 = none); leak a; Phi: φ rows out
 * (seqs·rows × N; 0 = not kept). z: seqs + 1 slots of forwardSlotSize doubles carrying h between calls (the last
 * one scratch); start ≠ 0 sets every h_{−1} to h0 (0 = zeros).
 */
export function forwardSeqs(n: i32, nIn: i32, nOut: i32, wp8: usize, wp12: usize, useTanh: bool, seqs: i32, rows: i32,
  start: bool, h0: usize, x: usize, z: usize, H: usize, V: usize, Y: usize, bias: usize, leak: f64, Phi: usize): void {
  const slot = <usize>forwardSlotSize(n, nIn) << 3;
  const stride = slot >> 1;
  const hOff = <usize>nIn << 3, hBytes = <usize>n << 3;
  if (start) {
    for (let s = 0; s < seqs; s++) {
      const h = z + <usize>s * slot + hOff;
      if (h0 == 0) memory.fill(h, 0, hBytes);
      else memory.copy(h, h0, hBytes);
    }
  }
  const xSeq = <usize>(rows * nIn) << 3, hSeq = <usize>(rows * n) << 3;
  let s = 0;
  for (; s + 2 <= seqs; s += 2) {
    const zs = z + <usize>s * slot;
    forwardPair(n, nIn, wp8, useTanh, rows, x + <usize>s * xSeq, x + <usize>(s + 1) * xSeq, zs, zs + slot, stride,
      H + <usize>s * hSeq, H + <usize>(s + 1) * hSeq, bias, leak, Phi != 0 ? Phi + <usize>s * hSeq : 0,
      Phi != 0 ? Phi + <usize>(s + 1) * hSeq : 0);
  }
  if (s < seqs) {
    const zs = z + <usize>s * slot;
    if (Phi == 0) rolloutRun(n, nIn, wp12, leak, useTanh, rows, x + <usize>s * xSeq, zs, H + <usize>s * hSeq);
    else {
      // the lone sequence with itself: the twin runs in the scratch slot (its h copied there), φ and h written twice
      memory.copy(zs + slot + hOff, zs + hOff, hBytes);
      const xs = x + <usize>s * xSeq, hs = H + <usize>s * hSeq, ps = Phi + <usize>s * hSeq;
      forwardPair(n, nIn, wp8, useTanh, rows, xs, xs, zs, zs + slot, stride, hs, hs, bias, leak, ps, ps);
    }
  }
  if (V != 0) learnOutputs(n, nOut, seqs * rows, V, H, Y);
}

/**
 * Full backward sweeps of the sequences a and b (b = a runs one sequence) over rows t = rows−1 … 0 from g_rows = 0:
 * Gy rows (O values), σ' sources Sa, Sb (row t = h_t, or φ_t when the leak is < 1; read when useTanh), G rows out
 * (N values); z: four step vectors and two carried δ (leak < 1).
 */
function bpttPair(n: i32, nOut: i32, wp: usize, useTanh: bool, rows: i32, from: i32, gya: usize, gyb: usize,
  Ha: usize, Hb: usize, Ga: usize, Gb: usize, z: usize, leak: f64): void {
  const depth = nOut + n;
  const stride = <usize>pairStep(n, nOut) << 3;
  const dBytes = <usize>(paddedRows(n) + 2) << 3;
  const da = z + (stride << 2), db = da + dBytes;
  memory.fill(z, 0, (stride << 2) + 2 * dBytes);
  const gOff = <usize>nOut << 3, eBytes = <usize>nOut << 3, hBytes = <usize>n << 3;
  const single = gya == gyb;
  let ca = z, na = z + stride, cb = z + 2 * stride, nb = z + 3 * stride;
  for (let t = rows - 1; t >= 0; t--) {
    const inject = t >= from;
    if (inject) {
      memory.copy(ca, gya + <usize>t * eBytes, eBytes);
      memory.copy(cb, gyb + <usize>t * eBytes, eBytes);
    }
    pairMatVec(n, depth, wp, inject ? 0 : nOut, depth, ca, cb, na + gOff, nb + gOff, 0);
    const row = <usize>t * hBytes;
    if (leak != 1.0) leakBack(n, na + gOff, da, leak);
    if (useTanh) tanhPrime(n, na + gOff, Ha + row);
    memory.copy(Ga + row, na + gOff, hBytes);
    if (!single) {
      if (leak != 1.0) leakBack(n, nb + gOff, db, leak);
      if (useTanh) tanhPrime(n, nb + gOff, Hb + row);
      memory.copy(Gb + row, nb + gOff, hBytes);
    } else {
      memory.copy(nb + gOff, na + gOff, hBytes);
    }
    let s = ca;
    ca = na;
    na = s;
    s = cb;
    cb = nb;
    nb = s;
  }
}

/**
 * Exact BPTT of `seqs` whole sequences of `rows` steps: backward sweeps two at a time (wp: bpttPairPack), then per
 * sequence gW += Σ_{t ≥ 1} g_t h_{t−1}ᵀ + g_0 h0ᵀ (h0 = 0: none), gU += Σ_t g_t x_tᵀ and gb += Σ_t g_t (gW, gU,
 * gb = 0: skipped; gb needs `ones`, rows + 8 ones). Layout: H, G (scratch) seqs·rows × N, x seqs·rows × I, Gy
 * seqs·rows × O, Phi (φ, seqs·rows × N; 0 = σ' from H) ; z: bpttSeqsWorkSize doubles. leak a.
 */
export function bpttSeqs(n: i32, nIn: i32, nOut: i32, wp: usize, useTanh: bool, seqs: i32, rows: i32, from: i32,
  H: usize, x: usize, Gy: usize, h0: usize, G: usize, z: usize, gW: usize, gU: usize, leak: f64, Phi: usize,
  gb: usize, ones: usize): void {
  const hSeq = <usize>(rows * n) << 3, eSeq = <usize>(rows * nOut) << 3, xSeq = <usize>(rows * nIn) << 3;
  const S = Phi != 0 ? Phi : H;
  for (let s = 0; s < seqs; s += 2) {
    const b = min(s + 1, seqs - 1);
    bpttPair(n, nOut, wp, useTanh, rows, from, Gy + <usize>s * eSeq, Gy + <usize>b * eSeq, S + <usize>s * hSeq,
      S + <usize>b * hSeq, G + <usize>s * hSeq, G + <usize>b * hSeq, z, leak);
  }
  const rowBytes = <usize>n << 3;
  for (let s = 0; s < seqs; s++) {
    const g = G + <usize>s * hSeq, h = H + <usize>s * hSeq;
    if (gW != 0) {
      gemmTN(n, n, rows - 1, 1.0, g + rowBytes, n, h, n, gW, n);
      if (h0 != 0) gemmTN(n, n, 1, 1.0, g, n, h0, n, gW, n);
    }
    if (gU != 0) gemmTN(n, nIn, rows, 1.0, g, n, x + <usize>s * xSeq, nIn, gU, nIn);
    if (gb != 0) gemmTN(n, 1, rows, 1.0, g, n, ones, 1, gb, 1);
  }
}
