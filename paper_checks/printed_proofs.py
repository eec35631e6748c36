"""The paper's own proofs of the claims that fail, replayed step by step: the first step that fails is named.

Each step of a printed proof asserts a relation over the claim's variables, under its hypotheses: it is a
``Statement`` of its own, searched over the claim's stated domain like any other (``paper_checks.margin``).  The
first step with a certified failure is where the proof breaks; the steps before it hold (no certified failure).
Steps are written from the paper's text (its words beside each), never from the correction.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

import sympy as sp

from paper_checks.statement import Statement

__all__ = ["ProofStep", "Replay", "steps", "replay", "PRINTED"]


@dataclass(frozen=True)
class ProofStep:
    """One step of a printed proof: the paper's words and the relation they assert, over the claim's variables."""

    words: str
    statement: Statement


@dataclass(frozen=True)
class Replay:
    """The steps searched, in order, each with its search result; ``failing`` indexes the first that fails."""

    claim_id: str
    results: tuple[tuple[ProofStep, object], ...]
    failing: int | None

    def describe(self) -> str:
        if self.failing is None:
            return f"the paper's proof of {self.claim_id}: every step replayed holds (no certified failure)"
        step, res = self.results[self.failing]
        where = ", ".join(f"{k} = {v}" for k, v in res.failure.point.items())
        return (f"the paper's proof fails first at step {self.failing + 1} of {len(self.results)}, "
                f"'{step.words}': certified failure at {where}")


def _thm_6_4_i() -> tuple[ProofStep, ...]:
    from paper_checks.statements import safety_pair as S
    claim = _statement("thm-6.4.i")
    rho, a, b = S.rho, S.a, S.b
    D = sp.sqrt((1 - a**2) * (1 - b**2))
    premise = sp.Lt(a * b, 0)         # the proof's reading of opposite signs: "since ab < 0"

    def step(words: str, rel: sp.Basic) -> ProofStep:
        return ProofStep(words, Statement(claim.variables, claim.hypotheses, sp.Implies(premise, rel)))
    return (step("rho - ab > rho since ab < 0", sp.Gt(rho - a * b, rho)),
            step("sqrt((1 - a^2)(1 - b^2)) < 1", sp.Lt(D, 1)),
            step("C(c) = (rho - ab)/sqrt((1 - a^2)(1 - b^2)) > rho - ab", sp.Gt((rho - a * b) / D, rho - a * b)))


def _thm_5_4() -> tuple[ProofStep, ...]:
    from paper_checks.statements import packing as P
    claim = _statement("thm-5.4")
    mu = next(v.symbol for v in claim.variables if v.symbol.name == "mu")
    m = next(v.symbol for v in claim.variables if v.symbol.name == "m")
    norm2 = P.x**2 + P.y**2       # ||C^T v*||^2 for C = [c1 c2], <v*, c1> = x, <v*, c2> = y

    def step(words: str, rel: sp.Basic) -> ProofStep:
        return ProofStep(words, Statement(claim.variables, claim.hypotheses, rel))
    return (step("||P_C v*||^2 = (1 + O(m mu)) ||C^T v*||^2 by Gershgorin's theorem applied to C^T C",
                 sp.Le(sp.Abs(P.PackingTax(P.x, P.y, P.z) - norm2), m * mu / (1 - m * mu) * norm2)),
            step("bound each term using |eps_i| <= mu (eps_1 = <v*, c_1> - gamma_1, an intrinsic capability)",
                 sp.Le(sp.Abs(P.x - P.g), mu)))


def _thm_4_1_tight() -> tuple[ProofStep, ...]:
    from paper_checks.statements import frontier as F
    claim = _statement("thm-4.1.tight")
    return (ProofStep("write v* = e_1, c = cos(alpha) e_1 + sin(alpha) e_2 in a plane: a unit e_2 orthogonal to e_1 "
                      "exists", Statement(claim.variables, claim.hypotheses, sp.Ge(F.d, 2))),)


def _thm_4_3_maximiser() -> tuple[ProofStep, ...]:
    from paper_checks.statements import capability_constraint as K
    claim = _statement("thm-4.3.maximiser")
    return (ProofStep("the second term is maximised when delta_perp = B' P_{C^perp} v* / ||P_{C^perp} v*||, which "
                      "needs ||P_{C^perp} v*|| > 0", Statement(claim.variables, claim.hypotheses,
                                                                 sp.Gt(K.PerpLength(K.tau), 0))),)


def _prop_5_5() -> tuple[ProofStep, ...]:
    from paper_checks.statements import random_subspace as R
    claim = _statement("prop-5.5")
    d = next(v for v in claim.variables if v.symbol.name == "d")
    return (ProofStep("for independent uniform vectors, <v*, c_i>^2 has mean 1/d",
                      Statement((d,), (), sp.Eq(R.ExpectedOverlap(1, d.symbol), 1 / d.symbol))),
            ProofStep("apply Bernstein's inequality to the sum: tau is tau_0 plus the sum of <v*, c_i>^2 over the "
                      "incidental capabilities, whose mean is m'/d",
                      Statement(claim.variables, claim.hypotheses, claim.conclusion)))


#: The claims whose printed proof is replayed, and its steps (built when first asked for).
PRINTED: dict[str, Callable[[], tuple[ProofStep, ...]]] = {
    "thm-4.1.tight": _thm_4_1_tight,
    "thm-4.3.maximiser": _thm_4_3_maximiser,
    "thm-5.4": _thm_5_4,
    "prop-5.5": _prop_5_5,
    "thm-6.4.i": _thm_6_4_i,
}


def _statement(claim_id: str) -> Statement:
    from paper_checks.registry import by_id
    return by_id(claim_id).statement


def steps(claim_id: str) -> tuple[ProofStep, ...]:
    """The printed proof of ``claim_id`` as steps; KeyError for a claim whose proof is not replayed."""
    try:
        return PRINTED[claim_id]()
    except KeyError:
        raise KeyError(f"claim_id={claim_id!r} has no replayed printed proof; replayed: {', '.join(PRINTED)}") from None


def replay(claim_id: str, seed: int = 0, samples: int = 4000, known: dict[Statement, object] | None = None) -> Replay:
    """Search every step over the claim's stated domain, in order; the first with a certified failure is named.
    ``known`` maps statements already searched (the claim's own, when a step restates it) to their results."""
    from paper_checks import definitions, margin
    results = []
    failing = None
    for i, st in enumerate(steps(claim_id)):
        res = (known or {}).get(st.statement)
        if res is None:
            res = margin.search(st.statement, definitions.expand, seed, f"{claim_id}/proof/{i}", samples=samples)
        results.append((st, res))
        if res.failure is not None:
            failing = i
            break
    return Replay(claim_id, tuple(results), failing)
