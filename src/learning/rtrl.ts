// Real-time recurrent learning: exact forward-mode gradient of W and U (local-learning.md §2.3).
//
// Sensitivities S^W_t[k, (i,j)] = ∂h_{t,k}/∂W_ij, S^U_t[k, (i,j)] = ∂h_{t,k}/∂U_ij, S_0 = 0:
// S_t = diag(σ'(a_t)) (W S_{t−1} + e_i h_{t−1,j}) (resp. x_{t,j}); at each loss step the gradient gains
// Σ_k (Vᵀ Gy_t)_k S_t[k, ·] (complex: Σ_k (Vᴴ Gy_t)_k conj(S_t[k, ·])). Equal to BPTT to rounding.
// Memory N·N·(N + I) per sensitivity set; cost O(N⁴) per step (fine for small N).
import { RTRL_BLOCK, learningKernels } from './kernels.js';
import type { Acc } from './grads.js';
import type { Net, Pass } from './losses.js';

/** Carried RTRL state of one sequence (sensitivities; imaginary parts for complex networks). */
export interface RtrlState {
  readonly SW: Float64Array | null;
  readonly SWi: Float64Array | null;
  readonly SU: Float64Array | null;
  readonly SUi: Float64Array | null;
  readonly work: Float64Array;
}

/** Zeroed sensitivities for the free blocks among W, U of `net` (acc decides which are free). */
export function newRtrlState(net: Net, acc: Acc): RtrlState {
  const { n, nIn, complex } = net;
  const mk = (on: boolean, len: number): Float64Array | null => (on ? new Float64Array(len) : null);
  const w = acc.gW !== null, u = acc.gU !== null;
  return {
    SW: mk(w, n * n * n), SWi: mk(w && complex, n * n * n),
    SU: mk(u, n * n * nIn), SUi: mk(u && complex, n * n * nIn),
    work: new Float64Array((complex ? 2 : 1) * (n + n * RTRL_BLOCK)),
  };
}

/** Sets the sensitivities to zero (start of a sequence). */
export function resetRtrlState(s: RtrlState): void {
  for (const a of [s.SW, s.SWi, s.SU, s.SUi]) a?.fill(0);
}

/**
 * Runs steps [t0, t0 + steps) of sequence b of `pass` through RTRL, accumulating into acc. hPrev/hPrevI
 * hold h before the chunk. `from` = first step of the chunk (relative) that carries loss.
 */
export function rtrlChunk(net: Net, pass: Pick<Pass, 'x' | 'xi' | 'H' | 'Hi' | 'Gy' | 'Gyi'>, off: number, steps: number, from: number,
  hPrev: Float64Array, hPrevI: Float64Array | null, s: RtrlState, acc: Acc): void {
  const { n, nIn, nOut } = net;
  const k = learningKernels();
  if (net.complex) {
    k.rtrlChunkComplex(n, nIn, nOut, off, steps, from, net.W, net.Wi!, net.V, net.Vi!, pass.x, pass.xi!, hPrev, hPrevI!,
      pass.H, pass.Hi!, pass.Gy, pass.Gyi!, s.SW, s.SWi, s.SU, s.SUi, acc.gW, acc.gWi, acc.gU, acc.gUi, s.work);
  } else {
    k.rtrlChunk(n, nIn, nOut, off, steps, from, net.W, net.V, net.tanh, pass.x, hPrev, pass.H, pass.Gy, s.SW, s.SU,
      acc.gW, acc.gU, s.work);
  }
}

/** Adds the RTRL gradient sums of W and U over the batch to acc (nothing to do when both are frozen). */
export function rtrlAccumulate(net: Net, pass: Pass, acc: Acc): void {
  if (acc.gW === null && acc.gU === null) return;
  const s = newRtrlState(net, acc);
  const h0 = net.h0 ?? new Float64Array(net.n);
  const h0i = net.complex ? (net.h0i ?? new Float64Array(net.n)) : null;
  for (let b = 0; b < pass.batch; b++) {
    resetRtrlState(s);
    rtrlChunk(net, pass, b * pass.steps, pass.steps, pass.from, h0, h0i, s, acc);
  }
}
