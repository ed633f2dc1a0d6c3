// Experiment local/fig3-manifold-eigenvalues: λ± and the convergence rate along the optimal hyperbola for BPTT, tBPTT(1) and RFLO.
//
// Theory: docs/theory/modes.md §4 (the optimal manifold (w*, a*/σ, σ), σ = v ≠ 0) and §5.2 (on it the Jacobian has
// eigenvalues 0, λ± = (−p ± √(p² − 4q))/2; convergence rate −max Re λ±, positive where the point attracts). Setup of
// the paper's Fig. 3 (local-learning paper): σ on a grid of both signs; (A) a generic case, (B) RFLO with α = 0, b = 1
// for teacher (0.5, 1, 1), whose branch b·v < 0 has a complex (oscillatory) unstable segment, (C) a small w* = 0.1,
// where one-step tBPTT's rate is close to BPTT's. Dashed lines at σ = ±√|a*| (BPTT's slowest points).
// The "fraction of the manifold" in the summary is the fraction of the σ grid (uniform in σ on both branches).
import { z } from 'zod';
import { manifoldEigenField } from '../../theory/modes-stability.js';
import type { FigureSpec, RuleMark, XYSeries } from '../figure-spec.js';
import { defineExperiment, type SummaryValue } from '../experiment.js';
import { curveColor, FIGURE_RULES, gridIntervals, modeRuleOf, ruleLabel, sig, sigmaGrid, teacherField, type FigureRule } from './mode-figures.js';

export { gridIntervals };

const panelField = z.object({
  /** Short panel name used in the summary keys ("A", "B", ...). */
  name: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/),
  title: z.string().max(200),
  teacher: teacherField([0.5, 1, 1]),
  /** RFLO decay α and feedback b (and e-prop's b). */
  alpha: z.number().min(0).lt(1),
  b: z.number().finite().refine((x) => x !== 0, { message: 'b must be nonzero' }),
}).strict();

const config = z.object({
  panels: z.array(panelField).min(1).max(8).default([
    { name: 'A', title: 'generic: teacher (0.5, 1, 1), RFLO α = 0.5, b = 1', teacher: [0.5, 1, 1], alpha: 0.5, b: 1 },
    { name: 'B', title: 'RFLO α = 0, b = 1, teacher (0.5, 1, 1): complex unstable segment', teacher: [0.5, 1, 1], alpha: 0, b: 1 },
    { name: 'C', title: 'small w*: teacher (0.1, 1, 1), RFLO α = 0.5, b = 1', teacher: [0.1, 1, 1], alpha: 0.5, b: 1 },
  ]),
  rules: z.array(z.enum(FIGURE_RULES)).min(1).default(['bptt', 'tbptt', 'rflo']),
  /** tBPTT truncation τ. */
  tau: z.number().int().min(1).max(1000).default(1),
  /** σ runs over [−sigmaMax, −sigmaMin] ∪ [sigmaMin, sigmaMax]. */
  sigmaMax: z.number().gt(0).max(100).default(3),
  sigmaMin: z.number().gt(0).default(0.05),
  /** Grid points per branch. */
  pointsPerBranch: z.number().int().min(2).max(100_000).default(600),
}).strict().refine((c) => c.sigmaMin < c.sigmaMax, { message: 'sigmaMin must be below sigmaMax', path: ['sigmaMin'] });

type Config = z.output<typeof config>;
type PanelConfig = Config['panels'][number];

/** One rule along one panel's σ grid: Re and Im of λ+ and λ−, the rate −max Re λ±. */
export interface RuleCurve {
  readonly rule: FigureRule;
  readonly label: string;
  readonly reP: number[];
  readonly reM: number[];
  readonly imP: number[];
  readonly imM: number[];
  readonly rate: number[];
  /** σ intervals where λ± are complex, boundaries located by bisection (to 1e-10). */
  readonly complex: Array<[number, number]>;
}

export interface Fig3Panel {
  readonly name: string;
  readonly title: string;
  readonly teacher: [number, number, number];
  readonly alpha: number;
  readonly b: number;
  readonly sigma: number[];
  readonly rules: RuleCurve[];
}

export interface Fig3Data {
  readonly panels: Fig3Panel[];
}

/** Bisection for the boundary of pred between a (pred(a) = inside) and b (pred(b) = !inside), to tol. */
function bisect(pred: (x: number) => boolean, a: number, b: number, tol = 1e-10): number {
  const pa = pred(a);
  for (let k = 0; k < 200 && Math.abs(b - a) > tol; k++) {
    const m = 0.5 * (a + b);
    if (pred(m) === pa) a = m; else b = m;
  }
  return 0.5 * (a + b);
}

