// Tests of the expected updates and losses of the full student (leak a, bias b, readout features): FD, Monte Carlo, defaults.
//
// The Monte-Carlo references are naive per-realization updates written here with plain loops over the
// recursions of the module header (not the learning-rule kernels): the student h_t = (1−a)h_{t−1} +
// a(W h_{t−1} + U x_t + b), z_t = [h_t; x_t; 1] as chosen, the teacher h*_t = W* h*_{t−1} + U* x_t.
import { describe, expect, it } from 'vitest';
import { InputError, ShapeError } from '../core/errors.js';
import { createRng, type Rng } from '../core/rng.js';
import { cmat, mat, type CMat, type Mat } from '../core/types.js';
import { EXPECTED_READOUT_FEATURES, expectedLoss, expectedUpdate, type ExpectedParams, type ExpectedReadoutFeatures } from './expected.js';
import { randomNetwork } from './task.js';
import { randCNet, relErr } from '../learning/test-util.js';
import type { LossKind, RnnParams, RuleSpec } from '../learning/types.js';

const LOSSES: LossKind[] = ['terminal', 'sequence-mean', 'sequence-sum'];

/** Number of readout features F for N units and I inputs. */
function featureCount(f: ExpectedReadoutFeatures, n: number, nIn: number): number {
  return f === 'state' ? n : f === 'state+input' ? n + nIn : n + nIn + 1;
}

/** A real student with V O×F (the state columns from randomNetwork, the extra columns N(0, 0.5²)) and bias b. */
function fullStudent(rng: Rng, n: number, nIn: number, nOut: number, f: ExpectedReadoutFeatures, withBias: boolean, rho = 0.7): ExpectedParams<Mat> {
  const base = randomNetwork(rng.child('net'), { n, nIn, nOut, spectralRadius: rho });
  const F = featureCount(f, n, nIn);
  const V = mat(nOut, F, rng.child('Vx').fillNormal(new Float64Array(nOut * F), 0.5));
  for (let o = 0; o < nOut; o++) for (let j = 0; j < n; j++) V.data[o * F + j] = base.V.data[o * n + j]!;
  const b = withBias ? rng.child('b').fillNormal(new Float64Array(n), 0.6) : undefined;
  return { W: base.W, U: base.U, V, ...(b && { b }) };
}

/** Per-realization update (η = 1) of a rule on one sequence, plain loops; blocks to ADD. */
interface Naive { dW: Float64Array; dU: Float64Array; dV: Float64Array; db: Float64Array }

/**
 * Naive update of `rule` for the full student on inputs x (T×I) against the teacher's outputs ys (T×O).
 * Loss weights w_t: terminal (t = T only), sequence-mean 1/T, sequence-sum 1; ε_t = w_t e_t is the error signal.
 * BPTT/tBPTT: for each loss step t, λ_s = (Aᵀ)^{t−s} V_hᵀ ε_t for s in (t − τ, t] (A = (1−a)I + aW), applied
 * as ΔW += a λ_s h_{s−1}ᵀ, ΔU += a λ_s x_sᵀ, Δb += a λ_s. RTRL: sensitivities S_t = (1−a)S_{t−1} +
 * a(W S_{t−1} + e_i ⊗ v_t), ΔW_ij += (V_hᵀ ε_t)·S^W_t[:, i, j]. Eligibility: p_t = ((1−a) + a d) ⊙ p_{t−1} + a v_t,
 * ΔW_ij += (F ε_t)_i p^W_{t,ij}. Every rule: ΔV = Σ_t ε_t z_tᵀ.
 */
