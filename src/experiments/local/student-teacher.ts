// Experiment local/student-teacher: learning curves of BPTT, tBPTT, RFLO, random-diagonal and e-prop on one linear teacher.
//
// Spec: local-learning.md §1 (student–teacher task, white-noise inputs), §2 (the rules), §2.5 (mini-batch
// updates), §10 (Fig. 5/6 setups: random teacher, sequence loss, divergence threshold 1e3). One teacher and
// one training/validation set; each seed draws a new student initialisation, feedback B, decays D and
// shuffling, shared by all rules of that seed (paired comparison).
import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import { mat } from '../../core/types.js';
import type { OptimizerSpec } from '../../learning/optim.js';
import { randomNetwork, studentTeacherTask } from '../../learning/task.js';
import { train } from '../../learning/train.js';
import { RULE_NAMES, type RuleName, type RuleSpec } from '../../learning/types.js';
import type { FigureSpec, XYSeries } from '../figure-spec.js';
import { defineExperiment, type SummaryValue } from '../experiment.js';
import { median } from '../stats.js';

const config = z.object({
  /** Student hidden size N. */
  n: z.number().int().min(1).max(256).default(16),
  /** Teacher hidden size N*. */
  teacherN: z.number().int().min(1).max(256).default(8),
  nIn: z.number().int().min(1).max(64).default(2),
  nOut: z.number().int().min(1).max(64).default(2),
  /** Teacher spectral radius (W* ~ N(0, 1/N*) rescaled). */
  teacherRadius: z.number().gt(0).lt(1).default(0.8),
  /** Student initial spectral radius; U, V entries N(0, initStd²/fan-in). */
  studentRadius: z.number().gt(0).lt(1).default(0.5),
  initStd: z.number().gt(0).default(0.5),
  /** Sequence length T. */
  T: z.number().int().min(1).max(2000).default(30),
  loss: z.enum(['terminal', 'sequence-mean', 'sequence-sum']).default('sequence-mean'),
  trainSize: z.number().int().min(1).default(512),
  valSize: z.number().int().min(1).default(256),
  batchSize: z.number().int().min(1).default(32),
  epochs: z.number().int().min(1).default(60),
  optimizer: z.enum(['sgd', 'momentum', 'adam']).default('sgd'),
  lr: z.number().gt(0).default(0.05),
  /** Global gradient-norm clipping (0 = none). */
  clipNorm: z.number().min(0).default(0),
  /** Rules to compare (rtrl equals bptt and costs O(N⁴) per step, so it is off by default). */
  rules: z.array(z.enum(RULE_NAMES as [RuleName, ...RuleName[]])).min(1).default(['bptt', 'tbptt', 'rflo', 'random-diagonal', 'eprop']),
  /** tBPTT truncation τ. */
  tau: z.number().int().min(1).default(1),
  /** RFLO decay α. */
  alpha: z.number().min(0).lt(1).default(0.5),
  /** random-diagonal decays D_i ~ U[0, dMax). */
  dMax: z.number().gt(0).max(1).default(0.9),
  /** Seeds: each draws a student initialisation, feedback B_ij ~ N(0, 1/N), decays D and the shuffling. */
  seeds: z.number().int().min(1).max(100).default(5),
  /** A validation loss above this counts as divergence (spec §10: 1e3). */
  divergeAbove: z.number().gt(0).default(1e3),
}).strict();

type Config = z.output<typeof config>;

/** One training run. */
export interface RunCurve {
  readonly seed: number;
  readonly status: 'converged' | 'completed' | 'diverged';
  /** Epoch at which it diverged (null otherwise). */
  readonly divergedEpoch: number | null;
  /** Update count and validation loss after each epoch (epoch 0 first). */
  readonly updates: number[];
  readonly valLoss: number[];
}

/** Data of the experiment: per rule, one curve per seed. */
export interface StudentTeacherData {
  readonly rules: ReadonlyArray<{ readonly rule: RuleName; readonly runs: RunCurve[] }>;
  readonly epochs: number;
  readonly updatesPerEpoch: number;
  readonly loss: string;
}

function ruleSpec(name: RuleName, cfg: Config, rng: Rng): RuleSpec {
  const B = mat(cfg.n, cfg.nOut, rng.child('B').fillNormal(new Float64Array(cfg.n * cfg.nOut), 1 / Math.sqrt(cfg.n)));
  switch (name) {
    case 'bptt': case 'rtrl': return { name };
    case 'tbptt': return { name, tau: cfg.tau };
    case 'rflo': return { name, alpha: cfg.alpha, B };
    case 'random-diagonal': return { name, D: rng.child('D').fillUniform(new Float64Array(cfg.n), 0, cfg.dMax), B };
    case 'eprop': return { name, B };
  }
}

function optimizerSpec(cfg: Config): OptimizerSpec {
  const common = { lr: cfg.lr, ...(cfg.clipNorm > 0 && { clipNorm: cfg.clipNorm }) };
  return cfg.optimizer === 'sgd' ? { name: 'sgd', ...common } : cfg.optimizer === 'momentum' ? { name: 'momentum', ...common } : { name: 'adam', ...common };
}

