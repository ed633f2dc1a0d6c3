// Tests of the theory-vs-experiment error: exact checkpoints give zero error, the joint-sign symmetry, stops, bad inputs.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { modeTheoryError, signMatchedDistance, type ModeCheckpoint } from './mode-tracking.js';
import { integrateMode } from './modes-integrate.js';
import type { ModeRule } from './modes.js';

const teacher = [0.8, 1, 1];
const rflo = (b: number): ModeRule => ({ name: 'rflo', alpha: 0.3, b });

/** Checkpoints read off one tight Dormand–Prince trajectory of the mode ODE (an independent integrator) at `times`. */
function exactCheckpoints(rule: ModeRule, start: number[], times: number[], b: number): ModeCheckpoint[] {
  return times.map((t) => {
    if (t === 0) return { time: 0, w: [start[0]!], u: [start[1]!], v: [start[2]!], b: [b] };
    const r = integrateMode(rule, start, teacher, t, { method: 'dopri5', rtol: 1e-12, atol: 1e-14, dt: 1e-3 });
    const n = r.t.length;
    return { time: t, w: [r.states[3 * n - 3]!], u: [r.states[3 * n - 2]!], v: [r.states[3 * n - 1]!], b: [b] };
  });
}

describe('modeTheoryError', () => {
  const start = [0.5, 0.4, 0.6], times = [0, 0.3, 0.7, 1.5, 2.5];

  it('is ~0 on checkpoints that follow the ODE exactly (RK4 dt ≤ 1e-3 against dopri5 at rtol 1e-12)', () => {
    const cps = exactCheckpoints(rflo(0.7), start, times, 0.7);
    const r = modeTheoryError(cps, 0, 0, rflo, teacher, { dt: 1e-3 });
    // RK4's global error at dt = 1e-3 over t ≤ 2.5 on this smooth field is O(1e-12); 1e-9 leaves room, and any error in
    // the legs' ODE times (e.g. integrating span twice) would be O(0.1)
    expect(r.error).toBeLessThan(1e-9);
    expect(r.stoppedAt).toBeNull();
    expect(r.states).toHaveLength(times.length - 1);
    // starting later: the same
    expect(modeTheoryError(cps, 2, 0, rflo, teacher, { dt: 1e-3 }).error).toBeLessThan(1e-9);
  });

  it('uses the feedback b estimated at n0, and the joint (u, v) sign flip of an estimate does not change the error', () => {
    const cps = exactCheckpoints(rflo(0.7), start, times, 0.7);
    const flipped = cps.map((c, j) => (j % 2 ? { ...c, u: [-c.u[0]!], v: [-c.v[0]!] } : c));
    expect(modeTheoryError(flipped, 0, 0, rflo, teacher, { dt: 1e-3 }).error).toBeLessThan(1e-9);
    // a wrong feedback at n0 gives a clearly wrong theory
    const wrongB = cps.map((c) => ({ ...c, b: [0.2] }));
    expect(modeTheoryError(wrongB, 0, 0, rflo, teacher, { dt: 1e-3 }).error).toBeGreaterThan(1e-2);
  });

  it('a trajectory that leaves |w| < 1 (T = inf) stops there and averages over the checkpoints before', () => {
    // RFLO from this start (α = b = 0.3) swings w below 0 and back; a start at |w| ≥ 1 is outside at once
    const cps: ModeCheckpoint[] = [0, 0.1, 0.2].map((t) => ({ time: t, w: [1.2], u: [0.5], v: [0.5] }));
    const r = modeTheoryError(cps, 0, 0, rflo, teacher);
    expect(r.stoppedAt).toBe(1);
    expect(r.states).toEqual([null, null]);
    expect(Number.isNaN(r.error)).toBe(true);
  });

  it('signMatchedDistance takes the closer joint sign (hand-computed cases)', () => {
    expect(signMatchedDistance([0.5, 1, 2], 0.5, -1, -2)).toBe(0);
    expect(signMatchedDistance([0, 1, 2], 0, -1, 2)).toBeCloseTo(2, 15);
  });

  it('bad inputs name the field', () => {
    const cps = exactCheckpoints(rflo(0.7), start, [0, 0.5], 0.7);
    expect(() => modeTheoryError(cps, 2, 0, rflo, teacher)).toThrow(/n0/);
    expect(() => modeTheoryError(cps, 0, 3, rflo, teacher)).toThrow(/i = 3/);
    expect(() => modeTheoryError(cps, 0, 0, rflo, teacher, { dt: 0 })).toThrow(InputError);
    expect(() => modeTheoryError([cps[1]!, cps[0]!], 0, 0, rflo, teacher)).toThrow(/non-decreasing/);
  });
});
