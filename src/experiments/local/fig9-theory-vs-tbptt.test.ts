// Tests of local/fig9-theory-vs-tbptt: presets, quick run (determinism, alignments, late theory error), theory curves vs an independent integration.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { integrateMode } from '../../theory/modes-integrate.js';
import { fig9TheoryVsTbpttExperiment as exp } from './fig9-theory-vs-tbptt.js';
import { qualitativeAgreement, stiffness, type ProtocolData } from './theory-vs-training.js';

const quick = exp.config.parse(exp.quick);
let cached: ProtocolData | null = null;
const runQuick = async (): Promise<ProtocolData> => (cached ??= await exp.run(quick, createRng(1), () => {}));

describe('local/fig9-theory-vs-tbptt', () => {
  it('paper preset = Fig. 5 with tBPTT(1), T = 50, 1000 epochs; quick is scaled down', () => {
    const d = exp.config.parse({});
    expect([d.T, d.epochs, d.n, d.trainSize, d.valSize, d.batchSize, d.lr, d.odeT]).toEqual([50, 1000, 8, 1024, 256, 32, 0.01, 'inf']);
    expect([quick.T, quick.trainSize, quick.epochs]).toEqual([50, 512, 150]);
  });

  it('quick run: deterministic, alignments rise, theory error small from a late n0, no stiff mode', { timeout: 60_000 }, async () => {
    const d = await runQuick();
    expect(await exp.run(quick, createRng(1), () => {})).toEqual(d);
    const e1 = d.history[1]!, f = d.history.at(-1)!;
    // measured: recurrent 0.34 → 0.96, input 0.18 → 0.89, output 0.04 → 0.99
    expect(f.recurrent).toBeGreaterThan(e1.recurrent + 0.3);
    expect(f.input).toBeGreaterThan(0.85);
    expect(f.output).toBeGreaterThan(0.95);
    // measured at n0 = 100: (0.00063, 0.0032, 0.0034, 0.0082); at n0 = 0: up to 0.16
    const late = d.theory.at(-1)!;
    late.error.forEach((e) => expect(e).toBeLessThan(0.02));
    expect(Math.max(...d.theory[0]!.error)).toBeGreaterThan(5 * Math.max(...late.error));
    expect(qualitativeAgreement(d)).toMatchObject({ alignments: 'agrees', lateTheory: 'agrees', from: 50 });
    expect(Math.max(...stiffness(d))).toBeLessThan(2);
  });

  it('theory curves = one dopri5 integration of the tBPTT(1) mode ODE (second algorithm)', { timeout: 60_000 }, async () => {
    const d = await runQuick();
    const c = d.curves!, s = d.history[c.n0]!;
    for (let i = 0; i < 4; i++) {
      const tEnd = quick.lr * (d.history.at(-1)!.updates - s.updates);
      const r = integrateMode({ name: 'tbptt', tau: 1 }, [s.w[i]!, s.u[i]!, s.v[i]!], [quick.teacherModes[i]!, 1, 1], tEnd, { method: 'dopri5', rtol: 1e-10, atol: 1e-12 });
      const m = r.t.length - 1;
      // RK4 (dt ≤ 1e-2) global error O(dt⁴) on this smooth, mildly stiff field (η|λ| ≤ 0.31 per update of 0.01): 1e-6 bounds it
      expect(c.w[i]!.at(-1)!).toBeCloseTo(r.states[3 * m]!, 6);
      expect(c.u[i]!.at(-1)!).toBeCloseTo(r.states[3 * m + 1]!, 6);
      expect(c.v[i]!.at(-1)!).toBeCloseTo(r.states[3 * m + 2]!, 6);
    }
  });
});