function naiveUpdate(rule: RuleSpec, p: ExpectedParams<Mat>, a: number, x: Float64Array, ys: Float64Array,
  T: number, loss: LossKind): Naive {
  const n = p.W.rows, nIn = p.U.cols, nOut = p.V.rows, F = p.V.cols;
  const W = p.W.data, U = p.U.data, V = p.V.data, b = p.b as Float64Array | undefined;
  const H = new Float64Array((T + 1) * n); // H[t] = h_t, H[0] = 0
  for (let t = 1; t <= T; t++) {
    for (let i = 0; i < n; i++) {
      let s = b ? b[i]! : 0;
      for (let j = 0; j < n; j++) s += W[i * n + j]! * H[(t - 1) * n + j]!;
      for (let j = 0; j < nIn; j++) s += U[i * nIn + j]! * x[(t - 1) * nIn + j]!;
      H[t * n + i] = (1 - a) * H[(t - 1) * n + i]! + a * s;
    }
  }
  const z = (t: number, j: number): number => (j < n ? H[t * n + j]! : j < n + nIn ? x[(t - 1) * nIn + j - n]! : 1);
  const eps = new Float64Array((T + 1) * nOut); // ε_t = w_t (y*_t − y_t)
  for (let t = 1; t <= T; t++) {
    const w = loss === 'terminal' ? (t === T ? 1 : 0) : loss === 'sequence-mean' ? 1 / T : 1;
    for (let o = 0; o < nOut; o++) {
      let y = 0;
      for (let j = 0; j < F; j++) y += V[o * F + j]! * z(t, j);
      eps[t * nOut + o] = w * (ys[(t - 1) * nOut + o]! - y);
    }
  }
  const out: Naive = { dW: new Float64Array(n * n), dU: new Float64Array(n * nIn), dV: new Float64Array(nOut * F), db: new Float64Array(n) };
  for (let t = 1; t <= T; t++) for (let o = 0; o < nOut; o++) for (let j = 0; j < F; j++) out.dV[o * F + j]! += eps[t * nOut + o]! * z(t, j);
  const VhT = (t: number): Float64Array => { // V_hᵀ ε_t
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let o = 0; o < nOut; o++) r[i]! += V[o * F + i]! * eps[t * nOut + o]!;
    return r;
  };
  // v_t(j) of the three blocks: h_{t−1} (W), x_t (U), 1 (b)
  const vW = (t: number, j: number): number => H[(t - 1) * n + j]!;
  const vU = (t: number, j: number): number => x[(t - 1) * nIn + j]!;
  if (rule.name === 'bptt' || rule.name === 'tbptt') {
    const tau = rule.name === 'tbptt' ? rule.tau : Infinity;
    for (let t = 1; t <= T; t++) {
      let lam = VhT(t);
      for (let s = t; s >= 1 && s > t - tau; s--) {
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) out.dW[i * n + j]! += a * lam[i]! * vW(s, j);
          for (let j = 0; j < nIn; j++) out.dU[i * nIn + j]! += a * lam[i]! * vU(s, j);
          out.db[i]! += a * lam[i]!;
        }
        const next = new Float64Array(n); // λ ← Aᵀ λ = (1−a) λ + a Wᵀ λ
        for (let i = 0; i < n; i++) {
          let s2 = 0;
          for (let k = 0; k < n; k++) s2 += W[k * n + i]! * lam[k]!;
          next[i] = (1 - a) * lam[i]! + a * s2;
        }
        lam = next;
      }
    }
  } else if (rule.name === 'rtrl') {
    // S[k][block param] = ∂h_{t,k}/∂θ, θ over W (n·n), U (n·nIn), b (n)
    const P = n * n + n * nIn + n;
    let S = new Float64Array(n * P);
    for (let t = 1; t <= T; t++) {
      const Sn = new Float64Array(n * P);
      for (let k = 0; k < n; k++) {
        for (let q = 0; q < P; q++) {
          let ws = 0;
          for (let l = 0; l < n; l++) ws += W[k * n + l]! * S[l * P + q]!;
          // immediate term e_i ⊗ v_t: parameter q belongs to row i
          let imm = 0;
          if (q < n * n) { if (Math.floor(q / n) === k) imm = vW(t, q % n); } else if (q < n * n + n * nIn) { const r = q - n * n; if (Math.floor(r / nIn) === k) imm = vU(t, r % nIn); } else if (q - n * n - n * nIn === k) imm = 1;
          Sn[k * P + q] = (1 - a) * S[k * P + q]! + a * (ws + imm);
        }
      }
      S = Sn;
      const g = VhT(t);
      for (let q = 0; q < P; q++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += g[k]! * S[k * P + q]!;
        if (q < n * n) out.dW[q]! += s; else if (q < n * n + n * nIn) out.dU[q - n * n]! += s; else out.db[q - n * n - n * nIn]! += s;
      }
    }
  } else {
    let d: Float64Array, Fb: Float64Array; // decays and feedback (N×O)
    const B = (rule as { B?: Mat }).B;
    if (rule.name === 'rflo') d = new Float64Array(n).fill(rule.alpha);
    else if (rule.name === 'random-diagonal') d = Float64Array.from(rule.D);
    else d = Float64Array.from({ length: n }, (_, i) => W[i * n + i]!);
    if (rule.name === 'eprop' && rule.feedback === 'VT') {
      Fb = new Float64Array(n * nOut);
      for (let i = 0; i < n; i++) for (let o = 0; o < nOut; o++) Fb[i * nOut + o] = V[o * F + i]!;
    } else Fb = B!.data;
    const pW = new Float64Array(n * n), pU = new Float64Array(n * nIn), pb = new Float64Array(n);
    for (let t = 1; t <= T; t++) {
      for (let i = 0; i < n; i++) {
        const c = (1 - a) + a * d[i]!;
        for (let j = 0; j < n; j++) pW[i * n + j] = c * pW[i * n + j]! + a * vW(t, j);
        for (let j = 0; j < nIn; j++) pU[i * nIn + j] = c * pU[i * nIn + j]! + a * vU(t, j);
        pb[i] = c * pb[i]! + a;
      }
      for (let i = 0; i < n; i++) {
        let fe = 0;
        for (let o = 0; o < nOut; o++) fe += Fb[i * nOut + o]! * eps[t * nOut + o]!;
        for (let j = 0; j < n; j++) out.dW[i * n + j]! += fe * pW[i * n + j]!;
        for (let j = 0; j < nIn; j++) out.dU[i * nIn + j]! += fe * pU[i * nIn + j]!;
        out.db[i]! += fe * pb[i]!;
      }
    }
  }
  return out;
}

