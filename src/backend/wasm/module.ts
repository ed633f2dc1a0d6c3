// Instantiation of the WebAssembly kernels (asm/, built into kernels.generated.ts) and their raw export types.
import { kernelsWasmBase64 } from './kernels.generated.js';

/** Byte offsets into linear memory are plain numbers; flags are 0/1. See asm/*.ts for each contract. */
export interface KernelExports {
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
];

function isKernelExports(e: WebAssembly.Exports): e is WebAssembly.Exports & KernelExports {
  return FUNCTIONS.every((name) => typeof e[name] === 'function');
}

/**
 * Compiles the kernels synchronously (`new WebAssembly.Module`); null when WebAssembly SIMD is unavailable
 * or compilation fails.
 *
 * Node compiles modules of any size synchronously. Browsers may refuse synchronous compilation of all but
 * small modules on the main thread (Chrome's limit was 4 KB for a long time; this module is about 12 KB);
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
