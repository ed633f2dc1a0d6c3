// Diagonal complex-pole networks for pole learning: polar (r, θ), LRU (ν, θ) and Cartesian (Re λ, Im λ) parametrisations, loss and exact gradients.
//
// Model (docs/theory/networks.md §6.2; modal form of §1.3; Orvieto et al. 2023, "Resurrecting recurrent neural networks for
// long sequences", ICML, arXiv:2303.06349): h_0 = 0,
//   h_t = λ ⊙ h_{t−1} + γ ⊙ (B x_t),   B complex N×I, x_t real or complex,
//   y_t = Re(C h_t) for REAL targets, y_t = C h_t for COMPLEX targets (C complex O×N),
// with poles λ_i = r_i e^{iθ_i} (polar), λ_i = exp(−exp(ν_i) + i·exp(θ_i)) (LRU: |λ| = exp(−e^ν) < 1 always,
// phase e^θ > 0) or λ_i = re_i + i·im_i (Cartesian: the real and imaginary parts are the parameters), and
// γ_i = √(1 − |λ_i|²) when `normalize` is on (else γ = 1; polar needs 0 ≤ r < 1 and Cartesian |λ| < 1 then).
// Losses as everywhere (terminal / sequence-mean / sequence-sum of ½‖e_t‖², batch mean).
// Gradients by reverse mode through the modal form, in the complex convention G = ∂L/∂Re + i ∂L/∂Im:
//   δ_t = Cᴴ Gy_t + conj(λ) ⊙ δ_{t+1},  G_λ = Σ_t δ_t ⊙ conj(h_{t−1}),  G_B = Σ_t (γ ⊙ δ_t) x_tᴴ,
//   ∂L/∂γ_i = Σ_t Re(conj(δ_{t,i}) (B x_t)_i),  G_C = Σ_t Gy_t h_tᴴ,
// then the chain rule to the real parameters: polar ∂L/∂r = Re(conj(G_λ) e^{iθ}) − ∂L/∂γ · r/γ,
// ∂L/∂θ = Re(conj(G_λ) iλ); LRU ∂L/∂ν = −e^ν Re(conj(G_λ) λ) + ∂L/∂γ · |λ|² e^ν/γ, ∂L/∂θ = e^θ Re(conj(G_λ) iλ);
// Cartesian ∂L/∂re = Re G_λ − ∂L/∂γ · re/γ, ∂L/∂im = Im G_λ − ∂L/∂γ · im/γ (∂γ/∂re = −re/γ, ∂γ/∂im = −im/γ).
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { cmat, type CMat, type CVec, type Vec } from '../core/types.js';
import { checkLoss, lossWeights } from '../learning/losses.js';
import type { Leaves } from '../learning/optim.js';
import { isCSeqBatch, type AnySeqBatch, type LossKind } from '../learning/types.js';
import { checkObject, checkF64, checkMatShape, checkRng, checkInt, checkLeaves } from '../core/guards.js';

/** A diagonal complex-pole network (see module header). */
export type PoleModel =
  | { readonly kind: 'polar'; readonly r: Vec; readonly theta: Vec; readonly B: CMat; readonly C: CMat; readonly normalize?: boolean }
  | { readonly kind: 'lru'; readonly nu: Vec; readonly theta: Vec; readonly B: CMat; readonly C: CMat; readonly normalize?: boolean }
  | { readonly kind: 'cartesian'; readonly re: Vec; readonly im: Vec; readonly B: CMat; readonly C: CMat; readonly normalize?: boolean };

/** The pole-model kinds (parametrisations), in help order. */
export const POLE_KINDS: readonly PoleModel['kind'][] = ['polar', 'lru', 'cartesian'];

/**
 * Gradient of a pole model: the two real pole parameters and complex B, C in the convention G = ∂/∂Re + i ∂/∂Im.
 * The field names are those of the polar model; for the Cartesian model `a` holds ∂L/∂re and `theta` ∂L/∂im.
 */
export interface PoleGradient {
  /** ∂L/∂r (polar), ∂L/∂ν (LRU) or ∂L/∂re (Cartesian); length N. */
  readonly a: Float64Array;
  /** ∂L/∂θ (polar, LRU) or ∂L/∂im (Cartesian); length N. */
  readonly theta: Float64Array;
  readonly B: CMat;
  readonly C: CMat;
}

