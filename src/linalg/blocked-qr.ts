// Blocked real Householder QR (compact WY representation) and block application of Q / Qᵀ, row-major.
//
// References: Schreiber & Van Loan, "A storage-efficient WY representation for products of Householder
// transformations", SIAM J. Sci. Stat. Comput. 10(1), 1989, doi:10.1137/0910005; Golub & Van Loan (4th ed.)
// §5.2.3; LAPACK dgeqrf/dlarft/dlarfb. Panels of 32 reflectors are factored in a contiguous copy and applied
// to the trailing columns as I − V·T·Vᵀ (or its transpose), streaming the trailing matrix twice per panel.
import { larfg } from './householder.js';

/** Reflector block size of the blocked (compact WY) real QR. */
const NB = 32;

/**
 * In-place real Householder QR of the row-major m×n matrix a: on return the upper triangle holds R
 * (min(m,n)×n) and column j below the diagonal holds v_j (v_j[j] = 1 implicit); tau[j] = τ_j.
 * A = Q·R with Q = H₀·H₁⋯H_{k−1}, H_j = I − τ_j·v_j·v_jᵀ. Blocked: each panel of 32 columns is copied to a
 * contiguous buffer and factored there, then applied to the trailing columns at once as I − V·Tᵀ·Vᵀ
 * (compact WY, Schreiber & Van Loan 1989; Golub & Van Loan §5.2.3), so the trailing matrix is streamed
 * twice per panel instead of twice per column. work: unused (kept for the signature); scratch is per call.
 * Pure JS: the js backend's linalg family `qrFactor`; the wasm one runs the same algorithm in linear memory
 * (src/backend/linalg/wasm-qr.ts).
 */
export function qrFactorReal(m: number, n: number, a: Float64Array, tau: Float64Array, _work: Float64Array): void {
  const k = Math.min(m, n);
  if (k === 0) return;
  const T = new Float64Array(NB * NB), W = new Float64Array(NB * Math.max(n, 1)), z = new Float64Array(NB);
  const P = new Float64Array(m * Math.min(NB, k)), work = new Float64Array(NB);
  for (let j0 = 0; j0 < k; j0 += NB) {
    const jb = Math.min(NB, k - j0), pend = j0 + jb, rows = m - j0;
    // copy the panel a[j0:, j0:pend] into P (rows × jb, contiguous)
    for (let i = 0; i < rows; i++) {
      const o = (j0 + i) * n + j0, po = i * jb;
      for (let r = 0; r < jb; r++) P[po + r] = a[o + r]!;
    }
    for (let r = 0; r < jb; r++) {
      const t = larfg(rows - r, P, r * jb + r, jb);
      tau[j0 + r] = t;
      if (t === 0 || r === jb - 1) continue;
      reflectLeft(rows, jb, P, r, r + 1, jb, t, P, jb, r, work);
    }
    for (let i = 0; i < rows; i++) {
      const o = (j0 + i) * n + j0, po = i * jb;
      for (let r = 0; r < jb; r++) a[o + r] = P[po + r]!;
    }
    if (pend >= n) continue;
    formT(rows, P, jb, tau, j0, T, z);
    applyBlock(rows, P, jb, T, true, a, n, j0, pend, n - pend, W);
  }
}

/** C[j:, c0:c1] ← (I − t·v·vᵀ)·C[j:, c0:c1], v stored in column vc of v (leading dim ldv, v_j = 1). work ≥ c1 − c0. */
function reflectLeft(m: number, ldc: number, c: Float64Array, j: number, c0: number, c1: number, t: number,
  v: Float64Array, ldv: number, vc: number, work: Float64Array): void {
  const nc = c1 - c0, rj = j * ldc + c0;
  for (let q = 0; q < nc; q++) work[q] = c[rj + q]!;
  for (let i = j + 1; i < m; i++) {
    const vi = v[i * ldv + vc]!;
    if (vi === 0) continue;
    const ri = i * ldc + c0;
    for (let q = 0; q < nc; q++) work[q]! += vi * c[ri + q]!;
  }
  for (let q = 0; q < nc; q++) c[rj + q]! -= t * work[q]!;
  for (let i = j + 1; i < m; i++) {
    const g = t * v[i * ldv + vc]!;
    if (g === 0) continue;
    const ri = i * ldc + c0;
    for (let q = 0; q < nc; q++) c[ri + q]! -= g * work[q]!;
  }
}

/**
 * Upper-triangular T (jb×jb, leading dim NB) with H_{j0}⋯H_{j0+jb−1} = I − V·T·Vᵀ (LAPACK dlarft, forward,
 * columnwise). V (rows × jb, contiguous) is unit lower trapezoidal: V[r][r] = 1 implicit, zeros above.
 */
