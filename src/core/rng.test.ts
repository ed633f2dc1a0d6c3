import { describe, it, expect } from 'vitest';
import { createRng, restoreRng, Rng } from './rng.js';
import { InputError } from './errors.js';

describe('Rng (xoshiro256**)', () => {
  it('matches the reference C implementation bit for bit', () => {
    // Fixture: outputs of the authors' xoshiro256starstar.c from state {0x0123456789abcdef, 0xfedcba9876543210,
    // 0x0f1e2d3c4b5a6978, 0x8796a5b4c3d2e1f0}, as (x >> 11) * 2^-53 doubles.
    const r = new Rng(1n, 'fixture');
    r.setState(new Uint32Array([0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210, 0x0f1e2d3c, 0x4b5a6978, 0x8796a5b4, 0xc3d2e1f0]), null);
    const expected = [0.40000000000000002, 0.847750865051903, 0.19373819670579706, 0.35268603415444766, 0.37293455585376833, 0.3288988153218394];
    for (const e of expected) expect(r.uniform()).toBe(e);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const xa = Array.from({ length: 10 }, () => a.uniform());
    const xb = Array.from({ length: 10 }, () => b.uniform());
    const xc = Array.from({ length: 10 }, () => c.uniform());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
  });

  it('child streams depend only on (key, label), not on consumption order', () => {
    const a = createRng(3);
    const w1 = a.child('W').uniform();
    a.uniform(); a.normal();
    const w2 = a.child('W').uniform();
    expect(w2).toBe(w1);
    expect(createRng(3).child('U').uniform()).not.toBe(w1);
    expect(createRng(3).child('W').child('x').path).toBe('3/W/x');
  });

  it('snapshots resume exactly, including the cached normal deviate', () => {
    const r = createRng(99);
    r.normal(); // leaves a spare
    const snap = JSON.parse(JSON.stringify(r.snapshot()));
    const next = [r.normal(), r.uniform(), r.normal()];
    const q = restoreRng(snap);
    expect([q.normal(), q.uniform(), q.normal()]).toEqual(next);
  });

  it('produces normal deviates with mean 0 and variance 1 (Monte Carlo, 5 sigma)', () => {
    const r = createRng(1);
    const n = 200_000;
    let s = 0, s2 = 0, s4 = 0;
    for (let i = 0; i < n; i++) { const x = r.normal(); s += x; s2 += x * x; s4 += x ** 4; }
    const mean = s / n, v = s2 / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    // Var of the sample variance of N(0,1) is 2/n.
    expect(Math.abs(v - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('uniform deviates pass a chi-square test on 100 bins', () => {
    const r = createRng(2);
    const bins = new Float64Array(100), n = 100_000;
    for (let i = 0; i < n; i++) bins[Math.floor(r.uniform() * 100)]!++;
    let chi2 = 0;
    for (const b of bins) chi2 += (b - n / 100) ** 2 / (n / 100);
    // chi2 with 99 dof: mean 99, sd 14; 99 + 5 sd bound.
    expect(chi2).toBeLessThan(99 + 5 * 14);
  });

  it('complex normal has E|z|^2 = variance with independent parts', () => {
    const r = createRng(5), n = 100_000;
    const re = new Float64Array(n), im = new Float64Array(n);
    r.fillComplexNormal(re, im, 2);
    let p = 0, c = 0;
    for (let i = 0; i < n; i++) { p += re[i]! ** 2 + im[i]! ** 2; c += re[i]! * im[i]!; }
    expect(Math.abs(p / n - 2)).toBeLessThan(5 * 2 / Math.sqrt(n));
    expect(Math.abs(c / n)).toBeLessThan(5 * 1 / Math.sqrt(n));
  });

  it('rejects bad seeds with a clear message', () => {
    expect(() => createRng(-1)).toThrow(InputError);
    expect(() => createRng(1.5)).toThrow(/seed = 1.5: must be an integer in \[0, 2\^53-1\]/);
  });
});
