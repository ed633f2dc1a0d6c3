import { describe, expect, it } from 'vitest';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, fromRows, mat } from '../core/types.js';
import { expectClose, expectNear } from '../../test/helpers.js';
import { mse, nmse, nrmse } from './metrics.js';

// Closed forms worked by hand; exact up to a few ulps (rtol 1e-15).
const EXACT = { rtol: 1e-15, atol: 0 };

describe('mse / nmse / nrmse', () => {
  const y = Float64Array.from([1, 2, 3, 4]), yhat = Float64Array.from([1, 3, 2, 4]);
  // e = (0, −1, 1, 0): Σe² = 2, MSE = 0.5; ȳ = 2.5, Σ(y − ȳ)² = 5 (var 1.25), Σy² = 30.

  it('vectors: MSE = 0.5, NMSE = 2/5, NRMSE = √(0.5/1.25), power-normalised NMSE = 2/30', () => {
    expectNear(mse(y, yhat), 0.5, EXACT);
    expectNear(nmse(y, yhat), 0.4, EXACT);
    expectNear(nrmse(y, yhat), Math.sqrt(0.5 / 1.25), EXACT);
    expectNear(nmse(y, yhat, { normalize: 'power' }), 2 / 30, EXACT);
    expect(mse(y, y)).toBe(0);
  });

  it('matrices pool over outputs; perOutput gives one value per column', () => {
    const Y = fromRows([[1, 10], [2, 10], [3, 13]]), Yh = fromRows([[1, 11], [1, 10], [3, 10]]);
    // column 0: e = (0, 1, 0), Σ(y−ȳ)² = 2; column 1: e = (−1, 0, 3), Σe² = 10, ȳ = 11, Σ(y−ȳ)² = 6.
    expectNear(mse(Y, Yh), 11 / 6, EXACT);
    expectClose(mse(Y, Yh, { perOutput: true }), [1 / 3, 10 / 3], EXACT, 'mse per output');
    expectNear(nmse(Y, Yh), 11 / 8, EXACT);
    expectClose(nmse(Y, Yh, { perOutput: true }), [0.5, 10 / 6], EXACT, 'nmse per output');
    expectClose(nrmse(Y, Yh, { perOutput: true }), [Math.sqrt(0.5), Math.sqrt(10 / 6)], EXACT, 'nrmse per output');
  });

  it('complex data use |·|² (equal to the stacked real/imaginary parts)', () => {
    const Y = cmat(2, 1, Float64Array.from([1, -1]), Float64Array.from([1, 1])), Yh = cmat(2, 1, Float64Array.from([0, -1]), Float64Array.from([1, 3]));
    // e = (1, −2i): Σ|e|² = 5, MSE = 2.5; ȳ = i, Σ|y − ȳ|² = 2; Σ|y|² = 4.
    expectNear(mse(Y, Yh), 2.5, EXACT);
    expectNear(nmse(Y, Yh), 2.5, EXACT);
    expectNear(nmse(Y, Yh, { normalize: 'power' }), 1.25, EXACT);
    expectNear(mse({ re: Y.re, im: Y.im }, { re: Yh.re, im: Yh.im }), 2.5, EXACT);
    // real vs complex with zero imaginary part agree
    expectNear(mse(mat(4, 1, y), cmat(4, 1, Float64Array.from(yhat), new Float64Array(4))), 0.5, EXACT);
  });

  it('rejects shape mismatches, constant targets and bad options', () => {
    expect(() => mse(y, new Float64Array(3))).toThrow(ShapeError);
    expect(() => nmse(new Float64Array([2, 2, 2]), new Float64Array([1, 2, 3]))).toThrow('nmse: y has zero variance: NMSE is undefined');
    expect(() => nmse(y, yhat, { normalize: 'std' as never })).toThrow(InputError);
    expect(() => mse(Float64Array.from([NaN]), Float64Array.from([1]))).toThrow(InputError);
  });
});
