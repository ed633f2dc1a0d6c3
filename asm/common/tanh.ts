// Hyperbolic tangent of a vector, two lanes at a time, within 1.4 ulp over the whole double range (one rational, two forms).
//
// With a = |x| and s = a²:
//   a < 1:  tanh a = a + a·s·N(s)/D(s), N/D the [3/3] minimax rational for (tanh(√s)/√s − 1)/s on s ∈ [0, 1]
//           (relative error 6.4e-18 = 0.058 u, derived by a rational Remez exchange in 60-digit arithmetic).
//           The quotient is at most 0.31 of the result, so the result is the correctly rounded a plus a small
//           correction; subnormals come out unchanged (s underflows to 0), ±0 keeps its sign.
//   a ≥ 1:  a = k·(ln2/2) + z, |z| ≤ ln2/4 (Cody–Waite with fdlibm's ln2_hi/ln2_lo split; k·ln2_hi/2 is exact),
//           T = tanh z by the same rational, e^{2z} = (1 + T)/(1 − T), and
//             tanh a = 1 − 2/(e^{2a} + 1) = 1 − 2(1 − T)/(2^k (1 + T) + (1 − T)),
//           where the subtracted quotient is ≤ 0.24, so its rounding errors reach the result scaled down.
//           a is clamped to 22 first (k ≤ 63, 2^k from the exponent bits of the rounding shifter); beyond
//           a ≈ 19.06 the quotient is below 2^-54 and the result is exactly 1.
// Measured (test/wasm-tanh.test.ts and a 16M-value random sweep): within 1.4 ulp of the correctly rounded tanh,
// within 2 ulp of Math.tanh (itself up to 2 ulp off), exact ±1 beyond 19.1, NaN stays NaN.
//
// Speed (docs/performance.md): V8 keeps a long dependency chain of vector operations in its scheduler window
// (measured: reduction and rational together in one loop ran 2× slower than in two), so the work runs as three
// loops over blocks of up to BLOCK pairs, the intermediates (z, the shifted k, T) in static scratch: reduction,
// rational and T (one division), final form and blend (one division). Each loop keeps its constants in registers.

import { madd } from './vec';

/**
 * Constants, each stored twice (a full f64x2, loaded once per loop without a shuffle):
 *   [0] 22 (clamp), [1] 1.5·2^52 + 1023 (adding it rounds to an integer k whose low bits, shifted into the
 *   exponent field, give 2^k), [2] 2/ln2, [3] 1, [4] ln2_hi/2, [5] ln2_lo/2,
 *   [6 .. 9] N(s) = n0 + n1 s + n2 s² + n3 s³, [10 .. 12] D(s) = d0 + d1 s + d2 s² + s³ (monic).
 */
const K: usize = memory.data<f64>([
  22.0, 22.0, 6755399441055744.0 + 1023.0, 6755399441055744.0 + 1023.0,
  2.8853900817779268, 2.8853900817779268, 1.0, 1.0,
  0.3465735901845619, 0.3465735901845619, 9.541074646352939e-11, 9.541074646352939e-11,
  -1311.0223693155754, -1311.0223693155754, -84.20157308433423, -84.20157308433423,
  -0.9566586185935437, -0.9566586185935437, -6.781403851185675e-05, -6.781403851185675e-05,
  3933.067107946726, 3933.067107946726, 1825.8315624316906, 1825.8315624316906,
  96.42030716093733, 96.42030716093733,
], 16);
/** |x| mask (all bits but the sign), as a full f64x2. */
const ABS: usize = memory.data<i64>([0x7fffffffffffffff, 0x7fffffffffffffff], 16);

/** Pairs per block: the scratch below holds one block's intermediates. */
const BLOCK: i32 = 32;
/** Per pair: z (pass 1), then T (pass 2). */
const SCRATCH_Z: usize = memory.data(BLOCK * 16, 16);
/** Per pair: 1.5·2^52 + 1023 + k (pass 1). */
const SCRATCH_K: usize = memory.data(BLOCK * 16, 16);
/** The odd last value of a call, padded to a pair (so it takes exactly the path of the pairs). */
const TAIL: usize = memory.data(16, 16);

