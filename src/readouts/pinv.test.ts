import { describe, expect, it } from 'vitest';
import { Matrix, pseudoInverse } from 'ml-matrix';
import { cmat, mat, type CMat, type Mat } from '../core/types.js';
import { realEmbedding } from '../linalg/dense.js';
import { expectClose, randCMat, randMat, testRng } from '../../test/helpers.js';
import { describeReadoutContract } from '../../test/contracts/readout.contract.js';
import { fitPinv } from './pinv.js';
import { fitRidge } from './ridge.js';

const toMl = (m: Mat): Matrix => new Matrix(Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols))));

/** H (T×N) of rank r: H = A·B with A T×r and B r×N. */
function lowRank(seed: number, T: number, N: number, r: number): Mat {
  const rng = testRng(seed);
  const A = randMat(rng, T, r), B = randMat(rng, r, N);
  const H = mat(T, N);
  for (let t = 0; t < T; t++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < r; k++) s += A.data[t * r + k]! * B.data[k * N + j]!;
    H.data[t * N + j] = s;
  }
  return H;
}

function mulT(H: Mat, W: Mat): Mat { // H Wᵀ
  const out = mat(H.rows, W.rows);
  for (let t = 0; t < H.rows; t++) for (let o = 0; o < W.rows; o++) {
    let s = 0;
    for (let j = 0; j < H.cols; j++) s += H.data[t * H.cols + j]! * W.data[o * H.cols + j]!;
    out.data[t * W.rows + o] = s;
  }
  return out;
}

describe('pinv readout', () => {
  it('full rank: equals the normal-equation solution (ridge λ = 0) and satisfies Hᵀ(H Woutᵀ − Y) = 0', () => {
    const rng = testRng(300);
    const H = randMat(rng, 80, 6), Y = randMat(rng, 80, 3);
    const fit = fitPinv(H, Y);
    expect(fit.rank).toBe(6);
    // κ(H) ≈ 2: both solutions agree to ~1e-15; 1e-12 relative is generous.
    expectClose(fit.Wout.data, fitRidge(H, Y, { lambda: 0 }).Wout.data, { rtol: 1e-12, atol: 1e-14 }, 'Wout');
    const R = mulT(H, fit.Wout);
    for (let k = 0; k < R.data.length; k++) R.data[k]! -= Y.data[k]!;
    const g = mulT(mat(6, 80, Float64Array.from({ length: 480 }, (_, k) => H.data[(k % 80) * 6 + Math.floor(k / 80)]!)), mat(3, 80, Float64Array.from({ length: 240 }, (_, k) => R.data[(k % 80) * 3 + Math.floor(k / 80)]!)));
    // Normal-equation residual relative to ‖H‖²‖W‖ ≈ 80·1: rounding gives ~1e-13.
    for (const v of g.data) expect(Math.abs(v)).toBeLessThan(1e-11);
  });

  it('rank-deficient H: the minimum-norm solution (matches ml-matrix pseudoInverse, orthogonal to the null space)', () => {
    const H = lowRank(301, 50, 7, 3), Y = randMat(testRng(302), 50, 2);
    const fit = fitPinv(H, Y);
    expect(fit.rank).toBe(3);
    // Independent: ml-matrix's own SVD-based pseudo-inverse, X = H⁺Y, W = Xᵀ. Both truncate at ~1e-13 relative;
    // the three kept singular values are O(10), so the solutions agree to ~1e-13.
    const X = pseudoInverse(toMl(H)).mmul(toMl(Y));
    expectClose(fit.Wout.data, Float64Array.from(X.transpose().to1DArray()), { rtol: 1e-10, atol: 1e-12 }, 'Wout');
    // Any null vector z of H (H z = 0) is orthogonal to every row of W_out: W_out z = 0.
    // z = (I − H⁺H) e_0 is a (nonzero) null vector of H.
    const Hm = toMl(H);
    const z = Matrix.eye(7).sub(pseudoInverse(Hm).mmul(Hm)).getColumn(0);
    expect(Math.hypot(...z)).toBeGreaterThan(0.1);
    expect(Hm.mmul(Matrix.columnVector(z)).norm()).toBeLessThan(1e-9);
    for (let o = 0; o < 2; o++) {
      let s = 0;
      for (let j = 0; j < 7; j++) s += fit.Wout.data[o * 7 + j]! * z[j]!;
      expect(Math.abs(s)).toBeLessThan(1e-12);
    }
    // Ridge with λ → 0 also approaches the minimum-norm solution on rank-deficient H: the gap is ~λ/σ_3² ≈ 1e-7
    // relative (σ_3² ≈ 10) plus the Gram rounding eps·‖HᵀH‖/λ ≈ 2e-7 (‖HᵀH‖ ≈ 1e3); check 5e-6 relative to ‖W‖.
    const ridge = fitRidge(H, Y, { lambda: 1e-6 }).Wout.data;
    let wmax = 0;
    for (const v of fit.Wout.data) wmax = Math.max(wmax, Math.abs(v));
    expectClose(ridge, fit.Wout.data, { rtol: 0, atol: 5e-6 * wmax }, 'ridge λ=1e-6');
  });

  it('rcond controls the cutoff', () => {
    const H = randMat(testRng(303), 40, 4);
    // Make the last column nearly dependent: σ_min ≈ 1e-6 · σ_max.
    for (let t = 0; t < 40; t++) H.data[t * 4 + 3] = H.data[t * 4 + 2]! + 1e-6 * H.data[t * 4 + 3]!;
    const Y = randMat(testRng(304), 40, 1);
    expect(fitPinv(H, Y).rank).toBe(4);
    const cut = fitPinv(H, Y, { rcond: 1e-4 });
    expect(cut.rank).toBe(3);
    expect(cut.cutoff).toBeGreaterThan(0);
    expect(() => fitPinv(H, Y, { rcond: 1 })).toThrow('pinv: rcond = 1: must be a number in [0, 1)');
  });

  it('complex: equals the embedded real pseudo-inverse solution', () => {
    const rng = testRng(305);
    const H = randCMat(rng, 40, 4), Y = randCMat(rng, 40, 2);
    const c = fitPinv(H, Y).Wout as CMat;
    const e = fitPinv(realEmbedding(H), realEmbedding(Y)).Wout; // = E(X)ᵀ = [[Re W, Im W], [−Im W, Re W]]
    const re: number[] = [], im: number[] = [];
    for (let o = 0; o < 2; o++) for (let j = 0; j < 4; j++) { re.push(e.data[o * 8 + j]!); im.push(e.data[o * 8 + 4 + j]!); }
    expectClose(c.re, re, { rtol: 1e-11, atol: 1e-13 }, 'Re Wout');
    expectClose(c.im, im, { rtol: 1e-11, atol: 1e-13 }, 'Im Wout');
    const promoted = fitPinv(cmat(40, 4, Float64Array.from(H.re), Float64Array.from(H.im)), Y).Wout as CMat;
    expect(promoted.re).toEqual(c.re);
  });
});

describeReadoutContract('pinv', (H, Y, o) => fitPinv(H, Y, o));
