// Singular value decomposition of a real upper bidiagonal matrix by implicit QR sweeps (LAPACK dbdsqr).
//
// References: Demmel & Kahan, "Accurate singular values of bidiagonal matrices", SIAM J. Sci. Stat. Comput.
// 11(5), 1990, doi:10.1137/0911052 (zero-shift QR, relative convergence criteria); Golub & Van Loan (4th ed.)
// Alg. 8.6.1–8.6.2; LAPACK dbdsqr / dlasv2 / dlas2 / dlartg, followed step by step (0-based). The sweep chases
// from the larger end of the active block towards the smaller one; the shift is the smaller singular value of
// the trailing (or leading) 2 × 2 block, or 0 when a shift would spoil relative accuracy. Every sweep's rotations
// go to two sinks (the columns of Ū and of V̄ in B = Ū·Σ·V̄ᵀ) in the sweep layout of tridiag.ts, so the caller
// accumulates them in batches (JS or WebAssembly). B's singular values come out with high relative accuracy.
import { NumericalError } from '../core/errors.js';
import { hyp } from './householder.js';
import type { SweepSink } from './tridiag.js';

/** dbdsqr's MAXITR: at most 6·n² inner QR steps in total before NumericalError. */
export const BDSQR_MAX_ITER = 6;

/** Unit roundoff (LAPACK dlamch('E')) and safe minimum. */
const ULP = 2 ** -53;
const UNFL = 2 ** -1022;

/** Result of {@link bdsqr}: how the accumulated columns must be reordered and which V̄ columns negated. */
export interface BdsqrResult {
  /** Column c of Ū and V̄ must become old column perm[c] (singular values descending); null: already in order. */
  readonly perm: Int32Array | null;
  /** Old columns of V̄ to negate (their σ came out negative), applied before the permutation; null: none. */
  readonly negate: Uint8Array | null;
}

let rc = 0, rs = 0, rr = 0;
/** dlartg: c, s, r with [c s; −s c]·[f; g] = [r; 0] (into rc, rs, rr). */
function lartg(f: number, g: number): void {
  if (g === 0) { rc = 1; rs = 0; rr = f; return; }
  if (f === 0) { rc = 0; rs = g > 0 ? 1 : -1; rr = Math.abs(g); return; }
  const d = hyp(f, g);
  rc = Math.abs(f) / d;
  rr = f >= 0 ? d : -d;
  rs = g / rr;
}

/** Fortran SIGN(a, b): |a| with the sign of b. */
function sign(a: number, b: number): number {
  return b >= 0 ? Math.abs(a) : -Math.abs(a);
}

/** dlas2: the smaller singular value of the 2 × 2 upper triangular [[f, g], [0, h]]. */
function las2min(f: number, g: number, h: number): number {
  const fa = Math.abs(f), ga = Math.abs(g), ha = Math.abs(h);
  const fhmn = Math.min(fa, ha), fhmx = Math.max(fa, ha);
  if (fhmn === 0) return 0;
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx, au = (ga / fhmx) ** 2;
    return fhmn * (2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au)));
  }
  const au = fhmx / ga;
  if (au === 0) return (fhmn * fhmx) / ga;
  const as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  return 2 * (fhmn * c) * au;
}

/** dlasv2 outputs: [ssmin, ssmax, snr, csr, snl, csl]. */
const sv2 = new Float64Array(6);
/**
 * dlasv2: SVD of [[f, g], [0, h]]: [[csl, snl], [−snl, csl]]·[[f, g], [0, h]]·[[csr, −snr], [snr, csr]] =
 * diag(ssmax, ssmin), |ssmax| ≥ |ssmin| (into sv2).
 */
