// Tests of the divide and conquer: secular roots and Gu–Eisenstat vectors against a dense eigensolver, and tridiagDC
// (JS and linear-memory Q) against QL values and the identities T·S = S·Λ, SᵀS = I on matrices that deflate.
import { describe, expect, it } from 'vitest';
import { mat } from '../core/types.js';
import { jsBlas } from '../backend/blas/js.js';
import { DcMatrixWasm } from '../backend/linalg/wasm-dc.js';
import { createRuntime, type Runtime } from '../backend/wasm/runtime.js';
import { testRng } from '../../test/helpers.js';
import { eigh } from './eigh.js';
import { secularRoot, secularVectors } from './secular.js';
import { DC_LEAF, DcMatrixJs, tridiagDC } from './tridiag-dc.js';
import { tql } from './tridiag.js';

const EPS = 2 ** -52;

function runtime(): Runtime {
  const rt = createRuntime();
  if (rt === null) throw new Error('WebAssembly SIMD kernels unavailable (expected on Node ≥ 20)');
  return rt;
}

/** Eigen-decomposition of D + ρ·z·zᵀ by the secular solver: [λ ascending, U (k×k, columns), δ (δ_ij at [j·k + i])]. */
function rankOne(d: Float64Array, z: Float64Array, rho: number): [Float64Array, Float64Array, Float64Array] {
  const k = d.length, z2 = z.map((v) => v * v);
  const lam = new Float64Array(k), delta = new Float64Array(k * k), u = new Float64Array(k * k);
  for (let j = 0; j < k; j++) lam[j] = secularRoot(k, d, z2, rho, j, delta, j * k, 'test');
  secularVectors(k, d, z, delta, u);
  return [lam, u, delta];
}

/** [max|T·S − S·Λ|, max|SᵀS − I|] for the symmetric tridiagonal (d, e) or a dense symmetric m (when given). */
function residuals(n: number, apply: (x: Float64Array, y: Float64Array) => void, S: Float64Array, lam: Float64Array): [number, number] {
  let res = 0, orth = 0;
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) x[i] = S[i * n + j]!;
    apply(x, y);
    for (let i = 0; i < n; i++) res = Math.max(res, Math.abs(y[i]! - lam[j]! * x[i]!));
    for (let k = j; k < n; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += S[i * n + j]! * S[i * n + k]!;
      orth = Math.max(orth, Math.abs(dot - (j === k ? 1 : 0)));
    }
  }
  return [res, orth];
}

describe('secular equation', () => {
  it('roots interlace the poles and match a dense eigensolver; Gu–Eisenstat vectors are orthonormal eigenvectors', () => {
    // bound 10·k·eps·(max|d| + ρ) for values, residuals and orthogonality: backward stable solver
    const rng = testRng(51);
    for (const k of [1, 2, 3, 7, 60]) {
      const d = Float64Array.from(rng.fillNormal(new Float64Array(k))).sort();
      const z = rng.fillNormal(new Float64Array(k));
      const nz = Math.hypot(...z);
      for (let i = 0; i < k; i++) z[i]! /= nz;
      if (k > 2) z[1] = 1e-9; // a root very close to its pole
      const rho = 0.7;
      const [lam, u, delta] = rankOne(d, z, rho);
      const A = mat(k, k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) A.data[i * k + j] = (i === j ? d[i]! : 0) + rho * z[i]! * z[j]!;
      const want = eigh(A).values;
      const scale = Math.max(...Array.from(d, Math.abs)) + rho;
      for (let i = 0; i < k; i++) {
        // strict interlacing holds for the δ_ij = d_i − λ_j the vectors are built from (λ itself may round onto d_i)
        expect(delta[i * k + i]!, `k=${k} root ${i}: d_i − λ_i < 0`).toBeLessThan(0);
        if (i + 1 < k) expect(delta[i * k + i + 1]!, `k=${k} root ${i}: d_{i+1} − λ_i > 0`).toBeGreaterThan(0);
        expect(Math.abs(lam[i]! - want[i]!), `k=${k} λ_${i}`).toBeLessThanOrEqual(10 * k * EPS * scale);
      }
      const [res, orth] = residuals(k, (x, y) => {
        let zx = 0;
        for (let i = 0; i < k; i++) zx += z[i]! * x[i]!;
        for (let i = 0; i < k; i++) y[i] = d[i]! * x[i]! + rho * z[i]! * zx;
      }, u, lam);
      expect(res, `k=${k}`).toBeLessThanOrEqual(10 * k * EPS * scale);
      expect(orth, `k=${k}`).toBeLessThanOrEqual(10 * k * EPS);
    }
  });
});

