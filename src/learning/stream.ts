// Streaming form of every rule (STYLE sketch 5): init → step per time step → endSequence, emitting updates.
//
// A step with a target contributes w·½‖e_t‖² to the sequence loss (w = StepData.weight, default 1): the
// terminal loss is a target on the last step only; sequence-mean gives weight 1/T on every step; sequence-sum
// weight 1. Forward-mode rules (rtrl, rflo, random-diagonal, eprop) update sensitivities/traces every step
// and, with `emit: 'step'`, emit each step's update at once (real-time learning); BPTT and tBPTT buffer the
// sequence and emit at endSequence. With `emit: 'sequence'` (default) every rule emits once, at endSequence,
// exactly the update `computeUpdate` gives for that sequence. Parameters must stay fixed within a sequence
// for BPTT/tBPTT (they are read again at endSequence); e-prop's decays are diag(W) at the sequence start.
// Leak rate, bias and readout features (types.ts) work as in the batched path; with tanh and leak < 1 the step
// also keeps φ_t (recorded for BPTT), since σ'_t is then no longer a function of h_t.
// The state owns preallocated buffers and is updated in place (the returned state is the same object).
import { InputError, ShapeError } from '../core/errors.js';
import type { CVec, Vec } from '../core/types.js';
import { bpttAccumulate, readoutAccumulate } from './bptt.js';
import { resolveEligibility, eligibilityChunk, newTraceState, resetTraceState, type EligibilityParams, type TraceState } from './eligibility.js';
import { accToBlocks, newAcc, zeroAcc, type Acc } from './grads.js';
import { prepareNet, runForward, type Net, type Pass } from './losses.js';
import { newRtrlState, resetRtrlState, rtrlChunk, type RtrlState } from './rtrl.js';
import type { BlockUpdates, LearningOptions, RnnParams, RuleSpec } from './types.js';

/** Options of a stream: the learning options plus when forward-mode rules emit. */
export interface StreamOptions extends Omit<LearningOptions, 'loss'> {
  /** 'sequence' (default): one update at endSequence; 'step': forward-mode rules emit at every target step. */
  readonly emit?: 'sequence' | 'step';
}

/** One time step of data: input x_t (I), optional target y*_t (O) and its loss weight (default 1). */
export interface StepData {
  readonly x: Vec | CVec;
  readonly target?: Vec | CVec;
  readonly weight?: number;
}

/** Result of step/endSequence: the (same) state, the emitted update to ADD (or null) and the output y_t. */
export interface StepResult {
  readonly state: StreamState;
  readonly update: BlockUpdates | null;
  /** y_t of the step (a view, overwritten by the next step); empty after endSequence. */
  readonly y: Float64Array;
  readonly yi: Float64Array | null;
  /** Loss of the sequence so far, Σ weight·½‖e_t‖² (at endSequence: the whole sequence's loss). */
  readonly loss: number;
}

/** Growable Float64 buffer (amortised doubling; used by BPTT to record the sequence). */
class Grow {
  data: Float64Array = new Float64Array(64);
  len = 0;
  push(src: Float64Array, count: number): void {
    if (this.len + count > this.data.length) {
      const d = new Float64Array(Math.max(2 * this.data.length, this.len + count));
      d.set(this.data);
      this.data = d;
    }
    const o = this.len;
    for (let k = 0; k < count; k++) this.data[o + k] = src[k]!;
    this.len += count;
  }
}

/** Opaque streaming state of one rule on one network. */
export interface StreamState {
  readonly spec: RuleSpec;
  readonly opts: StreamOptions;
  net: Net;
  lastParams: RnnParams;
  readonly acc: Acc;
  readonly h: Float64Array;
  readonly hi: Float64Array | null;
  readonly x1: Float64Array;
  readonly x1i: Float64Array | null;
  readonly H1: Float64Array;
  readonly H1i: Float64Array | null;
  /** φ_t of the step (tanh with leak < 1), else null. */
  readonly Phi1: Float64Array | null;
  readonly Y1: Float64Array;
  readonly Y1i: Float64Array | null;
  readonly G1: Float64Array;
  readonly G1i: Float64Array | null;
  /** Scratch for the current target. */
  readonly Y1t: Float64Array;
  readonly Y1ti: Float64Array | null;
  readonly rtrl: RtrlState | null;
  readonly traces: TraceState | null;
  elig: EligibilityParams | null;
  /** One-step views of the scratch buffers: with loss (from = 0) and without (from = 1). */
  readonly passes: readonly [Pass, Pass];
  steps: number;
  pending: boolean;
  loss: number;
  readonly rec: { x: Grow; xi: Grow; H: Grow; Hi: Grow; Phi: Grow; G: Grow; Gi: Grow } | null;
}

