"""Benchmark: the exact-law sampler of tau against the literal model (uniform directions, QR projection).

Prints time per draw for both, measured side by side, and their ratio.  Usage: python bench/bench_sampler.py
"""
from __future__ import annotations

import time

import numpy as np

from verify import random_subspace as VR


def main(d: int = 1024, m_prime: int = 256) -> None:
    rng = np.random.default_rng(0)
    n_lit, n_fast = 40, 400_000
    VR.literal_taus(d, m_prime, 2, rng)                       # warm-up
    t = time.perf_counter()
    lit = VR.literal_taus(d, m_prime, n_lit, rng)
    t_lit = (time.perf_counter() - t) / n_lit
    t = time.perf_counter()
    fast = VR.exact_law_taus(d, m_prime, n_fast, rng)
    t_fast = (time.perf_counter() - t) / n_fast
    print(f"d = {d}, m' = {m_prime}: literal {t_lit * 1e3:.3f} ms/draw, exact law {t_fast * 1e9:.1f} ns/draw, "
          f"ratio {t_lit / t_fast:,.0f}x (target >= 10^4)")
    print(f"means: literal {np.mean(lit):.5f} ({n_lit} draws), exact law {np.mean(fast):.5f}, m'/d = {m_prime / d:.5f}")


if __name__ == "__main__":
    main()
