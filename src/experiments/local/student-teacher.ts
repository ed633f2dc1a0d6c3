// Experiment local/student-teacher: learning curves of BPTT, tBPTT, RFLO, random-diagonal and e-prop on one linear teacher.
//
// Spec: docs/theory/expected.md §4 (student–teacher task), docs/theory/learning-rules.md §2–6 (the rules), §7 (mini-batch
// updates), §10 (Fig. 6 setup: diagonal teacher of 10 modes, N = 32 student, sequence loss, T = 50, Adam 1e-3 with
// gradient-norm clipping 1, batch 32, 3000 updates, 20 seeds, divergence above 1e3). One teacher and one
// training/validation set; each seed draws a new student initialisation, feedback B, decays D and shuffling,
// shared by all rules of that seed (paired comparison).
//
// The schema defaults (the 'paper' preset) are that Fig. 6 training setup. What the paper leaves open we chose:
// 960 training sequences (30 batches of 32, so 100 epochs are exactly 3000 updates), 256 validation sequences,
// and the student initialisation of the Fig. 5 setup (entries of W, U, V i.i.d. N(0, 0.1²/N)). Fig. 6 itself
// shows the eigenvalue spectrum of ΔW = W_final − W_0; this experiment reports the training side of that run
// (learning curves, final losses, how many runs diverged), not the spectrum.
import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import { mat, type Mat } from '../../core/types.js';
import type { OptimizerSpec } from '../../learning/optim.js';
import { randomNetwork, studentTeacherTask } from '../../theory/task.js';
import { train, type DataSplit } from '../../learning/train.js';
import { RULE_NAMES, type RnnParams, type RuleName, type RuleSpec } from '../../learning/types.js';
import { rollout } from '../../models/rnn.js';
import type { FigureSpec, XYSeries } from '../figure-spec.js';
import { defineExperiment, type SummaryValue } from '../experiment.js';
import { median } from '../stats.js';

/** The Fig. 6 teacher's recurrent modes: W* = diag(these) (docs/theory/expected.md §4.3). */
export const FIG6_TEACHER_MODES: readonly number[] = [0.828, 0.828, 0.736, 0.736, 0.644, 0.644, 0.644, 0.552, 0.552, 0.552];

/**
 * Config fields of the Fig. 6 training setup shared with local/fig6-lowrank and fig10 (lowrank-runs.ts): student
 * initialisation scale (entries N(0, initStd²/N)), sequence length, loss, data sizes, batch and epochs.
 */
export const TRAINING_FIELDS = {
  initStd: z.number().gt(0).default(0.1),
  /** Sequence length T. */
  T: z.number().int().min(1).max(2000).default(50),
  loss: z.enum(['terminal', 'sequence-mean', 'sequence-sum']).default('sequence-mean'),
  trainSize: z.number().int().min(1).default(960),
  valSize: z.number().int().min(1).default(256),
  batchSize: z.number().int().min(1).default(32),
  epochs: z.number().int().min(1).default(100),
};

