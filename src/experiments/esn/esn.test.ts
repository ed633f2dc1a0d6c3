// Tests of the esn/* experiments: published ranges, the embedded EsnConfig schema, divergence in the sweep, progress from inside.
import { describe, it, expect } from 'vitest';
import type { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import { EsnConfig } from '../../models/reservoir.js';
import { resolveConfig } from '../config.js';
import type { FigureSpec, XYPanel } from '../figure-spec.js';
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
    // the caption states the published numbers, ours and the verdict (500 units: in range, not the 1000-unit result)
    const cap = (fig as FigureSpec).caption;
    expect(cap).toContain('Published: NRMSE_84 ≈ 10^-4.2 with 1000 units');
    expect(cap).toContain(`10^${Math.log10(d.nrmse84).toFixed(2)}: within the published range, but not the 1000-unit result`);
  });

  it('paper preset has the cited result\'s size: 1000 units, 3000 training steps, 100 trials', () => {
    const c = resolveConfig(mackeyGlassExperiment, { preset: 'paper' }).config;
    expect([c['units'], c['trainLength'], c['trials'], c['horizon']]).toEqual([1000, 3000, 100, 84]);
    const q = resolveConfig(mackeyGlassExperiment, { preset: 'quick' }).config;
    expect([q['units'], q['trainLength'], q['trials']]).toEqual([500, 2000, 20]);
  });

  it('reports progress from inside the run: teacher-forced chunks and every closed-loop trial, non-decreasing to 1', async () => {
    const e = mackeyGlassExperiment;
    const seen: Array<[number, string | undefined]> = [];
    await e.run(e.config.parse({ ...e.quick, units: 300, trainLength: 3000, trials: 5 }), createRng(2), (f, note) => seen.push([f, note]));
    // 300 units: 2^28 / (300·301) = 2972 rows per chunk, so the 4200 teacher-forced steps take 2 chunks
    expect(seen.filter(([, n]) => n?.startsWith('teacher-forced step')).map(([, n]) => n)).toEqual(['teacher-forced step 2972/4200', 'teacher-forced step 4200/4200']);
    expect(seen.filter(([, n]) => n?.startsWith('closed loop'))).toHaveLength(5);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0]);
    expect(seen.at(-1)![0]).toBe(1);
  });
});

/** A probe of values and types for every kind of EsnConfig field. */
const PROBES: unknown[] = [-1, 0, 1e-9, 0.5, 1, 1.5, 3, 10, 4096, 4097, 2.5, 'tanh', 'identity', 'normal', 'uniform', 'bernoulli', 'x', null, true];

