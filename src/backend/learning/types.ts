// Contract of the learning family: raw, unchecked, allocation-free hot loops of every learning rule.
//
// Model: h_t = (1−a)·h_{t−1} + a·φ_t, φ_t = act(pre_t), pre_t = W h_{t−1} + U x_t + b (docs/theory/networks.md §2 with
// the leak rate a ∈ (0, 1] and bias b of the rollout model); act = identity or tanh. σ'_t = act'(pre_t) = 1 − φ_t²
// for tanh: read back from the stored states when a = 1 (φ_t = h_t), from the stored Phi (B, T, N) when a < 1 —
// the wrappers then ask the forward pass for Phi. The kernels see only the state part V_h (O×N, contiguous) of the
// readout; the direct input and constant readout features are handled by the wrappers (losses.ts, bptt.ts).
// Every kernel takes sizes and Float64Arrays (complex = split re/im pairs), writes into caller-provided
// outputs, ACCUMULATES gradients (+=) and allocates nothing; validation lives in the wrappers. `b`, `Phi` and
// every gradient / carried-state block may be null (no bias, σ' from H, block skipped).
//
// Layouts (row-major, batch-major): x (B, T, I), states H and Phi (B, T, N) with row t holding h_{t+1} (0-based t),
// outputs Y and output-error signals Gy (B, T, O). `Gy[b, t] = ∂ℓ/∂y_t` (real) or ∂ℓ/∂Re y + i ∂ℓ/∂Im y
// (complex) of the per-sequence loss; it is read only at steps t ≥ `from` (earlier steps carry no loss).
// Every rule here computes a GRADIENT-LIKE quantity g (for bptt/rtrl the exact ∂ℓ/∂θ); the update to add
// is Δθ = −η g (the wrappers apply η and the batch mean).
//
// Chunk kernels (RTRL and the eligibility family) process steps [off, off + steps) of ONE sequence, with the
// carried state (h before the chunk, sensitivities / traces) passed in and out, so the batched path (one
// chunk per sequence) and the streaming path (one chunk per step) share the same loops. `off` is the global
// step index b·T + t0 into x, H, Phi and Gy.
//
// With a = 1, b = null and Phi = null every kernel performs exactly the operations of the model without leak
// and bias (bit-identical results).
export { RTRL_BLOCK } from './js-complex.js';

/** The learning hot loops. Implementations must agree with the JS reference to rounding. */
export interface LearningKernels {
  readonly name: string;

  /**
   * Real forward pass over a batch: pre = W H[b,t−1] + U x[b,t] + b, φ = act(pre), H[b,t] = (1−leak) H[b,t−1] + leak·φ
   * (H[b,t] = φ when leak = 1), H[b,−1] = h0 (or 0 when null); Phi[b,t] = φ when Phi is given; Y[b,t] = Vh H[b,t]
   * (Vh: O×N). Y may be null (states only).
   */
  forward(n: number, nIn: number, nOut: number, batch: number, steps: number, W: Float64Array, U: Float64Array,
    b: Float64Array | null, leak: number, Vh: Float64Array, tanh: boolean, x: Float64Array, h0: Float64Array | null,
    H: Float64Array, Phi: Float64Array | null, Y: Float64Array | null): void;

  /** Complex linear forward pass (split storage; leak real, bias complex); same layout as {@link LearningKernels.forward}. */
  forwardComplex(n: number, nIn: number, nOut: number, batch: number, steps: number,
    Wre: Float64Array, Wim: Float64Array, Ure: Float64Array, Uim: Float64Array, bRe: Float64Array | null,
    bIm: Float64Array | null, leak: number, Vre: Float64Array, Vim: Float64Array,
    xRe: Float64Array, xIm: Float64Array, h0Re: Float64Array | null, h0Im: Float64Array | null,
    Hre: Float64Array, Him: Float64Array, Yre: Float64Array | null, Yim: Float64Array | null): void;

  /** Readout gradient gV (O×N) += Σ_b Σ_{t ≥ from} Gy[b,t] H[b,t]ᵀ (complex: Gy Hᴴ); N = the row width of H. */
  readoutGrad(n: number, nOut: number, batch: number, steps: number, from: number, H: Float64Array,
    Gy: Float64Array, gV: Float64Array): void;
  readoutGradComplex(n: number, nOut: number, batch: number, steps: number, from: number, Hre: Float64Array,
    Him: Float64Array, GyRe: Float64Array, GyIm: Float64Array, gVre: Float64Array, gVim: Float64Array): void;

  /**
   * Truncated backpropagation through time, real (docs/theory/learning-rules.md §2–3).
   * For every loss step s ≥ from, δ_s = Vhᵀ Gy_s is backpropagated over the steps t = s, s−1, …, max(0, s−τ+1):
   * g_t = leak·σ'_t ⊙ δ_t, δ_{t−1} = (1−leak)·δ_t + Wᵀ g_t, and gW += g_t h_{t−1}ᵀ, gU += g_t x_tᵀ, gb += g_t.
   * τ ≥ steps gives exact BPTT (one backward sweep is used then). gW/gU/gb null = skipped. work ≥ 2n.
   */
  bptt(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
    W: Float64Array, Vh: Float64Array, leak: number, tanh: boolean, x: Float64Array, h0: Float64Array | null,
    H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, gW: Float64Array | null, gU: Float64Array | null,
    gb: Float64Array | null, work: Float64Array): void;

