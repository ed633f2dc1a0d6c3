// Experiment runner: runs experiments one by one, records config/seed/timings, skips up-to-date results, isolates failures.
import { createRng } from '../core/rng.js';
import type { FigureSpec } from './figure-spec.js';
import type { ResolvedConfig } from './config.js';
import type { AnyExperiment, ProgressFn, SummaryValue } from './experiment.js';

/** Outcome of one experiment in one invocation: ran and succeeded, ran and failed, or reused (up to date). */
export type RunStatus = 'ok' | 'failed' | 'skipped';

/** One figure file pair written for an experiment (paths relative to the experiment directory). */
export interface FigureFile {
  readonly title: string;
  readonly caption?: string;
  readonly svg: string;
  readonly png: string;
  /** The figure's table panels (cells JSON-encoded: non-finite numbers as "NaN", "Infinity", "-Infinity"). */
  readonly tables?: ReadonlyArray<{ readonly title?: string; readonly columns: ReadonlyArray<string>; readonly rows: ReadonlyArray<ReadonlyArray<string | number>> }>;
}

/**
 * What data.json records next to the data: enough to decide whether a stored result is up to date
 * (`config` + `seed` + status 'ok') and to rebuild the report without rerunning.
 */
export interface RunMeta {
  readonly id: string;
  readonly title: string;
  readonly source: { readonly paper: string; readonly figure: string };
  /** polelab version that produced the record. */
  readonly polelab: string;
  readonly preset: string;
  readonly seed: number;
  /** The validated config (schema output), JSON-encoded. */
  readonly config: unknown;
  /** ISO-8601 wall-clock times of the run. */
  readonly startedAt: string;
  readonly endedAt: string;
  /** Wall time of run + figure + summary (ms); rendering is not included. */
  readonly durationMs: number;
  /** Wall time of rendering and writing the figure files (ms; set by the file writer). */
  readonly renderMs?: number;
  readonly status: 'ok' | 'failed';
  /** Failure message (status 'failed'). */
  readonly error?: string;
  /** Figure files, in figure order (filled in by the writer). */
  readonly figures: ReadonlyArray<FigureFile>;
}

/** A stored record (the parsed data.json). */
export interface RunRecord {
  readonly meta: RunMeta;
  /** Summary; non-finite numbers are stored as the strings "NaN", "Infinity", "-Infinity". */
  readonly summary: Record<string, SummaryValue>;
  /** The experiment's data, JSON-encoded (typed arrays as arrays, non-finite numbers as null); null on failure. */
  readonly data: unknown;
}

/** Result of running one experiment in memory (before it is written). */
export interface ExperimentResult {
  readonly experiment: AnyExperiment;
  readonly meta: RunMeta;
  readonly data: unknown;
  readonly summary: Record<string, SummaryValue>;
  /** Figures from `experiment.figure(data)` (empty on failure). */
  readonly figures: ReadonlyArray<FigureSpec>;
  /** Stack of the failure, for POLELAB_DEBUG output (never written to data.json). */
  readonly stack?: string;
}

/** Where results go: the Node file writer (src/report/writer.ts) or an in-memory store in tests / the lab. */
export interface ResultStore {
  /** The stored record of an experiment, or undefined when there is none (or it is unreadable). */
  load(id: string): Promise<RunRecord | undefined>;
  /** Persists a result (figures first, data.json last) and returns the record as stored. */
  save(result: ExperimentResult): Promise<RunRecord>;
}

/** Callbacks of a batch run (progress display, report refresh). */
export interface RunObserver {
  /** An experiment starts running; the returned function receives its progress. */
  start?(experiment: AnyExperiment, index: number, total: number): ProgressFn | void;
  /** An experiment is done (ran, failed or skipped) and its record is stored. */
  finish?(outcome: RunOutcome, index: number, total: number): void | Promise<void>;
}

