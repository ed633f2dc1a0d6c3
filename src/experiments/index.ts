// Built-in experiments (one file per paper figure or benchmark) and the experiment contract and registry.
import { InputError, describeValue } from '../core/errors.js';
import type { AnyExperiment } from './experiment.js';
import { listExperiments } from './registry.js';
import { mackeyGlassExperiment } from './esn/mackey-glass.js';
import { narma10Experiment } from './esn/narma10.js';
import { studentTeacherExperiment } from './local/student-teacher.js';
import { fig6LowRankExperiment } from './local/fig6-lowrank.js';
import { fig10RankVsLossExperiment } from './local/fig10-rank-vs-loss.js';
import { fig4TrajectoriesExperiment } from './local/fig4-trajectories.js';
import { fig3ManifoldEigenvaluesExperiment } from './local/fig3-manifold-eigenvalues.js';
import { fig2VectorFieldsExperiment } from './local/fig2-vector-fields.js';
import { fig1ManifoldsExperiment } from './local/fig1-manifolds.js';
import { fig7AlphaExperiment } from './local/fig7-alpha.js';
import { fig5TheoryVsRfloExperiment } from './local/fig5-theory-vs-rflo.js';
import { fig8TheoryVsBpttExperiment } from './local/fig8-theory-vs-bptt.js';
import { fig9TheoryVsTbpttExperiment } from './local/fig9-theory-vs-tbptt.js';

export * from './experiment.js';
export type * from './figure-spec.js';
export * from './registry.js';
export { mackeyGlassExperiment, narma10Experiment, studentTeacherExperiment };
export { fig1ManifoldsExperiment, fig2VectorFieldsExperiment, fig3ManifoldEigenvaluesExperiment, fig4TrajectoriesExperiment, fig7AlphaExperiment };
export { fig6LowRankExperiment, fig10RankVsLossExperiment };
export { fig5TheoryVsRfloExperiment, fig8TheoryVsBpttExperiment, fig9TheoryVsTbpttExperiment };

/** The experiments `polelab list` and `polelab reproduce` know, in report order (the local-learning figures by number). */
export const builtinExperiments: ReadonlyArray<AnyExperiment> = [
  mackeyGlassExperiment, narma10Experiment, studentTeacherExperiment,
  fig1ManifoldsExperiment, fig2VectorFieldsExperiment, fig3ManifoldEigenvaluesExperiment, fig4TrajectoriesExperiment,
  fig5TheoryVsRfloExperiment, fig6LowRankExperiment, fig7AlphaExperiment, fig8TheoryVsBpttExperiment,
  fig9TheoryVsTbpttExperiment, fig10RankVsLossExperiment,
];

/**
 * The experiment with this id among the built-in ones and those added with `registerExperiment`;
 * an unknown id raises an InputError listing the known ids.
 */
export function findExperiment(id: string): AnyExperiment {
  const all = [...builtinExperiments, ...listExperiments()];
  const e = all.find((x) => x.id === id);
  if (e === undefined) throw new InputError('id', `unknown experiment id ${describeValue(id)}; known ids: ${all.map((x) => x.id).join(', ')}`);
  return e;
}
