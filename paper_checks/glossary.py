"""The glossary: one formal reading for each term the paper uses in several places, as data.

A term is found in a claim's printed words (``Term.pattern``); a claim that uses it must be built from the
term's one reading, which its statement (or a corrected statement it proposes) shows by the marks the reading
leaves (``Term.marks``: a defined quantity, a relation of a given shape); or, where a sentence has several faithful
readings, the claim names which one it is under (``Term.readings``, read from ``Claim.reading``).  A claim whose
words match but which does not use the term in the glossary's sense is exempt, with the reason a referee would
read.  ``tests/paper_checks/test_glossary.py`` checks every term used by more than one claim.

Conventions fixed here hold for the whole audit: the capability change Delta_C = <c, delta> is signed; a
capability loss (degradation, cost) is Delta_C < 0 and its size is -Delta_C; an improvement is Delta_C > 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Mapping

import sympy as sp

__all__ = ["Term", "TERMS", "uses", "formalised", "by_name"]


@dataclass(frozen=True)
class Term:
    """A recurring term: where the paper's words name it, its one formal reading, and how a statement shows it."""

    name: str
    pattern: str                                   # regular expression over a claim's printed words
    reading: str                                   # the one formal definition or convention, in words
    marks: Callable[[Any], bool] | None = None     # does a Statement carry this reading?
    readings: Mapping[str, str] = field(default_factory=dict)   # named faithful readings of one sentence
    exempt: Mapping[str, str] = field(default_factory=dict)     # claim id -> why its words do not use the term


def _functions(s: Any) -> set[str]:
    """Names of the defined quantities (undefined functions) a statement's relations mention."""
    exprs = (s.conclusion, *s.hypotheses)
    return {f.func.__name__ for e in exprs for f in e.atoms(sp.core.function.AppliedUndef)}


def _names(*names: str) -> Callable[[Any], bool]:
    def marks(s: Any) -> bool:
        return bool(_functions(s) & set(names))
    marks.__doc__ = f"the statement names one of {', '.join(names)}"
    return marks


def _signed_loss(s: Any) -> bool:
    """A loss written as the negated signed change: ``-Delta_C`` or ``-CapabilityChangeAtMaxSafety(...)``."""
    exprs = (s.conclusion, *s.hypotheses)
    for e in exprs:
        for m in e.atoms(sp.Mul):
            if sp.S.NegativeOne in m.args and any(
                    (isinstance(a, sp.Symbol) and a.name == "Delta_C")
                    or (isinstance(a, sp.core.function.AppliedUndef) and "CapabilityChange" in a.func.__name__)
                    for a in m.args):
                return True
    return False


def _rate_in_d(s: Any) -> bool:
    """A rate as a limit in d: a decay exponent kappa(f) = lim -log f / log d, or the limit of a regime."""
    return any(n.endswith("DecayExponent") or n in ("QuantileLogDecay", "LinearRegimeTax") for n in _functions(s))


PARETO = Term(
    "Pareto frontier", r"Pareto|frontier",
    "the efficient part of the attainable set {(Delta_C, Delta_S)}: the points no attainable point dominates (at "
    "least as much of both gains, more of one).  For one capability it is the graph of MaxSafetyGain over "
    "ParetoLowerEnd(alpha, B) = B cos(alpha) <= Delta_C <= B; 'Pareto-optimal' means on it, 'not Pareto-optimal' "
    "dominated (statements.frontier.dominated).  Never the whole graph of the maximum over |Delta_C| <= B, whose "
    "part left of B cos(alpha) is dominated",
    marks=_names("ParetoLowerEnd"),
    exempt={
        "ellipse.conic": "a property of every point of the curve (3), which contains the Pareto frontier: the conic "
                         "holds on the efficient arc whichever part of the curve the word names",
        "rem-4.2.continuity": "continuity in alpha of the maximum (3) at each Delta_C; the efficient arc's end "
                              "B cos(alpha) is continuous too, so the frontier interpolates under the glossary's "
                              "reading whenever the maximum does",
        "thm-6.4.reading": "compares two safety-safety frontiers by their max-min point (the largest equal safety "
                           "gain), which lies on the efficient part of each: no boundary of the efficient part enters",
        "prop-6.5": "its content is the formula for the effective angle theta (the maximum s_1 at each s_2, eq. (13)); "
                    "which part of that curve is efficient is the question thm-4.1.pareto asks, with theta for alpha",
    })

LOSS = Term(
    "capability loss, degradation, cost", r"capability (loss|cost|degradation)|ordering of degradation",
    "the capability change Delta_C = <c, delta> is signed; a loss (degradation, cost) is Delta_C < 0, of size "
    "-Delta_C; an improvement is Delta_C > 0",
    marks=_signed_loss,
    exempt={
        "sec-7.1.equivalence": "NSPO's capability change is identically 0 (delta in C^perp): the size |Delta_C| its "
                               "statement bounds equals the loss -Delta_C, so the two readings coincide",
    })