function formT(rows: number, V: Float64Array, jb: number, tau: Float64Array, j0: number, T: Float64Array, z: Float64Array): void {
  T.fill(0);
  for (let r = 0; r < jb; r++) {
    const t = tau[j0 + r]!;
    T[r * NB + r] = t;
    if (r === 0 || t === 0) continue;
    // z = V[:, 0:r]ᵀ·v_r (rows r.., v_r[r] = 1)
    for (let q = 0; q < r; q++) z[q] = V[r * jb + q]!;
    for (let i = r + 1; i < rows; i++) {
      const o = i * jb, vr = V[o + r]!;
      if (vr === 0) continue;
      for (let q = 0; q < r; q++) z[q]! += V[o + q]! * vr;
    }
    // T[0:r, r] = −t·T[0:r, 0:r]·z
    for (let q = 0; q < r; q++) {
      let acc = 0;
      for (let p = q; p < r; p++) acc += T[q * NB + p]! * z[p]!;
      T[q * NB + r] = -t * acc;
    }
  }
}

/**
 * C[j0:, c0:c0+nc] ← (I − V·op(T)·Vᵀ)·C[j0:, c0:c0+nc] with op(T) = Tᵀ when trans (applies the block's Qᵀ)
 * and T otherwise (applies Q). V: rows × jb contiguous as in {@link formT}, row 0 ↔ row j0 of C (leading dim
 * ldc). W: scratch ≥ NB·nc.
 */
function applyBlock(rows: number, V: Float64Array, jb: number, T: Float64Array, trans: boolean,
  c: Float64Array, ldc: number, j0: number, c0: number, nc: number, W: Float64Array): void {
  // W = Vᵀ·C  (jb×nc). The unit-triangle rows i < jb go one reflector at a time; below it, two C rows and four
  // reflectors are combined per pass (register blocking: 8 multiply-adds per 4 loads and stores of W).
  W.fill(0, 0, jb * nc);
  const top = Math.min(jb, rows);
  for (let i = 0; i < top; i++) {
    const ci = (j0 + i) * ldc + c0, vo = i * jb;
    for (let r = 0; r <= i; r++) {
      const vir = r === i ? 1 : V[vo + r]!;
      if (vir === 0) continue;
      const wo = r * nc;
      for (let q = 0; q < nc; q++) W[wo + q]! += vir * c[ci + q]!;
    }
  }
  let i2 = top;
  for (; i2 + 1 < rows; i2 += 2) {
    const ca = (j0 + i2) * ldc + c0, cb = ca + ldc, va = i2 * jb, vb = va + jb;
    let r = 0;
    for (; r + 3 < jb; r += 4) {
      const a0 = V[va + r]!, a1 = V[va + r + 1]!, a2 = V[va + r + 2]!, a3 = V[va + r + 3]!;
      const b0 = V[vb + r]!, b1 = V[vb + r + 1]!, b2 = V[vb + r + 2]!, b3 = V[vb + r + 3]!;
      const w0 = r * nc, w1 = w0 + nc, w2 = w1 + nc, w3 = w2 + nc;
      for (let q = 0; q < nc; q++) {
        const x = c[ca + q]!, y = c[cb + q]!;
        W[w0 + q]! += a0 * x + b0 * y;
        W[w1 + q]! += a1 * x + b1 * y;
        W[w2 + q]! += a2 * x + b2 * y;
        W[w3 + q]! += a3 * x + b3 * y;
      }
    }
    for (; r < jb; r++) {
      const a0 = V[va + r]!, b0 = V[vb + r]!, wo = r * nc;
      for (let q = 0; q < nc; q++) W[wo + q]! += a0 * c[ca + q]! + b0 * c[cb + q]!;
    }
  }
  for (; i2 < rows; i2++) {
    const ci = (j0 + i2) * ldc + c0, vo = i2 * jb;
    for (let r = 0; r < jb; r++) {
      const vir = V[vo + r]!, wo = r * nc;
      for (let q = 0; q < nc; q++) W[wo + q]! += vir * c[ci + q]!;
    }
  }
  // W ← op(T)·W in place (T upper triangular, Tᵀ lower triangular)
  if (trans) {
    for (let r = jb - 1; r >= 0; r--) {
      const wo = r * nc, trr = T[r * NB + r]!;
      for (let q = 0; q < nc; q++) W[wo + q]! *= trr;
      for (let p = 0; p < r; p++) {
        const f = T[p * NB + r]!;
        if (f === 0) continue;
        const po = p * nc;
        for (let q = 0; q < nc; q++) W[wo + q]! += f * W[po + q]!;
      }
    }
  } else {
    for (let r = 0; r < jb; r++) {
      const wo = r * nc, trr = T[r * NB + r]!;
      for (let q = 0; q < nc; q++) W[wo + q]! *= trr;
      for (let p = r + 1; p < jb; p++) {
        const f = T[r * NB + p]!;
        if (f === 0) continue;
        const po = p * nc;
        for (let q = 0; q < nc; q++) W[wo + q]! += f * W[po + q]!;
      }
    }
  }
  // C −= V·W: triangle rows one reflector at a time; below it two C rows and four reflectors per pass
  for (let i = 0; i < top; i++) {
    const ci = (j0 + i) * ldc + c0, vo = i * jb;
    for (let r = 0; r <= i; r++) {
      const vir = r === i ? 1 : V[vo + r]!;
      if (vir === 0) continue;
      const wo = r * nc;
      for (let q = 0; q < nc; q++) c[ci + q]! -= vir * W[wo + q]!;
    }
  }
  i2 = top;
  for (; i2 + 1 < rows; i2 += 2) {
    const ca = (j0 + i2) * ldc + c0, cb = ca + ldc, va = i2 * jb, vb = va + jb;
    let r = 0;
    for (; r + 3 < jb; r += 4) {
      const a0 = V[va + r]!, a1 = V[va + r + 1]!, a2 = V[va + r + 2]!, a3 = V[va + r + 3]!;
      const b0 = V[vb + r]!, b1 = V[vb + r + 1]!, b2 = V[vb + r + 2]!, b3 = V[vb + r + 3]!;
      const w0 = r * nc, w1 = w0 + nc, w2 = w1 + nc, w3 = w2 + nc;
      for (let q = 0; q < nc; q++) {
        const x0 = W[w0 + q]!, x1 = W[w1 + q]!, x2 = W[w2 + q]!, x3 = W[w3 + q]!;
        c[ca + q] = c[ca + q]! - a0 * x0 - a1 * x1 - a2 * x2 - a3 * x3;
        c[cb + q] = c[cb + q]! - b0 * x0 - b1 * x1 - b2 * x2 - b3 * x3;
      }
    }
    for (; r < jb; r++) {
      const a0 = V[va + r]!, b0 = V[vb + r]!, wo = r * nc;
      for (let q = 0; q < nc; q++) {
        const x = W[wo + q]!;
        c[ca + q]! -= a0 * x;
        c[cb + q]! -= b0 * x;
      }
    }
  }
  for (; i2 < rows; i2++) {
    const ci = (j0 + i2) * ldc + c0, vo = i2 * jb;
    for (let r = 0; r < jb; r++) {
      const vir = V[vo + r]!, wo = r * nc;
      for (let q = 0; q < nc; q++) c[ci + q]! -= vir * W[wo + q]!;
    }
  }
}

