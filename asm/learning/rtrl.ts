// Real-time recurrent learning steps on packed sensitivities (src/backend/learning/types.ts rtrlChunk, rtrlChunkComplex).
//
// Per step (docs/theory/learning-rules.md §4, with the leak rate a): S ← A S, S[k, k·m + j] += v_j, rows scaled by σ'(a_k)
// (tanh), then for a < 1 S ← (1−a) S_old + a·S (S_old is the other buffer, still intact), and at loss steps
// g += cᵀ S. The bias block is the case m = 1, v = 1. A is W (R = N rows) or, for a complex network, the stacked real form [[Wr, −Wi], [Wi, Wr]]
// acting on [S_re; S_im] (R = 2N rows), so one real product serves both. The product A S (R² P multiply–adds,
// the whole cost) runs on common/tile.ts's 4 × 4 microkernel: S is kept for the whole chunk in the layout of a packed
// B operand (common/panel.ts: panels of 4 columns, R positions each), so each new panel is written where the next
// step reads it, and the immediate term, σ' and the gradient are applied to the panel while it is in L1. The
// 4 × 4 tile is common/tile.ts's microkernel in its store mode (no zeroing pass per step).

import { MR, NR, tileStrided } from '../common/tile';
import { packCols, packRows, panelDoubles } from '../common/panel';

/**
 * Rows 0..mr of one output panel := Σ_{p < kc} a_p b_pᵀ: a is a packed 4-row panel of A (kc positions), b a packed
 * 4-column panel of S (kc positions), c the output panel rows (4 doubles each, row-major).
 */
@inline function tileStore(kc: i32, a: usize, b: usize, c: usize, mr: i32): void {
  tileStrided(kc, a, MR << 3, b, NR << 3, 1.0, c, NR, mr, NR, false);
}

/** Doubles of one packed sensitivity set: ⌈P/4⌉ panels of R rows × 4 lanes. */
export function rtrlStateSize(R: i32, P: i32): i32 {
  return ((P + NR - 1) / NR) * NR * R;
}

/** Doubles of the packed propagation matrix A (R × R, 4-row panels). */
export function rtrlPackedSize(R: i32): i32 {
  return panelDoubles(R, R, MR);
}

/** Packs A = W (Wi = 0, R = n) or the stacked [[Wr, −Wi], [Wi, Wr]] (R = 2n, built in tmp: 4n² doubles). */
export function rtrlPackW(n: i32, Wr: usize, Wi: usize, tmp: usize, wa: usize): void {
  if (Wi == 0) {
    packRows(wa, n, 0, Wr, n, 0, n, 0, n, MR, 1.0);
    return;
  }
  const R = 2 * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = load<f64>(Wr + (<usize>(i * n + j) << 3)), b = load<f64>(Wi + (<usize>(i * n + j) << 3));
      store<f64>(tmp + (<usize>(i * R + j) << 3), a);
      store<f64>(tmp + (<usize>(i * R + n + j) << 3), -b);
      store<f64>(tmp + (<usize>((n + i) * R + j) << 3), b);
      store<f64>(tmp + (<usize>((n + i) * R + n + j) << 3), a);
    }
  }
  packRows(wa, R, 0, tmp, R, 0, R, 0, R, MR, 1.0);
}

/** Packs the row-major stacked sensitivities src (R × P) into panels at dst (padding lanes zero). */
export function rtrlPackState(R: i32, P: i32, src: usize, dst: usize): void {
  packCols(dst, R, 0, src, P, 0, R, 0, P, NR, 1.0);
}

/** Inverse of rtrlPackState: panels at src back to row-major dst (R × P). */
export function rtrlUnpackState(R: i32, P: i32, src: usize, dst: usize): void {
  for (let s = 0; s * NR < P; s++) {
    const cw = min(NR, P - s * NR);
    const panel = src + (<usize>(s * R * NR) << 3);
    for (let k = 0; k < R; k++) {
      const from = panel + (<usize>(k * NR) << 3), to = dst + (<usize>(k * P + s * NR) << 3);
      for (let c = 0; c < cw; c++) store<f64>(to + (<usize>c << 3), load<f64>(from + (<usize>c << 3)));
    }
  }
}

/**
 * Gradient coefficients of rows t < rows: real (Vi = 0) C1[t] = Vᵀ Gy_t (N values); complex C1[t] = [cr; ci],
 * C2[t] = [ci; −cr] (2N values) with c = Vᴴ Gy_t, so that g_re += C1ᵀ S and g_im += C2ᵀ S on [S_re; S_im].
 */
export function rtrlCoeffs(n: i32, nOut: i32, rows: i32, Vr: usize, Vi: usize, gyr: usize, gyi: usize, C1: usize, C2: usize): void {
  const R = Vi == 0 ? n : 2 * n;
  for (let t = 0; t < rows; t++) {
    const c1 = C1 + (<usize>(t * R) << 3), c2 = C2 + (<usize>(t * R) << 3);
    for (let k = 0; k < n; k++) {
      let cr = 0.0, ci = 0.0;
      for (let o = 0; o < nOut; o++) {
        const er = load<f64>(gyr + (<usize>(t * nOut + o) << 3));
        const vr = load<f64>(Vr + (<usize>(o * n + k) << 3));
        if (Vi == 0) {
          cr += vr * er;
        } else {
          const ei = load<f64>(gyi + (<usize>(t * nOut + o) << 3));
          const vi = load<f64>(Vi + (<usize>(o * n + k) << 3));
          cr += vr * er + vi * ei;
          ci += vr * ei - vi * er;
        }
      }
      store<f64>(c1 + (<usize>k << 3), cr);
      if (Vi != 0) {
        store<f64>(c1 + (<usize>(n + k) << 3), ci);
        store<f64>(c2 + (<usize>k << 3), ci);
        store<f64>(c2 + (<usize>(n + k) << 3), -cr);
      }
    }
  }
}

