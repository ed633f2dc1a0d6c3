// Experiment local/fig5-theory-vs-rflo: RFLO training of a non-aligned student against the RFLO mode ODE (theory error, alignments, mode estimates).
//
// Protocol and theory: ./theory-vs-training.ts (docs/theory/alignment.md §1–3, docs/theory/modes.md). The 'paper'
// preset is the Fig. 5 setup (Appendix I.1) with the choices the paper leaves open filled in as in our
// specification: teacher W* = diag(0.9, 0.7, 0.5, 0.3), U* = V* = I; student N = 8, entries N(0, 0.1²/N); RFLO
// α = 0.5 with B_ij ~ N(0, 1/N); T = 50, terminal loss, 1024 training and 256 validation sequences, batch 32,
// plain SGD η = 0.01, up to 300 epochs or validation loss < 1e-6. The summary sets our numbers beside those of
// the reference reproduction (one seed) and the caption says, item by item, whether they agree.
//
// Seed dependence (measured with this code, paper preset): the theory errors at a fixed n0 depend on how long the
// seed's transient lasts. Seed 1 (the default): n0 = 2 (0.022, 0.036, 0.26, 0.67), n0 = 10 (0.0014, 0.006, 0.076,
// 0.27), the reference's n0 = 10 level (×10) reached from n0 = 15. Seed 2: n0 = 2 (0.78, 0.45, 2.5, 0.43), n0 = 10
// (0.0014, 0.0014, 0.00096, 0.013), from n0 = 7. Seed 3: n0 = 2 (0.0083, 0.022, 0.40, 0.40), n0 = 10 (0.0028,
// 0.0043, 0.0080, 0.042), from n0 = 7. Seed 4: n0 = 2 (0.030, 1.0, 0.54, 0.34), n0 = 10 (0.0051, 0.0023, 0.011,
// 0.012), from n0 = 10. Epoch-50 losses 1.6e-4, 6.1e-5, 5.7e-5, 1.7e-4 (reference 5.6e-5). So the reference's
// numbers lie within our seed-to-seed spread; the default seed simply has a longer transient for modes 3–4.
import { defineExperiment, type SummaryValue } from '../experiment.js';
import type { FigureSpec, TablePanel } from '../figure-spec.js';
import { measuredText, protocolConfig, protocolFigure, protocolSummary, runProtocol, theoryAt, type ProtocolData } from './theory-vs-training.js';

const config = protocolConfig({ T: 50, epochs: 300, startEpochs: [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200], showFrom: 10, checkpoint: 50 });

/** The reference reproduction's numbers (one seed, epoch 50 unless stated). */
export const FIG5_REFERENCE = {
  valLoss: 5.6e-5,
  w: [0.900, 0.700, 0.498, 0.294],
  uv: [1.00, 1.00, 1.00, 1.02],
  recurrent: [0.90, 0.93], input: 0.99, output: [0.97, 0.99], feedback: 0.94,
  theoryN0_2: [0.03, 2.9, 0.41, 3.2],
  theoryN0_10: [0.0009, 0.0008, 0.0065, 0.011],
} as const;

/**
 * Tolerances of the side-by-side comparison (one seed against one seed, so they allow seed-to-seed spread):
 * w within 0.01 and uv within 0.05 (the converged modes sit on w = w*, uv = 1 whatever the seed), alignments
 * within 0.05, the epoch-50 loss within a factor 10 (it decays exponentially, so a few epochs of transient shift it
 * by such factors), theory errors within a factor 10 (they depend on the seed's transient).
 */
export const FIG5_TOLERANCES = { w: 0.01, uv: 0.05, alignment: 0.05, lossFactor: 10, theoryFactor: 10 } as const;

const within = (a: readonly number[], b: readonly number[], tol: number): boolean => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= tol);
const withinFactor = (a: readonly number[], b: readonly number[], f: number): boolean => a.length === b.length && a.every((x, i) => x <= f * b[i]! && x >= b[i]! / f);
const f3 = (a: readonly number[]): string => `(${a.map((x) => x.toFixed(3)).join(', ')})`;
const r3 = (a: readonly number[]): string => `(${a.map((x) => Number(x.toPrecision(2))).join(', ')})`;

