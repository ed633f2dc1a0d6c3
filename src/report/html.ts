// index.html of a report: a self-contained page (inline CSS, figures as <img> files) generated from a data-only model.
import type { SummaryValue } from '../experiments/experiment.js';
import { formatDuration, formatValue } from './format.js';

/** A paper claim set against what polelab measured (for the per-experiment verdict rows and the ledger). */
export interface VerdictRow {
  /** The claim, short ("NRMSE falls below 0.1 with N = 400"). */
  readonly claim: string;
  /** What the paper reports. */
  readonly paper: string;
  /** What polelab measured. */
  readonly measured: string;
  readonly verdict: 'reproduced' | 'partly reproduced' | 'not reproduced' | 'not checked';
  readonly note?: string;
}

/** A small table shown under a figure (the table panels of the figure). */
export interface ReportTable {
  readonly title?: string;
  readonly columns: ReadonlyArray<string>;
  readonly rows: ReadonlyArray<ReadonlyArray<string | number | null>>;
}

/** One figure of a section; paths are relative to index.html. */
export interface ReportFigure {
  readonly title: string;
  readonly caption?: string;
  readonly svg: string;
  readonly png: string;
  readonly tables?: ReadonlyArray<ReportTable>;
}

/** 'ok'/'failed': ran in this invocation; 'skipped': not rerun, results from the stored run. */
export type SectionStatus = 'ok' | 'failed' | 'skipped';

/** One experiment's section of the report. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  readonly source: { readonly paper: string; readonly figure: string };
  readonly description: string;
  readonly status: SectionStatus;
  /** Failure message (status 'failed'). */
  readonly error?: string;
  readonly preset?: string;
  readonly seed?: number;
  readonly config?: unknown;
  /** ISO time the stored run started, and its wall time. */
  readonly startedAt?: string;
  readonly durationMs?: number;
  /** Time spent rendering the figures (ms). */
  readonly renderMs?: number;
  readonly polelab?: string;
  /** Path of data.json relative to index.html. */
  readonly dataPath?: string;
  readonly figures: ReadonlyArray<ReportFigure>;
  readonly summary: Readonly<Record<string, SummaryValue>>;
  /** Paper-vs-polelab rows (filled in by a later claims layer; omitted when absent). */
  readonly verdicts?: ReadonlyArray<VerdictRow>;
}

/** The whole report. */
export interface ReportModel {
  readonly title: string;
  readonly generatedAt: string;
  readonly polelab: string;
  /** One line under the title (e.g. the command that produced the report). */
  readonly note?: string;
  readonly sections: ReadonlyArray<ReportSection>;
  /** Claims ledger shown at the top; default: every section's verdicts, in section order. */
  readonly claims?: ReadonlyArray<VerdictRow & { readonly experimentId: string }>;
}

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Anchor id of a section ("exp-esn-narma10"). */
export function sectionAnchor(id: string): string {
  return 'exp-' + id.replace(/[^a-zA-Z0-9_-]/g, '-');
}

function urlPath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

const CSS = `
:root { --fg: #1a1a1a; --muted: #5a5a5a; --line: #d9d9d9; --ok: #1b7f3b; --failed: #b3261e; --skipped: #6b6b6b; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 15px/1.5 "DejaVu Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .muted { color: var(--muted); font-size: 13px; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { font-weight: 600; border-bottom: 2px solid #999; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
section.exp { border-top: 1px solid var(--line); margin-top: 32px; padding-top: 20px; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.status.ok { background: var(--ok); } .status.failed { background: var(--failed); } .status.skipped { background: var(--skipped); }
.error { color: var(--failed); white-space: pre-wrap; }
figure { margin: 16px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: var(--muted); font-size: 13.5px; margin-top: 6px; max-width: 900px; }
details { margin: 6px 0; } summary { cursor: pointer; color: var(--muted); font-size: 13px; }
pre { background: #f7f7f7; padding: 8px 10px; overflow-x: auto; }
a { color: #1f5fa8; }
`;

function statusBadge(s: SectionStatus): string {
  return `<span class="status ${s}">${s}</span>`;
}

function cell(v: SummaryValue | null): string {
  if (v === null) return '<td class="num">—</td>';
  const text = escapeHtml(formatValue(v));
  return typeof v === 'number' || /^-?(NaN|Infinity)$/.test(String(v)) ? `<td class="num">${text}</td>` : `<td>${text}</td>`;
}