function lasv2(f: number, g: number, h: number): void {
  let ft = f, fa = Math.abs(ft), ht = h, ha = Math.abs(h);
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    [ft, ht] = [ht, ft];
    [fa, ha] = [ha, fa];
  }
  const gt = g, ga = Math.abs(gt);
  let ssmin: number, ssmax: number, clt: number, crt: number, slt: number, srt: number;
  if (ga === 0) {
    ssmin = ha; ssmax = fa; clt = 1; crt = 1; slt = 0; srt = 0;
  } else {
    let gasmal = true;
    ssmin = ssmax = clt = crt = slt = srt = 0;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < ULP) {
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1; slt = ht / gt; srt = 1; crt = ft / gt;
      }
    }
    if (gasmal) {
      const dd = fa - ha;
      let l = dd === fa ? 1 : dd / fa;
      const m = gt / ft;
      let t = 2 - l;
      const mm = m * m, tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l === 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm === 0) t = l === 0 ? sign(2, ft) * sign(1, gt) : gt / sign(dd, ft) + m / t;
      else t = (m / (s + t) + m / (r + l)) * (1 + a);
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = ((ht / ft) * srt) / a;
    }
  }
  let csl: number, snl: number, csr: number, snr: number;
  if (swap) { csl = srt; snl = crt; csr = slt; snr = clt; } else { csl = clt; snl = slt; csr = crt; snr = srt; }
  let tsign: number;
  if (pmax === 1) tsign = sign(1, csr) * sign(1, csl) * sign(1, f);
  else if (pmax === 2) tsign = sign(1, snr) * sign(1, csl) * sign(1, g);
  else tsign = sign(1, snr) * sign(1, snl) * sign(1, h);
  sv2[0] = sign(ssmin, tsign * sign(1, f) * sign(1, h));
  sv2[1] = sign(ssmax, tsign);
  sv2[2] = snr; sv2[3] = csr; sv2[4] = snl; sv2[5] = csl;
}

/**
 * Singular values of the n×n upper bidiagonal B (diagonal d, superdiagonal e[0..n−2]; both destroyed) into d,
 * descending and ≥ 0, with B = Ū·Σ·V̄ᵀ. The rotations that build Ū and V̄ from the identity go to uSink and
 * vSink (column rotations, tridiag.ts convention; null: not wanted); apply the returned sign flips and
 * permutation afterwards.
 * Throws NumericalError after 6·n² QR steps, or when d or e holds NaN/±Infinity.
 */
