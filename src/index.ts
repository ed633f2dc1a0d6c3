// polelab public API: re-exports only (no logic here).
export * from './core/types.js';
export * from './core/errors.js';
export * from './core/rng.js';
export {
  jsBackend, wasmBackend, backendByName, availableBackends, defaultBackend, wasmSimdAvailable, RTRL_BLOCK,
  type Backend, type WasmBackend, type BlasKernels, type Trans, type RolloutKernels, type RolloutParams,
  type CRolloutParams, type ReadoutKernels, type LearningKernels, type LinalgKernels, type BidiagSvd,
} from './backend/index.js';
export * from './linalg/index.js';
export * from './models/index.js';
export * from './readouts/index.js';
export * from './metrics/index.js';
export * from './learning/index.js';
export * from './theory/index.js';
export { mackeyGlass, type MackeyGlassOptions } from './datasets/mackey-glass.js';
export { narma, type NarmaSeries } from './datasets/narma.js';
export type { FigureSpec, Panel, XYPanel, XYSeries, HeatmapPanel, QuiverPanel, TablePanel, Axis, Scale, RuleMark } from './experiments/figure-spec.js';
export { computeOps, computeOpList, runRequest, type ComputeOp, type ComputeResult } from './compute/index.js';
