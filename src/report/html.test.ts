// Tests of the report page: sections, overview table, figures and captions, escaping, verdict rows, claims ledger; number formats.
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderReportHtml, sectionAnchor, type ReportModel, type ReportSection } from './html.js';
import { formatDuration, formatNumber } from './format.js';

const ok: ReportSection = {
  id: 'esn/narma10',
  title: 'NARMA-10 with an ESN',
  source: { paper: 'Jaeger 2001', figure: 'Fig. 3' },
  description: 'NRMSE against reservoir size <N>.',
  status: 'ok',
  preset: 'quick',
  seed: 7,
  config: { n: 50 },
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1234,
  renderMs: 310,
  polelab: '0.1.0',
  dataPath: 'esn/narma10/data.json',
  figures: [
    { title: 'NRMSE', caption: 'Mean over 5 seeds & a 95% band.', svg: 'esn/narma10/figure.svg', png: 'esn/narma10/figure.png', tables: [{ title: 'values', columns: ['N', 'NRMSE'], rows: [[10, 0.5], [20, null]] }] },
    { title: 'Second', svg: 'esn/narma10/figure-2.svg', png: 'esn/narma10/figure-2.png' },
  ],
  summary: { nrmse: 0.123456, best: 'ridge', worst: 'Infinity' },
};

const failed: ReportSection = {
  id: 'fake/throws', title: 'Fails', source: { paper: 'P', figure: 'F' }, description: 'd', status: 'failed', error: 'run: boom <script>', figures: [], summary: {},
};

const skipped: ReportSection = { ...ok, id: 'esn/memory', title: 'Memory', status: 'skipped', figures: [], summary: {} };

function model(sections: ReportSection[], extra: Partial<ReportModel> = {}): ReportModel {
  return { title: 'polelab report', generatedAt: '2026-01-02T00:00:00.000Z', polelab: '0.1.0', sections, ...extra };
}

describe('renderReportHtml', () => {
  const html = renderReportHtml(model([ok, failed, skipped]));

  it('is a self-contained page with inline CSS and an overview table linking every section', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<link |<script/);
    for (const s of [ok, failed, skipped]) {
      expect(html).toContain(`<a href="#${sectionAnchor(s.id)}"><code>${s.id}</code></a>`);
      expect(html).toContain(`<section class="exp" id="${sectionAnchor(s.id)}">`);
    }
    expect(html).toContain('3 experiments (1 ok, 1 failed, 1 skipped)');
  });

  it('shows figures as <img> with captions, timings, summary and status', () => {
    expect(html).toContain('<img src="esn/narma10/figure.svg"');
    expect(html).toContain('<img src="esn/narma10/figure-2.svg"');
    expect(html).toContain('<strong>NRMSE.</strong> Mean over 5 seeds &amp; a 95% band.');
    expect(html).toContain('<a href="esn/narma10/figure.png">PNG</a>');
    expect(html).toContain('preset quick · seed 7 · 1.2 s, figures 310 ms, started 2026-01-01T00:00:00.000Z');
    expect(html).toContain('<tr><td>nrmse</td><td class="num">0.1235</td></tr>');
    expect(html).toContain('<tr><td>worst</td><td class="num">Infinity</td></tr>');
    expect(html).toContain('<span class="status failed">failed</span>');
    expect(html).toContain('(up to date, not rerun)');
    expect(html).toContain('<tr><td class="num">20</td><td class="num">—</td></tr>');
  });

  it('escapes every model string', () => {
    expect(html).toContain('NRMSE against reservoir size &lt;N&gt;.');
    expect(html).toContain('Failed: run: boom &lt;script&gt;');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('adds per-section verdict rows and a claims ledger only when verdicts exist', () => {
    expect(html).not.toContain('Claims ledger');
    const v = { claim: 'NRMSE < 0.2 at N = 400', paper: '0.15', measured: '0.12', verdict: 'reproduced' as const };
    const withV = renderReportHtml(model([{ ...ok, verdicts: [v] }, failed]));
    expect(withV).toContain('Claims ledger');
    expect(withV).toContain('<td><a href="#exp-esn-narma10">esn/narma10</a></td><td>NRMSE &lt; 0.2 at N = 400</td><td>0.15</td><td>0.12</td><td>reproduced</td>');
    expect(withV).toContain('Paper vs. polelab');
  });
});

describe('format', () => {
  it('formatNumber: integers as is, 4 significant digits, exponents outside [1e-3, 1e6), non-finite as symbols', () => {
    expect([3, -12, 0.123456, 1234.5678, 0.00012346, 1234567.8, 1e-9, NaN, Infinity, -Infinity, 0].map(formatNumber))
      .toEqual(['3', '-12', '0.1235', '1235', '1.235e-4', '1.235e+6', '1e-9', 'NaN', '∞', '−∞', '0']);
  });

  it('formatDuration', () => {
    expect([12.4, 999, 1000, 9_949, 10_000, 59_400, 61_000, 3_725_000, -1].map(formatDuration))
      .toEqual(['12 ms', '999 ms', '1.0 s', '9.9 s', '10 s', '59 s', '1 min 01 s', '1 h 02 min', '—']);
  });
});
