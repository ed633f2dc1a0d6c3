// Tests of eigh(): residuals and orthogonality, closed forms, Hilbert, ml-matrix and embedding cross-checks, errors.
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, isCMat, mat, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { randCMat, randMat, testRng } from '../../test/helpers.js';
import { adjoint, frobenius, matmul, maxAbsDiffMat, realEmbedding } from './dense.js';
import { eigh } from './eigh.js';

const EPS = 2 ** -52;

function symmetric(B: Mat): Mat {
  const n = B.rows, S = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S.data[i * n + j] = (B.data[i * n + j]! + B.data[j * n + i]!) / 2;
  return S;
}

function hermitian(B: CMat): CMat {
  const n = B.rows, H = cmat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    H.re[i * n + j] = (B.re[i * n + j]! + B.re[j * n + i]!) / 2;
    H.im[i * n + j] = (B.im[i * n + j]! - B.im[j * n + i]!) / 2;
  }
  return H;
}

/** [max|A·V − V·Λ|, max|VᴴV − I|]. */
function errors(A: AnyMat, values: Float64Array, V: AnyMat): [number, number] {
  const n = A.rows;
  const L = mat(n, n);
  for (let i = 0; i < n; i++) L.data[i * n + i] = values[i]!;
  const I = mat(n, n);
  for (let i = 0; i < n; i++) I.data[i * n + i] = 1;
  return [maxAbsDiffMat(matmul(A, V), matmul(V, L)), maxAbsDiffMat(matmul(adjoint(V), V), I)];
}

describe('eigh identities', () => {
  // Backward stable: ‖A·V − V·Λ‖_max ≤ c·n·eps·‖A‖_F and ‖VᴴV − I‖_max ≤ c·n·eps with c = 10.
  it('real symmetric: A·V = V·Λ, VᵀV = I, ascending values', () => {
    const rng = testRng(201);
    for (const n of [1, 2, 3, 5, 40, 120]) {
      const A = symmetric(randMat(rng, n, n));
      const r = eigh(A, { vectors: true });
      const [res, orth] = errors(A, r.values, r.vectors!);
      expect(res, `n=${n}`).toBeLessThanOrEqual(10 * n * EPS * frobenius(A));
      expect(orth, `n=${n}`).toBeLessThanOrEqual(10 * n * EPS);
      for (let i = 1; i < n; i++) expect(r.values[i]!).toBeGreaterThanOrEqual(r.values[i - 1]!);
    }
  });

  it('complex Hermitian: A·V = V·Λ, VᴴV = I', () => {
    const rng = testRng(202);
    for (const n of [1, 2, 4, 30, 90]) {
      const A = hermitian(randCMat(rng, n, n));
      const r = eigh(A, { vectors: true });
      expect(isCMat(r.vectors!)).toBe(true);
      const [res, orth] = errors(A, r.values, r.vectors!);
      expect(res, `n=${n}`).toBeLessThanOrEqual(10 * n * EPS * frobenius(A));
      expect(orth, `n=${n}`).toBeLessThanOrEqual(10 * n * EPS);
    }
  });

  it('values only are bit-identical to the values of the full decomposition', () => {
    const A = symmetric(randMat(testRng(203), 50, 50));
    expect(Array.from(eigh(A, { vectors: false }).values)).toEqual(Array.from(eigh(A, { vectors: true }).values));
    expect(eigh(A, { vectors: false }).vectors).toBeUndefined();
  });

  it('reads only the lower triangle (upper triangle garbage and diagonal imaginary parts are ignored)', () => {
    const rng = testRng(204);
    const A = symmetric(randMat(rng, 12, 12));
    const G = mat(12, 12, Float64Array.from(A.data));
    for (let i = 0; i < 12; i++) for (let j = i + 1; j < 12; j++) G.data[i * 12 + j] = 1e3 * (i - j);
    expect(Array.from(eigh(G).values)).toEqual(Array.from(eigh(A).values));
    const H = hermitian(randCMat(rng, 7, 7));
    const Hg = cmat(7, 7, Float64Array.from(H.re), Float64Array.from(H.im));
    for (let i = 0; i < 7; i++) { Hg.im[i * 7 + i] = 5; for (let j = i + 1; j < 7; j++) Hg.re[i * 7 + j] = -9; }
    expect(Array.from(eigh(Hg).values)).toEqual(Array.from(eigh(H).values));
  });
});

