// Tests of the mode-theory compute ops (mode-rhs, mode-jacobian, manifold-eigenvalues, integrate-mode) with hand-checkable values.
import { describe, expect, it } from 'vitest';
import { computeOps, runRequest } from '../index.js';

function ok(req: Record<string, unknown>): Record<string, unknown> {
  const r = runRequest(computeOps, req);
  if (!r.ok) throw new Error(JSON.stringify(r.result));
  return JSON.parse(JSON.stringify(r.result)) as Record<string, unknown>;
}
function err(req: Record<string, unknown>): string {
  const r = runRequest(computeOps, req);
  expect(r.ok).toBe(false);
  return (r.result as { error: string }).error;
}
const near = (a: number[], b: number[], tol: number): void => { a.forEach((x, i) => expect(Math.abs(x - b[i]!), `[${i}] ${x} vs ${b[i]}`).toBeLessThan(tol)); };

describe('mode-rhs', () => {
  // Student (0, 1, 1), teacher (0.5, 1, 1): a = a* = 1, w = 0. BPTT: G = 1/(1 − 0) − 1/1 = 0, X = a*w* = 0.5, so
  // (ẇ, u̇, v̇) = (uv·X, v·G, u·G) = (0.5, 0, 0); finite T = 2: ε_0 = 0, ε_1 = 0.5, ẇ = ε_1·a·1 = 0.5, the same.
  // RFLO α = 0.5, b = 2: X = 0.5/(1·0.75) = 2/3, Y = 1/0.75 − 1 = 1/3: (b·u·X, b·Y, 0) = (4/3, 2/3, 0).
  it('hand-checked values, T = inf and finite, eta, ignored parameters of other rules', () => {
    const base = { op: 'mode-rhs', student: [0, 1, 1], teacher: [0.5, 1, 1] };
    near(ok({ ...base, rule: 'bptt' })['rhs'] as number[], [0.5, 0, 0], 1e-15);
    near(ok({ ...base, rule: 'bptt', T: 2 })['rhs'] as number[], [0.5, 0, 0], 1e-15);
    near(ok({ ...base, rule: 'bptt', T: 1 })['rhs'] as number[], [0, 0, 0], 0 + 1e-300);
    near(ok({ ...base, rule: 'rflo', alpha: 0.5, b: 2, tau: 7, d: 0.1 })['rhs'] as number[], [4 / 3, 2 / 3, 0], 1e-15);
    near(ok({ ...base, rule: 'rflo', alpha: 0.5, b: 2, eta: 0.5 })['rhs'] as number[], [2 / 3, 1 / 3, 0], 1e-15);
    near(ok({ ...base, rule: 'random-diagonal', d: 0.5, b: 2, T: 'inf' })['rhs'] as number[], [4 / 3, 2 / 3, 0], 1e-15);
  });
  it('§5.4 reference values (e-prop b = 0.8, tBPTT τ = 3)', () => {
    const base = { op: 'mode-rhs', student: [0.4, 0.6, -0.5], teacher: [0.7, 1.2, 0.9] };
    near(ok({ ...base, rule: 'eprop', b: 0.8 })['rhs'] as number[], [0.7816326530612245, 1.485714285714286, 1.1142857142857143], 1e-14);
    near(ok({ ...base, rule: 'tbptt', tau: 3 })['rhs'] as number[], [-0.47870742857142856, -0.911376, 1.1142857142857143], 1e-14);
  });
  it('errors name the field', () => {
    const base = { op: 'mode-rhs', rule: 'bptt', teacher: [0.5, 1, 1] };
    expect(err({ ...base, student: [1, 1, 1] })).toMatch(/^mode-rhs: student\[0\] = w = 1: T = "inf" needs \|w\| < 1/);
    expect(err({ ...base, student: [0, 1] })).toMatch(/^mode-rhs: student has length 2: expected 3/);
    expect(err({ ...base, student: [0, 1, 1], T: 0 })).toMatch(/^mode-rhs: T = 0: must be an integer in \[1, 10000000\] or "inf"/);
    expect(err({ ...base, rule: 'rflo', student: [0, 1, 1], alpha: 0.5 })).toMatch(/^mode-rhs: b is required/);
    expect(err({ ...base, student: [0, 1, 1], lamda: 1 })).toMatch(/^mode-rhs: unknown field "lamda"/);
    expect(err({ ...base, rule: 'eprop', b: 1e308, student: [0.5, 1e308, 1] })).toMatch(/^mode-rhs: rhs is not finite .*student, teacher/);
  });
});

describe('mode-jacobian', () => {
  it('BPTT on the optimal manifold: −[[80/27, 8/9, 8/9], [8/9, 4/3, 4/3], [8/9, 4/3, 4/3]] and a zero eigenvalue', () => {
    // teacher (0.5, 1, 1), point (0.5, 1, 1): c = 4/3, a* = u = v = 1 in the §5 BPTT matrix.
    const r = ok({ op: 'mode-jacobian', rule: 'bptt', student: [0.5, 1, 1], teacher: [0.5, 1, 1] });
    const J = r['jacobian'] as number[][];
    near(J.flat(), [-80 / 27, -8 / 9, -8 / 9, -8 / 9, -4 / 3, -4 / 3, -8 / 9, -4 / 3, -4 / 3], 1e-14);
    const ev = r['eigenvalues'] as { re: number[]; im: number[] };
    expect(Math.abs(ev.re[0]!)).toBeLessThan(1e-13); // sorted by decreasing real part: the zero one first
    expect(ev.im).toEqual([0, 0, 0]);
    // the nonzero pair solves λ² + pλ + q = 0 with p = 80/27 + 8/3, q = a*²c⁴(u² + v²) = 2·(4/3)⁴
    const p = 80 / 27 + 8 / 3, q = 2 * (4 / 3) ** 4, d = Math.sqrt(p * p - 4 * q);
    near([ev.re[1]!, ev.re[2]!], [(-p + d) / 2, (-p - d) / 2], 1e-13);
  });
  it('finite T: central differences agree with the analytic T = inf Jacobian at T = 400 (to 1e-7)', () => {
    const base = { op: 'mode-jacobian', rule: 'rflo', alpha: 0.3, b: 0.7, student: [0.4, 0.6, -0.5], teacher: [0.7, 1.2, 0.9] };
    near((ok({ ...base, T: 400 })['jacobian'] as number[][]).flat(), (ok(base)['jacobian'] as number[][]).flat(), 1e-7);
  });
});

