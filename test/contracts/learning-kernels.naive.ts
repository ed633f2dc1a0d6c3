// Naive reference loops for the learning-kernel contract (src/backend/learning/types.ts), written from the formulas only.
//
// Direct transcriptions of docs/theory/networks.md §2–3 and docs/theory/learning-rules.md §2–5 (with the leak rate, bias and stored φ
// of the full model, src/backend/learning/types.ts header, as optional extras), one quantity at a time, with no
// blocking, chunking or reuse (independent of src/backend/learning/js*.ts). Each gradient-like result comes with
// `scale`, the per-entry sum of |terms| (including |initial value|), for rounding-level tolerances
// |actual − naive| ≤ rtol·scale. Complex values are [re, im] pairs of arrays.

type A = Float64Array;
const zeros = (len: number): A => new Float64Array(len);

/** σ'(a_t) read back from φ_t = act(a_t): 1 − φ² for tanh, 1 for the identity. */
const dact = (tanh: boolean, h: number): number => (tanh ? 1 - h * h : 1);

/**
 * The model extras of the full network (kernels.ts): bias b, leak rate a, and (backward) the stored φ_t. Absent:
 * no bias, a = 1, σ' read from H.
 */
export interface ModelExt {
  readonly b?: A | null;
  readonly leak?: number;
  readonly Phi?: A | null;
}

/**
 * States, activations and outputs of the real model h_t = (1−a) h_{t−1} + a φ_t, φ_t = act(W h_{t−1} + U x_t + b),
 * y_t = V h_t, h_{−1} = h0 (or 0).
 */
export function naiveForward(n: number, nIn: number, nOut: number, B: number, T: number, W: A, U: A, V: A, tanh: boolean,
  x: A, h0: A | null, ext: ModelExt = {}): { H: A; Y: A; Phi: A } {
  const H = zeros(B * T * n), Y = zeros(B * T * nOut), Phi = zeros(B * T * n);
  const a = ext.leak ?? 1;
  for (let b = 0; b < B; b++) {
    let prev = h0 ?? zeros(n);
    for (let t = 0; t < T; t++) {
      const r = b * T + t, h = zeros(n);
      for (let i = 0; i < n; i++) {
        let pre = ext.b ? ext.b[i]! : 0;
        for (let j = 0; j < n; j++) pre += W[i * n + j]! * prev[j]!;
        for (let j = 0; j < nIn; j++) pre += U[i * nIn + j]! * x[r * nIn + j]!;
        const phi = tanh ? Math.tanh(pre) : pre;
        Phi[r * n + i] = phi;
        h[i] = (1 - a) * prev[i]! + a * phi;
      }
      for (let o = 0; o < nOut; o++) {
        let y = 0;
        for (let j = 0; j < n; j++) y += V[o * n + j]! * h[j]!;
        Y[r * nOut + o] = y;
      }
      H.set(h, r * n);
      prev = h;
    }
  }
  return { H, Y, Phi };
}

