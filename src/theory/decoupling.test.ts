// The decoupling theorem (docs/theory/expected.md §4.2, docs/theory/alignment.md §5): aligned expected updates are diagonal with the §5.1 mode sums.
//
// For a data-aligned teacher W* = P* diag(w*) P*ᵀ, U* = P* diag(u*) Rᵀ, V* = L diag(v*) P*ᵀ and a student aligned in the
// same R, L with its own P (and feedback B = P diag(b) Lᵀ), the exact expected updates of src/theory/expected.ts,
// rotated into the bases (Pᵀ ΔW P, Pᵀ ΔU R, Lᵀ ΔV P), must be diagonal, and entry i must equal the single-mode sums
// of docs/theory/expected.md §5.1 for mode i, transcribed here independently with plain loops over the lag k.
// e-prop and random-diagonal decouple only with P = I. A second check replaces the exact expectation by the mean of
// real per-sequence updates (src/learning computeUpdate) on white-noise batches.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { mat, type Mat } from '../core/types.js';
import { computeUpdate } from '../learning/rules.js';
import type { LossKind, RuleSpec } from '../learning/types.js';
import { expectedUpdate } from './expected.js';
import { alignedFeedback, alignedNetwork, makeDataset, randomOrthogonal } from './task.js';

type Triple = [number, number, number];
/** Mode rule of §5.1: the rule's kind and its scalar parameters for this mode. */
interface ModeRule { readonly kind: 'bptt' | 'tbptt' | 'elig'; readonly tau?: number; readonly decay?: 'w' | number; readonly b?: number }

/** Single-mode terminal-loss expected update (ẇ, u̇, v̇) at horizon T, η = 1: docs/theory/expected.md §5.1, term by term. */
function modeSums(r: ModeRule, T: number, [w, u, v]: Triple, [ws, us, vs]: Triple): Triple {
  const a = u * v, as = us * vs;
  const wk = new Float64Array(T), wsk = new Float64Array(T); // w^k, w*^k by repeated multiplication
  wk[0] = 1; wsk[0] = 1;
  for (let k = 1; k < T; k++) { wk[k] = wk[k - 1]! * w; wsk[k] = wsk[k - 1]! * ws; }
  const eps = (k: number): number => as * wsk[k]! - a * wk[k]!;
  let dw = 0, du = 0, dv = 0;
  for (let k = 0; k < T; k++) dv += eps(k) * u * wk[k]!;
  if (r.kind === 'bptt' || r.kind === 'tbptt') {
    const tau = r.kind === 'bptt' ? T : r.tau!;
    for (let k = 1; k < T; k++) dw += eps(k) * a * Math.min(k, tau) * wk[k - 1]!;
    for (let k = 0; k < Math.min(tau, T); k++) du += eps(k) * v * wk[k]!;
  } else {
    const al = r.decay === 'w' ? w : r.decay!, b = r.b!;
    for (let k = 1; k < T; k++) {
      let s = 0, alj = 1;
      for (let j = 0; j < k; j++) { s += alj * wk[k - 1 - j]!; alj *= al; }
      dw += eps(k) * b * u * s;
    }
    let alk = 1;
    for (let k = 0; k < T; k++) { du += eps(k) * b * alk; alk *= al; }
  }
  return [dw, du, dv];
}

/** Sequence-mean version: the mean over t = 1..T of the terminal-at-t mode updates (docs/theory/learning-rules.md §6). */
function modeUpdate(r: ModeRule, T: number, loss: LossKind, s: Triple, t: Triple): Triple {
  if (loss === 'terminal') return modeSums(r, T, s, t);
  const acc: Triple = [0, 0, 0];
  for (let tt = 1; tt <= T; tt++) modeSums(r, tt, s, t).forEach((x, i) => { acc[i]! += x / T; });
  return acc;
}

/** Pᵀ M Q (M r×c, P r×r, Q c×c) by explicit sums. */
function rotate(P: Mat, M: Mat, Q: Mat): Float64Array {
  const r = M.rows, c = M.cols, out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) {
    let s = 0;
    for (let k = 0; k < r; k++) for (let l = 0; l < c; l++) s += P.data[k * r + i]! * M.data[k * c + l]! * Q.data[l * c + j]!;
    out[i * c + j] = s;
  }
  return out;
}

const eye = (n: number): Mat => { const m = mat(n, n); for (let i = 0; i < n; i++) m.data[i * n + i] = 1; return m; };

