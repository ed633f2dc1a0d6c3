// Pool task of `polelab reproduce` (runs in a worker): one experiment by id, then its figures rendered to SVG + PNG, returned for the main thread to write.
import type { ResolvedConfig } from '../src/experiments/config.js';
import type { AnyExperiment, SummaryValue } from '../src/experiments/experiment.js';
import { runExperiment, toJsonValue, type RunMeta } from '../src/experiments/runner.js';
import type { FigureSpec, TablePanel } from '../src/experiments/figure-spec.js';
import { renderFigure } from '../src/report/render.js';
import type { TaskContext } from './pool.js';

/** Argument of {@link runExperimentTask} (structured-clonable). */
export interface ExperimentTask {
  /** URL of the JS module that exports the experiment (an experiment object or an array of them). */
  readonly experimentsModule: string;
  readonly id: string;
  /** Config and seed resolved in the main thread (schema output). */
  readonly resolved: ResolvedConfig;
  /** polelab version recorded in data.json. */
  readonly version: string;
}

/** A rendered figure as it crosses the thread boundary. */
export interface RenderedBytes {
  readonly svg: string;
  readonly png: Uint8Array;
  readonly warnings: readonly string[];
}

/** Everything the main thread needs to write an experiment's files exactly as the in-process path does. */
export interface ExperimentTaskResult {
  /** Run record meta from {@link runExperiment} (worker clock); `renderMs` = the worker's render time. */
  readonly meta: RunMeta;
  /** The data as a JSON value ({@link toJsonValue}), which is what data.json stores. */
  readonly data: unknown;
  readonly summary: Record<string, SummaryValue>;
  /** The figures with their table panels only (title, caption, tables: what the writer records). */
  readonly figures: FigureSpec[];
  /** Renderings of figures[0..k-1]; k < figures.length when figure k failed (`renderError`). */
  readonly rendered: RenderedBytes[];
  /** First line of the error of the figure that failed to render. */
  readonly renderError?: string;
  readonly stack?: string;
}

function isExperiment(v: unknown): v is AnyExperiment {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e['id'] === 'string' && typeof e['run'] === 'function' && typeof e['figure'] === 'function' && typeof e['summary'] === 'function';
}

/** Experiments among a module's exports (experiment objects and arrays of them), by id; the first of an id wins. */
export function experimentsOf(mod: Readonly<Record<string, unknown>>): Map<string, AnyExperiment> {
  const out = new Map<string, AnyExperiment>();
  for (const v of Object.values(mod)) {
    for (const e of Array.isArray(v) ? v : [v]) if (isExperiment(e) && !out.has(e.id)) out.set(e.id, e);
  }
  return out;
}

const loaded = new Map<string, Promise<Map<string, AnyExperiment>>>();

/** The experiments exported by the module at `href` (cached per thread). */
export function loadExperiments(href: string): Promise<Map<string, AnyExperiment>> {
  let p = loaded.get(href);
  if (p === undefined) {
    p = import(href).then((m: Record<string, unknown>) => experimentsOf(m));
    loaded.set(href, p);
  }
  return p;
}

/** The message the file writer records for a render failure (src/report/writer.ts). */
function firstLine(e: unknown): string {
  return e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
}

/**
 * Runs experiment `arg.id` with the resolved config and seed ({@link runExperiment}: never throws for the
 * experiment's own failures), then renders its figures in this thread (rendering is CPU-heavy). Progress
 * goes to `ctx`. Throws only when the module does not export the experiment.
 */
export async function runExperimentTask(arg: ExperimentTask, ctx: TaskContext): Promise<ExperimentTaskResult> {
  const experiment = (await loadExperiments(arg.experimentsModule)).get(arg.id);
  if (experiment === undefined) throw new Error(`experiment "${arg.id}" is not exported by ${arg.experimentsModule}`);
  const r = await runExperiment(experiment, arg.resolved, { version: arg.version, progress: (f, note) => ctx.progress(f, note) });
  const rendered: RenderedBytes[] = [];
  let renderError: string | undefined;
  const t0 = Date.now();
  if (r.figures.length > 0) ctx.progress(1, 'rendering figures');
  for (const fig of r.figures) {
    try {
      const { svg, png, warnings } = await renderFigure(fig);
      rendered.push({ svg, png, warnings: [...warnings] });
    } catch (e) {
      renderError = firstLine(e);
      break;
    }
  }
  const figures = r.figures.map((f) => ({
    title: f.title,
    ...(f.caption !== undefined ? { caption: f.caption } : {}),
    panels: f.panels.filter((p): p is TablePanel => p.kind === 'table'),
  }));
  return {
    meta: r.figures.length > 0 ? { ...r.meta, renderMs: Date.now() - t0 } : r.meta,
    data: toJsonValue(r.data) ?? null,
    summary: r.summary,
    figures,
    rendered,
    ...(renderError !== undefined ? { renderError } : {}),
    ...(r.stack !== undefined ? { stack: r.stack } : {}),
  };
}
