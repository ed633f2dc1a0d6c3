// Hyperbolic tangent of a vector, two lanes at a time, accurate to a few ulp: tanh|x| = −t/(t + 2), t = expm1(−2|x|).
//
// The identity is the one musl and fdlibm use for small |x|; with t ∈ (−1, 0] it is accurate over the whole
// range (t + 2 ∈ (1, 2] is formed without cancellation). expm1 is reduced as in fdlibm s_expm1.c:
// y = k·ln2 + r, |r| ≤ ln2/2, expm1(y) = 2^k·expm1(r) + (2^k − 1), and expm1(r) = r + r²·Q(r) with Q the
// Taylor series to degree 11 (truncation below 2^−56 relative on |r| ≤ ln2/2), evaluated by Estrin's scheme.
// Measured against Math.tanh (fdlibm): within 3 ulp; against a long-double reference: within 2.5 ulp.

// The constants live in linear memory and are loaded once per call, before the loop: V8 rebuilds an f64x2
// constant from a general register at every use (three instructions), and hoists loads inside a loop body to
// its top (spilling registers), whereas loop-invariant values are reloaded from the stack right at their use.
//   [0] ln2_hi, [1] ln2_lo (fdlibm's split: k·ln2_hi is exact for |k| < 2^20), [2] 1/ln2,
//   [3] 1.5·2^52 (adding it rounds |v| < 2^51 to an integer kept in the low mantissa bits),
//   [4] 22 (beyond it tanh rounds to ±1, as in fdlibm; clamping there keeps 2^k normal), [5] −2, [6] 1, [7] 2,
//   [8 ..] 1/m! for m = 2 .. 13, the coefficients of Q(r) = Σ_{m≥2} r^{m−2}/m!.
const K: usize = memory.data<f64>([
  6.93147180369123816490e-01, 1.90821492927058770002e-10, 1.44269504088896338700e+00, 6755399441055744.0,
  22.0, -2.0, 1.0, 2.0,
  1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0, 1.0 / 40320.0, 1.0 / 362880.0,
  1.0 / 3628800.0, 1.0 / 39916800.0, 1.0 / 479001600.0, 1.0 / 6227020800.0,
]);
/** Integer constants: the exponent bias 1023 and the sign bit. */
const KI: usize = memory.data<i64>([1023, -9223372036854775808]);

@inline function kst(i: usize): v128 {
  return v128.load64_splat(K + (i << 3));
}

@inline function madd(a: v128, b: v128, c: v128): v128 {
  return f64x2.add(a, f64x2.mul(b, c));
}

/**
 * p[i] := tanh(p[i]) for i < n, n rounded up to even (the caller provides the padding).
 * NaN stays NaN, ±∞ gives ±1, the sign of ±0 is kept.
 */
export function tanhInPlace(p: usize, n: i32): void {
  const ln2Hi = kst(0), ln2Lo = kst(1), invLn2 = kst(2), shifter = kst(3);
  const clamp = kst(4), minusTwo = kst(5), one = kst(6), two = kst(7);
  const c2 = kst(8), c3 = kst(9), c4 = kst(10), c5 = kst(11), c6 = kst(12), c7 = kst(13);
  const c8 = kst(14), c9 = kst(15), c10 = kst(16), c11 = kst(17), c12 = kst(18), c13 = kst(19);
  const bias = v128.load64_splat(KI), sign = v128.load64_splat(KI, 8);
  const end = p + (<usize>((n + 1) & ~1) << 3);
  for (let q = p; q < end; q += 16) {
    const x = v128.load(q);
    const a = f64x2.pmin(f64x2.abs(x), clamp); // pmin keeps a NaN in its first operand
    const y = f64x2.mul(a, minusTwo);          // y ∈ [−44, 0]
    // k = nearest(y / ln2), as a float (kf) and as the integer held in the shifted float's mantissa
    const ks = madd(shifter, y, invLn2);
    const kf = f64x2.sub(ks, shifter);
    const ki = i64x2.sub(ks, shifter); // bit patterns of two floats in [2^52, 2^53): their difference is k
    // r = y − k·ln2 in two pieces (hi exact by Sterbenz), c = the rounding error of r (fdlibm's "c")
    const hi = f64x2.sub(y, f64x2.mul(kf, ln2Hi));
    const lo = f64x2.mul(kf, ln2Lo);
    const r = f64x2.sub(hi, lo);
    const c = f64x2.sub(f64x2.sub(hi, r), lo);
    // Q(r) by Estrin: pairs c_m + c_{m+1} r, then r², r⁴, r⁸ (its rounding is scaled by r²/2 ≤ 0.06 below)
    const r2 = f64x2.mul(r, r), r4 = f64x2.mul(r2, r2), r8 = f64x2.mul(r4, r4);
    const q0 = madd(madd(c2, c3, r), madd(c4, c5, r), r2);
    const q1 = madd(madd(c6, c7, r), madd(c8, c9, r), r2);
    const q2 = madd(madd(c10, c11, r), madd(c12, c13, r), r2);
    const qr = madd(madd(q0, q1, r4), q2, r8);
    // expm1(r + c) ≈ r + (r²·Q(r) + c)   (c·expm1(r) is below the rounding of the sum)
    const em = f64x2.add(r, madd(c, r2, qr));
    // 2^k from its exponent bits; t = expm1(y) = 2^k·em + (2^k − 1) (the last term is exact for k ≥ −53)
    const pow2 = i64x2.shl(i64x2.add(ki, bias), 52);
    const t = madd(f64x2.sub(pow2, one), pow2, em);
    const m = f64x2.abs(f64x2.div(t, f64x2.add(t, two)));
    v128.store(q, v128.or(m, v128.and(x, sign)));
  }
}
