// Compute ops of the foundation: rollout, readout (ridge/pinv), rls, eig, eigh, svd, spectral-radius.
import { InputError } from '../../core/errors.js';
import { cmat, isCMat, toComplex, type AnyMat, type CMat, type CVec, type Mat } from '../../core/types.js';
import { eig, sortEig } from '../../linalg/eig.js';
import { eigh } from '../../linalg/eigh.js';
import { svd } from '../../linalg/svd.js';
import { spectralRadius } from '../../linalg/spectral.js';
import { maxAbsDiffMat, adjoint } from '../../linalg/dense.js';
import { rollout, type ComplexRnn, type Rnn } from '../../models/rnn.js';
import { fitRidge, predict } from '../../readouts/ridge.js';
import { fitPinv } from '../../readouts/pinv.js';
import { runRls } from '../../readouts/rls.js';
import { mse } from '../../metrics/metrics.js';
import { anyComplex, checkSize, encodeAnyMat, encodeCVec, encodeVec, type Req } from '../codec.js';
import type { ComputeOp } from '../op.js';

const SEQ = { flat: 'column' } as const;

function vecToCVec(v: Float64Array | CVec): CVec {
  return v instanceof Float64Array ? { re: v, im: new Float64Array(v.length) } : v;
}

const rolloutOp: ComputeOp = {
  name: 'rollout',
  summary: 'states (and outputs) of h_t = (1−a)h_{t−1} + a·act(W h_{t−1} + U x_t + b), y_t = V h_t',
  help: `rollout — run the recurrent model over one input sequence.
  h_t = (1 − a)·h_{t−1} + a·act(W h_{t−1} + U x_t + b),  y_t = V h_t,  t = 1..T,  h_0 = h0 (default 0).
Request:
  W           N×N, real or complex
  U           N×I, real or complex
  V           optional, O×N, real or complex
  x           T×I, real or complex (a flat array is read as a T×1 column)
  h0          optional, length N (real or complex vector); default zeros
  activation  "identity" (default) or "tanh" (tanh is real-only)
  leakRate    a in (0, 1], default 1 (no leak)
  bias        optional, length N (real or complex); default none
Answer:
  states      T×N, row t−1 holds h_t (t = 1..T)
  outputs     T×O, row t−1 holds y_t (only when V is given)
If any input is complex the network is complex (real inputs are promoted); answers are then {"re","im"}.`,
  run(req: Req) {
    const W = req.anyMat('W', { square: true });
    const N = W.rows;
    const U = req.anyMat('U', { rows: N });
    const V = req.optAnyMat('V', { cols: N });
    const x = req.anyMat('x', { ...SEQ, cols: U.cols });
    const h0 = req.has('h0') ? req.anyVec('h0', N) : (req.raw('h0'), undefined);
    const activation = req.oneOf('activation', ['identity', 'tanh'] as const, 'identity');
    const leakRate = req.num('leakRate', { default: 1, minExclusive: 0, max: 1 });
    const bias = req.has('bias') ? req.anyVec('bias', N) : (req.raw('bias'), undefined);
    req.assertNoUnknown();
    checkSize('x', x.rows * N, `the states (T×N = ${x.rows}×${N})`);
    if (V) checkSize('x', x.rows * V.rows, `the outputs (T×O = ${x.rows}×${V.rows})`);
    const complex = anyComplex(W, U, V, x, h0, bias);
    if (!complex) {
      const net: Rnn = { W: W as Mat, U: U as Mat, activation, leakRate, ...(V ? { V: V as Mat } : {}), ...(bias ? { bias: bias as Float64Array } : {}) };
      const r = rollout(net, x as Mat, h0 ? { h0: h0 as Float64Array } : {});
      return { states: encodeAnyMat(r.states), ...(r.outputs ? { outputs: encodeAnyMat(r.outputs) } : {}) };
    }
    if (activation === 'tanh') throw new InputError('activation', 'activation = "tanh": tanh is real-only; complex networks use "identity"');
    const net: ComplexRnn = {
      W: toComplex(W), U: toComplex(U), activation: 'identity', leakRate,
      ...(V ? { V: toComplex(V) } : {}), ...(bias ? { bias: vecToCVec(bias) } : {}),
    };
    const r = rollout(net, x, h0 ? { h0: vecToCVec(h0) } : {});
    return { states: encodeAnyMat(r.states), ...(r.outputs ? { outputs: encodeAnyMat(r.outputs) } : {}) };
  },
};

