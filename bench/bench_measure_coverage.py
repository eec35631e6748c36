"""Bias and coverage of the measured tax rates, by simulation with planted truth: cross-fitted vs plug-in.

Each dataset: n samples in d dimensions, a safety label and one capability label (independent, balanced),
``x = offset + s ((y_0 - 1/2) u_0 + (y_1 - 1/2) u_1) + eps``, ``eps ~ N(0, I)``, s = 3, with planted unit
directions of ``<u_0, u_1> = -sqrt(tau)`` (a capability predicted to degrade).  For every planted tau in
{0, 0.01, 0.09, 0.36} and (d, n) in {(64, 4000), (512, 4000), (4096, 2000)}, over N datasets (default 400:
a row's coverage then has a standard error of 0.011 at 0.95, so 0.95 and 0.985 lie 3 standard errors apart;
with 200 it is 0.015, and with 50 0.031, as wide as the target band itself), it prints side by side:

* cross-fitted (``verify.crossfit``, 20 folds, the default of ``measure``): the bias of tau_i = cos^2, and the
  coverage of the nominal 95% interval of tau_i (the square of the interval of the signed <v*, c_i>,
  ``crossfit.cos_interval``, as ``measure`` reports it) and of the signed interval itself, its mean width and
  degrees of freedom, and the coverage of tau_i by the square of the delete-one-fold jackknife interval, whose
  variance counts the noise products of pairs of folds 2 (K - 1)/(K - 2) times over;
* plug-in (the all-sample directions): the bias of tau_i and the coverage of its 95% percentile bootstrap
  interval (``verify.probes.bootstrap_grams``, 200 resamples), the method the cross-fitted one replaces.

Then the ranking case: d = 1024, n = 4000, safety and four capabilities with planted <v*, c_i> =
-0.40, -0.30, -0.20, +0.10 and labelled fractions 0.1, 1, 1, 0.5 (the costliest capability is the one
with fewest labels): how often each estimator names the costliest capability (most negative <v*, c_i>).
Targets for the cross-fitted estimator: |bias| <= 0.01 and coverage in [0.92, 0.98] everywhere; the
costliest capability right in >= 9 of 10 datasets.

Every dataset is drawn from its own seeded generator: same arguments, same numbers, whatever ``--jobs`` (the
rows are spread over that many processes, each on one thread, and printed in order).

Usage: python bench/bench_measure_coverage.py [--datasets 400] [--rank-datasets 10] [--bootstrap 200] [--jobs 1]
"""
from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from verify import crossfit as CF
from verify import probes as P

TAUS = (0.0, 0.01, 0.09, 0.36)
SIZES = ((64, 4000), (512, 4000), (4096, 2000))
SIGNAL, FOLDS, LEVEL = 3.0, 20, 0.95


def dataset(rng: np.random.Generator, d: int, n: int, cos: list[float], fractions: list[float]):
    """Safety e_0 and capabilities ``cos_i e_0 + sqrt(1 - cos_i^2) e_{i+1}``; latent labels for every sample, a
    capability's shown on a random ``fraction`` of them (-1 elsewhere).  acts (1, n, d) float32, labels (k, n)."""
    k = 1 + len(cos)
    U = np.zeros((k, d))
    U[0, 0] = 1.0
    for i, c in enumerate(cos):
        U[1 + i, 0], U[1 + i, 1 + i] = c, np.sqrt(1 - c * c)
    Y = np.stack([rng.permutation(np.arange(n) % 2) for _ in range(k)]).astype(np.int8)
    X = rng.standard_normal((n, d), dtype=np.float32)
    X[:, :k] += (SIGNAL * (Y.T - 0.5) @ U[:, :k]).astype(np.float32)       # the planted directions span e_0..e_{k-1}
    X += np.float32(20.0)                                           # an offset, as residual streams have
    for i, f in enumerate(fractions):
        if f < 1:
            Y[1 + i, rng.random(n) >= f] = -1
    return X[None], Y


def crossfit_cos(X: np.ndarray, Y: np.ndarray, seed: int, intervals: bool = True):
    """Cross-fitted <v*, c_i> (m,) and, with intervals, a dict of interval ends (m,) each: ``cos`` (``cos_interval``)
    and ``jackknife`` (delete-one-fold), and ``dof`` (m,) the former's degrees of freedom."""
    folds = CF.make_folds(Y, FOLDS, seed)
    B = CF.fold_blocks(X, Y, folds, cross=intervals, rows=[0])
    m = Y.shape[0] - 1
    q = CF.crossfit_quantities(B.within, B.with_sum, B.row_cross, m)
    if not intervals:
        return q.cos[0], None
    qj = CF.crossfit_quantities(*CF.leave_one_out(B), m)
    lo, hi = CF.cos_interval(B, q, LEVEL)
    jlo, jhi = CF.jackknife_interval(q.cos, qj.cos, LEVEL, axis=1)
    _, dof = CF.ustat_variance(CF.cos_tables(B.cross, q.sq_norm, q.cos))
    return q.cos[0], {"cos": (lo[0], hi[0]), "jackknife": (jlo[0], jhi[0]), "dof": dof[0]}