/** Teacher outputs y*_t = V* h*_t (T×O) for one sequence x (T×I), plain loops. */
function teacherSeq(te: RnnParams<Mat>, x: Float64Array, T: number): Float64Array {
  const n = te.W.rows, nIn = te.U.cols, nOut = te.V.rows;
  let h = new Float64Array(n);
  const y = new Float64Array(T * nOut);
  for (let t = 0; t < T; t++) {
    const hn = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += te.W.data[i * n + j]! * h[j]!;
      for (let j = 0; j < nIn; j++) s += te.U.data[i * nIn + j]! * x[t * nIn + j]!;
      hn[i] = s;
    }
    h = hn;
    for (let o = 0; o < nOut; o++) for (let j = 0; j < n; j++) y[t * nOut + o]! += te.V.data[o * n + j]! * h[j]!;
  }
  return y;
}

describe('full student: expected updates vs Monte Carlo of naive per-realization updates', () => {
  // 10 000 white-noise sequences per configuration, shared by every rule and loss. Each per-sequence update is a
  // sample; an entry passes when |MC mean − expected| ≤ 5 standard errors (sd/√10000). About 2 400 checks in all;
  // a 5σ miss has probability ~6e-7 per check (and the seed is fixed, so the outcome is deterministic).
  const T = 5, count = 10_000, n = 3, nIn = 2, nOut = 2;
  const configs: Array<{ label: string; a: number; f: ExpectedReadoutFeatures; bias: boolean }> = [
    { label: 'a = 0.6, bias, "state+input+bias"', a: 0.6, f: 'state+input+bias', bias: true },
    { label: 'a = 0.8, no bias, "state+input"', a: 0.8, f: 'state+input', bias: false },
    { label: 'a = 0.5, bias, "state"', a: 0.5, f: 'state', bias: true },
  ];
  for (const cfg of configs) {
    it(`${cfg.label}: every rule, every loss, every entry of dW, dU, dV (and db) within 5 SE`, () => {
      const rng = createRng(31);
      const st = fullStudent(rng.child('s'), n, nIn, nOut, cfg.f, cfg.bias);
      const te = randomNetwork(rng.child('t'), { n: 4, nIn, nOut, spectralRadius: 0.8 });
      const B = mat(n, nOut, rng.child('B').fillNormal(new Float64Array(n * nOut)));
      const rules: RuleSpec[] = [
        { name: 'bptt' }, { name: 'rtrl' }, { name: 'tbptt', tau: 2 }, { name: 'rflo', alpha: 0.5, B },
        { name: 'random-diagonal', D: Float64Array.of(0.2, 0.9, 0.5), B }, { name: 'eprop', B }, { name: 'eprop', feedback: 'VT' },
      ];
      const xr = rng.child('x');
      const seqs = Array.from({ length: count }, () => {
        const x = xr.fillNormal(new Float64Array(T * nIn));
        return { x, y: teacherSeq(te, x, T) };
      });
      for (const rule of rules) {
        type Block = 'dW' | 'dU' | 'dV' | 'db';
        const checks = LOSSES.map((loss) => {
          const want = expectedUpdate(rule, st, te, T, { loss, eta: 0.5, leakRate: cfg.a, readoutFeatures: cfg.f });
          expect(want.db !== undefined).toBe(cfg.bias);
          const blocks: Array<[Block, Float64Array]> = [['dW', want.dW.data], ['dU', want.dU.data], ['dV', want.dV.data]];
          if (want.db) blocks.push(['db', want.db]);
          return { loss, blocks, sums: blocks.map(([, w]) => ({ s: new Float64Array(w.length), q: new Float64Array(w.length) })) };
        });
        for (const { x, y } of seqs) {
          // the sequence-mean update is the sequence-sum one divided by T (the error signals are w_t e_t)
          const ut = naiveUpdate(rule, st, cfg.a, x, y, T, 'terminal'), us = naiveUpdate(rule, st, cfg.a, x, y, T, 'sequence-sum');
          for (const c of checks) {
            const u = c.loss === 'terminal' ? ut : us, f = c.loss === 'sequence-mean' ? 0.5 / T : 0.5; // η = 0.5
            c.blocks.forEach(([k], bi) => {
              const v = u[k], acc = c.sums[bi]!;
              for (let i = 0; i < v.length; i++) { const e = f * v[i]!; acc.s[i]! += e; acc.q[i]! += e * e; }
            });
          }
        }
        for (const c of checks) {
          c.blocks.forEach(([k, w], bi) => {
            const acc = c.sums[bi]!;
            for (let i = 0; i < w.length; i++) {
              const mean = acc.s[i]! / count;
              const se = Math.sqrt(Math.max(0, acc.q[i]! / count - mean * mean) / (count - 1));
              const zs = Math.abs(mean - w[i]!) / (se + 1e-12);
              if (!(zs <= 5)) throw new Error(`${rule.name} ${c.loss} ${k}[${i}]: MC ${mean} vs expected ${w[i]}, ${zs.toFixed(2)} SE`);
            }
          });
        }
      }
    });
  }
});

