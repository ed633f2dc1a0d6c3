// Products of the learning kernels on row-major time-by-feature blocks: C += α·AᵀB summed over time rows, Y = V H.
//
// Every gradient of a learning rule is such a sum of outer products over the steps of a window:
// gW += Σ_t g_t h_{t−1}ᵀ (BPTT), gW += Σ_t r_t h_{t−1}ᵀ (eligibility traces), gV += Σ_t Gy_t h_tᵀ. The rows of
// A (time × m) and B (time × n) are read in place (no packing): a 4 × 4 register tile takes, per time row, four
// values of A's row (splat) and four of B's row (two f64x2), as common/tile.ts does on packed panels.
// Narrow products (m ≤ 2 or n ≤ 2: readout and input-weight gradients with O, I ≤ 2) use 2 × 8 and 8 × 2 tiles
// instead, which keep every lane busy. Rows are read up to 8 values at a time, so up to 7 doubles past the last
// row of A and of B are read (never used): callers leave 8 doubles of slack after each operand.

import { dot, hsum, madd } from '../common/vec';
import { tileStrided } from '../common/tile';

const MR: i32 = 4;
const NR: i32 = 4;
/** Time rows per depth block: two 4-column strips of 128 rows stay in L1 while a tile row sweeps B. */
const KB: i32 = 128;

/** Spill area for tiles cut by the matrix edge. */
const edge: usize = memory.data(MR * NR * 8, 16);

/**
 * C[0..mr) × [0..nr) += alpha · Σ_{p < kc} A[p, 0..4)ᵀ B[p, 0..4): a and b point at the first entries, lda and ldb
 * are the row strides in bytes, ldc the leading dimension of C in doubles (common/tile.ts's microkernel, unpacked).
 */
@inline function tileTN(kc: i32, a: usize, lda: usize, b: usize, ldb: usize, alpha: f64, c: usize, ldc: i32, mr: i32, nr: i32): void {
  tileStrided(kc, a, lda, b, ldb, alpha, c, ldc, mr, nr, true);
}

/** C[0..mr) × [0..8) += alpha · Σ_p A[p, 0..2)ᵀ B[p, 0..8) (mr ≤ 2 rows; nr ≤ 8 columns kept), strides as in tileTN. */
function tile2x8(kc: i32, a: usize, lda: usize, b: usize, ldb: usize, alpha: f64, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0.0), c01 = c00, c02 = c00, c03 = c00;
  let c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16), b2 = v128.load(b, 32), b3 = v128.load(b, 48);
    const a0 = v128.load64_splat(a), a1 = v128.load64_splat(a, 8);
    c00 = madd(c00, a0, b0);
    c01 = madd(c01, a0, b1);
    c02 = madd(c02, a0, b2);
    c03 = madd(c03, a0, b3);
    c10 = madd(c10, a1, b0);
    c11 = madd(c11, a1, b1);
    c12 = madd(c12, a1, b2);
    c13 = madd(c13, a1, b3);
    a += lda;
    b += ldb;
  }
  const al = f64x2.splat(alpha);
  v128.store(edge, f64x2.mul(al, c00));
  v128.store(edge, f64x2.mul(al, c01), 16);
  v128.store(edge, f64x2.mul(al, c02), 32);
  v128.store(edge, f64x2.mul(al, c03), 48);
  v128.store(edge, f64x2.mul(al, c10), 64);
  v128.store(edge, f64x2.mul(al, c11), 80);
  v128.store(edge, f64x2.mul(al, c12), 96);
  v128.store(edge, f64x2.mul(al, c13), 112);
  for (let i = 0; i < mr; i++) {
    const row = c + (<usize>(i * ldc) << 3);
    for (let j = 0; j < nr; j++) {
      const q = row + (<usize>j << 3);
      store<f64>(q, load<f64>(q) + load<f64>(edge + (<usize>(i * 8 + j) << 3)));
    }
  }
}

/**
 * C[0..mr) × [0..nr) += alpha · Σ_p A[p, 0..8)ᵀ B[p, 0..2) (mr ≤ 8 rows, nr ≤ 2 columns): accumulators hold pairs
 * of rows of C, so A's rows are loaded as vectors and B's two values splat.
 */
function tile8x2(kc: i32, a: usize, lda: usize, b: usize, ldb: usize, alpha: f64, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0.0), c10 = c00, c20 = c00, c30 = c00;
  let c01 = c00, c11 = c00, c21 = c00, c31 = c00;
  for (let p = 0; p < kc; p++) {
    const a0 = v128.load(a), a1 = v128.load(a, 16), a2 = v128.load(a, 32), a3 = v128.load(a, 48);
    const b0 = v128.load64_splat(b), b1 = v128.load64_splat(b, 8);
    c00 = madd(c00, a0, b0);
    c10 = madd(c10, a1, b0);
    c20 = madd(c20, a2, b0);
    c30 = madd(c30, a3, b0);
    c01 = madd(c01, a0, b1);
    c11 = madd(c11, a1, b1);
    c21 = madd(c21, a2, b1);
    c31 = madd(c31, a3, b1);
    a += lda;
    b += ldb;
  }
  // edge[j·8 + i] = alpha · C-update of (row i, column j)
  const al = f64x2.splat(alpha);
  v128.store(edge, f64x2.mul(al, c00));
  v128.store(edge, f64x2.mul(al, c10), 16);
  v128.store(edge, f64x2.mul(al, c20), 32);
  v128.store(edge, f64x2.mul(al, c30), 48);
  v128.store(edge, f64x2.mul(al, c01), 64);
  v128.store(edge, f64x2.mul(al, c11), 80);
  v128.store(edge, f64x2.mul(al, c21), 96);
  v128.store(edge, f64x2.mul(al, c31), 112);
  for (let i = 0; i < mr; i++) {
    const row = c + (<usize>(i * ldc) << 3);
    for (let j = 0; j < nr; j++) {
      const q = row + (<usize>j << 3);
      store<f64>(q, load<f64>(q) + load<f64>(edge + (<usize>(j * 8 + i) << 3)));
    }
  }
}

