// Shared protocol of local/fig5, fig8, fig9: train a non-aligned student on a diagonal teacher, estimate its modes every epoch, compare with the mode ODE.
//
// Theory: docs/theory/alignment.md §1–3 (mode estimates, the four alignments), docs/theory/modes.md (the single-mode
// learning ODE, T = ∞ closed forms, RK4), docs/theory/expected.md §4 (the student–teacher task).
//
// Protocol (one seed): teacher W* = diag(teacherModes), U* = V* = I (so P* = R = L = I and teacher mode i is
// (w*_i, 1, 1)); student N units with W, U, V entries i.i.d. N(0, initStd²/N); terminal loss, plain SGD with lr η,
// mini-batches of batchSize, up to `epochs` epochs or until the validation loss is below targetLoss. After every
// epoch (and before training) the modes (w_i, u_i, v_i, b_i) are estimated and the alignments computed. An SGD
// update with lr η is the rule's expected update with learning rate η plus noise, so one update advances the mode ODE
// by ODE time η; epoch n sits at ODE time η × (updates up to n).
//
// Theory error for a start epoch n0 and mode i: integrate the rule's mode ODE (T = ∞, RK4) from the estimate at n0
// (with the feedback b_i estimated at n0 for RFLO), read it at the later epochs' ODE times and average
// ‖(w, u, v)_theory − (w, u, v)_estimate‖₂ over every later epoch of the run. The estimate of a mode is defined only
// up to the joint sign of (u_i, v_i, b_i) (the sign of an eigenvector), and the ODE is invariant under that flip,
// so each comparison uses the estimate's sign that is closer to the theory (our choice, stated in the captions).
import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import { mat, type Mat } from '../../core/types.js';
import { train } from '../../learning/train.js';
import type { RnnParams, RuleSpec } from '../../learning/types.js';
import { alignments } from '../../theory/alignment.js';
import type { ModeRule } from '../../theory/modes.js';
import { modeTheoryError, type ModeCheckpoint, type ModeTheoryTrack } from '../../theory/mode-tracking.js';
import { jacobianEigenvalues, modeJacobian } from '../../theory/modes-stability.js';
import { makeDataset, randomNetwork } from '../../theory/task.js';
import type { FigureSpec, Panel, XYSeries } from '../figure-spec.js';
import type { ProgressFn, SummaryValue } from '../experiment.js';

/** The learning rule of one of the three experiments (training rule and matching mode ODE). */
export type TrainingRuleKind = 'rflo' | 'bptt' | 'tbptt1';

/** Defaults that differ between the three experiments (the paper presets). */
export interface ProtocolDefaults {
  readonly T: number;
  readonly epochs: number;
  readonly startEpochs: readonly number[];
  readonly showFrom: number;
  readonly checkpoint: number;
}

/** The config schema of one experiment; the schema defaults are its paper preset. */
export function protocolConfig(d: ProtocolDefaults) {
  return z.object({
    /** Teacher recurrent modes w*_i: W* = diag(teacherModes), U* = V* = I (d_in = d_out = N* = their number). */
    teacherModes: z.array(z.number().gt(-1).lt(1)).min(1).max(16).default([0.9, 0.7, 0.5, 0.3]),
    /** Student hidden size N (≥ the number of teacher modes). */
    n: z.number().int().min(1).max(64).default(8),
    /** Student entries of W, U, V i.i.d. N(0, initStd²/N). */
    initStd: z.number().gt(0).default(0.1),
    /** Sequence length T of training and validation sequences (terminal loss at step T). */
    T: z.number().int().min(1).max(1000).default(d.T),
    trainSize: z.number().int().min(1).default(1024),
    valSize: z.number().int().min(1).default(256),
    batchSize: z.number().int().min(1).default(32),
    /** Plain SGD learning rate η (also the ODE time of one update). */
    lr: z.number().gt(0).default(0.01),
    /** Largest number of epochs. */
    epochs: z.number().int().min(1).max(100_000).default(d.epochs),
    /** Stop once the validation loss is below this. */
    targetLoss: z.number().min(0).default(1e-6),
    /** RFLO eligibility decay α (used by the RFLO experiment only). */
    alpha: z.number().min(0).lt(1).default(0.5),
    /** Start epochs n0 of the theory error (those at or after the last epoch of the run are skipped). */
    startEpochs: z.array(z.number().int().min(0)).min(1).max(200).default([...d.startEpochs]),
    /** Start epoch of the theory curves drawn over the estimates (panel C). */
    showFrom: z.number().int().min(0).default(d.showFrom),
    /** Epoch at which the summary reports loss, modes and alignments (the paper's numbers are at epoch 50). */
    checkpoint: z.number().int().min(0).default(d.checkpoint),
    /**
     * Horizon of the mode ODE: 'inf' = the T → ∞ closed forms (the paper's comparison), 'training' = the exact
     * finite-T sums at the training T (the expected update of the terminal loss at step T).
     */
    odeT: z.enum(['inf', 'training']).default('inf'),
    /** RK4 step bound of the mode ODE (the step is shortened so every epoch lands on a step). */
    dt: z.number().gt(0).max(1).default(1e-2),
  }).strict().superRefine((c, ctx) => {
    if (c.n < c.teacherModes.length) {
      ctx.addIssue({ code: 'custom', path: ['n'], input: c.n, message: `must be >= the number of teacher modes (${c.teacherModes.length})` });
    }
  });
}