/** The states/targets pair of a readout request, both real or both complex. */
function readPair(req: Req): { H: AnyMat; Y: AnyMat; washout: number } {
  const H = req.anyMat('states', SEQ);
  const Y0 = req.anyMat('targets', { ...SEQ, rows: H.rows });
  const washout = req.num('washout', { default: 0, min: 0, integer: true });
  if (washout >= H.rows) throw new InputError('washout', `washout = ${washout}: must be < the number of rows of states (${H.rows})`);
  if (isCMat(H) !== isCMat(Y0)) return { H: toComplex(H), Y: toComplex(Y0), washout };
  return { H, Y: Y0, washout };
}

function dropRows(m: AnyMat, k: number): AnyMat {
  const r = m.rows - k, c = m.cols;
  if (isCMat(m)) return cmat(r, c, m.re.subarray(k * c), m.im.subarray(k * c));
  return { rows: r, cols: c, data: m.data.subarray(k * c) };
}

const readoutOp: ComputeOp = {
  name: 'readout',
  summary: 'least-squares readout Wout (O×N) from states and targets: ridge or pseudo-inverse',
  help: `readout — fit Wout so that targets ≈ states · Woutᵀ (row t: y_t ≈ Wout h_t), offline.
Request:
  states    T×N, real or complex (a flat array is read as a T×1 column)
  targets   T×O, real or complex (flat array = T×1)
  method    "ridge" (default) or "pinv"
  lambda    ridge only (ignored by pinv), λ ≥ 0, default 1e-6: minimises ‖Y − H Woutᵀ‖²_F + λ‖Wout‖²_F (absolute λ, not scaled by T);
            solved by Cholesky on HᴴH + λI (never an explicit inverse). When Cholesky fails numerically (nearly
            collinear states whose HᴴH rounding exceeds λ), the SVD of the states solves it instead:
            Woutᵀ = V diag(s/(s² + λ)) Uᴴ Y. λ = 0 on numerically rank-deficient states is refused (use pinv).
  rcond     pinv only (ignored by ridge): singular values ≤ rcond·s_max count as zero; default max(T', N)·2^-52
  bias      optional boolean (default false), ridge only: also fit an unregularised intercept, returned as "bias" (length O)
  washout   rows dropped at the start before fitting, default 0 (T' = T − washout rows are used)
Answer:
  Wout      O×N (complex when states or targets are complex)
  trainMse  mean over the T' fitted rows and O outputs of |y − ŷ|²
  rank      pinv only: numerical rank of the fitted states
  solver    ridge only: "cholesky", or "svd" when the fallback ran
  bias      when bias = true
The pseudo-inverse goes through the SVD of the states, never the normal equations.`,
  run(req: Req) {
    const { H, Y, washout } = readPair(req);
    const method = req.oneOf('method', ['ridge', 'pinv'] as const, 'ridge');
    const lambda = req.num('lambda', { default: 1e-6, min: 0 });
    const rcond = req.has('rcond') ? req.num('rcond', { min: 0 }) : (req.raw('rcond'), undefined);
    const bias = req.bool('bias', false);
    req.assertNoUnknown();
    if (method === 'pinv' && bias) throw new InputError('bias', 'bias = true: only supported with method "ridge"');
    checkSize('states', H.cols * H.cols, `the N×N Gram matrix and singular vectors (N = ${H.cols})`);
    checkSize('targets', Y.cols * H.cols, `Wout (O×N = ${Y.cols}×${H.cols})`);
    const Hk = dropRows(H, washout), Yk = dropRows(Y, washout);
    if (method === 'ridge') {
      const fit = fitRidge(Hk, Yk, { lambda, bias });
      const yhat = predict(Hk, fit.Wout, fit.bias);
      return {
        Wout: encodeAnyMat(fit.Wout),
        trainMse: mse(Yk, yhat),
        solver: fit.solver,
        ...(fit.bias ? { bias: fit.bias instanceof Float64Array ? encodeVec(fit.bias) : encodeCVec(fit.bias) } : {}),
      };
    }
    const fit = fitPinv(Hk, Yk, rcond === undefined ? {} : { rcond });
    const yhat = predict(Hk, fit.Wout);
    return { Wout: encodeAnyMat(fit.Wout), trainMse: mse(Yk, yhat), rank: fit.rank };
  },
};

