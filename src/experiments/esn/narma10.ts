// Experiment esn/narma10: a 100-unit ESN with a ridge readout on NARMA-10; test NRMSE vs spectral radius.
//
// Task (Atiya & Parlos, IEEE TNN 11(3):697, 2000; src/datasets/narma.ts): inputs u(t) ~ U[0, 0.5], target y(t+1)
// of the 10th-order NARMA recursion. A ridge readout on [h_t; u_t; 1] is trained on `trainLength` steps after a
// washout and tested on a fresh segment of the same run; NRMSE = sqrt(mean (y − ŷ)² / var(y)).
//
// Reference values we compared against: for 100-unit ESNs with a linear readout the literature reports NMSE of
// roughly 0.1–0.2 on NARMA-10, i.e. NRMSE ≈ 0.3–0.45 (Rodan & Tiňo, IEEE TNN 22(1):131, 2011, Fig. 4 and Table;
// Verstraeten et al., Neural Networks 20(3):391, 2007), with the best spectral radius near 0.8–1 and a sharp loss
// of accuracy both for small radii (too little memory for the 10-step dependency) and above 1 (unstable echo
// states). Our curve must show that shape and its minimum must fall in that NRMSE range (checked by the test).
import { z } from 'zod';
import { mat, type Mat } from '../../core/types.js';
import type { Rng } from '../../core/rng.js';
import { narma } from '../../datasets/narma.js';
import { esn } from '../../models/reservoir.js';
import { rollout } from '../../models/rnn.js';
import { fitRidge, predict } from '../../readouts/ridge.js';
import type { FigureSpec } from '../figure-spec.js';
import { defineExperiment } from '../experiment.js';
import { median } from '../stats.js';

const Config = z.object({
  /** Reservoir size. */
  units: z.number().int().min(10).max(2000).default(100),
  /** Spectral radii swept (ascending). */
  srGrid: z.array(z.number().positive().max(3)).min(1).default([0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2, 1.4]),
  /** Spectral radius of the reference network whose prediction is plotted. */
  srShown: z.number().positive().default(0.95),
  /** Input scaling. */
  inputScaling: z.number().positive().default(0.5),
  /** Density of W. */
  connectivity: z.number().gt(0).lte(1).default(0.1),
  /** Bias scaling. */
  bias: z.number().nonnegative().default(0.1),
  /** Ridge parameter λ (absolute). */
  ridge: z.number().nonnegative().default(1e-7),
  /** Steps discarded before fitting. */
  washout: z.number().int().min(0).default(200),
  /** Training steps. */
  trainLength: z.number().int().min(100).default(4000),
  /** Test steps. */
  testLength: z.number().int().min(100).default(2000),
  /** Independent reservoirs (and data) per spectral radius. */
  seeds: z.number().int().min(1).max(100).default(10),
}).strict();

type Cfg = z.output<typeof Config>;

interface Data {
  readonly srGrid: number[];
  /** Test NRMSE per spectral radius: median and min/max over seeds. */
  readonly median: number[];
  readonly lo: number[];
  readonly hi: number[];
  readonly best: { sr: number; nrmse: number };
  /** Test NRMSE of the network at srShown (median over seeds). */
  readonly shown: { sr: number; nrmse: number; t: number[]; truth: number[]; pred: number[] };
  readonly units: number;
  readonly seeds: number;
}

/** Test NRMSE of one reservoir (spectral radius sr) on one NARMA-10 draw. */
function trial(cfg: Cfg, sr: number, rng: Rng, keep: boolean): { nrmse: number; truth?: number[]; pred?: number[] } {
  const T = cfg.washout + cfg.trainLength + cfg.testLength;
  const { input, target } = narma(T, rng.child('data'));
  const net = esn({
    units: cfg.units, sr, inputScaling: cfg.inputScaling, connectivity: cfg.connectivity, inputConnectivity: 1,
    bias: cfg.bias, activation: 'tanh', distribution: 'normal',
  }, 1, rng.child('esn'));
  const { states } = rollout(net, mat(T, 1, input));
  const n = cfg.units;
  const F = mat(T, n + 1);
  for (let t = 0; t < T; t++) {
    F.data.set(states.data.subarray(t * n, (t + 1) * n), t * (n + 1));
    F.data[t * (n + 1) + n] = input[t]!;
  }
  const rows = (m: Mat, r0: number, r1: number): Mat => mat(r1 - r0, m.cols, m.data.slice(r0 * m.cols, r1 * m.cols));
  const trainEnd = cfg.washout + cfg.trainLength;
  const fit = fitRidge(rows(F, cfg.washout, trainEnd), mat(cfg.trainLength, 1, target.slice(cfg.washout, trainEnd)), { lambda: cfg.ridge, bias: true });
  const yhat = predict(rows(F, trainEnd, T), fit.Wout, fit.bias);
  const y = target.subarray(trainEnd, T);
  let m = 0;
  for (const v of y) m += v;
  m /= y.length;
  let se = 0, vr = 0;
  for (let t = 0; t < y.length; t++) {
    se += (y[t]! - yhat.data[t]!) ** 2;
    vr += (y[t]! - m) ** 2;
  }
  const nrmse = Math.sqrt(se / vr);
  if (!keep) return { nrmse };
  return { nrmse, truth: Array.from(y.subarray(0, 200)), pred: Array.from(yhat.data.subarray(0, 200)) };
}

