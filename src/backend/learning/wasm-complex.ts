// WebAssembly backend of the complex (linear) learning kernels: forward, readout gradient, (t)BPTT, RTRL (split storage).
//
// Complex products run as real ones (docs/theory/networks.md §3.2 convention, gradients ∂ℓ/∂Re θ + i ∂ℓ/∂Im θ):
// the backward sweep and the RTRL step act on stacked real parts [re; im] (asm/learning/bptt.ts,
// asm/learning/rtrl.ts), and every sum of outer products a bᴴ is four real ones:
// Re += a_r b_rᵀ + a_i b_iᵀ, Im += a_i b_rᵀ − a_r b_iᵀ. Window layout as in ./wasm.ts.
import type { LearningKernels } from './types.js';
import type { Mem } from './wasm.js';

type ComplexKernels = Pick<LearningKernels, 'forwardComplex' | 'readoutGradComplex' | 'bpttComplex' | 'rtrlChunkComplex'>;

/** The complex learning kernels on the arena `mem` (shared with the real ones). */
export function complexLearningKernels(mem: Mem): ComplexKernels {
  const { rt, alloc, windowRows } = mem;

  /** (re, im) += Aᴴ-style sums over k rows: re += Arᵀ Br + Aiᵀ Bi, im += Aiᵀ Br − Arᵀ Bi (A: lda, B: ldb). */
  function conjProduct(m: number, n: number, k: number, ar: number, ai: number, lda: number, br: number, bi: number,
    ldb: number, re: number, im: number): void {
    const w = rt.sizes;
    w.gemmTN(m, n, k, 1, ar, lda, br, ldb, re, n);
    w.gemmTN(m, n, k, 1, ai, lda, bi, ldb, re, n);
    w.gemmTN(m, n, k, 1, ai, lda, br, ldb, im, n);
    w.gemmTN(m, n, k, -1, ar, lda, bi, ldb, im, n);
  }

  function forwardComplex(n: number, nIn: number, nOut: number, batch: number, steps: number,
    Wre: Float64Array, Wim: Float64Array, Ure: Float64Array, Uim: Float64Array, bRe: Float64Array | null,
    bIm: Float64Array | null, leak: number, Vre: Float64Array, Vim: Float64Array,
    xRe: Float64Array, xIm: Float64Array, h0Re: Float64Array | null, h0Im: Float64Array | null,
    Hre: Float64Array, Him: Float64Array, Yre: Float64Array | null, Yim: Float64Array | null): void {
    if (batch <= 0 || steps <= 0) return;
    const outputs = Yre !== null && Yim !== null;
    const rows = windowRows(2 * (n + nIn + nOut), steps);
    const zLen = rt.sizes.rolloutStepSize(n, nIn);
    rt.reset();
    const wr = alloc(n * n), wi = alloc(n * n), ur = alloc(n * nIn), ui = alloc(n * nIn), vr = alloc(nOut * n), vi = alloc(nOut * n);
    const br = alloc(n), bi = alloc(n);
    const wp = alloc(rt.sizes.rolloutComplexPackedSize(n, nIn)), zr = alloc(2 * zLen), zi = alloc(2 * zLen);
    const xr = alloc(rows * nIn), xi = alloc(rows * nIn), sr = alloc(rows * n), si = alloc(rows * n);
    const yr = alloc(rows * nOut), yi = alloc(rows * nOut);
    const w = rt.commit();
    rt.put(wr, Wre, 0, n * n);
    rt.put(wi, Wim, 0, n * n);
    rt.put(ur, Ure, 0, n * nIn);
    rt.put(ui, Uim, 0, n * nIn);
    if (outputs) {
      rt.put(vr, Vre, 0, nOut * n);
      rt.put(vi, Vim, 0, nOut * n);
    }
    // a bias with one part null has a zero other part (the JS reference reads the parts independently)
    const bias = bRe !== null || bIm !== null;
    if (bias) {
      if (bRe !== null) rt.put(br, bRe, 0, n); else rt.zero(br, n);
      if (bIm !== null) rt.put(bi, bIm, 0, n); else rt.zero(bi, n);
    }
    w.rolloutComplexPack(n, nIn, wr, wi, ur, ui, bias ? br : 0, bias ? bi : 0, wp);
    rt.zero(zr, 2 * zLen);
    rt.zero(zi, 2 * zLen);
    const hr = zr + 8 * nIn, hi = zi + 8 * nIn;
    const withH0 = h0Re !== null && h0Im !== null; // as the reference: h0 only when both parts are given
    for (let b = 0; b < batch; b++) {
      if (withH0) {
        rt.put(hr, h0Re, 0, n);
        rt.put(hi, h0Im, 0, n);
      } else {
        rt.zero(hr, n);
        rt.zero(hi, n);
      }
      for (let t0 = 0; t0 < steps; t0 += rows) {
        const c = Math.min(rows, steps - t0), r = b * steps + t0;
        rt.put(xr, xRe, r * nIn, c * nIn);
        rt.put(xi, xIm, r * nIn, c * nIn);
        w.rolloutComplexRun(n, nIn, wp, leak, c, xr, xi, zr, zi, sr, si);
        rt.get(sr, c * n, Hre, r * n);
        rt.get(si, c * n, Him, r * n);
        if (outputs) {
          w.learnOutputsComplex(n, nOut, c, vr, vi, sr, si, yr, yi);
          rt.get(yr, c * nOut, Yre, r * nOut);
          rt.get(yi, c * nOut, Yim, r * nOut);
        }
      }
    }
  }

  function readoutGradComplex(n: number, nOut: number, batch: number, steps: number, from: number, Hre: Float64Array,
    Him: Float64Array, GyRe: Float64Array, GyIm: Float64Array, gVre: Float64Array, gVim: Float64Array): void {
    const f = Math.max(0, from);
    if (batch <= 0 || f >= steps) return;
    const segment = f === 0 ? batch * steps : steps - f;
    const rows = windowRows(2 * (n + nOut), segment);
    rt.reset();
    const gr = alloc(nOut * n), gi = alloc(nOut * n), hr = alloc(rows * n), hi = alloc(rows * n);
    const er = alloc(rows * nOut), ei = alloc(rows * nOut);
    rt.commit();
    rt.put(gr, gVre, 0, nOut * n);
    rt.put(gi, gVim, 0, nOut * n);
    const run = (r0: number): void => {
      for (let t0 = 0; t0 < segment; t0 += rows) {
        const c = Math.min(rows, segment - t0), r = r0 + t0;
        rt.put(hr, Hre, r * n, c * n);
        rt.put(hi, Him, r * n, c * n);
        rt.put(er, GyRe, r * nOut, c * nOut);
        rt.put(ei, GyIm, r * nOut, c * nOut);
        conjProduct(nOut, n, c, er, ei, nOut, hr, hi, n, gr, gi); // gV += Gy hᴴ
      }
    };
    if (f === 0) run(0);
    else for (let b = 0; b < batch; b++) run(b * steps + f);
    rt.get(gr, nOut * n, gVre, 0);
    rt.get(gi, nOut * n, gVim, 0);
  }

  function bpttComplex(n: number, nIn: number, nOut: number, batch: number, steps: number, from: number, tau: number,
    Wre: Float64Array, Wim: Float64Array, Vre: Float64Array, Vim: Float64Array, leak: number, xRe: Float64Array,
    xIm: Float64Array, h0Re: Float64Array | null, h0Im: Float64Array | null, Hre: Float64Array, Him: Float64Array,
    GyRe: Float64Array, GyIm: Float64Array, gWre: Float64Array | null, gWim: Float64Array | null,
    gUre: Float64Array | null, gUim: Float64Array | null, gbRe: Float64Array | null, gbIm: Float64Array | null,
    _work: Float64Array): void {
    const f = Math.max(0, from);
    const doW = gWre !== null && gWim !== null, doU = gUre !== null && gUim !== null, doB = gbRe !== null && gbIm !== null;
    if ((!doW && !doU && !doB) || batch <= 0 || steps <= 0 || f >= steps || tau < 1) return;
    const full = tau >= steps, nn = 2 * n, no = 2 * nOut;
    const base = windowRows(2 * (2 * n + nIn + nOut), steps);
    const win = full ? base : Math.min(steps, base + tau - 1);
    const zLen = rt.sizes.bpttStepSize(nn, no);
    rt.reset();
    const wr = alloc(n * n), wi = alloc(n * n), vr = alloc(nOut * n), vi = alloc(nOut * n), tmp = alloc((no + nn) * nn);
    const wp = alloc(rt.sizes.bpttPackedSize(nn, no)), z = alloc(2 * zLen);
    const gwr = alloc(n * n), gwi = alloc(n * n), gur = alloc(n * nIn), gui = alloc(n * nIn);
    const hr = alloc((win + 1) * n), hi = alloc((win + 1) * n), xr = alloc(win * nIn), xi = alloc(win * nIn);
    const er = alloc(win * nOut), ei = alloc(win * nOut), G = alloc(win * nn);
    const gbr = alloc(n), gbi = alloc(n), ones = doB ? alloc(win) : 0, zeros = doB ? alloc(win) : 0, dl = alloc(nn + 2);
    const w = rt.commit();
    if (doB) {
      rt.put(gbr, gbRe!, 0, n);
      rt.put(gbi, gbIm!, 0, n);
      mem.ones(ones, win);
      rt.zero(zeros, win);
    }
    rt.put(wr, Wre, 0, n * n);
    rt.put(wi, Wim, 0, n * n);
    rt.put(vr, Vre, 0, nOut * n);
    rt.put(vi, Vim, 0, nOut * n);
    w.bpttPackComplex(n, nOut, wr, wi, vr, vi, tmp, wp);
    if (doW) {
      rt.put(gwr, gWre, 0, n * n);
      rt.put(gwi, gWim, 0, n * n);
    }
    if (doU) {
      rt.put(gur, gUre, 0, n * nIn);
      rt.put(gui, gUim, 0, n * nIn);
    }
    const withH0 = h0Re !== null && h0Im !== null;
    const load = (r0: number, t0: number, c: number): void => {
      const po = t0 > 0 ? (r0 + t0 - 1) * n : 0;
      mem.loadStates(hr, n, t0 > 0 ? Hre : withH0 ? h0Re : null, po, Hre, r0 + t0, c);
      mem.loadStates(hi, n, t0 > 0 ? Him : withH0 ? h0Im : null, po, Him, r0 + t0, c);
      if (doU) {
        rt.put(xr, xRe, (r0 + t0) * nIn, c * nIn);
        rt.put(xi, xIm, (r0 + t0) * nIn, c * nIn);
      }
      rt.put(er, GyRe, (r0 + t0) * nOut, c * nOut);
      rt.put(ei, GyIm, (r0 + t0) * nOut, c * nOut);
    };
    // G rows are [δr | δi] (2N): δr at G, δi at G + N, row stride 2N.
    const accumulate = (t0: number, c: number): void => {
      if (doW) {
        const k0 = t0 === 0 && !withH0 ? 1 : 0;
        const o = 8 * k0;
        conjProduct(n, n, c - k0, G + o * nn, G + o * nn + 8 * n, nn, hr + o * n, hi + o * n, n, gwr, gwi);
      }
      if (doU) conjProduct(n, nIn, c, G, G + 8 * n, nn, xr, xi, nIn, gur, gui);
      if (doB) conjProduct(n, 1, c, G, G + 8 * n, nn, ones, zeros, 1, gbr, gbi); // gb += Σ_t g_t · conj(1)
    };
    for (let b = 0; b < batch; b++) {
      const r0 = b * steps;
      if (full) {
        rt.zero(z, zLen);
        rt.zero(dl, nn + 2);
        for (let t1 = steps; t1 > 0;) {
          const t0 = Math.max(0, t1 - win), c = t1 - t0;
          load(r0, t0, c);
          w.bpttFull(nn, no, wp, c, Math.max(0, f - t0), er, ei, 0, G, z, leak, dl);
          accumulate(t0, c);
          t1 = t0;
        }
      } else {
        for (let s0 = f; s0 < steps;) {
          const s1 = Math.min(steps, s0 + base), lo = Math.max(0, s0 - tau + 1), c = s1 - lo;
          load(r0, lo, c);
          rt.zero(G, c * nn);
          w.bpttTruncated(nn, no, wp, c, s0 - lo, tau, er, ei, 0, G, z, leak, dl);
          accumulate(lo, c);
          s0 = s1;
        }
      }
    }
    if (doW) {
      rt.get(gwr, n * n, gWre!, 0);
      rt.get(gwi, n * n, gWim!, 0);
    }
    if (doU) {
      rt.get(gur, n * nIn, gUre!, 0);
      rt.get(gui, n * nIn, gUim!, 0);
    }
    if (doB) {
      rt.get(gbr, n, gbRe!, 0);
      rt.get(gbi, n, gbIm!, 0);
    }
  }

  function rtrlChunkComplex(n: number, nIn: number, nOut: number, off: number, steps: number, from: number,
    Wre: Float64Array, Wim: Float64Array, Vre: Float64Array, Vim: Float64Array, leak: number, xRe: Float64Array,
    xIm: Float64Array, hPrevRe: Float64Array, hPrevIm: Float64Array, Hre: Float64Array, Him: Float64Array,
    GyRe: Float64Array, GyIm: Float64Array, SWre: Float64Array | null, SWim: Float64Array | null,
    SUre: Float64Array | null, SUim: Float64Array | null, Sbre: Float64Array | null, Sbim: Float64Array | null,
    gWre: Float64Array | null, gWim: Float64Array | null, gUre: Float64Array | null, gUim: Float64Array | null,
    gbRe: Float64Array | null, gbIm: Float64Array | null, _work: Float64Array): void {
    const s = rt.sizes, R = 2 * n;
    const pick = (Sr: Float64Array | null, Si: Float64Array | null, Gr: Float64Array | null, Gi: Float64Array | null,
      P: number, m: number, kind: number) => {
      if (Sr === null || Si === null) return null;
      const grad = Gr !== null && Gi !== null;
      return {
        Sr, Si, Gr, Gi, grad, P, m, kind, a: alloc(s.rtrlStateSize(R, P)), b: alloc(s.rtrlStateSize(R, P)),
        g1: grad ? alloc(s.rtrlStateSize(1, P)) : 0, g2: grad ? alloc(s.rtrlStateSize(1, P)) : 0,
      };
    };
    if (steps <= 0) return;
    const rows = windowRows(2 * (3 * n + nIn + nOut) + 2 * R, steps);
    rt.reset();
    const wr = alloc(n * n), wi = alloc(n * n), tmp = alloc(R * R), wa = alloc(s.rtrlPackedSize(R));
    const vr = alloc(nOut * n), vi = alloc(nOut * n);
    // immediate terms v: h_{t−1} (W), x_t (U), 1 (b: m = 1, real ones)
    const sets = [pick(SWre, SWim, gWre, gWim, n * n, n, 0), pick(SUre, SUim, gUre, gUim, n * nIn, nIn, 1),
      pick(Sbre, Sbim, gbRe, gbIm, n, 1, 2)];
    if (sets.every((x) => x === null)) return;
    const hr = alloc((rows + 1) * n), hi = alloc((rows + 1) * n), xr = alloc(rows * nIn), xi = alloc(rows * nIn);
    const er = alloc(rows * nOut), ei = alloc(rows * nOut), C1 = alloc(rows * R), C2 = alloc(rows * R);
    const ones = sets[2] !== null ? alloc(rows) : 0;
    const w = rt.commit();
    if (ones !== 0) mem.ones(ones, rows);
    rt.put(wr, Wre, 0, n * n);
    rt.put(wi, Wim, 0, n * n);
    rt.put(vr, Vre, 0, nOut * n);
    rt.put(vi, Vim, 0, nOut * n);
    w.rtrlPackW(n, wr, wi, tmp, wa);
    for (const set of sets) {
      if (set === null) continue;
      rt.put(set.b, set.Sr, 0, n * set.P); // stacked row-major [S_re; S_im] staged in the second buffer
      rt.put(set.b + 8 * n * set.P, set.Si, 0, n * set.P);
      w.rtrlPackState(R, set.P, set.b, set.a);
      if (set.grad) {
        for (const [p, g] of [[set.g1, set.Gr!], [set.g2, set.Gi!]] as const) {
          rt.zero(p, s.rtrlStateSize(1, set.P));
          rt.put(p, g, 0, set.P);
        }
      }
    }
    for (let t0 = 0; t0 < steps; t0 += rows) {
      const c = Math.min(rows, steps - t0), r = off + t0;
      const po = t0 > 0 ? (r - 1) * n : 0;
      mem.loadStates(hr, n, t0 > 0 ? Hre : hPrevRe, po, Hre, r, c);
      mem.loadStates(hi, n, t0 > 0 ? Him : hPrevIm, po, Him, r, c);
      rt.put(xr, xRe, r * nIn, c * nIn);
      rt.put(xi, xIm, r * nIn, c * nIn);
      const rel = Math.max(0, from - t0), loss = rel < c;
      if (loss) {
        rt.put(er, GyRe, r * nOut, c * nOut);
        rt.put(ei, GyIm, r * nOut, c * nOut);
        w.rtrlCoeffs(n, nOut, c, vr, vi, er, ei, C1, C2);
      }
      for (const set of sets) {
        if (set === null) continue;
        const grad = loss && set.grad;
        const v = set.kind === 0 ? hr : set.kind === 1 ? xr : ones, vIm = set.kind === 0 ? hi : set.kind === 1 ? xi : 0;
        if (w.rtrlRun(R, n, set.P, set.m, wa, set.a, set.b, c, rel, v, vIm, 0, C1, C2, grad ? set.g1 : 0, grad ? set.g2 : 0, leak) === 1) {
          const t = set.a;
          set.a = set.b;
          set.b = t;
        }
      }
    }
    for (const set of sets) {
      if (set === null) continue;
      w.rtrlUnpackState(R, set.P, set.a, set.b);
      rt.get(set.b, n * set.P, set.Sr, 0);
      rt.get(set.b + 8 * n * set.P, n * set.P, set.Si, 0);
      if (set.grad) {
        rt.get(set.g1, set.P, set.Gr!, 0);
        rt.get(set.g2, set.P, set.Gi!, 0);
      }
    }
  }

  return { forwardComplex, readoutGradComplex, bpttComplex, rtrlChunkComplex };
}