describe('full student: BPTT expected update = −η × central differences of the expected loss', () => {
  // The finite-T expected loss is a polynomial in the parameters; central differences with h = 1e-5 have
  // truncation error h²·|L'''|/6 ≈ 1e-10 and rounding error ≈ 1e-16·L/h ≈ 1e-11 (L = O(1)); tolerance 1e-7 of
  // each block's largest entry.
  const h = 1e-5, eta = 0.3, T = 6;
  for (const f of EXPECTED_READOUT_FEATURES) {
    for (const a of [1, 0.6]) {
      it(`readoutFeatures "${f}", leakRate ${a}, with bias: every block (W, U, b, all F columns of V), every loss`, () => {
        const rng = createRng(41);
        const st = fullStudent(rng.child('s'), 3, 2, 2, f, true, 0.8);
        const te = randomNetwork(rng.child('t'), { n: 2, nIn: 2, nOut: 2, spectralRadius: 0.7 });
        for (const loss of LOSSES) {
          const opts = { loss, leakRate: a, readoutFeatures: f };
          const e = expectedUpdate({ name: 'bptt' }, st, te, T, { ...opts, eta });
          const blocks: Array<[string, Float64Array, Float64Array]> = [
            ['W', st.W.data, e.dW.data], ['U', st.U.data, e.dU.data], ['V', st.V.data, e.dV.data], ['b', st.b as Float64Array, e.db!],
          ];
          for (const [k, arr, got] of blocks) {
            const fd = new Float64Array(arr.length);
            for (let i = 0; i < arr.length; i++) {
              const old = arr[i]!;
              arr[i] = old + h;
              const lp = expectedLoss(st, te, T, opts);
              arr[i] = old - h;
              const lm = expectedLoss(st, te, T, opts);
              arr[i] = old;
              fd[i] = -eta * (lp - lm) / (2 * h);
            }
            expect(relErr(got, fd), `${loss} ${k}`).toBeLessThan(1e-7);
          }
        }
      });
    }
  }
  it('tBPTT(τ ≥ T) and RTRL equal BPTT for the full student (rel 1e-13)', () => {
    const rng = createRng(42);
    const st = fullStudent(rng.child('s'), 3, 2, 2, 'state+input+bias', true);
    const te = randomNetwork(rng.child('t'), { n: 2, nIn: 2, nOut: 2, spectralRadius: 0.7 });
    const o = { loss: 'sequence-mean' as const, leakRate: 0.7, readoutFeatures: 'state+input+bias' as const };
    const bp = expectedUpdate({ name: 'bptt' }, st, te, 7, o);
    for (const r of [expectedUpdate({ name: 'tbptt', tau: 7 }, st, te, 7, o), expectedUpdate({ name: 'rtrl' }, st, te, 7, o)]) {
      for (const k of ['dW', 'dU', 'dV'] as const) expect(relErr(r[k].data, bp[k].data), k).toBeLessThan(1e-13);
      expect(relErr(r.db!, bp.db!)).toBeLessThan(1e-13);
    }
  });
});

