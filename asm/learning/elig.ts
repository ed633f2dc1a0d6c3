// Eligibility-trace chunks (src/backend/learning/types.ts eligibilityChunk) as backward recursions plus two products.
//
// The trace recursion p_t = d ⊙ p_{t−1} + σ'_t ⊗ v_t (docs/theory/learning-rules.md §5.2; v = h_{t−1} for W, x_t for U, 1 for b;
// with a leak rate a the caller passes the decays (1−a) + a·d and the factor a, so σ'_t here is a·act'(pre_t)) and the
// loss-step updates g += c_t ⊙ p_t (c_t = F Gy_t, rows scaled) unroll, over the steps t = 0 … T−1 of a chunk with
// carried trace p_{−1}, into
//   g += Σ_τ r_τ ⊗ v_τ + diag(d ⊙ ρ_0) p_{−1},   p_{T−1} = Σ_τ q_τ ⊗ v_τ + diag(d ⊙ π_0) p_{−1},
// with ρ_τ = [τ ≥ from] c_τ + d ⊙ ρ_{τ+1} (ρ_T = 0), π_τ = d ⊙ π_{τ+1} (π_{T−1} = 1), r_τ = σ'_τ ⊙ ρ_τ,
// q_τ = σ'_τ ⊙ π_τ. The same products as the step-by-step recursion, regrouped: O(N) per step here, and the
// N²-per-step work becomes two sums of outer products over the chunk (gemm.ts gemmTN), which avoid the
// load–store of every trace entry at every step. With equal decays and the identity (RFLO on a linear network)
// every row of q_τ is the same number π_τ, and the trace sum collapses to 1 ⊗ Σ_τ π_τ v_τ.

import { gemmTN } from './gemm';
import { axpy } from '../common/vec';

/** One entry of the recursions (the scalar tail of eligRecurse): updates ρ, π and writes R, Q at byte offset o. */
@inline function recurseOne(n: i32, nOut: i32, o: usize, t: i32, last: bool, loss: bool, d: usize, Ft: usize,
  gyRow: usize, h: usize, R: usize, Q: usize, row: usize, rho: usize, pi: usize, scale: f64): void {
  const di = load<f64>(d + o);
  let c = 0.0;
  if (loss) for (let k = 0; k < nOut; k++) c += load<f64>(Ft + (<usize>(k * n) << 3) + o) * load<f64>(gyRow + (<usize>k << 3));
  const r = c + di * load<f64>(rho + o);
  const p = last ? 1.0 : di * load<f64>(pi + o);
  store<f64>(rho + o, r);
  store<f64>(pi + o, p);
  let sp = 1.0;
  if (h != 0) {
    const hi = load<f64>(h + o);
    sp = 1.0 - hi * hi;
  }
  if (scale != 1.0) sp = scale * sp;
  if (R != 0) store<f64>(R + row + o, sp * r);
  store<f64>(Q + row + o, sp * p);
}

/**
 * Writes R[t] = σ'_t ⊙ ρ_t (when R ≠ 0) and Q[t] = σ'_t ⊙ π_t for t < steps (rows of n), then a = d ⊙ ρ_0 and
 * e = d ⊙ π_0 (n each). Ft: the feedback transposed (O × N: Ft[o, i] = F[i, o]); Gy: steps × nOut errors, read
 * at t ≥ from; sg ≠ 0 (tanh): σ' sources, row t = h_t (or φ_t), σ' = scale·(1 − s_t²) (identity: σ' = scale).
 * rho, pi: n doubles of scratch each. Two entries at a time.
 */
export function eligRecurse(n: i32, nOut: i32, steps: i32, from: i32, d: usize, Ft: usize, Gy: usize, sg: usize,
  R: usize, Q: usize, rho: usize, pi: usize, a: usize, e: usize, scale: f64): void {
  const bytes = <usize>n << 3;
  const one = f64x2.splat(1.0), sc = f64x2.splat(scale);
  memory.fill(rho, 0, bytes);
  for (let t = steps - 1; t >= 0; t--) {
    const row = <usize>t * bytes;
    const h = sg != 0 ? sg + row : 0;
    const loss = t >= from, last = t == steps - 1;
    const gyRow = Gy + (<usize>(t * nOut) << 3);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const dv = v128.load(d + o);
      let c = f64x2.splat(0.0);
      if (loss) {
        for (let k = 0; k < nOut; k++) {
          c = f64x2.add(c, f64x2.mul(v128.load(Ft + (<usize>(k * n) << 3) + o), v128.load64_splat(gyRow + (<usize>k << 3))));
        }
      }
      const r = f64x2.add(c, f64x2.mul(dv, v128.load(rho + o)));
      const p = last ? one : f64x2.mul(dv, v128.load(pi + o));
      v128.store(rho + o, r);
      v128.store(pi + o, p);
      let sp = one;
      if (h != 0) {
        const hv = v128.load(h + o);
        sp = f64x2.sub(one, f64x2.mul(hv, hv));
      }
      if (scale != 1.0) sp = f64x2.mul(sc, sp);
      if (R != 0) v128.store(R + row + o, f64x2.mul(sp, r));
      v128.store(Q + row + o, f64x2.mul(sp, p));
    }
    if (i < n) recurseOne(n, nOut, <usize>i << 3, t, last, loss, d, Ft, gyRow, h, R, Q, row, rho, pi, scale);
  }
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const di = load<f64>(d + o);
    store<f64>(a + o, di * load<f64>(rho + o));
    store<f64>(e + o, di * load<f64>(pi + o));
  }
}

