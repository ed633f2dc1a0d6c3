// Shared pieces of the single-mode theory figures (local/fig1–fig4, fig7): config fields, rule construction, labels, manifold curves.
//
// Every theory figure works on one mode (w, u, v) and its teacher (w*, u*, v*) with the T = "inf" field of
// docs/theory/modes.md §2; the rules are BPTT, tBPTT(τ), RFLO (α, b) and e-prop (b).
import { z } from 'zod';
import type { ModeRule } from '../../theory/modes.js';
import type { XYSeries } from '../figure-spec.js';

/** The rules the theory figures compare. */
export const FIGURE_RULES = ['bptt', 'tbptt', 'rflo', 'eprop'] as const;
export type FigureRule = (typeof FIGURE_RULES)[number];

/** A teacher mode (w*, u*, v*) with |w*| < 1 (the T = "inf" field needs it) and a* = u*v* ≠ 0. */
export const teacherField = (def: [number, number, number]) => z.tuple([z.number().gt(-1).lt(1), z.number().finite(), z.number().finite()])
  .refine((t) => t[1] * t[2] !== 0, { message: 'the teacher gain u*·v* must be nonzero (the optimal manifold needs a* ≠ 0)' })
  .default(def);

/** A mode state (w, u, v) with |w| < 1. */
export const stateField = (def: [number, number, number]) => z.tuple([z.number().gt(-1).lt(1), z.number().finite(), z.number().finite()]).default(def);

/** Rule parameters shared by the figures: τ of tBPTT, α and b of RFLO, b of e-prop. */
export interface RuleParams {
  readonly tau: number;
  readonly alpha: number;
  readonly b: number;
}

/** The zod fields of {@link RuleParams} with the given defaults. */
export function ruleParamFields(def: RuleParams) {
  return {
    /** tBPTT truncation τ. */
    tau: z.number().int().min(1).max(1000).default(def.tau),
    /** RFLO eligibility decay α. */
    alpha: z.number().min(0).lt(1).default(def.alpha),
    /** Feedback scalar b of RFLO and e-prop (the mode's entry of the aligned B). */
    b: z.number().finite().refine((x) => x !== 0, { message: 'b must be nonzero' }).default(def.b),
  };
}

/** The mode rule of `name` with the figure's parameters. */
export function modeRuleOf(name: FigureRule, p: RuleParams): ModeRule {
  switch (name) {
    case 'bptt': return { name: 'bptt' };
    case 'tbptt': return { name: 'tbptt', tau: p.tau };
    case 'rflo': return { name: 'rflo', alpha: p.alpha, b: p.b };
    case 'eprop': return { name: 'eprop', b: p.b };
  }
}

/** A short label: "BPTT", "tBPTT(1)", "RFLO (α = 0.3, b = 0.3)", "e-prop (b = 1)". */
export function ruleLabel(name: FigureRule, p: RuleParams): string {
  switch (name) {
    case 'bptt': return 'BPTT';
    case 'tbptt': return `tBPTT(${p.tau})`;
    case 'rflo': return `RFLO (α = ${p.alpha}, b = ${p.b})`;
    case 'eprop': return `e-prop (b = ${p.b})`;
  }
}

/** A fixed colour per curve index, so that a rule's (or an α's) λ+ and λ− share it (solid and dashed). */
const CURVE_COLORS = ['#1f77b4', '#ff7f0e', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export function curveColor(i: number): string {
  return CURVE_COLORS[i % CURVE_COLORS.length]!;
}

/** `n` points from lo to hi inclusive (n ≥ 2). */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + ((hi - lo) * i) / (n - 1);
  return out;
}

/**
 * The σ grid of a manifold scan: n points in each of [−range, −minAbs] and [minAbs, range] (σ = v ≠ 0), ascending.
 */
export function sigmaGrid(range: number, minAbs: number, nPerBranch: number): Float64Array {
  const pos = linspace(minAbs, range, nPerBranch), out = new Float64Array(2 * nPerBranch);
  for (let i = 0; i < nPerBranch; i++) { out[i] = -pos[nPerBranch - 1 - i]!; out[nPerBranch + i] = pos[i]!; }
  return out;
}

/**
 * The two branches of the optimal hyperbola uv = a* in the (u, v) plane, clipped to |u|, |v| ≤ range, as dashed
 * x–y series (x = u, y = v; one label, so one legend entry), sampled at `n` values of v per branch.
 */
export function hyperbolaSeries(aStar: number, range: number, n = 200, label = 'optimal manifold uv = a*'): XYSeries[] {
  const vMin = Math.abs(aStar) / range; // |u| = |a*|/|v| ≤ range
  const out: XYSeries[] = [];
  for (const sign of [1, -1]) {
    const v = linspace(vMin, range, n).map((x) => sign * x);
    out.push({ label, x: v.map((x) => aStar / x), y: v, dash: true, color: '#777' });
  }
  return out;
}

/** Contiguous runs [σ_first, σ_last] of grid points where mask holds. */
export function gridIntervals(sigma: ArrayLike<number>, mask: (i: number) => boolean): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= sigma.length; i++) {
    const m = i < sigma.length && mask(i);
    if (m && start < 0) start = i;
    if (!m && start >= 0) { out.push([sigma[start]!, sigma[i - 1]!]); start = -1; }
  }
  return out;
}

/** A number rounded to `d` significant digits, for captions. */
export function sig(x: number, d = 3): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(d))) : String(x);
}