/** The poles λ and input scales γ of a model. */
export function poleValues(m: PoleModel): { lambda: CVec; gamma: Float64Array } {
  const { n } = check(m, 'poleValues');
  const re = new Float64Array(n), im = new Float64Array(n), gamma = new Float64Array(n);
  if (m.kind === 'cartesian') {
    re.set(m.re);
    im.set(m.im);
    for (let i = 0; i < n; i++) gamma[i] = m.normalize ? Math.sqrt(1 - (re[i]! * re[i]! + im[i]! * im[i]!)) : 1;
    return { lambda: { re, im }, gamma };
  }
  for (let i = 0; i < n; i++) {
    let mod: number, ph: number;
    if (m.kind === 'polar') { mod = m.r[i]!; ph = m.theta[i]!; } else { mod = Math.exp(-Math.exp(m.nu[i]!)); ph = Math.exp(m.theta[i]!); }
    re[i] = mod * Math.cos(ph);
    im[i] = mod * Math.sin(ph);
    gamma[i] = m.normalize ? Math.sqrt(1 - mod * mod) : 1;
  }
  return { lambda: { re, im }, gamma };
}

/** Names of the two real pole-parameter fields of each kind (also their optimizer-leaf names). */
const PARAM_NAMES = { polar: ['r', 'theta'], lru: ['nu', 'theta'], cartesian: ['re', 'im'] } as const;

/** The two real pole-parameter arrays of a model, in the order of {@link PARAM_NAMES}. */
function poleParams(m: PoleModel): [Vec, Vec] {
  switch (m.kind) {
    case 'polar': return [m.r, m.theta];
    case 'lru': return [m.nu, m.theta];
    case 'cartesian': return [m.re, m.im];
  }
}

function checkKind(where: string, kind: unknown): asserts kind is PoleModel['kind'] {
  if (!(POLE_KINDS as readonly unknown[]).includes(kind)) {
    throw new InputError('kind', `${where}: kind = ${describeValue(kind)}: must be one of ${POLE_KINDS.map((k) => `"${k}"`).join(', ')}`);
  }
}

/** Structure of a pole model (a typo'd or half-built model is an InputError naming the field, not a TypeError). */
function checkPoleModel(where: string, m: unknown): void {
  checkObject(where, 'model', m, 'a PoleModel (from initPoleModel)');
  checkKind(where, m['kind']);
  const [an, bn] = PARAM_NAMES[m['kind']];
  checkF64(where, bn, m[bn]);
  checkF64(where, an, m[an]);
  checkMatShape(where, 'B', m['B'], 'complex');
  checkMatShape(where, 'C', m['C'], 'complex');
}

function check(m: PoleModel, where: string): { n: number; nIn: number; nOut: number } {
  checkPoleModel(where, m);
  const [an, bn] = PARAM_NAMES[m.kind];
  const [a, b] = poleParams(m);
  const n = b.length;
  if (a.length !== n) throw new ShapeError(an, `${where}: ${an} has length ${a.length}, ${bn} has ${n}`);
  if (m.B.rows !== n) throw new ShapeError('B', `${where}: B is ${m.B.rows}×${m.B.cols}, expected ${n} rows`);
  if (m.C.cols !== n) throw new ShapeError('C', `${where}: C is ${m.C.rows}×${m.C.cols}, expected ${n} columns`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(a[i]!) || !Number.isFinite(b[i]!)) throw new InputError(an, `${where}: ${an}[${i}] or ${bn}[${i}] is not finite`);
    if (m.kind === 'polar' && m.normalize && !(a[i]! >= 0 && a[i]! < 1)) {
      throw new InputError('r', `${where}: r[${i}] = ${a[i]}: input normalisation needs 0 <= r < 1`);
    }
    if (m.kind === 'cartesian' && m.normalize && !(a[i]! * a[i]! + b[i]! * b[i]! < 1)) {
      throw new InputError('re', `${where}: re[${i}] = ${a[i]}, im[${i}] = ${b[i]}: |λ| = ${Math.hypot(a[i]!, b[i]!)}: input normalisation (γ = √(1 − |λ|²)) needs |λ| < 1`);
    }
  }
  return { n, nIn: m.B.cols, nOut: m.C.rows };
}

