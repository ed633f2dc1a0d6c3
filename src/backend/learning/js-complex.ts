// JS reference implementation of the complex (linear) learning kernels: forward, readout gradient, (t)BPTT, RTRL.
//
// Complex-gradient convention (docs/theory/networks.md §3.2): every gradient is ∂ℓ/∂Re θ + i ∂ℓ/∂Im θ; with
// Gy = ∂ℓ/∂Re y + i ∂ℓ/∂Im y the backward pass uses ᴴ: δ_t = Vhᴴ Gy_t + (1−a)·δ_{t+1} + Wᴴ g_{t+1}, g_t = a·δ_t,
// gW += g_t h_{t−1}ᴴ, gU += g_t x_tᴴ, gb += g_t (a: the real leak rate; a = 1 gives g = δ).

/** Column-block width of the RTRL sensitivity update S ← W S (block copied to scratch of n × RTRL_BLOCK). */
export const RTRL_BLOCK = 64;

export function forwardComplex(n: number, nIn: number, nOut: number, batch: number, steps: number,
  Wre: Float64Array, Wim: Float64Array, Ure: Float64Array, Uim: Float64Array, bRe: Float64Array | null,
  bIm: Float64Array | null, leak: number, Vre: Float64Array, Vim: Float64Array,
  xRe: Float64Array, xIm: Float64Array, h0Re: Float64Array | null, h0Im: Float64Array | null,
  Hre: Float64Array, Him: Float64Array, Yre: Float64Array | null, Yim: Float64Array | null): void {
  const keep = 1 - leak;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const s = b * steps + t;
      const ho = s * n, xo = s * nIn;
      const pr = t === 0 ? h0Re : Hre, pi = t === 0 ? h0Im : Him;
      const po = t === 0 ? 0 : ho - n;
      for (let i = 0; i < n; i++) {
        let ar = bRe === null ? 0 : bRe[i]!, ai = bIm === null ? 0 : bIm[i]!;
        const ui = i * nIn;
        for (let j = 0; j < nIn; j++) {
          const ur = Ure[ui + j]!, um = Uim[ui + j]!, xr = xRe[xo + j]!, xi = xIm[xo + j]!;
          ar += ur * xr - um * xi;
          ai += ur * xi + um * xr;
        }
        if (pr !== null && pi !== null) {
          const wi = i * n;
          for (let j = 0; j < n; j++) {
            const wr = Wre[wi + j]!, wm = Wim[wi + j]!, hr = pr[po + j]!, hi = pi[po + j]!;
            ar += wr * hr - wm * hi;
            ai += wr * hi + wm * hr;
          }
        }
        if (leak === 1) {
          Hre[ho + i] = ar;
          Him[ho + i] = ai;
        } else {
          const ok = pr !== null && pi !== null;
          Hre[ho + i] = keep * (ok ? pr[po + i]! : 0) + leak * ar;
          Him[ho + i] = keep * (ok ? pi[po + i]! : 0) + leak * ai;
        }
      }
      if (Yre !== null && Yim !== null) {
        const yo = s * nOut;
        for (let o = 0; o < nOut; o++) {
          let yr = 0, yi = 0;
          const vo = o * n;
          for (let j = 0; j < n; j++) {
            const vr = Vre[vo + j]!, vm = Vim[vo + j]!, hr = Hre[ho + j]!, hi = Him[ho + j]!;
            yr += vr * hr - vm * hi;
            yi += vr * hi + vm * hr;
          }
          Yre[yo + o] = yr;
          Yim[yo + o] = yi;
        }
      }
    }
  }
}

