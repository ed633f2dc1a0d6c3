// Tests of the progress display: TTY bar redraws and throttled plain lines, with a fake clock.
import { describe, expect, it, vi } from 'vitest';
import { squareExperiment } from '../../test/fake-experiments.js';
import type { RunOutcome, RunRecord } from '../experiments/runner.js';
import { createProgressReporter } from './progress.js';

function sink(isTTY: boolean): { write(s: string): void; isTTY: boolean; text: string } {
  return { isTTY, text: '', write(s: string) { this.text += s; } };
}

function outcome(status: RunOutcome['status'], durationMs: number, error?: string): RunOutcome {
  const meta = { id: 'fake/square', status: status === 'failed' ? 'failed' : 'ok', durationMs, endedAt: '2026-01-01T00:00:00.000Z', ...(error ? { error } : {}) };
  return { id: 'fake/square', experiment: squareExperiment, status, record: { meta, summary: {}, data: null } as unknown as RunRecord };
}

describe('createProgressReporter', () => {
  it('plain mode: a line every 10%, timed from the start, then a final status line on the same clock', () => {
    const s = sink(false);
    let t = 0;
    const rep = createProgressReporter(s, { now: () => t, heartbeatMs: 0 });
    const p = rep.start!(squareExperiment, 1, 3)!;
    p(0, 'setting up'); // the first report always shows
    for (let i = 1; i <= 100; i++) {
      t += 100;
      p(i / 100, `epoch ${i}`);
    }
    // the record says 9 s (e.g. a worker's run started later): the line shows the reporter's 10 s
    rep.finish!(outcome('ok', 9000), 1, 3);
    const lines = s.text.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['[2/3] fake/square: started', '[2/3] fake/square: 0% (0 ms) setting up']);
    expect(lines.slice(2, -1)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((k) => `[2/3] fake/square: ${k}% (${k < 100 ? `${k / 10}.0 s` : '10 s'}) epoch ${k}`));
    expect(lines.at(-1)).toBe('[2/3] fake/square: ok in 10 s');
    expect(s.text).not.toContain('\r');
  });

  it('plain mode: at most one line per second per experiment, however fast the progress', () => {
    const s = sink(false);
    let t = 0;
    const rep = createProgressReporter(s, { now: () => t, heartbeatMs: 0 });
    const p = rep.start!(squareExperiment, 0, 1)!;
    for (let i = 1; i <= 30; i++) {
      t += 100;
      p(Math.min(1, i / 12), `step ${i}`);
    }
    // 8% per 100 ms: the first report, then one line a second (not one per 10%), none after 100% (no new 10%, < 5 s)
    expect(s.text.split('\n').filter((l) => l.includes('%'))).toEqual(['fake/square: 8.3% (100 ms) step 1', 'fake/square: 91% (1.1 s) step 11', 'fake/square: 100% (2.1 s) step 21']);
  });

  it('plain mode: slow progress still prints every 5 s', () => {
    const s = sink(false);
    let t = 0;
    const rep = createProgressReporter(s, { now: () => t, heartbeatMs: 0 });
    const p = rep.start!(squareExperiment, 0, 1)!;
    for (let i = 1; i <= 12; i++) {
      t += 1000;
      p(i / 1000);
    }
    // 12 s at 0.1% per second: the first report, then a line every 5 s, with one decimal below 10%
    expect(s.text.split('\n').filter((l) => l.includes('%'))).toEqual(['fake/square: 0.1% (1.0 s)', 'fake/square: 0.6% (6.0 s)', 'fake/square: 1.1% (11 s)']);
  });

  it('TTY mode: one line redrawn with \\r, percentage and bar, throttled to the redraw interval', () => {
    const s = sink(true);
    let t = 0;
    const rep = createProgressReporter(s, { now: () => t, redrawMs: 100, heartbeatMs: 0 });
    const p = rep.start!(squareExperiment, 0, 1)!;
    for (let i = 1; i <= 50; i++) {
      t += 10;
      p(i / 100, 'working');
    }
    p(1);
    rep.finish!(outcome('ok', 400), 0, 1);
    const frames = s.text.split('\r\x1b[2K').filter((f) => f.length > 0);
    // Initial frame + one per 100 ms over 500 ms + the final 100% frame, then the status line.
    expect(frames).toHaveLength(1 + 5 + 1 + 1);
    expect(frames[0]).toBe(`fake/square   0% [${'-'.repeat(24)}] 0 ms`);
    expect(frames[1]).toBe(`fake/square  10% [${'#'.repeat(2)}${'-'.repeat(22)}] 100 ms  working`);
    expect(frames[6]).toBe(`fake/square 100% [${'#'.repeat(24)}] 500 ms`);
    expect(frames[7]).toBe('fake/square: ok in 500 ms\n');
  });

  it('reports failures with their message and skips as up to date; ignores NaN progress', () => {
    const s = sink(false);
    let t = 0;
    const rep = createProgressReporter(s, { now: () => t, heartbeatMs: 0 });
    const p = rep.start!(squareExperiment, 0, 1)!;
    p(Number.NaN);
    t = 20;
    rep.finish!(outcome('failed', 5, 'run: boom'), 0, 1);
    rep.finish!(outcome('skipped', 20), 0, 1);
    // never started here (a config that did not validate): the record's time
    rep.finish!(outcome('failed', 0, 'quick preset: config: n = 1: must be >= 2'), 0, 1);
    expect(s.text).toBe('fake/square: started\nfake/square: failed in 20 ms: run: boom\nfake/square: skipped (up to date, ran 2026-01-01T00:00:00.000Z)\n' +
      'fake/square: failed in 0 ms: quick preset: config: n = 1: must be >= 2\n');
  });

  it('the heartbeat moves the clock while no progress arrives: TTY redraws every second, plain lines every 5 s', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const plain = sink(false), term = sink(true);
      const rp = createProgressReporter(plain, { now: Date.now });
      const rt = createProgressReporter(term, { now: Date.now });
      rp.start!(squareExperiment, 0, 1)!(0.05, 'drawing the reservoir');
      rt.start!(squareExperiment, 0, 1)!(0.05, 'drawing the reservoir');
      vi.advanceTimersByTime(12_000);
      expect(plain.text.split('\n').filter((l) => l.includes('%'))).toEqual([
        'fake/square: 5.0% (0 ms) drawing the reservoir', 'fake/square: 5.0% (5.0 s) drawing the reservoir', 'fake/square: 5.0% (10 s) drawing the reservoir',
      ]);
      const frames = term.text.split('\r\x1b[2K').filter((f) => f.length > 0);
      expect(frames.at(-1)).toBe(`fake/square 5.0% [${'#'.repeat(1)}${'-'.repeat(23)}] 12 s  drawing the reservoir`);
      expect(frames.length).toBeGreaterThanOrEqual(12);
      // once nothing runs the timer stops: no more output
      rp.finish!(outcome('ok', 1), 0, 1);
      rt.finish!(outcome('ok', 1), 0, 1);
      const [a, b] = [plain.text, term.text];
      vi.advanceTimersByTime(20_000);
      expect([plain.text, term.text]).toEqual([a, b]);
      expect(a.trimEnd().split('\n').at(-1)).toBe('fake/square: ok in 12 s');
    } finally {
      vi.useRealTimers();
    }
  });
});

