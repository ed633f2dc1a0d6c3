// Eligibility-trace rules: RFLO, random-diagonal and e-prop (docs/theory/learning-rules.md §5, §6, §8; Murray 2019).
//
// RTRL's Jacobian (1−a)·I + diag(a·σ'_t) W is replaced by a fixed diagonal and V_hᵀ by a feedback F. With the leak
// rate a of h_t = (1−a)·h_{t−1} + a·act(W h_{t−1} + U x_t + b), DECISION: the trace keeps the diagonal approximation
// of the RTRL recursion S_t = (1−a) S_{t−1} + diag(a σ'_t)(W S_{t−1} + e_i ⊗ v_t), with W replaced by diag(d):
//   p_t = λ ⊙ p_{t−1} + a·σ'_t ⊗ v_t,   λ_i = (1−a) + a·d_i,   v = h_{t−1} (W), x_t (U), 1 (b),
//   ΔW_ij = η (F e_t)_i p^W_{t,ij} at each loss step (same for U and b), ΔV as for every rule.
// So the decay per unit is (1−a) + a·d_i, where d is the rule's decay (α for rflo, D for random-diagonal, diag(W)
// for eprop). a = 1 gives the traces without leak exactly; d = 0 gives Murray's original leaky RFLO (λ = 1 − a).
// tanh (Murray 2019, eLife 8:e43299, the RFLO eligibility trace): σ'_t = act'(pre_t) multiplies ONLY the new
// immediate term; the decayed past trace is not multiplied by σ' (it is not the full RTRL Jacobian product). For
// the identity σ' = 1. RFLO: d_i = α, F = B; random-diagonal: d_i = D_i, F = B; e-prop: d_i = W_ii (the diagonal at
// the start of the sequence, held fixed within it), F = B (default) or V_hᵀ.
// With d = α·1 and a = 1, every row of p^W equals Σ_t α^{T−t} h_{t−1} for the identity, so ΔW = B (η e p̄ᵀ): the
// accumulated change has rank ≤ O with column space in col(B) (§8).
import { InputError, ShapeError } from '../core/errors.js';
import { isCMat, type AnyMat, type Mat } from '../core/types.js';
import type { Acc } from './grads.js';
import type { Net, Pass } from './losses.js';
import type { RuleSpec } from './types.js';
import type { Scratch } from './workspace.js';

/** Decays d (N) and feedback F (N×O, row-major) of one eligibility rule. */
export interface EligibilityParams {
  readonly d: Float64Array;
  readonly F: Float64Array;
}

/** Carried traces of one sequence. */
export interface TraceState {
  readonly pW: Float64Array | null;
  readonly pU: Float64Array | null;
  readonly pb: Float64Array | null;
  readonly work: Float64Array;
}

/** Zeroed traces for the free blocks (acc decides which are free): fresh arrays, or arrays of the call's scratch `ws`. */
export function newTraceState(net: Net, acc: Acc, ws?: Scratch): TraceState {
  const mk = (slot: 'pW' | 'pU' | 'pb' | 'work', len: number): Float64Array => (ws === undefined ? new Float64Array(len) : ws.zeros(slot, len));
  return {
    pW: acc.gW !== null ? mk('pW', net.n * net.n) : null,
    pU: acc.gU !== null ? mk('pU', net.n * net.nIn) : null,
    pb: acc.gb !== null ? mk('pb', net.n) : null,
    work: mk('work', net.n),
  };
}

/** Sets the traces to zero (start of a sequence). */
export function resetTraceState(s: TraceState): void {
  s.pW?.fill(0);
  s.pU?.fill(0);
  s.pb?.fill(0);
}

/** One chunk of one sequence through the eligibility kernel (see kernels.ts). */
export function eligibilityChunk(net: Net, pass: Pick<Pass, 'x' | 'H' | 'Phi' | 'Gy'>, off: number, steps: number, from: number,
  hPrev: Float64Array, e: EligibilityParams, s: TraceState, acc: Acc): void {
  net.backend.learning.eligibilityChunk(net.n, net.nIn, net.nOut, off, steps, from, e.d, e.F, net.leak, net.tanh, pass.x, hPrev,
    pass.H, pass.Phi, pass.Gy, s.pW, s.pU, s.pb, acc.gW, acc.gU, acc.gb, s.work);
}

/**
 * Adds the eligibility-rule sums of W, U and b over the batch to acc (nothing when all are frozen). The traces come
 * from `ws` when given, else they are allocated.
 */
export function eligibilityAccumulate(net: Net, pass: Pass, e: EligibilityParams, acc: Acc, ws?: Scratch): void {
  if (acc.gW === null && acc.gU === null && acc.gb === null) return;
  const s = newTraceState(net, acc, ws);
  const h0 = net.h0 ?? (ws === undefined ? new Float64Array(net.n) : ws.zeros('h0', net.n));
  for (let b = 0; b < pass.batch; b++) {
    resetTraceState(s);
    eligibilityChunk(net, pass, b * pass.steps, pass.steps, pass.from, h0, e, s, acc);
  }
}

/**
 * Decays and feedback of an eligibility rule for network `net`:
 * rflo d_i = α, F = B; random-diagonal d = D, F = B; eprop d_i = W_ii, F = B or V_hᵀ (`feedback: 'VT'`, the state
 * columns of V). The leak enters in the kernel (decay (1−a) + a·d_i).
 * Shapes are checked here (B must be N×O, D of length N); errors name the field.
 */
export function resolveEligibility(spec: RuleSpec, net: Net, where: string): EligibilityParams {
  const { n, nOut } = net;
  const checkB = (B: Mat | undefined): Float64Array => {
    if (B === undefined) throw new InputError('B', `${where}: rule "${spec.name}" needs the feedback matrix B (N×O = ${n}×${nOut})`);
    if (isCMat(B as AnyMat)) throw new InputError('B', `${where}: B must be real`);
    if (B.rows !== n || B.cols !== nOut) throw new ShapeError('B', `${where}: B is ${B.rows}×${B.cols}, expected N×O = ${n}×${nOut}`);
    return B.data;
  };
  switch (spec.name) {
    case 'rflo':
      return { d: new Float64Array(n).fill(spec.alpha), F: checkB(spec.B) };
    case 'random-diagonal':
      if (spec.D.length !== n) throw new ShapeError('D', `${where}: D has length ${spec.D.length}, expected N = ${n}`);
      return { d: Float64Array.from(spec.D), F: checkB(spec.B) };
    case 'eprop': {
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = net.W[i * n + i]!;
      if (spec.feedback === 'VT') {
        const F = new Float64Array(n * nOut);
        for (let o = 0; o < nOut; o++) for (let j = 0; j < n; j++) F[j * nOut + o] = net.Vh[o * n + j]!;
        return { d, F };
      }
      return { d, F: checkB(spec.B) };
    }
    default:
      throw new InputError('rule', `${where}: rule = "${spec.name}" is not an eligibility-trace rule`);
  }
}
