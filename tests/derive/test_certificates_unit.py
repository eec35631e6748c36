"""The certificate re-checks can fail: a broken cofactor or a negated goal is caught."""
from __future__ import annotations

import json

import sympy as sp

from derive import smt
from derive.certificates import recheck_cofactors, recheck_smt
from derive.core import Cofactors


def test_cofactor_recheck_catches_a_wrong_cofactor() -> None:
    x, y = sp.symbols("x y")
    good = Cofactors(x**3 - x * y**2, (x**2 - y**2,), (x,))
    text = json.dumps({"target": sp.srepr(good.target), "generators": [sp.srepr(g) for g in good.generators],
                       "cofactors": [sp.srepr(q) for q in good.cofactors]})
    assert recheck_cofactors(text)
    bad = json.loads(text)
    bad["cofactors"] = [sp.srepr(x + 1)]
    assert not recheck_cofactors(json.dumps(bad))


def test_smt_recheck_by_both_solvers_and_a_false_goal_is_sat() -> None:
    x = sp.Symbol("x", real=True)
    B = sp.Symbol("B", positive=True)
    facts = [(B**2 - x**2, ">")]
    true = smt.build_query((B - x, ">"), facts)            # x^2 < B^2, B > 0 give x < B
    false = smt.build_query((x, ">"), facts)               # but not x > 0
    for solver in ("z3", "cvc5"):
        assert recheck_smt(true.text, solver) == "unsat"
        assert recheck_smt(false.text, solver) == "sat"


def test_a_sat_model_is_read_under_the_sympy_names() -> None:
    rho = sp.Symbol("rho", real=True)
    rho_nn = sp.Symbol("rho", nonnegative=True)            # same name, another symbol
    q = smt.build_query((rho + rho_nn, ">"), [])
    answer, model = smt.decide(q)
    assert answer is smt.Answer.SAT and set(model) == {rho, rho_nn}
    assert float(model[rho]) + float(model[rho_nn]) <= 0 and float(model[rho_nn]) >= 0