describe('full student: expected loss', () => {
  it('finite T against the Monte-Carlo mean of the naive per-sequence loss (10 000 sequences, 5 SE), every loss', () => {
    const rng = createRng(51);
    const T = 6, nIn = 2;
    const st = fullStudent(rng.child('s'), 3, nIn, 2, 'state+input+bias', true);
    const te = randomNetwork(rng.child('t'), { n: 3, nIn, nOut: 2, spectralRadius: 0.9 });
    const a = 0.7, f = 'state+input+bias' as const;
    const xr = rng.child('x');
    const acc = LOSSES.map(() => ({ s: 0, q: 0 }));
    const count = 10_000;
    for (let k = 0; k < count; k++) {
      const x = xr.fillNormal(new Float64Array(T * nIn)), y = teacherSeq(te, x, T);
      LOSSES.forEach((loss, li) => {
        const l = naiveLoss(st, a, x, y, T, loss);
        acc[li]!.s += l; acc[li]!.q += l * l;
      });
    }
    LOSSES.forEach((loss, li) => {
      const mean = acc[li]!.s / count, se = Math.sqrt((acc[li]!.q / count - mean * mean) / (count - 1));
      expect(Math.abs(mean - expectedLoss(st, te, T, { loss, leakRate: a, readoutFeatures: f })) / se, loss).toBeLessThan(5);
    });
  });
  for (const f of EXPECTED_READOUT_FEATURES) {
    it(`T = "inf" equals T = 3000 (terminal; ρ(A) ≤ 0.9: remainder < 1e-100, rel 1e-12), "${f}", leak 0.5, bias; sequence-mean shares the limit`, () => {
      const rng = createRng(52);
      const st = fullStudent(rng.child('s'), 4, 2, 3, f, true, 0.9);
      const te = randomNetwork(rng.child('t'), { n: 3, nIn: 2, nOut: 3, spectralRadius: 0.85 });
      const o = { leakRate: 0.5, readoutFeatures: f };
      const inf = expectedLoss(st, te, 'inf', o);
      expect(relErr([inf], [expectedLoss(st, te, 3000, o)])).toBeLessThan(1e-12);
      expect(expectedLoss(st, te, 'inf', { ...o, loss: 'sequence-mean' })).toBe(inf);
      // the sequence-mean loss tends to the same limit, with an O(1/T) transient (mean state and lags)
      expect(relErr([expectedLoss(st, te, 3000, { ...o, loss: 'sequence-mean' })], [inf])).toBeLessThan(1e-2);
    });
  }
  it('complex student with a complex bias: the mean part of the finite-T loss equals ½ Σ w_t |μ_t|² computed by plain loops; "inf" equals T = 2000', () => {
    // reference for the mean part: the loss with bias minus the loss without it equals ½ Σ_t w_t |μ_t|²,
    // μ_t = −V_h m_t − v_1 with m_t computed here by plain complex loops
    const rng = createRng(53);
    const net = randCNet(rng.child('s'), 3, 2, 2, 0.6), te = randCNet(rng.child('t'), 2, 2, 2, 0.5);
    const F = 3 + 2 + 1;
    const V = cmat(2, F);
    rng.child('V').fillComplexNormal(V.re, V.im, 0.5);
    const st = { W: net.W, U: net.U, V, b: { re: Float64Array.of(0.3, -0.2, 0.5), im: Float64Array.of(0.1, 0.4, -0.3) } };
    const o = { leakRate: 0.6, readoutFeatures: 'state+input+bias' as const };
    const T = 7;
    const { b: _b, ...noBias } = st;
    const noMeanV = cmat(2, F, Float64Array.from(V.re), Float64Array.from(V.im));
    for (let r = 0; r < 2; r++) { noMeanV.re[r * F + 5] = 0; noMeanV.im[r * F + 5] = 0; }
    for (const loss of LOSSES) {
      const full = expectedLoss(st, te, T, { ...o, loss }), zeroMean = expectedLoss({ ...noBias, V: noMeanV }, te, T, { ...o, loss });
      let mean = 0;
      const mr = new Float64Array(3), mi = new Float64Array(3), a = 0.6, W = net.W;
      for (let t = 1; t <= T; t++) {
        const nr = new Float64Array(3), ni = new Float64Array(3);
        for (let i = 0; i < 3; i++) {
          let sr = st.b.re[i]!, si = st.b.im[i]!;
          for (let j = 0; j < 3; j++) { sr += W.re[i * 3 + j]! * mr[j]! - W.im[i * 3 + j]! * mi[j]!; si += W.re[i * 3 + j]! * mi[j]! + W.im[i * 3 + j]! * mr[j]!; }
          nr[i] = (1 - a) * mr[i]! + a * sr; ni[i] = (1 - a) * mi[i]! + a * si;
        }
        mr.set(nr); mi.set(ni);
        const w = loss === 'terminal' ? (t === T ? 1 : 0) : loss === 'sequence-mean' ? 1 / T : 1;
        for (let q = 0; q < 2; q++) {
          let ur = V.re[q * F + 5]!, ui = V.im[q * F + 5]!;
          for (let j = 0; j < 3; j++) { ur += V.re[q * F + j]! * mr[j]! - V.im[q * F + j]! * mi[j]!; ui += V.re[q * F + j]! * mi[j]! + V.im[q * F + j]! * mr[j]!; }
          mean += 0.5 * w * (ur * ur + ui * ui);
        }
      }
      // rel 1e-12: two O(T·N³) sums of O(1) terms, each to rounding
      expect(relErr([full - zeroMean], [mean]), loss).toBeLessThan(1e-12);
    }
    expect(relErr([expectedLoss(st, te, 'inf', o)], [expectedLoss(st, te, 2000, o)])).toBeLessThan(1e-12);
  });
});

