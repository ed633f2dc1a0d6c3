// Progress display for experiment batches: one redrawn bar line per running experiment on a TTY, throttled plain lines otherwise.
import type { AnyExperiment, ProgressFn } from '../experiments/experiment.js';
import type { RunObserver, RunOutcome } from '../experiments/runner.js';
import { formatDuration } from './format.js';

/** Where progress goes (process.stderr or a test buffer). */
export interface TextSink {
  write(s: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressOptions {
  /** Draw a redrawn bar (true) or plain lines (false); default: `sink.isTTY`. */
  readonly tty?: boolean;
  /** Clock in ms (injectable for tests); default Date.now. */
  readonly now?: () => number;
  /** Plain mode: a line at most every `plainStep` of progress (default 0.1) ... */
  readonly plainStep?: number;
  /** ... or when `plainIntervalMs` passed since the last line (default 5000). */
  readonly plainIntervalMs?: number;
  /** TTY mode: minimum time between redraws (default 100 ms). */
  readonly redrawMs?: number;
}

const BAR = 24;

function bar(f: number): string {
  const n = Math.round(f * BAR);
  return '[' + '#'.repeat(n) + '-'.repeat(BAR - n) + ']';
}

function pct(f: number): string {
  return `${Math.floor(f * 100)}%`.padStart(4);
}

/** A {@link RunObserver} that also prints other text (e.g. a stack trace) without breaking the progress lines. */
export interface ProgressReporter extends RunObserver {
  /** Writes `text` (ending in a newline) above the live progress lines. */
  log(text: string): void;
}

/**
 * A {@link RunObserver} that shows per-experiment progress on `sink`, also for experiments running at the
 * same time (the parallel `reproduce`):
 * TTY: one line per running experiment, `[2/5] esn/narma10  42% [##########--------------] 3.1 s  epoch 12`,
 * redrawn in place (\r, and cursor-up \x1b[nA when several are running; finished experiments scroll up);
 * otherwise: `[2/5] esn/narma10: 40% (3.1 s) epoch 12` lines, at most every 10% or 5 s per experiment,
 * plus a final `[2/5] esn/narma10: ok in 3.2 s` line (or `failed in ...: <message>`, or `skipped (up to date)`).
 */
export function createProgressReporter(sink: TextSink, opts: ProgressOptions = {}): ProgressReporter {
  const tty = opts.tty ?? sink.isTTY === true;
  const now = opts.now ?? Date.now;
  const plainStep = opts.plainStep ?? 0.1;
  const plainInterval = opts.plainIntervalMs ?? 5000;
  const redrawMs = opts.redrawMs ?? 100;
  /** TTY: the live lines (running experiments, in start order) and how many are on screen now. */
  const live: Array<{ key: object; text: string }> = [];
  let shown = 0;
  /** Plan index -> key of its live line. */
  const keys = new Map<number, object>();

  const tag = (i: number, total: number): string => (total > 1 ? `[${i + 1}/${total}] ` : '');

  /**
   * TTY redraw: move to the first live line, write `done` lines (permanent, each ending in a newline),
   * then the live lines (the cursor stays at the end of the last one), and clear what is left below.
   * With one live line this is exactly "\r\x1b[2K" + line.
   */
  const redraw = (done: readonly string[]): void => {
    let s = shown > 1 ? `\x1b[${shown - 1}A` : '';
    for (const line of done) s += '\r\x1b[2K' + line + '\n';
    s += live.map((l) => '\r\x1b[2K' + l.text).join('\n');
    if (done.length + live.length < shown) s += '\x1b[J';
    sink.write(s);
    shown = live.length;
  };

  return {
    start(experiment: AnyExperiment, index: number, total: number): ProgressFn {
      const t0 = now();
      const head = `${tag(index, total)}${experiment.id}`;
      const key = {};
      let last = 0;
      let lastAt = -Infinity;
      let lastPlainFrac = 0;
      const width = Math.max(40, (sink.columns ?? 100) - 1);
      const draw = (f: number, note: string | undefined): void => {
        const line = `${head} ${pct(f)} ${bar(f)} ${formatDuration(now() - t0)}${note ? '  ' + note : ''}`;
        const text = line.length > width ? line.slice(0, width - 1) + '…' : line;
        const entry = live.find((l) => l.key === key);
        if (entry) entry.text = text;
        else live.push({ key, text });
        redraw([]);
      };
      keys.set(index, key);
      if (tty) draw(0, undefined);
      else sink.write(`${head}: started\n`);
      lastAt = now();
      return (fraction: number, note?: string): void => {
        if (!Number.isFinite(fraction)) return;
        const f = Math.min(1, Math.max(0, fraction));
        const t = now();
        if (tty) {
          if (t - lastAt >= redrawMs || (f >= 1 && last < 1)) {
            draw(f, note);
            lastAt = t;
          }
        } else if (f - lastPlainFrac >= plainStep - 1e-12 || t - lastAt >= plainInterval) {
          sink.write(`${head}: ${Math.floor(f * 100)}% (${formatDuration(t - t0)})${note ? ' ' + note : ''}\n`);
          lastAt = t;
          lastPlainFrac = plainStep > 0 ? Math.floor(f / plainStep + 1e-9) * plainStep : f;
        }
        last = f;
      };
    },
    finish(outcome: RunOutcome, index: number, total: number): void {
      const m = outcome.record.meta;
      const head = `${tag(index, total)}${outcome.id}`;
      let line: string;
      if (outcome.status === 'skipped') line = `${head}: skipped (up to date, ran ${m.endedAt})`;
      else if (outcome.status === 'failed') line = `${head}: failed in ${formatDuration(m.durationMs)}: ${m.error ?? 'unknown error'}`;
      else line = `${head}: ok in ${formatDuration(m.durationMs)}`;
      const key = keys.get(index);
      keys.delete(index);
      if (!tty) {
        sink.write(line + '\n');
        return;
      }
      const at = live.findIndex((l) => l.key === key);
      if (at >= 0) live.splice(at, 1);
      redraw([line]);
    },
    log(text: string): void {
      if (!tty) sink.write(text);
      else redraw(text.replace(/\n$/, '').split('\n'));
    },
  };
}
