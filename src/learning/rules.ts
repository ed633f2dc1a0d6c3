// One interface for every learning rule (STYLE sketch 5): a factory by name, the streaming form, and the batched path.
//
// Rules never touch parameters: they emit updates Δθ to ADD (θ ← θ + Δθ; BPTT's is −η∇ℓ), and an optimizer
// (optim.ts) or the caller applies them. `computeUpdate` is the efficient batched path: the batch mean of
// the per-sequence updates of docs/theory/learning-rules.md §2–5 (terminal loss) and §6 (sequence losses; for
// 'sequence-sum' without the 1/T). Frozen blocks get no update and no gradient work.
import { InputError, describeValue } from '../core/errors.js';
import { isCMat, type AnyMat, type CVec, type Mat, type Vec } from '../core/types.js';
import { bpttAccumulate, readoutAccumulate } from './bptt.js';
import { eligibilityAccumulate, resolveEligibility } from './eligibility.js';
import { accToBlocks } from './grads.js';
import { checkLearningParams, checkLoss, forwardPass, prepareNet } from './losses.js';
import { rtrlAccumulate } from './rtrl.js';
import { scratchAcc, withScratch } from './workspace.js';
import { streamEnd, streamInit, streamStep, type StepData, type StepResult, type StreamOptions, type StreamState } from './stream.js';
import {
  RULE_NAMES, type AnySeqBatch, type BlockUpdates, type LearningOptions, type RnnParams, type RuleName, type RuleSpec,
} from './types.js';
import { checkMatShape, checkObject } from '../core/guards.js';

/** A learning rule: its spec plus the streaming form {init, step, endSequence} (see stream.ts). */
export interface LearningRule {
  readonly id: RuleName;
  readonly spec: RuleSpec;
  /** Fresh streaming state for a network shaped like `params`. */
  init(params: RnnParams, opts?: StreamOptions): StreamState;
  /** One time step; returns an update when the rule emits at this step. */
  step(params: RnnParams, state: StreamState, data: StepData): StepResult;
  /** Ends the sequence: the pending update (or null) and a reset state. */
  endSequence(params: RnnParams, state: StreamState): StepResult;
}

/** Batch-mean update to ADD, per free block, with the batch-mean loss of the forward pass. */
export interface RuleUpdate extends BlockUpdates {
  readonly loss: number;
}

/** Validates a rule spec (field names as on the wire: rule, tau, alpha, B, D, feedback). */
export function validateRuleSpec(spec: RuleSpec, where = 'rule'): RuleSpec {
  if (typeof spec !== 'object' || spec === null) {
    throw new InputError('rule', `${where}: rule = ${describeValue(spec)}: expected a rule spec object such as {name: "rflo", alpha: 0.5, B} (or a rule from createRule); names: ${RULE_NAMES.map((r) => `"${r}"`).join(', ')}`);
  }
  const name = (spec as { name?: unknown }).name;
  if (typeof name !== 'string' || !(RULE_NAMES as readonly string[]).includes(name)) {
    throw new InputError('rule', `${where}: rule = ${describeValue(name)}: must be one of ${RULE_NAMES.map((r) => `"${r}"`).join(', ')}`);
  }
  switch (spec.name) {
    case 'tbptt':
      if (!Number.isInteger(spec.tau) || spec.tau < 1) throw new InputError('tau', `${where}: tau = ${describeValue(spec.tau)}: must be an integer >= 1`);
      break;
    case 'rflo':
      if (typeof spec.alpha !== 'number' || !(spec.alpha >= 0 && spec.alpha < 1)) {
        throw new InputError('alpha', `${where}: alpha = ${describeValue(spec.alpha)}: must be a number in [0, 1)`);
      }
      checkFeedback(spec.B, where, true);
      break;
    case 'random-diagonal':
      if (!(spec.D instanceof Float64Array)) throw new InputError('D', `${where}: D = ${describeValue(spec.D)}: must be the N diagonal decays`);
      for (let i = 0; i < spec.D.length; i++) {
        const d = spec.D[i]!;
        if (!(d >= 0 && d < 1)) throw new InputError('D', `${where}: D[${i}] = ${describeValue(d)}: decays must be in [0, 1)`);
      }
      checkFeedback(spec.B, where, true);
      break;
    case 'eprop': {
      const fb = spec.feedback ?? 'B';
      if (fb !== 'B' && fb !== 'VT') throw new InputError('feedback', `${where}: feedback = ${describeValue(fb)}: must be "B" or "VT"`);
      checkFeedback(spec.B, where, fb === 'B');
      break;
    }
    default:
      break;
  }
  return spec;
}

