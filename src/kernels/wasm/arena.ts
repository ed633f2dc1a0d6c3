// Bump allocator over the kernels' linear memory: one arena per call, grown on demand, views reused.

const PAGE = 65536;

/**
 * Per-call scratch in WebAssembly linear memory. A call does reset(), reserves every region with alloc(),
 * then commit() (which grows memory at most once and returns the Float64Array view, rebuilt only when
 * memory grew), copies inputs in, runs the kernel and copies outputs out. Offsets are bytes, 16-aligned.
 */
export class Arena {
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private top: number;
  private view: Float64Array;

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.base = base;
    this.top = base;
    this.view = new Float64Array(memory.buffer);
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

  /** Grows linear memory to cover every reservation; returns the current view of it. */
  commit(): Float64Array {
    const have = this.memory.buffer.byteLength;
    if (this.top > have) {
      const pages = Math.ceil((this.top - have) / PAGE);
      try {
        this.memory.grow(pages);
      } catch (e) {
        throw new RangeError(`wasm kernels: cannot grow linear memory to ${(this.top / 2 ** 20).toFixed(0)} MiB `
          + `(${e instanceof Error ? e.message : String(e)}); use POLELAB_BACKEND=js for problems this large`);
      }
    }
    if (this.view.buffer !== this.memory.buffer) this.view = new Float64Array(this.memory.buffer);
    return this.view;
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