WITH_HIGH_PROBABILITY = Term(
    "with high probability", r"high probability|in probability",
    "names its reading: 'in probability' (for every fixed level p in (0, 1), the p-quantile of the deviation is O(.) "
    "of the stated scale, statement.InProbability with no confidence) or 'at confidence 1 - 1/d' (the quantile at "
    "that level); what is 'exact in expectation' is read in expectation",
    readings={"in probability": "every fixed level p in (0, 1), with an explicit constant C",
              "at confidence 1 - 1/d": "the (1 - 1/d)-quantile, the level Bernstein's inequality at t = log d gives",
              "in expectation": "the mean, where the words say 'in expectation' or a rate is read on the mean"})

BIG_O = Term(
    "O(.) in d", r"O\(|O\\left|\\Theta|o\(d",
    "f = O(g) as d -> oo: some C > 0 and d0 with |f(d)| <= C g(d) for every d >= d0, C and d0 independent of d "
    "(statement.Rate); judged from a limit in d (a decay exponent kappa(f) = lim -log f / log d, or a regime's limit), "
    "or written with its constant explicit",
    marks=_rate_in_d,
    exempt={
        "sec-5.1": "its formal part is the Welch bound, exact in d and N; the random-packing rate is sec-5.1.random's",
        "sec-5.1.random": "read with its constant explicit: P(|<f, g>| >= t) <= exp(-d t^2 / 2) for every d and t",
        "prop-5.5.whp": "read with its constant explicit: the tail at C sqrt(m' + log d)/d is at most min(1, 2/C^2)",
        "prop-5.5": "its formal part is the expectation sentence, exact in d ('exact in expectation')",
        "rem-5.8": "read with its constant explicit: d^beta sqrt(log d / d) <= d^(beta/2 - 1/4) / sqrt(e (1/2 - beta))",
    })

def _whole_packing_model(s: Any) -> bool:
    """Under the packing model with all its residuals: a coherence mu with near-orthogonality m mu < 1 (a fixed
    configuration), or random packing whose intrinsic overlaps carry their residuals too (a residual scale eta > 0
    allowed, not only the convenient eta = 0)."""
    hyps = s.hypotheses
    coherent = any(isinstance(h, sp.Eq) and getattr(h.lhs, "name", "") == "mu" for h in hyps) and any(
        isinstance(h, sp.Lt) and h.rhs == 1 and "mu" in {x.name for x in h.free_symbols} for h in hyps)
    residual = next((v for v in s.variables if v.symbol.name == "eta"), None)
    return coherent or (residual is not None and residual.domain.sup > 0 and residual.domain.contains(1))


PACKING = Term(
    "the packing model and mu", r"coheren|packing residual|m\\mu < 1",
    "features f_i are unit vectors with intrinsic overlaps gamma_ij (Def 5.1), packing residuals eps_ij = <f_i, f_j> - "
    "gamma_ij (Def 5.2) and coherence mu = max |<f_i, f_j>| over pairs with gamma_ij = 0 (Def 5.3, read literally: "
    "intrinsic pairs' residuals are not bounded by mu); near-orthogonality is m mu < 1.  A claim under this model "
    "assumes all of it, every residual it allows (under random packing, residuals of the intrinsic overlaps too)",
    marks=_whole_packing_model,
    exempt={
        "rem-5.8": "takes mu at its random-packing scale sqrt(log d / d) and asks when m mu -> 0 for m = d^beta: an "
                   "inequality in d and beta, with no configuration of features and so no residual to assume",
    })

TERMS: tuple[Term, ...] = (PARETO, LOSS, WITH_HIGH_PROBABILITY, BIG_O, PACKING)


def by_name(name: str) -> Term:
    for t in TERMS:
        if t.name == name:
            return t
    raise KeyError(f"name={name!r} is not a glossary term; terms: {', '.join(t.name for t in TERMS)}")


def uses(term: Term, claim: Any) -> bool:
    """The claim's printed words name the term (and the claim is not exempt)."""
    return claim.id not in term.exempt and re.search(term.pattern, claim.printed) is not None


def formalised(term: Term, claim: Any) -> str | None:
    """Why ``claim`` does not use ``term``'s one reading, or None when it does: its statement or a corrected statement
    carries the reading's marks, or it names one of the term's readings."""
    if claim.statement is None:
        return None                    # no mathematical content (a prediction): nothing formalised
    if term.readings:
        named = claim.reading or ""
        if any(named.startswith(r) for r in term.readings):
            return None
        return f"names no reading of {term.name!r} (one of {', '.join(term.readings)})"
    if term.marks is not None and any(term.marks(s) for s in (claim.statement, *claim.corrections)):
        return None
    return f"its statement does not carry the glossary's reading of {term.name!r}"