const config = z.object({
  /** Student hidden size N. */
  n: z.number().int().min(1).max(256).default(32),
  /**
   * Teacher recurrent modes: W* = diag(teacherModes), U*_ij ~ N(0, 1/nIn), V*_ij ~ N(0, 1/N*) (the Fig. 6
   * teacher); null = a random teacher of teacherN units, W* ~ N(0, 1/N*) rescaled to teacherRadius.
   */
  teacherModes: z.array(z.number().gt(-1).lt(1)).min(1).max(256).nullable().default([...FIG6_TEACHER_MODES]),
  /** Teacher hidden size N* (must equal the length of teacherModes when those are given). */
  teacherN: z.number().int().min(1).max(256).default(10),
  nIn: z.number().int().min(1).max(64).default(2),
  nOut: z.number().int().min(1).max(64).default(2),
  /** Spectral radius of a random teacher (teacherModes null). */
  teacherRadius: z.number().gt(0).lt(1).default(0.8),
  /**
   * Student initialisation: 'gaussian' = entries of W, U, V i.i.d. N(0, initStd²/N); 'radius' = W ~ N(0, 1/N)
   * rescaled to studentRadius, U and V entries N(0, initStd²/fan-in).
   */
  studentInit: z.enum(['gaussian', 'radius']).default('gaussian'),
  /** Student initial spectral radius (studentInit 'radius'). */
  studentRadius: z.number().gt(0).lt(1).default(0.5),
  ...TRAINING_FIELDS,
  optimizer: z.enum(['sgd', 'momentum', 'adam']).default('adam'),
  lr: z.number().gt(0).default(1e-3),
  /** Global gradient-norm clipping (0 = none). */
  clipNorm: z.number().min(0).default(1),
  /** Rules to compare (rtrl equals bptt and costs O(N⁴) per step, so it is off by default). */
  rules: z.array(z.enum(RULE_NAMES as [RuleName, ...RuleName[]])).min(1).default(['bptt', 'tbptt', 'rflo', 'eprop']),
  /** tBPTT truncation τ. */
  tau: z.number().int().min(1).default(1),
  /** RFLO decay α. */
  alpha: z.number().min(0).lt(1).default(0.5),
  /** random-diagonal decays D_i ~ U[0, dMax). */
  dMax: z.number().gt(0).max(1).default(0.9),
  /** Seeds: each draws a student initialisation, feedback B_ij ~ N(0, 1/N), decays D and the shuffling. */
  seeds: z.number().int().min(1).max(100).default(20),
  /** A validation loss above this counts as divergence (docs/theory/expected.md §4.3: 1e3). */
  divergeAbove: z.number().gt(0).default(1e3),
}).strict().superRefine((c, ctx) => {
  if (c.teacherModes !== null && c.teacherModes.length !== c.teacherN) {
    ctx.addIssue({
      code: 'custom', path: ['teacherN'], input: c.teacherN,
      message: `must equal the length of teacherModes (${c.teacherModes.length}); set teacherModes to null for a random teacher of teacherN units`,
    });
  }
});

type Config = z.output<typeof config>;

