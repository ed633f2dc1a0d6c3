// ODE integrators for small autonomous or time-dependent systems (docs/theory/modes.md §6): classical RK4 and adaptive Dormand–Prince 5(4).
//
// Generic over the dimension; stage buffers are allocated once per call, so the stepping loop allocates nothing
// (saved states go into a buffer that doubles when full). Both methods keep the derivative at each step end
// (RK4 reuses it as the next step's first stage; Dormand–Prince is first-same-as-last), which gives the cubic
// Hermite interpolant on every step: events g(t, y) = 0 are located on it by bisection. Stop conditions, checked
// at every step end: a non-finite state (the step is discarded), a user predicate, an event, the step budget.
import { InputError, describeValue } from '../core/errors.js';

/** Right-hand side: writes dy/dt at (t, y) into `dydt` (never allocate here; y and dydt are distinct buffers). */
export type OdeRhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

/** Integration methods. */
export const ODE_METHODS = ['rk4', 'dopri5'] as const;
export type OdeMethod = (typeof ODE_METHODS)[number];

/** Options of {@link integrateOde}. */
export interface OdeOptions {
  /** 'rk4' (default, fixed step `dt`) or 'dopri5' (adaptive; `dt` is the first trial step, default estimated). */
  readonly method?: OdeMethod;
  /** Step (rk4, default 1e-2; the last step is shortened to land on tEnd) or first trial step (dopri5). */
  readonly dt?: number;
  /** Save every k-th step (rk4) or accepted step (dopri5), integer ≥ 1, default 1; t0 and the final point are always saved. */
  readonly saveEvery?: number;
  /** dopri5 tolerances: the error estimate e_i is accepted when RMS(e_i / (atol + rtol·max|y_i|)) ≤ 1 (defaults 1e-8, 1e-10). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Largest number of steps (accepted + rejected), default 10^7; reaching it stops with reason "maxSteps". */
  readonly maxSteps?: number;
  /** Step-end stop predicate: a non-null string stops the integration with that reason (after the step is saved). */
  readonly stop?: (t: number, y: Float64Array) => string | null;
  /** Event: stops where g changes sign, located on the step's Hermite interpolant to |Δt| ≤ tol (default 1e-12·max(1, |t|)). */
  readonly event?: { readonly g: (t: number, y: Float64Array) => number; readonly reason: string; readonly tol?: number };
}

/** Result of {@link integrateOde}. */
export interface OdeResult {
  /** Saved times (length n). */
  readonly t: Float64Array;
  /** Saved states, n × dim row-major. */
  readonly y: Float64Array;
  readonly dim: number;
  /** Accepted steps and rejected trial steps (dopri5 only). */
  readonly steps: number;
  readonly rejected: number;
  /** Why the integration ended before tEnd ({reason, t}), or null when it reached tEnd. */
  readonly stopped: { readonly reason: string; readonly t: number } | null;
}

/** Largest number of saved numbers (points × dim) of one integration (2^24 doubles = 128 MiB). */
export const MAX_SAVED_NUMBERS = 2 ** 24;

const where = 'integrateOde';

function num(field: string, v: unknown, min: number, exclusive: boolean, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || (exclusive ? v <= min : v < min)) {
    throw new InputError(field, `${where}: ${field} = ${describeValue(v)}: must be a finite number ${exclusive ? '>' : '>='} ${min}`);
  }
  return v;
}

/** Growable saved-state buffer. */
class Saver {
  t = new Float64Array(64);
  y: Float64Array;
  n = 0;
  constructor(readonly dim: number) { this.y = new Float64Array(64 * dim); }
  push(t: number, y: Float64Array): void {
    if (this.n === this.t.length) {
      if ((2 * this.n) * this.dim > MAX_SAVED_NUMBERS && (this.n + 1) * this.dim > MAX_SAVED_NUMBERS) {
        throw new InputError('saveEvery', `${where}: more than ${MAX_SAVED_NUMBERS} saved numbers (points × dim): increase saveEvery or shorten the interval`);
      }
      const t2 = new Float64Array(2 * this.n); t2.set(this.t); this.t = t2;
      const y2 = new Float64Array(2 * this.n * this.dim); y2.set(this.y); this.y = y2;
    }
    this.t[this.n] = t;
    this.y.set(y, this.n * this.dim);
    this.n++;
  }
  result(steps: number, rejected: number, stopped: OdeResult['stopped']): OdeResult {
    return { t: this.t.slice(0, this.n), y: this.y.slice(0, this.n * this.dim), dim: this.dim, steps, rejected, stopped };
  }
}