/**
 * Batch-mean loss of a pole model and its exact gradient. x (B, T, I) real or complex; targets (B, T, O)
 * (or (B, 1, O) for a terminal target): real targets → y = Re(C h), complex targets → y = C h.
 */
export function poleLossAndGradient(m: PoleModel, x: AnySeqBatch, targets: AnySeqBatch, opts: { readonly loss?: LossKind } = {}):
  { loss: number; grads: PoleGradient } {
  const where = 'poleLossAndGradient';
  const { n, nIn, nOut } = check(m, where);
  const loss = checkLoss(opts.loss ?? 'terminal', where);
  if (x.dim !== nIn) throw new ShapeError('x', `${where}: x has ${x.dim} input columns, expected I = ${nIn}`);
  if (targets.dim !== nOut || targets.batch !== x.batch) throw new ShapeError('target', `${where}: target is (${targets.batch}, ${targets.steps}, ${targets.dim}), expected (${x.batch}, T, ${nOut})`);
  const T = x.steps, Bn = x.batch;
  if (!(targets.steps === T || (targets.steps === 1 && loss === 'terminal'))) throw new ShapeError('target', `${where}: target has ${targets.steps} steps, expected ${T}`);
  const complexOut = isCSeqBatch(targets);
  const xr = isCSeqBatch(x) ? x.re : x.data, xi = isCSeqBatch(x) ? x.im : null;
  const yr = isCSeqBatch(targets) ? targets.re : targets.data, yi = isCSeqBatch(targets) ? targets.im : null;
  const { lambda, gamma } = poleValues(m);
  const lr = lambda.re, li = lambda.im;
  const { from, weight } = lossWeights(loss, T);
  const Br = m.B.re, Bi = m.B.im, Cr = m.C.re, Ci = m.C.im;
  // Per sequence: z = B x_t (T×N), h (T×N), Gy (T×O).
  const zr = new Float64Array(T * n), zi = new Float64Array(T * n), hr = new Float64Array(T * n), hi = new Float64Array(T * n);
  const gyr = new Float64Array(T * nOut), gyi = new Float64Array(T * nOut);
  const dr = new Float64Array(n), di = new Float64Array(n);
  const gLr = new Float64Array(n), gLi = new Float64Array(n), gGam = new Float64Array(n);
  const GB = cmat(n, nIn), GC = cmat(nOut, n);
  let total = 0;
  for (let b = 0; b < Bn; b++) {
    for (let t = 0; t < T; t++) {
      const xo = (b * T + t) * nIn;
      for (let i = 0; i < n; i++) {
        let sr = 0, si = 0;
        for (let j = 0; j < nIn; j++) {
          const ar = Br[i * nIn + j]!, ai = Bi[i * nIn + j]!, vr = xr[xo + j]!, vi = xi === null ? 0 : xi[xo + j]!;
          sr += ar * vr - ai * vi;
          si += ar * vi + ai * vr;
        }
        zr[t * n + i] = sr;
        zi[t * n + i] = si;
        const pr = t === 0 ? 0 : hr[(t - 1) * n + i]!, pi = t === 0 ? 0 : hi[(t - 1) * n + i]!;
        hr[t * n + i] = lr[i]! * pr - li[i]! * pi + gamma[i]! * sr;
        hi[t * n + i] = lr[i]! * pi + li[i]! * pr + gamma[i]! * si;
      }
      gyr.fill(0, t * nOut, (t + 1) * nOut);
      gyi.fill(0, t * nOut, (t + 1) * nOut);
      if (t < from) continue;
      const to = (targets.steps === 1 ? b : b * T + t) * nOut;
      for (let o = 0; o < nOut; o++) {
        let sr = 0, si = 0;
        for (let j = 0; j < n; j++) {
          const cr = Cr[o * n + j]!, ci = Ci[o * n + j]!, ar = hr[t * n + j]!, ai = hi[t * n + j]!;
          sr += cr * ar - ci * ai;
          si += cr * ai + ci * ar;
        }
        const er = sr - yr[to + o]!;
        gyr[t * nOut + o] = weight * er;
        total += 0.5 * weight * er * er;
        if (complexOut) {
          const ei = si - yi![to + o]!;
          gyi[t * nOut + o] = weight * ei;
          total += 0.5 * weight * ei * ei;
        }
      }
    }
    dr.fill(0);
    di.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      // δ_t = conj(λ) ⊙ δ_{t+1} + Cᴴ Gy_t
      for (let i = 0; i < n; i++) {
        const a = dr[i]!, c = di[i]!;
        dr[i] = lr[i]! * a + li[i]! * c;
        di[i] = lr[i]! * c - li[i]! * a;
      }
      if (t >= from) {
        for (let o = 0; o < nOut; o++) {
          const er = gyr[t * nOut + o]!, ei = gyi[t * nOut + o]!;
          if (er === 0 && ei === 0) continue;
          for (let j = 0; j < n; j++) {
            const cr = Cr[o * n + j]!, ci = Ci[o * n + j]!;
            dr[j]! += cr * er + ci * ei;
            di[j]! += cr * ei - ci * er;
            // G_C[o, j] += Gy_o conj(h_j)
            const ar = hr[t * n + j]!, ai = hi[t * n + j]!;
            GC.re[o * n + j]! += er * ar + ei * ai;
            GC.im[o * n + j]! += ei * ar - er * ai;
          }
        }
      }
      const xo = (b * T + t) * nIn;
      for (let i = 0; i < n; i++) {
        const a = dr[i]!, c = di[i]!;
        if (t > 0) {
          const pr = hr[(t - 1) * n + i]!, pi = hi[(t - 1) * n + i]!;
          gLr[i]! += a * pr + c * pi;
          gLi[i]! += c * pr - a * pi;
        }
        gGam[i]! += a * zr[t * n + i]! + c * zi[t * n + i]!;
        const g = gamma[i]!;
        for (let j = 0; j < nIn; j++) {
          const vr = xr[xo + j]!, vi = xi === null ? 0 : xi[xo + j]!;
          GB.re[i * nIn + j]! += g * (a * vr + c * vi);
          GB.im[i * nIn + j]! += g * (c * vr - a * vi);
        }
      }
    }
  }
  const s = 1 / Bn;
  const ga = new Float64Array(n), gt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const Gr = gLr[i]! * s, Gi = gLi[i]! * s, dg = gGam[i]! * s;
    const lre = lr[i]!, lim = li[i]!, mod2 = lre * lre + lim * lim, g = gamma[i]!;
    const dTheta = Gi * lre - Gr * lim; // Re(conj(G) iλ)
    if (m.kind === 'polar') {
      const th = m.theta[i]!;
      ga[i] = Gr * Math.cos(th) + Gi * Math.sin(th) + (m.normalize ? -dg * m.r[i]! / g : 0);
      gt[i] = dTheta;
    } else if (m.kind === 'cartesian') {
      ga[i] = Gr + (m.normalize ? -dg * lre / g : 0);
      gt[i] = Gi + (m.normalize ? -dg * lim / g : 0);
    } else {
      const en = Math.exp(m.nu[i]!);
      ga[i] = -en * (Gr * lre + Gi * lim) + (m.normalize ? dg * mod2 * en / g : 0);
      gt[i] = Math.exp(m.theta[i]!) * dTheta;
    }
  }
  for (const a of [GB.re, GB.im, GC.re, GC.im]) for (let k = 0; k < a.length; k++) a[k]! *= s;
  return { loss: total * s, grads: { a: ga, theta: gt, B: GB, C: GC } };
}

