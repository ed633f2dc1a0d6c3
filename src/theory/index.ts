// Theory layer (analysis that is not a learning rule): task construction, expected updates and losses, pole models: public API.
export {
  whiteNoise, randomOrthogonal, randomNetwork, randomTeacher, alignedNetwork, alignedTeacher, alignedStudent, alignedFeedback,
  teacherOutputs, makeDataset, studentTeacherTask,
  type RandomTeacherOptions, type AlignedSpec, type Dataset, type TaskOptions,
} from './task.js';
export {
  expectedUpdate, expectedLoss, steinSolve,
  type ExpectedUpdate, type ExpectedParams, type ExpectedModelOptions, type ExpectedUpdateOptions, type ExpectedLossOptions,
  type ExpectedReadoutFeatures,
} from './expected.js';
export {
  POLE_KINDS, poleLossAndGradient, poleForward, poleValues, initPoleModel, poleLeaves, poleGradLeaves, poleFromLeaves,
  type PoleModel, type PoleGradient, type PoleInitOptions,
} from './poles.js';
export {
  estimateModes, alignmentScore, alignments,
  type ModeEstimateOptions, type ModeEstimate, type AlignmentOptions, type Alignments,
} from './alignment.js';
export { lowRankChange, LOW_RANK_TOL, EIG_RANK_TOL, type LowRankOptions, type LowRankAnalysis } from './lowrank.js';
export {
  MODE_RULE_NAMES, MAX_MODE_T, modeRhs, modeField, modeFieldGrid, modeLoss,
  type ModeRule, type ModeRuleName, type ModeState, type ModeHorizon, type ModeField,
} from './modes.js';
export {
  modeJacobian, modeJacobianField, jacobianEigenvalues, manifoldPoint, manifoldEigenvalues, manifoldEigenField, optimalPQ,
  type ModeJacobianField, type ModeManifold, type ManifoldEigen,
} from './modes-stability.js';
export { integrateOde, ODE_METHODS, type OdeRhs, type OdeMethod, type OdeOptions, type OdeResult } from './ode.js';
export { integrateMode, MODE_STOP, type IntegrateModeOptions, type ModeTrajectory } from './modes-integrate.js';
export { modeTheoryError, signMatchedDistance, type ModeCheckpoint, type ModeTheoryOptions, type ModeTheoryTrack } from './mode-tracking.js';
