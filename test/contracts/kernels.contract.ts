// Contract suites of the blas, rollout and readout families (src/backend/{blas,rollout,readout}/types.ts): every
// kernel against the naive loops of kernels.naive.ts, on edge sizes (1, odd SIMD tails, tile and block boundaries,
// chunk boundaries), all transposes, beta 0/1/other, batch > 1, h0 and bias given or null, leak < 1, tanh. The
// runner (backends.test.ts) runs each once per available backend:
//   describeBlasContract('wasm', () => wasmBackend()!.blas);
//
// Tolerances. Direct kernels (gemm, zgemm, Gram statistics): |actual − naive| ≤ 1e-12·Σ|terms| per entry. The
// forward error of a k-term sum is at most k·eps·Σ|terms| (Higham, Accuracy and Stability, §3.1); k ≤ 300 here
// gives 3.4e-14, so 1e-12 allows any summation order and still catches any wrong term. Rollouts: 1e-12 relative
// plus 1e-12·max|h| absolute — per-step rounding (n·eps of the state scale) is carried by contracting dynamics
// (ρ(W) ≈ 0.9), never amplified. RLS: 1e-11·max|·| over ≤ 3 steps; 1e-9·max|·| over long runs, where
// rounding differences accumulate through P (the backends keep P exactly symmetric, the naive loop does not).
import { describe, expect, it } from 'vitest';
import type { BlasKernels, ReadoutKernels, RolloutKernels, Trans } from '../../src/backend/index.js';
import { expectClose, maxAbs, testRng } from '../helpers.js';
import { naiveGemm, naiveGram, naiveRls, naiveRollout, naiveRolloutComplex, naiveZgemm } from './kernels.naive.js';
import type { Rng } from '../../src/core/rng.js';

const RTOL = 1e-12;

/** |actual_i − expected_i| ≤ rtol·scale_i for every i (scale: Σ|terms| of entry i). */
export function expectWithinScale(actual: Float64Array, expected: Float64Array, scale: Float64Array, rtol: number, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const bound = rtol * scale[i]!;
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!(d <= bound)) throw new Error(`${label}[${i}]: actual ${actual[i]}, expected ${expected[i]}, |diff| ${d} > ${bound} (rtol ${rtol} × Σ|terms| ${scale[i]})`);
  }
}

function randn(rng: Rng, len: number, s = 1): Float64Array {
  return rng.fillNormal(new Float64Array(len), s);
}

/** Random symmetric (Hermitian when im is returned) positive definite n × n: A Aᴴ/n + I. */
function randomSpd(rng: Rng, n: number, complex: boolean): [Float64Array, Float64Array] {
  const ar = randn(rng, n * n), ai = complex ? randn(rng, n * n) : new Float64Array(n * n);
  const re = new Float64Array(n * n), im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = i === j ? n : 0, si = 0;
      for (let p = 0; p < n; p++) {
        sr += ar[i * n + p]! * ar[j * n + p]! + ai[i * n + p]! * ai[j * n + p]!;
        si += ai[i * n + p]! * ar[j * n + p]! - ar[i * n + p]! * ai[j * n + p]!;
      }
      re[i * n + j] = sr / n;
      im[i * n + j] = i === j ? 0 : si / n;
    }
  }
  return [re, im];
}

function expectHermitian(re: Float64Array, im: Float64Array | null, n: number, label: string): void {
  for (let i = 0; i < n; i++) {
    if (im !== null) expect(im[i * n + i], `${label}: Im diagonal ${i}`).toBe(0);
    for (let j = i + 1; j < n; j++) {
      expect(re[j * n + i], `${label}: (${j}, ${i}) mirrors (${i}, ${j})`).toBe(re[i * n + j]);
      if (im !== null) expect(im[j * n + i], `${label}: Im (${j}, ${i}) = −Im (${i}, ${j})`).toBe(-im[i * n + j]!);
    }
  }
}

