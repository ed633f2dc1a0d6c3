// Built-in experiments (one file per paper figure or benchmark) and the experiment contract and registry.
import { InputError, describeValue } from '../core/errors.js';
import type { AnyExperiment } from './experiment.js';
import { listExperiments } from './registry.js';
import { mackeyGlassExperiment } from './esn/mackey-glass.js';
import { narma10Experiment } from './esn/narma10.js';
import { studentTeacherExperiment } from './local/student-teacher.js';
import { fig5TheoryVsRfloExperiment } from './local/fig5-theory-vs-rflo.js';
import { fig8TheoryVsBpttExperiment } from './local/fig8-theory-vs-bptt.js';
import { fig9TheoryVsTbpttExperiment } from './local/fig9-theory-vs-tbptt.js';

export * from './experiment.js';
export type * from './figure-spec.js';
export * from './registry.js';
export { mackeyGlassExperiment, narma10Experiment, studentTeacherExperiment };
export { fig5TheoryVsRfloExperiment, fig8TheoryVsBpttExperiment, fig9TheoryVsTbpttExperiment };

/** The experiments `polelab list` and `polelab reproduce` know, in report order. */
export const builtinExperiments: ReadonlyArray<AnyExperiment> = [mackeyGlassExperiment, narma10Experiment, studentTeacherExperiment,
  fig5TheoryVsRfloExperiment, fig8TheoryVsBpttExperiment, fig9TheoryVsTbpttExperiment];

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
