// Tests of the runner: records, failure isolation, up-to-date skipping, --force, config/seed changes, JSON encoding.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeExperiments, runCalls, slowExperiment, squareExperiment, throwingExperiment } from '../../test/fake-experiments.js';
import type { AnyExperiment } from './experiment.js';
import { resolveConfig } from './config.js';
import { canonicalJson, encodeSummary, isUpToDate, runExperiment, runPlan, toJsonValue, type ExperimentResult, type PlanItem, type ResultStore, type RunRecord } from './runner.js';

/** In-memory store that keeps records as their JSON round trip (what data.json would hold). */
class MemoryStore implements ResultStore {
  readonly records = new Map<string, RunRecord>();
  saves = 0;
  async load(id: string): Promise<RunRecord | undefined> {
    return this.records.get(id);
  }
  async save(r: ExperimentResult): Promise<RunRecord> {
    this.saves++;
    const rec = JSON.parse(JSON.stringify({ meta: r.meta, summary: encodeSummary(r.summary), data: toJsonValue(r.data) })) as RunRecord;
    this.records.set(r.meta.id, rec);
    return rec;
  }
}

function tickClock(step = 10): () => number {
  let t = 1_700_000_000_000;
  return () => (t += step);
}

function plan(exps: AnyExperiment[], overrides?: Record<string, unknown>, seed?: number): PlanItem[] {
  return exps.map((experiment) => ({ experiment, resolved: resolveConfig(experiment, { preset: 'quick', ...(overrides ? { overrides } : {}), ...(seed !== undefined ? { seed } : {}) }) }));
}

beforeEach(() => runCalls.clear());

describe('runExperiment', () => {
  it('records config, seed, preset, version and timings, and returns data, figures, summary', async () => {
    const resolved = resolveConfig(squareExperiment, { preset: 'quick' });
    const r = await runExperiment(squareExperiment, resolved, { version: '9.9.9', clock: tickClock(250) });
    expect(r.meta).toMatchObject({ id: 'fake/square', status: 'ok', preset: 'quick', seed: 7, polelab: '9.9.9', durationMs: 250, config: { n: 8, scale: 1, noise: { amp: 0.01 } } });
    expect(Date.parse(r.meta.endedAt) - Date.parse(r.meta.startedAt)).toBe(250);
    expect(r.figures).toHaveLength(1);
    expect(r.summary['n']).toBe(8);
    // y = x² + amp·(u − ½) with |amp·(u − ½)| <= 0.005: checks the config reached run().
    const d = r.data as { x: Float64Array; y: Float64Array };
    for (let i = 0; i < 8; i++) expect(Math.abs(d.y[i]! - d.x[i]! ** 2)).toBeLessThanOrEqual(0.005);
  });

  it('same config and seed give identical data; another seed gives different data', async () => {
    const a = await runExperiment(squareExperiment, resolveConfig(squareExperiment, { seed: 3 }), { version: 'v' });
    const b = await runExperiment(squareExperiment, resolveConfig(squareExperiment, { seed: 3 }), { version: 'v' });
    const c = await runExperiment(squareExperiment, resolveConfig(squareExperiment, { seed: 4 }), { version: 'v' });
    expect(canonicalJson(a.data)).toBe(canonicalJson(b.data));
    expect(canonicalJson(a.data)).not.toBe(canonicalJson(c.data));
  });

  it('an exception in run, figure or summary becomes status failed with the stage and message', async () => {
    const r = await runExperiment(throwingExperiment, resolveConfig(throwingExperiment), { version: 'v' });
    expect(r.meta.status).toBe('failed');
    expect(r.meta.error).toBe('run: boom: diverged at epoch 3');
    expect(r.stack).toContain('boom');
    expect(r.data).toBeNull();
    const badFigure = { ...squareExperiment, figure: () => { throw new TypeError('no panels'); } };
    const f = await runExperiment(badFigure, resolveConfig(badFigure), { version: 'v' });
    expect(f.meta.error).toBe('figure: no panels');
    const badSummary = { ...squareExperiment, summary: () => { throw 'plain string'; } };
    const s = await runExperiment(badSummary, resolveConfig(badSummary), { version: 'v' });
    expect(s.meta.error).toBe('summary: plain string');
  });

  it('forwards progress from run()', async () => {
    const seen: number[] = [];
    await runExperiment(slowExperiment, resolveConfig(slowExperiment), { version: 'v', progress: (f) => seen.push(f) });
    expect(seen).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
  });
});

