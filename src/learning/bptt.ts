// BPTT and truncated BPTT over a forward pass (docs/theory/learning-rules.md §2, §3, §6).
//
// Model h_t = (1−a)·h_{t−1} + a·φ_t, φ_t = act(pre_t), pre_t = W h_{t−1} + U x_t + b, y_t = V z_t (types.ts), with
// σ'_t = act'(pre_t) and V_h the first N columns of V (the input and constant features do not depend on h).
// Exact gradient of the per-sequence loss ℓ, Gy_t = ∂ℓ/∂y_t:
//   δ_t = ∂ℓ/∂h_t = V_hᵀ Gy_t + (1−a)·δ_{t+1} + Wᵀ g_{t+1},   g_t = ∂ℓ/∂pre_t = a·σ'_t ⊙ δ_t,
//   ∇_W ℓ = Σ_t g_t h_{t−1}ᵀ,  ∇_U ℓ = Σ_t g_t x_tᵀ,  ∇_b ℓ = Σ_t g_t,  ∇_V ℓ = Σ_t Gy_t z_tᵀ
// (complex: ᴴ everywhere, giving ∂ℓ/∂Re θ + i ∂ℓ/∂Im θ). tBPTT(τ) backpropagates each loss step's error over
// min(τ, t) steps of the same recursion only (the states h_{t−1} are the true full-history states); τ ≥ T is BPTT.
import { accToBlocks, type Acc } from './grads.js';
import { checkLoss, forwardPass, prepareNet, type Net, type Pass } from './losses.js';
import type { AnySeqBatch, BlockUpdates, LearningOptions, RnnParams } from './types.js';
import { scratchAcc, withScratch, type Scratch } from './workspace.js';

/**
 * Adds Σ_b Σ_{t ≥ from} Gy_t z_tᵀ (complex Gy_t z_tᴴ) to acc.gV (O×F, when V is free): the state columns through the
 * readout kernel (into acc.gVh first when F > N), the input and constant columns here.
 */
export function readoutAccumulate(net: Net, pass: Pick<Pass, 'batch' | 'steps' | 'from' | 'x' | 'xi' | 'H' | 'Hi' | 'Gy' | 'Gyi'>, acc: Acc): void {
  if (acc.gV === null) return;
  const k = net.backend.learning;
  const { n, nIn, nOut, nF } = net;
  const split = nF !== n;
  const gV = split ? acc.gVh! : acc.gV, gVi = split ? acc.gVhi : acc.gVi;
  if (split) { gV.fill(0); gVi?.fill(0); }
  if (net.complex) {
    k.readoutGradComplex(n, nOut, pass.batch, pass.steps, pass.from, pass.H, pass.Hi!, pass.Gy, pass.Gyi!, gV, gVi!);
  } else {
    k.readoutGrad(n, nOut, pass.batch, pass.steps, pass.from, pass.H, pass.Gy, gV);
  }
  if (!split) return;
  const G = acc.gV, Gi = acc.gVi, bias = nF === n + nIn + 1;
  for (let o = 0; o < nOut; o++) {
    for (let j = 0; j < n; j++) {
      G[o * nF + j]! += gV[o * n + j]!;
      if (Gi !== null) Gi[o * nF + j]! += gVi![o * n + j]!;
    }
  }
  const { x, xi, Gy, Gyi } = pass;
  for (let b = 0; b < pass.batch; b++) {
    for (let t = Math.max(0, pass.from); t < pass.steps; t++) {
      const r = b * pass.steps + t, xo = r * nIn, yo = r * nOut;
      for (let o = 0; o < nOut; o++) {
        const er = Gy[yo + o]!, ei = Gyi === null ? 0 : Gyi[yo + o]!;
        if (er === 0 && ei === 0) continue;
        const go = o * nF + n;
        if (Gi === null || xi === null) {
          for (let j = 0; j < nIn; j++) G[go + j]! += er * x[xo + j]!;
          if (bias) G[go + nIn]! += er;
          continue;
        }
        // Gy · conj(x_j), and Gy · 1 for the constant feature
        for (let j = 0; j < nIn; j++) {
          const ar = x[xo + j]!, am = xi[xo + j]!;
          G[go + j]! += er * ar + ei * am;
          Gi[go + j]! += ei * ar - er * am;
        }
        if (bias) { G[go + nIn]! += er; Gi[go + nIn]! += ei; }
      }
    }
  }
}

/**
 * Adds the (truncated) BPTT gradient sums of W, U and b over the batch to acc (skipped entirely when all are
 * frozen). tau = Infinity (or ≥ T) is exact BPTT. Cost O(B·T·N²) for BPTT and O(B·T·min(τ,T)·N²)
 * for tBPTT with a sequence loss (each loss step gets its own truncated sweep). The kernels' work vector comes
 * from `ws` when given (zeroed), else it is allocated.
 */
export function bpttAccumulate(net: Net, pass: Pass, tau: number, acc: Acc, ws?: Scratch): void {
  if (acc.gW === null && acc.gU === null && acc.gb === null) return;
  const { n, nIn, nOut } = net;
  const k = net.backend.learning;
  const t = Math.min(tau, pass.steps);
  const wlen = (net.complex ? 4 : 2) * n;
  const work = ws === undefined ? new Float64Array(wlen) : ws.zeros('work', wlen);
  if (net.complex) {
    k.bpttComplex(n, nIn, nOut, pass.batch, pass.steps, pass.from, t, net.W, net.Wi!, net.Vh, net.Vhi!, net.leak, pass.x, pass.xi!,
      net.h0, net.h0i, pass.H, pass.Hi!, pass.Gy, pass.Gyi!, acc.gW, acc.gWi, acc.gU, acc.gUi, acc.gb, acc.gbi, work);
  } else {
    k.bptt(n, nIn, nOut, pass.batch, pass.steps, pass.from, t, net.W, net.Vh, net.leak, net.tanh, pass.x, net.h0, pass.H,
      pass.Phi, pass.Gy, acc.gW, acc.gU, acc.gb, work);
  }
}

/** Batch-mean loss and its exact gradient. */
export interface LossGradient {
  readonly loss: number;
  /** ∂L/∂θ per free block (complex: ∂L/∂Re θ + i ∂L/∂Im θ); frozen blocks absent. */
  readonly grads: BlockUpdates;
}

/**
 * Batch-mean loss L and its exact gradient ∂L/∂(W, U, b, V) by BPTT for inputs x (B, T, I) and targets
 * (B, T, O) (or (B, 1, O) for a terminal-only target). Options: loss (default 'terminal'), activation
 * (default 'identity'), freeze, h0, leakRate (default 1), readoutFeatures (default 'state'). Real, tanh and
 * complex networks; ∂L/∂b only when params.b is given (and not frozen).
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
