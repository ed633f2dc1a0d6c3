// Packing of matrix blocks into panels, the layout every blocked kernel here reads (GotoBLAS style).
//
// A panel holds w consecutive rows (or columns) of a block, stored p-major: lane c of position p of panel s
// sits at dst + [(s·kTotal + pOff + p)·w + c] doubles. kTotal is the panel length along p; pOff lets two
// matrices be stacked along p in one panel (complex products as real ones of twice the depth:
// Re(a·b) = [a_re, a_im]·[b_re; −b_im]). Lanes past the block edge are zero, so kernels never special-case
// the w direction on loads. A source address of 0 stands for an absent operand (a null bias) and packs zeros.

/**
 * Panels of w columns: position p, lane c of panel s ← scale · X[r0 + p, c0 + s·w + c].
 * X is row-major with leading dimension ld; rows r0 .. r0+rows, columns c0 .. c0+cols are packed.
 */
export function packCols(dst: usize, kTotal: i32, pOff: i32, x: usize, ld: i32, r0: i32, rows: i32,
  c0: i32, cols: i32, w: i32, scale: f64): void {
  for (let s = 0; s * w < cols; s++) {
    const cw = min(w, cols - s * w);
    let d = dst + (<usize>((s * kTotal + pOff) * w) << 3);
    let src = x + (<usize>(r0 * ld + c0 + s * w) << 3);
    for (let p = 0; p < rows; p++) {
      for (let c = 0; c < cw; c++) store<f64>(d + (<usize>c << 3), x == 0 ? 0.0 : scale * load<f64>(src + (<usize>c << 3)));
      for (let c = cw; c < w; c++) store<f64>(d + (<usize>c << 3), 0.0);
      d += <usize>w << 3;
      src += <usize>ld << 3;
    }
  }
}

/**
 * Panels of w rows: position p, lane r of panel s ← scale · X[r0 + s·w + r, c0 + p].
 * X is row-major with leading dimension ld; rows r0 .. r0+rows, columns c0 .. c0+cols are packed.
 */
export function packRows(dst: usize, kTotal: i32, pOff: i32, x: usize, ld: i32, r0: i32, rows: i32,
  c0: i32, cols: i32, w: i32, scale: f64): void {
  for (let s = 0; s * w < rows; s++) {
    const rw = min(w, rows - s * w);
    const base = dst + (<usize>((s * kTotal + pOff) * w) << 3);
    for (let r = 0; r < w; r++) {
      let d = base + (<usize>r << 3);
      if (r < rw && x != 0) {
        let src = x + (<usize>((r0 + s * w + r) * ld + c0) << 3);
        for (let p = 0; p < cols; p++) {
          store<f64>(d, scale * load<f64>(src));
          d += <usize>w << 3;
          src += 8;
        }
      } else {
        for (let p = 0; p < cols; p++) {
          store<f64>(d, 0.0);
          d += <usize>w << 3;
        }
      }
    }
  }
}

/** Number of doubles that panels of width w covering `extent` rows or columns, each kTotal long, occupy. */
export function panelDoubles(extent: i32, kTotal: i32, w: i32): i32 {
  return ((extent + w - 1) / w) * w * kTotal;
}
