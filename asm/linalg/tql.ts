// Eigenvalues of a symmetric tridiagonal matrix by implicit QL (EISPACK tql1), the loop of src/linalg/tridiag.ts
// tqlSweeps without vectors, operation for operation (so the values are bit-identical to the JS ones).

import { el, hyp } from './house';

const EPS: f64 = 2.220446049250313e-16;

/**
 * d (n) ← eigenvalues (unsorted) of the tridiagonal (d, e), e[i] = T[i+1][i] (e has n entries, destroyed).
 * Returns 0, or −(l+1) when eigenvalue l needed more than maxIter iterations.
 */
export function tqlValues(n: i32, d: usize, e: usize, maxIter: i32): i32 {
  if (n <= 0) return 0;
  store<f64>(el(e, n - 1), 0.0);
  let f = 0.0, tst1 = 0.0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(load<f64>(el(d, l))) + Math.abs(load<f64>(el(e, l))));
    let m = l;
    while (m < n - 1 && Math.abs(load<f64>(el(e, m))) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > maxIter) return -(l + 1);
        let g = load<f64>(el(d, l));
        const el0 = load<f64>(el(e, l));
        let p = (load<f64>(el(d, l + 1)) - g) / (2.0 * el0);
        let r = hyp(p, 1.0);
        if (p < 0.0) r = -r;
        store<f64>(el(d, l), el0 / (p + r));
        store<f64>(el(d, l + 1), el0 * (p + r));
        const dl1 = load<f64>(el(d, l + 1));
        let h = g - load<f64>(el(d, l));
        for (let i = l + 2; i < n; i++) store<f64>(el(d, i), load<f64>(el(d, i)) - h);
        f += h;
        p = load<f64>(el(d, m));
        let c = 1.0, c2 = 1.0, c3 = 1.0, s = 0.0, s2 = 0.0;
        const el1 = load<f64>(el(e, l + 1));
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = load<f64>(el(e, i)), di = load<f64>(el(d, i));
          g = c * ei;
          h = c * p;
          r = hyp(p, ei);
          store<f64>(el(e, i + 1), s * r);
          s = ei / r;
          c = p / r;
          p = c * di - s * g;
          store<f64>(el(d, i + 1), h + s * (c * g + s * di));
        }
        p = (-s * s2 * c3 * el1 * load<f64>(el(e, l))) / dl1;
        store<f64>(el(e, l), s * p);
        store<f64>(el(d, l), c * p);
      } while (Math.abs(load<f64>(el(e, l))) > EPS * tst1);
    }
    store<f64>(el(d, l), load<f64>(el(d, l)) + f);
    store<f64>(el(e, l), 0.0);
  }
  return 0;
}
