// Tests of qr() and lstsq(): factor identities, optimality conditions, SVD and embedding cross-checks, errors.
import { describe, expect, it } from 'vitest';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, fromRows, isCMat, mat, toComplex, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { randCMat, randMat, testRng } from '../../test/helpers.js';
import { adjoint, axpby, frobenius, matmul, maxAbsDiffMat, realEmbedding } from './dense.js';
import { pinv } from './pinv.js';
import { lstsq, qr } from './qr.js';

const EPS = 2 ** -52;

function eye(n: number, complex: boolean): AnyMat {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return complex ? cmat(n, n, d, new Float64Array(n * n)) : mat(n, n, d);
}

function maxAbs(x: AnyMat): number {
  return isCMat(x) ? Math.max(...Array.from(x.re, (r, i) => Math.hypot(r, x.im[i]!)), 0) : Math.max(...Array.from(x.data, Math.abs), 0);
}

describe('qr', () => {
  // Householder QR is backward stable: ‖QR − A‖ ≤ c·m·eps·‖A‖_F, ‖QᴴQ − I‖ ≤ c·m·eps, c = 10.
  // 90×70 and 70×90 span three 32-reflector blocks of the blocked (compact WY) path
  const shapes: Array<[number, number]> = [[1, 1], [6, 3], [3, 6], [10, 10], [50, 8], [1, 4], [4, 1], [90, 70], [70, 90]];
  it('real: Q·R = A, QᵀQ = I, R exactly upper triangular, thin shapes', () => {
    const rng = testRng(301);
    for (const [m, n] of shapes) {
      const A = randMat(rng, m, n);
      const { Q, R } = qr(A);
      const k = Math.min(m, n);
      expect([Q.rows, Q.cols, R.rows, R.cols]).toEqual([m, k, k, n]);
      expect(maxAbsDiffMat(matmul(Q, R), A)).toBeLessThanOrEqual(10 * m * EPS * frobenius(A));
      expect(maxAbsDiffMat(matmul(adjoint(Q), Q), eye(k, false))).toBeLessThanOrEqual(10 * m * EPS);
      for (let i = 0; i < k; i++) for (let j = 0; j < Math.min(i, n); j++) expect(R.data[i * n + j]).toBe(0);
    }
  });

  it('complex: Q·R = A, QᴴQ = I, real diagonal of R', () => {
    const rng = testRng(302);
    for (const [m, n] of shapes) {
      const A = randCMat(rng, m, n);
      const { Q, R } = qr(A);
      const k = Math.min(m, n);
      expect(maxAbsDiffMat(matmul(Q, R), A)).toBeLessThanOrEqual(10 * m * EPS * frobenius(A));
      expect(maxAbsDiffMat(matmul(adjoint(Q), Q), eye(k, true))).toBeLessThanOrEqual(10 * m * EPS);
      for (let i = 0; i < k; i++) expect(R.im[i * n + i]).toBe(0);
    }
  });

  it('rank-deficient and zero input still factor exactly (Q orthonormal)', () => {
    const A = fromRows([[1, 2, 0], [2, 4, 0], [3, 6, 0], [4, 8, 0]]);
    const { Q, R } = qr(A);
    expect(maxAbsDiffMat(matmul(Q, R), A)).toBeLessThanOrEqual(40 * EPS * frobenius(A));
    expect(maxAbsDiffMat(matmul(adjoint(Q), Q), eye(3, false))).toBeLessThanOrEqual(40 * EPS);
    const Z = qr(mat(3, 2));
    expect(maxAbsDiffMat(Z.Q, fromRows([[1, 0], [0, 1], [0, 0]]))).toBe(0);
    expect(qr(mat(0, 3)).R.rows).toBe(0);
  });

  it('NaN -> InputError; ragged -> ShapeError', () => {
    expect(() => qr(mat(2, 1, Float64Array.of(1, NaN)))).toThrow(InputError);
    expect(() => qr({ rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(ShapeError);
  });
});

describe('lstsq', () => {
  it('consistent tall system B = A·X₀ is solved exactly (to κ·eps) on the QR path with rank n', () => {
    const rng = testRng(311);
    // 200×70 spans three 32-reflector blocks, so Qᵀ·B runs the blocked code in forward block order
    for (const [m, n] of [[40, 6], [200, 70]] as const) {
      const A = randMat(rng, m, n), X0 = randMat(rng, n, 3);
      const r = lstsq(A, matmul(A, X0));
      expect(r.rank).toBe(n);
      expect(maxAbsDiffMat(r.x, X0)).toBeLessThanOrEqual(1e-12 * frobenius(X0));
    }
  });

  it('inconsistent tall system: residual orthogonal to range(A) (normal equations hold) and equals the pinv solution', () => {
    const rng = testRng(312);
    for (const complex of [false, true]) {
      const A = complex ? randCMat(rng, 30, 5) : randMat(rng, 30, 5);
      const B = complex ? randCMat(rng, 30, 2) : randMat(rng, 30, 2);
      const { x } = lstsq(A, B);
      const resid = axpby(matmul(A, x), B, 1, -1);
      // ‖Aᴴ·r‖ ≤ c·m·eps·‖A‖·(‖A‖·‖x‖ + ‖B‖), c = 10
      const bound = 10 * 30 * EPS * frobenius(A) * (frobenius(A) * frobenius(x) + frobenius(B));
      expect(maxAbs(matmul(adjoint(A), resid))).toBeLessThanOrEqual(bound);
      expect(maxAbsDiffMat(x, matmul(pinv(A).pinv, B))).toBeLessThanOrEqual(1e-12 * frobenius(x));
    }
  });

  it('rank-deficient tall A (duplicated column) falls back to the minimum-norm SVD solution', () => {
    const rng = testRng(313);
    const C = randMat(rng, 20, 3);
    const A = mat(20, 4);
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 3; j++) A.data[i * 4 + j] = C.data[i * 3 + j]!;
      A.data[i * 4 + 3] = C.data[i * 3]!; // column 3 = column 0
    }
    const B = randMat(rng, 20, 1);
    const r = lstsq(A, B);
    expect(r.rank).toBe(3);
    // minimum norm: x ⟂ null(A) = span(e0 − e3)  ⇒  x0 = x3
    expect(Math.abs(r.x.data[0]! - r.x.data[3]!)).toBeLessThanOrEqual(1e-12 * frobenius(r.x));
    expect(maxAbsDiffMat(r.x, matmul(pinv(A).pinv, B))).toBeLessThanOrEqual(1e-12 * frobenius(r.x));
  });

  it('wide A: the minimum-norm exact solution A·x = b, x in range(Aᴴ)', () => {
    const rng = testRng(314);
    const A = randMat(rng, 3, 8), b = randMat(rng, 3, 1);
    const r = lstsq(A, b);
    expect(r.rank).toBe(3);
    expect(maxAbsDiffMat(matmul(A, r.x), b)).toBeLessThanOrEqual(1e-13 * frobenius(b) * 10);
    // x = Aᵀ·y with y = (A·Aᵀ)⁻¹·b: solve via lstsq on the tall Aᵀ (an independent route: QR of Aᵀ)
    const y = lstsq(matmul(A, adjoint(A)), b).x;
    expect(maxAbsDiffMat(r.x, matmul(adjoint(A), y))).toBeLessThanOrEqual(1e-12 * frobenius(r.x));
  });

  it('complex least squares equals the real embedded problem [Re A, −Im A; Im A, Re A]·[Re x; Im x] = [Re b; Im b]', () => {
    const rng = testRng(315);
    const A = randCMat(rng, 12, 4), b = randCMat(rng, 12, 1);
    const x = lstsq(A, b).x as CMat;
    const be = mat(24, 1, Float64Array.from([...b.re, ...b.im]));
    const xe = lstsq(realEmbedding(A), be).x as Mat;
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(x.re[i]! - xe.data[i]!)).toBeLessThanOrEqual(1e-12 * frobenius(x));
      expect(Math.abs(x.im[i]! - xe.data[4 + i]!)).toBeLessThanOrEqual(1e-12 * frobenius(x));
    }
  });

  it('real A with complex B is solved in complex arithmetic like the complex A', () => {
    const rng = testRng(316);
    const A = randMat(rng, 15, 4), B = randCMat(rng, 15, 2);
    const x1 = lstsq(A, B).x, x2 = lstsq(toComplex(A), B).x;
    expect(isCMat(x1)).toBe(true);
    expect(maxAbsDiffMat(x1, x2)).toBeLessThanOrEqual(1e-13 * frobenius(x2));
  });

  it('rcond raises the cutoff: a nearly singular direction is dropped', () => {
    const A = fromRows([[1, 0], [0, 1e-9], [0, 0]]);
    const b = fromRows([[1], [1], [1]]);
    expect(lstsq(A, b).rank).toBe(2);
    const r = lstsq(A, b, { rcond: 1e-6 });
    expect(r.rank).toBe(1);
    expect(Array.from(r.x.data)).toEqual([1, 0]);
  });

  it('empty shapes, mismatched rows and bad rcond', () => {
    expect(lstsq(mat(0, 3), mat(0, 2)).x.rows).toBe(3);
    expect(lstsq(mat(3, 0), mat(3, 2)).rank).toBe(0);
    expect(() => lstsq(mat(3, 2), mat(4, 1))).toThrow(ShapeError);
    expect(() => lstsq(mat(3, 2), mat(4, 1))).toThrow(/B must have 3 rows/);
    expect(() => lstsq(mat(3, 2), mat(3, 1), { rcond: -1 })).toThrow(/rcond = -1: must be a number in \[0, 1\)/);
    expect(() => lstsq(mat(3, 2), mat(3, 1, Float64Array.of(1, NaN, 0)))).toThrow(InputError);
  });
});
