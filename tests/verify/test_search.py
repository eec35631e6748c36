"""The counterexample search finds and certifies what is false, and reports nothing for what is true."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from verify import search as S


def _space(margin, strict=True, noise=0.0):
    return S.Space(("x",), lambda rng: (rng.uniform(0, 2),), lambda p, M: bool(p[0] >= 0) and bool(p[0] <= 2),
                   margin, strict=strict, noise=noise)


def test_finds_and_certifies_a_false_claim() -> None:
    rep = S.search(_space(lambda p, M: p[0] * p[0] - p[0]), np.random.default_rng(0), samples=200)
    assert rep.found is not None
    x = Fraction(rep.found.parameters["x"])
    assert 0 < x <= 1 and x * x - x <= 0                 # the certified point really violates x^2 > x


def test_true_claim_has_no_counterexample() -> None:
    rep = S.search(_space(lambda p, M: p[0] * p[0] + 1), np.random.default_rng(0), samples=200)
    assert rep.found is None and rep.smallest_margin >= 1


def test_rounding_is_not_a_counterexample() -> None:
    # An identity evaluated in floats: margin -|(x+1)^2 - x^2 - 2x - 1| is -1e-16-ish, never certified.
    ident = _space(lambda p, M: -abs((p[0] + 1) ** 2 - p[0] ** 2 - 2 * p[0] - 1), strict=False, noise=1e-9)
    assert S.search(ident, np.random.default_rng(0), samples=200).found is None


def test_z3_decides_polynomial_claims() -> None:
    verdict, _ = S.z3_decide(lambda z: z.And(z.Real("x") * z.Real("x") < 0), ("x",))
    assert verdict == "unsat"
    verdict, model = S.z3_decide(lambda z: z.And(z.Real("x") * z.Real("x") == 2, z.Real("x") > 0), ("x",))
    assert verdict == "sat" and abs(float(model[0]) - 2 ** 0.5) < 1e-6
