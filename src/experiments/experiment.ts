// The Experiment contract: a paper figure or claim as a pure function of (config, seed) returning data, plus figure and summary.
import type { z } from 'zod';
import type { Rng } from '../core/rng.js';
import type { FigureSpec } from './figure-spec.js';

/** Where an experiment comes from. */
export interface ExperimentSource {
  /** Short paper name, e.g. "Morgan et al. 2026 (fixed-pole RNN)" or "reservoir computing benchmark". */
  readonly paper: string;
  /** Figure, table or claim, e.g. "Fig. 2 (left)". */
  readonly figure: string;
}

/** Progress callback: fraction in [0, 1] of the experiment done, and an optional short note. */
export type ProgressFn = (fraction: number, note?: string) => void;

/** A summary value: a number (finite or not) or a short string. */
export type SummaryValue = number | string;

/**
 * A registered experiment. `run` must be a pure function of (cfg, rng): every random draw comes from
 * `rng` (use named children), and it must not read files, the clock (except for timing measurements that
 * are reported as such) or global state. Plotting is separate (`figure`), and so is the summary.
 */
export interface Experiment<C extends z.ZodType = z.ZodType, D = unknown> {
  /** Stable id, a contract: "esn/narma10", "local/fig4-trajectories". */
  readonly id: string;
  readonly title: string;
  readonly source: ExperimentSource;
  /** One paragraph for the report and `polelab list`: what is computed and what to expect. */
  readonly description: string;
  /** zod schema of the config, `.strict()`, defaults = the paper's (full-size) settings. */
  readonly config: C;
  /** Overrides for the CI-sized 'quick' preset (the `npm start` default). */
  readonly quick: Partial<z.input<C>>;
  /**
   * What each preset runs, for `polelab list` and `polelab run <id> --help`: sizes, seeds, what it
   * reproduces (or that it reproduces nothing and is a stand-in), and roughly how long it takes.
   * Built-in experiments must have it (checked by a test); without it the help lists the preset's fields.
   */
  readonly presets?: { readonly quick: string; readonly paper: string };
  /** Default seed when the user gives none. */
  readonly defaultSeed?: number;
  run(cfg: z.output<C>, rng: Rng, progress: ProgressFn): Promise<D>;
  /** One or more figures from the data; no I/O. */
  figure(data: D): FigureSpec | ReadonlyArray<FigureSpec>;
  /** A handful of headline numbers (and short strings) for the report and goldens. */
  summary(data: D): Record<string, SummaryValue>;
}

/** An experiment of any config/data type (for registries). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyExperiment = Experiment<any, any>;

/** Identity helper that keeps the config and data types of an experiment literal. */
export function defineExperiment<C extends z.ZodType, D>(e: Experiment<C, D>): Experiment<C, D> {
  return e;
}