/**
 * Outputs of a pole model on x (B, T, I): 'real' gives y = Re(C h) (a real batch), 'complex' gives y = C h.
 */
export function poleForward(m: PoleModel, x: AnySeqBatch, output: 'real' | 'complex'): AnySeqBatch {
  const where = 'poleForward';
  const { n, nIn, nOut } = check(m, where);
  if (x.dim !== nIn) throw new ShapeError('x', `${where}: x has ${x.dim} input columns, expected I = ${nIn}`);
  const T = x.steps, len = x.batch * T * nOut;
  const xr = isCSeqBatch(x) ? x.re : x.data, xi = isCSeqBatch(x) ? x.im : null;
  const { lambda, gamma } = poleValues(m);
  const yr = new Float64Array(len), yi = new Float64Array(len);
  const hr = new Float64Array(n), hi = new Float64Array(n);
  for (let b = 0; b < x.batch; b++) {
    hr.fill(0);
    hi.fill(0);
    for (let t = 0; t < T; t++) {
      const xo = (b * T + t) * nIn, yo = (b * T + t) * nOut;
      for (let i = 0; i < n; i++) {
        let sr = 0, si = 0;
        for (let j = 0; j < nIn; j++) {
          const ar = m.B.re[i * nIn + j]!, ai = m.B.im[i * nIn + j]!, vr = xr[xo + j]!, vi = xi === null ? 0 : xi[xo + j]!;
          sr += ar * vr - ai * vi;
          si += ar * vi + ai * vr;
        }
        const pr = hr[i]!, pi = hi[i]!;
        hr[i] = lambda.re[i]! * pr - lambda.im[i]! * pi + gamma[i]! * sr;
        hi[i] = lambda.re[i]! * pi + lambda.im[i]! * pr + gamma[i]! * si;
      }
      for (let o = 0; o < nOut; o++) {
        let sr = 0, si = 0;
        for (let j = 0; j < n; j++) {
          const cr = m.C.re[o * n + j]!, ci = m.C.im[o * n + j]!;
          sr += cr * hr[j]! - ci * hi[j]!;
          si += cr * hi[j]! + ci * hr[j]!;
        }
        yr[yo + o] = sr;
        yi[yo + o] = si;
      }
    }
  }
  return output === 'real' ? { batch: x.batch, steps: T, dim: nOut, data: yr } : { batch: x.batch, steps: T, dim: nOut, re: yr, im: yi };
}

