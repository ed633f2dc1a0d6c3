import { describe, expect, it } from 'vitest';
import { Matrix, solve } from 'ml-matrix';
import { InputError, NumericalError } from '../core/errors.js';
import { cmat, mat, type CMat, type Mat } from '../core/types.js';
import { createRng } from '../core/rng.js';
import { realEmbedding } from '../linalg/dense.js';
import { expectClose, randCMat, randMat, testRng } from '../../test/helpers.js';
import { describeReadoutContract } from '../../test/contracts/readout.contract.js';
import { addStats, fitRidge, predict, ridgeStats, solveRidge } from './ridge.js';
import { fitPinv } from './pinv.js';

const toMl = (m: Mat): Matrix => new Matrix(Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols))));
const fromMl = (m: Matrix): Float64Array => Float64Array.from(m.to1DArray());

function rows(m: Mat, r0: number, r1: number): Mat {
  return mat(r1 - r0, m.cols, m.data.slice(r0 * m.cols, r1 * m.cols));
}

describe('ridge (real)', () => {
  const r = testRng(100);
  const H = randMat(r, 60, 5), Y = randMat(r, 60, 2);

  it('matches the closed form (HᵀH + λI)⁻¹HᵀY computed by ml-matrix (LU), transposed', () => {
    // Well-conditioned (κ(HᵀH + λI) < 10): both solvers agree to ~1e-14; 1e-12 relative leaves room.
    const lambda = 0.7;
    const Hm = toMl(H), Ym = toMl(Y);
    const A = Hm.transpose().mmul(Hm).add(Matrix.eye(5).mul(lambda));
    const X = solve(A, Hm.transpose().mmul(Ym)); // 5×2
    const fit = fitRidge(H, Y, { lambda });
    expectClose(fit.Wout.data, fromMl(X.transpose()), { rtol: 1e-12, atol: 1e-14 }, 'Wout');
    expect(fit.lambda).toBe(lambda);
    expect(fit.bias).toBeUndefined();
  });

  it('summed statistics of split sequences equal the statistics of the concatenation (1e-10)', () => {
    const s = addStats(addStats(ridgeStats(rows(H, 0, 17), rows(Y, 0, 17)), ridgeStats(rows(H, 17, 41), rows(Y, 17, 41))), ridgeStats(rows(H, 41, 60), rows(Y, 41, 60)));
    const all = ridgeStats(H, Y);
    expect(s.count).toBe(60);
    expectClose(s.hth.data, all.hth.data, { rtol: 1e-10, atol: 1e-12 }, 'HᵀH');
    expectClose(s.hty.data, all.hty.data, { rtol: 1e-10, atol: 1e-12 }, 'HᵀY');
    for (const bias of [false, true]) {
      const a = solveRidge(s, { lambda: 1e-3, bias }), b = solveRidge(all, { lambda: 1e-3, bias });
      expectClose(a.Wout.data, b.Wout.data, { rtol: 1e-10, atol: 1e-12 }, `Wout (bias ${bias})`);
      if (bias) expectClose(a.bias!, b.bias!, { rtol: 1e-10, atol: 1e-12 }, 'bias');
    }
  });

  it('λ → 0 tends to the pseudo-inverse solution on full-rank H', () => {
    // ‖W_ridge(λ) − W_pinv‖ ≈ λ/σ_min² · ‖W‖; σ_min² ≈ 30 here, so λ = 1e-9 leaves ~1e-11 relative: check 1e-9.
    const a = fitRidge(H, Y, { lambda: 1e-9 }).Wout, b = fitPinv(H, Y).Wout;
    expectClose(a.data, b.data, { rtol: 1e-9, atol: 1e-11 }, 'Wout');
    // The gap shrinks linearly in λ (first-order perturbation): λ = 1e-3 vs 1e-4 differ by ~10×.
    const d3 = maxDiff(fitRidge(H, Y, { lambda: 1e-3 }).Wout.data, b.data), d4 = maxDiff(fitRidge(H, Y, { lambda: 1e-4 }).Wout.data, b.data);
    expect(d3 / d4).toBeGreaterThan(9);
    expect(d3 / d4).toBeLessThan(11);
  });

  it('fits an unregularised bias: equals the augmented closed form with λ only on the weights', () => {
    const lambda = 2.5;
    const Yoff = mat(60, 2, Y.data.map((v, k) => v + (k % 2 === 0 ? 3 : -4)));
    // Independent: Z = [H 1], minimise ‖Y − Z θ‖² + λ Σ_{j<5} θ_j², i.e. (ZᵀZ + diag(λ,…,λ,0)) θ = ZᵀY.
    const Z = toMl(mat(60, 6, Float64Array.from({ length: 360 }, (_, k) => (k % 6 === 5 ? 1 : H.data[Math.floor(k / 6) * 5 + (k % 6)]!))));
    const R = Matrix.zeros(6, 6);
    for (let i = 0; i < 5; i++) R.set(i, i, lambda);
    const theta = solve(Z.transpose().mmul(Z).add(R), Z.transpose().mmul(toMl(Yoff))); // 6×2
    const fit = fitRidge(H, Yoff, { lambda, bias: true });
    for (let o = 0; o < 2; o++) {
      expectClose(fit.Wout.data.subarray(o * 5, o * 5 + 5), Array.from({ length: 5 }, (_, j) => theta.get(j, o)), { rtol: 1e-11, atol: 1e-13 }, `Wout[${o}]`);
      expectClose([fit.bias![o]!], [theta.get(5, o)], { rtol: 1e-11, atol: 1e-13 }, `bias[${o}]`);
    }
    // Huge λ kills the weights but not the bias: b → column means of Y.
    const big = fitRidge(H, Yoff, { lambda: 1e12, bias: true });
    const mean = [0, 0];
    for (let t = 0; t < 60; t++) { mean[0]! += Yoff.data[2 * t]! / 60; mean[1]! += Yoff.data[2 * t + 1]! / 60; }
    expectClose(big.bias!, mean, { rtol: 1e-9, atol: 1e-9 }, 'bias at λ = 1e12');
  });

  it('washout drops the first rows of each sequence', () => {
    const a = fitRidge(H, Y, { lambda: 0.1, washout: 13 });
    const b = fitRidge(rows(H, 13, 60), rows(Y, 13, 60), { lambda: 0.1 });
    // Same rows, same order: equal up to a backend's blocking of the row sums (bitwise in the JS kernels).
    expectClose(a.Wout.data, b.Wout.data, { rtol: 1e-13, atol: 1e-15 }, 'Wout');
    expect(fitRidge(H, Y, { lambda: 0.1, washout: 14 }).Wout.data).not.toEqual(a.Wout.data);
  });

  it('lambdaRel sets λ = lambdaRel · tr(HᵀH)/N', () => {
    const s = ridgeStats(H, Y);
    let tr = 0;
    for (let i = 0; i < 5; i++) tr += s.hth.data[i * 5 + i]!;
    const fit = solveRidge(s, { lambdaRel: 1e-2 });
    expect(fit.lambda).toBeCloseTo(1e-2 * tr / 5, 12);
    expect(fit.Wout.data).toEqual(solveRidge(s, { lambda: fit.lambda }).Wout.data);
  });

  it('predict reproduces Y on a noise-free map with bias', () => {
    const Wt = randMat(testRng(101), 2, 5);
    const Yt = predict(H, Wt, new Float64Array([0.5, -1]));
    const fit = fitRidge(H, Yt, { lambda: 0, bias: true });
    expectClose(fit.Wout.data, Wt.data, { rtol: 1e-10, atol: 1e-12 }, 'Wout');
    expectClose(fit.bias!, [0.5, -1], { rtol: 1e-10, atol: 1e-12 }, 'bias');
  });

  it('names bad options and refuses singular systems', () => {
    expect(() => fitRidge(H, Y, { lambda: -1 })).toThrow('ridge: lambda = -1: must be >= 0');
    expect(() => fitRidge(H, Y, {})).toThrow(InputError);
    expect(() => fitRidge(H, Y, { lambda: 1, lambdaRel: 1 })).toThrow(/give only one of them/);
    expect(() => fitRidge(H, Y, { lambda: 1, washout: 60 })).toThrow(/count = 0/);
    const Hdef = mat(60, 5, H.data.map((v, k) => (k % 5 === 4 ? H.data[k - 1]! : v))); // column 4 = column 3
    expect(() => fitRidge(Hdef, Y, { lambda: 0 })).toThrow(NumericalError);
    // Cases where Cholesky itself completes (last pivots are rounding noise > 0), measured without the λ = 0
    // guard: columns (t, 2t, 1), and rank 3 of 5 as a product of random factors with the bias (centring).
    // λ = 0 must refuse with the pinv hint; λ > 0 solves.
    const Hlin = mat(10, 3), ylin = mat(10, 1);
    for (let t = 0; t < 10; t++) { Hlin.data.set([t, 2 * t, 1], 3 * t); ylin.data[t] = t; }
    expect(() => fitRidge(Hlin, ylin, { lambda: 0 })).toThrow(/rank-deficient states.*pseudo-inverse|pseudo-inverse.*rank-deficient/);
    expect(fitRidge(Hlin, ylin, { lambda: 1e-8 }).Wout.data.every(Number.isFinite)).toBe(true);
    const r = createRng(1), A = r.fillNormal(new Float64Array(300)), B = r.fillNormal(new Float64Array(15));
    const Hlow = mat(100, 5), ylow = mat(100, 1, r.fillNormal(new Float64Array(100)));
    for (let i = 0; i < 100; i++) for (let j = 0; j < 5; j++) for (let k = 0; k < 3; k++) Hlow.data[i * 5 + j]! += A[i * 3 + k]! * B[k * 5 + j]!;
    expect(() => fitRidge(Hlow, ylow, { lambda: 0, bias: true })).toThrow(NumericalError);
    expect(fitRidge(Hlow, ylow, { lambda: 1e-8, bias: true }).Wout.data.every(Number.isFinite)).toBe(true);
    const Hc = cmat(100, 5, Float64Array.from(Hlow.data), Float64Array.from(Hlow.data, (v) => 0.5 * v));
    expect(() => fitRidge(Hc, ylow, { lambda: 0, bias: true })).toThrow(NumericalError);
    expect(() => addStats(ridgeStats(H, Y), ridgeStats(randCMat(testRng(1), 3, 5), randCMat(testRng(2), 3, 2)))).toThrow(InputError);
  });
});

