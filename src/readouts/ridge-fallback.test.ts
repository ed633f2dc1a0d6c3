// Ridge where Cholesky fails numerically: the SVD (fitRidge) and eigh (solveRidge) fallbacks, against numpy and our QR.
//
// The case (test/fixtures/gen/ridge_fallback_reference.py): a saturated tanh ESN, N = 24, 294 rows, states in
// large units (1e5·tanh), λ = 1.8e-4. rcond(HᵀH) ≈ 1e-20 and eps·‖HᵀH‖ ≈ 1e-2 ≫ λ, so HᵀH + λI is indefinite in
// floating point and Cholesky breaks down although the ridge problem is well posed. The numpy reference solves
// the augmented least-squares problem [H; √λ I] X = [Y; 0] by lstsq (LAPACK gelsd), never forming HᵀH.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumericalError } from '../core/errors.js';
import { cmat, isCMat, mat, type CMat, type CVec, type Mat, type Vec } from '../core/types.js';
import { cholesky } from '../linalg/cholesky.js';
import { lstsq } from '../linalg/qr.js';
import { computeOps, runRequest } from '../compute/index.js';
import { expectNear, testRng } from '../../test/helpers.js';
import { fitRidge, ridgeStats, solveRidge, type LsqStats } from './ridge.js';

interface FixtureCase {
  name: string; complex: boolean; bias: boolean; lambda?: number; lambdaRel?: number; lambdaUsed: number;
  residual: number; objective: number; X: number[][] | { re: number[][]; im: number[][] };
}
const fixture = JSON.parse(readFileSync(new URL('../../test/fixtures/ridge-fallback.json', import.meta.url), 'utf8')) as {
  H: number[][]; Y: number[][]; rcondGram: number; rankH: number; cases: FixtureCase[];
};

const T = fixture.H.length, N = fixture.H[0]!.length, O = fixture.Y[0]!.length;
const H = mat(T, N, Float64Array.from(fixture.H.flat())), Y = mat(T, O, Float64Array.from(fixture.Y.flat()));

/** x + i·x⁺, x⁺ = the rows of x shifted up by one, cyclically (as in the generator). */
function withShiftedImag(x: Mat): CMat {
  const { rows, cols } = x;
  const im = new Float64Array(rows * cols);
  im.set(x.data.subarray(cols));
  im.set(x.data.subarray(0, cols), (rows - 1) * cols);
  return cmat(rows, cols, Float64Array.from(x.data), im);
}

type Any = Mat | CMat;
const re = (m: Any): Float64Array => (isCMat(m) ? m.re : m.data);
const im = (m: Any): Float64Array => (isCMat(m) ? m.im : new Float64Array(m.data.length));

/** Residual ‖Y − H Woutᵀ − 1bᵀ‖_F and objective residual² + λ‖Wout‖²_F, by direct sums. */
function objective(Hm: Any, Ym: Any, Wout: Any, bias: Vec | CVec | undefined, lambda: number): { residual: number; objective: number } {
  const n = Hm.cols, o = Ym.cols, hr = re(Hm), hi = im(Hm), yr = re(Ym), yi = im(Ym), wr = re(Wout), wi = im(Wout);
  const br = bias === undefined ? new Float64Array(o) : bias instanceof Float64Array ? bias : bias.re;
  const bi = bias === undefined || bias instanceof Float64Array ? new Float64Array(o) : bias.im;
  let r2 = 0;
  for (let t = 0; t < Hm.rows; t++) for (let j = 0; j < o; j++) {
    let pr = br[j]!, pi = bi[j]!;
    for (let k = 0; k < n; k++) {
      const a = hr[t * n + k]!, b = hi[t * n + k]!, c = wr[j * n + k]!, d = wi[j * n + k]!;
      pr += a * c - b * d;
      pi += a * d + b * c;
    }
    r2 += (yr[t * o + j]! - pr) ** 2 + (yi[t * o + j]! - pi) ** 2;
  }
  let w2 = 0;
  for (let k = 0; k < wr.length; k++) w2 += wr[k]! ** 2 + wi[k]! ** 2;
  return { residual: Math.sqrt(r2), objective: r2 + lambda * w2 };
}

