// The learning family of the wasm backend against its JS twin: both variants (small calls in JS, every call in
// WebAssembly), the small-call dispatch, and agreement to rounding on random inputs of the benchmark's shapes.
import { describe, expect, it } from 'vitest';
import { RTRL_BLOCK, jsBackend, type WasmBackend } from '../../src/backend/index.js';
import { SMALL_CALL_WORK } from '../../src/backend/learning/wasm.js';
import { expectClose, maxAbs, testRng } from '../helpers.js';

/** Defines the twin tests of the learning family; getWasm is called inside each test. */
export function describeLearningTwins(getWasm: () => WasmBackend): void {
  describe('wasm learning family against its js twin', () => {
    it('is the wasm one in both variants, and the same objects on every call', () => {
      expect(getWasm().learning.name).toBe('wasm');
      expect(getWasm().learningEveryCall.name).toBe('wasm');
      expect(getWasm().learning).not.toBe(getWasm().learningEveryCall);
      expect(getWasm().learning).toBe(getWasm().learning);
    });

    it('run calls below SMALL_CALL_WORK multiply–adds through the js reference (identical numbers)', () => {
      const rng = testRng(202);
      const [n, nIn, nOut, B, T] = [3, 1, 1, 1, 5]; // forward work B·T·n·(n + I + O) = 75
      expect(B * T * n * (n + nIn + nOut)).toBeLessThan(SMALL_CALL_WORK);
      const W = rng.fillNormal(new Float64Array(n * n), 0.5), U = rng.fillNormal(new Float64Array(n * nIn)), V = rng.fillNormal(new Float64Array(nOut * n));
      const x = rng.fillNormal(new Float64Array(B * T * nIn)), H = [0, 1].map(() => new Float64Array(B * T * n)), Y = [0, 1].map(() => new Float64Array(B * T * nOut));
      jsBackend.learning.forward(n, nIn, nOut, B, T, W, U, null, 1, V, true, x, null, H[0]!, null, Y[0]!);
      getWasm().learning.forward(n, nIn, nOut, B, T, W, U, null, 1, V, true, x, null, H[1]!, null, Y[1]!);
      expect(Array.from(H[1]!)).toEqual(Array.from(H[0]!));
      expect(Array.from(Y[1]!)).toEqual(Array.from(Y[0]!));
    });

    // Same sums in different orders (and, for the traces, regrouped): rounding-level differences only. 1e-11 of
    // max|·| leaves four orders of magnitude above the observed ≈1e-15 while any real disagreement is O(1).
    it('agree with the js reference on random inputs of the benchmark shapes (N 32, I 2, O 2), every kernel', () => {
      const rng = testRng(201), W = getWasm().learningEveryCall, J = jsBackend.learning;
      const r = (len: number, s = 1): Float64Array => rng.fillNormal(new Float64Array(len), s);
      const close = (a: Float64Array, b: Float64Array, label: string): void => expectClose(a, b, { rtol: 0, atol: 1e-11 * maxAbs(b) }, label);
      const n = 32, nIn = 2, nOut = 2, B = 3, T = 60;
      const Wm = r(n * n, 0.9 / Math.sqrt(n)), U = r(n * nIn), V = r(nOut * n, 1 / Math.sqrt(n)), x = r(B * T * nIn), h0 = r(n, 0.3);
      for (const tanh of [false, true]) {
        const out = [0, 1].map(() => ({ H: new Float64Array(B * T * n), Y: new Float64Array(B * T * nOut) }));
        [J, W].forEach((K, i) => K.forward(n, nIn, nOut, B, T, Wm, U, null, 1, V, tanh, x, h0, out[i]!.H, null, out[i]!.Y));
        close(out[1]!.H, out[0]!.H, `forward H tanh=${tanh}`);
        close(out[1]!.Y, out[0]!.Y, `forward Y tanh=${tanh}`);
        const H = out[0]!.H, Gy = r(B * T * nOut);
        const gV = [0, 1].map(() => new Float64Array(nOut * n));
        [J, W].forEach((K, i) => K.readoutGrad(n, nOut, B, T, 0, H, Gy, gV[i]!));
        close(gV[1]!, gV[0]!, 'readoutGrad');
        for (const tau of [T, 7]) {
          const g = [0, 1].map(() => [new Float64Array(n * n), new Float64Array(n * nIn)]);
          [J, W].forEach((K, i) => K.bptt(n, nIn, nOut, B, T, 0, tau, Wm, V, 1, tanh, x, h0, H, null, Gy, g[i]![0]!, g[i]![1]!, null, new Float64Array(2 * n)));
          close(g[1]![0]!, g[0]![0]!, `bptt gW tau=${tau} tanh=${tanh}`);
          close(g[1]![1]!, g[0]![1]!, `bptt gU tau=${tau} tanh=${tanh}`);
        }
        const S = [0, 1].map(() => [new Float64Array(n * n * n), new Float64Array(n * n * nIn), new Float64Array(n * n), new Float64Array(n * nIn)]);
        [J, W].forEach((K, i) => K.rtrlChunk(n, nIn, nOut, T, T, 0, Wm, V, 1, tanh, x, H.subarray(T * n - n, T * n), H, null, Gy,
          S[i]![0]!, S[i]![1]!, null, S[i]![2]!, S[i]![3]!, null, new Float64Array(n + n * RTRL_BLOCK)));
        S[0]!.forEach((v, k) => close(S[1]![k]!, v, `rtrlChunk output ${k} tanh=${tanh}`));
        const d = new Float64Array(n).fill(0.5), F = r(n * nOut, 1 / Math.sqrt(n));
        const P = [0, 1].map(() => [new Float64Array(n * n), new Float64Array(n * nIn), new Float64Array(n * n), new Float64Array(n * nIn)]);
        [J, W].forEach((K, i) => {
          for (let b = 0; b < B; b++) {
            P[i]![0]!.fill(0);
            P[i]![1]!.fill(0);
            K.eligibilityChunk(n, nIn, nOut, b * T, T, 0, d, F, 1, tanh, x, h0, H, null, Gy, P[i]![0]!, P[i]![1]!, null, P[i]![2]!, P[i]![3]!, null, new Float64Array(n));
          }
        });
        P[0]!.forEach((v, k) => close(P[1]![k]!, v, `eligibilityChunk output ${k} tanh=${tanh}`));
      }
    });
    // As above: the same sums in other orders; 1e-11 of max|·| is far above rounding and far below any real error.
    it('agree with the js reference on the benchmark shapes (N 32, I 2, O 2) with leak 0.6, bias and tanh, every kernel', () => {
      const rng = testRng(204), W = getWasm().learningEveryCall, J = jsBackend.learning;
      const r = (len: number, s = 1): Float64Array => rng.fillNormal(new Float64Array(len), s);
      const close = (a: Float64Array, b: Float64Array, label: string): void => expectClose(a, b, { rtol: 0, atol: 1e-11 * maxAbs(b) }, label);
      const n = 32, nIn = 2, nOut = 2, B = 3, T = 60, leak = 0.6;
      const Wm = r(n * n, 0.9 / Math.sqrt(n)), U = r(n * nIn), V = r(nOut * n, 1 / Math.sqrt(n)), x = r(B * T * nIn), h0 = r(n, 0.3), b = r(n, 0.3);
      for (const tanh of [false, true]) {
        const out = [0, 1].map(() => ({ H: new Float64Array(B * T * n), P: new Float64Array(B * T * n), Y: new Float64Array(B * T * nOut) }));
        [J, W].forEach((K, i) => K.forward(n, nIn, nOut, B, T, Wm, U, b, leak, V, tanh, x, h0, out[i]!.H, out[i]!.P, out[i]!.Y));
        close(out[1]!.H, out[0]!.H, `forward H tanh=${tanh}`);
        close(out[1]!.P, out[0]!.P, `forward Phi tanh=${tanh}`);
        close(out[1]!.Y, out[0]!.Y, `forward Y tanh=${tanh}`);
        const H = out[0]!.H, Phi = tanh ? out[0]!.P : null, Gy = r(B * T * nOut);
        for (const tau of [T, 7]) {
          const g = [0, 1].map(() => [new Float64Array(n * n), new Float64Array(n * nIn), new Float64Array(n)]);
          [J, W].forEach((K, i) => K.bptt(n, nIn, nOut, B, T, 0, tau, Wm, V, leak, tanh, x, h0, H, Phi, Gy, g[i]![0]!, g[i]![1]!, g[i]![2]!, new Float64Array(2 * n)));
          g[0]!.forEach((v, k) => close(g[1]![k]!, v, `bptt output ${k} tau=${tau} tanh=${tanh}`));
        }
        const S = [0, 1].map(() => [new Float64Array(n * n * n), new Float64Array(n * n * nIn), new Float64Array(n * n), new Float64Array(n * n),
          new Float64Array(n * nIn), new Float64Array(n)]);
        [J, W].forEach((K, i) => K.rtrlChunk(n, nIn, nOut, T, T, 0, Wm, V, leak, tanh, x, H.subarray(T * n - n, T * n), H, Phi, Gy,
          S[i]![0]!, S[i]![1]!, S[i]![2]!, S[i]![3]!, S[i]![4]!, S[i]![5]!, new Float64Array(n + n * RTRL_BLOCK)));
        S[0]!.forEach((v, k) => close(S[1]![k]!, v, `rtrlChunk output ${k} tanh=${tanh}`));
        const d = new Float64Array(n).fill(0.5), F = r(n * nOut, 1 / Math.sqrt(n));
        const P = [0, 1].map(() => [n * n, n * nIn, n, n * n, n * nIn, n].map((l) => new Float64Array(l)));
        [J, W].forEach((K, i) => {
          for (let s = 0; s < B; s++) {
            for (let k = 0; k < 3; k++) P[i]![k]!.fill(0);
            K.eligibilityChunk(n, nIn, nOut, s * T, T, 0, d, F, leak, tanh, x, h0, H, Phi, Gy, P[i]![0]!, P[i]![1]!, P[i]![2]!, P[i]![3]!, P[i]![4]!,
              P[i]![5]!, new Float64Array(n));
          }
        });
        P[0]!.forEach((v, k) => close(P[1]![k]!, v, `eligibilityChunk output ${k} tanh=${tanh}`));
      }
    });

    // The complex (linear) kernels, same shapes and tolerance: forward, readout gradient, (t)BPTT and an RTRL chunk.
    it('agree with the js reference on complex networks (N 32, I 2, O 2), every complex kernel', () => {
      const rng = testRng(203), W = getWasm().learningEveryCall, J = jsBackend.learning;
      const r = (len: number, s = 1): Float64Array => rng.fillNormal(new Float64Array(len), s);
      const close = (a: Float64Array, b: Float64Array, label: string): void => expectClose(a, b, { rtol: 0, atol: 1e-11 * maxAbs(b) }, label);
      const n = 32, nIn = 2, nOut = 2, B = 3, T = 60, s = 0.9 / Math.sqrt(2 * n);
      const [Wr, Wi, Ur, Ui, Vr, Vi] = [r(n * n, s), r(n * n, s), r(n * nIn), r(n * nIn), r(nOut * n, 1 / Math.sqrt(n)), r(nOut * n, 1 / Math.sqrt(n))];
      const [xr, xi, h0r, h0i, br, bi] = [r(B * T * nIn), r(B * T * nIn), r(n, 0.3), r(n, 0.3), r(n, 0.3), r(n, 0.3)];
      const leak = 0.7; // the full model: leak and bias (a = 1 without bias is covered by the contract suite)
      const out = [0, 1].map(() => ({ Hr: new Float64Array(B * T * n), Hi: new Float64Array(B * T * n), Yr: new Float64Array(B * T * nOut), Yi: new Float64Array(B * T * nOut) }));
      [J, W].forEach((K, i) => K.forwardComplex(n, nIn, nOut, B, T, Wr, Wi, Ur, Ui, br, bi, leak, Vr, Vi, xr, xi, h0r, h0i, out[i]!.Hr, out[i]!.Hi, out[i]!.Yr, out[i]!.Yi));
      for (const key of ['Hr', 'Hi', 'Yr', 'Yi'] as const) close(out[1]![key], out[0]![key], `forwardComplex ${key}`);
      const { Hr, Hi } = out[0]!, [Gr, Gi] = [r(B * T * nOut), r(B * T * nOut)];
      const gV = [0, 1].map(() => [new Float64Array(nOut * n), new Float64Array(nOut * n)]);
      [J, W].forEach((K, i) => K.readoutGradComplex(n, nOut, B, T, 5, Hr, Hi, Gr, Gi, gV[i]![0]!, gV[i]![1]!));
      gV[0]!.forEach((v, k) => close(gV[1]![k]!, v, `readoutGradComplex part ${k}`));
      for (const tau of [T, 7]) {
        const g = [0, 1].map(() => [n * n, n * n, n * nIn, n * nIn, n, n].map((len) => new Float64Array(len)));
        [J, W].forEach((K, i) => K.bpttComplex(n, nIn, nOut, B, T, 0, tau, Wr, Wi, Vr, Vi, leak, xr, xi, h0r, h0i, Hr, Hi, Gr, Gi,
          g[i]![0]!, g[i]![1]!, g[i]![2]!, g[i]![3]!, g[i]![4]!, g[i]![5]!, new Float64Array(4 * n)));
        g[0]!.forEach((v, k) => close(g[1]![k]!, v, `bpttComplex output ${k} tau=${tau}`));
      }
      // sequence 1 as one chunk, h before it = its h0
      const S = [0, 1].map(() => [n * n * n, n * n * n, n * n * nIn, n * n * nIn, n * n, n * n, n * n, n * n, n * nIn, n * nIn, n, n].map((len) => new Float64Array(len)));
      [J, W].forEach((K, i) => {
        const q = S[i]!;
        K.rtrlChunkComplex(n, nIn, nOut, T, T, 0, Wr, Wi, Vr, Vi, leak, xr, xi, h0r, h0i, Hr, Hi, Gr, Gi,
          q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, q[5]!, q[6]!, q[7]!, q[8]!, q[9]!, q[10]!, q[11]!, new Float64Array(2 * n + 2 * n * RTRL_BLOCK));
      });
      S[0]!.forEach((v, k) => close(S[1]![k]!, v, `rtrlChunkComplex output ${k}`));
    });
  });
}
