"""Signs decided as quotients: ``n/d rel 0`` from ``d``'s proved sign and ``n rel 0``, each certified on its own.

The true twin is Prop 6.5's: ``1 - cos^2(theta) >= 0`` for cos(theta) the closed form of ProjectedCosTwo is
``(1 - g^2) det G / (N1 N2)`` (G the Gram matrix of (v1*, v2*, c1, c2), N_i the Gram determinants of (v_i*, c1, c2),
positive by hypothesis), which the solvers leave open as a quotient and prove with its denominator cleared.  Its false
twins: the same numerator over a denominator of unproved sign, and the numerator of the wrong sign over the same
positive denominator.
"""
from __future__ import annotations

import itertools

import pytest
import sympy as sp

from derive import safety_pair as DS
from derive.algebra import Algebra
from derive.certificates import recheck_smt
from derive.core import Derivation, Discharge, Obligation, Op, Step
from derive.signs import decide_sign, discharge

pytestmark = pytest.mark.claim("prop-6.5")

rho, a1, a2, b1, b2, g = sp.symbols("rho a_1 a_2 b_1 b_2 g", real=True)
G = DS.gram_two(rho, a1, a2, b1, b2, g)
N1, N2 = (G.extract([i, 2, 3], [i, 2, 3]).det() for i in (0, 1))
# Prop 6.5's hypotheses: every principal minor of G nonnegative, |g| < 1, v1*, v2* outside span(c1, c2).
MINORS = tuple(sp.Ge(G.extract(list(k), list(k)).det(), 0)
               for r in range(1, 5) for k in itertools.combinations(range(4), r))
HYPOTHESES = (*MINORS, sp.Lt(-1, g), sp.Lt(g, 1), sp.Gt(N1, 0), sp.Gt(N2, 0))
NUMERATOR = sp.expand((1 - g**2) * G.det())


def _algebra(*extra: sp.Basic) -> Algebra:
    step = Step("s", sp.Integer(0), sp.Integer(1), "a placeholder", Op.LE)
    return Algebra(Derivation("test", "test", (), (), step, domain=(*HYPOTHESES, *extra)))


# About 9 s (SymPy asked first on the whole quotient, then the solvers on each part): CI runs it in its slow tier.
@pytest.mark.slow
def test_a_quotient_is_proved_from_its_denominators_sign_and_its_numerators() -> None:
    cos_ = DS.projected_cos_two(rho, a1, a2, b1, b2, g)
    alg = _algebra()
    e = alg.algebraize(1 - cos_**2)
    assert sp.simplify(e - NUMERATOR / (N1 * N2)) == 0
    record: list = []
    assert decide_sign(e, ">=", alg, record=record) is Discharge.SMT
    assert record[-1].detail.startswith("quotient: denominator > 0")
    parts = record[-1].parts
    assert [label for label, _ in parts] == ["the denominator", *(f"factor {i} of the numerator" for i in (1, 2, 3))]
    assert all(recheck_smt(q.text, solver) == "unsat" for _, q in parts for solver in ("z3", "cvc5"))


def test_the_obligation_keeps_each_parts_query_for_its_certificate() -> None:
    cos_ = DS.projected_cos_two(rho, a1, a2, b1, b2, g)
    check = discharge(Obligation("lemma hypothesis", 1 - cos_**2, ">="), _algebra())
    assert check.how is Discharge.SMT
    assert len(check.parts) == 4


def test_a_product_is_decided_by_its_factors_before_the_solvers_see_it_whole() -> None:
    """(1 - g^2) N1 N2 > 0: each factor is proved positive on its own, and the product so (each part's query kept);
    its false twin, (g^2 - 1) N1 N2 > 0, is not proved (the factors' signs multiply to the wrong one)."""
    alg = _algebra()
    record: list = []
    assert decide_sign((1 - g**2) * N1 * N2, ">", alg, record=record) is Discharge.SMT
    assert record[-1].detail.startswith("product: each factor's sign") and len(record[-1].parts) == 4
    assert decide_sign((g**2 - 1) * N1 * N2, ">", alg) not in (Discharge.SYMPY, Discharge.SMT)


def test_a_quotient_whose_denominator_has_no_proved_sign_is_not_proved() -> None:
    # N1 (rho - g) has either sign under the hypotheses: the numerator's sign says nothing of the quotient's.
    alg = _algebra()
    record: list = []
    got = decide_sign(NUMERATOR / (N1 * (rho - g)), ">=", alg, record=record)
    assert got not in (Discharge.SYMPY, Discharge.SMT)
    assert not record[-1].parts


# About 4 s (the wrong-sign numerator's factors are asked in both signs): CI runs it in its slow tier.
@pytest.mark.slow
def test_a_quotient_whose_numerator_has_the_wrong_sign_is_not_proved() -> None:
    # -(1 - g^2) det G / (N1 N2) >= 0 fails wherever det G > 0 (v1*, v2*, c1, c2 independent).
    alg = _algebra()
    got = decide_sign(-NUMERATOR / (N1 * N2), ">=", alg)
    assert got not in (Discharge.SYMPY, Discharge.SMT)
    strict = decide_sign(NUMERATOR / (N1 * N2), ">", alg)      # det G = 0 is allowed: not strictly positive
    assert strict not in (Discharge.SYMPY, Discharge.SMT)
