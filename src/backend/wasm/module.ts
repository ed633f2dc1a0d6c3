// Compilation and instantiation of the one WebAssembly module (asm/, built into kernels.generated.ts) and its export types.
import { kernelsWasmBase64 } from './kernels.generated.js';

/**
 * Every export of the module, for every family (blas, rollout, readout, learning, linalg). Byte offsets into linear
 * memory are plain numbers; flags are 0/1. See asm/ for each contract.
 */
export interface KernelExports {
  // blas, rollout and readout families (asm/blas/, asm/rollout/, asm/readout/, asm/common/vec.ts)
  heapBase(): number;
  gemmWorkSize(m: number, n: number, k: number, parts: number): number;
  gemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, b: number,
    beta: number, c: number, work: number): void;
  zgemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number, aRe: number, aIm: number,
    bRe: number, bIm: number, beta: number, cRe: number, cIm: number, work: number): void;
  rolloutPackedSize(n: number, nIn: number): number;
  rolloutStepSize(n: number, nIn: number): number;
  rolloutPack(n: number, nIn: number, W: number, U: number, bias: number, wp: number): void;
  rolloutRun(n: number, nIn: number, wp: number, leak: number, tanh: number, steps: number, x: number, z: number,
    states: number): void;
  rolloutComplexPackedSize(n: number, nIn: number): number;
  rolloutComplexPack(n: number, nIn: number, Wre: number, Wim: number, Ure: number, Uim: number, bRe: number,
    bIm: number, wp: number): void;
  rolloutComplexRun(n: number, nIn: number, wp: number, leak: number, steps: number, xRe: number, xIm: number,
    zRe: number, zIm: number, sRe: number, sIm: number): void;
  gramWorkSize(n: number, o: number): number;
  gramAccumulate(n: number, o: number, rows: number, H: number, Y: number, hth: number, hty: number, hSum: number,
    ySum: number, work: number): void;
  gramComplexWorkSize(n: number, o: number): number;
  gramAccumulateComplex(n: number, o: number, rows: number, Hre: number, Him: number, Yre: number, Yim: number,
    hthRe: number, hthIm: number, htyRe: number, htyIm: number, hSumRe: number, hSumIm: number, ySumRe: number,
    ySumIm: number, work: number): void;
  matVec(n: number, P: number, h: number, ph: number): void;
  rlsRun(n: number, o: number, steps: number, H: number, Y: number, hNext: number, lambda: number, P: number,
    W: number, pred: number, ph: number, work: number): void;
  matVecComplex(n: number, Pre: number, Pim: number, hRe: number, hIm: number, phRe: number, phIm: number): void;
  rlsComplexRun(n: number, o: number, steps: number, Hre: number, Him: number, Yre: number, Yim: number,
    hNextRe: number, hNextIm: number, lambda: number, Pre: number, Pim: number, Wre: number, Wim: number,
    predRe: number, predIm: number, ph: number, work: number): void;
  mirrorUpper(a: number, n: number): void;
  mirrorHermitian(re: number, im: number, n: number): void;
  // learning family (asm/learning/)
  forwardSlotSize(n: number, nIn: number): number;
  bpttSeqsWorkSize(n: number, nOut: number): number;
  pairPackedSize(n: number, depth: number): number;
  forwardPairPack(n: number, nIn: number, W: number, U: number, wp: number): void;
  bpttPairPack(n: number, nOut: number, W: number, V: number, wp: number): void;
  forwardSeqs(n: number, nIn: number, nOut: number, wp8: number, wp12: number, tanh: number, seqs: number, rows: number,
    start: number, h0: number, x: number, z: number, H: number, V: number, Y: number, bias: number, leak: number, Phi: number): void;
  bpttSeqs(n: number, nIn: number, nOut: number, wp: number, tanh: number, seqs: number, rows: number, from: number,
    H: number, x: number, Gy: number, h0: number, G: number, z: number, gW: number, gU: number, leak: number, Phi: number,
    gb: number, ones: number): void;
  gemmTN(m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void;
  learnOutputs(n: number, nOut: number, rows: number, V: number, H: number, Y: number): void;
  learnOutputsComplex(n: number, nOut: number, rows: number, Vr: number, Vi: number, Hr: number, Hi: number, Yr: number, Yi: number): void;
  bpttPackedSize(nn: number, no: number): number;
  bpttStepSize(nn: number, no: number): number;
  bpttPack(n: number, nOut: number, W: number, V: number, wp: number): void;
  bpttPackComplex(n: number, nOut: number, Wr: number, Wi: number, Vr: number, Vi: number, tmp: number, wp: number): void;
  bpttFull(nn: number, no: number, wp: number, rows: number, from: number, gyA: number, gyB: number, sg: number, G: number, z: number,
    leak: number, dl: number): void;
  bpttTruncated(nn: number, no: number, wp: number, rows: number, from: number, tau: number, gyA: number, gyB: number, sg: number,
    G: number, z: number, leak: number, dl: number): void;
  rtrlStateSize(R: number, P: number): number;
  rtrlPackedSize(R: number): number;
  rtrlPackW(n: number, Wr: number, Wi: number, tmp: number, wa: number): void;
  rtrlPackState(R: number, P: number, src: number, dst: number): void;
  rtrlUnpackState(R: number, P: number, src: number, dst: number): void;
  rtrlCoeffs(n: number, nOut: number, rows: number, Vr: number, Vi: number, gyr: number, gyi: number, C1: number, C2: number): void;
  rtrlRun(R: number, n: number, P: number, m: number, wa: number, s0: number, s1: number, steps: number, from: number, vRe: number,
    vIm: number, sg: number, C1: number, C2: number, g1: number, g2: number, leak: number): number;
  eligChunk(n: number, nIn: number, nOut: number, steps: number, from: number, d: number, F: number, tanh: number, hp: number,
    x: number, Gy: number, pW: number, gW: number, pU: number, gU: number, Ft: number, R: number, Q: number, rho: number,
    pi: number, a: number, e: number, sg: number, scale: number, pb: number, gb: number, ones: number): void;
  // linalg family (asm/linalg/)
  tridiagLower(n: number, a: number, scale: number, d: number, e: number, taus: number, work: number): void;
  gemmAccWorkSize(m: number, n: number, k: number): number;
  rotateSweepsT(n: number, rows: number, zt: number, ldz: number, rot: number, nsweeps: number, work: number): void;
  transposeSquare(n: number, x: number): void;
  transposeInto(rows: number, cols: number, src: number, lds: number, dst: number, ldd: number): void;
  setIdentity(n: number, ld: number, x: number): void;
  applyQWorkSize(m: number, p: number): number;
  applyQ(m: number, ldf: number, k: number, f: number, tau: number, c: number, ldc: number, p: number, adjoint: number,
    formQ: number, work: number): void;
  qrFactorWorkSize(m: number, n: number): number;
  qrFactor(m: number, n: number, a: number, tau: number, work: number): void;
  hessenbergReduce(n: number, h: number, taus: number, work: number): void;
  zeroBelowSubdiagonal(n: number, h: number): void;
  bidiagReduce(m: number, n: number, a: number, d: number, e: number, tauq: number, taup: number, work: number): void;
  gatherColumns(rows: number, src: number, lds: number, idx: number, k: number, dst: number, ldd: number): void;
  rotateColumnPair(rows: number, q: number, ld: number, a: number, b: number, c: number, s: number): void;
  hqrReduce(n: number, ld: number, h: number, z: number, wr: number, wi: number, work: number): number;
  copyBlock(rows: number, cols: number, src: number, lds: number, dst: number, ldd: number): void;
  tqlValues(n: number, d: number, e: number, maxIter: number): number;
  gemmAcc(transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, lda: number,
    b: number, ldb: number, c: number, ldc: number, work: number): void;
}

