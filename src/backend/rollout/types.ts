// Hot-kernel contract: raw, unchecked, allocation-free numeric kernels that a backend (JS, WASM) implements.
//
// Every kernel takes sizes and Float64Arrays, writes into caller-provided outputs and allocates nothing.
// Validation happens in the wrappers that call them (src/linalg, src/models, src/readouts), never here.
// Layouts are row-major and batch-major as in src/core/types.ts. A complex array is a (re, im) pair.

/** Transposition flag for complex GEMM: 'N' none, 'T' transpose, 'C' conjugate transpose. */
export type Trans = 'N' | 'T' | 'C';

/** Real reservoir / RNN parameters as the rollout kernel sees them. */
export interface RolloutParams {
  /** Hidden size N. */
  readonly n: number;
  /** Input size I. */
  readonly nIn: number;
  /** W (N×N) row-major. */
  readonly W: Float64Array;
  /** U (N×I) row-major. */
  readonly U: Float64Array;
  /** Bias (N) or null. */
  readonly bias: Float64Array | null;
  /** Leak rate a in (0, 1]: h_t = (1−a)h_{t−1} + a·act(W h_{t−1} + U x_t + b). */
  readonly leak: number;
  /** Activation: false = identity, true = tanh. */
  readonly tanh: boolean;
}

/** Complex RNN parameters (identity activation) in split storage. */
export interface CRolloutParams {
  readonly n: number;
  readonly nIn: number;
  readonly Wre: Float64Array;
  readonly Wim: Float64Array;
  readonly Ure: Float64Array;
  readonly Uim: Float64Array;
  readonly biasRe: Float64Array | null;
  readonly biasIm: Float64Array | null;
  readonly leak: number;
}

/** The hot kernels. Implementations must agree with the JS reference to rounding (tested by one shared suite). */
export interface Kernels {
  readonly name: string;

  /**
   * C (m×n) := alpha·op(A)·op(B) + beta·C, real, row-major contiguous.
   * op(A) is m×k: A is m×k when !transA, k×m when transA. op(B) is k×n: B is k×n or n×k.
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void;

  /**
   * Complex GEMM: C (m×n) := alpha·op(A)·op(B) + beta·C with real alpha, beta; op ∈ {N, T, C}.
   */
  zgemm(transA: Trans, transB: Trans, m: number, n: number, k: number, alpha: number,
    aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, beta: number,
    cRe: Float64Array, cIm: Float64Array): void;

  /**
   * Real rollout over a batch: for each sequence b and t = 1..T,
   * h_t = (1−a)h_{t−1} + a·act(W h_{t−1} + U x_t + bias), h_0 = h0 (or 0 when h0 is null).
   * x: (B, T, I); h0: (B, N) or null; states out: (B, T, N), row t−1 holds h_t.
   */
  rollout(p: RolloutParams, batch: number, steps: number, x: Float64Array, h0: Float64Array | null, states: Float64Array): void;

  /** Complex rollout (identity activation), same layout as {@link Kernels.rollout} in split storage. */
  rolloutComplex(p: CRolloutParams, batch: number, steps: number, xRe: Float64Array, xIm: Float64Array,
    h0Re: Float64Array | null, h0Im: Float64Array | null, statesRe: Float64Array, statesIm: Float64Array): void;

  /**
   * Least-squares sufficient statistics: hth (n×n) += Hᵀ H and hty (n×o) += Hᵀ Y, over rows r0..r1−1 of
   * H (rows×n) and Y (rows×o). Also hSum (n) += column sums of H and ySum (o) += column sums of Y.
   */
  gramAccumulate(n: number, o: number, r0: number, r1: number, H: Float64Array, Y: Float64Array,
    hth: Float64Array, hty: Float64Array, hSum: Float64Array, ySum: Float64Array): void;

  /** Complex statistics: hth += Hᴴ H, hty += Hᴴ Y, hSum/ySum += column sums (split storage). */
  gramAccumulateComplex(n: number, o: number, r0: number, r1: number, Hre: Float64Array, Him: Float64Array,
    Yre: Float64Array, Yim: Float64Array, hthRe: Float64Array, hthIm: Float64Array, htyRe: Float64Array,
    htyIm: Float64Array, hSumRe: Float64Array, hSumIm: Float64Array, ySumRe: Float64Array, ySumIm: Float64Array): void;

  /**
   * Exponentially weighted RLS over rows 0..T−1 of H (T×n), Y (T×o), updating W (o×n) and P (n×n) in place:
   * pred_t = W h_t (a-priori, written to pred (T×o)), k = P h / (λ + hᵀ P h), W += (y − pred) kᵀ,
   * P = (P − k hᵀ P)/λ. work: scratch of length ≥ 2n.
   */
  rls(n: number, o: number, T: number, H: Float64Array, Y: Float64Array, lambda: number,
    P: Float64Array, W: Float64Array, pred: Float64Array, work: Float64Array): void;

  /** Complex RLS: pred = W h, k = P h / (λ + hᴴ P h), W += e kᴴ, P = (P − k hᴴ P)/λ; work ≥ 4n. */
  rlsComplex(n: number, o: number, T: number, Hre: Float64Array, Him: Float64Array, Yre: Float64Array,
    Yim: Float64Array, lambda: number, Pre: Float64Array, Pim: Float64Array, Wre: Float64Array, Wim: Float64Array,
    predRe: Float64Array, predIm: Float64Array, work: Float64Array): void;
}