/**
 * `steps` RTRL steps of one packed sensitivity set (R stacked rows, P columns, immediate-term width m):
 * S ← A S (wa: rtrlPackW), S[k, k·m + j] += v_{t,j} (and row n + k gains vIm_{t,j}; v rows hold m values),
 * rows scaled by σ' = 1 − s_{t,k}² when sg ≠ 0 (sg row t = h_t, or φ_t when leak < 1), S ← (1−leak) S_old + leak·S
 * when leak < 1, then at steps t ≥ from with g1 ≠ 0 and a nonzero C1 row: g1 += C1[t]ᵀ S, and g2 += C2[t]ᵀ S when
 * g2 ≠ 0 (g1, g2 padded to ⌈P/4⌉·4). s0 holds S on entry; s1 is the second buffer. Returns 0 when the final S is
 * in s0, 1 when in s1.
 */
export function rtrlRun(R: i32, n: i32, P: i32, m: i32, wa: usize, s0: usize, s1: usize, steps: i32, from: i32,
  vRe: usize, vIm: usize, sg: usize, C1: usize, C2: usize, g1: usize, g2: usize, leak: f64): i32 {
  const panels = (P + NR - 1) / NR;
  const panelBytes = <usize>(R * NR) << 3;
  let src = s0, dst = s1;
  for (let t = 0; t < steps; t++) {
    const c1 = C1 + (<usize>(t * R) << 3), c2 = C2 + (<usize>(t * R) << 3);
    let loss = g1 != 0 && t >= from;
    if (loss) {
      let any = false;
      for (let k = 0; k < R; k++) if (load<f64>(c1 + (<usize>k << 3)) != 0.0) any = true;
      loss = any;
    }
    const v = vRe + (<usize>(t * m) << 3), vi = vIm != 0 ? vIm + (<usize>(t * m) << 3) : 0;
    const h = sg != 0 ? sg + (<usize>(t * n) << 3) : 0;
    for (let s = 0; s < panels; s++) {
      const sp = src + <usize>s * panelBytes, dp = dst + <usize>s * panelBytes;
      for (let i0 = 0; i0 < R; i0 += MR) tileStore(R, wa + (<usize>(i0 * R) << 3), sp, dp + (<usize>(i0 * NR) << 3), min(MR, R - i0));
      // immediate term e_k ⊗ v: column p = k·m + j of row k gains v_j
      for (let c = 0; c < NR; c++) {
        const p = s * NR + c;
        if (p >= P) break;
        const k = p / m, j = p - k * m;
        const q = dp + (<usize>(k * NR + c) << 3);
        store<f64>(q, load<f64>(q) + load<f64>(v + (<usize>j << 3)));
        if (vi != 0) {
          const qi = dp + (<usize>((n + k) * NR + c) << 3);
          store<f64>(qi, load<f64>(qi) + load<f64>(vi + (<usize>j << 3)));
        }
      }
      if (leak != 1.0) {
        const keep = f64x2.splat(1.0 - leak);
        for (let k = 0; k < R; k++) {
          let f = leak;
          if (h != 0 && k < n) {
            const hk = load<f64>(h + (<usize>k << 3));
            f = leak * (1.0 - hk * hk);
          }
          const sc = f64x2.splat(f);
          const q = dp + (<usize>(k * NR) << 3), o = sp + (<usize>(k * NR) << 3);
          v128.store(q, f64x2.add(f64x2.mul(keep, v128.load(o)), f64x2.mul(sc, v128.load(q))));
          v128.store(q, f64x2.add(f64x2.mul(keep, v128.load(o, 16)), f64x2.mul(sc, v128.load(q, 16))), 16);
        }
      } else if (h != 0) {
        for (let k = 0; k < n; k++) {
          const hk = load<f64>(h + (<usize>k << 3));
          const sc = f64x2.splat(1.0 - hk * hk);
          const q = dp + (<usize>(k * NR) << 3);
          v128.store(q, f64x2.mul(v128.load(q), sc));
          v128.store(q, f64x2.mul(v128.load(q, 16), sc), 16);
        }
      }
      if (loss) {
        let a0 = f64x2.splat(0.0), a1 = a0, b0 = a0, b1 = a0;
        for (let k = 0; k < R; k++) {
          const q = dp + (<usize>(k * NR) << 3);
          const r0 = v128.load(q), r1 = v128.load(q, 16);
          const x = v128.load64_splat(c1 + (<usize>k << 3));
          a0 = f64x2.add(a0, f64x2.mul(x, r0));
          a1 = f64x2.add(a1, f64x2.mul(x, r1));
          if (g2 != 0) {
            const y = v128.load64_splat(c2 + (<usize>k << 3));
            b0 = f64x2.add(b0, f64x2.mul(y, r0));
            b1 = f64x2.add(b1, f64x2.mul(y, r1));
          }
        }
        const o = <usize>(s * NR) << 3;
        v128.store(g1 + o, f64x2.add(v128.load(g1 + o), a0));
        v128.store(g1 + o, f64x2.add(v128.load(g1 + o, 16), a1), 16);
        if (g2 != 0) {
          v128.store(g2 + o, f64x2.add(v128.load(g2 + o), b0));
          v128.store(g2 + o, f64x2.add(v128.load(g2 + o, 16), b1), 16);
        }
      }
    }
    const swap = src;
    src = dst;
    dst = swap;
  }
  return src == s0 ? 0 : 1;
}
