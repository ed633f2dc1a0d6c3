// Tests of the single-mode vector field and loss (docs/theory/modes.md §1–3): reference values, limits, gradients, identities, 1-unit matrices.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { fromRows } from '../core/types.js';
import { expectedLoss, expectedUpdate } from './expected.js';
import { modeField, modeFieldGrid, modeLoss, modeRhs, type ModeRule } from './modes.js';
import type { RuleSpec } from '../learning/types.js';

const S = [0.4, 0.6, -0.5] as const, TCH = [0.7, 1.2, 0.9] as const;

/** Relative difference |x − y| / max(1, |y|). */
const rel = (x: number, y: number): number => Math.abs(x - y) / Math.max(1, Math.abs(y));

describe('mode vector field: reference values of docs/theory/expected.md §5.4 (T = inf)', () => {
  // The values are the closed forms evaluated in double precision; a few ulps of cancellation allow 1e-14.
  const cases: Array<[ModeRule, number, number]> = [
    [{ name: 'bptt' }, -0.4885204081632653, -0.9285714285714287],
    [{ name: 'tbptt', tau: 1 }, -0.3578571428571428, -0.69],
    [{ name: 'tbptt', tau: 3 }, -0.47870742857142856, -0.911376],
    [{ name: 'rflo', alpha: 0.5, b: 0.8 }, 0.8610989010989011, 1.6292307692307693],
    [{ name: 'eprop', b: 0.8 }, 0.7816326530612245, 1.485714285714286],
  ];
  for (const [rule, dw, du] of cases) {
    it(`${JSON.stringify(rule)}`, () => {
      const r = modeRhs(rule, S, TCH);
      expect(rel(r[0]!, dw)).toBeLessThan(1e-14);
      expect(rel(r[1]!, du)).toBeLessThan(1e-14);
      expect(rel(r[2]!, 1.1142857142857143)).toBeLessThan(1e-14);
    });
  }
  it('the mode loss', () => {
    expect(rel(modeLoss(S, TCH), 1.6471008403361345)).toBeLessThan(1e-14);
  });
  it('eta scales the field (the expected update of one step)', () => {
    const a = modeRhs({ name: 'rflo', alpha: 0.5, b: 0.8 }, S, TCH), b = modeRhs({ name: 'rflo', alpha: 0.5, b: 0.8 }, S, TCH, 'inf', 0.25);
    for (let i = 0; i < 3; i++) expect(b[i]).toBe(0.25 * a[i]!);
  });
});

const RULES: ModeRule[] = [
  { name: 'bptt' }, { name: 'tbptt', tau: 1 }, { name: 'tbptt', tau: 4 }, { name: 'rflo', alpha: 0.5, b: 0.8 },
  { name: 'rflo', alpha: 0, b: -1.3 }, { name: 'random-diagonal', d: 0.3, b: 0.7 }, { name: 'eprop', b: 0.8 }, { name: 'eprop', feedback: 'v' },
];

