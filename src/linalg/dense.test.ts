// Tests of the existing dense operations against direct loops and algebraic identities.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../core/errors.js';
import { cmat, fromRows, mat, type CMat, type Mat } from '../core/types.js';
import { randCMat, randMat, testRng } from '../../test/helpers.js';
import { adjoint, axpby, cmatvec, frobenius, gemmOp, matmul, matvec, maxAbsDiffMat, realEmbedding, transpose } from './dense.js';

function loopMul(a: Mat, b: Mat): Mat {
  const c = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < b.cols; j++) {
    let s = 0;
    for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k]! * b.data[k * b.cols + j]!;
    c.data[i * b.cols + j] = s;
  }
  return c;
}

describe('dense', () => {
  it('matmul and gemmOp transposes agree with a direct loop (rtol 1e-12)', () => {
    const rng = testRng(801);
    const A = randMat(rng, 5, 7), B = randMat(rng, 7, 3);
    const ref = loopMul(A, B);
    const tol = 1e-12 * frobenius(ref);
    expect(maxAbsDiffMat(matmul(A, B), ref)).toBeLessThanOrEqual(tol);
    expect(maxAbsDiffMat(gemmOp(transpose(A), 'T', B, 'N'), ref)).toBeLessThanOrEqual(tol);
    expect(maxAbsDiffMat(gemmOp(A, 'N', transpose(B), 'T'), ref)).toBeLessThanOrEqual(tol);
    const x = rng.fillNormal(new Float64Array(7));
    expect(maxAbsDiffMat(mat(5, 1, matvec(A, x)), loopMul(A, mat(7, 1, x)))).toBeLessThanOrEqual(tol);
  });

  it('complex products agree with the real embedding; adjoint conjugates; cmatvec matches matmul', () => {
    const rng = testRng(802);
    const A = randCMat(rng, 4, 6), B = randCMat(rng, 6, 3);
    const C = matmul(A, B) as CMat;
    const E = matmul(realEmbedding(A), realEmbedding(B));
    expect(maxAbsDiffMat(realEmbedding(C), E)).toBeLessThanOrEqual(1e-12 * frobenius(E));
    const AH = adjoint(A);
    expect(AH.re[2 * 4 + 1]).toBe(A.re[1 * 6 + 2]);
    expect(AH.im[2 * 4 + 1]).toBe(-A.im[1 * 6 + 2]!);
    const xr = rng.fillNormal(new Float64Array(6)), xi = rng.fillNormal(new Float64Array(6));
    const y = cmatvec(A, { re: xr, im: xi });
    const ref = matmul(A, cmat(6, 1, xr, xi)) as CMat;
    expect(maxAbsDiffMat(cmat(4, 1, y.re, y.im), ref)).toBeLessThanOrEqual(1e-12 * frobenius(ref));
    expect(maxAbsDiffMat(gemmOp(A, 'C', A, 'N'), matmul(AH, A))).toBeLessThanOrEqual(1e-12 * frobenius(A) ** 2);
  });

  it('axpby, frobenius closed forms and shape errors', () => {
    expect(frobenius(fromRows([[3, 4]]))).toBe(5);
    expect(Array.from((axpby(fromRows([[1, 2]]), fromRows([[3, 4]]), 2, -1) as Mat).data)).toEqual([-1, 0]);
    expect(() => matmul(mat(2, 3), mat(2, 3))).toThrow(ShapeError);
    expect(() => matvec(mat(2, 3), new Float64Array(2))).toThrow(ShapeError);
    expect(() => axpby(mat(1, 2), mat(2, 1))).toThrow(ShapeError);
  });
});
