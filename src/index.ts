// polelab public API: re-exports only (no logic here).
export * from './core/types.js';
export * from './core/errors.js';
export * from './core/rng.js';
export type { Kernels, RolloutParams, CRolloutParams, Trans } from './kernels/kernels.js';
export { kernels, useKernels, registerKernels, availableKernels } from './kernels/backend.js';
export * from './linalg/dense.js';
export * from './linalg/cholesky.js';