/** Naive per-sequence loss Σ_t w_t ½‖y*_t − y_t‖² of the full student with features [h; x; 1]. */
function naiveLoss(p: ExpectedParams<Mat>, a: number, x: Float64Array, ys: Float64Array, T: number, loss: LossKind): number {
  const n = p.W.rows, nIn = p.U.cols, nOut = p.V.rows, F = p.V.cols, b = p.b as Float64Array;
  let h = new Float64Array(n), total = 0;
  for (let t = 1; t <= T; t++) {
    const hn = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = b[i]!;
      for (let j = 0; j < n; j++) s += p.W.data[i * n + j]! * h[j]!;
      for (let j = 0; j < nIn; j++) s += p.U.data[i * nIn + j]! * x[(t - 1) * nIn + j]!;
      hn[i] = (1 - a) * h[i]! + a * s;
    }
    h = hn;
    const w = loss === 'terminal' ? (t === T ? 1 : 0) : loss === 'sequence-mean' ? 1 / T : 1;
    for (let o = 0; o < nOut; o++) {
      let y = p.V.data[o * F + n + nIn]!;
      for (let j = 0; j < n; j++) y += p.V.data[o * F + j]! * h[j]!;
      for (let j = 0; j < nIn; j++) y += p.V.data[o * F + n + j]! * x[(t - 1) * nIn + j]!;
      const e = ys[(t - 1) * nOut + o]! - y;
      total += 0.5 * w * e * e;
    }
  }
  return total;
}

describe('full student: defaults and bad inputs', () => {
  const rng = createRng(61);
  const st = randomNetwork(rng.child('s'), { n: 3, nIn: 2, nOut: 2, spectralRadius: 0.7 });
  const te = randomNetwork(rng.child('t'), { n: 2, nIn: 2, nOut: 2, spectralRadius: 0.6 });
  it('leakRate 1, readoutFeatures "state" given explicitly = omitted, bit for bit; no b → no db', () => {
    for (const loss of LOSSES) {
      const d = expectedUpdate({ name: 'bptt' }, st, te, 6, { loss }), e = expectedUpdate({ name: 'bptt' }, st, te, 6, { loss, leakRate: 1, readoutFeatures: 'state' });
      expect(d.db).toBeUndefined();
      for (const k of ['dW', 'dU', 'dV'] as const) expect(Array.from(e[k].data)).toEqual(Array.from(d[k].data));
      expect(expectedLoss(st, te, 6, { loss, leakRate: 1, readoutFeatures: 'state' })).toBe(expectedLoss(st, te, 6, loss));
    }
    expect(expectedLoss(st, te, 'inf', { leakRate: 1 })).toBe(expectedLoss(st, te, 'inf'));
  });
  it('a zero bias gives db (the bias is trained from zero) and leaves dW, dU, dV unchanged (rel 1e-15)', () => {
    const e = expectedUpdate({ name: 'rflo', alpha: 0.4, B: mat(3, 2, Float64Array.of(1, 0, 0, 1, 1, 1)) }, { ...st, b: new Float64Array(3) }, te, 5, { leakRate: 0.5 });
    const d = expectedUpdate({ name: 'rflo', alpha: 0.4, B: mat(3, 2, Float64Array.of(1, 0, 0, 1, 1, 1)) }, st, te, 5, { leakRate: 0.5 });
    expect(e.db).toBeInstanceOf(Float64Array);
    expect(e.db!.length).toBe(3);
    for (const k of ['dW', 'dU', 'dV'] as const) expect(relErr(e[k].data, d[k].data), k).toBeLessThan(1e-15);
  });
  it('bad leakRate, readoutFeatures, V columns, bias, teacher bias: clear errors naming the field', () => {
    const up = (p: unknown, o: unknown): unknown => expectedUpdate({ name: 'bptt' }, p as ExpectedParams, te, 4, o as object);
    const ls = (p: unknown, o: unknown): unknown => expectedLoss(p as ExpectedParams, te, 4, o as object);
    for (const f of [up, ls]) {
      const where = f === up ? 'expected-update' : 'expected-loss';
      for (const a of [0, 1.5, NaN, -0.2, '0.5']) {
        expect(() => f(st, { leakRate: a })).toThrow(InputError);
        expect(() => f(st, { leakRate: a })).toThrow(new RegExp(`^${where}: leakRate = .*: must be a number in \\(0, 1\\]$`));
      }
      expect(() => f(st, { readoutFeatures: 'bias' })).toThrow(/readoutFeatures = "bias": must be one of "state", "state\+input", "state\+input\+bias"/);
      expect(() => f(st, { readoutFeatures: 'state+input' })).toThrow(ShapeError);
      expect(() => f(st, { readoutFeatures: 'state+input' })).toThrow(/V is 2×3, expected F = N \+ I = 3 \+ 2 = 5 columns \(readoutFeatures "state\+input"\)/);
      expect(() => f({ ...st, V: mat(2, 5) }, { readoutFeatures: 'state+input+bias' })).toThrow(/V is 2×5, expected F = N \+ I \+ 1 = 3 \+ 2 \+ 1 = 6 columns/);
      expect(() => f({ ...st, V: mat(2, 5) }, {})).toThrow(/V is 2×5, expected 3 columns/);
      expect(() => f({ ...st, b: new Float64Array(2) }, {})).toThrow(/b has length 2: expected N = 3/);
      expect(() => f({ ...st, b: [1, 2, 3] }, {})).toThrow(/b = \[1,2,3\]: must be a Float64Array of length N = 3/);
      expect(() => f({ ...st, b: Float64Array.of(0, NaN, 0) }, {})).toThrow(/b\[1\] = NaN: must be finite/);
      expect(() => (f === up ? expectedUpdate({ name: 'bptt' }, st, { ...te, b: new Float64Array(2) } as RnnParams, 4) : expectedLoss(st, { ...te, b: new Float64Array(2) } as RnnParams, 4)))
        .toThrow(/teacher.b is given: the teacher is the plain linear network/);
    }
    expect(() => up({ ...st, b: { re: new Float64Array(3), im: new Float64Array(3) } }, {})).toThrow(/^expected-update: b is complex/);
  });
  it('T = "inf" with a leaky student whose effective recursion is unstable reports ρ((1−a)I + aW)', () => {
    const W = mat(1, 1, Float64Array.of(-3)), one = mat(1, 1, Float64Array.of(1));
    // A = 0.5 + 0.5·(−3) = −1: |A| = 1, the loss series diverges
    expect(() => expectedLoss({ W, U: one, V: one }, { W: mat(1, 1, Float64Array.of(0.5)), U: one, V: one }, 'inf', { leakRate: 0.5 }))
      .toThrow(/^expected-loss: T = "inf" needs spectral radii below 1 .*ρ\(\(1−a\)I \+ aW\) = 1\.00000 \(leakRate a = 0\.5\)/);
    // the same W with a = 0.25 gives A = 0.75 − 0.75 = 0: stable
    expect(Number.isFinite(expectedLoss({ W, U: one, V: one, b: Float64Array.of(1) }, { W: mat(1, 1, Float64Array.of(0.5)), U: one, V: one }, 'inf', { leakRate: 0.25 }))).toBe(true);
  });
});

