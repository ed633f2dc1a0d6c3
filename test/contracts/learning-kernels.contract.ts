// Contract suite of the learning family (src/backend/learning/types.ts), run by the runner (backends.test.ts) once
// per available backend (and for the wasm one also with every call in WebAssembly):
//   describeLearningKernelContract('wasm', () => wasmBackend()!.learning);
// Every kernel is checked against the naive loops of learning-kernels.naive.ts on edge sizes: n = 1, odd n (SIMD
// tails), n = 8 (full panels), batch 1 and > 1 (odd batches: sequences paired in lockstep leave one over), tau = 1,
// middle and ≥ T, from = 0 / middle / last / ≥ T, h0 null and given, tanh, outputs passed as null (skipped),
// chunked calls against one call, and sequences long enough to cross the backends' window boundaries. Error rows
// before `from` hold NaN, so a kernel that reads them fails. Gradients accumulate into nonzero initial values.
//
// Tolerances. Gradient-like sums: |actual − naive| ≤ 1e-11·S_ij + 1e-13·max S with S_ij the sum of |terms| of
// entry ij (naive.ts): a k-term sum in any order is within k·eps·Σ|terms| (Higham §3.1; k ≤ a few thousand here,
// so ≤ 1e-12·S), the backward recursions add relative errors of the same order per step, contracted by
// ‖W‖₂ = 0.9; the floor covers entries whose own terms cancel. Any wrong, missing or extra term is O(S/T) or more
// and fails. States and outputs: 1e-12 relative plus 1e-12·max|·| (per-step rounding carried by contracting
// dynamics; tanh within a few ulp). RTRL sensitivities: 1e-11·(|S| + max|S|). Chunked calls against one call:
// the same gradient tolerance (backends may regroup the sums per chunk). RTRL against BPTT (two algorithms for
// the same gradient): 1e-10·max|g| (docs/conventions.md).
import { describe, expect, it } from 'vitest';
import type { Rng } from '../../src/core/rng.js';
import { RTRL_BLOCK, type LearningKernels } from '../../src/backend/index.js';
import { expectClose, maxAbs, testRng } from '../helpers.js';
import {
  naiveBptt, naiveBpttComplex, naiveElig, naiveForward, naiveForwardComplex, naiveReadout, naiveReadoutComplex,
  naiveRtrl, naiveRtrlComplex, type Summed,
} from './learning-kernels.naive.js';

type A = Float64Array;
type C = [A, A];

const GRAD_RTOL = 1e-11;

/** |actual_i − value_i| ≤ rtol·scale_i + 1e-2·rtol·max(scale) for every i (see the header). */
export function expectSummed(actual: A, expected: Summed, label: string, rtol = GRAD_RTOL): void {
  expect(actual.length, `${label}: length`).toBe(expected.value.length);
  const floor = 1e-2 * rtol * maxAbs(expected.scale);
  for (let i = 0; i < actual.length; i++) {
    const bound = rtol * expected.scale[i]! + floor, d = Math.abs(actual[i]! - expected.value[i]!);
    if (!(d <= bound)) {
      throw new Error(`${label}[${i}]: actual ${actual[i]}, expected ${expected.value[i]}, |diff| ${d} > ${bound} (Σ|terms| ${expected.scale[i]})`);
    }
  }
}

function expectStates(actual: A, expected: A, label: string): void {
  expectClose(actual, expected, { rtol: 1e-12, atol: 1e-12 * maxAbs(expected) }, label);
}

const randn = (rng: Rng, len: number, s = 1): A => rng.fillNormal(new Float64Array(len), s);
const crandn = (rng: Rng, len: number, s = 1): C => [randn(rng, len, s / Math.SQRT2), randn(rng, len, s / Math.SQRT2)];

/** Error signals with NaN in every row t < from of each sequence (rows the kernels must not read). */
function errors(rng: Rng, B: number, T: number, nOut: number, from: number): A {
  const g = randn(rng, B * T * nOut);
  for (let b = 0; b < B; b++) for (let t = 0; t < Math.min(from, T); t++) g.fill(NaN, (b * T + t) * nOut, (b * T + t + 1) * nOut);
  return g;
}

/**
 * A random n × n matrix (split parts; im null for real) scaled to spectral norm 0.9, so every test recursion is
 * strictly contracting over thousands of steps. ‖W‖₂ by 60 power iterations on WᴴW (relative accuracy far below
 * the 10 % this needs).
 */
function contracting(rng: Rng, n: number, complex: boolean): C {
  const re = randn(rng, n * n), im = complex ? randn(rng, n * n) : new Float64Array(n * n);
  let vr = new Float64Array(n).fill(1), vi = new Float64Array(n), norm = 0;
  for (let it = 0; it < 60; it++) {
    const ur = new Float64Array(n), ui = new Float64Array(n); // u = W v
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      ur[i]! += re[i * n + j]! * vr[j]! - im[i * n + j]! * vi[j]!;
      ui[i]! += re[i * n + j]! * vi[j]! + im[i * n + j]! * vr[j]!;
    }
    const wr = new Float64Array(n), wi = new Float64Array(n); // w = Wᴴ u
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      wr[j]! += re[i * n + j]! * ur[i]! + im[i * n + j]! * ui[i]!;
      wi[j]! += re[i * n + j]! * ui[i]! - im[i * n + j]! * ur[i]!;
    }
    let s = 0;
    for (let j = 0; j < n; j++) s += wr[j]! ** 2 + wi[j]! ** 2;
    s = Math.sqrt(s);
    norm = Math.sqrt(s); // ‖WᴴW v‖ → σ_max² for unit v
    vr = wr.map((v) => v / s);
    vi = wi.map((v) => v / s);
  }
  const f = 0.9 / norm;
  return [re.map((v) => v * f), im.map((v) => v * f)];
}

interface RealCase {
  n: number; nIn: number; nOut: number; B: number; T: number; tanh: boolean;
  W: A; U: A; V: A; x: A; h0: A; H: A;
}

function realCase(rng: Rng, n: number, nIn: number, nOut: number, B: number, T: number, tanh: boolean): RealCase {
  const W = contracting(rng, n, false)[0], U = randn(rng, n * nIn), V = randn(rng, nOut * n, 1 / Math.sqrt(n));
  const x = randn(rng, B * T * nIn), h0 = randn(rng, n, 0.5);
  const { H } = naiveForward(n, nIn, nOut, B, T, W, U, V, tanh, x, h0);
  return { n, nIn, nOut, B, T, tanh, W, U, V, x, h0, H };
}

interface ComplexCase {
  n: number; nIn: number; nOut: number; B: number; T: number;
  W: C; U: C; V: C; x: C; h0: C; H: C;
}

