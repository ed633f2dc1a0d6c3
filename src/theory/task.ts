// Student–teacher task (docs/theory/expected.md §4): white-noise inputs, random or data-aligned teachers, datasets.
//
// Inputs x_t ~ N(0, I) i.i.d.; targets are the teacher's outputs y*_t = V* h*_t on the same inputs (h*_0 = 0).
// Data-aligned construction (§4.2): W = P diag(w) Pᵀ, U = P diag(u) Rᵀ, V = L diag(v) Pᵀ with orthogonal P (N×N),
// R (I×I), L (O×O) and rectangular-diagonal diag(u) (N×I), diag(v) (O×N); aligned feedback B = P diag(b) Lᵀ.
// Every random draw comes from a named child stream of the given Rng.
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { mat, type Mat, type SeqBatch } from '../core/types.js';
import { spectralRadius } from '../linalg/spectral.js';
import { defaultBackend } from '../backend/index.js';
import type { Activation, RnnParams } from '../learning/types.js';
import { checkRng, checkObject, checkMatShape, checkParams, checkBatch, checkInt } from '../core/guards.js';

function posInt(where: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new InputError(field, `${where}: ${field} = ${describeValue(v)}: must be an integer >= 1`);
  return v;
}

/** Batch of `batch` white-noise sequences x_t ~ N(0, I_dim) of `steps` steps. */
export function whiteNoise(rng: Rng, batch: number, steps: number, dim: number): SeqBatch {
  posInt('whiteNoise', 'batch', batch);
  posInt('whiteNoise', 'steps', steps);
  posInt('whiteNoise', 'dim', dim);
  return { batch, steps, dim, data: rng.fillNormal(new Float64Array(batch * steps * dim)) };
}

/** Haar-random n×n orthogonal matrix: modified Gram–Schmidt QR of a Gaussian matrix (R with positive diagonal). */
export function randomOrthogonal(rng: Rng, n: number): Mat {
  posInt('randomOrthogonal', 'n', n);
  const G = rng.fillNormal(new Float64Array(n * n)); // columns are the vectors to orthonormalise
  const Q = mat(n, n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) col[i] = G[i * n + j]!;
    for (let pass = 0; pass < 2; pass++) { // re-orthogonalisation keeps QᵀQ = I to rounding
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += Q.data[i * n + k]! * col[i]!;
        for (let i = 0; i < n; i++) col[i]! -= dot * Q.data[i * n + k]!;
      }
    }
    let nrm = 0;
    for (let i = 0; i < n; i++) nrm += col[i]! * col[i]!;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < n; i++) Q.data[i * n + j] = col[i]! / nrm;
  }
  return Q;
}

/** Options of {@link randomTeacher}. */
export interface RandomTeacherOptions {
  readonly n: number;
  readonly nIn: number;
  readonly nOut: number;
  /** Target spectral radius of W (W ~ N(0, 1/n) rescaled); default 0.9. Ignored when wStd is given. */
  readonly spectralRadius?: number;
  /** When given, W_ij ~ N(0, wStd²/n) without rescaling. */
  readonly wStd?: number;
  /** U_ij ~ N(0, uStd²/nIn), default uStd = 1. */
  readonly uStd?: number;
  /** V_ij ~ N(0, vStd²/n), default vStd = 1. */
  readonly vStd?: number;
}

/** Random network (teacher or student initialisation); streams rng.child('W'|'U'|'V'). */
export function randomNetwork(rng: Rng, o: RandomTeacherOptions): RnnParams<Mat> {
  checkRng('randomNetwork', 'rng', rng);
  checkObject('randomNetwork', 'options', o, 'an object {n, nIn, nOut, ...}');
  const where = 'randomNetwork';
  const n = posInt(where, 'n', o.n), nIn = posInt(where, 'nIn', o.nIn), nOut = posInt(where, 'nOut', o.nOut);
  const W = mat(n, n, rng.child('W').fillNormal(new Float64Array(n * n), (o.wStd ?? 1) / Math.sqrt(n)));
  if (o.wStd === undefined) {
    const rho = o.spectralRadius ?? 0.9;
    if (typeof rho !== 'number' || !Number.isFinite(rho) || rho < 0) throw new InputError('spectralRadius', `${where}: spectralRadius = ${describeValue(rho)}: must be a finite number >= 0`);
    const r = spectralRadius(W);
    const f = r > 0 ? rho / r : 0;
    for (let k = 0; k < W.data.length; k++) W.data[k]! *= f;
  }
  const U = mat(n, nIn, rng.child('U').fillNormal(new Float64Array(n * nIn), (o.uStd ?? 1) / Math.sqrt(nIn)));
  const V = mat(nOut, n, rng.child('V').fillNormal(new Float64Array(nOut * n), (o.vStd ?? 1) / Math.sqrt(n)));
  return { W, U, V };
}