/** The curves of one rule on one panel (pure function). */
export function ruleCurve(rule: FigureRule, p: PanelConfig, tau: number, sigma: ArrayLike<number>): RuleCurve {
  const params = { tau, alpha: p.alpha, b: p.b };
  const f = manifoldEigenField(modeRuleOf(rule, params), p.teacher, 'optimal');
  const o = new Float64Array(7), n = sigma.length;
  const reP: number[] = [], reM: number[] = [], imP: number[] = [], imM: number[] = [], rate: number[] = [];
  for (let i = 0; i < n; i++) {
    f(sigma[i]!, o);
    reP.push(o[0]!); reM.push(o[1]!); imP.push(o[2]!); imM.push(o[3]!); rate.push(o[6]!);
  }
  const isComplex = (x: number): boolean => { f(x, o); return o[2]! !== 0; };
  const complex = gridIntervals(sigma, (i) => imP[i]! !== 0).map(([lo, hi]): [number, number] => {
    const il = Array.prototype.indexOf.call(sigma, lo) as number, ih = Array.prototype.indexOf.call(sigma, hi) as number;
    // refine each end between the last real and the first complex grid point (when there is one on that side of the same branch)
    const left = il > 0 && Math.sign(sigma[il - 1]!) === Math.sign(lo) ? bisect(isComplex, lo, sigma[il - 1]!) : lo;
    const right = ih < n - 1 && Math.sign(sigma[ih + 1]!) === Math.sign(hi) ? bisect(isComplex, hi, sigma[ih + 1]!) : hi;
    return [left, right];
  });
  return { rule, label: ruleLabel(rule, params), reP, reM, imP, imM, rate, complex };
}

/** Per grid point, the index (into rules) of the fastest and of the slowest rule by rate (ties: the first). */
function extremes(rules: readonly RuleCurve[], i: number): { fastest: number; slowest: number } {
  let fastest = 0, slowest = 0;
  for (let r = 1; r < rules.length; r++) {
    if (rules[r]!.rate[i]! > rules[fastest]!.rate[i]!) fastest = r;
    if (rules[r]!.rate[i]! < rules[slowest]!.rate[i]!) slowest = r;
  }
  return { fastest, slowest };
}

const fmtIntervals = (iv: ReadonlyArray<readonly [number, number]>, d = 3): string =>
  iv.length ? iv.map(([a, b]) => `[${sig(a, d)}, ${sig(b, d)}]`).join(' ∪ ') : 'none';

/** Summary statistics of one panel. */
function panelStats(p: Fig3Panel) {
  const n = p.sigma.length, k = p.rules.length;
  const fastest = new Array<number>(k).fill(0), slowest = new Array<number>(k).fill(0);
  const fastestIdx: number[] = [], slowestIdx: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = extremes(p.rules, i);
    fastest[e.fastest]!++; slowest[e.slowest]!++;
    fastestIdx.push(e.fastest); slowestIdx.push(e.slowest);
  }
  return p.rules.map((r, j) => ({
    rule: r.rule, label: r.label,
    fastestFraction: fastest[j]! / n, slowestFraction: slowest[j]! / n,
    stableFraction: r.rate.filter((x) => x > 0).length / n,
    // the branch b·v < 0 of the feedback rules (RFLO, e-prop): fraction of its grid points where the manifold attracts
    badBranchStableFraction: r.rule === 'rflo' || r.rule === 'eprop'
      ? fractionWhere(p.sigma, (i) => p.b * p.sigma[i]! < 0, (i) => r.rate[i]! > 0) : NaN,
    fastestWhere: gridIntervals(p.sigma, (i) => k > 1 && fastestIdx[i] === j),
    slowestWhere: gridIntervals(p.sigma, (i) => k > 1 && slowestIdx[i] === j),
    unstableWhere: gridIntervals(p.sigma, (i) => !(r.rate[i]! > 0)),
    complex: r.complex,
  }));
}

/** Among grid points where `on` holds, the fraction where `pred` holds (NaN when there are none). */
function fractionWhere(sigma: ArrayLike<number>, on: (i: number) => boolean, pred: (i: number) => boolean): number {
  let n = 0, k = 0;
  for (let i = 0; i < sigma.length; i++) if (on(i)) { n++; if (pred(i)) k++; }
  return n ? k / n : NaN;
}

