// WebAssembly side of the dense decompositions: the raw export signatures (asm/linalg*.ts) and a private arena.
//
// The decompositions keep their working matrices in linear memory for a whole factorisation (a matrix is copied
// in once and its factors copied out once), so they use their own Runtime on the kernels module rather than the
// per-call arena of src/kernels/wasm/index.ts. The memory is replaced, never grown (see runtime.ts). The path is
// taken only when the active kernels are the WebAssembly ones (`kernels().name === 'wasm'`); with
// POLELAB_BACKEND=js every decomposition runs its pure-JS reference code.
import { kernels } from '../kernels/backend.js';
import { compileKernels } from '../kernels/wasm/module.js';
import { Runtime } from '../kernels/wasm/runtime.js';

declare module '../kernels/wasm/module.js' {
  interface KernelExports {
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
}

/** Exports the decompositions call; a stale module without them disables the WebAssembly path. */
const LINALG_FUNCTIONS = [
  'tridiagLower', 'gemmAccWorkSize', 'gemmAcc', 'rotateSweepsT', 'transposeSquare', 'transposeInto', 'setIdentity',
  'applyQWorkSize', 'applyQ', 'qrFactorWorkSize', 'qrFactor', 'hessenbergReduce', 'zeroBelowSubdiagonal',
  'bidiagReduce', 'gatherColumns', 'rotateColumnPair', 'hqrReduce', 'copyBlock', 'tqlValues',
] as const;

let runtime: Runtime | null | undefined;

/**
 * The decompositions' arena, or null when the active kernels are not the WebAssembly ones (or the module
 * cannot be compiled here, or lacks the linalg exports). Created on first use and shared afterwards.
 */
export function linalgWasm(): Runtime | null {
  if (kernels().name !== 'wasm') return null;
  if (runtime === undefined) {
    const module = compileKernels();
    const rt = module === null ? null : Runtime.create(module);
    runtime = rt !== null && LINALG_FUNCTIONS.every((f) => typeof rt.sizes[f] === 'function') ? rt : null;
  }
  return runtime;
}
