// Experiment local/fig10-rank-vs-loss: final validation loss against the effective rank of ΔW for the Fig. 6 runs, with Spearman's ρ.
//
// Spec: docs/theory/alignment.md §4 (the rank analysis), docs/theory/expected.md §4.3 (the Fig. 6 setup). The runs are
// those of local/fig6-lowrank (the shared function of lowrank-runs.ts, recomputed: each experiment stays a pure function
// of its config and seed). Effective rank = #{normalised |λ(ΔW)| > 1e-2}, the paper's definition (lowRankChange's
// eigenvalueRank, not its entropy-based effectiveRank). Per optimiser we give Spearman's ρ between that
// rank and the final validation loss over all non-diverged runs of all rules (the paper's scatter mixes the rules), its
// two-sided permutation p-value (2000 permutations, stream rng.child('permutation')), and ρ within each rule. The claim
// "higher rank goes with lower loss" counts as supported when ρ < 0 with p < 0.05, contradicted when ρ > 0 with p < 0.05,
// and undecided otherwise.
import type { FigureSpec, XYSeries } from '../figure-spec.js';
import { defineExperiment, type SummaryValue } from '../experiment.js';
import {
  lowRankConfig, lowRankRuns, LOWRANK_PRESETS, LOWRANK_QUICK, spearman, spearmanPermutationP, type LowRankData, type LowRankOptimizer,
} from './lowrank-runs.js';

/** Significance level of the verdict. */
export const VERDICT_ALPHA = 0.05;
/** Permutations of the p-value. */
export const PERMUTATIONS = 2000;

/** The runs' data plus the correlations, computed in run() so the p-values use the experiment's random stream. */
export interface RankLossData extends LowRankData {
  readonly correlations: ReadonlyArray<{
    readonly optimizer: LowRankOptimizer;
    /** Non-diverged runs pooled over the rules. */
    readonly n: number;
    readonly rho: number;
    readonly p: number;
    readonly verdict: 'supported' | 'contradicted' | 'undecided';
    /** ρ and its permutation p-value within each rule (stream rng.child('permutation').child(`${optimizer}/${rule}`)). */
    readonly perRule: ReadonlyArray<{ readonly rule: string; readonly n: number; readonly rho: number; readonly p: number }>;
  }>;
}

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? String(Number(x.toPrecision(d))) : 'n/a');

/** Spearman's ρ as a summary value: a string saying why when it is undefined (a constant rank or loss, or < 2 runs). */
const rhoValue = (rho: number): SummaryValue => (Number.isFinite(rho) ? rho : 'undefined (constant or < 2 runs)');

