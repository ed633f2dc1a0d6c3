// Experiment local/fig2-vector-fields: the (u̇, v̇) learning flow of one mode on the slice w = w* for BPTT, tBPTT(1) and RFLO.
//
// Theory: docs/theory/modes.md §2 (T = "inf" mode field), §4 (fixed points: the hyperbola uv = a* at w = w* for every rule,
// the origin u = v = 0 for BPTT and tBPTT only). Setup of the paper's Fig. 2 (local-learning paper): teacher (0.5, 1, 1),
// RFLO α = 0.5, b = 1, grid u, v ∈ [−2.5, 2.5]. The figure shows the (u, v) components only; off the hyperbola ẇ is not
// zero, so the slice is a view of the flow, not an invariant plane.
//
// "Leaving a branch" is measured on the slice: at points (u, v) with uv = a*(1 ± δ) next to a branch point (a*/σ, σ),
// the flow leaves when d(uv)/dt = u̇v + uv̇ has the sign of uv − a* on both sides (|uv − a*| grows).
import { z } from 'zod';
import { modeField } from '../../theory/modes.js';
import { manifoldEigenvalues } from '../../theory/modes-stability.js';
import type { FigureSpec, QuiverPanel } from '../figure-spec.js';
import { defineExperiment, type SummaryValue } from '../experiment.js';
import { FIGURE_RULES, gridIntervals, hyperbolaSeries, linspace, modeRuleOf, ruleLabel, ruleParamFields, sig, sigmaGrid, teacherField, type FigureRule } from './mode-figures.js';

const config = z.object({
  teacher: teacherField([0.5, 1, 1]),
  rules: z.array(z.enum(FIGURE_RULES)).min(1).default(['bptt', 'tbptt', 'rflo']),
  ...ruleParamFields({ tau: 1, alpha: 0.5, b: 1 }),
  /** The grid covers u, v ∈ [−range, range]. */
  range: z.number().gt(0).max(100).default(2.5),
  /** Arrows per axis. */
  gridPoints: z.number().int().min(2).max(401).default(21),
  /** Branch points sampled per branch for the leave/attract test (σ with |σ| and |a* / σ| ≤ range). */
  branchPoints: z.number().int().min(2).max(100_000).default(400),
  /** Relative offset δ from the hyperbola for that test. */
  delta: z.number().gt(0).lt(0.5).default(1e-4),
}).strict();

type Config = z.output<typeof config>;

/** One rule's flow on the slice. */
export interface SliceField {
  readonly rule: FigureRule;
  readonly label: string;
  /** Flow at the grid points (u = grid[j], v = grid[i] at index i·n + j). */
  readonly du: number[];
  readonly dv: number[];
  /** |(ẇ, u̇, v̇)| at the origin (w*, 0, 0): 0 when it is a fixed point. */
  readonly originSpeed: number;
  /** BPTT/tBPTT: the nonzero eigenvalues ±κ at the origin (a saddle, docs/theory/modes.md §5.4); null for the other rules. */
  readonly originEigenvalue: number | null;
  /** Per branch (v < 0 then v > 0): the sampled σ and whether the slice flow leaves the hyperbola there. */
  readonly branchSigma: number[];
  readonly leaves: boolean[];
}

export interface Fig2Data {
  readonly teacher: [number, number, number];
  readonly grid: number[];
  readonly fields: SliceField[];
}

/** The slice field and the branch test of one rule (pure function). */
export function sliceField(rule: FigureRule, cfg: Config): SliceField {
  const f = modeField(modeRuleOf(rule, cfg), cfg.teacher, 'inf');
  const ws = cfg.teacher[0], as = cfg.teacher[1] * cfg.teacher[2];
  const grid = linspace(-cfg.range, cfg.range, cfg.gridPoints), n = grid.length;
  const y = new Float64Array(3), o = new Float64Array(3);
  const du: number[] = [], dv: number[] = [];
  y[0] = ws;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      y[1] = grid[j]!; y[2] = grid[i]!;
      f(y, o);
      du.push(o[1]!); dv.push(o[2]!);
    }
  }
  y[1] = 0; y[2] = 0;
  f(y, o);
  const originSpeed = Math.hypot(o[0]!, o[1]!, o[2]!);
  // branch points with |σ| ≤ range and |u| = |a* / σ| ≤ range
  const sMin = Math.abs(as) / cfg.range;
  const branchSigma = Array.from(sigmaGrid(cfg.range, sMin, cfg.branchPoints));
  const leaves = branchSigma.map((s) => {
    let away = 0;
    for (const e of [cfg.delta, -cfg.delta]) {
      // (u, v) = (a*(1 + e)/σ, σ): uv − a* = a* e
      y[1] = (as * (1 + e)) / s; y[2] = s;
      f(y, o);
      const dprod = o[1]! * y[2]! + y[1]! * o[2]!;
      if (dprod * as * e > 0) away++;
    }
    return away === 2;
  });
  const originEigenvalue = rule === 'bptt' || rule === 'tbptt'
    ? manifoldEigenvalues(modeRuleOf(rule, cfg), cfg.teacher, { kind: 'nonoptimal', w: ws }).eigenvalues.re[0]! : null;
  return { rule, label: ruleLabel(rule, cfg), du, dv, originSpeed, originEigenvalue, branchSigma, leaves };
}

/** Branch name of σ for a* > 0: v < 0 is the lower-left branch (u, v < 0), v > 0 the upper-right. */
const branchName = (as: number, neg: boolean): string => (neg ? (as > 0 ? 'lower-left' : 'lower-right') : (as > 0 ? 'upper-right' : 'upper-left'));

