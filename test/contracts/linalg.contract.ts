// Contract suite of the linalg family: the decompositions on one backend at sizes that reach every blocked / recursive
// code path (identities), and the twin suite comparing a backend's decompositions and linalg methods with the js ones.
//
// Tolerances (backward stability, Golub & Van Loan §5.2, §8.3, §8.6): residuals 10·n·eps·‖A‖_F and orthogonality
// 10·n·eps for eigh/eig/svd/qr; Penrose identities c·‖A‖·‖A⁺‖ with c = 10·max(m, n)·eps. Two backends run the same
// algorithms in different summation orders, so their results agree to the same bounds (eigenvalues of the
// well-conditioned random spectra here: 1e-9·‖A‖, far above the ≈1e-14 observed, far below any real error).
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/backend/index.js';
import { mat, type AnyMat, type Mat } from '../../src/core/types.js';
import { adjoint, frobenius, gemmOp, matmul, maxAbsDiffMat } from '../../src/linalg/dense.js';
import { eig, sortEig } from '../../src/linalg/eig.js';
import { eigh } from '../../src/linalg/eigh.js';
import { pinv } from '../../src/linalg/pinv.js';
import { qr } from '../../src/linalg/qr.js';
import { svd } from '../../src/linalg/svd.js';
import { maxAbs, randCMat, randMat, testRng } from '../helpers.js';

const EPS = 2 ** -52;

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

const SVD_SHAPES = [[300, 40], [130, 100], [90, 130]] as const;

/** Defines the linalg contract for one backend: every decomposition's identities. getBackend is called inside each test. */
export function describeLinalgContract(name: string, getBackend: () => Backend): void {
  describe(`linalg family contract: ${name}`, () => {
    it('eigh (n = 200: three divide-and-conquer levels): residual, orthogonality, the same values with and without vectors', () => {
      const backend = getBackend(), n = 200, A = symmetric(n, 71), fro = frobenius(A);
      const r = eigh(A, { vectors: true, backend }), V = r.vectors!, L = mat(n, n);
      for (let i = 0; i < n; i++) L.data[i * n + i] = r.values[i]!;
      expect(maxAbsDiffMat(matmul(A, V), matmul(V, L)), 'residual').toBeLessThanOrEqual(10 * n * EPS * fro);
      expect(offIdentity(gemmOp(V, 'T', V, 'N')), 'orthogonality').toBeLessThanOrEqual(10 * n * EPS);
      expect(Array.from(eigh(A, { backend }).values), 'values with and without vectors').toEqual(Array.from(r.values));
    });

    it('eig (n = 120): residual of every eigenpair', () => {
      const backend = getBackend(), n = 120, A = randMat(testRng(72), n, n), fro = frobenius(A);
      const { values, vectors } = sortEig(eig(A, { vectors: true, backend }), 'real');
      const AV = matmul(A, vectors!);
      let worst = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
        const vr = vectors!.re[i * n + j]!, vi = vectors!.im[i * n + j]!;
        const lr = values.re[j]!, li = values.im[j]!;
        worst = Math.max(worst, Math.hypot(AV.re[i * n + j]! - (lr * vr - li * vi), AV.im[i * n + j]! - (lr * vi + li * vr)));
      }
      expect(worst, 'residual').toBeLessThanOrEqual(10 * n * EPS * fro);
    });

    it('svd with and without QR preprocessing, tall and wide: reconstruction, orthogonality, bit-identical values with/without vectors', () => {
      const backend = getBackend(), rng = testRng(73);
      for (const [m, n] of SVD_SHAPES) {
        const A = randMat(rng, m, n), k = Math.min(m, n), c = 10 * Math.max(m, n) * EPS;
        const { U, Vt, s } = svd(A, { vectors: true, backend }), S = mat(k, k);
        for (let i = 0; i < k; i++) S.data[i * k + i] = s[i]!;
        expect(maxAbsDiffMat(matmul(matmul(U!, S), Vt!), A), `${m}×${n} reconstruction`).toBeLessThanOrEqual(c * frobenius(A));
        expect(offIdentity(gemmOp(U!, 'T', U!, 'N')), `${m}×${n} UᵀU`).toBeLessThanOrEqual(c);
        expect(offIdentity(gemmOp(Vt!, 'N', Vt!, 'T')), `${m}×${n} VᵀV`).toBeLessThanOrEqual(c);
        expect(Array.from(svd(A, { backend }).s), `${m}×${n}: values with and without vectors`).toEqual(Array.from(s));
      }
    });

    it('pinv (real and complex) satisfies the Penrose conditions, and qr gives Q·R = A with orthonormal Q', () => {
      const backend = getBackend(), rng = testRng(74);
      const A = randMat(rng, 150, 120), C = randCMat(rng, 40, 70);
      for (const M of [A, C] as AnyMat[]) {
        const P = pinv(M, { backend }).pinv;
        const c = 10 * Math.max(M.rows, M.cols) * EPS * frobenius(M) * frobenius(P);
        expect(maxAbsDiffMat(matmul(matmul(M, P), M), M), 'A·A⁺·A').toBeLessThanOrEqual(c * frobenius(M));
        expect(maxAbsDiffMat(matmul(matmul(P, M), P), P), 'A⁺·A·A⁺').toBeLessThanOrEqual(c * frobenius(P));
      }
      const q = qr(A, { backend });
      expect(maxAbsDiffMat(matmul(q.Q, q.R), A), 'Q·R').toBeLessThanOrEqual(10 * 150 * EPS * frobenius(A));
      expect(offIdentity(matmul(adjoint(q.Q), q.Q)), 'QᵀQ').toBeLessThanOrEqual(10 * 150 * EPS);
    });
  });
}

