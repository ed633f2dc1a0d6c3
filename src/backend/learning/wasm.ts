// WebAssembly SIMD implementation of the learning family (contract in ./types.ts), compiled from asm/learning/.
//
// Each call copies its operands into linear memory (the per-call arena of the backend's one Runtime,
// src/backend/wasm/runtime.ts), runs, and copies the results out. Sequences go through in windows of rows (about
// CHUNK_DOUBLES of data each); parameters, gradient sums and carried state (sensitivities, traces) stay resident for
// the whole call.
// Window layout of states: row 0 = the state before the window (h_{t0−1}, h0, hPrev or zeros), rows 1 … c =
// h_{t0} … h_{t0+c−1}, so row t is h_{t−1} and row t + 1 is h_t of window step t.
// Algorithms (asm/): the forward pass and exact BPTT of a batch run two sequences in lockstep over windows of
// whole sequences (asm/learning/seq.ts); long sequences, truncated BPTT and complex networks go one sequence at a
// time through windows (asm/learning/bptt.ts). BPTT keeps every backward signal g_t and forms
// gW += Σ_t g_t h_{t−1}ᵀ as one product per window; eligibility traces are unrolled into backward recursions plus
// such products (asm/learning/elig.ts); RTRL keeps the sensitivities packed as panels for the whole call
// (asm/learning/rtrl.ts). Results agree with the JS reference to rounding (test/contracts/learning-kernels.contract.ts).
import type { Runtime } from '../wasm/runtime.js';
import { jsLearningKernels } from './js.js';
import type { LearningKernels } from './types.js';
import { complexLearningKernels } from './wasm-complex.js';

/** Target size of one window of sequence data (doubles): 256 KiB, inside L2. */
const CHUNK_DOUBLES = 1 << 15;

/** Rows per window when each row holds `width` doubles, at most `total`. */
function windowRows(width: number, total: number): number {
  return Math.max(1, Math.min(total, Math.floor(CHUNK_DOUBLES / Math.max(1, width))));
}

/**
 * The arena of one backend: every region gets 8 doubles of slack, because the product kernels read rows up to 8
 * values at a time (asm/learning/gemm.ts) and the σ' pass two at a time.
 */
export interface Mem {
  readonly rt: Runtime;
  alloc(doubles: number): number;
  /** Rows per window when each row holds `width` doubles, at most `total`. */
  windowRows(width: number, total: number): number;
  /** Copies the window's states into `hp` (layout in the module header): prev (offset po) then c rows from row r. */
  loadStates(hp: number, n: number, prev: Float64Array | null, po: number, H: Float64Array, r: number, c: number): void;
  /** `count` ones at p (the constant feature of the bias blocks). */
  ones(p: number, count: number): void;
}

function makeMem(rt: Runtime): Mem {
  let onesBuf = new Float64Array(0); // grown once to the longest window (no allocation per call afterwards)
  return {
    rt,
    alloc: (doubles: number): number => rt.alloc(doubles + 8),
    windowRows,
    loadStates(hp, n, prev, po, H, r, c) {
      if (prev === null) rt.zero(hp, n);
      else rt.put(hp, prev, po, n);
      rt.put(hp + 8 * n, H, r * n, c * n);
    },
    ones(p, count) {
      if (onesBuf.length < count) onesBuf = new Float64Array(Math.max(count, 2 * onesBuf.length)).fill(1);
      if (count > 0) rt.put(p, onesBuf, 0, count);
    },
  };
}

