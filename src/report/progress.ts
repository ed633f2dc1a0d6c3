// Progress display for experiment batches: one redrawn bar line per running experiment on a TTY, rate-limited plain lines otherwise.
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
  /** Clock in ms (injectable for tests); default Date.now. Every time shown is measured with it. */
  readonly now?: () => number;
  /** Plain mode: a line when the progress advanced by `plainStep` (default 0.1) since the last line ... */
  readonly plainStep?: number;
  /** ... or when `plainIntervalMs` passed since it (default 5000; also without new progress, see `heartbeatMs`) ... */
  readonly plainIntervalMs?: number;
  /** ... but never two lines of one experiment less than `minLineMs` apart (default 1000). */
  readonly minLineMs?: number;
  /** TTY mode: minimum time between redraws (default 100 ms). */
  readonly redrawMs?: number;
  /**
   * While experiments run, a timer every `heartbeatMs` (default 1000; 0 = none) redraws the TTY lines with
   * their elapsed time and, in plain mode, repeats an experiment's last state once `plainIntervalMs` passed
   * without a line, so the clock moves while an experiment is inside one long step or runs in a worker.
   * (An experiment running in this thread blocks the timer until it reports progress.)
   */
  readonly heartbeatMs?: number;
}

const BAR = 24;

function bar(f: number): string {
  const n = Math.round(f * BAR);
  return '[' + '#'.repeat(n) + '-'.repeat(BAR - n) + ']';
}

/** Percent done: whole percent, with one decimal below 10% so that slow progress visibly moves ("0.4%"). */
function percent(f: number): string {
  return f > 0 && f < 0.1 ? `${(Math.floor(f * 1000) / 10).toFixed(1)}%` : `${Math.floor(f * 100)}%`;
}

function pct(f: number): string {
  return percent(f).padStart(4);
}

/** A {@link RunObserver} that also prints other text (e.g. a stack trace) without breaking the progress lines. */
export interface ProgressReporter extends RunObserver {
  /** Writes `text` (ending in a newline) above the live progress lines. */
  log(text: string): void;
  /** Stops the heartbeat timer (also stopped whenever no experiment is running). */
  close(): void;
}

/** One running experiment. */
interface Live {
  readonly head: string;
  /** When it started, on the reporter's clock: every elapsed time shown for it counts from here. */
  readonly t0: number;
  fraction: number;
  note: string | undefined;
  /** TTY: its current line; plain: unused. */
  text: string;
  /** TTY: last redraw; plain: last line written (the "started" line counts). */
  lastAt: number;
  /** Plain: the progress step (a multiple of plainStep) of the last line. */
  lastStep: number;
  /** Plain: a progress line was written. */
  reported: boolean;
}

/**
 * A {@link RunObserver} that shows per-experiment progress on `sink`, also for experiments running at the
 * same time (the parallel `reproduce`):
 * TTY: one line per running experiment, `[2/5] esn/narma10  42% [##########--------------] 3.1 s  epoch 12`,
 * redrawn in place (\r, and cursor-up \x1b[nA when several are running; finished experiments scroll up);
 * otherwise: `[2/5] esn/narma10: 40% (3.1 s) epoch 12` lines: the first report, then one per 10% of progress
 * or 5 s, at most one per second per experiment, plus a final `[2/5] esn/narma10: ok in 3.2 s` line (or `failed in ...:
 * <message>`, or `skipped (up to date)`). Progress lines and the final line measure the time on the same
 * clock from the same start (this reporter's `start` call), so the final time is never below a progress time.
 */