export const studentTeacherExperiment = defineExperiment({
  id: 'local/student-teacher',
  title: 'Local learning rules on a linear student–teacher task',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'learning curves (cf. §10, Figs. 5–6 setups)' },
  description:
    'A random linear teacher (spectral radius 0.8) generates targets from white-noise inputs; a larger linear student is ' +
    'trained with BPTT, one-step tBPTT, RFLO (α = 0.5, random feedback B), random-diagonal and e-prop, each from the same ' +
    'initialisations over several seeds, with plain SGD on mini-batches. The figure shows the validation loss against the ' +
    'number of updates (median over seeds, band = min–max); the summary gives the final median validation loss and the ' +
    'number of diverged runs per rule. The caption ranks the rules by their measured final loss; exact gradients (BPTT) ' +
    'are expected to reach the lowest loss, and the figure shows how far each local approximation stays behind and how ' +
    'often it diverges.',
  config,
  quick: { n: 8, teacherN: 4, T: 20, trainSize: 256, valSize: 128, batchSize: 16, epochs: 60, seeds: 5 },
  defaultSeed: 1,
  async run(cfg, rng, progress): Promise<StudentTeacherData> {
    const { train: tr, val: va } = studentTeacherTask(rng, {
      teacher: { n: cfg.teacherN, nIn: cfg.nIn, nOut: cfg.nOut, spectralRadius: cfg.teacherRadius },
      trainSize: cfg.trainSize, valSize: cfg.valSize, steps: cfg.T,
    });
    const out = cfg.rules.map((rule) => ({ rule, runs: [] as RunCurve[] }));
    const total = cfg.rules.length * cfg.seeds;
    let done = 0;
    for (let s = 0; s < cfg.seeds; s++) {
      const rs = rng.child(`seed-${s}`);
      const student = randomNetwork(rs.child('student'), {
        n: cfg.n, nIn: cfg.nIn, nOut: cfg.nOut, spectralRadius: cfg.studentRadius, uStd: cfg.initStd, vStd: cfg.initStd,
      });
      for (const entry of out) {
        const r = train(student, tr, va, {
          rule: ruleSpec(entry.rule, cfg, rs.child('feedback')),
          optimizer: optimizerSpec(cfg),
          epochs: cfg.epochs, batchSize: cfg.batchSize, loss: cfg.loss, divergeAbove: cfg.divergeAbove,
        }, rs.child('shuffle'));
        entry.runs.push({
          seed: s, status: r.status, divergedEpoch: r.divergence?.epoch ?? null,
          updates: r.history.map((h) => h.updates), valLoss: r.history.map((h) => h.valLoss),
        });
        progress(++done / total, `${entry.rule}, seed ${s + 1}/${cfg.seeds}`);
      }
    }
    return { rules: out, epochs: cfg.epochs, updatesPerEpoch: Math.ceil(cfg.trainSize / cfg.batchSize), loss: cfg.loss };
  },
  figure(d): FigureSpec {
    const series: XYSeries[] = [];
    const rows: Array<Array<string | number>> = [];
    for (const { rule, runs } of d.rules) {
      const x: number[] = [], y: number[] = [], lo: number[] = [], hi: number[] = [];
      for (let e = 0; e <= d.epochs; e++) {
        // runs that diverged stop contributing after their last finite epoch
        const vals = runs.filter((r) => r.valLoss.length > e).map((r) => r.valLoss[e]!);
        if (vals.length === 0) break;
        x.push(e * d.updatesPerEpoch);
        y.push(median(vals));
        lo.push(Math.min(...vals));
        hi.push(Math.max(...vals));
      }
      series.push({ label: rule, x, y, band: { lo, hi } });
      const finals = runs.filter((r) => r.status !== 'diverged').map((r) => r.valLoss.at(-1)!);
      rows.push([rule, finals.length ? Number(median(finals).toPrecision(4)) : 'all diverged', runs.filter((r) => r.status === 'diverged').length, runs.length]);
    }
    const ranked = rows.filter((r) => typeof r[1] === 'number').sort((a, b) => (a[1] as number) - (b[1] as number)).map((r) => r[0]);
    return {
      title: 'Validation loss of local learning rules on a linear teacher',
      caption: `Median over seeds (band: min–max) of the ${d.loss} validation loss after each epoch; diverged runs end at their ` +
        `last finite epoch. Measured ranking by median final loss (lowest first): ${ranked.join(' < ')}.`,
      panels: [
        { title: 'Learning curves', x: { label: 'parameter updates', scale: 'linear' }, y: { label: 'validation loss', scale: 'log' }, series },
        { kind: 'table', title: 'Final validation loss (median over converged runs)', columns: ['rule', 'median final loss', 'diverged', 'runs'], rows },
      ],
      columns: 2,
    };
  },
  summary(d): Record<string, SummaryValue> {
    const s: Record<string, SummaryValue> = {};
    for (const { rule, runs } of d.rules) {
      const finals = runs.filter((r) => r.status !== 'diverged').map((r) => r.valLoss.at(-1)!);
      s[`${rule}.finalValLossMedian`] = finals.length ? median(finals) : 'all diverged';
      s[`${rule}.diverged`] = runs.filter((r) => r.status === 'diverged').length;
    }
    const first = d.rules[0]?.runs[0];
    if (first) s['initialValLoss'] = first.valLoss[0]!;
    return s;
  },
});
