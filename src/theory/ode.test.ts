// Tests of the ODE integrators (docs/theory/modes.md §6) on problems with closed-form solutions: order, tolerance, events, stops.
import { describe, expect, it } from 'vitest';
import { integrateOde, type OdeRhs } from './ode.js';

const expo: OdeRhs = (_t, y, d) => { d[0] = -1.3 * y[0]!; };
const osc: OdeRhs = (_t, y, d) => { d[0] = y[1]!; d[1] = -y[0]!; }; // x = cos t, v = −sin t from (1, 0)
const last = (r: { y: Float64Array; dim: number; t: Float64Array }, i: number): number => r.y[(r.t.length - 1) * r.dim + i]!;

describe('RK4', () => {
  it('is fourth order: halving dt divides the error by 2^4 (exponential and harmonic oscillator)', () => {
    // The error ratio of consecutive halvings tends to 16 (the next term is O(dt) relative: ≲ 4% at dt = 0.1) and
    // rounding (1e-16 per step) is far below the errors (≥ 1e-12): log2 of the ratio in [3.85, 4.15].
    for (const [f, y0, exact] of [[expo, [1], (t: number) => [Math.exp(-1.3 * t)]], [osc, [1, 0], (t: number) => [Math.cos(t), -Math.sin(t)]]] as const) {
      const errs = [0.1, 0.05, 0.025, 0.0125].map((dt) => {
        const r = integrateOde(f, y0, 0, 2, { dt });
        const e = exact(2);
        return Math.max(...e.map((v, i) => Math.abs(last(r, i) - v)));
      });
      for (let k = 0; k + 1 < errs.length; k++) {
        const order = Math.log2(errs[k]! / errs[k + 1]!);
        expect(order).toBeGreaterThan(3.85);
        expect(order).toBeLessThan(4.15);
      }
    }
  });
  it('passes the stage times to a time-dependent field (y′ = cos t)', () => {
    const r = integrateOde((t, _y, d) => { d[0] = Math.cos(t); }, [0], 0, 3, { dt: 0.01 });
    // RK4 on a pure quadrature is Simpson's rule: error ≈ h⁴/2880·|f⁗|·3 ≈ 1e-11
    expect(Math.abs(last(r, 0) - Math.sin(3))).toBeLessThan(1e-10);
  });
  it('shortens the last step to land on tEnd and saves every k-th step plus t0 and the end', () => {
    const r = integrateOde(expo, [1], 0, 1.05, { dt: 0.1, saveEvery: 3 });
    expect([...r.t].map((v) => +v.toFixed(12))).toEqual([0, 0.3, 0.6, 0.9, 1.05]);
    expect(r.steps).toBe(11);
    expect(r.stopped).toBeNull();
    expect(Math.abs(last(r, 0) - Math.exp(-1.3 * 1.05))).toBeLessThan(1e-6);
  });
  it('stops on a predicate at the first step end where it holds, and on maxSteps', () => {
    const r = integrateOde(osc, [1, 0], 0, 10, { dt: 0.01, stop: (_t, y) => (y[0]! < 0 ? 'x < 0' : null) });
    expect(r.stopped!.reason).toBe('x < 0');
    expect(r.stopped!.t).toBeGreaterThan(Math.PI / 2);
    expect(r.stopped!.t).toBeLessThanOrEqual(Math.PI / 2 + 0.01 + 1e-12);
    expect(r.t[r.t.length - 1]).toBe(r.stopped!.t);
    const m = integrateOde(osc, [1, 0], 0, 10, { dt: 0.01, maxSteps: 7 });
    expect(m.stopped).toEqual({ reason: 'maxSteps', t: 0.07 });
  });
  it('stops on a non-finite state (blow-up of y′ = y² at t = 1) keeping the last finite point', () => {
    const r = integrateOde((_t, y, d) => { d[0] = y[0]! * y[0]!; }, [1], 0, 2, { dt: 1e-3 });
    expect(r.stopped!.reason).toBe('non-finite state');
    expect(Math.abs(r.stopped!.t - 1)).toBeLessThan(0.01);
    expect(Number.isFinite(last(r, 0))).toBe(true);
  });
});

