// JS reference of the rollout family (real and complex recurrences over a batch): plain loops, allocation only per call.
import type { CRolloutParams, RolloutKernels, RolloutParams } from './types.js';

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

/** The JS reference rollout family. */
export const jsRollout: RolloutKernels = { name: 'js', rollout, rolloutComplex };
