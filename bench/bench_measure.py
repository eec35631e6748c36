"""Benchmark of ``alignment-tax measure`` and of the certified frontier.

Prints, measured in one run:
1. ``alignment-tax measure`` end to end (a subprocess: start-up, imports, loading the .npz, the
   cross-fitted estimator, report, JSON) on float32 activations with d = 4096, 64 capabilities, 32 layers,
   2,000 samples (about 1 GB): without intervals (target <= 5 s) and with the intervals
   (target <= 60 s), with the peak resident memory of each run (target < 4 GB); the plug-in estimator with
   200 bootstrap resamples beside them; the frontier figures timed separately.
2. The bootstrap of one layer through the samples' Gram matrix against resampling the d-vectors
   (the same replicates), side by side: the ratio is the result.
3. The certified 21-point frontier at d = 4096 (target <= 1 s): the batched SOCP certified in the
   span of the data, against the d-dimensional rational certificate of ``verify.frontier``.

Usage: python bench/bench_measure.py [--layers 32] [--n 2000] [--d 4096] [--m 64] [--keep FILE.npz]
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


def cpu_timed(fn, *args, **kw):
    """CPU seconds of this process (all threads) spent in ``fn``: unlike wall time, not stretched by other
    processes on a shared machine."""
    t = time.process_time()
    out = fn(*args, **kw)
    return time.process_time() - t, out


def run_cli(args: list[str]) -> dict[str, float]:
    """``alignment-tax measure ...`` in a fresh process: wall seconds (all, and after the CLI's imports),
    CPU seconds (user + system, all threads) and peak RSS (GB)."""
    script = ("import resource, sys, time; t0 = time.perf_counter();"
              "import paper_checks.cli as cli; t1 = time.perf_counter(); rc = cli.main(sys.argv[1:]);"
              "r = resource.getrusage(resource.RUSAGE_SELF);"
              "print(f'@@ {t1 - t0:.3f} {time.perf_counter() - t1:.3f} {r.ru_utime + r.ru_stime:.3f} {r.ru_maxrss}',"
              " file=sys.stderr); sys.exit(rc)")
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"measure failed ({proc.returncode}):\n{proc.stderr}")
    imports, run, cpu, rss_kb = proc.stderr.strip().splitlines()[-1].split()[1:]
    return {"wall": wall, "imports": float(imports), "run": float(run), "cpu": float(cpu),
            "rss": int(rss_kb) / 1024**2}


def describe(r: dict[str, float]) -> str:
    return (f"{r['wall']:.2f} s wall ({r['imports']:.2f} s importing the CLI, {r['run']:.2f} s measuring), "
            f"{r['cpu']:.2f} s CPU, peak RSS {r['rss']:.2f} GB")


def make_data(path: Path, layers: int, n: int, d: int, m: int) -> float:
    from verify.synthetic import synthetic_activations

    caps = {f"task{i:02d}": (-0.5 + 0.02 * i if i < 16 else None) for i in range(m)}
    t, syn = timed(synthetic_activations, d=d, layers=layers, capabilities=caps, second_safety=None,
                   design="random", n=n, seed=0, dtype=np.float32, signal=3.0)
    syn.save(path)
    return t


def bench_bootstrap_layer(path: Path, n_boot: int) -> tuple[float, float, float]:
    """One layer's replicate Grams: samples' Gram route vs the replicate d-vectors, same replicates."""
    from verify import probes as P

    with np.load(path) as z:
        X = z["acts"][:1]
        keys = ["safety"] + sorted(k for k in z.files if k.startswith("capability_"))
        Y = np.stack([z[k] for k in keys])
    t_gram, (G, _) = cpu_timed(P.bootstrap_grams, X, Y, n_boot, 0)
    # The same replicates, forming each replicate direction in R^d (what the Gram route avoids).
    rng = np.random.default_rng(0)
    n = X.shape[1]
    counts = np.stack([np.bincount(rng.integers(0, n, size=n), minlength=n) for _ in range(n_boot)]).astype(float)
    pos, neg = (Y == 1).astype(float), (Y == 0).astype(float)
    t = time.process_time()
    Z = X[0] - X[0].mean(axis=0, dtype=np.float64).astype(np.float32)
    worst = 0.0
    for s in range(0, n_boot, 50):
        c = counts[s:s + 50]
        W = (c[:, None, :] * (pos[None] / (c @ pos.T)[..., None]
                              - neg[None] / (c @ neg.T)[..., None])).astype(np.float32)
        D = (W.reshape(-1, n) @ Z).reshape(W.shape[0], W.shape[1], -1).astype(np.float64)
        D /= np.linalg.norm(D, axis=-1, keepdims=True)
        worst = max(worst, float(np.abs(D @ np.swapaxes(D, -1, -2) - G[s:s + 50, 0]).max()))
    t_direct = time.process_time() - t
    return t_gram, t_direct, worst


def bench_frontier(d: int) -> None:
    from verify import frontier as VF
    from verify import measured as M

    rng = np.random.default_rng(1)
    v = rng.standard_normal(d)
    v /= np.linalg.norm(v)
    c = rng.standard_normal(d) - 0.8 * np.sqrt(d) * v / np.sqrt(d)
    c /= np.linalg.norm(c)
    dcs = np.linspace(-0.95, 0.95, 21)
    t_import, _ = timed(__import__, "cvxpy")            # once per process, wherever an SOCP is first solved
    t_cold, cert = timed(M.frontier, v, c, dcs, 1.0, certify=True)
    t_warm, cert = timed(M.frontier, v, c, dcs, 1.0, certify=True)
    c_warm, cert = cpu_timed(M.frontier, v, c, dcs, 1.0, certify=True)
    t_old, old = cpu_timed(VF.max_safety_gains, v, c, list(dcs), 1.0)
    widest = float(np.max(cert.upper - cert.lower))
    agree = bool(cert.within(1e-12).all())
    print(f"certified frontier, 21 points, d = {d}: {t_cold:.3f} s first call (builds the SOCP; importing cvxpy "
          f"before it: {t_import:.2f} s), "
          f"{t_warm:.3f} s warm, {c_warm:.3f} s CPU (target <= 1 s)")
    print(f"  d-dimensional rational certificate (verify.frontier): {t_old:.2f} s CPU -> "
          f"{t_old / c_warm:.0f}x more; widest enclosure {widest:.1e}; closed form inside every enclosure: {agree}")
    same = max(abs(float(o.enclosure.lower) - lo) for o, lo in zip(old, cert.lower, strict=False))
    print(f"  lower bounds of the two certificates differ by at most {same:.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, default=32)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--d", type=int, default=4096)
    ap.add_argument("--m", type=int, default=64)
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="write (or reuse) the activations here instead of a temp file")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}; numpy {np.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "acts.npz"
        if not path.exists():
            t = make_data(path, args.layers, args.n, args.d, args.m)
            print(f"synthetic activations: {path.stat().st_size / 1e9:.2f} GB written in {t:.1f} s")
        out = Path(tmp)
        print(f"load average before: {os.getloadavg()[0]:.1f} "
              "(2 idle cores: < 1; a loaded machine stretches wall times)")
        r0 = run_cli(["measure", str(path), "--no-intervals", "--json", str(out / "r0.json")])
        print(f"measure, cross-fitted, no intervals ({args.layers} layers, n = {args.n}, d = {args.d}, {args.m} "
              f"capabilities, float32; target <= 5 s, < 4 GB): {describe(r0)}")
        rj = run_cli(["measure", str(path), "--json", str(out / "rj.json")])
        print(f"measure, cross-fitted, with intervals (target <= 60 s, < 4 GB): {describe(rj)}")
        rb = run_cli(["measure", str(path), "--estimator", "plug-in", "--bootstrap", str(args.bootstrap),
                      "--json", str(out / "rb.json")])
        print(f"measure, plug-in, {args.bootstrap} bootstrap resamples: {describe(rb)}")
        rf = run_cli(["measure", str(path), "--no-intervals", "--figures", str(out / "figs")])
        print(f"measure, no intervals, with {args.layers} frontier figures: {describe(rf)} "
              f"(figures: {rf['run'] - r0['run']:.2f} s)")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        from threadpoolctl import threadpool_limits
        with threadpool_limits(1):
            tg, td, worst = bench_bootstrap_layer(path, args.bootstrap)
        print(f"bootstrap of one layer ({args.bootstrap} resamples, {args.m + 1} directions, one BLAS thread, CPU "
              f"seconds): factored samples' Gram route {tg:.2f} s vs replicate d-vectors {td:.2f} s -> {td / tg:.1f}x; "
              f"largest Gram difference {worst:.1e}")
    bench_frontier(args.d)
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GB")


if __name__ == "__main__":
    main()
