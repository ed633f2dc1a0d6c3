// Catalogue of bad inputs to the public library (src/index.ts) and the errors they give: one row per function × input.
//
// Every exported function is either in the table (called with a typical bad argument: wrong type, missing option,
// NaN/Infinity entries, negative or non-integer size, mismatched shapes, complex where real is required, unknown
// option) or in SKIPPED with the reason. A row asserts the error class (InputError, ShapeError — a kind of
// InputError — or NumericalError) and a regex on the message, which names the function, the argument or field and,
// where there is one, the value received. No row may end in a TypeError/RangeError from inside, a silent NaN, or a hang.
import { describe, it, expect } from 'vitest';
import * as polelab from '../src/index.js';
import {
  InputError, NumericalError, ShapeError, cmat, createRng, fromRows, mat, type CMat, type Mat,
} from '../src/index.js';

type ErrorClass = typeof InputError | typeof ShapeError | typeof NumericalError;
/** [function, bad input (label), call, expected class, message regex]. */
type Row = readonly [string, string, () => unknown, ErrorClass, RegExp];

const P = polelab as unknown as Record<string, (...a: unknown[]) => unknown>;
const call = (name: string, ...args: unknown[]) => (): unknown => P[name]!(...args);

const A2: Mat = fromRows([[2, 1], [1, 3]]);
const A23: Mat = fromRows([[1, 2, 3], [4, 5, 6]]);
const NaN2: Mat = fromRows([[1, NaN], [0, 1]]);
const Inf2: Mat = fromRows([[1, 0], [Infinity, 1]]);
const C2: CMat = cmat(2, 2, Float64Array.of(1, 0, 0, 1), Float64Array.of(0, 1, -1, 0));
const bad = { rows: 2, cols: 2, data: new Float64Array(3) };
const rng = createRng(1);
const net = { W: fromRows([[0.5, 0], [0, 0.5]]), U: fromRows([[1], [1]]), V: fromRows([[1, 1]]) };
const x1 = { batch: 1, steps: 3, dim: 1, data: Float64Array.of(1, 2, 3) };
const y1 = { batch: 1, steps: 3, dim: 1, data: Float64Array.of(1, 0, 1) };
const rnn = { W: net.W, U: net.U, activation: 'identity' as const, leakRate: 1 };
const stats = polelab.ridgeStats(fromRows([[1, 0], [0, 1], [1, 1]]), fromRows([[1], [0], [1]]));
const poleModel = polelab.initPoleModel(createRng(2), { kind: 'polar', n: 2, nIn: 1, nOut: 1 });
const matvecOp: polelab.MatVec = (v, out) => { out.set(v); };

