// Tests of the matrix constructors: layout, sharing of the given storage, and errors that name the argument.
import { describe, expect, it } from 'vitest';
import { ShapeError, InputError } from './errors.js';
import { cmat, fromRows, mat, sliceRows, toComplex, toRows } from './types.js';

describe('matrix constructors', () => {
  it('mat uses the given storage row-major; fromRows/toRows round-trip; sliceRows copies rows', () => {
    const d = Float64Array.of(1, 2, 3, 4, 5, 6);
    const m = mat(2, 3, d);
    expect(m.data).toBe(d);
    expect(toRows(m)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(toRows(fromRows([[1, 2, 3], [4, 5, 6]]))).toEqual([[1, 2, 3], [4, 5, 6]]);
    const s = sliceRows(m, 1, 2);
    expect(toRows(s)).toEqual([[4, 5, 6]]);
    s.data[0] = 99;
    expect(d[3]).toBe(4);
    const c = sliceRows(toComplex(m), 0, 1);
    expect(Array.from(c.re)).toEqual([1, 2, 3]);
    expect(Array.from(c.im)).toEqual([0, 0, 0]);
  });

  it('shape and type errors are ShapeError/InputError naming the function and the sizes', () => {
    expect(() => mat(2, 2, new Float64Array(3))).toThrow(new ShapeError('data', 'mat: data has length 3, expected rows*cols = 4'));
    expect(() => mat(1, 1, [0.5] as unknown as Float64Array)).toThrow(InputError);
    expect(() => mat(1, 1, [0.5] as unknown as Float64Array)).toThrow(/mat: data must be a Float64Array, got a plain array/);
    expect(() => mat(-1, 2)).toThrow(/mat: rows × cols = -1 × 2: must be integers >= 0/);
    expect(() => mat(1.5, 2)).toThrow(ShapeError);
    expect(() => cmat(1, 2, new Float64Array(2), new Float64Array(3))).toThrow(ShapeError);
    expect(() => cmat(1, 1, Float64Array.of(1), [0] as unknown as Float64Array)).toThrow(/cmat: im must be a Float64Array/);
    expect(() => fromRows([[1, 2], [3]])).toThrow(new ShapeError('rows', 'fromRows: row 1 has length 1, expected 2'));
    expect(() => sliceRows(mat(2, 1), 1, 3)).toThrow(ShapeError);
    expect(() => sliceRows(mat(2, 1), 0.5, 1)).toThrow(/sliceRows: rows \[0.5, 1\) are not inside \[0, 2\]/);
  });
});