/** Cubic Hermite interpolant on [t0, t0 + h] at fraction θ into out. */
function hermite(theta: number, h: number, y0: Float64Array, f0: Float64Array, y1: Float64Array, f1: Float64Array, out: Float64Array): void {
  const t2 = theta * theta, t3 = t2 * theta;
  const h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + theta, h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
  for (let i = 0; i < y0.length; i++) out[i] = h00 * y0[i]! + h10 * h * f0[i]! + h01 * y1[i]! + h11 * h * f1[i]!;
}

function allFinite(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i]!)) return false;
  return true;
}

/**
 * Integrates dy/dt = f(t, y) from (t0, y0) to tEnd > t0 with classical RK4 (fixed step, default) or Dormand–Prince
 * 5(4) with error control (options above). Returns the saved points and, when it stopped early, why and when:
 * "non-finite state" (a step produced NaN/±Infinity; the last finite state is the final point), the stop
 * predicate's reason, the event's reason (at the located time, state from the Hermite interpolant), "maxSteps",
 * or "step size underflow" (dopri5 could not meet the tolerances).
 */
export function integrateOde(f: OdeRhs, y0: ArrayLike<number>, t0: number, tEnd: number, opts: OdeOptions = {}): OdeResult {
  if (typeof f !== 'function') throw new InputError('f', `${where}: f = ${describeValue(f)}: must be a function (t, y, dydt) => void`);
  if (y0 === null || typeof y0 !== 'object' || typeof y0.length !== 'number' || y0.length < 1) {
    throw new InputError('y0', `${where}: y0 = ${describeValue(y0)}: must be a non-empty array of numbers`);
  }
  const dim = y0.length;
  const y = new Float64Array(dim);
  for (let i = 0; i < dim; i++) {
    const v = y0[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`y0[${i}]`, `${where}: y0[${i}] = ${describeValue(v)}: must be a finite number`);
    y[i] = v;
  }
  num('t0', t0, -Infinity, false);
  if (typeof tEnd !== 'number' || !Number.isFinite(tEnd) || !(tEnd > t0)) throw new InputError('tEnd', `${where}: tEnd = ${describeValue(tEnd)}: must be a finite number > t0 = ${t0}`);
  const method = opts.method ?? 'rk4';
  if (!(ODE_METHODS as readonly string[]).includes(method)) throw new InputError('method', `${where}: method = ${describeValue(method)}: must be "rk4" or "dopri5"`);
  const saveEvery = opts.saveEvery ?? 1;
  if (typeof saveEvery !== 'number' || !Number.isInteger(saveEvery) || saveEvery < 1) throw new InputError('saveEvery', `${where}: saveEvery = ${describeValue(saveEvery)}: must be an integer >= 1`);
  const maxSteps = opts.maxSteps ?? 1e7;
  if (typeof maxSteps !== 'number' || !Number.isInteger(maxSteps) || maxSteps < 1) throw new InputError('maxSteps', `${where}: maxSteps = ${describeValue(maxSteps)}: must be an integer >= 1`);
  const ev = opts.event;
  if (ev !== undefined && (typeof ev !== 'object' || ev === null || typeof ev.g !== 'function' || typeof ev.reason !== 'string')) {
    throw new InputError('event', `${where}: event = ${describeValue(ev)}: must be {g: (t, y) => number, reason: string, tol?}`);
  }
  if (opts.stop !== undefined && typeof opts.stop !== 'function') throw new InputError('stop', `${where}: stop = ${describeValue(opts.stop)}: must be a function (t, y) => string | null`);
  const evTol = ev?.tol === undefined ? 1e-12 : num('event.tol', ev.tol, 0, true);

  const save = new Saver(dim);
  save.push(t0, y);
  const f0 = new Float64Array(dim), f1 = new Float64Array(dim), y1 = new Float64Array(dim), yi = new Float64Array(dim);
  f(t0, y, f0);
  const g0 = ev ? ev.g(t0, y) : 0;
  if (method === 'rk4') {
    const dt = num('dt', opts.dt, 0, true, 1e-2);
    return rk4(f, y, t0, tEnd, dt, saveEvery, maxSteps, opts.stop, ev, evTol, save, f0, f1, y1, yi, g0);
  }
  const rtol = num('rtol', opts.rtol, 0, false, 1e-8), atol = num('atol', opts.atol, 0, false, 1e-10);
  if (rtol === 0 && atol === 0) throw new InputError('rtol', `${where}: rtol = 0 and atol = 0: at least one tolerance must be > 0`);
  return dopri5(f, y, t0, tEnd, opts.dt === undefined ? null : num('dt', opts.dt, 0, true), rtol, atol, saveEvery, maxSteps, opts.stop, ev, evTol, save, f0, f1, y1, yi, g0);
}

