// The decompositions on both kernel backends (js, wasm) at sizes that reach every blocked / recursive code path:
// identities on each backend, and agreement of the two backends with each other.
import { afterAll, describe, expect, it } from 'vitest';
import { mat, type AnyMat, type Mat } from '../core/types.js';
import { kernels, useKernels } from '../kernels/backend.js';
import { randCMat, randMat, testRng } from '../../test/helpers.js';
import { adjoint, frobenius, gemmOp, matmul, maxAbsDiffMat } from './dense.js';
import { eig, sortEig } from './eig.js';
import { eigh } from './eigh.js';
import { pinv } from './pinv.js';
import { qr } from './qr.js';
import { svd } from './svd.js';

const EPS = 2 ** -52;
const BACKENDS = ['js', 'wasm'] as const;
const initial = kernels().name;
afterAll(() => { useKernels(initial); });

/** Runs f on each backend; returns the results by backend name. */
function both<T>(f: () => T): Record<(typeof BACKENDS)[number], T> {
  const out = {} as Record<(typeof BACKENDS)[number], T>;
  for (const b of BACKENDS) { useKernels(b); out[b] = f(); }
  useKernels(initial);
  return out;
}

function symmetric(n: number, seed: number): Mat {
  const a = randMat(testRng(seed), n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[j * n + i] = a.data[i * n + j]!;
  return a;
}

function identity(n: number): Mat {
  const I = mat(n, n);
  for (let i = 0; i < n; i++) I.data[i * n + i] = 1;
  return I;
}

/** max|M − I| for a square real or complex M. */
function offIdentity(M: AnyMat): number {
  return maxAbsDiffMat(M, identity(M.rows));
}

describe('decompositions on both backends', () => {
  it('eigh (n = 200: three divide-and-conquer levels): identities on each backend, values agree across backends', () => {
    // 10·n·eps·‖A‖_F for residuals, 10·n·eps for orthogonality (backward stability), values across backends likewise
    const n = 200, A = symmetric(n, 71), fro = frobenius(A);
    const r = both(() => eigh(A, { vectors: true }));
    const valuesOnly = both(() => eigh(A).values);
    for (const b of BACKENDS) {
      const V = r[b].vectors!, L = mat(n, n);
      for (let i = 0; i < n; i++) L.data[i * n + i] = r[b].values[i]!;
      expect(maxAbsDiffMat(matmul(A, V), matmul(V, L)), `${b} residual`).toBeLessThanOrEqual(10 * n * EPS * fro);
      expect(offIdentity(gemmOp(V, 'T', V, 'N')), `${b} orthogonality`).toBeLessThanOrEqual(10 * n * EPS);
      expect(Array.from(valuesOnly[b]), `${b}: values with and without vectors`).toEqual(Array.from(r[b].values));
    }
    for (let i = 0; i < n; i++) expect(Math.abs(r.js.values[i]! - r.wasm.values[i]!)).toBeLessThanOrEqual(10 * n * EPS * fro);
  });

  it('eig (n = 120): residuals on each backend, values agree across backends', () => {
    // well-conditioned random spectrum: eigenvalue condition numbers stay far below 1e3, so 1e-9·‖A‖ is generous
    const n = 120, A = randMat(testRng(72), n, n), fro = frobenius(A);
    const r = both(() => sortEig(eig(A, { vectors: true }), 'real'));
    for (const b of BACKENDS) {
      const { values, vectors } = r[b];
      const AV = matmul(A, vectors!);
      let worst = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
        const vr = vectors!.re[i * n + j]!, vi = vectors!.im[i * n + j]!;
        const lr = values.re[j]!, li = values.im[j]!;
        worst = Math.max(worst, Math.hypot(AV.re[i * n + j]! - (lr * vr - li * vi), AV.im[i * n + j]! - (lr * vi + li * vr)));
      }
      expect(worst, `${b} residual`).toBeLessThanOrEqual(10 * n * EPS * fro);
    }
    for (let j = 0; j < n; j++) {
      expect(Math.abs(r.js.values.re[j]! - r.wasm.values.re[j]!)).toBeLessThanOrEqual(1e-9 * fro);
      expect(Math.abs(r.js.values.im[j]! - r.wasm.values.im[j]!)).toBeLessThanOrEqual(1e-9 * fro);
    }
  });

  it('svd with and without QR preprocessing, tall and wide: identities, bit-identical values with/without vectors', () => {
    // 10·max(m,n)·eps·‖A‖_F reconstruction, 10·max(m,n)·eps orthogonality; the backends agree to 10·max(m,n)·eps·σ_max
    const rng = testRng(73);
    for (const [m, n] of [[300, 40], [130, 100], [90, 130]] as const) {
      const A = randMat(rng, m, n), k = Math.min(m, n), c = 10 * Math.max(m, n) * EPS;
      const r = both(() => svd(A, { vectors: true }));
      const s = both(() => svd(A).s);
      for (const b of BACKENDS) {
        const { U, Vt } = r[b], S = mat(k, k);
        for (let i = 0; i < k; i++) S.data[i * k + i] = r[b].s[i]!;
        expect(maxAbsDiffMat(matmul(matmul(U!, S), Vt!), A), `${m}×${n} ${b} reconstruction`).toBeLessThanOrEqual(c * frobenius(A));
        expect(offIdentity(gemmOp(U!, 'T', U!, 'N')), `${m}×${n} ${b} UᵀU`).toBeLessThanOrEqual(c);
        expect(offIdentity(gemmOp(Vt!, 'N', Vt!, 'T')), `${m}×${n} ${b} VᵀV`).toBeLessThanOrEqual(c);
        expect(Array.from(s[b]), `${m}×${n} ${b}: values with and without vectors`).toEqual(Array.from(r[b].s));
      }
      for (let i = 0; i < k; i++) expect(Math.abs(r.js.s[i]! - r.wasm.s[i]!)).toBeLessThanOrEqual(c * r.js.s[0]!);
    }
  });

  it('pinv and qr: Penrose conditions and Q·R = A on each backend; the backends agree', () => {
    const rng = testRng(74);
    const A = randMat(rng, 150, 120), C = randCMat(rng, 40, 70);
    for (const M of [A, C] as AnyMat[]) {
      const r = both(() => pinv(M).pinv);
      const c = 10 * Math.max(M.rows, M.cols) * EPS * frobenius(M) * frobenius(r.js);
      for (const b of BACKENDS) {
        const P = r[b];
        expect(maxAbsDiffMat(matmul(matmul(M, P), M), M), `${b} A·A⁺·A`).toBeLessThanOrEqual(c * frobenius(M));
        expect(maxAbsDiffMat(matmul(matmul(P, M), P), P), `${b} A⁺·A·A⁺`).toBeLessThanOrEqual(c * frobenius(P));
      }
      expect(maxAbsDiffMat(r.js, r.wasm)).toBeLessThanOrEqual(c * frobenius(r.js));
    }
    const q = both(() => qr(A));
    for (const b of BACKENDS) {
      expect(maxAbsDiffMat(matmul(q[b].Q, q[b].R), A), `${b} Q·R`).toBeLessThanOrEqual(10 * 150 * EPS * frobenius(A));
      expect(offIdentity(matmul(adjoint(q[b].Q), q[b].Q)), `${b} QᵀQ`).toBeLessThanOrEqual(10 * 150 * EPS);
    }
    // the same Householder reflectors up to rounding: R agrees entrywise (well-conditioned A)
    expect(maxAbsDiffMat(q.js.R, q.wasm.R)).toBeLessThanOrEqual(1e-12 * frobenius(A));
  });
});