/** Complex linear model in split storage (h0 used only when both parts are given, as in the contract). */
export function naiveForwardComplex(n: number, nIn: number, nOut: number, B: number, T: number, W: [A, A], U: [A, A], V: [A, A],
  x: [A, A], h0: [A, A] | null, ext: { b?: [A, A] | null; leak?: number } = {}): { H: [A, A]; Y: [A, A] } {
  const Hr = zeros(B * T * n), Hi = zeros(B * T * n), Yr = zeros(B * T * nOut), Yi = zeros(B * T * nOut);
  const lk = ext.leak ?? 1;
  for (let b = 0; b < B; b++) {
    let pr = h0?.[0] ?? zeros(n), pi = h0?.[1] ?? zeros(n);
    for (let t = 0; t < T; t++) {
      const r = b * T + t, hr = zeros(n), hi = zeros(n);
      for (let i = 0; i < n; i++) {
        let ar = ext.b ? ext.b[0][i]! : 0, ai = ext.b ? ext.b[1][i]! : 0;
        for (let j = 0; j < n; j++) {
          const wr = W[0][i * n + j]!, wi = W[1][i * n + j]!;
          ar += wr * pr[j]! - wi * pi[j]!;
          ai += wr * pi[j]! + wi * pr[j]!;
        }
        for (let j = 0; j < nIn; j++) {
          const ur = U[0][i * nIn + j]!, ui = U[1][i * nIn + j]!, xr = x[0][r * nIn + j]!, xi = x[1][r * nIn + j]!;
          ar += ur * xr - ui * xi;
          ai += ur * xi + ui * xr;
        }
        hr[i] = (1 - lk) * pr[i]! + lk * ar;
        hi[i] = (1 - lk) * pi[i]! + lk * ai;
      }
      for (let o = 0; o < nOut; o++) {
        let yr = 0, yi = 0;
        for (let j = 0; j < n; j++) {
          const vr = V[0][o * n + j]!, vi = V[1][o * n + j]!;
          yr += vr * hr[j]! - vi * hi[j]!;
          yi += vr * hi[j]! + vi * hr[j]!;
        }
        Yr[r * nOut + o] = yr;
        Yi[r * nOut + o] = yi;
      }
      Hr.set(hr, r * n);
      Hi.set(hi, r * n);
      pr = hr;
      pi = hi;
    }
  }
  return { H: [Hr, Hi], Y: [Yr, Yi] };
}

/** A gradient-like sum with its Σ|terms| (per entry). */
export interface Summed {
  readonly value: A;
  readonly scale: A;
}

function start(init: A): { value: A; scale: A } {
  return { value: init.slice(), scale: init.map(Math.abs) };
}

/** gV += Σ_b Σ_{t ≥ from} Gy_t h_tᵀ. */
export function naiveReadout(n: number, nOut: number, B: number, T: number, from: number, H: A, Gy: A, gV0: A): Summed {
  const g = start(gV0);
  for (let b = 0; b < B; b++) for (let t = Math.max(0, from); t < T; t++) {
    const r = b * T + t;
    for (let o = 0; o < nOut; o++) for (let j = 0; j < n; j++) {
      const term = Gy[r * nOut + o]! * H[r * n + j]!;
      g.value[o * n + j]! += term;
      g.scale[o * n + j]! += Math.abs(term);
    }
  }
  return g;
}

/** gV += Σ Gy_t h_tᴴ (complex). */
export function naiveReadoutComplex(n: number, nOut: number, B: number, T: number, from: number, H: [A, A], Gy: [A, A],
  gV0: [A, A]): [Summed, Summed] {
  const re = start(gV0[0]), im = start(gV0[1]);
  for (let b = 0; b < B; b++) for (let t = Math.max(0, from); t < T; t++) {
    const r = b * T + t;
    for (let o = 0; o < nOut; o++) for (let j = 0; j < n; j++) {
      const er = Gy[0][r * nOut + o]!, ei = Gy[1][r * nOut + o]!, hr = H[0][r * n + j]!, hi = H[1][r * n + j]!;
      const a = er * hr, b2 = ei * hi, c = ei * hr, d = -er * hi;
      re.value[o * n + j]! += a + b2;
      im.value[o * n + j]! += c + d;
      re.scale[o * n + j]! += Math.abs(a) + Math.abs(b2);
      im.scale[o * n + j]! += Math.abs(c) + Math.abs(d);
    }
  }
  return [re, im];
}

const ONE = Float64Array.of(1);
const ONE_C: [A, A] = [Float64Array.of(1), Float64Array.of(0)];

/** Adds g ⊗ v (complex: g ⊗ conj v) into a summed n × m block. */
function addOuter(n: number, m: number, g: A, v: A, vo: number, s: Summed): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    const term = g[i]! * v[vo + j]!;
    s.value[i * m + j]! += term;
    s.scale[i * m + j]! += Math.abs(term);
  }
}

