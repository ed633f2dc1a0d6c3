// The blas, rollout and readout families of the wasm backend against their JS twins (random inputs, every kernel),
// and the runtime they share: it moves to a larger memory instead of growing one, and keeps working afterwards.
import { describe, expect, it } from 'vitest';
import { jsBackend, type WasmBackend } from '../../src/backend/index.js';
import { createRuntime } from '../../src/backend/wasm/runtime.js';
import { expectWithinScale } from './kernels.contract.js';
import { expectClose, maxAbs, testRng } from '../helpers.js';

/** Defines the twin tests of the blas, rollout and readout families; getWasm is called inside each test. */
export function describeKernelTwins(getWasm: () => WasmBackend): void {
  describe('wasm blas, rollout and readout families against their js twins', () => {
    // Both backends compute the same sums in different orders; 1e-12·Σ|terms| (direct) and 1e-12·max (rollout)
    // are rounding-level (see the contract header), so any real disagreement fails.
    it('blas, rollout and readout agree with the js twin to rounding on random inputs, every kernel', () => {
      const rng = testRng(77), W = getWasm(), J = jsBackend;
      const r = (len: number, s = 1): Float64Array => rng.fillNormal(new Float64Array(len), s);
      const close = (a: Float64Array, b: Float64Array, label: string, rtol = 1e-12): void =>
        expectClose(a, b, { rtol, atol: rtol * maxAbs(b) }, label);

      const m = 37, n = 29, k = 41;
      const a = r(m * k), b = r(k * n), c = r(m * n);
      const c1 = c.slice(), c2 = c.slice();
      J.blas.gemm(true, false, m, n, k, 0.8, a, b, 0.3, c1);
      W.blas.gemm(true, false, m, n, k, 0.8, a, b, 0.3, c2);
      const scale = new Float64Array(m * n).fill(k * maxAbs(a) * maxAbs(b)); // crude Σ|terms| bound
      expectWithinScale(c2, c1, scale, 1e-12, 'gemm');

      const [zr, zi, wr, wi] = [r(m * k), r(m * k), r(n * k), r(n * k)];
      const o1 = [new Float64Array(m * n), new Float64Array(m * n)], o2 = [new Float64Array(m * n), new Float64Array(m * n)];
      J.blas.zgemm('N', 'C', m, n, k, 1.1, zr, zi, wr, wi, 0, o1[0]!, o1[1]!);
      W.blas.zgemm('N', 'C', m, n, k, 1.1, zr, zi, wr, wi, 0, o2[0]!, o2[1]!);
      const zscale = new Float64Array(m * n).fill(4 * k * 1.1 * Math.max(maxAbs(zr), maxAbs(zi)) * Math.max(maxAbs(wr), maxAbs(wi)));
      expectWithinScale(o2[0]!, o1[0]!, zscale, 1e-12, 'zgemm re');
      expectWithinScale(o2[1]!, o1[1]!, zscale, 1e-12, 'zgemm im');

      const N = 30, I = 3, B = 2, T = 200;
      const p = { n: N, nIn: I, W: r(N * N, 0.9 / Math.sqrt(N)), U: r(N * I), bias: r(N), leak: 0.6, tanh: true };
      const x = r(B * T * I), h0 = r(B * N), s1 = new Float64Array(B * T * N), s2 = s1.slice();
      J.rollout.rollout(p, B, T, x, h0, s1);
      W.rollout.rollout(p, B, T, x, h0, s2);
      close(s2, s1, 'rollout');

      const cp = { n: N, nIn: I, Wre: p.W, Wim: r(N * N, 0.3 / Math.sqrt(N)), Ure: p.U, Uim: r(N * I), biasRe: null, biasIm: p.bias, leak: 1 };
      const xi = r(B * T * I), q = [0, 1, 2, 3].map(() => new Float64Array(B * T * N));
      J.rollout.rolloutComplex(cp, B, T, x, xi, h0, null, q[0]!, q[1]!);
      W.rollout.rolloutComplex(cp, B, T, x, xi, h0, null, q[2]!, q[3]!);
      close(q[2]!, q[0]!, 'rolloutComplex re');
      close(q[3]!, q[1]!, 'rolloutComplex im');

      const rows = 700, o = 3, H = r(rows * N), Hi = r(rows * N), Y = r(rows * o), Yi = r(rows * o);
      const g = [0, 1].map(() => [new Float64Array(N * N), new Float64Array(N * o), new Float64Array(N), new Float64Array(o)] as const);
      J.readout.gramAccumulate(N, o, 5, rows, H, Y, ...g[0]!);
      W.readout.gramAccumulate(N, o, 5, rows, H, Y, ...g[1]!);
      g[0]!.forEach((v, i) => close(g[1]![i]!, v, `gramAccumulate output ${i}`));
      const gc = [0, 1].map(() => [N * N, N * N, N * o, N * o, N, N, o, o].map((len) => new Float64Array(len)));
      const [c0, cw] = gc as [Float64Array[], Float64Array[]];
      J.readout.gramAccumulateComplex(N, o, 0, rows, H, Hi, Y, Yi, c0[0]!, c0[1]!, c0[2]!, c0[3]!, c0[4]!, c0[5]!, c0[6]!, c0[7]!);
      W.readout.gramAccumulateComplex(N, o, 0, rows, H, Hi, Y, Yi, cw[0]!, cw[1]!, cw[2]!, cw[3]!, cw[4]!, cw[5]!, cw[6]!, cw[7]!);
      c0.forEach((v, i) => close(cw[i]!, v, `gramAccumulateComplex output ${i}`));

      // RLS over all 700 rows: rounding differences accumulate through P, hence 1e-9 (contract header)
      const L = rows, P0 = new Float64Array(N * N);
      for (let i = 0; i < N; i++) P0[i * N + i] = 10;
      const rl = [0, 1].map(() => ({ P: P0.slice(), Pi: new Float64Array(N * N), W: new Float64Array(o * N), Wi: new Float64Array(o * N), pr: new Float64Array(L * o), pi: new Float64Array(L * o) }));
      J.readout.rls(N, o, L, H, Y, 0.998, rl[0]!.P, rl[0]!.W, rl[0]!.pr, new Float64Array(2 * N));
      W.readout.rls(N, o, L, H, Y, 0.998, rl[1]!.P, rl[1]!.W, rl[1]!.pr, new Float64Array(2 * N));
      for (const key of ['P', 'W', 'pr'] as const) close(rl[1]![key], rl[0]![key], `rls ${key}`, 1e-9);
      const rc = [0, 1].map(() => ({ P: P0.slice(), Pi: new Float64Array(N * N), W: new Float64Array(o * N), Wi: new Float64Array(o * N), pr: new Float64Array(L * o), pi: new Float64Array(L * o) }));
      for (const [K, s] of [[J, rc[0]!], [W, rc[1]!]] as const) K.readout.rlsComplex(N, o, L, H, Hi, Y, Yi, 0.998, s.P, s.Pi, s.W, s.Wi, s.pr, s.pi, new Float64Array(4 * N));
      for (const key of ['P', 'Pi', 'W', 'Wi', 'pr', 'pi'] as const) close(rc[1]![key], rc[0]![key], `rlsComplex ${key}`, 1e-9);
    });

    // Growing a WebAssembly.Memory would detach its ArrayBuffer, after which V8 slows every typed-array access of
    // the process (runtime.ts); a detached buffer reports byteLength 0.
    it('moves to a larger memory instead of growing it, so no ArrayBuffer is ever detached', () => {
      const rt = createRuntime()!;
      const first = rt.buffer, size = first.byteLength;
      rt.reset();
      rt.alloc(size / 8 + 1);
      rt.commit();
      expect(rt.buffer).not.toBe(first);
      expect(rt.buffer.byteLength).toBeGreaterThan(size);
      expect(first.byteLength).toBe(size);
    });

    it('keeps working after moving to a larger memory, and for later small calls', () => {
      const rng = testRng(78), W = getWasm().blas;
      const check = (n: number): void => {
        const a = rng.fillNormal(new Float64Array(n * n)), c1 = new Float64Array(n * n), c2 = new Float64Array(n * n);
        W.gemm(false, true, n, n, n, 1, a, a, 0, c1);
        jsBackend.blas.gemm(false, true, n, n, n, 1, a, a, 0, c2);
        expectWithinScale(c1, c2, new Float64Array(n * n).fill(n * maxAbs(a) ** 2), 1e-12, `gemm n=${n}`);
      };
      check(3);
      check(900); // ≈ 26 MB of operands and scratch: more than the first 16 MiB memory
      check(5);
    });
  });
}
