#!/usr/bin/env python3
"""numpy reference for the polelab benchmark workloads (bench/models.ts, bench/linalg.ts), single-threaded BLAS.

Prints one JSON object {workload: median seconds} on stdout. Usage: reference.py [workload-name-prefix ...]
(default: all). Each workload is written the way a numpy user would write it; setup is untimed, one warm-up run.

  harvest_<linear|tanh>_N<n>  h_t = act(W h_{t-1} + U x_t): T = 20000, 2 inputs, rho(W) = 0.9 exactly, states kept
  ridge_T20000_N512           H^T H + lambda I, H^T Y, solve (lambda = 1e-6); H 20000 x 512, Y 20000 x 2
  rls_N128                    RLS, 20000 rows of 128 states, 2 outputs, forgetting 1, P_0 = 100 I
  eigh_N1000 / eig_N512       eigenvalues only of a random symmetric 1000 x 1000 / real 512 x 512
  svd_T20000_N128             singular values only of a random 20000 x 128

Add a workload: write `setup_x() -> callable` and add it to WORKLOADS with a repeat count.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
    os.environ.setdefault(_var, "1")  # must precede the numpy import

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

T = 20000


def rng(seed):
    return np.random.default_rng(seed)


def setup_harvest(n, use_tanh):
    g = rng(1)
    W = g.standard_normal((n, n))
    W *= 0.9 / np.max(np.abs(np.linalg.eigvals(W)))
    U = g.standard_normal((n, 2))
    x = g.standard_normal((T, 2))

    def run():
        states = np.empty((T, n))
        ux = x @ U.T
        h = np.zeros(n)
        for t in range(T):
            pre = W @ h + ux[t]
            h = np.tanh(pre) if use_tanh else pre
            states[t] = h
        return states

    return run


def setup_ridge():
    g = rng(3)
    H = g.standard_normal((T, 512))
    Y = g.standard_normal((T, 2))

    def run():
        G = H.T @ H
        G[np.diag_indices_from(G)] += 1e-6
        return np.linalg.solve(G, H.T @ Y)

    return run


def setup_rls():
    g = rng(4)
    H = g.standard_normal((T, 128))
    Y = g.standard_normal((T, 2))
    lam = 1.0

    def run():
        n, o = H.shape[1], Y.shape[1]
        P = np.eye(n) * 100.0
        W = np.zeros((o, n))
        pred = np.empty((T, o))
        for t in range(T):
            h = H[t]
            ph = P @ h
            k = ph / (lam + h @ ph)
            p = W @ h
            pred[t] = p
            W += np.outer(Y[t] - p, k)
            P -= np.outer(k, ph)
            P /= lam
        return W, pred

    return run


def setup_eigh():
    A = rng(1).standard_normal((1000, 1000))
    A = np.tril(A) + np.tril(A, -1).T
    return lambda: np.linalg.eigvalsh(A)


def setup_eig():
    A = rng(2).standard_normal((512, 512))
    return lambda: np.linalg.eigvals(A)


def setup_svd():
    A = rng(3).standard_normal((T, 128))
    return lambda: np.linalg.svd(A, compute_uv=False)


WORKLOADS = [
    ("harvest_linear_N32", lambda: setup_harvest(32, False), 5),
    ("harvest_linear_N128", lambda: setup_harvest(128, False), 5),
    ("harvest_linear_N512", lambda: setup_harvest(512, False), 3),
    ("harvest_tanh_N32", lambda: setup_harvest(32, True), 5),
    ("harvest_tanh_N128", lambda: setup_harvest(128, True), 5),
    ("harvest_tanh_N512", lambda: setup_harvest(512, True), 3),
    ("ridge_T20000_N512", setup_ridge, 5),
    ("rls_N128", setup_rls, 3),
    ("eigh_N1000", setup_eigh, 5),
    ("eig_N512", setup_eig, 5),
    ("svd_T20000_N128", setup_svd, 5),
]


def main(prefixes):
    out = {}
    for name, setup, repeats in WORKLOADS:
        if prefixes and not any(name.startswith(p) for p in prefixes):
            continue
        run = setup()
        run()  # warm-up
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        out[name] = float(np.median(times))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