/** The smallest module using a 128-bit SIMD instruction: () → v128 = f64x2.splat(0.0). */
function simdProbe(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () → v128
    0x03, 0x02, 0x01, 0x00, // function section
    0x0a, 0x0f, 0x01, 0x0d, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd, 0x14, 0x0b, // f64.const 0; f64x2.splat; end
  ]);
}

/** True when this engine has WebAssembly with fixed-width (128-bit) SIMD. */
export function wasmSimdAvailable(): boolean {
  const g = globalThis as { WebAssembly?: typeof WebAssembly };
  if (g.WebAssembly === undefined || typeof g.WebAssembly.validate !== 'function') return false;
  try {
    return g.WebAssembly.validate(simdProbe());
  } catch {
    return false;
  }
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Names the generated module must export as functions (a stale build fails this check, not a call). */
const FUNCTIONS: readonly (keyof KernelExports)[] = [
  'heapBase', 'gemmWorkSize', 'gemm', 'zgemm', 'rolloutPackedSize', 'rolloutStepSize', 'rolloutPack', 'rolloutRun',
  'rolloutComplexPackedSize', 'rolloutComplexPack', 'rolloutComplexRun', 'gramWorkSize', 'gramAccumulate',
  'gramComplexWorkSize', 'gramAccumulateComplex', 'matVec', 'rlsRun', 'matVecComplex', 'rlsComplexRun',
  'mirrorUpper', 'mirrorHermitian',
  'forwardSlotSize', 'bpttSeqsWorkSize', 'pairPackedSize', 'forwardPairPack', 'bpttPairPack', 'forwardSeqs', 'bpttSeqs',
  'gemmTN', 'learnOutputs', 'learnOutputsComplex', 'bpttPackedSize', 'bpttStepSize', 'bpttPack', 'bpttPackComplex', 'bpttFull',
  'bpttTruncated', 'rtrlStateSize', 'rtrlPackedSize', 'rtrlPackW', 'rtrlPackState', 'rtrlUnpackState', 'rtrlCoeffs', 'rtrlRun',
  'eligChunk',
  'tridiagLower', 'gemmAccWorkSize', 'gemmAcc', 'rotateSweepsT', 'transposeSquare', 'transposeInto', 'setIdentity',
  'applyQWorkSize', 'applyQ', 'qrFactorWorkSize', 'qrFactor', 'hessenbergReduce', 'zeroBelowSubdiagonal',
  'bidiagReduce', 'gatherColumns', 'rotateColumnPair', 'hqrReduce', 'copyBlock', 'tqlValues',
];

function isKernelExports(e: WebAssembly.Exports): e is WebAssembly.Exports & KernelExports {
  return FUNCTIONS.every((name) => typeof e[name] === 'function');
}

/**
 * Compiles the kernels synchronously (`new WebAssembly.Module`); null when WebAssembly SIMD is unavailable
 * or compilation fails.
 *
 * Node compiles modules of any size synchronously. Browsers may refuse synchronous compilation of all but
 * small modules on the main thread (Chrome's limit was 4 KB for a long time; this module is about 42 KB);
 * in a browser, run polelab in a Worker, where synchronous compilation of any size is allowed.
 */
export function compileKernels(): WebAssembly.Module | null {
  if (!wasmSimdAvailable()) return null;
  try {
    return new WebAssembly.Module(decodeBase64(kernelsWasmBase64));
  } catch {
    return null;
  }
}

/** Instantiates the compiled kernels on `memory` (imported as env.memory); null if that fails or an export is missing. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports | null {
  try {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    return isKernelExports(exports) ? exports : null;
  } catch {
    return null;
  }
}