const ROWS: Row[] = [
  // core constructors and helpers
  ['mat', 'rows = -1', call('mat', -1, 2), ShapeError, /^mat: rows × cols = -1 × 2: must be integers >= 0/],
  ['mat', 'rows = 1.5', call('mat', 1.5, 2), ShapeError, /^mat: rows × cols = 1.5 × 2/],
  ['mat', 'data a plain array', call('mat', 1, 2, [1, 2]), InputError, /^mat: data must be a Float64Array, got a plain array/],
  ['mat', 'data of the wrong length', call('mat', 2, 2, new Float64Array(3)), ShapeError, /^mat: data has length 3, expected rows\*cols = 4/],
  ['cmat', 'im of the wrong length', call('cmat', 1, 2, new Float64Array(2), new Float64Array(1)), ShapeError, /^cmat: re\/im have lengths 2\/1/],
  ['cmat', 'rows = NaN', call('cmat', NaN, 1), ShapeError, /^cmat: rows × cols = NaN × 1/],
  ['eye', 'n = -2', call('eye', -2), ShapeError, /^mat: rows × cols = -2 × -2/],
  ['cvec', 'n = -1', call('cvec', -1), InputError, /^cvec: n = -1: must be an integer >= 0/],
  ['cvec', 'n = "x"', call('cvec', 'x'), InputError, /^cvec: n = "x"/],
  ['fromRows', 'a string', call('fromRows', 'x'), InputError, /^fromRows: rows = "x": must be an array of rows/],
  ['fromRows', 'ragged rows', call('fromRows', [[1, 2], [3]]), ShapeError, /^fromRows: row 1 has length 1, expected 2/],
  ['fromRows', 'a string entry', call('fromRows', [[1, '2']]), InputError, /^fromRows: rows\[0\]\[1\] = "2": must be a number/],
  ['fromRows', 'a row that is a number', call('fromRows', [[1], 2]), InputError, /^fromRows: rows\[1\] = 2: must be an array of numbers/],
  ['toRows', 'a complex matrix', call('toRows', C2), InputError, /^toRows: m is complex: must be a real Mat/],
  ['toRows', 'null', call('toRows', null), InputError, /^toRows: m = null: must be a real Mat/],
  ['toComplex', 'storage of the wrong length', call('toComplex', bad), ShapeError, /^toComplex: m is 2×2 but m.data has length 3/],
  ['cloneMat', 'a number', call('cloneMat', 3), InputError, /^cloneMat: m = 3: must be a Mat/],
  ['sliceRows', 'rows out of range', call('sliceRows', A2, 1, 5), ShapeError, /^sliceRows: rows \[1, 5\) are not inside \[0, 2\]/],
  ['sliceRows', 'undefined matrix', call('sliceRows', undefined, 0, 1), InputError, /^sliceRows: m = undefined/],
  ['createRng', 'seed = -1', call('createRng', -1), InputError, /seed = -1/],
  ['createRng', 'seed = 1.5', call('createRng', 1.5), InputError, /seed = 1.5/],
  ['restoreRng', 'a bad snapshot', call('restoreRng', { words: [1, 2] }), InputError, /restoreRng/],

  // dense linear algebra
  ['matmul', 'inner dimensions differ', call('matmul', A23, A23), ShapeError, /^matmul: inner dimensions differ: op\(A\) is 2×3, op\(B\) is 2×3/],
  ['matmul', 'B = null', call('matmul', A2, null), InputError, /^matmul: B = null: must be a Mat/],
  ['gemmOp', 'ta = "X"', call('gemmOp', A2, 'X', A2, 'N'), InputError, /^matmul: ta = "X": must be "N", "T" or "C"/],
  ['gemmOp', 'A with bad storage', call('gemmOp', bad, 'N', A2, 'N'), ShapeError, /^matmul: A is 2×2 but A.data has length 3/],
  ['matvec', 'x a plain array', call('matvec', A2, [1, 2]), InputError, /^matvec: x = \[1,2\]: must be a Float64Array/],
  ['matvec', 'x of the wrong length', call('matvec', A2, new Float64Array(3)), ShapeError, /^matvec: x has length 3, expected 2/],
  ['matvec', 'complex A', call('matvec', C2, new Float64Array(2)), InputError, /^matvec: A is complex: must be a real Mat/],
  ['cmatvec', 'real A', call('cmatvec', A2, { re: new Float64Array(2), im: new Float64Array(2) }), InputError, /^cmatvec: A is real: must be a complex CMat/],
  ['cmatvec', 'x.im of the wrong length', call('cmatvec', C2, { re: new Float64Array(2), im: new Float64Array(1) }), ShapeError, /^cmatvec: x.im has length 1: expected 2/],
  ['transpose', 'a string', call('transpose', 'A'), InputError, /^transpose: A = "A": must be a Mat/],
  ['adjoint', 'rows = -1', call('adjoint', { rows: -1, cols: 1, data: new Float64Array(0) }), ShapeError, /^adjoint: A has rows = -1, cols = 1: both must be integers >= 0/],
  ['frobenius', 'undefined', call('frobenius', undefined), InputError, /^frobenius: A = undefined/],
  ['norm2', 'a number', call('norm2', 5), InputError, /^norm2: x = 5: must be an array of numbers/],
  ['axpby', 'shapes differ', call('axpby', A2, A23), ShapeError, /^axpby: shapes differ: 2×2 vs 2×3/],
  ['axpby', 'sa = NaN', call('axpby', A2, A2, NaN, 1), InputError, /^axpby: sa = NaN: must be a finite number/],
  ['maxAbsDiffMat', 'shapes differ', call('maxAbsDiffMat', A2, A23), ShapeError, /^maxAbsDiffMat: shapes differ: 2×2 vs 2×3/],
  ['realEmbedding', 'a real matrix', call('realEmbedding', A2), InputError, /^realEmbedding: A is real: must be a complex CMat/],
  ['cholesky', 'NaN entry', call('cholesky', NaN2), InputError, /^cholesky: A.data\[1\] \(row 0, col 1\) = NaN: entries must be finite/],
  ['cholesky', 'not positive definite', call('cholesky', fromRows([[1, 2], [2, 1]])), NumericalError, /^cholesky: matrix is not positive definite \(pivot 1 = -3\)/],
  ['cholesky', 'not square', call('cholesky', A23), ShapeError, /^cholesky: A is 2×3, expected a square matrix/],
  ['choleskySolve', 'B rows differ', call('choleskySolve', A2, fromRows([[1], [2], [3]])), ShapeError, /^choleskySolve: B has 3 rows, expected 2/],
  ['choleskySolve', 'Infinity in B', call('choleskySolve', A2, Inf2), InputError, /^choleskySolve: B.data\[2\] \(row 1, col 0\) = Infinity: entries must be finite/],
  ['choleskySolveWith', 'L not square', call('choleskySolveWith', A23, A2), ShapeError, /^choleskySolve: L is 2×3, expected a square matrix/],
  ['choleskySolveWith', 'L = null', call('choleskySolveWith', null, A2), InputError, /^choleskySolve: L = null: must be a Mat/],
  ['qr', 'NaN entry', call('qr', NaN2), InputError, /^qr: A.data\[1\] \(row 0, col 1\) = NaN: entries must be finite/],
  ['qr', 'entries near the double range', call('qr', fromRows([[1e308, -1e308], [1e308, 1e308]])), NumericalError, /^qr: the QR factors of A overflowed .*rescale it/],
  ['lstsq', 'rows of A and B differ', call('lstsq', A2, fromRows([[1], [2], [3]])), ShapeError, /^lstsq: .*B/],
  ['lstsq', 'rcond = 2', call('lstsq', A2, A2, { rcond: 2 }), InputError, /^lstsq: rcond = 2: must be a number in \[0, 1\)/],
  ['eig', 'not square', call('eig', A23), ShapeError, /^eig: A is 2×3: must be square/],
  ['eig', 'Infinity entry', call('eig', Inf2), InputError, /^eig: A.data\[2\] \(row 1, col 0\) = Infinity: entries must be finite/],
  ['eig', 'vectors = "yes"', call('eig', A2, { vectors: 'yes' }), InputError, /^eig: vectors = "yes": must be true or false/],
  ['eigh', 'opts a number', call('eigh', A2, 3), InputError, /^eigh: opts = 3: must be an object or omitted/],
  ['eigh', 'an overflowing eigenvalue', call('eigh', fromRows([[1e308, 1e308], [1e308, 1e308]])), NumericalError, /^eigh: the eigendecomposition of A overflowed \(an entry is Infinity\)/],
  ['svd', 'NaN entry', call('svd', NaN2), InputError, /^svd: A.data\[1\] \(row 0, col 1\) = NaN/],
  ['svd', 'a plain object', call('svd', { rows: 1, cols: 1 }), InputError, /^svd: A.data = undefined: must be a Float64Array/],
  ['pinv', 'rcond = -1', call('pinv', A2, { rcond: -1 }), InputError, /^pinv: rcond = -1: must be a number in \[0, 1\)/],
  ['pinv', 'a reciprocal that overflows', call('pinv', fromRows([[1e-310, 0], [0, 5e-324]])), NumericalError, /^pinv: A⁺ \(the pseudo-inverse of A\) overflowed/],
  ['defaultRcond', 'm = -1', call('defaultRcond', -1, 2), InputError, /^defaultRcond: m = -1: must be an integer >= 0/],
  ['numericalRank', 's a plain array', call('numericalRank', [1, 0.5], 0.1), InputError, /^numericalRank: s = \[1,0.5\]: must be a Float64Array/],
  ['numericalRank', 'cutoff = NaN', call('numericalRank', Float64Array.of(1), NaN), InputError, /^numericalRank: cutoff = NaN: must be a number >= 0/],
  ['spectralRadius', 'NaN entry', call('spectralRadius', NaN2), InputError, /^spectralRadius: .*NaN/],
  ['spectralRadius', 'not square', call('spectralRadius', A23), ShapeError, /^spectralRadius: A is 2×3: must be square/],
  ['spectralRadius', 'an overflowing eigenvalue', call('spectralRadius', fromRows([[1e308, 1e308], [1e308, 1e308]])), NumericalError, /^spectralRadius: an eigenvalue of A overflowed \(Infinity\)/],
  ['condition2', 'empty shape', call('condition2', mat(0, 2)), ShapeError, /^condition2: A is 0×2: needs at least one row and one column/],
  ['eigvalsSorted', 'key = "size"', call('eigvalsSorted', A2, 'size'), InputError, /key = "size"/],
  ['eighRange', 'not symmetric-square', call('eighRange', A23), ShapeError, /^eighRange: A is 2×3/],
  ['sortEig', 'a bad result object', call('sortEig', { values: null }), InputError, /^sortEig: /],
  ['extremeEigenvalues', 'n = 0', call('extremeEigenvalues', matvecOp, 0), InputError, /n = 0/],
  ['extremeEigenvalues', 'matvec not a function', call('extremeEigenvalues', 3, 2), InputError, /matvec = 3/],
  ['powerIteration', 'n = -1', call('powerIteration', matvecOp, -1), InputError, /n = -1/],

  // recurrent models and reservoirs
  ['rollout', 'leakRate = 0', call('rollout', { ...rnn, leakRate: 0 }, mat(3, 1)), InputError, /^rollout: leakRate = 0: must be a number in \(0, 1\]/],
  ['rollout', 'x with the wrong width', call('rollout', rnn, mat(3, 2)), ShapeError, /^rollout: x .*2.*1/],
  ['rollout', 'NaN in W', call('rollout', { ...rnn, W: NaN2 }, mat(3, 1)), InputError, /^rollout: W has a non-finite value \(NaN\) at row 0, column 1/],
  ['validateRnn', 'activation = "relu"', call('validateRnn', { ...rnn, activation: 'relu' }), InputError, /activation = "relu"/],
  ['validateRnn', 'net = null', call('validateRnn', null), InputError, /^rnn: net = null: must be an Rnn or ComplexRnn object/],
  ['asComplexRnn', 'tanh network', call('asComplexRnn', { ...rnn, activation: 'tanh' }), InputError, /^asComplexRnn: activation = "tanh"/],
  ['realEmbeddingRnn', 'U rows differ', call('realEmbeddingRnn', { ...rnn, W: C2, U: cmat(3, 1) }), ShapeError, /^realEmbeddingRnn: U is 3×1, expected 2 rows/],
  ['stackReIm', 'a real matrix', call('stackReIm', A2), InputError, /^stackReIm: x is real: must be a complex CMat/],
  ['unstackReIm', 'an odd number of columns', call('unstackReIm', A23), ShapeError, /^unstackReIm: x is 2×3, expected an even number of columns/],
  ['randomMatrix', 'density = 2', call('randomMatrix', rng, 2, 2, 'normal', 2), InputError, /^randomMatrix: density = 2: must be a number in \[0, 1\]/],
  ['randomMatrix', 'dist = "cauchy"', call('randomMatrix', rng, 2, 2, 'cauchy'), InputError, /^randomMatrix: dist = "cauchy": must be one of "normal", "uniform", "bernoulli"/],
  ['esn', 'sr = -1', call('esn', { sr: -1 }, 1, rng), InputError, /^esn: sr = -1/],
  ['esn', 'unknown field', call('esn', { unitz: 10 }, 1, rng), InputError, /^esn: .*unitz/],
  ['parseEsnConfig', 'units = 0', call('parseEsnConfig', { units: 0 }), InputError, /units = 0/],
  ['parseConfig', 'schema not a zod schema', call('parseConfig', 'cfg', {}, {}, {}), InputError, /^cfg: schema = \{\}: must be a zod schema/],
  ['poleReservoir', 'rmin > rmax', call('poleReservoir', { poles: { kind: 'ring', units: 4, rmin: 0.9, rmax: 0.5 } }, 1, rng), InputError, /rm(in|ax)/],
  ['parsePoleReservoirConfig', 'units = -3', call('parsePoleReservoirConfig', { poles: { kind: 'ring', units: -3 } }), InputError, /units = -3/],
  ['ringPoles', 'count = 1.5', call('ringPoles', 1.5, { rmin: 0, rmax: 1, thetaMax: 1, radius: 'area' }, rng), InputError, /^ringPoles: count = 1.5: must be an integer >= 0/],
  ['ringPoles', 'rmax < rmin', call('ringPoles', 2, { rmin: 0.9, rmax: 0.1, thetaMax: 1, radius: 'area' }, rng), InputError, /^ringPoles: rmax = 0.1: must be a finite number >= rmin \(0.9\)/],
  ['ringPoles', 'opts missing', call('ringPoles', 2, undefined, rng), InputError, /^ringPoles: opts = undefined: must be an object/],
  ['ringPoles', 'rng not an Rng', call('ringPoles', 2, { rmin: 0, rmax: 1, thetaMax: 1, radius: 'uniform' }, 7), InputError, /^ringPoles: rng = 7: must be an Rng/],
  ['blockDiagonalFromPoles', 'NaN pole', call('blockDiagonalFromPoles', { re: Float64Array.of(NaN), im: Float64Array.of(0) }), InputError, /^blockDiagonalFromPoles: poles\[0\] = NaN \+ 0i: must be finite/],
  ['blockDiagonalFromPoles', 'poles.re a plain array', call('blockDiagonalFromPoles', { re: [1], im: [0] }), InputError, /^blockDiagonalFromPoles: poles.re = \[1\]: must be a Float64Array/],
  ['polesOfBlockDiagonal', 'not block diagonal', call('polesOfBlockDiagonal', fromRows([[1, 2], [3, 4]])), InputError, /^polesOfBlockDiagonal: block at rows 0..1/],
  ['polesOfBlockDiagonal', 'complex W', call('polesOfBlockDiagonal', C2), InputError, /^polesOfBlockDiagonal: W is complex: must be a real Mat/],

  // readouts
  ['fitRidge', 'lambda = -1', call('fitRidge', A2, A2, { lambda: -1 }), InputError, /^ridge: lambda = -1: must be >= 0/],
  ['fitRidge', 'rows differ', call('fitRidge', A2, fromRows([[1], [2], [3]]), { lambda: 1 }), ShapeError, /Y|rows/],
  ['fitRidge', 'NaN in H', call('fitRidge', NaN2, A2, { lambda: 1 }), InputError, /H.*NaN|NaN.*H/],
  ['ridgeStats', 'washout = -1', call('ridgeStats', A2, A2, { washout: -1 }), InputError, /washout = -1/],
  ['addStats', 'a = null', call('addStats', null, stats), InputError, /^addStats: a = null: must be least-squares statistics/],
  ['addStats', 'different N', call('addStats', stats, polelab.ridgeStats(A23, A23)), ShapeError, /^addStats: shapes differ/],
  ['solveRidge', 'opts missing', call('solveRidge', stats, undefined), InputError, /^solveRidge: opts = undefined: must be an object/],
  ['solveRidge', 'lambda and lambdaRel', call('solveRidge', stats, { lambda: 1, lambdaRel: 1 }), InputError, /^ridge: lambda = 1 and lambdaRel = 1: give only one of them/],
  ['predict', 'Wout width differs', call('predict', A2, A23), ShapeError, /^predict: H is 2×2 but Wout is 2×3/],
  ['predict', 'bias a plain array', call('predict', A2, A2, [1, 2]), InputError, /^predict: bias = \[1,2\]: must be a Float64Array or a CVec/],
  ['fitPinv', 'rcond = 1', call('fitPinv', A2, A2, { rcond: 1 }), InputError, /rcond = 1/],
  ['runRls', 'forgetting = 0', call('runRls', A2, A2, { forgetting: 0 }), InputError, /forgetting = 0/],
  ['runRls', 'targets rows differ', call('runRls', A2, fromRows([[1]]), {}), ShapeError, /rows|targets|Y/],
  ['runLms', 'mu missing', call('runLms', A2, A2, {}), InputError, /mu/],
  ['runLms', 'mu = NaN', call('runLms', A2, A2, { mu: NaN }), InputError, /mu = NaN/],

  // metrics and data sets
  ['mse', 'shapes differ', call('mse', A2, A23), ShapeError, /^mse: .*2×2.*2×3|^mse: .*shape/],
  ['mse', 'unknown option', call('mse', A2, A2, { perOutptu: true }), InputError, /^mse: unknown option "perOutptu"; allowed: perOutput, normalize/],
  ['nmse', 'normalize = "max"', call('nmse', A2, A2, { normalize: 'max' }), InputError, /normalize = "max"/],
  ['nrmse', 'NaN in y', call('nrmse', NaN2, A2), InputError, /^nrmse: y at row 0, column 1 = NaN: entries must be finite/],
  ['kde', 'no samples', call('kde', [], [0]), InputError, /^kde: samples = \[\]: needs at least one sample/],
  ['kde', 'bandwidth = 0', call('kde', [1, 2], [0], { bandwidth: 0 }), InputError, /^kde: bandwidth = 0: must be a finite number > 0/],
  ['kdeBandwidth', 'rule = "wide"', call('kdeBandwidth', [1, 2], 'wide'), InputError, /bandwidth = "wide"/],
  ['eigenvalueModulusDensity', 'non-square W', call('eigenvalueModulusDensity', A23, [0, 1]), ShapeError, /A is 2×3: must be square|W/],
  ['mackeyGlass', 'length = -5', call('mackeyGlass', -5), InputError, /length = -5/],
  ['narma', 'T = 0', call('narma', 0, rng), InputError, /^narma: T = 0: must be an integer >= 1/],

  // learning
  ['lossAndGradient', 'params = null', call('lossAndGradient', null, x1, y1), InputError, /^gradient: params = null: must be an object \{W, U, V\}/],
  ['lossAndGradient', 'loss = "l1"', call('lossAndGradient', net, x1, y1, { loss: 'l1' }), InputError, /loss = "l1": must be one of/],
  ['lossAndGradient', 'V missing', call('lossAndGradient', { W: net.W, U: net.U }, x1, y1), InputError, /^gradient: V is required/],
  ['evaluateLoss', 'x with the wrong dim', call('evaluateLoss', net, { ...x1, dim: 3, data: new Float64Array(9) }, y1), ShapeError, /x/],
  ['evaluateLoss', 'W storage a plain array', call('evaluateLoss', { ...net, W: { rows: 2, cols: 2, data: [1, 0, 0, 1] } }, x1, y1), InputError, /^evaluateLoss: W.data = \[1,0,0,1\]: must be a Float64Array/],
  ['computeUpdate', 'rule "sgd"', call('computeUpdate', { name: 'sgd' }, net, x1, y1), InputError, /name = "sgd"|rule/],
  ['computeUpdate', 'tbptt tau = 0', call('computeUpdate', { name: 'tbptt', tau: 0 }, net, x1, y1), InputError, /tau = 0/],
  ['validateRuleSpec', 'rflo alpha = 1', call('validateRuleSpec', { name: 'rflo', alpha: 1, B: mat(2, 1) }), InputError, /alpha = 1/],
  ['createRule', 'spec = null', call('createRule', null), InputError, /rule|spec/],
  ['ruleFromName', 'an unknown name', call('ruleFromName', 'hebb'), InputError, /"hebb"/],
  ['streamSequence', 'rule not a LearningRule', call('streamSequence', { name: 'bptt' }, net, mat(3, 1), mat(3, 1)), InputError, /^streamSequence: rule = \{"name":"bptt"\}: must be a LearningRule/],
  ['streamSequence', 'x = null', call('streamSequence', polelab.createRule({ name: 'rtrl' }), net, null, mat(3, 1)), InputError, /^streamSequence: x = null/],
  ['lossWeights', 'steps = 0', call('lossWeights', 'terminal', 0), InputError, /^lossWeights: steps = 0: must be an integer >= 1/],
  ['lossWeights', 'loss = "l2"', call('lossWeights', 'l2', 3), InputError, /^lossWeights: loss = "l2"/],
  ['asBatch', 'a SeqBatch instead of a matrix', call('asBatch', x1), ShapeError, /^asBatch: m has rows = undefined/],
  ['expectedUpdate', 'T = 0', call('expectedUpdate', { name: 'bptt' }, net, net, 0), InputError, /^expected-update: T = 0: must be an integer >= 1/],
  ['expectedUpdate', 'T = 10⁹', call('expectedUpdate', { name: 'bptt' }, net, net, 1e9), InputError, /^expected-update: T = 1000000000: must be <= 100000/],
  ['expectedUpdate', 'teacher = null', call('expectedUpdate', { name: 'bptt' }, net, null, 3), InputError, /^expected-update: teacher = null: must be an object \{W, U, V\}/],
  ['expectedUpdate', 'leakRate = 0', call('expectedUpdate', { name: 'bptt' }, net, net, 3, { leakRate: 0 }), InputError, /^expected-update: leakRate = 0: must be a number in \(0, 1\]/],
  ['expectedUpdate', 'bias of the wrong length', call('expectedUpdate', { name: 'bptt' }, { ...net, b: new Float64Array(3) }, net, 3), ShapeError, /^expected-update: b has length 3: expected N = 2/],
  ['expectedLoss', 'V without the input columns', call('expectedLoss', net, net, 3, { readoutFeatures: 'state+input' }), ShapeError, /^expected-loss: V is 1×2, expected F = N \+ I = 2 \+ 1 = 3 columns/],
  ['expectedLoss', 'params = "x"', call('expectedLoss', 'x', net, 3), InputError, /^expected-loss: params = "x"/],
  ['expectedLoss', 'teacher.U with different I', call('expectedLoss', net, { ...net, U: mat(2, 2) }, 3), ShapeError, /^expected-loss: teacher.U has 2 columns, U has 1/],
  ['expectedLoss', 'an overflowing loss', call('expectedLoss', net, { ...net, V: fromRows([[1e308, 1e308]]) }, 3), NumericalError, /^expected-loss: the expected loss overflowed/],
  ['modeRhs', 'w = 1 with T = "inf"', call('modeRhs', { name: 'bptt' }, [1, 1, 1], [0.5, 1, 1]), InputError, /^modeRhs: student\[0\] = w = 1: T = "inf" needs \|w\| < 1/],
  ['modeField', 'alpha = 1', call('modeField', { name: 'rflo', alpha: 1, b: 1 }, [0.5, 1, 1]), InputError, /^modeField: alpha = 1: must be in \[0, 1\)/],
  ['modeFieldGrid', 'a NaN grid value', call('modeFieldGrid', { name: 'bptt' }, [0.5, 1, 1], [0, NaN], [1], 1), InputError, /^modeFieldGrid: wValues\[1\] = NaN: must be a finite number/],
  ['modeLoss', 'student of length 2', call('modeLoss', [1, 2], [0.5, 1, 1]), InputError, /^modeLoss: student has length 2: must be \[w, u, v\]/],
  ['modeJacobian', 'w* = 1', call('modeJacobian', { name: 'bptt' }, [0.5, 1, 1], [1, 1, 1]), InputError, /^modeJacobian: teacher\[0\] = w\* = 1: the T = "inf" field needs \|w\*\| < 1/],
  ['modeJacobianField', 'tau = 1.5', call('modeJacobianField', { name: 'tbptt', tau: 1.5 }, [0.5, 1, 1]), InputError, /^modeJacobian: tau = 1.5: must be an integer >= 1/],
  ['jacobianEigenvalues', 'a plain array', call('jacobianEigenvalues', [1, 2, 3]), InputError, /^jacobianEigenvalues: J = \[1,2,3\]: must be a Float64Array\(9\)/],
  ['manifoldPoint', 'sigma = 0', call('manifoldPoint', [0.5, 1, 1], { kind: 'optimal', sigma: 0 }), InputError, /^manifoldPoint: sigma = 0: must be a finite nonzero number/],
  ['manifoldEigenvalues', 'RFLO on the non-optimal line', call('manifoldEigenvalues', { name: 'rflo', alpha: 0.5, b: 1 }, [0.5, 1, 1], { kind: 'nonoptimal', w: 0 }), InputError, /^manifoldEigenvalues: manifold = "nonoptimal": rule "rflo" has no fixed points/],
  ['manifoldEigenField', 'teacher = null', call('manifoldEigenField', { name: 'bptt' }, null, 'optimal'), InputError, /^manifoldEigenvalues: teacher = null: must be an array \[w, u, v\]/],
  ['optimalPQ', 'tBPTT with tau = 2', call('optimalPQ', { name: 'tbptt', tau: 2 }, [0.5, 1, 1], 1), InputError, /^optimalPQ: rule = .*closed forms exist for "bptt", "tbptt" with tau = 1 and "rflo"/],
  ['integrateOde', 'tEnd before t0', call('integrateOde', (_t: number, y: Float64Array, d: Float64Array) => { d[0] = y[0]!; }, [1], 0, -1), InputError, /^integrateOde: tEnd = -1: must be a finite number > t0 = 0/],
  ['integrateMode', 'start with |w| >= 1', call('integrateMode', { name: 'bptt' }, [1, 1, 1], [0.5, 1, 1], 1), InputError, /^integrateMode: student\[0\] = w = 1: T = "inf" needs \|w\| < 1/],
  ['steinSolve', 'Q of the wrong shape', call('steinSolve', A2, A23), ShapeError, /^steinSolve: Q is 2×3, expected 2×2/],
  ['steinSolve', 'spectral radius ≥ 1', call('steinSolve', fromRows([[2]]), fromRows([[1]])), InputError, /spectral radius of A must be < 1/],
  ['poleLossAndGradient', 'model = {}', call('poleLossAndGradient', {}, x1, y1), InputError, /^poleLossAndGradient: kind = undefined: must be one of "polar", "lru", "cartesian"/],
  ['poleForward', 'x with the wrong dim', call('poleForward', poleModel, { ...x1, dim: 3, data: new Float64Array(9) }, 'real'), ShapeError, /^poleForward: x has 3 input columns, expected I = 1/],
  ['poleValues', 'theta a plain array', call('poleValues', { ...poleModel, theta: [1, 2] }), InputError, /^poleValues: theta = \[1,2\]: must be a Float64Array/],
  ['poleLeaves', 'model = null', call('poleLeaves', null), InputError, /^poleLeaves: model = null: must be a PoleModel/],
  ['poleGradLeaves', 'g = undefined', call('poleGradLeaves', poleModel, undefined), InputError, /^poleGradLeaves: g = undefined: must be a PoleGradient/],
  ['poleFromLeaves', 'a missing leaf', call('poleFromLeaves', poleModel, { r: new Float64Array(2) }), InputError, /^poleFromLeaves: leaves.theta = undefined: must be a Float64Array/],
  ['initPoleModel', 'n = 0', call('initPoleModel', rng, { kind: 'polar', n: 0, nIn: 1, nOut: 1 }), InputError, /^initPoleModel: n = 0: must be an integer >= 1/],
  ['initPoleModel', 'rMax = 1', call('initPoleModel', rng, { kind: 'polar', n: 2, nIn: 1, nOut: 1, rMax: 1 }), InputError, /rMax = 1/],
  ['sgd', 'lr = 0', call('sgd', { lr: 0 }), InputError, /^sgd: lr = 0: must be a finite number > 0/],
  ['sgd', 'options missing', call('sgd'), InputError, /^sgd: options = undefined: must be an object/],
  ['momentum', 'beta = 1', call('momentum', { lr: 1, beta: 1 }), InputError, /beta = 1/],
  ['adam', 'weightDecay = -1', call('adam', { lr: 1, weightDecay: -1 }), InputError, /^adam: weightDecay = -1/],
  ['createOptimizer', 'name = "rmsprop"', call('createOptimizer', { name: 'rmsprop', lr: 1 }), InputError, /^optimizer = "rmsprop": must be one of "sgd", "momentum", "adam"/],
  ['createOptimizer', 'spec = null', call('createOptimizer', null), InputError, /^optimizer: spec = null: must be an object/],
  ['applyUpdates', 'an update for an unknown leaf', call('applyUpdates', { W: new Float64Array(2) }, { Q: new Float64Array(2) }), InputError, /^applyUpdates: update for unknown leaf "Q"/],
  ['applyUpdates', 'lengths differ', call('applyUpdates', { W: new Float64Array(2) }, { W: new Float64Array(3) }), ShapeError, /^applyUpdates: update "W" has length 3, the parameter has 2/],
  ['applyUpdates', 'a leaf that is a plain array', call('applyUpdates', { W: [1, 2] }, {}), InputError, /^applyUpdates: params.W = \[1,2\]: must be a Float64Array/],
  ['clipByGlobalNorm', 'maxNorm = 0', call('clipByGlobalNorm', { W: new Float64Array(2) }, 0), InputError, /^clipByGlobalNorm: maxNorm = 0: must be a finite number > 0/],
  ['globalNorm', 'g = null', call('globalNorm', null), InputError, /^globalNorm: g = null: must be a record of Float64Array leaves/],
  ['paramLeaves', 'p = null', call('paramLeaves', null, undefined), InputError, /^paramLeaves: p = null: must be an object \{W, U, V\}/],
  ['train', 'epochs = 0', call('train', net, { x: x1, y: y1 }, { x: x1, y: y1 }, { epochs: 0, batchSize: 1, rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 1 } }, rng), InputError, /epochs = 0/],
  ['train', 'rng missing', call('train', net, { x: x1, y: y1 }, { x: x1, y: y1 }, { epochs: 1, batchSize: 1, rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 1 } }), InputError, /^train: rng = undefined: must be an Rng/],
  ['whiteNoise', 'steps = 2.5', call('whiteNoise', rng, 1, 2.5, 1), InputError, /^whiteNoise: steps = 2.5/],
  ['randomOrthogonal', 'n = 0', call('randomOrthogonal', rng, 0), InputError, /^randomOrthogonal: n = 0/],
  ['randomNetwork', 'n = -1', call('randomNetwork', rng, { n: -1, nIn: 1, nOut: 1 }), InputError, /^randomNetwork: n = -1/],
  ['randomNetwork', 'rng = null', call('randomNetwork', null, { n: 2, nIn: 1, nOut: 1 }), InputError, /^randomNetwork: rng = null: must be an Rng/],
  ['randomTeacher', 'options missing', call('randomTeacher', rng), InputError, /^randomNetwork: options = undefined: must be an object/],
  ['alignedNetwork', 'spec = null', call('alignedNetwork', null), InputError, /^alignedNetwork: spec = null: must be an object \{P, R, L, w, u, v\}/],
  ['alignedTeacher', 'P not square', call('alignedTeacher', { P: A23, R: A2, L: A2, w: [1, 1], u: [1, 1], v: [1, 1] }), ShapeError, /^alignedNetwork: P is 2×3, expected square/],
  ['alignedStudent', 'w a number', call('alignedStudent', { P: A2, R: A2, L: A2, w: 1, u: [1], v: [1] }), InputError, /^alignedNetwork: w = 1: must be an array of numbers/],
  ['alignedFeedback', 'b of the wrong length', call('alignedFeedback', A2, A2, [1]), ShapeError, /^alignedFeedback: b has length 1, expected min\(N, O\) = 2/],
  ['teacherOutputs', 'a complex teacher', call('teacherOutputs', { ...net, W: C2 }, x1), InputError, /^teacherOutputs: teacher.W is complex/],
  ['teacherOutputs', 'activation = "relu"', call('teacherOutputs', net, x1, 'relu'), InputError, /^teacherOutputs: activation = "relu"/],
  ['makeDataset', 'count = 0', call('makeDataset', net, rng, 0, 3), InputError, /^makeDataset: count = 0: must be an integer >= 1/],
  ['studentTeacherTask', 'teacher options missing', call('studentTeacherTask', rng, {}), InputError, /^studentTeacherTask: teacher = undefined: must be teacher options/],
  ['estimateModes', 'B of the wrong shape', call('estimateModes', net, { B: A2 }), ShapeError, /^estimateModes: B is 2×2, expected N×O = 2×1/],
  ['alignments', 'nTeacher = 0', call('alignments', net, { nTeacher: 0 }), InputError, /^alignments: nTeacher = 0: must be an integer in \[1, 2\]/],
  ['alignmentScore', 'NaN entry', call('alignmentScore', NaN2), InputError, /^alignmentScore: M.data\[1\] \(row 0, col 1\) = NaN/],
  ['modeTheoryError', 'n0 past the last checkpoint', call('modeTheoryError', [{ time: 0, w: [0.5], u: [1], v: [1] }], 1, 0, () => ({ name: 'bptt' }), [0.5, 1, 1]), InputError, /^modeTheoryError: n0 = 1: must be an integer checkpoint index in \[0, 0\]/],
  ['lowRankChange', 'shapes differ', call('lowRankChange', A2, A23), ShapeError, /^lowRankChange: after is 2×3, expected the shape of before \(2×2\)/],

  // backends and the compute API
  ['backendByName', 'an unknown backend', call('backendByName', 'gpu'), InputError, /^backendByName: name = "gpu": unknown backend; available: js, wasm/],
  ['backendByName', 'a number', call('backendByName', 3), InputError, /^backendByName: name = 3: unknown backend/],
  ['eigh', 'backend given by name', call('eigh', A2, { backend: 'js' }), InputError, /^eigh: backend = "js": must be a Backend \(jsBackend, wasmBackend\(\), backendByName\(name\)\)/],
];

