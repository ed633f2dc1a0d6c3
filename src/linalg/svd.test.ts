// Tests of svd(): factor identities, ml-matrix cross-checks, complex vs real embedding, degenerate and bad inputs.
import { describe, expect, it } from 'vitest';
import { Matrix, SVD } from 'ml-matrix';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, fromRows, isCMat, mat, type AnyMat, type Mat } from '../core/types.js';
import { randCMat, randMat, testRng } from '../../test/helpers.js';
import { adjoint, frobenius, matmul, maxAbsDiffMat, realEmbedding, transpose } from './dense.js';
import { svd } from './svd.js';

const EPS = 2 ** -52;

function eyeLike(a: AnyMat, n: number): AnyMat {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return isCMat(a) ? cmat(n, n, d, new Float64Array(n * n)) : mat(n, n, d);
}

/** max|A − U·diag(s)·Vᴴ|, max|UᴴU − I|, max|Vᴴ·V − I|. */
function svdErrors(a: AnyMat, r: ReturnType<typeof svd>): [number, number, number] {
  const k = r.s.length;
  const S = mat(k, k);
  for (let i = 0; i < k; i++) S.data[i * k + i] = r.s[i]!;
  const rec = matmul(matmul(r.U!, S), r.Vt!);
  return [
    maxAbsDiffMat(rec, a),
    maxAbsDiffMat(matmul(adjoint(r.U!), r.U!), eyeLike(a, k)),
    maxAbsDiffMat(matmul(r.Vt!, adjoint(r.Vt!)), eyeLike(a, k)),
  ];
}

function toML(a: Mat): Matrix {
  return new Matrix(Array.from({ length: a.rows }, (_, i) => Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols))));
}

const shapes: Array<[number, number]> = [[1, 1], [1, 5], [5, 1], [7, 4], [4, 7], [12, 12], [60, 5], [5, 60], [40, 33]];

describe('svd identities', () => {
  // Backward stability: reconstruction within c·max(m,n)·eps·‖A‖_F and orthonormality within c·max(m,n)·eps, c = 10.
  it('real: A = U·diag(s)·Vᵀ, UᵀU = I, VᵀV = I, s descending ≥ 0', () => {
    const rng = testRng(11);
    for (const [m, n] of shapes) {
      const A = randMat(rng, m, n);
      const r = svd(A, { vectors: true });
      const [rec, uo, vo] = svdErrors(A, r);
      const c = 10 * Math.max(m, n) * EPS;
      expect(rec, `${m}×${n} reconstruction`).toBeLessThanOrEqual(c * frobenius(A));
      expect(uo, `${m}×${n} UᵀU`).toBeLessThanOrEqual(c);
      expect(vo, `${m}×${n} VVᵀ`).toBeLessThanOrEqual(c);
      expect(r.U!.rows).toBe(m);
      expect(r.Vt!.cols).toBe(n);
      for (let i = 1; i < r.s.length; i++) expect(r.s[i]!).toBeLessThanOrEqual(r.s[i - 1]!);
      expect(r.s[r.s.length - 1]!).toBeGreaterThanOrEqual(0);
    }
  });

  it('complex: A = U·diag(s)·Vᴴ with unitary factors', () => {
    const rng = testRng(12);
    for (const [m, n] of shapes) {
      const A = randCMat(rng, m, n);
      const r = svd(A, { vectors: true });
      expect(isCMat(r.U!) && isCMat(r.Vt!)).toBe(true);
      const [rec, uo, vo] = svdErrors(A, r);
      const c = 10 * Math.max(m, n) * EPS;
      expect(rec, `${m}×${n} reconstruction`).toBeLessThanOrEqual(c * frobenius(A));
      expect(uo).toBeLessThanOrEqual(c);
      expect(vo).toBeLessThanOrEqual(c);
    }
  });

  it('values-only path (Golub–Kahan bidiagonal + TGK) agrees with the Jacobi values of the full decomposition', () => {
    // two different backward-stable algorithms: |Δσ| ≤ 10·max(m,n)·eps·σ_max
    const rng = testRng(13);
    const cases: AnyMat[] = [randMat(rng, 30, 9), randCMat(rng, 8, 13), randMat(rng, 45, 45), randCMat(rng, 50, 40),
      fromRows([[1, 0, 2], [3, 0, 4], [5, 0, 6], [7, 0, 8]])];
    for (const A of cases) {
      const s1 = svd(A, { vectors: false }).s, s2 = svd(A, { vectors: true }).s;
      const tol = 10 * Math.max(A.rows, A.cols) * EPS * s2[0]!;
      for (let i = 0; i < s1.length; i++) expect(Math.abs(s1[i]! - s2[i]!), `${A.rows}×${A.cols} σ_${i}`).toBeLessThanOrEqual(tol);
    }
    expect(svd(cases[0]!, { vectors: false }).U).toBeUndefined();
  });
});

