// Shared runs of local/fig6-lowrank and local/fig10-rank-vs-loss: train every rule under Adam and SGD, then analyse ΔW = W_final − W_0.
//
// Spec: docs/theory/alignment.md §4 (rank analysis of learned changes, why RFLO's ΔW lies in col(B)), docs/theory/expected.md
// §4.3 (the Fig. 6 teacher and training setup). One teacher and one training/validation set per experiment seed (the
// task of local/student-teacher, same random streams); each seed s draws a student initialisation, the feedback B and the
// shuffling, shared by every rule and every optimiser of that seed (paired comparison). After training, ΔW goes through
// lowRankChange: its numerical rank (#{s > 1e-8·s_max}), the entropy rank exp(H) (lowRankChange's effectiveRank), the
// share of ΔW outside col(B) and the eigenvalue moduli sorted and divided by the largest. What the paper calls the
// "effective rank" is the count of those moduli above 1e-2; we call it the eigenvalue rank, as lowRankChange does.
// Runs whose validation loss passes divergeAbove (1e3) are counted as diverged and left out of every rank statistic.
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { mat, type Mat } from '../../core/types.js';
import type { OptimizerSpec } from '../../learning/optim.js';
import { train } from '../../learning/train.js';
import type { RnnParams, RuleSpec } from '../../learning/types.js';
import { lowRankChange } from '../../theory/lowrank.js';
import { randomNetwork } from '../../theory/task.js';
import type { ProgressFn } from '../experiment.js';
import { median } from '../stats.js';
import { FIG6_TEACHER_MODES, TRAINING_FIELDS, makeTask, studentTeacherExperiment } from './student-teacher.js';

/** The rules of Fig. 6 (docs/theory/expected.md §4.3). */
export const LOWRANK_RULES = ['bptt', 'tbptt', 'rflo', 'eprop'] as const;
export type LowRankRule = (typeof LOWRANK_RULES)[number];
/** The optimisers compared: the paper's Adam and plain SGD, under which RFLO's low-rank structure is exact. */
export const LOWRANK_OPTIMIZERS = ['adam', 'sgd'] as const;
export type LowRankOptimizer = (typeof LOWRANK_OPTIMIZERS)[number];

/** Config of both experiments; the defaults are the paper's Fig. 6 setup plus the same runs under SGD. */
export const lowRankConfig = z.object({
  /** Student hidden size N. */
  n: z.number().int().min(1).max(256).default(32),
  /** Teacher recurrent modes: W* = diag(teacherModes), U*_ij ~ N(0, 1/nIn), V*_ij ~ N(0, 1/N*) (the Fig. 6 teacher). */
  teacherModes: z.array(z.number().gt(-1).lt(1)).min(1).max(256).default([...FIG6_TEACHER_MODES]),
  nIn: z.number().int().min(1).max(64).default(2),
  nOut: z.number().int().min(1).max(64).default(2),
  /** Student initialisation scale, sequence length, loss, data sizes, batch, epochs (iterations = epochs ·
   *  ceil(trainSize / batchSize); paper: 100 · 30 = 3000), as local/student-teacher. */
  ...TRAINING_FIELDS,
  /** Optimisers to run every rule and seed with. */
  optimizers: z.array(z.enum(LOWRANK_OPTIMIZERS)).min(1).default(['adam', 'sgd']),
  /** Adam learning rate (paper: 1e-3). */
  adamLr: z.number().gt(0).default(1e-3),
  /** Plain-SGD learning rate η (our choice; the paper trains this figure with Adam only). */
  sgdLr: z.number().gt(0).default(0.05),
  /** Global gradient-norm clipping for both optimisers (0 = none; paper: 1). A global rescale keeps ΔW in col(B). */
  clipNorm: z.number().min(0).default(1),
  rules: z.array(z.enum(LOWRANK_RULES)).min(1).default([...LOWRANK_RULES]),
  /** tBPTT truncation τ. */
  tau: z.number().int().min(1).default(1),
  /** RFLO decay α. */
  alpha: z.number().min(0).lt(1).default(0.5),
  /** Seeds: each draws a student initialisation, feedback B_ij ~ N(0, 1/N) and the shuffling. */
  seeds: z.number().int().min(1).max(100).default(20),
  /** A validation loss above this counts as divergence; such runs are discarded (counted). */
  divergeAbove: z.number().gt(0).default(1e3),
}).strict();

export type LowRankConfig = z.output<typeof lowRankConfig>;