/**
 * Exported functions not in the table, and why: classes and error helpers (constructors; inputError throws by
 * design), type predicates and backend queries without arguments that can be wrong, `step` (the documented
 * per-time-step fast path: only lengths are checked; validate the network once with validateRnn), and runRequest
 * (it never throws: test/compute-fuzz.test.ts sweeps its bad inputs).
 */
const SKIPPED: Readonly<Record<string, string>> = {
  signMatchedDistance: 'a pure distance of plain numbers (NaN in, NaN out); modeTheoryError checks its inputs',
  InputError: 'error class', NumericalError: 'error class', PolelabError: 'error class', ShapeError: 'error class', Rng: 'class (createRng is tested)',
  describeValue: 'renders any value (never throws)', inputError: 'throws an InputError by design',
  isCMat: 'type predicate (no validation by design)', isCSeqBatch: 'type predicate (no validation by design)',
  defaultBackend: 'no arguments', availableBackends: 'no arguments', wasmBackend: 'no arguments', wasmSimdAvailable: 'no arguments',
  releaseLearningWorkspace: 'no arguments',
  step: 'per-time-step fast path, documented as unchecked apart from lengths',
  runRequest: 'never throws: bad requests are swept by test/compute-fuzz.test.ts',
};

describe('bad inputs to the public library give InputError/ShapeError/NumericalError naming the argument', () => {
  it('every exported function is in the table or in SKIPPED (with a reason)', () => {
    const exported = Object.entries(polelab).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    const covered = new Set([...ROWS.map((r) => r[0]), ...Object.keys(SKIPPED)]);
    expect(exported.filter((k) => !covered.has(k))).toEqual([]);
    expect([...covered].filter((k) => !exported.includes(k))).toEqual([]);
  });

  for (const [fn, label, f, cls, re] of ROWS) {
    it(`${fn}: ${label}`, () => {
      let err: unknown = null;
      let out: unknown;
      try {
        out = f();
      } catch (e) {
        err = e;
      }
      expect(err, `returned ${String(out)} instead of throwing`).not.toBeNull();
      expect(err, `${(err as Error).name}: ${(err as Error).message}`).toBeInstanceOf(cls);
      if (cls === InputError) expect(err, 'an InputError row must not be a ShapeError (list ShapeError instead)').not.toBeInstanceOf(ShapeError);
      expect((err as Error).message).toMatch(re);
    });
  }
});

