// Contract of the rollout family: raw, unchecked, allocation-free real and complex recurrences over a batch.
//
// Every kernel takes sizes and Float64Arrays, writes into caller-provided outputs and allocates nothing.
// Validation happens in the wrappers that call them (src/linalg, src/models, src/readouts), never here.
// Layouts are row-major and batch-major as in src/core/types.ts. A complex array is a (re, im) pair.
// Implementations must agree with the JS reference to rounding (test/contracts/).

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

/** The rollout family of a backend. */
export interface RolloutKernels {
  /** Implementation name ('js', 'wasm'). */
  readonly name: string;

  /**
   * Real rollout over a batch: for each sequence b and t = 1..T,
   * h_t = (1−a)h_{t−1} + a·act(W h_{t−1} + U x_t + bias), h_0 = h0 (or 0 when h0 is null).
   * x: (B, T, I); h0: (B, N) or null; states out: (B, T, N), row t−1 holds h_t.
   */
  rollout(p: RolloutParams, batch: number, steps: number, x: Float64Array, h0: Float64Array | null, states: Float64Array): void;

  /** Complex rollout (identity activation), same layout as {@link RolloutKernels.rollout} in split storage. */
  rolloutComplex(p: CRolloutParams, batch: number, steps: number, xRe: Float64Array, xIm: Float64Array,
    h0Re: Float64Array | null, h0Im: Float64Array | null, statesRe: Float64Array, statesIm: Float64Array): void;
}
