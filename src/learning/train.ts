// Training loop: epochs of shuffled mini-batches, rule updates through an optimizer, validation, diagnostics, divergence.
//
// Each mini-batch: the rule's batch-mean update Δθ with η = 1 (computeUpdate) gives the gradient-like
// direction g = −Δθ (docs/theory/learning-rules.md §7.2), the optimizer turns g into the update that is added. With
// SGD(lr) this is exactly the rule's update with η = lr. Frozen blocks never enter the optimizer and are
// returned as the very same objects (bit-identical). Divergence — a non-finite loss, update or parameter,
// a validation loss above `divergeAbove`, or above `divergeFactor` (1e8) × the initial one (explosion) — ends the run with status 'diverged', the epoch and the last
// finite parameters; results never contain NaN.
import { InputError, describeValue } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { cmat, isCMat, mat, type AnyMat, type CVec, type Vec } from '../core/types.js';
import type { Backend } from '../backend/index.js';
import { eig } from '../linalg/eig.js';
import { checkLearningParams, evaluateLoss } from './losses.js';
import { createOptimizer, type Leaves, type Optimizer, type OptimizerSpec } from './optim.js';
import { computeUpdate, createRule, type LearningRule } from './rules.js';
import { BLOCK_NAMES, isCSeqBatch, type Activation, type AnySeqBatch, type BlockName, type BlockUpdates, type Freeze,
  type LossKind, type ReadoutFeatures, type RnnParams, type RuleSpec } from './types.js';
import { checkObject, checkRng } from '../core/guards.js';

/** Inputs (B, T, I) and targets (B, T, O) of a data split. */
export interface DataSplit {
  readonly x: AnySeqBatch;
  readonly y: AnySeqBatch;
}

/** One epoch's diagnostics (epoch 0 = before training). */
export interface EpochRecord {
  readonly epoch: number;
  /** Parameter updates applied so far. */
  readonly updates: number;
  /** Mean mini-batch loss over the epoch (before each update); epoch 0: loss on the whole training set. */
  readonly trainLoss: number;
  readonly valLoss: number;
  /** Mean over the epoch's mini-batches of ‖g_block‖_F, g = −Δθ/η (free blocks only; empty at epoch 0). */
  readonly gradNorm: Readonly<Partial<Record<BlockName, number>>>;
  /** Eigenvalues of W after the epoch (when `eigenvalues` is on). */
  readonly eigenvalues?: CVec;
}