/** Largest relative difference of tBPTT's rate from BPTT's over the panel's grid (NaN unless both are present). */
function tbpttVsBptt(p: Fig3Panel): number {
  const b = p.rules.find((r) => r.rule === 'bptt'), t = p.rules.find((r) => r.rule === 'tbptt');
  if (!b || !t) return NaN;
  let m = 0;
  for (let i = 0; i < p.sigma.length; i++) m = Math.max(m, Math.abs(t.rate[i]! - b.rate[i]!) / Math.abs(b.rate[i]!));
  return m;
}

export const fig3ManifoldEigenvaluesExperiment = defineExperiment({
  id: 'local/fig3-manifold-eigenvalues',
  title: 'Eigenvalues and convergence rates along the optimal manifold',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 3 (λ± and rate along the manifold)' },
  description:
    'Along the optimal hyperbola (w*, a*/σ, σ) of one mode, the two nonzero eigenvalues λ± of the T → ∞ Jacobian (real and ' +
    'imaginary parts) and the convergence rate −max Re λ± for BPTT, one-step tBPTT and RFLO, in three settings: a generic one, ' +
    'RFLO with α = 0 and b = 1 (whose branch b·v < 0 has a complex, oscillatory unstable segment) and a small w* = 0.1. The ' +
    'summary gives, per panel, the fraction of the σ grid on which each rule is fastest and slowest, where it is unstable, and ' +
    'the measured complex intervals; the caption compares these with the paper\'s claims (BPTT fastest, RFLO slowest over most of ' +
    'the manifold, RFLO fastest only as σ → 0 on its stable branch) and says where they do not hold.',
  presets: {
    paper: 'the paper\'s Fig. 3 panels A (teacher (0.5, 1, 1), RFLO α = 0.5, b = 1), B (α = 0, b = 1) and C (w* = 0.1); σ ∈ ±[0.05, 3], 600 points per branch; well under a second',
    quick: 'the same panels on 100 points per branch (complex-interval ends are bisected, so they match the paper preset to 1e-9)',
  },
  config,
  quick: { pointsPerBranch: 100 },
  defaultSeed: 1,
  async run(cfg, _rng, progress): Promise<Fig3Data> {
    const sigma = Array.from(sigmaGrid(cfg.sigmaMax, cfg.sigmaMin, cfg.pointsPerBranch));
    const panels: Fig3Panel[] = cfg.panels.map((p, i) => {
      const rules = cfg.rules.map((r) => ruleCurve(r, p, cfg.tau, sigma));
      progress((i + 1) / cfg.panels.length, p.name);
      return { name: p.name, title: p.title, teacher: [...p.teacher], alpha: p.alpha, b: p.b, sigma, rules };
    });
    return { panels };
  },
  figure(d): FigureSpec[] {
    return d.panels.map((p) => {
      const sq = Math.sqrt(Math.abs(p.teacher[1] * p.teacher[2]));
      const marks: RuleMark[] = [{ kind: 'vrule', value: -sq, label: '−√|a*|', dash: true }, { kind: 'vrule', value: sq, label: '√|a*|', dash: true }];
      // each branch as its own series (same label: one legend entry, one colour) so that no line joins σ = −σmin to +σmin
      const split = (label: string, y: number[], dash = false, color?: string): XYSeries[] => {
        const h = p.sigma.findIndex((s) => s > 0);
        return [
          { label, x: p.sigma.slice(0, h), y: y.slice(0, h), dash, ...(color !== undefined && { color }) },
          { label, x: p.sigma.slice(h), y: y.slice(h), dash, ...(color !== undefined && { color }) },
        ];
      };
      const re = p.rules.flatMap((r, k) => [...split(`${r.label}: Re λ+`, r.reP, false, curveColor(k)), ...split(`${r.label}: Re λ−`, r.reM, true, curveColor(k))]);
      const im = p.rules.flatMap((r, k) => split(`${r.label}: Im λ+`, r.imP, false, curveColor(k)));
      const rate = p.rules.flatMap((r, k) => split(r.label, r.rate, false, curveColor(k)));
      const st = panelStats(p);
      const rows = st.map((s) => [s.label, Number(s.fastestFraction.toFixed(3)), Number(s.slowestFraction.toFixed(3)),
        Number(s.stableFraction.toFixed(3)), fmtIntervals(s.complex)]);
      return {
        title: `Fig. 3${p.name}: ${p.title}`,
        caption: fig3Caption(p, st),
        panels: [
          { kind: 'xy', title: 'Re λ± (dashed: λ−)', x: { label: 'σ = v on the manifold' }, y: { label: 'Re λ (1/time)', scale: 'symlog' }, series: re, rules: marks },
          { kind: 'xy', title: 'Im λ+ (= −Im λ−)', x: { label: 'σ = v on the manifold' }, y: { label: 'Im λ (1/time)' }, series: im, rules: marks },
          { kind: 'xy', title: 'convergence rate −max Re λ± (< 0: unstable)', x: { label: 'σ = v on the manifold' }, y: { label: 'rate (1/time)', scale: 'symlog' }, series: rate, rules: marks },
          { kind: 'table', title: 'Fraction of the σ grid', columns: ['rule', 'fastest', 'slowest', 'stable', 'complex λ± for σ in'], rows },
        ],
        columns: 2,
      };
    });
  },
  summary(d): Record<string, SummaryValue> {
    const s: Record<string, SummaryValue> = {};
    for (const p of d.panels) {
      for (const r of panelStats(p)) {
        s[`${p.name}.${r.rule}.fastestFraction`] = r.fastestFraction;
        s[`${p.name}.${r.rule}.slowestFraction`] = r.slowestFraction;
        s[`${p.name}.${r.rule}.stableFraction`] = r.stableFraction;
        s[`${p.name}.${r.rule}.complex`] = fmtIntervals(r.complex, 4);
        if (!Number.isNaN(r.badBranchStableFraction)) s[`${p.name}.${r.rule}.badBranchStableFraction`] = r.badBranchStableFraction;
      }
      s[`${p.name}.tbpttVsBpttMaxRelDiff`] = tbpttVsBptt(p);
    }
    return s;
  },
});

