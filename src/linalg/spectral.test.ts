// Tests of spectralRadius, condition2, eigvalsSorted and eighRange against closed forms and errors.
import { describe, expect, it } from 'vitest';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, fromRows, mat } from '../core/types.js';
import { randMat, testRng } from '../../test/helpers.js';
import { condition2, eighRange, eigvalsSorted, spectralRadius } from './spectral.js';
import { qr } from './qr.js';

const EPS = 2 ** -52;

describe('spectralRadius', () => {
  it('closed forms: scaled rotation, diagonal, nilpotent, complex diagonal, 0×0', () => {
    const th = 1.1;
    expect(spectralRadius(fromRows([[0.9 * Math.cos(th), -0.9 * Math.sin(th)], [0.9 * Math.sin(th), 0.9 * Math.cos(th)]]))).toBeCloseTo(0.9, 14);
    expect(spectralRadius(fromRows([[-3, 0], [0, 2]]))).toBe(3);
    expect(spectralRadius(fromRows([[0, 5], [0, 0]]))).toBe(0);
    expect(spectralRadius(cmat(2, 2, Float64Array.of(3, 0, 0, 1), Float64Array.of(4, 0, 0, 1)))).toBeCloseTo(5, 14);
    expect(spectralRadius(mat(0, 0))).toBe(0);
  });

  it('is invariant under similarity: ρ(Q·D·Qᵀ) = max|d| for orthogonal Q', () => {
    const Q = qr(randMat(testRng(501), 20, 20)).Q;
    const d = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 1 : -1) * (0.1 + 0.04 * i));
    const A = mat(20, 20);
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) {
      let s = 0;
      for (let k = 0; k < 20; k++) s += Q.data[i * 20 + k]! * d[k]! * Q.data[j * 20 + k]!;
      A.data[i * 20 + j] = s;
    }
    expect(Math.abs(spectralRadius(A) - 0.86)).toBeLessThanOrEqual(200 * EPS);
  });

  it('non-square -> ShapeError; NaN -> InputError', () => {
    expect(() => spectralRadius(mat(2, 3))).toThrow(ShapeError);
    expect(() => spectralRadius(mat(1, 1, Float64Array.of(NaN)))).toThrow(InputError);
  });
});

describe('condition2', () => {
  it('closed forms: diag(1, 1e-3) → 1e3, orthogonal → 1, singular → Infinity, wide matrices', () => {
    expect(condition2(fromRows([[1, 0], [0, 1e-3]]))).toBeCloseTo(1e3, 9);
    expect(Math.abs(condition2(qr(randMat(testRng(502), 10, 10)).Q) - 1)).toBeLessThanOrEqual(100 * EPS);
    expect(condition2(fromRows([[1, 2], [2, 4]]))).toBeGreaterThan(1e15);
    expect(condition2(fromRows([[1, 0], [0, 0]]))).toBe(Infinity);
    expect(condition2(mat(2, 3))).toBe(Infinity);
    const phi = (1 + Math.sqrt(5)) / 2;
    expect(condition2(fromRows([[1, 1], [0, 1]]))).toBeCloseTo(phi * phi, 13);
  });

  it('empty -> ShapeError', () => {
    expect(() => condition2(mat(0, 3))).toThrow(ShapeError);
  });
});

describe('eigvalsSorted and eighRange', () => {
  it('sorted by modulus or real part; symmetric range', () => {
    const A = fromRows([[1, 0, 0], [0, -4, 0], [0, 0, 2]]);
    expect(Array.from(eigvalsSorted(A).re)).toEqual([-4, 2, 1]);
    expect(Array.from(eigvalsSorted(A, 'real').re)).toEqual([2, 1, -4]);
    expect(eighRange(fromRows([[2, -1], [-1, 2]])).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, 3]);
    expect(() => eighRange(mat(0, 0))).toThrow(ShapeError);
    expect(() => eigvalsSorted(A, 'abs' as 'real')).toThrow(InputError);
  });
});
