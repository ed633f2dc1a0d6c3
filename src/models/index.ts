// Models barrel: recurrent model (rollout, step, embeddings), random ESN builder, pole-form reservoirs.
export * from './rnn.js';
export * from './reservoir.js';
export * from './poles.js';
