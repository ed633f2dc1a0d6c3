// Benchmark workloads for the mode theory: the vector field on a grid, manifold eigenvalues along σ, one long RK4 trajectory.
import { modeFieldGrid } from '../src/theory/modes.js';
import { manifoldEigenField } from '../src/theory/modes-stability.js';
import { integrateMode } from '../src/theory/modes-integrate.js';
import type { Workload } from './workload.js';

/** RFLO (α = 0.5, b = 1) on the teacher mode (0.5, 1, 1) of docs/theory/modes.md §5–6, T = "inf". */
const RULE = { name: 'rflo', alpha: 0.5, b: 1 } as const;
const TEACHER = [0.5, 1, 1] as const;

/**
 * mode_field_100x100: (ẇ, u̇, v̇) of RFLO on the 100 × 100 grid w ∈ [−0.95, 0.95], u ∈ [−2.5, 2.5], v = 1 (modeFieldGrid
 * into one reused 3·10⁴ buffer, validation included). manifold_eigs_1000: λ±, p, q and the rate on the optimal manifold at 1000 σ ∈ [−2.5, 2.5]
 * (σ = −2.5 + 5(k + ½)/1000, never 0). integrate_mode_1e5: one RK4 trajectory of 10⁵ steps (dt = 1e-3, tEnd = 100),
 * RFLO α = 0.3, b = 0.3, teacher (0.8, 1, 1), from (0.7, −0.525, −2.1) (the excursion of §6.2), every step saved.
 */
export const workloads: Workload[] = [
  {
    name: 'mode_field_100x100',
    setup() {
      const n = 100, out = new Float64Array(3 * n * n);
      const w = Float64Array.from({ length: n }, (_, i) => -0.95 + (1.9 * i) / (n - 1));
      const u = Float64Array.from({ length: n }, (_, j) => -2.5 + (5 * j) / (n - 1));
      return () => { modeFieldGrid(RULE, TEACHER, w, u, 1, 1, out); };
    },
  },
  {
    name: 'manifold_eigs_1000',
    setup() {
      const f = manifoldEigenField(RULE, TEACHER, 'optimal'), n = 1000, out = new Float64Array(7 * n), o = new Float64Array(7);
      return () => {
        for (let k = 0; k < n; k++) {
          f(-2.5 + (5 * (k + 0.5)) / n, o);
          out.set(o, 7 * k);
        }
      };
    },
  },
  {
    name: 'integrate_mode_1e5',
    setup() {
      const rule = { name: 'rflo', alpha: 0.3, b: 0.3 } as const;
      const run = (): number => integrateMode(rule, [0.7, -0.525, -2.1], [0.8, 1, 1], 100, { dt: 1e-3 }).steps;
      if (run() !== 100_000) throw new Error('integrate_mode_1e5: expected 10^5 steps');
      return () => { run(); };
    },
  },
];
