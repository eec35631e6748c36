"""Benchmark: rebuilt vs built-once vs batched SOCP vs the vectorised closed form.

Prints per-instance times measured side by side in one run and their ratios (absolute times drift on
a shared machine; the ratios are the result).  Usage: python bench/bench_socp.py [--n 1000]
"""
from __future__ import annotations

import argparse
import time

import cvxpy as cp
import numpy as np
import sympy as sp

from derive import frontier as F
from verify import socp


def instances(n: int, d: int, rng: np.random.Generator):
    V = rng.standard_normal((n, d))
    Cm = rng.standard_normal((n, d))
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    Cm /= np.linalg.norm(Cm, axis=1, keepdims=True)
    B = rng.uniform(0.5, 5, n)
    dC = rng.uniform(-0.99, 0.99, n) * B
    return V, Cm, B, dC


def rebuilt(V, Cm, B, dC, count):
    out = []
    for i in range(count):
        x = cp.Variable(V.shape[1])
        prob = cp.Problem(cp.Maximize(V[i] @ x), [Cm[i] @ x == dC[i], cp.norm(x, 2) <= B[i]])
        prob.solve(solver=cp.CLARABEL, **socp.SOLVER_OPTS)
        out.append(prob.value)
    return np.array(out)


def built_once(V, Cm, B, dC):
    sols = []
    for i in range(V.shape[0]):
        sols += socp.solve(V[i][None, None], Cm[i][None, None], np.array([[dC[i]]]), np.array([B[i]]))
    return sols


def batched(V, Cm, B, dC, chunk=100):
    sols = []
    for s in range(0, V.shape[0], chunk):
        e = s + chunk
        sols += socp.solve(V[s:e, None], Cm[s:e, None], dC[s:e, None], B[s:e])
    return sols


def timed(fn, *args, **kw):
    t = time.perf_counter()
    out = fn(*args, **kw)
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rebuilt", type=int, default=200, help="instances solved by rebuilding (timing subset)")
    ap.add_argument("--certify", type=int, default=200, help="instances certified per dimension")
    args = ap.parse_args()
    closed = sp.lambdify((F.alpha, F.B, F.Delta_C), F.frontier_value(), "numpy")
    rng = np.random.default_rng(0)
    print(f"{'d':>5} {'rebuilt/inst':>13} {'once/inst':>11} {'batch/inst':>11} {'numpy/inst':>11} "
          f"{'rebuilt/once':>13} {'rebuilt/batch':>14} {'max |socp-closed|':>18} {'widest [L,U]':>13}")
    for d in (8, 512):
        V, Cm, B, dC = instances(args.n, d, rng)
        socp.solve(V[:1, None], Cm[:1, None], dC[:1, None], B[:1])          # build outside the timing
        socp.solve(V[:100, None], Cm[:100, None], dC[:100, None], B[:100])
        k = min(args.rebuilt, args.n)
        t_re, vals_re = timed(rebuilt, V, Cm, B, dC, k)
        t_once, sols = timed(built_once, V, Cm, B, dC)
        t_batch, sols_b = timed(batched, V, Cm, B, dC)
        alpha = np.arccos(np.clip(np.sum(V * Cm, axis=1), -1, 1))
        t_np, vals_np = timed(closed, alpha, B, dC)
        once = np.array([s.value for s in sols])
        gap = max(np.max(np.abs(once - vals_np)), np.max(np.abs(np.array([s.value for s in sols_b]) - vals_np)),
                  np.max(np.abs(vals_re - vals_np[:k])))
        widest = max(socp.certify(sols[i], V[i][None], Cm[i][None], np.array([dC[i]]), B[i]).width
                     for i in range(min(args.certify, args.n)))
        per = (t_re / k, t_once / args.n, t_batch / args.n, t_np / args.n)
        print(f"{d:>5} {per[0]*1e3:>11.3f}ms {per[1]*1e3:>9.3f}ms {per[2]*1e3:>9.3f}ms {per[3]*1e6:>9.3f}us "
              f"{per[0]/per[1]:>12.1f}x {per[0]/per[2]:>13.1f}x {gap:>18.2e} {float(widest):>13.2e}")
    print(f"(rebuilt timed on {min(args.rebuilt, args.n)} instances, enclosures certified on "
          f"{min(args.certify, args.n)} per dimension; batches of 100 instances per solve)")


if __name__ == "__main__":
    main()