/** The teacher of the task: alias of {@link randomNetwork} (random with a given spectral radius or variance). */
export const randomTeacher = randomNetwork;

/** Modes and bases of a data-aligned network (§4); lengths: w N, u min(N, I), v min(O, N). */
export interface AlignedSpec {
  readonly P: Mat;
  readonly R: Mat;
  readonly L: Mat;
  readonly w: ArrayLike<number>;
  readonly u: ArrayLike<number>;
  readonly v: ArrayLike<number>;
}

/** W = P diag(w) Pᵀ, U = P diag(u) Rᵀ, V = L diag(v) Pᵀ (teacher or data-aligned student, §4). */
export function alignedNetwork(s: AlignedSpec): RnnParams<Mat> {
  checkObject('alignedNetwork', 'spec', s, 'an object {P, R, L, w, u, v}');
  for (const f of ['P', 'R', 'L'] as const) checkMatShape('alignedNetwork', f, s[f], 'real');
  for (const f of ['w', 'u', 'v'] as const) { const a: unknown = s[f]; if (typeof a !== 'object' || a === null || typeof (a as { length?: unknown }).length !== 'number') throw new InputError(f, `alignedNetwork: ${f} = ${describeValue(a)}: must be an array of numbers`); }
  const where = 'alignedNetwork';
  const n = s.P.rows, nIn = s.R.rows, nOut = s.L.rows;
  for (const [f, m] of [['P', s.P], ['R', s.R], ['L', s.L]] as const) {
    if (m.rows !== m.cols) throw new ShapeError(f, `${where}: ${f} is ${m.rows}×${m.cols}, expected square (orthogonal)`);
  }
  if (s.w.length !== n) throw new ShapeError('w', `${where}: w has length ${s.w.length}, expected N = ${n}`);
  if (s.u.length !== Math.min(n, nIn)) throw new ShapeError('u', `${where}: u has length ${s.u.length}, expected min(N, I) = ${Math.min(n, nIn)}`);
  if (s.v.length !== Math.min(nOut, n)) throw new ShapeError('v', `${where}: v has length ${s.v.length}, expected min(O, N) = ${Math.min(nOut, n)}`);
  const W = mat(n, n), U = mat(n, nIn), V = mat(nOut, n);
  const P = s.P.data, R = s.R.data, L = s.L.data;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let a = 0;
    for (let k = 0; k < n; k++) a += P[i * n + k]! * s.w[k]! * P[j * n + k]!;
    W.data[i * n + j] = a;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < nIn; j++) {
    let a = 0;
    for (let k = 0; k < s.u.length; k++) a += P[i * n + k]! * s.u[k]! * R[j * nIn + k]!;
    U.data[i * nIn + j] = a;
  }
  for (let i = 0; i < nOut; i++) for (let j = 0; j < n; j++) {
    let a = 0;
    for (let k = 0; k < s.v.length; k++) a += L[i * nOut + k]! * s.v[k]! * P[j * n + k]!;
    V.data[i * n + j] = a;
  }
  return { W, U, V };
}

/** Data-aligned teacher (§4): {@link alignedNetwork}. */
export const alignedTeacher = alignedNetwork;
/** Data-aligned student (§4; same R, L as the teacher, any orthogonal P): {@link alignedNetwork}. */
export const alignedStudent = alignedNetwork;

