// Trajectories of the single-mode learning ODE (docs/theory/modes.md §6): RK4 or Dormand–Prince over the mode field, with the mode stop conditions.
import { InputError, describeValue } from '../core/errors.js';
import { checkInfDomain, checkModeHorizon, checkModeState, modeField, modeLossFinite, modeLossInf, type ModeHorizon, type ModeRule, type ModeState } from './modes.js';
import { integrateOde, type OdeMethod } from './ode.js';

/** Options of {@link integrateMode}. */
export interface IntegrateModeOptions {
  /** Sequence length of the field (default "inf"; an integer uses the finite-T sums). */
  readonly T?: ModeHorizon;
  /** 'rk4' (default, fixed step dt) or 'dopri5' (adaptive, dt = first trial step). */
  readonly method?: OdeMethod;
  /** Step (default 1e-2), in ODE time t = η × number of updates. */
  readonly dt?: number;
  /** Save every k-th (accepted) step, default 1; the start and the final point are always saved. */
  readonly saveEvery?: number;
  /** Stop once the mode loss is below lossTol (default 0: never). */
  readonly lossTol?: number;
  /** dopri5 tolerances (defaults 1e-8, 1e-10). */
  readonly rtol?: number;
  readonly atol?: number;
  /** Step budget (default 10^7). */
  readonly maxSteps?: number;
}

/** A mode trajectory: saved times, states (n × 3 row-major: w, u, v) and why it stopped early (null: reached tEnd). */
export interface ModeTrajectory {
  readonly t: Float64Array;
  readonly states: Float64Array;
  readonly steps: number;
  readonly stopped: { readonly reason: string; readonly t: number } | null;
}

/** Stop reasons of {@link integrateMode} (besides "maxSteps" and "step size underflow"). */
export const MODE_STOP = { outside: '|w| >= 1', converged: 'loss < lossTol', nonFinite: 'non-finite state' } as const;

/**
 * Integrates the mode ODE (ẇ, u̇, v̇) of `rule` (η = 1, modes.ts) from `student` over [0, tEnd] for `teacher`.
 * Stops early with reason "|w| >= 1" when a step ends with |w| ≥ 1 or, for T = "inf", a stage leaves |w| < 1 (the
 * closed forms are undefined there; the last state inside is kept), "loss < lossTol" when the mode loss falls
 * below lossTol, "non-finite state" (overflow, finite T) and "maxSteps".
 */
export function integrateMode(rule: ModeRule, student: ModeState, teacher: ModeState, tEnd: number, opts: IntegrateModeOptions = {}): ModeTrajectory {
  const where = 'integrateMode';
  if (opts === null || typeof opts !== 'object') throw new InputError('options', `${where}: options = ${describeValue(opts)}: must be an object or omitted`);
  const s = checkModeState(where, 'student', student), t = checkModeState(where, 'teacher', teacher);
  const T = checkModeHorizon(where, opts.T ?? 'inf');
  const field = modeField(rule, t, T);
  if (T === 'inf') checkInfDomain(where, s, t);
  const lossTol = opts.lossTol ?? 0;
  if (typeof lossTol !== 'number' || !Number.isFinite(lossTol) || lossTol < 0) throw new InputError('lossTol', `${where}: lossTol = ${describeValue(lossTol)}: must be a finite number >= 0`);
  const ws = t[0]!, as = t[1]! * t[2]!;
  const loss = T === 'inf' ? (y: Float64Array): number => modeLossInf(y[0]!, y[1]! * y[2]!, ws, as) : (y: Float64Array): number => modeLossFinite(y[0]!, y[1]! * y[2]!, ws, as, T);
  const stop = (_t: number, y: Float64Array): string | null => {
    if (!(Math.abs(y[0]!) < 1) && T === 'inf') return MODE_STOP.outside;
    if (lossTol > 0 && loss(y) < lossTol) return MODE_STOP.converged;
    return null;
  };
  const method = opts.method ?? 'rk4', dt = opts.dt ?? (method === 'rk4' ? 1e-2 : undefined);
  const r = integrateOde((_t, y, d) => field(y, d), s, 0, tEnd, {
    method, ...(dt !== undefined && { dt }),
    saveEvery: opts.saveEvery ?? 1, stop,
    ...(opts.rtol !== undefined && { rtol: opts.rtol }), ...(opts.atol !== undefined && { atol: opts.atol }),
    ...(opts.maxSteps !== undefined && { maxSteps: opts.maxSteps }),
  });
  let stopped = r.stopped;
  // for T = "inf" the field is NaN only where |w| ≥ 1 (modes.ts), so a non-finite step means a stage left the domain
  if (stopped !== null && stopped.reason === MODE_STOP.nonFinite && T === 'inf') stopped = { reason: MODE_STOP.outside, t: stopped.t };
  return { t: r.t, states: r.y, steps: r.steps, stopped };
}