/**
 * C (m × n, leading dimension ldc) += alpha · Aᵀ B, where A is k × m (row stride lda) and B is k × n (row stride
 * ldb), all row-major doubles: C[i, j] += alpha · Σ_p A[p, i] B[p, j].
 */
export function gemmTN(m: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const la = <usize>lda << 3, lb = <usize>ldb << 3;
  if (m <= 2 || n <= 2) {
    for (let p0 = 0; p0 < k; p0 += KB) {
      const kc = min(KB, k - p0);
      const ap = a + <usize>p0 * la, bp = b + <usize>p0 * lb;
      if (m <= 2) {
        for (let j = 0; j < n; j += 8) tile2x8(kc, ap, la, bp + (<usize>j << 3), lb, alpha, c + (<usize>j << 3), ldc, m, min(8, n - j));
      } else {
        for (let i = 0; i < m; i += 8) tile8x2(kc, ap + (<usize>i << 3), la, bp, lb, alpha, c + (<usize>(i * ldc) << 3), ldc, min(8, m - i), n);
      }
    }
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KB) {
    const kc = min(KB, k - p0);
    const ap = a + <usize>p0 * la, bp = b + <usize>p0 * lb;
    for (let i = 0; i < m; i += MR) {
      const mr = min(MR, m - i);
      for (let j = 0; j < n; j += NR) {
        tileTN(kc, ap + (<usize>i << 3), la, bp + (<usize>j << 3), lb, alpha, c + (<usize>(i * ldc + j) << 3), ldc, mr, min(NR, n - j));
      }
    }
  }
}

/** Y[r, o] = V[o, ·] · H[r, ·] for rows r < rows (V is nOut × n, H rows × n, Y rows × nOut); two outputs per pass. */
export function learnOutputs(n: i32, nOut: i32, rows: i32, V: usize, H: usize, Y: usize): void {
  for (let r = 0; r < rows; r++) {
    const h = H + (<usize>(r * n) << 3);
    const y = Y + (<usize>(r * nOut) << 3);
    let o = 0;
    for (; o + 2 <= nOut; o += 2) {
      const v0 = V + (<usize>(o * n) << 3), v1 = v0 + (<usize>n << 3);
      let s0 = f64x2.splat(0.0), s1 = s0, t0 = s0, t1 = s0;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const off = <usize>j << 3;
        const h0 = v128.load(h + off), h1 = v128.load(h + off, 16);
        s0 = madd(s0, v128.load(v0 + off), h0);
        s1 = madd(s1, v128.load(v0 + off, 16), h1);
        t0 = madd(t0, v128.load(v1 + off), h0);
        t1 = madd(t1, v128.load(v1 + off, 16), h1);
      }
      let a = hsum(f64x2.add(s0, s1)), b = hsum(f64x2.add(t0, t1));
      for (; j < n; j++) {
        const hj = load<f64>(h + (<usize>j << 3));
        a += load<f64>(v0 + (<usize>j << 3)) * hj;
        b += load<f64>(v1 + (<usize>j << 3)) * hj;
      }
      store<f64>(y + (<usize>o << 3), a);
      store<f64>(y + (<usize>(o + 1) << 3), b);
    }
    if (o < nOut) store<f64>(y + (<usize>o << 3), dot(V + (<usize>(o * n) << 3), h, n));
  }
}

/** Complex outputs in split storage: Y = V H with Re Y = Vr Hr − Vi Hi, Im Y = Vr Hi + Vi Hr. */
export function learnOutputsComplex(n: i32, nOut: i32, rows: i32, Vr: usize, Vi: usize, Hr: usize, Hi: usize,
  Yr: usize, Yi: usize): void {
  for (let r = 0; r < rows; r++) {
    const hr = Hr + (<usize>(r * n) << 3), hi = Hi + (<usize>(r * n) << 3);
    for (let o = 0; o < nOut; o++) {
      const vr = Vr + (<usize>(o * n) << 3), vi = Vi + (<usize>(o * n) << 3);
      const y = <usize>(r * nOut + o) << 3;
      store<f64>(Yr + y, dot(vr, hr, n) - dot(vi, hi, n));
      store<f64>(Yi + y, dot(vr, hi, n) + dot(vi, hr, n));
    }
  }
}
