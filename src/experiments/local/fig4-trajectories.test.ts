// Tests of local/fig4-trajectories: the paper's Fig. 4 end points (within 1e-3), stop times, RFLO's excursion, determinism, step-size convergence.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { modeLoss } from '../../theory/modes.js';
import type { FigureSpec, TablePanel } from '../figure-spec.js';
import { FIG4_PAPER, fig4Trajectory, fig4TrajectoriesExperiment as exp } from './fig4-trajectories.js';

const run = (over: Record<string, unknown> = {}) => exp.run(exp.config.parse({ ...exp.quick, ...over }), createRng(1), () => {});
const figureOf = (d: Parameters<typeof exp.figure>[0]): FigureSpec => {
  const f = exp.figure(d);
  return 'panels' in f ? f : f[0]!;
};

describe('local/fig4-trajectories', () => {
  it('paper preset = the spec setup; quick is the same; bad fields are refused', () => {
    const c = exp.config.parse({});
    expect([c.teacher, c.start, c.alpha, c.b, c.tau, c.dt, c.lossTol]).toEqual([[0.8, 1, 1], [0.7, -0.525, -2.1], 0.3, 0.3, 1, 1e-3, 1e-6]);
    expect(exp.config.parse(exp.quick)).toEqual(c);
    expect(exp.config.safeParse({ teacher: [1.2, 1, 1] }).success).toBe(false);
    expect(exp.config.safeParse({ teacher: [0.5, 0, 1] }).success).toBe(false);
    expect(exp.config.safeParse({ dtt: 1 }).success).toBe(false);
  });

  it('end points within 1e-3 of the paper\'s Fig. 4; stop times; RFLO crosses to the other branch with the reported excursion', async () => {
    const d = await run();
    expect(d.paperSetup).toBe(true);
    for (const r of d.trajectories) {
      const ref = FIG4_PAPER[r.rule as keyof typeof FIG4_PAPER];
      expect(r.stopReason).toBe('loss < lossTol');
      // the requirement: every end point within 1e-3 of the paper's (componentwise)
      for (let k = 0; k < 3; k++) expect(Math.abs(r.end[k]! - ref.end[k]!)).toBeLessThan(1e-3);
      // stop: the loss at the last step is below 1e-6 and the loss one kept point earlier is not
      expect(modeLoss(r.end, d.teacher)).toBeLessThan(1e-6);
      expect(r.loss.at(-2)!).toBeGreaterThanOrEqual(1e-6);
    }
    const [b, t, f] = d.trajectories;
    // stop times: BPTT 0.787 (paper 0.79), RFLO 18.394 (paper 18.4); tBPTT 1.322 where the paper says 1.33 (within 0.01)
    expect(b!.stopTime).toBeCloseTo(0.787, 9);
    expect(t!.stopTime).toBeCloseTo(1.322, 9);
    expect(Math.abs(t!.stopTime - FIG4_PAPER.tbptt.t)).toBeLessThan(0.01);
    expect(f!.stopTime).toBeCloseTo(18.394, 9);
    // RFLO's excursion, to the paper's 2 digits: w down to −0.66, loss 0.075 → 1.9, path 5.7 vs BPTT's 0.13
    expect(f!.minW).toBeGreaterThan(-0.665); expect(f!.minW).toBeLessThan(-0.655);
    expect(f!.initialLoss).toBeCloseTo(0.075, 3);
    expect(f!.maxLoss).toBeGreaterThan(1.85); expect(f!.maxLoss).toBeLessThan(1.95);
    expect(f!.pathLength).toBeGreaterThan(5.65); expect(f!.pathLength).toBeLessThan(5.75);
    expect(b!.pathLength).toBeGreaterThan(0.125); expect(b!.pathLength).toBeLessThan(0.135);
    // BPTT and tBPTT never leave the start's w-range downwards; RFLO ends on v > 0
    expect(b!.minW).toBe(0.7);
    expect(f!.end[2]).toBeGreaterThan(0);
    const fig = figureOf(d);
    expect(fig.caption).toContain('agrees at 1e-3');
    expect(fig.caption).toContain('stop time 1.322 vs 1.33 (differs by 0.008');
    expect((fig.panels[3] as TablePanel).rows).toHaveLength(3);
  });

  it('RK4 has converged: halving dt moves every end point by < 1e-4 (the stop is within one step, 1e-3, of the loss crossing)', async () => {
    const cfg = exp.config.parse({});
    for (const rule of ['bptt', 'tbptt', 'rflo'] as const) {
      const a = fig4Trajectory(rule, cfg), h = fig4Trajectory(rule, { ...cfg, dt: 5e-4 });
      // near the stop the state moves by |ẏ|·dt ≲ 0.1 × 1e-3 per step, so the two stops differ by < 1e-4
      for (let k = 0; k < 3; k++) expect(Math.abs(a.end[k]! - h.end[k]!)).toBeLessThan(1e-4);
      expect(Math.abs(a.stopTime - h.stopTime)).toBeLessThanOrEqual(1e-3 + 1e-12);
    }
  });

  it('deterministic; a non-paper setup drops the comparison; |w| >= 1 stops a run', async () => {
    expect(exp.summary(await run())).toEqual(exp.summary(await run()));
    const other = await run({ start: [0.7, -0.5, -2] });
    expect(other.paperSetup).toBe(false);
    expect(figureOf(other).caption).not.toContain('Against the paper');
    // a start far out pushes w past 1 for BPTT: the T = inf field is undefined there and the run stops cleanly
    const out = await run({ start: [0.95, 3, 3], rules: ['bptt'], tEnd: 5 });
    expect(out.trajectories[0]!.stopReason).toBe('|w| >= 1');
    expect(Math.abs(out.trajectories[0]!.end[0]!)).toBeLessThan(1);
  });
});