/** What happened to one experiment of a batch. */
export interface RunOutcome {
  readonly id: string;
  readonly experiment: AnyExperiment;
  readonly status: RunStatus;
  /** The stored record (fresh, or the reused one for 'skipped'). */
  readonly record: RunRecord;
  readonly stack?: string;
}

/**
 * One experiment to run with its resolved config and seed, or with the reason its config could not be
 * resolved (`invalid`; recorded as a failure without running, so one broken preset does not stop a batch).
 */
export type PlanItem =
  | { readonly experiment: AnyExperiment; readonly resolved: ResolvedConfig }
  | { readonly experiment: AnyExperiment; readonly invalid: string; readonly preset: string; readonly seed: number };

/** Options of {@link runExperiment} and {@link runPlan}. */
export interface RunOptions {
  /** polelab version recorded in data.json. */
  readonly version: string;
  /** Wall clock in ms (injectable for tests); default Date.now. */
  readonly clock?: () => number;
}

/** Rounds/encodes a value to plain JSON: typed arrays -> arrays, non-finite numbers -> null, bigint -> string. */
export function toJsonValue(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => toJsonValue(x));
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x) ?? null);
  if (v instanceof Map) return toJsonValue(Object.fromEntries(v));
  if (v instanceof Set) return toJsonValue([...v]);
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return toJsonValue((v as { toJSON(): unknown }).toJSON());
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const e = toJsonValue(x);
    if (e !== undefined) out[k] = e;
  }
  return out;
}

/** Summary with non-finite numbers spelled as strings, so they survive JSON. */
export function encodeSummary(s: Record<string, SummaryValue>): Record<string, SummaryValue> {
  const out: Record<string, SummaryValue> = {};
  for (const [k, v] of Object.entries(s)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
  return out;
}

/** JSON text with object keys sorted at every level (for comparing configs). */
export function canonicalJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x !== null && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) o[k] = sort((x as Record<string, unknown>)[k]);
      return o;
    }
    return x;
  };
  return JSON.stringify(sort(toJsonValue(v)));
}

/**
 * True when a stored record is a finished run of exactly this request: status 'ok', same id, same seed
 * and the same validated config (compared as canonical JSON). The polelab version is not compared.
 */
export function isUpToDate(record: RunRecord | undefined, id: string, resolved: ResolvedConfig): boolean {
  if (record === undefined) return false;
  const m = record.meta;
  return m.status === 'ok' && m.id === id && m.seed === resolved.seed && canonicalJson(m.config) === canonicalJson(resolved.config);
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0] || e.name;
  return String(e);
}

function baseMeta(experiment: AnyExperiment, version: string, preset: string, seed: number, config: unknown, t0: number, t1: number): Omit<RunMeta, 'status'> {
  return {
    id: experiment.id,
    title: experiment.title,
    source: { paper: experiment.source.paper, figure: experiment.source.figure },
    polelab: version,
    preset,
    seed,
    config: toJsonValue(config),
    startedAt: new Date(t0).toISOString(),
    endedAt: new Date(t1).toISOString(),
    durationMs: t1 - t0,
    figures: [],
  };
}

/** A failed result for an experiment that could not start (e.g. its config did not validate). */
export function notStartedResult(experiment: AnyExperiment, reason: string, o: RunOptions & { readonly preset: string; readonly seed: number }): ExperimentResult {
  const t = (o.clock ?? Date.now)();
  const meta: RunMeta = { ...baseMeta(experiment, o.version, o.preset, o.seed, null, t, t), status: 'failed', error: reason };
  return { experiment, meta, data: null, summary: {}, figures: [] };
}

/**
 * Runs one experiment: `run(config, createRng(seed), progress)`, then `figure(data)` and `summary(data)`.
 * Never throws: an exception in any of the three gives status 'failed' with its message
 * ("run: ...", "figure: ...", "summary: ...").
 */