describe('eigh closed forms and cross-checks', () => {
  it('tridiag(−1, 2, −1) (n = 50) has eigenvalues 2 − 2·cos(kπ/(n+1))', () => {
    const n = 50;
    const A = mat(n, n);
    for (let i = 0; i < n; i++) {
      A.data[i * n + i] = 2;
      if (i > 0) { A.data[i * n + i - 1] = -1; A.data[(i - 1) * n + i] = -1; }
    }
    const v = eigh(A, { vectors: false }).values;
    for (let k = 1; k <= n; k++) expect(Math.abs(v[k - 1]! - (2 - 2 * Math.cos((k * Math.PI) / (n + 1))))).toBeLessThanOrEqual(10 * n * EPS * 4);
  });

  it('Hilbert 10×10: eigenvalues match 40-digit values to 10·n·eps·‖H‖ absolute; residuals tiny', () => {
    const n = 10;
    const H = mat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H.data[i * n + j] = 1 / (i + j + 1);
    // mpmath eigsy(hilbert(10)) at 40 digits (computed offline)
    const exact = [1.0931538193796658e-13, 2.2667467477629255e-11, 2.1474388173504786e-9, 1.228967738751175e-7,
      4.7296892931823475e-6, 0.00012874961427637708, 0.0025308907686700381, 0.035741816271639236,
      0.3429295484835091, 1.7519196702651775];
    const r = eigh(H, { vectors: true });
    for (let i = 0; i < n; i++) expect(Math.abs(r.values[i]! - exact[i]!), `λ_${i}`).toBeLessThanOrEqual(10 * n * EPS * 1.752);
    const [res, orth] = errors(H, r.values, r.vectors!);
    expect(res).toBeLessThanOrEqual(10 * n * EPS * frobenius(H));
    expect(orth).toBeLessThanOrEqual(10 * n * EPS);
  });

  it('agrees with ml-matrix (JAMA tred2/tql2) to 1e-12·‖A‖', () => {
    const rng = testRng(211);
    for (const n of [6, 33, 100]) {
      const A = symmetric(randMat(rng, n, n));
      const ref = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.data.subarray(i * n, (i + 1) * n)))), { assumeSymmetric: true });
      const want = [...ref.realEigenvalues].sort((a, b) => a - b);
      const v = eigh(A, { vectors: false }).values;
      for (let i = 0; i < n; i++) expect(Math.abs(v[i]! - want[i]!)).toBeLessThanOrEqual(1e-12 * frobenius(A));
    }
  });

  it('complex Hermitian eigenvalues appear twice in the real embedding [[Re, −Im], [Im, Re]]', () => {
    const H = hermitian(randCMat(testRng(212), 15, 15));
    const v = eigh(H, { vectors: false }).values;
    const w = eigh(realEmbedding(H), { vectors: false }).values;
    for (let i = 0; i < 15; i++) {
      expect(Math.abs(w[2 * i]! - v[i]!)).toBeLessThanOrEqual(100 * EPS * frobenius(H));
      expect(Math.abs(w[2 * i + 1]! - v[i]!)).toBeLessThanOrEqual(100 * EPS * frobenius(H));
    }
  });
});

describe('eigh degenerate cases', () => {
  it('repeated eigenvalues Q·diag(1,1,1,2,2)·Qᵀ: values exact to 10·n·eps, vectors still orthonormal', () => {
    const rng = testRng(221);
    const Q = eigh(symmetric(randMat(rng, 5, 5)), { vectors: true }).vectors!;
    const d = [1, 1, 1, 2, 2];
    const A = mat(5, 5);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
      let s = 0;
      for (let k = 0; k < 5; k++) s += Q.data[i * 5 + k]! * d[k]! * Q.data[j * 5 + k]!;
      A.data[i * 5 + j] = s;
    }
    const r = eigh(A, { vectors: true });
    for (let i = 0; i < 5; i++) expect(Math.abs(r.values[i]! - d[i]!)).toBeLessThanOrEqual(50 * EPS * 2);
    const [res, orth] = errors(A, r.values, r.vectors!);
    expect(res).toBeLessThanOrEqual(50 * EPS * frobenius(A));
    expect(orth).toBeLessThanOrEqual(50 * EPS);
  });

  it('zero, 1×1, 0×0 and extreme scaling (1e±300)', () => {
    const z = eigh(mat(4, 4), { vectors: true });
    expect(Array.from(z.values)).toEqual([0, 0, 0, 0]);
    expect(errors(mat(4, 4), z.values, z.vectors!)).toEqual([0, 0]);
    const one = eigh(cmat(1, 1, Float64Array.of(-3), Float64Array.of(0)));
    expect(Array.from(one.values)).toEqual([-3]);
    expect(eigh(mat(0, 0)).values.length).toBe(0);
    const A = symmetric(randMat(testRng(222), 8, 8));
    const v = eigh(A, { vectors: false }).values;
    for (const f of [1e300, 1e-300]) {
      const w = eigh(mat(8, 8, A.data.map((x) => x * f)), { vectors: false }).values;
      for (let i = 0; i < 8; i++) expect(Math.abs(w[i]! / f - v[i]!)).toBeLessThanOrEqual(80 * EPS * frobenius(A));
    }
  });
});

describe('eigh input validation', () => {
  it('non-square -> ShapeError, NaN -> InputError, bad option -> InputError', () => {
    expect(() => eigh(mat(3, 2))).toThrow(ShapeError);
    expect(() => eigh(mat(2, 2, Float64Array.of(1, Infinity, 0, 1)))).toThrow(InputError);
    expect(() => eigh({ rows: 3, cols: 3, data: new Float64Array(8) })).toThrow(/has length 8: expected rows·cols = 9/);
    expect(() => eigh(mat(2, 2), 'fast' as unknown as { vectors: boolean })).toThrow(/opts = "fast"/);
  });
});
