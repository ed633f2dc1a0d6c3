// The raw WebAssembly kernels under the wasm linalg family against independent loops or their JS twins
// (src/linalg/tridiag.ts), each on a runtime of its own.
import { describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/backend/wasm/runtime.js';
import { SweepBatch, TQL_MAX_ITER, applySweepsRows, tqlSweeps } from '../../src/linalg/tridiag.js';
import { testRng } from '../helpers.js';

function runtime(): Runtime {
  const rt = createRuntime();
  if (rt === null) throw new Error('WebAssembly SIMD kernels unavailable (expected on Node ≥ 20)');
  return rt;
}

/** Defines the tests of the raw linalg exports (gemmAcc, rotations, transposes, gathers, QL values). */
export function describeLinalgRawTwins(): void {
  describe('wasm linalg raw kernels against direct loops and their js twins', () => {
    it('gemmAcc: C += alpha·op(A)·op(B) on strided blocks, every transpose, equals a direct loop (1e-12·Σ|terms|)', () => {
      const rt = runtime(), rng = testRng(61);
      for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [37, 29, 300], [70, 1030, 9]] as const) {
        for (const ta of [false, true]) for (const tb of [false, true]) {
          // operands embedded in larger arrays: leading dimensions exceed the block widths by 3
          const lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 3, ldc = n + 3;
          const A = rng.fillNormal(new Float64Array((ta ? k : m) * lda)), B = rng.fillNormal(new Float64Array((tb ? n : k) * ldb));
          const C = rng.fillNormal(new Float64Array(m * ldc));
          rt.reset();
          const pa = rt.alloc(A.length), pb = rt.alloc(B.length), pc = rt.alloc(C.length), pw = rt.alloc(rt.sizes.gemmAccWorkSize(m, n, k));
          const x = rt.commit();
          rt.put(pa, A, 0, A.length);
          rt.put(pb, B, 0, B.length);
          rt.put(pc, C, 0, C.length);
          x.gemmAcc(ta ? 1 : 0, tb ? 1 : 0, m, n, k, -0.5, pa, lda, pb, ldb, pc, ldc, pw);
          const got = new Float64Array(C.length);
          rt.get(pc, C.length, got, 0);
          let worst = 0, padding = 0;
          for (let i = 0; i < m; i++) for (let j = 0; j < ldc; j++) {
            if (j >= n) { padding = Math.max(padding, Math.abs(got[i * ldc + j]! - C[i * ldc + j]!)); continue; }
            let s = 0, abs = 0;
            for (let p = 0; p < k; p++) {
              const t = (ta ? A[p * lda + i]! : A[i * lda + p]!) * (tb ? B[j * ldb + p]! : B[p * ldb + j]!);
              s += t;
              abs += Math.abs(t);
            }
            worst = Math.max(worst, Math.abs(got[i * ldc + j]! - (C[i * ldc + j]! - 0.5 * s)) / (1e-12 * (abs + 1)));
          }
          expect(padding, `${m}×${n}×${k} ${ta}${tb}: columns past n untouched`).toBe(0);
          expect(worst, `${m}×${n}×${k} ${ta}${tb}: error / bound`).toBeLessThanOrEqual(1);
        }
      }
    });

    it('rotateSweepsT on Zᵀ equals applySweepsRows on Z, both directions, partial chunks, several batches (1e-13)', () => {
      const rt = runtime(), rng = testRng(62);
      for (const [rows, n] of [[1, 2], [5, 9], [8, 40], [13, 17], [17, 64]] as const) {
        const z = rng.fillNormal(new Float64Array(rows * n));
        rt.reset();
        const pz = rt.alloc(rows * n), prot = rt.alloc(4 * n + 8), pw = rt.alloc(8 * n);
        const x = rt.commit();
        const zt = new Float64Array(n * rows);
        for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) zt[j * rows + i] = z[i * n + j]!;
        rt.put(pz, zt, 0, n * rows);
        const want = z.slice();
        let batches = 0;
        const js = new SweepBatch(n, (buf, count) => applySweepsRows(want, rows, n, buf, count), 4 * n + 8);
        const wasm = new SweepBatch(n, (buf, count, len) => {
          batches++;
          rt.put(prot, buf, 0, len);
          x.rotateSweepsT(n, rows, pz, rows, prot, count, pw);
        }, 4 * n + 8);
        for (let s = 0; s < 25; s++) {
          const a = Math.floor(rng.uniform() * (n - 1)), b = Math.floor(rng.uniform() * (n - 1));
          const cs = new Float64Array(n), sn = new Float64Array(n);
          for (let i = 0; i < n; i++) { const th = 6.3 * rng.uniform(); cs[i] = Math.cos(th); sn[i] = Math.sin(th); }
          js.sink(a, b, cs, sn);
          wasm.sink(a, b, cs, sn);
        }
        js.flush();
        wasm.flush();
        expect(batches).toBeGreaterThan(1);
        const got = new Float64Array(n * rows);
        rt.get(pz, n * rows, got, 0);
        for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) {
          expect(Math.abs(got[j * rows + i]! - want[i * n + j]!), `${rows}×${n} (${i}, ${j})`).toBeLessThanOrEqual(1e-13);
        }
      }
    });

    it('transposes, identity, column gathers and column rotations are exact', () => {
      const rt = runtime(), rng = testRng(63);
      const n = 37, m = 23;
      const a = rng.fillNormal(new Float64Array(n * n)), b = rng.fillNormal(new Float64Array(m * n));
      rt.reset();
      const pa = rt.alloc(n * n), pb = rt.alloc(m * n), pt = rt.alloc(n * m), pi = rt.alloc(n * n), px = rt.alloc(5);
      const x = rt.commit();
      rt.put(pa, a, 0, n * n);
      rt.put(pb, b, 0, m * n);
      x.transposeSquare(n, pa);
      x.transposeInto(m, n, pb, n, pt, m);
      x.setIdentity(n, n, pi);
      const at = new Float64Array(n * n), bt = new Float64Array(n * m), id = new Float64Array(n * n);
      rt.get(pa, n * n, at, 0);
      rt.get(pt, n * m, bt, 0);
      rt.get(pi, n * n, id, 0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        expect(at[j * n + i]).toBe(a[i * n + j]);
        expect(id[i * n + j]).toBe(i === j ? 1 : 0);
      }
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(bt[j * m + i]).toBe(b[i * n + j]);
      // gather columns 4, 0, 36 of b (m×n) into a 23×3 block, then rotate columns 0 and 2 of it
      rt.put(px, Float64Array.of(4, 0, 36), 0, 3);
      x.gatherColumns(m, pb, n, px, 3, pt, 3);
      x.rotateColumnPair(m, pt, 3, 0, 2, 0.6, 0.8);
      const g = new Float64Array(m * 3);
      rt.get(pt, m * 3, g, 0);
      for (let i = 0; i < m; i++) {
        const u = b[i * n + 4]!, v = b[i * n + 36]!;
        expect(g[i * 3 + 1]).toBe(b[i * n]);
        expect(g[i * 3]).toBe(0.6 * u + 0.8 * v);
        expect(g[i * 3 + 2]).toBe(0.6 * v - 0.8 * u);
      }
    });

    it('tqlValues performs the JS QL iteration operation for operation: bit-identical eigenvalues', () => {
      const rt = runtime(), rng = testRng(64);
      for (const n of [1, 2, 9, 120]) {
        const d = rng.fillNormal(new Float64Array(n)), e = rng.fillNormal(new Float64Array(n));
        if (n > 5) e[4] = 0; // a split
        const want = d.slice();
        tqlSweeps(n, want, e.slice(), 'test', null);
        rt.reset();
        const pd = rt.alloc(n), pe = rt.alloc(n);
        const x = rt.commit();
        rt.put(pd, d, 0, n);
        rt.put(pe, e, 0, n);
        expect(x.tqlValues(n, pd, pe, TQL_MAX_ITER)).toBe(0);
        const got = new Float64Array(n);
        rt.get(pd, n, got, 0);
        expect(Array.from(got.sort()), `n=${n}`).toEqual(Array.from(want));
      }
    });
  });
}
