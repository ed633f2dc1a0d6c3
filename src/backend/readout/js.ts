// JS reference implementation of the hot kernels (src/kernels/kernels.ts): plain loops, allocation only per call.
import type { CRolloutParams, Kernels, RolloutParams, Trans } from './kernels.js';

function scaleInto(c: Float64Array, len: number, beta: number): void {
  if (beta === 0) c.fill(0, 0, len);
  else if (beta !== 1) for (let i = 0; i < len; i++) c[i]! *= beta;
}

function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void {
  scaleInto(c, m * n, beta);
  if (alpha === 0 || k === 0) return;
  if (!transB) {
    // C[i, :] += alpha * op(A)[i, p] * B[p, :]  (contiguous inner loop over j)
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = alpha * (transA ? a[p * m + i]! : a[i * k + p]!);
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
      }
    }
  } else {
    // C[i, j] += alpha * <op(A)[i, :], B[j, :]>
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        if (!transA) {
          const ai = i * k;
          for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        } else {
          for (let p = 0; p < k; p++) s += a[p * m + i]! * b[bj + p]!;
        }
        c[ci + j]! += alpha * s;
      }
    }
  }
}

function zgemm(transA: Trans, transB: Trans, m: number, n: number, k: number, alpha: number,
  aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, beta: number,
  cRe: Float64Array, cIm: Float64Array): void {
  scaleInto(cRe, m * n, beta);
  scaleInto(cIm, m * n, beta);
  if (alpha === 0 || k === 0) return;
  const sa = transA === 'C' ? -1 : 1;
  const sb = transB === 'C' ? -1 : 1;
  const bRowMajor = transB === 'N';
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const ai = transA === 'N' ? i * k + p : p * m + i;
      const ar = alpha * aRe[ai]!, aim = alpha * sa * aIm[ai]!;
      if (ar === 0 && aim === 0) continue;
      if (bRowMajor) {
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          const br = bRe[bp + j]!, bi = bIm[bp + j]!;
          cRe[ci + j]! += ar * br - aim * bi;
          cIm[ci + j]! += ar * bi + aim * br;
        }
      } else {
        for (let j = 0; j < n; j++) {
          const bj = j * k + p;
          const br = bRe[bj]!, bi = sb * bIm[bj]!;
          cRe[ci + j]! += ar * br - aim * bi;
          cIm[ci + j]! += ar * bi + aim * br;
        }
      }
    }
  }
}

function rollout(p: RolloutParams, batch: number, steps: number, x: Float64Array, h0: Float64Array | null, states: Float64Array): void {
  const { n, nIn, W, U, bias, leak, tanh } = p;
  const pre = new Float64Array(n);
  const zero = new Float64Array(n);
  const keep = 1 - leak;
  for (let b = 0; b < batch; b++) {
    let prev = h0 === null ? zero : h0.subarray(b * n, (b + 1) * n);
    for (let t = 0; t < steps; t++) {
      const xo = (b * steps + t) * nIn;
      const ho = (b * steps + t) * n;
      for (let i = 0; i < n; i++) {
        let s = bias === null ? 0 : bias[i]!;
        const wi = i * n;
        for (let j = 0; j < n; j++) s += W[wi + j]! * prev[j]!;
        const ui = i * nIn;
        for (let j = 0; j < nIn; j++) s += U[ui + j]! * x[xo + j]!;
        pre[i] = s;
      }
      for (let i = 0; i < n; i++) {
        const act = tanh ? Math.tanh(pre[i]!) : pre[i]!;
        states[ho + i] = leak === 1 ? act : keep * prev[i]! + leak * act;
      }
      prev = states.subarray(ho, ho + n);
    }
  }
}

function rolloutComplex(p: CRolloutParams, batch: number, steps: number, xRe: Float64Array, xIm: Float64Array,
  h0Re: Float64Array | null, h0Im: Float64Array | null, statesRe: Float64Array, statesIm: Float64Array): void {
  const { n, nIn, Wre, Wim, Ure, Uim, biasRe, biasIm, leak } = p;
  const pr = new Float64Array(n), pi = new Float64Array(n);
  const zero = new Float64Array(n);
  const keep = 1 - leak;
  for (let b = 0; b < batch; b++) {
    let hr = h0Re === null ? zero : h0Re.subarray(b * n, (b + 1) * n);
    let hi = h0Im === null ? zero : h0Im.subarray(b * n, (b + 1) * n);
    for (let t = 0; t < steps; t++) {
      const xo = (b * steps + t) * nIn;
      const ho = (b * steps + t) * n;
      for (let i = 0; i < n; i++) {
        let sr = biasRe === null ? 0 : biasRe[i]!;
        let si = biasIm === null ? 0 : biasIm[i]!;
        const wi = i * n;
        for (let j = 0; j < n; j++) {
          const wr = Wre[wi + j]!, wm = Wim[wi + j]!;
          sr += wr * hr[j]! - wm * hi[j]!;
          si += wr * hi[j]! + wm * hr[j]!;
        }
        const ui = i * nIn;
        for (let j = 0; j < nIn; j++) {
          const ur = Ure[ui + j]!, um = Uim[ui + j]!;
          sr += ur * xRe[xo + j]! - um * xIm[xo + j]!;
          si += ur * xIm[xo + j]! + um * xRe[xo + j]!;
        }
        pr[i] = sr;
        pi[i] = si;
      }
      for (let i = 0; i < n; i++) {
        statesRe[ho + i] = leak === 1 ? pr[i]! : keep * hr[i]! + leak * pr[i]!;
        statesIm[ho + i] = leak === 1 ? pi[i]! : keep * hi[i]! + leak * pi[i]!;
      }
      hr = statesRe.subarray(ho, ho + n);
      hi = statesIm.subarray(ho, ho + n);
    }
  }
}

