// Generic worker_threads pool: runs "call export F of module M with argument A" tasks on N workers, streaming completions and progress.
import { availableParallelism } from 'node:os';
import { PolelabError } from '../src/core/errors.js';
import { runInline, runWorkers } from './pool-run.js';

export { distFile, loadTaskFn, moduleHref, packageRoot, workerScriptPath } from './pool-locate.js';

/**
 * One unit of work: call the exported function `fn` of the ES module `module` (a file URL, or a file path)
 * with `arg`. `arg` must be structured-clonable (plain data, typed arrays, Maps, ...); so must the value
 * the function returns. In a worker the module is loaded by Node itself, so it must be JavaScript (a
 * module under dist/, or a plain .mjs file); the in-process mode also loads whatever the host can import.
 */
export interface PoolTask {
  readonly module: string | URL;
  readonly fn: string;
  readonly arg?: unknown;
}

/** What a task function receives besides its argument. */
export interface TaskContext {
  /** Reports progress: fraction in [0, 1] done and a short note; forwarded to the pool's `onProgress`. */
  progress(fraction: number, note?: string): void;
  /**
   * Aborted when the pool is cancelled. Only the in-process mode needs it (long tasks may check it between
   * steps); a worker is terminated outright instead.
   */
  readonly signal: AbortSignal;
  /** True when the task runs in the calling thread (workers: 0). */
  readonly inline: boolean;
}

/** The signature of a task function: `export async function f(arg, ctx) { ... }`. */
export type TaskFn<A = unknown, R = unknown> = (arg: A, ctx: TaskContext) => R | Promise<R>;

/** A task that finished: its value, or its failure (a thrown error, or the crash of its worker). */
export type TaskDone<R> =
  | { readonly index: number; readonly status: 'ok'; readonly value: R; readonly ms: number }
  | {
      readonly index: number;
      readonly status: 'failed';
      /** The thrown error's message (full text), or what ended the worker. */
      readonly error: string;
      readonly stack?: string;
      /** True when the worker died (process.exit, uncaught exception, out of memory) rather than the task throwing. */
      readonly crashed: boolean;
      readonly ms: number;
    };

/** Outcome of one task: finished, or cancelled (not started or interrupted by an abort / SIGINT). */
export type TaskOutcome<R> = TaskDone<R> | { readonly index: number; readonly status: 'cancelled' };

/** Options of {@link runPool}. */
export interface PoolOptions<R> {
  /**
   * Worker threads: an integer >= 1, or 0 / 'inline' to run the tasks one after another in this thread
   * (tests on TypeScript sources; no isolation from crashes). Default {@link defaultWorkers}(). Never
   * more workers are started than there are tasks.
   */
  readonly workers?: number | 'inline';
  /** Aborting it terminates every worker; unfinished tasks come back 'cancelled'. */
  readonly signal?: AbortSignal;
  /**
   * Treat the first SIGINT (Ctrl-C) as an abort while the pool runs (a second one kills the process as
   * usual). Worker mode only: in-process tasks block the event loop, so there the default action is kept.
   */
  readonly handleSigint?: boolean;
  /** A task was handed to worker `worker` (0-based slot; 0 in-process). */
  onStart?(index: number, worker: number): void;
  /** Progress reported by task `index` (throttled in workers, see `progressIntervalMs`). */
  onProgress?(index: number, fraction: number, note: string | undefined): void;
  /**
   * A task finished (ok or failed), called as it happens, in completion order, one call at a time (the
   * next waits for the promise of the previous), so callers can write results as they complete. If it
   * throws, the pool is aborted and {@link runPool} rejects with that error.
   */
  onResult?(done: TaskDone<R>): void | Promise<void>;
  /** Minimum time between two progress messages of one task in a worker (ms, default 50; 0 = all). */
  readonly progressIntervalMs?: number;
  /** Worker entry script (default {@link workerScriptPath}()); tests may point it elsewhere. */
  readonly workerScript?: string;
}

/** Result of {@link runPool}: one outcome per task, in task order. */
export interface PoolRun<R> {
  readonly outcomes: TaskOutcome<R>[];
  /** The pool was aborted (signal or SIGINT) before every task finished. */
  readonly aborted: boolean;
  /** The abort came from SIGINT. */
  readonly interrupted: boolean;
  /** Workers that died while running a task (each was replaced while tasks remained). */
  readonly crashes: number;
  /** Worker threads started, replacements included (0 in-process). */
  readonly workersStarted: number;
}

/** Messages from pool-worker.ts to the pool. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly task: number; readonly fraction: number; readonly note?: string | undefined }
  | { readonly type: 'done'; readonly task: number; readonly value: unknown }
  | { readonly type: 'failed'; readonly task: number; readonly error: string; readonly stack?: string | undefined };

/** Messages from the pool to pool-worker.ts. */
export interface RunMessage {
  readonly type: 'run';
  readonly task: number;
  readonly module: string;
  readonly fn: string;
  readonly arg: unknown;
}

/** Data every worker starts with. */
export interface WorkerInit {
  readonly progressIntervalMs: number;
}

/** One worker per core: `os.availableParallelism()`. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

function workerCount(w: number | 'inline' | undefined): number {
  const n = w === 'inline' ? 0 : (w ?? defaultWorkers());
  if (!Number.isSafeInteger(n) || n < 0) throw new PolelabError(`pool: workers = ${String(w)}: must be an integer >= 0 or 'inline'`);
  return n;
}

/**
 * Runs `tasks` and resolves with one outcome per task in task order, once every task has finished or
 * been cancelled, every `onResult` call has settled and every worker has exited. A task that throws is
 * 'failed' with its message; a worker that dies mid-task fails that task (`crashed: true`) and is
 * replaced while tasks remain. Rejects only when a callback (onStart, onProgress, onResult) throws (the
 * pool is stopped first) or the worker script is missing.
 */
export async function runPool<R = unknown>(tasks: ReadonlyArray<PoolTask>, opts: PoolOptions<R> = {}): Promise<PoolRun<R>> {
  const n = workerCount(opts.workers);
  return n === 0 ? runInline<R>(tasks, opts) : runWorkers<R>(tasks, Math.min(n, tasks.length), opts);
}
