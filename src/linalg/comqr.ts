// Complex nonsymmetric eigenproblem kernels: complex Householder Hessenberg reduction, single-shift complex QR
// to triangular Schur form, and eigenvectors by triangular back-substitution.
//
// References: Golub & Van Loan (4th ed.) §7.4–7.5 (complex Schur form, Wilkinson shift); EISPACK corth/comqr2
// (Smith et al. 1976) and LAPACK zlahqr/ztrevc for deflation, exceptional shifts and the perturbed
// back-substitution. Rotations G = [[c, s], [−s̄, c]] (c real) chase the bulge; rows are updated contiguously.
import { NumericalError } from '../core/errors.js';
import { EPS } from './checks.js';
import { applyReflectorLeftC, hyp, zlarfg } from './householder.js';

/**
 * Reduces (hr, hi) (n×n complex, row-major) in place to upper Hessenberg form H = Qᴴ·A·Q by complex Householder
 * similarities; (zr, zi) receive Q when given. Entries below the subdiagonal are zeroed on return.
 */
export function hessenbergComplex(n: number, hr: Float64Array, hi: Float64Array, zr: Float64Array | null, zi: Float64Array | null): void {
  const vr = new Float64Array(n), vi = new Float64Array(n);
  const tr = new Float64Array(Math.max(n, 1)), ti = new Float64Array(Math.max(n, 1));
  const tau = new Float64Array(2), work = new Float64Array(2 * n);
  for (let k = 0; k + 2 < n; k++) {
    zlarfg(n - k - 1, hr, hi, (k + 1) * n + k, n, tau);
    const tRe = tau[0]!, tIm = tau[1]!;
    tr[k] = tRe;
    ti[k] = tIm;
    if (tRe === 0 && tIm === 0) continue;
    const c0 = k + 1;
    // left: Hᴴ·A on rows k+1.., columns k+1..
    applyReflectorLeftC(n, n, hr, hi, c0, c0, n, tRe, -tIm, hr, hi, n, k, work);
    // right: A·H = A − τ·(A·v)·vᴴ on all rows, columns k+1..
    vr[c0] = 1;
    vi[c0] = 0;
    for (let i = k + 2; i < n; i++) { vr[i] = hr[i * n + k]!; vi[i] = hi[i * n + k]!; }
    for (let r = 0; r < n; r++) {
      const o = r * n;
      let dr = 0, di = 0;
      for (let c = c0; c < n; c++) {
        const ar = hr[o + c]!, ai = hi[o + c]!, br = vr[c]!, bi = vi[c]!;
        dr += ar * br - ai * bi;
        di += ar * bi + ai * br;
      }
      const fr = tRe * dr - tIm * di, fi = tRe * di + tIm * dr;
      if (fr === 0 && fi === 0) continue;
      for (let c = c0; c < n; c++) {
        // −= f·conj(v_c)
        const br = vr[c]!, bi = -vi[c]!;
        hr[o + c]! -= fr * br - fi * bi;
        hi[o + c]! -= fr * bi + fi * br;
      }
    }
  }
  if (zr !== null && zi !== null) {
    zr.fill(0);
    zi.fill(0);
    for (let i = 0; i < n; i++) zr[i * n + i] = 1;
    for (let k = n - 3; k >= 0; k--) {
      if (tr[k] === 0 && ti[k] === 0) continue;
      applyReflectorLeftC(n, n, zr, zi, k + 1, k + 1, n, tr[k]!, ti[k]!, hr, hi, n, k, work);
    }
  }
  for (let i = 2; i < n; i++) { hr.fill(0, i * n, i * n + i - 1); hi.fill(0, i * n, i * n + i - 1); }
}

let sqr = 0, sqi = 0;
/** Principal complex square root into sqr, sqi. */
function csqrt(xr: number, xi: number): void {
  const r = hyp(xr, xi);
  if (r === 0) { sqr = 0; sqi = 0; return; }
  if (xr >= 0) {
    const t = Math.sqrt((r + xr) / 2);
    sqr = t;
    sqi = xi / (2 * t);
  } else {
    const t = Math.sqrt((r - xr) / 2);
    sqr = Math.abs(xi) / (2 * t);
    sqi = xi >= 0 ? t : -t;
  }
}

let dvr = 0, dvi = 0;
function cdiv(xr: number, xi: number, yr: number, yi: number): void {
  if (Math.abs(yr) >= Math.abs(yi)) {
    const t = yi / yr, d = yr + yi * t;
    dvr = (xr + xi * t) / d;
    dvi = (xi - xr * t) / d;
  } else {
    const t = yr / yi, d = yr * t + yi;
    dvr = (xr * t + xi) / d;
    dvi = (xi * t - xr) / d;
  }
}