/** Row-block size for Gram accumulation: a block of Hᵀ (n × RB) stays in cache while hth is swept once. */
const RB = 128;

function gramAccumulate(n: number, o: number, r0: number, r1: number, H: Float64Array, Y: Float64Array,
  hth: Float64Array, hty: Float64Array, hSum: Float64Array, ySum: Float64Array): void {
  const ht = new Float64Array(n * RB);
  const yt = new Float64Array(o * RB);
  for (let start = r0; start < r1; start += RB) {
    const rb = Math.min(RB, r1 - start);
    // Transpose the block so that every (i, j) dot product runs over contiguous memory.
    for (let r = 0; r < rb; r++) {
      const hr = (start + r) * n, yr = (start + r) * o;
      for (let i = 0; i < n; i++) ht[i * RB + r] = H[hr + i]!;
      for (let j = 0; j < o; j++) yt[j * RB + r] = Y[yr + j]!;
    }
    for (let i = 0; i < n; i++) {
      const hi = i * RB;
      let s = 0;
      for (let r = 0; r < rb; r++) s += ht[hi + r]!;
      hSum[i]! += s;
      // Upper triangle only; mirrored below once all rows are in.
      for (let j = i; j < n; j++) {
        const hj = j * RB;
        let acc0 = 0, acc1 = 0;
        let r = 0;
        for (; r + 1 < rb; r += 2) {
          acc0 += ht[hi + r]! * ht[hj + r]!;
          acc1 += ht[hi + r + 1]! * ht[hj + r + 1]!;
        }
        if (r < rb) acc0 += ht[hi + r]! * ht[hj + r]!;
        hth[i * n + j]! += acc0 + acc1;
      }
      for (let j = 0; j < o; j++) {
        const yj = j * RB;
        let acc = 0;
        for (let r = 0; r < rb; r++) acc += ht[hi + r]! * yt[yj + r]!;
        hty[i * o + j]! += acc;
      }
    }
    for (let j = 0; j < o; j++) {
      let s = 0;
      for (let r = 0; r < rb; r++) s += yt[j * RB + r]!;
      ySum[j]! += s;
    }
  }
  // hth was symmetric before the call (caller contract), so mirroring the upper triangle is exact.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) hth[j * n + i] = hth[i * n + j]!;
}

function gramAccumulateComplex(n: number, o: number, r0: number, r1: number, Hre: Float64Array, Him: Float64Array,
  Yre: Float64Array, Yim: Float64Array, hthRe: Float64Array, hthIm: Float64Array, htyRe: Float64Array,
  htyIm: Float64Array, hSumRe: Float64Array, hSumIm: Float64Array, ySumRe: Float64Array, ySumIm: Float64Array): void {
  for (let r = r0; r < r1; r++) {
    const hr = r * n, yr = r * o;
    for (let i = 0; i < n; i++) {
      // conj(h_i)
      const ar = Hre[hr + i]!, ai = -Him[hr + i]!;
      hSumRe[i]! += ar;
      hSumIm[i]! -= ai;
      for (let j = i; j < n; j++) {
        const br = Hre[hr + j]!, bi = Him[hr + j]!;
        hthRe[i * n + j]! += ar * br - ai * bi;
        hthIm[i * n + j]! += ar * bi + ai * br;
      }
      for (let j = 0; j < o; j++) {
        const br = Yre[yr + j]!, bi = Yim[yr + j]!;
        htyRe[i * o + j]! += ar * br - ai * bi;
        htyIm[i * o + j]! += ar * bi + ai * br;
      }
    }
    for (let j = 0; j < o; j++) {
      ySumRe[j]! += Yre[yr + j]!;
      ySumIm[j]! += Yim[yr + j]!;
    }
  }
  // Hermitian: lower = conj(upper).
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      hthRe[j * n + i] = hthRe[i * n + j]!;
      hthIm[j * n + i] = -hthIm[i * n + j]!;
    }
  }
}

