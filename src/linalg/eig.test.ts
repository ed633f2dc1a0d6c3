// Tests of eig(): residuals, closed forms, ml-matrix and eigh cross-checks, real embedding, degenerate and bad inputs.
import { describe, expect, it } from 'vitest';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, fromRows, isCMat, mat, toComplex, type AnyMat, type CMat, type CVec, type Mat } from '../core/types.js';
import { randCMat, randMat, testRng } from '../../test/helpers.js';
import { frobenius, realEmbedding } from './dense.js';
import { eig, sortEig, type EigResult } from './eig.js';
import { eigh } from './eigh.js';

const EPS = 2 ** -52;

/** max_j ‖A·v_j − λ_j·v_j‖ (complex arithmetic). */
function residual(a: AnyMat, values: CVec, V: CMat): number {
  const A = toComplex(a);
  const n = A.rows;
  let worst = 0;
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let i = 0; i < n; i++) {
      let sr = 0, si = 0;
      for (let k = 0; k < n; k++) {
        const ar = A.re[i * n + k]!, ai = A.im[i * n + k]!, vr = V.re[k * n + j]!, vi = V.im[k * n + j]!;
        sr += ar * vr - ai * vi;
        si += ar * vi + ai * vr;
      }
      const vr = V.re[i * n + j]!, vi = V.im[i * n + j]!;
      sr -= values.re[j]! * vr - values.im[j]! * vi;
      si -= values.re[j]! * vi + values.im[j]! * vr;
      ss += sr * sr + si * si;
    }
    worst = Math.max(worst, Math.sqrt(ss));
  }
  return worst;
}

function columnNorms(V: CMat): number[] {
  const n = V.rows;
  const out: number[] = [];
  for (let j = 0; j < V.cols; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += V.re[i * V.cols + j]! ** 2 + V.im[i * V.cols + j]! ** 2;
    out.push(Math.sqrt(s));
  }
  return out;
}

/** Greedy matching distance between two multisets of complex numbers (max over pairs). */
function setDistance(a: CVec, b: Array<[number, number]>): number {
  const used = new Array(b.length).fill(false);
  let worst = 0;
  for (let i = 0; i < a.re.length; i++) {
    let best = Infinity, bj = -1;
    for (let j = 0; j < b.length; j++) {
      if (used[j]) continue;
      const d = Math.hypot(a.re[i]! - b[j]![0], a.im[i]! - b[j]![1]);
      if (d < best) { best = d; bj = j; }
    }
    used[bj] = true;
    worst = Math.max(worst, best);
  }
  return worst;
}

function pairs(v: CVec): Array<[number, number]> {
  return Array.from(v.re, (r, i) => [r, v.im[i]!] as [number, number]);
}

describe('eig residuals', () => {
  // Backward stable: ‖A·v − λ·v‖ ≤ c·n·eps·‖A‖_F for unit v, c = 10.
  it('random real matrices: ‖A·v − λ·v‖ small, unit vectors, conjugate pairs adjacent', () => {
    const rng = testRng(101);
    for (const n of [1, 2, 3, 7, 30, 80]) {
      const A = randMat(rng, n, n);
      const r = eig(A, { vectors: true });
      expect(residual(A, r.values, r.vectors!), `n=${n}`).toBeLessThanOrEqual(10 * n * EPS * frobenius(A));
      for (const c of columnNorms(r.vectors!)) expect(Math.abs(c - 1)).toBeLessThanOrEqual(10 * n * EPS);
      for (let j = 0; j < n; j++) {
        if (r.values.im[j]! > 0) {
          expect(r.values.re[j + 1]).toBe(r.values.re[j]);
          expect(r.values.im[j + 1]).toBe(-r.values.im[j]!);
          j++;
        } else expect(r.values.im[j]).toBe(0);
      }
    }
  });

  it('random complex matrices: ‖A·v − λ·v‖ small, unit vectors', () => {
    const rng = testRng(102);
    for (const n of [1, 2, 3, 9, 40]) {
      const A = randCMat(rng, n, n);
      const r = eig(A, { vectors: true });
      expect(residual(A, r.values, r.vectors!), `n=${n}`).toBeLessThanOrEqual(10 * n * EPS * frobenius(A));
      for (const c of columnNorms(r.vectors!)) expect(Math.abs(c - 1)).toBeLessThanOrEqual(10 * n * EPS);
    }
  });

  it('values-only run gives the same values as the run with vectors (to rounding)', () => {
    const A = randMat(testRng(103), 25, 25);
    const v1 = eig(A, { vectors: false }).values, v2 = eig(A, { vectors: true }).values;
    expect(setDistance(v1, pairs(v2))).toBeLessThanOrEqual(100 * EPS * frobenius(A));
  });
});