/** Item-by-item agreement with the reference reproduction ('agrees' / 'differs: ...'). */
export function fig5Agreement(d: ProtocolData): Record<string, string> {
  const R = FIG5_REFERENCE, T = FIG5_TOLERANCES;
  const c = d.history[d.checkpoint]!, f = d.history[d.history.length - 1]!;
  const uv = c.u.map((u, i) => u * c.v[i]!);
  const out: Record<string, string> = {};
  const say = (ok: boolean, what: string): string => (ok ? 'agrees' : `differs: ${what}`);
  out['loss'] = say(d.checkpoint === 50 && c.valLoss <= T.lossFactor * R.valLoss && c.valLoss >= R.valLoss / T.lossFactor, `${c.valLoss.toExponential(2)} at epoch ${d.checkpoint}`);
  out['w'] = say(d.checkpoint === 50 && within(c.w, R.w, T.w), r3(c.w));
  out['uv'] = say(d.checkpoint === 50 && within(uv, R.uv, T.uv), r3(uv));
  out['alignments'] = say(Math.abs(f.recurrent - R.recurrent[1]) <= T.alignment && Math.abs(f.input - R.input) <= T.alignment &&
    Math.abs(f.output - R.output[1]) <= T.alignment && f.feedback !== null && Math.abs(f.feedback - R.feedback) <= T.alignment,
  `final recurrent ${f.recurrent.toFixed(2)}, input ${f.input.toFixed(2)}, output ${f.output.toFixed(2)}, feedback ${f.feedback?.toFixed(2)}`);
  const t2 = theoryAt(d, 2), t10 = theoryAt(d, 10);
  out['theoryError.n0=2'] = t2 ? say(withinFactor(t2, R.theoryN0_2, T.theoryFactor), r3(t2)) : 'not run';
  out['theoryError.n0=10'] = t10 ? say(withinFactor(t10, R.theoryN0_10, T.theoryFactor), r3(t10)) : 'not run';
  return out;
}

/**
 * The first start epoch n0 whose theory errors are all within the ×10 tolerance of (or below) the reference's
 * n0 = 10 errors, or null: how long our transient lasts on the reference's scale (the transient depends on the seed).
 */
export function referenceLevelFrom(d: ProtocolData): number | null {
  const ref = FIG5_REFERENCE.theoryN0_10;
  return d.theory.find((t) => t.error.every((e, i) => e <= FIG5_TOLERANCES.theoryFactor * ref[i]!))?.n0 ?? null;
}

/** The side-by-side table: each reference number, ours, and the verdict. */
export function fig5Table(d: ProtocolData): TablePanel {
  const R = FIG5_REFERENCE, a = fig5Agreement(d);
  const c = d.history[d.checkpoint]!, f = d.history[d.history.length - 1]!, e = `epoch ${d.checkpoint}`;
  const verdict = (k: string): string => (a[k]!.startsWith('differs') ? 'differs' : a[k]!);
  const t2 = theoryAt(d, 2), t10 = theoryAt(d, 10);
  return {
    kind: 'table', title: 'Reference reproduction vs. this run',
    columns: ['quantity (alignments: final)', 'reference', `this run (${e})`, 'verdict'],
    rows: [
      ['validation loss', '5.6e-5', c.valLoss.toExponential(2), verdict('loss')],
      ['w', f3(R.w), f3(c.w), verdict('w')],
      ['uv', f3(R.uv), f3(c.u.map((u, i) => u * c.v[i]!)), verdict('uv')],
      ['alignment recurrent / input / output / feedback', `${R.recurrent[1]} / ${R.input} / ${R.output[1]} / ${R.feedback}`,
        `${f.recurrent.toFixed(2)} / ${f.input.toFixed(2)} / ${f.output.toFixed(2)} / ${f.feedback?.toFixed(2) ?? '–'}`, verdict('alignments')],
      ['theory error n0 = 2', r3(R.theoryN0_2), t2 ? r3(t2) : 'not run', verdict('theoryError.n0=2')],
      ['theory error n0 = 10', r3(R.theoryN0_10), t10 ? r3(t10) : 'not run', verdict('theoryError.n0=10')],
    ],
  };
}

