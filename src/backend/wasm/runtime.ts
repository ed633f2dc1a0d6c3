// The one WebAssembly instance and its linear memory: a per-call bump arena over a memory that is replaced, never grown.
//
// Every family of the wasm backend (blas, rollout, readout, learning, linalg) runs on the same Runtime: a call
// reserves its regions, copies in, runs and copies out, and the arena holds nothing between calls, so the families
// can share it (calls never interleave: JS is single-threaded and no kernel calls another family while it runs).
//
// Growing a WebAssembly.Memory detaches its old ArrayBuffer, and V8 then adds a detach check to every typed-array
// access in optimised code for the rest of the process (measured: pure-JS eigh N = 1000 takes 1.55× as long after
// one grow). So memory is imported: when a call needs more, a larger Memory is created and the compiled module
// is instantiated again on it (≈ 0.1 ms; the arena holds nothing between calls, so nothing is copied over).
import { compileKernels, instantiateKernels, type KernelExports } from './module.js';

const PAGE = 65536;
/** First memory: 16 MiB (virtual; untouched pages cost nothing), enough for most calls. */
const INITIAL_PAGES = 256;
/** wasm32 limit: 4 GiB. */
const MAX_PAGES = 65536;

/**
 * Per-call scratch in linear memory. A call does reset(), reserves every region with alloc(), then commit()
 * (which provides memory for all reservations and returns the exports to call), copies inputs in with put(),
 * runs the kernel and copies outputs out with get(). Offsets are bytes, 16-byte aligned.
 */
export class Runtime {
  private readonly module: WebAssembly.Module;
  private exports: KernelExports;
  private view: Float64Array;
  private readonly base: number;
  private top: number;

  private constructor(module: WebAssembly.Module, exports: KernelExports, memory: WebAssembly.Memory) {
    this.module = module;
    this.exports = exports;
    this.view = new Float64Array(memory.buffer);
    this.base = exports.heapBase();
    this.top = this.base;
  }

  /** A runtime on a fresh INITIAL_PAGES memory, or null when the module does not instantiate. */
  static create(module: WebAssembly.Module): Runtime | null {
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES });
    const exports = instantiateKernels(module, memory);
    return exports === null ? null : new Runtime(module, exports, memory);
  }

  /** The exports, for the pure size queries (gemmWorkSize, …) made before commit(). */
  get sizes(): KernelExports {
    return this.exports;
  }

  /** The current linear memory (replaced, never grown: earlier buffers stay attached). */
  get buffer(): ArrayBufferLike {
    return this.view.buffer;
  }

  /** Forgets every reservation of the previous call. */
  reset(): void {
    this.top = this.base;
  }

  /** Reserves `doubles` float64 slots; returns the byte offset. Valid to touch only after commit(). */
  alloc(doubles: number): number {
    const p = this.top;
    this.top += (doubles * 8 + 15) & ~15;
    return p;
  }

  /** Makes every reservation addressable (moving to a larger memory if needed); returns the exports to call. */
  commit(): KernelExports {
    const have = this.view.buffer.byteLength;
    if (this.top > have) {
      const pages = Math.min(MAX_PAGES, Math.max(Math.ceil(this.top / PAGE), 2 * (have / PAGE)));
      let memory: WebAssembly.Memory, exports: KernelExports | null;
      try {
        if (pages * PAGE < this.top) throw new RangeError('beyond the 4 GiB of wasm32');
        memory = new WebAssembly.Memory({ initial: pages });
        exports = instantiateKernels(this.module, memory);
      } catch (e) {
        throw new RangeError(`wasm kernels: cannot provide ${(this.top / 2 ** 20).toFixed(0)} MiB of linear memory `
          + `(${e instanceof Error ? e.message : String(e)}); use POLELAB_BACKEND=js for problems this large`);
      }
      if (exports === null) throw new RangeError('wasm kernels: re-instantiation on a larger memory failed');
      this.exports = exports;
      this.view = new Float64Array(memory.buffer);
    }
    return this.exports;
  }

  /** Copies src[from .. from+len) to byte offset p (after commit()). */
  put(p: number, src: Float64Array, from: number, len: number): void {
    if (len <= 0) return;
    this.view.set(from === 0 && len === src.length ? src : src.subarray(from, from + len), p >>> 3);
  }

  /** Copies len doubles at byte offset p to dst[to .. to+len). */
  get(p: number, len: number, dst: Float64Array, to: number): void {
    if (len <= 0) return;
    const i = p >>> 3;
    dst.set(this.view.subarray(i, i + len), to);
  }

  /** Zeroes len doubles at byte offset p. */
  zero(p: number, len: number): void {
    const i = p >>> 3;
    this.view.fill(0, i, i + len);
  }
}

/**
 * Compiles the module and instantiates it on a fresh memory: the one Runtime of a wasm backend (null when
 * WebAssembly SIMD is unavailable or the module does not compile or instantiate here).
 */
export function createRuntime(): Runtime | null {
  const module = compileKernels();
  return module === null ? null : Runtime.create(module);
}

/** Target size of one chunk of sequence data (doubles): 256 KiB, comfortably inside L2. */
export const CHUNK_DOUBLES = 1 << 15;

/** Rows per chunk of a sequence whose rows hold `width` doubles (at least `min`, a multiple of `min`), at most `total`. */
export function chunkRows(width: number, total: number, min = 1): number {
  const rows = Math.max(min, Math.floor(CHUNK_DOUBLES / Math.max(1, width) / min) * min);
  return Math.max(1, Math.min(total, rows));
}
