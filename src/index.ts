// polelab public API: re-exports only (no logic here).
export * from './core/types.js';
export * from './core/errors.js';
export * from './core/rng.js';
export type { Kernels, RolloutParams, CRolloutParams, Trans } from './kernels/kernels.js';
export { kernels, useKernels, registerKernels, availableKernels } from './kernels/backend.js';
export { wasmKernels, wasmSimdAvailable } from './kernels/wasm/index.js';
export * from './linalg/index.js';
export * from './models/index.js';
export * from './readouts/index.js';
export * from './metrics/index.js';
export * from './learning/index.js';
export { mackeyGlass, type MackeyGlassOptions } from './datasets/mackey-glass.js';
export { narma, type NarmaSeries } from './datasets/narma.js';
export type { FigureSpec, Panel, XYPanel, XYSeries, HeatmapPanel, QuiverPanel, TablePanel, Axis, Scale, RuleMark } from './experiments/figure-spec.js';
export { computeOps, computeOpList, runRequest, type ComputeOp, type ComputeResult } from './compute/index.js';