describe('finite T', () => {
  it('T = 400 equals the T = inf closed forms (0.7^400 < 1e-60) for every rule', () => {
    // The finite sums and the closed forms are two evaluations of the same convergent series: 1e-13 relative.
    for (const rule of RULES) {
      const a = modeRhs(rule, S, TCH, 400), b = modeRhs(rule, S, TCH, 'inf');
      for (let i = 0; i < 3; i++) expect(rel(a[i]!, b[i]!), `${rule.name} ${i}`).toBeLessThan(1e-13);
    }
    expect(rel(modeLoss(S, TCH, 400), modeLoss(S, TCH, 'inf'))).toBeLessThan(1e-13);
  });

  it('equals expectedUpdate / expectedLoss of the 1-unit network (N = I = O = 1) for every rule, any w', () => {
    // expectedUpdate sums matrix products by Horner recursions (docs/theory/expected.md §2.4): an independent
    // algorithm. Agreement to 1e-12 relative (sums of ≤ 30 terms of size ≤ 1.5^30 at w = 1.5 carry cancellation).
    const one = (x: number) => fromRows([[x]]);
    for (const [w, T] of [[0.4, 7], [-0.8, 12], [1.5, 30], [0.95, 1], [0.2, 2]] as const) {
      const st = [w, 0.6, -0.5], tc = [0.7, 1.2, 0.9];
      const net = { W: one(st[0]!), U: one(st[1]!), V: one(st[2]!) }, teacher = { W: one(tc[0]!), U: one(tc[1]!), V: one(tc[2]!) };
      for (const rule of RULES) {
        let spec: RuleSpec;
        switch (rule.name) {
          case 'bptt': spec = { name: 'bptt' }; break;
          case 'tbptt': spec = { name: 'tbptt', tau: rule.tau }; break;
          case 'rflo': spec = { name: 'rflo', alpha: rule.alpha, B: one(rule.b) }; break;
          case 'random-diagonal': spec = { name: 'random-diagonal', D: Float64Array.of(rule.d), B: one(rule.b) }; break;
          case 'eprop': spec = rule.feedback === 'v' ? { name: 'eprop', feedback: 'VT' } : { name: 'eprop', B: one(rule.b!) }; break;
        }
        const m = expectedUpdate(spec, net, teacher, T, { eta: 0.3 });
        const r = modeRhs(rule, st, tc, T, 0.3);
        const scale = Math.max(1, Math.abs(m.dW.data[0]!), Math.abs(m.dU.data[0]!), Math.abs(m.dV.data[0]!));
        expect(Math.abs(r[0]! - m.dW.data[0]!) / scale, `${rule.name} w=${w} T=${T} dW`).toBeLessThan(1e-12);
        expect(Math.abs(r[1]! - m.dU.data[0]!) / scale, `${rule.name} w=${w} T=${T} dU`).toBeLessThan(1e-12);
        expect(Math.abs(r[2]! - m.dV.data[0]!) / scale, `${rule.name} w=${w} T=${T} dV`).toBeLessThan(1e-12);
      }
      expect(rel(modeLoss(st, tc, T), expectedLoss(net, teacher, T))).toBeLessThan(1e-12);
    }
    // and the T = inf loss equals the Stein-equation loss
    const net = { W: one(0.4), U: one(0.6), V: one(-0.5) }, teacher = { W: one(0.7), U: one(1.2), V: one(0.9) };
    expect(rel(modeLoss(S, TCH), expectedLoss(net, teacher, 'inf'))).toBeLessThan(1e-12);
  });
});

describe('identities between rules', () => {
  const points: Array<readonly [number, number, number]> = [S, [-0.3, 1.4, 0.2], [0.85, -0.7, -1.1], [0, 0.5, 2]];
  const close = (a: Float64Array, b: Float64Array, tol: number, what: string): void => {
    for (let i = 0; i < 3; i++) expect(rel(a[i]!, b[i]!), `${what} [${i}]`).toBeLessThanOrEqual(tol);
  };
  it('BPTT is minus the gradient of the mode loss (central differences, finite T and inf)', () => {
    // Central differences with h = 1e-5 have truncation error h²/6·|L'''|: up to ~3e-8 at w = 0.85, where
    // L''' ~ a²·24w/(1 − w²)⁴ ≈ 1e3; rounding adds ~1e-16/h ≈ 1e-11. Tolerance 1e-7.
    const h = 1e-5;
    for (const T of ['inf', 9] as const) {
      for (const p of points) {
        const g = modeRhs({ name: 'bptt' }, p, TCH, T);
        for (let i = 0; i < 3; i++) {
          const a = [...p], b = [...p];
          a[i]! += h; b[i]! -= h;
          const fd = -(modeLoss(a, TCH, T) - modeLoss(b, TCH, T)) / (2 * h);
          expect(Math.abs(fd - g[i]!), `T=${T} ${p} ${i}`).toBeLessThan(1e-7);
        }
      }
    }
  });
  it('RFLO with α = 0 is one-step tBPTT with v → b in ẇ and u̇', () => {
    for (const T of ['inf', 6] as const) {
      for (const p of points) {
        const r = modeRhs({ name: 'rflo', alpha: 0, b: p[2] }, p, TCH, T), t = modeRhs({ name: 'tbptt', tau: 1 }, p, TCH, T);
        close(r, t, 1e-14, `T=${T} ${p}`);
      }
    }
  });
  it('e-prop with b = v is BPTT, and so is e-prop with feedback "v"', () => {
    for (const T of ['inf', 6] as const) {
      for (const p of points) {
        const bp = modeRhs({ name: 'bptt' }, p, TCH, T);
        close(modeRhs({ name: 'eprop', b: p[2] }, p, TCH, T), bp, 1e-14, `b=v T=${T}`);
        close(modeRhs({ name: 'eprop', feedback: 'v' }, p, TCH, T), bp, 1e-14, `feedback v T=${T}`);
      }
    }
  });
  it('tBPTT(τ) tends to BPTT as τ grows (τ = 300: (0.7·0.85)^300 < 1e-60)', () => {
    for (const T of ['inf', 500] as const) for (const p of points) close(modeRhs({ name: 'tbptt', tau: 300 }, p, TCH, T), modeRhs({ name: 'bptt' }, p, TCH, T), 1e-13, `T=${T}`);
  });
  it('random-diagonal with decay d is RFLO with α = d', () => {
    for (const p of points) close(modeRhs({ name: 'random-diagonal', d: 0.35, b: 0.6 }, p, TCH), modeRhs({ name: 'rflo', alpha: 0.35, b: 0.6 }, p, TCH), 0, 'rd');
  });
  it('RFLO has no singularity at w = α (the factor w − α cancels)', () => {
    const r = modeRhs({ name: 'rflo', alpha: 0.4, b: 0.8 }, S, TCH, 'inf'), f = modeRhs({ name: 'rflo', alpha: 0.4, b: 0.8 }, S, TCH, 400);
    close(r, f, 1e-13, 'w = α');
  });
});