describe('runPlan', () => {
  it('runs everything, isolates the failure, and saves each result as it completes', async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    const out = await runPlan(plan(fakeExperiments), {
      store, version: 'v',
      observer: { start: (e) => void order.push(`start ${e.id}`), finish: (o) => void order.push(`finish ${o.id} ${o.status} saved=${store.records.has(o.id)}`) },
    });
    expect(out.map((o) => o.status)).toEqual(['ok', 'failed', 'ok']);
    expect(order).toEqual([
      'start fake/square', 'finish fake/square ok saved=true',
      'start fake/throws', 'finish fake/throws failed saved=true',
      'start fake/slow', 'finish fake/slow ok saved=true',
    ]);
  });

  it('skips up-to-date results (run not called), reruns with force, a changed config or seed, and after a failure', async () => {
    const store = new MemoryStore();
    await runPlan(plan(fakeExperiments), { store, version: 'v' });
    expect([...runCalls.entries()]).toEqual([['fake/square', 1], ['fake/throws', 1], ['fake/slow', 1]]);

    const again = await runPlan(plan(fakeExperiments), { store, version: 'v' });
    expect(again.map((o) => o.status)).toEqual(['skipped', 'failed', 'skipped']);
    expect(runCalls.get('fake/square')).toBe(1);
    expect(runCalls.get('fake/throws')).toBe(2);

    await runPlan(plan([squareExperiment]), { store, version: 'v', force: true });
    expect(runCalls.get('fake/square')).toBe(2);

    const changed = await runPlan(plan([squareExperiment], { scale: 2 }), { store, version: 'v' });
    expect(changed[0]!.status).toBe('ok');
    expect(runCalls.get('fake/square')).toBe(3);

    await runPlan(plan([squareExperiment], { scale: 2 }, 8), { store, version: 'v' });
    expect(runCalls.get('fake/square')).toBe(4);
    expect(store.records.get('fake/square')!.meta.seed).toBe(8);
  });

  it('an invalid plan item is recorded as failed without running', async () => {
    const store = new MemoryStore();
    const out = await runPlan([{ experiment: squareExperiment, invalid: 'quick preset: config: n = 1: must be >= 2 (fake/square)', preset: 'quick', seed: 7 }], { store, version: 'v' });
    expect(out[0]!.status).toBe('failed');
    expect(out[0]!.record.meta.error).toBe('quick preset: config: n = 1: must be >= 2 (fake/square)');
    expect(runCalls.get('fake/square')).toBeUndefined();
  });
});

describe('records', () => {
  it('isUpToDate compares status, id, seed and config (key order irrelevant)', () => {
    const resolved = { preset: 'quick' as const, config: { a: 1, b: { c: [1, 2] } }, seed: 5 };
    const meta = { id: 'x', status: 'ok', seed: 5, config: { b: { c: [1, 2] }, a: 1 } } as unknown as RunRecord['meta'];
    const rec = { meta, summary: {}, data: null } as RunRecord;
    expect(isUpToDate(rec, 'x', resolved)).toBe(true);
    expect(isUpToDate(undefined, 'x', resolved)).toBe(false);
    expect(isUpToDate(rec, 'y', resolved)).toBe(false);
    expect(isUpToDate(rec, 'x', { ...resolved, seed: 6 })).toBe(false);
    expect(isUpToDate(rec, 'x', { ...resolved, config: { a: 1, b: { c: [1, 3] } } })).toBe(false);
    expect(isUpToDate({ ...rec, meta: { ...meta, status: 'failed' } }, 'x', resolved)).toBe(false);
  });

  it('toJsonValue: typed arrays to arrays, non-finite to null, nested maps; encodeSummary keeps non-finite as text', () => {
    expect(toJsonValue({ a: new Float64Array([1, NaN, Infinity]), b: [new Int32Array([2])], m: new Map([['k', -Infinity]]), f: () => 1, u: undefined, n: 10n }))
      .toEqual({ a: [1, null, null], b: [[2]], m: { k: null }, n: '10' });
    expect(encodeSummary({ a: NaN, b: Infinity, c: -Infinity, d: 1.5, e: 'x' })).toEqual({ a: 'NaN', b: 'Infinity', c: '-Infinity', d: 1.5, e: 'x' });
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});
