// Tests of pinv(): the four Penrose identities, rank and cutoff, inverse of a regular matrix, complex and edge cases.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { cmat, fromRows, isCMat, mat, type AnyMat } from '../core/types.js';
import { randCMat, randMat, testRng } from '../../test/helpers.js';
import { adjoint, frobenius, matmul, maxAbsDiffMat } from './dense.js';
import { defaultRcond, pinv } from './pinv.js';

const EPS = 2 ** -52;

/** The four Penrose conditions as max-abs errors. */
function penrose(A: AnyMat, P: AnyMat): number[] {
  const AP = matmul(A, P), PA = matmul(P, A);
  return [maxAbsDiffMat(matmul(AP, A), A), maxAbsDiffMat(matmul(PA, P), P), maxAbsDiffMat(adjoint(AP), AP), maxAbsDiffMat(adjoint(PA), PA)];
}

describe('pinv', () => {
  it('real and complex, tall/wide/rank-deficient: A·A⁺·A = A, A⁺·A·A⁺ = A⁺, A·A⁺ and A⁺·A Hermitian', () => {
    // bound: c·max(m,n)·eps·κ-scaled norms with c = 10: ‖A‖_F·‖A⁺‖_F·‖A‖_F for the first, ‖A⁺‖²·‖A‖ for the second
    const rng = testRng(401);
    // 150×70 / 70×150: the reflectors of Q are applied in three 32-column blocks
    const cases: AnyMat[] = [randMat(rng, 9, 4), randMat(rng, 4, 9), randCMat(rng, 7, 5), randCMat(rng, 3, 6),
      randMat(rng, 150, 70), randMat(rng, 70, 150),
      matmul(randMat(rng, 8, 2), randMat(rng, 2, 6)), matmul(randCMat(rng, 5, 2), randCMat(rng, 2, 5))];
    for (const A of cases) {
      const { pinv: P, rank, cutoff } = pinv(A);
      expect(isCMat(P)).toBe(isCMat(A));
      expect([P.rows, P.cols]).toEqual([A.cols, A.rows]);
      const na = frobenius(A), np = frobenius(P), c = 10 * Math.max(A.rows, A.cols) * EPS;
      const [e1, e2, e3, e4] = penrose(A, P);
      expect(e1).toBeLessThanOrEqual(c * na * na * np);
      expect(e2).toBeLessThanOrEqual(c * np * np * na);
      expect(e3).toBeLessThanOrEqual(c * na * np);
      expect(e4).toBeLessThanOrEqual(c * na * np);
      expect(rank).toBeGreaterThan(0);
      expect(cutoff).toBeGreaterThan(0);
    }
  });

  it('numerical rank of a product of rank 2 is 2; cutoff = max(m,n)·eps·σ_max by default', () => {
    const rng = testRng(402);
    const A = matmul(randMat(rng, 8, 2), randMat(rng, 2, 6));
    const r = pinv(A);
    expect(r.rank).toBe(2);
    expect(defaultRcond(8, 6)).toBe(8 * EPS);
    const big = pinv(A, { rcond: 0.999999 });
    expect(big.rank).toBe(1);
    // both cutoffs scale the same σ_max: the ratio is the ratio of rconds up to rounding of the products
    expect(Math.abs((big.cutoff / r.cutoff) * ((8 * EPS) / 0.999999) - 1)).toBeLessThanOrEqual(4 * EPS);
  });

  it('square regular A: A⁺ is the inverse (A·A⁺ = I)', () => {
    const A = fromRows([[4, 1, 0], [1, 3, 1], [0, 1, 2]]);
    const { pinv: P, rank } = pinv(A);
    expect(rank).toBe(3);
    expect(maxAbsDiffMat(matmul(A, P), fromRows([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))).toBeLessThanOrEqual(50 * EPS);
  });

  it('zero and empty matrices: A⁺ = 0 with rank 0 and cutoff 0', () => {
    const z = pinv(cmat(3, 2));
    expect([z.rank, z.cutoff, frobenius(z.pinv)]).toEqual([0, 0, 0]);
    const e = pinv(mat(0, 4));
    expect([e.pinv.rows, e.pinv.cols, e.rank]).toEqual([4, 0, 0]);
  });

  it('bad rcond and NaN -> InputError', () => {
    expect(() => pinv(mat(2, 2), { rcond: 1 })).toThrow(/rcond = 1: must be a number in \[0, 1\)/);
    expect(() => pinv(mat(1, 2, Float64Array.of(0, NaN)))).toThrow(InputError);
  });
});