export type ProtocolConfig = z.output<ReturnType<typeof protocolConfig>>;

/** Mode estimates and alignments of one epoch (arrays over the teacher modes). */
export interface EpochModes {
  readonly epoch: number;
  readonly updates: number;
  readonly valLoss: number;
  readonly w: number[];
  readonly u: number[];
  readonly v: number[];
  /** Feedback estimates b_i (RFLO only). */
  readonly b: number[] | null;
  readonly recurrent: number;
  readonly input: number;
  readonly output: number;
  readonly feedback: number | null;
}

/** Theory error of one start epoch. */
export interface TheoryError {
  readonly n0: number;
  /** Per mode: mean over the later epochs of the distance (NaN when the ODE left |w| < 1 before the first later epoch). */
  readonly error: number[];
  /** Per mode: the epoch the ODE left |w| < 1 at (the mean then covers the epochs before), or null. */
  readonly stoppedAt: Array<number | null>;
}

/** Data of one experiment run. */
export interface ProtocolData {
  readonly rule: TrainingRuleKind;
  readonly status: 'converged' | 'completed' | 'diverged';
  readonly teacherModes: number[];
  readonly lr: number;
  /** RFLO decay α of the run (unused by the other rules). */
  readonly alpha: number;
  readonly epochsRun: number;
  readonly history: EpochModes[];
  readonly theory: TheoryError[];
  /** Theory curves from showFrom: per mode, the epochs and (w, u, v) there (sign as integrated). */
  readonly curves: { readonly n0: number; readonly epochs: number[]; readonly w: number[][]; readonly u: number[][]; readonly v: number[][] } | null;
  readonly checkpoint: number;
}

function trainingRule(kind: TrainingRuleKind, cfg: ProtocolConfig, B: Mat): RuleSpec {
  return kind === 'rflo' ? { name: 'rflo', alpha: cfg.alpha, B } : kind === 'bptt' ? { name: 'bptt' } : { name: 'tbptt', tau: 1 };
}

/** The mode ODE rule of mode i (RFLO: with its estimated feedback b). */
function modeRule(kind: TrainingRuleKind, cfg: ProtocolConfig, b: number): ModeRule {
  return kind === 'rflo' ? { name: 'rflo', alpha: cfg.alpha, b } : kind === 'bptt' ? { name: 'bptt' } : { name: 'tbptt', tau: 1 };
}

/** The teacher W* = diag(modes), U* = V* = I. */
export function diagonalTeacher(modes: readonly number[]): RnnParams<Mat> {
  const k = modes.length;
  const W = mat(k, k), U = mat(k, k), V = mat(k, k);
  for (let i = 0; i < k; i++) { W.data[i * k + i] = modes[i]!; U.data[i * k + i] = 1; V.data[i * k + i] = 1; }
  return { W, U, V };
}

