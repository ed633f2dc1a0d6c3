// JS reference implementation of the real learning kernels (contract and layouts in ./types.ts).
import type { LearningKernels } from './types.js';
import { RTRL_BLOCK, bpttComplex, forwardComplex, readoutGradComplex, rtrlChunkComplex } from './js-complex.js';

/** The constant readout/bias feature: v = 1 of the bias block's immediate term. */
const ONE = new Float64Array([1]);

function forward(n: number, nIn: number, nOut: number, batch: number, steps: number, W: Float64Array, U: Float64Array,
  bias: Float64Array | null, leak: number, Vh: Float64Array, tanh: boolean, x: Float64Array, h0: Float64Array | null,
  H: Float64Array, Phi: Float64Array | null, Y: Float64Array | null): void {
  const keep = 1 - leak;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const s = b * steps + t;
      const ho = s * n, xo = s * nIn, po = ho - n;
      const first = t === 0;
      for (let i = 0; i < n; i++) {
        let a = bias === null ? 0 : bias[i]!;
        const ui = i * nIn;
        for (let j = 0; j < nIn; j++) a += U[ui + j]! * x[xo + j]!;
        const wi = i * n;
        if (!first) for (let j = 0; j < n; j++) a += W[wi + j]! * H[po + j]!;
        else if (h0 !== null) for (let j = 0; j < n; j++) a += W[wi + j]! * h0[j]!;
        const phi = tanh ? Math.tanh(a) : a;
        if (Phi !== null) Phi[ho + i] = phi;
        if (leak === 1) H[ho + i] = phi;
        else H[ho + i] = keep * (!first ? H[po + i]! : h0 !== null ? h0[i]! : 0) + leak * phi;
      }
      if (Y !== null) {
        const yo = s * nOut;
        for (let o = 0; o < nOut; o++) {
          let v = 0;
          const vo = o * n;
          for (let j = 0; j < n; j++) v += Vh[vo + j]! * H[ho + j]!;
          Y[yo + o] = v;
        }
      }
    }
  }
}

function readoutGrad(n: number, nOut: number, batch: number, steps: number, from: number, H: Float64Array,
  Gy: Float64Array, gV: Float64Array): void {
  for (let b = 0; b < batch; b++) {
    for (let t = from; t < steps; t++) {
      const s = b * steps + t;
      const ho = s * n, yo = s * nOut;
      for (let o = 0; o < nOut; o++) {
        const g = Gy[yo + o]!;
        if (g === 0) continue;
        const vo = o * n;
        for (let j = 0; j < n; j++) gV[vo + j]! += g * H[ho + j]!;
      }
    }
  }
}

/** True when the m entries of a from offset o are all zero (a step without loss signal). */
function isZeroRow(a: Float64Array, o: number, m: number): boolean {
  for (let k = 0; k < m; k++) if (a[o + k] !== 0) return false;
  return true;
}

/** g ⊗ v accumulated into rows of an (n × m) matrix: M[i, j] += g_i v_j (v read at offset vo). */
function outerAdd(n: number, m: number, g: Float64Array, v: Float64Array, vo: number, M: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    if (gi === 0) continue;
    const mi = i * m;
    for (let j = 0; j < m; j++) M[mi + j]! += gi * v[vo + j]!;
  }
}

/** σ'_i of the state row at offset o: 1 − φ² from Phi (given when leak < 1) or from H (φ = h when leak = 1). */
function dact(tanh: boolean, H: Float64Array, Phi: Float64Array | null, o: number): number {
  if (!tanh) return 1;
  const f = Phi === null ? H[o]! : Phi[o]!;
  return 1 - f * f;
}

