// Experiment registry: experiments by id, in registration order; unknown ids are user errors that list the known ones.
import { InputError, PolelabError, describeValue } from '../core/errors.js';
import type { AnyExperiment } from './experiment.js';

/**
 * Id grammar: lower-case segments of letters, digits, '-', '_' and '.', joined by '/'
 * ("esn/narma10", "local/fig4-trajectories"). Ids become report directories, so '..' and empty
 * segments are refused.
 */
const ID_RE = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** Throws a PolelabError when `id` is not a valid experiment id (a programming error, not user input). */
export function assertExperimentId(id: string): void {
  if (typeof id !== 'string' || !ID_RE.test(id) || id.split('/').some((s) => s === '..' || s === '.')) {
    throw new PolelabError(`experiment id ${describeValue(id)} is invalid: use lower-case segments [a-z0-9._-] joined by '/', e.g. "esn/narma10"`);
  }
}

/** An ordered set of experiments keyed by id. */
export class ExperimentRegistry {
  private readonly byId = new Map<string, AnyExperiment>();

  /** Registry holding `experiments` (validated, duplicates refused). */
  constructor(experiments: Iterable<AnyExperiment> = []) {
    for (const e of experiments) this.register(e);
  }

  /** Adds an experiment; throws PolelabError on an invalid or duplicate id. */
  register(e: AnyExperiment): void {
    assertExperimentId(e.id);
    if (this.byId.has(e.id)) throw new PolelabError(`experiment id "${e.id}" is registered twice`);
    this.byId.set(e.id, e);
  }

  /** True when `id` is registered. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The experiment with this id; an unknown id raises an InputError listing the known ids. */
  get(id: string): AnyExperiment {
    const e = this.byId.get(id);
    if (e === undefined) {
      const known = [...this.byId.keys()];
      throw new InputError('id', `unknown experiment id ${describeValue(id)}; known ids: ${known.length ? known.join(', ') : '(none registered)'}`);
    }
    return e;
  }

  /** All experiments in registration order. */
  list(): AnyExperiment[] {
    return [...this.byId.values()];
  }
}

const defaultRegistry = new ExperimentRegistry();

/**
 * Registers an experiment in the process-wide default registry (used by library callers that add their
 * own experiments; the CLI combines these with `builtinExperiments`).
 */
export function registerExperiment(e: AnyExperiment): void {
  defaultRegistry.register(e);
}

/** The experiment with this id in the default registry; unknown id -> InputError listing the known ids. */
export function getExperiment(id: string): AnyExperiment {
  return defaultRegistry.get(id);
}

/** Experiments of the default registry, in registration order. */
export function listExperiments(): AnyExperiment[] {
  return defaultRegistry.list();
}
