// Real nonsymmetric eigenproblem kernels: Householder Hessenberg reduction and Francis double-shift QR (hqr/hqr2).
//
// References: Golub & Van Loan (4th ed.) Alg. 7.4.2 (Hessenberg), Alg. 7.5.1–7.5.2 (Francis double shift);
// EISPACK orthes/hqr/hqr2 (Smith et al., LNCS 6, 1976) as ported in JAMA's EigenvalueDecomposition (public
// domain), here rewritten for row-major storage: row updates run over contiguous columns, and without
// eigenvectors only the active window [l, en] is updated (EISPACK hqr), which is about 3× cheaper.
import { NumericalError } from '../core/errors.js';
import { EPS } from './checks.js';
import { formQReal } from './blocked-qr.js';
import { larfg } from './householder.js';

/**
 * Reduces h (n×n, row-major) in place to upper Hessenberg form H = Qᵀ·A·Q by Householder similarities.
 * When z (n×n) is given it receives Q. Entries below the subdiagonal are zeroed on return. (The WebAssembly
 * path of eig runs the same reduction in linear memory, src/backend/linalg/wasm-eig.ts.)
 */
export function hessenbergReal(n: number, h: Float64Array, z: Float64Array | null): void {
  const v = new Float64Array(n), w = new Float64Array(n), taus = new Float64Array(Math.max(n, 1));
  for (let k = 0; k + 2 < n; k++) {
    const t = larfg(n - k - 1, h, (k + 1) * n + k, n);
    taus[k] = t;
    if (t === 0) continue;
    const c0 = k + 1;
    v[c0] = 1;
    for (let i = k + 2; i < n; i++) v[i] = h[i * n + k]!;
    // left: H[k+1:, k+1:] −= t·v·(vᵀ·H[k+1:, k+1:])
    w.fill(0, c0, n);
    for (let i = c0; i < n; i++) {
      const vi = v[i]!;
      if (vi === 0) continue;
      const ro = i * n;
      for (let c = c0; c < n; c++) w[c]! += vi * h[ro + c]!;
    }
    for (let i = c0; i < n; i++) {
      const f = t * v[i]!;
      if (f === 0) continue;
      const ro = i * n;
      for (let c = c0; c < n; c++) h[ro + c]! -= f * w[c]!;
    }
    // right: H[:, k+1:] −= t·(H[:, k+1:]·v)·vᵀ
    for (let r = 0; r < n; r++) {
      const ro = r * n;
      let d = 0;
      for (let c = c0; c < n; c++) d += h[ro + c]! * v[c]!;
      d *= t;
      if (d === 0) continue;
      for (let c = c0; c < n; c++) h[ro + c]! -= d * v[c]!;
    }
  }
  if (z !== null) formQReal(n, h, taus, z);
  for (let i = 2; i < n; i++) h.fill(0, i * n, i * n + i - 1);
}

