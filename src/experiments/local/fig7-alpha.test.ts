// Tests of local/fig7-alpha: λ± per α against RFLO's closed-form p, q, the α = 0 complex segment, the measured trends, presets.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { optimalPQ } from '../../theory/modes-stability.js';
import type { FigureSpec } from '../figure-spec.js';
import { fig7AlphaExperiment as exp } from './fig7-alpha.js';

const run = (over: Record<string, unknown> = {}) => exp.run(exp.config.parse({ ...exp.quick, ...over }), createRng(1), () => {});

describe('local/fig7-alpha', () => {
  it('paper preset: teacher (0.5, 1, 1), b = 1, five α; quick = coarser grid; bad fields are refused', () => {
    const c = exp.config.parse({});
    expect([c.teacher, c.b, c.alphas, c.pointsPerBranch]).toEqual([[0.5, 1, 1], 1, [0, 0.25, 0.5, 0.75, 0.9], 600]);
    expect(exp.config.parse(exp.quick).pointsPerBranch).toBe(100);
    expect(exp.config.safeParse({ alphas: [0.5, 0.2] }).success).toBe(false);
    expect(exp.config.safeParse({ alphas: [0, 1] }).success).toBe(false);
  });

  it('λ+ + λ− = −p and λ+·λ− = q of RFLO\'s closed forms (docs/theory/modes.md §5.2) at every σ and α', async () => {
    const d = await run();
    for (const c of d.curves) {
      for (let i = 0; i < d.sigma.length; i += 7) {
        const { p, q } = optimalPQ({ name: 'rflo', alpha: c.alpha, b: d.b }, d.teacher, d.sigma[i]!);
        const rp = c.curve.reP[i]!, rm = c.curve.reM[i]!, ip = c.curve.imP[i]!, im = c.curve.imM[i]!;
        // the Jacobian route and the closed form differ by rounding only; p, q reach ~1e4 at σ → 0: relative 1e-9
        expect(Math.abs(rp + rm + p)).toBeLessThan(1e-9 * Math.max(1, Math.abs(p)));
        expect(Math.abs(rp * rm - ip * im - q)).toBeLessThan(1e-9 * Math.max(1, Math.abs(q)));
        expect(Math.abs(rp * im + ip * rm)).toBeLessThan(1e-9 * Math.max(1, Math.abs(q))); // product is real
      }
    }
  });

  it('α = 0 has the complex segment [−1.897, −1.216] (as Fig. 3B); larger α none; the stable branch\'s |Re λ±| grow with α, the other branch\'s λ− does not', async () => {
    const d = await run();
    const s = exp.summary(d);
    expect(s['alpha=0.complex']).toBe('[-1.897, -1.216]');
    for (const a of [0.25, 0.5, 0.75, 0.9]) expect(s[`alpha=${a}.complex`]).toBe('none');
    expect(s['goodBranchReGrowsWithAlpha']).toBe('yes');
    expect(s['badBranchReGrowsWithAlpha']).toBe('no');
    // the λ− medians on b·v < 0 dip from α = 0 to 0.25 (0.95 → 0.91) before rising
    expect(s['alpha=0.25.badMedianAbsReM'] as number).toBeLessThan(s['alpha=0.badMedianAbsReM'] as number);
    const f = exp.figure(d) as FigureSpec;
    expect(f.caption).toContain('does NOT grow monotonically with α');
    expect(f.caption).not.toContain('This agrees with the paper.');
    expect(exp.summary(await run())).toEqual(s);
  });
});
