// Experiment local/fig4-trajectories: single-mode learning trajectories of BPTT, tBPTT(1) and RFLO from a start near RFLO's unstable branch.
//
// Theory: docs/theory/modes.md §2 (T = "inf" mode field), §3.1 (mode loss), §4 (the optimal hyperbola w = w*, uv = a*),
// §5.2 (RFLO's branch b·v < 0 repels), §6 (RK4, stop conditions) and §6.2 (this worked example). Setup of the paper's
// Fig. 4 (local-learning paper): teacher (0.8, 1, 1), start (0.7, −0.525, −2.1), RFLO α = 0.3, b = 0.3, classical RK4
// with dt = 1e-3, stopped once the mode loss is below 1e-6 or |w| reaches 1. Path length is the sum of the Euclidean
// lengths of all RK4 steps in (w, u, v).
import { z } from 'zod';
import { integrateMode } from '../../theory/modes-integrate.js';
import { modeLoss } from '../../theory/modes.js';
import type { FigureSpec, XYSeries } from '../figure-spec.js';
import { defineExperiment, type SummaryValue } from '../experiment.js';
import { FIGURE_RULES, hyperbolaSeries, modeRuleOf, ruleLabel, ruleParamFields, sig, stateField, teacherField, type FigureRule } from './mode-figures.js';

const config = z.object({
  teacher: teacherField([0.8, 1, 1]),
  /** Start (w, u, v) of every trajectory. */
  start: stateField([0.7, -0.525, -2.1]),
  rules: z.array(z.enum(FIGURE_RULES)).min(1).default(['bptt', 'tbptt', 'rflo']),
  ...ruleParamFields({ tau: 1, alpha: 0.3, b: 0.3 }),
  /** RK4 step, in ODE time t = η × updates. */
  dt: z.number().gt(0).max(0.1).default(1e-3),
  /** Longest integration time. */
  tEnd: z.number().gt(0).max(1e4).default(100),
  /** Stop once the mode loss is below this. */
  lossTol: z.number().gt(0).default(1e-6),
  /** Keep every k-th RK4 step in the data (the summary numbers use every step). */
  keepEvery: z.number().int().min(1).default(20),
}).strict();

type Config = z.output<typeof config>;

/** One rule's trajectory. */
export interface Fig4Trajectory {
  readonly rule: FigureRule;
  readonly label: string;
  /** Why it stopped ("loss < lossTol", "|w| >= 1", ...; null: reached tEnd) and when. */
  readonly stopReason: string | null;
  readonly stopTime: number;
  readonly end: [number, number, number];
  readonly steps: number;
  readonly minW: number;
  readonly maxLoss: number;
  readonly initialLoss: number;
  readonly pathLength: number;
  /** Kept points (every keepEvery-th step, plus start and end). */
  readonly t: number[];
  readonly w: number[];
  readonly u: number[];
  readonly v: number[];
  readonly loss: number[];
}

export interface Fig4Data {
  readonly teacher: [number, number, number];
  readonly start: [number, number, number];
  readonly trajectories: Fig4Trajectory[];
  /** True when teacher, start, rule parameters, dt and lossTol are the paper's (then the caption compares with FIG4_PAPER). */
  readonly paperSetup: boolean;
}

/** The paper's reported Fig. 4 numbers (stop time t, given to tHalfUnit·2 resolution, and the end point). */
export const FIG4_PAPER = {
  bptt: { t: 0.79, tHalfUnit: 0.005, end: [0.8, -0.479, -2.089] },
  tbptt: { t: 1.33, tHalfUnit: 0.005, end: [0.8, -0.471, -2.123] },
  rflo: { t: 18.4, tHalfUnit: 0.05, end: [0.8, 1.372, 0.729] },
} as const;