export function bdsqr(n: number, d: Float64Array, e: Float64Array, uSink: SweepSink | null, vSink: SweepSink | null,
  where: string): BdsqrResult {
  if (n === 0) return { perm: null, negate: null };
  const us: SweepSink = uSink ?? noSink, vs: SweepSink = vSink ?? noSink;
  // rotation scratch, indexed by plane: (cu, su) for Ū, (cv, sv) for V̄, in the sinks' convention
  const cu = new Float64Array(n), su = new Float64Array(n), cv = new Float64Array(n), sv = new Float64Array(n);
  const tolmul = Math.max(10, Math.min(100, ULP ** -0.125));
  const tol = tolmul * ULP;
  let smax = 0;
  for (let i = 0; i < n; i++) smax = Math.max(smax, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) smax = Math.max(smax, Math.abs(e[i]!));
  // NaN would make every deflation test false and the sweep loop never end (Math.max propagates NaN)
  if (!Number.isFinite(smax)) throw new NumericalError(`${where}: the bidiagonal form has non-finite entries (overflow in the reduction)`);
  // relative accuracy threshold from an estimate of the smallest singular value
  let sminoa = Math.abs(d[0]!);
  if (sminoa !== 0) {
    let mu = sminoa;
    for (let i = 1; i < n; i++) {
      mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
      sminoa = Math.min(sminoa, mu);
      if (sminoa === 0) break;
    }
  }
  sminoa /= Math.sqrt(n);
  const thresh = Math.max(tol * sminoa, BDSQR_MAX_ITER * (n * (n * UNFL)));
  const maxitdivn = BDSQR_MAX_ITER * n;
  let iterdivn = 0, iter = -1, oldll = -1, oldm = -1, idir = 0;
  let m = n - 1;
  main: while (m > 0) {
    if (iter >= n) {
      iter -= n;
      if (++iterdivn >= maxitdivn) throw new NumericalError(`${where}: bidiagonal QR did not converge in ${BDSQR_MAX_ITER}·n² steps (n = ${n})`);
    }
    // find the bottom unreduced block [ll, m]
    smax = Math.abs(d[m]!);
    let ll = -1;
    for (let k = m - 1; k >= 0; k--) {
      const abss = Math.abs(d[k]!), abse = Math.abs(e[k]!);
      if (abse <= thresh) { ll = k; break; }
      smax = Math.max(smax, abss, abse);
    }
    if (ll >= 0) {
      e[ll] = 0;
      if (ll === m - 1) { m--; continue; }
    }
    ll++;
    if (ll === m - 1) {
      // 2 × 2 block
      lasv2(d[m - 1]!, e[m - 1]!, d[m]!);
      d[m - 1] = sv2[1]!;
      e[m - 1] = 0;
      d[m] = sv2[0]!;
      cv[m - 1] = sv2[3]!; sv[m - 1] = -sv2[2]!;
      cu[m - 1] = sv2[5]!; su[m - 1] = -sv2[4]!;
      vs(m - 1, m - 1, cv, sv);
      us(m - 1, m - 1, cu, su);
      m -= 2;
      continue;
    }
    // a new block: chase from the larger end diagonal entry towards the smaller one
    if (ll > oldm || m < oldll) idir = Math.abs(d[ll]!) >= Math.abs(d[m]!) ? 1 : 2;
    // convergence tests
    let smin: number;
    if (idir === 1) {
      if (Math.abs(e[m - 1]!) <= tol * Math.abs(d[m]!)) { e[m - 1] = 0; continue; }
      let mu = Math.abs(d[ll]!);
      smin = mu;
      for (let k = ll; k < m; k++) {
        if (Math.abs(e[k]!) <= tol * mu) { e[k] = 0; continue main; }
        mu = Math.abs(d[k + 1]!) * (mu / (mu + Math.abs(e[k]!)));
        smin = Math.min(smin, mu);
      }
    } else {
      if (Math.abs(e[ll]!) <= tol * Math.abs(d[ll]!)) { e[ll] = 0; continue; }
      let mu = Math.abs(d[m]!);
      smin = mu;
      for (let k = m - 1; k >= ll; k--) {
        if (Math.abs(e[k]!) <= tol * mu) { e[k] = 0; continue main; }
        mu = Math.abs(d[k]!) * (mu / (mu + Math.abs(e[k]!)));
        smin = Math.min(smin, mu);
      }
    }
    oldll = ll;
    oldm = m;
    // shift: zero when shifting would ruin relative accuracy or is negligible
    let shift = 0;
    if (!(n * tol * (smin / smax) <= Math.max(ULP, 0.01 * tol))) {
      const sll = idir === 1 ? Math.abs(d[ll]!) : Math.abs(d[m]!);
      shift = idir === 1 ? las2min(d[m - 1]!, e[m - 1]!, d[m]!) : las2min(d[ll]!, e[ll]!, d[ll + 1]!);
      if (sll > 0 && (shift / sll) ** 2 < ULP) shift = 0;
    }
    iter += m - ll;
    if (shift === 0) zeroShiftSweep(d, e, ll, m, idir, cu, su, cv, sv, us, vs, thresh);
    else shiftedSweep(d, e, ll, m, idir, shift, cu, su, cv, sv, us, vs, thresh);
  }
  return finish(n, d);
}

/** A sink that drops the rotations (values only). */
function noSink(): void {
  // singular values only: nothing accumulates the rotations
}

/** Demmel–Kahan zero-shift QR sweep on the block [ll, m] (dbdsqr, SHIFT = 0). */
function zeroShiftSweep(d: Float64Array, e: Float64Array, ll: number, m: number, idir: number, cu: Float64Array, su: Float64Array,
  cv: Float64Array, sv: Float64Array, uSink: SweepSink, vSink: SweepSink, thresh: number): void {
  let cs = 1, sn = 0, oldcs = 1, oldsn = 0;
  if (idir === 1) {
    for (let i = ll; i < m; i++) {
      lartg(d[i]! * cs, e[i]!);
      cs = rc; sn = rs;
      const r = rr;
      if (i > ll) e[i - 1] = oldsn * r;
      lartg(oldcs * r, d[i + 1]! * sn);
      oldcs = rc; oldsn = rs; d[i] = rr;
      cv[i] = cs; sv[i] = -sn;
      cu[i] = oldcs; su[i] = -oldsn;
    }
    const h = d[m]! * cs;
    d[m] = h * oldcs;
    e[m - 1] = h * oldsn;
    vSink(ll, m - 1, cv, sv);
    uSink(ll, m - 1, cu, su);
    if (Math.abs(e[m - 1]!) <= thresh) e[m - 1] = 0;
  } else {
    for (let i = m; i > ll; i--) {
      lartg(d[i]! * cs, e[i - 1]!);
      cs = rc; sn = rs;
      const r = rr;
      if (i < m) e[i] = oldsn * r;
      lartg(oldcs * r, d[i - 1]! * sn);
      oldcs = rc; oldsn = rs; d[i] = rr;
      cu[i - 1] = cs; su[i - 1] = sn;
      cv[i - 1] = oldcs; sv[i - 1] = oldsn;
    }
    const h = d[ll]! * cs;
    d[ll] = h * oldcs;
    e[ll] = h * oldsn;
    vSink(m - 1, ll, cv, sv);
    uSink(m - 1, ll, cu, su);
    if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
  }
}