@inline function kst(i: usize): v128 {
  return v128.load(K + (i << 4));
}

/** tanh of the np pairs at p (np ≤ BLOCK), in place. */
function tanhBlock(p: usize, np: i32): void {
  const bytes = <usize>np << 4;
  {
    // pass 1: k = nearest(2a/ln2) (0 when a < 1), z = a − k·ln2/2
    const absMask = v128.load(ABS), clamp = kst(0), shifter = kst(1), twoByLn2 = kst(2), one = kst(3);
    const ln2Hi = kst(4), ln2Lo = kst(5);
    for (let o: usize = 0; o < bytes; o += 16) {
      const a = v128.and(v128.load(p + o), absMask);
      const ac = f64x2.pmin(a, clamp); // pmin keeps a NaN in its first operand
      const ks = madd(shifter, ac, twoByLn2);
      const kf = v128.andnot(f64x2.sub(ks, shifter), f64x2.lt(a, one));
      v128.store(SCRATCH_Z + o, f64x2.sub(f64x2.sub(ac, f64x2.mul(kf, ln2Hi)), f64x2.mul(kf, ln2Lo)));
      v128.store(SCRATCH_K + o, ks);
    }
  }
  {
    // pass 2: T = z + z·s·N(s)/D(s), both polynomials by Estrin's scheme
    const n0 = kst(6), n1 = kst(7), n2 = kst(8), n3 = kst(9), d0 = kst(10), d1 = kst(11), d2 = kst(12);
    for (let o: usize = 0; o < bytes; o += 16) {
      const z = v128.load(SCRATCH_Z + o);
      const s = f64x2.mul(z, z), s2 = f64x2.mul(s, s);
      const num = madd(madd(n0, s, n1), s2, madd(n2, s, n3));
      const den = madd(madd(d0, s, d1), s2, f64x2.add(d2, s));
      v128.store(SCRATCH_Z + o, f64x2.add(z, f64x2.div(f64x2.mul(f64x2.mul(z, s), num), den)));
    }
  }
  {
    // pass 3: a < 1 → T; a ≥ 1 → 1 − 2B/(2^k A + B), A = 1 + T, B = 1 − T; then the sign of x
    const absMask = v128.load(ABS), one = kst(3);
    for (let o: usize = 0; o < bytes; o += 16) {
      const x = v128.load(p + o), t = v128.load(SCRATCH_Z + o);
      const a = v128.and(x, absMask);
      const pow2 = i64x2.shl(v128.load(SCRATCH_K + o), 52);
      const A = f64x2.add(one, t), B = f64x2.sub(one, t);
      const large = f64x2.sub(one, f64x2.div(f64x2.add(B, B), madd(B, pow2, A)));
      v128.store(p + o, v128.or(v128.bitselect(t, large, f64x2.lt(a, one)), v128.xor(x, a)));
    }
  }
}

/**
 * p[i] := tanh(p[i]) for i < n (doubles at byte offset p). Pairs go through the vector passes; an odd last
 * value goes through the same passes as a pair padded with 0, so it gets exactly the result it would get in a
 * pair. Nothing beyond p[n − 1] is read or written. NaN stays NaN, ±∞ gives ±1, the sign of ±0 is kept.
 */
export function tanhInPlace(p: usize, n: i32): void {
  let pairs = n >> 1;
  let q = p;
  while (pairs > 0) {
    const np = min(pairs, BLOCK);
    tanhBlock(q, np);
    q += <usize>np << 4;
    pairs -= np;
  }
  if (n & 1) {
    v128.store(TAIL, v128.load64_zero(q));
    tanhBlock(TAIL, 1);
    store<f64>(q, load<f64>(TAIL));
  }
}
