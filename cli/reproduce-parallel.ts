// Parallel `polelab reproduce`: experiments that need a run go to the worker pool; the main thread writes each result as it completes.
import type { ProgressFn } from '../src/experiments/experiment.js';
import {
  notStartedResult,
  runAndSave,
  settleWithoutRunning,
  toJsonValue,
  type ExperimentResult,
  type PlanItem,
  type RunObserver,
  type RunOptions,
  type RunOutcome,
} from '../src/experiments/runner.js';
import type { ResolvedConfig } from '../src/experiments/config.js';
import type { AnyExperiment } from '../src/experiments/experiment.js';
import type { FigureSpec } from '../src/experiments/figure-spec.js';
import type { RenderedFigure } from '../src/report/render.js';
import { FileResultStore } from '../src/report/writer.js';
import { distFile, moduleHref, runPool, type PoolTask, type TaskDone } from './pool.js';
import { loadExperiments, type ExperimentTask, type ExperimentTaskResult } from './reproduce-task.js';

/** Options of {@link runPlanParallel}. */
export interface ParallelRunOptions extends RunOptions {
  /** Report directory (the results are written through a {@link FileResultStore} on it). */
  readonly outDir: string;
  /** Worker threads (>= 1); never more are started than experiments to run. */
  readonly workers: number;
  /**
   * The JS module (URL or path) the workers load experiments from, by id: it exports experiment objects
   * or arrays of them (default polelab's built-ins: dist/src/experiments/index.js). Experiments of the
   * plan that it does not export run in this thread after the pool.
   */
  readonly experimentsModule?: string | URL;
  readonly force?: boolean;
  readonly observer?: RunObserver;
  /** Renderer for the experiments that run in this thread (default: vega SVG + resvg PNG). */
  readonly render?: (fig: FigureSpec) => Promise<RenderedFigure>;
  /** Aborting it terminates the workers; finished results stay written. */
  readonly signal?: AbortSignal;
  /** Let the first SIGINT abort the run (see the pool's `handleSigint`). */
  readonly handleSigint?: boolean;
}

/** Result of {@link runPlanParallel}. */
export interface ParallelRunResult {
  /** Outcomes of the finished experiments, in plan order. */
  readonly outcomes: RunOutcome[];
  /** The run was aborted (signal or SIGINT) before every experiment finished. */
  readonly aborted: boolean;
  /** Ids of the experiments that did not finish (empty unless aborted). */
  readonly unfinished: string[];
  /** Worker threads started (replacements of crashed workers included). */
  readonly workersStarted: number;
}

/** The default experiments module of the workers: the built-in experiments in dist/ (PolelabError when not built). */
export function builtinExperimentsModule(): string {
  return moduleHref(distFile('src/experiments/index.js'));
}

/** A store whose "renderer" hands back the worker's renderings, so the writer records exactly the same files. */
function prerenderedStore(outDir: string, figures: ReadonlyArray<FigureSpec>, r: ExperimentTaskResult): FileResultStore {
  const bytes = new Map<FigureSpec, RenderedFigure>();
  figures.forEach((f, i) => {
    const b = r.rendered[i];
    if (b) bytes.set(f, { svg: b.svg, png: b.png, warnings: b.warnings });
  });
  return new FileResultStore(outDir, {
    render: async (fig) => {
      const b = bytes.get(fig);
      if (b === undefined) throw new Error(r.renderError ?? 'figure was not rendered');
      return b;
    },
  });
}

/** The in-memory result of a task that finished in a worker. */
function resultOf(experiment: AnyExperiment, r: ExperimentTaskResult): ExperimentResult {
  return { experiment, meta: r.meta, data: r.data, summary: r.summary, figures: r.figures, ...(r.stack !== undefined ? { stack: r.stack } : {}) };
}

/** A failed result for a task whose worker failed outside the experiment (crash, experiment not exported). */
function workerFailure(experiment: AnyExperiment, resolved: ResolvedConfig, d: Extract<TaskDone<unknown>, { status: 'failed' }>, o: RunOptions): ExperimentResult {
  const r = notStartedResult(experiment, d.error.split('\n')[0] ?? d.error, { ...o, preset: resolved.preset, seed: resolved.seed });
  return { ...r, meta: { ...r.meta, config: toJsonValue(resolved.config) }, ...(d.stack !== undefined ? { stack: d.stack } : {}) };
}