function bptt(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
  W: Float64Array, Vh: Float64Array, leak: number, tanh: boolean, x: Float64Array, h0: Float64Array | null,
  H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, gW: Float64Array | null, gU: Float64Array | null,
  gb: Float64Array | null, work: Float64Array): void {
  const delta = work.subarray(0, n);
  const g = work.subarray(n, 2 * n);
  const full = tau >= steps;
  const keep = 1 - leak;
  const S = Phi ?? H;
  for (let b = 0; b < batch; b++) {
    const base = b * steps;
    // Full BPTT: one backward sweep accumulating every loss step. Truncated: one short sweep per loss step.
    const s0 = full ? steps - 1 : from;
    for (let s = s0; s < steps; s++) {
      if (!full && isZeroRow(Gy, (base + s) * nOut, nOut)) continue;
      const lo = full ? 0 : Math.max(0, s - tau + 1);
      delta.fill(0);
      for (let t = s; t >= lo; t--) {
        const st = base + t;
        // δ_t += Vhᵀ Gy_t at loss steps (all of them in the full sweep, only t = s when truncated).
        if ((full && t >= from) || (!full && t === s)) {
          addVhT(n, nOut, Vh, Gy, st * nOut, delta);
        }
        const ho = st * n;
        // g_t = leak·σ'_t ⊙ δ_t
        if (leak === 1) {
          if (tanh) for (let i = 0; i < n; i++) { const h = S[ho + i]!; g[i] = delta[i]! * (1 - h * h); }
          else g.set(delta);
        } else {
          for (let i = 0; i < n; i++) g[i] = leak * dact(tanh, H, Phi, ho + i) * delta[i]!;
        }
        if (gW !== null) {
          if (t > 0) outerAdd(n, n, g, H, ho - n, gW);
          else if (h0 !== null) outerAdd(n, n, g, h0, 0, gW);
        }
        if (gU !== null) outerAdd(n, nIn, g, x, st * nIn, gU);
        if (gb !== null) for (let i = 0; i < n; i++) gb[i]! += g[i]!;
        if (t > lo) {
          // δ_{t−1} = (1−leak)·δ_t + Wᵀ g_t
          if (leak === 1) delta.fill(0);
          else for (let j = 0; j < n; j++) delta[j]! *= keep;
          for (let i = 0; i < n; i++) {
            const gi = g[i]!;
            if (gi === 0) continue;
            const wi = i * n;
            for (let j = 0; j < n; j++) delta[j]! += W[wi + j]! * gi;
          }
        }
      }
    }
  }
}

function rtrlChunk(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
  W: Float64Array, Vh: Float64Array, leak: number, tanh: boolean, x: Float64Array, hPrev: Float64Array,
  H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, SW: Float64Array | null, SU: Float64Array | null,
  Sb: Float64Array | null, gW: Float64Array | null, gU: Float64Array | null, gb: Float64Array | null,
  work: Float64Array): void {
  const c = work.subarray(0, n);
  const tmp = work.subarray(n, n + n * RTRL_BLOCK);
  const keep = 1 - leak;
  for (let t = 0; t < steps; t++) {
    const st = off + t;
    const ho = st * n, xo = st * nIn;
    const prev = t === 0 ? hPrev : H;
    const po = t === 0 ? 0 : ho - n;
    for (let which = 0; which < 3; which++) {
      const S = which === 0 ? SW : which === 1 ? SU : Sb;
      if (S === null) continue;
      const m = which === 0 ? n : which === 1 ? nIn : 1; // immediate term e_i ⊗ v: v = h_{t−1} (W), x_t (U), 1 (b)
      const P = n * m;
      const src = which === 0 ? prev : which === 1 ? x : ONE;
      const so = which === 0 ? po : which === 1 ? xo : 0;
      // S ← W S, one block of columns at a time (the block is copied to tmp: n × pb), then in the block: the
      // immediate term S[k, k·m + j] += v_j, and S ← (1−leak) S_old + leak·σ'_k S (σ'_k S when leak = 1).
      for (let p0 = 0; p0 < P; p0 += RTRL_BLOCK) {
        const pb = Math.min(RTRL_BLOCK, P - p0);
        for (let l = 0; l < n; l++) {
          const lo = l * P + p0, to = l * pb;
          for (let q = 0; q < pb; q++) tmp[to + q] = S[lo + q]!;
        }
        for (let k = 0; k < n; k++) {
          const ko = k * P + p0, wk = k * n;
          for (let q = 0; q < pb; q++) S[ko + q] = 0;
          for (let l = 0; l < n; l++) {
            const w = W[wk + l]!;
            if (w === 0) continue;
            const to = l * pb;
            for (let q = 0; q < pb; q++) S[ko + q]! += w * tmp[to + q]!;
          }
        }
        for (let k = 0; k < n; k++) {
          const ko = k * P;
          const i0 = Math.max(k * m, p0), i1 = Math.min(k * m + m, p0 + pb);
          for (let p = i0; p < i1; p++) S[ko + p]! += src[so + p - k * m]!;
          if (leak === 1) {
            if (tanh) {
              const sp = dact(true, H, Phi, ho + k);
              for (let q = 0; q < pb; q++) S[ko + p0 + q]! *= sp;
            }
          } else {
            const f = leak * dact(tanh, H, Phi, ho + k), to = k * pb;
            for (let q = 0; q < pb; q++) S[ko + p0 + q] = keep * tmp[to + q]! + f * S[ko + p0 + q]!;
          }
        }
      }
    }
    if (t < from) continue;
    // c = Vhᵀ Gy_t; g[p] += Σ_k c_k S[k, p]
    c.fill(0);
    addVhT(n, nOut, Vh, Gy, st * nOut, c);
    for (let which = 0; which < 3; which++) {
      const S = which === 0 ? SW : which === 1 ? SU : Sb;
      const G = which === 0 ? gW : which === 1 ? gU : gb;
      if (S === null || G === null) continue;
      const P = n * (which === 0 ? n : which === 1 ? nIn : 1);
      for (let k = 0; k < n; k++) {
        const ck = c[k]!;
        if (ck === 0) continue;
        const ko = k * P;
        for (let p = 0; p < P; p++) G[p]! += ck * S[ko + p]!;
      }
    }
  }
}

