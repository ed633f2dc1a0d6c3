// Tests of the bidiagonal QR SVD: factor identities, a closed form, relative accuracy on graded matrices, signs, zeros.
import { describe, expect, it } from 'vitest';
import { testRng } from '../../test/helpers.js';
import { bdsqr } from './bdsqr.js';
import { SweepBatch, applySweepsRows, permuteColumns } from './tridiag.js';

const EPS = 2 ** -52;

/** Runs bdsqr with Ū, V̄ accumulated from I; returns σ, Ū, V̄ (n×n row-major, columns). */
function bidiagSvd(d0: ArrayLike<number>, e0: ArrayLike<number>): { s: Float64Array; U: Float64Array; V: Float64Array } {
  const n = d0.length;
  const d = Float64Array.from(d0), e = Float64Array.from({ length: Math.max(n, 1) }, (_, i) => (i < n - 1 ? e0[i]! : 0));
  const U = new Float64Array(n * n), V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) { U[i * n + i] = 1; V[i * n + i] = 1; }
  const bu = new SweepBatch(n, (buf, count) => applySweepsRows(U, n, n, buf, count));
  const bv = new SweepBatch(n, (buf, count) => applySweepsRows(V, n, n, buf, count));
  const { perm, negate } = bdsqr(n, d, e, bu.sink, bv.sink, 'test');
  bu.flush();
  bv.flush();
  if (negate !== null) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (negate[j] === 1) V[i * n + j] = -V[i * n + j]!;
  if (perm !== null) { permuteColumns(U, n, n, perm); permuteColumns(V, n, n, perm); }
  return { s: d, U, V };
}

/** [max|B − Ū·Σ·V̄ᵀ|, max|ŪᵀŪ − I|, max|V̄ᵀV̄ − I|] for the bidiagonal (d, e). */
function identities(d: ArrayLike<number>, e: ArrayLike<number>, r: ReturnType<typeof bidiagSvd>): [number, number, number] {
  const n = d.length, { s, U, V } = r;
  let rec = 0, uo = 0, vo = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let x = 0, pu = 0, pv = 0;
    for (let k = 0; k < n; k++) {
      x += U[i * n + k]! * s[k]! * V[j * n + k]!;
      pu += U[k * n + i]! * U[k * n + j]!;
      pv += V[k * n + i]! * V[k * n + j]!;
    }
    const b = i === j ? d[i]! : j === i + 1 ? e[i]! : 0;
    rec = Math.max(rec, Math.abs(x - b));
    uo = Math.max(uo, Math.abs(pu - (i === j ? 1 : 0)));
    vo = Math.max(vo, Math.abs(pv - (i === j ? 1 : 0)));
  }
  return [rec, uo, vo];
}

describe('bdsqr', () => {
  it('random bidiagonals: B = Ū·Σ·V̄ᵀ, orthogonal factors, σ descending ≥ 0 (10·n·eps·‖B‖)', () => {
    const rng = testRng(41);
    for (const n of [1, 2, 3, 10, 33, 80]) {
      const d = rng.fillNormal(new Float64Array(n)), e = rng.fillNormal(new Float64Array(Math.max(n - 1, 0)));
      const r = bidiagSvd(d, e);
      const [rec, uo, vo] = identities(d, e, r);
      const norm = Math.max(...Array.from(d, Math.abs), ...Array.from(e, Math.abs));
      expect(rec, `n=${n}`).toBeLessThanOrEqual(10 * n * EPS * 2 * norm);
      expect(uo, `n=${n}`).toBeLessThanOrEqual(10 * n * EPS);
      expect(vo, `n=${n}`).toBeLessThanOrEqual(10 * n * EPS);
      for (let i = 1; i < n; i++) expect(r.s[i]!).toBeLessThanOrEqual(r.s[i - 1]!);
      expect(r.s[n - 1]!).toBeGreaterThanOrEqual(0);
    }
  });

  it('all-ones bidiagonal: σ_k = 2·cos(kπ/(2n+1)) (closed form) to 10·n·eps', () => {
    const n = 40;
    const r = bidiagSvd(new Float64Array(n).fill(1), new Float64Array(n - 1).fill(1));
    for (let k = 1; k <= n; k++) expect(Math.abs(r.s[k - 1]! - 2 * Math.cos((k * Math.PI) / (2 * n + 1)))).toBeLessThanOrEqual(10 * n * EPS * 2);
  });

  it('graded bidiagonal (entries from 1 to 1e-150): relative accuracy, Π σ = Π |d| and σ_min to 10·n·eps relative', () => {
    // Demmel–Kahan: every σ of a bidiagonal is determined to high relative accuracy by the entries, so
    // |det B| = Π|d_i| = Π σ_i must hold to about n·eps relative even though σ spans 150 decades
    const n = 12, d = new Float64Array(n), e = new Float64Array(n - 1);
    const rng = testRng(42);
    for (let i = 0; i < n; i++) d[i] = (1 + rng.uniform()) * 10 ** (-13 * i);
    for (let i = 0; i < n - 1; i++) e[i] = (1 + rng.uniform()) * 10 ** (-13 * i - 6);
    const s = bidiagSvd(d, e).s;
    // Π (σ_i/|d_i|) = 1 exactly (|det B| = Π σ = Π |d|); each ratio is near 1, so the product carries n roundings
    let ratio = 1;
    for (let i = 0; i < n; i++) ratio *= s[i]! / Math.abs(d[i]!);
    expect(Math.abs(ratio - 1)).toBeLessThanOrEqual(10 * n * EPS);
    // for this strongly graded B, σ_i ≈ |d_i|·(1 + O(1e-12)): every singular value is accurate relatively
    for (let i = 0; i < n; i++) expect(Math.abs(s[i]! / Math.abs(d[i]!) - 1), `σ_${i}`).toBeLessThanOrEqual(1e-10);
  });

  it('negative entries and exact zeros: σ ≥ 0 with the signs moved into V̄, a zero diagonal gives σ_min ≈ 0', () => {
    const d = [3, -2, 0, 5, -1], e = [1, -4, 2, 0.5];
    const r = bidiagSvd(d, e);
    const [rec, uo, vo] = identities(d, e, r);
    expect(rec).toBeLessThanOrEqual(10 * 5 * EPS * 5);
    expect(Math.max(uo, vo)).toBeLessThanOrEqual(10 * 5 * EPS);
    expect(r.s[4]!).toBeLessThanOrEqual(10 * 5 * EPS * 5);
    const diag = bidiagSvd([-2, 7, 0.5], [0, 0]);
    expect(Array.from(diag.s)).toEqual([7, 2, 0.5]); // diagonal input: exact |d|, sorted
  });

  it('values without vectors are bit-identical to the values with vectors', () => {
    const rng = testRng(43);
    const d = rng.fillNormal(new Float64Array(30)), e = rng.fillNormal(new Float64Array(30));
    const a = d.slice(), b = e.slice();
    bdsqr(30, a, b, null, null, 'test');
    expect(Array.from(a)).toEqual(Array.from(bidiagSvd(d, e.subarray(0, 29)).s));
  });
});
