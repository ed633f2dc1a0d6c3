// Independent naive references for the blas, rollout and readout contracts (src/backend/*/types.ts): textbook loops
// written from the formulas, deliberately sharing no code or summation order with src/backend/*/js.ts. Each returns fresh
// outputs together with the error scale used by the tolerance (Σ|terms| per entry, the forward-error bound).
import type { CRolloutParams, RolloutParams, Trans } from '../../src/backend/index.js';

/** op(X)[i, p] of a row-major matrix with `cols` columns (as stored), transposed when t. */
function el(x: Float64Array, t: boolean, cols: number, i: number, p: number): number {
  return t ? x[p * cols + i]! : x[i * cols + p]!;
}

/** C := alpha op(A) op(B) + beta C; scale_ij = |alpha| Σ_p |op(A)_ip op(B)_pj| + |beta C_ij|. beta = 0 ignores C. */
export function naiveGemm(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, b: Float64Array, beta: number, c: Float64Array): { c: Float64Array; scale: Float64Array } {
  const out = new Float64Array(m * n), scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, sa = 0;
      for (let p = 0; p < k; p++) {
        const v = el(a, tA, tA ? m : k, i, p) * el(b, tB, tB ? k : n, p, j);
        s += v;
        sa += Math.abs(v);
      }
      const prev = beta === 0 ? 0 : beta * c[i * n + j]!;
      out[i * n + j] = alpha * s + prev;
      scale[i * n + j] = Math.abs(alpha) * sa + Math.abs(prev);
    }
  }
  return { c: out, scale };
}

/** Complex GEMM with op ∈ {N, T, C}; scale as in naiveGemm with |re| + |im| of every product term. */
export function naiveZgemm(tA: Trans, tB: Trans, m: number, n: number, k: number, alpha: number,
  aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, beta: number,
  cRe: Float64Array, cIm: Float64Array): { re: Float64Array; im: Float64Array; scale: Float64Array } {
  const re = new Float64Array(m * n), im = new Float64Array(m * n), scale = new Float64Array(m * n);
  const ta = tA !== 'N', tb = tB !== 'N';
  const ca = tA === 'C' ? -1 : 1, cb = tB === 'C' ? -1 : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0, si = 0, sa = 0;
      for (let p = 0; p < k; p++) {
        const xr = el(aRe, ta, ta ? m : k, i, p), xi = ca * el(aIm, ta, ta ? m : k, i, p);
        const yr = el(bRe, tb, tb ? k : n, p, j), yi = cb * el(bIm, tb, tb ? k : n, p, j);
        sr += xr * yr - xi * yi;
        si += xr * yi + xi * yr;
        sa += Math.abs(xr * yr) + Math.abs(xi * yi) + Math.abs(xr * yi) + Math.abs(xi * yr);
      }
      const pr = beta === 0 ? 0 : beta * cRe[i * n + j]!, pi = beta === 0 ? 0 : beta * cIm[i * n + j]!;
      re[i * n + j] = alpha * sr + pr;
      im[i * n + j] = alpha * si + pi;
      scale[i * n + j] = Math.abs(alpha) * sa + Math.abs(pr) + Math.abs(pi);
    }
  }
  return { re, im, scale };
}

/** Real rollout, one step at a time: h_t = (1 − a) h_{t−1} + a act(W h_{t−1} + U x_t + b). */
export function naiveRollout(p: RolloutParams, batch: number, steps: number, x: Float64Array,
  h0: Float64Array | null): Float64Array {
  const { n, nIn, W, U, bias, leak, tanh } = p;
  const out = new Float64Array(batch * steps * n);
  for (let b = 0; b < batch; b++) {
    let h = Array.from({ length: n }, (_, i) => (h0 === null ? 0 : h0[b * n + i]!));
    for (let t = 0; t < steps; t++) {
      const next = h.map((hi, i) => {
        let s = bias === null ? 0 : bias[i]!;
        for (let j = 0; j < n; j++) s += W[i * n + j]! * h[j]!;
        for (let j = 0; j < nIn; j++) s += U[i * nIn + j]! * x[(b * steps + t) * nIn + j]!;
        return (1 - leak) * hi + leak * (tanh ? Math.tanh(s) : s);
      });
      next.forEach((v, i) => { out[(b * steps + t) * n + i] = v; });
      h = next;
    }
  }
  return out;
}