function record(epoch: number, updates: number, valLoss: number, p: RnnParams<Mat>, B: Mat | null, k: number): EpochModes {
  const a = alignments(p, { nTeacher: k, ...(B && { B }) });
  const m = a.modes;
  return {
    epoch, updates, valLoss,
    w: Array.from(m.w.subarray(0, k)), u: Array.from(m.u.subarray(0, k)), v: Array.from(m.v.subarray(0, k)),
    b: m.b ? Array.from(m.b.subarray(0, k)) : null,
    recurrent: a.recurrent, input: a.input, output: a.output, feedback: a.feedback ?? null,
  };
}

/** The checkpoints of a run for {@link modeTheoryError}: each epoch's estimates at ODE time η × its updates. */
function checkpointsOf(cfg: ProtocolConfig, h: readonly EpochModes[]): ModeCheckpoint[] {
  return h.map((e) => ({ time: cfg.lr * e.updates, w: e.w, u: e.u, v: e.v, b: e.b }));
}

/** Theory trajectory and error of mode i from epoch index i0 (src/theory/mode-tracking.ts). */
function theoryFrom(kind: TrainingRuleKind, cfg: ProtocolConfig, cps: readonly ModeCheckpoint[], i0: number, i: number): ModeTheoryTrack {
  return modeTheoryError(cps, i0, i, (b) => modeRule(kind, cfg, b), [cfg.teacherModes[i]!, 1, 1],
    { T: cfg.odeT === 'inf' ? 'inf' : cfg.T, dt: cfg.dt });
}

/**
 * Runs the protocol of the module header for `kind`: training (streams rng.child('train'|'val') for the data,
 * 'student' for the initialisation, 'B' for the RFLO feedback B_ij ~ N(0, 1/N), 'epoch-<n>' for epoch n's shuffling),
 * per-epoch mode estimates and alignments, and the theory errors of cfg.startEpochs.
 */
export async function runProtocol(kind: TrainingRuleKind, cfg: ProtocolConfig, rng: Rng, progress: ProgressFn): Promise<ProtocolData> {
  const k = cfg.teacherModes.length, n = cfg.n;
  const teacher = diagonalTeacher(cfg.teacherModes);
  const tr = makeDataset(teacher, rng.child('train'), cfg.trainSize, cfg.T);
  const va = makeDataset(teacher, rng.child('val'), cfg.valSize, cfg.T);
  // randomNetwork draws W ~ N(0, wStd²/N), U ~ N(0, uStd²/k), V ~ N(0, vStd²/N): all three N(0, initStd²/N)
  let p: RnnParams<Mat> = randomNetwork(rng.child('student'), { n, nIn: k, nOut: k, wStd: cfg.initStd, uStd: cfg.initStd * Math.sqrt(k / n), vStd: cfg.initStd });
  const B = kind === 'rflo' ? mat(n, k, rng.child('B').fillNormal(new Float64Array(n * k), 1 / Math.sqrt(n))) : null;
  const rule = trainingRule(kind, cfg, B ?? mat(n, k));
  const history: EpochModes[] = [];
  let status: ProtocolData['status'] = 'completed';
  let updates = 0;
  for (let e = 1; e <= cfg.epochs; e++) {
    // one epoch per call (plain SGD keeps no state), so the parameters after every epoch are at hand
    const r = train(p, tr, va, { rule, optimizer: { name: 'sgd', lr: cfg.lr }, epochs: 1, batchSize: cfg.batchSize, loss: 'terminal' }, rng.child(`epoch-${e}`));
    if (e === 1) history.push(record(0, 0, r.history[0]!.valLoss, p, B, k));
    if (r.status === 'diverged') { status = 'diverged'; break; }
    p = r.params as RnnParams<Mat>;
    updates += r.history[1]!.updates;
    const valLoss = r.history[1]!.valLoss;
    history.push(record(e, updates, valLoss, p, B, k));
    progress(0.9 * e / cfg.epochs, `epoch ${e}/${cfg.epochs}, validation loss ${valLoss.toExponential(2)}`);
    if (valLoss < cfg.targetLoss) { status = 'converged'; break; }
  }
  const last = history.length - 1;
  const cps = checkpointsOf(cfg, history);
  const theory: TheoryError[] = [];
  for (const n0 of cfg.startEpochs) {
    if (n0 >= last) continue;
    const error: number[] = [], stoppedAt: Array<number | null> = [];
    for (let i = 0; i < k; i++) {
      const th = theoryFrom(kind, cfg, cps, n0, i);
      error.push(th.error);
      stoppedAt.push(th.stoppedAt === null ? null : history[th.stoppedAt]!.epoch);
    }
    theory.push({ n0, error, stoppedAt });
  }
  let curves: ProtocolData['curves'] = null;
  if (cfg.showFrom < last) {
    const epochs = history.slice(cfg.showFrom).map((h) => h.epoch);
    const w: number[][] = [], u: number[][] = [], v: number[][] = [];
    for (let i = 0; i < k; i++) {
      const th = theoryFrom(kind, cfg, cps, cfg.showFrom, i);
      const s0 = history[cfg.showFrom]!;
      const pts = [[s0.w[i]!, s0.u[i]!, s0.v[i]!], ...th.states];
      w.push(pts.map((q) => (q ? q[0]! : NaN)));
      u.push(pts.map((q) => (q ? q[1]! : NaN)));
      v.push(pts.map((q) => (q ? q[2]! : NaN)));
    }
    curves = { n0: cfg.showFrom, epochs, w, u, v };
  }
  progress(1, 'theory errors done');
  return { rule: kind, status, teacherModes: [...cfg.teacherModes], lr: cfg.lr, alpha: cfg.alpha, epochsRun: last, history, theory, curves, checkpoint: Math.min(cfg.checkpoint, last) };
}