function complexCase(rng: Rng, n: number, nIn: number, nOut: number, B: number, T: number): ComplexCase {
  const W = contracting(rng, n, true), U = crandn(rng, n * nIn), V = crandn(rng, nOut * n, 1 / Math.sqrt(n));
  const x = crandn(rng, B * T * nIn), h0 = crandn(rng, n, 0.5);
  const { H } = naiveForwardComplex(n, nIn, nOut, B, T, W, U, V, x, h0);
  return { n, nIn, nOut, B, T, W, U, V, x, h0, H };
}

const rtrlWork = (n: number, complex: boolean): A => new Float64Array((complex ? 2 : 1) * (n + n * RTRL_BLOCK));

/** Snapshot of arrays that a kernel must leave unchanged. */
function frozen(...arrays: (A | null)[]): () => void {
  const copies = arrays.map((a) => a?.slice() ?? null);
  return () => arrays.forEach((a, i) => {
    if (a !== null) expect(Array.from(a), `input ${i} unchanged`).toEqual(Array.from(copies[i]!));
  });
}

/** Defines the learning-kernel contract tests for one backend; getKernels is called inside each test. */
export function describeLearningKernelContract(name: string, getKernels: () => LearningKernels): void {
  describe(`learning-kernel contract: ${name}`, () => {
    it('forward matches the naive recursion: n 1 … 13, batches 1/2/5, T 1 and 7, h0 null/given, tanh, Y null', () => {
      const K = getKernels(), rng = testRng(101);
      for (const [n, nIn, nOut] of [[1, 1, 1], [2, 3, 2], [5, 2, 5], [8, 1, 3], [13, 2, 2]] as const) {
        for (const B of [1, 2, 5]) for (const T of [1, 7]) for (const tanh of [false, true]) for (const withH0 of [false, true]) {
          const c = realCase(rng, n, nIn, nOut, B, T, tanh), h0 = withH0 ? c.h0 : null;
          const want = naiveForward(n, nIn, nOut, B, T, c.W, c.U, c.V, tanh, c.x, h0);
          const H = new Float64Array(B * T * n), Y = new Float64Array(B * T * nOut);
          const label = `forward n=${n} I=${nIn} O=${nOut} B=${B} T=${T} tanh=${tanh} h0=${withH0}`;
          const same = frozen(c.W, c.U, c.V, c.x, h0);
          K.forward(n, nIn, nOut, B, T, c.W, c.U, null, 1, c.V, tanh, c.x, h0, H, null, Y);
          same();
          expectStates(H, want.H, `${label} H`);
          expectStates(Y, want.Y, `${label} Y`);
          const H2 = new Float64Array(B * T * n);
          K.forward(n, nIn, nOut, B, T, c.W, c.U, null, 1, c.V, tanh, c.x, h0, H2, null, null);
          expectStates(H2, want.H, `${label} H (Y null)`);
        }
      }
    });

    it('forward across window boundaries: long sequences in pairs, odd batches, many whole sequences', () => {
      const K = getKernels(), rng = testRng(102);
      for (const [B, T, tanh] of [[3, 4000, true], [5, 300, false], [1, 4500, false], [12, 60, true]] as const) {
        const c = realCase(rng, 5, 2, 2, B, T, tanh);
        const want = naiveForward(5, 2, 2, B, T, c.W, c.U, c.V, tanh, c.x, c.h0);
        const H = new Float64Array(B * T * 5), Y = new Float64Array(B * T * 2);
        K.forward(5, 2, 2, B, T, c.W, c.U, null, 1, c.V, tanh, c.x, c.h0, H, null, Y);
        expectStates(H, want.H, `forward B=${B} T=${T} H`);
        expectStates(Y, want.Y, `forward B=${B} T=${T} Y`);
      }
    });

    it('forwardComplex matches the naive complex recursion (h0 only when both parts are given)', () => {
      const K = getKernels(), rng = testRng(103);
      for (const [n, nIn, nOut, B, T] of [[1, 1, 1, 1, 5], [3, 2, 2, 2, 6], [5, 1, 3, 3, 4], [4, 2, 1, 1, 700]] as const) {
        const c = complexCase(rng, n, nIn, nOut, B, T);
        for (const h0 of [null, c.h0, [c.h0[0], null] as const]) {
          const both = h0 !== null && h0[1] !== null ? (h0 as C) : null;
          const want = naiveForwardComplex(n, nIn, nOut, B, T, c.W, c.U, c.V, c.x, both);
          const H: C = [new Float64Array(B * T * n), new Float64Array(B * T * n)], Y: C = [new Float64Array(B * T * nOut), new Float64Array(B * T * nOut)];
          K.forwardComplex(n, nIn, nOut, B, T, c.W[0], c.W[1], c.U[0], c.U[1], null, null, 1, c.V[0], c.V[1], c.x[0], c.x[1], h0?.[0] ?? null, h0?.[1] ?? null, H[0], H[1], Y[0], Y[1]);
          const label = `forwardComplex n=${n} B=${B} T=${T} h0=${h0 === null ? 'null' : both === null ? 'half' : 'given'}`;
          expectStates(H[0], want.H[0], `${label} Re H`);
          expectStates(H[1], want.H[1], `${label} Im H`);
          expectStates(Y[0], want.Y[0], `${label} Re Y`);
          expectStates(Y[1], want.Y[1], `${label} Im Y`);
        }
      }
    });

    it('readoutGrad and readoutGradComplex accumulate Σ Gy hᵀ (hᴴ) over t ≥ from only', () => {
      const K = getKernels(), rng = testRng(104);
      for (const [n, nOut, B, T] of [[1, 1, 1, 3], [6, 3, 3, 9], [8, 2, 2, 3000]] as const) {
        const H = randn(rng, B * T * n), Hc = crandn(rng, B * T * n);
        for (const from of [0, 4, T - 1, T]) {
          const Gy = errors(rng, B, T, nOut, from), gV0 = randn(rng, nOut * n);
          const gV = gV0.slice();
          K.readoutGrad(n, nOut, B, T, from, H, Gy, gV);
          expectSummed(gV, naiveReadout(n, nOut, B, T, from, H, Gy, gV0), `readoutGrad n=${n} B=${B} T=${T} from=${from}`);
          const Gc: C = [errors(rng, B, T, nOut, from), errors(rng, B, T, nOut, from)], g0 = crandn(rng, nOut * n);
          const g: C = [g0[0].slice(), g0[1].slice()];
          K.readoutGradComplex(n, nOut, B, T, from, Hc[0], Hc[1], Gc[0], Gc[1], g[0], g[1]);
          const want = naiveReadoutComplex(n, nOut, B, T, from, Hc, Gc, g0);
          expectSummed(g[0], want[0], `readoutGradComplex re n=${n} from=${from}`);
          expectSummed(g[1], want[1], `readoutGradComplex im n=${n} from=${from}`);
        }
      }
    });

    it('bptt matches naive (t)BPTT: tau 1 / 3 / T / > T, from 0 / 4 / T−1 / T, h0 null/given, tanh, gW or gU null', () => {
      const K = getKernels(), rng = testRng(105);
      const T = 9;
      for (const [n, nIn, nOut] of [[1, 1, 1], [5, 3, 2], [8, 2, 3]] as const) for (const B of [1, 3]) for (const tanh of [false, true]) {
        const c = realCase(rng, n, nIn, nOut, B, T, tanh);
        for (const tau of [1, 3, T, T + 5]) for (const from of [0, 4, T - 1, T]) for (const withH0 of [false, true]) {
          const h0 = withH0 ? c.h0 : null, Gy = errors(rng, B, T, nOut, from);
          const gW0 = randn(rng, n * n), gU0 = randn(rng, n * nIn);
          const want = naiveBptt(n, nIn, nOut, B, T, from, tau, c.W, c.V, tanh, c.x, h0, c.H, Gy, gW0, gU0);
          const label = `bptt n=${n} B=${B} tanh=${tanh} tau=${tau} from=${from} h0=${withH0}`;
          const gW = gW0.slice(), gU = gU0.slice();
          const same = frozen(c.W, c.V, c.x, h0, c.H, Gy);
          K.bptt(n, nIn, nOut, B, T, from, tau, c.W, c.V, 1, tanh, c.x, h0, c.H, null, Gy, gW, gU, null, new Float64Array(2 * n));
          same();
          expectSummed(gW, want.gW, `${label} gW`);
          expectSummed(gU, want.gU, `${label} gU`);
          if (tau === 3 && from === 0) {
            const onlyW = gW0.slice(), onlyU = gU0.slice();
            K.bptt(n, nIn, nOut, B, T, from, tau, c.W, c.V, 1, tanh, c.x, h0, c.H, null, Gy, onlyW, null, null, new Float64Array(2 * n));
            K.bptt(n, nIn, nOut, B, T, from, tau, c.W, c.V, 1, tanh, c.x, h0, c.H, null, Gy, null, onlyU, null, new Float64Array(2 * n));
            expectSummed(onlyW, want.gW, `${label} gW (gU null)`);
            expectSummed(onlyU, want.gU, `${label} gU (gW null)`);
          }
        }
      }
    });

    it('bptt across window boundaries: long sequences, full and truncated, and a batch of whole sequences', () => {
      const K = getKernels(), rng = testRng(106);
      for (const [n, B, T, tau, from, tanh] of [[3, 2, 7000, 7000, 0, true], [3, 1, 7000, 5, 10, false], [4, 5, 200, 200, 3, true],
        [2, 1, 600, 599, 0, false]] as const) {
        const c = realCase(rng, n, 2, 2, B, T, tanh), Gy = errors(rng, B, T, 2, from);
        const gW0 = randn(rng, n * n), gU0 = randn(rng, n * 2);
        const want = naiveBptt(n, 2, 2, B, T, from, tau, c.W, c.V, tanh, c.x, c.h0, c.H, Gy, gW0, gU0);
        const gW = gW0.slice(), gU = gU0.slice();
        K.bptt(n, 2, 2, B, T, from, tau, c.W, c.V, 1, tanh, c.x, c.h0, c.H, null, Gy, gW, gU, null, new Float64Array(2 * n));
        expectSummed(gW, want.gW, `bptt n=${n} B=${B} T=${T} tau=${tau} gW`);
        expectSummed(gU, want.gU, `bptt n=${n} B=${B} T=${T} tau=${tau} gU`);
      }
    });

    it('bpttComplex matches the naive Wirtinger (t)BPTT', () => {
      const K = getKernels(), rng = testRng(107);
      for (const [n, nIn, nOut, B, T] of [[1, 1, 1, 1, 6], [4, 2, 2, 2, 7], [5, 3, 2, 3, 5], [3, 2, 1, 1, 3000]] as const) {
        const c = complexCase(rng, n, nIn, nOut, B, T);
        for (const tau of [2, T]) for (const from of [0, T - 1]) for (const withH0 of [false, true]) {
          const h0 = withH0 ? c.h0 : null, Gy: C = [errors(rng, B, T, nOut, from), errors(rng, B, T, nOut, from)];
          const gW0 = crandn(rng, n * n), gU0 = crandn(rng, n * nIn);
          const want = naiveBpttComplex(n, nIn, nOut, B, T, from, tau, c.W, c.V, c.x, h0, c.H, Gy, gW0, gU0);
          const gW: C = [gW0[0].slice(), gW0[1].slice()], gU: C = [gU0[0].slice(), gU0[1].slice()];
          K.bpttComplex(n, nIn, nOut, B, T, from, tau, c.W[0], c.W[1], c.V[0], c.V[1], 1, c.x[0], c.x[1], h0?.[0] ?? null, h0?.[1] ?? null, c.H[0], c.H[1], Gy[0], Gy[1], gW[0], gW[1], gU[0], gU[1], null, null, new Float64Array(4 * n));
          const label = `bpttComplex n=${n} B=${B} T=${T} tau=${tau} from=${from} h0=${withH0}`;
          expectSummed(gW[0], want.gW[0], `${label} Re gW`);
          expectSummed(gW[1], want.gW[1], `${label} Im gW`);
          expectSummed(gU[0], want.gU[0], `${label} Re gU`);
          expectSummed(gU[1], want.gU[1], `${label} Im gU`);
          if (tau === 2 && from === 0) {
            const onlyU: C = [gU0[0].slice(), gU0[1].slice()];
            K.bpttComplex(n, nIn, nOut, B, T, from, tau, c.W[0], c.W[1], c.V[0], c.V[1], 1, c.x[0], c.x[1], h0?.[0] ?? null, h0?.[1] ?? null, c.H[0], c.H[1], Gy[0], Gy[1], null, null, onlyU[0], onlyU[1], null, null, new Float64Array(4 * n));
            expectSummed(onlyU[0], want.gU[0], `${label} Re gU (gW null)`);
            expectSummed(onlyU[1], want.gU[1], `${label} Im gU (gW null)`);
          }
        }
      }
    });

    it('rtrlChunk matches naive RTRL (carried S, tanh, from, null blocks), and chunked calls equal one call', () => {
      const K = getKernels(), rng = testRng(108);
      for (const [n, nIn, nOut, steps] of [[1, 1, 1, 6], [3, 2, 2, 8], [5, 1, 3, 5], [2, 1, 1, 5000]] as const) for (const tanh of [false, true]) {
        const c = realCase(rng, n, nIn, nOut, 2, steps, tanh), off = steps; // the second sequence of the batch
        for (const from of [0, 3, steps]) {
          const Gy = errors(rng, 2, steps, nOut, from);
          const S0 = [randn(rng, n * n * n, 0.3), randn(rng, n * n * nIn, 0.3)], g0 = [randn(rng, n * n), randn(rng, n * nIn)];
          const want = naiveRtrl(n, nIn, nOut, off, steps, from, c.W, c.V, tanh, c.x, c.h0, c.H, Gy, S0[0]!, S0[1]!, g0[0]!, g0[1]!);
          const label = `rtrlChunk n=${n} I=${nIn} steps=${steps} tanh=${tanh} from=${from}`;
          const run = (chunks: number[], withSU: boolean, withGW: boolean): A[] => {
            const S = S0.map((a) => a.slice()), g = g0.map((a) => a.slice());
            let t0 = 0;
            for (const len of chunks) {
              const prev = t0 === 0 ? c.h0 : c.H.subarray((off + t0 - 1) * n, (off + t0) * n);
              K.rtrlChunk(n, nIn, nOut, off + t0, len, Math.max(0, from - t0), c.W, c.V, 1, tanh, c.x, prev, c.H, null, Gy, S[0]!, withSU ? S[1]! : null, null, withGW ? g[0]! : null, withSU ? g[1]! : null, null, rtrlWork(n, false));
              t0 += len;
            }
            return [...S, ...g];
          };
          const one = run([steps], true, true);
          const sTol = (a: A, e: A, l: string): void => expectClose(a, e, { rtol: 1e-11, atol: 1e-11 * maxAbs(e) }, l);
          sTol(one[0]!, want.SW, `${label} SW`);
          sTol(one[1]!, want.SU, `${label} SU`);
          expectSummed(one[2]!, want.gW, `${label} gW`);
          expectSummed(one[3]!, want.gU, `${label} gU`);
          const split = steps > 3 ? [1, 2, steps - 3] : [steps];
          const chunked = run(split, true, true);
          sTol(chunked[0]!, want.SW, `${label} SW chunked ${split}`);
          expectSummed(chunked[2]!, want.gW, `${label} gW chunked ${split}`);
          expectSummed(chunked[3]!, want.gU, `${label} gU chunked ${split}`);
          const partial = run([steps], false, false); // SU, gU and gW null: SW still advances, the others untouched
          sTol(partial[0]!, want.SW, `${label} SW (others null)`);
          expect(Array.from(partial[1]!), `${label} SU untouched`).toEqual(Array.from(S0[1]!));
          expect(Array.from(partial[2]!), `${label} gW untouched`).toEqual(Array.from(g0[0]!));
        }
      }
    });

    it('rtrlChunkComplex matches naive complex RTRL, chunked or not', () => {
      const K = getKernels(), rng = testRng(109);
      for (const [n, nIn, nOut, steps] of [[1, 1, 1, 5], [3, 2, 2, 7], [2, 1, 2, 3000]] as const) {
        const c = complexCase(rng, n, nIn, nOut, 1, steps);
        for (const from of [0, 2]) {
          const Gy: C = [errors(rng, 1, steps, nOut, from), errors(rng, 1, steps, nOut, from)];
          const SW0 = crandn(rng, n * n * n, 0.3), SU0 = crandn(rng, n * n * nIn, 0.3), gW0 = crandn(rng, n * n), gU0 = crandn(rng, n * nIn);
          const want = naiveRtrlComplex(n, nIn, nOut, 0, steps, from, c.W, c.V, c.x, c.h0, c.H, Gy, SW0, SU0, gW0, gU0);
          for (const split of [[steps], [2, steps - 2]]) {
            const S = [SW0[0], SW0[1], SU0[0], SU0[1], gW0[0], gW0[1], gU0[0], gU0[1]].map((a) => a.slice());
            let t0 = 0;
            for (const len of split) {
              const prev: C = t0 === 0 ? c.h0 : [c.H[0].subarray((t0 - 1) * n, t0 * n), c.H[1].subarray((t0 - 1) * n, t0 * n)];
              K.rtrlChunkComplex(n, nIn, nOut, t0, len, Math.max(0, from - t0), c.W[0], c.W[1], c.V[0], c.V[1], 1, c.x[0], c.x[1], prev[0], prev[1], c.H[0], c.H[1], Gy[0], Gy[1], S[0]!, S[1]!, S[2]!, S[3]!, null, null, S[4]!, S[5]!, S[6]!, S[7]!, null, null, rtrlWork(n, true));
              t0 += len;
            }
            const label = `rtrlChunkComplex n=${n} steps=${steps} from=${from} split=${split}`;
            const sTol = (a: A, e: A, l: string): void => expectClose(a, e, { rtol: 1e-11, atol: 1e-11 * maxAbs(e) }, l);
            sTol(S[0]!, want.SW[0], `${label} Re SW`);
            sTol(S[1]!, want.SW[1], `${label} Im SW`);
            sTol(S[2]!, want.SU[0], `${label} Re SU`);
            sTol(S[3]!, want.SU[1], `${label} Im SU`);
            expectSummed(S[4]!, want.gW[0], `${label} Re gW`);
            expectSummed(S[5]!, want.gW[1], `${label} Im gW`);
            expectSummed(S[6]!, want.gU[0], `${label} Re gU`);
            expectSummed(S[7]!, want.gU[1], `${label} Im gU`);
          }
        }
      }
    });

    it('eligibilityChunk matches the naive trace recursion (decays mixed 0 / negative / near 1, or all equal as in RFLO; tanh, from, null blocks, chunks)', () => {
      const K = getKernels(), rng = testRng(110);
      for (const [n, nIn, nOut, steps] of [[1, 1, 1, 6], [3, 2, 2, 9], [7, 2, 3, 8], [6, 1, 2, 40], [3, 2, 2, 5000]] as const) {
        for (const [tanh, uniform] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const c = realCase(rng, n, nIn, nOut, 2, steps, tanh), off = steps;
          const d = Float64Array.from({ length: n }, (_, i) => (uniform ? 0.6 : [0.5, 0, -0.7, 0.95][i % 4]!)), F = randn(rng, n * nOut);
          for (const from of [0, 3, steps]) {
            const Gy = errors(rng, 2, steps, nOut, from);
            const p0 = [randn(rng, n * n), randn(rng, n * nIn)], g0 = [randn(rng, n * n), randn(rng, n * nIn)];
            const want = naiveElig(n, nIn, nOut, off, steps, from, d, F, tanh, c.x, c.h0, c.H, Gy, p0[0]!, p0[1]!, g0[0]!, g0[1]!);
            const label = `eligibilityChunk n=${n} steps=${steps} tanh=${tanh} uniform=${uniform} from=${from}`;
            const run = (chunks: number[], withU: boolean, withGW: boolean): A[] => {
              const p = p0.map((a) => a.slice()), g = g0.map((a) => a.slice());
              let t0 = 0;
              for (const len of chunks) {
                const prev = t0 === 0 ? c.h0 : c.H.subarray((off + t0 - 1) * n, (off + t0) * n);
                K.eligibilityChunk(n, nIn, nOut, off + t0, len, Math.max(0, from - t0), d, F, 1, tanh, c.x, prev, c.H, null, Gy, p[0]!, withU ? p[1]! : null, null, withGW ? g[0]! : null, withU ? g[1]! : null, null, new Float64Array(n));
                t0 += len;
              }
              return [...p, ...g];
            };
            const one = run([steps], true, true);
            expectSummed(one[0]!, want.pW, `${label} pW`);
            expectSummed(one[1]!, want.pU, `${label} pU`);
            expectSummed(one[2]!, want.gW, `${label} gW`);
            expectSummed(one[3]!, want.gU, `${label} gU`);
            const split = steps > 4 ? [1, 3, steps - 4] : [steps];
            const chunked = run(split, true, true);
            for (const [k, key] of [[0, 'pW'], [1, 'pU'], [2, 'gW'], [3, 'gU']] as const) {
              expectSummed(chunked[k]!, want[key], `${label} ${key} chunked ${split}`);
            }
            const partial = run([steps], false, false);
            expectSummed(partial[0]!, want.pW, `${label} pW (others null)`);
            expect(Array.from(partial[1]!), `${label} pU untouched`).toEqual(Array.from(p0[1]!));
            expect(Array.from(partial[2]!), `${label} gW untouched`).toEqual(Array.from(g0[0]!));
          }
        }
      }
    });

    it('RTRL from zero sensitivities gives the BPTT gradient (two algorithms, 1e-10 relative)', () => {
      const K = getKernels(), rng = testRng(111);
      const [n, nIn, nOut, B, T] = [6, 2, 3, 2, 25];
      for (const tanh of [false, true]) {
        const c = realCase(rng, n, nIn, nOut, B, T, tanh), Gy = randn(rng, B * T * nOut);
        const bW = new Float64Array(n * n), bU = new Float64Array(n * nIn), rW = new Float64Array(n * n), rU = new Float64Array(n * nIn);
        K.bptt(n, nIn, nOut, B, T, 0, T, c.W, c.V, 1, tanh, c.x, c.h0, c.H, null, Gy, bW, bU, null, new Float64Array(2 * n));
        for (let b = 0; b < B; b++) {
          K.rtrlChunk(n, nIn, nOut, b * T, T, 0, c.W, c.V, 1, tanh, c.x, c.h0, c.H, null, Gy, new Float64Array(n * n * n), new Float64Array(n * n * nIn), null, rW, rU, null, rtrlWork(n, false));
        }
        expectClose(rW, bW, { rtol: 0, atol: 1e-10 * maxAbs(bW) }, `RTRL vs BPTT gW tanh=${tanh}`);
        expectClose(rU, bU, { rtol: 0, atol: 1e-10 * maxAbs(bU) }, `RTRL vs BPTT gU tanh=${tanh}`);
      }
      const z = complexCase(rng, 4, 2, 2, 1, 20), Gy = crandn(rng, 20 * 2);
      const b = [0, 1, 2, 3].map((k) => new Float64Array(k < 2 ? 16 : 8)), r = b.map((a) => new Float64Array(a.length));
      K.bpttComplex(4, 2, 2, 1, 20, 0, 20, z.W[0], z.W[1], z.V[0], z.V[1], 1, z.x[0], z.x[1], z.h0[0], z.h0[1], z.H[0], z.H[1], Gy[0], Gy[1], b[0]!, b[1]!, b[2]!, b[3]!, null, null, new Float64Array(16));
      K.rtrlChunkComplex(4, 2, 2, 0, 20, 0, z.W[0], z.W[1], z.V[0], z.V[1], 1, z.x[0], z.x[1], z.h0[0], z.h0[1], z.H[0], z.H[1], Gy[0], Gy[1], new Float64Array(64), new Float64Array(64), new Float64Array(32), new Float64Array(32), null, null, r[0]!, r[1]!, r[2]!, r[3]!, null, null, rtrlWork(4, true));
      for (let k = 0; k < 4; k++) expectClose(r[k]!, b[k]!, { rtol: 0, atol: 1e-10 * maxAbs(b[k]!) }, `complex RTRL vs BPTT part ${k}`);
    });
  });
}