const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [4, 4, 4], [13, 1, 9], [1, 17, 6], [2, 3, 1], [6, 5, 0], [70, 5, 300], [5, 1030, 3],
];
const SCALARS: [number, number][] = [[1, 0], [0.7, 1], [-1.3, 0.5], [0, -2]];
const TRANS: Trans[] = ['N', 'T', 'C'];


/** Defines the blas family's contract tests for one backend. getKernels is called inside each test. */
export function describeBlasContract(name: string, getKernels: () => BlasKernels): void {
  describe(`blas family contract: ${name}`, () => {
    it('gemm matches the naive triple loop for every transpose, edge shape and (alpha, beta)', () => {
      const K = getKernels(), rng = testRng(1);
      for (const tA of [false, true]) for (const tB of [false, true]) for (const [m, n, k] of GEMM_SHAPES) for (const [alpha, beta] of SCALARS) {
        const a = randn(rng, m * k), b = randn(rng, k * n), c = randn(rng, m * n);
        const want = naiveGemm(tA, tB, m, n, k, alpha, a, b, beta, c);
        K.gemm(tA, tB, m, n, k, alpha, a, b, beta, c);
        expectWithinScale(c, want.c, want.scale, RTOL, `gemm ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} ${m}×${n}×${k} α=${alpha} β=${beta}`);
      }
    });

    it('gemm with beta = 0 ignores the old C (NaN garbage included), as in BLAS', () => {
      const K = getKernels(), rng = testRng(2);
      const a = randn(rng, 15), b = randn(rng, 20), c = new Float64Array(12).fill(Number.NaN);
      const want = naiveGemm(false, false, 3, 4, 5, 2, a, b, 0, c);
      K.gemm(false, false, 3, 4, 5, 2, a, b, 0, c);
      expectWithinScale(c, want.c, want.scale, RTOL, 'gemm β=0');
    });

    it('zgemm matches the naive complex loop for all nine N/T/C combinations', () => {
      const K = getKernels(), rng = testRng(3);
      const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [5, 4, 9], [2, 1, 3], [1, 3, 2], [4, 3, 0], [9, 7, 260]];
      for (const tA of TRANS) for (const tB of TRANS) for (const [m, n, k] of shapes) for (const [alpha, beta] of [[1, 0], [0.6, -0.4], [0, 1]] as const) {
        const ar = randn(rng, m * k), ai = randn(rng, m * k), br = randn(rng, k * n), bi = randn(rng, k * n);
        const cr = randn(rng, m * n), ci = randn(rng, m * n);
        const want = naiveZgemm(tA, tB, m, n, k, alpha, ar, ai, br, bi, beta, cr, ci);
        K.zgemm(tA, tB, m, n, k, alpha, ar, ai, br, bi, beta, cr, ci);
        const label = `zgemm ${tA}${tB} ${m}×${n}×${k} α=${alpha} β=${beta}`;
        expectWithinScale(cr, want.re, want.scale, RTOL, `${label} re`);
        expectWithinScale(ci, want.im, want.scale, RTOL, `${label} im`);
      }
    });

  });
}

