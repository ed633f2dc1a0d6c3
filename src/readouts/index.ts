// Readouts barrel: batch least squares (ridge from summable statistics, SVD pseudo-inverse) and online RLS / LMS.
export {
  ridgeStats, addStats, solveRidge, fitRidge, predict,
  type LsqStats, type CLsqStats, type LsqData, type RidgeFit, type CRidgeFit, type RidgeSolver, type RidgeSolveOptions, type RidgeFitOptions,
} from './ridge.js';
export * from './pinv.js';
export * from './rls.js';
export * from './lms.js';