/** Options of {@link initPoleModel}: poles uniform on the ring r ∈ [rMin, rMax], phase ∈ [0, maxPhase] (LRU init). */
export interface PoleInitOptions {
  readonly kind: PoleModel['kind'];
  readonly n: number;
  readonly nIn: number;
  readonly nOut: number;
  readonly rMin?: number;
  readonly rMax?: number;
  readonly maxPhase?: number;
  readonly normalize?: boolean;
}

/**
 * Random pole model (Orvieto et al. 2023, §3.2/Lemma 3.2): |λ|² uniform on [rMin², rMax²] (default 0.4, 0.99),
 * phase uniform on [0, maxPhase] (default 2π); B ~ CN(0, 1/I) entries, C ~ CN(0, 1/N); streams 'poles', 'B', 'C'.
 * The draws do not depend on `kind`: the three kinds from one rng have the same poles (to rounding of the
 * parametrisation: Cartesian re = r cos φ, im = r sin φ; LRU ν = log(−log r), θ = log φ) and the same B, C.
 */
export function initPoleModel(rng: Rng, o: PoleInitOptions): PoleModel {
  checkRng('initPoleModel', 'rng', rng);
  checkObject('initPoleModel', 'options', o, 'an object {kind, n, nIn, nOut, ...}');
  for (const f of ['n', 'nIn', 'nOut'] as const) checkInt('initPoleModel', f, o[f], 1);
  checkKind('initPoleModel', o.kind);
  const rMin = o.rMin ?? 0.4, rMax = o.rMax ?? 0.99, maxPhase = o.maxPhase ?? 2 * Math.PI;
  if (!(rMin >= 0 && rMin <= rMax && rMax < 1)) throw new InputError('rMin', `initPoleModel: rMin = ${rMin}, rMax = ${rMax}: need 0 <= rMin <= rMax < 1`);
  if (!(maxPhase > 0)) throw new InputError('maxPhase', `initPoleModel: maxPhase = ${maxPhase}: must be > 0`);
  const pr = rng.child('poles');
  const r = new Float64Array(o.n), ph = new Float64Array(o.n);
  for (let i = 0; i < o.n; i++) {
    r[i] = Math.sqrt(pr.uniformIn(rMin * rMin, rMax * rMax));
    ph[i] = Math.max(pr.uniform() * maxPhase, 1e-12);
  }
  const B = cmat(o.n, o.nIn), C = cmat(o.nOut, o.n);
  rng.child('B').fillComplexNormal(B.re, B.im, 1 / o.nIn);
  rng.child('C').fillComplexNormal(C.re, C.im, 1 / o.n);
  const normalize = o.normalize ?? true;
  if (o.kind === 'polar') return { kind: 'polar', r, theta: ph, B, C, normalize };
  if (o.kind === 'cartesian') {
    return { kind: 'cartesian', re: r.map((v, i) => v * Math.cos(ph[i]!)), im: r.map((v, i) => v * Math.sin(ph[i]!)), B, C, normalize };
  }
  return { kind: 'lru', nu: r.map((v) => Math.log(-Math.log(Math.max(v, 1e-300)))), theta: ph.map(Math.log), B, C, normalize };
}