/** Defines the rollout family's contract tests for one backend. getKernels is called inside each test. */
export function describeRolloutContract(name: string, getKernels: () => RolloutKernels): void {
  describe(`rollout family contract: ${name}`, () => {
    // [n, nIn, batch, steps, leak, tanh, bias, h0]; n = 60 over 600 steps crosses the chunking of long sequences.
    const ROLLOUTS: [number, number, number, number, number, boolean, boolean, boolean][] = [
      [1, 1, 1, 5, 1, false, false, false], [5, 2, 2, 7, 1, true, true, true], [13, 3, 3, 11, 0.3, true, true, true],
      [24, 1, 1, 9, 0.7, false, false, true], [25, 2, 2, 6, 1, false, true, false], [3, 0, 1, 4, 1, true, true, false],
      [60, 2, 2, 600, 0.5, true, true, true],
    ];

    it('rollout matches the step-by-step recursion (identity/tanh, leak, bias, h0, batch)', () => {
      const K = getKernels(), rng = testRng(4);
      for (const [n, nIn, batch, steps, leak, tanh, withBias, withH0] of ROLLOUTS) {
        const p = { n, nIn, W: randn(rng, n * n, 0.9 / Math.sqrt(n)), U: randn(rng, n * nIn), bias: withBias ? randn(rng, n) : null, leak, tanh };
        const x = randn(rng, batch * steps * nIn), h0 = withH0 ? randn(rng, batch * n) : null;
        const states = new Float64Array(batch * steps * n).fill(Number.NaN);
        K.rollout(p, batch, steps, x, h0, states);
        const want = naiveRollout(p, batch, steps, x, h0);
        expectClose(states, want, { rtol: RTOL, atol: RTOL * maxAbs(want) }, `rollout n=${n} nIn=${nIn} B=${batch} T=${steps} a=${leak} tanh=${tanh}`);
      }
    });

    it('tanh in the rollout is within 4 ulp of Math.tanh, with exact limits (±1, NaN)', () => {
      const K = getKernels();
      const xs = [0, 1e-300, 5e-324, 1e-9, -0.1, 0.17328679513998632, 0.21090919375419617, -0.5493061443340549, 0.9, -1.7,
        3.3, 8.392143249511719, -19.06, 21.9, 22, 40, -700, 1e300, Infinity, -Infinity, Number.NaN];
      for (let i = 0; i < 200; i++) xs.push(Math.sinh((i - 100) / 12));
      const states = new Float64Array(xs.length);
      // one step per sequence: pre = 1·x + 0·h_0 exactly, so the state is tanh(x)
      K.rollout({ n: 1, nIn: 1, W: new Float64Array([0]), U: new Float64Array([1]), bias: null, leak: 1, tanh: true }, xs.length, 1, Float64Array.from(xs), null, states);
      const bits = new BigInt64Array(2), f = new Float64Array(bits.buffer);
      const ordered = (v: number): bigint => { f[0] = v; return bits[0]! < 0n ? -(bits[0]! & 0x7fffffffffffffffn) : bits[0]!; };
      xs.forEach((x, i) => {
        const want = Math.tanh(x), got = states[i]!;
        if (Number.isNaN(want) || !Number.isFinite(x)) return expect(Object.is(got, want), `tanh(${x}) = ${got}, want ${want}`).toBe(true);
        const ulps = ordered(got) - ordered(want);
        expect(ulps <= 4n && ulps >= -4n, `tanh(${x}) = ${got}, Math.tanh = ${want} (${ulps} ulp)`).toBe(true);
      });
    });

    it('rolloutComplex matches the complex recursion (bias parts, h0 parts, leak, batch)', () => {
      const K = getKernels(), rng = testRng(5);
      for (const [n, nIn, batch, steps, leak, , withBias, withH0] of ROLLOUTS) {
        const s = 0.9 / Math.sqrt(2 * n);
        const p = {
          n, nIn, Wre: randn(rng, n * n, s), Wim: randn(rng, n * n, s), Ure: randn(rng, n * nIn), Uim: randn(rng, n * nIn),
          biasRe: withBias ? randn(rng, n) : null, biasIm: withBias && n % 2 === 1 ? randn(rng, n) : null, leak,
        };
        const xr = randn(rng, batch * steps * nIn), xi = randn(rng, batch * steps * nIn);
        const h0r = withH0 ? randn(rng, batch * n) : null, h0i = withH0 && n > 5 ? randn(rng, batch * n) : null;
        const sr = new Float64Array(batch * steps * n), si = new Float64Array(batch * steps * n);
        K.rolloutComplex(p, batch, steps, xr, xi, h0r, h0i, sr, si);
        const want = naiveRolloutComplex(p, batch, steps, xr, xi, h0r, h0i);
        const tol = { rtol: RTOL, atol: RTOL * Math.max(maxAbs(want.re), maxAbs(want.im)) };
        expectClose(sr, want.re, tol, `rolloutComplex n=${n} re`);
        expectClose(si, want.im, tol, `rolloutComplex n=${n} im`);
      }
    });

    // Online use calls the kernels one step (or one block) at a time and must reproduce the batch call exactly.
    const CUTS = [0, 1, 2, 5, 17, 40];

    it('rollout and rolloutComplex: a sequence split into calls (h0 = last state) gives bit-identical states', () => {
      const K = getKernels(), rng = testRng(11);
      const n = 9, nIn = 2, B = 2, T = 40;
      const W = [randn(rng, n * n, 0.6 / Math.sqrt(n)), randn(rng, n * n, 0.6 / Math.sqrt(n))], U = [randn(rng, n * nIn), randn(rng, n * nIn)];
      const x = [randn(rng, B * T * nIn), randn(rng, B * T * nIn)], bias = randn(rng, n);
      // states of segment [t0, t1) for every sequence, laid out (B, T, n) in `out`
      const segment = (t0: number, t1: number, out: Float64Array[], complex: boolean): void => {
        const steps = t1 - t0;
        const part = (a: Float64Array, w: number): Float64Array => {
          const r = new Float64Array(B * steps * w);
          for (let b = 0; b < B; b++) r.set(a.subarray((b * T + t0) * w, (b * T + t1) * w), b * steps * w);
          return r;
        };
        const h0 = (a: Float64Array): Float64Array | null => {
          if (t0 === 0) return null;
          const r = new Float64Array(B * n);
          for (let b = 0; b < B; b++) r.set(a.subarray((b * T + t0 - 1) * n, (b * T + t0) * n), b * n);
          return r;
        };
        const s = [new Float64Array(B * steps * n), new Float64Array(B * steps * n)];
        if (complex) {
          K.rolloutComplex({ n, nIn, Wre: W[0]!, Wim: W[1]!, Ure: U[0]!, Uim: U[1]!, biasRe: bias, biasIm: null, leak: 0.8 }, B, steps,
            part(x[0]!, nIn), part(x[1]!, nIn), h0(out[0]!), h0(out[1]!), s[0]!, s[1]!);
        } else {
          K.rollout({ n, nIn, W: W[0]!, U: U[0]!, bias, leak: 0.8, tanh: true }, B, steps, part(x[0]!, nIn), h0(out[0]!), s[0]!);
        }
        for (let q = 0; q < (complex ? 2 : 1); q++) {
          for (let b = 0; b < B; b++) out[q]!.set(s[q]!.subarray(b * steps * n, (b + 1) * steps * n), (b * T + t0) * n);
        }
      };
      for (const complex of [false, true]) {
        const [whole, split] = [[0, T], CUTS].map((cuts) => {
          const out = [new Float64Array(B * T * n), new Float64Array(B * T * n)];
          for (let c = 0; c + 1 < cuts.length; c++) segment(cuts[c]!, cuts[c + 1]!, out, complex);
          return out;
        });
        whole!.forEach((w, q) => expect(Array.from(split![q]!), `${complex ? 'rolloutComplex' : 'rollout'} part ${q}`).toEqual(Array.from(w)));
      }
    });
  });
}

