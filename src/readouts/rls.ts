// Recursive least squares readout (exponentially weighted), online {init, update} and a batch runner, real and complex.
//
// Update per step (the backend's readout family, `rls`): ŷ = W h (a-priori), k = P h / (μ + hᴴ P h), W += (y − ŷ) kᴴ,
// P = (P − k hᴴ P)/μ, with forgetting factor μ in (0, 1] and P_0 = I/δ, W_0 = 0 (Haykin, Adaptive Filter
// Theory, 5th ed., §10.3, Table 10.1). With μ = 1 the weights after T steps are exactly the ridge solution
// with λ = δ on those T rows (P_T⁻¹ = δI + HᴴH), so RLS is the online form of src/readouts/ridge.ts; with μ < 1,
// P_T⁻¹ = μ^T δ I + Σ_t μ^{T−t} h_t h_tᴴ (old rows and the initial regularisation fade geometrically).
import { InputError, NumericalError, ShapeError, describeValue } from '../core/errors.js';
import { cmat, mat, type CMat, type CVec, type Mat, type Vec } from '../core/types.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import { lsqPair } from './ridge.js';

/**
 * An online readout: `init` builds the state, `update` consumes one (h, y) pair, updates the state in place
 * and returns the a-priori prediction ŷ = W h (written into `out` when given, so a loop allocates nothing),
 * `weights` returns a copy of W_out (O×N).
 */
export interface OnlineReadout<S, V, M, O> {
  readonly kind: 'rls' | 'lms';
  init(n: number, o: number, opts?: O): S;
  update(state: S, h: V, y: V, out?: V): V;
  weights(state: S): M;
}

/** RLS options: forgetting factor μ in (0, 1] (default 1) and P_0 = I/delta with delta > 0 (default 1e-2). */
export interface RlsOptions {
  readonly forgetting?: number;
  readonly delta?: number;
  /** Backend the updates run on (default: {@link defaultBackend}); an online state keeps the one of its init. */
  readonly backend?: Backend;
}

/** Real RLS state (mutated in place by update). W O×N, P N×N. */
export interface RlsState {
  readonly n: number;
  readonly o: number;
  readonly forgetting: number;
  readonly W: Mat;
  readonly P: Mat;
  /** Kernel scratch (2N). */
  readonly work: Float64Array;
  /** Backend the updates run on. */
  readonly backend: Backend;
  /** Number of updates so far. */
  steps: number;
}

/** Complex RLS state (Hermitian P). */
export interface ComplexRlsState {
  readonly n: number;
  readonly o: number;
  readonly forgetting: number;
  readonly W: CMat;
  readonly P: CMat;
  readonly work: Float64Array;
  readonly backend: Backend;
  steps: number;
}

function options(opts: RlsOptions | undefined): { forgetting: number; delta: number; backend: Backend } {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new InputError('opts', `rls: opts = ${describeValue(opts)}: must be an object or omitted`);
  const forgetting = opts?.forgetting ?? 1, delta = opts?.delta ?? 1e-2;
  if (typeof forgetting !== 'number' || !(forgetting > 0 && forgetting <= 1)) throw new InputError('forgetting', `rls: forgetting = ${describeValue(forgetting)}: must be a number in (0, 1]`);
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) throw new InputError('delta', `rls: delta = ${describeValue(delta)}: must be a finite number > 0`);
  return { forgetting, delta, backend: resolveBackend('rls', opts?.backend) };
}

function dims(n: number, o: number): void {
  if (!Number.isInteger(n) || n < 1) throw new InputError('n', `rls: n = ${describeValue(n)}: must be an integer >= 1 (state size)`);
  if (!Number.isInteger(o) || o < 1) throw new InputError('o', `rls: o = ${describeValue(o)}: must be an integer >= 1 (output size)`);
}

function checkVec(field: string, v: Float64Array, len: number): void {
  if (!(v instanceof Float64Array)) throw new InputError(field, `rls: ${field} = ${describeValue(v)}: must be a Float64Array of length ${len}`);
  if (v.length !== len) throw new ShapeError(field, `rls: ${field} has length ${v.length}, expected ${len}`);
  for (let i = 0; i < len; i++) if (!Number.isFinite(v[i]!)) throw new InputError(field, `rls: ${field}[${i}] = ${describeValue(v[i])}: must be finite`);
}

function diverged(steps: number, forgetting: number): never {
  throw new NumericalError(`rls: diverged at step ${steps} (non-finite prediction or weights) with forgetting = ${forgetting}; ` +
    'inputs may be poorly excited for this forgetting factor (try forgetting = 1 or a larger delta)');
}

