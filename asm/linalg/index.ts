// WebAssembly kernels of the dense decompositions (reductions, blocked QR, QR iterations, D&C merges): see src/linalg/.
export { tridiagLower } from './tridiag';
export { gemmAcc, gemmAccWorkSize } from './gemm';
export { rotateSweepsT, transposeSquare, transposeInto, setIdentity } from './rot';
export { applyQ, applyQWorkSize, qrFactor, qrFactorWorkSize } from './wy';
export { hessenbergReduce, zeroBelowSubdiagonal } from './hess';
export { bidiagReduce } from './bidiag';
export { gatherColumns, rotateColumnPair, copyBlock } from './dc';
export { hqrReduce } from './hqr';
export { tqlValues } from './tql';
