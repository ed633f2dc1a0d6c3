// The two ways the pool runs tasks: in this thread one after another, or on worker threads (crash replacement, abort, SIGINT).
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { PolelabError } from '../src/core/errors.js';
import { errorText, loadTaskFn, moduleHref, workerScriptPath } from './pool-locate.js';
import type { PoolOptions, PoolRun, PoolTask, RunMessage, TaskContext, TaskDone, TaskOutcome, WorkerInit, WorkerMessage } from './pool.js';

/** Serialises onResult calls; the first error aborts the run. */
function resultChain<R>(opts: PoolOptions<R>, onError: (e: unknown) => void): { push(d: TaskDone<R>): void; settled(): Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  return {
    push(d) {
      if (!opts.onResult) return;
      chain = chain.then(async () => {
        if (failed) return;
        try {
          await opts.onResult!(d);
        } catch (e) {
          failed = true;
          onError(e);
        }
      });
    },
    settled: () => chain,
  };
}

/** The in-process mode (workers 0): tasks one after another in this thread. */
export async function runInline<R>(tasks: ReadonlyArray<PoolTask>, opts: PoolOptions<R>): Promise<PoolRun<R>> {
  const outcomes: TaskOutcome<R>[] = tasks.map((_, index) => ({ index, status: 'cancelled' }));
  const ac = new AbortController();
  const onAbort = (): void => ac.abort();
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.signal?.aborted) ac.abort();
  let callbackError: { e: unknown } | undefined;
  const fail = (e: unknown): void => {
    callbackError ??= { e };
    ac.abort();
  };
  const results = resultChain(opts, fail);
  /** A throwing onProgress stops the pool (as with workers) instead of failing the task that reported. */
  const progress = (index: number, f: number, note: string | undefined): void => {
    try {
      opts.onProgress?.(index, f, note);
    } catch (e) {
      fail(e);
    }
  };
  try {
    for (let index = 0; index < tasks.length && !ac.signal.aborted; index++) {
      const task = tasks[index]!;
      opts.onStart?.(index, 0);
      const ctx: TaskContext = { inline: true, signal: ac.signal, progress: (f, note) => progress(index, f, note) };
      const t0 = performance.now();
      let done: TaskDone<R>;
      try {
        const f = await loadTaskFn(moduleHref(task.module), task.fn);
        const value = (await f(task.arg, ctx)) as R;
        done = { index, status: 'ok', value, ms: performance.now() - t0 };
      } catch (e) {
        done = { index, status: 'failed', ...errorText(e), crashed: false, ms: performance.now() - t0 };
      }
      outcomes[index] = done;
      results.push(done);
      await results.settled();
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (callbackError) throw callbackError.e;
  const aborted = outcomes.some((o) => o.status === 'cancelled');
  return { outcomes, aborted, interrupted: false, crashes: 0, workersStarted: 0 };
}

interface Slot {
  readonly id: number;
  worker: Worker;
  /** Task running on it, or -1 when idle. */
  task: number;
  t0: number;
  /** The uncaught error that is about to end the worker, if any. */
  fatal?: Error | undefined;
  /** Terminated by the pool (completion or abort): its exit is expected. */
  retiring: boolean;
}

/**
 * The parent's Node flags for a worker, minus those that only make sense for the main entry point: a worker
 * inherits process.execArgv by default, and e.g. `--input-type=module` (from `node --input-type=module -e`)
 * makes every worker fail to load its script.
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--input-type') { i++; continue; }
    if (a.startsWith('--input-type=')) continue;
    out.push(a);
  }
  return out;
}

/** The worker mode: `n` threads (n <= tasks.length), see {@link runPool} for the contract. */
export async function runWorkers<R>(tasks: ReadonlyArray<PoolTask>, n: number, opts: PoolOptions<R>): Promise<PoolRun<R>> {
  const outcomes: TaskOutcome<R>[] = tasks.map((_, index) => ({ index, status: 'cancelled' }));
  if (tasks.length === 0) return { outcomes, aborted: false, interrupted: false, crashes: 0, workersStarted: 0 };
  const script = opts.workerScript ?? workerScriptPath();
  if (!existsSync(script)) throw new PolelabError(`pool: worker script ${script} not found`);
  const init: WorkerInit = { progressIntervalMs: opts.progressIntervalMs ?? 50 };

  let next = 0;
  let finished = 0;
  let crashes = 0;
  let started = 0;
  let aborted = false;
  let interrupted = false;
  let callbackError: { e: unknown } | undefined;
  const slots: Slot[] = [];
  const exits: Promise<void>[] = [];
  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => (resolveAll = r));
  /** A callback threw: the first error wins, the pool stops. */
  const fail = (e: unknown): void => {
    callbackError ??= { e };
    abort();
  };
  /** Runs an event handler's body; whatever it throws (a callback, a failed spawn) stops the pool instead of escaping. */
  const guarded = (body: () => void): void => {
    try {
      body();
    } catch (e) {
      fail(e);
    }
  };
  const results = resultChain(opts, fail);

  const finish = (slot: Slot, done: TaskDone<R>): void => {
    slot.task = -1;
    outcomes[done.index] = done;
    finished++;
    results.push(done);
    if (finished === tasks.length) resolveAll();
    else dispatch(slot);
  };

  const dispatch = (slot: Slot): void => {
    if (aborted || slot.retiring) return;
    while (next < tasks.length) {
      const index = next++;
      const t = tasks[index]!;
      const msg: RunMessage = { type: 'run', task: index, module: moduleHref(t.module), fn: t.fn, arg: t.arg };
      try {
        slot.worker.postMessage(msg);
      } catch (e) {
        // The argument could not be cloned: the task fails, the worker stays idle for the next one.
        outcomes[index] = { index, status: 'failed', error: `pool: task argument is not structured-clonable: ${errorText(e).error}`, crashed: false, ms: 0 };
        finished++;
        results.push(outcomes[index] as TaskDone<R>);
        if (finished === tasks.length) resolveAll();
        continue;
      }
      slot.task = index;
      slot.t0 = performance.now();
      opts.onStart?.(index, slot.id);
      return;
    }
  };

  const spawn = (id: number): Slot => {
    const worker = new Worker(script, { workerData: init, execArgv: workerExecArgv() });
    started++;
    const slot: Slot = { id, worker, task: -1, t0: 0, retiring: false };
    worker.on('message', (m: WorkerMessage) =>
      guarded(() => {
        if (slot.task !== m.task) return;
        if (m.type === 'progress') opts.onProgress?.(m.task, m.fraction, m.note);
        else if (m.type === 'done') finish(slot, { index: m.task, status: 'ok', value: m.value as R, ms: performance.now() - slot.t0 });
        else finish(slot, { index: m.task, status: 'failed', error: m.error, ...(m.stack !== undefined ? { stack: m.stack } : {}), crashed: false, ms: performance.now() - slot.t0 });
      }),
    );
    worker.on('error', (e: Error) => {
      slot.fatal = e;
    });
    exits.push(
      new Promise<void>((res) => {
        worker.on('exit', (code: number) => {
          res();
          if (slot.retiring || aborted) return;
          guarded(() => onExit(slot, code));
        });
      }),
    );
    return slot;
  };

  /** A worker ended on its own: fail its task (a crash) and replace it while tasks remain. */
  const onExit = (slot: Slot, code: number): void => {
    const i = slot.task;
    slot.retiring = true;
    const idx = slots.indexOf(slot);
    if (idx < 0) return;
    // Replace the dead worker first, so the next task goes to the new one.
    const successor = next < tasks.length ? spawn(slot.id) : slot;
    slots[idx] = successor;
    if (i < 0) {
      dispatch(successor);
      return;
    }
    crashes++;
    const why = slot.fatal ? `worker crashed: ${slot.fatal.message}` : `worker exited with code ${code} while running the task`;
    finish(successor, { index: i, status: 'failed', error: why, ...(slot.fatal?.stack !== undefined ? { stack: slot.fatal.stack } : {}), crashed: true, ms: performance.now() - slot.t0 });
  };

  const abort = (): void => {
    if (aborted) return;
    aborted = true;
    for (const s of slots) s.retiring = true;
    resolveAll();
  };
  const onAbort = (): void => abort();
  const onSigint = (): void => {
    process.removeListener('SIGINT', onSigint);
    interrupted = true;
    abort();
  };
  opts.signal?.addEventListener('abort', onAbort);
  if (opts.handleSigint) process.on('SIGINT', onSigint);
  try {
    if (opts.signal?.aborted) abort();
    else
      guarded(() => {
        for (let i = 0; i < n; i++) {
          const slot = spawn(i);
          slots.push(slot);
          dispatch(slot);
        }
      });
    await allDone;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    process.removeListener('SIGINT', onSigint);
    for (const s of slots) s.retiring = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    await Promise.all(exits);
  }
  await results.settled();
  if (callbackError) throw callbackError.e;
  return { outcomes, aborted: aborted && finished < tasks.length, interrupted, crashes, workersStarted: started };
}
