// Batched plane rotations for the QL/QR iterations with vectors (LAPACK dlasr, variable pivot, either direction).
//
// A batch is a list of sweeps. A sweep is stored as doubles [first, last, c, s, c, s, …]: rotations in the planes
// (i, i+1) for i = first, first ± 1, …, last (descending when first > last), in that order, each acting on the
// columns of a matrix Z as (z_i, z_{i+1}) ← (c·z_i − s·z_{i+1}, s·z_i + c·z_{i+1}) in every row
// (src/linalg/tridiag.ts, bdsqr.ts). The kernel holds Zᵀ, so that 8 rows of Z are 8 consecutive doubles of a
// row of Zᵀ: a chunk of 8 rows of Z is packed contiguously (n × 8 doubles, it stays in L1/L2), every sweep of
// the batch is run over it with four f64x2 chains, and it is unpacked — Z is streamed once per batch, not once
// per sweep.

import { el } from './house';

/** Rows of Z per chunk (lanes of the four f64x2 chains). */
const CW: i32 = 8;

/** Bytes of one packed chunk row. */
const ROW: usize = <usize>CW << 3;

/**
 * Applies `nsweeps` sweeps stored at `rot` to Z, held transposed: zt is n×rows (leading dimension ldz), row i of
 * zt = column i of Z. work: CW·n doubles.
 */
export function rotateSweepsT(n: i32, rows: i32, zt: usize, ldz: i32, rot: usize, nsweeps: i32, work: usize): void {
  const ld = <usize>ldz << 3;
  for (let c0 = 0; c0 < rows; c0 += CW) {
    const w = min(CW, rows - c0);
    // pack: chunk row i = zt[i, c0 .. c0+w), zero-padded to CW lanes
    let src = zt + (<usize>c0 << 3), dst = work;
    if (w == CW) {
      for (let i = 0; i < n; i++, src += ld, dst += ROW) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        v128.store(dst, v128.load(src, 32), 32);
        v128.store(dst, v128.load(src, 48), 48);
      }
    } else {
      memory.fill(work, 0, <usize>(n * CW) << 3);
      for (let i = 0; i < n; i++, src += ld, dst += ROW) memory.copy(dst, src, <usize>w << 3);
    }
    let r = rot;
    for (let s = 0; s < nsweeps; s++) {
      const first = <i32>load<f64>(r), last = <i32>load<f64>(r, 8);
      r += 16;
      if (first >= last) r = backward(work, first, last, r);
      else r = forward(work, first, last, r);
    }
    // unpack
    src = work;
    dst = zt + (<usize>c0 << 3);
    if (w == CW) {
      for (let i = 0; i < n; i++, dst += ld, src += ROW) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        v128.store(dst, v128.load(src, 32), 32);
        v128.store(dst, v128.load(src, 48), 48);
      }
    } else {
      for (let i = 0; i < n; i++, dst += ld, src += ROW) memory.copy(dst, src, <usize>w << 3);
    }
  }
}

/** Planes first, first−1, …, last of the packed chunk: the new z_{i+1} is final, z_i is carried down. */
@inline function backward(work: usize, first: i32, last: i32, r: usize): usize {
  let q = work + <usize>(first + 1) * ROW;
  let k0 = v128.load(q), k1 = v128.load(q, 16), k2 = v128.load(q, 32), k3 = v128.load(q, 48);
  for (let i = first; i >= last; i--) {
    const c = v128.load64_splat(r), sn = v128.load64_splat(r, 8);
    r += 16;
    const p = q - ROW;
    const a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
    v128.store(q, f64x2.add(f64x2.mul(sn, a0), f64x2.mul(c, k0)));
    v128.store(q, f64x2.add(f64x2.mul(sn, a1), f64x2.mul(c, k1)), 16);
    v128.store(q, f64x2.add(f64x2.mul(sn, a2), f64x2.mul(c, k2)), 32);
    v128.store(q, f64x2.add(f64x2.mul(sn, a3), f64x2.mul(c, k3)), 48);
    k0 = f64x2.sub(f64x2.mul(c, a0), f64x2.mul(sn, k0));
    k1 = f64x2.sub(f64x2.mul(c, a1), f64x2.mul(sn, k1));
    k2 = f64x2.sub(f64x2.mul(c, a2), f64x2.mul(sn, k2));
    k3 = f64x2.sub(f64x2.mul(c, a3), f64x2.mul(sn, k3));
    q = p;
  }
  v128.store(q, k0);
  v128.store(q, k1, 16);
  v128.store(q, k2, 32);
  v128.store(q, k3, 48);
  return r;
}