/** Integrates one rule and measures its trajectory (pure function of the config). */
export function fig4Trajectory(rule: FigureRule, cfg: Config): Fig4Trajectory {
  const r = integrateMode(modeRuleOf(rule, cfg), cfg.start, cfg.teacher, cfg.tEnd, { method: 'rk4', dt: cfg.dt, lossTol: cfg.lossTol, saveEvery: 1 });
  const n = r.t.length, S = r.states;
  let minW = Infinity, maxLoss = -Infinity, path = 0;
  const t: number[] = [], w: number[] = [], u: number[] = [], v: number[] = [], loss: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = S.subarray(3 * i, 3 * i + 3), L = modeLoss(y, cfg.teacher);
    minW = Math.min(minW, y[0]!);
    maxLoss = Math.max(maxLoss, L);
    if (i > 0) path += Math.hypot(y[0]! - S[3 * i - 3]!, y[1]! - S[3 * i - 2]!, y[2]! - S[3 * i - 1]!);
    if (i % cfg.keepEvery === 0 || i === n - 1) { t.push(r.t[i]!); w.push(y[0]!); u.push(y[1]!); v.push(y[2]!); loss.push(L); }
  }
  return {
    rule, label: ruleLabel(rule, cfg), stopReason: r.stopped?.reason ?? null, stopTime: r.t[n - 1]!,
    end: [S[3 * n - 3]!, S[3 * n - 2]!, S[3 * n - 1]!], steps: r.steps,
    minW, maxLoss, initialLoss: modeLoss(cfg.start, cfg.teacher), pathLength: path, t, w, u, v, loss,
  };
}

const pt = (p: readonly number[]): string => `(${p.map((x) => x.toFixed(3)).join(', ')})`;

