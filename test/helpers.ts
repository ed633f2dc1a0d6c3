// Shared test helpers: closeness checks with stated tolerances, seeded random matrices.
import { expect } from 'vitest';
import { createRng, type Rng } from '../src/core/rng.js';
import { mat, cmat, type Mat, type CMat } from '../src/core/types.js';

/** Tolerance pair: |a - e| <= atol + rtol * |e| elementwise. */
export interface Tol {
  readonly rtol: number;
  readonly atol: number;
}

/**
 * Asserts |actual[i] - expected[i]| <= atol + rtol·|expected[i]| for every i; a failure names the index,
 * both values and the bound.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, label = 'value'): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    const bound = tol.atol + tol.rtol * Math.abs(e);
    if (!(Math.abs(a - e) <= bound) && !(Number.isNaN(a) && Number.isNaN(e)) && a !== e) {
      throw new Error(`${label}[${i}]: actual ${a}, expected ${e}, |diff| ${Math.abs(a - e)} > bound ${bound} (rtol ${tol.rtol}, atol ${tol.atol})`);
    }
  }
}

/** Scalar version of expectClose. */
export function expectNear(actual: number, expected: number, tol: Tol, label = 'value'): void {
  expectClose([actual], [expected], tol, label);
}

/** Max |a_i - b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Max |a_i|. */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Seeded generator for tests. */
export function testRng(seed = 12345): Rng {
  return createRng(seed);
}

/** Random real matrix with N(0, scale²) entries. */
export function randMat(rng: Rng, rows: number, cols: number, scale = 1): Mat {
  return mat(rows, cols, rng.fillNormal(new Float64Array(rows * cols), scale));
}

/** Random complex matrix with CN(0, scale²) entries. */
export function randCMat(rng: Rng, rows: number, cols: number, scale = 1): CMat {
  const m = cmat(rows, cols);
  rng.fillComplexNormal(m.re, m.im, scale * scale);
  return m;
}
