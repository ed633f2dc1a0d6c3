// Experiment esn/mackey-glass: a tanh ESN predicts the Mackey–Glass τ = 17 series one step and 84 steps ahead.
//
// Task (Jaeger & Haas, Science 304:78, 2004, doi:10.1126/science.1091277): sample x(t) every time unit; the
// reservoir is driven by u_t = (x_t − m)/s (m, s: mean and std of the training segment) and a ridge readout on
// [h_t; u_t; 1] is trained, teacher-forced, to output u_{t+1}. One-step NRMSE is measured teacher-forced on
// a test segment. For the 84-step prediction the trained network runs in closed loop (its output is fed back
// as the next input) from `trials` start points in the test segment; NRMSE_84 = sqrt(mean_trials e_84²/var(x)),
// as in Jaeger & Haas.
//
// Reference values we compared against: Jaeger & Haas (2004) report NRMSE_84 ≈ 10^−4.2 for a carefully tuned
// 1000-unit ESN (trained with state noise, 3000 training steps, averaged over 100 trials); Jaeger (GMD Report
// 148, 2001) and later practitioner setups with a few hundred units and a plain ridge readout report 84-step
// errors between about 10^−3 and 10^−1, and one-step NRMSE around 10^−4 to 10^−3 at unit sampling step.
// The 'paper' preset (the schema defaults) has the cited result's size: 1000 units, 3000 training steps, 100
// closed-loop start points. Its reservoir and readout hyperparameters are ours (practitioner settings, no
// state noise), so it is not expected to reach 10^−4.2: with seed 1 it gives NRMSE_84 ≈ 10^−3.6. The 'quick'
// preset (500 units) must land in the published range (checked by the experiment's test).
import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import { mackeyGlass } from '../../datasets/mackey-glass.js';
import { esn } from '../../models/reservoir.js';
import { step, type Rnn } from '../../models/rnn.js';
import type { FigureSpec } from '../figure-spec.js';
import { defineExperiment, type ProgressFn } from '../experiment.js';
import { esnFields, esnPart } from './esn-config.js';
import { StreamingRidge, driveReservoir } from './harvest.js';

const Config = z.object({
  /** The reservoir: every EsnConfig field (src/models/reservoir.ts), with this experiment's defaults. */
  ...esnFields({ units: 1000, sr: 1.1, inputScaling: 0.5, connectivity: 0.02, inputConnectivity: 1, leakRate: 0.3, bias: 0.2 }),
  /** Ridge parameter λ (absolute, on the z-scored features). */
  ridge: z.number().nonnegative().default(1e-8),
  /** Teacher-forced steps discarded before fitting. */
  washout: z.number().int().min(0).default(200),
  /** Training steps (after the washout). */
  trainLength: z.number().int().min(100).default(3000),
  /** Test steps (one-step prediction; closed-loop trials start inside this segment). */
  testLength: z.number().int().min(100).default(1000),
  /** Closed-loop prediction horizon in steps. */
  horizon: z.number().int().min(1).default(84),
  /** Closed-loop trials (start points spread evenly over the test segment). */
  trials: z.number().int().min(1).default(100),
  /** Mackey–Glass transient discarded before the series starts (time units). */
  discard: z.number().int().min(0).default(1000),
}).strict();

type Cfg = z.output<typeof Config>;

interface Data {
  readonly nrmse1: number;
  readonly nrmse84: number;
  /** NRMSE of the closed-loop prediction at every horizon 1..horizon (over trials). */
  readonly nrmseByHorizon: number[];
  readonly horizon: number;
  /** One-step prediction vs truth over the first 400 test steps (original units). */
  readonly oneStep: { t: number[]; truth: number[]; pred: number[] };
  /** One closed-loop trial vs truth (original units), horizon steps. */
  readonly freeRun: { t: number[]; truth: number[]; pred: number[] };
  readonly units: number;
  readonly trials: number;
}

/** Readout features [h; u; 1] → prediction of u_{t+1} (z-scored), with w = [Wout, bias]. */
function readoutValue(w: Float64Array, bias: number, h: Float64Array, u: number): number {
  let s = bias;
  const n = h.length;
  for (let j = 0; j < n; j++) s += w[j]! * h[j]!;
  return s + w[n]! * u;
}