/** Shifted implicit QR sweep (Golub–Kahan step) on the block [ll, m] (dbdsqr, SHIFT ≠ 0). */
function shiftedSweep(d: Float64Array, e: Float64Array, ll: number, m: number, idir: number, shift: number, cu: Float64Array,
  su: Float64Array, cv: Float64Array, sv: Float64Array, uSink: SweepSink, vSink: SweepSink, thresh: number): void {
  if (idir === 1) {
    let f = (Math.abs(d[ll]!) - shift) * (sign(1, d[ll]!) + shift / d[ll]!);
    let g = e[ll]!;
    for (let i = ll; i < m; i++) {
      lartg(f, g);
      const cosr = rc, sinr = rs;
      if (i > ll) e[i - 1] = rr;
      f = cosr * d[i]! + sinr * e[i]!;
      e[i] = cosr * e[i]! - sinr * d[i]!;
      g = sinr * d[i + 1]!;
      d[i + 1] = cosr * d[i + 1]!;
      lartg(f, g);
      const cosl = rc, sinl = rs;
      d[i] = rr;
      f = cosl * e[i]! + sinl * d[i + 1]!;
      d[i + 1] = cosl * d[i + 1]! - sinl * e[i]!;
      if (i < m - 1) {
        g = sinl * e[i + 1]!;
        e[i + 1] = cosl * e[i + 1]!;
      }
      cv[i] = cosr; sv[i] = -sinr;
      cu[i] = cosl; su[i] = -sinl;
    }
    e[m - 1] = f;
    vSink(ll, m - 1, cv, sv);
    uSink(ll, m - 1, cu, su);
    if (Math.abs(e[m - 1]!) <= thresh) e[m - 1] = 0;
  } else {
    let f = (Math.abs(d[m]!) - shift) * (sign(1, d[m]!) + shift / d[m]!);
    let g = e[m - 1]!;
    for (let i = m; i > ll; i--) {
      lartg(f, g);
      const cosr = rc, sinr = rs;
      if (i < m) e[i] = rr;
      f = cosr * d[i]! + sinr * e[i - 1]!;
      e[i - 1] = cosr * e[i - 1]! - sinr * d[i]!;
      g = sinr * d[i - 1]!;
      d[i - 1] = cosr * d[i - 1]!;
      lartg(f, g);
      const cosl = rc, sinl = rs;
      d[i] = rr;
      f = cosl * e[i - 1]! + sinl * d[i - 1]!;
      d[i - 1] = cosl * d[i - 1]! - sinl * e[i - 1]!;
      if (i > ll + 1) {
        g = sinl * e[i - 2]!;
        e[i - 2] = cosl * e[i - 2]!;
      }
      cu[i - 1] = cosr; su[i - 1] = sinr;
      cv[i - 1] = cosl; sv[i - 1] = sinl;
    }
    e[ll] = f;
    if (Math.abs(e[ll]!) <= thresh) e[ll] = 0;
    vSink(m - 1, ll, cv, sv);
    uSink(m - 1, ll, cu, su);
  }
}

/** Makes every σ non-negative (recording V̄ columns to negate) and sorts descending. */
function finish(n: number, d: Float64Array): BdsqrResult {
  let negate: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (d[i]! < 0) {
      d[i] = -d[i]!;
      negate ??= new Uint8Array(n);
      negate[i] = 1;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => d[y]! - d[x]! || x - y);
  let sorted = true;
  for (let i = 0; i < n; i++) if (order[i] !== i) { sorted = false; break; }
  if (sorted) return { perm: null, negate };
  const perm = Int32Array.from(order);
  const dd = Float64Array.from(perm, (i) => d[i]!);
  d.set(dd);
  return { perm, negate };
}
