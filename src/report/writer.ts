// Report files on disk (Node): <out>/<id>/{data.json, figure*.svg, figure*.png} written atomically, and <out>/index.html.
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertExperimentId } from '../experiments/registry.js';
import type { AnyExperiment } from '../experiments/experiment.js';
import { encodeSummary, toJsonValue, type ExperimentResult, type FigureFile, type ResultStore, type RunMeta, type RunOutcome, type RunRecord } from '../experiments/runner.js';
import type { FigureSpec, TablePanel } from '../experiments/figure-spec.js';
import { renderReportHtml, type ReportModel, type ReportSection, type SectionStatus, type VerdictRow } from './html.js';
import { renderFigure, type RenderedFigure } from './render.js';

/** Directory of an experiment's files: ids contain '/', so "esn/narma10" -> <out>/esn/narma10. */
export function experimentDir(outDir: string, id: string): string {
  assertExperimentId(id);
  return join(outDir, ...id.split('/'));
}

/** File base name of figure i (0-based): "figure", "figure-2", "figure-3", ... */
export function figureBaseName(i: number): string {
  return i === 0 ? 'figure' : `figure-${i + 1}`;
}

let tmpCounter = 0;
/** Temporary files of {@link writeFileAtomic}: "<name>.<pid>.<n>.tmp". */
const TMP_RE = /^(data\.json|figure(-\d+)?\.(svg|png))\.\d+\.\d+\.tmp$/;

