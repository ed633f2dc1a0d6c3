// Tests of the QL kernel's sweep batches: both rotation directions against one rotation at a time, batch flushing,
// and the QL iteration with vectors against a closed form.
import { describe, expect, it } from 'vitest';
import { testRng } from '../../test/helpers.js';
import { SweepBatch, applySweepsRows, permuteColumns, tql, tqlSweeps, type SweepSink } from './tridiag.js';

const EPS = 2 ** -52;

/** Applies one rotation in the plane (i, i+1) to every row of z (zRows×n): the definition of a sweep entry. */
function rotate(z: Float64Array, zRows: number, n: number, i: number, c: number, s: number): void {
  for (let r = 0; r < zRows; r++) {
    const a = z[r * n + i]!, b = z[r * n + i + 1]!;
    z[r * n + i] = c * a - s * b;
    z[r * n + i + 1] = s * a + c * b;
  }
}

/** Random sweeps of both directions on planes of an n-column matrix: [first, last, cs, sn]. */
function randomSweeps(n: number, count: number, seed: number): Array<[number, number, Float64Array, Float64Array]> {
  const rng = testRng(seed), out: Array<[number, number, Float64Array, Float64Array]> = [];
  for (let t = 0; t < count; t++) {
    const a = Math.floor(rng.uniform() * (n - 1)), b = Math.floor(rng.uniform() * (n - 1));
    const cs = new Float64Array(n), sn = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const th = 2 * Math.PI * rng.uniform();
      cs[i] = Math.cos(th);
      sn[i] = Math.sin(th);
    }
    out.push([a, b, cs, sn]);
  }
  return out;
}

describe('sweep batches', () => {
  it('applySweepsRows equals rotation-by-rotation application, both directions, through several flushes', () => {
    // same operations in the same order per row: results agree to a few ulps of the row norms (chains of ≤ 40
    // rotations of unit vectors: bound 1e-13)
    for (const [zRows, n] of [[1, 2], [3, 7], [8, 40]] as const) {
      const rng = testRng(7 + zRows);
      const z0 = rng.fillNormal(new Float64Array(zRows * n));
      const want = z0.slice(), got = z0.slice();
      const sweeps = randomSweeps(n, 30, 11 * n);
      for (const [first, last, cs, sn] of sweeps) {
        if (first >= last) for (let i = first; i >= last; i--) rotate(want, zRows, n, i, cs[i]!, sn[i]!);
        else for (let i = first; i <= last; i++) rotate(want, zRows, n, i, cs[i]!, sn[i]!);
      }
      let flushes = 0;
      const batch = new SweepBatch(n, (buf, count) => { flushes++; applySweepsRows(got, zRows, n, buf, count); }, 3 * n);
      for (const [first, last, cs, sn] of sweeps) batch.sink(first, last, cs, sn);
      batch.flush();
      expect(flushes, `${zRows}×${n}: the small capacity forces several batches`).toBeGreaterThan(1);
      for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `${zRows}×${n} [${i}]`).toBeLessThanOrEqual(1e-13);
    }
  });

  it('tql with vectors: the batched rotations give T·S = S·Λ, SᵀS = I for tridiag(−1, 2, −1) (closed-form spectrum)', () => {
    const n = 60;
    const d = new Float64Array(n).fill(2), e = new Float64Array(n).fill(-1);
    const S = new Float64Array(n * n);
    for (let i = 0; i < n; i++) S[i * n + i] = 1;
    tql(n, d, e, [S], n, 'test');
    for (let k = 1; k <= n; k++) expect(Math.abs(d[k - 1]! - (2 - 2 * Math.cos((k * Math.PI) / (n + 1))))).toBeLessThanOrEqual(10 * n * EPS * 4);
    let res = 0, orth = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const ts = 2 * S[i * n + j]! - (i > 0 ? S[(i - 1) * n + j]! : 0) - (i + 1 < n ? S[(i + 1) * n + j]! : 0);
        res = Math.max(res, Math.abs(ts - d[j]! * S[i * n + j]!));
      }
      for (let k = 0; k < n; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += S[i * n + j]! * S[i * n + k]!;
        orth = Math.max(orth, Math.abs(dot - (j === k ? 1 : 0)));
      }
    }
    expect(res).toBeLessThanOrEqual(10 * n * EPS * 4);
    expect(orth).toBeLessThanOrEqual(10 * n * EPS);
  });

  it('tqlSweeps reports the sort permutation; permuteColumns applies it', () => {
    const d = Float64Array.of(3, 1, 2), e = new Float64Array(3);
    const sweeps: number[] = [];
    const sink: SweepSink = (first) => { sweeps.push(first); };
    const idx = tqlSweeps(3, d, e, 'test', sink);
    expect(sweeps).toEqual([]); // already diagonal: no rotation
    expect(Array.from(d)).toEqual([1, 2, 3]);
    expect(Array.from(idx!)).toEqual([1, 2, 0]);
    const z = Float64Array.of(10, 11, 12, 20, 21, 22);
    permuteColumns(z, 2, 3, idx!);
    expect(Array.from(z)).toEqual([11, 12, 10, 21, 22, 20]);
    expect(tqlSweeps(2, Float64Array.of(1, 2), new Float64Array(2), 'test', null)).toBeNull();
  });
});