describe('eig cross-checks and closed forms', () => {
  it('real eigenvalues agree with ml-matrix (JAMA) to 1e-10·‖A‖', () => {
    const rng = testRng(111);
    for (const n of [4, 12, 40]) {
      const A = randMat(rng, n, n);
      const ref = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.data.subarray(i * n, (i + 1) * n)))));
      const want = ref.realEigenvalues.map((x, i) => [x, ref.imaginaryEigenvalues[i]!] as [number, number]);
      expect(setDistance(eig(A, { vectors: false }).values, want)).toBeLessThanOrEqual(1e-10 * frobenius(A));
    }
  });

  it('on symmetric input the values equal eigh values (real, 1e-12·‖A‖)', () => {
    const rng = testRng(112);
    const n = 30;
    const B = randMat(rng, n, n);
    const S = mat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S.data[i * n + j] = B.data[i * n + j]! + B.data[j * n + i]!;
    const v = eig(S, { vectors: false }).values;
    const w = eigh(S, { vectors: false }).values;
    expect(setDistance(v, Array.from(w, (x) => [x, 0] as [number, number]))).toBeLessThanOrEqual(1e-12 * frobenius(S));
  });

  it('a rotation block has eigenvalues e^{±iθ}; scaled block-diagonal rotations give ρ·e^{±iθ}', () => {
    const th = 0.7, c = Math.cos(th), s = Math.sin(th);
    const v = eig(fromRows([[c, -s], [s, c]])).values;
    expect(setDistance(v, [[c, s], [c, -s]])).toBeLessThanOrEqual(4 * EPS);
    const R = fromRows([[0.9 * c, -0.9 * s, 0, 0], [0.9 * s, 0.9 * c, 0, 0], [0, 0, 0, -0.5], [0, 0, 0.5, 0]]);
    expect(setDistance(eig(R).values, [[0.9 * c, 0.9 * s], [0.9 * c, -0.9 * s], [0, 0.5], [0, -0.5]])).toBeLessThanOrEqual(8 * EPS);
  });

  it('companion matrix of (x−1)(x−2)(x−3)(x+4)(x²+1) returns its roots', () => {
    // p(x) = x^6 − 2x^5 − 12x^4 + 36x^3 − 37x^2 + 38x − 24 (expansion verified offline with numpy.poly)
    const coef = [-2, -12, 36, -37, 38, -24]; // x^6 + c1 x^5 + … + c6
    const n = 6;
    const C = mat(n, n);
    for (let j = 0; j < n; j++) C.data[j] = -coef[j]!;
    for (let i = 1; i < n; i++) C.data[i * n + i - 1] = 1;
    const want: Array<[number, number]> = [[1, 0], [2, 0], [3, 0], [-4, 0], [0, 1], [0, -1]];
    // simple roots of a degree-6 polynomial with coefficients up to 38: conditioning allows ~1e-12
    expect(setDistance(eig(C).values, want)).toBeLessThanOrEqual(1e-12);
  });

  it('complex eigenvalues λ and their conjugates are the eigenvalues of the real embedding', () => {
    const rng = testRng(113);
    const A = randCMat(rng, 10, 10);
    const v = eig(A, { vectors: false }).values;
    const both: Array<[number, number]> = [];
    for (let j = 0; j < 10; j++) { both.push([v.re[j]!, v.im[j]!]); both.push([v.re[j]!, -v.im[j]!]); }
    expect(setDistance(eig(realEmbedding(A), { vectors: false }).values, both)).toBeLessThanOrEqual(1e-11 * frobenius(A));
  });

  it('complex upper-triangular input returns its diagonal; Hermitian input returns real eigh values', () => {
    const T = cmat(3, 3, Float64Array.of(1, 5, -2, 0, 2, 7, 0, 0, -1), Float64Array.of(1, 3, 1, 0, -1, 2, 0, 0, 0.5));
    expect(setDistance(eig(T).values, [[1, 1], [2, -1], [-1, 0.5]])).toBeLessThanOrEqual(10 * EPS * frobenius(T));
    const rng = testRng(114);
    const B = randCMat(rng, 12, 12);
    const H = cmat(12, 12);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) {
      H.re[i * 12 + j] = B.re[i * 12 + j]! + B.re[j * 12 + i]!;
      H.im[i * 12 + j] = B.im[i * 12 + j]! - B.im[j * 12 + i]!;
    }
    const w = eigh(H, { vectors: false }).values;
    expect(setDistance(eig(H).values, Array.from(w, (x) => [x, 0] as [number, number]))).toBeLessThanOrEqual(1e-12 * frobenius(H));
  });

  it('badly scaled similarity D·B·D⁻¹ (D up to 1e8) keeps the eigenvalues of B (balancing)', () => {
    const rng = testRng(115);
    const n = 6;
    const B = randMat(rng, n, n);
    const d = [1, 1e8, 1e-8, 1e4, 1e-4, 1];
    const A = mat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.data[i * n + j] = (d[i]! * B.data[i * n + j]!) / d[j]!;
    expect(setDistance(eig(A).values, pairs(eig(B).values))).toBeLessThanOrEqual(1e-11 * frobenius(B));
    // complex: same similarity on a complex B (balancing uses |re| + |im|), vectors still give small residuals
    const C = randCMat(rng, n, n);
    const Cs = cmat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      Cs.re[i * n + j] = (d[i]! * C.re[i * n + j]!) / d[j]!;
      Cs.im[i * n + j] = (d[i]! * C.im[i * n + j]!) / d[j]!;
    }
    const rc = eig(Cs, { vectors: true });
    expect(setDistance(rc.values, pairs(eig(C).values))).toBeLessThanOrEqual(1e-11 * frobenius(C));
    expect(residual(Cs, rc.values, rc.vectors!)).toBeLessThanOrEqual(1e-11 * frobenius(Cs));
  });
});