export const fig4TrajectoriesExperiment = defineExperiment({
  id: 'local/fig4-trajectories',
  title: 'Single-mode learning trajectories near RFLO\'s unstable branch',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 4 (mode trajectories)' },
  description:
    'The T → ∞ learning ODE of one mode (w, u, v), integrated with classical RK4 from a start close to the branch v < 0 of the ' +
    'optimal hyperbola w = w*, uv = a*, for BPTT, one-step tBPTT and RFLO, until the mode loss falls below 1e-6 or |w| reaches 1. ' +
    'BPTT and tBPTT settle on the nearby point of that branch; for RFLO (b·v < 0 there) the branch repels, and the trajectory makes ' +
    'a long excursion (w swings negative, the loss rises by an order of magnitude) before it ends on the other branch. The summary ' +
    'gives each rule\'s stop time, end point, smallest w, largest loss and path length.',
  presets: {
    paper: 'the paper\'s Fig. 4 setup: teacher (0.8, 1, 1), start (0.7, −0.525, −2.1), RFLO α = 0.3, b = 0.3, RK4 dt = 1e-3, stop at loss < 1e-6 or |w| ≥ 1; well under a second',
    quick: 'identical to paper (the run takes well under a second)',
  },
  config,
  quick: {},
  defaultSeed: 1,
  async run(cfg, _rng, progress): Promise<Fig4Data> {
    const trajectories: Fig4Trajectory[] = [];
    for (const [i, rule] of cfg.rules.entries()) {
      trajectories.push(fig4Trajectory(rule, cfg));
      progress((i + 1) / cfg.rules.length, rule);
    }
    const def = config.parse({});
    const paperSetup = [0, 1, 2].every((k) => cfg.teacher[k] === def.teacher[k] && cfg.start[k] === def.start[k]) &&
      cfg.tau === def.tau && cfg.alpha === def.alpha && cfg.b === def.b && cfg.dt === def.dt && cfg.lossTol === def.lossTol;
    return { teacher: [...cfg.teacher], start: [...cfg.start], trajectories, paperSetup };
  },
  figure(d): FigureSpec {
    const aStar = d.teacher[1] * d.teacher[2];
    const range = Math.max(2.5, ...d.trajectories.flatMap((r) => [...r.u, ...r.v].map(Math.abs))) * 1.05;
    const uv: XYSeries[] = [...hyperbolaSeries(aStar, range), ...d.trajectories.map((r) => ({ label: r.label, x: r.u, y: r.v }))];
    const ws: XYSeries[] = d.trajectories.map((r) => ({ label: r.label, x: r.t, y: r.w }));
    const ls: XYSeries[] = d.trajectories.map((r) => ({ label: r.label, x: r.t, y: r.loss }));
    const rows = d.trajectories.map((r) => [r.label, r.stopReason ?? 'tEnd', Number(r.stopTime.toFixed(3)), pt(r.end),
      Number(r.minW.toFixed(3)), Number(r.maxLoss.toPrecision(3)), Number(r.pathLength.toPrecision(3))]);
    const parts: string[] = [];
    const verdicts: string[] = [];
    for (const r of d.trajectories) {
      let line = `${r.label} stops (${r.stopReason ?? 'tEnd'}) at t = ${r.stopTime.toFixed(3)} at ${pt(r.end)}`;
      if (r.rule === 'rflo') {
        line += `, on the ${r.end[2] > 0 ? 'other (v > 0)' : 'same (v < 0)'} branch, after w fell to ${r.minW.toFixed(2)} and the loss rose ` +
          `from ${sig(r.initialLoss, 2)} to ${sig(r.maxLoss, 2)}, path length ${sig(r.pathLength, 2)}`;
      } else {
        line += `, path length ${sig(r.pathLength, 2)}`;
      }
      parts.push(line);
      const ref = d.paperSetup ? FIG4_PAPER[r.rule as keyof typeof FIG4_PAPER] : undefined;
      if (ref) {
        const dEnd = Math.max(...r.end.map((x, k) => Math.abs(x - ref.end[k]!)));
        // the paper gives stop times to 2–3 significant digits: agreement = within half a unit of the last digit given
        const tOk = Math.abs(r.stopTime - ref.t) <= ref.tHalfUnit;
        verdicts.push(`${r.label}: end point within ${sig(dEnd, 2)} of the paper's ${pt(ref.end)} (${dEnd <= 1e-3 ? 'agrees' : 'DIFFERS'} at 1e-3), ` +
          `stop time ${r.stopTime.toFixed(3)} vs ${ref.t} (${tOk ? 'agrees' : `differs by ${sig(Math.abs(r.stopTime - ref.t), 2)}, beyond the paper's rounding`})`);
      }
    }
    const rf = d.trajectories.find((r) => r.rule === 'rflo');
    if (d.paperSetup && rf) {
      verdicts.push(`RFLO excursion: min w ${rf.minW.toFixed(2)} vs −0.66, max loss ${sig(rf.maxLoss, 2)} vs 1.9, path length ${sig(rf.pathLength, 2)} vs 5.7`);
    }
    return {
      title: 'Mode trajectories from (w, u, v) = ' + pt(d.start) + ', teacher ' + pt(d.teacher),
      caption: 'RK4 integration of the T → ∞ mode ODE until the loss is below the tolerance or |w| reaches 1. Paper: BPTT and ' +
        'tBPTT(1) settle on the nearby point of the v < 0 branch, RFLO makes a long excursion and converges to the other branch. ' +
        'Measured: ' + parts.join('; ') + '.' + (verdicts.length ? ' Against the paper\'s numbers: ' + verdicts.join('; ') + '.' : ''),
      panels: [
        { kind: 'xy', title: '(u, v) plane (dashed: optimal hyperbola at w = w*)', x: { label: 'u', domain: [-range, range] }, y: { label: 'v', domain: [-range, range] }, series: uv },
        { kind: 'xy', title: 'recurrent weight w', x: { label: 'ODE time t' }, y: { label: 'w' }, series: ws, rules: [{ kind: 'hrule', value: d.teacher[0], label: 'w*', dash: true }] },
        { kind: 'xy', title: 'mode loss', x: { label: 'ODE time t' }, y: { label: 'loss', scale: 'log' }, series: ls },
        { kind: 'table', title: 'Stop time, end point and excursion', columns: ['rule', 'stop', 't', 'end (w, u, v)', 'min w', 'max loss', 'path length'], rows },
      ],
      columns: 2,
    };
  },
  summary(d): Record<string, SummaryValue> {
    const s: Record<string, SummaryValue> = { initialLoss: modeLoss(d.start, d.teacher) };
    for (const r of d.trajectories) {
      s[`${r.rule}.stopReason`] = r.stopReason ?? 'tEnd';
      s[`${r.rule}.stopTime`] = r.stopTime;
      s[`${r.rule}.endW`] = r.end[0];
      s[`${r.rule}.endU`] = r.end[1];
      s[`${r.rule}.endV`] = r.end[2];
      s[`${r.rule}.minW`] = r.minW;
      s[`${r.rule}.maxLoss`] = r.maxLoss;
      s[`${r.rule}.pathLength`] = r.pathLength;
    }
    return s;
  },
});