/** 64-bit hash (two 32-bit multiply-xor lanes) of the IEEE bit patterns of the values, as 16 hex digits. */
function bitsHash(arrays: ArrayLike<number>[]): string {
  let h1 = 0xdeadbeef, h2 = 0x41c6ce57;
  const f = new Float64Array(1), u = new Uint32Array(f.buffer);
  for (const a of arrays) for (let i = 0; i < a.length; i++) {
    f[0] = a[i]!;
    for (const w of [u[0]!, u[1]!]) { h1 = Math.imul(h1 ^ w, 2654435761); h2 = Math.imul(h2 ^ w, 1597334677); }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
/** Hashes of the default-model answers on fixed inputs: 7 rules × 3 losses (expectedUpdate) and real/complex losses. */
function defaultHashes(): Record<string, string> {
  const rng = createRng(4242);
  const g = (r: number, c: number, s: number): Mat => mat(r, c, rng.fillNormal(new Float64Array(r * c), s));
  const st: RnnParams<Mat> = { W: g(3, 3, 0.35), U: g(3, 2, 0.7), V: g(2, 3, 0.6) };
  const te: RnnParams<Mat> = { W: g(4, 4, 0.3), U: g(4, 2, 0.7), V: g(2, 4, 0.5) };
  const B = g(3, 2, 1);
  const rules: RuleSpec[] = [{ name: 'bptt' }, { name: 'rtrl' }, { name: 'tbptt', tau: 2 }, { name: 'rflo', alpha: 0.5, B },
    { name: 'random-diagonal', D: Float64Array.of(0.2, 0.9, 0.5), B }, { name: 'eprop', B }, { name: 'eprop', feedback: 'VT' }];
  const out: Record<string, string> = {};
  for (const r of rules) for (const loss of ['terminal', 'sequence-mean', 'sequence-sum'] as LossKind[]) {
    const o = expectedUpdate(r, st, te, 6, { loss, eta: 0.5 });
    out[`${r.name}${r.name === 'eprop' ? ` ${r.feedback ?? 'B'}` : ''} ${loss}`] = bitsHash([o.dW.data, o.dU.data, o.dV.data]);
  }
  const c = (r: number, k: number, s: number): CMat => { const m = cmat(r, k); rng.fillComplexNormal(m.re, m.im, s * s); return m; };
  const cs = { W: c(3, 3, 0.3), U: c(3, 2, 0.7), V: c(2, 3, 0.6) }, ct = { W: c(2, 2, 0.3), U: c(2, 2, 0.7), V: c(2, 2, 0.6) };
  out['loss real, T = 6'] = bitsHash([LOSSES.map((l) => expectedLoss(st, te, 6, l))]);
  out['loss real, inf'] = bitsHash([[expectedLoss(st, te, 'inf'), expectedLoss(st, te, 'inf', 'sequence-mean')]]);
  out['loss complex'] = bitsHash([[...LOSSES.map((l) => expectedLoss(cs, ct, 5, l)), expectedLoss(cs, ct, 'inf')]]);
  return out;
}

/**
 * Answers of the plain model (no leak, no bias, "state" readout) BEFORE the full-model extension, hashed bit for
 * bit, per compute backend (the wasm and js GEMM kernels round differently; each must keep its own bits). They
 * were produced by the previous expectedUpdate/expectedLoss on the inputs of defaultHashes; if a deliberate
 * change of the default arithmetic ever alters them, print defaultHashes() on both backends and replace the table.
 */
const BEFORE: Record<'wasm' | 'js', Record<string, string>> = {
  wasm: {
    'bptt terminal': 'b1ecd40b19b53f69',
    'bptt sequence-mean': 'b8fe19aa52d2d06a',
    'bptt sequence-sum': 'c4d3fbc87f5aed20',
    'rtrl terminal': 'b1ecd40b19b53f69',
    'rtrl sequence-mean': 'b8fe19aa52d2d06a',
    'rtrl sequence-sum': 'c4d3fbc87f5aed20',
    'tbptt terminal': '5ea14edc11cc796d',
    'tbptt sequence-mean': 'f8a6d30d048f28da',
    'tbptt sequence-sum': '7612b2e7784499b9',
    'rflo terminal': 'f2cc3a4431bbeb91',
    'rflo sequence-mean': '35c376dec81e0e74',
    'rflo sequence-sum': 'f789cad2e473e017',
    'random-diagonal terminal': '08f0b52836dd5c1b',
    'random-diagonal sequence-mean': 'edbb040de2b1b1d2',
    'random-diagonal sequence-sum': '13c58e53d5e806a8',
    'eprop B terminal': '2b1cb7986909043d',
    'eprop B sequence-mean': 'd6441fb4378afeee',
    'eprop B sequence-sum': '35ace8df21671222',
    'eprop VT terminal': 'dfb5654312fc28c3',
    'eprop VT sequence-mean': '95f4957dbcacbb8a',
    'eprop VT sequence-sum': '12ea3f9520ad647d',
    'loss real, T = 6': '1933539e6c4fdd2e',
    'loss real, inf': 'bbd76133087ac05a',
    'loss complex': 'c7f666b73de55d57',
  },
  js: {
    'bptt terminal': '083d588597fec103',
    'bptt sequence-mean': 'a851418c847ae70b',
    'bptt sequence-sum': 'e18fadc2e504d59b',
    'rtrl terminal': '083d588597fec103',
    'rtrl sequence-mean': 'a851418c847ae70b',
    'rtrl sequence-sum': 'e18fadc2e504d59b',
    'tbptt terminal': '11c18750c86a8941',
    'tbptt sequence-mean': 'f3dd39469f2b4249',
    'tbptt sequence-sum': 'd62a1e55abc51ee2',
    'rflo terminal': '6efc2e6026c9540a',
    'rflo sequence-mean': '0ba4157372c67e7b',
    'rflo sequence-sum': 'cba4118bc0444652',
    'random-diagonal terminal': '738f39b361876dd6',
    'random-diagonal sequence-mean': '6b30b53d4f72c598',
    'random-diagonal sequence-sum': 'f47ba90eb5c829f9',
    'eprop B terminal': '51e773e6a126a3b6',
    'eprop B sequence-mean': '1bee8b02e74924fe',
    'eprop B sequence-sum': '195d45d068733946',
    'eprop VT terminal': '306273574d058c6c',
    'eprop VT sequence-mean': 'a03ce526cd3f29c4',
    'eprop VT sequence-sum': 'df6208b49302df19',
    'loss real, T = 6': '750d2635d3447090',
    'loss real, inf': 'bbd76133087ac05a',
    'loss complex': '6ac96c35100cfc27',
  },
};

describe('defaults reproduce the answers from before the full-model extension bit for bit', () => {
  it(`7 rules × 3 losses and the real/complex expected losses (backend ${process.env['POLELAB_BACKEND'] === 'js' ? 'js' : 'wasm'})`, () => {
    expect(defaultHashes()).toEqual(BEFORE[process.env['POLELAB_BACKEND'] === 'js' ? 'js' : 'wasm']);
  });
});
