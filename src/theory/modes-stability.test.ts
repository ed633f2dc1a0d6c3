// Tests of the mode fixed points and linearisation (docs/theory/modes.md §4–5): reference values, vanishing field, analytic vs numerical Jacobians.
import { describe, expect, it } from 'vitest';
import { modeField, modeRhs, type ModeRule } from './modes.js';
import {
  jacobianEigenvalues, jacobianPQ, manifoldEigenvalues, manifoldPoint, modeJacobian, optimalPQ,
} from './modes-stability.js';

const rel = (x: number, y: number): number => Math.abs(x - y) / Math.max(1, Math.abs(y));

const RULES: ModeRule[] = [
  { name: 'bptt' }, { name: 'tbptt', tau: 1 }, { name: 'tbptt', tau: 3 }, { name: 'rflo', alpha: 0.5, b: 0.8 },
  { name: 'rflo', alpha: 0, b: -1.3 }, { name: 'random-diagonal', d: 0.3, b: 0.7 }, { name: 'eprop', b: 0.8 }, { name: 'eprop', feedback: 'v' },
];
const TEACHERS = [[0.5, 1, 1], [0.8, 1.2, -0.7], [-0.6, 0.9, 1.3]] as const;

describe('reference values of the linearisation (docs/theory/modes.md §5.3)', () => {
  // Closed forms in double precision; tolerance 1e-13 relative covers the rounding of p, q and the square root.
  it('RFLO α = 0.5, b = 1, teacher (0.5, 1, 1), σ = 1.5', () => {
    const r = manifoldEigenvalues({ name: 'rflo', alpha: 0.5, b: 1 }, [0.5, 1, 1], { kind: 'optimal', sigma: 1.5 });
    expect(rel(r.p, 4.567901234567901)).toBeLessThan(1e-13);
    expect(rel(r.q, 4.096936442615455)).toBeLessThan(1e-13);
    expect(rel(r.eigenvalues.re[0]!, -1.2258891920461317)).toBeLessThan(1e-13);
    expect(rel(r.eigenvalues.re[1]!, -3.342012042521768)).toBeLessThan(1e-13);
    expect([...r.eigenvalues.im]).toEqual([0, 0, 0]);
    expect(r.eigenvalues.re[2]).toBe(0);
    expect(rel(r.convergenceRate, 1.2258891920461317)).toBeLessThan(1e-13);
    expect([...r.point]).toEqual([0.5, 1 / 1.5, 1.5]);
  });
  it('one-step tBPTT, teacher (0.5, 1, 1), σ = −0.5', () => {
    const r = manifoldEigenvalues({ name: 'tbptt', tau: 1 }, [0.5, 1, 1], { kind: 'optimal', sigma: -0.5 });
    expect(rel(r.p, 7.361111111111111)).toBeLessThan(1e-13);
    expect(rel(r.q, 7.555555555555555)).toBeLessThan(1e-13);
    expect(rel(r.eigenvalues.re[0]!, -1.2329171749986334)).toBeLessThan(1e-13);
    expect(rel(r.eigenvalues.re[1]!, -6.128193936112476)).toBeLessThan(1e-13);
  });
  it('BPTT at (0.3, 0, 0) on the non-optimal line: ±a*/(1 − ww*), 0', () => {
    const r = manifoldEigenvalues({ name: 'bptt' }, [0.5, 1, 1], { kind: 'nonoptimal', w: 0.3 });
    expect(rel(r.eigenvalues.re[0]!, 1.1764705882352942)).toBeLessThan(1e-14);
    expect(rel(r.eigenvalues.re[1]!, -1.1764705882352942)).toBeLessThan(1e-14);
    expect(r.eigenvalues.re[2]).toBe(0);
    expect(rel(r.convergenceRate, -1.1764705882352942)).toBeLessThan(1e-14); // a saddle: negative rate
  });
  it('non-optimal line eigenvalues of one-step and τ-step tBPTT', () => {
    const ws = 0.8, as = 1.2 * -0.7, w = -0.4;
    const r1 = manifoldEigenvalues({ name: 'tbptt', tau: 1 }, [ws, 1.2, -0.7], { kind: 'nonoptimal', w });
    expect(rel(r1.eigenvalues.re[0]!, Math.abs(as) / Math.sqrt(1 - w * ws))).toBeLessThan(1e-14);
    const r3 = manifoldEigenvalues({ name: 'tbptt', tau: 3 }, [ws, 1.2, -0.7], { kind: 'nonoptimal', w });
    expect(rel(r3.eigenvalues.re[0]!, Math.abs(as) * Math.sqrt(1 - (w * ws) ** 3) / (1 - w * ws))).toBeLessThan(1e-14);
  });
  it('closed-form p, q (optimalPQ) equal the Jacobian route along both branches', () => {
    // Two algebraically different evaluations of the same numbers: 1e-12 relative.
    const rules: ModeRule[] = [{ name: 'bptt' }, { name: 'tbptt', tau: 1 }, { name: 'rflo', alpha: 0.5, b: 0.8 }, { name: 'rflo', alpha: 0, b: -1.3 }];
    for (const t of TEACHERS) {
      for (const rule of rules) {
        for (const sigma of [-2.5, -1, -0.3, 0.2, 0.9, 2.1]) {
          const a = optimalPQ(rule, t, sigma), b = manifoldEigenvalues(rule, t, { kind: 'optimal', sigma });
          expect(rel(b.p, a.p), `${rule.name} ${t} ${sigma} p`).toBeLessThan(1e-12);
          expect(rel(b.q, a.q), `${rule.name} ${t} ${sigma} q`).toBeLessThan(1e-12);
        }
      }
    }
  });
  it('RFLO with α = 0, b = v has one-step tBPTT\'s p, q; with α = w*, b = v, BPTT\'s', () => {
    for (const t of TEACHERS) {
      for (const sigma of [-1.7, 0.6]) {
        const t1 = optimalPQ({ name: 'tbptt', tau: 1 }, t, sigma), r0 = optimalPQ({ name: 'rflo', alpha: 0, b: sigma }, t, sigma);
        expect(rel(r0.p, t1.p)).toBeLessThan(1e-13);
        expect(rel(r0.q, t1.q)).toBeLessThan(1e-13);
        if (t[0] >= 0) {
          const bp = optimalPQ({ name: 'bptt' }, t, sigma), rw = optimalPQ({ name: 'rflo', alpha: t[0], b: sigma }, t, sigma);
          expect(rel(rw.p, bp.p)).toBeLessThan(1e-13);
          expect(rel(rw.q, bp.q)).toBeLessThan(1e-13);
        }
      }
    }
  });
  it('RFLO teacher (0.5, 1, 1), α = 0, b = 1: complex eigenvalues on σ ∈ [−1.90, −1.22], real outside', () => {
    const rule: ModeRule = { name: 'rflo', alpha: 0, b: 1 };
    for (const s of [-1.85, -1.5, -1.25]) expect(manifoldEigenvalues(rule, [0.5, 1, 1], { kind: 'optimal', sigma: s }).eigenvalues.im[0]).toBeGreaterThan(0);
    for (const s of [-1.95, -1.15, 0.5, 1.5]) expect(manifoldEigenvalues(rule, [0.5, 1, 1], { kind: 'optimal', sigma: s }).eigenvalues.im[0]).toBe(0);
  });
});

