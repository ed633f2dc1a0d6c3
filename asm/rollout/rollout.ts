// Recurrent rollouts (kernels.ts rollout / rolloutComplex), one chunk of time steps at a time:
//   h_t = (1 − a)·h_{t−1} + a·act(W h_{t−1} + U x_t + b),   act ∈ {identity, tanh}   (docs/conventions.md).
//
// [b | U | W] is packed once per call into panels of RW output rows (common/panel.ts layout, depth 1 + I + N),
// so each step streams the weights contiguously against z = [x_t; h_{t−1}] and keeps RW pre-activations in
// registers. Activation and leak follow in a separate pass (finishStep) over the whole state vector.

import { packRows } from '../common/panel';
import { at, madd } from '../common/vec';
import { tanhInPlace } from '../common/tanh';

/**
 * Output rows per real panel: six f64x2 accumulators. V8 loads a step's six W vectors before using them, so with
 * the splat of z_j that is 13 of its 15 allocatable registers; 16 rows spilled an accumulator and ran 1.6× slower.
 */
const RW: i32 = 12;
/** Output rows per complex panel (two f64x2 for each of the four real products). */
const CW: i32 = 4;

/** Doubles of the packed real parameters. */
export function rolloutPackedSize(n: i32, nIn: i32): i32 {
  return ((n + RW - 1) / RW) * RW * (1 + nIn + n);
}

/**
 * Doubles of one step vector z = [x_t | h_{t−1} | padding] (a run needs two, per part): the padding lets
 * the last, partial panel store whole vectors.
 */
export function rolloutStepSize(n: i32, nIn: i32): i32 {
  return nIn + ((n + RW - 1) / RW) * RW + 2;
}

/** Packs bias (0 = none), U (N × I) and W (N × N) for rolloutRun: panel depth 1 + I + N = [b | U | W]. */
export function rolloutPack(n: i32, nIn: i32, W: usize, U: usize, bias: usize, wp: usize): void {
  const depth = 1 + nIn + n;
  packRows(wp, depth, 0, bias, 1, 0, n, 0, 1, RW, 1.0);
  packRows(wp, depth, 1, U, nIn, 0, n, 0, nIn, RW, 1.0);
  packRows(wp, depth, 1 + nIn, W, n, 0, n, 0, n, RW, 1.0);
}

/**
 * Second half of a step over n values: h = (1 − a)·h_{t−1} + a·act(pre), act = tanh or identity, with
 * pre in place at `pre` (overwritten by h, padded to even length), h_{t−1} at `prev`; h is also copied to `out`.
 */
function finishStep(n: i32, pre: usize, prev: usize, out: usize, leak: f64, useTanh: bool): void {
  if (useTanh) tanhInPlace(pre, n);
  if (leak != 1.0) {
    const a = f64x2.splat(leak), keep = f64x2.splat(1.0 - leak);
    for (let i = 0; i < n; i += 2) {
      const off = <usize>i << 3;
      v128.store(pre + off, f64x2.add(f64x2.mul(keep, v128.load(prev + off)), f64x2.mul(a, v128.load(pre + off))));
    }
  }
  memory.copy(out, pre, <usize>n << 3);
}

/**
 * Runs `steps` real steps over inputs x (steps × I), writing states (steps × N). z: two step vectors
 * (rolloutStepSize each); on entry the first holds h_{t−1} after its I input slots, and on return it holds
 * the last state there, ready for the next chunk.
 */
export function rolloutRun(n: i32, nIn: i32, wp: usize, leak: f64, useTanh: bool, steps: i32, x: usize,
  z: usize, states: usize): void {
  const m = nIn + n;
  const panelBytes = <usize>(RW * (1 + m)) << 3;
  const zBytes = <usize>rolloutStepSize(n, nIn) << 3;
  const hOff = <usize>nIn << 3;
  let cur = z, nxt = z + zBytes;
  for (let t = 0; t < steps; t++) {
    memory.copy(cur, at(x, t * nIn), hOff);
    let panel = wp;
    let pre = nxt + hOff;
    for (let i0 = 0; i0 < n; i0 += RW) {
      // rows i0 .. i0+RW: b + [U W]·[x_t; h_{t−1}]
      let a0 = v128.load(panel), a1 = v128.load(panel, 16), a2 = v128.load(panel, 32), a3 = v128.load(panel, 48);
      let a4 = v128.load(panel, 64), a5 = v128.load(panel, 80);
      let w = panel + (<usize>RW << 3);
      let zj = cur;
      const zEnd = cur + (<usize>m << 3);
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
      v128.store(pre, a0);
      v128.store(pre, a1, 16);
      v128.store(pre, a2, 32);
      v128.store(pre, a3, 48);
      v128.store(pre, a4, 64);
      v128.store(pre, a5, 80);
      pre += <usize>RW << 3;
      panel += panelBytes;
    }
    finishStep(n, nxt + hOff, cur + hOff, at(states, t * n), leak, useTanh);
    const swap = cur;
    cur = nxt;
    nxt = swap;
  }
  if (cur != z) memory.copy(z + hOff, cur + hOff, <usize>n << 3);
}

