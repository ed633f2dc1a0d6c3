// Elementwise steps of the backward sweeps shared by asm/learning/bptt.ts and asm/learning/seq.ts.

/** g[i] *= 1 − h[i]² for i < n, two at a time (g and h readable up to n rounded up to even): σ' of tanh. */
export function tanhPrime(n: i32, g: usize, h: usize): void {
  const one = f64x2.splat(1.0);
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const hv = v128.load(h + off);
    v128.store(g + off, f64x2.mul(v128.load(g + off), f64x2.sub(one, f64x2.mul(hv, hv))));
  }
}

/**
 * δ = u + (1 − a)·δ, then u = a·δ, over n values (padded to even): the leaky step of a backward sweep
 * (docs/theory/learning-rules.md §2).
 */
export function leakBack(n: i32, u: usize, delta: usize, leak: f64): void {
  const a = f64x2.splat(leak), k = f64x2.splat(1.0 - leak);
  for (let i = 0; i < n; i += 2) {
    const off = <usize>i << 3;
    const d = f64x2.add(v128.load(u + off), f64x2.mul(k, v128.load(delta + off)));
    v128.store(delta + off, d);
    v128.store(u + off, f64x2.mul(a, d));
  }
}