function eligibilityChunk(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
  d: Float64Array, F: Float64Array, leak: number, tanh: boolean, x: Float64Array, hPrev: Float64Array,
  H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, pW: Float64Array | null, pU: Float64Array | null,
  pb: Float64Array | null, gW: Float64Array | null, gU: Float64Array | null, gb: Float64Array | null,
  work: Float64Array): void {
  const c = work.subarray(0, n);
  const keep = 1 - leak;
  for (let t = 0; t < steps; t++) {
    const st = off + t;
    const ho = st * n, xo = st * nIn;
    const prev = t === 0 ? hPrev : H;
    const po = t === 0 ? 0 : ho - n;
    const loss = t >= from;
    if (loss) {
      // c = F Gy_t (N): the feedback-projected error signal.
      const yo = st * nOut;
      for (let i = 0; i < n; i++) {
        let s = 0;
        const fi = i * nOut;
        for (let o = 0; o < nOut; o++) s += F[fi + o]! * Gy[yo + o]!;
        c[i] = s;
      }
    }
    for (let i = 0; i < n; i++) {
      // decay λ_i = (1−leak) + leak·d_i, new-term factor leak·σ'_{t,i} (d_i and σ' when leak = 1)
      const di = leak === 1 ? d[i]! : keep + leak * d[i]!;
      let sp = dact(tanh, H, Phi, ho + i);
      if (leak !== 1) sp *= leak;
      const ci = c[i]!;
      if (pW !== null) {
        const r = i * n;
        for (let j = 0; j < n; j++) pW[r + j] = di * pW[r + j]! + sp * prev[po + j]!;
        if (loss && gW !== null && ci !== 0) for (let j = 0; j < n; j++) gW[r + j]! += ci * pW[r + j]!;
      }
      if (pU !== null) {
        const r = i * nIn;
        for (let j = 0; j < nIn; j++) pU[r + j] = di * pU[r + j]! + sp * x[xo + j]!;
        if (loss && gU !== null && ci !== 0) for (let j = 0; j < nIn; j++) gU[r + j]! += ci * pU[r + j]!;
      }
      if (pb !== null) {
        pb[i] = di * pb[i]! + sp;
        if (loss && gb !== null && ci !== 0) gb[i]! += ci * pb[i]!;
      }
    }
  }
}

/** The JS reference learning kernels. */
export const jsLearningKernels: LearningKernels = {
  name: 'js',
  forward,
  forwardComplex,
  readoutGrad,
  readoutGradComplex,
  bptt,
  bpttComplex,
  rtrlChunk,
  rtrlChunkComplex,
  eligibilityChunk,
};

/** acc (N) += V_hᵀ Gy_t, Gy_t the O outputs' errors at row offset yo (zero errors skipped). */
function addVhT(n: number, nOut: number, Vh: Float64Array, Gy: Float64Array, yo: number, acc: Float64Array): void {
  for (let o = 0; o < nOut; o++) {
    const e = Gy[yo + o]!;
    if (e === 0) continue;
    const vo = o * n;
    for (let j = 0; j < n; j++) acc[j]! += Vh[vo + j]! * e;
  }
}