async function run(cfg: Cfg, rng: Rng, progress: (f: number, note?: string) => void): Promise<Data> {
  const grid = [...cfg.srGrid].sort((a, b) => a - b);
  const med: number[] = [], lo: number[] = [], hi: number[] = [];
  const total = grid.length * cfg.seeds + cfg.seeds;
  let done = 0;
  for (const sr of grid) {
    const vals: number[] = [];
    // The same seed streams at every sr: each seed's reservoir differs only by its scale (paired comparison).
    for (let s = 0; s < cfg.seeds; s++) {
      vals.push(trial(cfg, sr, rng.child(`seed${s}`), false).nrmse);
      progress(++done / total, `sr ${sr}`);
    }
    med.push(median(vals));
    lo.push(Math.min(...vals));
    hi.push(Math.max(...vals));
  }
  const shownVals: number[] = [];
  let example: { truth?: number[]; pred?: number[] } = {};
  for (let s = 0; s < cfg.seeds; s++) {
    const r = trial(cfg, cfg.srShown, rng.child(`seed${s}`), s === 0);
    shownVals.push(r.nrmse);
    if (s === 0) example = r;
    progress(++done / total, `sr ${cfg.srShown}`);
  }
  let bi = 0;
  for (let i = 1; i < grid.length; i++) if (med[i]! < med[bi]!) bi = i;
  return {
    srGrid: grid, median: med, lo, hi, best: { sr: grid[bi]!, nrmse: med[bi]! },
    shown: { sr: cfg.srShown, nrmse: median(shownVals), t: example.truth!.map((_, i) => i + 1), truth: example.truth!, pred: example.pred! },
    units: cfg.units, seeds: cfg.seeds,
  };
}

function figure(d: Data): FigureSpec {
  return {
    title: `NARMA-10 with a ${d.units}-unit ESN`,
    caption: `Left: test NRMSE vs spectral radius (median over ${d.seeds} reservoirs and data draws; band = min–max). ` +
      `Best median NRMSE ${d.best.nrmse.toFixed(3)} at ρ = ${d.best.sr}. Right: the first 200 test steps of one ` +
      `network at ρ = ${d.shown.sr} (median NRMSE there ${d.shown.nrmse.toFixed(3)}).`,
    panels: [
      {
        title: 'test NRMSE vs spectral radius', x: { label: 'spectral radius ρ(W)' }, y: { label: 'test NRMSE', scale: 'log' },
        series: [{ kind: 'line+points', label: 'ESN (median)', x: d.srGrid, y: d.median, band: { lo: d.lo, hi: d.hi } }],
      },
      {
        title: `prediction at ρ = ${d.shown.sr}`, x: { label: 'test step' }, y: { label: 'y(t)' },
        series: [
          { label: 'target', x: d.shown.t, y: d.shown.truth, color: '#222222' },
          { label: 'ESN', x: d.shown.t, y: d.shown.pred, dash: true, color: '#d62728' },
        ],
      },
    ],
  };
}

export const narma10Experiment = defineExperiment({
  id: 'esn/narma10',
  title: 'NARMA-10 with a 100-unit ESN: test NRMSE vs spectral radius',
  source: { paper: 'reservoir computing benchmark (Atiya & Parlos 2000)', figure: 'NARMA-10 test NRMSE' },
  description:
    'A 100-unit tanh ESN with a ridge readout on [h; u; 1] models the NARMA-10 system. The test NRMSE is swept over ' +
    'the spectral radius of W, over several reservoirs and data draws; the best median NRMSE is compared with the ' +
    'published range for this size.',
  config: Config,
  quick: { srGrid: [0.3, 0.7, 0.9, 1.0, 1.2], trainLength: 2000, testLength: 1000, seeds: 3 },
  defaultSeed: 1,
  run,
  figure,
  summary: (d: Data) => ({ bestNrmse: d.best.nrmse, bestSr: d.best.sr, nrmseAtShown: d.shown.nrmse, srShown: d.shown.sr, seeds: d.seeds }),
});
