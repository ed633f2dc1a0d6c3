// WebAssembly kernels of the dense decompositions (reductions, blocked QR, QR iterations, D&C merges): see src/linalg/.
export { tridiagLower } from './linalg-tridiag';
export { gemmAcc, gemmAccWorkSize } from './linalg-gemm';
export { rotateSweepsT, transposeSquare, transposeInto, setIdentity } from './linalg-rot';
export { applyQ, applyQWorkSize, qrFactor, qrFactorWorkSize } from './linalg-wy';
export { hessenbergReduce, zeroBelowSubdiagonal } from './linalg-hess';
export { bidiagReduce } from './linalg-bidiag';
export { gatherColumns, rotateColumnPair, copyBlock } from './linalg-dc';
export { hqrReduce } from './linalg-hqr';
export { tqlValues } from './linalg-tql';
