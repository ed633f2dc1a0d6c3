// Tests of the worker pool: task order, streamed completions, progress, failure and crash isolation, abort, SIGINT, in-process mode.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolelabError } from '../src/core/errors.js';
import { distFile, moduleHref, packageRoot, runPool, workerScriptPath, type PoolTask, type TaskDone } from './pool.js';
import { requireBuild } from '../test/build.js';

const tasks = new URL('../test/fixtures/pool-tasks.mjs', import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
const t = (fn: string, arg?: unknown): PoolTask => ({ module: tasks, fn, arg });

beforeAll(requireBuild);

describe('runPool with worker threads', () => {
  it('returns results in task order and streams each completion as it happens', async () => {
    // Task 0 blocks until the test's onResult has seen task 1, so completion order is 1, 0 by construction.
    const flag = new SharedArrayBuffer(4);
    const streamed: number[] = [];
    const run = await runPool<{ value: number }>([t('waitForFlag', { flag, value: 'first' }), t('square', 5), t('square', 6)], {
      workers: 2,
      onResult: (d) => {
        streamed.push(d.index);
        if (d.index === 1) {
          const a = new Int32Array(flag);
          Atomics.store(a, 0, 1);
          Atomics.notify(a, 0);
        }
      },
    });
    expect(streamed.indexOf(1)).toBeLessThan(streamed.indexOf(0));
    expect(streamed.slice().sort()).toEqual([0, 1, 2]);
    expect(run.outcomes.map((o) => (o.status === 'ok' ? o.value.value : o.status))).toEqual(['first', 25, 36]);
    expect(run.outcomes.map((o) => o.index)).toEqual([0, 1, 2]);
    expect(run).toMatchObject({ aborted: false, interrupted: false, crashes: 0, workersStarted: 2 });
  });

  it('forwards progress (fraction and note) from the task to the main thread', async () => {
    const seen: Array<[number, number, string | undefined]> = [];
    const starts: number[] = [];
    const run = await runPool([t('withProgress', { steps: 4 })], {
      workers: 1,
      progressIntervalMs: 0,
      onStart: (i) => starts.push(i),
      onProgress: (i, f, note) => seen.push([i, f, note]),
    });
    expect(run.outcomes[0]).toMatchObject({ status: 'ok', value: 4 });
    expect(starts).toEqual([0]);
    expect(seen).toEqual([[0, 0.25, 'step 1'], [0, 0.5, 'step 2'], [0, 0.75, 'step 3'], [0, 1, 'step 4']]);
  });

  it('a throwing task fails with its message; the others still run', async () => {
    const run = await runPool<{ value: number }>([t('square', 2), t('fail', { message: 'diverged at step 7' }), t('square', 3)], { workers: 2 });
    expect(run.outcomes.map((o) => o.status)).toEqual(['ok', 'failed', 'ok']);
    const f = run.outcomes[1] as Extract<TaskDone<unknown>, { status: 'failed' }>;
    expect(f.error).toBe('diverged at step 7');
    expect(f.crashed).toBe(false);
    expect(f.stack).toContain('diverged at step 7');
    expect(run.crashes).toBe(0);
  });

  it('a worker that exits or throws uncaught fails its task (crashed) and is replaced', async () => {
    const run = await runPool<{ value: number; thread: number }>(
      [t('square', 1), t('exitWorker', { code: 3 }), t('square', 2), t('uncaught', { message: 'timer boom' }), t('square', 4)],
      { workers: 1 },
    );
    expect(run.outcomes.map((o) => o.status)).toEqual(['ok', 'failed', 'ok', 'failed', 'ok']);
    expect(run.outcomes[1]).toMatchObject({ error: 'worker exited with code 3 while running the task', crashed: true });
    expect(run.outcomes[3]).toMatchObject({ error: 'worker crashed: timer boom', crashed: true });
    expect(run.crashes).toBe(2);
    expect(run.workersStarted).toBe(3);
    // Each crash put the following tasks on a new thread.
    const threads = [0, 2, 4].map((i) => (run.outcomes[i] as { value: { thread: number } }).value.thread);
    expect(new Set(threads).size).toBe(3);
  });

  it('a task whose argument or result cannot be cloned fails without killing its worker', async () => {
    const run = await runPool([t('square', () => 1), t('unclonable'), t('square', 9)], { workers: 1 });
    expect(run.outcomes[0]).toMatchObject({ status: 'failed', crashed: false });
    expect((run.outcomes[0] as { error: string }).error).toMatch(/^pool: task argument is not structured-clonable: /);
    expect(run.outcomes[1]).toMatchObject({ status: 'failed', crashed: false });
    expect((run.outcomes[1] as { error: string }).error).toMatch(/^pool: the result of unclonable is not structured-clonable: /);
    expect(run.outcomes[2]).toMatchObject({ status: 'ok', value: { value: 81 } });
    expect(run.workersStarted).toBe(1);
  });

  it('abort terminates busy workers; finished tasks are kept, the rest are cancelled', async () => {
    const ac = new AbortController();
    const started = new Set<number>();
    const run = await runPool([t('square', 7), t('spin', { ms: 60_000 }), t('spin', { ms: 60_000 }), t('square', 8)], {
      workers: 2,
      signal: ac.signal,
      onStart: (i) => {
        started.add(i);
        // Both spinning tasks are running (task 0 is done): abort now.
        if (started.has(1) && started.has(2)) setTimeout(() => ac.abort(), 0);
      },
    });
    expect(run.outcomes.map((o) => o.status)).toEqual(['ok', 'cancelled', 'cancelled', 'cancelled']);
    expect(run.aborted).toBe(true);
    expect(run.interrupted).toBe(false);
  });

  it('an error thrown by onResult or onStart aborts the pool and rejects', async () => {
    await expect(runPool([t('square', 1), t('spin', { ms: 60_000 })], {
      workers: 2,
      onResult: () => {
        throw new Error('disk full');
      },
    })).rejects.toThrow('disk full');
    await expect(runPool([t('square', 1)], { workers: 1, onStart: () => { throw new Error('display broke'); } })).rejects.toThrow('display broke');
  });

  it('the first SIGINT terminates the workers and the process exits with the finished result', () => {
    const r = spawnSync(process.execPath, [fileURLToPath(new URL('../test/fixtures/pool-sigint.mjs', import.meta.url))], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ statuses: ['ok', 'cancelled', 'cancelled'], value: { value: 9, thread: expect.any(Number) }, aborted: true, interrupted: true });
  });
});