/** Test tridiagonals: random, uniform tridiag(−1, 2, −1) (mirror halves: every pair deflates by rotation), glued
 * Wilkinson W21+ blocks (tiny couplings, close pairs), a zero coupling, a constant diagonal. */
function cases(): Array<[string, Float64Array, Float64Array]> {
  const rng = testRng(52), out: Array<[string, Float64Array, Float64Array]> = [];
  for (const n of [1, DC_LEAF, DC_LEAF + 1, 2 * DC_LEAF + 2, 150]) out.push([`random n=${n}`, rng.fillNormal(new Float64Array(n)), rng.fillNormal(new Float64Array(n))]);
  out.push(['tridiag(−1, 2, −1) n=132', new Float64Array(132).fill(2), new Float64Array(132).fill(-1)]);
  const g = 105, gd = new Float64Array(g), ge = new Float64Array(g);
  for (let i = 0; i < g; i++) { gd[i] = Math.abs((i % 21) - 10); ge[i] = (i + 1) % 21 === 0 ? 1e-14 : 1; }
  out.push(['glued Wilkinson 5×21', gd, ge]);
  const zd = rng.fillNormal(new Float64Array(80)), ze = rng.fillNormal(new Float64Array(80));
  ze[39] = 0;
  out.push(['zero coupling at the split', zd, ze]);
  out.push(['constant diagonal, no coupling', new Float64Array(70).fill(3), new Float64Array(70)]);
  return out;
}

describe('divide and conquer (tridiagDC)', () => {
  it('values match QL, T·S = S·Λ and SᵀS = I (10·n·eps·‖T‖), with Q as a JS array and in linear memory', () => {
    const rt = runtime();
    for (const [name, d0, e0] of cases()) {
      const n = d0.length;
      const norm = Math.max(...Array.from(d0, Math.abs)) + 2 * Math.max(...Array.from(e0, Math.abs));
      const ql = d0.slice();
      tql(n, ql, e0.slice(), [], 0, 'test');
      const applyT = (x: Float64Array, y: Float64Array): void => {
        for (let i = 0; i < n; i++) y[i] = d0[i]! * x[i]! + (i > 0 ? e0[i - 1]! * x[i - 1]! : 0) + (i + 1 < n ? e0[i]! * x[i + 1]! : 0);
      };
      // JS
      const dj = d0.slice(), Sj = new Float64Array(n * n);
      tridiagDC(n, dj, e0.slice(), new DcMatrixJs(n, Sj, jsBlas), 'test');
      // linear memory
      rt.reset();
      const pq = rt.alloc(n * n), make = DcMatrixWasm.reserve(rt, n, pq);
      const x = rt.commit();
      rt.zero(pq, n * n);
      const dw = d0.slice();
      tridiagDC(n, dw, e0.slice(), make(x), 'test');
      const Sw = new Float64Array(n * n);
      rt.get(pq, n * n, Sw, 0);
      for (const [label, dv, S] of [['js', dj, Sj], ['wasm', dw, Sw]] as const) {
        for (let i = 0; i < n; i++) expect(Math.abs(dv[i]! - ql[i]!), `${name} ${label} λ_${i}`).toBeLessThanOrEqual(10 * n * EPS * norm);
        const [res, orth] = residuals(n, applyT, S, dv);
        expect(res, `${name} ${label} residual`).toBeLessThanOrEqual(10 * n * EPS * norm);
        expect(orth, `${name} ${label} orthogonality`).toBeLessThanOrEqual(10 * n * EPS);
      }
    }
  });
});