/** Defines the readout family's contract tests for one backend. getKernels is called inside each test. */
export function describeReadoutKernelContract(name: string, getKernels: () => ReadoutKernels): void {
  describe(`readout family contract: ${name}`, () => {
    // [n, o, rows, r0, r1]: n = 40 over 990 rows crosses row blocks and chunks; r0 = r1 changes nothing.
    const GRAMS: [number, number, number, number, number][] = [
      [1, 1, 5, 0, 5], [5, 2, 300, 3, 290], [13, 3, 17, 0, 17], [6, 2, 130, 0, 130], [40, 2, 1000, 10, 1000], [4, 1, 3, 1, 1],
    ];

    for (const complex of [false, true]) {
      it(`gramAccumulate${complex ? 'Complex' : ''} adds ${complex ? 'HᴴH, HᴴY' : 'HᵀH, HᵀY'} and column sums of the row range`, () => {
        const K = getKernels(), rng = testRng(complex ? 7 : 6);
        for (const [n, o, rows, r0, r1] of GRAMS) {
          const H = { re: randn(rng, rows * n), im: complex ? randn(rng, rows * n) : null };
          const Y = { re: randn(rng, rows * o), im: complex ? randn(rng, rows * o) : null };
          const hth = randomSpd(rng, n, complex), hty: [Float64Array, Float64Array] = [randn(rng, n * o), complex ? randn(rng, n * o) : new Float64Array(n * o)];
          const hs = [randn(rng, n), randn(rng, n)], ys = [randn(rng, o), randn(rng, o)];
          const want = naiveGram(n, o, r0, r1, H, Y, { hth, hty });
          const got = { hth: hth.map((a) => a.slice()), hty: hty.map((a) => a.slice()), hs: hs.map((a) => a.slice()), ys: ys.map((a) => a.slice()) };
          if (complex) {
            K.gramAccumulateComplex(n, o, r0, r1, H.re, H.im!, Y.re, Y.im!, got.hth[0]!, got.hth[1]!, got.hty[0]!, got.hty[1]!, got.hs[0]!, got.hs[1]!, got.ys[0]!, got.ys[1]!);
          } else {
            K.gramAccumulate(n, o, r0, r1, H.re, Y.re, got.hth[0]!, got.hty[0]!, got.hs[0]!, got.ys[0]!);
          }
          const label = `gram n=${n} o=${o} rows ${r0}..${r1}`;
          for (let part = 0; part < (complex ? 2 : 1); part++) {
            expectWithinScale(got.hth[part]!, want.hth[part]!, want.hthScale, RTOL, `${label} hth[${part}]`);
            expectWithinScale(got.hty[part]!, want.hty[part]!, want.htyScale, RTOL, `${label} hty[${part}]`);
            const src = part === 0 ? [H.re, Y.re] : [H.im!, Y.im!];
            const colScale = (init: Float64Array, x: Float64Array, w: number): Float64Array =>
              init.map((v, j) => { let s = Math.abs(v); for (let r = r0; r < r1; r++) s += Math.abs(x[r * w + j]!); return s; });
            expectWithinScale(got.hs[part]!, want.hSum[part]!.map((v, j) => v + hs[part]![j]!), colScale(hs[part]!, src[0]!, n), RTOL, `${label} hSum[${part}]`);
            expectWithinScale(got.ys[part]!, want.ySum[part]!.map((v, j) => v + ys[part]![j]!), colScale(ys[part]!, src[1]!, o), RTOL, `${label} ySum[${part}]`);
          }
          expectHermitian(got.hth[0]!, complex ? got.hth[1]! : null, n, label);
        }
      });
    }

    // [n, o, T, λ, rtol]: T ≤ 3 checks one update directly; the long runs (chunk boundary at n = 5, T = 4000) accumulate.
    const RLS: [number, number, number, number, number][] = [
      [1, 1, 3, 1, 1e-11], [5, 2, 3, 0.99, 1e-11], [6, 3, 2, 1, 1e-11], [7, 2, 400, 0.995, 1e-9], [5, 2, 4000, 0.999, 1e-9],
    ];

    for (const complex of [false, true]) {
      it(`rls${complex ? 'Complex' : ''} follows the RLS recursion (a-priori predictions, W, P) and keeps P ${complex ? 'Hermitian' : 'symmetric'}`, () => {
        const K = getKernels(), rng = testRng(complex ? 9 : 8);
        for (const [n, o, T, lambda, rtol] of RLS) {
          const Htrue = randn(rng, o * n), Hre = randn(rng, T * n), Him = complex ? randn(rng, T * n) : null;
          // targets from a fixed linear map plus noise, so W converges and the comparison is not of noise alone
          const Yre = new Float64Array(T * o).map((_, q) => { const t = Math.floor(q / o), r = q % o; let s = 0.1 * rng.normal(); for (let j = 0; j < n; j++) s += Htrue[r * n + j]! * Hre[t * n + j]!; return s; });
          const Yim = complex ? randn(rng, T * o) : null;
          const P0 = randomSpd(rng, n, complex), W0: [Float64Array, Float64Array] = [randn(rng, o * n), complex ? randn(rng, o * n) : new Float64Array(o * n)];
          const want = naiveRls(n, o, T, [Hre, Him], [Yre, Yim], lambda, P0, W0);
          const P = P0.map((a) => a.slice()), W = W0.map((a) => a.slice()), pred = [new Float64Array(T * o), new Float64Array(T * o)];
          if (complex) K.rlsComplex(n, o, T, Hre, Him!, Yre, Yim!, lambda, P[0]!, P[1]!, W[0]!, W[1]!, pred[0]!, pred[1]!, new Float64Array(4 * n));
          else K.rls(n, o, T, Hre, Yre, lambda, P[0]!, W[0]!, pred[0]!, new Float64Array(2 * n));
          const label = `rls n=${n} o=${o} T=${T} λ=${lambda}`;
          for (let part = 0; part < (complex ? 2 : 1); part++) {
            for (const [got, exp, what] of [[P[part]!, want.P[part]!, 'P'], [W[part]!, want.W[part]!, 'W'], [pred[part]!, want.pred[part]!, 'pred']] as const) {
              expectClose(got, exp, { rtol: 0, atol: rtol * Math.max(maxAbs(exp), maxAbs(want[what === 'P' ? 'P' : what === 'W' ? 'W' : 'pred'][0]!)) }, `${label} ${what}[${part}]`);
            }
          }
          expectHermitian(P[0]!, complex ? P[1]! : null, n, label);
        }
      });
    }

    // Online use calls the kernels one step (or one block) at a time and must reproduce the batch call exactly.
    const CUTS = [0, 1, 2, 5, 17, 40];

    it('rls and rlsComplex: a sequence split into calls gives bit-identical P, W and predictions', () => {
      const K = getKernels(), rng = testRng(10);
      const n = 7, o = 2, T = 40, lambda = 0.98;
      const H = [randn(rng, T * n), randn(rng, T * n)], Y = [randn(rng, T * o), randn(rng, T * o)];
      for (const complex of [false, true]) {
        const P0 = randomSpd(rng, n, complex);
        const runs = [[0, T], CUTS].map((cuts) => {
          const P = P0.map((a) => a.slice()), W = [new Float64Array(o * n), new Float64Array(o * n)];
          const pred = [new Float64Array(T * o), new Float64Array(T * o)];
          for (let c = 0; c + 1 < cuts.length; c++) {
            const [t0, t1] = [cuts[c]!, cuts[c + 1]!];
            const rows = (a: Float64Array, w: number): Float64Array => a.subarray(t0 * w, t1 * w);
            if (complex) {
              K.rlsComplex(n, o, t1 - t0, rows(H[0]!, n), rows(H[1]!, n), rows(Y[0]!, o), rows(Y[1]!, o), lambda, P[0]!, P[1]!,
                W[0]!, W[1]!, rows(pred[0]!, o), rows(pred[1]!, o), new Float64Array(4 * n));
            } else {
              K.rls(n, o, t1 - t0, rows(H[0]!, n), rows(Y[0]!, o), lambda, P[0]!, W[0]!, rows(pred[0]!, o), new Float64Array(2 * n));
            }
          }
          return [...P, ...W, ...pred];
        });
        runs[0]!.forEach((whole, q) => expect(Array.from(runs[1]![q]!), `${complex ? 'rlsComplex' : 'rls'} output ${q}`).toEqual(Array.from(whole)));
      }
    });

  });
}