async function run(cfg: Cfg, rng: Rng, progress: ProgressFn): Promise<Data> {
  const { washout, trainLength, testLength, horizon, trials } = cfg;
  const total = washout + trainLength + testLength + horizon + 1;
  const x = mackeyGlass(total, { discard: cfg.discard });
  let m = 0, s2 = 0;
  for (let t = washout; t < washout + trainLength; t++) m += x[t]!;
  m /= trainLength;
  for (let t = washout; t < washout + trainLength; t++) s2 += (x[t]! - m) ** 2;
  const s = Math.sqrt(s2 / trainLength);
  const u = Float64Array.from(x, (v) => (v - m) / s);
  const n = cfg.units;
  progress(0, `drawing the ${n}-unit reservoir`);
  const net: Rnn = esn(esnPart(cfg), 1, rng.child('esn'));
  const trainEnd = washout + trainLength, testEnd = trainEnd + testLength;
  // Work in reservoir steps (each costs ~N² multiply-adds): the teacher-forced run, then the closed-loop trials.
  const work = testEnd + trials * horizon;
  // Teacher-forced run over the washout, training and test segments (the state at t sees u_0..u_t): training
  // rows [h_t; u_t] -> u_{t+1} feed the ridge statistics; at the first test row the readout is solved, and the
  // test rows give the one-step prediction and the start states of the closed-loop trials.
  const ridge = new StreamingRidge(n, trainLength);
  let w: Float64Array = new Float64Array(0), b0 = 0;
  let fitted = false;
  let se1 = 0, meanX = 0, varX = 0;
  for (let t = trainEnd; t < testEnd; t++) meanX += x[t + 1]!;
  meanX /= testLength;
  const oneStep = { t: [] as number[], truth: [] as number[], pred: [] as number[] };
  const span = Math.max(1, testLength - horizon);
  const startOf = (k: number): number => trainEnd + Math.floor((k * span) / trials);
  const starts = new Float64Array(trials * n);
  const diverged = driveReservoir(net, u, testEnd, (states, t0, rows) => {
    for (let r = 0; r < rows; r++) {
      const t = t0 + r;
      if (t < washout) continue;
      if (t < trainEnd) {
        ridge.push(states, r * n, u[t]!, u[t + 1]!);
        continue;
      }
      if (!fitted) {
        const fit = ridge.solve(cfg.ridge);
        w = fit.Wout.data;
        b0 = fit.bias![0]!;
        fitted = true;
        progress(t / work, 'readout solved');
      }
      const h = states.subarray(r * n, (r + 1) * n);
      const pred = readoutValue(w, b0, h, u[t]!) * s + m;
      se1 += (pred - x[t + 1]!) ** 2;
      varX += (x[t + 1]! - meanX) ** 2;
      if (t - trainEnd < 400) {
        oneStep.t.push(t + 1 - trainEnd);
        oneStep.truth.push(x[t + 1]!);
        oneStep.pred.push(pred);
      }
    }
    // closed-loop start states inside this chunk (several trials may share one)
    for (let k = 0; k < trials; k++) {
      const t = startOf(k);
      if (t >= t0 && t < t0 + rows) starts.set(states.subarray((t - t0) * n, (t - t0 + 1) * n), k * n);
    }
    progress((t0 + rows) / work, `teacher-forced step ${t0 + rows}/${testEnd}`);
  });
  if (diverged !== undefined) {
    throw new Error(`the reservoir state is not finite at step ${diverged} (activation ${cfg.activation}, sr ${cfg.sr}): the teacher-forced run diverged`);
  }
  varX /= testLength;
  const nrmse1 = Math.sqrt(se1 / testLength / varX);
  // Closed-loop trials: start from the teacher-forced state at t0, feed predictions back for `horizon` steps.
  const h = new Float64Array(n), hNext = new Float64Array(n), xin = new Float64Array(1);
  const seByH = new Float64Array(horizon);
  const freeRun = { t: [] as number[], truth: [] as number[], pred: [] as number[] };
  for (let k = 0; k < trials; k++) {
    const t0 = startOf(k);
    h.set(starts.subarray(k * n, (k + 1) * n));
    let uPrev = u[t0]!;
    for (let j = 1; j <= horizon; j++) {
      const uHat = readoutValue(w, b0, h, uPrev); // prediction of u_{t0+j}
      const err = uHat * s + m - x[t0 + j]!;
      seByH[j - 1]! += err * err;
      if (k === 0) {
        freeRun.t.push(j);
        freeRun.truth.push(x[t0 + j]!);
        freeRun.pred.push(uHat * s + m);
      }
      xin[0] = uHat;
      step(net, h, xin, hNext);
      h.set(hNext);
      uPrev = uHat;
    }
    progress((testEnd + (k + 1) * horizon) / work, `closed loop ${k + 1}/${trials}`);
  }
  const nrmseByHorizon = Array.from(seByH, (v) => Math.sqrt(v / trials / varX));
  return { nrmse1, nrmse84: nrmseByHorizon[horizon - 1]!, nrmseByHorizon, horizon, oneStep, freeRun, units: n, trials };
}

