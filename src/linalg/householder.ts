// Householder reflectors (LAPACK dlarfg/zlarfg conventions) and unblocked complex Householder QR, row-major.
//
// Reference: Golub & Van Loan, Matrix Computations (4th ed.), §5.1.2–5.1.3 (reflectors), Alg. 5.2.1 (Householder
// QR); Anderson et al., LAPACK Users' Guide §5.4 (complex reflectors H = I − τ·v·vᴴ with Hᴴ·x = β·e₁, β real).
// Row-major layout: a reflector acting on rows j..m−1 of C is applied as two row-wise passes
// (w = vᴴ·C accumulated row by row, then C −= τ·v·w), so every inner loop is contiguous.

/** √(a² + b²) without overflow or harmful underflow (Math.hypot is slow in V8 hot loops). */
export function hyp(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  const mx = x > y ? x : y, mn = x > y ? y : x;
  if (mx === 0) return 0;
  const q = mn / mx;
  return mx * Math.sqrt(1 + q * q);
}

/** 2-norm of x[off + i·stride], i = 0..len−1, of the pair (re, im) when im is given; rescaled when squares would over/underflow. */
export function nrm2(len: number, re: Float64Array, im: Float64Array | null, off: number, stride: number): number {
  let ss = 0;
  for (let i = 0, p = off; i < len; i++, p += stride) {
    const r = re[p]!;
    ss += r * r;
    if (im !== null) { const t = im[p]!; ss += t * t; }
  }
  if (ss > 1e-280 && ss < 1e280) return Math.sqrt(ss);
  if (ss === 0) {
    // all squares underflowed or the vector is zero: rescale by the largest entry
    let mx = 0;
    for (let i = 0, p = off; i < len; i++, p += stride) {
      mx = Math.max(mx, Math.abs(re[p]!));
      if (im !== null) mx = Math.max(mx, Math.abs(im[p]!));
    }
    if (mx === 0) return 0;
    ss = 0;
    for (let i = 0, p = off; i < len; i++, p += stride) {
      const r = re[p]! / mx;
      ss += r * r;
      if (im !== null) { const t = im[p]! / mx; ss += t * t; }
    }
    return mx * Math.sqrt(ss);
  }
  let mx = 0;
  for (let i = 0, p = off; i < len; i++, p += stride) {
    mx = Math.max(mx, Math.abs(re[p]!));
    if (im !== null) mx = Math.max(mx, Math.abs(im[p]!));
  }
  let s2 = 0;
  for (let i = 0, p = off; i < len; i++, p += stride) {
    const r = re[p]! / mx;
    s2 += r * r;
    if (im !== null) { const t = im[p]! / mx; s2 += t * t; }
  }
  return mx * Math.sqrt(s2);
}

/**
 * Real reflector (dlarfg): for x = x[off + i·stride], i = 0..len−1, finds τ and v (v₀ = 1) with
 * (I − τ·v·vᵀ)·x = β·e₁. Overwrites x₀ with β and x₁.. with v₁..; returns τ (0 when x₁.. = 0, i.e. H = I).
 */
export function larfg(len: number, x: Float64Array, off: number, stride: number): number {
  if (len <= 1) return 0;
  const xnorm = nrm2(len - 1, x, null, off + stride, stride);
  if (xnorm === 0) return 0;
  const alpha = x[off]!;
  const h = hyp(alpha, xnorm);
  const beta = alpha >= 0 ? -h : h;
  const tau = (beta - alpha) / beta;
  const scal = 1 / (alpha - beta);
  for (let i = 1, p = off + stride; i < len; i++, p += stride) x[p]! *= scal;
  x[off] = beta;
  return tau;
}

/**
 * Complex reflector (zlarfg): H = I − τ·v·vᴴ with v₀ = 1 and Hᴴ·x = β·e₁, β real. Overwrites x₀ with β
 * (imaginary part 0) and x₁.. with v₁..; writes τ into tau[0] (re), tau[1] (im). τ = 0 means H = I.
 * A length-1 x with nonzero imaginary part still gets a reflector (a phase) so that β is real.
 */
export function zlarfg(len: number, xr: Float64Array, xi: Float64Array, off: number, stride: number, tau: Float64Array): void {
  tau[0] = 0;
  tau[1] = 0;
  if (len <= 0) return;
  const xnorm = len > 1 ? nrm2(len - 1, xr, xi, off + stride, stride) : 0;
  const ar = xr[off]!, ai = xi[off]!;
  if (xnorm === 0 && ai === 0) return;
  const h = hyp(hyp(ar, ai), xnorm);
  const beta = ar >= 0 ? -h : h;
  tau[0] = (beta - ar) / beta;
  tau[1] = -ai / beta;
  // scal = 1 / (alpha − beta)
  const dr = ar - beta, di = ai;
  let sr: number, si: number;
  if (Math.abs(dr) >= Math.abs(di)) {
    const t = di / dr, den = dr + di * t;
    sr = 1 / den;
    si = -t / den;
  } else {
    const t = dr / di, den = dr * t + di;
    sr = t / den;
    si = -1 / den;
  }
  for (let i = 1, p = off + stride; i < len; i++, p += stride) {
    const r = xr[p]!, t = xi[p]!;
    xr[p] = r * sr - t * si;
    xi[p] = r * si + t * sr;
  }
  xr[off] = beta;
  xi[off] = 0;
}

