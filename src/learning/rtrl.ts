// Real-time recurrent learning: exact forward-mode gradient of W, U and b (docs/theory/learning-rules.md §4).
//
// Sensitivities S^W_t[k, (i,j)] = ∂h_{t,k}/∂W_ij, S^U_t[k, (i,j)] = ∂h_{t,k}/∂U_ij, S^b_t[k, i] = ∂h_{t,k}/∂b_i,
// S_0 = 0. For h_t = (1−a)·h_{t−1} + a·act(W h_{t−1} + U x_t + b):
//   S_t = (1−a)·S_{t−1} + diag(a·σ'_t) (W S_{t−1} + e_i ⊗ v_t),  v = h_{t−1} (W), x_t (U), 1 (b; S^b is N×N);
// at each loss step the gradient gains Σ_k (V_hᵀ Gy_t)_k S_t[k, ·] (complex: Σ_k (V_hᴴ Gy_t)_k conj(S_t[k, ·])),
// V_h the state columns of V. Equal to BPTT to rounding. Memory N·N·(N + I + 1) per sensitivity set; cost O(N⁴)
// per step (fine for small N).
import { RTRL_BLOCK } from '../backend/learning/types.js';
import type { Acc } from './grads.js';
import type { Net, Pass } from './losses.js';
import type { Scratch } from './workspace.js';

/** Carried RTRL state of one sequence (sensitivities; imaginary parts for complex networks). */
export interface RtrlState {
  readonly SW: Float64Array | null;
  readonly SWi: Float64Array | null;
  readonly SU: Float64Array | null;
  readonly SUi: Float64Array | null;
  readonly Sb: Float64Array | null;
  readonly Sbi: Float64Array | null;
  readonly work: Float64Array;
}

/**
 * Zeroed sensitivities for the free blocks among W, U, b of `net` (acc decides which are free): fresh arrays, or
 * arrays of the call's scratch `ws` (valid until it is released).
 */
export function newRtrlState(net: Net, acc: Acc, ws?: Scratch): RtrlState {
  const { n, nIn, complex } = net;
  const w = acc.gW !== null, u = acc.gU !== null, b = acc.gb !== null;
  const mk = (on: boolean, slot: 'SW' | 'SWi' | 'SU' | 'SUi' | 'Sb' | 'Sbi', len: number): Float64Array | null =>
    (!on ? null : ws === undefined ? new Float64Array(len) : ws.zeros(slot, len));
  const wlen = (complex ? 2 : 1) * (n + n * RTRL_BLOCK);
  return {
    SW: mk(w, 'SW', n * n * n), SWi: mk(w && complex, 'SWi', n * n * n),
    SU: mk(u, 'SU', n * n * nIn), SUi: mk(u && complex, 'SUi', n * n * nIn),
    Sb: mk(b, 'Sb', n * n), Sbi: mk(b && complex, 'Sbi', n * n),
    work: ws === undefined ? new Float64Array(wlen) : ws.zeros('work', wlen),
  };
}

/** Sets the sensitivities to zero (start of a sequence). */
export function resetRtrlState(s: RtrlState): void {
  for (const a of [s.SW, s.SWi, s.SU, s.SUi, s.Sb, s.Sbi]) a?.fill(0);
}

/**
 * Runs steps [t0, t0 + steps) of sequence b of `pass` through RTRL, accumulating into acc. hPrev/hPrevI
 * hold h before the chunk. `from` = first step of the chunk (relative) that carries loss.
 */
export function rtrlChunk(net: Net, pass: Pick<Pass, 'x' | 'xi' | 'H' | 'Hi' | 'Phi' | 'Gy' | 'Gyi'>, off: number, steps: number, from: number,
  hPrev: Float64Array, hPrevI: Float64Array | null, s: RtrlState, acc: Acc): void {
  const { n, nIn, nOut } = net;
  const k = net.backend.learning;
  if (net.complex) {
    k.rtrlChunkComplex(n, nIn, nOut, off, steps, from, net.W, net.Wi!, net.Vh, net.Vhi!, net.leak, pass.x, pass.xi!, hPrev, hPrevI!,
      pass.H, pass.Hi!, pass.Gy, pass.Gyi!, s.SW, s.SWi, s.SU, s.SUi, s.Sb, s.Sbi, acc.gW, acc.gWi, acc.gU, acc.gUi,
      acc.gb, acc.gbi, s.work);
  } else {
    k.rtrlChunk(n, nIn, nOut, off, steps, from, net.W, net.Vh, net.leak, net.tanh, pass.x, hPrev, pass.H, pass.Phi, pass.Gy,
      s.SW, s.SU, s.Sb, acc.gW, acc.gU, acc.gb, s.work);
  }
}

/**
 * Adds the RTRL gradient sums of W, U and b over the batch to acc (nothing to do when all are frozen). The carried
 * state comes from `ws` when given, else it is allocated.
 */
export function rtrlAccumulate(net: Net, pass: Pass, acc: Acc, ws?: Scratch): void {
  if (acc.gW === null && acc.gU === null && acc.gb === null) return;
  const s = newRtrlState(net, acc, ws);
  const zeros = (slot: 'h0' | 'h0i'): Float64Array => (ws === undefined ? new Float64Array(net.n) : ws.zeros(slot, net.n));
  const h0 = net.h0 ?? zeros('h0');
  const h0i = net.complex ? (net.h0i ?? zeros('h0i')) : null;
  for (let b = 0; b < pass.batch; b++) {
    resetRtrlState(s);
    rtrlChunk(net, pass, b * pass.steps, pass.steps, pass.from, h0, h0i, s, acc);
  }
}