/** What the paper's reproduction reports for one experiment (strings as written there), for the side-by-side summary. */
export interface PaperNumbers {
  readonly [key: string]: string;
}

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : String(x));
const vec = (a: readonly number[], d = 3): string => `(${a.map((x) => fmt(x, d)).join(', ')})`;

/** Per-mode theory error at start epoch n0, or null when that n0 was not run. */
export function theoryAt(d: ProtocolData, n0: number): number[] | null {
  return d.theory.find((t) => t.n0 === n0)?.error ?? null;
}

/** Headline numbers of a run: checkpoint and final loss, modes, gains, alignments, theory errors, plus the paper's numbers. */
export function protocolSummary(d: ProtocolData, paper: PaperNumbers): Record<string, SummaryValue> {
  const s: Record<string, SummaryValue> = {};
  const c = d.history[d.checkpoint]!, f = d.history[d.history.length - 1]!, first = d.history[Math.min(1, d.history.length - 1)]!;
  s['status'] = d.status;
  s['epochsRun'] = d.epochsRun;
  s['checkpointEpoch'] = d.checkpoint;
  s['valLoss.checkpoint'] = c.valLoss;
  s['valLoss.final'] = f.valLoss;
  c.w.forEach((w, i) => { s[`w${i + 1}.checkpoint`] = w; s[`uv${i + 1}.checkpoint`] = c.u[i]! * c.v[i]!; });
  for (const [name, e] of [['epoch1', first], ['checkpoint', c], ['final', f]] as const) {
    s[`align.recurrent.${name}`] = e.recurrent;
    s[`align.input.${name}`] = e.input;
    s[`align.output.${name}`] = e.output;
    if (e.feedback !== null) s[`align.feedback.${name}`] = e.feedback;
  }
  for (const t of d.theory) t.error.forEach((x, i) => { s[`theoryError.n0=${t.n0}.mode${i + 1}`] = x; });
  for (const [k, v] of Object.entries(paper)) s[`paper.${k}`] = v;
  return s;
}

/**
 * Stiffness of each mode at the end of training: η × the largest |Re λ| of the mode ODE's Jacobian (T = ∞,
 * docs/theory/modes.md) at the final estimate, with the rule's b estimated there. Above 2, a discrete gradient step
 * of size η overshoots along that direction (gradient descent on a quadratic is stable only for η|λ| < 2), so SGD
 * cannot settle where the small-learning-rate ODE converges. NaN when the final |w| ≥ 1.
 */
export function stiffness(d: ProtocolData): number[] {
  const f = d.history[d.history.length - 1]!;
  return d.teacherModes.map((ws, i) => {
    if (!(Math.abs(f.w[i]!) < 1)) return NaN;
    const rule: ModeRule = d.rule === 'rflo' ? { name: 'rflo', alpha: d.alpha, b: f.b![i]! } : d.rule === 'bptt' ? { name: 'bptt' } : { name: 'tbptt', tau: 1 };
    const e = jacobianEigenvalues(modeJacobian(rule, [f.w[i]!, f.u[i]!, f.v[i]!], [ws, 1, 1]));
    return d.lr * Math.max(...Array.from(e.re, Math.abs));
  });
}

