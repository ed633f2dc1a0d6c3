// Tests of the parallel `polelab reproduce`: identical files for any worker count, failures, crashes, interrupts, fallback to in-process.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AnyExperiment } from '../src/experiments/experiment.js';
import { runCalls, squareExperiment } from '../test/fake-experiments.js';
// @ts-expect-error: a plain-JS fixture without type declarations (worker threads load it by URL)
import * as fixture from '../test/fixtures/pool-experiments.mjs';
import { main, type CliIo } from './main.js';
import { experimentsOf } from './reproduce-task.js';
import { requireBuild } from '../test/build.js';

const fixtureUrl = new URL('../test/fixtures/pool-experiments.mjs', import.meta.url);
const fixtureExperiments = (fixture as { experiments: AnyExperiment[] }).experiments;
const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'polelab-par-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let caseNo = 0;

beforeAll(requireBuild);
beforeEach(() => runCalls.clear());

function cli(opts: { experiments?: AnyExperiment[]; signal?: AbortSignal; onStderr?: (s: string) => void } = {}) {
  const cwd = join(tmp, `case-${++caseNo}`);
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (s: string) => void (out.stdout += s) },
    stderr: { write: (s: string) => { out.stderr += s; opts.onStderr?.(s); }, isTTY: false },
    cwd,
    experiments: opts.experiments ?? fixtureExperiments,
    experimentsModule: fixtureUrl,
    env: {},
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const run = async (...argv: string[]) => {
    out.stdout = '';
    out.stderr = '';
    return main(argv, io);
  };
  return { run, out, cwd, file: (...p: string[]) => join(cwd, ...p) };
}

/** Every file under dir (relative paths, sorted). */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

const TIMING = ['startedAt', 'endedAt', 'durationMs', 'renderMs'];
/** data.json without its timings: the meta (figures, config, seed, status, error), summary and data as JSON text. */
function timeless(path: string): string {
  const r = JSON.parse(readFileSync(path, 'utf8')) as { meta: Record<string, unknown>; summary: unknown; data: unknown };
  for (const k of TIMING) delete r.meta[k];
  return JSON.stringify(r);
}

const IDS = ['pfake/square', 'pfake/throws', 'pfake/progress', 'pfake/badfig'];