/** Aligned feedback B = P diag(b) Lᵀ (N×O; b of length min(N, O)). */
export function alignedFeedback(P: Mat, L: Mat, b: ArrayLike<number>): Mat {
  checkMatShape('alignedFeedback', 'P', P, 'real');
  checkMatShape('alignedFeedback', 'L', L, 'real');
  if (typeof b !== 'object' || b === null || typeof b.length !== 'number') throw new InputError('b', `alignedFeedback: b = ${describeValue(b)}: must be an array of numbers`);
  const n = P.rows, nOut = L.rows;
  if (b.length !== Math.min(n, nOut)) throw new ShapeError('b', `alignedFeedback: b has length ${b.length}, expected min(N, O) = ${Math.min(n, nOut)}`);
  const B = mat(n, nOut);
  for (let i = 0; i < n; i++) for (let j = 0; j < nOut; j++) {
    let a = 0;
    for (let k = 0; k < b.length; k++) a += P.data[i * n + k]! * b[k]! * L.data[j * nOut + k]!;
    B.data[i * nOut + j] = a;
  }
  return B;
}

/** Inputs and the teacher's target outputs. */
export interface Dataset {
  readonly x: SeqBatch;
  readonly y: SeqBatch;
}

/** Teacher outputs y*_t = V* h*_t (h*_0 = 0) for every step of every sequence of x. */
export function teacherOutputs(teacher: RnnParams<Mat>, x: SeqBatch, activation: Activation = 'identity'): SeqBatch {
  checkParams('teacherOutputs', teacher, 'teacher.', 'real');
  checkBatch('teacherOutputs', 'x', x);
  if (activation !== 'identity' && activation !== 'tanh') throw new InputError('activation', `teacherOutputs: activation = ${describeValue(activation)}: must be "identity" or "tanh"`);
  const { W, U, V } = teacher;
  const n = W.rows, nIn = U.cols, nOut = V.rows;
  if (x.dim !== nIn) throw new ShapeError('x', `teacherOutputs: x has ${x.dim} input columns, expected ${nIn}`);
  const H = new Float64Array(x.batch * x.steps * n), Y = new Float64Array(x.batch * x.steps * nOut);
  defaultBackend().learning.forward(n, nIn, nOut, x.batch, x.steps, W.data, U.data, null, 1, V.data, activation === 'tanh', x.data, null, H, null, Y);
  return { batch: x.batch, steps: x.steps, dim: nOut, data: Y };
}

/** `count` white-noise sequences of `steps` steps (stream rng) with the teacher's outputs as targets. */
export function makeDataset(teacher: RnnParams<Mat>, rng: Rng, count: number, steps: number, activation: Activation = 'identity'): Dataset {
  checkParams('makeDataset', teacher, 'teacher.', 'real');
  checkRng('makeDataset', 'rng', rng);
  checkInt('makeDataset', 'count', count, 1);
  checkInt('makeDataset', 'steps', steps, 1);
  const x = whiteNoise(rng, count, steps, teacher.U.cols);
  return { x, y: teacherOutputs(teacher, x, activation) };
}

/** Options of {@link studentTeacherTask}. */
export interface TaskOptions {
  readonly teacher: RandomTeacherOptions;
  readonly trainSize: number;
  readonly valSize: number;
  readonly steps: number;
  readonly activation?: Activation;
}

/**
 * A random teacher and its training and validation sets: streams rng.child('teacher'), rng.child('train'),
 * rng.child('val'), so the sets do not change when the teacher options do (and vice versa).
 */
export function studentTeacherTask(rng: Rng, o: TaskOptions): { teacher: RnnParams<Mat>; train: Dataset; val: Dataset } {
  checkRng('studentTeacherTask', 'rng', rng);
  checkObject('studentTeacherTask', 'options', o, 'an object {teacher, ...}');
  checkObject('studentTeacherTask', 'teacher', o.teacher, 'teacher options {n, nIn, nOut, ...}');
  const teacher = randomNetwork(rng.child('teacher'), o.teacher);
  const act = o.activation ?? 'identity';
  return {
    teacher,
    train: makeDataset(teacher, rng.child('train'), posInt('studentTeacherTask', 'trainSize', o.trainSize), o.steps, act),
    val: makeDataset(teacher, rng.child('val'), posInt('studentTeacherTask', 'valSize', o.valSize), o.steps, act),
  };
}
