// Theory-vs-experiment error: the mode ODE started from a trained network's estimated modes, compared with later estimates.
//
// Theory: docs/theory/alignment.md §6 (this protocol), §1–3 (mode estimates of a non-aligned network), docs/theory/modes.md (the mode
// ODE and its integration). Given mode estimates (w_i, u_i, v_i, b_i) at a sequence of checkpoints (epochs) with
// their ODE times (η × the number of updates so far), the theory trajectory of mode i from checkpoint n0 integrates
// the rule's mode ODE (RK4) from the estimate at n0 — with RFLO's feedback b_i as estimated at n0 — and is read at
// every later checkpoint's ODE time (each leg lands exactly on it). The theory error is the mean over the later
// checkpoints of ‖(w, u, v)_theory − (w, u, v)_estimate‖₂. A mode estimate is defined only up to the joint sign of
// (u_i, v_i, b_i) (the sign of an eigenvector) and the ODE is invariant under that flip, so each distance uses the
// estimate's sign that is closer to the theory (our choice). With T = ∞ the field needs |w| < 1: a trajectory that
// leaves it stops, and the mean covers the checkpoints before.
import { InputError, describeValue } from '../core/errors.js';
import type { ModeHorizon, ModeRule } from './modes.js';
import { integrateMode } from './modes-integrate.js';

/** Mode estimates at one checkpoint (arrays over the modes, e.g. from {@link estimateModes}). */
export interface ModeCheckpoint {
  /** ODE time of the checkpoint: η × (updates since the start of training). */
  readonly time: number;
  readonly w: ArrayLike<number>;
  readonly u: ArrayLike<number>;
  readonly v: ArrayLike<number>;
  /** Feedback estimates b_i (rules with feedback), else null or absent. */
  readonly b?: ArrayLike<number> | null;
}

/** Options of {@link modeTheoryError}. */
export interface ModeTheoryOptions {
  /** Horizon of the mode ODE (default 'inf', the closed forms). */
  readonly T?: ModeHorizon;
  /** Largest RK4 step in ODE time (default 1e-2); each leg between checkpoints is split evenly. */
  readonly dt?: number;
}

/** Theory trajectory and error of one mode from one start checkpoint. */
export interface ModeTheoryTrack {
  /** (w, u, v) of the theory at each later checkpoint, null once the trajectory stopped. */
  readonly states: Array<[number, number, number] | null>;
  /** Index of the first checkpoint the trajectory did not reach (it left |w| < 1 or stopped), or null. */
  readonly stoppedAt: number | null;
  /** Mean sign-matched distance over the reached later checkpoints (NaN when none was reached). */
  readonly error: number;
}

/** Distance of theory (w, u, v) from an estimate, with the estimate's joint (u, v) sign that is closer. */
export function signMatchedDistance(th: ArrayLike<number>, w: number, u: number, v: number): number {
  const dw = th[0]! - w;
  const p = Math.hypot(dw, th[1]! - u, th[2]! - v), q = Math.hypot(dw, th[1]! + u, th[2]! + v);
  return Math.min(p, q);
}

/**
 * Theory trajectory and error of mode `i` started at checkpoint `n0` (see module header). `ruleOf(b)` gives the
 * mode rule with the feedback b estimated at n0 (ignored by rules without feedback); `teacher` is that mode's
 * teacher (w*, u*, v*). Checkpoint times must be non-decreasing.
 */
export function modeTheoryError(checkpoints: readonly ModeCheckpoint[], n0: number, i: number, ruleOf: (b: number) => ModeRule,
  teacher: ArrayLike<number>, opts: ModeTheoryOptions = {}): ModeTheoryTrack {
  const where = 'modeTheoryError';
  if (!Array.isArray(checkpoints)) throw new InputError('checkpoints', `${where}: checkpoints = ${describeValue(checkpoints)}: must be an array of mode checkpoints`);
  if (!Number.isInteger(n0) || n0 < 0 || n0 >= checkpoints.length) throw new InputError('n0', `${where}: n0 = ${describeValue(n0)}: must be an integer checkpoint index in [0, ${checkpoints.length - 1}]`);
  const c0 = checkpoints[n0]!;
  if (!Number.isInteger(i) || i < 0 || i >= c0.w.length) throw new InputError('i', `${where}: i = ${describeValue(i)}: must be a mode index in [0, ${c0.w.length - 1}]`);
  if (typeof ruleOf !== 'function') throw new InputError('ruleOf', `${where}: ruleOf = ${describeValue(ruleOf)}: must be a function b → ModeRule`);
  const dt = opts.dt ?? 1e-2;
  if (typeof dt !== 'number' || !(dt > 0) || !Number.isFinite(dt)) throw new InputError('dt', `${where}: dt = ${describeValue(dt)}: must be a finite number > 0`);
  const T = opts.T ?? 'inf';
  const rule = ruleOf(c0.b ? c0.b[i]! : 0);
  const states: Array<[number, number, number] | null> = [];
  let y: [number, number, number] = [c0.w[i]!, c0.u[i]!, c0.v[i]!];
  let stoppedAt: number | null = null, sum = 0, count = 0;
  for (let j = n0 + 1; j < checkpoints.length; j++) {
    const span = checkpoints[j]!.time - checkpoints[j - 1]!.time;
    if (!(span >= 0)) throw new InputError('checkpoints', `${where}: checkpoint ${j} has time ${checkpoints[j]!.time} before checkpoint ${j - 1}'s ${checkpoints[j - 1]!.time}: times must be non-decreasing`);
    if (stoppedAt !== null || (T === 'inf' && !(Math.abs(y[0]) < 1))) { stoppedAt ??= j; states.push(null); continue; }
    if (span > 0) {
      const steps = Math.max(1, Math.ceil(span / dt - 1e-9));
      const r = integrateMode(rule, y, teacher, span, { T, dt: span / steps, saveEvery: steps });
      if (r.stopped !== null) { stoppedAt = j; states.push(null); continue; }
      const n = r.t.length;
      y = [r.states[3 * (n - 1)]!, r.states[3 * (n - 1) + 1]!, r.states[3 * (n - 1) + 2]!];
    }
    states.push(y);
    const c = checkpoints[j]!;
    sum += signMatchedDistance(y, c.w[i]!, c.u[i]!, c.v[i]!);
    count++;
  }
  return { states, stoppedAt, error: count > 0 ? sum / count : NaN };
}