describe('bad input', () => {
  it('T = inf refuses |w| ≥ 1 and |w*| ≥ 1, naming the field', () => {
    expect(() => modeRhs({ name: 'bptt' }, [1, 1, 1], TCH)).toThrow(/^modeRhs: student\[0\] = w = 1: T = "inf" needs \|w\| < 1/);
    expect(() => modeRhs({ name: 'bptt' }, S, [-1.2, 1, 1])).toThrow(/teacher\[0\] = w\* = -1.2/);
    expect(() => modeLoss([1.5, 1, 1], TCH)).toThrow(InputError);
    expect(modeRhs({ name: 'bptt' }, [1.5, 1, 1], TCH, 10)[0]).toBeTypeOf('number'); // finite T: any w
  });
  it('rule parameters are checked', () => {
    expect(() => modeRhs({ name: 'rflo', alpha: 1, b: 1 }, S, TCH)).toThrow(/alpha = 1: must be in \[0, 1\)/);
    expect(() => modeRhs({ name: 'tbptt', tau: 0 }, S, TCH)).toThrow(/tau = 0: must be an integer >= 1/);
    expect(() => modeRhs({ name: 'eprop' }, S, TCH)).toThrow(/b = undefined: must be a finite number/);
    expect(() => modeRhs({ name: 'rtrl' } as unknown as ModeRule, S, TCH)).toThrow(/rule = "rtrl": must be one of/);
    expect(() => modeRhs({ name: 'bptt' }, [1, 2], TCH)).toThrow(/student has length 2/);
    expect(() => modeRhs({ name: 'bptt' }, S, TCH, 0)).toThrow(/T = 0: must be an integer in \[1, 10000000\] or "inf"/);
  });
  it('the unchecked field gives NaN outside |w| < 1 (so integrators stop)', () => {
    const f = modeField({ name: 'rflo', alpha: 0.5, b: 1 }, TCH), out = new Float64Array(3);
    f([1, 1, 1], out);
    expect(Number.isNaN(out[0]!)).toBe(true);
  });
});

describe('modeFieldGrid', () => {
  it('equals modeRhs at every grid point for every rule (rows with |w| >= 1 are NaN)', () => {
    // The grid factors the same closed forms differently (affine in a per row): agreement to 1e-13 relative.
    const wv = [-0.95, -0.3, 0, 0.4, 0.7, 0.99, 1.2], uv = [-2.5, -0.1, 0, 0.6, 2];
    for (const rule of RULES) {
      const g = modeFieldGrid(rule, TCH, wv, uv, -0.5, 0.7);
      wv.forEach((w, i) => uv.forEach((u, j) => {
        const k = 3 * (i * uv.length + j);
        if (Math.abs(w) >= 1) { expect(Number.isNaN(g[k]!)).toBe(true); return; }
        const r = modeRhs(rule, [w, u, -0.5], TCH, 'inf', 0.7);
        for (let c = 0; c < 3; c++) expect(rel(g[k + c]!, r[c]!), `${rule.name} w=${w} u=${u} [${c}]`).toBeLessThan(1e-13);
      }));
    }
  });
});