describe('esn/* configs embed EsnConfig', () => {
  const fields = Object.keys(EsnConfig.shape) as Array<keyof typeof EsnConfig.shape>;
  const shapeOf = (e: typeof mackeyGlassExperiment | typeof narma10Experiment): Record<string, z.ZodType> =>
    (e.config as unknown as { shape: Record<string, z.ZodType> }).shape;

  it('every EsnConfig field is a config field that accepts and refuses exactly what the model does (sr: narma10 sweeps it)', () => {
    for (const [e, skip] of [[mackeyGlassExperiment, []], [narma10Experiment, ['sr']]] as const) {
      const shape = shapeOf(e);
      for (const f of fields) {
        if ((skip as readonly string[]).includes(f)) {
          expect(shape[f], `${e.id}.${f}`).toBeUndefined();
          continue;
        }
        expect(shape[f], `${e.id}.${f}`).toBeDefined();
        for (const v of PROBES) {
          expect(shape[f]!.safeParse(v).success, `${e.id}.${f} = ${String(v)}`).toBe(EsnConfig.shape[f].safeParse(v).success);
        }
      }
    }
    // narma10's radii are checked as the model checks sr
    for (const v of PROBES) {
      const ok = EsnConfig.shape.sr.safeParse(v).success && v !== undefined;
      expect(shapeOf(narma10Experiment)['srShown']!.safeParse(v).success, `srShown = ${String(v)}`).toBe(ok);
      expect(shapeOf(narma10Experiment)['srGrid']!.safeParse([0.5, v]).success, `srGrid[1] = ${String(v)}`).toBe(ok);
    }
  });

  it('old config files still parse; a bad field is one line naming field, value and allowed range', () => {
    const old = { units: 200, sr: 1.0, inputScaling: 0.4, connectivity: 0.05, leakRate: 0.5, bias: 0.1, ridge: 1e-6, washout: 100, trainLength: 1000, testLength: 500, horizon: 50, trials: 5, discard: 500 };
    expect(() => resolveConfig(mackeyGlassExperiment, { overrides: old })).not.toThrow();
    expect(() => resolveConfig(narma10Experiment, { overrides: { units: 50, srGrid: [0.5, 0.9], srShown: 0.9, inputScaling: 0.3, connectivity: 0.2, bias: 0, ridge: 1e-6, washout: 100, trainLength: 500, testLength: 200, seeds: 2 } })).not.toThrow();
    const msg = (id: 'mg' | 'narma', overrides: Record<string, unknown>): string => {
      try {
        resolveConfig(id === 'mg' ? mackeyGlassExperiment : narma10Experiment, { overrides });
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    expect(msg('mg', { units: 5000 })).toBe('config: units = 5000: must be <= 4096 (esn/mackey-glass)');
    expect(msg('mg', { leakRate: 0 })).toBe('config: leakRate = 0: must be > 0 (esn/mackey-glass)');
    expect(msg('mg', { activation: 'relu' })).toBe('config: activation = "relu": must be one of "identity", "tanh" (esn/mackey-glass)');
    expect(msg('narma', { srGrid: [0.5, -1] })).toBe('config: srGrid[1] = -1: must be > 0 (esn/narma10)');
    expect(msg('narma', { sr: 0.9 })).toMatch(/^config: unknown field "sr" \(esn\/narma10\); allowed: units, inputScaling, .*srGrid, srShown/);
    for (const m of [msg('mg', { units: 5000 }), msg('narma', { sr: 0.9 })]) expect(m).not.toContain('\n');
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
    expect((e.figure(d) as FigureSpec).caption).toContain(`Measured best median ${d.best.nrmse.toFixed(3)} with 100 units: ` +
      (d.best.nrmse >= 0.3 && d.best.nrmse <= 0.45 ? 'within the published range' : d.best.nrmse < 0.3 ? 'below' : 'not reproduced'));
    expect(d.best.sr).toBeGreaterThanOrEqual(0.5);
    expect(d.best.sr).toBeLessThanOrEqual(1.05);
    // Too little memory (ρ = 0.3) and unstable echoes (ρ = 1.2) are both clearly worse than the best.
    const at = (sr: number): number => d.median[d.srGrid.indexOf(sr)]!;
    expect(at(0.3)).toBeGreaterThan(1.5 * d.best.nrmse);
    expect(at(1.2)).toBeGreaterThan(1.3 * d.best.nrmse);
    const s = e.summary(d);
    expect(s['bestNrmse']).toBe(d.best.nrmse);
    expect(s['diverged']).toBe(0);
  });

  it('diverged trials count as +∞ in the medians and are counted; the best radius is among the finite ones', async () => {
    const e = narma10Experiment;
    // An identity reservoir is stable for ρ < 1 and blows up for ρ = 1.5 (its states grow like 1.5^t).
    const cfg = e.config.parse({ ...e.quick, units: 30, activation: 'identity', srGrid: [0.5, 0.9, 1.5], srShown: 0.9, washout: 50, trainLength: 400, testLength: 200, seeds: 3 });
    const seen: number[] = [];
    const d = await e.run(cfg, createRng(1), (f) => seen.push(f));
    expect(d.diverged).toEqual([0, 0, 3]);
    expect(d.median[2]).toBe(Infinity);
    expect(Number.isFinite(d.median[0]!) && Number.isFinite(d.median[1]!)).toBe(true);
    expect([0.5, 0.9]).toContain(d.best.sr);
    const s = e.summary(d);
    expect(s['diverged']).toBe(3);
    expect(s['bestNrmse']).toBe(Math.min(d.median[0]!, d.median[1]!));
    const fig = e.figure(d);
    const f = 'panels' in fig ? fig : fig[0]!;
    expect(f.caption).toContain('3 of 9 trials diverged');
    expect(f.caption).toContain('not plotted: ρ = 1.5');
    const curve = (f.panels[0] as XYPanel).series[0]!;
    expect(Array.from(curve.x)).toEqual([0.5, 0.9]);
    for (const v of [...Array.from(curve.y), ...Array.from(curve.band!.hi)]) expect(Number.isFinite(v)).toBe(true);
    // progress from inside every trial (chunks) as well as between trials, non-decreasing to 1
    expect(seen.length).toBeGreaterThan(3 * 3 * 2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.at(-1)).toBe(1);
  });
});
