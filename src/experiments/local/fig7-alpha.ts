// Experiment local/fig7-alpha: RFLO's manifold eigenvalues λ± along the optimal hyperbola for several eligibility decays α.
//
// Theory: docs/theory/modes.md §5.2 (λ± at (w*, a*/σ, σ) from p = −tr J and the 2×2 principal minors q; RFLO's closed
// forms with d = 1/(1 − αw*)). Setup of the paper's supplementary Fig. 7 (local-learning paper): RFLO λ± along the manifold
// for several α ∈ [0, 1); its claim is that a larger α mainly moves the real parts away from the origin. We measure, per α
// and per branch, the median over the σ grid of |Re λ+| and |Re λ−|, and whether they grow with α.
import { z } from 'zod';
import type { FigureSpec, RuleMark, XYSeries } from '../figure-spec.js';
import { defineExperiment, type SummaryValue } from '../experiment.js';
import { ruleCurve, type RuleCurve } from './fig3-manifold-eigenvalues.js';
import { curveColor, sig, sigmaGrid, teacherField } from './mode-figures.js';
import { median } from '../stats.js';

const config = z.object({
  teacher: teacherField([0.5, 1, 1]),
  /** RFLO feedback scalar b. */
  b: z.number().finite().refine((x) => x !== 0, { message: 'b must be nonzero' }).default(1),
  /** The eligibility decays compared (ascending). */
  alphas: z.array(z.number().min(0).lt(1)).min(2).max(20).default([0, 0.25, 0.5, 0.75, 0.9])
    .refine((a) => a.every((x, i) => i === 0 || x > a[i - 1]!), { message: 'alphas must be strictly ascending' }),
  sigmaMax: z.number().gt(0).max(100).default(3),
  sigmaMin: z.number().gt(0).default(0.05),
  pointsPerBranch: z.number().int().min(2).max(100_000).default(600),
}).strict().refine((c) => c.sigmaMin < c.sigmaMax, { message: 'sigmaMin must be below sigmaMax', path: ['sigmaMin'] });

/** One α: RFLO's curves along σ and per-branch medians of |Re λ±|. */
export interface AlphaCurve {
  readonly alpha: number;
  readonly curve: RuleCurve;
  /** Branch b·v > 0 (stable) and b·v < 0: median over the grid of |Re λ+| and |Re λ−|. */
  readonly goodMedianAbsReP: number;
  readonly goodMedianAbsReM: number;
  readonly badMedianAbsReP: number;
  readonly badMedianAbsReM: number;
}

export interface Fig7Data {
  readonly teacher: [number, number, number];
  readonly b: number;
  readonly sigma: number[];
  readonly curves: AlphaCurve[];
}

const nondecreasing = (x: readonly number[]): boolean => x.every((v, i) => i === 0 || v >= x[i - 1]!);

