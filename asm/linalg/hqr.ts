// Francis double-shift QR on a real upper Hessenberg matrix and the eigenvector back-substitution (EISPACK
// hqr/hqr2 as in JAMA), the same steps in the same order as src/linalg/hqr.ts hqrReal, row-major. The row
// transformations of a double-shift step run over contiguous columns in f64x2 lanes; the Schur vectors are kept
// transposed (Zᵀ) so that their updates are row operations too.

import { el } from './house';
import { transposeSquare } from './rot';

const EPS: f64 = 2.220446049250313e-16;

let cdivr: f64 = 0.0, cdivi: f64 = 0.0;

/** Complex division (xr + i·xi)/(yr + i·yi) into cdivr, cdivi (Smith's algorithm). */
function cdiv(xr: f64, xi: f64, yr: f64, yi: f64): void {
  if (Math.abs(yr) > Math.abs(yi)) {
    const r = yi / yr, d = yr + r * yi;
    cdivr = (xr + r * xi) / d;
    cdivi = (xi - r * xr) / d;
  } else {
    const r = yr / yi, d = yi + r * yr;
    cdivr = (r * xr + xi) / d;
    cdivi = (r * xi - xr) / d;
  }
}

@inline function H(h: usize, n: i32, i: i32, j: i32): f64 {
  return load<f64>(el(h, i * n + j));
}

@inline function setH(h: usize, n: i32, i: i32, j: i32, v: f64): void {
  store<f64>(el(h, i * n + j), v);
}

/** r0[j] −= pp·x, r1[j] −= pp·y, r2[j] −= pp·zz for pp = r0[j] + q·r1[j] + r·r2[j], j in [j0, j1] (three rows). */
function rows3(r0: usize, r1: usize, r2: usize, j0: i32, j1: i32, q: f64, r: f64, x: f64, y: f64, zz: f64): void {
  const qv = f64x2.splat(q), rv = f64x2.splat(r), xv = f64x2.splat(x), yv = f64x2.splat(y), zv = f64x2.splat(zz);
  let j = j0;
  // the first columns were just written by scalar stores (the previous column step): scalar loads there
  for (; j < j0 + 4 && j <= j1; j++) {
    const pp = load<f64>(el(r0, j)) + q * load<f64>(el(r1, j)) + r * load<f64>(el(r2, j));
    store<f64>(el(r2, j), load<f64>(el(r2, j)) - pp * zz);
    store<f64>(el(r0, j), load<f64>(el(r0, j)) - pp * x);
    store<f64>(el(r1, j), load<f64>(el(r1, j)) - pp * y);
  }
  for (; j + 1 <= j1; j += 2) {
    const a = v128.load(el(r0, j)), b = v128.load(el(r1, j)), c = v128.load(el(r2, j));
    const pp = f64x2.add(f64x2.add(a, f64x2.mul(qv, b)), f64x2.mul(rv, c));
    v128.store(el(r2, j), f64x2.sub(c, f64x2.mul(pp, zv)));
    v128.store(el(r0, j), f64x2.sub(a, f64x2.mul(pp, xv)));
    v128.store(el(r1, j), f64x2.sub(b, f64x2.mul(pp, yv)));
  }
  for (; j <= j1; j++) {
    const pp = load<f64>(el(r0, j)) + q * load<f64>(el(r1, j)) + r * load<f64>(el(r2, j));
    store<f64>(el(r2, j), load<f64>(el(r2, j)) - pp * zz);
    store<f64>(el(r0, j), load<f64>(el(r0, j)) - pp * x);
    store<f64>(el(r1, j), load<f64>(el(r1, j)) - pp * y);
  }
}