let cdivr = 0, cdivi = 0;
/** Complex scalar division (xr + i·xi)/(yr + i·yi) into cdivr, cdivi (Smith's algorithm). */
function cdiv(xr: number, xi: number, yr: number, yi: number): void {
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

/**
 * Eigenvalues (wr + i·wi) of the upper Hessenberg h (n×n, row-major, destroyed) by Francis double-shift QR.
 * With z = Q from {@link hessenbergReal}, z is overwritten by the real eigenvector matrix of the original A in
 * the EISPACK convention: a real eigenvalue j has vector z[:, j]; a pair with wi[j] > 0, wi[j+1] = −wi[j] has
 * vectors z[:, j] ± i·z[:, j+1]. Vectors are not normalised. Pairs are stored adjacent, positive imaginary first.
 * Throws NumericalError after 30·max(10, n) QR iterations in total.
 */
export function hqrReal(n: number, h: Float64Array, z: Float64Array | null, wr: Float64Array, wi: Float64Array, where: string): void {
  const wantV = z !== null;
  const nn = n;
  let en = nn - 1;
  let exshift = 0;
  let p = 0, q = 0, r = 0, s = 0, zz = 0, w: number, x: number, y: number;
  let norm = 0;
  for (let i = 0; i < nn; i++) for (let j = Math.max(i - 1, 0); j < nn; j++) norm += Math.abs(h[i * n + j]!);
  const cap = 30 * Math.max(10, n);
  let total = 0;
  let iter = 0;
  // the Schur vectors are accumulated as Zᵀ so that every update touches contiguous rows
  if (wantV) transposeSquare(n, z);
  while (en >= 0) {
    // look for a single small subdiagonal element
    let l = en;
    while (l > 0) {
      s = Math.abs(h[(l - 1) * n + l - 1]!) + Math.abs(h[l * n + l]!);
      if (s === 0) s = norm;
      if (Math.abs(h[l * n + l - 1]!) <= EPS * s) break;
      l--;
    }
    if (l === en) {
      // one root
      h[en * n + en]! += exshift;
      wr[en] = h[en * n + en]!;
      wi[en] = 0;
      en--;
      iter = 0;
    } else if (l === en - 1) {
      // two roots
      const a = (en - 1) * n, b = en * n;
      w = h[b + en - 1]! * h[a + en]!;
      p = (h[a + en - 1]! - h[b + en]!) / 2;
      q = p * p + w;
      zz = Math.sqrt(Math.abs(q));
      h[b + en]! += exshift;
      h[a + en - 1]! += exshift;
      x = h[b + en]!;
      if (q >= 0) {
        // real pair
        zz = p >= 0 ? p + zz : p - zz;
        wr[en - 1] = x + zz;
        wr[en] = wr[en - 1]!;
        if (zz !== 0) wr[en] = x - w / zz;
        wi[en - 1] = 0;
        wi[en] = 0;
        if (wantV) {
          x = h[b + en - 1]!;
          s = Math.abs(x) + Math.abs(zz);
          p = x / s;
          q = zz / s;
          r = Math.sqrt(p * p + q * q);
          p /= r;
          q /= r;
          for (let j = en - 1; j < nn; j++) {
            zz = h[a + j]!;
            h[a + j] = q * zz + p * h[b + j]!;
            h[b + j] = q * h[b + j]! - p * zz;
          }
          for (let i = 0; i <= en; i++) {
            const o = i * n;
            zz = h[o + en - 1]!;
            h[o + en - 1] = q * zz + p * h[o + en]!;
            h[o + en] = q * h[o + en]! - p * zz;
          }
          // z holds Zᵀ here: the column rotation of Z is a row rotation (contiguous)
          for (let j = 0; j < nn; j++) {
            zz = z[a + j]!;
            z[a + j] = q * zz + p * z[b + j]!;
            z[b + j] = q * z[b + j]! - p * zz;
          }
        }
      } else {
        // complex pair
        wr[en - 1] = x + p;
        wr[en] = x + p;
        wi[en - 1] = zz;
        wi[en] = -zz;
      }
      en -= 2;
      iter = 0;
    } else {
      // no convergence yet: form shift
      x = h[en * n + en]!;
      y = h[(en - 1) * n + en - 1]!;
      w = h[en * n + en - 1]! * h[(en - 1) * n + en]!;
      if (iter > 0 && iter % 10 === 0 && iter % 30 !== 0) {
        // Wilkinson's ad hoc exceptional shift
        exshift += x;
        for (let i = 0; i <= en; i++) h[i * n + i]! -= x;
        s = Math.abs(h[en * n + en - 1]!) + Math.abs(h[(en - 1) * n + en - 2]!);
        x = y = 0.75 * s;
        w = -0.4375 * s * s;
      }
      if (iter > 0 && iter % 30 === 0) {
        // MATLAB's ad hoc exceptional shift
        s = (y - x) / 2;
        s = s * s + w;
        if (s > 0) {
          s = Math.sqrt(s);
          if (y < x) s = -s;
          s = x - w / ((y - x) / 2 + s);
          for (let i = 0; i <= en; i++) h[i * n + i]! -= s;
          exshift += s;
          x = y = w = 0.964;
        }
      }
      iter++;
      if (++total > cap) throw new NumericalError(`${where}: Francis QR did not converge in ${cap} iterations (n = ${n})`);
      // look for two consecutive small subdiagonal elements
      let m = en - 2;
      while (m >= l) {
        zz = h[m * n + m]!;
        r = x - zz;
        s = y - zz;
        p = (r * s - w) / h[(m + 1) * n + m]! + h[m * n + m + 1]!;
        q = h[(m + 1) * n + m + 1]! - zz - r - s;
        r = h[(m + 2) * n + m + 1]!;
        s = Math.abs(p) + Math.abs(q) + Math.abs(r);
        p /= s;
        q /= s;
        r /= s;
        if (m === l) break;
        if (Math.abs(h[m * n + m - 1]!) * (Math.abs(q) + Math.abs(r)) <
          EPS * (Math.abs(p) * (Math.abs(h[(m - 1) * n + m - 1]!) + Math.abs(zz) + Math.abs(h[(m + 1) * n + m + 1]!)))) break;
        m--;
      }
      for (let i = m + 2; i <= en; i++) {
        h[i * n + i - 2] = 0;
        if (i > m + 2) h[i * n + i - 3] = 0;
      }
      const jEnd = wantV ? nn - 1 : en;
      // double QR step on rows l..en and columns m..en
      for (let k = m; k <= en - 1; k++) {
        const notlast = k !== en - 1;
        if (k !== m) {
          p = h[k * n + k - 1]!;
          q = h[(k + 1) * n + k - 1]!;
          r = notlast ? h[(k + 2) * n + k - 1]! : 0;
          x = Math.abs(p) + Math.abs(q) + Math.abs(r);
          if (x === 0) continue;
          p /= x;
          q /= x;
          r /= x;
        }
        s = Math.sqrt(p * p + q * q + r * r);
        if (p < 0) s = -s;
        if (s === 0) continue;
        if (k !== m) h[k * n + k - 1] = -s * x;
        else if (l !== m) h[k * n + k - 1] = -h[k * n + k - 1]!;
        p += s;
        x = p / s;
        y = q / s;
        zz = r / s;
        q /= p;
        r /= p;
        // row modification (contiguous)
        const r0 = k * n, r1 = (k + 1) * n, r2 = (k + 2) * n;
        if (notlast) {
          for (let j = k; j <= jEnd; j++) {
            const pp = h[r0 + j]! + q * h[r1 + j]! + r * h[r2 + j]!;
            h[r2 + j]! -= pp * zz;
            h[r0 + j]! -= pp * x;
            h[r1 + j]! -= pp * y;
          }
        } else {
          for (let j = k; j <= jEnd; j++) {
            const pp = h[r0 + j]! + q * h[r1 + j]!;
            h[r0 + j]! -= pp * x;
            h[r1 + j]! -= pp * y;
          }
        }
        // column modification
        const iStart = wantV ? 0 : l, iEnd = Math.min(en, k + 3);
        for (let i = iStart; i <= iEnd; i++) {
          const o = i * n + k;
          let pp = x * h[o]! + y * h[o + 1]!;
          if (notlast) {
            pp += zz * h[o + 2]!;
            h[o + 2]! -= pp * r;
          }
          h[o]! -= pp;
          h[o + 1]! -= pp * q;
        }
        if (wantV) {
          // rows k, k+1, k+2 of Zᵀ
          if (notlast) {
            for (let j = 0; j < nn; j++) {
              const pp = x * z[r0 + j]! + y * z[r1 + j]! + zz * z[r2 + j]!;
              z[r2 + j]! -= pp * r;
              z[r0 + j]! -= pp;
              z[r1 + j]! -= pp * q;
            }
          } else {
            for (let j = 0; j < nn; j++) {
              const pp = x * z[r0 + j]! + y * z[r1 + j]!;
              z[r0 + j]! -= pp;
              z[r1 + j]! -= pp * q;
            }
          }
        }
      }
    }
  }
  if (!wantV) return;
  if (norm === 0) { transposeSquare(n, z); return; }
  backSubstitute(n, h, wr, wi, norm);
  // back-transform V = Z·X (X upper quasi-triangular, in h) as Vᵀ = Xᵀ·Zᵀ: row j of Vᵀ = Σ_{k≤j} X[k][j]·(row k of Zᵀ)
  const vt = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const o = j * n;
    for (let k = 0; k <= j; k++) {
      const f = h[k * n + j]!;
      if (f === 0) continue;
      const zo = k * n;
      for (let c = 0; c < n; c++) vt[o + c]! += f * z[zo + c]!;
    }
  }
  z.set(vt);
  transposeSquare(n, z);
}