function makeKernels(mem: Mem): LearningKernels {
  const { rt, alloc } = mem;

  /**
   * Windows of S sequences × c rows: whole sequences when two or more fit (S even, so they pair up), else pairs of
   * sequences through time windows of c rows (the step vectors carry h from one window to the next).
   */
  function groups(width: number, batch: number, steps: number): [number, number] {
    const most = windowRows(width, Infinity);
    if (2 * steps <= most) return [Math.min(batch, Math.floor(most / steps) & ~1), steps];
    return [Math.min(batch, 2), Math.max(1, Math.floor(most / 2))];
  }

  function forward(n: number, nIn: number, nOut: number, batch: number, steps: number, W: Float64Array, U: Float64Array,
    bias: Float64Array | null, leak: number, V: Float64Array, tanh: boolean, x: Float64Array, h0: Float64Array | null,
    H: Float64Array, Phi: Float64Array | null, Y: Float64Array | null): void {
    if (batch <= 0 || steps <= 0) return;
    const s = rt.sizes;
    const [S, c] = groups(n + nIn + nOut + (Phi !== null ? n : 0), batch, steps);
    rt.reset();
    const pW = alloc(n * n), pU = alloc(n * nIn), pV = alloc(nOut * n), ph0 = alloc(n), pb = alloc(n);
    const wp8 = alloc(s.pairPackedSize(n, nIn + n)), wp12 = alloc(s.rolloutPackedSize(n, nIn)), z = alloc((S + 1) * s.forwardSlotSize(n, nIn));
    const px = alloc(S * c * nIn), ph = alloc(S * c * n), py = alloc(S * c * nOut), pp = Phi !== null ? alloc(S * c * n) : 0;
    const w = rt.commit();
    rt.put(pW, W, 0, n * n);
    rt.put(pU, U, 0, n * nIn);
    if (Y !== null) rt.put(pV, V, 0, nOut * n);
    if (h0 !== null) rt.put(ph0, h0, 0, n);
    if (bias !== null) rt.put(pb, bias, 0, n);
    w.forwardPairPack(n, nIn, pW, pU, wp8);
    w.rolloutPack(n, nIn, pW, pU, bias !== null ? pb : 0, wp12);
    for (let g0 = 0; g0 < batch; g0 += S) {
      const m = Math.min(S, batch - g0);
      for (let t0 = 0; t0 < steps; t0 += c) {
        const cc = Math.min(c, steps - t0), r = g0 * steps + t0;
        // whole sequences are contiguous in the batch-major arrays; time windows are copied per sequence
        const parts = cc === steps ? 1 : m, rowsPer = cc === steps ? m * steps : cc;
        for (let k = 0; k < parts; k++) rt.put(px + 8 * k * cc * nIn, x, (r + k * steps) * nIn, rowsPer * nIn);
        w.forwardSeqs(n, nIn, nOut, wp8, wp12, tanh ? 1 : 0, m, cc, t0 === 0 ? 1 : 0, h0 === null ? 0 : ph0, px, z, ph,
          Y === null ? 0 : pV, py, bias !== null ? pb : 0, leak, pp);
        for (let k = 0; k < parts; k++) {
          rt.get(ph + 8 * k * cc * n, rowsPer * n, H, (r + k * steps) * n);
          if (Phi !== null) rt.get(pp + 8 * k * cc * n, rowsPer * n, Phi, (r + k * steps) * n);
          if (Y !== null) rt.get(py + 8 * k * cc * nOut, rowsPer * nOut, Y, (r + k * steps) * nOut);
        }
      }
    }
  }

  function readoutGrad(n: number, nOut: number, batch: number, steps: number, from: number, H: Float64Array,
    Gy: Float64Array, gV: Float64Array): void {
    const f = Math.max(0, from);
    if (batch <= 0 || f >= steps) return;
    // Loss rows: all B·T rows at once when every step carries loss, else [f, T) of each sequence.
    const segment = f === 0 ? batch * steps : steps - f;
    const rows = windowRows(n + nOut, segment);
    rt.reset();
    const pg = alloc(nOut * n), ph = alloc(rows * n), py = alloc(rows * nOut);
    const w = rt.commit();
    rt.put(pg, gV, 0, nOut * n);
    const run = (r0: number): void => {
      for (let t0 = 0; t0 < segment; t0 += rows) {
        const c = Math.min(rows, segment - t0), r = r0 + t0;
        rt.put(ph, H, r * n, c * n);
        rt.put(py, Gy, r * nOut, c * nOut);
        w.gemmTN(nOut, n, c, 1, py, nOut, ph, n, pg, n);
      }
    };
    if (f === 0) run(0);
    else for (let b = 0; b < batch; b++) run(b * steps + f);
    rt.get(pg, nOut * n, gV, 0);
  }

  function bptt(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
    W: Float64Array, V: Float64Array, leak: number, tanh: boolean, x: Float64Array, h0: Float64Array | null,
    H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, gW: Float64Array | null, gU: Float64Array | null,
    gb: Float64Array | null, _work: Float64Array): void {
    const f = Math.max(0, from);
    if ((gW === null && gU === null && gb === null) || batch <= 0 || steps <= 0 || f >= steps || tau < 1) return;
    const full = tau >= steps;
    const width = 2 * n + nIn + nOut + (Phi !== null ? n : 0);
    const [S, whole] = groups(width, batch, steps);
    if (full && S >= 2 && whole === steps) {
      bpttWhole(n, nIn, nOut, batch, steps, f, S, W, V, leak, tanh, x, h0, H, Phi, Gy, gW, gU, gb);
      return;
    }
    const base = windowRows(width, steps);
    // Truncated: a window holds `base` loss steps plus the tau − 1 steps their sweeps reach back.
    const win = full ? base : Math.min(steps, base + tau - 1);
    const zLen = rt.sizes.bpttStepSize(n, nOut);
    rt.reset();
    const pW = alloc(n * n), pV = alloc(nOut * n), wp = alloc(rt.sizes.bpttPackedSize(n, nOut)), z = alloc(2 * zLen);
    const gw = alloc(n * n), gu = alloc(n * nIn), hp = alloc((win + 1) * n), px = alloc(win * nIn), py = alloc(win * nOut);
    const G = alloc(win * n), gbp = alloc(n), ones = gb !== null ? alloc(win) : 0, dl = alloc(n + 2);
    const pphi = Phi !== null ? alloc(win * n) : 0;
    const w = rt.commit();
    rt.put(pW, W, 0, n * n);
    rt.put(pV, V, 0, nOut * n);
    w.bpttPack(n, nOut, pW, pV, wp);
    if (gW !== null) rt.put(gw, gW, 0, n * n);
    if (gU !== null) rt.put(gu, gU, 0, n * nIn);
    if (gb !== null) { rt.put(gbp, gb, 0, n); mem.ones(ones, win); }
    // σ' sources, row t of the window: h_t (states from row 1 of hp) or the stored φ_t
    const sg = !tanh ? 0 : Phi !== null ? pphi : hp + 8 * n;
    const load = (r0: number, t0: number, c: number): void => {
      mem.loadStates(hp, n, t0 > 0 ? H : h0, t0 > 0 ? (r0 + t0 - 1) * n : 0, H, r0 + t0, c);
      if (Phi !== null && tanh) rt.put(pphi, Phi, (r0 + t0) * n, c * n);
      if (gU !== null) rt.put(px, x, (r0 + t0) * nIn, c * nIn);
      rt.put(py, Gy, (r0 + t0) * nOut, c * nOut);
    };
    const accumulate = (t0: number, c: number): void => {
      if (gW !== null) {
        const k0 = t0 === 0 && h0 === null ? 1 : 0; // h_{−1} = 0 contributes nothing
        w.gemmTN(n, n, c - k0, 1, G + 8 * k0 * n, n, hp + 8 * k0 * n, n, gw, n);
      }
      if (gU !== null) w.gemmTN(n, nIn, c, 1, G, n, px, nIn, gu, nIn);
      if (gb !== null) w.gemmTN(n, 1, c, 1, G, n, ones, 1, gbp, 1);
    };
    for (let b = 0; b < batch; b++) {
      const r0 = b * steps;
      if (full) {
        rt.zero(z, zLen); // g_T = 0
        rt.zero(dl, n + 2); // δ_T = 0
        for (let t1 = steps; t1 > 0;) {
          const t0 = Math.max(0, t1 - win), c = t1 - t0;
          load(r0, t0, c);
          w.bpttFull(n, nOut, wp, c, Math.max(0, f - t0), py, 0, sg, G, z, leak, dl);
          accumulate(t0, c);
          t1 = t0;
        }
      } else {
        for (let s0 = f; s0 < steps;) {
          const s1 = Math.min(steps, s0 + base), lo = Math.max(0, s0 - tau + 1), c = s1 - lo;
          load(r0, lo, c);
          rt.zero(G, c * n);
          w.bpttTruncated(n, nOut, wp, c, s0 - lo, tau, py, 0, sg, G, z, leak, dl);
          accumulate(lo, c);
          s0 = s1;
        }
      }
    }
    if (gW !== null) rt.get(gw, n * n, gW, 0);
    if (gU !== null) rt.get(gu, n * nIn, gU, 0);
    if (gb !== null) rt.get(gbp, n, gb, 0);
  }

  /** Exact BPTT of whole sequences, S per window (asm bpttSeqs: two sequences in lockstep). */
  function bpttWhole(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, S: number,
    W: Float64Array, V: Float64Array, leak: number, tanh: boolean, x: Float64Array, h0: Float64Array | null, H: Float64Array,
    Phi: Float64Array | null, Gy: Float64Array, gW: Float64Array | null, gU: Float64Array | null, gb: Float64Array | null): void {
    const s = rt.sizes, rows = S * steps;
    const withPhi = Phi !== null && tanh;
    rt.reset();
    const pW = alloc(n * n), pV = alloc(nOut * n), wp = alloc(s.pairPackedSize(n, nOut + n)), z = alloc(s.bpttSeqsWorkSize(n, nOut));
    const ph0 = alloc(n), gw = alloc(n * n), gu = alloc(n * nIn), gbp = alloc(n), ones = gb !== null ? alloc(steps) : 0;
    const ph = alloc(rows * n), px = alloc(rows * nIn), py = alloc(rows * nOut), G = alloc(rows * n), pphi = withPhi ? alloc(rows * n) : 0;
    const w = rt.commit();
    rt.put(pW, W, 0, n * n);
    rt.put(pV, V, 0, nOut * n);
    w.bpttPairPack(n, nOut, pW, pV, wp);
    if (h0 !== null) rt.put(ph0, h0, 0, n);
    if (gW !== null) rt.put(gw, gW, 0, n * n);
    if (gU !== null) rt.put(gu, gU, 0, n * nIn);
    if (gb !== null) { rt.put(gbp, gb, 0, n); mem.ones(ones, steps); }
    for (let g0 = 0; g0 < batch; g0 += S) {
      const m = Math.min(S, batch - g0), r = g0 * steps;
      rt.put(ph, H, r * n, m * steps * n);
      if (withPhi) rt.put(pphi, Phi, r * n, m * steps * n);
      if (gU !== null) rt.put(px, x, r * nIn, m * steps * nIn);
      rt.put(py, Gy, r * nOut, m * steps * nOut);
      w.bpttSeqs(n, nIn, nOut, wp, tanh ? 1 : 0, m, steps, from, ph, px, py, h0 === null ? 0 : ph0, G, z,
        gW === null ? 0 : gw, gU === null ? 0 : gu, leak, pphi, gb === null ? 0 : gbp, ones);
    }
    if (gW !== null) rt.get(gw, n * n, gW, 0);
    if (gU !== null) rt.get(gu, n * nIn, gU, 0);
    if (gb !== null) rt.get(gbp, n, gb, 0);
  }

  function rtrlChunk(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    W: Float64Array, V: Float64Array, leak: number, tanh: boolean, x: Float64Array, hPrev: Float64Array,
    H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, SW: Float64Array | null, SU: Float64Array | null,
    Sb: Float64Array | null, gW: Float64Array | null, gU: Float64Array | null, gb: Float64Array | null,
    _work: Float64Array): void {
    if (steps <= 0 || (SW === null && SU === null && Sb === null)) return;
    const s = rt.sizes;
    const PW = n * n, PU = n * nIn;
    const withPhi = Phi !== null && tanh;
    const rows = windowRows(3 * n + nIn + nOut + (withPhi ? n : 0), steps);
    rt.reset();
    const pW = alloc(n * n), wa = alloc(s.rtrlPackedSize(n)), pV = alloc(nOut * n);
    // immediate terms: v = h_{t−1} (W: window state rows from 0), x_t (U), 1 (b: m = 1, a column of ones)
    const sets = ([[SW, gW, PW, n, 0], [SU, gU, PU, nIn, 1], [Sb, gb, n, 1, 2]] as const).map(([S, g, P, m, kind]) => S === null ? null : {
      S, g, P, m, kind, a: alloc(s.rtrlStateSize(n, P)), b: alloc(s.rtrlStateSize(n, P)), pg: g === null ? 0 : alloc(s.rtrlStateSize(1, P)),
    });
    const hp = alloc((rows + 1) * n), px = alloc(rows * nIn), py = alloc(rows * nOut), C1 = alloc(rows * n);
    const ones = Sb !== null ? alloc(rows) : 0, pphi = withPhi ? alloc(rows * n) : 0;
    const w = rt.commit();
    if (Sb !== null) mem.ones(ones, rows);
    const sg = !tanh ? 0 : withPhi ? pphi : hp + 8 * n;
    rt.put(pW, W, 0, n * n);
    rt.put(pV, V, 0, nOut * n);
    w.rtrlPackW(n, pW, 0, 0, wa);
    for (const set of sets) {
      if (set === null) continue;
      rt.put(set.b, set.S, 0, n * set.P); // row-major staging in the second buffer
      w.rtrlPackState(n, set.P, set.b, set.a);
      if (set.g !== null) {
        rt.zero(set.pg, s.rtrlStateSize(1, set.P));
        rt.put(set.pg, set.g, 0, set.P);
      }
    }
    for (let t0 = 0; t0 < steps; t0 += rows) {
      const c = Math.min(rows, steps - t0), r = off + t0;
      mem.loadStates(hp, n, t0 > 0 ? H : hPrev, t0 > 0 ? (r - 1) * n : 0, H, r, c);
      rt.put(px, x, r * nIn, c * nIn);
      if (withPhi) rt.put(pphi, Phi, r * n, c * n);
      const rel = Math.max(0, from - t0), loss = rel < c;
      if (loss) {
        rt.put(py, Gy, r * nOut, c * nOut);
        w.rtrlCoeffs(n, nOut, c, pV, 0, py, 0, C1, C1);
      }
      for (const set of sets) {
        if (set === null) continue;
        const v = set.kind === 0 ? hp : set.kind === 1 ? px : ones; // immediate term: h_{t−1} (window row t), x_t or 1
        const g = loss && set.g !== null ? set.pg : 0;
        if (w.rtrlRun(n, n, set.P, set.m, wa, set.a, set.b, c, rel, v, 0, sg, C1, 0, g, 0, leak) === 1) {
          const t = set.a;
          set.a = set.b;
          set.b = t;
        }
      }
    }
    for (const set of sets) {
      if (set === null) continue;
      w.rtrlUnpackState(n, set.P, set.a, set.b);
      rt.get(set.b, n * set.P, set.S, 0);
      if (set.g !== null) rt.get(set.pg, set.P, set.g, 0);
    }
  }

  function eligibilityChunk(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    d: Float64Array, F: Float64Array, leak: number, tanh: boolean, x: Float64Array, hPrev: Float64Array,
    H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, pW: Float64Array | null, pU: Float64Array | null,
    pb: Float64Array | null, gW: Float64Array | null, gU: Float64Array | null, gb: Float64Array | null,
    work: Float64Array): void {
    if (steps <= 0 || (pW === null && pU === null && pb === null)) return;
    const withPhi = Phi !== null && tanh;
    const rows = windowRows(3 * n + nIn + nOut + (withPhi ? n : 0), steps);
    const doGW = pW !== null && gW !== null, doGU = pU !== null && gU !== null, doGb = pb !== null && gb !== null;
    rt.reset();
    const pd = alloc(n), pF = alloc(n * nOut), ft = alloc(nOut * n);
    const ppW = pW === null ? 0 : alloc(n * n), pgW = doGW ? alloc(n * n) : 0;
    const ppU = pU === null ? 0 : alloc(n * nIn), pgU = doGU ? alloc(n * nIn) : 0;
    const ppb = pb === null ? 0 : alloc(n), pgb = doGb ? alloc(n) : 0, ones = pb === null ? 0 : alloc(rows);
    const hp = alloc((rows + 1) * n), px = alloc(rows * nIn), py = alloc(rows * nOut), R = alloc(rows * n), Q = alloc(rows * n);
    const rho = alloc(Math.max(n, nIn)), pi = alloc(n), a = alloc(n), e = alloc(n), pphi = withPhi ? alloc(rows * n) : 0;
    const w = rt.commit();
    // decays λ_i = (1−a) + a·d_i and the new-term factor a (eligibility.ts header); d itself when a = 1
    if (leak === 1) rt.put(pd, d, 0, n);
    else {
      const lam = work.subarray(0, n);
      for (let i = 0; i < n; i++) lam[i] = (1 - leak) + leak * d[i]!;
      rt.put(pd, lam, 0, n);
    }
    rt.put(pF, F, 0, n * nOut);
    if (pW !== null) rt.put(ppW, pW, 0, n * n);
    if (doGW) rt.put(pgW, gW!, 0, n * n);
    if (pU !== null) rt.put(ppU, pU, 0, n * nIn);
    if (doGU) rt.put(pgU, gU!, 0, n * nIn);
    if (pb !== null) { rt.put(ppb, pb, 0, n); mem.ones(ones, rows); }
    if (doGb) rt.put(pgb, gb!, 0, n);
    const sg = !tanh ? 0 : withPhi ? pphi : hp + 8 * n;
    for (let t0 = 0; t0 < steps; t0 += rows) {
      const c = Math.min(rows, steps - t0), r = off + t0, rel = Math.max(0, from - t0);
      mem.loadStates(hp, n, t0 > 0 ? H : hPrev, t0 > 0 ? (r - 1) * n : 0, H, r, c);
      if (pU !== null) rt.put(px, x, r * nIn, c * nIn);
      if (withPhi) rt.put(pphi, Phi, r * n, c * n);
      if ((doGW || doGU || doGb) && rel < c) rt.put(py, Gy, r * nOut, c * nOut);
      w.eligChunk(n, nIn, nOut, c, rel, pd, pF, tanh ? 1 : 0, hp, px, py, ppW, pgW, ppU, pgU, ft, R, Q, rho, pi, a, e, sg, leak, ppb, pgb, ones);
    }
    if (pW !== null) rt.get(ppW, n * n, pW, 0);
    if (doGW) rt.get(pgW, n * n, gW!, 0);
    if (pU !== null) rt.get(ppU, n * nIn, pU, 0);
    if (doGU) rt.get(pgU, n * nIn, gU!, 0);
    if (pb !== null) rt.get(ppb, n, pb, 0);
    if (doGb) rt.get(pgb, n, gb!, 0);
  }

  return { name: 'wasm', forward, readoutGrad, bptt, rtrlChunk, eligibilityChunk, ...complexLearningKernels(mem) };
}

