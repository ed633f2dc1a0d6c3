// Barrel of the dense linear algebra: products, Cholesky, QR/least squares, eigen and singular value decompositions.
export * from './dense.js';
export * from './cholesky.js';
export { qr, lstsq, type QrOptions, type QrResult, type LstsqOptions, type LstsqResult } from './qr.js';
export { eigh, type EighOptions, type EighResult } from './eigh.js';
export { eig, sortEig, type EigOptions, type EigResult, type EigSortKey } from './eig.js';
export { svd, type SvdOptions, type SvdResult } from './svd.js';
export { pinv, defaultRcond, numericalRank, type PinvOptions, type PinvResult } from './pinv.js';
export { spectralRadius, condition2, eigvalsSorted, eighRange } from './spectral.js';
export {
  extremeEigenvalues, powerIteration, type MatVec, type LanczosOptions, type LanczosResult, type PowerOptions,
  type PowerResult,
} from './lanczos.js';
