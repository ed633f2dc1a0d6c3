// Least-mean-squares readout (plain and normalised), online {init, update} and a batch runner, real and complex.
//
// Update per step (Widrow–Hoff; Haykin, Adaptive Filter Theory, 5th ed., §6.2 and §7.1 for NLMS):
//   ŷ = W h (a-priori), e = y − ŷ, W += μ e hᴴ            (LMS; hᴴ = hᵀ for real data)
//   W += μ e hᴴ / (ε + ‖h‖²)                                (normalised LMS, stable for 0 < μ < 2)
// from W_0 = 0. LMS is stable in the mean for 0 < μ < 2/λ_max(E[h hᴴ]); a divergent run raises NumericalError.
import { InputError, NumericalError, ShapeError, describeValue } from '../core/errors.js';
import { cmat, mat, type CMat, type CVec, type Mat, type Vec } from '../core/types.js';
import type { OnlineReadout } from './rls.js';
import { lsqPair } from './ridge.js';

/** LMS options: step size mu (required, > 0), normalised update (default false) and its ε (default 1e-8). */
export interface LmsOptions {
  readonly mu: number;
  readonly normalized?: boolean;
  readonly eps?: number;
}

/** Real LMS state (mutated in place by update). W O×N. */
export interface LmsState {
  readonly n: number;
  readonly o: number;
  readonly mu: number;
  readonly normalized: boolean;
  readonly eps: number;
  readonly W: Mat;
  steps: number;
}

/** Complex LMS state. */
export interface ComplexLmsState {
  readonly n: number;
  readonly o: number;
  readonly mu: number;
  readonly normalized: boolean;
  readonly eps: number;
  readonly W: CMat;
  steps: number;
}

function options(opts: LmsOptions | undefined): { mu: number; normalized: boolean; eps: number } {
  if (typeof opts !== 'object' || opts === null) throw new InputError('mu', `lms: mu = undefined: give {mu} with mu > 0`);
  const { mu, normalized = false, eps = 1e-8 } = opts;
  if (typeof mu !== 'number' || !(mu > 0) || !Number.isFinite(mu)) throw new InputError('mu', `lms: mu = ${describeValue(mu)}: must be a finite number > 0`);
  if (typeof normalized !== 'boolean') throw new InputError('normalized', `lms: normalized = ${describeValue(normalized)}: must be true or false`);
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps)) throw new InputError('eps', `lms: eps = ${describeValue(eps)}: must be a finite number >= 0`);
  return { mu, normalized, eps };
}

function dims(n: number, o: number): void {
  if (!Number.isInteger(n) || n < 1) throw new InputError('n', `lms: n = ${describeValue(n)}: must be an integer >= 1 (state size)`);
  if (!Number.isInteger(o) || o < 1) throw new InputError('o', `lms: o = ${describeValue(o)}: must be an integer >= 1 (output size)`);
}

function checkVec(field: string, v: Float64Array, len: number): void {
  if (!(v instanceof Float64Array)) throw new InputError(field, `lms: ${field} = ${describeValue(v)}: must be a Float64Array of length ${len}`);
  if (v.length !== len) throw new ShapeError(field, `lms: ${field} has length ${v.length}, expected ${len}`);
  for (let i = 0; i < len; i++) if (!Number.isFinite(v[i]!)) throw new InputError(field, `lms: ${field}[${i}] = ${describeValue(v[i])}: must be finite`);
}

function diverged(step: number, mu: number): never {
  throw new NumericalError(`lms: diverged at step ${step} (non-finite prediction) with mu = ${mu}; reduce mu (or use normalized: true with 0 < mu < 2)`);
}

/** Real LMS steps over rows r0..r1−1 of H (rows×n), Y (rows×o); a-priori predictions into pred rows 0..r1−r0−1. With ε = 0, an all-zero h skips the NLMS update. */
function lmsRows(s: LmsState, H: Float64Array, Y: Float64Array, pred: Float64Array, r0: number, r1: number): void {
  const { n, o, mu, normalized, eps } = s, W = s.W.data;
  for (let t = r0; t < r1; t++) {
    const ht = t * n, yt = t * o, pt = (t - r0) * o;
    let g = mu;
    if (normalized) {
      let nn = eps;
      for (let j = 0; j < n; j++) nn += H[ht + j]! * H[ht + j]!;
      g = nn > 0 ? mu / nn : 0;
    }
    for (let r = 0; r < o; r++) {
      const wr = r * n;
      let p = 0;
      for (let j = 0; j < n; j++) p += W[wr + j]! * H[ht + j]!;
      pred[pt + r] = p;
      if (!Number.isFinite(p)) diverged(s.steps + 1, mu);
      const ge = g * (Y[yt + r]! - p);
      for (let j = 0; j < n; j++) W[wr + j]! += ge * H[ht + j]!;
    }
    s.steps++;
  }
}