/**
 * Calls with less work than this (multiply–adds) run the JS reference: a wasm call has a fixed cost of a few µs
 * (arena, copies in and out), more than such calls take in JS. This is the regime of the streaming rules, which
 * call the kernels once per time step (measured at N = 8 … 32: the break-even lies near 2000 multiply–adds).
 */
export const SMALL_CALL_WORK = 2048;

type Args<K extends keyof LearningKernels> = LearningKernels[K] extends (...a: infer P) => void ? P : never;

/** Backward steps of one sequence: T for exact BPTT, about (T − from)·τ for truncated sweeps. */
function sweeps(steps: number, from: number, tau: number): number {
  return tau >= steps ? steps : Math.max(0, steps - from) * tau;
}

/** `w` with every call below SMALL_CALL_WORK multiply–adds sent to the JS reference (work estimates per kernel). */
function smallCallsInJs(w: LearningKernels): LearningKernels {
  const j = jsLearningKernels, small = (work: number): boolean => work < SMALL_CALL_WORK;
  return {
    name: w.name,
    forward: (...a: Args<'forward'>) => (small(a[3] * a[4] * a[0] * (a[0] + a[1] + a[2])) ? j : w).forward(...a),
    forwardComplex: (...a: Args<'forwardComplex'>) => (small(4 * a[3] * a[4] * a[0] * (a[0] + a[1] + a[2])) ? j : w).forwardComplex(...a),
    readoutGrad: (...a: Args<'readoutGrad'>) => (small(a[2] * (a[3] - a[4]) * a[0] * a[1]) ? j : w).readoutGrad(...a),
    readoutGradComplex: (...a: Args<'readoutGradComplex'>) =>
      (small(4 * a[2] * (a[3] - a[4]) * a[0] * a[1]) ? j : w).readoutGradComplex(...a),
    bptt: (...a: Args<'bptt'>) => (small(a[3] * sweeps(a[4], a[5], a[6]) * a[0] * (2 * a[0] + a[1])) ? j : w).bptt(...a),
    bpttComplex: (...a: Args<'bpttComplex'>) =>
      (small(4 * a[3] * sweeps(a[4], a[5], a[6]) * a[0] * (2 * a[0] + a[1])) ? j : w).bpttComplex(...a),
    rtrlChunk: (...a: Args<'rtrlChunk'>) => (small(a[4] * a[0] ** 3 * (a[0] + a[1])) ? j : w).rtrlChunk(...a),
    rtrlChunkComplex: (...a: Args<'rtrlChunkComplex'>) => (small(4 * a[4] * a[0] ** 3 * (a[0] + a[1])) ? j : w).rtrlChunkComplex(...a),
    eligibilityChunk: (...a: Args<'eligibilityChunk'>) => (small(2 * a[4] * a[0] * (a[0] + a[1])) ? j : w).eligibilityChunk(...a),
  };
}

/** The learning family on the backend's runtime `rt`: calls below SMALL_CALL_WORK in JS, and every call in WebAssembly. */
export interface WasmLearning {
  /** Calls below SMALL_CALL_WORK multiply–adds run the JS reference (the family of the wasm backend). */
  readonly dispatch: LearningKernels;
  /** Every call, however small, runs in WebAssembly (for tests and kernel benchmarks). */
  readonly everyCall: LearningKernels;
}

/**
 * The WebAssembly SIMD learning kernels (name 'wasm') on `rt`, the one Runtime of the wasm backend: `dispatch`
 * sends calls below SMALL_CALL_WORK multiply–adds to the JS reference, `everyCall` runs them all in WebAssembly.
 */
export function wasmLearning(rt: Runtime): WasmLearning {
  const everyCall = makeKernels(makeMem(rt));
  return { dispatch: smallCallsInJs(everyCall), everyCall };
}