describe('fixed points', () => {
  it('the field vanishes on the optimal manifold for every rule (T = inf and finite T)', () => {
    for (const t of TEACHERS) for (const rule of RULES) for (const sigma of [-2, -0.4, 0.7, 1.9]) {
      const pt = manifoldPoint(t, { kind: 'optimal', sigma });
      for (const T of ['inf', 25] as const) {
        const r = modeRhs(rule, pt, t, T);
        for (let i = 0; i < 3; i++) expect(Math.abs(r[i]!), `${rule.name} ${t} ${sigma} T=${T}`).toBeLessThan(1e-13);
      }
    }
  });
  it('the field vanishes on u = v = 0 for BPTT and tBPTT, not for RFLO and e-prop', () => {
    for (const t of TEACHERS) for (const w of [-0.9, 0, 0.45]) {
      for (const rule of RULES) {
        const r = modeRhs(rule, [w, 0, 0], t);
        const zero = rule.name === 'bptt' || rule.name === 'tbptt' || (rule.name === 'eprop' && rule.feedback === 'v');
        if (zero) expect([...r].map(Math.abs)).toEqual([0, 0, 0]);
        else expect(Math.abs(r[1]!)).toBeGreaterThan(0.1); // u̇ = b·a*(…) ≠ 0
      }
    }
  });
  it('refuses a non-optimal manifold for RFLO and e-prop, and σ = 0', () => {
    expect(() => manifoldEigenvalues({ name: 'rflo', alpha: 0.5, b: 1 }, [0.5, 1, 1], { kind: 'nonoptimal', w: 0 })).toThrow(/manifold = "nonoptimal": rule "rflo" has no fixed points/);
    expect(() => manifoldEigenvalues({ name: 'bptt' }, [0.5, 1, 1], { kind: 'optimal', sigma: 0 })).toThrow(/sigma = 0: must be a finite nonzero number/);
    expect(() => manifoldEigenvalues({ name: 'bptt' }, [0.5, 1, 1], { kind: 'nonoptimal', w: 1 })).toThrow(/w = 1: the T = "inf" field needs \|w\| < 1/);
  });
});

