import { describe, expect, it } from 'vitest';
import { InputError, ShapeError } from '../core/errors.js';
import { mat, type CMat, type Mat } from '../core/types.js';
import { expectClose, randCMat, randMat, testRng } from '../../test/helpers.js';
import { fitRidge } from './ridge.js';
import { complexRls, rls, runRls } from './rls.js';

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i]! - b[i]!) ** 2; den += b[i]! ** 2; }
  return Math.sqrt(num / den);
}

describe('RLS', () => {
  it('with forgetting 1 and P0 = I/δ ends at the ridge solution with λ = δ (1e-8 relative)', () => {
    // Exact identity P_T⁻¹ = δI + HᵀH; the recursion's rounding grows mildly with κ(P) ≈ 1e2 and T = 400.
    const rng = testRng(400);
    const H = randMat(rng, 400, 8), Y = randMat(rng, 400, 2);
    for (const delta of [1e-2, 1, 30]) {
      const run = runRls(H, Y, { delta });
      const ridge = fitRidge(H, Y, { lambda: delta });
      expect(relErr(run.Wout.data, ridge.Wout.data)).toBeLessThan(1e-8);
    }
  });

  it('complex RLS ends at the complex ridge solution (1e-8 relative)', () => {
    const rng = testRng(401);
    const H = randCMat(rng, 300, 5), Y = randCMat(rng, 300, 2);
    const run = runRls(H, Y, { delta: 0.5 });
    const ridge = fitRidge(H, Y, { lambda: 0.5 });
    const a = run.Wout as CMat, b = ridge.Wout as CMat;
    expect(relErr([...a.re, ...a.im], [...b.re, ...b.im])).toBeLessThan(1e-8);
  });

  it('predictions are a-priori and the online API reproduces runRls exactly', () => {
    const rng = testRng(402);
    const H = randMat(rng, 50, 4), Y = randMat(rng, 50, 3);
    const run = runRls(H, Y, { forgetting: 0.97, delta: 0.1 });
    expect(Array.from(run.predictions.data.subarray(0, 3))).toEqual([0, 0, 0]); // W_0 = 0
    const s = rls.init(4, 3, { forgetting: 0.97, delta: 0.1 });
    const out = new Float64Array(3);
    for (let t = 0; t < 50; t++) {
      const p = rls.update(s, H.data.subarray(t * 4, t * 4 + 4), Y.data.subarray(t * 3, t * 3 + 3), out);
      expect(Array.from(p)).toEqual(Array.from(run.predictions.data.subarray(t * 3, t * 3 + 3)));
      // a-priori: the prediction used the weights before this update (checked at t = 1 by hand).
    }
    expect(rls.weights(s).data).toEqual(run.Wout.data);
    expect(s.steps).toBe(50);
    // By hand at t = 1: W_1 = e_1 k_1ᵀ with k_1 = P_0 h_1/(μ + h_1ᵀP_0h_1), P_0 = I/δ, e_1 = y_1.
    const h1 = H.data.subarray(0, 4), y1 = Y.data.subarray(0, 3);
    let hh = 0;
    for (const v of h1) hh += v * v;
    const k = Array.from(h1, (v) => (v / 0.1) / (0.97 + hh / 0.1));
    const pred2 = Array.from({ length: 3 }, (_, r) => y1[r]! * k.reduce((acc, kj, j) => acc + kj * H.data[4 + j]!, 0));
    expectClose(run.predictions.data.subarray(3, 6), pred2, { rtol: 1e-13, atol: 1e-15 }, 'ŷ_2');
  });

  it('complex online API reproduces the complex batch run', () => {
    const rng = testRng(403);
    const H = randCMat(rng, 30, 3), Y = randCMat(rng, 30, 2);
    const run = runRls(H, Y, { forgetting: 0.9 });
    const s = complexRls.init(3, 2, { forgetting: 0.9 });
    for (let t = 0; t < 30; t++) {
      complexRls.update(s, { re: H.re.subarray(t * 3, t * 3 + 3), im: H.im.subarray(t * 3, t * 3 + 3) },
        { re: Y.re.subarray(t * 2, t * 2 + 2), im: Y.im.subarray(t * 2, t * 2 + 2) });
    }
    const w = complexRls.weights(s), r = run.Wout as CMat;
    expect(w.re).toEqual(r.re);
    expect(w.im).toEqual(r.im);
  });

  it('forgetting < 1 tracks a switching target; forgetting 1 does not', () => {
    // Noise-free targets from W1 for 300 steps, then W2 for 300 steps. With μ = 0.95 the first half's weight in
    // P⁻¹ is ~0.95^300 ≈ 2e-7, so W ends within ~1e-5 of W2; with μ = 1 it ends at a mixture (error ~0.5).
    const rng = testRng(404);
    const N = 6, T = 600;
    const H = randMat(rng, T, N), W1 = randMat(rng, 1, N), W2 = randMat(rng, 1, N);
    const Y = mat(T, 1);
    for (let t = 0; t < T; t++) {
      const w = t < 300 ? W1 : W2;
      let s = 0;
      for (let j = 0; j < N; j++) s += w.data[j]! * H.data[t * N + j]!;
      Y.data[t] = s;
    }
    expect(relErr(runRls(H, Y, { forgetting: 0.95 }).Wout.data, W2.data)).toBeLessThan(1e-4);
    expect(relErr(runRls(H, Y, { forgetting: 1 }).Wout.data, W2.data)).toBeGreaterThan(0.05);
  });

  it('names bad options and shapes', () => {
    expect(() => rls.init(3, 1, { forgetting: 0 })).toThrow('rls: forgetting = 0: must be a number in (0, 1]');
    expect(() => rls.init(3, 1, { forgetting: 1.1 })).toThrow(InputError);
    expect(() => rls.init(3, 1, { delta: 0 })).toThrow('rls: delta = 0: must be a finite number > 0');
    expect(() => rls.init(0, 1)).toThrow(/n = 0/);
    const s = rls.init(3, 1);
    expect(() => rls.update(s, new Float64Array(2), new Float64Array(1))).toThrow(ShapeError);
    expect(() => rls.update(s, new Float64Array([1, NaN, 0]), new Float64Array(1))).toThrow(/h\[1\] = NaN/);
    expect(() => runRls(randMat(testRng(1), 5, 2) as Mat, randMat(testRng(2), 4, 1))).toThrow(ShapeError);
  });
});