describe('svd cross-checks', () => {
  it('real singular values agree with ml-matrix to 1e-12·σ_max', () => {
    // two independent backward-stable algorithms: both within ~n·eps·σ_max of the truth
    const rng = testRng(21);
    for (const [m, n] of [[9, 6], [6, 9], [25, 25], [100, 20]] as const) {
      const A = randMat(rng, m, n);
      const ref = new SVD(toML(A), { autoTranspose: true }).diagonal;
      const s = svd(A, { vectors: false }).s;
      for (let i = 0; i < s.length; i++) expect(Math.abs(s[i]! - ref[i]!), `σ_${i}`).toBeLessThanOrEqual(1e-12 * s[0]!);
    }
  });

  it('complex singular values appear twice in the real embedding [[Re, −Im], [Im, Re]]', () => {
    const rng = testRng(22);
    for (const [m, n] of [[6, 4], [4, 6], [10, 10]] as const) {
      const C = randCMat(rng, m, n);
      const s = svd(C, { vectors: false }).s;
      const se = svd(realEmbedding(C), { vectors: false }).s;
      for (let i = 0; i < s.length; i++) {
        expect(Math.abs(se[2 * i]! - s[i]!)).toBeLessThanOrEqual(50 * EPS * s[0]!);
        expect(Math.abs(se[2 * i + 1]! - s[i]!)).toBeLessThanOrEqual(50 * EPS * s[0]!);
      }
    }
  });

  it('wide and tall agree: svd(Aᵀ).s = svd(A).s', () => {
    const A = randMat(testRng(23), 17, 6);
    const s1 = svd(A, { vectors: false }).s, s2 = svd(transpose(A), { vectors: false }).s;
    for (let i = 0; i < s1.length; i++) expect(Math.abs(s1[i]! - s2[i]!)).toBeLessThanOrEqual(20 * EPS * s1[0]!);
  });

  it('closed forms: [[1, 1], [0, 1]] has σ = φ, 1/φ; a permuted diagonal has its |entries| sorted', () => {
    const phi = (1 + Math.sqrt(5)) / 2;
    const s = svd(fromRows([[1, 1], [0, 1]])).s;
    expect(Math.abs(s[0]! - phi)).toBeLessThanOrEqual(4 * EPS * phi);
    expect(Math.abs(s[1]! - 1 / phi)).toBeLessThanOrEqual(4 * EPS * phi);
    const D = fromRows([[0, 0, -3, 0], [0.5, 0, 0, 0], [0, 0, 0, 7], [0, 2, 0, 0]]);
    expect(Array.from(svd(D, { vectors: true }).s)).toEqual([7, 3, 2, 0.5]); // exact: rotations never fire on orthogonal columns
  });
});

