// Tests of local/fig2-vector-fields: the slice field against the closed forms, the origin, RFLO leaving the lower-left branch where theory says.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import type { FigureSpec, QuiverPanel } from '../figure-spec.js';
import { fig2VectorFieldsExperiment as exp, sliceField } from './fig2-vector-fields.js';

const run = (over: Record<string, unknown> = {}) => exp.run(exp.config.parse({ ...exp.quick, ...over }), createRng(1), () => {});

describe('local/fig2-vector-fields', () => {
  it('paper preset = the spec setup; quick = coarser grids; bad fields are refused', () => {
    const c = exp.config.parse({});
    expect([c.teacher, c.alpha, c.b, c.tau, c.range, c.gridPoints]).toEqual([[0.5, 1, 1], 0.5, 1, 1, 2.5, 21]);
    expect(exp.config.parse(exp.quick).gridPoints).toBe(11);
    expect(exp.config.safeParse({ b: 0 }).success).toBe(false);
    expect(exp.config.safeParse({ rules: ['rtrl'] }).success).toBe(false);
  });

  it('slice field equals the closed forms at w = w* (BPTT: u̇ = vG, v̇ = uG; RFLO: u̇ = b(a* − a)d; G = (a* − a)c), 1e-12', () => {
    const cfg = exp.config.parse(exp.quick);
    const g = Array.from({ length: 11 }, (_, i) => -2.5 + 0.5 * i), c = 1 / (1 - 0.25), d = 1 / (1 - 0.5 * 0.5);
    const bp = sliceField('bptt', cfg), rf = sliceField('rflo', cfg);
    for (let i = 0; i < 11; i++) {
      for (let j = 0; j < 11; j++) {
        const u = g[j]!, v = g[i]!, G = (1 - u * v) * c, k = i * 11 + j;
        // values up to |v·G| ≈ 2.5 × 7.3 × 1.33 ≈ 25: 1e-12 absolute is far above rounding, far below any formula error
        expect(Math.abs(bp.du[k]! - v * G)).toBeLessThan(1e-12);
        expect(Math.abs(bp.dv[k]! - u * G)).toBeLessThan(1e-12);
        expect(Math.abs(rf.du[k]! - (1 - u * v) * d)).toBeLessThan(1e-12);
        expect(Math.abs(rf.dv[k]! - u * G)).toBeLessThan(1e-12);
      }
    }
  });

  it('origin: a saddle for BPTT and tBPTT (±a*/(1 − w*²), ±a*/√(1 − w*²)), not fixed for RFLO (|u̇| = b a*/(1 − αw*) = 4/3)', async () => {
    const d = await run();
    const s = exp.summary(d);
    expect([s['bptt.originFixed'], s['tbptt.originFixed'], s['rflo.originFixed']]).toEqual(['yes', 'yes', 'no']);
    expect(s['bptt.originSaddleEigenvalue'] as number).toBeCloseTo(4 / 3, 12);
    expect(s['tbptt.originSaddleEigenvalue'] as number).toBeCloseTo(1 / Math.sqrt(0.75), 12);
    expect(s['rflo.originSpeed'] as number).toBeCloseTo(4 / 3, 12);
    expect('rflo.originSaddleEigenvalue' in s).toBe(false);
  });

  it('BPTT and tBPTT attract onto both branches; RFLO leaves the lower-left branch exactly where v³ < −c a*²/(b d)', async () => {
    // on the slice d(uv)/dt = (a* − a)(b v d + c u²) for RFLO: with u = a*/v the flow leaves iff b v d + c a*²/v² < 0
    for (const [alpha, vStar] of [[0.5, -1], [0, -Math.cbrt(4 / 3)]] as const) {
      const d = await exp.run(exp.config.parse({ alpha }), createRng(1), () => {});
      for (const f of d.fields) {
        if (f.rule !== 'rflo') { expect(f.leaves.every((x) => !x)).toBe(true); continue; }
        for (let i = 0; i < f.branchSigma.length; i++) {
          const sg = f.branchSigma[i]!;
          // δ = 1e-4 offsets move the boundary by O(1e-4); skip points that close to it
          if (Math.abs(sg - vStar) > 1e-3) expect(f.leaves[i]).toBe(sg < vStar);
        }
      }
      const s = exp.summary(d);
      expect(s['rflo.posBranchLeaveFraction']).toBe(0);
      // the lower-left branch samples σ ∈ [−2.5, −0.4] uniformly: the leaving part [−2.5, v*] is its share
      expect(s['rflo.negBranchLeaveFraction'] as number).toBeCloseTo((2.5 + vStar) / 2.1, 2);
    }
  });

  it('figure: one quiver per rule with unit arrows and the hyperbola; deterministic', async () => {
    const d = await run();
    const f = exp.figure(d) as FigureSpec;
    expect(f.panels).toHaveLength(3);
    const q = f.panels[2] as QuiverPanel;
    expect(q.px).toHaveLength(121);
    const rf = d.fields[2]!;
    // unit arrows, except zero ones where the field vanishes: the 6 grid points on uv = 1 ((±1, ±1), (±2, ±0.5), (±0.5, ±2))
    for (let k = 0; k < 121; k++) expect(Math.hypot(q.dx[k]!, q.dy[k]!)).toBeCloseTo(rf.du[k] === 0 && rf.dv[k] === 0 ? 0 : 1, 12);
    expect(rf.du.filter((x, k) => x === 0 && rf.dv[k] === 0)).toHaveLength(6);
    expect(q.series).toHaveLength(2);
    expect(f.caption).toContain('flow leaves the lower-left branch on 71%');
    expect(exp.summary(await run())).toEqual(exp.summary(d));
  });
});