function addOuterConj(n: number, m: number, g: [A, A], v: [A, A], vo: number, re: Summed, im: Summed): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    const gr = g[0][i]!, gi = g[1][i]!, vr = v[0][vo + j]!, vi = v[1][vo + j]!;
    const k = i * m + j;
    re.value[k]! += gr * vr + gi * vi;
    im.value[k]! += gi * vr - gr * vi;
    re.scale[k]! += Math.abs(gr * vr) + Math.abs(gi * vi);
    im.scale[k]! += Math.abs(gi * vr) + Math.abs(gr * vi);
  }
}

/**
 * Real (t)BPTT: for tau ≥ T the standard sweep δ_t = Vᵀ Gy_t [t ≥ from] + Wᵀ g_{t+1}, g_t = δ_t ⊙ σ'_t; for tau < T
 * one sweep per loss step s ≥ from (δ_s = Vᵀ Gy_s) over t = s … max(0, s − tau + 1). gW += g_t h_{t−1}ᵀ (h_{−1} =
 * h0, or nothing when h0 is null), gU += g_t x_tᵀ.
 */
export function naiveBptt(n: number, nIn: number, nOut: number, B: number, T: number, from: number, tau: number, W: A, V: A,
  tanh: boolean, x: A, h0: A | null, H: A, Gy: A, gW0: A, gU0: A, ext: ModelExt & { gb0?: A } = {}): { gW: Summed; gU: Summed; gb: Summed } {
  const gW = start(gW0), gU = start(gU0), gb = start(ext.gb0 ?? zeros(n));
  const a = ext.leak ?? 1, S = ext.Phi ?? H;
  const f = Math.max(0, from);
  const vtGy = (r: number): A => {
    const d = zeros(n);
    for (let j = 0; j < n; j++) for (let o = 0; o < nOut; o++) d[j]! += V[o * n + j]! * Gy[r * nOut + o]!;
    return d;
  };
  // one step back: g_t = a σ'_t ⊙ δ_t, returns the part of δ_{t−1} that comes from δ_t: (1−a) δ_t + Wᵀ g_t
  const step = (b: number, t: number, delta: A): A => {
    const r = b * T + t, g = zeros(n);
    for (let i = 0; i < n; i++) g[i] = a * delta[i]! * dact(tanh, S[r * n + i]!);
    if (t > 0) addOuter(n, n, g, H, (r - 1) * n, gW);
    else if (h0 !== null) addOuter(n, n, g, h0, 0, gW);
    addOuter(n, nIn, g, x, r * nIn, gU);
    addOuter(n, 1, g, ONE, 0, gb);
    const back = zeros(n);
    for (let j = 0; j < n; j++) {
      back[j] = (1 - a) * delta[j]!;
      for (let i = 0; i < n; i++) back[j]! += W[i * n + j]! * g[i]!;
    }
    return back;
  };
  for (let b = 0; b < B; b++) {
    if (tau >= T) {
      let carry = zeros(n);
      for (let t = T - 1; t >= 0; t--) {
        const delta = t >= f ? vtGy(b * T + t) : zeros(n);
        for (let j = 0; j < n; j++) delta[j]! += carry[j]!;
        carry = step(b, t, delta);
      }
    } else {
      for (let s = f; s < T; s++) {
        let delta = vtGy(b * T + s);
        for (let t = s; t >= Math.max(0, s - tau + 1); t--) delta = step(b, t, delta);
      }
    }
  }
  return { gW, gU, gb };
}