/** Our own independent solution: Householder QR least squares of [Hc; √λ I] X = [Yc; 0] (centred when bias). */
function qrReference(Hm: Any, Ym: Any, lambda: number, bias: boolean): { Wout: Any; bias?: Vec | CVec } {
  const rows = Hm.rows, n = Hm.cols, o = Ym.cols;
  const complex = isCMat(Hm) || isCMat(Ym);
  const mean = (x: Float64Array, d: number): Float64Array => {
    const m = new Float64Array(d);
    if (bias) for (let t = 0; t < rows; t++) for (let j = 0; j < d; j++) m[j]! += x[t * d + j]! / rows;
    return m;
  };
  const hm = [mean(re(Hm), n), mean(im(Hm), n)], ym = [mean(re(Ym), o), mean(im(Ym), o)];
  const aug = (x: Float64Array, d: number, m: Float64Array, diag: number): Float64Array => {
    const out = new Float64Array((rows + n) * d);
    for (let t = 0; t < rows; t++) for (let j = 0; j < d; j++) out[t * d + j] = x[t * d + j]! - m[j]!;
    if (diag !== 0) for (let i = 0; i < n; i++) out[(rows + i) * d + i] = diag;
    return out;
  };
  const s = Math.sqrt(lambda);
  const A = complex ? cmat(rows + n, n, aug(re(Hm), n, hm[0]!, s), aug(im(Hm), n, hm[1]!, 0)) : mat(rows + n, n, aug(re(Hm), n, hm[0]!, s));
  const B = complex ? cmat(rows + n, o, aug(re(Ym), o, ym[0]!, 0), aug(im(Ym), o, ym[1]!, 0)) : mat(rows + n, o, aug(re(Ym), o, ym[0]!, 0));
  const x = lstsq(A, B).x;
  // Wout = Xᵀ; b = ȳ − Wout h̄
  const Wr = new Float64Array(o * n), Wi = new Float64Array(o * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < o; j++) { Wr[j * n + i] = re(x)[i * o + j]!; Wi[j * n + i] = im(x)[i * o + j]!; }
  const Wout = complex ? cmat(o, n, Wr, Wi) : mat(o, n, Wr);
  if (!bias) return { Wout };
  const br = new Float64Array(o), bi = new Float64Array(o);
  for (let j = 0; j < o; j++) {
    br[j] = ym[0]![j]!; bi[j] = ym[1]![j]!;
    for (let k = 0; k < n; k++) {
      br[j]! -= Wr[j * n + k]! * hm[0]![k]! - Wi[j * n + k]! * hm[1]![k]!;
      bi[j]! -= Wr[j * n + k]! * hm[1]![k]! + Wi[j * n + k]! * hm[0]![k]!;
    }
  }
  return { Wout, bias: complex ? { re: br, im: bi } : br };
}

