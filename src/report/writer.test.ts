// Tests of the report writer: atomic files, data.json round trip, figure files, stale figures, render failures, index.html.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeExperiments, slowExperiment, squareExperiment, throwingExperiment } from '../../test/fake-experiments.js';
import { resolveConfig } from '../experiments/config.js';
import { runExperiment, runPlan } from '../experiments/runner.js';
import type { FigureSpec } from '../experiments/figure-spec.js';
import type { RenderedFigure } from './render.js';
import { FileResultStore, collectReport, experimentDir, readRecord, writeFileAtomic, writeReportIndex } from './writer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'polelab-writer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A cheap stand-in renderer: records titles, returns a fixed SVG and PNG signature bytes. */
function fakeRender(log: string[]): (fig: FigureSpec) => Promise<RenderedFigure> {
  return async (fig) => {
    log.push(fig.title);
    return { svg: `<svg>${fig.title}</svg>`, png: Uint8Array.from([0x89, 0x50, 0x4e, 0x47]), warnings: [] };
  };
}

describe('files', () => {
  it('experimentDir nests ids with "/" and refuses unsafe ids', () => {
    expect(experimentDir('/r', 'esn/narma10')).toBe('/r/esn/narma10');
    expect(() => experimentDir('/r', '../etc')).toThrow(/invalid/);
  });

  it('writeFileAtomic replaces the file and leaves no temporary file', async () => {
    const p = join(dir, 'a.json');
    writeFileSync(p, 'old');
    await writeFileAtomic(p, 'new');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['a.json']);
    await expect(writeFileAtomic(join(dir, 'missing', 'b'), 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('readRecord: missing, corrupt or foreign JSON reads as undefined (the experiment will rerun)', async () => {
    expect(await readRecord(dir, 'fake/square')).toBeUndefined();
    mkdirSync(join(dir, 'fake', 'square'), { recursive: true });
    writeFileSync(join(dir, 'fake', 'square', 'data.json'), '{"meta": {"id": "fake/sq');
    expect(await readRecord(dir, 'fake/square')).toBeUndefined();
    writeFileSync(join(dir, 'fake', 'square', 'data.json'), '{"meta": {"id": 3}}');
    expect(await readRecord(dir, 'fake/square')).toBeUndefined();
  });
});

describe('FileResultStore', () => {
  it('writes figures then data.json; the record round-trips with config, seed, status, summary and data', async () => {
    const store = new FileResultStore(dir);
    const r = await runExperiment(squareExperiment, resolveConfig(squareExperiment, { seed: 11 }), { version: '0.1.0' });
    const saved = await store.save(r);
    const d = join(dir, 'fake', 'square');
    expect(readdirSync(d).sort()).toEqual(['data.json', 'figure.png', 'figure.svg']);
    expect(readFileSync(join(d, 'figure.svg'), 'utf8').startsWith('<svg')).toBe(true);
    const loaded = await readRecord(dir, 'fake/square');
    expect(loaded).toEqual(saved);
    expect(loaded!.meta.renderMs).toBeGreaterThanOrEqual(0);
    expect(loaded!.meta).toMatchObject({ id: 'fake/square', status: 'ok', seed: 11, preset: 'quick', polelab: '0.1.0', config: { n: 8, scale: 1, noise: { amp: 0.01 } } });
    expect(loaded!.meta.figures).toEqual([{
      title: 'Square law figure', caption: 'y against x with the exact curve.', svg: 'figure.svg', png: 'figure.png',
      tables: [{ title: 'first points', columns: ['x', 'y'], rows: [[0, (r.data as { y: Float64Array }).y[0]], [1 / 7, 'NaN']] }],
    }]);
    expect(loaded!.summary).toEqual({ n: 8, sumY: r.summary['sumY'], ratio: 'Infinity', label: 'parabola' });
    // Typed arrays are stored as plain arrays with the exact doubles.
    expect((loaded!.data as { y: number[] }).y).toEqual(Array.from((r.data as { y: Float64Array }).y));
  });

  it('several figures give figure.svg, figure-2.svg; stale figure files and temporaries of a killed run are removed', async () => {
    const log: string[] = [];
    const store = new FileResultStore(dir, { render: fakeRender(log) });
    const d = join(dir, 'fake', 'slow');
    mkdirSync(d, { recursive: true });
    for (const f of ['figure-3.svg', 'figure-3.png', 'notes.txt', 'data.json.123.4.tmp']) writeFileSync(join(d, f), 'old');
    await store.save(await runExperiment(slowExperiment, resolveConfig(slowExperiment), { version: 'v' }));
    expect(log).toEqual(['Heat', 'Field']);
    expect(readdirSync(d).sort()).toEqual(['data.json', 'figure-2.png', 'figure-2.svg', 'figure.png', 'figure.svg', 'notes.txt']);
    expect(readFileSync(join(d, 'figure-2.svg'), 'utf8')).toBe('<svg>Field</svg>');
  });

  it('a render failure fails the result but keeps the data; a run failure writes status failed with no figures', async () => {
    const store = new FileResultStore(dir, { render: async () => { throw new Error('bad spec'); } });
    const rec = await store.save(await runExperiment(squareExperiment, resolveConfig(squareExperiment), { version: 'v' }));
    expect(rec.meta.status).toBe('failed');
    expect(rec.meta.error).toBe('render: figure 1 ("Square law figure"): bad spec');
    expect((rec.data as { n: number }).n).toBe(8);
    expect(rec.meta.figures).toEqual([]);
    const t = await store.save(await runExperiment(throwingExperiment, resolveConfig(throwingExperiment), { version: 'v' }));
    expect(t.meta).toMatchObject({ status: 'failed', error: 'run: boom: diverged at epoch 3', figures: [] });
    expect(readdirSync(join(dir, 'fake', 'throws'))).toEqual(['data.json']);
  });
});

describe('index.html', () => {
  it('lists this run\'s experiments and earlier stored ones; leaves out experiments never run', async () => {
    const store = new FileResultStore(dir, { render: fakeRender([]) });
    const plan = (ids: string[]) => fakeExperiments.filter((e) => ids.includes(e.id)).map((experiment) => ({ experiment, resolved: resolveConfig(experiment) }));
    await runPlan(plan(['fake/square']), { store, version: 'v' });
    const second = await runPlan(plan(['fake/throws']), { store, version: 'v' });
    const model = await collectReport(dir, fakeExperiments, second, { polelab: 'v', now: () => 0 });
    expect(model.sections.map((s) => [s.id, s.status])).toEqual([['fake/square', 'skipped'], ['fake/throws', 'failed']]);
    expect(model.sections[0]!.figures[0]!.svg).toBe('fake/square/figure.svg');
    expect(model.generatedAt).toBe('1970-01-01T00:00:00.000Z');
    const path = await writeReportIndex(dir, model);
    expect(path).toBe(join(dir, 'index.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<img src="fake/square/figure.svg"');
    expect(html).toContain('boom: diverged at epoch 3');
    expect(html).not.toContain('fake/slow');
    expect(existsSync(join(dir, 'fake', 'slow'))).toBe(false);
  });
});