/** Complex (t)BPTT in the Wirtinger form: δ_t = Vᴴ Gy_t + Wᴴ δ_{t+1}, gW += δ_t h_{t−1}ᴴ, gU += δ_t x_tᴴ. */
export function naiveBpttComplex(n: number, nIn: number, nOut: number, B: number, T: number, from: number, tau: number,
  W: [A, A], V: [A, A], x: [A, A], h0: [A, A] | null, H: [A, A], Gy: [A, A], gW0: [A, A], gU0: [A, A],
  ext: { leak?: number; gb0?: [A, A] } = {}): { gW: [Summed, Summed]; gU: [Summed, Summed]; gb: [Summed, Summed] } {
  const gW: [Summed, Summed] = [start(gW0[0]), start(gW0[1])], gU: [Summed, Summed] = [start(gU0[0]), start(gU0[1])];
  const gb: [Summed, Summed] = [start(ext.gb0?.[0] ?? zeros(n)), start(ext.gb0?.[1] ?? zeros(n))];
  const a = ext.leak ?? 1;
  const f = Math.max(0, from);
  const vhGy = (r: number): [A, A] => {
    const dr = zeros(n), di = zeros(n);
    for (let j = 0; j < n; j++) for (let o = 0; o < nOut; o++) {
      const vr = V[0][o * n + j]!, vi = V[1][o * n + j]!, er = Gy[0][r * nOut + o]!, ei = Gy[1][r * nOut + o]!;
      dr[j]! += vr * er + vi * ei; // conj(v)·e
      di[j]! += vr * ei - vi * er;
    }
    return [dr, di];
  };
  // g_t = a δ_t; returns (1−a) δ_t + Wᴴ g_t
  const step = (b: number, t: number, dl: [A, A]): [A, A] => {
    const r = b * T + t;
    const d: [A, A] = [dl[0].map((v) => a * v), dl[1].map((v) => a * v)];
    if (t > 0) addOuterConj(n, n, d, H, (r - 1) * n, gW[0], gW[1]);
    else if (h0 !== null) addOuterConj(n, n, d, h0, 0, gW[0], gW[1]);
    addOuterConj(n, nIn, d, x, r * nIn, gU[0], gU[1]);
    addOuterConj(n, 1, d, ONE_C, 0, gb[0], gb[1]);
    const br = dl[0].map((v) => (1 - a) * v), bi = dl[1].map((v) => (1 - a) * v);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
      const wr = W[0][i * n + j]!, wi = W[1][i * n + j]!;
      br[j]! += wr * d[0][i]! + wi * d[1][i]!;
      bi[j]! += wr * d[1][i]! - wi * d[0][i]!;
    }
    return [br, bi];
  };
  for (let b = 0; b < B; b++) {
    if (tau >= T) {
      let carry: [A, A] = [zeros(n), zeros(n)];
      for (let t = T - 1; t >= 0; t--) {
        const d = t >= f ? vhGy(b * T + t) : [zeros(n), zeros(n)] as [A, A];
        for (let j = 0; j < n; j++) {
          d[0][j]! += carry[0][j]!;
          d[1][j]! += carry[1][j]!;
        }
        carry = step(b, t, d);
      }
    } else {
      for (let s = f; s < T; s++) {
        let d = vhGy(b * T + s);
        for (let t = s; t >= Math.max(0, s - tau + 1); t--) d = step(b, t, d);
      }
    }
  }
  return { gW, gU, gb };
}

/** RTRL results: carried sensitivities and gradient sums (null where the block is skipped). */
export interface RtrlResult {
  readonly SW: A;
  readonly SU: A;
  readonly Sb: A;
  readonly gW: Summed;
  readonly gU: Summed;
  readonly gb: Summed;
}

/**
 * RTRL over steps [off, off + steps) of one sequence: S_t[k, (i, j)] = σ'_{t,k} (Σ_l W_kl S_{t−1}[l, (i, j)] +
 * [k = i] v_j) with v = h_{t−1} (W) or x_t (U); at t ≥ from: g[(i, j)] += Σ_k (Vᵀ Gy_t)_k S_t[k, (i, j)].
 */