/** What the paper reports for Figs. 8–9 (no numbers there; the outcome of Fig. 5 is expected). */
export const QUALITATIVE_TEXT = 'The paper gives no numbers for this figure; as for Fig. 5 it reports recurrent and input/output ' +
  'alignments rising to about 1 and good agreement of theory and training after a short transient.';

/** Below this every mode's theory error counts as agreement (a tenth of the smallest teacher gap, 0.2). */
export const AGREEMENT_ERROR = 0.02;
/** Final recurrent, input and output alignments at or above this count as "about 1". */
export const AGREEMENT_ALIGNMENT = 0.85;

/** Qualitative verdicts for Figs. 8–9: alignments about 1, theory error small from some n0 on, and a sentence. */
export function qualitativeAgreement(d: ProtocolData): { alignments: string; lateTheory: string; from: number | null; text: string } {
  const f = d.history[d.history.length - 1]!;
  const alOk = f.recurrent >= AGREEMENT_ALIGNMENT && f.input >= AGREEMENT_ALIGNMENT && f.output >= AGREEMENT_ALIGNMENT;
  const ok = (t: TheoryError): boolean => t.error.every((e) => e < AGREEMENT_ERROR);
  const idx = d.theory.findIndex((_t, i) => d.theory.slice(i).every(ok));
  const from = idx >= 0 ? d.theory[idx]!.n0 : null;
  const late = d.theory[d.theory.length - 1];
  const badModes = late ? late.error.map((e, i) => (e < AGREEMENT_ERROR ? -1 : i)).filter((i) => i >= 0) : [];
  const st = stiffness(d);
  const stiff = st.map((x, i) => (x > 2 ? i : -1)).filter((i) => i >= 0);
  let text = `Verdict (alignments ≥ ${AGREEMENT_ALIGNMENT}, theory error < ${AGREEMENT_ERROR} per mode): alignments ${alOk ? 'agree' : 'differ'}; `;
  text += from !== null ? `theory and training agree from n0 = ${from} on. ` : late ? `theory error stays ≥ ${AGREEMENT_ERROR} up to the last start epoch for mode(s) ${badModes.map((i) => i + 1).join(', ')}. ` : 'no start epoch was run. ';
  text += `Stiffness η|λ|max per mode at the end (T = ∞ Jacobian): ${vec(st, 2)}` +
    (stiff.length ? `; above 2 for mode(s) ${stiff.map((i) => i + 1).join(', ')}, where a gradient step of size η overshoots, so SGD ` +
      'keeps fluctuating around the optimum (its loss does not settle) while the small-learning-rate ODE converges: that floor ' +
      'in the theory error is a property of the discrete step, not of the mode theory.' : '.');
  return { alignments: alOk ? 'agrees' : 'differs', lateTheory: late && badModes.length === 0 ? 'agrees' : 'differs', from, text };
}

/** One-line measured statements for captions. */
export function measuredText(d: ProtocolData): string {
  const c = d.history[d.checkpoint]!, f = d.history[d.history.length - 1]!, e1 = d.history[Math.min(1, d.history.length - 1)]!;
  const al = (e: EpochModes): string => `recurrent ${fmt(e.recurrent, 2)}, input ${fmt(e.input, 2)}, output ${fmt(e.output, 2)}` +
    (e.feedback !== null ? `, feedback ${fmt(e.feedback, 2)}` : '');
  const th = d.theory.map((t) => `n0 = ${t.n0}: ${vec(t.error, 2)}`).join('; ');
  return `Measured (this seed): ${d.epochsRun} epochs (${d.status}); after epoch ${d.checkpoint} validation loss ${fmt(c.valLoss)}, ` +
    `w = ${vec(c.w)}, uv = ${vec(c.u.map((u, i) => u * c.v[i]!))}; alignments at epoch 1: ${al(e1)}; at epoch ${d.checkpoint}: ${al(c)}; ` +
    `final: ${al(f)}. Theory error per mode: ${th}.`;
}