const WHERE = 'stream';

function resetSequence(s: StreamState): void {
  const { net } = s;
  if (net.h0 !== null) s.h.set(net.h0); else s.h.fill(0);
  if (s.hi !== null) { if (net.h0i !== null) s.hi.set(net.h0i); else s.hi.fill(0); }
  if (s.rtrl) resetRtrlState(s.rtrl);
  if (s.traces) resetTraceState(s.traces);
  if (s.rec) for (const g of Object.values(s.rec)) g.len = 0;
  s.steps = 0;
  s.loss = 0;
}

/** New streaming state for `spec` on a network shaped like `params` (validated spec expected). */
export function streamInit(spec: RuleSpec, params: RnnParams, opts: StreamOptions): StreamState {
  const net = prepareNet(params, opts, WHERE);
  const acc = newAcc(net, opts.freeze);
  const { n, nIn, nOut, complex } = net;
  const c = (len: number): Float64Array | null => (complex ? new Float64Array(len) : null);
  const forwardMode = spec.name === 'rtrl' || spec.name === 'rflo' || spec.name === 'random-diagonal' || spec.name === 'eprop';
  const isElig = forwardMode && spec.name !== 'rtrl';
  const x1 = new Float64Array(nIn), x1i = c(nIn), H1 = new Float64Array(n), H1i = c(n);
  const Phi1 = net.needPhi ? new Float64Array(n) : null;
  const Y1 = new Float64Array(nOut), Y1i = c(nOut), G1 = new Float64Array(nOut), G1i = c(nOut);
  const view = (from: number): Pass => ({ batch: 1, steps: 1, from, x: x1, xi: x1i, H: H1, Hi: H1i, Phi: Phi1, Y: Y1, Yi: Y1i, Gy: G1, Gyi: G1i, loss: 0 });
  const s: StreamState = {
    spec, opts, net, lastParams: params, acc,
    h: new Float64Array(n), hi: c(n), x1, x1i, H1, H1i, Phi1, Y1, Y1i, G1, G1i, Y1t: new Float64Array(nOut), Y1ti: c(nOut),
    rtrl: spec.name === 'rtrl' ? newRtrlState(net, acc) : null,
    traces: isElig ? newTraceState(net, acc) : null,
    elig: null, passes: [view(0), view(1)], steps: 0, pending: false, loss: 0,
    rec: forwardMode ? null : { x: new Grow(), xi: new Grow(), H: new Grow(), Hi: new Grow(), Phi: new Grow(), G: new Grow(), Gi: new Grow() },
  };
  resetSequence(s);
  return s;
}

function copyIn(field: string, v: Vec | CVec, len: number, re: Float64Array, im: Float64Array | null): void {
  const r = v instanceof Float64Array ? v : v.re;
  const i = v instanceof Float64Array ? null : v.im;
  if (r.length !== len) throw new ShapeError(field, `${WHERE}: ${field} has length ${r.length}, expected ${len}`);
  if (i !== null && im === null) throw new InputError(field, `${WHERE}: ${field} is complex but the network is real`);
  for (let k = 0; k < len; k++) if (!Number.isFinite(r[k]!) || (i !== null && !Number.isFinite(i[k]!))) {
    throw new InputError(field, `${WHERE}: ${field}[${k}] is not finite`);
  }
  re.set(r);
  if (im !== null) { if (i !== null) im.set(i); else im.fill(0); }
}

function scaleOut(s: StreamState): BlockUpdates {
  const eta = s.opts.eta ?? 1;
  const u = accToBlocks(s.net, s.acc, -eta);
  zeroAcc(s.acc);
  s.pending = false;
  return u;
}