export function readoutGradComplex(n: number, nOut: number, batch: number, steps: number, from: number, Hre: Float64Array,
  Him: Float64Array, GyRe: Float64Array, GyIm: Float64Array, gVre: Float64Array, gVim: Float64Array): void {
  for (let b = 0; b < batch; b++) {
    for (let t = from; t < steps; t++) {
      const s = b * steps + t;
      const ho = s * n, yo = s * nOut;
      for (let o = 0; o < nOut; o++) {
        const gr = GyRe[yo + o]!, gi = GyIm[yo + o]!;
        if (gr === 0 && gi === 0) continue;
        const vo = o * n;
        // gV[o, j] += Gy_o · conj(h_j)
        for (let j = 0; j < n; j++) {
          const hr = Hre[ho + j]!, hi = Him[ho + j]!;
          gVre[vo + j]! += gr * hr + gi * hi;
          gVim[vo + j]! += gi * hr - gr * hi;
        }
      }
    }
  }
}

/** True when the m entries of a from offset o are all zero (a step without loss signal). */
function isZeroRow(a: Float64Array, o: number, m: number): boolean {
  for (let k = 0; k < m; k++) if (a[o + k] !== 0) return false;
  return true;
}

/** M[i, j] += g_i · conj(v_j) for an (n × m) complex matrix; v read at offset vo. */
function outerAddConj(n: number, m: number, gr: Float64Array, gi: Float64Array, vr: Float64Array, vi: Float64Array,
  vo: number, Mre: Float64Array, Mim: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const a = gr[i]!, c = gi[i]!;
    if (a === 0 && c === 0) continue;
    const mi = i * m;
    for (let j = 0; j < m; j++) {
      const r = vr[vo + j]!, s = vi[vo + j]!;
      Mre[mi + j]! += a * r + c * s;
      Mim[mi + j]! += c * r - a * s;
    }
  }
}

export function bpttComplex(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
  Wre: Float64Array, Wim: Float64Array, Vre: Float64Array, Vim: Float64Array, leak: number, xRe: Float64Array,
  xIm: Float64Array, h0Re: Float64Array | null, h0Im: Float64Array | null, Hre: Float64Array, Him: Float64Array,
  GyRe: Float64Array, GyIm: Float64Array, gWre: Float64Array | null, gWim: Float64Array | null,
  gUre: Float64Array | null, gUim: Float64Array | null, gbRe: Float64Array | null, gbIm: Float64Array | null,
  work: Float64Array): void {
  const dr = work.subarray(0, n), di = work.subarray(n, 2 * n);
  const nr = work.subarray(2 * n, 3 * n), ni = work.subarray(3 * n, 4 * n);
  const full = tau >= steps;
  const keep = 1 - leak;
  // g_t: δ itself when leak = 1, else leak·δ in (nr, ni)
  const gr = leak === 1 ? dr : nr, gi = leak === 1 ? di : ni;
  for (let b = 0; b < batch; b++) {
    const base = b * steps;
    const s0 = full ? steps - 1 : from;
    for (let s = s0; s < steps; s++) {
      if (!full && isZeroRow(GyRe, (base + s) * nOut, nOut) && isZeroRow(GyIm, (base + s) * nOut, nOut)) continue;
      const lo = full ? 0 : Math.max(0, s - tau + 1);
      dr.fill(0);
      di.fill(0);
      for (let t = s; t >= lo; t--) {
        const st = base + t;
        if ((full && t >= from) || (!full && t === s)) {
          // δ_t += Vhᴴ Gy_t
          addVhH(n, nOut, Vre, Vim, GyRe, GyIm, st * nOut, dr, di);
        }
        if (leak !== 1) for (let j = 0; j < n; j++) { nr[j] = leak * dr[j]!; ni[j] = leak * di[j]!; }
        const ho = st * n;
        if (gWre !== null && gWim !== null) {
          if (t > 0) outerAddConj(n, n, gr, gi, Hre, Him, ho - n, gWre, gWim);
          else if (h0Re !== null && h0Im !== null) outerAddConj(n, n, gr, gi, h0Re, h0Im, 0, gWre, gWim);
        }
        if (gUre !== null && gUim !== null) outerAddConj(n, nIn, gr, gi, xRe, xIm, st * nIn, gUre, gUim);
        if (gbRe !== null && gbIm !== null) for (let j = 0; j < n; j++) { gbRe[j]! += gr[j]!; gbIm[j]! += gi[j]!; }
        if (t > lo) {
          if (leak === 1) {
            // δ_{t−1} = Wᴴ δ_t: δ'_j = Σ_i conj(W_ij) δ_i
            nr.fill(0);
            ni.fill(0);
            for (let i = 0; i < n; i++) {
              const ar = dr[i]!, ai = di[i]!;
              if (ar === 0 && ai === 0) continue;
              const wi = i * n;
              for (let j = 0; j < n; j++) {
                const wr = Wre[wi + j]!, wm = Wim[wi + j]!;
                nr[j]! += wr * ar + wm * ai;
                ni[j]! += wr * ai - wm * ar;
              }
            }
            dr.set(nr);
            di.set(ni);
          } else {
            // δ_{t−1} = (1−leak)·δ_t + Wᴴ g_t
            for (let j = 0; j < n; j++) { dr[j]! *= keep; di[j]! *= keep; }
            for (let i = 0; i < n; i++) {
              const ar = gr[i]!, ai = gi[i]!;
              if (ar === 0 && ai === 0) continue;
              const wi = i * n;
              for (let j = 0; j < n; j++) {
                const wr = Wre[wi + j]!, wm = Wim[wi + j]!;
                dr[j]! += wr * ar + wm * ai;
                di[j]! += wr * ai - wm * ar;
              }
            }
          }
        }
      }
    }
  }
}