/** The figure panels of a run: (A) theory error vs n0, (B) alignments, (C) estimated w and uv vs theory, and the loss. */
export function protocolPanels(d: ProtocolData): Panel[] {
  const k = d.teacherModes.length;
  const A: XYSeries[] = [];
  for (let i = 0; i < k; i++) {
    const pts = d.theory.filter((t) => Number.isFinite(t.error[i]!) && t.error[i]! > 0);
    A.push({ kind: 'line+points', label: `mode ${i + 1} (w* = ${d.teacherModes[i]})`, x: pts.map((t) => t.n0), y: pts.map((t) => t.error[i]!) });
  }
  const ep = d.history.map((h) => h.epoch);
  const Bs: XYSeries[] = [
    { label: 'recurrent', x: ep, y: d.history.map((h) => h.recurrent) },
    { label: 'input', x: ep, y: d.history.map((h) => h.input) },
    { label: 'output', x: ep, y: d.history.map((h) => h.output) },
  ];
  if (d.history[0]!.feedback !== null) Bs.push({ label: 'feedback', x: ep, y: d.history.map((h) => h.feedback!) });
  const Cw: XYSeries[] = [], Ca: XYSeries[] = [];
  for (let i = 0; i < k; i++) {
    Cw.push({ kind: 'points', label: `w${i + 1} estimate`, x: ep, y: d.history.map((h) => h.w[i]!) });
    Ca.push({ kind: 'points', label: `u${i + 1}v${i + 1} estimate`, x: ep, y: d.history.map((h) => h.u[i]! * h.v[i]!) });
    if (d.curves) {
      Cw.push({ label: `w${i + 1} theory`, dash: true, x: d.curves.epochs, y: d.curves.w[i]! });
      Ca.push({ label: `u${i + 1}v${i + 1} theory`, dash: true, x: d.curves.epochs, y: d.curves.u[i]!.map((u, j) => u * d.curves!.v[i]![j]!) });
    }
  }
  const n0 = d.curves ? ` (theory from epoch ${d.curves.n0})` : '';
  return [
    { title: 'A. Theory error vs start epoch n0', x: { label: 'start epoch n0', scale: 'linear' }, y: { label: 'mean ‖(w,u,v) theory − estimate‖', scale: 'log' }, series: A },
    { title: 'B. Alignments', x: { label: 'epoch', scale: 'linear' }, y: { label: 'alignment', scale: 'linear', domain: [0, 1] }, series: Bs },
    { title: `C. Recurrent modes w_i${n0}`, x: { label: 'epoch', scale: 'linear' }, y: { label: 'w', scale: 'linear' }, series: Cw },
    { title: `C. Mode gains u_i v_i${n0}`, x: { label: 'epoch', scale: 'linear' }, y: { label: 'uv', scale: 'linear' }, series: Ca },
    { title: 'Validation loss', x: { label: 'epoch', scale: 'linear' }, y: { label: 'terminal loss', scale: 'log' }, series: [{ label: 'validation', x: ep, y: d.history.map((h) => h.valLoss) }] },
  ];
}

/** A FigureSpec of the protocol with the given title and caption. */
export function protocolFigure(d: ProtocolData, title: string, caption: string): FigureSpec {
  return { title, caption, panels: protocolPanels(d), columns: 3 };
}

/** Caption of Figs. 8–9 (the paper gives no numbers for them): what it reports, what we measured, the verdicts. */
export function qualitativeFigure(d: ProtocolData, title: string): FigureSpec {
  return protocolFigure(d, title, `${QUALITATIVE_TEXT} ${measuredText(d)} ${qualitativeAgreement(d).text}`);
}

/** Summary of Figs. 8–9: the protocol summary, the two qualitative verdicts and each mode's stiffness η·|λ|. */
export function qualitativeSummary(d: ProtocolData): Record<string, SummaryValue> {
  const s = protocolSummary(d, { reported: 'no numbers; as Fig. 5: alignments -> ~1, agreement after a short transient' });
  const a = qualitativeAgreement(d);
  s['agreement.alignments'] = a.alignments;
  s['agreement.lateTheoryError'] = a.lateTheory;
  s['agreement.fromN0'] = a.from ?? 'never';
  stiffness(d).forEach((x, i) => { s[`stiffness.mode${i + 1}`] = x; });
  return s;
}