/** Two-row version of {@link rows3}: pp = r0[j] + q·r1[j]. */
function rows2(r0: usize, r1: usize, j0: i32, j1: i32, q: f64, x: f64, y: f64): void {
  const qv = f64x2.splat(q), xv = f64x2.splat(x), yv = f64x2.splat(y);
  let j = j0;
  for (; j < j0 + 4 && j <= j1; j++) {
    const pp = load<f64>(el(r0, j)) + q * load<f64>(el(r1, j));
    store<f64>(el(r0, j), load<f64>(el(r0, j)) - pp * x);
    store<f64>(el(r1, j), load<f64>(el(r1, j)) - pp * y);
  }
  for (; j + 1 <= j1; j += 2) {
    const a = v128.load(el(r0, j)), b = v128.load(el(r1, j));
    const pp = f64x2.add(a, f64x2.mul(qv, b));
    v128.store(el(r0, j), f64x2.sub(a, f64x2.mul(pp, xv)));
    v128.store(el(r1, j), f64x2.sub(b, f64x2.mul(pp, yv)));
  }
  for (; j <= j1; j++) {
    const pp = load<f64>(el(r0, j)) + q * load<f64>(el(r1, j));
    store<f64>(el(r0, j), load<f64>(el(r0, j)) - pp * x);
    store<f64>(el(r1, j), load<f64>(el(r1, j)) - pp * y);
  }
}

/** Zᵀ rows: pp = x·r0 + y·r1 (+ zz·r2); r0 −= pp, r1 −= pp·q (, r2 −= pp·r), over columns 0..n−1. */
function zrows(r0: usize, r1: usize, r2: usize, n: i32, x: f64, y: f64, zz: f64, q: f64, r: f64, three: bool): void {
  const xv = f64x2.splat(x), yv = f64x2.splat(y), zv = f64x2.splat(zz), qv = f64x2.splat(q), rv = f64x2.splat(r);
  let j = 0;
  if (three) {
    for (; j + 2 <= n; j += 2) {
      const a = v128.load(el(r0, j)), b = v128.load(el(r1, j)), c = v128.load(el(r2, j));
      const pp = f64x2.add(f64x2.add(f64x2.mul(xv, a), f64x2.mul(yv, b)), f64x2.mul(zv, c));
      v128.store(el(r2, j), f64x2.sub(c, f64x2.mul(pp, rv)));
      v128.store(el(r0, j), f64x2.sub(a, pp));
      v128.store(el(r1, j), f64x2.sub(b, f64x2.mul(pp, qv)));
    }
    for (; j < n; j++) {
      const pp = x * load<f64>(el(r0, j)) + y * load<f64>(el(r1, j)) + zz * load<f64>(el(r2, j));
      store<f64>(el(r2, j), load<f64>(el(r2, j)) - pp * r);
      store<f64>(el(r0, j), load<f64>(el(r0, j)) - pp);
      store<f64>(el(r1, j), load<f64>(el(r1, j)) - pp * q);
    }
  } else {
    for (; j + 2 <= n; j += 2) {
      const a = v128.load(el(r0, j)), b = v128.load(el(r1, j));
      const pp = f64x2.add(f64x2.mul(xv, a), f64x2.mul(yv, b));
      v128.store(el(r0, j), f64x2.sub(a, pp));
      v128.store(el(r1, j), f64x2.sub(b, f64x2.mul(pp, qv)));
    }
    for (; j < n; j++) {
      const pp = x * load<f64>(el(r0, j)) + y * load<f64>(el(r1, j));
      store<f64>(el(r0, j), load<f64>(el(r0, j)) - pp);
      store<f64>(el(r1, j), load<f64>(el(r1, j)) - pp * q);
    }
  }
}

/** Columns k, k+1 (, k+2) of rows i0..i1: pp = x·h_ik + y·h_i,k+1 (+ zz·h_i,k+2); h_ik −= pp, h_i,k+1 −= pp·q (, h_i,k+2 −= pp·r). */
function cols3(h: usize, ld: i32, k: i32, i0: i32, i1: i32, x: f64, y: f64, zz: f64, q: f64, r: f64, three: bool): void {
  let o = el(h, i0 * ld + k);
  const st = <usize>ld << 3;
  if (three) {
    for (let i = i0; i <= i1; i++, o += st) {
      const a = load<f64>(o), b = load<f64>(o, 8), c = load<f64>(o, 16);
      const pp = x * a + y * b + zz * c;
      store<f64>(o, a - pp);
      store<f64>(o, b - pp * q, 8);
      store<f64>(o, c - pp * r, 16);
    }
  } else {
    for (let i = i0; i <= i1; i++, o += st) {
      const a = load<f64>(o), b = load<f64>(o, 8);
      const pp = x * a + y * b;
      store<f64>(o, a - pp);
      store<f64>(o, b - pp * q, 8);
    }
  }
}