/**
 * Optimizer leaves of a pole model (the arrays themselves): the two pole parameters ('r', 'theta' polar; 'nu',
 * 'theta' LRU; 're', 'im' Cartesian), then 'B.re', 'B.im', 'C.re', 'C.im'.
 */
export function poleLeaves(m: PoleModel): Leaves {
  check(m, 'poleLeaves');
  const [an, bn] = PARAM_NAMES[m.kind], [a, b] = poleParams(m);
  return { [an]: a, [bn]: b, 'B.re': m.B.re, 'B.im': m.B.im, 'C.re': m.C.re, 'C.im': m.C.im };
}

/** Gradient leaves matching {@link poleLeaves}. */
export function poleGradLeaves(m: PoleModel, g: PoleGradient): Leaves {
  const { n, nIn, nOut } = check(m, 'poleGradLeaves');
  checkObject('poleGradLeaves', 'g', g, 'a PoleGradient (from poleLossAndGradient)');
  checkF64('poleGradLeaves', 'g.a', g.a, n);
  checkF64('poleGradLeaves', 'g.theta', g.theta, n);
  checkMatShape('poleGradLeaves', 'g.B', g.B, 'complex');
  checkMatShape('poleGradLeaves', 'g.C', g.C, 'complex');
  if (g.B.rows !== n || g.B.cols !== nIn || g.C.rows !== nOut || g.C.cols !== n) throw new ShapeError('g', `poleGradLeaves: g.B is ${g.B.rows}×${g.B.cols}, g.C is ${g.C.rows}×${g.C.cols}: expected ${n}×${nIn} and ${nOut}×${n}`);
  const [an, bn] = PARAM_NAMES[m.kind];
  return { [an]: g.a, [bn]: g.theta, 'B.re': g.B.re, 'B.im': g.B.im, 'C.re': g.C.re, 'C.im': g.C.im };
}

/** Model with its parameters replaced by `leaves` (as produced by applyUpdates on poleLeaves). */
export function poleFromLeaves(m: PoleModel, l: Leaves): PoleModel {
  const { n } = check(m, 'poleFromLeaves');
  checkLeaves('poleFromLeaves', 'leaves', l);
  const [an, bn] = PARAM_NAMES[m.kind];
  for (const k of [an, bn, 'B.re', 'B.im', 'C.re', 'C.im']) {
    const len = k === 'B.re' || k === 'B.im' ? m.B.re.length : k === 'C.re' || k === 'C.im' ? m.C.re.length : n;
    checkF64('poleFromLeaves', `leaves.${k}`, l[k], len);
  }
  const B = cmat(m.B.rows, m.B.cols, l['B.re'], l['B.im']), C = cmat(m.C.rows, m.C.cols, l['C.re'], l['C.im']);
  const normalize = m.normalize ?? false;
  switch (m.kind) {
    case 'polar': return { kind: 'polar', r: l['r']!, theta: l['theta']!, B, C, normalize };
    case 'lru': return { kind: 'lru', nu: l['nu']!, theta: l['theta']!, B, C, normalize };
    case 'cartesian': return { kind: 'cartesian', re: l['re']!, im: l['im']!, B, C, normalize };
  }
}
