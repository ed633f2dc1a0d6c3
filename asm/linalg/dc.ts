// Column gathers and rotations for the divide-and-conquer merges of src/linalg/tridiag-dc.ts (LAPACK dlaed2/dlaed3).

import { el } from './house';

/**
 * dst[r, c] ← src[r, idx[c]] for r < rows, c < k: src and dst row-major with leading dimensions lds, ldd;
 * idx holds k column indices as doubles.
 */
export function gatherColumns(rows: i32, src: usize, lds: i32, idx: usize, k: i32, dst: usize, ldd: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = el(src, r * lds), d = el(dst, r * ldd);
    for (let c = 0; c < k; c++) store<f64>(el(d, c), load<f64>(el(s, <i32>load<f64>(el(idx, c)))));
  }
}

/** Rows r < rows of columns a, b of q (leading dimension ld): (x, y) ← (c·x + s·y, c·y − s·x) (LAPACK drot). */
export function rotateColumnPair(rows: i32, q: usize, ld: i32, a: i32, b: i32, c: f64, s: f64): void {
  for (let r = 0; r < rows; r++) {
    const pa = el(q, r * ld + a), pb = el(q, r * ld + b);
    const x = load<f64>(pa), y = load<f64>(pb);
    store<f64>(pa, c * x + s * y);
    store<f64>(pb, c * y - s * x);
  }
}

/** dst (rows×cols, leading dimension ldd) ← src (leading dimension lds). */
export function copyBlock(rows: i32, cols: i32, src: usize, lds: i32, dst: usize, ldd: i32): void {
  for (let r = 0; r < rows; r++) memory.copy(el(dst, r * ldd), el(src, r * lds), <usize>cols << 3);
}