const n = 4;
const rng = createRng(909);
const P = randomOrthogonal(rng.child('P'), n), Ps = randomOrthogonal(rng.child('Ps'), n);
const R = randomOrthogonal(rng.child('R'), n), L = randomOrthogonal(rng.child('L'), n);
const I4 = eye(n);
const sw = [0.55, -0.35, 0.8, 0.1], su = [0.6, -1.1, 0.4, 0.9], sv = [-0.5, 0.7, 1.3, -0.8];
const tw = [0.7, 0.45, -0.3, 0.85], tu = [1.2, 0.9, -0.7, 1.0], tv = [0.9, 1.1, 0.6, -1.2];
const b = [0.8, -0.4, 1.2, 0.5], D = Float64Array.of(0.3, 0.6, 0.1, 0.75);
const teacher = alignedNetwork({ P: Ps, R, L, w: tw, u: tu, v: tv });

interface Case { label: string; rule: RuleSpec; Pst: Mat; mode: (i: number) => ModeRule }
const CASES: Case[] = [
  { label: 'bptt', rule: { name: 'bptt' }, Pst: P, mode: () => ({ kind: 'bptt' }) },
  { label: 'tbptt(1)', rule: { name: 'tbptt', tau: 1 }, Pst: P, mode: () => ({ kind: 'tbptt', tau: 1 }) },
  { label: 'tbptt(3)', rule: { name: 'tbptt', tau: 3 }, Pst: P, mode: () => ({ kind: 'tbptt', tau: 3 }) },
  { label: 'tbptt(40) (τ ≥ T: BPTT)', rule: { name: 'tbptt', tau: 40 }, Pst: P, mode: () => ({ kind: 'bptt' }) },
  { label: 'rflo(α = 0.5)', rule: { name: 'rflo', alpha: 0.5, B: alignedFeedback(P, L, b) }, Pst: P, mode: (i) => ({ kind: 'elig', decay: 0.5, b: b[i]! }) },
  { label: 'rflo(α = 0)', rule: { name: 'rflo', alpha: 0, B: alignedFeedback(P, L, b) }, Pst: P, mode: (i) => ({ kind: 'elig', decay: 0, b: b[i]! }) },
  { label: 'random-diagonal (P = I)', rule: { name: 'random-diagonal', D, B: alignedFeedback(I4, L, b) }, Pst: I4, mode: (i) => ({ kind: 'elig', decay: D[i]!, b: b[i]! }) },
  { label: 'e-prop, B (P = I)', rule: { name: 'eprop', B: alignedFeedback(I4, L, b) }, Pst: I4, mode: (i) => ({ kind: 'elig', decay: 'w', b: b[i]! }) },
  { label: 'e-prop, Vᵀ (P = I: b = v)', rule: { name: 'eprop', feedback: 'VT' }, Pst: I4, mode: (i) => ({ kind: 'elig', decay: 'w', b: sv[i]! }) },
];