/**
 * Eigenvalues (wr + i·wi) of the complex upper Hessenberg (hr, hi) by single-shift QR with Wilkinson shifts.
 * With (zr, zi) = Q from {@link hessenbergComplex}, on return h holds the triangular Schur form T and
 * z the Schur vectors (A = Z·T·Zᴴ); otherwise only the active window is updated. Eigenvalue j is T[j][j].
 * Throws NumericalError after 30·max(10, n) iterations in total.
 */
export function comqr(n: number, hr: Float64Array, hi: Float64Array, zr: Float64Array | null, zi: Float64Array | null,
  wr: Float64Array, wi: Float64Array, where: string): void {
  const wantT = zr !== null && zi !== null;
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(hr[i * n + j]!) + Math.abs(hi[i * n + j]!);
  const cap = 30 * Math.max(10, n);
  let total = 0, its = 0;
  let i = n - 1;
  while (i >= 0) {
    let l = i;
    while (l > 0) {
      const o = l * n + l - 1, od = (l - 1) * n + l - 1, d = l * n + l;
      let s = Math.abs(hr[od]!) + Math.abs(hi[od]!) + Math.abs(hr[d]!) + Math.abs(hi[d]!);
      if (s === 0) s = norm;
      if (Math.abs(hr[o]!) + Math.abs(hi[o]!) <= EPS * s) { hr[o] = 0; hi[o] = 0; break; }
      l--;
    }
    if (l === i) {
      wr[i] = hr[i * n + i]!;
      wi[i] = hi[i * n + i]!;
      i--;
      its = 0;
      continue;
    }
    its++;
    if (++total > cap) throw new NumericalError(`${where}: complex QR did not converge in ${cap} iterations (n = ${n})`);
    // shift
    let mur: number, mui: number;
    const ii = i * n + i;
    if (its % 10 === 0) {
      // exceptional shift (LAPACK zlahqr)
      const o = i * n + i - 1;
      const s = 0.75 * (Math.abs(hr[o]!) + Math.abs(hi[o]!));
      mur = hr[ii]! + s;
      mui = hi[ii]!;
    } else {
      // Wilkinson: eigenvalue of the trailing 2×2 [[a, b], [c, d]] closer to d, computed on a scaled copy
      const ia = (i - 1) * n + i - 1, ib = (i - 1) * n + i, ic = i * n + i - 1;
      const sc = Math.abs(hr[ia]!) + Math.abs(hi[ia]!) + Math.abs(hr[ib]!) + Math.abs(hi[ib]!) +
        Math.abs(hr[ic]!) + Math.abs(hi[ic]!) + Math.abs(hr[ii]!) + Math.abs(hi[ii]!);
      const ar = hr[ia]! / sc, ai = hi[ia]! / sc, br = hr[ib]! / sc, bi = hi[ib]! / sc;
      const cr = hr[ic]! / sc, ci = hi[ic]! / sc, dr = hr[ii]! / sc, di = hi[ii]! / sc;
      const pr = (ar - dr) / 2, pi = (ai - di) / 2;
      const bcr = br * cr - bi * ci, bci = br * ci + bi * cr;
      csqrt(pr * pr - pi * pi + bcr, 2 * pr * pi + bci);
      let qr = sqr, qi = sqi;
      if (pr * qr + pi * qi < 0) { qr = -qr; qi = -qi; }
      const denr = pr + qr, deni = pi + qi;
      if (denr === 0 && deni === 0) {
        mur = dr;
        mui = di;
      } else {
        cdiv(bcr, bci, denr, deni);
        mur = dr - dvr;
        mui = di - dvi;
      }
      mur *= sc;
      mui *= sc;
    }
    const jEnd = wantT ? n - 1 : i;
    const iStart = wantT ? 0 : l;
    let xr = hr[l * n + l]! - mur, xi = hi[l * n + l]! - mui;
    let yr = hr[(l + 1) * n + l]!, yi = hi[(l + 1) * n + l]!;
    for (let k = l; k < i; k++) {
      if (k > l) {
        xr = hr[k * n + k - 1]!; xi = hi[k * n + k - 1]!;
        yr = hr[(k + 1) * n + k - 1]!; yi = hi[(k + 1) * n + k - 1]!;
      }
      // rotation G = [[c, s], [−conj(s), c]] with G·[x; y] = [ρ; 0]
      const ax = hyp(xr, xi), ay = hyp(yr, yi);
      let c: number, sr: number, si: number, rr: number, ri: number;
      if (ay === 0) {
        c = 1; sr = 0; si = 0; rr = xr; ri = xi;
      } else if (ax === 0) {
        c = 0; sr = yr / ay; si = -yi / ay; rr = ay; ri = 0;
      } else {
        const rho = hyp(ax, ay);
        c = ax / rho;
        const ur = xr / ax, ui = xi / ax; // x/|x|
        // s = (x/|x|)·conj(y)/ρ
        sr = (ur * yr + ui * yi) / rho;
        si = (ui * yr - ur * yi) / rho;
        rr = ur * rho;
        ri = ui * rho;
      }
      if (k > l) {
        hr[k * n + k - 1] = rr; hi[k * n + k - 1] = ri;
        hr[(k + 1) * n + k - 1] = 0; hi[(k + 1) * n + k - 1] = 0;
      }
      // rows k, k+1: [a; b] ← [c·a + s·b; −conj(s)·a + c·b]
      const r0 = k * n, r1 = (k + 1) * n;
      for (let j = k; j <= jEnd; j++) {
        const a_r = hr[r0 + j]!, a_i = hi[r0 + j]!, b_r = hr[r1 + j]!, b_i = hi[r1 + j]!;
        hr[r0 + j] = c * a_r + sr * b_r - si * b_i;
        hi[r0 + j] = c * a_i + sr * b_i + si * b_r;
        hr[r1 + j] = c * b_r - (sr * a_r + si * a_i);
        hi[r1 + j] = c * b_i - (sr * a_i - si * a_r);
      }
      // columns k, k+1: [a, b] ← [c·a + conj(s)·b, −s·a + c·b]
      const iEnd = Math.min(k + 2, i);
      for (let r = iStart; r <= iEnd; r++) {
        const o = r * n + k;
        const a_r = hr[o]!, a_i = hi[o]!, b_r = hr[o + 1]!, b_i = hi[o + 1]!;
        hr[o] = c * a_r + sr * b_r + si * b_i;
        hi[o] = c * a_i + sr * b_i - si * b_r;
        hr[o + 1] = c * b_r - (sr * a_r - si * a_i);
        hi[o + 1] = c * b_i - (sr * a_i + si * a_r);
      }
      if (wantT) {
        for (let r = 0; r < n; r++) {
          const o = r * n + k;
          const a_r = zr![o]!, a_i = zi![o]!, b_r = zr![o + 1]!, b_i = zi![o + 1]!;
          zr![o] = c * a_r + sr * b_r + si * b_i;
          zi![o] = c * a_i + sr * b_i - si * b_r;
          zr![o + 1] = c * b_r - (sr * a_r - si * a_i);
          zi![o + 1] = c * b_i - (sr * a_i + si * a_r);
        }
      }
    }
  }
}