interface ModelCase extends RealCase { b: A; leak: number; Phi: A }

/** A real case of the full model (bias, leak a): states and φ from the naive forward pass. */
function modelCase(rng: Rng, n: number, nIn: number, nOut: number, B: number, T: number, tanh: boolean, leak: number): ModelCase {
  const W = contracting(rng, n, false)[0], U = randn(rng, n * nIn), V = randn(rng, nOut * n, 1 / Math.sqrt(n));
  const x = randn(rng, B * T * nIn), h0 = randn(rng, n, 0.5), b = randn(rng, n, 0.3);
  const { H, Phi } = naiveForward(n, nIn, nOut, B, T, W, U, V, tanh, x, h0, { b, leak });
  return { n, nIn, nOut, B, T, tanh, W, U, V, x, h0, H, b, leak, Phi };
}

/** The Phi a wrapper passes: φ when tanh and leak < 1 (σ' can no longer be read from H), else null. */
const phiArg = (c: ModelCase): A | null => (c.tanh && c.leak < 1 ? c.Phi : null);

/**
 * Contract of the full-model paths (kernels.ts header: leak rate, bias, stored φ, bias gradients / sensitivities /
 * traces) for one backend, against the naive loops with the same tolerances as {@link describeLearningKernelContract}.
 */
