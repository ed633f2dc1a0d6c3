// Householder reflector generation (LAPACK dlarfg convention) on strided vectors, shared by the decompositions.
//
// Same arithmetic as src/linalg/householder.ts (hyp, nrm2 with rescaling, larfg), so a reflector generated here
// equals the JS one for the same input bits.

/** Address of element i of a double array at p. */
@inline export function el(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** √(a² + b²) without overflow or harmful underflow. */
export function hyp(a: f64, b: f64): f64 {
  const x = Math.abs(a), y = Math.abs(b);
  const mx = x > y ? x : y, mn = x > y ? y : x;
  if (mx == 0.0) return 0.0;
  const q = mn / mx;
  return mx * Math.sqrt(1.0 + q * q);
}

/** 2-norm of x[i·stride], i < len (stride in doubles), rescaled when the squares would over/underflow. */
export function nrm2(len: i32, x: usize, stride: i32): f64 {
  const st = <usize>stride << 3;
  let ss = 0.0;
  let p = x;
  for (let i = 0; i < len; i++, p += st) { const r = load<f64>(p); ss += r * r; }
  if (ss > 1e-280 && ss < 1e280) return Math.sqrt(ss);
  let mx = 0.0;
  p = x;
  for (let i = 0; i < len; i++, p += st) mx = Math.max(mx, Math.abs(load<f64>(p)));
  if (mx == 0.0) return 0.0;
  let s2 = 0.0;
  p = x;
  for (let i = 0; i < len; i++, p += st) { const r = load<f64>(p) / mx; s2 += r * r; }
  return mx * Math.sqrt(s2);
}

/**
 * Real reflector (dlarfg) for x[i·stride], i < len: (I − τ·v·vᵀ)·x = β·e₁ with v₀ = 1. Overwrites x₀ with β
 * and x₁.. with v₁..; returns τ (0 when x₁.. = 0).
 */
export function larfg(len: i32, x: usize, stride: i32): f64 {
  if (len <= 1) return 0.0;
  const st = <usize>stride << 3;
  const xnorm = nrm2(len - 1, x + st, stride);
  if (xnorm == 0.0) return 0.0;
  const alpha = load<f64>(x);
  const h = hyp(alpha, xnorm);
  const beta = alpha >= 0.0 ? -h : h;
  const tau = (beta - alpha) / beta;
  const scal = 1.0 / (alpha - beta);
  let p = x + st;
  for (let i = 1; i < len; i++, p += st) store<f64>(p, load<f64>(p) * scal);
  store<f64>(x, beta);
  return tau;
}