const rlsOp: ComputeOp = {
  name: 'rls',
  summary: 'online recursive least squares over the rows of states/targets: final Wout and a-priori predictions',
  help: `rls — exponentially weighted recursive least squares, one row at a time (t = 1..T):
  ŷ_t = W_{t−1} h_t (a-priori prediction), k = P h_t / (λ + h_tᴴ P h_t),
  W_t = W_{t−1} + (y_t − ŷ_t) kᴴ,  P ← (P − k h_tᴴ P)/λ,  with W_0 = 0 and P_0 = I/delta.
With forgetting λ = 1 the final Wout equals the ridge solution with lambda = delta.
Request:
  states      T×N, real or complex (flat array = T×1)
  targets     T×O, real or complex (flat array = T×1)
  forgetting  λ in (0, 1], default 1
  delta       > 0, default 1e-2 (P_0 = I/delta)
Answer:
  Wout         O×N, the final weights W_T
  predictions  T×O, row t−1 holds the a-priori prediction ŷ_t = W_{t−1} h_t`,
  run(req: Req) {
    const H0 = req.anyMat('states', SEQ);
    const Y0 = req.anyMat('targets', { ...SEQ, rows: H0.rows });
    const forgetting = req.num('forgetting', { default: 1, minExclusive: 0, max: 1 });
    const delta = req.num('delta', { default: 1e-2, minExclusive: 0 });
    req.assertNoUnknown();
    checkSize('states', H0.cols * H0.cols, `the N×N matrix P (N = ${H0.cols})`);
    checkSize('targets', Y0.cols * H0.cols, `Wout (O×N = ${Y0.cols}×${H0.cols})`);
    const complex = isCMat(H0) || isCMat(Y0);
    const r = complex ? runRls(toComplex(H0), toComplex(Y0), { forgetting, delta }) : runRls(H0 as Mat, Y0 as Mat, { forgetting, delta });
    return { Wout: encodeAnyMat(r.Wout), predictions: encodeAnyMat(r.predictions) };
  },
};

const eigOp: ComputeOp = {
  name: 'eig',
  summary: 'eigenvalues (and optionally eigenvectors) of a real or complex square matrix',
  help: `eig — eigenvalues of a general square matrix (Hessenberg + shifted QR).
Request:
  A        n×n, real or complex
  vectors  optional boolean, default false: also return unit-norm right eigenvectors
Answer:
  values   complex {"re": [...], "im": [...]}, length n, sorted by decreasing modulus (ties: decreasing real
           part, then decreasing imaginary part)
  vectors  when requested: complex n×n, column j is the eigenvector of values[j]`,
  run(req: Req) {
    const A = req.anyMat('A', { square: true });
    const vectors = req.bool('vectors', false);
    req.assertNoUnknown();
    const r = sortEig(eig(A, { vectors }), 'modulus');
    return { values: encodeCVec(r.values), ...(r.vectors ? { vectors: encodeAnyMat(r.vectors) } : {}) };
  },
};

/** Tolerance for accepting A as symmetric/Hermitian: max|A − Aᴴ| ≤ 1e-8 · max|A| (documented in the help). */
const HERM_TOL = 1e-8;

