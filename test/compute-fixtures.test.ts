// Replays the independent Python reference cases (test/fixtures/gen/compute_reference.py) through `polelab compute`.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { computeOps, runRequest } from '../src/compute/index.js';

interface Case {
  name: string;
  request: Record<string, unknown>;
  expected: Record<string, unknown>;
  tol: { rtol: number; atol: number };
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/compute-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Flattens a wire value (number, nested arrays, or {re, im}) into [re..., im...] numbers. */
function flatten(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.flatMap(flatten);
  if (v !== null && typeof v === 'object' && 're' in v && 'im' in v) {
    const o = v as { re: unknown; im: unknown };
    return [...flatten(o.re), ...flatten(o.im)];
  }
  throw new Error(`unexpected value ${JSON.stringify(v)}`);
}

/** Greedy nearest matching of two multisets of complex numbers; returns the largest matched distance. */
function multisetDistance(a: { re: number[]; im: number[] }, b: { re: number[]; im: number[] }): number {
  const used = new Set<number>();
  let worst = 0;
  for (let i = 0; i < a.re.length; i++) {
    let best = -1, bd = Infinity;
    for (let j = 0; j < b.re.length; j++) {
      if (used.has(j)) continue;
      const d = Math.hypot(a.re[i]! - b.re[j]!, a.im[i]! - b.im[j]!);
      if (d < bd) { bd = d; best = j; }
    }
    used.add(best);
    worst = Math.max(worst, bd);
  }
  return worst;
}

describe('compute API vs the independent Python reference (torch autograd, numpy/scipy, spec formulas)', () => {
  it('has a substantial fixture set', () => {
    expect(fixture.cases.length).toBeGreaterThan(60);
  });
  for (const c of fixture.cases) {
    it(c.name, () => {
      const { result, ok } = runRequest(computeOps, JSON.parse(JSON.stringify(c.request)));
      expect(ok, JSON.stringify(result)).toBe(true);
      const answer = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
      for (const [field, want] of Object.entries(c.expected)) {
        if (field === 'values_multiset') {
          const got = answer['values'] as { re: number[]; im: number[] };
          const w = want as { re: number[]; im: number[] };
          const scale = Math.max(1, ...w.re.map((r, i) => Math.hypot(r, w.im[i]!)));
          expect(got.re.length).toBe(w.re.length);
          expect(multisetDistance(got, w)).toBeLessThan(c.tol.atol + c.tol.rtol * scale);
          continue;
        }
        const g = flatten(answer[field]), e = flatten(want);
        expect(g.length, `${c.name}: ${field} length`).toBe(e.length);
        // Tolerances relative to the field's largest entry: the reference's own rounding is about eps·‖·‖.
        const scale = Math.max(...e.map(Math.abs));
        for (let i = 0; i < e.length; i++) {
          const bound = c.tol.atol + c.tol.rtol * Math.max(Math.abs(e[i]!), scale * 1e-3);
          if (!(Math.abs(g[i]! - e[i]!) <= bound)) {
            throw new Error(`${c.name}: ${field}[${i}] = ${g[i]}, reference ${e[i]}, |diff| ${Math.abs(g[i]! - e[i]!)} > ${bound}`);
          }
        }
      }
    });
  }
});
