import { describe, it, expect } from 'vitest';
import { createRng } from '../../core/rng.js';
import { mackeyGlassExperiment } from './mackey-glass.js';
import { narma10Experiment } from './narma10.js';

describe('esn/mackey-glass (quick preset)', () => {
  it('predicts within the published ESN range and is deterministic per seed', async () => {
    const e = mackeyGlassExperiment;
    const cfg = e.config.parse({ ...e.quick, trials: 10 });
    const d = await e.run(cfg, createRng(1), () => {});
    // Published range for ESNs of a few hundred units (module doc): one-step NRMSE 1e-4..1e-3 (we allow
    // down to 1e-5), 84-step closed-loop NRMSE between 10^-4.2 (best published, 1000 units) and 10^-1.
    expect(d.nrmse1).toBeGreaterThan(1e-5);
    expect(d.nrmse1).toBeLessThan(1e-3);
    expect(d.nrmse84).toBeGreaterThan(10 ** -4.2);
    expect(d.nrmse84).toBeLessThan(1e-1);
    // Closed-loop error grows with the horizon (chaos): the last step is worse than the first.
    expect(d.nrmseByHorizon[83]!).toBeGreaterThan(d.nrmseByHorizon[0]!);
    const again = await e.run(cfg, createRng(1), () => {});
    expect(again.nrmse84).toBe(d.nrmse84);
    const fig = e.figure(d);
    expect('panels' in fig ? fig.panels.length : -1).toBe(3);
  });
});

describe('esn/narma10 (quick preset)', () => {
  it('has a U-shaped NRMSE vs spectral radius with its minimum in the published range', async () => {
    const e = narma10Experiment;
    const cfg = e.config.parse(e.quick);
    const d = await e.run(cfg, createRng(1), () => {});
    // Literature (module doc): NRMSE ≈ 0.3–0.45 for 100-unit ESNs; we accept [0.2, 0.5].
    expect(d.best.nrmse).toBeGreaterThan(0.2);
    expect(d.best.nrmse).toBeLessThan(0.5);
    expect(d.best.sr).toBeGreaterThanOrEqual(0.5);
    expect(d.best.sr).toBeLessThanOrEqual(1.05);
    // Too little memory (ρ = 0.3) and unstable echoes (ρ = 1.2) are both clearly worse than the best.
    const at = (sr: number): number => d.median[d.srGrid.indexOf(sr)]!;
    expect(at(0.3)).toBeGreaterThan(1.5 * d.best.nrmse);
    expect(at(1.2)).toBeGreaterThan(1.3 * d.best.nrmse);
    const s = e.summary(d);
    expect(s['bestNrmse']).toBe(d.best.nrmse);
  });
});
