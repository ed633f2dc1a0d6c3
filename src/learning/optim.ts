// Optimizers in the Equinox/optax style: `{init, update}` returning NEW state; they turn a gradient-like direction into updates.
//
// Parameters and gradients are "leaves": named Float64Arrays (a complex block is two real leaves, re and
// im; with the convention G = ∂L/∂Re θ + i ∂L/∂Im θ this is plain real optimisation of the split).
// For a learning rule, the gradient-like direction is g = −Δθ/η (docs/theory/learning-rules.md §7.2).
// Order inside `update`: global-norm clipping of g (if clipNorm), then L2 weight decay g += wd·θ
// (coupled; Adam with `decoupled: true` applies it AdamW-style to the update instead), then the method:
//   SGD:        u = −lr·g
//   momentum:   v ← β v + g,  u = −lr·v          (heavy ball, PyTorch convention)
//   Adam:       m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², u = −lr·m̂/(√v̂ + ε), m̂ = m/(1−β1^k), v̂ = v/(1−β2^k)
//               (Kingma & Ba 2015, arXiv:1412.6980; k = 1, 2, … the step count).
// Updates are ADDED to the parameters (`applyUpdates`).
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import { checkLeaves, checkObject } from '../core/guards.js';

/** Named real arrays (parameters, gradients, updates). */
export type Leaves = Readonly<Record<string, Float64Array>>;

/** An optimizer: pure in its state (update returns a fresh state; inputs are not modified). */
export interface Optimizer<S = unknown> {
  readonly name: string;
  init(params: Leaves): S;
  update(grads: Leaves, state: S, params: Leaves): { readonly updates: Leaves; readonly state: S };
}

/** Options common to every optimizer. */
export interface OptimizerCommon {
  /** Learning rate (> 0). */
  readonly lr: number;
  /** L2 weight decay (≥ 0, default 0). */
  readonly weightDecay?: number;
  /** Global gradient-norm clipping threshold (> 0); absent = no clipping. */
  readonly clipNorm?: number;
}

/** Optimizer by name with its options (the form used in configs). */
export type OptimizerSpec =
  | ({ readonly name: 'sgd' } & OptimizerCommon)
  | ({ readonly name: 'momentum'; readonly beta?: number } & OptimizerCommon)
  | ({ readonly name: 'adam'; readonly beta1?: number; readonly beta2?: number; readonly eps?: number; readonly decoupled?: boolean } & OptimizerCommon);

/** Euclidean norm over all leaves. */
export function globalNorm(g: Leaves): number {
  checkLeaves('globalNorm', 'g', g);
  let s = 0;
  for (const a of Object.values(g)) for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}

/** g scaled by min(1, maxNorm/‖g‖) (fresh arrays), and the norm before clipping. */
export function clipByGlobalNorm(g: Leaves, maxNorm: number): { grads: Leaves; norm: number } {
  checkLeaves('clipByGlobalNorm', 'g', g);
  positive('clipByGlobalNorm', 'maxNorm', maxNorm);
  const norm = globalNorm(g);
  const f = norm > maxNorm ? maxNorm / norm : 1;
  const out: Record<string, Float64Array> = {};
  for (const [k, a] of Object.entries(g)) out[k] = f === 1 ? Float64Array.from(a) : a.map((v) => v * f);
  return { grads: out, norm };
}

/** params + updates, as fresh arrays for the updated leaves; leaves without an update are kept as is. */
export function applyUpdates(params: Leaves, updates: Leaves): Record<string, Float64Array> {
  checkLeaves('applyUpdates', 'params', params);
  checkLeaves('applyUpdates', 'updates', updates);
  for (const [k, u] of Object.entries(updates)) {
    const q = params[k];
    if (q !== undefined && q.length !== u.length) throw new ShapeError(k, `applyUpdates: update "${k}" has length ${u.length}, the parameter has ${q.length}`);
  }
  const out: Record<string, Float64Array> = { ...params };
  for (const [k, u] of Object.entries(updates)) {
    const p = params[k];
    if (p === undefined) throw new InputError(k, `applyUpdates: update for unknown leaf "${k}"`);
    const r = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) r[i] = p[i]! + u[i]!;
    out[k] = r;
  }
  return out;
}

function positive(where: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InputError(field, `${where}: ${field} = ${describeValue(v)}: must be a finite number > 0`);
  return v;
}

function inUnit(where: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new InputError(field, `${where}: ${field} = ${describeValue(v)}: must be a number in [0, 1)`);
  return v;
}

function common(where: string, o: OptimizerCommon): { lr: number; wd: number; clip: number | null } {
  checkObject(where, 'options', o, 'an object {lr, weightDecay?, clipNorm?, ...}');
  const lr = positive(where, 'lr', o.lr);
  const wd = o.weightDecay ?? 0;
  if (typeof wd !== 'number' || !(wd >= 0) || !Number.isFinite(wd)) throw new InputError('weightDecay', `${where}: weightDecay = ${describeValue(wd)}: must be a finite number >= 0`);
  const clip = o.clipNorm === undefined ? null : positive(where, 'clipNorm', o.clipNorm);
  return { lr, wd, clip };
}