describe('ridge fallback: a saturated tanh ESN where Cholesky fails', () => {
  it('is the case the fixture claims: 294×24, rcond(HᵀH) ≈ 1e-20, full numerical rank, and Cholesky of HᵀH + λI breaks down', () => {
    expect([T, N, O]).toEqual([294, 24, 2]);
    expect(fixture.rcondGram).toBeGreaterThan(1e-21);
    expect(fixture.rcondGram).toBeLessThan(1e-19);
    expect(fixture.rankH).toBe(24);
    // with the statistics this backend computes (the Gram kernel), for the real and the complex states
    for (const [h, y] of [[H, Y], [withShiftedImag(H), withShiftedImag(Y)]] as const) {
      const s = ridgeStats(h, y);
      const a = isCMat(s.hth) ? cmat(N, N, Float64Array.from(s.hth.re), Float64Array.from(s.hth.im)) : mat(N, N, Float64Array.from(s.hth.data));
      for (let i = 0; i < N; i++) re(a)[i * N + i]! += 1.8e-4;
      expect(() => cholesky(a)).toThrow(NumericalError);
    }
  });

  for (const c of fixture.cases) {
    it(`${c.name}: fitRidge falls back to the SVD; residual and objective match numpy lstsq and our QR of the augmented system (1e-8)`, () => {
      const Hm: Any = c.complex ? withShiftedImag(H) : H, Ym: Any = c.complex ? withShiftedImag(Y) : Y;
      const opts = { bias: c.bias, ...(c.lambda !== undefined ? { lambda: c.lambda } : { lambdaRel: c.lambdaRel! }) };
      const fit = fitRidge(Hm, Ym, opts);
      expect(fit.solver).toBe('svd');
      // λ from lambdaRel uses tr(A) summed in a different order than numpy: equal to ~N·eps.
      expectNear(fit.lambda, c.lambdaUsed, { rtol: 1e-12, atol: 0 }, 'lambda');
      const got = objective(Hm, Ym, fit.Wout, fit.bias, fit.lambda);
      // The augmented problem has κ ≈ s_max/√λ ≈ 6e8. A backward-stable solver's X is accurate to about κ·eps
      // ≈ 1e-7 relative (measured 3e-7 against numpy's X), but the objective is stationary at the optimum (it
      // moves by the square of the error in the A-norm) and the residual by at most ‖H δX‖: measured 2e-11 to
      // 3e-10 relative. 1e-8 still catches any solution that is not the minimiser (a clipped or truncated one).
      expectNear(got.residual, c.residual, { rtol: 1e-8, atol: 0 }, 'residual vs numpy');
      expectNear(got.objective, c.objective, { rtol: 1e-8, atol: 0 }, 'objective vs numpy');
      const ref = qrReference(Hm, Ym, fit.lambda, c.bias);
      const mine = objective(Hm, Ym, ref.Wout, ref.bias, fit.lambda);
      expectNear(got.residual, mine.residual, { rtol: 1e-8, atol: 0 }, 'residual vs QR');
      expectNear(got.objective, mine.objective, { rtol: 1e-8, atol: 0 }, 'objective vs QR');
    });
  }

  it('the readout compute op answers with solver "svd" here and "cholesky" on a well-conditioned problem', () => {
    const bad = JSON.parse(JSON.stringify(runRequest(computeOps, { op: 'readout', states: fixture.H, targets: fixture.Y, lambda: 1.8e-4 }).result)) as Record<string, unknown>;
    expect(bad['error']).toBeUndefined();
    expect(bad['solver']).toBe('svd');
    const c = fixture.cases.find((k) => k.name === 'real')!;
    // trainMse = residual²/(T·O)
    expectNear(bad['trainMse'] as number, c.residual ** 2 / (T * O), { rtol: 1e-8, atol: 0 }, 'trainMse');
    const rng = testRng(5), rand = (c: number): number[][] => Array.from({ length: 40 }, () => Array.from({ length: c }, () => rng.normal()));
    const good = JSON.parse(JSON.stringify(runRequest(computeOps, { op: 'readout', states: rand(3), targets: rand(2), lambda: 1e-3 }).result)) as Record<string, unknown>;
    expect(good['solver']).toBe('cholesky');
  });

  it('a batch of sequences with a washout falls back the same as the concatenation of its kept rows', () => {
    // Two sequences of 147 steps, 3 washed out each: the SVD runs on the same 288 kept rows; only the column
    // sums used for centring differ in summation order (per sequence vs at once). Without the bias the fits are
    // the same computation; with it the centred states differ by ~eps·|h̄| ≈ 2e-11 per entry, which moves the
    // objective of this ill-conditioned problem by ~1e-10 relative (measured 1.4e-10): 1e-8 as above.
    const batch = { batch: 2, steps: 147, dim: N, data: H.data }, ybatch = { batch: 2, steps: 147, dim: O, data: Y.data };
    const kept = (m: Mat, d: number): Mat => mat(288, d, Float64Array.from([...m.data.subarray(3 * d, 147 * d), ...m.data.subarray(150 * d, 294 * d)]));
    for (const bias of [false, true]) {
      const a = fitRidge(batch, ybatch, { lambda: 1.8e-4, washout: 3, bias }), b = fitRidge(kept(H, N), kept(Y, O), { lambda: 1.8e-4, bias });
      expect([a.solver, b.solver]).toEqual(['svd', 'svd']);
      const fa = objective(kept(H, N), kept(Y, O), a.Wout, a.bias, 1.8e-4), fb = objective(kept(H, N), kept(Y, O), b.Wout, b.bias, 1.8e-4);
      expectNear(fa.objective, fb.objective, { rtol: bias ? 1e-8 : 1e-12, atol: 0 }, `objective (bias ${bias})`);
    }
  });

  it('λ = 0 from statistics alone is refused; with the states (fitRidge) a full-rank problem is solved', () => {
    expect(() => solveRidge(ridgeStats(H, Y), { lambda: 0 })).toThrow(/λ = 0 and HᵀH is numerically singular.*fitRidge/);
    expect(fitRidge(H, Y, { lambda: 0 }).solver).toBe('svd');
  });

  it('solveRidge (statistics only) falls back to eigh and never fails; its objective is near the optimum', () => {
    for (const bias of [false, true]) {
      const fit = solveRidge(ridgeStats(H, Y), { lambda: 1.8e-4, bias });
      expect(fit.solver).toBe('eigh');
      const got = objective(H, Y, fit.Wout, fit.bias, 1.8e-4);
      const best = fixture.cases.find((k) => k.name === (bias ? 'real-bias' : 'real'))!.objective;
      // From HᵀH alone the solution carries the Gram's rounding error E (‖E‖ ≈ eps·‖HᵀH‖ ≈ 1e-2 ≫ λ), so it is
      // not the minimiser to 1e-8, and how far it is depends on the rounding of the Gram kernel (measured: 0.2%
      // above the optimum with numpy's HᵀH and numpy's eigh, 1–4% with ours). It must still never beat the
      // optimum (to rounding), and stay a sensible fit: within 10% (keeping the negative eigenvalue −2.7e-4 < −λ
      // unclipped, or dividing by |μ| + λ on a wrong eigenvector, are caught by the closed-form test below).
      expect(got.objective).toBeGreaterThan(best * (1 - 1e-10));
      expect(got.objective).toBeLessThan(best * 1.1);
    }
  });

  it('eigh fallback: equals the closed form Q diag(1/(max(μ, 0) + λ)) Qᵀ B on a Gram matrix with a negative eigenvalue', () => {
    // G = Q diag(μ) Qᵀ with Q = I − 2vvᵀ/‖v‖² (a reflector) and μ_5 = −1e-6 < −λ: G + λI is indefinite, so
    // Cholesky fails and the clipped eigendecomposition must give X = Q diag(1/(max(μ, 0) + λ)) QᵀB. Q and μ
    // are known, so the expected X is computed directly. The recovered eigenvectors carry eps·‖G‖/gap ≈ 1e-10
    // error; amplified by 1/λ = 1e9 on the clipped direction against X ≈ 1e9, 1e-6 relative is ample.
    const n = 6, o = 2, lambda = 1e-9;
    const v = [1, -2, 0.5, 3, -1, 2], vv = v.reduce((s, x) => s + x * x, 0);
    const Q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Q[i * n + j] = (i === j ? 1 : 0) - (2 * v[i]! * v[j]!) / vv;
    const mu = [1e6, 3e4, 50, 1, 0.01, -1e-6];
    const G = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) G[i * n + j]! += Q[i * n + k]! * mu[k]! * Q[j * n + k]!;
    const B = Float64Array.from([1, 0, -2, 1, 0.5, 3, 1, 1, -1, 0, 2, -0.5]);
    const stats: LsqStats = { hth: mat(n, n, G), hty: mat(n, o, B), hSum: new Float64Array(n), ySum: new Float64Array(o), count: 10 };
    const fit = solveRidge(stats, { lambda });
    expect(fit.solver).toBe('eigh');
    const want = new Float64Array(o * n); // Wout = Xᵀ
    for (let i = 0; i < n; i++) for (let j = 0; j < o; j++) {
      let x = 0;
      for (let k = 0; k < n; k++) {
        let qb = 0;
        for (let l = 0; l < n; l++) qb += Q[l * n + k]! * B[l * o + j]!;
        x += (Q[i * n + k]! * qb) / (Math.max(mu[k]!, 0) + lambda);
      }
      want[j * n + i] = x;
    }
    let scale = 0;
    for (const w of want) scale = Math.max(scale, Math.abs(w));
    for (let k = 0; k < want.length; k++) expect(Math.abs(fit.Wout.data[k]! - want[k]!)).toBeLessThan(1e-6 * scale);
  });
});
