// Experiment local/fig9-theory-vs-tbptt: Fig. 5's protocol with one-step tBPTT training and the tBPTT(1) mode ODE (supplementary Fig. 9).
//
// Protocol and theory: ./theory-vs-training.ts. The 'paper' preset is the Fig. 5 setup (T = 50) with tBPTT(1) (no
// feedback matrix, so no feedback alignment and no b) and 1000 epochs, as chosen in our specification; the mode ODE is
// tBPTT(1)'s T = ∞ closed form (`odeT: "training"` switches to the exact finite-T sums at T = 50).
import { defineExperiment, type SummaryValue } from '../experiment.js';
import type { FigureSpec } from '../figure-spec.js';
import { protocolConfig, qualitativeFigure, qualitativeSummary, runProtocol } from './theory-vs-training.js';

const config = protocolConfig({ T: 50, epochs: 1000, startEpochs: [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 700], showFrom: 10, checkpoint: 50 });

export const fig9TheoryVsTbpttExperiment = defineExperiment({
  id: 'local/fig9-theory-vs-tbptt',
  title: 'Mode theory vs. one-step tBPTT training of a non-aligned linear RNN',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 9 (supplementary; Fig. 5 for tBPTT(1))' },
  description:
    'Fig. 5 with one-step truncated BPTT: the 8-unit student learns the diagonal 4-mode teacher (T = 50) with tBPTT(1) and plain SGD; ' +
    'every epoch its modes and the recurrent, input and output alignments are estimated, and the tBPTT(1) mode ODE (T = ∞, RK4) ' +
    'is integrated from the estimates at start epochs n0 and compared with later epochs. Expected (the paper gives no ' +
    'numbers): alignments towards 1 and agreement after a short transient.',
  presets: {
    paper: 'the Fig. 5 setup with tBPTT(1), T = 50, up to 1000 epochs (1024/256 sequences, batch 32, ' +
      'SGD η = 0.01); one seed; about 10 s',
    quick: 'the same setup scaled down: 512/128 sequences (16 updates per epoch) and 150 epochs; summary checkpoint at epoch 50; about 1 s',
  },
  config,
  quick: { trainSize: 512, valSize: 128, epochs: 150, startEpochs: [0, 1, 2, 5, 10, 20, 50, 100], showFrom: 20, checkpoint: 50 },
  defaultSeed: 1,
  run: (cfg, rng, progress) => runProtocol('tbptt1', cfg, rng, progress),
  figure: (d): FigureSpec => qualitativeFigure(d, 'Fig. 9: mode theory vs. one-step tBPTT training'),
  summary: (d): Record<string, SummaryValue> => qualitativeSummary(d),
});