/** A minimal terminal: applies text, \r, \n, \x1b[2K (clear line), \x1b[nA (cursor up) and \x1b[J (clear below) to a screen. */
function terminal(text: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  for (const m of text.matchAll(/\x1b\[(\d*)([AKJ])|\r|\n|[^\x1b\r\n]+/g)) {
    const tok = m[0];
    if (tok === '\r') col = 0;
    else if (tok === '\n') {
      row++;
      col = 0;
      if (row === lines.length) lines.push('');
    } else if (m[2] === 'A') row = Math.max(0, row - Number(m[1] || '1'));
    else if (m[2] === 'K') lines[row] = '';
    else if (m[2] === 'J') {
      lines[row] = lines[row]!.slice(0, col);
      lines.length = row + 1;
    } else {
      const l = lines[row]!.padEnd(col);
      lines[row] = l.slice(0, col) + tok + l.slice(col + tok.length);
      col += tok.length;
    }
  }
  return lines;
}

function outcomeOf(e: { id: string }, status: RunOutcome['status'], durationMs: number, error?: string): RunOutcome {
  const meta = { id: e.id, status: status === 'failed' ? 'failed' : 'ok', durationMs, endedAt: '2026-01-01T00:00:00.000Z', ...(error ? { error } : {}) };
  return { id: e.id, experiment: e, status, record: { meta, summary: {}, data: null } } as unknown as RunOutcome;
}

describe('createProgressReporter with experiments running at the same time', () => {
  const a = { ...squareExperiment, id: 'fake/a' };
  const b = { ...squareExperiment, id: 'fake/b' };
  const c = { ...squareExperiment, id: 'fake/c' };
  const bar = (k: number): string => `[${'#'.repeat(k)}${'-'.repeat(24 - k)}]`;

  it('TTY: one live line per running experiment; finished ones and logged text scroll above them', () => {
    const s = sink(true);
    let t = 0;
    const rep = createProgressReporter(s, { now: () => t, redrawMs: 100, heartbeatMs: 0 });
    const pa = rep.start!(a, 0, 3)!;
    const pb = rep.start!(b, 1, 3)!;
    expect(terminal(s.text)).toEqual([`[1/3] fake/a   0% ${bar(0)} 0 ms`, `[2/3] fake/b   0% ${bar(0)} 0 ms`]);
    t = 200;
    pb(0.5, 'half');
    pa(0.25);
    expect(terminal(s.text)).toEqual([`[1/3] fake/a  25% ${bar(6)} 200 ms`, `[2/3] fake/b  50% ${bar(12)} 200 ms  half`]);
    t = 1500;
    rep.finish!(outcomeOf(a, 'ok', 1500), 0, 3);
    expect(terminal(s.text)).toEqual(['[1/3] fake/a: ok in 1.5 s', `[2/3] fake/b  50% ${bar(12)} 200 ms  half`]);
    rep.start!(c, 2, 3);
    t = 1520;
    rep.finish!(outcomeOf(c, 'failed', 20, 'run: boom'), 2, 3);
    rep.log('a stack trace\n    at f\n');
    t = 2500;
    rep.finish!(outcomeOf(b, 'ok', 2500), 1, 3);
    expect(terminal(s.text)).toEqual([
      '[1/3] fake/a: ok in 1.5 s',
      '[3/3] fake/c: failed in 20 ms: run: boom',
      'a stack trace',
      '    at f',
      '[2/3] fake/b: ok in 2.5 s',
      '',
    ]);
  });

  it('plain mode: interleaved lines, each throttled on its own and named', () => {
    const s = sink(false);
    let t = 0;
    const rep = createProgressReporter(s, { now: () => t, heartbeatMs: 0 });
    const pa = rep.start!(a, 0, 2)!;
    const pb = rep.start!(b, 1, 2)!;
    for (let i = 1; i <= 4; i++) {
      t += 1000;
      pa(i / 20);
      pb(i / 4);
    }
    rep.finish!(outcomeOf(b, 'ok', 400), 1, 2);
    rep.log('note\n');
    rep.finish!(outcomeOf(a, 'ok', 400), 0, 2);
    expect(s.text.split('\n')).toEqual([
      '[1/2] fake/a: started', '[2/2] fake/b: started',
      '[1/2] fake/a: 5.0% (1.0 s)', '[2/2] fake/b: 25% (1.0 s)',
      '[1/2] fake/a: 10% (2.0 s)', '[2/2] fake/b: 50% (2.0 s)',
      '[2/2] fake/b: 75% (3.0 s)',
      '[1/2] fake/a: 20% (4.0 s)', '[2/2] fake/b: 100% (4.0 s)',
      '[2/2] fake/b: ok in 4.0 s', 'note', '[1/2] fake/a: ok in 4.0 s', '',
    ]);
  });
});