/**
 * Writes a file atomically: the bytes go to a temporary file in the same directory, which is then renamed
 * over `path` (rename is atomic on POSIX filesystems), so a reader or a kill never sees a half-written file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

function isRecord(v: unknown): v is RunRecord {
  if (typeof v !== 'object' || v === null) return false;
  const m = (v as { meta?: unknown }).meta as Partial<RunMeta> | undefined;
  return typeof m === 'object' && m !== null && typeof m.id === 'string' && typeof m.seed === 'number' &&
    (m.status === 'ok' || m.status === 'failed') && 'config' in m && Array.isArray(m.figures);
}

/** The parsed data.json of an experiment, or undefined when missing or unreadable (then it is rerun). */
export async function readRecord(outDir: string, id: string): Promise<RunRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(experimentDir(outDir, id), 'data.json'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function tableOf(t: TablePanel): NonNullable<FigureFile['tables']>[number] {
  return {
    ...(t.title !== undefined ? { title: t.title } : {}),
    columns: [...t.columns],
    rows: t.rows.map((r) => r.map((c) => (typeof c === 'number' && !Number.isFinite(c) ? String(c) : c))),
  };
}

/** data.json text: meta and summary indented for reading, data compact (it can be large). */
function recordText(r: RunRecord): string {
  return `{\n"meta": ${JSON.stringify(r.meta, null, 2)},\n"summary": ${JSON.stringify(r.summary, null, 2)},\n"data": ${JSON.stringify(r.data)}\n}\n`;
}

/** Options of {@link FileResultStore}. */
export interface FileStoreOptions {
  /** Figure renderer (default {@link renderFigure}); tests may count or replace it. */
  readonly render?: (fig: FigureSpec) => Promise<RenderedFigure>;
}

/**
 * A {@link ResultStore} on disk. `save` renders and writes every figure first and data.json last, each
 * atomically; data.json is the "finished" marker. A figure that fails to render turns the result into a
 * failure ("render: ...") but the data are still written. Figure files left from an earlier run with
 * more figures are removed.
 */
export class FileResultStore implements ResultStore {
  readonly outDir: string;
  private readonly render: (fig: FigureSpec) => Promise<RenderedFigure>;

  constructor(outDir: string, opts: FileStoreOptions = {}) {
    this.outDir = outDir;
    this.render = opts.render ?? ((fig) => renderFigure(fig));
  }

  load(id: string): Promise<RunRecord | undefined> {
    return readRecord(this.outDir, id);
  }

  async save(result: ExperimentResult): Promise<RunRecord> {
    const dir = experimentDir(this.outDir, result.meta.id);
    await mkdir(dir, { recursive: true });
    const figures: FigureFile[] = [];
    let error = result.meta.error;
    const t0 = Date.now();
    for (let i = 0; i < result.figures.length && error === undefined; i++) {
      const fig = result.figures[i]!;
      const base = figureBaseName(i);
      try {
        const r = await this.render(fig);
        await writeFileAtomic(join(dir, `${base}.svg`), r.svg);
        await writeFileAtomic(join(dir, `${base}.png`), r.png);
      } catch (e) {
        error = `render: figure ${i + 1} ("${fig.title}"): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
        break;
      }
      const tables = fig.panels.filter((p): p is TablePanel => p.kind === 'table').map(tableOf);
      figures.push({
        title: fig.title,
        ...(fig.caption !== undefined ? { caption: fig.caption } : {}),
        svg: `${base}.svg`,
        png: `${base}.png`,
        ...(tables.length ? { tables } : {}),
      });
    }
    if (error !== undefined) figures.length = 0;
    await this.removeStaleFigures(dir, figures.length);
    const meta: RunMeta = {
      ...result.meta,
      ...(result.figures.length ? { renderMs: (result.meta.renderMs ?? 0) + (Date.now() - t0) } : {}),
      figures,
      status: error === undefined ? 'ok' : 'failed',
      ...(error !== undefined ? { error } : {}),
    };
    const record: RunRecord = { meta, summary: encodeSummary(result.summary), data: toJsonValue(result.data) ?? null };
    await writeFileAtomic(join(dir, 'data.json'), recordText(record));
    return record;
  }

  /** Deletes figure*.svg/png beyond the first `keep` figures (left by an earlier run) and temporary files of killed writes. */
  private async removeStaleFigures(dir: string, keep: number): Promise<void> {
    const names = await readdir(dir);
    for (const name of names) {
      if (TMP_RE.test(name)) {
        await unlink(join(dir, name)).catch(() => {});
        continue;
      }
      const m = /^figure(?:-(\d+))?\.(svg|png)$/.exec(name);
      if (!m) continue;
      const index = m[1] === undefined ? 0 : Number(m[1]) - 1;
      if (index >= keep) await unlink(join(dir, name)).catch(() => {});
    }
  }
}

/** Report section of a stored record; `status` 'skipped' marks a record reused without running. */
export function sectionFromRecord(exp: AnyExperiment, record: RunRecord | undefined, status: SectionStatus, verdicts?: ReadonlyArray<VerdictRow>): ReportSection {
  const m = record?.meta;
  const prefix = exp.id;
  return {
    id: exp.id,
    title: exp.title,
    source: { paper: exp.source.paper, figure: exp.source.figure },
    description: exp.description,
    status,
    ...(m?.error !== undefined ? { error: m.error } : {}),
    ...(m ? { preset: m.preset, seed: m.seed, config: m.config, startedAt: m.startedAt, durationMs: m.durationMs, polelab: m.polelab, dataPath: `${prefix}/data.json` } : {}),
    ...(m?.renderMs !== undefined ? { renderMs: m.renderMs } : {}),
    figures: (m?.figures ?? []).map((f) => ({
      title: f.title,
      ...(f.caption !== undefined ? { caption: f.caption } : {}),
      svg: `${prefix}/${f.svg}`,
      png: `${prefix}/${f.png}`,
      ...(f.tables ? { tables: f.tables } : {}),
    })),
    summary: record?.summary ?? {},
    ...(verdicts ? { verdicts } : {}),
  };
}

/**
 * Builds the report model over `experiments` (in their order): an experiment with an outcome in this
 * invocation shows it; any other with a data.json in `outDir` shows the stored run (status 'skipped', or
 * 'failed' when the stored run failed); experiments with neither are left out.
 */
export async function collectReport(
  outDir: string,
  experiments: ReadonlyArray<AnyExperiment>,
  outcomes: ReadonlyArray<RunOutcome>,
  info: { readonly polelab: string; readonly title?: string; readonly note?: string; readonly now?: () => number },
): Promise<ReportModel> {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const sections: ReportSection[] = [];
  for (const exp of experiments) {
    const o = byId.get(exp.id);
    if (o) {
      sections.push(sectionFromRecord(exp, o.record, o.status));
      continue;
    }
    const r = await readRecord(outDir, exp.id);
    if (r && r.meta.id === exp.id) sections.push(sectionFromRecord(exp, r, r.meta.status === 'ok' ? 'skipped' : 'failed'));
  }
  return {
    title: info.title ?? 'polelab report',
    generatedAt: new Date((info.now ?? Date.now)()).toISOString(),
    polelab: info.polelab,
    ...(info.note !== undefined ? { note: info.note } : {}),
    sections,
  };
}

/** Writes <outDir>/index.html (atomically) and returns its path. */
export async function writeReportIndex(outDir: string, model: ReportModel): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, 'index.html');
  await writeFileAtomic(path, renderReportHtml(model));
  return path;
}
