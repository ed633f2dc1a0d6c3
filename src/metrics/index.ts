// Metrics barrel: error metrics (MSE, NMSE, NRMSE) and Gaussian KDE / eigenvalue-modulus density.
export * from './metrics.js';
export * from './kde.js';
