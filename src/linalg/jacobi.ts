// One-sided (Hestenes) Jacobi orthogonalisation of the rows of a complex matrix: the core of the complex svd() with vectors.
//
// Reference: Demmel & Veselić, "Jacobi's method is more accurate than QR", SIAM J. Matrix Anal. Appl. 13(4),
// 1992, doi:10.1137/0613074; Golub & Van Loan (4th ed.) §8.6.3. The rows y_p of Y (k×L, row-major) are the
// columns x_p of X = Yᵀ; each rotation makes x_pᴴ·x_q = 0 for one pair, sweeping cyclically until every pair
// satisfies |x_pᴴ·x_q| ≤ tol·‖x_p‖·‖x_q‖ (tol = max(4, √L)·eps, the LAPACK dgesvj criterion with a floor).
// A column of norm ≤ eps·‖Y‖_F that is still not orthogonal to another one (rounding debris, e.g. after
// rotating two parallel columns) is set to exactly zero: a backward perturbation of at most eps·‖Y‖_F that
// lets the sweep terminate; columns that are already orthogonal keep their (possibly tiny) norms.
import { NumericalError } from '../core/errors.js';
import { EPS } from './checks.js';

/** Maximum number of sweeps before NumericalError (convergence is quadratic; 6–12 sweeps are typical). */
export const JACOBI_MAX_SWEEPS = 60;

/** Rows a (at ao) and b (at bo), length len, of the complex (re, im): a' = c·a − s·e^{−iφ}·b, b' = s·e^{iφ}·a + c·b (sr + i·si = s·e^{iφ}). */
function rotateRows(re: Float64Array, im: Float64Array, ao: number, bo: number, len: number, c: number, sr: number, si: number): void {
  for (let i = 0; i < len; i++) {
    const ar = re[ao + i]!, ai = im[ao + i]!, br = re[bo + i]!, bi = im[bo + i]!;
    re[ao + i] = c * ar - (sr * br + si * bi);
    im[ao + i] = c * ai - (sr * bi - si * br);
    re[bo + i] = sr * ar - si * ai + c * br;
    im[bo + i] = sr * ai + si * ar + c * bi;
  }
}

/**
 * Orthogonalises the k rows (length L) of the complex Y = (yr, yi) in place: columns x_p, x_q of X = Yᵀ are
 * replaced by [x_p, x_q]·[[c, s·e^{iφ}], [−s·e^{−iφ}, c]] where x_pᴴ·x_q = |γ|·e^{iφ}; when (vr, vi) is given
 * (k×k, start it at I) its rows receive the same transform, so that X₀·V = X with orthogonal columns.
 */
export function jacobiRowsComplex(k: number, L: number, yr: Float64Array, yi: Float64Array,
  vr: Float64Array | null, vi: Float64Array | null, where: string): void {
  const tol = Math.max(4, Math.sqrt(L)) * EPS;
  let fro2 = 0;
  for (let i = 0; i < k * L; i++) fro2 += yr[i]! * yr[i]! + yi[i]! * yi[i]!;
  const negl = EPS * EPS * fro2;
  const nrm = new Float64Array(k);
  for (let sweep = 0; sweep < JACOBI_MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < k; p++) nrm[p] = dotRows(yr, p * L, p * L, L) + dotRows(yi, p * L, p * L, L);
    for (let p = 0; p < k - 1; p++) {
      const op = p * L;
      for (let q = p + 1; q < k; q++) {
        const oq = q * L;
        const alpha = nrm[p]!, beta = nrm[q]!;
        // γ = x_pᴴ·x_q = Σ conj(a)·b
        const gr = dotRows(yr, op, oq, L) + dotRows(yi, op, oq, L);
        const gi = crossRows(yr, yi, op, oq, L);
        const ag = Math.sqrt(gr * gr + gi * gi);
        if (ag === 0 || ag <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        if (Math.min(alpha, beta) <= negl) {
          const o = alpha <= beta ? op : oq;
          yr.fill(0, o, o + L);
          yi.fill(0, o, o + L);
          nrm[alpha <= beta ? p : q] = 0;
          continue;
        }
        const er = gr / ag, ei = gi / ag; // e^{iφ}
        const zeta = (beta - alpha) / (2 * ag);
        const az = Math.abs(zeta);
        const t = az > 1e150 ? 1 / (2 * zeta) : (zeta >= 0 ? 1 : -1) / (az + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        // x_p' = c·x_p − s·e^{−iφ}·x_q ; x_q' = s·e^{iφ}·x_p + c·x_q
        const sr = s * er, si = s * ei;
        rotateRows(yr, yi, op, oq, L, c, sr, si);
        const na = alpha - t * ag, nb = beta + t * ag;
        nrm[p] = na > 0.05 * alpha ? na : dotRows(yr, op, op, L) + dotRows(yi, op, op, L);
        nrm[q] = nb > 0.05 * beta ? nb : dotRows(yr, oq, oq, L) + dotRows(yi, oq, oq, L);
        if (vr !== null && vi !== null) rotateRows(vr, vi, p * k, q * k, k, c, sr, si);
      }
    }
    if (!rotated) return;
  }
  throw new NumericalError(`${where}: one-sided Jacobi did not converge in ${JACOBI_MAX_SWEEPS} sweeps`);
}

/** Σ_i x[a+i]·x[b+i], four accumulators (the reduction chain is the latency bottleneck). */
function dotRows(x: Float64Array, a: number, b: number, L: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < L; i += 4) {
    s0 += x[a + i]! * x[b + i]!;
    s1 += x[a + i + 1]! * x[b + i + 1]!;
    s2 += x[a + i + 2]! * x[b + i + 2]!;
    s3 += x[a + i + 3]! * x[b + i + 3]!;
  }
  for (; i < L; i++) s0 += x[a + i]! * x[b + i]!;
  return (s0 + s1) + (s2 + s3);
}

/** Σ_i (re[a+i]·im[b+i] − im[a+i]·re[b+i]) = Im Σ conj(x_a)·x_b. */
function crossRows(re: Float64Array, im: Float64Array, a: number, b: number, L: number): number {
  let s0 = 0, s1 = 0;
  let i = 0;
  for (; i + 1 < L; i += 2) {
    s0 += re[a + i]! * im[b + i]! - im[a + i]! * re[b + i]!;
    s1 += re[a + i + 1]! * im[b + i + 1]! - im[a + i + 1]! * re[b + i + 1]!;
  }
  for (; i < L; i++) s0 += re[a + i]! * im[b + i]! - im[a + i]! * re[b + i]!;
  return s0 + s1;
}
