// Test-only helpers of the learning tests: random networks and batches, finite differences, naive reference rules.
//
// Kept beside the tests (imported only by *.test.ts files); the reference rules are direct transcriptions
// of local-learning.md §2 with explicit matrix powers, independent of the kernels.
import type { Rng } from '../core/rng.js';
import { cmat, isCMat, mat, type AnyMat, type CMat, type CSeqBatch, type Mat, type SeqBatch } from '../core/types.js';
import { evaluateLoss } from './losses.js';
import type { AnySeqBatch, LearningOptions, RnnParams } from './types.js';

/** Random real network with W scaled to keep states bounded: W ~ N(0, wScale²/N). */
export function randNet(rng: Rng, n: number, nIn: number, nOut: number, wScale = 0.8): RnnParams<Mat> {
  const W = mat(n, n, rng.fillNormal(new Float64Array(n * n), wScale / Math.sqrt(n)));
  const U = mat(n, nIn, rng.fillNormal(new Float64Array(n * nIn), 1));
  const V = mat(nOut, n, rng.fillNormal(new Float64Array(nOut * n), 1 / Math.sqrt(n)));
  return { W, U, V };
}

/** Random complex network (CN entries with the same scales). */
export function randCNet(rng: Rng, n: number, nIn: number, nOut: number, wScale = 0.8): RnnParams<CMat> {
  const c = (r: number, k: number, s: number): CMat => {
    const m = cmat(r, k);
    rng.fillComplexNormal(m.re, m.im, s * s);
    return m;
  };
  return { W: c(n, n, wScale / Math.sqrt(n)), U: c(n, nIn, 1), V: c(nOut, n, 1 / Math.sqrt(n)) };
}

/** Real batch with N(0, 1) entries. */
export function randBatch(rng: Rng, batch: number, steps: number, dim: number): SeqBatch {
  return { batch, steps, dim, data: rng.fillNormal(new Float64Array(batch * steps * dim)) };
}

/** Complex batch with CN(0, 1) entries. */
export function randCBatch(rng: Rng, batch: number, steps: number, dim: number): CSeqBatch {
  const re = new Float64Array(batch * steps * dim), im = new Float64Array(batch * steps * dim);
  rng.fillComplexNormal(re, im, 1);
  return { batch, steps, dim, re, im };
}

/** Central finite-difference gradient of the batch-mean loss w.r.t. one block (complex: ∂/∂Re + i ∂/∂Im). */
export function fdGradient(params: RnnParams, block: 'W' | 'U' | 'V', x: AnySeqBatch, y: AnySeqBatch,
  opts: LearningOptions, h = 1e-6): AnyMat {
  const m = params[block];
  const L = (p: RnnParams): number => evaluateLoss(p, x, y, opts);
  const perturbed = (arr: Float64Array, k: number, d: number): number => {
    const old = arr[k]!;
    arr[k] = old + d;
    const v = L(params);
    arr[k] = old;
    return v;
  };
  if (isCMat(m)) {
    const g = cmat(m.rows, m.cols);
    for (let k = 0; k < m.re.length; k++) {
      g.re[k] = (perturbed(m.re, k, h) - perturbed(m.re, k, -h)) / (2 * h);
      g.im[k] = (perturbed(m.im, k, h) - perturbed(m.im, k, -h)) / (2 * h);
    }
    return g;
  }
  const g = mat(m.rows, m.cols);
  for (let k = 0; k < m.data.length; k++) g.data[k] = (perturbed(m.data, k, h) - perturbed(m.data, k, -h)) / (2 * h);
  return g;
}

/** Flat real view of a matrix (re then im for complex). */
export function flat(m: AnyMat | undefined): Float64Array {
  if (m === undefined) return new Float64Array(0);
  if (!isCMat(m)) return m.data;
  const out = new Float64Array(2 * m.re.length);
  out.set(m.re);
  out.set(m.im, m.re.length);
  return out;
}

