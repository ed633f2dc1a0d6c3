// README example: a 100-unit ESN with a ridge readout on NARMA-10 (run: npx vitest run examples).
import { createRng, esn, rollout, fitRidge, predict, nrmse, narma, mat, sliceRows } from '../src/index.js';

export function readmeExample(): number {
  const rng = createRng(42);
  const { input, target } = narma(3000, rng.child('data'));                  // u(t) ~ U[0, 0.5], y(t+1)
  const net = esn({ units: 100, sr: 0.9, inputScaling: 0.5, inputConnectivity: 1 }, 1, rng.child('esn'));
  const { states } = rollout(net, mat(3000, 1, input));                     // 3000×100, row t−1 = h_t
  const Y = mat(3000, 1, target);
  const fit = fitRidge(sliceRows(states, 0, 2000), sliceRows(Y, 0, 2000), { lambda: 1e-7, washout: 200, bias: true });
  const yhat = predict(sliceRows(states, 2000, 3000), fit.Wout, fit.bias);  // test segment
  return nrmse(sliceRows(Y, 2000, 3000), yhat);                             // ≈ 0.4
}
