// Test-only helpers of the learning tests: random networks and batches, finite differences, naive reference rules.
//
// Kept beside the tests (imported only by *.test.ts files); the reference rules are direct transcriptions
// of docs/theory/learning-rules.md §2–5 with explicit matrix powers, independent of the kernels.
import type { Rng } from '../core/rng.js';
import { cmat, isCMat, mat, type AnyMat, type CMat, type CSeqBatch, type CVec, type Mat, type SeqBatch, type Vec } from '../core/types.js';
import { evaluateLoss } from './losses.js';
import type { AnySeqBatch, LearningOptions, LossKind, ReadoutFeatures, RnnParams } from './types.js';

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
 * Naive per-sequence reference update of docs/theory/learning-rules.md §2–5 for a real network (linear, or tanh with
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

/** Any parameter block: a matrix or the bias vector. */
export type AnyBlock = AnyMat | Vec | CVec;

/** Flat real view of a block (re then im for complex); empty when absent. */
export function flatBlock(m: AnyBlock | undefined): Float64Array {
  if (m === undefined) return new Float64Array(0);
  if (m instanceof Float64Array) return m;
  if ('data' in m || 'rows' in m) return flat(m as AnyMat);
  const out = new Float64Array(2 * m.re.length);
  out.set(m.re);
  out.set(m.im, m.re.length);
  return out;
}

/** The real arrays of a block ([re] or [re, im]). */
function blockArrays(m: AnyBlock): Float64Array[] {
  if (m instanceof Float64Array) return [m];
  if ('data' in m) return [m.data];
  return [m.re, m.im];
}

/**
 * A random network of the full model: W, U, V (O×F for the readout features) and a bias b (N(0, 0.25²) entries),
 * real or complex.
 */
export function randModel(rng: Rng, n: number, nIn: number, nOut: number, o: { complex?: boolean; features?: ReadoutFeatures; bias?: boolean; wScale?: number } = {}): RnnParams {
  const F = o.features === undefined || o.features === 'state' ? n : o.features === 'state+input' ? n + nIn : n + nIn + 1;
  const base = o.complex ? randCNet(rng.child('net'), n, nIn, nOut, o.wScale) : randNet(rng.child('net'), n, nIn, nOut, o.wScale);
  const r = rng.child('extra');
  let V: AnyMat;
  if (o.complex) {
    const c = cmat(nOut, F);
    r.fillComplexNormal(c.re, c.im, 1 / F);
    V = c;
  } else {
    V = mat(nOut, F, r.fillNormal(new Float64Array(nOut * F), 1 / Math.sqrt(F)));
  }
  if (!o.bias) return { W: base.W, U: base.U, V } as RnnParams;
  let b: Vec | CVec;
  if (o.complex) {
    const re = new Float64Array(n), im = new Float64Array(n);
    r.fillComplexNormal(re, im, 0.0625);
    b = { re, im };
  } else {
    b = r.fillNormal(new Float64Array(n), 0.25);
  }
  return { W: base.W, U: base.U, V, b } as RnnParams;
}

/**
 * Central finite-difference gradient of the batch-mean loss w.r.t. one block of the full model (W, U, b or V),
 * flat as {@link flatBlock} (complex: ∂/∂Re then ∂/∂Im).
 */
export function fdGradientFlat(params: RnnParams, block: 'W' | 'U' | 'b' | 'V', x: AnySeqBatch, y: AnySeqBatch,
  opts: LearningOptions, h = 1e-6): Float64Array {
  const m = (params as unknown as Record<string, AnyBlock | undefined>)[block];
  if (m === undefined) throw new Error(`fdGradientFlat: params.${block} is absent`);
  const out: number[] = [];
  for (const arr of blockArrays(m)) {
    for (let k = 0; k < arr.length; k++) {
      const old = arr[k]!;
      arr[k] = old + h;
      const up = evaluateLoss(params, x, y, opts);
      arr[k] = old - h;
      const down = evaluateLoss(params, x, y, opts);
      arr[k] = old;
      out.push((up - down) / (2 * h));
    }
  }
  return Float64Array.from(out);
}

/**
 * Independent transcription of the eligibility-trace update of a real network of the full model (eligibility.ts
 * header): explicit forward pass h_t = (1−a) h_{t−1} + a φ_t, φ_t = act(W h_{t−1} + U x_t + b), y_t = V z_t; traces
 * p_t = ((1−a) + a d) ⊙ p_{t−1} + a σ'_t ⊗ v_t (σ' = 1 − φ_t² for tanh, v = h_{t−1}, x_t, 1); at each loss step
 * Δθ += η w_t (F e_t)_i p_t and ΔV += η w_t e_t z_tᵀ; the batch mean. Returns flat dW, dU, db, dV.
 */
export function naiveEligibilityUpdate(p: RnnParams<Mat>, x: SeqBatch, y: SeqBatch, loss: LossKind, d: Float64Array, F: Mat,
  o: { leak: number; tanh: boolean; features: ReadoutFeatures; eta: number }): { dW: Float64Array; dU: Float64Array; db: Float64Array; dV: Float64Array } {
  const n = p.W.rows, nIn = p.U.cols, nOut = p.V.rows, nF = p.V.cols, T = x.steps, a = o.leak;
  const b = (p.b as Vec | undefined) ?? new Float64Array(n);
  const dW = new Float64Array(n * n), dU = new Float64Array(n * nIn), db = new Float64Array(n), dV = new Float64Array(nOut * nF);
  const from = loss === 'terminal' ? T - 1 : 0, w = loss === 'sequence-mean' ? 1 / T : 1;
  const terminalOnly = y.steps === 1 && T > 1;
  for (let s = 0; s < x.batch; s++) {
    let h = new Float64Array(n);
    const pW = new Float64Array(n * n), pU = new Float64Array(n * nIn), pb = new Float64Array(n);
    for (let t = 0; t < T; t++) {
      const xt = x.data.subarray((s * T + t) * nIn, (s * T + t + 1) * nIn);
      const phi = new Float64Array(n), hn = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let pre = b[i]!;
        for (let j = 0; j < n; j++) pre += p.W.data[i * n + j]! * h[j]!;
        for (let j = 0; j < nIn; j++) pre += p.U.data[i * nIn + j]! * xt[j]!;
        phi[i] = o.tanh ? Math.tanh(pre) : pre;
        hn[i] = (1 - a) * h[i]! + a * phi[i]!;
      }
      for (let i = 0; i < n; i++) {
        const lam = (1 - a) + a * d[i]!, sp = a * (o.tanh ? 1 - phi[i]! ** 2 : 1);
        for (let j = 0; j < n; j++) pW[i * n + j] = lam * pW[i * n + j]! + sp * h[j]!;
        for (let j = 0; j < nIn; j++) pU[i * nIn + j] = lam * pU[i * nIn + j]! + sp * xt[j]!;
        pb[i] = lam * pb[i]! + sp;
      }
      h = hn;
      if (t < from) continue;
      const z = new Float64Array(nF);
      z.set(h);
      if (nF > n) z.set(xt, n);
      if (nF === n + nIn + 1) z[n + nIn] = 1;
      const yt = y.data.subarray((terminalOnly ? s : s * T + t) * nOut, ((terminalOnly ? s : s * T + t) + 1) * nOut);
      const e = new Float64Array(nOut);
      for (let q = 0; q < nOut; q++) {
        let v = 0;
        for (let j = 0; j < nF; j++) v += p.V.data[q * nF + j]! * z[j]!;
        e[q] = yt[q]! - v;
      }
      const scale = o.eta * w / x.batch;
      for (let q = 0; q < nOut; q++) for (let j = 0; j < nF; j++) dV[q * nF + j]! += scale * e[q]! * z[j]!;
      for (let i = 0; i < n; i++) {
        let c = 0;
        for (let q = 0; q < nOut; q++) c += F.data[i * nOut + q]! * e[q]!;
        for (let j = 0; j < n; j++) dW[i * n + j]! += scale * c * pW[i * n + j]!;
        for (let j = 0; j < nIn; j++) dU[i * nIn + j]! += scale * c * pU[i * nIn + j]!;
        db[i]! += scale * c * pb[i]!;
      }
    }
  }
  return { dW, dU, db, dV };
}