/** Complex rollout (identity activation) with explicit complex arithmetic on {re, im} pairs. */
export function naiveRolloutComplex(p: CRolloutParams, batch: number, steps: number, xRe: Float64Array,
  xIm: Float64Array, h0Re: Float64Array | null, h0Im: Float64Array | null): { re: Float64Array; im: Float64Array } {
  const { n, nIn, Wre, Wim, Ure, Uim, biasRe, biasIm, leak } = p;
  const re = new Float64Array(batch * steps * n), im = new Float64Array(batch * steps * n);
  const mul = (ar: number, ai: number, br: number, bi: number): [number, number] => [ar * br - ai * bi, ar * bi + ai * br];
  for (let b = 0; b < batch; b++) {
    let h: [number, number][] = Array.from({ length: n }, (_, i) => [h0Re === null ? 0 : h0Re[b * n + i]!, h0Im === null ? 0 : h0Im[b * n + i]!]);
    for (let t = 0; t < steps; t++) {
      const next = h.map(([hr, hi], i): [number, number] => {
        let sr = biasRe === null ? 0 : biasRe[i]!, si = biasIm === null ? 0 : biasIm[i]!;
        for (let j = 0; j < n; j++) {
          const [vr, vi] = mul(Wre[i * n + j]!, Wim[i * n + j]!, h[j]![0], h[j]![1]);
          sr += vr;
          si += vi;
        }
        for (let j = 0; j < nIn; j++) {
          const q = (b * steps + t) * nIn + j;
          const [vr, vi] = mul(Ure[i * nIn + j]!, Uim[i * nIn + j]!, xRe[q]!, xIm[q]!);
          sr += vr;
          si += vi;
        }
        return [(1 - leak) * hr + leak * sr, (1 - leak) * hi + leak * si];
      });
      next.forEach(([vr, vi], i) => { re[(b * steps + t) * n + i] = vr; im[(b * steps + t) * n + i] = vi; });
      h = next;
    }
  }
  return { re, im };
}

/** Statistics of rows r0..r1−1: hth = G0 + HᴴH, hty = B0 + HᴴY (conj when complex), column sums; with Σ|terms| scales. */
export function naiveGram(n: number, o: number, r0: number, r1: number, H: { re: Float64Array; im: Float64Array | null },
  Y: { re: Float64Array; im: Float64Array | null }, init: { hth: [Float64Array, Float64Array]; hty: [Float64Array, Float64Array] }) {
  const hth: [Float64Array, Float64Array] = [Float64Array.from(init.hth[0]), Float64Array.from(init.hth[1])];
  const hty: [Float64Array, Float64Array] = [Float64Array.from(init.hty[0]), Float64Array.from(init.hty[1])];
  const hthScale = hth[0].map((v, i) => Math.abs(v) + Math.abs(hth[1][i]!));
  const htyScale = hty[0].map((v, i) => Math.abs(v) + Math.abs(hty[1][i]!));
  const hSum: [Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n)];
  const ySum: [Float64Array, Float64Array] = [new Float64Array(o), new Float64Array(o)];
  const hr = (r: number, i: number): number => H.re[r * n + i]!, hi = (r: number, i: number): number => (H.im === null ? 0 : H.im[r * n + i]!);
  const yr = (r: number, j: number): number => Y.re[r * o + j]!, yi = (r: number, j: number): number => (Y.im === null ? 0 : Y.im[r * o + j]!);
  const acc = (dst: [Float64Array, Float64Array], sc: Float64Array, q: number, ar: number, ai: number, br: number, bi: number): void => {
    // conj(a)·b
    dst[0][q]! += ar * br + ai * bi;
    dst[1][q]! += ar * bi - ai * br;
    sc[q]! += Math.abs(ar * br) + Math.abs(ai * bi) + Math.abs(ar * bi) + Math.abs(ai * br);
  };
  for (let r = r0; r < r1; r++) {
    for (let i = 0; i < n; i++) {
      hSum[0][i]! += hr(r, i);
      hSum[1][i]! += hi(r, i);
      for (let j = 0; j < n; j++) acc(hth, hthScale, i * n + j, hr(r, i), hi(r, i), hr(r, j), hi(r, j));
      for (let j = 0; j < o; j++) acc(hty, htyScale, i * o + j, hr(r, i), hi(r, i), yr(r, j), yi(r, j));
    }
    for (let j = 0; j < o; j++) {
      ySum[0][j]! += yr(r, j);
      ySum[1][j]! += yi(r, j);
    }
  }
  return { hth, hty, hSum, ySum, hthScale, htyScale };
}