/** Clipping then coupled weight decay: the direction the method sees (fresh arrays). */
function preprocess(g: Leaves, params: Leaves, clip: number | null, wd: number): Record<string, Float64Array> {
  const c = clip === null ? g : clipByGlobalNorm(g, clip).grads;
  const out: Record<string, Float64Array> = {};
  for (const [k, a] of Object.entries(c)) {
    const p = params[k];
    if (p === undefined) throw new InputError(k, `optimizer: gradient for unknown leaf "${k}"`);
    const r = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) r[i] = a[i]! + wd * p[i]!;
    out[k] = r;
  }
  return out;
}

/** Plain SGD: u = −lr·g. */
export function sgd(o: OptimizerCommon): Optimizer<{ readonly step: number }> {
  const { lr, wd, clip } = common('sgd', o);
  return {
    name: 'sgd',
    init: () => ({ step: 0 }),
    update: (grads, state, params) => {
      const g = preprocess(grads, params, clip, wd);
      const updates: Record<string, Float64Array> = {};
      for (const [k, a] of Object.entries(g)) updates[k] = a.map((v) => -lr * v);
      return { updates, state: { step: state.step + 1 } };
    },
  };
}

/** Heavy-ball momentum: v ← β v + g, u = −lr·v (β default 0.9). */
export function momentum(o: OptimizerCommon & { readonly beta?: number }): Optimizer<{ readonly step: number; readonly v: Leaves }> {
  const { lr, wd, clip } = common('momentum', o);
  const beta = inUnit('momentum', 'beta', o.beta ?? 0.9);
  return {
    name: 'momentum',
    init: (params) => ({ step: 0, v: Object.fromEntries(Object.entries(params).map(([k, a]) => [k, new Float64Array(a.length)])) }),
    update: (grads, state, params) => {
      const g = preprocess(grads, params, clip, wd);
      const v: Record<string, Float64Array> = { ...state.v };
      const updates: Record<string, Float64Array> = {};
      for (const [k, a] of Object.entries(g)) {
        const old = state.v[k] ?? new Float64Array(a.length);
        const nv = new Float64Array(a.length);
        for (let i = 0; i < a.length; i++) nv[i] = beta * old[i]! + a[i]!;
        v[k] = nv;
        updates[k] = nv.map((x) => -lr * x);
      }
      return { updates, state: { step: state.step + 1, v } };
    },
  };
}

/** Adam (β1 0.9, β2 0.999, ε 1e-8 by default); `decoupled` = AdamW weight decay. */
export function adam(o: OptimizerCommon & { readonly beta1?: number; readonly beta2?: number; readonly eps?: number; readonly decoupled?: boolean }):
  Optimizer<{ readonly step: number; readonly m: Leaves; readonly v: Leaves }> {
  const { lr, wd, clip } = common('adam', o);
  const b1 = inUnit('adam', 'beta1', o.beta1 ?? 0.9);
  const b2 = inUnit('adam', 'beta2', o.beta2 ?? 0.999);
  const eps = positive('adam', 'eps', o.eps ?? 1e-8);
  const decoupled = o.decoupled ?? false;
  const zeros = (params: Leaves): Leaves => Object.fromEntries(Object.entries(params).map(([k, a]) => [k, new Float64Array(a.length)]));
  return {
    name: 'adam',
    init: (params) => ({ step: 0, m: zeros(params), v: zeros(params) }),
    update: (grads, state, params) => {
      const g = preprocess(grads, params, clip, decoupled ? 0 : wd);
      const step = state.step + 1;
      const c1 = 1 - b1 ** step, c2 = 1 - b2 ** step;
      const m: Record<string, Float64Array> = { ...state.m }, v: Record<string, Float64Array> = { ...state.v };
      const updates: Record<string, Float64Array> = {};
      for (const [k, a] of Object.entries(g)) {
        const om = state.m[k] ?? new Float64Array(a.length), ov = state.v[k] ?? new Float64Array(a.length);
        const nm = new Float64Array(a.length), nv = new Float64Array(a.length), u = new Float64Array(a.length);
        const p = params[k]!;
        for (let i = 0; i < a.length; i++) {
          nm[i] = b1 * om[i]! + (1 - b1) * a[i]!;
          nv[i] = b2 * ov[i]! + (1 - b2) * a[i]! * a[i]!;
          u[i] = -lr * (nm[i]! / c1) / (Math.sqrt(nv[i]! / c2) + eps) - (decoupled ? lr * wd * p[i]! : 0);
        }
        m[k] = nm;
        v[k] = nv;
        updates[k] = u;
      }
      return { updates, state: { step, m, v } };
    },
  };
}

/** Optimizer from its spec (validated; errors name the field). */
export function createOptimizer(spec: OptimizerSpec): Optimizer {
  checkObject('optimizer', 'spec', spec, 'an object {name, lr, ...}');
  switch (spec.name) {
    case 'sgd': return sgd(spec) as Optimizer;
    case 'momentum': return momentum(spec) as Optimizer;
    case 'adam': return adam(spec) as Optimizer;
    default:
      throw new InputError('optimizer', `optimizer = ${describeValue((spec as { name?: unknown }).name)}: must be one of "sgd", "momentum", "adam"`);
  }
}