describe('eig degenerate cases', () => {
  it('Jordan block [[1, 1], [0, 1]]: both values within √eps of 1; a 4×4 block within eps^{1/4}', () => {
    const v = eig(fromRows([[1, 1], [0, 1]]), { vectors: true });
    for (let j = 0; j < 2; j++) expect(Math.hypot(v.values.re[j]! - 1, v.values.im[j]!)).toBeLessThanOrEqual(Math.sqrt(EPS));
    const J = fromRows([[2, 1, 0, 0], [0, 2, 1, 0], [0, 0, 2, 1], [0, 0, 0, 2]]);
    const w = eig(J, { vectors: true });
    for (let j = 0; j < 4; j++) expect(Math.hypot(w.values.re[j]! - 2, w.values.im[j]!)).toBeLessThanOrEqual(4 * EPS ** 0.25);
    expect(residual(J, w.values, w.vectors!)).toBeLessThanOrEqual(40 * EPS * frobenius(J));
  });

  it('a randomly rotated Jordan block (not exactly triangular) still converges with small residual', () => {
    const rng = testRng(121);
    const n = 8;
    const J = mat(n, n);
    for (let i = 0; i < n; i++) { J.data[i * n + i] = 0.5; if (i + 1 < n) J.data[i * n + i + 1] = 1; }
    const Q = eigh(((): Mat => { const B = randMat(rng, n, n); for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) B.data[j * n + i] = B.data[i * n + j]!; return B; })(), { vectors: true }).vectors!;
    // A = Q·J·Qᵀ
    const A = mat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) s += Q.data[i * n + k]! * J.data[k * n + l]! * Q.data[j * n + l]!;
      A.data[i * n + j] = s;
    }
    const r = eig(A, { vectors: true });
    expect(residual(A, r.values, r.vectors!)).toBeLessThanOrEqual(10 * n * EPS * frobenius(A));
    for (let j = 0; j < n; j++) expect(Math.hypot(r.values.re[j]! - 0.5, r.values.im[j]!)).toBeLessThanOrEqual(2 * (n * EPS * frobenius(A)) ** (1 / n));
  });

  it('cyclic shift matrix (QR without exceptional shifts stalls on it) gives the 6th roots of unity', () => {
    const n = 6;
    const P = mat(n, n);
    for (let i = 0; i < n; i++) P.data[i * n + ((i + 1) % n)] = 1;
    const want = Array.from({ length: n }, (_, k) => [Math.cos((2 * Math.PI * k) / n), Math.sin((2 * Math.PI * k) / n)] as [number, number]);
    expect(setDistance(eig(P).values, want)).toBeLessThanOrEqual(1e-13);
    const Pc = toComplex(P);
    const r = eig(Pc, { vectors: true });
    expect(setDistance(r.values, want)).toBeLessThanOrEqual(1e-13);
    expect(residual(Pc, r.values, r.vectors!)).toBeLessThanOrEqual(1e-13);
  });

  it('zero, identity, 1×1 and 0×0 matrices', () => {
    for (const A of [mat(5, 5), cmat(4, 4)] as AnyMat[]) {
      const r = eig(A, { vectors: true });
      expect(Array.from(r.values.re).every((x) => x === 0) && Array.from(r.values.im).every((x) => x === 0)).toBe(true);
      for (const c of columnNorms(r.vectors!)) expect(Math.abs(c - 1)).toBeLessThanOrEqual(4 * EPS);
    }
    const I = mat(4, 4, Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1));
    const ri = eig(I, { vectors: true });
    expect(Array.from(ri.values.re)).toEqual([1, 1, 1, 1]);
    expect(residual(I, ri.values, ri.vectors!)).toBe(0);
    const one = eig(cmat(1, 1, Float64Array.of(-2), Float64Array.of(3)), { vectors: true });
    expect([one.values.re[0], one.values.im[0], one.vectors!.re[0], one.vectors!.im[0]]).toEqual([-2, 3, 1, 0]);
    const empty = eig(mat(0, 0), { vectors: true });
    expect(empty.values.re.length).toBe(0);
    expect(empty.vectors!.rows).toBe(0);
  });
});