function fieldStats(d: Fig2Data, r: SliceField) {
  const as = d.teacher[1] * d.teacher[2];
  const neg = r.branchSigma.map((s) => s < 0);
  const frac = (side: boolean) => {
    let n = 0, k = 0;
    for (let i = 0; i < neg.length; i++) if (neg[i] === side) { n++; if (r.leaves[i]) k++; }
    return k / n;
  };
  return {
    originFixed: r.originSpeed < 1e-12,
    negLeaveFraction: frac(true), posLeaveFraction: frac(false),
    leaveWhere: gridIntervals(r.branchSigma, (i) => r.leaves[i]!),
    negName: branchName(as, true), posName: branchName(as, false),
  };
}

const fmtIv = (iv: ReadonlyArray<readonly [number, number]>): string => (iv.length ? iv.map(([a, b]) => `[${sig(a)}, ${sig(b)}]`).join(' ∪ ') : 'nowhere');

export const fig2VectorFieldsExperiment = defineExperiment({
  id: 'local/fig2-vector-fields',
  title: 'Learning flow of one mode on the slice w = w*',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 2 (vector fields)' },
  description:
    'The (u̇, v̇) components of the T → ∞ learning ODE of one mode on the plane w = w*, for BPTT, one-step tBPTT and RFLO, with ' +
    'the optimal hyperbola uv = a* drawn on top. BPTT and tBPTT have a fixed point (a saddle) at the origin and flow onto both ' +
    'branches; RFLO has no fixed point at the origin, and next to the branch where b·v < 0 its flow moves away from the hyperbola. ' +
    'The summary says, per rule, whether the origin is fixed and on what fraction of each branch the flow leaves it.',
  presets: {
    paper: 'the paper\'s Fig. 2 setup: teacher (0.5, 1, 1), RFLO α = 0.5, b = 1, u, v ∈ [−2.5, 2.5] on a 21 × 21 arrow grid, 400 branch points per branch; well under a second',
    quick: 'the same on an 11 × 11 arrow grid and 100 branch points per branch',
  },
  config,
  quick: { gridPoints: 11, branchPoints: 100 },
  defaultSeed: 1,
  async run(cfg, _rng, progress): Promise<Fig2Data> {
    const fields = cfg.rules.map((r, i) => {
      const s = sliceField(r, cfg);
      progress((i + 1) / cfg.rules.length, r);
      return s;
    });
    return { teacher: [...cfg.teacher], grid: Array.from(linspace(-cfg.range, cfg.range, cfg.gridPoints)), fields };
  },
  figure(d): FigureSpec {
    const g = d.grid, n = g.length, range = g[n - 1]!;
    const px: number[] = [], py: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { px.push(g[j]!); py.push(g[i]!); }
    const hyp = hyperbolaSeries(d.teacher[1] * d.teacher[2], range);
    const panels: QuiverPanel[] = d.fields.map((r) => {
      // directions only: the speed spans orders of magnitude over the grid
      const len = r.du.map((x, k) => Math.hypot(x, r.dv[k]!) || 1);
      return {
        kind: 'quiver', title: `${r.label} (direction of (u̇, v̇))`,
        x: { label: 'u', domain: [-range, range] }, y: { label: 'v', domain: [-range, range] },
        px, py, dx: r.du.map((x, k) => x / len[k]!), dy: r.dv.map((x, k) => x / len[k]!), series: hyp,
      };
    });
    const lines = d.fields.map((r) => {
      const s = fieldStats(d, r);
      return `${r.label}: origin ${s.originFixed ? `is a fixed point${r.originEigenvalue !== null ? ` (a saddle, eigenvalues ±${sig(r.originEigenvalue)}, 0)` : ''}` : `is not fixed (speed ${sig(r.originSpeed)})`}, flow leaves the ${s.negName} branch on ` +
        `${(100 * s.negLeaveFraction).toFixed(0)}% of it and the ${s.posName} branch on ${(100 * s.posLeaveFraction).toFixed(0)}%` +
        `${s.negLeaveFraction + s.posLeaveFraction > 0 ? ` (σ = v in ${fmtIv(s.leaveWhere)})` : ''}`;
    });
    return {
      title: `Flow on the slice w = w* = ${d.teacher[0]}, teacher (${d.teacher.join(', ')})`,
      caption: 'Arrows: direction of (u̇, v̇) at w = w* (normalised; ẇ ≠ 0 off the hyperbola). Dashed: the optimal hyperbola uv = a*. ' +
        'Paper: BPTT and tBPTT look alike with a saddle at the origin; RFLO has no fixed point at the origin and its flow near the ' +
        'lower-left branch leaves it. Measured: ' + lines.join('; ') + '.',
      panels,
      columns: Math.min(3, panels.length),
    };
  },
  summary(d): Record<string, SummaryValue> {
    const s: Record<string, SummaryValue> = {};
    for (const r of d.fields) {
      const st = fieldStats(d, r);
      s[`${r.rule}.originFixed`] = st.originFixed ? 'yes' : 'no';
      s[`${r.rule}.originSpeed`] = r.originSpeed;
      if (r.originEigenvalue !== null) s[`${r.rule}.originSaddleEigenvalue`] = r.originEigenvalue;
      s[`${r.rule}.negBranchLeaveFraction`] = st.negLeaveFraction;
      s[`${r.rule}.posBranchLeaveFraction`] = st.posLeaveFraction;
      s[`${r.rule}.leavesWhere`] = fmtIv(st.leaveWhere);
    }
    return s;
  },
});