/**
 * In-place complex Householder QR (split storage): R in the upper triangle, v_j below the diagonal of column j
 * (v_j[j] = 1 implicit), τ_j in tauRe/tauIm.
 * Hᴴ_{k−1}⋯Hᴴ₀·A = R with real diagonal; A = Q·R with Q = H₀⋯H_{k−1}. work: scratch of length ≥ 2n.
 */
export function qrFactorComplex(m: number, n: number, ar: Float64Array, ai: Float64Array,
  tauRe: Float64Array, tauIm: Float64Array, work: Float64Array): void {
  const k = Math.min(m, n);
  const tau = new Float64Array(2);
  for (let j = 0; j < k; j++) {
    zlarfg(m - j, ar, ai, j * n + j, n, tau);
    tauRe[j] = tau[0]!;
    tauIm[j] = tau[1]!;
    if (j === n - 1) continue;
    applyReflectorLeftC(m, n, ar, ai, j, j + 1, n, tau[0]!, -tau[1]!, ar, ai, n, j, work);
  }
}

/**
 * C[j:, c0:c1] ← (I − t·v·vᴴ)·C[j:, c0:c1] for the reflector v stored in column vc of (vr, vi) (leading dim ldv,
 * v_j = 1 implicit, entries rows j+1..m−1), t = tr + i·ti. C is m×ldc row-major (cr, ci). work ≥ 2(c1−c0).
 */
export function applyReflectorLeftC(m: number, ldc: number, cr: Float64Array, ci: Float64Array, j: number, c0: number, c1: number,
  tr: number, ti: number, vr: Float64Array, vi: Float64Array, ldv: number, vc: number, work: Float64Array): void {
  if (tr === 0 && ti === 0) return;
  const nc = c1 - c0;
  const wr = work, wiOff = nc;
  const rj = j * ldc + c0;
  for (let c = 0; c < nc; c++) {
    wr[c] = cr[rj + c]!;
    wr[wiOff + c] = ci[rj + c]!;
  }
  // w = vᴴ·C  (w_c += conj(v_i)·C_ic)
  for (let i = j + 1; i < m; i++) {
    const pr = vr[i * ldv + vc]!, pi = -vi[i * ldv + vc]!;
    if (pr === 0 && pi === 0) continue;
    const ri = i * ldc + c0;
    for (let c = 0; c < nc; c++) {
      const xr = cr[ri + c]!, xi = ci[ri + c]!;
      wr[c]! += pr * xr - pi * xi;
      wr[wiOff + c]! += pr * xi + pi * xr;
    }
  }
  // C −= t·v·w: row j (v_j = 1) then rows below
  for (let c = 0; c < nc; c++) {
    const xr = wr[c]!, xi = wr[wiOff + c]!;
    cr[rj + c]! -= tr * xr - ti * xi;
    ci[rj + c]! -= tr * xi + ti * xr;
  }
  for (let i = j + 1; i < m; i++) {
    const pr = vr[i * ldv + vc]!, pi = vi[i * ldv + vc]!;
    const fr = tr * pr - ti * pi, fi = tr * pi + ti * pr;
    if (fr === 0 && fi === 0) continue;
    const ri = i * ldc + c0;
    for (let c = 0; c < nc; c++) {
      const xr = wr[c]!, xi = wr[wiOff + c]!;
      cr[ri + c]! -= fr * xr - fi * xi;
      ci[ri + c]! -= fr * xi + fi * xr;
    }
  }
}

/**
 * C ← Q·C (adjoint = false) or C ← Qᴴ·C (adjoint = true) for Q = H₀⋯H_{k−1} from {@link qrFactorComplex}
 * (unblocked; same conventions as the real blocked applyQReal in blocked-qr.ts). work ≥ 2p.
 */
export function applyQComplex(m: number, n: number, k: number, fr: Float64Array, fi: Float64Array, tauRe: Float64Array,
  tauIm: Float64Array, cr: Float64Array, ci: Float64Array, p: number, adjoint: boolean, formQ: boolean, work: Float64Array): void {
  for (let s = 0; s < k; s++) {
    const j = adjoint ? s : k - 1 - s;
    // Q·C applies H_j = I − τ·v·vᴴ; Qᴴ·C applies H_jᴴ = I − conj(τ)·v·vᴴ.
    const tr = tauRe[j]!, ti = adjoint ? -tauIm[j]! : tauIm[j]!;
    applyReflectorLeftC(m, p, cr, ci, j, formQ ? j : 0, p, tr, ti, fr, fi, n, j, work);
  }
}