describe('events on the Hermite interpolant', () => {
  it('locates x(t) = cos t = 0 at π/2 (RK4 and dopri5)', () => {
    // The cubic Hermite interpolant of a 4th-order step is O(h⁴) accurate: with h = 0.01 the event time is off
    // by ≲ 1e-9 (and bisection stops at 1e-12); dopri5 at rtol 1e-10 likewise.
    const event = { g: (_t: number, y: Float64Array) => y[0]!, reason: 'x = 0' };
    for (const opts of [{ dt: 0.01 }, { method: 'dopri5' as const, rtol: 1e-10, atol: 1e-12 }]) {
      const r = integrateOde(osc, [1, 0], 0, 10, { ...opts, event });
      expect(r.stopped!.reason).toBe('x = 0');
      expect(Math.abs(r.stopped!.t - Math.PI / 2)).toBeLessThan(1e-8);
      expect(Math.abs(last(r, 0))).toBeLessThan(1e-8);
      expect(Math.abs(last(r, 1) + 1)).toBeLessThan(1e-8);
    }
  });
});

describe('Dormand–Prince 5(4)', () => {
  it('global error follows the tolerance and the step count grows like tol^(−1/5)', () => {
    // For these smooth problems the global error stays within a small multiple of the tolerance (×100 allowed:
    // local errors accumulate over ~3 periods); tighter tolerances need more steps.
    let prevSteps = 0;
    for (const tol of [1e-5, 1e-7, 1e-9, 1e-11]) {
      const r = integrateOde(osc, [1, 0], 0, 20, { method: 'dopri5', rtol: tol, atol: tol });
      const err = Math.max(Math.abs(last(r, 0) - Math.cos(20)), Math.abs(last(r, 1) + Math.sin(20)));
      expect(err, `tol ${tol}`).toBeLessThan(100 * tol);
      expect(r.steps).toBeGreaterThan(prevSteps);
      expect(r.t[r.t.length - 1]).toBe(20);
      prevSteps = r.steps;
    }
    const e = integrateOde(expo, [2], 0, 5, { method: 'dopri5', rtol: 1e-10, atol: 1e-14 });
    expect(Math.abs(last(e, 0) / (2 * Math.exp(-6.5)) - 1)).toBeLessThan(1e-8);
  });
  it('is fifth order: the error of one step of length h scales as h^6', () => {
    // One step over [0, h] (tolerances 1e3 accept it); the local error of a 5th-order method is C·h⁶, so halving h
    // divides it by ~64 (the next term is O(h) relative): log2 of the ratio in [5.6, 6.4].
    const errs = [0.8, 0.4, 0.2].map((h) => {
      const r = integrateOde(osc, [1, 0], 0, h, { method: 'dopri5', dt: h, rtol: 1e3, atol: 1e3 });
      expect(r.steps).toBe(1);
      return Math.hypot(last(r, 0) - Math.cos(h), last(r, 1) + Math.sin(h));
    });
    for (let k = 0; k + 1 < errs.length; k++) {
      const order = Math.log2(errs[k]! / errs[k + 1]!);
      expect(order).toBeGreaterThan(5.6);
      expect(order).toBeLessThan(6.4);
    }
  });
  it('rejects steps and reports them when the first trial step is too large', () => {
    const r = integrateOde(expo, [1], 0, 1, { method: 'dopri5', dt: 1, rtol: 1e-10, atol: 1e-12 });
    expect(r.rejected).toBeGreaterThan(0);
    expect(Math.abs(last(r, 0) - Math.exp(-1.3))).toBeLessThan(1e-8);
  });
});

describe('bad input', () => {
  it('names the field', () => {
    expect(() => integrateOde(expo, [1], 0, 0)).toThrow(/^integrateOde: tEnd = 0: must be a finite number > t0 = 0/);
    expect(() => integrateOde(expo, [NaN], 0, 1)).toThrow(/y0\[0\] = NaN/);
    expect(() => integrateOde(expo, [1], 0, 1, { dt: 0 })).toThrow(/dt = 0: must be a finite number > 0/);
    expect(() => integrateOde(expo, [1], 0, 1, { saveEvery: 0 })).toThrow(/saveEvery = 0/);
    expect(() => integrateOde(expo, [1], 0, 1, { method: 'euler' as 'rk4' })).toThrow(/method = "euler"/);
  });
});