/** Doubles of the packed complex parameters. */
export function rolloutComplexPackedSize(n: i32, nIn: i32): i32 {
  return ((n + CW - 1) / CW) * CW * 2 * (1 + nIn + n);
}

/** Packs complex bias (0 = none), U and W for rolloutComplexRun: per panel [b | U | W] real parts, then imaginary. */
export function rolloutComplexPack(n: i32, nIn: i32, Wre: usize, Wim: usize, Ure: usize, Uim: usize,
  bRe: usize, bIm: usize, wp: usize): void {
  const depth = 1 + nIn + n;
  const d2 = 2 * depth;
  packRows(wp, d2, 0, bRe, 1, 0, n, 0, 1, CW, 1.0);
  packRows(wp, d2, depth, bIm, 1, 0, n, 0, 1, CW, 1.0);
  packRows(wp, d2, 1, Ure, nIn, 0, n, 0, nIn, CW, 1.0);
  packRows(wp, d2, depth + 1, Uim, nIn, 0, n, 0, nIn, CW, 1.0);
  packRows(wp, d2, 1 + nIn, Wre, n, 0, n, 0, n, CW, 1.0);
  packRows(wp, d2, depth + 1 + nIn, Wim, n, 0, n, 0, n, CW, 1.0);
}

/**
 * Complex counterpart of rolloutRun (identity activation) in split storage: pre = b + [U W]·[x_t; h_{t−1}]
 * accumulated as four real products per panel (Re·Re, Im·Im, Re·Im, Im·Re), each its own dependency chain.
 * zRe, zIm: two step vectors each (rolloutStepSize), as in rolloutRun.
 */
export function rolloutComplexRun(n: i32, nIn: i32, wp: usize, leak: f64, steps: i32, xRe: usize, xIm: usize,
  zRe: usize, zIm: usize, sRe: usize, sIm: usize): void {
  const depth = 1 + nIn + n;
  const m = nIn + n;
  const imOff = <usize>(CW * depth) << 3;
  const zBytes = <usize>rolloutStepSize(n, nIn) << 3;
  const hOff = <usize>nIn << 3;
  let cur: usize = 0;
  for (let t = 0; t < steps; t++) {
    const nxt = zBytes - cur;
    const cr = zRe + cur, ci = zIm + cur;
    memory.copy(cr, at(xRe, t * nIn), hOff);
    memory.copy(ci, at(xIm, t * nIn), hOff);
    const outRe = at(sRe, t * n), outIm = at(sIm, t * n);
    let panel = wp;
    for (let i0 = 0; i0 < n; i0 += CW) {
      let rr0 = v128.load(panel), rr1 = v128.load(panel, 16);               // Σ Re w·Re z, from Re b
      let ri0 = v128.load(panel + imOff), ri1 = v128.load(panel + imOff, 16); // Σ Re w·Im z, from Im b
      let ii0 = f64x2.splat(0.0), ii1 = ii0, ir0 = ii0, ir1 = ii0;          // Σ Im w·Im z, Σ Im w·Re z
      let w = panel + (<usize>CW << 3);
      for (let j = 0; j < m; j++) {
        const zr = v128.load64_splat(at(cr, j)), zi = v128.load64_splat(at(ci, j));
        const wr0 = v128.load(w), wr1 = v128.load(w, 16);
        const wi0 = v128.load(w + imOff), wi1 = v128.load(w + imOff, 16);
        rr0 = madd(rr0, wr0, zr);
        rr1 = madd(rr1, wr1, zr);
        ii0 = madd(ii0, wi0, zi);
        ii1 = madd(ii1, wi1, zi);
        ri0 = madd(ri0, wr0, zi);
        ri1 = madd(ri1, wr1, zi);
        ir0 = madd(ir0, wi0, zr);
        ir1 = madd(ir1, wi1, zr);
        w += <usize>CW << 3;
      }
      const po = hOff + (<usize>i0 << 3);
      const pr = zRe + nxt + po, pi = zIm + nxt + po;
      v128.store(pr, f64x2.sub(rr0, ii0));
      v128.store(pr, f64x2.sub(rr1, ii1), 16);
      v128.store(pi, f64x2.add(ri0, ir0));
      v128.store(pi, f64x2.add(ri1, ir1), 16);
      panel += 2 * imOff;
    }
    finishStep(n, zRe + nxt + hOff, cr + hOff, outRe, leak, false);
    finishStep(n, zIm + nxt + hOff, ci + hOff, outIm, leak, false);
    cur = nxt;
  }
  if (cur != 0) {
    memory.copy(zRe + hOff, zRe + cur + hOff, <usize>n << 3);
    memory.copy(zIm + hOff, zIm + cur + hOff, <usize>n << 3);
  }
}