/**
 * Eigenvectors of A = Z·T·Zᴴ (T upper triangular in (tr, ti), Z in (zr, zi)): solves (T − t_kk·I)·x = 0 with
 * x_k = 1 by back-substitution (tiny pivots replaced by eps·‖T‖, as in LAPACK ztrevc), then v_k = Z·x.
 * Writes the (unnormalised) vectors as the columns of (vr, vi) (n×n).
 */
export function triangularEigenvectors(n: number, tr: Float64Array, ti: Float64Array, zr: Float64Array, zi: Float64Array,
  vr: Float64Array, vi: Float64Array): void {
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) norm = Math.max(norm, Math.abs(tr[i * n + j]!) + Math.abs(ti[i * n + j]!));
  const smin = Math.max(EPS * norm, Number.MIN_VALUE * 2 ** 60);
  const BIG = 1e150;
  // X upper triangular, column k = x (stored row-major n×n)
  const xr = new Float64Array(n * n), xi = new Float64Array(n * n);
  const wr = new Float64Array(n), wi = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const lr = tr[k * n + k]!, li = ti[k * n + k]!;
    wr.fill(0, 0, k + 1);
    wi.fill(0, 0, k + 1);
    wr[k] = 1;
    for (let j = k - 1; j >= 0; j--) {
      const o = j * n;
      let sr = 0, si = 0;
      for (let l = j + 1; l <= k; l++) {
        const ar = tr[o + l]!, ai = ti[o + l]!, br = wr[l]!, bi = wi[l]!;
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
      let dr = tr[o + j]! - lr, di = ti[o + j]! - li;
      if (Math.abs(dr) + Math.abs(di) < smin) { dr = smin; di = 0; }
      cdiv(-sr, -si, dr, di);
      wr[j] = dvr;
      wi[j] = dvi;
      const mag = Math.abs(dvr) + Math.abs(dvi);
      if (mag > BIG) {
        const f = 1 / mag;
        for (let l = j; l <= k; l++) { wr[l]! *= f; wi[l]! *= f; }
      }
    }
    for (let l = 0; l <= k; l++) { xr[l * n + k] = wr[l]!; xi[l * n + k] = wi[l]!; }
  }
  // V = Z·X (row by row, X upper triangular)
  for (let r = 0; r < n; r++) {
    const o = r * n;
    wr.fill(0);
    wi.fill(0);
    for (let l = 0; l < n; l++) {
      const ar = zr[o + l]!, ai = zi[o + l]!;
      if (ar === 0 && ai === 0) continue;
      const xo = l * n;
      for (let j = l; j < n; j++) {
        const br = xr[xo + j]!, bi = xi[xo + j]!;
        wr[j]! += ar * br - ai * bi;
        wi[j]! += ar * bi + ai * br;
      }
    }
    vr.set(wr, o);
    vi.set(wi, o);
  }
}
