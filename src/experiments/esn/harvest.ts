// Streaming reservoir harvest for the esn/* experiments: teacher-forced states in chunks of bounded work and ridge rows in blocks.
//
// A reservoir of N units driven for T steps costs about N²·T multiply-adds for the states and N²·T for the
// ridge statistics, and N·T numbers of memory if every state is kept. Here the states are produced chunk by
// chunk (each chunk starts from the last state of the previous one), the experiment looks at each chunk
// and keeps what it needs, and readout rows [h_t; u_t] are gathered into blocks whose statistics are summed
// (ridge statistics are additive, src/readouts/ridge.ts). Memory stays O(N²), and the experiment can report
// progress between chunks. Problems below one block (every preset) are solved in a single block, which is
// exactly fitRidge on the whole matrix; a chunked rollout equals the single one step by step.
import { mat, type Mat } from '../../core/types.js';
import type { Rnn } from '../../models/rnn.js';
import { rollout } from '../../models/rnn.js';
import { addStats, predict, ridgeStats, solveRidge, type LsqStats, type RidgeFit } from '../../readouts/ridge.js';

/**
 * Multiply-adds per rollout chunk: 2^28 ≈ 2.7e8, about 0.1 s at the 3–4 GMAC/s measured for the wasm
 * rollout (N = 500 and 2000), so a progress report can follow every chunk.
 */
export const ROLLOUT_CHUNK_MACS = 2 ** 28;
/**
 * Multiply-adds per block of ridge rows: 2^30 ≈ 1.1e9 (rows·dim²), 0.1–0.2 s at the 5–12 GMAC/s measured
 * for the Gram kernel. Every preset's training set fits in one block (largest: 3000 rows × 501² = 7.5e8).
 */
export const RIDGE_BLOCK_MACS = 2 ** 30;

/** Rows per rollout chunk for a reservoir of n units with nIn inputs (at least 1). */
export function rolloutChunkRows(n: number, nIn: number): number {
  return Math.max(1, Math.floor(ROLLOUT_CHUNK_MACS / (n * (n + nIn))));
}

/** Rows per ridge block for `dim` features (at least 1). */
export function ridgeBlockRows(dim: number): number {
  return Math.max(1, Math.floor(RIDGE_BLOCK_MACS / (dim * dim)));
}

/**
 * Drives `net` from h_0 = 0 with the first `steps` rows of `x` (row-major, steps × I) in chunks of at most
 * `chunkRows` rows (default {@link rolloutChunkRows}). After each chunk, `visit(states, t0, rows)` sees its
 * states (row k of `states`, length N, is the state after input row t0 + k; the buffer is reused, so copy
 * what you keep); returning `false` stops the run there. Returns the first step whose state is not finite
 * (the reservoir diverged; that chunk is not visited and no later chunk is run), or undefined.
 */
export function driveReservoir(
  net: Rnn, x: Float64Array, steps: number,
  visit: (states: Float64Array, t0: number, rows: number) => boolean | void,
  chunkRows = rolloutChunkRows(net.W.rows, net.U.cols),
): number | undefined {
  const n = net.W.rows, nIn = net.U.cols;
  const per = Math.max(1, Math.min(chunkRows, steps));
  const buf = new Float64Array(per * n);
  const h = new Float64Array(n); // h0 of the next chunk (a copy: it must not alias the output buffer)
  for (let t0 = 0; t0 < steps; t0 += per) {
    const rows = Math.min(per, steps - t0);
    const out = rows === per ? buf : buf.subarray(0, rows * n);
    rollout(net, mat(rows, nIn, x.subarray(t0 * nIn, (t0 + rows) * nIn)), { h0: h, out });
    for (let k = 0; k < rows * n; k++) if (!Number.isFinite(out[k]!)) return t0 + Math.floor(k / n);
    if (visit(out, t0, rows) === false) return undefined;
    h.set(out.subarray((rows - 1) * n, rows * n));
  }
  return undefined;
}

/**
 * Readout rows [h; u] (state of N units, one extra input column) with one scalar target each, gathered into
 * blocks of at most `blockRows` rows; each full block (and the last one, on {@link RowBlocks.end}) goes to
 * `flush(F, y)` as a block × (N+1) matrix and a block × 1 matrix (views of reused buffers).
 */
export class RowBlocks {
  private readonly F: Float64Array;
  private readonly y: Float64Array;
  private count = 0;

  /** `n` state columns (plus one input column); at most `maxRows` rows are ever pushed before `end`. */
  constructor(
    readonly n: number,
    maxRows: number,
    private readonly flush: (F: Mat, y: Mat) => void,
    readonly blockRows = Math.max(1, Math.min(maxRows, ridgeBlockRows(n + 1))),
  ) {
    this.F = new Float64Array(this.blockRows * (n + 1));
    this.y = new Float64Array(this.blockRows);
  }

  /** Appends the row [states[off .. off+N); u] with target `target`. */
  push(states: Float64Array, off: number, u: number, target: number): void {
    const d = this.n + 1, r = this.count;
    this.F.set(states.subarray(off, off + this.n), r * d);
    this.F[r * d + this.n] = u;
    this.y[r] = target;
    if (++this.count === this.blockRows) this.end();
  }

  /** Hands the rows gathered so far to `flush` (nothing when there are none). */
  end(): void {
    const c = this.count;
    if (c === 0) return;
    this.count = 0;
    const d = this.n + 1;
    this.flush(mat(c, d, c === this.blockRows ? this.F : this.F.subarray(0, c * d)), mat(c, 1, c === this.blockRows ? this.y : this.y.subarray(0, c)));
  }
}

/**
 * Ridge fit (with an unregularised bias) of the targets on rows [h; u], fed row by row: the statistics of
 * each block are summed ({@link addStats}), so one block gives exactly `fitRidge(F, Y, {lambda, bias: true})`.
 */
export class StreamingRidge {
  private stats: LsqStats | undefined;
  private readonly rows: RowBlocks;

  /** `n` state columns; `maxRows` bounds the rows that will be pushed (sizes the block buffer). */
  constructor(n: number, maxRows: number, blockRows?: number) {
    const add = (F: Mat, y: Mat): void => {
      const s = ridgeStats(F, y);
      this.stats = this.stats === undefined ? s : addStats(this.stats, s);
    };
    this.rows = blockRows === undefined ? new RowBlocks(n, maxRows, add) : new RowBlocks(n, maxRows, add, blockRows);
  }

  /** Adds the row [states[off .. off+N); u] with target `target`. */
  push(states: Float64Array, off: number, u: number, target: number): void {
    this.rows.push(states, off, u, target);
  }

  /** Solves for W_out (1 × (N+1)) and the bias with ridge parameter `lambda` (absolute). */
  solve(lambda: number): RidgeFit {
    this.rows.end();
    if (this.stats === undefined) throw new Error('StreamingRidge.solve: no rows were pushed');
    return solveRidge(this.stats, { lambda, bias: true });
  }
}

/**
 * Predictions of a fitted readout on rows [h; u] fed row by row, computed block-wise with {@link predict};
 * `onBlock(yhat, y)` receives each block's predictions and targets in row order.
 */
export function blockPredictor(n: number, maxRows: number, fit: RidgeFit, onBlock: (yhat: Float64Array, y: Float64Array) => void, blockRows?: number): RowBlocks {
  const flush = (F: Mat, y: Mat): void => onBlock(predict(F, fit.Wout, fit.bias).data, y.data);
  return blockRows === undefined ? new RowBlocks(n, maxRows, flush) : new RowBlocks(n, maxRows, flush, blockRows);
}
