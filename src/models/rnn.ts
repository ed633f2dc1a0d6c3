// Recurrent model h_t = (1−a)·h_{t−1} + a·act(W h_{t−1} + U x_t + b), y_t = V h_t: validation, rollout, step, embeddings.
//
// Spec: docs/theory/networks.md §1 (a linear RNN is a bank of first-order IIR filters whose poles are the
// eigenvalues of W; the tanh variant is real-only), docs/theory/networks.md §2 (h_0 = 0, y_t = V h_t),
// docs/conventions.md (shapes W N×N, U N×I, V O×N, bias N; leak a in (0, 1]; batch-major sequences).
// The time loop runs in a backend's rollout family (`backend.rollout.rollout` / `rolloutComplex`, the default
// backend unless the call passes one); this module only validates, allocates outputs once per call and applies V.
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import {
  cmat, isCMat, mat,
  type CMat, type CSeqBatch, type CVec, type Mat, type SeqBatch, type Vec,
} from '../core/types.js';
import { realEmbedding } from '../linalg/dense.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import { checkMatShape } from '../core/guards.js';

/** Unit nonlinearity. `tanh` is real-only (docs/theory/networks.md §2.4). */
export type Activation = 'identity' | 'tanh';

/** Real recurrent network. Shapes: W N×N, U N×I, V O×N (optional readout), bias N (optional). */
export interface Rnn {
  readonly W: Mat;
  readonly U: Mat;
  readonly V?: Mat;
  readonly bias?: Vec;
  readonly activation: Activation;
  /** Leak rate a in (0, 1]; 1 = no leak. */
  readonly leakRate: number;
}

/** Complex recurrent network (identity activation only). Same shapes as {@link Rnn}, split storage. */
export interface ComplexRnn {
  readonly W: CMat;
  readonly U: CMat;
  readonly V?: CMat;
  readonly bias?: CVec;
  readonly activation: 'identity';
  readonly leakRate: number;
}