/** Constant immediate term of the bias sensitivities: v = 1 (real), 0 (imaginary). */
const ONE_RE = new Float64Array([1]), ONE_IM = new Float64Array([0]);

export function rtrlChunkComplex(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
  Wre: Float64Array, Wim: Float64Array, Vre: Float64Array, Vim: Float64Array, leak: number, xRe: Float64Array,
  xIm: Float64Array, hPrevRe: Float64Array, hPrevIm: Float64Array, Hre: Float64Array, Him: Float64Array,
  GyRe: Float64Array, GyIm: Float64Array, SWre: Float64Array | null, SWim: Float64Array | null,
  SUre: Float64Array | null, SUim: Float64Array | null, Sbre: Float64Array | null, Sbim: Float64Array | null,
  gWre: Float64Array | null, gWim: Float64Array | null, gUre: Float64Array | null, gUim: Float64Array | null,
  gbRe: Float64Array | null, gbIm: Float64Array | null, work: Float64Array): void {
  const cr = work.subarray(0, n), ci = work.subarray(n, 2 * n);
  const tr = work.subarray(2 * n, 2 * n + n * RTRL_BLOCK);
  const ti = work.subarray(2 * n + n * RTRL_BLOCK, 2 * n + 2 * n * RTRL_BLOCK);
  const keep = 1 - leak;
  for (let t = 0; t < steps; t++) {
    const st = off + t;
    const ho = st * n, xo = st * nIn;
    const prevRe = t === 0 ? hPrevRe : Hre, prevIm = t === 0 ? hPrevIm : Him;
    const po = t === 0 ? 0 : ho - n;
    for (let which = 0; which < 3; which++) {
      const Sr = which === 0 ? SWre : which === 1 ? SUre : Sbre, Si = which === 0 ? SWim : which === 1 ? SUim : Sbim;
      if (Sr === null || Si === null) continue;
      const m = which === 0 ? n : which === 1 ? nIn : 1;
      const P = n * m;
      const vr = which === 0 ? prevRe : which === 1 ? xRe : ONE_RE, vi = which === 0 ? prevIm : which === 1 ? xIm : ONE_IM;
      const vo = which === 0 ? po : which === 1 ? xo : 0;
      for (let p0 = 0; p0 < P; p0 += RTRL_BLOCK) {
        const pb = Math.min(RTRL_BLOCK, P - p0);
        for (let l = 0; l < n; l++) {
          const lo = l * P + p0, to = l * pb;
          for (let q = 0; q < pb; q++) {
            tr[to + q] = Sr[lo + q]!;
            ti[to + q] = Si[lo + q]!;
          }
        }
        for (let k = 0; k < n; k++) {
          const ko = k * P + p0, wk = k * n;
          for (let q = 0; q < pb; q++) {
            Sr[ko + q] = 0;
            Si[ko + q] = 0;
          }
          for (let l = 0; l < n; l++) {
            const wr = Wre[wk + l]!, wm = Wim[wk + l]!;
            if (wr === 0 && wm === 0) continue;
            const to = l * pb;
            for (let q = 0; q < pb; q++) {
              const a = tr[to + q]!, c = ti[to + q]!;
              Sr[ko + q]! += wr * a - wm * c;
              Si[ko + q]! += wr * c + wm * a;
            }
          }
        }
        // immediate term S[k, k·m + j] += v_j; then S ← (1−leak) S_old + leak·S when leak < 1
        for (let k = 0; k < n; k++) {
          const ko = k * P;
          const i0 = Math.max(k * m, p0), i1 = Math.min(k * m + m, p0 + pb);
          for (let p = i0; p < i1; p++) {
            Sr[ko + p]! += vr[vo + p - k * m]!;
            Si[ko + p]! += vi[vo + p - k * m]!;
          }
          if (leak !== 1) {
            const to = k * pb;
            for (let q = 0; q < pb; q++) {
              Sr[ko + p0 + q] = keep * tr[to + q]! + leak * Sr[ko + p0 + q]!;
              Si[ko + p0 + q] = keep * ti[to + q]! + leak * Si[ko + p0 + q]!;
            }
          }
        }
      }
    }
    if (t < from) continue;
    // c = Vhᴴ Gy_t; g[p] += Σ_k c_k conj(S[k, p])
    cr.fill(0);
    ci.fill(0);
    addVhH(n, nOut, Vre, Vim, GyRe, GyIm, st * nOut, cr, ci);
    for (let which = 0; which < 3; which++) {
      const Sr = which === 0 ? SWre : which === 1 ? SUre : Sbre, Si = which === 0 ? SWim : which === 1 ? SUim : Sbim;
      const Gr = which === 0 ? gWre : which === 1 ? gUre : gbRe, Gi = which === 0 ? gWim : which === 1 ? gUim : gbIm;
      if (Sr === null || Si === null || Gr === null || Gi === null) continue;
      const P = n * (which === 0 ? n : which === 1 ? nIn : 1);
      for (let k = 0; k < n; k++) {
        const a = cr[k]!, c = ci[k]!;
        if (a === 0 && c === 0) continue;
        const ko = k * P;
        for (let p = 0; p < P; p++) {
          const sr = Sr[ko + p]!, si = Si[ko + p]!;
          Gr[p]! += a * sr + c * si;
          Gi[p]! += c * sr - a * si;
        }
      }
    }
  }
}

/** (accRe, accIm) (N) += V_hᴴ Gy_t, Gy_t the O complex output errors at row offset yo (zero errors skipped). */
function addVhH(n: number, nOut: number, Vre: Float64Array, Vim: Float64Array, GyRe: Float64Array, GyIm: Float64Array,
  yo: number, accRe: Float64Array, accIm: Float64Array): void {
  for (let o = 0; o < nOut; o++) {
    const er = GyRe[yo + o]!, ei = GyIm[yo + o]!;
    if (er === 0 && ei === 0) continue;
    const vo = o * n;
    for (let j = 0; j < n; j++) {
      const vr = Vre[vo + j]!, vi = Vim[vo + j]!;
      accRe[j]! += vr * er + vi * ei;
      accIm[j]! += vr * ei - vi * er;
    }
  }
}