/** The quick preset shared by both experiments (a CI-sized stand-in; see the presets' help). */
export const LOWRANK_QUICK: Partial<z.input<typeof lowRankConfig>> = {
  n: 12, T: 20, trainSize: 128, valSize: 64, batchSize: 16, epochs: 40, seeds: 3,
};
/** Help text of the presets, shared by both experiments. */
export const LOWRANK_PRESETS = {
  paper: 'the Fig. 6 setup of the paper: teacher W* = diag of 10 modes (0.83 to 0.55), d_in = d_out = 2, N = 32 student, ' +
    'T = 50, sequence loss, batch 32, 3000 iterations, clipping 1, 20 seeds, rules bptt, tbptt(1), rflo (α = 0.5), eprop; ' +
    'each run once with Adam (lr 1e-3, the paper) and once with plain SGD (η = 0.05, our addition); about 10 min',
  quick: 'scaled down from the paper preset, same teacher: N = 12 student (not 32), T = 20 (not 50), 128 training and 64 ' +
    'validation sequences, batch 16, 40 epochs = 320 iterations (not 3000), 3 seeds (not 20); both optimisers; seconds',
} as const;

/** One run: its status and, unless it diverged, the analysis of ΔW. */
export interface LowRankRun {
  readonly seed: number;
  readonly diverged: boolean;
  /** Last finite validation loss. */
  readonly finalValLoss: number;
  /** Eigenvalue moduli of ΔW sorted descending and divided by the largest (length N; empty when diverged). */
  readonly moduli: number[];
  /** #{singular values > 1e-8·s_max} (NaN when diverged). */
  readonly numericalRank: number;
  /** #{normalised |λ| > 1e-2}: the paper's effective rank (NaN when diverged). */
  readonly eigRank: number;
  /** exp of the entropy of the normalised singular values, lowRankChange's effectiveRank (NaN when diverged). */
  readonly entropyRank: number;
  /** ‖(I − Π_B) ΔW‖_F / ‖ΔW‖_F against this seed's B (also for the rules that do not use B: a random-matrix reference). */
  readonly outsideB: number;
}

/** All runs, per optimiser and rule. */
export interface LowRankData {
  readonly n: number;
  readonly nOut: number;
  readonly iterations: number;
  readonly groups: ReadonlyArray<{ readonly optimizer: LowRankOptimizer; readonly rule: LowRankRule; readonly runs: LowRankRun[] }>;
}

function optimizerSpec(name: LowRankOptimizer, cfg: LowRankConfig): OptimizerSpec {
  const clip = cfg.clipNorm > 0 ? { clipNorm: cfg.clipNorm } : {};
  return name === 'adam' ? { name: 'adam', lr: cfg.adamLr, ...clip } : { name: 'sgd', lr: cfg.sgdLr, ...clip };
}

/**
 * Trains every (optimiser, rule, seed) of `cfg` and analyses ΔW = W_final − W_0 of each (a pure function of cfg and
 * rng). Streams: the task from rng as local/student-teacher; seed s uses rng.child(`seed-${s}`) with children
 * 'student', 'feedback'→'B' and 'shuffle' (the same student, B and shuffling as that experiment's seed s).
 */
export async function lowRankRuns(cfg: LowRankConfig, rng: Rng, progress: ProgressFn): Promise<LowRankData> {
  const task = makeTask(studentTeacherExperiment.config.parse({
    teacherModes: cfg.teacherModes, teacherN: cfg.teacherModes.length, nIn: cfg.nIn, nOut: cfg.nOut,
    T: cfg.T, trainSize: cfg.trainSize, valSize: cfg.valSize,
  }), rng);
  const groups = cfg.optimizers.flatMap((optimizer) => cfg.rules.map((rule) => ({ optimizer, rule, runs: [] as LowRankRun[] })));
  const total = groups.length * cfg.seeds;
  let done = 0;
  for (let s = 0; s < cfg.seeds; s++) {
    const rs = rng.child(`seed-${s}`);
    // W ~ N(0, initStd²/N), U ~ N(0, initStd²/N) (uStd² / nIn with uStd = initStd·√(nIn/N)), V ~ N(0, initStd²/N)
    const student: RnnParams<Mat> = randomNetwork(rs.child('student'), {
      n: cfg.n, nIn: cfg.nIn, nOut: cfg.nOut, wStd: cfg.initStd, uStd: cfg.initStd * Math.sqrt(cfg.nIn / cfg.n), vStd: cfg.initStd,
    });
    const B = mat(cfg.n, cfg.nOut, rs.child('feedback').child('B').fillNormal(new Float64Array(cfg.n * cfg.nOut), 1 / Math.sqrt(cfg.n)));
    for (const g of groups) {
      const rule: RuleSpec = g.rule === 'bptt' ? { name: 'bptt' } : g.rule === 'tbptt' ? { name: 'tbptt', tau: cfg.tau }
        : g.rule === 'rflo' ? { name: 'rflo', alpha: cfg.alpha, B } : { name: 'eprop', B };
      const note = `${g.optimizer} ${g.rule}, seed ${s + 1}/${cfg.seeds}`;
      const r = train(student, task.train, task.val, {
        rule, optimizer: optimizerSpec(g.optimizer, cfg), epochs: cfg.epochs, batchSize: cfg.batchSize, loss: cfg.loss,
        divergeAbove: cfg.divergeAbove,
        onEpoch: (e) => progress((done + e.epoch / cfg.epochs) / total, `${note}, epoch ${e.epoch}/${cfg.epochs}`),
      }, rs.child('shuffle'));
      const finalValLoss = r.history.length ? r.history[r.history.length - 1]!.valLoss : Infinity;
      if (r.status === 'diverged') {
        g.runs.push({ seed: s, diverged: true, finalValLoss, moduli: [], numericalRank: NaN, eigRank: NaN, entropyRank: NaN, outsideB: NaN });
      } else {
        const a = lowRankChange(student.W, r.params.W as Mat, { B });
        const e = a.eigenvalues!;
        g.runs.push({
          seed: s, diverged: false, finalValLoss,
          moduli: Array.from(e.re, (x, i) => Math.hypot(x, e.im[i]!)),
          numericalRank: a.rank, eigRank: a.eigenvalueRank!, entropyRank: a.effectiveRank, outsideB: a.outsideFeedback!,
        });
      }
      progress(++done / total, note);
    }
  }
  return { n: cfg.n, nOut: cfg.nOut, iterations: cfg.epochs * Math.ceil(cfg.trainSize / cfg.batchSize), groups };
}

