// Small SIMD vector helpers shared by the kernels: dot products, axpy, column sums, scaling, mirroring.

/** Address of element i of a double array at p. */
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** Sum of the two lanes. */
@inline export function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** acc + a·b lane-wise (the multiply-add of every SIMD kernel; two roundings, no fused FMA). */
@inline export function madd(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b));
}

/** Σ_{i<n} x_i y_i (two interleaved f64x2 partial sums). */
export function dot(x: usize, y: usize, n: i32): f64 {
  let s0 = f64x2.splat(0.0), s1 = s0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 = f64x2.add(s0, f64x2.mul(v128.load(at(x, i)), v128.load(at(y, i))));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(at(x, i), 16), v128.load(at(y, i), 16)));
  }
  let s = hsum(f64x2.add(s0, s1));
  for (; i < n; i++) s += load<f64>(at(x, i)) * load<f64>(at(y, i));
  return s;
}

/** y_i += a·x_i for i < n. */
export function axpy(n: i32, a: f64, x: usize, y: usize): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) v128.store(at(y, i), f64x2.add(v128.load(at(y, i)), f64x2.mul(av, v128.load(at(x, i)))));
  for (; i < n; i++) store<f64>(at(y, i), load<f64>(at(y, i)) + a * load<f64>(at(x, i)));
}

/** out_j += Σ_{r<rows} X[r, j] for a row-major rows × cols block X. */
export function columnSums(x: usize, rows: i32, cols: i32, out: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize>(r * cols) << 3);
    let j = 0;
    for (; j + 2 <= cols; j += 2) v128.store(at(out, j), f64x2.add(v128.load(at(out, j)), v128.load(at(row, j))));
    for (; j < cols; j++) store<f64>(at(out, j), load<f64>(at(out, j)) + load<f64>(at(row, j)));
  }
}

/** c := beta·c over len doubles, with the reference semantics: beta = 0 writes zeros, beta = 1 is a no-op. */
export function scale(c: usize, len: i32, beta: f64): void {
  if (beta == 0.0) {
    memory.fill(c, 0, <usize>len << 3);
  } else if (beta != 1.0) {
    const bv = f64x2.splat(beta);
    let i = 0;
    for (; i + 2 <= len; i += 2) v128.store(at(c, i), f64x2.mul(bv, v128.load(at(c, i))));
    for (; i < len; i++) store<f64>(at(c, i), beta * load<f64>(at(c, i)));
  }
}

/** Block edge of the mirroring loops: a 16 × 16 tile of rows and its transposed tile stay in L1. */
const MB: i32 = 16;

/**
 * Copies the strict upper triangle of the n × n matrix `re` onto its lower triangle, a_ji := a_ij; when
 * im ≠ 0 also im_ji := −im_ij (Hermitian completion of a split complex matrix). Tiled, since the writes
 * run down columns.
 */
function mirror(re: usize, im: usize, n: i32): void {
  for (let i0 = 0; i0 < n; i0 += MB) {
    for (let j0 = i0; j0 < n; j0 += MB) {
      const iEnd = min(i0 + MB, n), jEnd = min(j0 + MB, n);
      for (let i = i0; i < iEnd; i++) {
        for (let j = max(j0, i + 1); j < jEnd; j++) {
          store<f64>(at(re, j * n + i), load<f64>(at(re, i * n + j)));
          if (im != 0) store<f64>(at(im, j * n + i), -load<f64>(at(im, i * n + j)));
        }
      }
    }
  }
}

/** Symmetric completion: a_ji := a_ij for j > i (n × n, row-major). */
export function mirrorUpper(a: usize, n: i32): void {
  mirror(a, 0, n);
}

/** Hermitian completion of a split complex n × n matrix: a_ji := conj(a_ij) for j > i. */
export function mirrorHermitian(re: usize, im: usize, n: i32): void {
  mirror(re, im, n);
}