/** Step-end checks shared by both methods; returns a stop record or null. Moves (t1, y1, f1) into (y, f0) when continuing. */
function finishStep(t: number, h: number, y: Float64Array, f0: Float64Array, y1: Float64Array, f1: Float64Array, yi: Float64Array,
  stop: OdeOptions['stop'], ev: OdeOptions['event'], evTol: number, gPrev: { g: number }, save: Saver, saveNow: boolean,
): { reason: string; t: number } | null {
  const t1 = t + h;
  if (ev) {
    const g1 = ev.g(t1, y1);
    if ((gPrev.g < 0 && g1 >= 0) || (gPrev.g > 0 && g1 <= 0)) {
      // bisection on θ ∈ [0, 1] of g(t + θh, Hermite(θ))
      let lo = 0, hi = 1, glo = gPrev.g;
      const tol = evTol * Math.max(1, Math.abs(t1));
      for (let it = 0; it < 200 && (hi - lo) * h > tol; it++) {
        const mid = 0.5 * (lo + hi);
        hermite(mid, h, y, f0, y1, f1, yi);
        const gm = ev.g(t + mid * h, yi);
        if ((glo < 0 && gm >= 0) || (glo > 0 && gm <= 0)) hi = mid; else { lo = mid; glo = gm; }
      }
      hermite(hi, h, y, f0, y1, f1, yi);
      const te = t + hi * h;
      save.push(te, yi);
      return { reason: ev.reason, t: te };
    }
    gPrev.g = g1;
  }
  y.set(y1);
  f0.set(f1);
  const r = stop ? stop(t1, y) : null;
  if (r !== null || saveNow) save.push(t1, y);
  return r === null ? null : { reason: r, t: t1 };
}