/** One training run. */
export interface RunCurve {
  readonly seed: number;
  readonly status: 'converged' | 'completed' | 'diverged';
  /** Epoch at which it diverged (null otherwise). */
  readonly divergedEpoch: number | null;
  /** Update count and validation loss after each epoch (epoch 0 first); a diverged run ends at its last finite epoch. */
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

/**
 * The training and validation sets of a run (streams rng.child('teacher'|'train'|'val') of studentTeacherTask;
 * exported for the tests). With teacherModes, W* = diag(teacherModes) replaces the random W*; U* and V* keep the
 * task's N(0, 1/nIn) and N(0, 1/N*) draws, and the targets are the outputs of that teacher on the same inputs.
 */
export function makeTask(cfg: Config, rng: Rng): { train: DataSplit; val: DataSplit } {
  const task = studentTeacherTask(rng, {
    teacher: { n: cfg.teacherN, nIn: cfg.nIn, nOut: cfg.nOut, spectralRadius: cfg.teacherRadius },
    trainSize: cfg.trainSize, valSize: cfg.valSize, steps: cfg.T,
  });
  if (cfg.teacherModes === null) return task;
  const k = cfg.teacherN;
  const W = mat(k, k);
  for (let i = 0; i < k; i++) W.data[i * k + i] = cfg.teacherModes[i]!;
  // h*_t = W* h*_{t-1} + U* x_t, y*_t = V* h*_t from h*_0 = 0 (docs/theory/networks.md §2)
  const teacher = { W, U: task.teacher.U, V: task.teacher.V, activation: 'identity' as const, leakRate: 1 };
  return {
    train: { x: task.train.x, y: rollout(teacher, task.train.x).outputs! },
    val: { x: task.val.x, y: rollout(teacher, task.val.x).outputs! },
  };
}

/** The student initialisation of one seed (stream rs.child('student')). */
function makeStudent(cfg: Config, rs: Rng): RnnParams<Mat> {
  const o = { n: cfg.n, nIn: cfg.nIn, nOut: cfg.nOut };
  // randomNetwork draws W ~ N(0, wStd²/N), U ~ N(0, uStd²/nIn), V ~ N(0, vStd²/N)
  return cfg.studentInit === 'gaussian'
    ? randomNetwork(rs.child('student'), { ...o, wStd: cfg.initStd, uStd: cfg.initStd * Math.sqrt(cfg.nIn / cfg.n), vStd: cfg.initStd })
    : randomNetwork(rs.child('student'), { ...o, spectralRadius: cfg.studentRadius, uStd: cfg.initStd, vStd: cfg.initStd });
}

/** The final validation loss of a run: its last finite one (a diverged run stops there); +∞ when it has none. */
function finalLoss(r: RunCurve): number {
  return r.valLoss.length ? r.valLoss[r.valLoss.length - 1]! : Infinity;
}

/** Per rule: median final loss over all runs (diverged ones at their last finite loss) and the diverged count. */
function finals(d: StudentTeacherData): Array<{ rule: RuleName; median: number; rankKey: number; diverged: number; runs: number }> {
  return d.rules.map(({ rule, runs }) => ({
    rule,
    median: median(runs.map(finalLoss)),
    // for the ranking a diverged run counts as +∞ (worse than any finite loss)
    rankKey: median(runs.map((r) => (r.status === 'diverged' ? Infinity : finalLoss(r)))),
    diverged: runs.filter((r) => r.status === 'diverged').length,
    runs: runs.length,
  }));
}

export const studentTeacherExperiment = defineExperiment({
  id: 'local/student-teacher',
  title: 'Local learning rules on a linear student–teacher task',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 6 training setup (§10): learning curves and diverged runs' },
  description:
    'A linear teacher generates targets from white-noise inputs; a larger linear student is trained with BPTT, one-step ' +
    'tBPTT, RFLO (α = 0.5, random feedback B) and e-prop (random-diagonal on request), each from the same initialisations ' +
    'over several seeds. The figure shows the validation loss against the number of updates (median over all seeds, a ' +
    'diverged run staying at its last finite loss; band = min–max); the summary gives each rule\'s median final validation ' +
    'loss over all seeds and beside it how many runs diverged. The caption ranks the rules by their median final loss, a ' +
    'diverged run counting as worst; exact gradients (BPTT) are expected to reach the lowest loss, and the figure shows how ' +
    'far each local approximation stays behind and how often it diverges.',
  presets: {
    paper: 'the Fig. 6 training setup of the paper: teacher W* = diag of 10 modes (0.83 to 0.55), N = 32 student, 2 inputs and ' +
      '2 outputs, T = 50, sequence loss, Adam (lr 1e-3, clipping 1), batch 32, 100 epochs = 3000 updates, 20 seeds, rules bptt, ' +
      'tbptt, rflo, eprop; reproduces its learning side (final losses, diverged runs per rule), not the ΔW spectrum; about 5 min',
    quick: 'CI-sized stand-in, not a paper setup: random 4-unit teacher (ρ = 0.8), N = 8 student, T = 20, plain SGD (lr 0.05), ' +
      'batch 16, 60 epochs = 960 updates, 5 seeds, all five rules; seconds',
  },
  config,
  quick: {
    teacherModes: null, teacherN: 4, n: 8, studentInit: 'radius', studentRadius: 0.5, initStd: 0.5, T: 20,
    trainSize: 256, valSize: 128, batchSize: 16, epochs: 60, optimizer: 'sgd', lr: 0.05, clipNorm: 0,
    rules: ['bptt', 'tbptt', 'rflo', 'random-diagonal', 'eprop'], seeds: 5,
  },
  defaultSeed: 1,
  async run(cfg, rng, progress): Promise<StudentTeacherData> {
    const { train: tr, val: va } = makeTask(cfg, rng);
    const out = cfg.rules.map((rule) => ({ rule, runs: [] as RunCurve[] }));
    const total = cfg.rules.length * cfg.seeds;
    let done = 0;
    for (let s = 0; s < cfg.seeds; s++) {
      const rs = rng.child(`seed-${s}`);
      const student = makeStudent(cfg, rs);
      for (const entry of out) {
        const note = `${entry.rule}, seed ${s + 1}/${cfg.seeds}`;
        const r = train(student, tr, va, {
          rule: ruleSpec(entry.rule, cfg, rs.child('feedback')),
          optimizer: optimizerSpec(cfg),
          epochs: cfg.epochs, batchSize: cfg.batchSize, loss: cfg.loss, divergeAbove: cfg.divergeAbove,
          onEpoch: (e) => progress((done + e.epoch / cfg.epochs) / total, `${note}, epoch ${e.epoch}/${cfg.epochs}`),
        }, rs.child('shuffle'));
        entry.runs.push({
          seed: s, status: r.status, divergedEpoch: r.divergence?.epoch ?? null,
          updates: r.history.map((h) => h.updates), valLoss: r.history.map((h) => h.valLoss),
        });
        progress(++done / total, note);
      }
    }
    return { rules: out, epochs: cfg.epochs, updatesPerEpoch: Math.ceil(cfg.trainSize / cfg.batchSize), loss: cfg.loss };
  },
  figure(d): FigureSpec {
    const series: XYSeries[] = [];
    for (const { rule, runs } of d.rules) {
      const x: number[] = [], y: number[] = [], lo: number[] = [], hi: number[] = [];
      // every run at every epoch: a run that diverged (or converged early) stays at its last finite loss
      const alive = runs.filter((r) => r.valLoss.length > 0);
      const last = Math.max(0, ...alive.map((r) => r.valLoss.length - 1));
      for (let e = 0; e <= last && alive.length > 0; e++) {
        const vals = alive.map((r) => r.valLoss[Math.min(e, r.valLoss.length - 1)]!);
        x.push(e * d.updatesPerEpoch);
        y.push(median(vals));
        lo.push(Math.min(...vals));
        hi.push(Math.max(...vals));
      }
      series.push({ label: rule, x, y, band: { lo, hi } });
    }
    const f = finals(d);
    const rows = f.map((r) => [r.rule, Number.isFinite(r.median) ? Number(r.median.toPrecision(4)) : 'no finite loss', r.diverged, r.runs]);
    const ranked = f.map((r, i) => ({ ...r, i })).sort((a, b) => a.rankKey - b.rankKey || a.i - b.i) // ∞ − ∞ is NaN: ties keep rule order
      .map((r) => (r.diverged === 0 ? r.rule : Number.isFinite(r.rankKey) ? `${r.rule} (${r.diverged}/${r.runs} diverged)` : `${r.rule} (diverged: ${r.diverged}/${r.runs})`));
    return {
      title: 'Validation loss of local learning rules on a linear teacher',
      caption: `Median over all seeds (band: min–max) of the ${d.loss} validation loss after each epoch; a run that diverged stays ` +
        `at its last finite loss. Measured ranking by median final loss over all seeds, a diverged run counting as worst ` +
        `(lowest first): ${ranked.join(' < ')}. The local-learning paper reports that exact BPTT reaches the lowest loss and that ` +
        `the local rules learn less well, RFLO and e-prop being less stable. Here: ` +
        `${f.length && ranked[0]!.startsWith('bptt') ? 'BPTT is best (agrees)' : 'BPTT is not best (does not agree)'}; ` +
        `${f.filter((r) => r.diverged > 0).map((r) => `${r.rule} diverged in ${r.diverged}/${r.runs} runs`).join(', ') || 'no run diverged'}.`,
      panels: [
        { title: 'Learning curves', x: { label: 'parameter updates', scale: 'linear' }, y: { label: 'validation loss', scale: 'log' }, series },
        { kind: 'table', title: 'Final validation loss (median over all runs; a diverged run at its last finite loss)', columns: ['rule', 'median final loss', 'diverged', 'runs'], rows },
      ],
      columns: 2,
    };
  },
  summary(d): Record<string, SummaryValue> {
    const s: Record<string, SummaryValue> = {};
    for (const r of finals(d)) {
      s[`${r.rule}.finalValLossMedian`] = r.median;
      s[`${r.rule}.diverged`] = r.diverged;
    }
    const first = d.rules[0]?.runs[0];
    if (first && first.valLoss.length) s['initialValLoss'] = first.valLoss[0]!;
    return s;
  },
});
