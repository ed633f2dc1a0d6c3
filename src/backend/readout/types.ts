// Contract of the readout family: raw, unchecked, allocation-free least-squares statistics and RLS updates.
//
// Every kernel takes sizes and Float64Arrays, writes into caller-provided outputs and allocates nothing.
// Validation happens in the wrappers that call them (src/linalg, src/models, src/readouts), never here.
// Layouts are row-major and batch-major as in src/core/types.ts. A complex array is a (re, im) pair.
// Implementations must agree with the JS reference to rounding (test/contracts/).

/** The readout family of a backend. */
export interface ReadoutKernels {
  /** Implementation name ('js', 'wasm'). */
  readonly name: string;

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