/** max |a − b| / max(max |b|, floor). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  let d = 0, s = floor;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

function matPow(W: Mat, k: number): Mat {
  const n = W.rows;
  let P = mat(n, n);
  for (let i = 0; i < n; i++) P.data[i * n + i] = 1;
  for (let s = 0; s < k; s++) {
    const Q = mat(n, n);
    for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) for (let j = 0; j < n; j++) Q.data[i * n + j]! += P.data[i * n + l]! * W.data[l * n + j]!;
    P = Q;
  }
  return P;
}

/**
 * Naive per-sequence reference update of local-learning.md §2 for a real network (linear, or tanh with
 * σ′ = 1 − h²), terminal loss at
 * step `Tend` (1-based) of sequence x (T×I rows) with target yT (O): returns {dW, dU, dV} with η = 1.
 * rule: 'tbptt' with tau (Infinity = BPTT), or 'elig' with decays d and feedback F (N×O).
 */
export function referenceTerminal(p: RnnParams<Mat>, x: Float64Array, nIn: number, Tend: number, yT: Float64Array,
  rule: { kind: 'tbptt'; tau: number } | { kind: 'elig'; d: Float64Array; F: Mat }, tanh = false): { dW: Float64Array; dU: Float64Array; dV: Float64Array } {
  const { W, U, V } = p;
  const n = W.rows, nOut = V.rows;
  const hs: Float64Array[] = [new Float64Array(n)];
  for (let t = 1; t <= Tend; t++) {
    const h = new Float64Array(n), prev = hs[t - 1]!;
    for (let i = 0; i < n; i++) {
      let a = 0;
      for (let j = 0; j < n; j++) a += W.data[i * n + j]! * prev[j]!;
      for (let j = 0; j < nIn; j++) a += U.data[i * nIn + j]! * x[(t - 1) * nIn + j]!;
      h[i] = tanh ? Math.tanh(a) : a;
    }
    hs.push(h);
  }
  const hT = hs[Tend]!;
  const e = new Float64Array(nOut);
  for (let o = 0; o < nOut; o++) {
    let y = 0;
    for (let j = 0; j < n; j++) y += V.data[o * n + j]! * hT[j]!;
    e[o] = yT[o]! - y;
  }
  const dW = new Float64Array(n * n), dU = new Float64Array(n * nIn), dV = new Float64Array(nOut * n);
  for (let o = 0; o < nOut; o++) for (let j = 0; j < n; j++) dV[o * n + j] = e[o]! * hT[j]!;
  if (rule.kind === 'tbptt') {
    const VTe = new Float64Array(n);
    for (let j = 0; j < n; j++) for (let o = 0; o < nOut; o++) VTe[j]! += V.data[o * n + j]! * e[o]!;
    for (let t = Math.max(1, Tend - rule.tau + 1); t <= Tend; t++) {
      // linear: δ_t = (Wᵀ)^{T−t} Vᵀ e; tanh: the chain g_T = σ′_T ⊙ Vᵀe, g_s = σ′_s ⊙ Wᵀ g_{s+1} down to s = t
      const delta = new Float64Array(n);
      if (!tanh) {
        const P = matPow(W, Tend - t);
        for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) delta[i]! += P.data[l * n + i]! * VTe[l]!;
      } else {
        let g = VTe.map((v, i) => v * (1 - hs[Tend]![i]! ** 2));
        for (let s2 = Tend - 1; s2 >= t; s2--) {
          const nx = new Float64Array(n);
          for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) nx[i]! += W.data[l * n + i]! * g[l]!;
          g = nx.map((v, i) => v * (1 - hs[s2]![i]! ** 2));
        }
        delta.set(g);
      }
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) dW[i * n + j]! += delta[i]! * hs[t - 1]![j]!;
        for (let j = 0; j < nIn; j++) dU[i * nIn + j]! += delta[i]! * x[(t - 1) * nIn + j]!;
      }
    }
  } else {
    const Fe = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let o = 0; o < nOut; o++) Fe[i]! += rule.F.data[i * nOut + o]! * e[o]!;
    for (let i = 0; i < n; i++) {
      for (let t = 1; t <= Tend; t++) {
        const c = Fe[i]! * rule.d[i]! ** (Tend - t) * (tanh ? 1 - hs[t]![i]! ** 2 : 1);
        for (let j = 0; j < n; j++) dW[i * n + j]! += c * hs[t - 1]![j]!;
        for (let j = 0; j < nIn; j++) dU[i * nIn + j]! += c * x[(t - 1) * nIn + j]!;
      }
    }
  }
  return { dW, dU, dV };
}
