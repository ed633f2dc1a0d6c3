// Validated network/data preparation, forward pass, losses and output-error signals (docs/theory/networks.md §3.1).
//
// Per-sequence losses (e_t = y*_t − y_t): terminal ½‖e_T‖², sequence-mean (1/T) Σ_t ½‖e_t‖²,
// sequence-sum Σ_t ½‖e_t‖² (complex: |·|²). A mini-batch loss is the mean over the batch. The output-error
// signal handed to the kernels is Gy_t = ∂ℓ/∂y_t = w_t (y_t − y*_t) = −w_t e_t with w_t the loss weight of
// step t (complex: ∂ℓ/∂Re y + i ∂ℓ/∂Im y, the same expression).
// Model (types.ts): h_t = (1−a)·h_{t−1} + a·act(W h_{t−1} + U x_t + b), y_t = V z_t with z_t = h_t, [h_t; x_t] or
// [h_t; x_t; 1]. The forward kernels compute the states and V_h h_t (V_h = the first N columns of V); the direct
// terms V_x x_t + v_1 of the input and constant features are added here.
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import { isCMat, type AnyMat, type CSeqBatch, type CVec, type SeqBatch, type Vec } from '../core/types.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import {
  READOUT_FEATURES, isCSeqBatch, type AnySeqBatch, type LearningOptions, type LossKind, type ReadoutFeatures, type RnnParams,
} from './types.js';
import { withScratch, type Scratch, type ScratchSlot } from './workspace.js';
import { checkInt, checkMatShape, checkObject } from '../core/guards.js';

/** Unpacked, validated network: sizes and raw arrays (imaginary parts null for a real network). */
export interface Net {
  readonly complex: boolean;
  readonly n: number;
  readonly nIn: number;
  readonly nOut: number;
  /** Readout features and their number F (N, N+I or N+I+1): V is O×F. */
  readonly features: ReadoutFeatures;
  readonly nF: number;
  readonly tanh: boolean;
  /** Leak rate a ∈ (0, 1]. */
  readonly leak: number;
  /** True when the forward pass must keep φ_t (tanh with leak < 1: σ' is no longer a function of h_t). */
  readonly needPhi: boolean;
  readonly W: Float64Array;
  readonly U: Float64Array;
  readonly V: Float64Array;
  readonly Wi: Float64Array | null;
  readonly Ui: Float64Array | null;
  readonly Vi: Float64Array | null;
  /** Bias (null when the network has none). */
  readonly b: Float64Array | null;
  readonly bi: Float64Array | null;
  /** V_h: the first N columns of V as a contiguous O×N array (V itself when F = N). */
  readonly Vh: Float64Array;
  readonly Vhi: Float64Array | null;
  readonly h0: Float64Array | null;
  readonly h0i: Float64Array | null;
  /** The backend whose learning family runs this network's kernels (opts.backend, else the default). */
  readonly backend: Backend;
}

/**
 * Forward pass of a batch with its loss and output-error signals (see module header). The arrays of a pass built
 * by {@link forwardPass} live in the call's scratch (workspace.ts): valid only until that scratch is released.
 */
export interface Pass {
  readonly batch: number;
  readonly steps: number;
  /** First (0-based) step that carries loss. */
  readonly from: number;
  readonly x: Float64Array;
  readonly xi: Float64Array | null;
  readonly H: Float64Array;
  readonly Hi: Float64Array | null;
  /** φ_t = act(pre_t) (B, T, N) when net.needPhi, else null. */
  readonly Phi: Float64Array | null;
  readonly Y: Float64Array;
  readonly Yi: Float64Array | null;
  readonly Gy: Float64Array;
  readonly Gyi: Float64Array | null;
  /** Batch-mean loss. */
  readonly loss: number;
}

const LOSSES: readonly string[] = ['terminal', 'sequence-mean', 'sequence-sum'];

/** Checks a loss name (field `loss`). */
export function checkLoss(loss: unknown, where: string): LossKind {
  if (typeof loss !== 'string' || !LOSSES.includes(loss)) {
    throw new InputError('loss', `${where}: loss = ${describeValue(loss)}: must be one of "terminal", "sequence-mean", "sequence-sum"`);
  }
  return loss as LossKind;
}

/** First loss step (0-based) and the weight w_t of each loss step, for a sequence of T steps. */
export function lossWeights(loss: LossKind, steps: number): { from: number; weight: number } {
  checkLoss(loss, 'lossWeights');
  checkInt('lossWeights', 'steps', steps, 1);
  if (loss === 'terminal') return { from: steps - 1, weight: 1 };
  return { from: 0, weight: loss === 'sequence-mean' ? 1 / steps : 1 };
}

