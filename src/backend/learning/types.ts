// Contract of the learning family: raw, unchecked, allocation-free hot loops of every learning rule.
//
// Model: h_t = act(W h_{t−1} + U x_t), y_t = V h_t (local-learning.md §1); act = identity or tanh, and for
// tanh σ'(a_t) = 1 − h_t² is read back from the stored states (no pre-activations are kept).
// Every kernel takes sizes and Float64Arrays (complex = split re/im pairs), writes into caller-provided
// outputs, ACCUMULATES gradients (+=) and allocates nothing; validation lives in the wrappers.
//
// Layouts (row-major, batch-major): x (B, T, I), states H (B, T, N) with row t holding h_{t+1} (0-based t),
// outputs Y and output-error signals Gy (B, T, O). `Gy[b, t] = ∂ℓ/∂y_t` (real) or ∂ℓ/∂Re y + i ∂ℓ/∂Im y
// (complex) of the per-sequence loss; it is read only at steps t ≥ `from` (earlier steps carry no loss).
// Every rule here computes a GRADIENT-LIKE quantity g (for bptt/rtrl the exact ∂ℓ/∂θ); the update to add
// is Δθ = −η g (the wrappers apply η and the batch mean).
//
// Chunk kernels (RTRL and the eligibility family) process steps [off, off + steps) of ONE sequence, with the
// carried state (h before the chunk, sensitivities / traces) passed in and out, so the batched path (one
// chunk per sequence) and the streaming path (one chunk per step) share the same loops. `off` is the global
// step index b·T + t0 into x, H and Gy.
export { RTRL_BLOCK } from './js-complex.js';

/** The learning hot loops. Implementations must agree with the JS reference to rounding. */
export interface LearningKernels {
  readonly name: string;

  /**
   * Real forward pass over a batch: H[b,t] = act(W H[b,t−1] + U x[b,t]), H[b,−1] = h0 (or 0 when null),
   * Y[b,t] = V H[b,t]. Y may be null (states only).
   */
  forward(n: number, nIn: number, nOut: number, batch: number, steps: number, W: Float64Array, U: Float64Array,
    V: Float64Array, tanh: boolean, x: Float64Array, h0: Float64Array | null, H: Float64Array, Y: Float64Array | null): void;

  /** Complex linear forward pass (split storage); same layout as {@link LearningKernels.forward}. */
  forwardComplex(n: number, nIn: number, nOut: number, batch: number, steps: number,
    Wre: Float64Array, Wim: Float64Array, Ure: Float64Array, Uim: Float64Array, Vre: Float64Array, Vim: Float64Array,
    xRe: Float64Array, xIm: Float64Array, h0Re: Float64Array | null, h0Im: Float64Array | null,
    Hre: Float64Array, Him: Float64Array, Yre: Float64Array | null, Yim: Float64Array | null): void;

  /** Readout gradient gV (O×N) += Σ_b Σ_{t ≥ from} Gy[b,t] H[b,t]ᵀ (complex: Gy Hᴴ). */
  readoutGrad(n: number, nOut: number, batch: number, steps: number, from: number, H: Float64Array,
    Gy: Float64Array, gV: Float64Array): void;
  readoutGradComplex(n: number, nOut: number, batch: number, steps: number, from: number, Hre: Float64Array,
    Him: Float64Array, GyRe: Float64Array, GyIm: Float64Array, gVre: Float64Array, gVim: Float64Array): void;

  /**
   * Truncated backpropagation through time, real (local-learning.md §2.1–2.2; pole-learning.md §1.1 Eq. 5).
   * For every loss step s ≥ from, δ_s = Vᵀ Gy_s is backpropagated over the steps t = s, s−1, …, max(0, s−τ+1):
   * g_t = δ_t ⊙ σ'(a_t), δ_{t−1} = Wᵀ g_t, and gW += g_t h_{t−1}ᵀ, gU += g_t x_tᵀ.
   * τ ≥ steps gives exact BPTT (one backward sweep is used then). gW/gU null = skipped. work ≥ 2n.
   */
  bptt(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
    W: Float64Array, V: Float64Array, tanh: boolean, x: Float64Array, h0: Float64Array | null, H: Float64Array,
    Gy: Float64Array, gW: Float64Array | null, gU: Float64Array | null, work: Float64Array): void;

