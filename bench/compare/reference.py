#!/usr/bin/env python3
"""numpy reference for the polelab benchmark workloads (bench/models.ts, bench/linalg.ts), single-threaded BLAS.

Prints one JSON object {workload: median seconds} on stdout. Usage: reference.py [workload-name-prefix ...]
(default: all). Each workload is written the way a numpy user would write it; setup is untimed, one warm-up run.

  harvest_<linear|tanh>_N<n>  h_t = act(W h_{t-1} + U x_t): T = 20000, 2 inputs, rho(W) = 0.9 exactly, states kept
  ridge_T20000_N512           H^T H + lambda I, H^T Y, solve (lambda = 1e-6); H 20000 x 512, Y 20000 x 2
  rls_N128                    RLS, 20000 rows of 128 states, 2 outputs, forgetting 1, P_0 = 100 I
  eigh_N1000 / eig_N512       eigenvalues only of a random symmetric 1000 x 1000 / real 512 x 512
  svd_T20000_N128             singular values only of a random 20000 x 128
  bptt_linear_N32_B64_T100    linear RNN h_t = W h_{t-1} + U x_t, y_t = V h_t (N 32, I = O = 2, T 100, sequence-mean
                              loss): forward, loss, readout gradient and the BPTT gradient of W, U, batch of 64
  rtrl_linear_N32_T100        the same with RTRL (sensitivities N x N^2 and N x N*I, one matmul per step), 1 sequence
  rflo_linear_N32_B64_T100    the same with RFLO traces (alpha = 0.5, feedback B), batch of 64
  mode_field_100x100          RFLO mode field (alpha = 0.5, b = 1, teacher (0.5, 1, 1)) on a 100 x 100 (w, u) grid, v = 1
  manifold_eigs_1000          RFLO Jacobian on the optimal manifold at 1000 sigma values and its eigenvalues
  integrate_mode_1e5          one RK4 mode trajectory of 10^5 steps (Python loop over numpy 3-vectors)

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


def setup_eigh_vectors(n, seed):
    A = rng(seed).standard_normal((n, n))
    A = np.tril(A) + np.tril(A, -1).T
    return lambda: np.linalg.eigh(A)


def setup_eig_vectors():
    A = rng(2).standard_normal((512, 512))
    return lambda: np.linalg.eig(A)


def setup_svd_vectors(m, n, seed):
    A = rng(seed).standard_normal((m, n))
    return lambda: np.linalg.svd(A, full_matrices=False)


def setup_pinv():
    A = rng(4).standard_normal((500, 500))
    return lambda: np.linalg.pinv(A)


def setup_learning(rule, batch):
    """The learning workloads of bench/learning.ts, vectorised over the batch (time steps in a Python loop)."""
    g = rng(5)
    n, n_in, n_out, steps, alpha = 32, 2, 2, 100, 0.5
    W = g.standard_normal((n, n))
    W *= 0.9 / np.max(np.abs(np.linalg.eigvals(W)))
    U = g.standard_normal((n, n_in)) / np.sqrt(n_in)
    V = g.standard_normal((n_out, n)) / np.sqrt(n)
    F = g.standard_normal((n, n_out)) / np.sqrt(n)
    x = g.standard_normal((steps, batch, n_in))
    y = g.standard_normal((steps, batch, n_out))

    def forward():
        H = np.empty((steps, batch, n))
        ux = x @ U.T
        h = np.zeros((batch, n))
        for t in range(steps):
            h = h @ W.T + ux[t]
            H[t] = h
        E = (H @ V.T - y) / steps  # dl/dy_t of the sequence-mean loss
        loss = 0.5 * steps * np.sum(E * E) / batch
        gV = np.einsum("tbo,tbn->on", E, H)
        return H, E, loss, gV

    def previous(H, t):
        return H[t - 1] if t > 0 else np.zeros((batch, n))

    def bptt():
        H, E, loss, gV = forward()
        gW, gU = np.zeros((n, n)), np.zeros((n, n_in))
        delta = np.zeros((batch, n))
        for t in range(steps - 1, -1, -1):
            delta = delta + E[t] @ V
            gW += delta.T @ previous(H, t)
            gU += delta.T @ x[t]
            delta = delta @ W
        return -gW / batch, -gU / batch, -gV / batch, loss

    def rtrl():
        H, E, loss, gV = forward()
        SW, SU = np.zeros((n, n * n)), np.zeros((n, n * n_in))
        gW, gU = np.zeros(n * n), np.zeros(n * n_in)
        k = np.arange(n)
        for t in range(steps):
            SW = W @ SW
            SW.reshape(n, n, n)[k, k, :] += previous(H, t)[0]
            SU = W @ SU
            SU.reshape(n, n, n_in)[k, k, :] += x[t, 0]
            c = V.T @ E[t, 0]
            gW += c @ SW
            gU += c @ SU
        return -gW, -gU, -gV, loss

    def rflo():
        H, E, loss, gV = forward()
        pW, pU = np.zeros((batch, n, n)), np.zeros((batch, n, n_in))
        gW, gU = np.zeros((n, n)), np.zeros((n, n_in))
        for t in range(steps):
            pW = alpha * pW + previous(H, t)[:, None, :]
            pU = alpha * pU + x[t][:, None, :]
            c = E[t] @ F.T
            gW += np.einsum("bi,bij->ij", c, pW)
            gU += np.einsum("bi,bij->ij", c, pU)
        return -gW / batch, -gU / batch, -gV / batch, loss

    return {"bptt": bptt, "rtrl": rtrl, "rflo": rflo}[rule]


def _rflo_field(w, u, v, ws, a_s, alpha, b):
    """RFLO T = inf mode field (docs/theory/modes.md section 2), vectorised over arrays w, u, v."""
    a = u * v
    rs, rq, ra = 1 / (1 - w * ws), 1 / (1 - w * w), 1 / (1 - alpha * w)
    ras = 1 / (1 - alpha * ws)
    G = a_s * rs - a * rq
    dw = b * u * (a_s * ws * rs * ras - a * w * rq * ra)
    du = b * (a_s * ras - a * ra)
    return dw, du, u * G


def setup_mode_field():
    w, u = np.meshgrid(np.linspace(-0.95, 0.95, 100), np.linspace(-2.5, 2.5, 100), indexing="ij")
    v = np.ones_like(w)
    return lambda: np.stack(_rflo_field(w, u, v, 0.5, 1.0, 0.5, 1.0), axis=-1)


def setup_manifold_eigs():
    """Analytic RFLO Jacobian on the optimal manifold at 1000 sigma, batched eigvals (what a numpy user would write)."""
    ws, a_s, alpha, b = 0.5, 1.0, 0.5, 1.0
    sigma = -2.5 + 5 * (np.arange(1000) + 0.5) / 1000

    def run():
        v = sigma
        u = a_s / v
        w = np.full_like(v, ws)
        a = u * v
        rs, rq, ra, ras = 1 / (1 - w * ws), 1 / (1 - w * w), 1 / (1 - alpha * w), 1 / (1 - alpha * ws)
        G = a_s * rs - a * rq
        Gw = a_s * ws * rs**2 - 2 * a * w * rq**2
        X = a_s * ws * rs * ras - a * w * rq * ra
        Xw = a_s * ws * ws * rs**2 * ras - a * (1 + w * w - 2 * alpha * w**3) * rq**2 * ra**2
        Xa = -w * rq * ra
        Y = a_s * ras - a * ra
        Yw = -a * alpha * ra**2
        Ya = -ra
        J = np.empty((v.size, 3, 3))
        J[:, 0, 0] = b * u * Xw
        J[:, 0, 1] = b * X + b * u * Xa * v
        J[:, 0, 2] = b * u * Xa * u
        J[:, 1, 0] = b * Yw
        J[:, 1, 1] = b * Ya * v
        J[:, 1, 2] = b * Ya * u
        J[:, 2, 0] = u * Gw
        J[:, 2, 1] = G - u * rq * v
        J[:, 2, 2] = -u * u * rq
        lam = np.linalg.eigvals(J)
        return lam, -np.max(np.where(np.abs(lam) > 1e-9, lam.real, -np.inf), axis=1)

    return run


def setup_integrate_mode():
    """One RK4 trajectory of 10^5 steps (RFLO alpha = 0.3, b = 0.3, teacher (0.8, 1, 1)), every state kept."""
    ws, a_s, alpha, b, dt, steps = 0.8, 1.0, 0.3, 0.3, 1e-3, 100_000

    def f(y):
        return np.array(_rflo_field(y[0], y[1], y[2], ws, a_s, alpha, b))

    def run():
        out = np.empty((steps + 1, 3))
        y = np.array([0.7, -0.525, -2.1])
        out[0] = y
        for k in range(steps):
            k1 = f(y)
            k2 = f(y + 0.5 * dt * k1)
            k3 = f(y + 0.5 * dt * k2)
            k4 = f(y + dt * k3)
            y = y + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            out[k + 1] = y
        return out

    return run


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
    ("eigh_N1000_vectors", lambda: setup_eigh_vectors(1000, 1), 5),
    ("eig_N512_vectors", setup_eig_vectors, 5),
    ("svd_T20000_N128_vectors", lambda: setup_svd_vectors(T, 128, 3), 5),
    ("svd_N500_vectors", lambda: setup_svd_vectors(500, 500, 4), 5),
    ("pinv_N500", setup_pinv, 5),
    ("eigh_N2000_vectors", lambda: setup_eigh_vectors(2000, 5), 3),
    ("bptt_linear_N32_B64_T100", lambda: setup_learning("bptt", 64), 9),
    ("rtrl_linear_N32_T100", lambda: setup_learning("rtrl", 1), 5),
    ("rflo_linear_N32_B64_T100", lambda: setup_learning("rflo", 64), 9),
    ("mode_field_100x100", setup_mode_field, 15),
    ("manifold_eigs_1000", setup_manifold_eigs, 15),
    ("integrate_mode_1e5", setup_integrate_mode, 3),
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