/**
 * Sorts experiments by the wall time of their previous run (durationMs + renderMs of the stored
 * data.json, even a stale or failed one), longest first; those without a record keep their plan order
 * after them. Starting the long ones first shortens the batch (longest-processing-time scheduling).
 */
async function longestFirst(items: Array<{ readonly experiment: AnyExperiment }>, store: FileResultStore): Promise<void> {
  const cost = new Map<AnyExperiment, number>();
  for (const it of items) {
    const r = await store.load(it.experiment.id);
    cost.set(it.experiment, r && r.meta.id === it.experiment.id ? r.meta.durationMs + (r.meta.renderMs ?? 0) : -1);
  }
  // Array.prototype.sort is stable: equal costs (e.g. no record) keep plan order.
  items.sort((a, b) => cost.get(b.experiment)! - cost.get(a.experiment)!);
}

/**
 * Runs a plan like {@link runPlan}, with the experiments that need a run spread over `workers` worker
 * threads. Each worker runs one experiment and renders its figures; the main thread writes its files
 * (figures, then data.json, atomically) and calls `observer.finish` as each completes, so the files and
 * data.json are the same as the in-process path's (timings aside) for any worker count. Invalid items
 * and up-to-date results are settled first, in plan order; the others start longest first by their
 * previous run's time ({@link longestFirst}).
 */
export async function runPlanParallel(plan: ReadonlyArray<PlanItem>, opts: ParallelRunOptions): Promise<ParallelRunResult> {
  const store = new FileResultStore(opts.outDir, opts.render ? { render: opts.render } : {});
  const total = plan.length;
  const outcomes: Array<RunOutcome | undefined> = new Array(total);
  const finish = async (o: RunOutcome, i: number): Promise<void> => {
    outcomes[i] = o;
    await opts.observer?.finish?.(o, i, total);
  };
  const modHref = moduleHref(opts.experimentsModule ?? builtinExperimentsModule());
  const available = await loadExperiments(modHref);

  const pooled: Array<{ readonly i: number; readonly experiment: AnyExperiment; readonly resolved: ResolvedConfig }> = [];
  const local: typeof pooled = [];
  for (let i = 0; i < total; i++) {
    const item = plan[i]!;
    const settled = await settleWithoutRunning(item, { ...opts, store });
    if (settled !== undefined) await finish(settled, i);
    else if ('resolved' in item) (available.has(item.experiment.id) ? pooled : local).push({ i, experiment: item.experiment, resolved: item.resolved });
  }

  await longestFirst(pooled, store);

  const taskModule = moduleHref(distFile('cli/reproduce-task.js'));
  const tasks: PoolTask[] = pooled.map((p) => ({
    module: taskModule,
    fn: 'runExperimentTask',
    arg: { experimentsModule: modHref, id: p.experiment.id, resolved: p.resolved, version: opts.version } satisfies ExperimentTask,
  }));
  const progress = new Map<number, ProgressFn>();
  const run = await runPool<ExperimentTaskResult>(tasks, {
    workers: opts.workers,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.handleSigint ? { handleSigint: true } : {}),
    onStart: (k) => {
      const p = pooled[k]!;
      const f = opts.observer?.start?.(p.experiment, p.i, total);
      if (f) progress.set(k, f);
    },
    onProgress: (k, f, note) => progress.get(k)?.(f, note),
    onResult: async (d) => {
      const p = pooled[d.index]!;
      progress.delete(d.index);
      let result: ExperimentResult;
      let target = store;
      if (d.status === 'ok') {
        result = resultOf(p.experiment, d.value);
        target = prerenderedStore(opts.outDir, result.figures, d.value);
      } else {
        result = workerFailure(p.experiment, p.resolved, d, opts);
      }
      const record = await target.save(result);
      await finish({ id: p.experiment.id, experiment: p.experiment, status: record.meta.status, record, ...(result.stack !== undefined ? { stack: result.stack } : {}) }, p.i);
    },
  });

  if (!run.aborted && !opts.signal?.aborted) {
    for (const p of local) {
      const f = opts.observer?.start?.(p.experiment, p.i, total) ?? undefined;
      await finish(await runAndSave(p.experiment, p.resolved, { ...opts, store, ...(f ? { progress: f } : {}) }), p.i);
    }
  }
  const unfinished = plan.filter((_, i) => outcomes[i] === undefined).map((item) => item.experiment.id);
  return {
    outcomes: outcomes.filter((o): o is RunOutcome => o !== undefined),
    aborted: unfinished.length > 0,
    unfinished,
    workersStarted: run.workersStarted,
  };
}