/** Online real RLS. */
export const rls: OnlineReadout<RlsState, Vec, Mat, RlsOptions> = {
  kind: 'rls',
  init(n, o, opts) {
    dims(n, o);
    const { forgetting, delta, backend } = options(opts);
    const P = mat(n, n);
    for (let i = 0; i < n; i++) P.data[i * n + i] = 1 / delta;
    return { n, o, forgetting, W: mat(o, n), P, work: new Float64Array(2 * n), backend, steps: 0 };
  },
  update(s, h, y, out) {
    checkVec('h', h, s.n);
    checkVec('y', y, s.o);
    const pred = out ?? new Float64Array(s.o);
    if (pred.length !== s.o) throw new ShapeError('out', `rls: out has length ${pred.length}, expected ${s.o}`);
    s.backend.readout.rls(s.n, s.o, 1, h, y, s.forgetting, s.P.data, s.W.data, pred, s.work);
    s.steps++;
    for (let j = 0; j < s.o; j++) if (!Number.isFinite(pred[j]!)) diverged(s.steps, s.forgetting);
    return pred;
  },
  weights(s) {
    return mat(s.o, s.n, Float64Array.from(s.W.data));
  },
};

function checkCVec(field: string, v: CVec | Vec, len: number): void {
  const ok = !(v instanceof Float64Array) && v?.re instanceof Float64Array && v.im instanceof Float64Array;
  if (!ok) throw new InputError(field, `rls: ${field} = ${describeValue(v)}: must be a CVec {re, im} of length ${len}`);
  checkVec(`${field}.re`, v.re, len);
  checkVec(`${field}.im`, v.im, len);
}

/** Online complex RLS (W += e kᴴ, Hermitian P). */
export const complexRls: OnlineReadout<ComplexRlsState, CVec, CMat, RlsOptions> = {
  kind: 'rls',
  init(n, o, opts) {
    dims(n, o);
    const { forgetting, delta, backend } = options(opts);
    const P = cmat(n, n);
    for (let i = 0; i < n; i++) P.re[i * n + i] = 1 / delta;
    return { n, o, forgetting, W: cmat(o, n), P, work: new Float64Array(4 * n), backend, steps: 0 };
  },
  update(s, h, y, out) {
    checkCVec('h', h, s.n);
    checkCVec('y', y, s.o);
    const pred = out ?? { re: new Float64Array(s.o), im: new Float64Array(s.o) };
    if (pred.re.length !== s.o || pred.im.length !== s.o) throw new ShapeError('out', `rls: out has length ${pred.re.length}, expected ${s.o}`);
    s.backend.readout.rlsComplex(s.n, s.o, 1, h.re, h.im, y.re, y.im, s.forgetting, s.P.re, s.P.im, s.W.re, s.W.im, pred.re, pred.im, s.work);
    s.steps++;
    for (let j = 0; j < s.o; j++) if (!Number.isFinite(pred.re[j]!) || !Number.isFinite(pred.im[j]!)) diverged(s.steps, s.forgetting);
    return pred;
  },
  weights(s) {
    return cmat(s.o, s.n, Float64Array.from(s.W.re), Float64Array.from(s.W.im));
  },
};

/** Result of {@link runRls}: final W_out (O×N) and the a-priori predictions (T×O, row t before the update with row t). */
export interface RlsRun { readonly Wout: Mat; readonly predictions: Mat }
/** Complex {@link RlsRun}. */
export interface CRlsRun { readonly Wout: CMat; readonly predictions: CMat }

/**
 * Runs RLS over the rows of H (T×N) and Y (T×O) from W_0 = 0, P_0 = I/delta (complex when either is complex).
 * With forgetting = 1 the final W_out equals fitRidge(H, Y, {lambda: delta}) up to rounding.
 * Throws NumericalError if the run diverges (non-finite weights).
 */
export function runRls(H: Mat, Y: Mat, opts?: RlsOptions): RlsRun;
export function runRls(H: Mat | CMat, Y: Mat | CMat, opts?: RlsOptions): RlsRun | CRlsRun;
export function runRls(H: Mat | CMat, Y: Mat | CMat, opts?: RlsOptions): RlsRun | CRlsRun {
  const { h, y } = lsqPair('rls', H, Y, 0);
  if ('batch' in H || 'batch' in Y) throw new InputError('H', 'rls: runRls takes T×N and T×O matrices (Mat or CMat), not sequence batches');
  const { forgetting, delta, backend } = options(opts);
  const n = h.dim, o = y.dim, T = h.steps;
  const K = backend.readout;
  if (h.im === null && y.im === null) {
    const s = rls.init(n, o, { forgetting, delta, backend });
    const pred = mat(T, o);
    K.rls(n, o, T, h.re, y.re, forgetting, s.P.data, s.W.data, pred.data, s.work);
    for (let k = 0; k < s.W.data.length; k++) if (!Number.isFinite(s.W.data[k]!)) diverged(T, forgetting);
    return { Wout: s.W, predictions: pred };
  }
  const s = complexRls.init(n, o, { forgetting, delta, backend });
  const pred = cmat(T, o);
  const hIm = h.im ?? new Float64Array(h.re.length), yIm = y.im ?? new Float64Array(y.re.length);
  K.rlsComplex(n, o, T, h.re, hIm, y.re, yIm, forgetting, s.P.re, s.P.im, s.W.re, s.W.im, pred.re, pred.im, s.work);
  for (let k = 0; k < s.W.re.length; k++) if (!Number.isFinite(s.W.re[k]!) || !Number.isFinite(s.W.im[k]!)) diverged(T, forgetting);
  return { Wout: s.W, predictions: pred };
}