function tableHtml(t: ReportTable): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((v) => cell(v)).join('')}</tr>`).join('\n');
  return `${t.title ? `<h3>${escapeHtml(t.title)}</h3>` : ''}<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function verdictTable(rows: ReadonlyArray<VerdictRow & { readonly experimentId?: string }>, withId: boolean): string {
  const head = `${withId ? '<th>experiment</th>' : ''}<th>claim</th><th>what the paper reports</th><th>what polelab measured</th><th>verdict</th>`;
  const body = rows
    .map((r) => `<tr>${withId && r.experimentId ? `<td><a href="#${sectionAnchor(r.experimentId)}">${escapeHtml(r.experimentId)}</a></td>` : ''}<td>${escapeHtml(r.claim)}</td><td>${escapeHtml(r.paper)}</td><td>${escapeHtml(r.measured)}</td><td>${escapeHtml(r.verdict)}${r.note ? `<div class="muted">${escapeHtml(r.note)}</div>` : ''}</td></tr>`)
    .join('\n');
  return `<table class="verdicts"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function timing(s: ReportSection): string {
  const parts: string[] = [];
  if (s.durationMs !== undefined) parts.push(formatDuration(s.durationMs));
  if (s.renderMs !== undefined) parts.push(`figures ${formatDuration(s.renderMs)}`);
  if (s.startedAt) parts.push(`started ${escapeHtml(s.startedAt)}`);
  return parts.join(', ');
}

function sectionHtml(s: ReportSection): string {
  const out: string[] = [];
  out.push(`<section class="exp" id="${sectionAnchor(s.id)}">`);
  out.push(`<h2>${escapeHtml(s.title)}</h2>`);
  out.push(`<div class="meta"><code>${escapeHtml(s.id)}</code> · ${escapeHtml(s.source.paper)}, ${escapeHtml(s.source.figure)} · ${statusBadge(s.status)}${s.status === 'skipped' ? ' (up to date, not rerun)' : ''}</div>`);
  const run: string[] = [];
  if (s.preset) run.push(`preset ${escapeHtml(s.preset)}`);
  if (s.seed !== undefined) run.push(`seed ${s.seed}`);
  const t = timing(s);
  if (t) run.push(t);
  if (s.polelab) run.push(`polelab ${escapeHtml(s.polelab)}`);
  if (s.dataPath) run.push(`<a href="${urlPath(s.dataPath)}">data.json</a>`);
  if (run.length) out.push(`<div class="meta">${run.join(' · ')}</div>`);
  out.push(`<p>${escapeHtml(s.description)}</p>`);
  if (s.error) out.push(`<p class="error">Failed: ${escapeHtml(s.error)}</p>`);
  for (const f of s.figures) {
    out.push(`<figure><img src="${urlPath(f.svg)}" alt="${escapeHtml(f.title)}" loading="lazy">`);
    out.push(`<figcaption><strong>${escapeHtml(f.title)}.</strong>${f.caption ? ' ' + escapeHtml(f.caption) : ''} <a href="${urlPath(f.png)}">PNG</a></figcaption>`);
    for (const tb of f.tables ?? []) out.push(`<details><summary>table${tb.title ? ': ' + escapeHtml(tb.title) : ''}</summary>${tableHtml(tb)}</details>`);
    out.push('</figure>');
  }
  if (s.verdicts && s.verdicts.length) out.push('<h3>Paper vs. polelab</h3>', verdictTable(s.verdicts, false));
  const keys = Object.keys(s.summary);
  if (keys.length) {
    out.push('<h3>Summary</h3>', tableHtml({ columns: ['quantity', 'value'], rows: keys.map((k) => [k, s.summary[k]!]) }));
  }
  if (s.config !== undefined) out.push(`<details><summary>config</summary><pre>${escapeHtml(JSON.stringify(s.config, null, 2))}</pre></details>`);
  out.push('</section>');
  return out.join('\n');
}

/** Renders the report page. Every string of the model is HTML-escaped. */
export function renderReportHtml(model: ReportModel): string {
  const rows = model.sections
    .map((s) => `<tr><td><a href="#${sectionAnchor(s.id)}"><code>${escapeHtml(s.id)}</code></a></td><td>${escapeHtml(s.title)}</td><td>${escapeHtml(s.source.paper)}</td><td>${escapeHtml(s.source.figure)}</td><td>${statusBadge(s.status)}</td><td class="num">${s.durationMs !== undefined ? escapeHtml(formatDuration(s.durationMs)) : '—'}</td></tr>`)
    .join('\n');
  const claims = model.claims ?? model.sections.flatMap((s) => (s.verdicts ?? []).map((v) => ({ ...v, experimentId: s.id })));
  const counts = (['ok', 'failed', 'skipped'] as const).map((k) => `${model.sections.filter((s) => s.status === k).length} ${k}`).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(model.title)}</h1>
<div class="meta">generated ${escapeHtml(model.generatedAt)} · polelab ${escapeHtml(model.polelab)} · ${model.sections.length} experiment${model.sections.length === 1 ? '' : 's'} (${counts})</div>
${model.note ? `<p class="muted">${escapeHtml(model.note)}</p>` : ''}
${claims.length ? `<h2 style="margin-top:24px">Claims ledger</h2>\n${verdictTable(claims, true)}` : ''}
<h2 style="margin-top:24px">Experiments</h2>
<table class="overview"><thead><tr><th>id</th><th>title</th><th>paper</th><th>figure</th><th>status</th><th>time</th></tr></thead><tbody>
${rows}
</tbody></table>
${model.sections.map(sectionHtml).join('\n')}
</main>
</body>
</html>
`;
}