function rk4(f: OdeRhs, y: Float64Array, t0: number, tEnd: number, dt: number, saveEvery: number, maxSteps: number,
  stop: OdeOptions['stop'], ev: OdeOptions['event'], evTol: number, save: Saver,
  f0: Float64Array, f1: Float64Array, y1: Float64Array, yi: Float64Array, g0: number): OdeResult {
  const dim = y.length;
  const k2 = new Float64Array(dim), k3 = new Float64Array(dim), k4 = new Float64Array(dim);
  const span = tEnd - t0;
  // number of steps: the last one is shortened (or the grid lands on tEnd up to rounding)
  const n = Math.max(1, Math.ceil(span / dt - 1e-9));
  const gPrev = { g: g0 };
  let t = t0;
  const steps = Math.min(n, maxSteps);
  for (let s = 0; s < steps; s++) {
    const tn = s + 1 === n ? tEnd : t0 + (s + 1) * dt;
    const h = tn - t;
    const hh = 0.5 * h;
    // k1 = f0 (the derivative at the step start, kept from the previous step)
    for (let i = 0; i < dim; i++) yi[i] = y[i]! + hh * f0[i]!;
    f(t + hh, yi, k2);
    for (let i = 0; i < dim; i++) yi[i] = y[i]! + hh * k2[i]!;
    f(t + hh, yi, k3);
    for (let i = 0; i < dim; i++) yi[i] = y[i]! + h * k3[i]!;
    f(tn, yi, k4);
    const h6 = h / 6;
    for (let i = 0; i < dim; i++) y1[i] = y[i]! + h6 * (f0[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
    if (!allFinite(y1)) return endNonFinite(save, t, y, s, 0);
    f(tn, y1, f1);
    const last = s + 1 === n;
    const r = finishStep(t, h, y, f0, y1, f1, yi, stop, ev, evTol, gPrev, save, last || (s + 1) % saveEvery === 0);
    if (r !== null) return save.result(s + 1, 0, r);
    t = tn;
  }
  if (steps < n) {
    if (save.t[save.n - 1] !== t) save.push(t, y);
    return save.result(steps, 0, { reason: 'maxSteps', t });
  }
  return save.result(n, 0, null);
}

function endNonFinite(save: Saver, t: number, y: Float64Array, steps: number, rejected: number): OdeResult {
  if (save.t[save.n - 1] !== t) save.push(t, y);
  return save.result(steps, rejected, { reason: 'non-finite state', t });
}

// Dormand–Prince 5(4) tableau (Dormand & Prince 1980): nodes c, stages a, 5th-order weights b (= last row, FSAL),
// error weights e = b − b̂ (5th minus 4th order).
const C2 = 1 / 5, C3 = 3 / 10, C4 = 4 / 5, C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

function dopri5(f: OdeRhs, y: Float64Array, t0: number, tEnd: number, dt0: number | null, rtol: number, atol: number,
  saveEvery: number, maxSteps: number, stop: OdeOptions['stop'], ev: OdeOptions['event'], evTol: number, save: Saver,
  f0: Float64Array, f1: Float64Array, y1: Float64Array, yi: Float64Array, g0: number): OdeResult {
  const dim = y.length;
  const k2 = new Float64Array(dim), k3 = new Float64Array(dim), k4 = new Float64Array(dim), k5 = new Float64Array(dim), k6 = new Float64Array(dim);
  const sc = (a: number, b: number): number => atol + rtol * Math.max(Math.abs(a), Math.abs(b));
  const span = tEnd - t0;
  let h: number;
  if (dt0 !== null) h = dt0;
  else { // Hairer–Nørsett–Wanner starting step: 0.01·‖y0‖/‖f0‖ in the tolerance norm, at most the span
    let d0 = 0, d1 = 0;
    for (let i = 0; i < dim; i++) { const s = sc(y[i]!, y[i]!); d0 += (y[i]! / s) ** 2; d1 += (f0[i]! / s) ** 2; }
    d0 = Math.sqrt(d0 / dim); d1 = Math.sqrt(d1 / dim);
    h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 * Math.max(1, span) : 0.01 * d0 / d1;
  }
  h = Math.min(h, span);
  const gPrev = { g: g0 };
  let t = t0, accepted = 0, rejected = 0;
  for (let total = 0; total < maxSteps; total++) {
    const lastStep = t + h >= tEnd || tEnd - (t + h) < 1e-12 * span; // no sliver of a last step
    if (lastStep) h = tEnd - t;
    if (!(h > Math.abs(t) * 1e-15 + 1e-300)) return finishEarly(save, t, y, accepted, rejected, 'step size underflow');
    for (let i = 0; i < dim; i++) yi[i] = y[i]! + h * A21 * f0[i]!;
    f(t + C2 * h, yi, k2);
    for (let i = 0; i < dim; i++) yi[i] = y[i]! + h * (A31 * f0[i]! + A32 * k2[i]!);
    f(t + C3 * h, yi, k3);
    for (let i = 0; i < dim; i++) yi[i] = y[i]! + h * (A41 * f0[i]! + A42 * k2[i]! + A43 * k3[i]!);
    f(t + C4 * h, yi, k4);
    for (let i = 0; i < dim; i++) yi[i] = y[i]! + h * (A51 * f0[i]! + A52 * k2[i]! + A53 * k3[i]! + A54 * k4[i]!);
    f(t + C5 * h, yi, k5);
    for (let i = 0; i < dim; i++) yi[i] = y[i]! + h * (A61 * f0[i]! + A62 * k2[i]! + A63 * k3[i]! + A64 * k4[i]! + A65 * k5[i]!);
    f(t + h, yi, k6);
    for (let i = 0; i < dim; i++) y1[i] = y[i]! + h * (B1 * f0[i]! + B3 * k3[i]! + B4 * k4[i]! + B5 * k5[i]! + B6 * k6[i]!);
    f(t + h, y1, f1); // FSAL: the 7th stage is the derivative at the new point
    let err = 0;
    for (let i = 0; i < dim; i++) {
      const e = h * (E1 * f0[i]! + E3 * k3[i]! + E4 * k4[i]! + E5 * k5[i]! + E6 * k6[i]! + E7 * f1[i]!);
      err += (e / sc(y[i]!, y1[i]!)) ** 2;
    }
    err = Math.sqrt(err / dim);
    if (!Number.isFinite(err)) { // a stage left the domain: shrink hard, as for a rejected step
      rejected++;
      h *= 0.2;
      if (!(h > Math.abs(t) * 1e-15 + 1e-300)) return finishEarly(save, t, y, accepted, rejected, 'non-finite state');
      continue;
    }
    if (err <= 1) {
      accepted++;
      const hUsed = h;
      const r = finishStep(t, hUsed, y, f0, y1, f1, yi, stop, ev, evTol, gPrev, save, lastStep || accepted % saveEvery === 0);
      if (r !== null) return save.result(accepted, rejected, r);
      t = lastStep ? tEnd : t + hUsed;
      if (lastStep) return save.result(accepted, rejected, null);
      h = hUsed * Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
    } else {
      rejected++;
      h *= Math.max(0.2, 0.9 * Math.pow(err, -0.2));
    }
  }
  return finishEarly(save, t, y, accepted, rejected, 'maxSteps');
}

function finishEarly(save: Saver, t: number, y: Float64Array, steps: number, rejected: number, reason: string): OdeResult {
  if (save.t[save.n - 1] !== t) save.push(t, y);
  return save.result(steps, rejected, { reason, t });
}
