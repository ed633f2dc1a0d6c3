// Tests of local/fig1-manifolds: both fixed sets checked against the closed forms of the field on them, the line loss, presets, figure.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import type { FigureSpec, TablePanel } from '../figure-spec.js';
import { fig1ManifoldsExperiment as exp, manifoldCheck } from './fig1-manifolds.js';
import { linspace } from './mode-figures.js';

const run = (over: Record<string, unknown> = {}) => exp.run(exp.config.parse({ ...exp.quick, ...over }), createRng(1), () => {});

describe('local/fig1-manifolds', () => {
  it('paper preset = teacher (0.5, 1, 1) with all four rules; quick = fewer samples; bad fields are refused', () => {
    const c = exp.config.parse({});
    expect([c.teacher, c.rules, c.alpha, c.b, c.points]).toEqual([[0.5, 1, 1], ['bptt', 'tbptt', 'rflo', 'eprop'], 0.5, 1, 500]);
    expect(exp.config.parse(exp.quick).points).toBe(100);
    expect(exp.config.safeParse({ teacher: [0.5, 1, 0] }).success).toBe(false);
    expect(exp.config.safeParse({ sigmaMin: 3 }).success).toBe(false);
  });

  it('hyperbola fixed for every rule, line fixed for BPTT and tBPTT only; loss on the line = ½a*²/(1 − w*²)', async () => {
    const d = await run();
    const s = exp.summary(d);
    for (const r of ['bptt', 'tbptt', 'rflo', 'eprop']) expect(s[`${r}.optimalMaxFieldNorm`]).toBe('< 1e-12');
    expect([s['bptt.lineFixed'], s['tbptt.lineFixed'], s['rflo.lineFixed'], s['eprop.lineFixed']]).toEqual(['yes', 'yes', 'no', 'no']);
    // at (w, 0, 0): RFLO's u̇ = b a*/(1 − αw*) for every w (4/3 here); e-prop's u̇ = b a*/(1 − ww*), smallest at w = −0.95;
    // ẇ = v̇ = 0 there for both (factors u), so the norm is |u̇|. 1e-12: O(1) closed forms, rounding ~1e-16.
    expect(Math.abs((s['rflo.lineMinFieldNorm'] as number) - 4 / 3)).toBeLessThan(1e-12);
    expect(Math.abs((s['eprop.lineMinFieldNorm'] as number) - 1 / (1 + 0.95 * 0.5))).toBeLessThan(1e-12);
    const ep = d.checks.find((c) => c.rule === 'eprop')!;
    expect(Math.abs(ep.lineMaxNorm - 1 / (1 - 0.95 * 0.5))).toBeLessThan(1e-12);
    expect(s['lineLossExpected']).toBeCloseTo(2 / 3, 15);
    for (const L of d.lineLoss) expect(Math.abs(L - 2 / 3)).toBeLessThan(1e-14);
    expect(s['lineLossMaxDeviation']).toBe('< 1e-12');
    expect(s['optimalMaxLoss']).toBe('< 1e-12');
  });

  it('manifoldCheck: another teacher gain (0.5, 1.2, 1) moves the line norm as b·a*/(1 − αw*) predicts (1.6)', () => {
    const cfg = exp.config.parse({ teacher: [0.5, 1.2, 1], rules: ['rflo'] });
    const c = manifoldCheck('rflo', cfg, [-1, 1], Array.from(linspace(-0.5, 0.5, 5)));
    expect(Math.abs(c.lineMinNorm - 1.2 / 0.75)).toBeLessThan(1e-12);
    expect(c.optimalMaxNorm).toBeLessThan(1e-12);
  });

  it('figure: two projections and the table; the caption says it agrees; deterministic', async () => {
    const d = await run();
    const f = exp.figure(d) as FigureSpec;
    expect(f.panels).toHaveLength(3);
    expect((f.panels[2] as TablePanel).rows.map((r) => r[3])).toEqual(['fixed', 'fixed', 'not fixed', 'not fixed']);
    expect(f.caption).toContain('These agree with the paper.');
    expect(exp.summary(await run())).toEqual(exp.summary(d));
  });
});
