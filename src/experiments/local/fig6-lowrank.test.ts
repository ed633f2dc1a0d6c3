// Tests of local/fig6-lowrank and its shared runs (lowrank-runs.ts): presets, determinism, RFLO's exact low rank under SGD, divergence, Spearman.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { createRng } from '../../core/rng.js';
import type { FigureSpec, TablePanel, XYPanel } from '../figure-spec.js';
import { fig6LowRankExperiment as exp } from './fig6-lowrank.js';
import { lowRankRuns, spearman, spearmanPermutationP, type LowRankData } from './lowrank-runs.js';

const figureOf = (d: LowRankData): FigureSpec => {
  const f = exp.figure(d);
  return 'panels' in f ? f : f[0]!;
};
const quickCfg = exp.config.parse(exp.quick);
let quick: Promise<LowRankData> | undefined;
/** The quick preset at the default seed, run once for the tests below. */
const quickRun = (): Promise<LowRankData> => (quick ??= exp.run(quickCfg, createRng(exp.defaultSeed ?? 1), () => {}));

describe('local/fig6-lowrank', () => {
  it('paper preset = the Fig. 6 setup (N* = 10 listed modes, d = 2, N = 32, T = 50, sequence loss, Adam 1e-3, clip 1, batch 32, 3000 iterations, 20 seeds); quick is smaller', () => {
    const d = exp.config.parse({});
    expect(d.teacherModes).toEqual([0.828, 0.828, 0.736, 0.736, 0.644, 0.644, 0.644, 0.552, 0.552, 0.552]);
    expect([d.nIn, d.nOut, d.n, d.T, d.loss, d.batchSize, d.seeds, d.divergeAbove]).toEqual([2, 2, 32, 50, 'sequence-mean', 32, 20, 1e3]);
    expect([d.adamLr, d.clipNorm, d.alpha, d.tau]).toEqual([1e-3, 1, 0.5, 1]);
    expect(d.epochs * Math.ceil(d.trainSize / d.batchSize)).toBe(3000);
    expect(d.rules).toEqual(['bptt', 'tbptt', 'rflo', 'eprop']);
    expect(d.optimizers).toEqual(['adam', 'sgd']);
    expect(quickCfg.n).toBeLessThan(d.n);
    expect(quickCfg.seeds * quickCfg.epochs * Math.ceil(quickCfg.trainSize / quickCfg.batchSize)).toBeLessThan(3000);
    expect(exp.config.safeParse({ optimizers: ['momentum'] }).success).toBe(false);
    expect(exp.config.safeParse({ rules: ['random-diagonal'] }).success).toBe(false);
    expect(exp.config.safeParse({ lr: 1 }).success).toBe(false); // strict: adamLr / sgdLr
  });

  it('quick run: SGD-RFLO ΔW has numerical rank d_out and lies in col(B) (share < 1e-10) on every seed; Adam-RFLO does not', async () => {
    const d = await quickRun();
    expect(d.groups).toHaveLength(8);
    const sgd = d.groups.find((g) => g.optimizer === 'sgd' && g.rule === 'rflo')!;
    const adam = d.groups.find((g) => g.optimizer === 'adam' && g.rule === 'rflo')!;
    expect(sgd.runs).toHaveLength(quickCfg.seeds);
    for (const r of sgd.runs) {
      expect(r.diverged).toBe(false);
      expect(r.numericalRank).toBe(quickCfg.nOut);
      // ΔW = B·Ξ exactly (docs/theory/alignment.md §4): what is left outside col(B) is summation rounding, ~1e-15 measured
      expect(r.outsideB).toBeLessThan(1e-10);
      expect(r.eigRank).toBeLessThanOrEqual(quickCfg.nOut);
    }
    // Adam rescales entries one by one: ΔW leaves col(B) by tens of percent (0.57 measured) and is full rank
    for (const r of adam.runs) {
      expect(r.outsideB).toBeGreaterThan(0.1);
      expect(r.numericalRank).toBeGreaterThan(quickCfg.nOut);
    }
    for (const g of d.groups) {
      for (const r of g.runs) {
        expect(r.moduli).toHaveLength(quickCfg.n);
        expect(r.moduli[0]).toBeCloseTo(1, 14);
        for (let k = 1; k < r.moduli.length; k++) expect(r.moduli[k]!).toBeLessThanOrEqual(r.moduli[k - 1]! * (1 + 1e-12));
        expect(r.eigRank).toBe(r.moduli.filter((m) => m > 1e-2).length);
        expect(r.finalValLoss).toBeGreaterThan(0);
      }
    }
  });

  it('same seed → same data (another seed differs); summary keys; the caption says the claim holds under SGD, not under Adam', async () => {
    const a = await quickRun();
    const b = await exp.run(quickCfg, createRng(exp.defaultSeed ?? 1), () => {});
    expect(b).toEqual(a);
    const c = await exp.run(exp.config.parse({ ...exp.quick, seeds: 1, optimizers: ['sgd'], rules: ['bptt'] }), createRng(2), () => {});
    expect(c.groups[0]!.runs[0]!.finalValLoss).not.toBe(a.groups.find((g) => g.optimizer === 'sgd' && g.rule === 'bptt')!.runs[0]!.finalValLoss);
    const s = exp.summary(a);
    for (const o of ['adam', 'sgd']) {
      for (const r of ['bptt', 'tbptt', 'rflo', 'eprop']) {
        for (const k of ['numericalRank', 'eigenvalueRank', 'entropyRank', 'outsideB', 'converged', 'diverged', 'finalValLoss']) expect(s).toHaveProperty(`${o}.${r}.${k}`);
        expect(s[`${o}.${r}.converged`]).toBe(quickCfg.seeds);
      }
    }
    expect(s['sgd.rflo.exactRankDOut']).toBe('yes');
    expect(s['adam.rflo.exactRankDOut']).toBe('no');
    expect(s['sgd.rflo.outsideB']).toBe('< 1e-12');
    expect(s['sgd.rflo.numericalRank']).toBe(2);
    const f = figureOf(a);
    expect(f.panels).toHaveLength(3);
    expect((f.panels[0] as XYPanel).series.map((x) => x.label)).toEqual(['bptt', 'tbptt', 'rflo', 'eprop']);
    expect((f.panels[2] as TablePanel).rows).toHaveLength(8);
    expect(f.caption).toMatch(/Under sgd RFLO's ΔW has median numerical rank 2 .*claim holds/);
    expect(f.caption).toMatch(/Under adam RFLO's ΔW .*does not hold/);
  });

  it('diverged runs are counted and left out of the rank statistics; progress reaches 1', async () => {
    // plain SGD with η = 50 and no clipping blows up on this teacher within the first epochs
    const cfg = exp.config.parse({ ...exp.quick, seeds: 2, epochs: 5, optimizers: ['sgd'], rules: ['bptt'], sgdLr: 50, clipNorm: 0 });
    const seen: number[] = [];
    const d = await lowRankRuns(cfg, createRng(3), (f) => seen.push(f));
    expect(seen.at(-1)).toBe(1);
    const runs = d.groups[0]!.runs;
    expect(runs.every((r) => r.diverged && r.moduli.length === 0 && Number.isNaN(r.eigRank))).toBe(true);
    const s = exp.summary(d);
    expect([s['sgd.bptt.diverged'], s['sgd.bptt.converged']]).toEqual([2, 0]);
    expect(s['sgd.bptt.eigenvalueRank']).toBeNaN();
    expect(figureOf(d).caption).toMatch(/Diverged runs \(validation loss > 1e3\): sgd bptt 2\/2/);
  });
});

describe('spearman and its permutation p-value', () => {
  it('equals 1 − 6Σd²/(n(n²−1)) without ties, the Pearson correlation of hand-made average ranks with ties', () => {
    const x = [3.1, 0.2, 5.5, 4.4, 1.0, 9.0, 7.7], y = [2, 1, 7, 3, 4, 6, 5];
    const rx = [3, 1, 5, 4, 2, 7, 6];
    const n = 7, d2 = rx.reduce((a, r, i) => a + (r - y[i]!) ** 2, 0);
    // both are exact rational arithmetic up to rounding of O(10) terms: 1e-14
    expect(Math.abs(spearman(x, y) - (1 - (6 * d2) / (n * (n * n - 1))))).toBeLessThan(1e-14);
    // ties: x = (2, 2, 5, 8) has average ranks (1.5, 1.5, 3, 4), y = (0, 7, 7, 7) has (1, 3, 3, 3); their Pearson ρ by hand
    const a = [1.5, 1.5, 3, 4], b = [1, 3, 3, 3];
    const ma = 2.5, mb = 2.5;
    const cov = a.reduce((s, v, i) => s + (v - ma) * (b[i]! - mb), 0);
    const va = a.reduce((s, v) => s + (v - ma) ** 2, 0), vb = b.reduce((s, v) => s + (v - mb) ** 2, 0);
    expect(Math.abs(spearman([2, 2, 5, 8], [0, 7, 7, 7]) - cov / Math.sqrt(va * vb))).toBeLessThan(1e-14);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(spearman([2, 2, 2], [1, 2, 3])).toBeNaN();
    expect(spearman([1], [1])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(InputError);
    expect(() => spearman([1, 2], [1])).toThrow(/y has 1 values, x has 2: must be equal in length/);
  });

  it('the permutation p-value agrees with exact enumeration of all 5! permutations within 4 standard errors', () => {
    const x = [1, 2, 3, 4, 5], y = [2, 1, 4, 3, 5];
    const rho = spearman(x, y);
    const perms: number[][] = [];
    const rec = (left: number[], acc: number[]): void => {
      if (!left.length) { perms.push(acc); return; }
      left.forEach((v, i) => rec([...left.slice(0, i), ...left.slice(i + 1)], [...acc, v]));
    };
    rec(y, []);
    const exact = perms.filter((p) => Math.abs(spearman(x, p)) >= Math.abs(rho) - 1e-12).length / perms.length;
    const P = 4000;
    const got = spearmanPermutationP(x, y, createRng(11), P);
    // Monte Carlo: the hit rate has SE √(p(1−p)/P) (≈ 0.008 here); the +1 correction moves it by < 1/P
    expect(Math.abs(got - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / P) + 1 / P);
    expect(spearmanPermutationP([1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1], createRng(1), 2000)).toBeLessThan(0.01);
    expect(spearmanPermutationP([1, 1, 1], [1, 2, 3], createRng(1))).toBeNaN();
  });
});