export async function runExperiment(
  experiment: AnyExperiment,
  resolved: ResolvedConfig,
  opts: RunOptions & { readonly progress?: ProgressFn },
): Promise<ExperimentResult> {
  const clock = opts.clock ?? Date.now;
  const t0 = clock();
  const progress: ProgressFn = opts.progress ?? (() => {});
  let data: unknown = null;
  let summary: Record<string, SummaryValue> = {};
  let figures: FigureSpec[] = [];
  let error: string | undefined;
  let stack: string | undefined;
  let stage = 'run';
  try {
    data = await experiment.run(resolved.config, createRng(resolved.seed), progress);
    stage = 'figure';
    const f = experiment.figure(data);
    figures = Array.isArray(f) ? [...(f as ReadonlyArray<FigureSpec>)] : [f as FigureSpec];
    stage = 'summary';
    summary = experiment.summary(data);
  } catch (e) {
    error = `${stage}: ${errorMessage(e)}`;
    stack = e instanceof Error ? e.stack : undefined;
    if (stage === 'run') data = null;
    figures = [];
    summary = {};
  }
  const t1 = clock();
  const meta: RunMeta = {
    ...baseMeta(experiment, opts.version, resolved.preset, resolved.seed, resolved.config, t0, t1),
    status: error === undefined ? 'ok' : 'failed',
    ...(error !== undefined ? { error } : {}),
  };
  return { experiment, meta, data, summary, figures, ...(stack !== undefined ? { stack } : {}) };
}

/**
 * The outcome of a plan item that needs no run, or undefined when it must run: an invalid item is
 * recorded as failed (saved to `store`); an item whose stored record is up to date ({@link isUpToDate})
 * is 'skipped' unless `force`. Shared by {@link runPlan} and the CLI's parallel runner.
 */
export async function settleWithoutRunning(
  item: PlanItem,
  opts: RunOptions & { readonly store: ResultStore; readonly force?: boolean },
): Promise<RunOutcome | undefined> {
  const experiment = item.experiment;
  const id = experiment.id;
  if ('invalid' in item) {
    const record = await opts.store.save(notStartedResult(experiment, item.invalid, { ...opts, preset: item.preset, seed: item.seed }));
    return { id, experiment, status: 'failed', record };
  }
  const stored = opts.force ? undefined : await opts.store.load(id);
  if (stored !== undefined && isUpToDate(stored, id, item.resolved)) return { id, experiment, status: 'skipped', record: stored };
  return undefined;
}

/** Runs one experiment ({@link runExperiment}) and saves the result; the outcome carries the record as stored. */
export async function runAndSave(
  experiment: AnyExperiment,
  resolved: ResolvedConfig,
  opts: RunOptions & { readonly store: ResultStore; readonly progress?: ProgressFn },
): Promise<RunOutcome> {
  const result = await runExperiment(experiment, resolved, opts);
  const record = await opts.store.save(result);
  return { id: experiment.id, experiment, status: record.meta.status, record, ...(result.stack !== undefined ? { stack: result.stack } : {}) };
}

/**
 * Runs a plan in order. Each experiment whose stored record is up to date ({@link isUpToDate}) is skipped
 * unless `force`; the others run and are saved to `store` as soon as they finish, so an interrupted batch
 * loses only the experiment in progress. A failing experiment does not stop the others.
 */
export async function runPlan(
  plan: ReadonlyArray<PlanItem>,
  opts: RunOptions & { readonly store: ResultStore; readonly force?: boolean; readonly observer?: RunObserver },
): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  const total = plan.length;
  for (let i = 0; i < total; i++) {
    const item = plan[i]!;
    let outcome = await settleWithoutRunning(item, opts);
    if (outcome === undefined && 'resolved' in item) {
      const progress = opts.observer?.start?.(item.experiment, i, total) ?? undefined;
      outcome = await runAndSave(item.experiment, item.resolved, { ...opts, ...(progress ? { progress } : {}) });
    }
    if (outcome === undefined) throw new Error(`runPlan: plan item ${i} has neither a resolved config nor a reason`);
    outcomes.push(outcome);
    await opts.observer?.finish?.(outcome, i, total);
  }
  return outcomes;
}