export function describeLearningKernelModelContract(name: string, getKernels: () => LearningKernels): void {
  describe(`learning-kernel contract, full model (leak, bias, φ): ${name}`, () => {
    it('forward with bias and leak (Phi stored when given), n 1 … 13, batches 1/3, T 1/7, h0 null/given, Y null', () => {
      const K = getKernels(), rng = testRng(121);
      for (const [n, nIn, nOut] of [[1, 1, 1], [2, 3, 2], [5, 2, 5], [8, 1, 3], [13, 2, 2]] as const) {
        for (const B of [1, 3]) for (const T of [1, 7]) for (const tanh of [false, true]) for (const leak of [1, 0.4]) for (const withH0 of [false, true]) {
          const c = modelCase(rng, n, nIn, nOut, B, T, tanh, leak), h0 = withH0 ? c.h0 : null;
          const want = naiveForward(n, nIn, nOut, B, T, c.W, c.U, c.V, tanh, c.x, h0, { b: c.b, leak });
          const H = new Float64Array(B * T * n), Y = new Float64Array(B * T * nOut), Phi = new Float64Array(B * T * n);
          const label = `forward n=${n} B=${B} T=${T} tanh=${tanh} leak=${leak} h0=${withH0}`;
          const same = frozen(c.W, c.U, c.b, c.V, c.x, h0);
          K.forward(n, nIn, nOut, B, T, c.W, c.U, c.b, leak, c.V, tanh, c.x, h0, H, Phi, Y);
          same();
          expectStates(H, want.H, `${label} H`);
          expectStates(Phi, want.Phi, `${label} Phi`);
          expectStates(Y, want.Y, `${label} Y`);
          const H2 = new Float64Array(B * T * n);
          K.forward(n, nIn, nOut, B, T, c.W, c.U, c.b, leak, c.V, tanh, c.x, h0, H2, null, null);
          expectStates(H2, want.H, `${label} H (Phi, Y null)`);
        }
      }
    });

    it('forward with bias and leak across window boundaries (long sequences, odd batches, many whole sequences)', () => {
      const K = getKernels(), rng = testRng(122);
      for (const [B, T, tanh, leak] of [[3, 4000, true, 0.3], [5, 300, false, 0.7], [1, 4500, true, 1], [12, 60, true, 0.5]] as const) {
        const c = modelCase(rng, 5, 2, 2, B, T, tanh, leak);
        const want = naiveForward(5, 2, 2, B, T, c.W, c.U, c.V, tanh, c.x, c.h0, { b: c.b, leak });
        const H = new Float64Array(B * T * 5), Y = new Float64Array(B * T * 2), Phi = new Float64Array(B * T * 5);
        K.forward(5, 2, 2, B, T, c.W, c.U, c.b, leak, c.V, tanh, c.x, c.h0, H, Phi, Y);
        expectStates(H, want.H, `forward B=${B} T=${T} H`);
        expectStates(Phi, want.Phi, `forward B=${B} T=${T} Phi`);
        expectStates(Y, want.Y, `forward B=${B} T=${T} Y`);
      }
    });

    it('forwardComplex with complex bias and leak', () => {
      const K = getKernels(), rng = testRng(123);
      for (const [n, nIn, nOut, B, T] of [[1, 1, 1, 1, 5], [3, 2, 2, 2, 6], [5, 1, 3, 3, 4], [4, 2, 1, 1, 700]] as const) {
        for (const leak of [1, 0.45]) {
          const c = complexCase(rng, n, nIn, nOut, B, T), b = crandn(rng, n, 0.3);
          const want = naiveForwardComplex(n, nIn, nOut, B, T, c.W, c.U, c.V, c.x, c.h0, { b, leak });
          const H: C = [new Float64Array(B * T * n), new Float64Array(B * T * n)], Y: C = [new Float64Array(B * T * nOut), new Float64Array(B * T * nOut)];
          K.forwardComplex(n, nIn, nOut, B, T, c.W[0], c.W[1], c.U[0], c.U[1], b[0], b[1], leak, c.V[0], c.V[1], c.x[0], c.x[1],
            c.h0[0], c.h0[1], H[0], H[1], Y[0], Y[1]);
          const label = `forwardComplex n=${n} B=${B} T=${T} leak=${leak}`;
          for (let k = 0; k < 2; k++) {
            expectStates(H[k]!, want.H[k]!, `${label} H part ${k}`);
            expectStates(Y[k]!, want.Y[k]!, `${label} Y part ${k}`);
          }
        }
      }
    });

    it('bptt with leak, φ and gb: tau 1 / 3 / T, from 0 / 4 / T−1, h0 null/given, tanh, only gb', () => {
      const K = getKernels(), rng = testRng(124);
      const T = 9;
      for (const [n, nIn, nOut] of [[1, 1, 1], [5, 3, 2], [8, 2, 3]] as const) for (const B of [1, 3]) for (const tanh of [false, true]) for (const leak of [0.35, 1]) {
        const c = modelCase(rng, n, nIn, nOut, B, T, tanh, leak);
        for (const tau of [1, 3, T]) for (const from of [0, 4, T - 1]) for (const withH0 of [false, true]) {
          const h0 = withH0 ? c.h0 : null, Gy = errors(rng, B, T, nOut, from);
          const gW0 = randn(rng, n * n), gU0 = randn(rng, n * nIn), gb0 = randn(rng, n);
          const want = naiveBptt(n, nIn, nOut, B, T, from, tau, c.W, c.V, tanh, c.x, h0, c.H, Gy, gW0, gU0, { leak, Phi: phiArg(c), gb0 });
          const label = `bptt n=${n} B=${B} tanh=${tanh} leak=${leak} tau=${tau} from=${from} h0=${withH0}`;
          const gW = gW0.slice(), gU = gU0.slice(), gb = gb0.slice();
          const same = frozen(c.W, c.V, c.x, h0, c.H, c.Phi, Gy);
          K.bptt(n, nIn, nOut, B, T, from, tau, c.W, c.V, leak, tanh, c.x, h0, c.H, phiArg(c), Gy, gW, gU, gb, new Float64Array(2 * n));
          same();
          expectSummed(gW, want.gW, `${label} gW`);
          expectSummed(gU, want.gU, `${label} gU`);
          expectSummed(gb, want.gb, `${label} gb`);
          if (from === 0 && withH0) {
            const only = gb0.slice();
            K.bptt(n, nIn, nOut, B, T, from, tau, c.W, c.V, leak, tanh, c.x, h0, c.H, phiArg(c), Gy, null, null, only, new Float64Array(2 * n));
            expectSummed(only, want.gb, `${label} gb (gW, gU null)`);
          }
        }
      }
    });

    it('bptt with leak, φ and gb across window boundaries and for a batch of whole sequences', () => {
      const K = getKernels(), rng = testRng(125);
      for (const [n, B, T, tau, from, tanh, leak] of [[3, 2, 7000, 7000, 0, true, 0.4], [3, 1, 7000, 5, 10, false, 0.6],
        [4, 5, 200, 200, 3, true, 0.5], [4, 6, 50, 50, 0, false, 0.8], [2, 1, 600, 599, 0, true, 1]] as const) {
        const c = modelCase(rng, n, 2, 2, B, T, tanh, leak), Gy = errors(rng, B, T, 2, from);
        const gW0 = randn(rng, n * n), gU0 = randn(rng, n * 2), gb0 = randn(rng, n);
        const want = naiveBptt(n, 2, 2, B, T, from, tau, c.W, c.V, tanh, c.x, c.h0, c.H, Gy, gW0, gU0, { leak, Phi: phiArg(c), gb0 });
        const gW = gW0.slice(), gU = gU0.slice(), gb = gb0.slice();
        K.bptt(n, 2, 2, B, T, from, tau, c.W, c.V, leak, tanh, c.x, c.h0, c.H, phiArg(c), Gy, gW, gU, gb, new Float64Array(2 * n));
        const label = `bptt n=${n} B=${B} T=${T} tau=${tau} leak=${leak}`;
        expectSummed(gW, want.gW, `${label} gW`);
        expectSummed(gU, want.gU, `${label} gU`);
        expectSummed(gb, want.gb, `${label} gb`);
      }
    });

    it('bpttComplex with leak and gb (full and truncated, long sequences)', () => {
      const K = getKernels(), rng = testRng(126);
      for (const [n, nIn, nOut, B, T] of [[1, 1, 1, 1, 6], [4, 2, 2, 2, 7], [3, 2, 1, 1, 3000]] as const) {
        const c = complexCase(rng, n, nIn, nOut, B, T);
        for (const leak of [0.5, 1]) for (const tau of [2, T]) for (const from of [0, T - 1]) {
          const Gy: C = [errors(rng, B, T, nOut, from), errors(rng, B, T, nOut, from)];
          const gW0 = crandn(rng, n * n), gU0 = crandn(rng, n * nIn), gb0 = crandn(rng, n);
          const want = naiveBpttComplex(n, nIn, nOut, B, T, from, tau, c.W, c.V, c.x, c.h0, c.H, Gy, gW0, gU0, { leak, gb0 });
          const g = [gW0[0], gW0[1], gU0[0], gU0[1], gb0[0], gb0[1]].map((a) => a.slice());
          K.bpttComplex(n, nIn, nOut, B, T, from, tau, c.W[0], c.W[1], c.V[0], c.V[1], leak, c.x[0], c.x[1], c.h0[0], c.h0[1],
            c.H[0], c.H[1], Gy[0], Gy[1], g[0]!, g[1]!, g[2]!, g[3]!, g[4]!, g[5]!, new Float64Array(4 * n));
          const label = `bpttComplex n=${n} T=${T} leak=${leak} tau=${tau} from=${from}`;
          const parts = [want.gW[0], want.gW[1], want.gU[0], want.gU[1], want.gb[0], want.gb[1]];
          parts.forEach((w, k) => expectSummed(g[k]!, w, `${label} part ${k}`));
        }
      }
    });

    it('rtrlChunk with leak, φ and bias sensitivities (carried S, from, chunked = one call, only Sb)', () => {
      const K = getKernels(), rng = testRng(127);
      for (const [n, nIn, nOut, steps] of [[1, 1, 1, 6], [3, 2, 2, 8], [5, 1, 3, 5], [2, 1, 1, 3000]] as const) {
        for (const tanh of [false, true]) for (const leak of [0.45, 1]) {
          const c = modelCase(rng, n, nIn, nOut, 2, steps, tanh, leak), off = steps, Phi = phiArg(c);
          for (const from of [0, 3]) {
            const Gy = errors(rng, 2, steps, nOut, from);
            const S0 = [randn(rng, n * n * n, 0.3), randn(rng, n * n * nIn, 0.3), randn(rng, n * n, 0.3)];
            const g0 = [randn(rng, n * n), randn(rng, n * nIn), randn(rng, n)];
            const want = naiveRtrl(n, nIn, nOut, off, steps, from, c.W, c.V, tanh, c.x, c.h0, c.H, Gy, S0[0]!, S0[1]!, g0[0]!, g0[1]!,
              { leak, Phi, Sb0: S0[2]!, gb0: g0[2]! });
            const label = `rtrlChunk n=${n} steps=${steps} tanh=${tanh} leak=${leak} from=${from}`;
            const run = (chunks: number[], all: boolean): A[] => {
              const S = S0.map((a) => a.slice()), g = g0.map((a) => a.slice());
              let t0 = 0;
              for (const len of chunks) {
                const prev = t0 === 0 ? c.h0 : c.H.subarray((off + t0 - 1) * n, (off + t0) * n);
                K.rtrlChunk(n, nIn, nOut, off + t0, len, Math.max(0, from - t0), c.W, c.V, leak, tanh, c.x, prev, c.H, Phi, Gy,
                  all ? S[0]! : null, all ? S[1]! : null, S[2]!, all ? g[0]! : null, all ? g[1]! : null, g[2]!, rtrlWork(n, false));
                t0 += len;
              }
              return [...S, ...g];
            };
            const sTol = (a: A, e: A, l: string): void => expectClose(a, e, { rtol: 1e-11, atol: 1e-11 * maxAbs(e) }, l);
            for (const split of steps > 3 ? [[steps], [1, 2, steps - 3]] : [[steps]]) {
              const r = run(split, true);
              sTol(r[0]!, want.SW, `${label} SW ${split}`);
              sTol(r[1]!, want.SU, `${label} SU ${split}`);
              sTol(r[2]!, want.Sb, `${label} Sb ${split}`);
              expectSummed(r[3]!, want.gW, `${label} gW ${split}`);
              expectSummed(r[4]!, want.gU, `${label} gU ${split}`);
              expectSummed(r[5]!, want.gb, `${label} gb ${split}`);
            }
            const only = run([steps], false);
            sTol(only[2]!, want.Sb, `${label} Sb (others null)`);
            expectSummed(only[5]!, want.gb, `${label} gb (others null)`);
            expect(Array.from(only[0]!), `${label} SW untouched`).toEqual(Array.from(S0[0]!));
          }
        }
      }
    });

    it('rtrlChunkComplex with leak and bias sensitivities, chunked or not', () => {
      const K = getKernels(), rng = testRng(128);
      for (const [n, nIn, nOut, steps] of [[1, 1, 1, 5], [3, 2, 2, 7], [2, 1, 2, 2000]] as const) for (const leak of [0.6, 1]) {
        const c = complexCase(rng, n, nIn, nOut, 1, steps);
        const Gy: C = [errors(rng, 1, steps, nOut, 1), errors(rng, 1, steps, nOut, 1)];
        const SW0 = crandn(rng, n * n * n, 0.3), SU0 = crandn(rng, n * n * nIn, 0.3), Sb0 = crandn(rng, n * n, 0.3);
        const gW0 = crandn(rng, n * n), gU0 = crandn(rng, n * nIn), gb0 = crandn(rng, n);
        const want = naiveRtrlComplex(n, nIn, nOut, 0, steps, 1, c.W, c.V, c.x, c.h0, c.H, Gy, SW0, SU0, gW0, gU0, { leak, Sb0, gb0 });
        for (const split of [[steps], [2, steps - 2]]) {
          const S = [SW0[0], SW0[1], SU0[0], SU0[1], Sb0[0], Sb0[1], gW0[0], gW0[1], gU0[0], gU0[1], gb0[0], gb0[1]].map((a) => a.slice());
          let t0 = 0;
          for (const len of split) {
            const prev: C = t0 === 0 ? c.h0 : [c.H[0].subarray((t0 - 1) * n, t0 * n), c.H[1].subarray((t0 - 1) * n, t0 * n)];
            K.rtrlChunkComplex(n, nIn, nOut, t0, len, Math.max(0, 1 - t0), c.W[0], c.W[1], c.V[0], c.V[1], leak, c.x[0], c.x[1],
              prev[0], prev[1], c.H[0], c.H[1], Gy[0], Gy[1], S[0]!, S[1]!, S[2]!, S[3]!, S[4]!, S[5]!, S[6]!, S[7]!, S[8]!, S[9]!,
              S[10]!, S[11]!, rtrlWork(n, true));
            t0 += len;
          }
          const label = `rtrlChunkComplex n=${n} steps=${steps} leak=${leak} split=${split}`;
          const sTol = (a: A, e: A, l: string): void => expectClose(a, e, { rtol: 1e-11, atol: 1e-11 * maxAbs(e) }, l);
          [want.SW[0], want.SW[1], want.SU[0], want.SU[1], want.Sb[0], want.Sb[1]].forEach((w, k) => sTol(S[k]!, w, `${label} S part ${k}`));
          [want.gW[0], want.gW[1], want.gU[0], want.gU[1], want.gb[0], want.gb[1]].forEach((w, k) => expectSummed(S[6 + k]!, w, `${label} g part ${k}`));
        }
      }
    });

    it('eligibilityChunk with leak, φ and bias traces (decays mixed or equal, tanh, from, chunks, only pb)', () => {
      const K = getKernels(), rng = testRng(129);
      for (const [n, nIn, nOut, steps] of [[1, 1, 1, 6], [3, 2, 2, 9], [7, 2, 3, 8], [6, 1, 2, 40], [3, 2, 2, 3000]] as const) {
        for (const [tanh, uniform] of [[false, false], [true, false], [false, true], [true, true]] as const) for (const leak of [0.3, 1]) {
          const c = modelCase(rng, n, nIn, nOut, 2, steps, tanh, leak), off = steps, Phi = phiArg(c);
          const d = Float64Array.from({ length: n }, (_, i) => (uniform ? 0.6 : [0.5, 0, -0.7, 0.95][i % 4]!)), F = randn(rng, n * nOut);
          for (const from of [0, 3]) {
            const Gy = errors(rng, 2, steps, nOut, from);
            const p0 = [randn(rng, n * n), randn(rng, n * nIn), randn(rng, n)], g0 = [randn(rng, n * n), randn(rng, n * nIn), randn(rng, n)];
            const want = naiveElig(n, nIn, nOut, off, steps, from, d, F, tanh, c.x, c.h0, c.H, Gy, p0[0]!, p0[1]!, g0[0]!, g0[1]!,
              { leak, Phi, pb0: p0[2]!, gb0: g0[2]! });
            const label = `eligibilityChunk n=${n} steps=${steps} tanh=${tanh} uniform=${uniform} leak=${leak} from=${from}`;
            const run = (chunks: number[], all: boolean): A[] => {
              const p = p0.map((a) => a.slice()), g = g0.map((a) => a.slice());
              let t0 = 0;
              for (const len of chunks) {
                const prev = t0 === 0 ? c.h0 : c.H.subarray((off + t0 - 1) * n, (off + t0) * n);
                K.eligibilityChunk(n, nIn, nOut, off + t0, len, Math.max(0, from - t0), d, F, leak, tanh, c.x, prev, c.H, Phi, Gy,
                  all ? p[0]! : null, all ? p[1]! : null, p[2]!, all ? g[0]! : null, all ? g[1]! : null, g[2]!, new Float64Array(n));
                t0 += len;
              }
              return [...p, ...g];
            };
            const keys = ['pW', 'pU', 'pb', 'gW', 'gU', 'gb'] as const;
            for (const split of steps > 4 ? [[steps], [1, 3, steps - 4]] : [[steps]]) {
              const r = run(split, true);
              keys.forEach((key, k) => expectSummed(r[k]!, want[key], `${label} ${key} ${split}`));
            }
            const only = run([steps], false);
            expectSummed(only[2]!, want.pb, `${label} pb (others null)`);
            expectSummed(only[5]!, want.gb, `${label} gb (others null)`);
            expect(Array.from(only[0]!), `${label} pW untouched`).toEqual(Array.from(p0[0]!));
          }
        }
      }
    });

    it('RTRL from zero sensitivities gives the BPTT gradient with leak, φ and bias (1e-10 relative)', () => {
      const K = getKernels(), rng = testRng(130);
      const [n, nIn, nOut, B, T] = [6, 2, 3, 2, 25];
      for (const tanh of [false, true]) {
        const c = modelCase(rng, n, nIn, nOut, B, T, tanh, 0.55), Gy = randn(rng, B * T * nOut), Phi = phiArg(c);
        const bg = [n * n, n * nIn, n].map((l) => new Float64Array(l)), rg = bg.map((a) => new Float64Array(a.length));
        K.bptt(n, nIn, nOut, B, T, 0, T, c.W, c.V, c.leak, tanh, c.x, c.h0, c.H, Phi, Gy, bg[0]!, bg[1]!, bg[2]!, new Float64Array(2 * n));
        for (let b = 0; b < B; b++) {
          K.rtrlChunk(n, nIn, nOut, b * T, T, 0, c.W, c.V, c.leak, tanh, c.x, c.h0, c.H, Phi, Gy, new Float64Array(n * n * n),
            new Float64Array(n * n * nIn), new Float64Array(n * n), rg[0]!, rg[1]!, rg[2]!, rtrlWork(n, false));
        }
        bg.forEach((g, k) => expectClose(rg[k]!, g, { rtol: 0, atol: 1e-10 * maxAbs(g) }, `RTRL vs BPTT part ${k} tanh=${tanh}`));
      }
    });
  });
}