describe('exact expected updates of aligned networks are diagonal with the §5.1 mode sums (relative 1e-13)', () => {
  // Error measure: max over all 3·N² rotated entries of |computed − mode sum (diagonal) or 0 (off-diagonal)|, divided by
  // the largest |mode sum| of the block. Both sides are sums of O(T·N) products of numbers of size ≤ ~2 with |w| < 1
  // (no growth); expectedUpdate's Horner recursion and the rotation Pᵀ·M·P add about N²·T·eps ≈ 2e-14 of relative
  // rounding at T = 25, so 1e-13 is a tight bound that any missing or misplaced term (size ≥ 1e-3 here) would break.
  const TOL = 1e-13;
  for (const c of CASES) {
    it(c.label, () => {
      const student = alignedNetwork({ P: c.Pst, R, L, w: sw, u: su, v: sv });
      let worst = 0;
      for (const loss of ['terminal', 'sequence-mean'] as const) {
        for (const T of [1, 2, 9, 25]) {
          const e = expectedUpdate(c.rule, student, teacher, T, { loss });
          const blocks = [rotate(c.Pst, e.dW, c.Pst), rotate(c.Pst, e.dU, R), rotate(L, e.dV, c.Pst)];
          const want = Array.from({ length: n }, (_, i) => modeUpdate(c.mode(i), T, loss, [sw[i]!, su[i]!, sv[i]!], [tw[i]!, tu[i]!, tv[i]!]));
          for (let k = 0; k < 3; k++) {
            const scale = Math.max(...want.map((m) => Math.abs(m[k]!)));
            if (scale === 0) { // e.g. ẇ at T = 1 (no lag ≥ 1): the whole block must vanish
              for (const x of blocks[k]!) expect(x).toBe(0);
              continue;
            }
            for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
              const err = Math.abs(blocks[k]![i * n + j]! - (i === j ? want[i]![k]! : 0)) / scale;
              worst = Math.max(worst, err);
              if (!(err <= TOL)) throw new Error(`${c.label} ${loss} T=${T} block ${'WUV'[k]}[${i},${j}]: relative error ${err}`);
            }
          }
        }
      }
      expect(worst).toBeLessThanOrEqual(TOL);
    });
  }

  it('the e-prop / random-diagonal decoupling needs P = I: with a rotated P the rotated update is not diagonal', () => {
    // the statement is sharp: the same rules on the rotated student leave off-diagonal entries of order 1e-2 or more
    const student = alignedNetwork({ P, R, L, w: sw, u: su, v: sv });
    for (const rule of [{ name: 'eprop', B: alignedFeedback(P, L, b) }, { name: 'random-diagonal', D, B: alignedFeedback(P, L, b) }] as RuleSpec[]) {
      const dW = rotate(P, expectedUpdate(rule, student, teacher, 9).dW, P);
      let off = 0, diag = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) (i === j ? (diag = Math.max(diag, Math.abs(dW[i * n + j]!))) : (off = Math.max(off, Math.abs(dW[i * n + j]!))));
      expect(off / diag).toBeGreaterThan(1e-2);
    }
  });
});

describe('Monte Carlo: the mean of real per-sequence updates of an aligned network matches the mode sums', () => {
  // 300 mini-batches of 20 white-noise sequences (6000 sequences), T = 6, η = 1, terminal loss. The batch means are
  // i.i.d. samples; each rotated entry's standard error is the sample standard deviation of the rotated batch means
  // / √300. Every entry (3·N² = 48 per rule, diagonal against the mode sum, off-diagonal against 0) must lie within
  // 5 standard errors: about 300 checks in all, a 5σ miss has probability ~6e-7 each (the error is a mean of 300
  // i.i.d. terms, so the normal approximation is good).
  const T = 6, batches = 300, size = 20;
  const data = Array.from({ length: batches }, (_, k) => makeDataset(teacher, rng.child(`mc${k}`), size, T));
  const mcCases = CASES.filter((c) => ['bptt', 'tbptt(1)', 'rflo(α = 0.5)', 'random-diagonal (P = I)', 'e-prop, B (P = I)'].includes(c.label));
  for (const c of mcCases) {
    it(c.label, () => {
      const student = alignedNetwork({ P: c.Pst, R, L, w: sw, u: su, v: sv });
      const want = Array.from({ length: n }, (_, i) => modeSums(c.mode(i), T, [sw[i]!, su[i]!, sv[i]!], [tw[i]!, tu[i]!, tv[i]!]));
      const sum = [new Float64Array(n * n), new Float64Array(n * n), new Float64Array(n * n)];
      const sq = [new Float64Array(n * n), new Float64Array(n * n), new Float64Array(n * n)];
      for (const d of data) {
        const u = computeUpdate(c.rule, student, d.x, d.y);
        const blocks = [rotate(c.Pst, u.dW as Mat, c.Pst), rotate(c.Pst, u.dU as Mat, R), rotate(L, u.dV as Mat, c.Pst)];
        for (let k = 0; k < 3; k++) for (let e = 0; e < n * n; e++) { sum[k]![e]! += blocks[k]![e]!; sq[k]![e]! += blocks[k]![e]! ** 2; }
      }
      let worst = 0;
      for (let k = 0; k < 3; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const e = i * n + j, mean = sum[k]![e]! / batches;
        const se = Math.sqrt(Math.max(0, sq[k]![e]! / batches - mean * mean) / (batches - 1));
        const z = Math.abs(mean - (i === j ? want[i]![k]! : 0)) / se;
        worst = Math.max(worst, z);
        if (!(z <= 5)) throw new Error(`${c.label} block ${'WUV'[k]}[${i},${j}]: MC ${mean} vs ${i === j ? want[i]![k] : 0}, ${z.toFixed(2)} SE`);
      }
      expect(worst).toBeLessThanOrEqual(5);
    });
  }
});
