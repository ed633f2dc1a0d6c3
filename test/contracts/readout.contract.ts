// Shared contract suite for batch readouts (ridge, pinv, ...): determinism, no mutation, split = concatenated, validation.
//
// A readout under test is a function fit(H, Y, {washout}) → {Wout, bias?} accepting T×N matrices and (B, T, N)
// sequence batches, real or complex. Run it from the readout's own test file:
//   describeReadoutContract('ridge', (H, Y, o) => fitRidge(H, Y, { lambda: 1e-9, ...o }));
import { describe, expect, it } from 'vitest';
import { InputError, ShapeError } from '../../src/core/errors.js';
import { cmat, isCMat, mat, type CMat, type CSeqBatch, type CVec, type Mat, type SeqBatch, type Vec } from '../../src/core/types.js';
import { expectClose, randCMat, randMat, testRng } from '../helpers.js';

/** States or targets: one sequence or a batch, real or complex. */
export type ReadoutData = Mat | CMat | SeqBatch | CSeqBatch;
/** The fit function a readout exposes to the contract. */
export type ContractFit = (H: ReadoutData, Y: ReadoutData, opts: { washout?: number }) => { Wout: Mat | CMat; bias?: Vec | CVec };

/** Options of the contract run. */
export interface ReadoutContractOptions {
  /** Also run every check on complex data (default true). */
  readonly complex?: boolean;
  /**
   * Relative tolerance of "split = concatenated" and of recovering a noise-free map. Default 1e-10: both sides
   * solve the same well-conditioned problem (κ(H) ≈ 3) and differ only in summation order.
   */
  readonly rtol?: number;
}

function flat(m: Mat | CMat): Float64Array {
  return isCMat(m) ? Float64Array.from([...m.re, ...m.im]) : m.data;
}

function copyData(x: ReadoutData): Float64Array[] {
  return 're' in x ? [Float64Array.from(x.re), Float64Array.from(x.im)] : [Float64Array.from(x.data)];
}

function sameData(x: ReadoutData, saved: Float64Array[]): boolean {
  const now = 're' in x ? [x.re, x.im] : [x.data];
  return now.every((a, i) => a.length === saved[i]!.length && a.every((v, k) => Object.is(v, saved[i]![k])));
}

/**
 * Runs the batch-readout contract: fitting twice gives bit-identical results; inputs are not mutated; a batch of
 * sequences with a washout fits the same as the concatenation of the kept rows; a noise-free linear map is
 * recovered; NaN, row mismatches and bad washouts are rejected with InputError/ShapeError.
 */
export function describeReadoutContract(name: string, fit: ContractFit, opts: ReadoutContractOptions = {}): void {
  const rtol = opts.rtol ?? 1e-10;
  const kinds: Array<'real' | 'complex'> = opts.complex === false ? ['real'] : ['real', 'complex'];
  for (const kind of kinds) {
    const complex = kind === 'complex';
    const rand = (seed: number, r: number, c: number): Mat | CMat => (complex ? randCMat(testRng(seed), r, c) : randMat(testRng(seed), r, c));
    const N = 6, O = 2, B = 3, T = 40, W = 5;

    describe(`${name} readout contract (${kind})`, () => {
      it('fitting twice gives identical results', () => {
        const H = rand(1, 80, N), Y = rand(2, 80, O);
        const a = fit(H, Y, {}), b = fit(H, Y, {});
        expect(flat(b.Wout)).toEqual(flat(a.Wout));
      });

      it('does not mutate its inputs', () => {
        const H = rand(3, 80, N), Y = rand(4, 80, O);
        const hs = copyData(H), ys = copyData(Y);
        fit(H, Y, { washout: 7 });
        expect(sameData(H, hs)).toBe(true);
        expect(sameData(Y, ys)).toBe(true);
      });

      it('a batch of sequences with washout equals the fit of the concatenated kept rows', () => {
        const Hm = rand(5, B * T, N), Ym = rand(6, B * T, O);
        const asBatch = (m: Mat | CMat, d: number): SeqBatch | CSeqBatch =>
          isCMat(m) ? { batch: B, steps: T, dim: d, re: m.re, im: m.im } : { batch: B, steps: T, dim: d, data: m.data };
        const keep = (m: Mat | CMat): Mat | CMat => {
          const d = m.cols, rows = B * (T - W);
          const pick = (src: Float64Array): Float64Array => {
            const out = new Float64Array(rows * d);
            for (let b = 0; b < B; b++) out.set(src.subarray((b * T + W) * d, (b + 1) * T * d), b * (T - W) * d);
            return out;
          };
          return isCMat(m) ? cmat(rows, d, pick(m.re), pick(m.im)) : mat(rows, d, pick(m.data));
        };
        const split = fit(asBatch(Hm, N), asBatch(Ym, O), { washout: W });
        const concat = fit(keep(Hm), keep(Ym), {});
        expectClose(flat(split.Wout), flat(concat.Wout), { rtol, atol: rtol }, 'Wout');
      });

      it('recovers a noise-free linear map from full-rank states', () => {
        const H = rand(7, 120, N), Wtrue = rand(8, O, N);
        // Y = H Wtrueᵀ computed directly.
        const Y = complex ? cmat(120, O) : mat(120, O);
        for (let t = 0; t < 120; t++) for (let r = 0; r < O; r++) {
          let sr = 0, si = 0;
          for (let j = 0; j < N; j++) {
            if (isCMat(H)) {
              const w = Wtrue as CMat;
              sr += w.re[r * N + j]! * H.re[t * N + j]! - w.im[r * N + j]! * H.im[t * N + j]!;
              si += w.re[r * N + j]! * H.im[t * N + j]! + w.im[r * N + j]! * H.re[t * N + j]!;
            } else sr += (Wtrue as Mat).data[r * N + j]! * (H as Mat).data[t * N + j]!;
          }
          if (isCMat(Y)) { Y.re[t * O + r] = sr; Y.im[t * O + r] = si; } else Y.data[t * O + r] = sr;
        }
        const got = fit(H, Y, {});
        expectClose(flat(got.Wout), flat(Wtrue), { rtol: 1e3 * rtol, atol: 1e3 * rtol }, 'Wout');
      });

      it('rejects NaN, mismatched rows and bad washouts', () => {
        const H = rand(9, 30, N), Y = rand(10, 30, O);
        const bad = rand(9, 30, N);
        if (isCMat(bad)) bad.im[5] = NaN; else bad.data[5] = NaN;
        expect(() => fit(bad, Y, {})).toThrow(InputError);
        expect(() => fit(H, rand(11, 29, O), {})).toThrow(ShapeError);
        expect(() => fit(H, Y, { washout: -1 })).toThrow(/washout = -1/);
        expect(() => fit(H, Y, { washout: 1.5 })).toThrow(InputError);
      });
    });
  }
}