/**
 * RLS with full complex matrices (im = null: real): Ph = P h, d = λ + Re(hᴴ P h), k = Ph/d, pred = W h,
 * W += (y − pred) kᴴ, P := (P − k (Ph)ᴴ)/λ over every entry (no symmetry tricks).
 */
export function naiveRls(n: number, o: number, T: number, H: [Float64Array, Float64Array | null],
  Y: [Float64Array, Float64Array | null], lambda: number, P0: [Float64Array, Float64Array], W0: [Float64Array, Float64Array]) {
  const P = [Array.from(P0[0]), Array.from(P0[1])], W = [Array.from(W0[0]), Array.from(W0[1])];
  const pred = [new Float64Array(T * o), new Float64Array(T * o)];
  for (let t = 0; t < T; t++) {
    const h = Array.from({ length: n }, (_, j) => [H[0][t * n + j]!, H[1] === null ? 0 : H[1][t * n + j]!] as const);
    const ph = Array.from({ length: n }, (_, i) => {
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) {
        const pr = P[0]![i * n + j]!, pi = P[1]![i * n + j]!;
        sr += pr * h[j]![0] - pi * h[j]![1];
        si += pr * h[j]![1] + pi * h[j]![0];
      }
      return [sr, si] as const;
    });
    let d = lambda;
    for (let i = 0; i < n; i++) d += h[i]![0] * ph[i]![0] + h[i]![1] * ph[i]![1];
    const k = ph.map(([a, b]) => [a / d, b / d] as const);
    for (let r = 0; r < o; r++) {
      let sr = 0, si = 0;
      for (let j = 0; j < n; j++) {
        const wr = W[0]![r * n + j]!, wi = W[1]![r * n + j]!;
        sr += wr * h[j]![0] - wi * h[j]![1];
        si += wr * h[j]![1] + wi * h[j]![0];
      }
      pred[0]![t * o + r] = sr;
      pred[1]![t * o + r] = si;
      const er = Y[0][t * o + r]! - sr, ei = (Y[1] === null ? 0 : Y[1][t * o + r]!) - si;
      for (let j = 0; j < n; j++) {
        // e·conj(k_j)
        W[0]![r * n + j]! += er * k[j]![0] + ei * k[j]![1];
        W[1]![r * n + j]! += ei * k[j]![0] - er * k[j]![1];
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        // k_i·conj(ph_j)
        const vr = k[i]![0] * ph[j]![0] + k[i]![1] * ph[j]![1];
        const vi = k[i]![1] * ph[j]![0] - k[i]![0] * ph[j]![1];
        P[0]![i * n + j] = (P[0]![i * n + j]! - vr) / lambda;
        P[1]![i * n + j] = (P[1]![i * n + j]! - vi) / lambda;
      }
    }
  }
  return { P: P.map((a) => Float64Array.from(a)), W: W.map((a) => Float64Array.from(a)), pred };
}
