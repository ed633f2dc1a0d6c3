// Learning rules for linear / tanh / complex RNNs with leak, bias and readout features (BPTT, tBPTT, RTRL, RFLO, random-diagonal, e-prop): public API.
export {
  LOSS_KINDS, RULE_NAMES, BLOCK_NAMES, READOUT_FEATURES, isCSeqBatch,
  type Activation, type LossKind, type RuleName, type BlockName, type ReadoutFeatures, type VecOf, type RnnParams, type RealParams, type ComplexParams,
  type BlockUpdates, type Freeze, type RuleSpec, type LearningOptions, type AnySeqBatch,
} from './types.js';
export { evaluateLoss, lossWeights, asBatch } from './losses.js';
export { releaseLearningWorkspace } from './workspace.js';
export { lossAndGradient, type LossGradient } from './bptt.js';
export {
  computeUpdate, createRule, ruleFromName, validateRuleSpec, streamSequence,
  type LearningRule, type RuleUpdate, type RuleParamsByName,
} from './rules.js';
export type { StepData, StepResult, StreamOptions, StreamState } from './stream.js';
export {
  sgd, momentum, adam, createOptimizer, applyUpdates, clipByGlobalNorm, globalNorm,
  type Optimizer, type OptimizerSpec, type OptimizerCommon, type Leaves,
} from './optim.js';
export { train, paramLeaves, type TrainOptions, type TrainResult, type EpochRecord, type DataSplit, type Divergence } from './train.js';