/** The largest l ≤ en with a negligible subdiagonal h_{l,l−1} (0 when none): the start of the active block. */
function activeStart(h: usize, ld: i32, en: i32, norm: f64): i32 {
  let l = en;
  while (l > 0) {
    let s = Math.abs(H(h, ld, l - 1, l - 1)) + Math.abs(H(h, ld, l, l));
    if (s == 0.0) s = norm;
    if (Math.abs(H(h, ld, l, l - 1)) <= EPS * s) break;
    l--;
  }
  return l;
}

/**
 * Eigenvalues (wr + i·wi) of the upper Hessenberg h (n×n, destroyed) by Francis double-shift QR; with z ≠ 0
 * (z = Q of the Hessenberg reduction, n×n) z is overwritten by the real eigenvector matrix in the EISPACK
 * convention (see hqr.ts) and work (n² doubles) is scratch. Returns 0, or −1 after 30·max(10, n) iterations.
 */
export function hqrReduce(n: i32, ld: i32, h: usize, z: usize, wr: usize, wi: usize, work: usize): i32 {
  const wantV = z != 0;
  let en = n - 1;
  let exshift = 0.0;
  let p = 0.0, q = 0.0, r = 0.0, s = 0.0, zz = 0.0, w = 0.0, x = 0.0, y = 0.0;
  let norm = 0.0;
  for (let i = 0; i < n; i++) for (let j = max(i - 1, 0); j < n; j++) norm += Math.abs(H(h, ld, i, j));
  const cap = 30 * max(10, n);
  let total = 0, iter = 0;
  if (wantV) transposeSquare(n, z);
  while (en >= 0) {
    const l = activeStart(h, ld, en, norm);
    if (l == en) {
      setH(h, ld, en, en, H(h, ld, en, en) + exshift);
      store<f64>(el(wr, en), H(h, ld, en, en));
      store<f64>(el(wi, en), 0.0);
      en--;
      iter = 0;
    } else if (l == en - 1) {
      const a = el(h, (en - 1) * ld), b = el(h, en * ld);
      w = load<f64>(el(b, en - 1)) * load<f64>(el(a, en));
      p = (load<f64>(el(a, en - 1)) - load<f64>(el(b, en))) / 2.0;
      q = p * p + w;
      zz = Math.sqrt(Math.abs(q));
      store<f64>(el(b, en), load<f64>(el(b, en)) + exshift);
      store<f64>(el(a, en - 1), load<f64>(el(a, en - 1)) + exshift);
      x = load<f64>(el(b, en));
      if (q >= 0.0) {
        zz = p >= 0.0 ? p + zz : p - zz;
        store<f64>(el(wr, en - 1), x + zz);
        store<f64>(el(wr, en), x + zz);
        if (zz != 0.0) store<f64>(el(wr, en), x - w / zz);
        store<f64>(el(wi, en - 1), 0.0);
        store<f64>(el(wi, en), 0.0);
        if (wantV) {
          x = load<f64>(el(b, en - 1));
          s = Math.abs(x) + Math.abs(zz);
          p = x / s;
          q = zz / s;
          r = Math.sqrt(p * p + q * q);
          p /= r;
          q /= r;
          for (let j = en - 1; j < n; j++) {
            zz = load<f64>(el(a, j));
            store<f64>(el(a, j), q * zz + p * load<f64>(el(b, j)));
            store<f64>(el(b, j), q * load<f64>(el(b, j)) - p * zz);
          }
          for (let i = 0; i <= en; i++) {
            const o = el(h, i * ld);
            zz = load<f64>(el(o, en - 1));
            store<f64>(el(o, en - 1), q * zz + p * load<f64>(el(o, en)));
            store<f64>(el(o, en), q * load<f64>(el(o, en)) - p * zz);
          }
          const za = el(z, (en - 1) * n), zb = el(z, en * n);
          for (let j = 0; j < n; j++) {
            zz = load<f64>(el(za, j));
            store<f64>(el(za, j), q * zz + p * load<f64>(el(zb, j)));
            store<f64>(el(zb, j), q * load<f64>(el(zb, j)) - p * zz);
          }
        }
      } else {
        store<f64>(el(wr, en - 1), x + p);
        store<f64>(el(wr, en), x + p);
        store<f64>(el(wi, en - 1), zz);
        store<f64>(el(wi, en), -zz);
      }
      en -= 2;
      iter = 0;
    } else {
      x = H(h, ld, en, en);
      y = H(h, ld, en - 1, en - 1);
      w = H(h, ld, en, en - 1) * H(h, ld, en - 1, en);
      if (iter > 0 && iter % 10 == 0 && iter % 30 != 0) {
        exshift += x;
        for (let i = 0; i <= en; i++) setH(h, ld, i, i, H(h, ld, i, i) - x);
        s = Math.abs(H(h, ld, en, en - 1)) + Math.abs(H(h, ld, en - 1, en - 2));
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter > 0 && iter % 30 == 0) {
        s = (y - x) / 2.0;
        s = s * s + w;
        if (s > 0.0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2.0 + s);
          for (let i = 0; i <= en; i++) setH(h, ld, i, i, H(h, ld, i, i) - s);
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      if (++total > cap) return -1;
      let m = en - 2;
      while (m >= l) {
        zz = H(h, ld, m, m);
        r = x - zz;
        s = y - zz;
        p = (r * s - w) / H(h, ld, m + 1, m) + H(h, ld, m, m + 1);
        q = H(h, ld, m + 1, m + 1) - zz - r - s;
        r = H(h, ld, m + 2, m + 1);
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m == l) break;
        if (Math.abs(H(h, ld, m, m - 1)) * (Math.abs(q) + Math.abs(r)) <
          EPS * (Math.abs(p) * (Math.abs(H(h, ld, m - 1, m - 1)) + Math.abs(zz) + Math.abs(H(h, ld, m + 1, m + 1))))) break;
        m--;
      }
      for (let i = m + 2; i <= en; i++) {
        setH(h, ld, i, i - 2, 0.0);
        if (i > m + 2) setH(h, ld, i, i - 3, 0.0);
      }
      const jEnd = wantV ? n - 1 : en;
      for (let k = m; k <= en - 1; k++) {
        const notlast = k != en - 1;
        if (k != m) {
          p = H(h, ld, k, k - 1);
          q = H(h, ld, k + 1, k - 1);
          r = notlast ? H(h, ld, k + 2, k - 1) : 0.0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x == 0.0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0.0) s = -s;
        if (s == 0.0) continue;
        if (k != m) setH(h, ld, k, k - 1, -s * x);
        else if (l != m) setH(h, ld, k, k - 1, -H(h, ld, k, k - 1));
        p += s;
        x = p / s;
        y = q / s;
        zz = r / s;
        q /= p;
        r /= p;
        const r0 = el(h, k * ld), r1 = el(h, (k + 1) * ld);
        if (notlast) rows3(r0, r1, el(h, (k + 2) * ld), k, jEnd, q, r, x, y, zz);
        else rows2(r0, r1, k, jEnd, q, x, y);
        cols3(h, ld, k, wantV ? 0 : l, min(en, k + 3), x, y, zz, q, r, notlast);
        if (wantV) zrows(el(z, k * n), el(z, (k + 1) * n), notlast ? el(z, (k + 2) * n) : 0, n, x, y, zz, q, r, notlast);
      }
    }
  }
  if (!wantV) return 0;
  if (norm == 0.0) {
    transposeSquare(n, z);
    return 0;
  }
  backSubstitute(n, ld, h, wr, wi, norm);
  // V = Z·X (X upper quasi-triangular, in h) as Vᵀ = Xᵀ·Zᵀ: row j of Vᵀ = Σ_{k≤j} X[k][j]·(row k of Zᵀ)
  memory.fill(work, 0, <usize>(n * n) << 3);
  for (let j = 0; j < n; j++) {
    const o = el(work, j * n);
    for (let k = 0; k <= j; k++) {
      const f = H(h, ld, k, j);
      if (f == 0.0) continue;
      const fv = f64x2.splat(f), zo = el(z, k * n);
      let c = 0;
      for (; c + 2 <= n; c += 2) v128.store(el(o, c), f64x2.add(v128.load(el(o, c)), f64x2.mul(fv, v128.load(el(zo, c)))));
      for (; c < n; c++) store<f64>(el(o, c), load<f64>(el(o, c)) + f * load<f64>(el(zo, c)));
    }
  }
  memory.copy(z, work, <usize>(n * n) << 3);
  transposeSquare(n, z);
  return 0;
}