function rls(n: number, o: number, T: number, H: Float64Array, Y: Float64Array, lambda: number,
  P: Float64Array, W: Float64Array, pred: Float64Array, work: Float64Array): void {
  const ph = work.subarray(0, n);
  const k = work.subarray(n, 2 * n);
  const inv = 1 / lambda;
  for (let t = 0; t < T; t++) {
    const ht = t * n, yt = t * o;
    // ph = P h ; denom = λ + hᵀ P h
    let denom = lambda;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const pi = i * n;
      for (let j = 0; j < n; j++) s += P[pi + j]! * H[ht + j]!;
      ph[i] = s;
      denom += H[ht + i]! * s;
    }
    for (let i = 0; i < n; i++) k[i] = ph[i]! / denom;
    // a-priori prediction and weight update W += e kᵀ
    for (let r = 0; r < o; r++) {
      const wr = r * n;
      let s = 0;
      for (let j = 0; j < n; j++) s += W[wr + j]! * H[ht + j]!;
      pred[yt + r] = s;
      const e = Y[yt + r]! - s;
      for (let j = 0; j < n; j++) W[wr + j]! += e * k[j]!;
    }
    // P = (P − k (Ph)ᵀ)/λ  (P symmetric, so hᵀP = (Ph)ᵀ); kept exactly symmetric by updating both halves.
    for (let i = 0; i < n; i++) {
      const ki = k[i]!, pi = i * n;
      for (let j = i; j < n; j++) {
        const v = (P[pi + j]! - ki * ph[j]!) * inv;
        P[pi + j] = v;
        P[j * n + i] = v;
      }
    }
  }
}

function rlsComplex(n: number, o: number, T: number, Hre: Float64Array, Him: Float64Array, Yre: Float64Array,
  Yim: Float64Array, lambda: number, Pre: Float64Array, Pim: Float64Array, Wre: Float64Array, Wim: Float64Array,
  predRe: Float64Array, predIm: Float64Array, work: Float64Array): void {
  const phr = work.subarray(0, n), phi = work.subarray(n, 2 * n);
  const kr = work.subarray(2 * n, 3 * n), ki = work.subarray(3 * n, 4 * n);
  const inv = 1 / lambda;
  for (let t = 0; t < T; t++) {
    const ht = t * n, yt = t * o;
    let denom = lambda;
    for (let i = 0; i < n; i++) {
      let sr = 0, si = 0;
      const pi = i * n;
      for (let j = 0; j < n; j++) {
        const a = Pre[pi + j]!, b = Pim[pi + j]!, c = Hre[ht + j]!, d = Him[ht + j]!;
        sr += a * c - b * d;
        si += a * d + b * c;
      }
      phr[i] = sr;
      phi[i] = si;
      // hᴴ P h: Re(conj(h_i) (Ph)_i) (the imaginary part vanishes for Hermitian P)
      denom += Hre[ht + i]! * sr + Him[ht + i]! * si;
    }
    for (let i = 0; i < n; i++) {
      kr[i] = phr[i]! / denom;
      ki[i] = phi[i]! / denom;
    }
    for (let r = 0; r < o; r++) {
      const wr = r * n;
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) {
        const a = Wre[wr + j]!, b = Wim[wr + j]!, c = Hre[ht + j]!, d = Him[ht + j]!;
        sr += a * c - b * d;
        si += a * d + b * c;
      }
      predRe[yt + r] = sr;
      predIm[yt + r] = si;
      const er = Yre[yt + r]! - sr, ei = Yim[yt + r]! - si;
      // W += e conj(k)ᵀ
      for (let j = 0; j < n; j++) {
        const c = kr[j]!, d = -ki[j]!;
        Wre[wr + j]! += er * c - ei * d;
        Wim[wr + j]! += er * d + ei * c;
      }
    }
    // P = (P − k (Ph)ᴴ)/λ, Hermitian: update the upper triangle and mirror its conjugate.
    for (let i = 0; i < n; i++) {
      const a = kr[i]!, b = ki[i]!, pi = i * n;
      for (let j = i; j < n; j++) {
        const c = phr[j]!, d = -phi[j]!;
        const vr = (Pre[pi + j]! - (a * c - b * d)) * inv;
        const vi = (Pim[pi + j]! - (a * d + b * c)) * inv;
        Pre[pi + j] = vr;
        Pim[pi + j] = i === j ? 0 : vi;
        Pre[j * n + i] = vr;
        Pim[j * n + i] = i === j ? 0 : -vi;
      }
    }
  }
}

/** The JS reference backend's kernels. */
export const jsKernels: Kernels = {
  name: 'js',
  gemm,
  zgemm,
  rollout,
  rolloutComplex,
  gramAccumulate,
  gramAccumulateComplex,
  rls,
  rlsComplex,
};