describe('sortEig', () => {
  it('orders by modulus (or real part) descending and permutes vectors with their values', () => {
    const A = randMat(testRng(131), 9, 9);
    const r = eig(A, { vectors: true });
    const s = sortEig(r);
    const mods = Array.from(s.values.re, (x, i) => Math.hypot(x, s.values.im[i]!));
    for (let i = 1; i < 9; i++) expect(mods[i]!).toBeLessThanOrEqual(mods[i - 1]!);
    expect(residual(A, s.values, s.vectors!)).toBeLessThanOrEqual(90 * EPS * frobenius(A));
    const byRe = sortEig(r, 'real').values.re;
    for (let i = 1; i < 9; i++) expect(byRe[i]!).toBeLessThanOrEqual(byRe[i - 1]!);
    expect(() => sortEig(r, 'size' as 'real')).toThrow(InputError);
    expect(() => sortEig({} as EigResult)).toThrow(/must be an eig result/);
    expect(() => sortEig({ values: r.values, vectors: cmat(2, 2) })).toThrow(ShapeError);
  });
});

describe('eig input validation', () => {
  it('non-square -> ShapeError; NaN -> InputError; ragged -> ShapeError; bad vectors option -> InputError', () => {
    expect(() => eig(mat(2, 3))).toThrow(ShapeError);
    expect(() => eig(mat(2, 3))).toThrow(/A is 2×3: must be square/);
    expect(() => eig(mat(2, 2, Float64Array.of(1, 2, NaN, 4)))).toThrow(InputError);
    expect(() => eig({ rows: 2, cols: 2, re: new Float64Array(4), im: new Float64Array(3) })).toThrow(ShapeError);
    expect(() => eig(mat(1, 1), { vectors: 1 as unknown as boolean })).toThrow(/vectors = 1/);
    expect(isCMat(eig(mat(1, 1, Float64Array.of(3)), { vectors: true }).vectors!)).toBe(true);
  });
});