export function naiveRtrl(n: number, nIn: number, nOut: number, off: number, steps: number, from: number, W: A, V: A,
  tanh: boolean, x: A, hPrev: A, H: A, Gy: A, SW0: A, SU0: A, gW0: A, gU0: A,
  ext: ModelExt & { Sb0?: A; gb0?: A } = {}): RtrlResult {
  let SW: A = SW0.slice(), SU: A = SU0.slice(), Sb: A = (ext.Sb0 ?? zeros(n * n)).slice();
  const gW = start(gW0), gU = start(gU0), gb = start(ext.gb0 ?? zeros(n));
  const a = ext.leak ?? 1, Sg = ext.Phi ?? H;
  for (let t = 0; t < steps; t++) {
    const r = off + t;
    const prev = t === 0 ? hPrev : H.subarray((r - 1) * n, r * n);
    const xt = x.subarray(r * nIn, (r + 1) * nIn);
    const advance = (S: A, m: number, v: A): A => {
      const P = n * m, out = zeros(n * P);
      for (let k = 0; k < n; k++) {
        const sp = dact(tanh, Sg[r * n + k]!);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
          const p = i * m + j;
          let s = k === i ? v[j]! : 0;
          for (let l = 0; l < n; l++) s += W[k * n + l]! * S[l * P + p]!;
          out[k * P + p] = (1 - a) * S[k * P + p]! + a * sp * s;
        }
      }
      return out;
    };
    SW = advance(SW, n, prev);
    SU = advance(SU, nIn, xt);
    Sb = advance(Sb, 1, ONE);
    if (t < from) continue;
    const c = zeros(n);
    for (let k = 0; k < n; k++) for (let o = 0; o < nOut; o++) c[k]! += V[o * n + k]! * Gy[r * nOut + o]!;
    for (const [S, g, P] of [[SW, gW, n * n], [SU, gU, n * nIn], [Sb, gb, n]] as const) {
      for (let p = 0; p < P; p++) for (let k = 0; k < n; k++) {
        const term = c[k]! * S[k * P + p]!;
        g.value[p]! += term;
        g.scale[p]! += Math.abs(term);
      }
    }
  }
  return { SW, SU, Sb, gW, gU, gb };
}

/** Complex RTRL: S_t = W S_{t−1} + e_i ⊗ v; g[p] += Σ_k c_k conj(S_t[k, p]), c = Vᴴ Gy_t. */
export function naiveRtrlComplex(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
  W: [A, A], V: [A, A], x: [A, A], hPrev: [A, A], H: [A, A], Gy: [A, A], SW0: [A, A], SU0: [A, A], gW0: [A, A],
  gU0: [A, A], ext: { leak?: number; Sb0?: [A, A]; gb0?: [A, A] } = {}):
  { SW: [A, A]; SU: [A, A]; Sb: [A, A]; gW: [Summed, Summed]; gU: [Summed, Summed]; gb: [Summed, Summed] } {
  let SW: [A, A] = [SW0[0].slice(), SW0[1].slice()], SU: [A, A] = [SU0[0].slice(), SU0[1].slice()];
  let Sb: [A, A] = [(ext.Sb0?.[0] ?? zeros(n * n)).slice(), (ext.Sb0?.[1] ?? zeros(n * n)).slice()];
  const gW: [Summed, Summed] = [start(gW0[0]), start(gW0[1])], gU: [Summed, Summed] = [start(gU0[0]), start(gU0[1])];
  const gb: [Summed, Summed] = [start(ext.gb0?.[0] ?? zeros(n)), start(ext.gb0?.[1] ?? zeros(n))];
  const lk = ext.leak ?? 1;
  for (let t = 0; t < steps; t++) {
    const r = off + t;
    const prev: [A, A] = t === 0 ? hPrev : [H[0].subarray((r - 1) * n, r * n), H[1].subarray((r - 1) * n, r * n)];
    const xt: [A, A] = [x[0].subarray(r * nIn, (r + 1) * nIn), x[1].subarray(r * nIn, (r + 1) * nIn)];
    const advance = (S: [A, A], m: number, v: [A, A]): [A, A] => {
      const P = n * m, or = zeros(n * P), oi = zeros(n * P);
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
        const p = i * m + j;
        let sr = k === i ? v[0][j]! : 0, si = k === i ? v[1][j]! : 0;
        for (let l = 0; l < n; l++) {
          const wr = W[0][k * n + l]!, wi = W[1][k * n + l]!, ar = S[0][l * P + p]!, ai = S[1][l * P + p]!;
          sr += wr * ar - wi * ai;
          si += wr * ai + wi * ar;
        }
        or[k * P + p] = (1 - lk) * S[0][k * P + p]! + lk * sr;
        oi[k * P + p] = (1 - lk) * S[1][k * P + p]! + lk * si;
      }
      return [or, oi];
    };
    SW = advance(SW, n, prev);
    SU = advance(SU, nIn, xt);
    Sb = advance(Sb, 1, ONE_C);
    if (t < from) continue;
    const cr = zeros(n), ci = zeros(n);
    for (let k = 0; k < n; k++) for (let o = 0; o < nOut; o++) {
      const vr = V[0][o * n + k]!, vi = V[1][o * n + k]!, er = Gy[0][r * nOut + o]!, ei = Gy[1][r * nOut + o]!;
      cr[k]! += vr * er + vi * ei;
      ci[k]! += vr * ei - vi * er;
    }
    for (const [S, g, P] of [[SW, gW, n * n], [SU, gU, n * nIn], [Sb, gb, n]] as const) {
      for (let p = 0; p < P; p++) for (let k = 0; k < n; k++) {
        const sr = S[0][k * P + p]!, si = S[1][k * P + p]!;
        g[0].value[p]! += cr[k]! * sr + ci[k]! * si;
        g[1].value[p]! += ci[k]! * sr - cr[k]! * si;
        g[0].scale[p]! += Math.abs(cr[k]! * sr) + Math.abs(ci[k]! * si);
        g[1].scale[p]! += Math.abs(ci[k]! * sr) + Math.abs(cr[k]! * si);
      }
    }
  }
  return { SW, SU, Sb, gW, gU, gb };
}

