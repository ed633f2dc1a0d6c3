// Contract of the blas family: raw, unchecked, allocation-free real and complex GEMM.
//
// Every kernel takes sizes and Float64Arrays, writes into caller-provided outputs and allocates nothing.
// Validation happens in the wrappers that call them (src/linalg, src/models, src/readouts), never here.
// Layouts are row-major and batch-major as in src/core/types.ts. A complex array is a (re, im) pair.
// Implementations must agree with the JS reference to rounding (test/contracts/).

/** Transposition flag for complex GEMM: 'N' none, 'T' transpose, 'C' conjugate transpose. */
export type Trans = 'N' | 'T' | 'C';

/** The blas family of a backend. */
export interface BlasKernels {
  /** Implementation name ('js', 'wasm'). */
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
}