export const fig5TheoryVsRfloExperiment = defineExperiment({
  id: 'local/fig5-theory-vs-rflo',
  title: 'Mode theory vs. RFLO training of a non-aligned linear RNN',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 5 (Appendix I.1)' },
  description:
    'A student RNN (8 units, small random weights, not aligned with the teacher) learns a diagonal 4-mode linear teacher with ' +
    'RFLO (α = 0.5, random feedback B) and plain SGD on the terminal loss. After every epoch its modes are estimated from the ' +
    'eigendecomposition of W and the recurrent, input, output and feedback alignments computed. From start epochs n0 the RFLO ' +
    'mode ODE (T = ∞, RK4) is integrated from the estimated modes and compared with the later estimates (theory error per ' +
    'mode). Expected: alignments rise towards 1 (feedback stays partial), and the theory tracks training after a short ' +
    'transient, best for the largest modes. The summary sets our numbers beside those of the reference reproduction.',
  presets: {
    paper: 'the Fig. 5 setup: teacher diag(0.9, 0.7, 0.5, 0.3), U* = V* = I, N = 8, T = 50, 1024 training / 256 validation ' +
      'sequences, batch 32, SGD η = 0.01, up to 300 epochs or validation loss < 1e-6, RFLO α = 0.5; one seed; about 10 s',
    quick: 'the same setup scaled down: 512 training / 128 validation sequences (16 updates per epoch instead of 32, so an ' +
      'epoch is half the ODE time) and 80 epochs; summary checkpoint at epoch 40; about 1 s',
  },
  config,
  quick: { trainSize: 512, valSize: 128, epochs: 80, startEpochs: [0, 1, 2, 5, 10, 20, 40], showFrom: 20, checkpoint: 40 },
  defaultSeed: 1,
  run: (cfg, rng, progress) => runProtocol('rflo', cfg, rng, progress),
  figure(d): FigureSpec {
    const R = FIG5_REFERENCE;
    const a = fig5Agreement(d);
    const caption =
      'Reference reproduction (one seed): after 50 epochs loss 5.6e-5, w = (0.900, 0.700, 0.498, 0.294), uv ≈ 1; alignments ' +
      `recurrent ${R.recurrent[0]} → ${R.recurrent[1]}, input ${R.input}, output ${R.output[0]} → ${R.output[1]}, feedback ≈ ${R.feedback}; ` +
      `theory error n0 = 2: ${r3(R.theoryN0_2)}, n0 = 10: ${r3(R.theoryN0_10)}; agreement after a short transient, best for the ` +
      `largest modes. ${measuredText(d)} Comparison (tolerances: w ±0.01, uv ±0.05, alignments ±0.05, loss and theory errors ` +
      `within ×10): ${Object.entries(a).map(([k, v]) => `${k} ${v}`).join('; ')}. The estimate of a mode has an arbitrary joint ` +
      'sign of (u, v, b); distances use the sign closer to the theory. Theory curves (C) start at the marked epoch. ' +
      `The theory errors depend on how long the seed's transient lasts (which modes are still being sorted out at n0): ` +
      `ours reach the reference's n0 = 10 level (×10) from n0 = ${referenceLevelFrom(d) ?? 'never (within the start epochs run)'} ` +
      '(this varies between seeds: from n0 = 7 to 15 over seeds 1–4 of the paper preset, measured; see the source); ' +
      'qualitatively both show errors of order 0.1–1 early, a drop by orders of magnitude after the transient, and the largest modes fitting best.';
    const fig = protocolFigure(d, 'Fig. 5: mode theory vs. RFLO training', caption);
    return { ...fig, panels: [...fig.panels, fig5Table(d)] };
  },
  summary(d): Record<string, SummaryValue> {
    const R = FIG5_REFERENCE;
    const s = protocolSummary(d, {
      'valLoss.epoch50': '5.6e-5', 'w.epoch50': '(0.900, 0.700, 0.498, 0.294)', 'uv.epoch50': '(1.00, 1.00, 1.00, 1.02)',
      'align.recurrent': `${R.recurrent[0]} -> ${R.recurrent[1]}`, 'align.input': `${R.input}`, 'align.output': `${R.output[0]} -> ${R.output[1]}`,
      'align.feedback': `${R.feedback}`, 'theoryError.n0=2': r3(R.theoryN0_2), 'theoryError.n0=10': r3(R.theoryN0_10),
    });
    s['referenceLevelFromN0'] = referenceLevelFrom(d) ?? 'never';
    // the verdict only (the measured values are summary keys of their own)
    for (const [k, v] of Object.entries(fig5Agreement(d))) s[`agreement.${k}`] = v.startsWith('differs') ? 'differs' : v;
    return s;
  },
});