def plugin_cos(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Plug-in <v*, c_i>: cosines of the all-sample differences of class means."""
    Z = X[0] - X[0].mean(axis=0, dtype=np.float64).astype(np.float32)
    W = P.class_weights(Y)
    D = (Z.T @ W.T.astype(np.float32)).T.astype(np.float64)
    D /= np.linalg.norm(D, axis=1, keepdims=True)
    return D[1:] @ D[0]


def coverage_row(d: int, n: int, ti: int, datasets: int, n_boot: int) -> tuple[str, float, float]:
    """One row of the table for planted tau = TAUS[ti] at (d, n): the printed line, the cross-fitted bias and the
    coverage of tau_i."""
    from threadpoolctl import threadpool_limits

    t0 = time.perf_counter()
    tau = TAUS[ti]
    cos = -np.sqrt(tau)
    cf_tau, cf_cov, cf_scov, width, dofs, jk_cov, pi_tau, pi_cov = ([] for _ in range(8))
    with threadpool_limits(1):
        for rep in range(datasets):
            seed = 1_000_003 * d + 10_007 * ti + rep
            X, Y = dataset(np.random.default_rng(seed), d, n, [cos], [1.0])
            c, ci = crossfit_cos(X, Y, seed)
            lo, hi = ci["cos"]
            tlo, thi = CF.signed_to_square(lo, hi)
            jlo, jhi = CF.signed_to_square(*ci["jackknife"])
            cf_tau.append(min(c[0] ** 2, 1.0))
            cf_cov.append(tlo[0] <= tau <= thi[0])
            cf_scov.append(lo[0] <= cos <= hi[0])
            width.append(thi[0] - tlo[0])
            dofs.append(ci["dof"][0])
            jk_cov.append(jlo[0] <= tau <= jhi[0])
            pc = plugin_cos(X, Y)[0]
            pi_tau.append(pc * pc)
            grams, valid = P.bootstrap_grams(X, Y, n_boot, seed)
            reps = grams[valid][:, 0, 0, 1] ** 2
            plo, phi = P.percentile_interval(reps, LEVEL)
            pi_cov.append(plo <= tau <= phi)
    bias = float(np.mean(cf_tau) - tau)
    cov = float(np.mean(cf_cov))
    line = (f"{d:>5} {n:>5} {tau:>5.2f} | {bias:>+15.4f} {cov:>9.3f} {np.mean(cf_scov):>9.3f} {np.mean(width):>6.3f} "
            f"{np.median(dofs):>5.1f} {np.mean(jk_cov):>9.3f} | {np.mean(pi_tau) - tau:>+13.4f} "
            f"{np.mean(pi_cov):>9.3f} | {time.perf_counter() - t0:>6.1f}")
    return line, bias, cov


def coverage_rows(datasets: int, n_boot: int, jobs: int) -> None:
    print(f"{'d':>5} {'n':>5} {'tau':>5} | {'cross-fit: bias':>15} {'cover tau':>9} {'cover cos':>9} {'width':>6} "
          f"{'dof':>5} {'jackknife':>9} | {'plug-in: bias':>13} {'cover tau':>9} | {'s':>6}")
    cells = [(d, n, ti) for d, n in SIZES for ti in range(len(TAUS))]
    with ProcessPoolExecutor(jobs) as pool:
        rows = pool.map(coverage_row, *zip(*cells, strict=True), [datasets] * len(cells), [n_boot] * len(cells))
        worst_bias, worst_cov = 0.0, [1.0, 0.0]
        for line, bias, cov in rows:
            print(line, flush=True)
            worst_bias = max(worst_bias, abs(bias))
            worst_cov = [min(worst_cov[0], cov), max(worst_cov[1], cov)]
    ok = worst_bias <= 0.01 and worst_cov[0] >= 0.92 and worst_cov[1] <= 0.98
    print(f"cross-fitted, over all rows: max |bias| {worst_bias:.4f} (target <= 0.01), coverage of tau_i in "
          f"[{worst_cov[0]:.3f}, {worst_cov[1]:.3f}] (target within [0.92, 0.98]; {datasets} datasets a row, so one "
          f"row's coverage has a standard error of about {np.sqrt(0.95 * 0.05 / datasets):.3f}): "
          f"{'met' if ok else 'NOT met'}")


def ranking(datasets: int) -> None:
    d, n = 1024, 4000
    cos, fractions = [-0.40, -0.30, -0.20, 0.10], [0.1, 1.0, 1.0, 0.5]
    right_cf = right_pi = 0
    t0 = time.perf_counter()
    for rep in range(datasets):
        seed = 77_000 + rep
        X, Y = dataset(np.random.default_rng(seed), d, n, cos, fractions)
        c, _ = crossfit_cos(X, Y, seed, intervals=False)
        right_cf += int(np.argmin(c) == 0)
        right_pi += int(np.argmin(plugin_cos(X, Y)) == 0)
    print(f"ranking, d = {d}, n = {n}, planted <v*, c_i> = {cos}, labelled fractions {fractions}: the costliest "
          f"capability named right in {right_cf} of {datasets} datasets cross-fitted (target >= 9 of 10), "
          f"{right_pi} of {datasets} plug-in ({time.perf_counter() - t0:.1f} s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", type=int, default=400)
    ap.add_argument("--rank-datasets", type=int, default=10)
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=1, help="processes for the coverage rows (the numbers do not change)")
    a = ap.parse_args()
    from threadpoolctl import threadpool_limits

    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; s = {SIGNAL}, noise sd 1, "
          f"{FOLDS} folds, {a.bootstrap} bootstrap resamples for the plug-in interval, level {LEVEL}; "
          f"{a.datasets} datasets a row")
    coverage_rows(a.datasets, a.bootstrap, a.jobs)
    with threadpool_limits(1):
        ranking(a.rank_datasets)


if __name__ == "__main__":
    main()