function checkFeedback(B: Mat | undefined, where: string, required: boolean): void {
  if (B === undefined) {
    if (required) throw new InputError('B', `${where}: B (the N×O feedback matrix) is required for this rule`);
    return;
  }
  if (isCMat(B as AnyMat) || !(B.data instanceof Float64Array)) throw new InputError('B', `${where}: B must be a real matrix (Mat)`);
  for (let i = 0; i < B.data.length; i++) {
    if (!Number.isFinite(B.data[i]!)) throw new InputError('B', `${where}: B has a non-finite entry at ${i}`);
  }
}

/** Builds the rule object of a (validated) spec. */
export function createRule(spec: RuleSpec): LearningRule {
  const s = validateRuleSpec(spec);
  return {
    id: s.name,
    spec: s,
    init: (params, opts = {}) => {
      refuseComplex(s, params, 'stream');
      return streamInit(s, params, opts);
    },
    step: (params, state, data) => streamStep(params, state, data),
    endSequence: (params, state) => streamEnd(params, state),
  };
}

/** Rule parameters by wire name (all optional; which are needed depends on the rule). */
export interface RuleParamsByName {
  readonly tau?: number;
  readonly alpha?: number;
  readonly B?: Mat;
  readonly D?: Float64Array;
  readonly feedback?: 'B' | 'VT';
}

/** Factory by name: `ruleFromName('rflo', {alpha: 0.5, B})`. Missing parameters raise an InputError naming them. */
export function ruleFromName(name: string, p: RuleParamsByName = {}): LearningRule {
  const need = <K extends keyof RuleParamsByName>(k: K): NonNullable<RuleParamsByName[K]> => {
    const v = p[k];
    if (v === undefined) throw new InputError(k, `rule "${name}": ${k} is required`);
    return v as NonNullable<RuleParamsByName[K]>;
  };
  switch (name) {
    case 'bptt': return createRule({ name: 'bptt' });
    case 'rtrl': return createRule({ name: 'rtrl' });
    case 'tbptt': return createRule({ name: 'tbptt', tau: need('tau') });
    case 'rflo': return createRule({ name: 'rflo', alpha: need('alpha'), B: need('B') });
    case 'random-diagonal': return createRule({ name: 'random-diagonal', D: need('D'), B: need('B') });
    case 'eprop': return createRule({ name: 'eprop', feedback: p.feedback ?? 'B', ...(p.B !== undefined && { B: p.B }) });
    default:
      throw new InputError('rule', `rule = ${describeValue(name)}: must be one of ${RULE_NAMES.map((r) => `"${r}"`).join(', ')}`);
  }
}

function refuseComplex(spec: RuleSpec, params: RnnParams, where: string): void {
  const complex = [params.W, params.U, params.V, params.b].some((m) => m !== undefined && (m as { re?: unknown }).re !== undefined);
  if (complex && (spec.name === 'rflo' || spec.name === 'random-diagonal' || spec.name === 'eprop')) {
    throw new InputError('rule', `${where}: rule = "${spec.name}": complex networks support only "bptt", "tbptt" and "rtrl"`);
  }
}

/**
 * Batch-mean update to ADD for one mini-batch: x (B, T, I), targets (B, T, O) or (B, 1, O) for a terminal
 * target. Options: loss ('terminal'), eta (1), activation ('identity'), freeze, h0, leakRate (1), readoutFeatures
 * ('state'). Returns the free blocks (Mat / Vec for real, CMat / CVec for complex networks; db only when params.b is
 * given and not frozen) and the batch-mean loss before the update.
 */