describe('svd degenerate cases', () => {
  it('structurally rank-deficient input gives exact zero singular values and still orthonormal factors', () => {
    const A = fromRows([[1, 0, 2], [3, 0, 4], [5, 0, 6], [7, 0, 8]]); // zero column
    const r = svd(A, { vectors: true });
    expect(r.s[2]).toBe(0);
    const [rec, uo, vo] = svdErrors(A, r);
    expect(rec).toBeLessThanOrEqual(10 * 4 * EPS * frobenius(A));
    expect(uo).toBeLessThanOrEqual(40 * EPS);
    expect(vo).toBeLessThanOrEqual(40 * EPS);
  });

  it('numerically rank-1 outer product: trailing σ ≤ 10·eps·σ_max, identities hold', () => {
    const rng = testRng(31);
    const u = randMat(rng, 8, 1), v = randMat(rng, 1, 5);
    const A = matmul(u, v);
    const r = svd(A, { vectors: true });
    for (let i = 1; i < 5; i++) expect(r.s[i]!).toBeLessThanOrEqual(10 * EPS * r.s[0]!);
    const [rec, uo, vo] = svdErrors(A, r);
    expect(rec).toBeLessThanOrEqual(80 * EPS * frobenius(A));
    expect(uo).toBeLessThanOrEqual(80 * EPS);
    expect(vo).toBeLessThanOrEqual(80 * EPS);
  });

  it('zero matrix: s = 0, U and Vᴴ orthonormal (identity columns)', () => {
    for (const A of [mat(4, 3), cmat(2, 5)] as AnyMat[]) {
      const r = svd(A, { vectors: true });
      expect(Array.from(r.s)).toEqual(new Array(r.s.length).fill(0));
      const [rec, uo, vo] = svdErrors(A, r);
      expect([rec, uo, vo]).toEqual([0, 0, 0]);
    }
  });

  it('empty shapes give k = 0 with correctly shaped factors; 1×1 is |a| with a unit phase', () => {
    for (const [m, n] of [[0, 0], [0, 3], [3, 0]] as const) {
      const r = svd(mat(m, n), { vectors: true });
      expect(r.s.length).toBe(0);
      expect([r.U!.rows, r.U!.cols, r.Vt!.rows, r.Vt!.cols]).toEqual([m, 0, 0, n]);
    }
    const r = svd(cmat(1, 1, Float64Array.of(3), Float64Array.of(-4)), { vectors: true });
    expect(r.s[0]).toBeCloseTo(5, 14);
    const [rec] = svdErrors(cmat(1, 1, Float64Array.of(3), Float64Array.of(-4)), r);
    expect(rec).toBeLessThanOrEqual(4 * EPS * 5);
  });

  it('extreme scaling: no overflow or underflow at 1e±300', () => {
    const A = randMat(testRng(32), 6, 4);
    const s = svd(A, { vectors: false }).s;
    for (const f of [1e300, 1e-300]) {
      const B = mat(6, 4, A.data.map((x) => x * f));
      const sb = svd(B, { vectors: false }).s;
      for (let i = 0; i < 4; i++) expect(Math.abs(sb[i]! / f - s[i]!)).toBeLessThanOrEqual(20 * EPS * s[0]!);
    }
  });
});

describe('svd input validation', () => {
  it('NaN or Infinity entries -> InputError naming the entry', () => {
    const A = mat(2, 2, Float64Array.of(1, NaN, 0, 1));
    expect(() => svd(A)).toThrow(InputError);
    expect(() => svd(A)).toThrow(/A\.data\[1\] \(row 0, col 1\) = NaN/);
    expect(() => svd(cmat(1, 2, Float64Array.of(1, 2), Float64Array.of(0, Infinity)))).toThrow(/entries must be finite/);
  });

  it('ragged storage -> ShapeError; non-matrix and bad options -> InputError', () => {
    expect(() => svd({ rows: 2, cols: 3, data: new Float64Array(5) })).toThrow(ShapeError);
    expect(() => svd({ rows: -1, cols: 3, data: new Float64Array(0) })).toThrow(ShapeError);
    expect(() => svd(null as unknown as Mat)).toThrow(InputError);
    expect(() => svd(mat(2, 2), { vectors: 'yes' as unknown as boolean })).toThrow(/vectors = "yes": must be true or false/);
  });
});
