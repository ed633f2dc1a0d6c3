// Tests of local/fig10-rank-vs-loss: same runs as fig6, correlations consistent with the runs, verdict rule, determinism, summary keys.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import type { FigureSpec, XYPanel } from '../figure-spec.js';
import { fig6LowRankExperiment } from './fig6-lowrank.js';
import { fig10RankVsLossExperiment as exp, PERMUTATIONS, VERDICT_ALPHA, type RankLossData } from './fig10-rank-vs-loss.js';
import { spearman } from './lowrank-runs.js';

const cfg = exp.config.parse(exp.quick);
let cached: Promise<RankLossData> | undefined;
const quickRun = (): Promise<RankLossData> => (cached ??= exp.run(cfg, createRng(exp.defaultSeed ?? 1), () => {}));

describe('local/fig10-rank-vs-loss', () => {
  it('shares config, presets and runs with local/fig6-lowrank (same seed → the same runs)', async () => {
    expect(exp.config.parse({})).toEqual(fig6LowRankExperiment.config.parse({}));
    expect(exp.quick).toEqual(fig6LowRankExperiment.quick);
    const d = await quickRun();
    const f6 = await fig6LowRankExperiment.run(cfg, createRng(exp.defaultSeed ?? 1), () => {});
    expect(d.groups).toEqual(f6.groups);
  });

  it('pooled and per-rule ρ recomputed from the runs; verdict follows ρ and p; deterministic; summary keys', async () => {
    const d = await quickRun();
    expect(d.correlations.map((c) => c.optimizer)).toEqual(['adam', 'sgd']);
    for (const c of d.correlations) {
      const ok = d.groups.filter((g) => g.optimizer === c.optimizer).flatMap((g) => g.runs.filter((r) => !r.diverged));
      expect(c.n).toBe(ok.length);
      expect(c.rho).toBe(spearman(ok.map((r) => r.eigRank), ok.map((r) => r.finalValLoss)));
      expect(c.p).toBeGreaterThanOrEqual(1 / (1 + PERMUTATIONS));
      expect(c.p).toBeLessThanOrEqual(1);
      expect(c.verdict).toBe(c.p < VERDICT_ALPHA ? (c.rho < 0 ? 'supported' : 'contradicted') : 'undecided');
      expect(c.perRule.map((r) => r.rule)).toEqual(['bptt', 'tbptt', 'rflo', 'eprop']);
      for (const r of c.perRule) {
        const o = d.groups.find((g) => g.optimizer === c.optimizer && g.rule === r.rule)!.runs.filter((x) => !x.diverged);
        expect(r.rho).toBe(spearman(o.map((x) => x.eigRank), o.map((x) => x.finalValLoss)));
        if (Number.isFinite(r.rho)) expect(r.p).toBeGreaterThanOrEqual(1 / (1 + PERMUTATIONS));
        else expect(r.p).toBeNaN();
      }
    }
    const again = await exp.run(cfg, createRng(exp.defaultSeed ?? 1), () => {});
    expect(again.correlations).toEqual(d.correlations);
    const s = exp.summary(d);
    for (const o of ['adam', 'sgd']) {
      for (const k of ['runs', 'diverged', 'spearman', 'spearmanP', 'higherRankLowerLoss']) expect(s).toHaveProperty(`${o}.${k}`);
      for (const r of ['bptt', 'tbptt', 'rflo', 'eprop']) for (const k of ['spearman', 'spearmanP']) expect(s).toHaveProperty(`${o}.${r}.${k}`);
    }
    // every SGD-RFLO run has rank d_out exactly: ρ within that rule is undefined and says so
    expect(s['sgd.rflo.spearman']).toBe('undefined (constant or < 2 runs)');
    const f: FigureSpec = (() => { const x = exp.figure(d); return 'panels' in x ? x : x[0]!; })();
    expect(f.panels).toHaveLength(3);
    expect((f.panels[0] as XYPanel).series.reduce((a, x) => a + x.x.length, 0)).toBe(d.correlations[0]!.n);
    expect(f.caption).toMatch(/The paper reports that higher rank correlates with lower loss/);
  });
});
