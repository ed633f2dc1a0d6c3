// Experiment local/fig8-theory-vs-bptt: Fig. 5's protocol with BPTT training and the BPTT mode ODE (supplementary Fig. 8).
//
// Protocol and theory: ./theory-vs-training.ts. The 'paper' preset is the Fig. 5 setup with BPTT (no feedback
// matrix, so no feedback alignment and no b) on sequences of T = 20 for training and validation, and 1000 epochs,
// as chosen in our specification; the mode ODE is BPTT's T = ∞ closed form (`odeT: "training"` switches to the exact
// finite-T sums at T = 20). At its optimum mode 1 (w* = 0.9) has a Jacobian eigenvalue of about −270 (T = ∞; −210 at
// T = 20, by finite differences), so η|λ| > 2 at η = 0.01: SGD cannot settle there; the summary reports each mode's
// stiffness and the caption says where that limits the agreement.
import { defineExperiment, type SummaryValue } from '../experiment.js';
import type { FigureSpec } from '../figure-spec.js';
import { protocolConfig, qualitativeFigure, qualitativeSummary, runProtocol } from './theory-vs-training.js';

const config = protocolConfig({ T: 20, epochs: 1000, startEpochs: [0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 700], showFrom: 10, checkpoint: 50 });

export const fig8TheoryVsBpttExperiment = defineExperiment({
  id: 'local/fig8-theory-vs-bptt',
  title: 'Mode theory vs. BPTT training of a non-aligned linear RNN',
  source: { paper: 'Williams, Payeur, Lajoie 2026 (local learning in linear RNNs)', figure: 'Fig. 8 (supplementary; Fig. 5 for BPTT)' },
  description:
    'Fig. 5 with exact gradients: the 8-unit student learns the diagonal 4-mode teacher (T = 20) with BPTT and plain SGD; ' +
    'every epoch its modes and the recurrent, input and output alignments are estimated, and the BPTT mode ODE (T = ∞, RK4) ' +
    'is integrated from the estimates at start epochs n0 and compared with later epochs. Expected (the paper gives no ' +
    'numbers): alignments towards 1 and agreement after a short transient.',
  presets: {
    paper: 'the Fig. 5 setup with BPTT, T = 20 for training and validation, up to 1000 epochs (1024/256 sequences, batch 32, ' +
      'SGD η = 0.01); one seed; about 10 s',
    quick: 'the same setup scaled down: 512/128 sequences (16 updates per epoch) and 150 epochs; summary checkpoint at epoch 50; about 1 s',
  },
  config,
  quick: { trainSize: 512, valSize: 128, epochs: 150, startEpochs: [0, 1, 2, 5, 10, 20, 50, 100], showFrom: 20, checkpoint: 50 },
  defaultSeed: 1,
  run: (cfg, rng, progress) => runProtocol('bptt', cfg, rng, progress),
  figure: (d): FigureSpec => qualitativeFigure(d, 'Fig. 8: mode theory vs. BPTT training'),
  summary: (d): Record<string, SummaryValue> => qualitativeSummary(d),
});
