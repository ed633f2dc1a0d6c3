// Tests of the existing Cholesky factorisation and SPD solves (real and complex) against identities.
import { describe, expect, it } from 'vitest';
import { NumericalError, ShapeError } from '../core/errors.js';
import { cmat, fromRows, mat, type CMat, type Mat } from '../core/types.js';
import { randCMat, randMat, testRng } from '../../test/helpers.js';
import { cholesky, choleskySolve } from './cholesky.js';
import { adjoint, axpby, frobenius, matmul, maxAbsDiffMat } from './dense.js';
import { jsBackend, wasmBackend } from '../backend/index.js';

const EPS = 2 ** -52;

function spd(B: Mat): Mat {
  const n = B.rows;
  const A = matmul(adjoint(B), B);
  for (let i = 0; i < n; i++) A.data[i * n + i]! += n;
  return A;
}

function hpd(B: CMat): CMat {
  const n = B.rows;
  const A = matmul(adjoint(B), B) as CMat;
  for (let i = 0; i < n; i++) A.re[i * n + i]! += n;
  return A;
}

describe('cholesky', () => {
  it('real SPD: L lower triangular, L·Lᵀ = A to 10·n·eps·‖A‖_F; solve residual small', () => {
    const rng = testRng(701);
    for (const n of [1, 4, 30]) {
      const A = spd(randMat(rng, n, n));
      // the blocked factor runs on the wasm backend (n ≥ 128); the js backend keeps the unblocked reference loop
      const L = cholesky(A, { backend: wasmBackend() ?? jsBackend });
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L.data[i * n + j]).toBe(0);
      expect(maxAbsDiffMat(matmul(L, adjoint(L)), A)).toBeLessThanOrEqual(10 * n * EPS * frobenius(A));
      const B = randMat(rng, n, 3);
      const X = choleskySolve(A, B);
      // well conditioned by construction (diagonal shift n): residual ≤ 10·n·eps·‖A‖·‖X‖
      expect(frobenius(axpby(matmul(A, X), B, 1, -1))).toBeLessThanOrEqual(10 * n * EPS * frobenius(A) * frobenius(X));
    }
  });

  it('complex HPD: L·Lᴴ = A, real positive diagonal, solve residual small', () => {
    const rng = testRng(702);
    const n = 12;
    const A = hpd(randCMat(rng, n, n));
    const L = cholesky(A);
    for (let i = 0; i < n; i++) { expect(L.im[i * n + i]).toBe(0); expect(L.re[i * n + i]!).toBeGreaterThan(0); }
    expect(maxAbsDiffMat(matmul(L, adjoint(L)), A)).toBeLessThanOrEqual(10 * n * EPS * frobenius(A));
    const B = randCMat(rng, n, 2);
    const X = choleskySolve(A, B);
    expect(frobenius(axpby(matmul(A, X), B, 1, -1))).toBeLessThanOrEqual(10 * n * EPS * frobenius(A) * frobenius(X));
  });

  it('blocked path (n ≥ 128 on the wasm backend): L·Lᴴ = A and equals the unblocked factor of the js backend', () => {
    // n = 200 crosses three block columns of 64 and ends on a partial one. The Cholesky factor is unique and A is
    // well conditioned (κ < 10 by the shift n), so both orders of summation agree to ~n·eps relative: check 1e-12.
    const rng = testRng(703), n = 200;
    for (const complex of [false, true]) {
      const A = complex ? hpd(randCMat(rng, n, n)) : spd(randMat(rng, n, n));
      const L = cholesky(A);
      const lr = 're' in L ? L.re : L.data, li = 're' in L ? L.im : new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) { expect(lr[i * n + j]).toBe(0); expect(li[i * n + j]).toBe(0); }
        expect(li[i * n + i]).toBe(0);
      }
      expect(maxAbsDiffMat(matmul(L, adjoint(L)), A)).toBeLessThanOrEqual(10 * n * EPS * frobenius(A));
      const ref = cholesky(A, { backend: jsBackend });
      expect(maxAbsDiffMat(L, ref)).toBeLessThanOrEqual(1e-12 * frobenius(ref));
    }
    // an indefinite matrix fails at the same pivot, in the second block column
    const B = spd(randMat(rng, 150, 150));
    B.data[100 * 150 + 100] = -1e6;
    expect(() => cholesky(B, { backend: wasmBackend() ?? jsBackend })).toThrow(/pivot 100 = /);
  });

  it('closed form: [[4, 2], [2, 5]] = L·Lᵀ with L = [[2, 0], [1, 2]]', () => {
    expect(Array.from(cholesky(fromRows([[4, 2], [2, 5]])).data)).toEqual([2, 0, 1, 2]);
  });

  it('not positive definite -> NumericalError naming the pivot; non-square -> ShapeError', () => {
    expect(() => cholesky(fromRows([[1, 2], [2, 1]]))).toThrow(NumericalError);
    expect(() => cholesky(fromRows([[1, 2], [2, 1]]))).toThrow(/pivot 1/);
    expect(() => cholesky(cmat(2, 2))).toThrow(NumericalError);
    expect(() => cholesky(mat(2, 3))).toThrow(ShapeError);
    expect(() => choleskySolve(fromRows([[1]]), mat(2, 1))).toThrow(ShapeError);
  });
});