describe('ridge input checks on the statistics', () => {
  // ridgeStats checks finiteness on the statistics (a NaN/Inf in H reaches diag(HᵀH), one in Y reaches ȳ) and
  // then scans for the value to name: the messages must name the first non-finite entry of H, then of Y.
  it('refuses NaN and ±Inf in kept or washed-out rows of H or Y, naming row and column, and sums that overflow', () => {
    const base = randMat(testRng(400), 12, 3), y = randMat(testRng(401), 12, 2);
    const withValue = (m: Mat, k: number, v: number): Mat => { const c = mat(m.rows, m.cols, Float64Array.from(m.data)); c.data[k] = v; return c; };
    for (const v of [NaN, Infinity, -Infinity]) {
      expect(() => ridgeStats(withValue(base, 3 * 5 + 1, v), y)).toThrow(`ridge: H has a non-finite value (${v}) at row 5, column 1: must be finite`);
      expect(() => ridgeStats(base, withValue(y, 2 * 7 + 1, v))).toThrow(`ridge: Y has a non-finite value (${v}) at row 7, column 1: must be finite`);
      // in a washed-out row (row 1 < washout 2), and in the second sequence's washout (row 6 of 2 × 6)
      expect(() => ridgeStats(withValue(base, 3 * 1, v), y, { washout: 2 })).toThrow(/H has a non-finite value .* at row 1, column 0/);
      const seqH = { batch: 2, steps: 6, dim: 3, data: withValue(base, 3 * 6 + 2, v).data }, seqY = { batch: 2, steps: 6, dim: 2, data: y.data };
      expect(() => ridgeStats(seqH, seqY, { washout: 1 })).toThrow(/H has a non-finite value .* at row 6, column 2/);
      const hc = cmat(12, 3, Float64Array.from(base.data), Float64Array.from(base.data)); hc.im[4] = v;
      expect(() => fitRidge(hc, y, { lambda: 1 })).toThrow(/H has a non-finite value .* at row 1, column 1/);
      const yc = cmat(12, 2, Float64Array.from(y.data), Float64Array.from(y.data)); yc.im[23] = v;
      expect(() => fitRidge(base, yc, { lambda: 1 })).toThrow(/Y has a non-finite value .* at row 11, column 1/);
    }
    // both H and Y bad: H is named first, as before
    expect(() => ridgeStats(withValue(base, 30, NaN), withValue(y, 0, NaN))).toThrow(/ridge: H has a non-finite value/);
    expect(() => ridgeStats(withValue(base, 4, 1e200), y)).toThrow(/overflow/);
    expect(() => ridgeStats(base, withValue(y, 4, Number.MAX_VALUE)).ySum).not.toThrow(); // one value: the sum is finite
    expect(() => ridgeStats(base, mat(12, 2, new Float64Array(24).fill(Number.MAX_VALUE)))).toThrow(/overflow/);
  });
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('ridge (complex)', () => {
  const r = testRng(200);
  const H = randCMat(r, 50, 4), Y = randCMat(r, 50, 3);

  it('equals the real-embedding ridge: Re/Im of W_out are blocks of the embedded solution (1e-12)', () => {
    // Embedded problem: E(H) = [[Re H, −Im H], [Im H, Re H]] (2T×2N) and E(Y). Since H X = Y ⇔ E(H) E(X) = E(Y) and
    // ‖E(X)‖² = 2‖X‖², the embedded ridge solution is E(X); its W_out = E(X)ᵀ = [[Re W, Im W], [−Im W, Re W]].
    const lambda = 0.3;
    const c = fitRidge(H, Y, { lambda }).Wout as CMat;
    const e = fitRidge(realEmbedding(H), realEmbedding(Y), { lambda }).Wout;
    const reBlock: number[] = [], imBlock: number[] = [];
    for (let o = 0; o < 3; o++) for (let j = 0; j < 4; j++) { reBlock.push(e.data[o * 8 + j]!); imBlock.push(e.data[o * 8 + 4 + j]!); }
    expectClose(c.re, reBlock, { rtol: 1e-12, atol: 1e-14 }, 'Re Wout');
    expectClose(c.im, imBlock, { rtol: 1e-12, atol: 1e-14 }, 'Im Wout');
  });

  it('complex bias equals ridge on column-centred data, and recovers a noise-free affine map', () => {
    const lambda = 0.2;
    const withBias = fitRidge(H, Y, { lambda, bias: true });
    const centre = (m: CMat): CMat => {
      const out = cmat(m.rows, m.cols, Float64Array.from(m.re), Float64Array.from(m.im));
      for (let j = 0; j < m.cols; j++) {
        let sr = 0, si = 0;
        for (let t = 0; t < m.rows; t++) { sr += m.re[t * m.cols + j]!; si += m.im[t * m.cols + j]!; }
        for (let t = 0; t < m.rows; t++) { out.re[t * m.cols + j]! -= sr / m.rows; out.im[t * m.cols + j]! -= si / m.rows; }
      }
      return out;
    };
    const centred = fitRidge(centre(H), centre(Y), { lambda }).Wout as CMat;
    const w = withBias.Wout as CMat;
    expectClose(w.re, centred.re, { rtol: 1e-11, atol: 1e-13 }, 'Re Wout');
    expectClose(w.im, centred.im, { rtol: 1e-11, atol: 1e-13 }, 'Im Wout');

    const Wt = randCMat(testRng(201), 3, 4), bt = { re: new Float64Array([1, 2, 3]), im: new Float64Array([-1, 0, 0.5]) };
    const Yt = predict(H, Wt, bt) as CMat;
    const fit = fitRidge(H, Yt, { lambda: 0, bias: true });
    const fw = fit.Wout as CMat, fb = fit.bias as { re: Float64Array; im: Float64Array };
    expectClose(fw.re, Wt.re, { rtol: 1e-10, atol: 1e-12 }, 'Re W');
    expectClose(fw.im, Wt.im, { rtol: 1e-10, atol: 1e-12 }, 'Im W');
    expectClose(fb.re, bt.re, { rtol: 1e-10, atol: 1e-12 }, 'Re b');
    expectClose(fb.im, bt.im, { rtol: 1e-10, atol: 1e-12 }, 'Im b');
  });

  it('real states with complex targets are promoted', () => {
    const Hr = randMat(testRng(202), 50, 4);
    const a = fitRidge(Hr, Y, { lambda: 0.1 }).Wout as CMat;
    const b = fitRidge(cmat(50, 4, Float64Array.from(Hr.data), new Float64Array(200)), Y, { lambda: 0.1 }).Wout as CMat;
    expect(a.re).toEqual(b.re);
    expect(a.im).toEqual(b.im);
  });
});

describeReadoutContract('ridge', (H, Y, o) => fitRidge(H, Y, { lambda: 1e-9, ...o }));
describeReadoutContract('ridge with bias', (H, Y, o) => fitRidge(H, Y, { lambda: 1e-9, bias: true, ...o }));
