// Tests of local/fig3-manifold-eigenvalues: reference eigenvalues, the complex segment (p² = 4q at its ends), BPTT's slowest points, fractions, presets.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { optimalPQ } from '../../theory/modes-stability.js';
import type { FigureSpec } from '../figure-spec.js';
import { fig3ManifoldEigenvaluesExperiment as exp, gridIntervals, ruleCurve } from './fig3-manifold-eigenvalues.js';

const run = (over: Record<string, unknown> = {}) => exp.run(exp.config.parse({ ...exp.quick, ...over }), createRng(1), () => {});
const panelB = { name: 'B', title: 'B', teacher: [0.5, 1, 1] as [number, number, number], alpha: 0, b: 1 };

describe('local/fig3-manifold-eigenvalues', () => {
  it('paper preset = panels A, B, C of the spec; quick = the same on a coarser grid; bad fields are refused', () => {
    const c = exp.config.parse({});
    expect(c.panels.map((p) => [p.name, p.teacher, p.alpha, p.b])).toEqual([['A', [0.5, 1, 1], 0.5, 1], ['B', [0.5, 1, 1], 0, 1], ['C', [0.1, 1, 1], 0.5, 1]]);
    expect([c.rules, c.tau, c.pointsPerBranch]).toEqual([['bptt', 'tbptt', 'rflo'], 1, 600]);
    expect(exp.config.parse(exp.quick).pointsPerBranch).toBe(100);
    expect(exp.config.safeParse({ sigmaMin: 4 }).success).toBe(false);
    expect(exp.config.safeParse({ panels: [{ ...panelB, alpha: 1 }] }).success).toBe(false);
  });

  it('the curves at grid points equal the reference eigenvalues of docs/theory/modes.md §5.3 (1e-12)', () => {
    // RFLO α = 0.5, b = 1, σ = 1.5 and one-step tBPTT σ = −0.5, teacher (0.5, 1, 1); O(1) values, 1e-12 absolute = ~1e4 ulps
    const rf = ruleCurve('rflo', { ...panelB, alpha: 0.5 }, 1, [1.5]);
    expect(Math.abs(rf.reP[0]! - -1.2258891920461317)).toBeLessThan(1e-12);
    expect(Math.abs(rf.reM[0]! - -3.342012042521768)).toBeLessThan(1e-12);
    expect(rf.rate[0]).toBe(-rf.reP[0]!);
    const tb = ruleCurve('tbptt', panelB, 1, [-0.5]);
    expect(Math.abs(tb.reP[0]! - -1.2329171749986334)).toBeLessThan(1e-12);
    expect(Math.abs(tb.reM[0]! - -6.128193936112476)).toBeLessThan(1e-12);
  });

  it('panel B: RFLO (α = 0, b = 1) is complex exactly on [−1.897, −1.216]; at both ends the closed-form p² − 4q vanishes', async () => {
    const d = await run();
    const B = d.panels.find((p) => p.name === 'B')!;
    const rf = B.rules.find((r) => r.rule === 'rflo')!;
    expect(rf.complex).toHaveLength(1);
    const [lo, hi] = rf.complex[0]!;
    // the spec: complex for v in [−1.90, −1.22]
    expect(lo).toBeCloseTo(-1.897, 3); expect(hi).toBeCloseTo(-1.216, 3);
    // independent: p, q from the closed forms (optimalPQ) — the discriminant changes sign at the bisected ends
    // (bisection to 1e-10 in σ; |d(p² − 4q)/dσ| is O(10) there, so |disc| < 1e-8)
    for (const x of [lo, hi]) {
      const { p, q } = optimalPQ({ name: 'rflo', alpha: 0, b: 1 }, [0.5, 1, 1], x);
      expect(Math.abs(p * p - 4 * q)).toBeLessThan(1e-8);
    }
    const mid = optimalPQ({ name: 'rflo', alpha: 0, b: 1 }, [0.5, 1, 1], -1.5);
    expect(mid.p * mid.p - 4 * mid.q).toBeLessThan(0);
    expect(mid.p).toBeLessThan(0); // unstable focus
    // the quick and paper grids find the same segment (bisected ends, 1e-9)
    const paper = ruleCurve('rflo', panelB, 1, Array.from({ length: 1200 }, (_, i) => -3 + (6 * i) / 1199).filter((x) => x !== 0));
    expect(Math.abs(paper.complex[0]![0] - lo)).toBeLessThan(1e-9);
    expect(Math.abs(paper.complex[0]![1] - hi)).toBeLessThan(1e-9);
    expect(exp.summary(d)['B.rflo.complex']).toBe('[-1.897, -1.216]');
    for (const p of d.panels) for (const r of p.rules) if (r.rule !== 'rflo' || p.name !== 'B') expect(r.complex).toEqual([]);
  });

  it('BPTT is slowest near σ = ±√|a*| on each branch; fractions are consistent; small w* brings tBPTT close to BPTT', async () => {
    const d = await exp.run(exp.config.parse({}), createRng(1), () => {});
    for (const p of d.panels) {
      const bp = p.rules.find((r) => r.rule === 'bptt')!;
      const h = p.sigma.findIndex((s) => s > 0), sq = Math.sqrt(p.teacher[1] * p.teacher[2]);
      const argmin = (lo: number, hi: number) => { let k = lo; for (let i = lo; i < hi; i++) if (bp.rate[i]! < bp.rate[k]!) k = i; return k; };
      // grid spacing (3 − 0.05)/599 ≈ 0.005; the closed form's minimum is at u² + v² minimal, σ = ±1
      expect(Math.abs(p.sigma[argmin(h, p.sigma.length)]! - sq)).toBeLessThan(0.006);
      expect(Math.abs(p.sigma[argmin(0, h)]! + sq)).toBeLessThan(0.006);
      const s = exp.summary(d);
      const sum = (k: string) => ['bptt', 'tbptt', 'rflo'].reduce((a, r) => a + (s[`${p.name}.${r}.${k}`] as number), 0);
      expect(sum('fastestFraction')).toBeCloseTo(1, 12);
      expect(sum('slowestFraction')).toBeCloseTo(1, 12);
      // RFLO's branch b·v < 0 (v < 0 here) is unstable everywhere on this grid, its other branch stable
      expect(s[`${p.name}.rflo.badBranchStableFraction`]).toBe(0);
      expect(s[`${p.name}.rflo.stableFraction`]).toBe(0.5);
      // RFLO is fastest only near σ → 0+ (|u| large) and not slowest everywhere: tBPTT is slowest on part of v > 0
      expect(s[`${p.name}.rflo.fastestFraction`] as number).toBeGreaterThan(0);
      expect(s[`${p.name}.rflo.slowestFraction`] as number).toBeLessThan(1);
      expect(s[`${p.name}.tbptt.slowestFraction`] as number).toBeGreaterThan(0);
    }
    const s = exp.summary(d);
    expect(s['C.tbpttVsBpttMaxRelDiff'] as number).toBeLessThan(0.03);
    expect(s['A.tbpttVsBpttMaxRelDiff'] as number).toBeGreaterThan(0.3);
    const figs = exp.figure(d) as FigureSpec[];
    expect(figs).toHaveLength(3);
    expect(figs[0]!.caption).toContain('RFLO is not slowest for σ in');
    expect(figs[1]!.caption).toContain('complex λ± for σ in [-1.9, -1.22]');
  });

  it('gridIntervals finds contiguous runs; the experiment is deterministic', async () => {
    expect(gridIntervals([1, 2, 3, 4, 5], (i) => i !== 2)).toEqual([[1, 2], [4, 5]]);
    expect(gridIntervals([1, 2], () => false)).toEqual([]);
    expect(exp.summary(await run())).toEqual(exp.summary(await run()));
  });
});
