// Compute op `alignment`: estimated modes and the recurrent/input/output/feedback alignments of a trained network (docs/theory/alignment.md §1–3).
import { InputError } from '../../core/errors.js';
import { alignments } from '../../theory/alignment.js';
import type { Req } from '../codec.js';
import type { ComputeOp } from '../op.js';

const alignmentOp: ComputeOp = {
  name: 'alignment',
  summary: 'estimated modes (w, u, v, b) and the recurrent, input, output and feedback alignments of a trained network',
  help: `alignment — how close a trained linear network is to the data-aligned form W = P W̄ Pᵀ, U = P Ū, V = V̄ Pᵀ, B = P B̄
(diagonal bars; the teacher's input and output bases are taken as the identity).
Request:
  W         N×N, real
  U         N×I, real
  V         O×N, real
  B         optional, N×O, real: the feedback matrix of RFLO / e-prop / random-diagonal
  nTeacher  integer in [1, N], required: the number of teacher modes N*
Method (choices):
  P is built from the eigendecomposition of W: eigenpairs sorted by decreasing real part (a complex pair: positive
  imaginary part first); each eigenvector rotated so its largest-modulus component is real and positive, its real
  part kept (imaginary parts of values and vectors are discarded), scaled to unit 2-norm, and signed so its
  largest-magnitude entry is positive. P⁺ is the Moore–Penrose pseudo-inverse (SVD cutoff max(N, N)·2^-52·σ_max),
  equal to P⁻¹ when P is invertible. Alignment of an r×c matrix M: A(M) = Σ_{i<min(r,c)} M_ii² / ‖M‖_F² in [0, 1]
  (1 iff M is rectangular-diagonal; the zero matrix counts as 1).
Answer:
  recurrent  A of the first N* rows of PᵀP
  input      A(P⁺U)
  output     A(VP)
  feedback   A(P⁺B), only when B is given
  modes      the estimated modes, one row [w, u, v] (or [w, u, v, b] when B is given) per mode i < min(N, I, O):
             w = the i-th sorted real eigenvalue, u = (P⁺U)_ii, v = (VP)_ii, b = (P⁺B)_ii. Each mode is defined up to
             the joint sign flip (u, v, b) → −(u, v, b), which leaves the mode dynamics unchanged; mode i is meant
             to be compared with the teacher's i-th mode in decreasing order of w*.`,
  run(req: Req) {
    const W = req.realMat('W', { square: true });
    const N = W.rows;
    if (N === 0) throw new InputError('W', 'W is 0×0: the network needs at least one unit');
    const U = req.realMat('U', { rows: N });
    const V = req.realMat('V', { cols: N });
    const B = req.optRealMat('B', { rows: N, cols: V.rows });
    const nTeacher = req.num('nTeacher', { integer: true, min: 1, max: Math.max(N, 1) });
    req.assertNoUnknown();
    const a = alignments({ W, U, V }, { nTeacher, ...(B ? { B } : {}) });
    const e = a.modes;
    const modes: number[][] = [];
    for (let i = 0; i < e.w.length; i++) modes.push(e.b ? [e.w[i]!, e.u[i]!, e.v[i]!, e.b[i]!] : [e.w[i]!, e.u[i]!, e.v[i]!]);
    return {
      recurrent: a.recurrent, input: a.input, output: a.output,
      ...(a.feedback !== undefined ? { feedback: a.feedback } : {}),
      modes,
    };
  },
};

/** The alignment compute ops, for the registry in src/compute/index.ts. */
export const alignmentOps: ComputeOp[] = [alignmentOp];