  /**
   * Complex (t)BPTT in the Wirtinger form (pole-learning.md §1.1): δ_s = Vᴴ Gy_s, δ_{t−1} = Wᴴ δ_t,
   * gW += δ_t h_{t−1}ᴴ, gU += δ_t x_tᴴ, which is ∂ℓ/∂Re θ + i ∂ℓ/∂Im θ. work ≥ 4n.
   */
  bpttComplex(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
    Wre: Float64Array, Wim: Float64Array, Vre: Float64Array, Vim: Float64Array, xRe: Float64Array, xIm: Float64Array,
    h0Re: Float64Array | null, h0Im: Float64Array | null, Hre: Float64Array, Him: Float64Array,
    GyRe: Float64Array, GyIm: Float64Array, gWre: Float64Array | null, gWim: Float64Array | null,
    gUre: Float64Array | null, gUim: Float64Array | null, work: Float64Array): void;

  /**
   * RTRL over one chunk of one sequence (local-learning.md §2.3), real. Sensitivities SW (N × N·N:
   * SW[k, i·N + j] = ∂h_k/∂W_ij) and SU (N × N·I) are carried in and out:
   * S_t = diag(σ'(a_t)) (W S_{t−1} + e_i ⊗ h_{t−1}) and at loss steps gW[p] += Σ_k c_k S_t[k, p], c = Vᵀ Gy_t.
   * hPrev (N) is h before the chunk. SW/gW or SU/gU null = skipped. work ≥ n + n·RTRL_BLOCK.
   */
  rtrlChunk(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    W: Float64Array, V: Float64Array, tanh: boolean, x: Float64Array, hPrev: Float64Array, H: Float64Array,
    Gy: Float64Array, SW: Float64Array | null, SU: Float64Array | null, gW: Float64Array | null,
    gU: Float64Array | null, work: Float64Array): void;

  /**
   * Complex RTRL chunk (linear): S_t = W S_{t−1} + e_i ⊗ h_{t−1}; gW[p] += Σ_k c_k conj(S_t[k, p]),
   * c = Vᴴ Gy_t (the complex-gradient convention). work ≥ 2n + 2n·RTRL_BLOCK.
   */
  rtrlChunkComplex(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    Wre: Float64Array, Wim: Float64Array, Vre: Float64Array, Vim: Float64Array, xRe: Float64Array, xIm: Float64Array,
    hPrevRe: Float64Array, hPrevIm: Float64Array, Hre: Float64Array, Him: Float64Array, GyRe: Float64Array,
    GyIm: Float64Array, SWre: Float64Array | null, SWim: Float64Array | null, SUre: Float64Array | null,
    SUim: Float64Array | null, gWre: Float64Array | null, gWim: Float64Array | null, gUre: Float64Array | null,
    gUim: Float64Array | null, work: Float64Array): void;

  /**
   * Eligibility-trace family over one chunk of one sequence (local-learning.md §2.4; Murray 2019 for tanh):
   * pW[i,j] ← d_i pW[i,j] + σ'(a_{t,i}) h_{t−1,j}, pU[i,j] ← d_i pU[i,j] + σ'(a_{t,i}) x_{t,j}
   * (σ' = 1 for the identity), and at loss steps gW[i,j] += (F Gy_t)_i pW[i,j], gU likewise.
   * d (N) decays, F (N×O) feedback. pW/gW or pU/gU null = skipped. work ≥ n.
   */
  eligibilityChunk(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    d: Float64Array, F: Float64Array, tanh: boolean, x: Float64Array, hPrev: Float64Array, H: Float64Array,
    Gy: Float64Array, pW: Float64Array | null, pU: Float64Array | null, gW: Float64Array | null,
    gU: Float64Array | null, work: Float64Array): void;
}