function parts(m: AnyMat): [Float64Array, Float64Array | null] {
  return isCMat(m) ? [m.re, m.im] : [m.data, null];
}

function allFinite(a: Float64Array | null): boolean {
  if (a === null) return true;
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

/** Number of readout features F for N states and I inputs. */
export function featureCount(features: ReadoutFeatures, n: number, nIn: number): number {
  return features === 'state' ? n : features === 'state+input' ? n + nIn : n + nIn + 1;
}

/** Checks the `readoutFeatures` option (default 'state'). */
export function checkReadoutFeatures(v: unknown, where: string): ReadoutFeatures {
  const f = v ?? 'state';
  if (typeof f !== 'string' || !(READOUT_FEATURES as readonly string[]).includes(f)) {
    throw new InputError('readoutFeatures', `${where}: readoutFeatures = ${describeValue(f)}: must be one of ${READOUT_FEATURES.map((r) => `"${r}"`).join(', ')}`);
  }
  return f as ReadoutFeatures;
}

/** Checks the `leakRate` option (default 1). */
export function checkLeakRate(v: unknown, where: string): number {
  const a = v ?? 1;
  if (typeof a !== 'number' || !(a > 0 && a <= 1)) throw new InputError('leakRate', `${where}: leakRate = ${describeValue(a)}: must be a number in (0, 1]`);
  return a;
}

/**
 * Structural check of learning parameters {W, U, V, b?}: matrices, W N×N, U N×I, V with the F columns of the
 * readout features in `opts` (errors name the field and the expected shape), b a Float64Array or {re, im} of length N.
 */
export function checkLearningParams(where: string, params: unknown, opts: LearningOptions | undefined): void {
  checkObject(where, 'params', params, 'an object {W, U, V} of matrices (and an optional bias vector b)');
  for (const k of ['W', 'U', 'V'] as const) {
    if (params[k] === undefined) throw new InputError(k, `${where}: ${k} is required`);
    checkMatShape(where, k, params[k]);
  }
  const W = params['W'] as AnyMat, U = params['U'] as AnyMat, V = params['V'] as AnyMat;
  if (W.rows !== W.cols) throw new ShapeError('W', `${where}: W is ${W.rows}×${W.cols}, expected a square N×N matrix`);
  const n = W.rows, nIn = U.cols;
  if (U.rows !== n) throw new ShapeError('U', `${where}: U is ${U.rows}×${U.cols}, expected ${n} rows (W is ${n}×${n})`);
  const features = checkReadoutFeatures(typeof opts === 'object' && opts !== null ? opts.readoutFeatures : undefined, where);
  const F = featureCount(features, n, nIn);
  if (V.cols !== F) {
    const what = features === 'state' ? `W is ${n}×${n}` : features === 'state+input'
      ? `N + I = ${n} + ${nIn} for readoutFeatures "state+input"` : `N + I + 1 = ${n} + ${nIn} + 1 for readoutFeatures "state+input+bias"`;
    throw new ShapeError('V', `${where}: V is ${V.rows}×${V.cols}, expected ${F} columns (${what})`);
  }
  const b = params['b'];
  if (b !== undefined) {
    const real = b instanceof Float64Array;
    const cplx = !real && typeof b === 'object' && b !== null && (b as CVec).re instanceof Float64Array && (b as CVec).im instanceof Float64Array;
    if (!real && !cplx) throw new InputError('b', `${where}: b = ${describeValue(b)}: must be a Float64Array or {re, im} of length N = ${n}`);
    const re = real ? b : (b as CVec).re, im = real ? null : (b as CVec).im;
    if (re.length !== n || (im !== null && im.length !== n)) {
      throw new ShapeError('b', `${where}: b has length ${re.length}, expected N = ${n} (W is ${n}×${n})`);
    }
    if (!allFinite(re) || !allFinite(im)) throw new InputError('b', `${where}: b has a non-finite entry (NaN or ±Infinity)`);
  }
}

/**
 * Validates parameters and options into a {@link Net}. Real and complex blocks may be mixed: any complex
 * block makes the whole network complex (real blocks promoted). tanh is refused for complex networks.
 */
export function prepareNet(params: RnnParams, opts: LearningOptions, where: string): Net {
  checkLearningParams(where, params, opts);
  checkObject(where, 'opts', opts, 'an options object');
  const { W, U, V } = params;
  const bias = params.b as Vec | CVec | undefined;
  const n = W.rows;
  if (n === 0 || U.cols === 0 || V.rows === 0) {
    throw new ShapeError('W', `${where}: sizes N = ${n}, I = ${U.cols}, O = ${V.rows}: all must be ≥ 1`);
  }
  const complex = isCMat(W) || isCMat(U) || isCMat(V) || (bias !== undefined && !(bias instanceof Float64Array));
  const act = opts.activation ?? 'identity';
  if (act !== 'identity' && act !== 'tanh') {
    throw new InputError('activation', `${where}: activation = ${describeValue(act)}: must be "identity" or "tanh"`);
  }
  if (complex && act === 'tanh') {
    throw new InputError('activation', `${where}: activation = "tanh": complex networks support only "identity"`);
  }
  const leak = checkLeakRate(opts.leakRate, where);
  const features = checkReadoutFeatures(opts.readoutFeatures, where);
  const promote = (m: AnyMat): [Float64Array, Float64Array | null] => {
    const [r, i] = parts(m);
    return complex && i === null ? [r, new Float64Array(r.length)] : [r, i];
  };
  const [Wr, Wi] = promote(W), [Ur, Ui] = promote(U), [Vr, Vi] = promote(V);
  for (const [name, a, b] of [['W', Wr, Wi], ['U', Ur, Ui], ['V', Vr, Vi]] as const) {
    if (!allFinite(a) || !allFinite(b)) throw new InputError(name, `${where}: ${name} has a non-finite entry (NaN or ±Infinity)`);
  }
  let br: Float64Array | null = null, bi: Float64Array | null = null;
  if (bias !== undefined) {
    br = bias instanceof Float64Array ? bias : bias.re;
    bi = complex ? (bias instanceof Float64Array ? new Float64Array(n) : bias.im) : null;
  }
  const nF = V.cols;
  const head = (a: Float64Array | null): Float64Array | null => {
    if (a === null || nF === n) return a;
    const out = new Float64Array(V.rows * n);
    for (let o = 0; o < V.rows; o++) for (let j = 0; j < n; j++) out[o * n + j] = a[o * nF + j]!;
    return out;
  };
  let h0: Float64Array | null = null, h0i: Float64Array | null = null;
  if (opts.h0 !== undefined) {
    const h = opts.h0 as Vec | CVec;
    const re = h instanceof Float64Array ? h : h.re;
    const im = h instanceof Float64Array ? null : h.im;
    if (re.length !== n) throw new ShapeError('h0', `${where}: h0 has length ${re.length}, expected N = ${n}`);
    if (im !== null && !complex) throw new InputError('h0', `${where}: h0 is complex but the network is real`);
    h0 = re;
    h0i = complex ? (im ?? new Float64Array(n)) : null;
  }
  const tanh = act === 'tanh';
  return {
    complex, n, nIn: U.cols, nOut: V.rows, features, nF, tanh, leak, needPhi: tanh && leak < 1,
    W: Wr, U: Ur, V: Vr, Wi, Ui, Vi, b: br, bi, Vh: head(Vr)!, Vhi: head(Vi), h0, h0i, backend: resolveBackend(where, opts.backend),
  };
}

/**
 * Adds the direct readout terms V_x x_t (+ v_1 for 'state+input+bias') of `rows` steps to Y (rows × O), for
 * readout features beyond the state (nothing for 'state'). Complex: complex products, xi/Yi the imaginary parts.
 */
export function addDirectOutputs(net: Net, rows: number, x: Float64Array, xi: Float64Array | null, Y: Float64Array,
  Yi: Float64Array | null): void {
  const { n, nIn, nOut, nF, V, Vi } = net;
  if (nF === n) return;
  const bias = nF === n + nIn + 1;
  for (let r = 0; r < rows; r++) {
    const xo = r * nIn, yo = r * nOut;
    for (let o = 0; o < nOut; o++) {
      const vo = o * nF + n;
      let yr = Y[yo + o]!;
      if (Vi === null || xi === null || Yi === null) {
        for (let j = 0; j < nIn; j++) yr += V[vo + j]! * x[xo + j]!;
        if (bias) yr += V[vo + nIn]!;
        Y[yo + o] = yr;
        continue;
      }
      let ym = Yi[yo + o]!;
      for (let j = 0; j < nIn; j++) {
        const vr = V[vo + j]!, vm = Vi[vo + j]!, ar = x[xo + j]!, am = xi[xo + j]!;
        yr += vr * ar - vm * am;
        ym += vr * am + vm * ar;
      }
      if (bias) { yr += V[vo + nIn]!; ym += Vi[vo + nIn]!; }
      Y[yo + o] = yr;
      Yi[yo + o] = ym;
    }
  }
}

/**
 * Forward kernel call for `net` over B sequences of T steps: states H (and Phi when net.needPhi), outputs Y = V z_t
 * when Y is given (kernel V_h h_t plus the direct feature terms).
 */
export function runForward(net: Net, B: number, T: number, xr: Float64Array, xi: Float64Array | null, h0: Float64Array | null,
  h0i: Float64Array | null, H: Float64Array, Hi: Float64Array | null, Phi: Float64Array | null, Y: Float64Array | null,
  Yi: Float64Array | null): void {
  const { n, nIn, nOut } = net;
  const k = net.backend.learning;
  if (net.complex) {
    k.forwardComplex(n, nIn, nOut, B, T, net.W, net.Wi!, net.U, net.Ui!, net.b, net.bi, net.leak, net.Vh, net.Vhi!, xr, xi!,
      h0, h0i, H, Hi!, Y, Yi);
  } else {
    k.forward(n, nIn, nOut, B, T, net.W, net.U, net.b, net.leak, net.Vh, net.tanh, xr, h0, H, Phi, Y);
  }
  if (Y !== null) addDirectOutputs(net, B * T, xr, xi, Y, Yi);
}

/** Split parts of a (real or complex) batch, promoted to complex when `complex` (zero imaginary part in `slot`). */
function batchParts(b: AnySeqBatch, complex: boolean, ws: Scratch, slot: ScratchSlot): [Float64Array, Float64Array | null] {
  if (isCSeqBatch(b)) return [b.re, b.im];
  return [b.data, complex ? ws.zeros(slot, b.data.length) : null];
}

/**
 * Runs the forward pass of `net` on the input batch x (B, T, I) and evaluates the loss against `targets`
 * (B, T, O), or (B, 1, O) holding only the terminal target when the loss is 'terminal'. Returns states,
 * outputs, Gy and the batch-mean loss. The arrays come from `ws` and are completely written here, whatever the
 * scratch held: H and Y by the forward kernels, Gy at the loss steps and explicitly zeroed before `from` (the
 * kernels read only steps ≥ from, but a pass stays a complete Gy array).
 */
export function forwardPass(net: Net, x: AnySeqBatch, targets: AnySeqBatch, loss: LossKind, where: string, ws: Scratch): Pass {
  const { n, nIn, nOut, complex } = net;
  if (x.dim !== nIn) throw new ShapeError('x', `${where}: x has ${x.dim} input columns, expected I = ${nIn} (U is ${n}×${nIn})`);
  if (x.batch < 1 || x.steps < 1) throw new ShapeError('x', `${where}: x has ${x.batch} sequences of ${x.steps} steps: need at least 1 of each`);
  if (!complex && isCSeqBatch(x)) throw new InputError('x', `${where}: x is complex but the network is real; give complex W, U, V`);
  if (!complex && isCSeqBatch(targets)) throw new InputError('target', `${where}: the target is complex but the network is real`);
  const B = x.batch, T = x.steps;
  if (targets.batch !== B) throw new ShapeError('target', `${where}: target has ${targets.batch} sequences, x has ${B}`);
  if (targets.dim !== nOut) throw new ShapeError('target', `${where}: target has ${targets.dim} output columns, expected O = ${nOut} (V is ${nOut}×${n})`);
  const terminalOnly = targets.steps === 1 && T > 1;
  if (!(targets.steps === T || (targets.steps === 1 && loss === 'terminal'))) {
    throw new ShapeError('target', `${where}: target has ${targets.steps} steps: expected T = ${T}` + (loss === 'terminal' ? ' or 1 (terminal target only)' : ` (loss "${loss}" needs the whole target sequence)`));
  }
  const [xr, xi] = batchParts(x, complex, ws, 'xi');
  const [yr, yi] = batchParts(targets, complex, ws, 'ti');
  if (!allFinite(xr) || !allFinite(xi)) throw new InputError('x', `${where}: x has a non-finite entry`);
  if (!allFinite(yr) || !allFinite(yi)) throw new InputError('target', `${where}: target has a non-finite entry`);
  const H = ws.take('H', B * T * n), Y = ws.take('Y', B * T * nOut);
  const Hi = complex ? ws.take('Hi', B * T * n) : null, Yi = complex ? ws.take('Yi', B * T * nOut) : null;
  const Phi = net.needPhi ? ws.take('Phi', B * T * n) : null;
  runForward(net, B, T, xr, xi, net.h0, net.h0i, H, Hi, Phi, Y, Yi);
  const { from, weight } = lossWeights(loss, T);
  const Gy = ws.take('Gy', B * T * nOut), Gyi = complex ? ws.take('Gyi', B * T * nOut) : null;
  let total = 0;
  for (let b = 0; b < B; b++) {
    // steps before `from` carry no loss: Gy = 0 there (only these rows are not written below)
    if (from > 0) {
      const o0 = b * T * nOut, o1 = o0 + from * nOut;
      Gy.fill(0, o0, o1);
      Gyi?.fill(0, o0, o1);
    }
    for (let t = from; t < T; t++) {
      const o = (b * T + t) * nOut;
      const to = (terminalOnly ? b : b * T + t) * nOut;
      for (let q = 0; q < nOut; q++) {
        const dr = Y[o + q]! - yr[to + q]!;
        Gy[o + q] = weight * dr;
        total += weight * 0.5 * dr * dr;
        if (Gyi !== null) {
          const di = Yi![o + q]! - yi![to + q]!;
          Gyi[o + q] = weight * di;
          total += weight * 0.5 * di * di;
        }
      }
    }
  }
  return { batch: B, steps: T, from, x: xr, xi, H, Hi, Phi, Y, Yi, Gy, Gyi, loss: total / B };
}

/**
 * Batch-mean loss of the network on inputs x (B, T, I) against targets (B, T, O) (or (B, 1, O) for a
 * terminal-only target). Options: loss (default 'terminal'), activation, h0, leakRate, readoutFeatures.
 */
export function evaluateLoss(params: RnnParams, x: AnySeqBatch, targets: AnySeqBatch, opts: LearningOptions = {}): number {
  const where = 'evaluateLoss';
  const net = prepareNet(params, opts, where);
  const kind = checkLoss(opts.loss ?? 'terminal', where);
  return withScratch((ws) => forwardPass(net, x, targets, kind, where, ws).loss);
}

/** Wraps one sequence (a T×D Mat or CMat, row t−1 = step t) as a batch of one (no copy). */
export function asBatch(m: AnyMat): SeqBatch | CSeqBatch {
  checkMatShape('asBatch', 'm', m);
  if (isCMat(m)) return { batch: 1, steps: m.rows, dim: m.cols, re: m.re, im: m.im };
  return { batch: 1, steps: m.rows, dim: m.cols, data: m.data };
}

/**
 * Outputs y_t = V z_t of a network on the batch x (B, T, I) (h_0 = 0, or opts.h0; leak, bias and readout features
 * as in the options and params): a real batch for a real network, a complex one for a complex network. Used to build
 * targets from a teacher.
 */
export function networkOutputs(params: RnnParams, x: AnySeqBatch, opts: LearningOptions = {}): AnySeqBatch {
  const where = 'networkOutputs';
  const net = prepareNet(params, opts, where);
  const { n, nIn, nOut, complex } = net;
  if (x.dim !== nIn) throw new ShapeError('x', `${where}: x has ${x.dim} input columns, expected I = ${nIn}`);
  if (!complex && isCSeqBatch(x)) throw new InputError('x', `${where}: x is complex but the network is real`);
  const B = x.batch, T = x.steps;
  // the states are scratch; the outputs are returned, so they are always fresh arrays owned by the caller
  return withScratch((ws): AnySeqBatch => {
    const [xr, xi] = batchParts(x, complex, ws, 'xi');
    const H = ws.take('H', B * T * n), Y = new Float64Array(B * T * nOut);
    const Phi = net.needPhi ? ws.take('Phi', B * T * n) : null;
    if (!complex) {
      runForward(net, B, T, xr, null, net.h0, null, H, null, Phi, Y, null);
      return { batch: B, steps: T, dim: nOut, data: Y };
    }
    const Hi = ws.take('Hi', B * T * n), Yi = new Float64Array(B * T * nOut);
    runForward(net, B, T, xr, xi, net.h0, net.h0i, H, Hi, null, Y, Yi);
    return { batch: B, steps: T, dim: nOut, re: Y, im: Yi };
  });
}