/** In-place transpose of the n×n row-major x. */
function transposeSquare(n: number, x: Float64Array): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    const t = x[i * n + j]!;
    x[i * n + j] = x[j * n + i]!;
    x[j * n + i] = t;
  }
}

/** Back-substitution for the eigenvectors of the real Schur form held in h (EISPACK hqr2 / JAMA). */
function backSubstitute(n: number, h: Float64Array, d: Float64Array, e: Float64Array, norm: number): void {
  let p: number, q: number, r = 0, s = 0, t: number, w: number, x: number, y: number, z = 0;
  for (let en = n - 1; en >= 0; en--) {
    p = d[en]!;
    q = e[en]!;
    if (q === 0) {
      // real vector
      let l = en;
      h[en * n + en] = 1;
      for (let i = en - 1; i >= 0; i--) {
        const hi = i * n;
        w = h[hi + i]! - p;
        r = 0;
        for (let j = l; j <= en; j++) r += h[hi + j]! * h[j * n + en]!;
        if (e[i]! < 0) {
          z = w;
          s = r;
        } else {
          l = i;
          if (e[i] === 0) {
            h[hi + en] = w !== 0 ? -r / w : -r / (EPS * norm);
          } else {
            x = h[hi + i + 1]!;
            y = h[(i + 1) * n + i]!;
            q = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]!;
            t = (x * s - z * r) / q;
            h[hi + en] = t;
            h[(i + 1) * n + en] = Math.abs(x) > Math.abs(z) ? (-r - w * t) / x : (-s - y * t) / z;
          }
          // overflow control
          t = Math.abs(h[hi + en]!);
          if (EPS * t * t > 1) for (let j = i; j <= en; j++) h[j * n + en]! /= t;
        }
      }
    } else if (q < 0) {
      // complex vector (columns en−1, en)
      let l = en - 1;
      const a = (en - 1) * n, b = en * n;
      if (Math.abs(h[b + en - 1]!) > Math.abs(h[a + en]!)) {
        h[a + en - 1] = q / h[b + en - 1]!;
        h[a + en] = -(h[b + en]! - p) / h[b + en - 1]!;
      } else {
        cdiv(0, -h[a + en]!, h[a + en - 1]! - p, q);
        h[a + en - 1] = cdivr;
        h[a + en] = cdivi;
      }
      h[b + en - 1] = 0;
      h[b + en] = 1;
      for (let i = en - 2; i >= 0; i--) {
        const hi = i * n;
        let ra = 0, sa = 0;
        for (let j = l; j <= en; j++) {
          ra += h[hi + j]! * h[j * n + en - 1]!;
          sa += h[hi + j]! * h[j * n + en]!;
        }
        w = h[hi + i]! - p;
        if (e[i]! < 0) {
          z = w;
          r = ra;
          s = sa;
        } else {
          l = i;
          if (e[i] === 0) {
            cdiv(-ra, -sa, w, q);
            h[hi + en - 1] = cdivr;
            h[hi + en] = cdivi;
          } else {
            x = h[hi + i + 1]!;
            y = h[(i + 1) * n + i]!;
            let vr = (d[i]! - p) * (d[i]! - p) + e[i]! * e[i]! - q * q;
            const vi = (d[i]! - p) * 2 * q;
            if (vr === 0 && vi === 0) vr = EPS * norm * (Math.abs(w) + Math.abs(q) + Math.abs(x) + Math.abs(y) + Math.abs(z));
            cdiv(x * r - z * ra + q * sa, x * s - z * sa - q * ra, vr, vi);
            h[hi + en - 1] = cdivr;
            h[hi + en] = cdivi;
            const i1 = (i + 1) * n;
            if (Math.abs(x) > Math.abs(z) + Math.abs(q)) {
              h[i1 + en - 1] = (-ra - w * h[hi + en - 1]! + q * h[hi + en]!) / x;
              h[i1 + en] = (-sa - w * h[hi + en]! - q * h[hi + en - 1]!) / x;
            } else {
              cdiv(-r - y * h[hi + en - 1]!, -s - y * h[hi + en]!, z, q);
              h[i1 + en - 1] = cdivr;
              h[i1 + en] = cdivi;
            }
          }
          t = Math.max(Math.abs(h[hi + en - 1]!), Math.abs(h[hi + en]!));
          if (EPS * t * t > 1) {
            for (let j = i; j <= en; j++) {
              h[j * n + en - 1]! /= t;
              h[j * n + en]! /= t;
            }
          }
        }
      }
    }
  }
}