describe("the package entry point 'polelab/pool'", () => {
  // A user's script (here `node --input-type=module -e`, whose flag a worker must not inherit) imports the pool
  // by the package name (self-reference through package.json "exports") and runs tasks on two workers.
  it('runs tasks from a user script that imports polelab/pool', () => {
    const script = `import { runPool } from 'polelab/pool';
      const m = new URL('./test/fixtures/pool-tasks.mjs', 'file://' + process.cwd() + '/');
      const run = await runPool([1, 2, 3, 4].map((x) => ({ module: m, fn: 'square', arg: x })), { workers: 2 });
      process.stdout.write(JSON.stringify({ values: run.outcomes.map((o) => o.status === 'ok' ? o.value.value : o.status), started: run.workersStarted }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ values: [1, 4, 9, 16], started: 2 });
  });
});

describe('runPool in process (workers 0)', () => {
  it('runs the tasks in order with progress and failure isolation, also from a TypeScript module', async () => {
    const seen: number[] = [];
    const order: number[] = [];
    const ts = new URL('../test/fake-experiments.ts', import.meta.url);
    const run = await runPool<unknown>([t('square', 3), t('fail', { message: 'nope' }), t('withProgress', { steps: 2 }), { module: ts, fn: 'squareExperiment' }], {
      workers: 0,
      onProgress: (_i, f) => seen.push(f),
      onResult: (d) => void order.push(d.index),
    });
    expect(run.outcomes.map((o) => o.status)).toEqual(['ok', 'failed', 'ok', 'failed']);
    expect(run.outcomes[0]).toMatchObject({ value: { value: 9 } });
    expect(run.outcomes[1]).toMatchObject({ error: 'nope', crashed: false });
    // The TS module loads; squareExperiment is an object, not a function.
    expect((run.outcomes[3] as { error: string }).error).toMatch(/has no exported function "squareExperiment"$/);
    expect(seen).toEqual([0.5, 1]);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(run.workersStarted).toBe(0);
  });

  it("'inline' is the same mode; an abort between tasks cancels the rest", async () => {
    const ac = new AbortController();
    const run = await runPool([t('square', 1), t('square', 2), t('square', 3)], { workers: 'inline', signal: ac.signal, onResult: (d) => void (d.index === 0 && ac.abort()) });
    expect(run.outcomes.map((o) => o.status)).toEqual(['ok', 'cancelled', 'cancelled']);
    expect(run.aborted).toBe(true);
  });
});

describe('locating the built worker', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'polelab-pool-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('finds the package root and dist/cli/pool-worker.js', () => {
    expect(packageRoot()).toBe(root.replace(/\/$/, ''));
    expect(workerScriptPath()).toBe(join(root, 'dist', 'cli', 'pool-worker.js'));
  });

  it('a missing dist/ is a clear error that says how to build', () => {
    expect(() => distFile('cli/pool-worker.js', tmp)).toThrow(PolelabError);
    expect(() => workerScriptPath(tmp)).toThrow(`pool: ${join(tmp, 'dist', 'cli', 'pool-worker.js')} not found: worker threads run the built JavaScript in dist/; build it with 'npm run build' (or run in this process with --workers 0)`);
  });

  it('moduleHref turns paths into file URLs and keeps URLs', () => {
    expect(moduleHref('/a/b.mjs')).toBe('file:///a/b.mjs');
    expect(moduleHref(tasks)).toBe(tasks.href);
    expect(moduleHref('node:os')).toBe('node:os');
  });

  it('workers must be an integer >= 0', async () => {
    await expect(runPool([t('square', 1)], { workers: -1 })).rejects.toThrow("pool: workers = -1: must be an integer >= 0 or 'inline'");
    await expect(runPool([t('square', 1)], { workers: 1.5 })).rejects.toThrow(PolelabError);
  });
});
