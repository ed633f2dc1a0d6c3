// JS reference of the readout family (least-squares statistics, RLS): plain loops, allocation only per call.
import type { ReadoutKernels } from './types.js';

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

/** The JS reference readout family. */
export const jsReadout: ReadoutKernels = { name: 'js', gramAccumulate, gramAccumulateComplex, rls, rlsComplex };
