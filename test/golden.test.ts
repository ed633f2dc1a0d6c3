// Golden summaries: every built-in experiment, run at its quick preset and default seed, must reproduce its stored summary.
//
// test/golden/<id with "/" as "__">.json holds the summary rounded to 4 significant digits (strings and
// integers as they are). A run matches when every key is present, strings are equal, and every number is within
// a relative 1e-3 of the stored one (half a unit of the 4th digit from the storage rounding, plus room for the
// last-bit differences between the wasm and js backends, which the chaotic Mackey–Glass closed loop amplifies
// to about 1e-6 relative; measured). A mismatch writes test/golden/<name>-changed.json next to it (git ignores
// those) and fails with the differing keys; after checking the change is intended, regenerate every file with
//   POLELAB_UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts
// An experiment without a golden file fails the same way, so a new experiment cannot land without one.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/experiments/config.js';
import { builtinExperiments } from '../src/experiments/index.js';
import { encodeSummary, runExperiment } from '../src/experiments/runner.js';
import type { SummaryValue } from '../src/experiments/experiment.js';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const update = process.env['POLELAB_UPDATE_GOLDEN'] === '1';
/** Relative tolerance on numbers (see the module header for why). */
const REL_TOL = 1e-3;

/** A number rounded to 4 significant digits; integers (counts) and non-numbers unchanged. */
function round4(v: SummaryValue): SummaryValue {
  if (typeof v !== 'number' || !Number.isFinite(v) || Number.isInteger(v)) return v;
  return Number(v.toPrecision(4));
}

/** The differences of a summary from its golden, one line each (empty when it matches). */
function summaryDifferences(got: Record<string, SummaryValue>, want: Record<string, SummaryValue>, relTol = REL_TOL): string[] {
  const out: string[] = [];
  for (const k of Object.keys(want)) if (!(k in got)) out.push(`${k}: missing (golden ${String(want[k])})`);
  for (const [k, g] of Object.entries(got)) {
    if (!(k in want)) { out.push(`${k}: new key (${String(g)})`); continue; }
    const w = want[k]!;
    if (typeof g === 'number' && typeof w === 'number') {
      const ok = g === w || Math.abs(g - w) <= relTol * Math.max(Math.abs(w), Math.abs(g));
      if (!ok) out.push(`${k}: ${g} vs golden ${w} (relative difference ${(Math.abs(g - w) / Math.abs(w)).toExponential(2)} > ${relTol})`);
    } else if (g !== w) {
      out.push(`${k}: ${JSON.stringify(g)} vs golden ${JSON.stringify(w)}`);
    }
  }
  return out;
}

describe('golden comparison', () => {
  it('accepts rounding and backend noise, rejects a changed 3rd digit, a missing or a new key', () => {
    expect(summaryDifferences({ a: 1.23456e-4, s: 'x', n: 3 }, { a: 1.235e-4, s: 'x', n: 3 })).toEqual([]);
    expect(summaryDifferences({ a: 1.245e-4 }, { a: 1.235e-4 })).toHaveLength(1);
    expect(summaryDifferences({ a: 1 }, { a: 1, b: 2 })).toHaveLength(1);
    expect(summaryDifferences({ a: 1, c: 'new' }, { a: 1 })).toHaveLength(1);
    expect(summaryDifferences({ n: 3 }, { n: 4 })).toHaveLength(1);
    expect(summaryDifferences({ s: 'Infinity' }, { s: 'NaN' })).toHaveLength(1);
  });
});

describe('experiment goldens (quick preset, default seed)', () => {
  for (const e of builtinExperiments) {
    const name = e.id.replace(/\//g, '__');
    it(`${e.id} reproduces test/golden/${name}.json`, { timeout: 120_000 }, async () => {
      const resolved = resolveConfig(e, { preset: 'quick' });
      const r = await runExperiment(e, resolved, { version: 'golden' });
      expect(r.meta.status, r.meta.error).toBe('ok');
      const got: Record<string, SummaryValue> = {};
      for (const [k, v] of Object.entries(encodeSummary(r.summary))) got[k] = round4(v);
      const file = join(goldenDir, `${name}.json`), changed = join(goldenDir, `${name}-changed.json`);
      const text = `${JSON.stringify({ id: e.id, preset: 'quick', seed: resolved.seed, summary: got }, null, 2)}\n`;
      if (update) {
        writeFileSync(file, text);
        rmSync(changed, { force: true });
        return;
      }
      if (!existsSync(file)) {
        writeFileSync(changed, text);
        expect.fail(`${e.id}: no golden summary; wrote ${name}-changed.json (POLELAB_UPDATE_GOLDEN=1 creates the golden)`);
      }
      const golden = JSON.parse(readFileSync(file, 'utf8')) as { seed: number; summary: Record<string, SummaryValue> };
      expect(golden.seed, `${e.id}: golden seed`).toBe(resolved.seed);
      const diffs = summaryDifferences(r.summary, golden.summary);
      if (diffs.length > 0) writeFileSync(changed, text);
      else rmSync(changed, { force: true });
      expect(diffs, `${e.id} differs from its golden summary (wrote ${name}-changed.json)`).toEqual([]);
    });
  }
});
