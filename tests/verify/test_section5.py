"""Section 5 numerics: bad input, determinism, and the samplers' agreement."""
from __future__ import annotations

import re

import numpy as np
import pytest

from verify import packing as VK
from verify import random_subspace as VR
from verify import sweeps as SW
from verify.validate import InputError


def test_m_prime_larger_than_d() -> None:
    with pytest.raises(InputError, match=re.escape("m_prime=9 plus 0 intrinsic directions must not exceed d=8")):
        VR.exact_law_taus(8, 9, 10, np.random.default_rng(0))


def test_d_below_one() -> None:
    with pytest.raises(InputError, match=re.escape("d=0 must be an integer >= 1.")):
        VR.literal_taus(0, 0, 10, np.random.default_rng(0))


def test_gamma_out_of_range() -> None:
    with pytest.raises(InputError, match=re.escape("gamma=[1.5] must lie in [-1, 1].")):
        VR.intrinsic_basis(np.array([1.5]), 4)


def test_unrealisable_overlap_set() -> None:
    with pytest.raises(InputError, match=re.escape("a direction equal to +-v* together with others")):
        VR.intrinsic_basis(np.array([1.0, 0.5]), 4)


def test_too_many_intrinsic_directions() -> None:
    with pytest.raises(InputError, match=re.escape("2 intrinsic directions need d >= 3; got d=2.")):
        VR.intrinsic_basis(np.array([0.1, 0.2]), 2)


def test_tau_I_range() -> None:
    with pytest.raises(InputError, match=re.escape("tau_I=1.5 must lie in [0, 1].")):
        VR.exact_law_taus(8, 2, 10, np.random.default_rng(0), tau_I=1.5)


def test_coherence_needs_unit_columns() -> None:
    with pytest.raises(InputError, match=re.escape("F must have unit columns")):
        VK.coherence(np.ones((3, 4)))


def test_same_seed_same_numbers() -> None:
    a = VR.exact_law_taus(64, 8, 100, np.random.default_rng(5))
    b = VR.exact_law_taus(64, 8, 100, np.random.default_rng(5))
    assert np.array_equal(a, b)
    s1 = SW.regime("fixed", np.random.default_rng(1), dims=(16, 32))
    s2 = SW.regime("fixed", np.random.default_rng(1), dims=(16, 32))
    assert s1 == s2


def test_exact_law_matches_literal_model() -> None:
    rng = np.random.default_rng(3)
    lit = VR.literal_taus(32, 5, 3000, rng)
    fast = VR.exact_law_taus(32, 5, 3000, rng)
    from scipy import stats   # here, not at collection: scipy.stats costs a second to import in every worker
    assert stats.ks_2samp(lit, fast).pvalue > 1e-3
    assert VR.estimate(lit).covers(5 / 32)


def test_simplex_frame_is_equiangular() -> None:
    F = VK.simplex_frame(5)
    G = F.T @ F
    off = G[~np.eye(6, dtype=bool)]
    assert np.allclose(off, -1 / 5)


def test_fit_exponent() -> None:
    d = np.array([16, 32, 64, 128])
    assert abs(SW.fit_exponent(d, 3.0 / d) + 1) < 1e-12
    with pytest.raises(InputError, match="a log-log exponent needs positive values."):
        SW.fit_exponent(d, np.zeros(4))