export function createProgressReporter(sink: TextSink, opts: ProgressOptions = {}): ProgressReporter {
  const tty = opts.tty ?? sink.isTTY === true;
  const now = opts.now ?? Date.now;
  const plainStep = opts.plainStep ?? 0.1;
  const plainInterval = opts.plainIntervalMs ?? 5000;
  const minLine = opts.minLineMs ?? 1000;
  const redrawMs = opts.redrawMs ?? 100;
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  const width = Math.max(40, (sink.columns ?? 100) - 1);
  /** The running experiments, in start order (TTY: their live lines), by plan index. */
  const live = new Map<number, Live>();
  /** TTY: how many live lines are on screen now. */
  let shown = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const tag = (i: number, total: number): string => (total > 1 ? `[${i + 1}/${total}] ` : '');

  /**
   * TTY redraw: move to the first live line, write `done` lines (permanent, each ending in a newline),
   * then the live lines (the cursor stays at the end of the last one), and clear what is left below.
   * With one live line this is exactly "\r\x1b[2K" + line.
   */
  const redraw = (done: readonly string[]): void => {
    let s = shown > 1 ? `\x1b[${shown - 1}A` : '';
    for (const line of done) s += '\r\x1b[2K' + line + '\n';
    s += [...live.values()].map((l) => '\r\x1b[2K' + l.text).join('\n');
    if (done.length + live.size < shown) s += '\x1b[J';
    sink.write(s);
    shown = live.size;
  };

  const ttyText = (l: Live, t: number): string => {
    const line = `${l.head} ${pct(l.fraction)} ${bar(l.fraction)} ${formatDuration(t - l.t0)}${l.note ? '  ' + l.note : ''}`;
    return line.length > width ? line.slice(0, width - 1) + '…' : line;
  };

  const plainLine = (l: Live, t: number): void => {
    sink.write(`${l.head}: ${percent(l.fraction)} (${formatDuration(t - l.t0)})${l.note ? ' ' + l.note : ''}\n`);
    l.lastAt = t;
    l.lastStep = plainStep > 0 ? Math.floor(l.fraction / plainStep + 1e-9) * plainStep : l.fraction;
  };

  /** The heartbeat: the clock of every running experiment moves even when no progress arrives. */
  const beat = (): void => {
    const t = now();
    if (tty) {
      let stale = false;
      for (const l of live.values()) if (t - l.lastAt >= heartbeatMs) stale = true;
      if (!stale) return;
      for (const l of live.values()) {
        l.text = ttyText(l, t);
        l.lastAt = t;
      }
      redraw([]);
      return;
    }
    for (const l of live.values()) if (t - l.lastAt >= plainInterval) plainLine(l, t);
  };
  const startTimer = (): void => {
    if (timer !== undefined || heartbeatMs <= 0) return;
    timer = setInterval(beat, heartbeatMs);
    (timer as { unref?: () => void }).unref?.();
  };
  const stopTimer = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };

  return {
    start(experiment: AnyExperiment, index: number, total: number): ProgressFn {
      const t0 = now();
      const l: Live = { head: `${tag(index, total)}${experiment.id}`, t0, fraction: 0, note: undefined, text: '', lastAt: t0, lastStep: 0, reported: false };
      live.delete(index);
      live.set(index, l);
      if (tty) {
        l.text = ttyText(l, t0);
        redraw([]);
      } else sink.write(`${l.head}: started\n`);
      startTimer();
      return (fraction: number, note?: string): void => {
        if (!Number.isFinite(fraction) || live.get(index) !== l) return;
        const f = Math.min(1, Math.max(0, fraction));
        const first100 = f >= 1 && l.fraction < 1;
        l.fraction = f;
        l.note = note;
        const t = now();
        if (tty) {
          if (t - l.lastAt >= redrawMs || first100) {
            l.text = ttyText(l, t);
            l.lastAt = t;
            redraw([]);
          }
        } else if (!l.reported || (t - l.lastAt >= minLine && (f - l.lastStep >= plainStep - 1e-12 || t - l.lastAt >= plainInterval))) {
          // the first report always shows (it says what the experiment is busy with), later ones are rate-limited
          l.reported = true;
          plainLine(l, t);
        }
      };
    },
    finish(outcome: RunOutcome, index: number, total: number): void {
      const m = outcome.record.meta;
      const l = live.get(index);
      live.delete(index);
      if (live.size === 0) stopTimer();
      const head = `${tag(index, total)}${outcome.id}`;
      // The time since this reporter saw the start (same clock and start as the progress lines); the
      // record's run time when it never started here (e.g. a config that did not validate).
      const took = formatDuration(l !== undefined ? now() - l.t0 : m.durationMs);
      let line: string;
      if (outcome.status === 'skipped') line = `${head}: skipped (up to date, ran ${m.endedAt})`;
      else if (outcome.status === 'failed') line = `${head}: failed in ${took}: ${m.error ?? 'unknown error'}`;
      else line = `${head}: ok in ${took}`;
      if (!tty) sink.write(line + '\n');
      else redraw([line]);
    },
    log(text: string): void {
      if (!tty) sink.write(text);
      else redraw(text.replace(/\n$/, '').split('\n'));
    },
    close(): void {
      stopTimer();
    },
  };
}