/** Eligibility results: traces, their Σ|terms|, and gradient sums. */
export interface EligResult {
  readonly pW: Summed;
  readonly pU: Summed;
  readonly pb: Summed;
  readonly gW: Summed;
  readonly gU: Summed;
  readonly gb: Summed;
}

/**
 * Eligibility traces over steps [off, off + steps): p_ij ← d_i p_ij + σ'_{t,i} v_j (v = h_{t−1} for W, x_t for U),
 * then at t ≥ from: g_ij += (F Gy_t)_i p_ij. The trace scales follow the same recursion on |·|.
 */
export function naiveElig(n: number, nIn: number, nOut: number, off: number, steps: number, from: number, d: A, F: A,
  tanh: boolean, x: A, hPrev: A, H: A, Gy: A, pW0: A, pU0: A, gW0: A, gU0: A,
  ext: ModelExt & { pb0?: A; gb0?: A } = {}): EligResult {
  const pW = start(pW0), pU = start(pU0), gW = start(gW0), gU = start(gU0);
  const pb = start(ext.pb0 ?? zeros(n)), gb = start(ext.gb0 ?? zeros(n));
  const a = ext.leak ?? 1, S = ext.Phi ?? H;
  for (let t = 0; t < steps; t++) {
    const r = off + t;
    const prev = t === 0 ? hPrev : H.subarray((r - 1) * n, r * n);
    const xt = x.subarray(r * nIn, (r + 1) * nIn);
    for (const [p, g, m, v] of [[pW, gW, n, prev], [pU, gU, nIn, xt], [pb, gb, 1, ONE]] as const) {
      for (let i = 0; i < n; i++) {
        const sp = a * dact(tanh, S[r * n + i]!), lam = (1 - a) + a * d[i]!;
        let c = 0, cAbs = 0;
        if (t >= from) {
          for (let o = 0; o < nOut; o++) {
            c += F[i * nOut + o]! * Gy[r * nOut + o]!;
            cAbs += Math.abs(F[i * nOut + o]! * Gy[r * nOut + o]!);
          }
        }
        for (let j = 0; j < m; j++) {
          const k = i * m + j;
          p.value[k] = lam * p.value[k]! + sp * v[j]!;
          p.scale[k] = Math.abs(lam) * p.scale[k]! + Math.abs(sp * v[j]!);
          if (t >= from) {
            g.value[k]! += c * p.value[k]!;
            g.scale[k]! += cAbs * p.scale[k]!;
          }
        }
      }
    }
  }
  return { pW, pU, pb, gW, gU, gb };
}