/** Central-difference Jacobian of the T = inf field (h = 1e-6). */
function fdJacobian(rule: ModeRule, y: readonly number[], t: readonly number[]): Float64Array {
  const f = modeField(rule, t), J = new Float64Array(9), a = new Float64Array(3), b = new Float64Array(3), h = 1e-6;
  for (let j = 0; j < 3; j++) {
    const p = Float64Array.from(y), m = Float64Array.from(y);
    p[j]! += h; m[j]! -= h;
    f(p, a); f(m, b);
    for (let i = 0; i < 3; i++) J[i * 3 + j] = (a[i]! - b[i]!) / (2 * h);
  }
  return J;
}

describe('analytic Jacobian', () => {
  const points = [[0.4, 0.6, -0.5], [-0.3, 1.4, 0.2], [0.85, -0.7, -1.1], [0, 0.5, 2], [0.62, -1.3, 0.4]] as const;
  it('equals central differences of the field at arbitrary points, every rule', () => {
    // h = 1e-6: truncation h²/6·|f'''| ≲ 1e-9 (|f'''| ≲ 1e3 at w = 0.85), rounding ~1e-16·|f|/h ≲ 1e-9; tolerance
    // 1e-7 relative to max(1, |J|).
    for (const t of TEACHERS) for (const rule of RULES) for (const y of points) {
      const J = modeJacobian(rule, y, t), F = fdJacobian(rule, y, t);
      for (let i = 0; i < 9; i++) expect(rel(J[i]!, F[i]!), `${rule.name} ${t} ${y} J[${i}]`).toBeLessThan(1e-7);
    }
  });
  it('matches the §5 BPTT matrix on the optimal manifold (symmetric, −(ρρᵀ + a*²c³e₁e₁ᵀ))', () => {
    const ws = 0.5, as = 1, v = 1.5, u = as / v, c = 1 / (1 - ws * ws);
    const J = modeJacobian({ name: 'bptt' }, [ws, u, v], [ws, 1, 1]);
    const want = [as * as * (1 + ws * ws) * c ** 3, as * ws * c * c * v, as * ws * c * c * u, as * ws * c * c * v, c * v * v, c * as, as * ws * c * c * u, c * as, c * u * u];
    for (let i = 0; i < 9; i++) expect(rel(J[i]!, -want[i]!)).toBeLessThan(1e-14);
  });
  it('manifold eigenvalues (closed form λ(λ² + pλ + q)) equal the QR eigenvalues of J and of the central-difference J', () => {
    // eig's QR iteration is backward stable: eigenvalues agree to ~1e-14·‖J‖; the FD Jacobian to ~1e-7 (above),
    // and its eigenvalues move by as much (simple eigenvalues, well separated here): tolerance 1e-6.
    for (const t of TEACHERS) for (const rule of RULES) for (const sigma of [-2.2, -0.8, 0.5, 1.7]) {
      const r = manifoldEigenvalues(rule, t, { kind: 'optimal', sigma });
      const J = modeJacobian(rule, r.point, t);
      expect(jacobianPQ(J).p).toBeCloseTo(r.p, 12);
      for (const [E, tol] of [[jacobianEigenvalues(J), 1e-10], [jacobianEigenvalues(fdJacobian(rule, [...r.point], t)), 1e-6]] as const) {
        // match each closed-form eigenvalue to the nearest numerical one
        for (let k = 0; k < 3; k++) {
          let best = Infinity;
          for (let m = 0; m < 3; m++) best = Math.min(best, Math.hypot(E.re[m]! - r.eigenvalues.re[k]!, E.im[m]! - r.eigenvalues.im[k]!));
          expect(best / Math.max(1, Math.hypot(r.eigenvalues.re[k]!, r.eigenvalues.im[k]!)), `${rule.name} ${t} σ=${sigma} λ${k}`).toBeLessThan(tol);
        }
      }
    }
  });
  it('eta scales the Jacobian', () => {
    const a = modeJacobian({ name: 'eprop', b: 0.3 }, [0.2, 1, -1], [0.5, 1, 1]), b = modeJacobian({ name: 'eprop', b: 0.3 }, [0.2, 1, -1], [0.5, 1, 1], 2);
    for (let i = 0; i < 9; i++) expect(b[i]).toBe(2 * a[i]!);
  });
});