/** Back-substitution for the eigenvectors of the real Schur form held in h (EISPACK hqr2 / JAMA). */
function backSubstitute(n: i32, ld: i32, h: usize, d: usize, e: usize, norm: f64): void {
  let p = 0.0, q = 0.0, r = 0.0, s = 0.0, t = 0.0, w = 0.0, x = 0.0, y = 0.0, z = 0.0;
  for (let en = n - 1; en >= 0; en--) {
    p = load<f64>(el(d, en));
    q = load<f64>(el(e, en));
    if (q == 0.0) {
      let l = en;
      setH(h, ld, en, en, 1.0);
      for (let i = en - 1; i >= 0; i--) {
        w = H(h, ld, i, i) - p;
        r = 0.0;
        for (let j = l; j <= en; j++) r += H(h, ld, i, j) * H(h, ld, j, en);
        const ei = load<f64>(el(e, i));
        if (ei < 0.0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (ei == 0.0) {
            setH(h, ld, i, en, w != 0.0 ? -r / w : -r / (EPS * norm));
          } else {
            x = H(h, ld, i, i + 1);
            y = H(h, ld, i + 1, i);
            const di = load<f64>(el(d, i));
            q = (di - p) * (di - p) + ei * ei;
            t = (x * s - z * r) / q;
            setH(h, ld, i, en, t);
            setH(h, ld, i + 1, en, Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z);
          }
          t = Math.abs(H(h, ld, i, en));
          if (EPS * t * t > 1.0) for (let j = i; j <= en; j++) setH(h, ld, j, en, H(h, ld, j, en) / t);
        }
      }
    } else if (q < 0.0) {
      let l = en - 1;
      if (Math.abs(H(h, ld, en, en - 1)) > Math.abs(H(h, ld, en - 1, en))) {
        setH(h, ld, en - 1, en - 1, q / H(h, ld, en, en - 1));
        setH(h, ld, en - 1, en, -(H(h, ld, en, en) - p) / H(h, ld, en, en - 1));
      } else {
        cdiv(0.0, -H(h, ld, en - 1, en), H(h, ld, en - 1, en - 1) - p, q);
        setH(h, ld, en - 1, en - 1, cdivr);
        setH(h, ld, en - 1, en, cdivi);
      }
      setH(h, ld, en, en - 1, 0.0);
      setH(h, ld, en, en, 1.0);
      for (let i = en - 2; i >= 0; i--) {
        let ra = 0.0, sa = 0.0;
        for (let j = l; j <= en; j++) {
          ra += H(h, ld, i, j) * H(h, ld, j, en - 1);
          sa += H(h, ld, i, j) * H(h, ld, j, en);
        }
        w = H(h, ld, i, i) - p;
        const ei = load<f64>(el(e, i));
        if (ei < 0.0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (ei == 0.0) {
            cdiv(-ra, -sa, w, q);
            setH(h, ld, i, en - 1, cdivr);
            setH(h, ld, i, en, cdivi);
          } else {
            x = H(h, ld, i, i + 1);
            y = H(h, ld, i + 1, i);
            const di = load<f64>(el(d, i));
            let vr = (di - p) * (di - p) + ei * ei - q * q;
            const vi = (di - p) * 2.0 * q;
            if (vr == 0.0 && vi == 0.0) vr = EPS * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            setH(h, ld, i, en - 1, cdivr);
            setH(h, ld, i, en, cdivi);
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              setH(h, ld, i + 1, en - 1, (-ra - w * H(h, ld, i, en - 1) + q * H(h, ld, i, en)) / x);
              setH(h, ld, i + 1, en, (-sa - w * H(h, ld, i, en) - q * H(h, ld, i, en - 1)) / x);
            } else {
              cdiv(-r - y * H(h, ld, i, en - 1), -s - y * H(h, ld, i, en), z, q);
              setH(h, ld, i + 1, en - 1, cdivr);
              setH(h, ld, i + 1, en, cdivi);
            }
          }
          t = Math.max(Math.abs(H(h, ld, i, en - 1)), Math.abs(H(h, ld, i, en)));
          if (EPS * t * t > 1.0) {
            for (let j = i; j <= en; j++) {
              setH(h, ld, j, en - 1, H(h, ld, j, en - 1) / t);
              setH(h, ld, j, en, H(h, ld, j, en) / t);
            }
          }
        }
      }
    }
  }
}
