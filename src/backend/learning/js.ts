// JS reference implementation of the real learning kernels (contract and layouts in ./types.ts).
import type { LearningKernels } from './types.js';
import { RTRL_BLOCK, bpttComplex, forwardComplex, readoutGradComplex, rtrlChunkComplex } from './js-complex.js';

function forward(n: number, nIn: number, nOut: number, batch: number, steps: number, W: Float64Array, U: Float64Array,
  V: Float64Array, tanh: boolean, x: Float64Array, h0: Float64Array | null, H: Float64Array, Y: Float64Array | null): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const s = b * steps + t;
      const ho = s * n, xo = s * nIn, po = ho - n;
      const first = t === 0;
      for (let i = 0; i < n; i++) {
        let a = 0;
        const ui = i * nIn;
        for (let j = 0; j < nIn; j++) a += U[ui + j]! * x[xo + j]!;
        const wi = i * n;
        if (!first) for (let j = 0; j < n; j++) a += W[wi + j]! * H[po + j]!;
        else if (h0 !== null) for (let j = 0; j < n; j++) a += W[wi + j]! * h0[j]!;
        H[ho + i] = tanh ? Math.tanh(a) : a;
      }
      if (Y !== null) {
        const yo = s * nOut;
        for (let o = 0; o < nOut; o++) {
          let v = 0;
          const vo = o * n;
          for (let j = 0; j < n; j++) v += V[vo + j]! * H[ho + j]!;
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

function bptt(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
  W: Float64Array, V: Float64Array, tanh: boolean, x: Float64Array, h0: Float64Array | null, H: Float64Array,
  Gy: Float64Array, gW: Float64Array | null, gU: Float64Array | null, work: Float64Array): void {
  const delta = work.subarray(0, n);
  const g = work.subarray(n, 2 * n);
  const full = tau >= steps;
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
        // δ_t += Vᵀ Gy_t at loss steps (all of them in the full sweep, only t = s when truncated).
        if ((full && t >= from) || (!full && t === s)) {
          const yo = st * nOut;
          for (let o = 0; o < nOut; o++) {
            const e = Gy[yo + o]!;
            if (e === 0) continue;
            const vo = o * n;
            for (let j = 0; j < n; j++) delta[j]! += V[vo + j]! * e;
          }
        }
        const ho = st * n;
        if (tanh) for (let i = 0; i < n; i++) { const h = H[ho + i]!; g[i] = delta[i]! * (1 - h * h); }
        else g.set(delta);
        if (gW !== null) {
          if (t > 0) outerAdd(n, n, g, H, ho - n, gW);
          else if (h0 !== null) outerAdd(n, n, g, h0, 0, gW);
        }
        if (gU !== null) outerAdd(n, nIn, g, x, st * nIn, gU);
        if (t > lo) {
          // δ_{t−1} = Wᵀ g_t
          delta.fill(0);
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
  W: Float64Array, V: Float64Array, tanh: boolean, x: Float64Array, hPrev: Float64Array, H: Float64Array,
  Gy: Float64Array, SW: Float64Array | null, SU: Float64Array | null, gW: Float64Array | null,
  gU: Float64Array | null, work: Float64Array): void {
  const c = work.subarray(0, n);
  const tmp = work.subarray(n, n + n * RTRL_BLOCK);
  const PW = n * n, PU = n * nIn;
  for (let t = 0; t < steps; t++) {
    const st = off + t;
    const ho = st * n, xo = st * nIn;
    const prev = t === 0 ? hPrev : H;
    const po = t === 0 ? 0 : ho - n;
    for (let which = 0; which < 2; which++) {
      const S = which === 0 ? SW : SU;
      if (S === null) continue;
      const P = which === 0 ? PW : PU;
      const m = which === 0 ? n : nIn; // immediate term e_i ⊗ v with v = h_{t−1} (W) or x_t (U)
      const src = which === 0 ? prev : x;
      const so = which === 0 ? po : xo;
      // S ← W S, one block of columns at a time (the block is copied to tmp: n × pb).
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
      }
      // + immediate term: S[k, k·m + j] += v_j; then rows scaled by σ'(a_{t,k}).
      for (let k = 0; k < n; k++) {
        const ko = k * P + k * m;
        for (let j = 0; j < m; j++) S[ko + j]! += src[so + j]!;
        if (tanh) {
          const h = H[ho + k]!, sp = 1 - h * h;
          const kr = k * P;
          for (let p = 0; p < P; p++) S[kr + p]! *= sp;
        }
      }
    }
    if (t < from) continue;
    // c = Vᵀ Gy_t; g[p] += Σ_k c_k S[k, p]
    c.fill(0);
    const yo = st * nOut;
    for (let o = 0; o < nOut; o++) {
      const e = Gy[yo + o]!;
      if (e === 0) continue;
      const vo = o * n;
      for (let j = 0; j < n; j++) c[j]! += V[vo + j]! * e;
    }
    for (let which = 0; which < 2; which++) {
      const S = which === 0 ? SW : SU;
      const G = which === 0 ? gW : gU;
      if (S === null || G === null) continue;
      const P = which === 0 ? PW : PU;
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
  d: Float64Array, F: Float64Array, tanh: boolean, x: Float64Array, hPrev: Float64Array, H: Float64Array,
  Gy: Float64Array, pW: Float64Array | null, pU: Float64Array | null, gW: Float64Array | null,
  gU: Float64Array | null, work: Float64Array): void {
  const c = work.subarray(0, n);
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
      const di = d[i]!;
      let sp = 1;
      if (tanh) { const h = H[ho + i]!; sp = 1 - h * h; }
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