/**
 * C ← Q·C (adjoint = false) or C ← Qᵀ·C (adjoint = true) for Q = H₀⋯H_{k−1} from {@link qrFactorReal}
 * (factor f, m×n, k reflectors). C is m×p row-major. With formQ = true, C is assumed to be [I; 0] on entry
 * and block j0 touches only columns ≥ j0 (backward accumulation of the thin Q). Blocked by 32 reflectors
 * (pure JS: the js backend's linalg family `applyQ`; src/backend/linalg/wasm-qr.ts is the wasm one).
 */
export function applyQReal(m: number, n: number, k: number, f: Float64Array, tau: Float64Array, c: Float64Array, p: number,
  adjoint: boolean, formQ: boolean, _work: Float64Array): void {
  if (k === 0 || p === 0) return;
  const T = new Float64Array(NB * NB), W = new Float64Array(NB * p), z = new Float64Array(NB);
  const V = new Float64Array(m * Math.min(NB, k));
  const nblocks = Math.ceil(k / NB);
  for (let s = 0; s < nblocks; s++) {
    const b = adjoint ? s : nblocks - 1 - s;
    const j0 = b * NB, jb = Math.min(NB, k - j0), rows = m - j0;
    // compact copy of the block's reflectors (unit diagonal and zeros above are implicit / ignored)
    for (let i = 0; i < rows; i++) {
      const o = (j0 + i) * n + j0, vo = i * jb;
      for (let r = 0; r < jb; r++) V[vo + r] = f[o + r]!;
    }
    formT(rows, V, jb, tau, j0, T, z);
    const c0 = formQ ? j0 : 0;
    applyBlock(rows, V, jb, T, adjoint, c, p, j0, c0, p - c0, W);
  }
}

/**
 * Q = H₀·H₁⋯H_{n−2} (n×n) from the reflectors of a tridiagonal or Hessenberg reduction
 * (eigh.ts tridiagReal, hqr.ts hessenbergReal): reflector k has its unit entry in
 * row k+1 and lives in column k, i.e. the reflectors form the QR factor of the (n−1)×(n−1) block a[1:, :n−1]
 * (leading dimension n), so Q = diag(1, Q') with Q' accumulated by the blocked {@link applyQReal}.
 */
export function formQReal(n: number, a: Float64Array, taus: Float64Array, z: Float64Array): void {
  z.fill(0);
  z[0] = 1;
  const n1 = n - 1;
  if (n1 === 0) return;
  const q = new Float64Array(n1 * n1);
  for (let i = 0; i < n1; i++) q[i * n1 + i] = 1;
  applyQReal(n1, n, Math.max(n1 - 1, 0), a.subarray(n), taus, q, n1, false, true, new Float64Array(0));
  for (let i = 0; i < n1; i++) z.set(q.subarray(i * n1, (i + 1) * n1), (i + 1) * n + 1);
}
