import { describe, expect, it } from 'vitest';
import { InputError, NumericalError } from '../core/errors.js';
import { cmat, mat, type CMat, type Mat } from '../core/types.js';
import { expectClose, randCMat, randMat, testRng } from '../../test/helpers.js';
import { complexLms, lms, runLms } from './lms.js';

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i]! - b[i]!) ** 2; den += b[i]! ** 2; }
  return Math.sqrt(num / den);
}

/** Noise-free targets Y = H Wᵀ (real). */
function targets(H: Mat, W: Mat): Mat {
  const Y = mat(H.rows, W.rows);
  for (let t = 0; t < H.rows; t++) for (let o = 0; o < W.rows; o++) {
    let s = 0;
    for (let j = 0; j < H.cols; j++) s += W.data[o * H.cols + j]! * H.data[t * H.cols + j]!;
    Y.data[t * W.rows + o] = s;
  }
  return Y;
}

function ctargets(H: CMat, W: CMat): CMat {
  const n = H.cols, o = W.rows, Y = cmat(H.rows, o);
  for (let t = 0; t < H.rows; t++) for (let r = 0; r < o; r++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const a = W.re[r * n + j]!, b = W.im[r * n + j]!, c = H.re[t * n + j]!, d = H.im[t * n + j]!;
      sr += a * c - b * d; si += a * d + b * c;
    }
    Y.re[t * o + r] = sr; Y.im[t * o + r] = si;
  }
  return Y;
}

describe('LMS', () => {
  it('one step from W_0 = 0 is W_1 = μ y hᵀ (LMS) and μ y hᵀ/(ε + ‖h‖²) (NLMS)', () => {
    const h = new Float64Array([1, -2, 0.5]), y = new Float64Array([3, -1]);
    const s = lms.init(3, 2, { mu: 0.1 });
    expect(Array.from(lms.update(s, h, y))).toEqual([0, 0]);
    expectClose(lms.weights(s).data, [0.3, -0.6, 0.15, -0.1, 0.2, -0.05], { rtol: 1e-15, atol: 0 }, 'LMS W_1');
    const sn = lms.init(3, 2, { mu: 0.5, normalized: true, eps: 0.75 });
    lms.update(sn, h, y);
    const g = 0.5 / (0.75 + 5.25);
    expectClose(lms.weights(sn).data, [3 * g, -6 * g, 1.5 * g, -g, 2 * g, -0.5 * g], { rtol: 1e-15, atol: 0 }, 'NLMS W_1');
  });

  it('complex one step is W_1 = μ y hᴴ', () => {
    const s = complexLms.init(2, 1, { mu: 0.2 });
    // h = (1 + i, 2 − i), y = 1 − 2i: y·conj(h) = ((1−2i)(1−i), (1−2i)(2+i)) = (−1 − 3i, 4 − 3i).
    complexLms.update(s, { re: new Float64Array([1, 2]), im: new Float64Array([1, -1]) }, { re: new Float64Array([1]), im: new Float64Array([-2]) });
    const w = complexLms.weights(s);
    expectClose(w.re, [-0.2, 0.8], { rtol: 1e-15, atol: 1e-16 }, 'Re W_1');
    expectClose(w.im, [-0.6, -0.6], { rtol: 1e-15, atol: 1e-16 }, 'Im W_1');
  });

  it('converges on a stationary noise-free problem (LMS and NLMS, real and complex)', () => {
    // White inputs: E[hhᵀ] = I, so the mean error contracts by (1 − μ) per step; μ = 0.02 over 3000 steps gives
    // e^{−60} in the mean; the misadjustment is zero without noise. Check 1e-8 relative.
    const rng = testRng(500);
    const H = randMat(rng, 3000, 5), W = randMat(rng, 2, 5);
    const Y = targets(H, W);
    expect(relErr(runLms(H, Y, { mu: 0.02 }).Wout.data, W.data)).toBeLessThan(1e-8);
    expect(relErr(runLms(H, Y, { mu: 0.5, normalized: true }).Wout.data, W.data)).toBeLessThan(1e-8);
    const Hc = randCMat(rng, 3000, 4), Wc = randCMat(rng, 2, 4);
    const Yc = ctargets(Hc, Wc);
    for (const opts of [{ mu: 0.02 }, { mu: 0.5, normalized: true }]) {
      const got = runLms(Hc, Yc, opts).Wout as CMat;
      expect(relErr([...got.re, ...got.im], [...Wc.re, ...Wc.im])).toBeLessThan(1e-8);
    }
  });

  it('online update reproduces runLms exactly', () => {
    const rng = testRng(501);
    const H = randMat(rng, 40, 3), Y = randMat(rng, 40, 2);
    const run = runLms(H, Y, { mu: 0.05, normalized: true });
    const s = lms.init(3, 2, { mu: 0.05, normalized: true });
    const out = new Float64Array(2);
    for (let t = 0; t < 40; t++) {
      lms.update(s, H.data.subarray(t * 3, t * 3 + 3), Y.data.subarray(t * 2, t * 2 + 2), out);
      expect(Array.from(out)).toEqual(Array.from(run.predictions.data.subarray(t * 2, t * 2 + 2)));
    }
    expect(lms.weights(s).data).toEqual(run.Wout.data);
  });

  it('reports divergence and bad options', () => {
    const rng = testRng(502);
    const H = randMat(rng, 500, 5, 3), Y = randMat(rng, 500, 1);
    expect(() => runLms(H, Y, { mu: 5 })).toThrow(NumericalError);
    expect(() => runLms(H, Y, { mu: 5 })).toThrow(/lms: diverged at step \d+ .* mu = 5/);
    expect(() => lms.init(3, 1, { mu: -1 })).toThrow('lms: mu = -1: must be a finite number > 0');
    expect(() => lms.init(3, 1, undefined as unknown as { mu: number })).toThrow(InputError);
  });
});