/** Per-group statistics over the runs that did not diverge (NaN when every run diverged). */
export interface GroupStats {
  readonly optimizer: LowRankOptimizer;
  readonly rule: LowRankRule;
  readonly converged: number;
  readonly diverged: number;
  readonly numericalRank: number;
  readonly eigRank: number;
  readonly entropyRank: number;
  readonly outsideB: number;
  readonly outsideBMax: number;
  readonly finalValLoss: number;
}

/** Medians per (optimiser, rule) over the non-diverged runs, with the counts. */
export function groupStats(d: LowRankData): GroupStats[] {
  return d.groups.map(({ optimizer, rule, runs }) => {
    const ok = runs.filter((r) => !r.diverged);
    const med = (f: (r: LowRankRun) => number): number => (ok.length ? median(ok.map(f)) : NaN);
    return {
      optimizer, rule, converged: ok.length, diverged: runs.length - ok.length,
      numericalRank: med((r) => r.numericalRank), eigRank: med((r) => r.eigRank), entropyRank: med((r) => r.entropyRank),
      outsideB: med((r) => r.outsideB), outsideBMax: ok.length ? Math.max(...ok.map((r) => r.outsideB)) : NaN,
      finalValLoss: med((r) => r.finalValLoss),
    };
  });
}

/** Ranks 1..n of xs, ties sharing their average rank. */
function averageRanks(xs: readonly number[]): number[] {
  const idx = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && xs[idx[j + 1]!] === xs[idx[i]!]) j++;
    for (let k = i; k <= j; k++) r[idx[k]!] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation of two equal-length arrays; NaN when either is constant or shorter than 2. */
function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n < 2) return NaN;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i]! - ma, y = b[i]! - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Spearman rank correlation ρ of x and y (finite, equal length): the Pearson correlation of their average ranks (ties
 * share the mean rank). NaN when n < 2 or either is constant.
 */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new InputError('y', `spearman: y has ${y.length} values, x has ${x.length}: must be equal in length`);
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * Two-sided permutation p-value of Spearman's ρ: (1 + #{|ρ(x, π y)| ≥ |ρ|}) / (1 + permutations) over random
 * permutations π of y drawn from rng (Fisher–Yates). NaN when ρ is.
 */
export function spearmanPermutationP(x: readonly number[], y: readonly number[], rng: Rng, permutations = 2000): number {
  const rx = averageRanks(x), ry = averageRanks(y);
  const rho = pearson(rx, ry);
  if (!Number.isFinite(rho)) return NaN;
  const p = ry.slice();
  let hits = 0;
  for (let k = 0; k < permutations; k++) {
    for (let i = p.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = p[i]!; p[i] = p[j]!; p[j] = t;
    }
    // a relative 1e-12 slack so a permutation tying |ρ| is not lost to rounding
    if (Math.abs(pearson(rx, p)) >= Math.abs(rho) * (1 - 1e-12)) hits++;
  }
  return (1 + hits) / (1 + permutations);
}