export const fig7AlphaExperiment = defineExperiment({
  id: 'local/fig7-alpha',
  title: 'RFLO manifold eigenvalues for several eligibility decays α',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 7 (supplementary: effect of α)' },
  description:
    'RFLO\'s two nonzero eigenvalues λ± of the T → ∞ Jacobian along the optimal hyperbola (w*, a*/σ, σ) of one mode, for ' +
    'several eligibility-trace decays α. The summary gives, per α and per branch (b·v > 0, stable; b·v < 0), the median of ' +
    '|Re λ+| and |Re λ−| over the σ grid, and whether these grow with α (the paper: increasing α mainly moves the real parts ' +
    'away from the origin).',
  presets: {
    paper: 'teacher (0.5, 1, 1), b = 1, α ∈ {0, 0.25, 0.5, 0.75, 0.9}, σ ∈ ±[0.05, 3] with 600 points per branch; well under a second',
    quick: 'the same on 100 points per branch',
  },
  config,
  quick: { pointsPerBranch: 100 },
  defaultSeed: 1,
  async run(cfg, _rng, progress): Promise<Fig7Data> {
    const sigma = Array.from(sigmaGrid(cfg.sigmaMax, cfg.sigmaMin, cfg.pointsPerBranch));
    const curves = cfg.alphas.map((alpha, k) => {
      const curve = ruleCurve('rflo', { name: `a${k}`, title: '', teacher: cfg.teacher, alpha, b: cfg.b }, 1, sigma);
      const pick = (good: boolean, a: number[]) => median(a.filter((_, i) => (cfg.b * sigma[i]! > 0) === good).map(Math.abs));
      progress((k + 1) / cfg.alphas.length, `α = ${alpha}`);
      return {
        alpha, curve,
        goodMedianAbsReP: pick(true, curve.reP), goodMedianAbsReM: pick(true, curve.reM),
        badMedianAbsReP: pick(false, curve.reP), badMedianAbsReM: pick(false, curve.reM),
      };
    });
    return { teacher: [...cfg.teacher], b: cfg.b, sigma, curves };
  },
  figure(d): FigureSpec {
    const sq = Math.sqrt(Math.abs(d.teacher[1] * d.teacher[2]));
    const marks: RuleMark[] = [{ kind: 'vrule', value: -sq, label: '−√|a*|', dash: true }, { kind: 'vrule', value: sq, label: '√|a*|', dash: true }];
    const h = d.sigma.findIndex((s) => s > 0);
    const split = (label: string, y: number[], dash = false, color?: string): XYSeries[] => [
      { label, x: d.sigma.slice(0, h), y: y.slice(0, h), dash, ...(color !== undefined && { color }) },
      { label, x: d.sigma.slice(h), y: y.slice(h), dash, ...(color !== undefined && { color }) },
    ];
    const re = d.curves.flatMap((c, k) => [...split(`α = ${c.alpha}: Re λ+`, c.curve.reP, false, curveColor(k)), ...split(`α = ${c.alpha}: Re λ−`, c.curve.reM, true, curveColor(k))]);
    const im = d.curves.flatMap((c, k) => split(`α = ${c.alpha}`, c.curve.imP, false, curveColor(k)));
    const rows = d.curves.map((c) => [c.alpha, Number(c.goodMedianAbsReP.toPrecision(3)), Number(c.goodMedianAbsReM.toPrecision(3)),
      Number(c.badMedianAbsReP.toPrecision(3)), Number(c.badMedianAbsReM.toPrecision(3)),
      c.curve.complex.length ? c.curve.complex.map(([a, b]) => `[${sig(a)}, ${sig(b)}]`).join(' ∪ ') : 'none']);
    const st = trends(d);
    const verdict = (ok: boolean) => (ok ? 'grows with α' : 'does NOT grow monotonically with α');
    return {
      title: `RFLO λ± along the optimal manifold for α = ${d.curves.map((c) => c.alpha).join(', ')} (teacher (${d.teacher.join(', ')}), b = ${d.b})`,
      caption: 'Eigenvalues λ± of RFLO\'s Jacobian at (w*, a*/σ, σ); dashed lines at σ = ±√|a*|. Paper: increasing α mainly moves ' +
        `the real parts away from the origin. Measured (medians over each branch's σ grid): on the stable branch b·v > 0, |Re λ+| ` +
        `${verdict(st.goodP)} (${d.curves.map((c) => sig(c.goodMedianAbsReP)).join(' → ')}) and |Re λ−| ${verdict(st.goodM)} ` +
        `(${d.curves.map((c) => sig(c.goodMedianAbsReM)).join(' → ')}); on the branch b·v < 0, |Re λ+| ${verdict(st.badP)} ` +
        `(${d.curves.map((c) => sig(c.badMedianAbsReP)).join(' → ')}) and |Re λ−| ${verdict(st.badM)} ` +
        `(${d.curves.map((c) => sig(c.badMedianAbsReM)).join(' → ')}). ` +
        (st.goodP && st.goodM && st.badP && st.badM ? 'This agrees with the paper.' : 'The paper\'s claim holds only where marked "grows".'),
      panels: [
        { kind: 'xy', title: 'Re λ± (dashed: λ−)', x: { label: 'σ = v on the manifold' }, y: { label: 'Re λ (1/time)', scale: 'symlog' }, series: re, rules: marks },
        { kind: 'xy', title: 'Im λ+ (= −Im λ−)', x: { label: 'σ = v on the manifold' }, y: { label: 'Im λ (1/time)' }, series: im, rules: marks },
        { kind: 'table', title: 'Median |Re λ±| per branch', columns: ['α', 'b·v > 0: |Re λ+|', 'b·v > 0: |Re λ−|', 'b·v < 0: |Re λ+|', 'b·v < 0: |Re λ−|', 'complex for σ in'], rows },
      ],
      columns: 2,
    };
  },
  summary(d): Record<string, SummaryValue> {
    const s: Record<string, SummaryValue> = {};
    for (const c of d.curves) {
      const k = `alpha=${c.alpha}`;
      s[`${k}.goodMedianAbsReP`] = c.goodMedianAbsReP;
      s[`${k}.goodMedianAbsReM`] = c.goodMedianAbsReM;
      s[`${k}.badMedianAbsReP`] = c.badMedianAbsReP;
      s[`${k}.badMedianAbsReM`] = c.badMedianAbsReM;
      s[`${k}.complex`] = c.curve.complex.length ? c.curve.complex.map(([a, b]) => `[${sig(a, 4)}, ${sig(b, 4)}]`).join(' ∪ ') : 'none';
    }
    const t = trends(d);
    s['goodBranchReGrowsWithAlpha'] = t.goodP && t.goodM ? 'yes' : 'no';
    s['badBranchReGrowsWithAlpha'] = t.badP && t.badM ? 'yes' : 'no';
    return s;
  },
});

function trends(d: Fig7Data) {
  return {
    goodP: nondecreasing(d.curves.map((c) => c.goodMedianAbsReP)), goodM: nondecreasing(d.curves.map((c) => c.goodMedianAbsReM)),
    badP: nondecreasing(d.curves.map((c) => c.badMedianAbsReP)), badM: nondecreasing(d.curves.map((c) => c.badMedianAbsReM)),
  };
}