/** Planes first, first+1, …, last of the packed chunk: the new z_i is final, z_{i+1} is carried up. */
@inline function forward(work: usize, first: i32, last: i32, r: usize): usize {
  let q = work + <usize>first * ROW;
  let k0 = v128.load(q), k1 = v128.load(q, 16), k2 = v128.load(q, 32), k3 = v128.load(q, 48);
  for (let i = first; i <= last; i++) {
    const c = v128.load64_splat(r), sn = v128.load64_splat(r, 8);
    r += 16;
    const p = q + ROW;
    const a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
    v128.store(q, f64x2.sub(f64x2.mul(c, k0), f64x2.mul(sn, a0)));
    v128.store(q, f64x2.sub(f64x2.mul(c, k1), f64x2.mul(sn, a1)), 16);
    v128.store(q, f64x2.sub(f64x2.mul(c, k2), f64x2.mul(sn, a2)), 32);
    v128.store(q, f64x2.sub(f64x2.mul(c, k3), f64x2.mul(sn, a3)), 48);
    k0 = f64x2.add(f64x2.mul(sn, k0), f64x2.mul(c, a0));
    k1 = f64x2.add(f64x2.mul(sn, k1), f64x2.mul(c, a1));
    k2 = f64x2.add(f64x2.mul(sn, k2), f64x2.mul(c, a2));
    k3 = f64x2.add(f64x2.mul(sn, k3), f64x2.mul(c, a3));
    q = p;
  }
  v128.store(q, k0);
  v128.store(q, k1, 16);
  v128.store(q, k2, 32);
  v128.store(q, k3, 48);
  return r;
}

/** Tile edge of {@link transposeInPlace} / {@link transposeInto}. */
const TB: i32 = 16;

/** In-place transpose of the n×n row-major x (byte address), in TB×TB tiles. */
export function transposeSquare(n: i32, x: usize): void {
  for (let i0 = 0; i0 < n; i0 += TB) {
    for (let j0 = i0; j0 < n; j0 += TB) {
      const iEnd = min(i0 + TB, n), jEnd = min(j0 + TB, n);
      for (let i = i0; i < iEnd; i++) {
        for (let j = max(j0, i + 1); j < jEnd; j++) {
          const p = el(x, i * n + j), q = el(x, j * n + i);
          const t = load<f64>(p);
          store<f64>(p, load<f64>(q));
          store<f64>(q, t);
        }
      }
    }
  }
}

/** dst (cols×rows, leading dimension ldd) ← srcᵀ for the rows×cols src (leading dimension lds), in tiles. */
export function transposeInto(rows: i32, cols: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  for (let i0 = 0; i0 < rows; i0 += TB) {
    for (let j0 = 0; j0 < cols; j0 += TB) {
      const iEnd = min(i0 + TB, rows), jEnd = min(j0 + TB, cols);
      for (let i = i0; i < iEnd; i++) {
        for (let j = j0; j < jEnd; j++) store<f64>(el(dst, j * ldd + i), load<f64>(el(src, i * lds + j)));
      }
    }
  }
}

/** x (n×n, leading dimension ld) ← I. */
export function setIdentity(n: i32, ld: i32, x: usize): void {
  for (let i = 0; i < n; i++) {
    const r = el(x, i * ld);
    memory.fill(r, 0, <usize>n << 3);
    store<f64>(el(r, i), 1.0);
  }
}