const eighOp: ComputeOp = {
  name: 'eigh',
  summary: 'eigenvalues (ascending) of a real symmetric or complex Hermitian matrix',
  help: `eigh — eigenvalues of a symmetric (real) or Hermitian (complex) matrix, ascending.
Request:
  A        n×n, real symmetric or complex Hermitian. A is accepted when max|A − Aᴴ| ≤ 1e-8·max|A| and then
           symmetrised as (A + Aᴴ)/2; otherwise the request fails (use "eig" for general matrices).
  vectors  optional boolean, default false: also return orthonormal eigenvectors
Answer:
  values   real, ascending, length n
  vectors  when requested: n×n (complex for complex A), column j for values[j]`,
  run(req: Req) {
    const A = req.anyMat('A', { square: true });
    const vectors = req.bool('vectors', false);
    req.assertNoUnknown();
    const AH = adjoint(A);
    let scale = 0;
    if (isCMat(A)) for (let i = 0; i < A.re.length; i++) scale = Math.max(scale, Math.hypot(A.re[i]!, A.im[i]!));
    else for (let i = 0; i < A.data.length; i++) scale = Math.max(scale, Math.abs(A.data[i]!));
    const asym = maxAbsDiffMat(A, AH);
    if (asym > HERM_TOL * scale) {
      throw new InputError('A', `A is not ${isCMat(A) ? 'Hermitian' : 'symmetric'}: max|A − Aᴴ| = ${asym.toExponential(3)} > 1e-8·max|A| = ${(HERM_TOL * scale).toExponential(3)}`);
    }
    const S = symmetrise(A, AH);
    const r = eigh(S, { vectors });
    return { values: encodeVec(r.values), ...(r.vectors ? { vectors: encodeAnyMat(r.vectors) } : {}) };
  },
};

function symmetrise(A: AnyMat, AH: AnyMat): AnyMat {
  if (isCMat(A)) {
    const B = AH as CMat, out = cmat(A.rows, A.cols);
    for (let i = 0; i < out.re.length; i++) {
      out.re[i] = 0.5 * (A.re[i]! + B.re[i]!);
      out.im[i] = 0.5 * (A.im[i]! + B.im[i]!);
    }
    return out;
  }
  const B = AH as Mat, d = new Float64Array(A.data.length);
  for (let i = 0; i < d.length; i++) d[i] = 0.5 * (A.data[i]! + B.data[i]!);
  return { rows: A.rows, cols: A.cols, data: d };
}

const svdOp: ComputeOp = {
  name: 'svd',
  summary: 'singular values (descending) of a real or complex matrix, optionally with the thin U and Vᴴ',
  help: `svd — thin singular value decomposition A = U·diag(s)·Vᴴ (real, and complex values only: Golub–Kahan
bidiagonalisation and bidiagonal QR, after a Householder QR when m ≥ 1.6·n; complex with vectors: QR, then
one-sided Jacobi).
Request:
  A        m×n, real or complex
  vectors  optional boolean, default false: also return U (m×k) and Vt = Vᴴ (k×n), k = min(m, n)
Answer:
  s        singular values, descending, length min(m, n)
  U, Vt    when requested (complex for complex A)`,
  run(req: Req) {
    const A = req.anyMat('A');
    const vectors = req.bool('vectors', false);
    req.assertNoUnknown();
    const r = svd(A, { vectors });
    return { s: encodeVec(r.s), ...(r.U && r.Vt ? { U: encodeAnyMat(r.U), Vt: encodeAnyMat(r.Vt) } : {}) };
  },
};

const spectralRadiusOp: ComputeOp = {
  name: 'spectral-radius',
  summary: 'spectral radius max|λ_i| of a real or complex square matrix',
  help: `spectral-radius — max over eigenvalues of |λ| (0 for a 0×0 matrix).
Request:
  A      n×n, real or complex
Answer:
  value  the spectral radius`,
  run(req: Req) {
    const A = req.anyMat('A', { square: true });
    req.assertNoUnknown();
    return { value: spectralRadius(A) };
  },
};

/** The foundation's compute ops, in help order. */
export const coreOps: ReadonlyArray<ComputeOp> = [rolloutOp, readoutOp, rlsOp, eigOp, eighOp, svdOp, spectralRadiusOp];