/**
 * What the literature reports against what was measured: Jaeger & Haas (2004) reach NRMSE_84 ≈ 10^-4.2 with 1000
 * units (tuned, with state noise); ESNs of a few hundred units report 10^-4.2 to 10^-1.
 */
function publishedVerdict(d: Data): string {
  const l = Math.log10(d.nrmse84);
  const verdict = !Number.isFinite(l) ? 'not reproduced (no finite NRMSE)'
    : Math.abs(l + 4.2) <= 0.3 ? 'reproduced (within 0.3 decades of 10^-4.2)'
    : l >= -4.2 - 0.3 && l <= -1 ? 'within the published range, but not the 1000-unit result of 10^-4.2'
    : l < -4.5 ? 'better than the published 10^-4.2' : 'not reproduced (outside 10^-4.2 to 10^-1)';
  return `Published: NRMSE_84 ≈ 10^-4.2 with 1000 units (Jaeger & Haas 2004), 10^-4.2 to 10^-1 for ESNs of a few hundred units. ` +
    `Measured with ${d.units} units: 10^${l.toFixed(2)}: ${verdict}.`;
}

function figure(d: Data): FigureSpec {
  return {
    title: `Mackey–Glass (τ = 17) prediction with a ${d.units}-unit ESN`,
    caption: `Left: one-step prediction on the test segment (NRMSE ${d.nrmse1.toExponential(2)}). Middle: closed-loop ` +
      `prediction from one start point; the dashed line marks ${d.horizon} steps. Right: closed-loop NRMSE vs horizon over ` +
      `${d.trials} start points (NRMSE at ${d.horizon} steps: ${d.nrmse84.toExponential(2)}). ${publishedVerdict(d)}`,
    panels: [
      {
        title: 'one-step prediction', x: { label: 'test step' }, y: { label: 'x(t)' },
        series: [
          { label: 'truth', x: d.oneStep.t, y: d.oneStep.truth, color: '#222222' },
          { label: 'ESN', x: d.oneStep.t, y: d.oneStep.pred, dash: true, color: '#d62728' },
        ],
      },
      {
        title: 'closed-loop prediction', x: { label: 'steps ahead' }, y: { label: 'x(t)' },
        series: [
          { label: 'truth', x: d.freeRun.t, y: d.freeRun.truth, color: '#222222' },
          { label: 'ESN (closed loop)', x: d.freeRun.t, y: d.freeRun.pred, dash: true, color: '#d62728' },
        ],
        rules: [{ kind: 'vrule', value: d.horizon, label: `${d.horizon} steps`, dash: true }],
      },
      {
        title: 'error growth', x: { label: 'steps ahead' }, y: { label: 'NRMSE', scale: 'log' },
        series: [{ label: 'closed-loop NRMSE', x: d.nrmseByHorizon.map((_, i) => i + 1), y: d.nrmseByHorizon }],
      },
    ],
  };
}

export const mackeyGlassExperiment = defineExperiment({
  id: 'esn/mackey-glass',
  title: 'Mackey–Glass τ = 17: one-step and 84-step prediction with an ESN',
  source: { paper: 'reservoir computing benchmark (Jaeger & Haas 2004)', figure: 'Mackey–Glass 84-step prediction' },
  description:
    'A tanh ESN with a ridge readout on [h; u; 1] learns to predict the Mackey–Glass τ = 17 series (unit sampling step, ' +
    'RK4 delay integrator) one step ahead; in closed loop it predicts 84 steps ahead. The one-step NRMSE and the 84-step ' +
    'NRMSE over many closed-loop start points (config field trials) are compared with the published range for ESNs of this size.',
  presets: {
    paper: 'the size of the cited Jaeger & Haas (2004) result: 1000 units, 3000 teacher-forced training steps, NRMSE_84 over ' +
      '100 closed-loop start points, one reservoir; our practitioner hyperparameters without state noise, so expect about ' +
      '10^-3.6 rather than the published 10^-4.2; about 20 s',
    quick: '500 units, 2000 training steps, 20 closed-loop start points, one reservoir; checks the published range for a few ' +
      'hundred units (NRMSE_84 between 10^-4.2 and 10^-1); about 2 s',
  },
  config: Config,
  quick: { units: 500, trainLength: 2000, trials: 20 },
  defaultSeed: 1,
  run,
  figure,
  summary: (d: Data) => ({ nrmse1: d.nrmse1, nrmse84: d.nrmse84, log10_nrmse84: Math.log10(d.nrmse84), trials: d.trials }),
});
