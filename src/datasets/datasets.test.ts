import { describe, it, expect } from 'vitest';
import { mackeyGlass } from './mackey-glass.js';
import { narma } from './narma.js';
import { createRng } from '../core/rng.js';
import { InputError } from '../core/errors.js';

describe('mackeyGlass', () => {
  it('converges at 4th order in the step size (method of steps + Hermite history)', () => {
    // Compare x(t) at t = 0..60 for h = τ/40, τ/80, τ/160 against h = τ/640. Errors must drop ~16x per halving.
    // (Short horizon: chaos amplifies differences exponentially, which would mask the truncation order.)
    const ref = mackeyGlass(61, { stepsPerTau: 17 * 64 * 2, sampleStep: 1 });
    const err = (m: number): number => {
      const s = mackeyGlass(61, { stepsPerTau: m, sampleStep: 1 });
      let e = 0;
      for (let i = 0; i < s.length; i++) e = Math.max(e, Math.abs(s[i]! - ref[i]!));
      return e;
    };
    const e1 = err(17 * 8), e2 = err(17 * 16), e3 = err(17 * 32);
    // Observed ratios should be near 2^4 = 16; accept [10, 24] (asymptotic regime, rounding not yet dominant).
    expect(e1 / e2).toBeGreaterThan(10);
    expect(e1 / e2).toBeLessThan(24);
    expect(e2 / e3).toBeGreaterThan(10);
    expect(e2 / e3).toBeLessThan(24);
    expect(e3).toBeLessThan(1e-8);
  });

  it('starts at x0 and stays on the known attractor range for tau = 17', () => {
    const s = mackeyGlass(3000, { sampleStep: 1 });
    expect(s[0]).toBe(1.2);
    let lo = Infinity, hi = -Infinity;
    for (let i = 500; i < s.length; i++) { lo = Math.min(lo, s[i]!); hi = Math.max(hi, s[i]!); }
    // The tau = 17 attractor lives in roughly [0.2, 1.4] (Mackey & Glass 1977; Farmer 1982).
    expect(lo).toBeGreaterThan(0.15);
    expect(lo).toBeLessThan(0.5);
    expect(hi).toBeGreaterThan(1.2);
    expect(hi).toBeLessThan(1.45);
  });

  it('is chaotic for tau = 17 but settles to a fixed point for small tau', () => {
    const small = mackeyGlass(400, { tau: 2, stepsPerTau: 20, sampleStep: 1 });
    // For tau = 2 the fixed point x* = (β/γ − 1)^(1/n) = 1 is stable.
    expect(Math.abs(small[399]! - 1)).toBeLessThan(1e-6);
    // Largest Lyapunov exponent ≈ 0.006–0.008 per time unit (Farmer 1982): a 1e-8 perturbation grows to O(0.1) in ~3000 units.
    const a = mackeyGlass(3000, { x0: 1.2 }), b = mackeyGlass(3000, { x0: 1.2 + 1e-8 });
    let gap = 0;
    for (let i = 2500; i < 3000; i++) gap = Math.max(gap, Math.abs(a[i]! - b[i]!));
    expect(gap).toBeGreaterThan(1e-2); // sensitive dependence on initial conditions
  });

  it('discards transients and samples at the requested interval', () => {
    const full = mackeyGlass(31, { sampleStep: 1 });
    const tail = mackeyGlass(11, { sampleStep: 2, discard: 10 });
    for (let k = 0; k < 11; k++) expect(tail[k]).toBe(full[10 + 2 * k]);
  });

  it('rejects bad options with clear messages', () => {
    expect(() => mackeyGlass(10, { sampleStep: 0.15 })).toThrow(/sampleStep = 0.15: must be a positive multiple/);
    expect(() => mackeyGlass(-1)).toThrow(InputError);
    expect(() => mackeyGlass(10, { tau: 0 })).toThrow(/tau = 0/);
  });
});

describe('narma', () => {
  it('follows the NARMA-10 recursion exactly', () => {
    const { input: u, target } = narma(200, createRng(4));
    const y = new Float64Array(201);
    for (let t = 0; t < 200; t++) {
      let s = 0;
      for (let i = 0; i < 10; i++) if (t - i >= 0) s += y[t - i]!;
      y[t + 1] = 0.3 * y[t]! + 0.05 * y[t]! * s + 1.5 * (t >= 9 ? u[t - 9]! : 0) * u[t]! + 0.1;
      expect(target[t]).toBe(y[t + 1]);
    }
    for (const v of u) { expect(v).toBeGreaterThanOrEqual(0); expect(v).toBeLessThan(0.5); }
  });

  it('is seeded and has the usual stationary mean (about 0.3 for NARMA-10)', () => {
    const a = narma(5000, createRng(9)), b = narma(5000, createRng(9));
    expect(a.target).toEqual(b.target);
    let m = 0;
    for (let t = 1000; t < 5000; t++) m += a.target[t]!;
    m /= 4000;
    expect(m).toBeGreaterThan(0.2);
    expect(m).toBeLessThan(0.4);
  });
});