describe('manifold-eigenvalues', () => {
  it('§5.3 reference values and the answer layout', () => {
    const r = ok({ op: 'manifold-eigenvalues', rule: 'rflo', alpha: 0.5, b: 1, teacher: [0.5, 1, 1], manifold: 'optimal', sigma: 1.5 });
    near(r['point'] as number[], [0.5, 1 / 1.5, 1.5], 1e-16);
    near((r['eigenvalues'] as { re: number[] }).re, [-1.2258891920461317, -3.342012042521768, 0], 1e-13);
    expect(r['convergenceRate'] as number).toBeCloseTo(1.2258891920461317, 13);
    expect(r['p'] as number).toBeCloseTo(4.567901234567901, 13);
    const s = ok({ op: 'manifold-eigenvalues', rule: 'bptt', teacher: [0.5, 1, 1], manifold: 'nonoptimal', w: 0.3 });
    near((s['eigenvalues'] as { re: number[] }).re, [1.1764705882352942, -1.1764705882352942, 0], 1e-15);
    near(s['point'] as number[], [0.3, 0, 0], 0 + 1e-300);
  });
  it('refuses the non-optimal line for RFLO and a misplaced sigma / w', () => {
    expect(err({ op: 'manifold-eigenvalues', rule: 'rflo', alpha: 0.5, b: 1, teacher: [0.5, 1, 1], manifold: 'nonoptimal', w: 0 })).toMatch(/^manifold-eigenvalues: manifold = "nonoptimal": rule "rflo" has no fixed points/);
    expect(err({ op: 'manifold-eigenvalues', rule: 'bptt', teacher: [0.5, 1, 1], manifold: 'optimal', sigma: 1, w: 0 })).toMatch(/^manifold-eigenvalues: w = 0: only read with manifold "nonoptimal"/);
    expect(err({ op: 'manifold-eigenvalues', rule: 'bptt', teacher: [0.5, 1, 1], manifold: 'optimal', sigma: 0 })).toMatch(/^manifold-eigenvalues: sigma = 0/);
  });
});

describe('integrate-mode', () => {
  it('a fixed point stays put; times follow dt and saveEvery', () => {
    // (0.3, 0, 0) is on BPTT's non-optimal line: the field is exactly 0 there, so every RK4 stage is 0.
    const r = ok({ op: 'integrate-mode', rule: 'bptt', student: [0.3, 0, 0], teacher: [0.5, 1, 1], tEnd: 1, dt: 0.1, saveEvery: 5 });
    near(r['t'] as number[], [0, 0.5, 1], 1e-12);
    expect(r['states']).toEqual([[0.3, 0, 0], [0.3, 0, 0], [0.3, 0, 0]]);
    expect(r['stopped']).toBeNull();
  });
  it('BPTT from (0.7, −0.525, −2.1) to teacher (0.8, 1, 1) reaches loss 1e-6 at t ≈ 0.79 (rk4 and dopri5)', () => {
    const base = { op: 'integrate-mode', rule: 'bptt', student: [0.7, -0.525, -2.1], teacher: [0.8, 1, 1], tEnd: 5, lossTol: 1e-6 };
    for (const extra of [{ dt: 1e-3, saveEvery: 100 }, { method: 'dopri5', rtol: 1e-10 }]) {
      const r = ok({ ...base, ...extra });
      expect(r['stopped']).toBe('loss < lossTol');
      const t = r['t'] as number[], s = r['states'] as number[][];
      expect(Math.abs(t[t.length - 1]! - 0.79)).toBeLessThan(0.02); // dopri5 checks only at its (larger) step ends
      near(s[s.length - 1]!, [0.8, -0.479, -2.089], 2e-3);
    }
  });
  it('reports |w| >= 1 and refuses oversized requests', () => {
    const r = ok({ op: 'integrate-mode', rule: 'eprop', b: -3, student: [0.9, 1, 1], teacher: [0.5, 1, 1], tEnd: 50 });
    expect(r['stopped']).toBe('|w| >= 1');
    expect(err({ op: 'integrate-mode', rule: 'bptt', student: [0.1, 1, 1], teacher: [0.5, 1, 1], tEnd: 1e6, dt: 1e-3 })).toMatch(/^integrate-mode: tEnd\/dt = .* steps: at most 10000000/);
    expect(err({ op: 'integrate-mode', rule: 'bptt', student: [0.1, 1, 1], teacher: [0.5, 1, 1], tEnd: 10, T: 1e6 })).toMatch(/^integrate-mode: T = 1000000 with 1000 steps/);
  });
});