  /**
   * Complex (t)BPTT in the Wirtinger form (docs/theory/learning-rules.md §2.4): δ_s = Vhᴴ Gy_s, g_t = leak·δ_t,
   * δ_{t−1} = (1−leak)·δ_t + Wᴴ g_t, gW += g_t h_{t−1}ᴴ, gU += g_t x_tᴴ, gb += g_t, which is ∂ℓ/∂Re θ + i ∂ℓ/∂Im θ.
   * work ≥ 4n.
   */
  bpttComplex(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
    Wre: Float64Array, Wim: Float64Array, Vre: Float64Array, Vim: Float64Array, leak: number, xRe: Float64Array,
    xIm: Float64Array, h0Re: Float64Array | null, h0Im: Float64Array | null, Hre: Float64Array, Him: Float64Array,
    GyRe: Float64Array, GyIm: Float64Array, gWre: Float64Array | null, gWim: Float64Array | null,
    gUre: Float64Array | null, gUim: Float64Array | null, gbRe: Float64Array | null, gbIm: Float64Array | null,
    work: Float64Array): void;

  /**
   * RTRL over one chunk of one sequence (docs/theory/learning-rules.md §4), real. Sensitivities SW (N × N·N:
   * SW[k, i·N + j] = ∂h_k/∂W_ij), SU (N × N·I) and Sb (N × N: Sb[k, i] = ∂h_k/∂b_i) are carried in and out:
   * S_t = (1−leak) S_{t−1} + diag(leak·σ'_t) (W S_{t−1} + e_i ⊗ v_t) with v = h_{t−1} (W), x_t (U), 1 (b), and at
   * loss steps g[p] += Σ_k c_k S_t[k, p], c = Vhᵀ Gy_t. hPrev (N) is h before the chunk. A null S (or its g)
   * skips that block. work ≥ n + n·RTRL_BLOCK.
   */
  rtrlChunk(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    W: Float64Array, Vh: Float64Array, leak: number, tanh: boolean, x: Float64Array, hPrev: Float64Array,
    H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, SW: Float64Array | null, SU: Float64Array | null,
    Sb: Float64Array | null, gW: Float64Array | null, gU: Float64Array | null, gb: Float64Array | null,
    work: Float64Array): void;

  /**
   * Complex RTRL chunk (linear): S_t = (1−leak) S_{t−1} + leak·(W S_{t−1} + e_i ⊗ v_t) (v = h_{t−1}, x_t or 1);
   * g[p] += Σ_k c_k conj(S_t[k, p]), c = Vhᴴ Gy_t (the complex-gradient convention). work ≥ 2n + 2n·RTRL_BLOCK.
   */
  rtrlChunkComplex(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    Wre: Float64Array, Wim: Float64Array, Vre: Float64Array, Vim: Float64Array, leak: number, xRe: Float64Array,
    xIm: Float64Array, hPrevRe: Float64Array, hPrevIm: Float64Array, Hre: Float64Array, Him: Float64Array,
    GyRe: Float64Array, GyIm: Float64Array, SWre: Float64Array | null, SWim: Float64Array | null,
    SUre: Float64Array | null, SUim: Float64Array | null, Sbre: Float64Array | null, Sbim: Float64Array | null,
    gWre: Float64Array | null, gWim: Float64Array | null, gUre: Float64Array | null, gUim: Float64Array | null,
    gbRe: Float64Array | null, gbIm: Float64Array | null, work: Float64Array): void;

  /**
   * Eligibility-trace family over one chunk of one sequence (docs/theory/learning-rules.md §5.2; Murray 2019 for tanh), with
   * the per-unit decay λ_i = (1−leak) + leak·d_i:
   * pW[i,j] ← λ_i pW[i,j] + leak·σ'_{t,i} h_{t−1,j}, pU[i,j] ← λ_i pU[i,j] + leak·σ'_{t,i} x_{t,j},
   * pb[i] ← λ_i pb[i] + leak·σ'_{t,i} (σ' = 1 for the identity), and at loss steps gW[i,j] += (F Gy_t)_i pW[i,j],
   * gU, gb likewise. d (N) decays, F (N×O) feedback. A null trace (or its g) skips that block. work ≥ n.
   */
  eligibilityChunk(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    d: Float64Array, F: Float64Array, leak: number, tanh: boolean, x: Float64Array, hPrev: Float64Array,
    H: Float64Array, Phi: Float64Array | null, Gy: Float64Array, pW: Float64Array | null, pU: Float64Array | null,
    pb: Float64Array | null, gW: Float64Array | null, gU: Float64Array | null, gb: Float64Array | null,
    work: Float64Array): void;
}