export function computeUpdate(rule: LearningRule | RuleSpec, params: RnnParams, x: AnySeqBatch, targets: AnySeqBatch,
  opts: LearningOptions = {}): RuleUpdate {
  const where = 'computeUpdate';
  const spec = typeof rule === 'object' && rule !== null && 'init' in rule ? rule.spec : validateRuleSpec(rule as RuleSpec, where);
  refuseComplex(spec, params, where);
  const eta = opts.eta ?? 1;
  if (typeof eta !== 'number' || !Number.isFinite(eta) || eta <= 0) throw new InputError('eta', `${where}: eta = ${describeValue(eta)}: must be a finite number > 0`);
  const net = prepareNet(params, opts, where);
  const kind = checkLoss(opts.loss ?? 'terminal', where);
  // forward/backward arrays come from the reused learning workspace (workspace.ts); accToBlocks copies them out
  return withScratch((ws): RuleUpdate => {
    const pass = forwardPass(net, x, targets, kind, where, ws);
    const acc = scratchAcc(ws, net, opts.freeze);
    readoutAccumulate(net, pass, acc);
    switch (spec.name) {
      case 'bptt': bpttAccumulate(net, pass, Infinity, acc, ws); break;
      case 'tbptt': bpttAccumulate(net, pass, spec.tau, acc, ws); break;
      case 'rtrl': rtrlAccumulate(net, pass, acc, ws); break;
      default: eligibilityAccumulate(net, pass, resolveEligibility(spec, net, where), acc, ws); break;
    }
    return { ...accToBlocks(net, acc, -eta / pass.batch), loss: pass.loss };
  });
}

/** The matching (re, re), (im, im) arrays of two blocks of the same kind (matrices or bias vectors). */
function pairsOf(a: AnyMat | Vec | CVec, b: AnyMat | Vec | CVec): [Float64Array, Float64Array][] {
  const parts = (m: AnyMat | Vec | CVec): Float64Array[] => (m instanceof Float64Array ? [m] : 'data' in m ? [m.data] : [m.re, m.im]);
  const pa = parts(a), pb = parts(b);
  return pa.length === pb.length ? pa.map((x, i) => [x, pb[i]!]) : [];
}

function row(m: AnyMat, t: number): Float64Array | CVec {
  const a = t * m.cols, b = (t + 1) * m.cols;
  return isCMat(m) ? { re: m.re.subarray(a, b), im: m.im.subarray(a, b) } : m.data.subarray(a, b);
}

/**
 * Drives a rule's streaming form over one sequence x (T×I) with targets (T×O; or 1×O for a terminal
 * target) under `loss`, and returns the emitted update (the sum of all emitted updates). Equal to
 * `computeUpdate` on a batch of one (tested); shows how the streaming form is used.
 */
export function streamSequence(rule: LearningRule, params: RnnParams, x: AnyMat, targets: AnyMat, opts: LearningOptions = {}): BlockUpdates {
  if (typeof rule !== 'object' || rule === null || typeof (rule as { init?: unknown }).init !== 'function') throw new InputError('rule', `streamSequence: rule = ${describeValue(rule)}: must be a LearningRule (createRule(spec))`);
  checkLearningParams('streamSequence', params, typeof opts === 'object' && opts !== null ? opts : undefined);
  checkMatShape('streamSequence', 'x', x);
  checkMatShape('streamSequence', 'targets', targets);
  checkObject('streamSequence', 'opts', opts, 'an options object');
  const loss = checkLoss(opts.loss ?? 'terminal', 'streamSequence');
  const T = x.rows;
  const state = rule.init(params, opts);
  const w = loss === 'sequence-mean' ? 1 / T : 1;
  let total: BlockUpdates | null = null;
  const add = (u: BlockUpdates | null): void => {
    if (u === null) return;
    if (total === null) { total = u; return; }
    for (const k of ['dW', 'dU', 'db', 'dV'] as const) {
      const a = total[k], b = u[k];
      if (a === undefined || b === undefined) continue;
      for (const [x, y] of pairsOf(a, b)) for (let i = 0; i < x.length; i++) x[i]! += y[i]!;
    }
  };
  for (let t = 0; t < T; t++) {
    const xt = row(x, t);
    const hasTarget = loss !== 'terminal' || t === T - 1;
    const data: StepData = hasTarget ? { x: xt, target: row(targets, targets.rows === 1 ? 0 : t), weight: w } : { x: xt };
    add(rule.step(params, state, data).update);
  }
  add(rule.endSequence(params, state).update);
  return total ?? {};
}