/** Complex LMS steps: W += g e hᴴ. */
function lmsRowsComplex(s: ComplexLmsState, Hr: Float64Array, Hi: Float64Array, Yr: Float64Array, Yi: Float64Array,
  pr: Float64Array, pi: Float64Array, r0: number, r1: number): void {
  const { n, o, mu, normalized, eps } = s, Wr = s.W.re, Wi = s.W.im;
  for (let t = r0; t < r1; t++) {
    const ht = t * n, yt = t * o, pt = (t - r0) * o;
    let g = mu;
    if (normalized) {
      let nn = eps;
      for (let j = 0; j < n; j++) nn += Hr[ht + j]! * Hr[ht + j]! + Hi[ht + j]! * Hi[ht + j]!;
      g = nn > 0 ? mu / nn : 0;
    }
    for (let r = 0; r < o; r++) {
      const wr = r * n;
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) {
        const a = Wr[wr + j]!, b = Wi[wr + j]!, c = Hr[ht + j]!, d = Hi[ht + j]!;
        sr += a * c - b * d;
        si += a * d + b * c;
      }
      pr[pt + r] = sr;
      pi[pt + r] = si;
      if (!Number.isFinite(sr) || !Number.isFinite(si)) diverged(s.steps + 1, mu);
      const er = g * (Yr[yt + r]! - sr), ei = g * (Yi[yt + r]! - si);
      // W += (g e) conj(h)ᵀ
      for (let j = 0; j < n; j++) {
        const c = Hr[ht + j]!, d = -Hi[ht + j]!;
        Wr[wr + j]! += er * c - ei * d;
        Wi[wr + j]! += er * d + ei * c;
      }
    }
    s.steps++;
  }
}

/** Online real LMS / NLMS. `init` needs {mu}. */
export const lms: OnlineReadout<LmsState, Vec, Mat, LmsOptions> = {
  kind: 'lms',
  init(n, o, opts) {
    dims(n, o);
    return { n, o, ...options(opts), W: mat(o, n), steps: 0 };
  },
  update(s, h, y, out) {
    checkVec('h', h, s.n);
    checkVec('y', y, s.o);
    const pred = out ?? new Float64Array(s.o);
    if (pred.length !== s.o) throw new ShapeError('out', `lms: out has length ${pred.length}, expected ${s.o}`);
    lmsRows(s, h, y, pred, 0, 1);
    return pred;
  },
  weights(s) {
    return mat(s.o, s.n, Float64Array.from(s.W.data));
  },
};

function checkCVec(field: string, v: CVec, len: number): void {
  const ok = !(v instanceof Float64Array) && v?.re instanceof Float64Array && v.im instanceof Float64Array;
  if (!ok) throw new InputError(field, `lms: ${field} = ${describeValue(v)}: must be a CVec {re, im} of length ${len}`);
  checkVec(`${field}.re`, v.re, len);
  checkVec(`${field}.im`, v.im, len);
}

/** Online complex LMS / NLMS (W += μ e hᴴ). */
export const complexLms: OnlineReadout<ComplexLmsState, CVec, CMat, LmsOptions> = {
  kind: 'lms',
  init(n, o, opts) {
    dims(n, o);
    return { n, o, ...options(opts), W: cmat(o, n), steps: 0 };
  },
  update(s, h, y, out) {
    checkCVec('h', h, s.n);
    checkCVec('y', y, s.o);
    const pred = out ?? { re: new Float64Array(s.o), im: new Float64Array(s.o) };
    if (pred.re.length !== s.o || pred.im.length !== s.o) throw new ShapeError('out', `lms: out has length ${pred.re.length}, expected ${s.o}`);
    lmsRowsComplex(s, h.re, h.im, y.re, y.im, pred.re, pred.im, 0, 1);
    return pred;
  },
  weights(s) {
    return cmat(s.o, s.n, Float64Array.from(s.W.re), Float64Array.from(s.W.im));
  },
};

/** Result of {@link runLms}: final W_out (O×N) and the a-priori predictions (T×O). */
export interface LmsRun { readonly Wout: Mat; readonly predictions: Mat }
/** Complex {@link LmsRun}. */
export interface CLmsRun { readonly Wout: CMat; readonly predictions: CMat }

/**
 * Runs (N)LMS over the rows of H (T×N) and Y (T×O) from W_0 = 0 (complex when either is complex).
 * Throws NumericalError when the run diverges.
 */
export function runLms(H: Mat, Y: Mat, opts: LmsOptions): LmsRun;
export function runLms(H: Mat | CMat, Y: Mat | CMat, opts: LmsOptions): LmsRun | CLmsRun;
export function runLms(H: Mat | CMat, Y: Mat | CMat, opts: LmsOptions): LmsRun | CLmsRun {
  const { h, y } = lsqPair('lms', H, Y, 0);
  if ('batch' in H || 'batch' in Y) throw new InputError('H', 'lms: runLms takes T×N and T×O matrices (Mat or CMat), not sequence batches');
  const n = h.dim, o = y.dim, T = h.steps;
  if (h.im === null && y.im === null) {
    const s = lms.init(n, o, opts);
    const pred = mat(T, o);
    lmsRows(s, h.re, y.re, pred.data, 0, T);
    return { Wout: s.W, predictions: pred };
  }
  const s = complexLms.init(n, o, opts);
  const pred = cmat(T, o);
  lmsRowsComplex(s, h.re, h.im ?? new Float64Array(h.re.length), y.re, y.im ?? new Float64Array(y.re.length), pred.re, pred.im, 0, T);
  return { Wout: s.W, predictions: pred };
}