/** Options of {@link rollout} for real networks. */
export interface RolloutOptions {
  /** Initial state: a Vec of length N (shared by every sequence) or a B×N Mat (one row per sequence). Default 0. */
  readonly h0?: Vec | Mat;
  /**
   * Storage for the states (length B·T·N), reused instead of allocating: repeated harvesting then touches no
   * fresh memory. The returned `states` wraps this array (it is overwritten on every call).
   */
  readonly out?: Float64Array;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Options of {@link rollout} for complex networks; a real h0 is promoted (zero imaginary part). */
export interface ComplexRolloutOptions {
  readonly h0?: CVec | CMat | Vec | Mat;
  /** Storage for the states (re and im of length B·T·N each), as for real networks. */
  readonly out?: Float64Array | CVec;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Rollout of one real sequence: states T×N (row t−1 holds h_t) and outputs T×O when V is given. */
export interface Rollout { readonly states: Mat; readonly outputs?: Mat }
/** Rollout of a real batch: states (B, T, N), outputs (B, T, O) when V is given. */
export interface BatchRollout { readonly states: SeqBatch; readonly outputs?: SeqBatch }
/** Rollout of one sequence through a complex network. */
export interface ComplexRollout { readonly states: CMat; readonly outputs?: CMat }
/** Rollout of a batch through a complex network. */
export interface ComplexBatchRollout { readonly states: CSeqBatch; readonly outputs?: CSeqBatch }

const ACTIVATIONS: readonly string[] = ['identity', 'tanh'];

function isSeq(x: unknown): x is SeqBatch | CSeqBatch {
  return typeof x === 'object' && x !== null && 'batch' in x && 'steps' in x;
}

function isComplexData(x: object): boolean {
  return 're' in x;
}

function checkFinite(where: string, field: string, a: Float64Array, cols: number): void {
  for (let k = 0; k < a.length; k++) {
    if (!Number.isFinite(a[k]!)) {
      const at = cols > 0 ? `row ${Math.floor(k / cols)}, column ${k % cols}` : `index ${k}`;
      throw new InputError(field, `${where}: ${field} has a non-finite value (${describeValue(a[k])}) at ${at}: must be finite`);
    }
  }
}

function checkMatrix(where: string, field: string, m: unknown, complex: boolean): void {
  const o = m as Partial<Mat & CMat> | undefined;
  const ok = typeof o === 'object' && o !== null && Number.isInteger(o.rows) && Number.isInteger(o.cols) &&
    (complex
      ? o.re instanceof Float64Array && o.im instanceof Float64Array && o.re.length === o.rows! * o.cols! && o.im.length === o.re.length
      : o.data instanceof Float64Array && o.data.length === o.rows! * o.cols!);
  if (!ok) {
    throw new InputError(field, `${where}: ${field} = ${describeValue(m)}: must be a ${complex ? 'complex CMat {rows, cols, re, im}' : 'real Mat {rows, cols, data}'}`);
  }
  if (complex) {
    checkFinite(where, field, (m as CMat).re, (m as CMat).cols);
    checkFinite(where, field, (m as CMat).im, (m as CMat).cols);
  } else checkFinite(where, field, (m as Mat).data, (m as Mat).cols);
}

/**
 * Validates a real or complex network (shapes, finiteness, activation, leak rate) and returns its kind.
 * Throws InputError/ShapeError naming the field, e.g. `rollout: leakRate = 0: must be a number in (0, 1]`.
 */
export function validateRnn(net: Rnn | ComplexRnn, where = 'rnn'): 'real' | 'complex' {
  if (typeof net !== 'object' || net === null) throw new InputError('net', `${where}: net = ${describeValue(net)}: must be an Rnn or ComplexRnn object`);
  const complex = typeof net.W === 'object' && net.W !== null && isCMat(net.W);
  checkMatrix(where, 'W', net.W, complex);
  checkMatrix(where, 'U', net.U, complex);
  const n = net.W.rows;
  if (net.W.cols !== n || n < 1) throw new ShapeError('W', `${where}: W is ${net.W.rows}×${net.W.cols}, expected a square N×N matrix with N >= 1`);
  if (net.U.rows !== n) throw new ShapeError('U', `${where}: U is ${net.U.rows}×${net.U.cols}, expected ${n} rows (= W is ${n}×${n})`);
  if (net.V !== undefined) {
    checkMatrix(where, 'V', net.V, complex);
    if (net.V.cols !== n) throw new ShapeError('V', `${where}: V is ${net.V.rows}×${net.V.cols}, expected ${n} columns (= W is ${n}×${n})`);
  }
  if (net.bias !== undefined) {
    const b = net.bias as Vec | CVec;
    const len = complex ? (b as CVec).re?.length : (b as Vec).length;
    const okType = complex ? (b as CVec).re instanceof Float64Array && (b as CVec).im instanceof Float64Array && (b as CVec).im.length === len : b instanceof Float64Array;
    if (!okType) throw new InputError('bias', `${where}: bias = ${describeValue(b)}: must be a ${complex ? 'CVec {re, im}' : 'Float64Array'} of length ${n}`);
    if (len !== n) throw new ShapeError('bias', `${where}: bias has length ${len}, expected ${n} (= W is ${n}×${n})`);
    if (complex) { checkFinite(where, 'bias', (b as CVec).re, 0); checkFinite(where, 'bias', (b as CVec).im, 0); } else checkFinite(where, 'bias', b as Vec, 0);
  }
  if (!ACTIVATIONS.includes(net.activation)) {
    throw new InputError('activation', `${where}: activation = ${describeValue(net.activation)}: must be one of 'identity', 'tanh'`);
  }
  if (complex && net.activation !== 'identity') {
    throw new InputError('activation', `${where}: activation = ${describeValue(net.activation)}: complex networks support only 'identity' (tanh is real-only)`);
  }
  const a = net.leakRate;
  if (typeof a !== 'number' || !(a > 0 && a <= 1)) throw new InputError('leakRate', `${where}: leakRate = ${describeValue(a)}: must be a number in (0, 1]`);
  return complex ? 'complex' : 'real';
}

/** Initial states as one (B·N) array, or null for zeros. */
function initialStates(where: string, h0: Vec | Mat | CVec | CMat | undefined, batch: number, n: number, complex: boolean): { re: Float64Array; im: Float64Array | null } | null {
  if (h0 === undefined) return null;
  let re: Float64Array, im: Float64Array | null = null, rows: number;
  if (h0 instanceof Float64Array) { re = h0; rows = 1; }
  else if ('rows' in h0) {
    if (h0.cols !== n) throw new ShapeError('h0', `${where}: h0 is ${h0.rows}×${h0.cols}, expected ${batch}×${n} (batch × N) or a vector of length ${n}`);
    rows = h0.rows;
    if (isCMat(h0)) { re = h0.re; im = h0.im; } else re = h0.data;
  } else if (h0 !== null && typeof h0 === 'object' && (h0 as CVec).re instanceof Float64Array) { re = (h0 as CVec).re; im = (h0 as CVec).im; rows = 1; }
  else throw new InputError('h0', `${where}: h0 = ${describeValue(h0)}: must be a vector of length ${n} or a ${batch}×${n} matrix`);
  if (rows === 1 && re.length !== n) throw new ShapeError('h0', `${where}: h0 has length ${re.length}, expected ${n} (= N)`);
  if (rows !== 1 && rows !== batch) throw new ShapeError('h0', `${where}: h0 has ${rows} rows, expected ${batch} (one per sequence) or a vector of length ${n}`);
  if (im !== null && !complex) throw new InputError('h0', `${where}: h0 is complex but the network is real`);
  checkFinite(where, 'h0', re, n);
  if (im !== null) checkFinite(where, 'h0', im, n);
  const tile = (src: Float64Array): Float64Array => {
    if (rows === batch) return src;
    const out = new Float64Array(batch * n);
    for (let b = 0; b < batch; b++) out.set(src.subarray(0, n), b * n);
    return out;
  };
  return { re: tile(re), im: im === null ? null : tile(im) };
}

/** Sequence data viewed as (batch, steps, dim) arrays. */
interface SeqView { batch: number; steps: number; dim: number; re: Float64Array; im: Float64Array | null }

function seqView(where: string, x: Mat | CMat | SeqBatch | CSeqBatch): SeqView {
  if (typeof x !== 'object' || x === null) throw new InputError('x', `${where}: x = ${describeValue(x)}: must be a T×I Mat/CMat or a SeqBatch/CSeqBatch`);
  const complex = isComplexData(x);
  let v: SeqView;
  if (isSeq(x)) {
    v = complex ? { batch: x.batch, steps: x.steps, dim: x.dim, re: (x as CSeqBatch).re, im: (x as CSeqBatch).im }
      : { batch: x.batch, steps: x.steps, dim: x.dim, re: (x as SeqBatch).data, im: null };
  } else {
    const m = x as Mat | CMat;
    v = isCMat(m) ? { batch: 1, steps: m.rows, dim: m.cols, re: m.re, im: m.im } : { batch: 1, steps: m.rows, dim: m.cols, re: m.data, im: null };
  }
  const len = v.batch * v.steps * v.dim;
  if (!(v.re instanceof Float64Array) || v.re.length !== len || (v.im !== null && (!(v.im instanceof Float64Array) || v.im.length !== len)) ||
    !Number.isInteger(v.batch) || !Number.isInteger(v.steps) || v.batch < 0 || v.steps < 0) {
    throw new InputError('x', `${where}: x = ${describeValue(x)}: storage does not match its shape (expected Float64Array(s) of length ${len})`);
  }
  checkFinite(where, 'x', v.re, v.dim);
  if (v.im !== null) checkFinite(where, 'x', v.im, v.dim);
  return v;
}

/**
 * Runs the network over a sequence (T×I) or a batch of sequences (B, T, I) from h_0 (0 unless `opts.h0`).
 * Returns the states (T×N, or (B, T, N) for batches; row t−1 holds h_t) and, when the network has V,
 * the outputs y_t = V h_t (T×O or (B, T, O)). A complex network accepts real or complex input and
 * returns complex states; a real network with complex input is refused (use {@link asComplexRnn}).
 */
export function rollout(net: Rnn, x: Mat, opts?: RolloutOptions): Rollout;
export function rollout(net: Rnn, x: SeqBatch, opts?: RolloutOptions): BatchRollout;
export function rollout(net: ComplexRnn, x: Mat | CMat, opts?: ComplexRolloutOptions): ComplexRollout;
export function rollout(net: ComplexRnn, x: SeqBatch | CSeqBatch, opts?: ComplexRolloutOptions): ComplexBatchRollout;
export function rollout(net: Rnn | ComplexRnn, x: Mat | CMat | SeqBatch | CSeqBatch, opts?: ComplexRolloutOptions):
  Rollout | BatchRollout | ComplexRollout | ComplexBatchRollout;
export function rollout(net: Rnn | ComplexRnn, x: Mat | CMat | SeqBatch | CSeqBatch, opts: ComplexRolloutOptions = {}):
  Rollout | BatchRollout | ComplexRollout | ComplexBatchRollout {
  const where = 'rollout';
  const kind = validateRnn(net, where);
  const v = seqView(where, x);
  const n = net.W.rows, nIn = net.U.cols;
  if (v.dim !== nIn) throw new ShapeError('x', `${where}: x has dimension ${v.dim} per step, expected ${nIn} (= U is ${n}×${nIn})`);
  if (kind === 'real' && v.im !== null) {
    throw new InputError('x', `${where}: x is complex but the network is real; convert the network with asComplexRnn (identity activation only)`);
  }
  const h0 = initialStates(where, opts.h0, v.batch, n, kind === 'complex');
  const rowsTotal = v.batch * v.steps;
  const out = opts.out;
  if (out !== undefined) {
    const ok = kind === 'real' ? out instanceof Float64Array && out.length === rowsTotal * n
      : !(out instanceof Float64Array) && out.re instanceof Float64Array && out.im instanceof Float64Array && out.re.length === rowsTotal * n && out.im.length === rowsTotal * n;
    if (!ok) {
      throw new ShapeError('out', `${where}: out must be ${kind === 'real' ? 'a Float64Array' : 'a complex vector {re, im} of Float64Arrays'} of length B·T·N = ${rowsTotal * n}`);
    }
  }
  const backend = resolveBackend(where, opts.backend);
  const batched = isSeq(x);
  const V = net.V;
  const o = V === undefined ? 0 : V.rows;
  if (kind === 'real') {
    const r = net as Rnn;
    const states = (out as Float64Array | undefined) ?? new Float64Array(rowsTotal * n);
    backend.rollout.rollout({ n, nIn, W: r.W.data, U: r.U.data, bias: r.bias ?? null, leak: r.leakRate, tanh: r.activation === 'tanh' },
      v.batch, v.steps, v.re, h0 === null ? null : h0.re, states);
    let outputs: Float64Array | null = null;
    if (r.V !== undefined) {
      outputs = new Float64Array(rowsTotal * o);
      backend.blas.gemm(false, true, rowsTotal, o, n, 1, states, r.V.data, 0, outputs);
    }
    if (batched) {
      const s: SeqBatch = { batch: v.batch, steps: v.steps, dim: n, data: states };
      return outputs === null ? { states: s } : { states: s, outputs: { batch: v.batch, steps: v.steps, dim: o, data: outputs } };
    }
    return outputs === null ? { states: mat(v.steps, n, states) } : { states: mat(v.steps, n, states), outputs: mat(v.steps, o, outputs) };
  }
  const c = net as ComplexRnn;
  const sRe = (out as CVec | undefined)?.re ?? new Float64Array(rowsTotal * n);
  const sIm = (out as CVec | undefined)?.im ?? new Float64Array(rowsTotal * n);
  const xIm = v.im ?? new Float64Array(v.re.length);
  const h0Im = h0 === null ? null : (h0.im ?? new Float64Array(h0.re.length));
  backend.rollout.rolloutComplex({
    n, nIn, Wre: c.W.re, Wim: c.W.im, Ure: c.U.re, Uim: c.U.im,
    biasRe: c.bias?.re ?? null, biasIm: c.bias?.im ?? null, leak: c.leakRate,
  }, v.batch, v.steps, v.re, xIm, h0 === null ? null : h0.re, h0Im, sRe, sIm);
  let oRe: Float64Array | null = null, oIm: Float64Array | null = null;
  if (c.V !== undefined) {
    oRe = new Float64Array(rowsTotal * o);
    oIm = new Float64Array(rowsTotal * o);
    backend.blas.zgemm('N', 'T', rowsTotal, o, n, 1, sRe, sIm, c.V.re, c.V.im, 0, oRe, oIm);
  }
  if (batched) {
    const s: CSeqBatch = { batch: v.batch, steps: v.steps, dim: n, re: sRe, im: sIm };
    return oRe === null ? { states: s } : { states: s, outputs: { batch: v.batch, steps: v.steps, dim: o, re: oRe, im: oIm! } };
  }
  return oRe === null ? { states: cmat(v.steps, n, sRe, sIm) } : { states: cmat(v.steps, n, sRe, sIm), outputs: cmat(v.steps, o, oRe, oIm!) };
}

/**
 * One time step for callers that own the loop: writes h_t = (1−a)h + a·act(W h + U x + b) into `out` and
 * returns it. Real: h, out Vec (N), x Vec (I). Complex: h, out CVec (N), x CVec or Vec (I).
 * `out` must not alias `h`. Only lengths are checked here (validate the network once with {@link validateRnn});
 * allocates nothing.
 */
export function step(net: Rnn, h: Vec, x: Vec, out: Vec): Vec;
export function step(net: ComplexRnn, h: CVec, x: CVec | Vec, out: CVec): CVec;
export function step(net: Rnn | ComplexRnn, h: Vec | CVec, x: Vec | CVec, out: Vec | CVec): Vec | CVec {
  const n = net.W.rows, nIn = net.U.cols;
  const len = (v: Vec | CVec): number => (v instanceof Float64Array ? v.length : v.re.length);
  if (len(h) !== n) throw new ShapeError('h', `step: h has length ${len(h)}, expected ${n} (= N)`);
  if (len(out) !== n) throw new ShapeError('out', `step: out has length ${len(out)}, expected ${n} (= N)`);
  if (len(x) !== nIn) throw new ShapeError('x', `step: x has length ${len(x)}, expected ${nIn} (= U.cols)`);
  const a = net.leakRate, keep = 1 - a;
  if (!isCMat(net.W)) {
    const r = net as Rnn, hv = h as Vec, xv = x as Vec, ov = out as Vec;
    if (!(hv instanceof Float64Array) || !(xv instanceof Float64Array) || !(ov instanceof Float64Array)) {
      throw new InputError('h', 'step: a real network takes real h, x and out (Float64Array)');
    }
    if (ov === hv) throw new InputError('out', 'step: out must not be the same array as h');
    const W = r.W.data, U = r.U.data, b = r.bias, tanh = r.activation === 'tanh';
    for (let i = 0; i < n; i++) {
      let s = b === undefined ? 0 : b[i]!;
      const wi = i * n, ui = i * nIn;
      for (let j = 0; j < n; j++) s += W[wi + j]! * hv[j]!;
      for (let j = 0; j < nIn; j++) s += U[ui + j]! * xv[j]!;
      const act = tanh ? Math.tanh(s) : s;
      ov[i] = a === 1 ? act : keep * hv[i]! + a * act;
    }
    return ov;
  }
  const c = net as ComplexRnn, hc = h as CVec, oc = out as CVec;
  if (hc instanceof Float64Array || oc instanceof Float64Array) throw new InputError('h', 'step: a complex network takes complex h and out (CVec)');
  if (oc.re === hc.re || oc.im === hc.im) throw new InputError('out', 'step: out must not share arrays with h');
  const xr = x instanceof Float64Array ? x : x.re, xi = x instanceof Float64Array ? null : x.im;
  const { re: Wr, im: Wi } = c.W, { re: Ur, im: Ui } = c.U, b = c.bias;
  for (let i = 0; i < n; i++) {
    let sr = b === undefined ? 0 : b.re[i]!, si = b === undefined ? 0 : b.im[i]!;
    const wi = i * n, ui = i * nIn;
    for (let j = 0; j < n; j++) {
      const wr = Wr[wi + j]!, wm = Wi[wi + j]!;
      sr += wr * hc.re[j]! - wm * hc.im[j]!;
      si += wr * hc.im[j]! + wm * hc.re[j]!;
    }
    for (let j = 0; j < nIn; j++) {
      const ur = Ur[ui + j]!, um = Ui[ui + j]!, pr = xr[j]!, pi = xi === null ? 0 : xi[j]!;
      sr += ur * pr - um * pi;
      si += ur * pi + um * pr;
    }
    oc.re[i] = a === 1 ? sr : keep * hc.re[i]! + a * sr;
    oc.im[i] = a === 1 ? si : keep * hc.im[i]! + a * si;
  }
  return oc;
}

/** The same real network seen as a complex one (zero imaginary parts). Only the identity activation is allowed. */
export function asComplexRnn(net: Rnn): ComplexRnn {
  validateRnn(net, 'asComplexRnn');
  if (net.activation !== 'identity') {
    throw new InputError('activation', `asComplexRnn: activation = ${describeValue(net.activation)}: only 'identity' networks have a complex form (tanh is real-only)`);
  }
  const c = (m: Mat): CMat => cmat(m.rows, m.cols, Float64Array.from(m.data), new Float64Array(m.data.length));
  return {
    W: c(net.W), U: c(net.U), activation: 'identity', leakRate: net.leakRate,
    ...(net.V !== undefined ? { V: c(net.V) } : {}),
    ...(net.bias !== undefined ? { bias: { re: Float64Array.from(net.bias), im: new Float64Array(net.bias.length) } } : {}),
  };
}

/**
 * Real embedding of a complex network: with h_r = [Re h; Im h] (2N), x_r = [Re x; Im x] (2I) and
 * y_r = [Re y; Im y] (2O), the real network (W_r, U_r, V_r) = ([[Re, −Im], [Im, Re]] of W, U, V) and
 * bias [Re b; Im b] reproduces the complex one exactly. Pair with {@link stackReIm} for inputs.
 */
export function realEmbeddingRnn(net: ComplexRnn): Rnn {
  validateRnn(net, 'realEmbeddingRnn');
  const bias = net.bias === undefined ? undefined : Float64Array.from([...net.bias.re, ...net.bias.im]);
  return {
    W: realEmbedding(net.W), U: realEmbedding(net.U), activation: 'identity', leakRate: net.leakRate,
    ...(net.V !== undefined ? { V: realEmbedding(net.V) } : {}),
    ...(bias !== undefined ? { bias } : {}),
  };
}

/** T×D complex sequence → T×2D real one with columns [Re x_1..Re x_D, Im x_1..Im x_D] (the layout of {@link realEmbeddingRnn}). */
export function stackReIm(x: CMat): Mat {
  checkMatShape('stackReIm', 'x', x, 'complex');
  const { rows, cols } = x;
  const out = mat(rows, 2 * cols);
  for (let t = 0; t < rows; t++) {
    out.data.set(x.re.subarray(t * cols, (t + 1) * cols), t * 2 * cols);
    out.data.set(x.im.subarray(t * cols, (t + 1) * cols), t * 2 * cols + cols);
  }
  return out;
}

/** Inverse of {@link stackReIm}: a T×2D real matrix [Re | Im] → T×D complex matrix. */
export function unstackReIm(x: Mat): CMat {
  checkMatShape('unstackReIm', 'x', x, 'real');
  if (x.cols % 2 !== 0) throw new ShapeError('x', `unstackReIm: x is ${x.rows}×${x.cols}, expected an even number of columns [Re | Im]`);
  const d = x.cols / 2;
  const out = cmat(x.rows, d);
  for (let t = 0; t < x.rows; t++) {
    out.re.set(x.data.subarray(t * x.cols, t * x.cols + d), t * d);
    out.im.set(x.data.subarray(t * x.cols + d, (t + 1) * x.cols), t * d);
  }
  return out;
}
