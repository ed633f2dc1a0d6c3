// The register-blocked microkernel (MR × NR = 4 × 4 tile, eight f64x2 accumulators) and the macro-kernel
// that sweeps it over packed panels. Every product in the module (gemm, zgemm, Gram statistics) runs here.
//
// With a_p = packed A panel position p (MR values) and b_p = packed B panel position p (NR values),
// the tile computes C += alpha · Σ_p a_p b_pᵀ, a sum of outer products (panel layout: panel.ts).

import { madd } from './vec';

export const MR: i32 = 4;
export const NR: i32 = 4;

/** Spill area for tiles cut by the matrix edge. */
const edge: usize = memory.data(MR * NR * 8, 16);

/** C[r, 0..4) += alpha·(lo, hi) for one full tile row. */
@inline function addRow(c: usize, lo: v128, hi: v128, alpha: v128): void {
  v128.store(c, madd(v128.load(c), alpha, lo));
  v128.store(c, madd(v128.load(c, 16), alpha, hi), 16);
}

/** C[r, 0..4) = alpha·(lo, hi) for one full tile row. */
@inline function storeRow(c: usize, lo: v128, hi: v128, alpha: v128): void {
  v128.store(c, f64x2.mul(alpha, lo));
  v128.store(c, f64x2.mul(alpha, hi), 16);
}

/**
 * The one 4 × 4 microkernel, on strided operands: C[0..mr) × [0..nr) (+)= alpha · Σ_{p < kc} a_p b_pᵀ, where a_p is
 * the 4 doubles at a + p·lda and b_p the 4 doubles at b + p·ldb (strides in bytes); C row-major with leading
 * dimension ldc (doubles). `add` true accumulates into C, false overwrites it (no zeroing pass). Packed panels
 * ({@link tile}), the learning kernels' in-place time-row products and RTRL's packed sensitivities all run here.
 */
@inline export function tileStrided(kc: i32, a: usize, lda: usize, b: usize, ldb: usize, alpha: f64, c: usize, ldc: i32,
  mr: i32, nr: i32, add: bool): void {
  let c00 = f64x2.splat(0.0), c01 = c00, c10 = c00, c11 = c00;
  let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const a0 = v128.load64_splat(a), a1 = v128.load64_splat(a, 8);
    c00 = madd(c00, a0, b0);
    c01 = madd(c01, a0, b1);
    c10 = madd(c10, a1, b0);
    c11 = madd(c11, a1, b1);
    const a2 = v128.load64_splat(a, 16), a3 = v128.load64_splat(a, 24);
    c20 = madd(c20, a2, b0);
    c21 = madd(c21, a2, b1);
    c30 = madd(c30, a3, b0);
    c31 = madd(c31, a3, b1);
    a += lda;
    b += ldb;
  }
  const al = f64x2.splat(alpha);
  const ld = <usize>ldc << 3;
  if (mr == MR && nr == NR) {
    if (add) {
      addRow(c, c00, c01, al);
      addRow(c + ld, c10, c11, al);
      addRow(c + 2 * ld, c20, c21, al);
      addRow(c + 3 * ld, c30, c31, al);
    } else {
      storeRow(c, c00, c01, al);
      storeRow(c + ld, c10, c11, al);
      storeRow(c + 2 * ld, c20, c21, al);
      storeRow(c + 3 * ld, c30, c31, al);
    }
    return;
  }
  v128.store(edge, f64x2.mul(al, c00));
  v128.store(edge, f64x2.mul(al, c01), 16);
  v128.store(edge, f64x2.mul(al, c10), 32);
  v128.store(edge, f64x2.mul(al, c11), 48);
  v128.store(edge, f64x2.mul(al, c20), 64);
  v128.store(edge, f64x2.mul(al, c21), 80);
  v128.store(edge, f64x2.mul(al, c30), 96);
  v128.store(edge, f64x2.mul(al, c31), 112);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * ld;
    for (let j = 0; j < nr; j++) {
      const q = row + (<usize>j << 3);
      const v = load<f64>(edge + (<usize>(i * NR + j) << 3));
      store<f64>(q, add ? load<f64>(q) + v : v);
    }
  }
}

/**
 * C[0..mr) × [0..nr) += alpha · Σ_{p < kc} a_p b_pᵀ, C row-major with leading dimension ldc (doubles).
 * a, b: packed panels (kc positions of MR, resp. NR doubles); mr ≤ MR, nr ≤ NR trim the tile at edges.
 */
export function tile(kc: i32, a: usize, b: usize, alpha: f64, c: usize, ldc: i32, mr: i32, nr: i32): void {
  tileStrided(kc, a, MR << 3, b, NR << 3, alpha, c, ldc, mr, nr, true);
}

/**
 * C (mc × nc, leading dimension ldc) += alpha · Ã B̃ where Ã is ⌈mc/MR⌉ packed MR-row panels and B̃ is
 * ⌈nc/NR⌉ packed NR-column panels, all of depth kc. B panels outer: one stays in L1 while A streams.
 */
export function macroTile(mc: i32, nc: i32, kc: i32, ap: usize, bp: usize, alpha: f64, c: usize, ldc: i32): void {
  for (let j = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    const bj = bp + (<usize>(j * kc) << 3);
    for (let i = 0; i < mc; i += MR) {
      tile(kc, ap + (<usize>(i * kc) << 3), bj, alpha, c + (<usize>(i * ldc + j) << 3), ldc, min(MR, mc - i), nr);
    }
  }
}

/**
 * Upper block triangle of a symmetric product: C (n × n) += alpha · Ã B̃ on every tile (I, J) with J ≥ I
 * (tiles straddling the diagonal are computed whole; the caller mirrors the strict upper triangle).
 */
export function upperTiles(n: i32, kc: i32, ap: usize, bp: usize, alpha: f64, c: usize): void {
  for (let i = 0; i < n; i += MR) {
    const mr = min(MR, n - i);
    const ai = ap + (<usize>(i * kc) << 3);
    for (let j = i; j < n; j += NR) {
      tile(kc, ai, bp + (<usize>(j * kc) << 3), alpha, c + (<usize>(i * n + j) << 3), n, mr, min(NR, n - j));
    }
  }
}