describe('polelab reproduce --workers', () => {
  it('writes the same files and bit-identical data.json with 0 (in process), 1 and 2 workers', async () => {
    const runs: Array<{ c: ReturnType<typeof cli>; code: number }> = [];
    for (const w of ['0', '1', '2']) {
      const c = cli();
      runs.push({ c, code: await c.run('reproduce', ...IDS, '--workers', w) });
    }
    const [ref, ...others] = runs;
    expect(ref!.code).toBe(1);
    const refFiles = files(ref!.c.file('report'));
    expect(refFiles).toEqual([
      'index.html',
      'pfake/badfig/data.json',
      'pfake/progress/data.json', 'pfake/progress/figure-2.png', 'pfake/progress/figure-2.svg', 'pfake/progress/figure.png', 'pfake/progress/figure.svg',
      'pfake/square/data.json', 'pfake/square/figure.png', 'pfake/square/figure.svg',
      'pfake/throws/data.json',
    ]);
    const status = (c: ReturnType<typeof cli>, id: string) => JSON.parse(readFileSync(c.file('report', id, 'data.json'), 'utf8')).meta;
    expect(status(ref!.c, 'pfake/throws')).toMatchObject({ status: 'failed', error: 'run: boom: diverged at epoch 3' });
    // The first figure rendered; the second failed: no figures recorded, data kept (as in the in-process path).
    expect(status(ref!.c, 'pfake/badfig')).toMatchObject({ status: 'failed', figures: [] });
    expect(status(ref!.c, 'pfake/badfig').error).toMatch(/^render: figure 2 \("Broken"\): /);
    for (const { c, code } of others) {
      expect(code).toBe(1);
      expect(files(c.file('report'))).toEqual(refFiles);
      for (const f of refFiles.filter((p) => p !== 'index.html')) {
        const a = ref!.c.file('report', f);
        const b = c.file('report', f);
        if (f.endsWith('data.json')) expect(timeless(b), f).toBe(timeless(a));
        else expect(readFileSync(b).equals(readFileSync(a)), f).toBe(true);
      }
      // Same table (times aside), same per-experiment final lines on stderr.
      const table = (s: string) => s.split('\n').map((l) => l.replace(/ +/g, ' ').replace(/ \d+(\.\d+)? m?s /, ' T '));
      expect(table(c.out.stdout)).toEqual(table(ref!.c.out.stdout));
      const finals = (s: string) => s.split('\n').filter((l) => / (ok|failed) in /.test(l)).map((l) => l.replace(/ in [^:]+/, '')).sort();
      expect(finals(c.out.stderr)).toEqual(finals(ref!.c.out.stderr));
    }
    expect(runs[2]!.c.out.stderr).toContain('[3/4] pfake/progress: started');
  });

  it('progress from a worker moves, at most a line a second, on the clock of the final "ok in" (same start)', async () => {
    const c = cli();
    // 8 busy steps of 300 ms in a worker, progress after each
    expect(await c.run('reproduce', 'pfake/ticks', '--workers', '1')).toBe(0);
    const lines = c.out.stderr.split('\n');
    const ms = (d: string): number => {
      const m = /^(?:(\d+) min )?(\d+(?:\.\d+)?) (ms|s)$/.exec(d)!;
      return (Number(m[1] ?? 0) * 60 + Number(m[2]) / (m[3] === 'ms' ? 1000 : 1)) * 1000;
    };
    const progress = lines.filter((l) => /^pfake\/ticks: \d+% \(/.test(l)).map((l) => ms(/\((.*?)\)/.exec(l)![1]!));
    const final = ms(/^pfake\/ticks: ok in (.*)$/m.exec(c.out.stderr)![1]!);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    // one line per second at most (times are printed to 0.1 s)
    for (let i = 1; i < progress.length; i++) expect(progress[i]! - progress[i - 1]!).toBeGreaterThanOrEqual(900);
    // same clock, same start: the final time is at least the last progress time and the 2.4 s of work
    expect(final).toBeGreaterThanOrEqual(progress.at(-1)!);
    expect(final).toBeGreaterThanOrEqual(2400);
    expect(final - progress.at(-1)!).toBeLessThan(2000);
  });

  it('skips up-to-date results and reruns failed ones, as the in-process path does', async () => {
    const c = cli();
    expect(await c.run('reproduce', 'pfake/square', 'pfake/throws', '--workers', '2')).toBe(1);
    const data = c.file('report', 'pfake', 'square', 'data.json');
    const before = statSync(data).mtimeMs;
    const started = JSON.parse(readFileSync(data, 'utf8')).meta.startedAt;
    expect(await c.run('reproduce', 'pfake/square', 'pfake/throws', '--workers', '2')).toBe(1);
    expect(c.out.stdout).toContain('0 ok, 1 skipped (up to date), 1 failed');
    expect(statSync(data).mtimeMs).toBe(before);
    expect(JSON.parse(readFileSync(data, 'utf8')).meta.startedAt).toBe(started);
    expect(await c.run('reproduce', 'pfake/square', '--workers', '2', '--force')).toBe(0);
    expect(c.out.stdout).toContain('1 ok, 0 skipped (up to date), 0 failed');
  });

  it('a worker that dies fails its experiment (recorded with its config) and the others finish', async () => {
    const c = cli();
    expect(await c.run('reproduce', 'pfake/exit', 'pfake/square', '--workers', '1')).toBe(1);
    const rec = JSON.parse(readFileSync(c.file('report', 'pfake', 'exit', 'data.json'), 'utf8'));
    expect(rec.meta).toMatchObject({ status: 'failed', error: 'worker exited with code 7 while running the task', config: {}, seed: 1 });
    expect(JSON.parse(readFileSync(c.file('report', 'pfake', 'square', 'data.json'), 'utf8')).meta.status).toBe('ok');
    expect(c.out.stdout).toContain('1 ok, 0 skipped (up to date), 1 failed');
  });

  it('an abort keeps the finished results, writes the index, and exits 130 naming the unfinished ones', async () => {
    const ac = new AbortController();
    const c = cli({ signal: ac.signal, onStderr: (s) => void (s.includes('pfake/square: ok in') && ac.abort()) });
    expect(await c.run('reproduce', 'pfake/square', 'pfake/spin', '--workers', '1')).toBe(130);
    expect(c.out.stderr.split('\n').at(-2)).toBe('polelab: interrupted: 1 experiment did not finish (pfake/spin); finished results are kept, rerun to complete');
    expect(existsSync(c.file('report', 'pfake', 'square', 'data.json'))).toBe(true);
    expect(existsSync(c.file('report', 'pfake', 'spin', 'data.json'))).toBe(false);
    expect(readFileSync(c.file('report', 'index.html'), 'utf8')).toContain('<code>pfake/square</code>');
    expect(c.out.stdout).toMatch(/^experiment\s+status\s+time\s+summary\npfake\/square\s+ok\s/);
  });

  it('starts the experiments longest first by the time their previous run took', async () => {
    const c = cli();
    // Stale records (another seed, so not up to date) with the previous durations; pfake/badfig has none.
    for (const [id, durationMs] of [['pfake/square', 10], ['pfake/progress', 5000]] as const) {
      mkdirSync(c.file('report', ...id.split('/')), { recursive: true });
      writeFileSync(c.file('report', ...id.split('/'), 'data.json'), JSON.stringify({ meta: { id, seed: 999, status: 'ok', config: {}, figures: [], durationMs, renderMs: 1 }, summary: {}, data: null }));
    }
    await c.run('reproduce', 'pfake/badfig', 'pfake/square', 'pfake/progress', '--workers', '1');
    expect(c.out.stderr.split('\n').filter((l) => l.endsWith(': started'))).toEqual(['[3/3] pfake/progress: started', '[2/3] pfake/square: started', '[1/3] pfake/badfig: started']);
  });

  it('experiments the workers cannot load run in this process after the pool', async () => {
    const c = cli({ experiments: [...fixtureExperiments, squareExperiment] });
    expect(await c.run('reproduce', 'pfake/square', 'fake/square', '--workers', '2')).toBe(0);
    expect(runCalls.get('fake/square')).toBe(1);
    for (const id of ['pfake/square', 'fake/square']) expect(existsSync(c.file('report', ...id.split('/'), 'figure.png'))).toBe(true);
    expect(c.out.stdout).toContain('2 ok, 0 skipped (up to date), 0 failed');
  });
});

describe('dist/cli/main.js reproduce (built-in experiments on the pool)', () => {
  it('Ctrl-C after the first experiment: exit 130, its files written, the other not', async () => {
    const out = join(tmp, 'bin-sigint');
    const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'main.js'), 'reproduce', 'esn/narma10', 'local/student-teacher', '--workers', '1', '--out', out], { env: { ...process.env, POLELAB_DEBUG: '' } });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (b: Buffer) => void (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      // One SIGINT only: a second one kills the process at once, as in a terminal.
      if (!sent && stderr.includes('esn/narma10: ok in')) sent = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(130);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('polelab: interrupted: 1 experiment did not finish (local/student-teacher); finished results are kept, rerun to complete');
    expect(JSON.parse(readFileSync(join(out, 'esn', 'narma10', 'data.json'), 'utf8')).meta.status).toBe('ok');
    expect(existsSync(join(out, 'esn', 'narma10', 'figure.png'))).toBe(true);
    expect(existsSync(join(out, 'local', 'student-teacher', 'data.json'))).toBe(false);
    expect(stdout).toMatch(/\nesn\/narma10\s+ok\s/);
  });
});

describe('experimentsOf', () => {
  it('collects experiment objects and arrays of them from module exports; the first of an id wins', () => {
    const twin = { ...fixtureExperiments[0]!, title: 'twin' };
    const m = experimentsOf({ a: fixtureExperiments[0], list: [twin, fixtureExperiments[1]], n: 3, f: () => 1, o: { id: 'x' } });
    expect([...m.keys()]).toEqual(['pfake/square', 'pfake/throws']);
    expect(m.get('pfake/square')).toBe(fixtureExperiments[0]);
  });
});
