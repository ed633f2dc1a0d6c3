// The divide-and-conquer eigenvector matrix (src/linalg/tridiag-dc.ts DcMatrix) in linear memory, products on asm/linalg/gemm.ts.
import type { KernelExports } from '../wasm/module.js';
import type { Runtime } from '../wasm/runtime.js';
import type { DcMatrix } from '../../linalg/tridiag-dc.js';

/** Doubles of scratch {@link DcMatrixWasm} needs next to Q for order n (see {@link DcMatrixWasm.reserve}). */
function scratchSizes(rt: Runtime, n: number): { p: number; u: number; w: number; idx: number; gw: number } {
  return { p: n * n, u: n * n, w: n * n, idx: n, gw: rt.sizes.gemmAccWorkSize(n, n, n) };
}

/**
 * Q (n×n) at byte address q in linear memory. Construct it with the addresses reserved by
 * {@link DcMatrixWasm.reserve} before the arena's commit(); every method works on the committed memory.
 */
export class DcMatrixWasm implements DcMatrix {
  private readonly idxBuf: Float64Array;

  private constructor(private readonly rt: Runtime, private readonly x: KernelExports, readonly n: number, readonly q: number,
    private readonly p: number, private readonly u: number, private readonly w: number, private readonly idx: number,
    private readonly gw: number) {
    this.idxBuf = new Float64Array(n);
  }

  /** Reserves the scratch (call between reset() and commit()); returns a factory to call after commit(). */
  static reserve(rt: Runtime, n: number, q: number): (x: KernelExports) => DcMatrixWasm {
    const z = scratchSizes(rt, n);
    const p = rt.alloc(z.p), u = rt.alloc(z.u), w = rt.alloc(z.w), idx = rt.alloc(z.idx), gw = rt.alloc(z.gw);
    return (x) => new DcMatrixWasm(rt, x, n, q, p, u, w, idx, gw);
  }

  setBlock(lo: number, s: number, S: Float64Array): void {
    for (let i = 0; i < s; i++) this.rt.put(this.q + 8 * ((lo + i) * this.n + lo), S, i * s, s);
  }

  getRow(r: number, c0: number, len: number, out: Float64Array, off: number): void {
    this.rt.get(this.q + 8 * (r * this.n + c0), len, out, off);
  }

  rotateColumns(lo: number, hi: number, a: number, b: number, c: number, s: number): void {
    this.x.rotateColumnPair(hi - lo, this.q + 8 * lo * this.n, this.n, a, b, c, s);
  }

  /** Puts the indices as doubles into the index scratch. */
  private putIndex(ix: Int32Array): void {
    for (let i = 0; i < ix.length; i++) this.idxBuf[i] = ix[i]!;
    this.rt.put(this.idx, this.idxBuf, 0, ix.length);
  }

  merge(lo: number, n1: number, n2: number, top: Int32Array, u1: Float64Array, bottom: Int32Array, u2: Float64Array,
    k: number, deflated: Int32Array, order: Int32Array): void {
    const { rt, x, n, q, p, u, w, idx, gw } = this;
    const s = n1 + n2, row0 = q + 8 * lo * n;
    rt.zero(w, s * s);
    if (k > 0) {
      if (top.length > 0) {
        this.putIndex(top);
        x.gatherColumns(n1, row0, n, idx, top.length, p, top.length);
        rt.put(u, u1, 0, top.length * k);
        x.gemmAcc(0, 0, n1, k, top.length, 1, p, top.length, u, k, w, s, gw);
      }
      if (bottom.length > 0) {
        this.putIndex(bottom);
        x.gatherColumns(n2, row0 + 8 * n1 * n, n, idx, bottom.length, p, bottom.length);
        rt.put(u, u2, 0, bottom.length * k);
        x.gemmAcc(0, 0, n2, k, bottom.length, 1, p, bottom.length, u, k, w + 8 * n1 * s, s, gw);
      }
    }
    if (deflated.length > 0) {
      this.putIndex(deflated);
      x.gatherColumns(s, row0, n, idx, deflated.length, w + 8 * k, s);
    }
    this.putIndex(order);
    x.gatherColumns(s, w, s, idx, s, row0 + 8 * lo, n);
  }
}
