// Worker-thread entry of the pool (cli/pool.ts): runs one task at a time, forwards throttled progress, posts the value or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { loadTaskFn } from './pool-locate.js';
import type { RunMessage, TaskContext, WorkerInit, WorkerMessage } from './pool.js';

const port = parentPort;
if (port === null) throw new Error('pool-worker: this module is a worker_threads entry; start it with new Worker(...)');
const init = (workerData ?? {}) as Partial<WorkerInit>;
const interval = init.progressIntervalMs ?? 50;
/** Never aborted: the pool cancels a worker by terminating it. */
const neverAborted = new AbortController().signal;

function post(m: WorkerMessage): void {
  port!.postMessage(m);
}

async function run(m: RunMessage): Promise<void> {
  let lastAt = -Infinity;
  let lastFraction = -1;
  const ctx: TaskContext = {
    inline: false,
    signal: neverAborted,
    progress(fraction: number, note?: string): void {
      const t = performance.now();
      // Throttled, but the first report of completion (fraction 1) always goes through.
      if (t - lastAt >= interval || (fraction >= 1 && lastFraction < 1)) {
        lastAt = t;
        post({ type: 'progress', task: m.task, fraction, note });
      }
      lastFraction = fraction;
    },
  };
  let value: unknown;
  try {
    const f = await loadTaskFn(m.module, m.fn);
    value = await f(m.arg, ctx);
  } catch (e) {
    post({ type: 'failed', task: m.task, error: e instanceof Error ? e.message || e.name : String(e), stack: e instanceof Error ? e.stack : undefined });
    return;
  }
  try {
    post({ type: 'done', task: m.task, value });
  } catch (e) {
    post({ type: 'failed', task: m.task, error: `pool: the result of ${m.fn} is not structured-clonable: ${e instanceof Error ? e.message : String(e)}` });
  }
}

port.on('message', (m: RunMessage) => {
  if (m.type === 'run') void run(m);
});
