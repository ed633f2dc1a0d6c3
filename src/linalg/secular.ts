// The secular equation of a rank-one update D + ρ·z·zᵀ and the Gu–Eisenstat eigenvectors (LAPACK dlaed4/dlaed3).
//
// References: Bunch, Nielsen & Sorensen, "Rank-one modification of the symmetric eigenproblem", Numer. Math. 31
// (1978) 31–48 (the rational model of the secular function); Gu & Eisenstat, "A divide-and-conquer algorithm
// for the symmetric tridiagonal eigenproblem", SIAM J. Matrix Anal. Appl. 16(1), 1995, doi:10.1137/S0895479892241287
// (recomputing z from the computed roots makes the eigenvectors numerically orthogonal); Li, "Solving secular
// equations stably and efficiently", LAPACK Working Note 89 (1994). Root i of
//   g(λ) = 1/ρ + Σ_j z_j²/(d_j − λ) = 0,  d₀ < d₁ < … < d_{k−1}, ρ > 0, z_j ≠ 0,
// lies in (d_i, d_{i+1}) (the last one in (d_{k−1}, d_{k−1} + ρ·‖z‖²)). It is found in the coordinates
// τ = λ − d_o of the nearer pole d_o, so that every δ_j = d_j − λ = (d_j − d_o) − τ is accurate to a few ulps,
// by the Bunch–Nielsen–Sorensen step (ψ and φ, the sums over the poles left and right of the root, each
// modelled by a constant plus one pole, matched in value and slope) safeguarded by bisection.
import { NumericalError } from '../core/errors.js';

/** Unit roundoff 2^-53 (LAPACK dlamch('E')). */
const ULP = 2 ** -53;
/** Iterations per root before NumericalError (the safeguarded iteration takes 2–6; bisection alone ≤ 1100). */
const MAX_ITER = 400;

/**
 * Root i of the secular equation (see module doc) into the return value, and δ_j = d_j − λ_i into
 * delta[off + j] (j < k). d strictly increasing, z2 = z², rho > 0.
 */
export function secularRoot(k: number, d: Float64Array, z2: Float64Array, rho: number, i: number, delta: Float64Array,
  off: number, where: string): number {
  const rinv = 1 / rho;
  if (k === 1) {
    delta[off] = -rho * z2[0]!;
    return d[0]! + rho * z2[0]!;
  }
  let o: number, lo: number, hi: number;
  if (i < k - 1) {
    const half = 0.5 * (d[i + 1]! - d[i]!);
    // g at the midpoint decides which pole is nearer to the root
    let g = rinv;
    for (let j = 0; j < k; j++) g += z2[j]! / ((d[j]! - d[i]!) - half);
    if (g >= 0) { o = i; lo = 0; hi = half; } else { o = i + 1; lo = -half; hi = 0; }
  } else {
    let zz = 0;
    for (let j = 0; j < k; j++) zz += z2[j]!;
    o = k - 1;
    lo = 0;
    hi = rho * zz;
  }
  const dox = d[o]!;
  // base_j = d_j − d_o, kept in delta until the end
  for (let j = 0; j < k; j++) delta[off + j] = d[j]! - dox;
  const last = i === k - 1;
  let tau = 0.5 * (lo + hi);
  for (let it = 0; it < MAX_ITER; it++) {
    let psi = 0, dpsi = 0, phi = 0, dphi = 0;
    for (let j = 0; j <= i; j++) {
      const r = 1 / (delta[off + j]! - tau), t = z2[j]! * r;
      psi += t;
      dpsi += t * r;
    }
    for (let j = i + 1; j < k; j++) {
      const r = 1 / (delta[off + j]! - tau), t = z2[j]! * r;
      phi += t;
      dphi += t * r;
    }
    const g = rinv + psi + phi;
    // stop when g is at its rounding level (ψ ≤ 0 ≤ φ)
    const err = 8 * (phi - psi + rinv) + Math.abs(tau) * (dpsi + dphi);
    if (Math.abs(g) <= ULP * err || g === 0) break;
    if (g > 0) hi = tau; else lo = tau;
    if (hi - lo <= 2 * ULP * Math.max(Math.abs(lo), Math.abs(hi))) break;
    // Bunch–Nielsen–Sorensen step: ψ ≈ A + B/(p − h), φ ≈ C + D/(q − h) around the current τ
    const p = delta[off + i]! - tau;
    const B = p * p * dpsi, A = psi - p * dpsi;
    let h: number;
    if (last) {
      const c0 = rinv + A;
      h = p + B / c0;
    } else {
      const q = delta[off + i + 1]! - tau;
      const D = q * q * dphi, C = phi - q * dphi;
      const c0 = rinv + A + C;
      h = quadraticRootBetween(c0, -(c0 * (p + q) + B + D), c0 * p * q + B * q + D * p, p, q);
    }
    let next = tau + h;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === tau) break;
    tau = next;
    if (it === MAX_ITER - 1) throw new NumericalError(`${where}: secular equation did not converge for root ${i} of ${k}`);
  }
  for (let j = 0; j < k; j++) delta[off + j] = delta[off + j]! - tau;
  return dox + tau;
}

/** The root of a·h² + b·h + c in (p, q) (there is exactly one for the secular model); NaN when none is found. */
function quadraticRootBetween(a: number, b: number, c: number, p: number, q: number): number {
  if (a === 0) return -c / b;
  const disc = b * b - 4 * a * c;
  if (!(disc >= 0)) return NaN;
  const s = Math.sqrt(disc);
  const t = b >= 0 ? -0.5 * (b + s) : -0.5 * (b - s);
  const r1 = t / a, r2 = t !== 0 ? c / t : NaN;
  if (r1 > p && r1 < q) return r1;
  if (r2 > p && r2 < q) return r2;
  return NaN;
}

/**
 * Eigenvectors of D + ρ·z·zᵀ from the k roots (Gu–Eisenstat): delta holds δ_ij = d_i − λ_j at delta[j·k + i]
 * (as returned by {@link secularRoot} for root j). ẑ_i = sign(z_i)·√(−δ_ii·Π_{j≠i} δ_ij/(d_i − d_j)) is the
 * vector for which the computed roots are exact, and eigenvector j is (ẑ_i/δ_ij)_i normalised: column j of the
 * row-major k×k u. z is read for its signs only.
 */
export function secularVectors(k: number, d: Float64Array, z: Float64Array, delta: Float64Array, u: Float64Array): void {
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) w[i] = delta[i * k + i]!;
  for (let j = 0; j < k; j++) {
    const o = j * k, dj = d[j]!;
    for (let i = 0; i < j; i++) w[i]! *= delta[o + i]! / (d[i]! - dj);
    for (let i = j + 1; i < k; i++) w[i]! *= delta[o + i]! / (d[i]! - dj);
  }
  for (let i = 0; i < k; i++) w[i] = z[i]! >= 0 ? Math.sqrt(-w[i]!) : -Math.sqrt(-w[i]!);
  const col = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const o = j * k;
    let ss = 0;
    for (let i = 0; i < k; i++) {
      const t = w[i]! / delta[o + i]!;
      col[i] = t;
      ss += t * t;
    }
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < k; i++) u[i * k + j] = col[i]! * inv;
  }
}
