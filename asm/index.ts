// Entry point of the WebAssembly kernels (compiled by scripts/build-wasm.mjs, driven by src/backend/).
//
// One folder per family as in src/backend/ (blas, rollout, readout, learning, linalg), common/ for shared helpers.
//
// Every export takes byte offsets into linear memory, sizes and scalars; nothing allocates (stub runtime,
// static scratch only). Linear memory above heapBase() belongs to the caller's arena.

export { gemm, zgemm, gemmWorkSize } from './blas/gemm';
export { gramAccumulate, gramAccumulateComplex, gramWorkSize, gramComplexWorkSize } from './readout/gram';
export {
  rolloutPack, rolloutPackedSize, rolloutStepSize, rolloutRun,
  rolloutComplexPack, rolloutComplexPackedSize, rolloutComplexRun,
} from './rollout/rollout';
export { matVec, rlsRun, matVecComplex, rlsComplexRun } from './readout/rls';
export { mirrorUpper, mirrorHermitian } from './common/vec';
export * from './learning';
export * from './linalg';

/** First byte of linear memory free for the caller (after static data). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
