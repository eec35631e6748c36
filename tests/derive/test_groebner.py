"""The reduced lex Groebner basis with the relations solved for a leading variable first: the basis SymPy's
Buchberger algorithm gives for the whole set, in every case (up to each element's leading coefficient)."""
from __future__ import annotations

import random

import pytest
import sympy as sp

from derive.algebra import groebner

x, y, z, w = sp.symbols("x y z w")
R0 = sp.Symbol("R0", positive=True)


def _monic(basis, gens) -> set[sp.Expr]:
    return {sp.Poly(e, *gens).monic().as_expr() for e in basis}


def _reference(basis, gens) -> set[sp.Expr]:
    return _monic(sp.groebner(list(basis), *gens, order="lex").exprs, gens)


def _random_poly(rng: random.Random, gens, terms: int) -> sp.Expr:
    return sp.Add(*[sp.Rational(rng.randint(-5, 5), rng.choice((1, 2, 3))) * sp.Mul(*[g**rng.randint(0, 1)
                                                                                       for g in gens])
                    for _ in range(terms)])


@pytest.mark.parametrize("seed", range(16))
def test_the_basis_is_sympys(seed: int) -> None:
    """Random relations, some of them a variable's value (solved first when the variable leads), others not."""
    rng = random.Random(seed)
    gens = (R0, w, x, y, z)       # multilinear terms: bases SymPy computes in milliseconds
    basis = []
    for _ in range(rng.randint(2, 4)):
        lead = rng.randrange(len(gens))
        if rng.random() < 0.6:
            # c v - p(smaller variables, or any variables when the variable does not lead)
            rest = gens[lead + 1:] if rng.random() < 0.7 else gens
            basis.append(sp.expand(rng.choice((1, 2, -3)) * gens[lead] - _random_poly(rng, rest, 2)))
        else:
            basis.append(sp.expand(_random_poly(rng, gens, 3)))
    basis = tuple(b for b in basis if b != 0)
    assert _monic(groebner(basis, gens), gens) == _reference(basis, gens)


def test_a_chain_of_values_is_solved_in_order() -> None:
    basis = (x - y**2, y - z - 1, z**2 - 2)
    assert _monic(groebner(basis, (x, y, z)), (x, y, z)) == _reference(basis, (x, y, z))


def test_a_variable_that_does_not_lead_is_not_solved_for() -> None:
    """y - x^2 in the order x > y: its leading term is x^2, not y; the basis is still SymPy's."""
    basis = (y - x**2, x * y - 1)
    assert _monic(groebner(basis, (x, y)), (x, y)) == _reference(basis, (x, y))


def test_inconsistent_relations_give_the_unit_ideal() -> None:
    assert groebner((x - 1, x - 2), (x,)) == (1,)
    assert groebner((x - 1, x - 2, y**2 - x), (x, y)) == (1,)
    assert groebner((x - y, y**2 + 1, y**2 - 1), (x, y)) == (1,)


def test_a_parameter_outside_the_generators_is_sympys_coefficient() -> None:
    """a is no generator: a x - 2 with x = 1 leaves a - 2, a nonzero coefficient, so the ideal is the unit ideal."""
    a = sp.Symbol("a")
    assert groebner((x - 1, a * x - 2), (x,)) == tuple(sp.groebner([x - 1, a * x - 2], x, order="lex").exprs)