/** One time step: forward, error, rule work; returns an update when the rule emits now. */
export function streamStep(params: RnnParams, s: StreamState, d: StepData): StepResult {
  if (params !== s.lastParams) {
    s.net = prepareNet(params, s.opts, WHERE);
    s.lastParams = params;
    checkSameShape(s);
  }
  const { net } = s;
  const { n, nIn, nOut } = net;
  copyIn('x', d.x, nIn, s.x1, s.x1i);
  runForward(net, 1, 1, s.x1, s.x1i, s.h, s.hi, s.H1, s.H1i, s.Phi1, s.Y1, s.Y1i);
  const hasTarget = d.target !== undefined;
  s.G1.fill(0);
  s.G1i?.fill(0);
  if (hasTarget) {
    const w = d.weight ?? 1;
    if (!Number.isFinite(w)) throw new InputError('weight', `${WHERE}: weight = ${w}: must be a finite number`);
    const tr = s.Y1t, ti = s.Y1ti;
    copyIn('target', d.target!, nOut, tr, ti);
    for (let o = 0; o < nOut; o++) {
      const dr = s.Y1[o]! - tr[o]!;
      s.G1[o] = w * dr;
      s.loss += 0.5 * w * dr * dr;
      if (ti !== null) {
        const di = s.Y1i![o]! - ti[o]!;
        s.G1i![o] = w * di;
        s.loss += 0.5 * w * di * di;
      }
    }
  }
  if (s.steps === 0 && s.traces !== null) s.elig = resolveEligibility(s.spec, net, WHERE);
  const one = hasTarget ? s.passes[0] : s.passes[1];
  if (hasTarget) { readoutAccumulate(net, one, s.acc); s.pending = true; }
  if (s.rtrl !== null) rtrlChunk(net, one, 0, 1, one.from, s.h, s.hi, s.rtrl, s.acc);
  else if (s.traces !== null) eligibilityChunk(net, one, 0, 1, one.from, s.h, s.elig!, s.traces, s.acc);
  else if (s.rec !== null) {
    s.rec.x.push(s.x1, nIn);
    s.rec.H.push(s.H1, n);
    if (s.Phi1 !== null) s.rec.Phi.push(s.Phi1, n);
    s.rec.G.push(s.G1, nOut);
    if (net.complex) { s.rec.xi.push(s.x1i!, nIn); s.rec.Hi.push(s.H1i!, n); s.rec.Gi.push(s.G1i!, nOut); }
  }
  s.h.set(s.H1);
  if (s.hi !== null) s.hi.set(s.H1i!);
  s.steps++;
  const emitNow = hasTarget && s.rec === null && s.opts.emit === 'step';
  return { state: s, update: emitNow ? scaleOut(s) : null, y: s.Y1, yi: s.Y1i, loss: s.loss };
}

/** Refuses parameters whose shapes (or whose having a bias) differ from the stream's. */
function checkSameShape(s: StreamState): void {
  const { net } = s;
  if (net.n !== s.h.length || net.nIn !== s.x1.length || net.nOut !== s.Y1.length || net.complex !== (s.hi !== null)) {
    throw new ShapeError('W', `${WHERE}: parameter shapes changed within the stream`);
  }
  if ((net.b !== null) !== (s.acc.gb !== null || (s.opts.freeze?.b === true && net.b !== null))) {
    throw new InputError('b', `${WHERE}: the bias b was ${net.b === null ? 'removed' : 'added'} within the stream`);
  }
}

/** Ends the sequence: emits the pending update (BPTT/tBPTT compute it now) and resets h and the traces. */
export function streamEnd(params: RnnParams, s: StreamState): StepResult {
  if (params !== s.lastParams) {
    s.net = prepareNet(params, s.opts, WHERE);
    s.lastParams = params;
    checkSameShape(s);
  }
  const { net } = s;
  if (s.rec !== null && s.steps > 0 && s.pending) {
    const T = s.steps;
    const r = s.rec;
    const pass: Pass = {
      batch: 1, steps: T, from: 0, x: r.x.data, xi: net.complex ? r.xi.data : null, H: r.H.data, Hi: net.complex ? r.Hi.data : null,
      Phi: net.needPhi ? r.Phi.data : null, Y: new Float64Array(0), Yi: null, Gy: r.G.data, Gyi: net.complex ? r.Gi.data : null, loss: 0,
    };
    const tau = s.spec.name === 'tbptt' ? s.spec.tau : Infinity;
    bpttAccumulate(net, pass, tau, s.acc);
  }
  const update = s.pending ? scaleOut(s) : null;
  const loss = s.loss;
  resetSequence(s);
  return { state: s, update, y: new Float64Array(0), yi: null, loss };
}