/** Options of {@link train}. */
export interface TrainOptions {
  readonly rule: LearningRule | RuleSpec;
  readonly optimizer: Optimizer | OptimizerSpec;
  readonly epochs: number;
  readonly batchSize: number;
  /** Loss (default 'terminal'). */
  readonly loss?: LossKind;
  readonly activation?: Activation;
  /** Leak rate a ∈ (0, 1] (default 1). */
  readonly leakRate?: number;
  /** Readout features (default 'state'); V must have the matching number of columns. */
  readonly readoutFeatures?: ReadoutFeatures;
  /** Frozen blocks (any subset of W, U, b, V); b is trained when params.b is given and not frozen. */
  readonly freeze?: Freeze;
  /** Stop with status 'converged' once the validation loss is ≤ this. */
  readonly targetLoss?: number;
  /** A validation loss above this counts as divergence (absolute threshold; default none). */
  readonly divergeAbove?: number;
  /**
   * Explosion guard: a validation loss above `divergeFactor` × the epoch-0 validation loss counts as divergence
   * (default 1e8; `Infinity` turns it off; ignored when the epoch-0 loss is 0).
   */
  readonly divergeFactor?: number;
  /** Compute eig(W) after each epoch for the diagnostics (default false). */
  readonly eigenvalues?: boolean;
  /** Called after every epoch (also epoch 0) with its record. */
  readonly onEpoch?: (r: EpochRecord) => void;
  /** Backend every gradient, loss and eigenvalue computation runs on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Where and why a run diverged. */
export interface Divergence {
  readonly epoch: number;
  readonly update: number;
  readonly reason: string;
}

/** Result of {@link train}. */
export interface TrainResult {
  readonly status: 'converged' | 'completed' | 'diverged';
  /** Epochs completed (the diverging epoch is not counted). */
  readonly epochs: number;
  readonly history: readonly EpochRecord[];
  /** Final parameters (the last finite ones when diverged). */
  readonly params: RnnParams;
  readonly divergence?: Divergence;
}

/** A block of parameters or updates: matrices, or the bias vector (Vec or CVec). */
type AnyBlock = AnyMat | Vec | CVec;

/** Real and imaginary arrays of a block (im null for a real one). */
function blockParts(m: AnyBlock): [Float64Array, Float64Array | null] {
  if (m instanceof Float64Array) return [m, null];
  if ('data' in m) return [m.data, null];
  return [m.re, m.im];
}

/** Leaves of the free blocks in the order W, U, b, V: 'W' (real) or 'W.re', 'W.im' (complex); the bias 'b' or 'b.re', 'b.im'. */
export function paramLeaves(p: RnnParams | BlockUpdates, freeze: Freeze | undefined, sign = 1): Record<string, Float64Array> {
  checkObject('paramLeaves', 'p', p, 'an object {W, U, V} of matrices, with an optional bias b (or {dW, dU, dV, db?})');
  if (freeze !== undefined) checkObject('paramLeaves', 'freeze', freeze, 'an object {W?, U?, b?, V?} of booleans');
  const out: Record<string, Float64Array> = {};
  for (const b of BLOCK_NAMES) {
    if (freeze?.[b]) continue;
    const m = ((p as Record<string, AnyBlock | undefined>)[b] ?? (p as Record<string, AnyBlock | undefined>)[`d${b}`]);
    if (m === undefined) continue;
    const f = (a: Float64Array): Float64Array => (sign === 1 ? a : a.map((v) => sign * v));
    const [re, im] = blockParts(m);
    if (im !== null) { out[`${b}.re`] = f(re); out[`${b}.im`] = f(im); } else out[b] = f(re);
  }
  return out;
}

/** New parameters from leaves; blocks without leaves are the same objects as in `p`. */
function fromLeaves(p: RnnParams, leaves: Leaves): RnnParams {
  const pick = (b: 'W' | 'U' | 'V'): AnyMat => {
    const m = p[b];
    if (isCMat(m)) {
      const re = leaves[`${b}.re`], im = leaves[`${b}.im`];
      return re && im ? cmat(m.rows, m.cols, re, im) : m;
    }
    const d = leaves[b];
    return d ? mat(m.rows, m.cols, d) : m;
  };
  const out: { W: AnyMat; U: AnyMat; V: AnyMat; b?: Vec | CVec } = { W: pick('W'), U: pick('U'), V: pick('V') };
  const bias = p.b as Vec | CVec | undefined;
  if (bias !== undefined) {
    if (bias instanceof Float64Array) out.b = leaves['b'] ?? bias;
    else {
      const re = leaves['b.re'], im = leaves['b.im'];
      out.b = re && im ? { re, im } : bias;
    }
  }
  return out as RnnParams;
}

function allFinite(l: Leaves): boolean {
  for (const a of Object.values(l)) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

function sliceBatch(b: AnySeqBatch, idx: Int32Array, from: number, to: number): AnySeqBatch {
  const len = b.steps * b.dim, count = to - from;
  if (isCSeqBatch(b)) {
    const re = new Float64Array(count * len), im = new Float64Array(count * len);
    for (let k = 0; k < count; k++) {
      const s = idx[from + k]! * len;
      re.set(b.re.subarray(s, s + len), k * len);
      im.set(b.im.subarray(s, s + len), k * len);
    }
    return { batch: count, steps: b.steps, dim: b.dim, re, im };
  }
  const data = new Float64Array(count * len);
  for (let k = 0; k < count; k++) {
    const s = idx[from + k]! * len;
    data.set(b.data.subarray(s, s + len), k * len);
  }
  return { batch: count, steps: b.steps, dim: b.dim, data };
}

function posInt(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InputError(field, `train: ${field} = ${describeValue(v)}: must be an integer >= 1`);
  return v;
}

/**
 * Trains `params` on `trainSet` with `opts.rule` and `opts.optimizer` for up to `opts.epochs` epochs of
 * mini-batches of `opts.batchSize` sequences (the last one may be smaller), reshuffled each epoch from
 * `rng.child('shuffle')`. Deterministic given the rng. See the module header for divergence handling.
 */
export function train(params: RnnParams, trainSet: DataSplit, valSet: DataSplit, opts: TrainOptions, rng: Rng): TrainResult {
  checkLearningParams('train', params, typeof opts === 'object' && opts !== null ? opts : undefined);
  checkObject('train', 'trainSet', trainSet, 'a data split {x, y}');
  checkObject('train', 'valSet', valSet, 'a data split {x, y}');
  checkObject('train', 'opts', opts, 'training options {epochs, batchSize, rule, optimizer, ...}');
  checkRng('train', 'rng', rng);
  const epochs = posInt('epochs', opts.epochs);
  const batchSize = posInt('batchSize', opts.batchSize);
  if (typeof opts?.rule !== 'object' || opts.rule === null) throw new InputError('rule', `train: rule = ${describeValue(opts?.rule)}: expected a rule spec object such as {name: "bptt"} or a rule from createRule`);
  if (typeof opts.optimizer !== 'object' || opts.optimizer === null) throw new InputError('optimizer', `train: optimizer = ${describeValue(opts.optimizer)}: expected an optimizer spec such as {name: "adam", lr: 1e-3} or an optimizer from createOptimizer`);
  const rule = 'init' in opts.rule ? opts.rule : createRule(opts.rule);
  const optimizer = 'update' in opts.optimizer ? opts.optimizer : createOptimizer(opts.optimizer);
  const loss = opts.loss ?? 'terminal';
  const lopts = {
    loss, ...(opts.activation !== undefined && { activation: opts.activation }),
    ...(opts.leakRate !== undefined && { leakRate: opts.leakRate }),
    ...(opts.readoutFeatures !== undefined && { readoutFeatures: opts.readoutFeatures }),
    ...(opts.backend !== undefined && { backend: opts.backend }),
  };
  const divergeAbove = opts.divergeAbove ?? Infinity;
  const divergeFactor = opts.divergeFactor ?? 1e8;
  if (typeof divergeFactor !== 'number' || !(divergeFactor > 1)) throw new InputError('divergeFactor', `train: divergeFactor = ${describeValue(divergeFactor)}: must be a number > 1 (or Infinity)`);
  if (trainSet.x.batch !== trainSet.y.batch) throw new InputError('trainSet', `train: trainSet has ${trainSet.x.batch} inputs but ${trainSet.y.batch} targets`);
  const shuffle = rng.child('shuffle');
  const history: EpochRecord[] = [];
  const eigW = (p: RnnParams): CVec | undefined => (opts.eigenvalues ? eig(p.W, lopts.backend === undefined ? {} : { backend: lopts.backend }).values : undefined);
  const record = (r: EpochRecord): void => { history.push(r); opts.onEpoch?.(r); };

  let cur = params;
  const val0 = evaluateLoss(cur, valSet.x, valSet.y, lopts);
  const train0 = evaluateLoss(cur, trainSet.x, trainSet.y, lopts);
  const ev0 = eigW(cur);
  if (!Number.isFinite(val0) || !Number.isFinite(train0)) {
    return { status: 'diverged', epochs: 0, history, params: cur, divergence: { epoch: 0, update: 0, reason: 'initial loss is not finite' } };
  }
  record({ epoch: 0, updates: 0, trainLoss: train0, valLoss: val0, gradNorm: {}, ...(ev0 && { eigenvalues: ev0 }) });
  if (opts.targetLoss !== undefined && val0 <= opts.targetLoss) return { status: 'converged', epochs: 0, history, params: cur };

  let state = optimizer.init(paramLeaves(cur, opts.freeze));
  let updates = 0;
  const count = trainSet.x.batch;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const idx = shuffle.permutation(count);
    let lossSum = 0, nb = 0;
    const normSum: Partial<Record<BlockName, number>> = {};
    for (let s = 0; s < count; s += batchSize) {
      const e = Math.min(count, s + batchSize);
      const u = computeUpdate(rule, cur, sliceBatch(trainSet.x, idx, s, e), sliceBatch(trainSet.y, idx, s, e),
        { ...lopts, eta: 1, ...(opts.freeze !== undefined && { freeze: opts.freeze }) });
      const g = paramLeaves(u, opts.freeze, -1);
      const diverged = (reason: string): TrainResult => ({
        status: 'diverged', epochs: epoch - 1, history, params: cur, divergence: { epoch, update: updates + 1, reason },
      });
      if (!Number.isFinite(u.loss)) return diverged(`mini-batch loss is ${u.loss}`);
      if (!allFinite(g)) return diverged('the update has a non-finite entry');
      const curLeaves = paramLeaves(cur, opts.freeze);
      const step = optimizer.update(g, state, curLeaves);
      const next: Record<string, Float64Array> = {};
      for (const [k, a] of Object.entries(curLeaves)) {
        const d = step.updates[k]!;
        const r = new Float64Array(a.length);
        for (let i = 0; i < a.length; i++) r[i] = a[i]! + d[i]!;
        next[k] = r;
      }
      if (!allFinite(next)) return diverged('a parameter became non-finite');
      state = step.state;
      cur = fromLeaves(cur, next);
      updates++;
      lossSum += u.loss;
      nb++;
      for (const b of BLOCK_NAMES) {
        const m = u[`d${b}`] as AnyBlock | undefined;
        if (m === undefined) continue;
        let ss = 0;
        const [re, im] = blockParts(m);
        for (const a of im === null ? [re] : [re, im]) for (let i = 0; i < a.length; i++) ss += a[i]! * a[i]!;
        normSum[b] = (normSum[b] ?? 0) + Math.sqrt(ss);
      }
    }
    const valLoss = evaluateLoss(cur, valSet.x, valSet.y, lopts);
    if (!Number.isFinite(valLoss)) {
      return { status: 'diverged', epochs: epoch - 1, history, params: cur, divergence: { epoch, update: updates, reason: `validation loss is ${valLoss}` } };
    }
    const gradNorm: Partial<Record<BlockName, number>> = {};
    for (const b of BLOCK_NAMES) if (normSum[b] !== undefined) gradNorm[b] = normSum[b]! / nb;
    const ev = eigW(cur);
    record({ epoch, updates, trainLoss: lossSum / nb, valLoss, gradNorm, ...(ev && { eigenvalues: ev }) });
    if (valLoss > divergeAbove) {
      return { status: 'diverged', epochs: epoch, history, params: cur, divergence: { epoch, update: updates, reason: `validation loss ${valLoss} > divergeAbove = ${divergeAbove}` } };
    }
    if (val0 > 0 && valLoss > divergeFactor * val0) {
      return { status: 'diverged', epochs: epoch, history, params: cur, divergence: { epoch, update: updates, reason: `validation loss ${valLoss} > divergeFactor × initial = ${divergeFactor} × ${val0} (explosion)` } };
    }
    if (opts.targetLoss !== undefined && valLoss <= opts.targetLoss) return { status: 'converged', epochs: epoch, history, params: cur };
  }
  return { status: 'completed', epochs, history, params: cur };
}