/** The caption of one panel: the paper's claims against what was measured. */
function fig3Caption(p: Fig3Panel, st: ReturnType<typeof panelStats>): string {
  const by = (r: FigureRule) => st.find((x) => x.rule === r);
  const parts: string[] = [];
  const bp = by('bptt'), tb = by('tbptt'), rf = by('rflo');
  const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;
  for (const s of st) {
    parts.push(`${s.label} is fastest on ${pct(s.fastestFraction)} of the σ grid${s.fastestWhere.length && s.fastestFraction < 1 ? ` (${fmtIntervals(s.fastestWhere, 2)})` : ''}, ` +
      `slowest on ${pct(s.slowestFraction)}, unstable ${s.unstableWhere.length ? `for σ in ${fmtIntervals(s.unstableWhere, 2)}` : 'nowhere'}` +
      `${s.complex.length ? `, complex λ± for σ in ${fmtIntervals(s.complex)}` : ''}`);
  }
  const claims: string[] = [];
  if (bp) claims.push(`BPTT fastest over most of the manifold: ${bp.fastestFraction > 0.5 ? 'holds' : 'does not hold'} (${pct(bp.fastestFraction)})`);
  if (rf) {
    claims.push(`RFLO slowest over most of the manifold: ${rf.slowestFraction > 0.5 ? 'holds' : 'does not hold'} (${pct(rf.slowestFraction)}` +
      `${rf.slowestFraction < 1 ? `; RFLO is not slowest for σ in ${fmtIntervals(gridIntervalsComplement(p.sigma, rf.slowestWhere), 2)}` : ''})`);
    claims.push(`RFLO's branch b·v < 0 largely unstable: ${rf.badBranchStableFraction < 0.5 ? 'holds' : 'does not hold'} (stable on ` +
      `${pct(rf.badBranchStableFraction)} of that branch's grid; the branch b·v > 0 is stable everywhere, docs/theory/modes.md §5.2)`);
  }
  if (tb && bp) {
    const m = tbpttVsBptt(p);
    claims.push(`tBPTT's rate differs from BPTT's by at most ${pct(m)} here`);
  }
  return `Eigenvalues λ± of the Jacobian at (w*, a*/σ, σ), teacher (${p.teacher.join(', ')}); dashed lines at σ = ±√|a*|. ` +
    `Measured: ${parts.join('; ')}. Paper's claims: ${claims.join('; ')}.`;
}

/** The σ-grid intervals not covered by `iv` (iv from gridIntervals on the same grid). */
function gridIntervalsComplement(sigma: number[], iv: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  return gridIntervals(sigma, (i) => !iv.some(([a, b]) => sigma[i]! >= a && sigma[i]! <= b));
}