export const fig10RankVsLossExperiment = defineExperiment({
  id: 'local/fig10-rank-vs-loss',
  title: 'Effective rank of ΔW against final validation loss (Fig. 6 runs, Adam and SGD)',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 10 (supplement): rank vs performance' },
  description:
    'The runs of local/fig6-lowrank (BPTT, tBPTT(1), RFLO, e-prop on the diagonal 10-mode teacher, N = 32, 20 seeds, Adam ' +
    'and SGD), recomputed. Each non-diverged run is a point: the paper\'s effective rank of ΔW = W_final − W_0 (number of eigenvalue ' +
    'moduli above 1e-2 of the largest) against its final validation loss, one panel per optimiser. The summary gives per ' +
    'optimiser the number of runs used and of diverged (discarded) runs, Spearman\'s ρ between rank and loss over all rules pooled, its permutation p-value and whether the paper\'s ' +
    '"higher rank correlates with lower loss" is supported (ρ < 0, p < 0.05), contradicted (ρ > 0, p < 0.05) or undecided, ' +
    'and ρ with its p-value within each rule.',
  presets: LOWRANK_PRESETS,
  config: lowRankConfig,
  quick: LOWRANK_QUICK,
  defaultSeed: 1,
  async run(cfg, rng, progress): Promise<RankLossData> {
    const d = await lowRankRuns(cfg, rng, progress);
    const pr = rng.child('permutation');
    const correlations = [...new Set(d.groups.map((g) => g.optimizer))].map((optimizer) => {
      const gs = d.groups.filter((g) => g.optimizer === optimizer);
      const ok = gs.flatMap((g) => g.runs.filter((r) => !r.diverged));
      const x = ok.map((r) => r.eigRank), y = ok.map((r) => r.finalValLoss);
      const rho = spearman(x, y), p = spearmanPermutationP(x, y, pr.child(optimizer), PERMUTATIONS);
      const verdict: 'supported' | 'contradicted' | 'undecided' = !(p < VERDICT_ALPHA) ? 'undecided' : rho < 0 ? 'supported' : 'contradicted';
      const perRule = gs.map((g) => {
        const o = g.runs.filter((r) => !r.diverged);
        const ox = o.map((r) => r.eigRank), oy = o.map((r) => r.finalValLoss);
        return { rule: g.rule, n: o.length, rho: spearman(ox, oy), p: spearmanPermutationP(ox, oy, pr.child(`${optimizer}/${g.rule}`), PERMUTATIONS) };
      });
      return { optimizer, n: ok.length, rho, p, verdict, perRule };
    });
    return { ...d, correlations };
  },
  figure(d): FigureSpec {
    const panels: FigureSpec['panels'][number][] = d.correlations.map((c) => {
      const series: XYSeries[] = d.groups.filter((g) => g.optimizer === c.optimizer).map((g) => {
        const ok = g.runs.filter((r) => !r.diverged);
        return { kind: 'points' as const, label: g.rule, x: ok.map((r) => r.eigRank), y: ok.map((r) => r.finalValLoss) };
      });
      return {
        title: `${c.optimizer === 'adam' ? 'Adam' : 'SGD'}: Spearman ρ = ${fmt(c.rho)} (p = ${fmt(c.p, 3)}, ${c.n} runs)`,
        x: { label: 'effective rank of ΔW (#|λ|/|λ_1| > 1e-2)', scale: 'linear' as const, domain: [0, d.n + 1] as const },
        y: { label: 'final validation loss', scale: 'log' as const },
        series,
      };
    });
    panels.push({
      kind: 'table', title: 'Spearman ρ between effective rank and final loss',
      columns: ['optimiser', 'runs', 'ρ all rules', 'p', 'verdict', ...d.groups.filter((g) => g.optimizer === d.correlations[0]?.optimizer).map((g) => `ρ ${g.rule}`)],
      rows: d.correlations.map((c) => [c.optimizer, c.n, fmt(c.rho), fmt(c.p, 3), c.verdict, ...c.perRule.map((r) => fmt(r.rho))]),
    });
    const say = d.correlations.map((c) => {
      const sig = c.perRule.filter((r) => r.p < VERDICT_ALPHA);
      return `${c.optimizer}: ρ = ${fmt(c.rho)} over ${c.n} runs (p = ${fmt(c.p, 3)}) — ${c.verdict === 'supported' ? 'supports it' : c.verdict === 'contradicted' ? 'contradicts it (higher rank goes with higher loss)' : 'neither supports nor contradicts it at p < 0.05'}; ` +
        `within rules ${c.perRule.map((r) => `${r.rule} ${fmt(r.rho)} (p = ${fmt(r.p, 2)})`).join(', ')}: ` +
        (sig.length ? `significant within ${sig.map((r) => r.rule).join(', ')}` : 'significant within no single rule, so the pooled relation comes from the differences between the rules');
    });
    return {
      title: 'Effective rank of ΔW against final validation loss',
      caption:
        `Each point is one non-diverged run (final validation loss after ${d.iterations} iterations against the number of ` +
        `normalised eigenvalue moduli of ΔW above 1e-2). The paper reports that higher rank correlates with lower loss. ` +
        `Measured Spearman ρ (negative = higher rank, lower loss; p from ${PERMUTATIONS} permutations) — ${say.join('. ')}. ` +
        `Within a rule ρ is undefined (n/a) when every run has the same rank.`,
      panels,
      columns: 2,
    };
  },
  summary(d): Record<string, SummaryValue> {
    const s: Record<string, SummaryValue> = {};
    for (const c of d.correlations) {
      s[`${c.optimizer}.runs`] = c.n;
      s[`${c.optimizer}.diverged`] = d.groups.filter((g) => g.optimizer === c.optimizer).reduce((k, g) => k + g.runs.filter((r) => r.diverged).length, 0);
      s[`${c.optimizer}.spearman`] = rhoValue(c.rho);
      s[`${c.optimizer}.spearmanP`] = Number.isFinite(c.p) ? c.p : 'undefined';
      s[`${c.optimizer}.higherRankLowerLoss`] = c.verdict;
      for (const r of c.perRule) {
        s[`${c.optimizer}.${r.rule}.spearman`] = rhoValue(r.rho);
        s[`${c.optimizer}.${r.rule}.spearmanP`] = Number.isFinite(r.p) ? r.p : 'undefined';
      }
    }
    return s;
  },
});