/**
 * One trace block (m columns: N for W with v = h_{t−1}, I for U with v = x_t): p, g as in the module header.
 * shared: every row of Q is one value π_t (equal decays, identity activation, as for RFLO), so Σ_τ q_τ ⊗ v_τ
 * = 1 ⊗ Σ_τ π_τ v_τ: the same terms, summed once for all rows (qv: m doubles of scratch).
 */
function applyTraces(n: i32, m: i32, steps: i32, v: usize, p: usize, g: usize, R: usize, Q: usize, a: usize, e: usize,
  shared: bool, qv: usize): void {
  if (g != 0) rowScaleAdd(n, m, a, p, g); // the carried trace's share, before it decays
  rowScale(n, m, e, p);
  if (shared) {
    memory.fill(qv, 0, <usize>m << 3);
    for (let t = 0; t < steps; t++) axpy(m, load<f64>(Q + (<usize>(t * n) << 3)), v + (<usize>(t * m) << 3), qv);
    for (let i = 0; i < n; i++) axpy(m, 1.0, qv, p + (<usize>(i * m) << 3));
  } else {
    gemmTN(n, m, steps, 1.0, Q, n, v, m, p, m);
  }
  if (g != 0) gemmTN(n, m, steps, 1.0, R, n, v, m, g, m);
}

/**
 * A whole eligibility chunk of `steps` steps: traces pW (N × N, v = h_{t−1}: hp rows 0 …), pU (N × I, v = x_t) and
 * pb (N, v = 1: `ones` holds steps ones) updated in place, gW, gU, gb accumulated (0 = skipped; a gradient needs
 * its trace). F (N × O) feedback, d (N) decays (with a leak a: (1−a) + a·d_i), scale: the factor a of the new
 * term, Gy rows read at t ≥ from, useTanh: σ' from the sg rows (row t = h_t, or φ_t). Scratch: Ft (O·N), R and Q
 * (steps·N each), rho (max(N, I)), pi, a, e (N each).
 */
export function eligChunk(n: i32, nIn: i32, nOut: i32, steps: i32, from: i32, d: usize, F: usize, useTanh: bool,
  hp: usize, x: usize, Gy: usize, pW: usize, gW: usize, pU: usize, gU: usize, Ft: usize, R: usize, Q: usize,
  rho: usize, pi: usize, a: usize, e: usize, sg: usize, scale: f64, pb: usize, gb: usize, ones: usize): void {
  const gradW = pW != 0 && gW != 0, gradU = pU != 0 && gU != 0, gradB = pb != 0 && gb != 0;
  const loss = (gradW || gradU || gradB) && from < steps;
  if (loss) transposeInto(n, nOut, F, Ft);
  eligRecurse(n, nOut, steps, loss ? from : steps, d, Ft, Gy, useTanh ? sg : 0, loss ? R : 0, Q, rho, pi, a, e, scale);
  let shared = !useTanh;
  for (let i = 1; i < n && shared; i++) shared = load<f64>(d + (<usize>i << 3)) == load<f64>(d);
  if (pW != 0) applyTraces(n, n, steps, hp, pW, loss && gradW ? gW : 0, R, Q, a, e, shared, rho);
  if (pU != 0) applyTraces(n, nIn, steps, x, pU, loss && gradU ? gU : 0, R, Q, a, e, shared, rho);
  if (pb != 0) applyTraces(n, 1, steps, ones, pb, loss && gradB ? gb : 0, R, Q, a, e, shared, rho);
}

/** Y[i, ·] += s_i X[i, ·] for a rows × cols row-major X, Y. */
export function rowScaleAdd(rows: i32, cols: i32, s: usize, X: usize, Y: usize): void {
  for (let i = 0; i < rows; i++) {
    const f = f64x2.splat(load<f64>(s + (<usize>i << 3)));
    const x = X + (<usize>(i * cols) << 3), y = Y + (<usize>(i * cols) << 3);
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const o = <usize>j << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(f, v128.load(x + o))));
    }
    if (j < cols) {
      const o = <usize>j << 3;
      store<f64>(y + o, load<f64>(y + o) + load<f64>(s + (<usize>i << 3)) * load<f64>(x + o));
    }
  }
}

/** X[i, ·] *= s_i for a rows × cols row-major X. */
export function rowScale(rows: i32, cols: i32, s: usize, X: usize): void {
  for (let i = 0; i < rows; i++) {
    const si = load<f64>(s + (<usize>i << 3));
    const f = f64x2.splat(si);
    const x = X + (<usize>(i * cols) << 3);
    let j = 0;
    for (; j + 2 <= cols; j += 2) v128.store(x + (<usize>j << 3), f64x2.mul(f, v128.load(x + (<usize>j << 3))));
    if (j < cols) store<f64>(x + (<usize>j << 3), si * load<f64>(x + (<usize>j << 3)));
  }
}

/** dst (cols × rows) = srcᵀ for a rows × cols row-major src. */
export function transposeInto(rows: i32, cols: i32, src: usize, dst: usize): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) store<f64>(dst + (<usize>(j * rows + i) << 3), load<f64>(src + (<usize>(i * cols + j) << 3)));
  }
}
