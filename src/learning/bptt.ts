// BPTT and truncated BPTT over a forward pass (local-learning.md §2.1–2.2, §2.6; pole-learning.md §1.1).
//
// Exact gradient of the per-sequence loss ℓ: δ_t = ∂ℓ/∂h_t = Vᵀ Gy_t + Wᵀ g_{t+1}, g_t = δ_t ⊙ σ'(a_t),
// ∇_W ℓ = Σ_t g_t h_{t−1}ᵀ, ∇_U ℓ = Σ_t g_t x_tᵀ, ∇_V ℓ = Σ_t Gy_t h_tᵀ (complex: ᴴ, giving
// ∂ℓ/∂Re θ + i ∂ℓ/∂Im θ). tBPTT(τ) backpropagates each loss step's error over min(τ, t) steps only
// (the states h_{t−1} are the true full-history states); τ ≥ T is BPTT.
import { accToBlocks, type Acc } from './grads.js';
import { checkLoss, forwardPass, prepareNet, type Net, type Pass } from './losses.js';
import type { AnySeqBatch, BlockUpdates, LearningOptions, RnnParams } from './types.js';
import { scratchAcc, withScratch, type Scratch } from './workspace.js';

/** Adds Σ_b Σ_t Gy_t h_tᵀ (complex Gy h_tᴴ) to acc.gV (when V is free). */
export function readoutAccumulate(net: Net, pass: Pass, acc: Acc): void {
  if (acc.gV === null) return;
  const k = net.backend.learning;
  if (net.complex) {
    k.readoutGradComplex(net.n, net.nOut, pass.batch, pass.steps, pass.from, pass.H, pass.Hi!, pass.Gy, pass.Gyi!, acc.gV, acc.gVi!);
  } else {
    k.readoutGrad(net.n, net.nOut, pass.batch, pass.steps, pass.from, pass.H, pass.Gy, acc.gV);
  }
}

/**
 * Adds the (truncated) BPTT gradient sums of W and U over the batch to acc (skipped entirely when both
 * are frozen). tau = Infinity (or ≥ T) is exact BPTT. Cost O(B·T·N²) for BPTT and O(B·T·min(τ,T)·N²)
 * for tBPTT with a sequence loss (each loss step gets its own truncated sweep). The kernels' work vector comes
 * from `ws` when given (zeroed), else it is allocated.
 */
export function bpttAccumulate(net: Net, pass: Pass, tau: number, acc: Acc, ws?: Scratch): void {
  if (acc.gW === null && acc.gU === null) return;
  const { n, nIn, nOut } = net;
  const k = net.backend.learning;
  const t = Math.min(tau, pass.steps);
  const wlen = (net.complex ? 4 : 2) * n;
  const work = ws === undefined ? new Float64Array(wlen) : ws.zeros('work', wlen);
  if (net.complex) {
    k.bpttComplex(n, nIn, nOut, pass.batch, pass.steps, pass.from, t, net.W, net.Wi!, net.V, net.Vi!, pass.x, pass.xi!,
      net.h0, net.h0i, pass.H, pass.Hi!, pass.Gy, pass.Gyi!, acc.gW, acc.gWi, acc.gU, acc.gUi, work);
  } else {
    k.bptt(n, nIn, nOut, pass.batch, pass.steps, pass.from, t, net.W, net.V, net.tanh, pass.x, net.h0, pass.H, pass.Gy,
      acc.gW, acc.gU, work);
  }
}

/** Batch-mean loss and its exact gradient. */
export interface LossGradient {
  readonly loss: number;
  /** ∂L/∂θ per free block (complex: ∂L/∂Re θ + i ∂L/∂Im θ); frozen blocks absent. */
  readonly grads: BlockUpdates;
}

/**
 * Batch-mean loss L and its exact gradient ∂L/∂(W, U, V) by BPTT for inputs x (B, T, I) and targets
 * (B, T, O) (or (B, 1, O) for a terminal-only target). Options: loss (default 'terminal'), activation
 * (default 'identity'), freeze, h0. Real, tanh and complex networks.
 */
export function lossAndGradient(params: RnnParams, x: AnySeqBatch, targets: AnySeqBatch, opts: LearningOptions = {}): LossGradient {
  const where = 'gradient';
  const net = prepareNet(params, opts, where);
  const kind = checkLoss(opts.loss ?? 'terminal', where);
  return withScratch((ws) => {
    const pass = forwardPass(net, x, targets, kind, where, ws);
    const acc = scratchAcc(ws, net, opts.freeze);
    readoutAccumulate(net, pass, acc);
    bpttAccumulate(net, pass, Infinity, acc, ws);
    // accToBlocks copies: the caller owns the gradient arrays, the scratch goes back to the pool
    return { loss: pass.loss, grads: accToBlocks(net, acc, 1 / pass.batch) };
  });
}
