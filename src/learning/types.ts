// Shared types of the learning rules: parameters, losses, rule specs, updates, options (docs/theory/networks.md §3 and docs/theory/learning-rules.md §1–7).
//
// Model (docs/theory/networks.md §1–2, with the leak and bias of the rollout model): h_0 = 0 (or a
// given h0), h_t = (1−a)·h_{t−1} + a·act(W h_{t−1} + U x_t + b), y_t = V z_t, t = 1..T, with the readout features
// z_t = h_t ('state'), [h_t; x_t] ('state+input') or [h_t; x_t; 1] ('state+input+bias'). Shapes: W N×N, U N×I,
// b N, V O×F with F = N, N+I or N+I+1. Leak rate a ∈ (0, 1] (default 1), b optional. Error e_t = y*_t − y_t;
// updates are ADDED (θ ← θ + Δθ). Parameter blocks in order: W, U, b, V.
import type { Activation } from '../models/rnn.js';
import type { Backend } from '../backend/index.js';
import type { AnyMat, CMat, CSeqBatch, CVec, Mat, SeqBatch, Vec } from '../core/types.js';

export type { Activation };

/** The three loss names (docs/conventions.md): ½‖e_T‖², (1/T)Σ_t ½‖e_t‖², Σ_t ½‖e_t‖². */
export type LossKind = 'terminal' | 'sequence-mean' | 'sequence-sum';
/** Every loss name, in help order. */
export const LOSS_KINDS: readonly LossKind[] = ['terminal', 'sequence-mean', 'sequence-sum'];

/** Names of the learning rules (the wire names of the compute ops). */
export type RuleName = 'bptt' | 'tbptt' | 'rtrl' | 'rflo' | 'random-diagonal' | 'eprop';
/** Every rule name, in help order. */
export const RULE_NAMES: readonly RuleName[] = ['bptt', 'tbptt', 'rtrl', 'rflo', 'random-diagonal', 'eprop'];

/** The parameter blocks of the network, in parameter-vector order W, U, b, V. */
export type BlockName = 'W' | 'U' | 'b' | 'V';
export const BLOCK_NAMES: readonly BlockName[] = ['W', 'U', 'b', 'V'];

/** The vector type that goes with a matrix type: Vec for Mat, CVec for CMat. */
export type VecOf<M extends AnyMat> = M extends CMat ? CVec : Vec;

/** Readout features z_t: 'state' h_t (default), 'state+input' [h_t; x_t], 'state+input+bias' [h_t; x_t; 1]. */
export type ReadoutFeatures = 'state' | 'state+input' | 'state+input+bias';
/** Every readout-feature choice, in help order. */
export const READOUT_FEATURES: readonly ReadoutFeatures[] = ['state', 'state+input', 'state+input+bias'];

/**
 * Network parameters: all real (Mat, Vec) or all complex (CMat, CVec). Shapes W N×N, U N×I, V O×F (F = N, N+I
 * or N+I+1 by {@link LearningOptions.readoutFeatures}), b N. The bias b is optional; when given (zeros to learn a
 * bias from zero) it is a trained block unless frozen.
 */
export interface RnnParams<M extends AnyMat = AnyMat> {
  readonly W: M;
  readonly U: M;
  readonly V: M;
  readonly b?: VecOf<M>;
}
export type RealParams = RnnParams<Mat>;
export type ComplexParams = RnnParams<CMat>;

/**
 * Per-block arrays of the same shapes as the parameters: an update to ADD (Δθ) or a gradient (∂L/∂θ,
 * complex: ∂L/∂Re θ + i ∂L/∂Im θ). A block is absent when it is frozen.
 */
export interface BlockUpdates<M extends AnyMat = AnyMat> {
  readonly dW?: M;
  readonly dU?: M;
  readonly dV?: M;
  /** Bias update (length N, the type of b); present only when params.b is given and b is not frozen. */
  readonly db?: VecOf<M>;
}

/** Which blocks are frozen (no update computed, parameters never touched); any subset of W, U, b, V. */
export type Freeze = Readonly<Partial<Record<BlockName, boolean>>>;

/**
 * A learning rule with its parameters (docs/theory/learning-rules.md §2–5):
 * - `bptt`: exact gradient (§2); `rtrl`: exact forward mode (§4), same numbers as bptt to rounding;
 * - `tbptt`: errors backpropagated over the last `tau` ≥ 1 steps (§3);
 * - `rflo`: eligibility decay α·I, α ∈ [0, 1), fixed feedback B (N×O) (§5);
 * - `random-diagonal`: decay diag(D) (D: the N decays), feedback B;
 * - `eprop`: decay diag(W) held fixed within the sequence; feedback B (default) or Vᵀ (`feedback: 'VT'`).
 */
export type RuleSpec =
  | { readonly name: 'bptt' }
  | { readonly name: 'rtrl' }
  | { readonly name: 'tbptt'; readonly tau: number }
  | { readonly name: 'rflo'; readonly alpha: number; readonly B: Mat }
  | { readonly name: 'random-diagonal'; readonly D: Vec; readonly B: Mat }
  | { readonly name: 'eprop'; readonly feedback?: 'B' | 'VT'; readonly B?: Mat };

/** Options shared by every rule and the gradient/loss functions. */
export interface LearningOptions {
  /** Loss (default 'terminal'). */
  readonly loss?: LossKind;
  /** Learning rate η of the per-sequence update (default 1). */
  readonly eta?: number;
  /** Unit nonlinearity (default 'identity'); 'tanh' is real-only. */
  readonly activation?: Activation;
  /** Frozen blocks: no update and no gradient work for them. */
  readonly freeze?: Freeze;
  /** Initial state h_0 (length N), shared by every sequence of a batch; default 0. */
  readonly h0?: Vec | CVec;
  /** Backend whose learning family runs the kernels (default: {@link defaultBackend}). */
  readonly backend?: Backend;
  /** Leak rate a ∈ (0, 1] of h_t = (1−a)·h_{t−1} + a·act(·) (default 1: no leak). */
  readonly leakRate?: number;
  /** Readout features z_t of y_t = V z_t (default 'state'); V must have N, N+I or N+I+1 columns to match. */
  readonly readoutFeatures?: ReadoutFeatures;
}

/** A real or complex batch of sequences (inputs, targets). */
export type AnySeqBatch = SeqBatch | CSeqBatch;

/** True when the batch is complex (split re/im storage). */
export function isCSeqBatch(b: AnySeqBatch): b is CSeqBatch {
  return (b as CSeqBatch).re !== undefined;
}
