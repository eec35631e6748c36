"""A statement's numeric route: its conclusion as a margin, searched over the stated domain, with failures
certified at an exact point and on an open box in ball arithmetic (python-flint's arb).

The margin ``m`` of a conclusion is >= 0 (> 0 for a strict relation) exactly where it holds:
``a <= b`` gives ``b - a``, ``a = b`` gives ``-|a - b|``, and ``P => R`` the margin of ``R`` on
points where ``P`` holds.  Unevaluated functions are first replaced by their derived closed forms
(``paper_checks.definitions``), so the margin is built from the statement alone: a mutant or a
reviewer's ``replace(claim, statement=S)`` is searched with no code of its own.

A failure counts only when certified: at an exact rational point the ball of ``m`` lies below 0
(at or below 0 for a strict relation; an exact 0 is decided by SymPy), and for the open-set rule on
a box of positive volume in the free variables, inside the domain and the hypotheses, on which the
ball of ``m`` lies below 0 throughout.  Only a positive test certifies: ``upper() < 0``, never a
tolerance.

One concern a module: ``compiler`` (statement to margin), ``floats`` (the float stage: samples, vectorised
margin), ``certify`` (ball-arithmetic certificates at a point and on a box), ``genericity`` (the order of
counterexamples), ``search`` (the search itself).  The ball evaluator is ``derive.intervals.to_arb``.
"""
from __future__ import annotations

from derive.intervals import to_arb
from paper_checks.margin.compiler import Margin, compile_margin
from paper_checks.margin.genericity import genericity, genericity_at
from paper_checks.margin.search import Failure, SearchResult, search

__all__ = ["Margin", "Failure", "SearchResult", "compile_margin", "search", "genericity", "genericity_at", "to_arb"]