/** min over signs of max|x − s·y| for two columns (eigen/singular vectors are defined up to sign). */
function signFree(x: Float64Array, y: Float64Array): number {
  let plus = 0, minus = 0;
  for (let i = 0; i < x.length; i++) {
    plus = Math.max(plus, Math.abs(x[i]! - y[i]!));
    minus = Math.max(minus, Math.abs(x[i]! + y[i]!));
  }
  return Math.min(plus, minus);
}

/** Column j of the rows×cols row-major a. */
function column(a: Float64Array, rows: number, cols: number, j: number): Float64Array {
  const c = new Float64Array(rows);
  for (let i = 0; i < rows; i++) c[i] = a[i * cols + j]!;
  return c;
}

/**
 * Defines the twin tests of a backend's linalg family: its decompositions and each of its methods against the js
 * backend (the pure-JS paths of src/linalg). getBackend and getJs are called inside each test.
 */
export function describeLinalgTwins(name: string, getBackend: () => Backend, getJs: () => Backend): void {
  describe(`linalg family of ${name} against its js twin`, () => {
    it('the decompositions agree: eigh and eig values, svd values, pinv, and the R of qr', () => {
      const W = getBackend(), J = getJs();
      const n = 200, S = symmetric(n, 71), fs = frobenius(S);
      const ew = eigh(S, { backend: W }).values, ej = eigh(S, { backend: J }).values;
      for (let i = 0; i < n; i++) expect(Math.abs(ej[i]! - ew[i]!), `eigh value ${i}`).toBeLessThanOrEqual(10 * n * EPS * fs);
      const A = randMat(testRng(72), 120, 120), fa = frobenius(A);
      const gw = sortEig(eig(A, { backend: W }), 'real').values, gj = sortEig(eig(A, { backend: J }), 'real').values;
      for (let j = 0; j < 120; j++) {
        expect(Math.abs(gj.re[j]! - gw.re[j]!), `eig value ${j} re`).toBeLessThanOrEqual(1e-9 * fa);
        expect(Math.abs(gj.im[j]! - gw.im[j]!), `eig value ${j} im`).toBeLessThanOrEqual(1e-9 * fa);
      }
      const rng = testRng(73);
      for (const [m, k] of SVD_SHAPES) {
        const B = randMat(rng, m, k), c = 10 * Math.max(m, k) * EPS;
        const sw = svd(B, { vectors: true, backend: W }).s, sj = svd(B, { vectors: true, backend: J }).s;
        for (let i = 0; i < sj.length; i++) expect(Math.abs(sj[i]! - sw[i]!), `${m}×${k} σ_${i}`).toBeLessThanOrEqual(c * sj[0]!);
      }
      const r2 = testRng(74), P = randMat(r2, 150, 120), C = randCMat(r2, 40, 70);
      for (const M of [P, C] as AnyMat[]) {
        const pw = pinv(M, { backend: W }).pinv, pj = pinv(M, { backend: J }).pinv;
        const c = 10 * Math.max(M.rows, M.cols) * EPS * frobenius(M) * frobenius(pj);
        expect(maxAbsDiffMat(pj, pw), `pinv ${M.rows}×${M.cols}`).toBeLessThanOrEqual(c * frobenius(pj));
      }
      // the same Householder reflectors up to rounding: R agrees entrywise (well-conditioned P)
      expect(maxAbsDiffMat(qr(P, { backend: J }).R, qr(P, { backend: W }).R), 'qr R').toBeLessThanOrEqual(1e-12 * frobenius(P));
    });

    // Method by method on edge sizes (n = 1, 2, odd, across the 32-column panels), from the same inputs.
    it('eighReal and eigReal agree with the js twin (values, vectors up to sign), inputs left as documented', () => {
      const W = getBackend().linalg, J = getJs().linalg, rng = testRng(75);
      for (const n of [1, 2, 7, 33, 70]) {
        const S = symmetric(n, 80 + n), scale = maxAbs(S.data);
        const out = [W, J].map((L) => {
          const data = S.data.slice(), d = new Float64Array(n);
          const z = L.eighReal(n, data, scale, d, true);
          expect(Array.from(data), `${L.name} eighReal n=${n}: data unchanged`).toEqual(Array.from(S.data));
          const dv = new Float64Array(n);
          expect(L.eighReal(n, S.data, scale, dv, false), `${L.name} eighReal n=${n}: no vectors asked`).toBeNull();
          expect(Array.from(dv), `${L.name} eighReal n=${n}: values with and without vectors`).toEqual(Array.from(d));
          return { d, z: z! };
        });
        // scaled matrix: ‖A/scale‖_F ≤ n, so 10·n·eps·n bounds value differences; vectors: gaps ≥ 1e-3 here
        for (let i = 0; i < n; i++) expect(Math.abs(out[0]!.d[i]! - out[1]!.d[i]!), `eighReal n=${n} value ${i}`).toBeLessThanOrEqual(10 * n * n * EPS);
        for (let j = 0; j < n; j++) {
          expect(signFree(column(out[0]!.z, n, n, j), column(out[1]!.z, n, n, j)), `eighReal n=${n} vector ${j}`).toBeLessThanOrEqual(1e-8);
        }
        const H = randMat(rng, n, n);
        const ev = [W, J].map((L) => {
          const wr = new Float64Array(n), wi = new Float64Array(n);
          L.eigReal(n, H.data.slice(), false, wr, wi, 'test');
          return Array.from(wr, (re, i) => [re, wi[i]!] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        });
        for (let i = 0; i < n; i++) {
          expect(Math.abs(ev[0]![i]![0] - ev[1]![i]![0]) + Math.abs(ev[0]![i]![1] - ev[1]![i]![1]), `eigReal n=${n} value ${i}`)
            .toBeLessThanOrEqual(1e-9 * frobenius(H));
        }
      }
    });

    it('qrFactor and applyQ (both directions, formQ) agree with the js twin entrywise', () => {
      const W = getBackend().linalg, J = getJs().linalg, rng = testRng(76);
      for (const [m, n] of [[1, 1], [5, 3], [3, 5], [70, 40], [40, 70], [97, 97]] as const) {
        const A = randMat(rng, m, n), k = Math.min(m, n);
        const f = [W, J].map((L) => {
          const a = A.data.slice(), tau = new Float64Array(k);
          L.qrFactor(m, n, a, tau);
          return { a, tau };
        });
        // same reflectors: factor entries are O(‖A‖) and computed in different summation orders
        expect(maxAbs(f[0]!.a.map((v, i) => v - f[1]!.a[i]!)), `qrFactor ${m}×${n}`).toBeLessThanOrEqual(1e-12 * frobenius(A));
        expect(maxAbs(f[0]!.tau.map((v, i) => v - f[1]!.tau[i]!)), `qrFactor ${m}×${n} τ`).toBeLessThanOrEqual(1e-12);
        const p = 6, C = rng.fillNormal(new Float64Array(m * p));
        for (const adjoint of [false, true]) {
          const c = [W, J].map((L) => { const x = C.slice(); L.applyQ(m, n, k, f[1]!.a, f[1]!.tau, x, p, adjoint, false); return x; });
          expect(maxAbs(c[0]!.map((v, i) => v - c[1]![i]!)), `applyQ ${m}×${n} adjoint=${adjoint}`).toBeLessThanOrEqual(1e-12 * maxAbs(C) * m);
        }
        const q = [W, J].map((L) => {
          const x = new Float64Array(m * k);
          for (let i = 0; i < k; i++) x[i * k + i] = 1;
          L.applyQ(m, n, k, f[1]!.a, f[1]!.tau, x, k, false, true);
          return x;
        });
        expect(maxAbs(q[0]!.map((v, i) => v - q[1]![i]!)), `applyQ ${m}×${n} formQ`).toBeLessThanOrEqual(1e-12 * m);
      }
    });

    it('bidiagValues and bidiagSvd agree with the js twin (values, singular vectors up to sign)', () => {
      const W = getBackend().linalg, J = getJs().linalg, rng = testRng(77);
      for (const [rows, n] of [[1, 1], [2, 2], [9, 5], [80, 33], [64, 64]] as const) {
        const A = randMat(rng, rows, n), c = 10 * rows * EPS * frobenius(A);
        const v = [W, J].map((L) => L.bidiagValues(rows, n, A.data.slice()));
        const s = [W, J].map((L) => L.bidiagSvd(rows, n, A.data.slice()));
        for (let i = 0; i < n; i++) {
          expect(Math.abs(v[0]![i]! - v[1]![i]!), `bidiagValues ${rows}×${n} σ_${i}`).toBeLessThanOrEqual(c);
          expect(Math.abs(s[0]!.s[i]! - s[1]!.s[i]!), `bidiagSvd ${rows}×${n} σ_${i}`).toBeLessThanOrEqual(c);
        }
        // random matrices: singular value gaps ≫ 1e-6·σ_max, so the vectors are determined up to sign to ~1e-9
        for (let j = 0; j < n; j++) {
          expect(signFree(column(s[0]!.u, rows, n, j), column(s[1]!.u, rows, n, j)), `bidiagSvd ${rows}×${n} u_${j}`).toBeLessThanOrEqual(1e-8);
          expect(signFree(s[0]!.vt.subarray(j * n, (j + 1) * n), s[1]!.vt.subarray(j * n, (j + 1) * n)), `bidiagSvd ${rows}×${n} v_${j}`)
            .toBeLessThanOrEqual(1e-8);
        }
      }
    });
  });
}
