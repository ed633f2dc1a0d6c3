// Tests of the local/student-teacher experiment: config schema, determinism, learning happens, divergence is counted.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import type { XYPanel } from '../figure-spec.js';
import { studentTeacherExperiment as exp } from './student-teacher.js';

const tiny = { n: 5, teacherN: 3, T: 10, trainSize: 64, valSize: 32, batchSize: 16, epochs: 8, seeds: 2, lr: 0.1 };
const run = (over: Record<string, unknown>, seed = 1) => exp.run(exp.config.parse({ ...tiny, ...over }), createRng(seed), () => {});

describe('local/student-teacher', () => {
  it('schema: defaults are the full setup, quick overrides parse, unknown keys are refused', () => {
    const d = exp.config.parse({});
    expect(d.rules).toEqual(['bptt', 'tbptt', 'rflo', 'random-diagonal', 'eprop']);
    expect(d.seeds).toBe(5);
    expect(exp.config.parse(exp.quick).epochs).toBe(60);
    expect(exp.config.safeParse({ lamda: 1 }).success).toBe(false);
    expect(exp.config.safeParse({ rules: ['sgd'] }).success).toBe(false);
  });
  it('same seed → same data; training lowers the validation loss for BPTT on every seed', async () => {
    const a = await run({}), b = await run({});
    expect(exp.summary(a)).toEqual(exp.summary(b));
    const bptt = a.rules.find((r) => r.rule === 'bptt')!;
    expect(bptt.runs).toHaveLength(2);
    for (const r of bptt.runs) {
      expect(r.status).toBe('completed');
      expect(r.valLoss.at(-1)!).toBeLessThan(0.7 * r.valLoss[0]!);
      expect(r.updates).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32]);
    }
    const s = exp.summary(a);
    for (const rule of ['bptt', 'tbptt', 'rflo', 'random-diagonal', 'eprop']) {
      expect(typeof s[`${rule}.finalValLossMedian`]).toBe('number');
      expect(s[`${rule}.diverged`]).toBe(0);
    }
    const fig = exp.figure(a);
    const panel = (Array.isArray(fig) ? fig[0] : fig).panels[0] as XYPanel;
    expect(panel.series.map((x) => x.label)).toEqual(['bptt', 'tbptt', 'rflo', 'random-diagonal', 'eprop']);
    expect(panel.series[0]!.band!.lo.length).toBe(9);
    expect(panel.y.scale).toBe('log');
  });
  it('a huge learning rate makes runs diverge; they are counted, and the figure and summary stay finite', async () => {
    const d = await run({ lr: 50, rules: ['bptt', 'rflo'] });
    const s = exp.summary(d);
    expect(s['bptt.diverged']).toBe(2);
    expect(s['bptt.finalValLossMedian']).toBe('all diverged');
    const fig = exp.figure(d);
    const panel = (Array.isArray(fig) ? fig[0] : fig).panels[0] as XYPanel;
    for (const sr of panel.series) for (const v of Array.from(sr.y)) expect(Number.isFinite(v)).toBe(true);
  });
});
