// Tiny fake experiments for the runner, report and CLI tests: a quick y = x² one, one that throws, one slow with progress.
import { z } from 'zod';
import { defineExperiment, type AnyExperiment } from '../src/experiments/experiment.js';

/** How many times each fake experiment's run() was called (tests reset it). */
export const runCalls = new Map<string, number>();

function count(id: string): void {
  runCalls.set(id, (runCalls.get(id) ?? 0) + 1);
}

const squareConfig = z.object({
  n: z.number().int().min(2).max(1000).default(50),
  scale: z.number().gt(0).default(1),
  noise: z.object({ amp: z.number().nonnegative().default(0.01) }).strict().default({ amp: 0.01 }),
}).strict();

/** y = scale·x² on n points in [0, 1] plus seeded uniform noise of amplitude noise.amp. */
export const squareExperiment = defineExperiment({
  id: 'fake/square',
  title: 'Square law',
  source: { paper: 'Test paper 2026', figure: 'Fig. 1' },
  description: 'Computes y = scale·x² on a grid, with a little seeded noise.',
  config: squareConfig,
  quick: { n: 8 },
  defaultSeed: 7,
  async run(cfg, rng) {
    count('fake/square');
    const x = new Float64Array(cfg.n);
    const y = new Float64Array(cfg.n);
    const r = rng.child('noise');
    for (let i = 0; i < cfg.n; i++) {
      x[i] = i / (cfg.n - 1);
      y[i] = cfg.scale * x[i]! * x[i]! + cfg.noise.amp * (r.uniform() - 0.5);
    }
    return { x, y, n: cfg.n };
  },
  figure(d) {
    return {
      title: 'Square law figure',
      caption: 'y against x with the exact curve.',
      panels: [
        { x: { label: 'input x' }, y: { label: 'output y' }, series: [{ label: 'measured y', kind: 'points', x: d.x, y: d.y }, { label: 'exact x²', x: d.x, y: Array.from(d.x, (v) => v * v), dash: true }] },
        { kind: 'table', title: 'first points', columns: ['x', 'y'], rows: [[d.x[0]!, d.y[0]!], [d.x[1]!, Number.NaN]] },
      ],
    };
  },
  summary(d) {
    let s = 0;
    for (const v of d.y) s += v;
    return { n: d.n, sumY: s, ratio: Number.POSITIVE_INFINITY, label: 'parabola' };
  },
});

/** Always throws inside run(). */
export const throwingExperiment = defineExperiment({
  id: 'fake/throws',
  title: 'Always fails',
  source: { paper: 'Test paper 2026', figure: 'Fig. 2' },
  description: 'Throws on purpose.',
  config: z.object({ k: z.number().default(1) }).strict(),
  quick: {},
  async run() {
    count('fake/throws');
    throw new Error('boom: diverged at epoch 3');
  },
  figure() {
    return { title: 'never', panels: [] };
  },
  summary() {
    return {};
  },
});

/** Takes a few event-loop turns and reports progress; two figures (heatmap, quiver). */
export const slowExperiment = defineExperiment({
  id: 'fake/slow',
  title: 'Slow with progress',
  source: { paper: 'Other paper', figure: 'Fig. 3' },
  description: 'Reports progress in steps; draws a heat map and a vector field.',
  config: z.object({ steps: z.number().int().min(1).default(20) }).strict(),
  quick: { steps: 5 },
  async run(cfg, _rng, progress) {
    count('fake/slow');
    for (let i = 0; i < cfg.steps; i++) {
      await new Promise((r) => setTimeout(r, 1));
      progress((i + 1) / cfg.steps, `step ${i + 1}`);
    }
    return { steps: cfg.steps };
  },
  figure(d) {
    return [
      { title: 'Heat', panels: [{ kind: 'heatmap', x: { label: 'a', values: [0, 1] }, y: { label: 'b', values: [0, 1] }, values: [1, 2, 3, d.steps], colorLabel: 'value' }] },
      { title: 'Field', panels: [{ kind: 'quiver', x: { label: 'p' }, y: { label: 'q' }, px: [0, 1], py: [0, 1], dx: [1, 0], dy: [0, 1] }] },
    ];
  },
  summary(d) {
    return { steps: d.steps };
  },
});

/** The three fakes, in report order. */
export const fakeExperiments: AnyExperiment[] = [squareExperiment, throwingExperiment, slowExperiment];
