"""The audit's vocabulary, defined once: what each verdict means and the one reading of each sign and definition.

Every writer reads these (the terminal's legend, ``explain``, the preamble of the LaTeX, HTML and Markdown reports,
the JSON report's ``conventions``), and a test checks the README's verdict table against ``VERDICTS``.  A
convention is words and formulas (``paper_checks.text.Text``), so each writer typesets its mathematics.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from paper_checks.finding import Cause, Verdict
from paper_checks.printing import Inner, Norm
from paper_checks.text import Text

__all__ = ["Meaning", "VERDICTS", "CAUSES", "CONVENTIONS", "GLOSSES"]


@dataclass(frozen=True)
class Meaning:
    """A verdict's meaning: one line for legends (``short``), and the rule that computes it (``rule``)."""

    short: str
    rule: str


VERDICTS: dict[Verdict, Meaning] = {
    Verdict.VERIFIED: Meaning(
        "no counterexample in the stated domain; a symbolic and an independent numeric route agree (scope "
        "all-parameters: proved for every parameter; sampled: checked on sampled points)",
        "no certified failure; a derivation (no failed step) and the numeric routes agree. Scope `all-parameters` "
        "only when a derivation's conclusion is the claim's own conclusion, every step is proved, and everything the "
        "derivation assumes follows from what the statement assumes; else `sampled`, and the evidence says what each "
        "derivation lacks (`rule.shortfall`: a step proved only numerically, an extra hypothesis, another conclusion, "
        "a statement that is a closed form no chain proves from its definition)"),
    Verdict.CONDITIONAL: Meaning(
        "fails only on a measure-zero set (boundary or equality cases, a few values of a discrete parameter); the "
        "correction excludes exactly that set and is itself verified",
        "certified failures only on a measure-zero set (boundary values, equalities), and every corrected statement "
        "is itself searched without failure and backed by a derivation"),
    Verdict.REFUTED: Meaning(
        "a certified counterexample satisfies the stated hypotheses and the claim fails on an open set around it; "
        "the correction is what holds",
        "a certified failure on an open set of the stated domain (a box of positive volume), certified on closed "
        "forms the claim's checks confirmed against the models that define them (else `undecided`)"),
    Verdict.NOT_CHECKABLE: Meaning(
        "no mathematical content to check (an experiment on trained models); any mathematical part is a sub-claim",
        "no mathematical content (an experiment); its mathematical parts are sub-claims"),
    Verdict.UNDECIDED: Meaning(
        "the evidence settles nothing either way (CI fails if one appears)",
        "anything else; CI fails if one appears"),
}

# A cause in a word or two, for a table's column (``Cause``'s value is the sentence).
CAUSES: dict[Cause, str] = {
    Cause.FALSE_MATHEMATICS: "false mathematics",
    Cause.OMITTED_HYPOTHESIS: "omitted hypothesis",
    Cause.DEFINITION_MISMATCH: "definition at odds",
    Cause.OVERREACHING_NAME: "overreaching words",
    Cause.IMPLICATION: "implication",
}

_c, _delta, _v, _ci = sp.symbols("c delta v_star c_i")
_DC, _DS, _B, _alpha = sp.Symbol("Delta_C"), sp.Symbol("Delta_S"), sp.Symbol("B"), sp.Symbol("alpha")
_mu, _d, _g = sp.Symbol("mu"), sp.Symbol("d"), sp.Symbol("g")
_n, _r = sp.Symbol("n"), sp.Symbol("r")
_kappa, _lam = sp.Function("kappa"), sp.Function("lambda")
_fisher = sp.MatrixSymbol("delta", _n, 1).T * sp.MatrixSymbol("F", _n, _n) * sp.MatrixSymbol("delta", _n, 1)

CONVENTIONS: tuple[tuple[str, Text], ...] = (
    ("capability change", Text.of(
        sp.Eq(_DC, Inner(_c, _delta)), " is signed: a capability loss is ", sp.Lt(_DC, 0), ", an improvement ",
        sp.Gt(_DC, 0), ", no change ", sp.Eq(_DC, 0), " (Thm 4.1 states ",
        sp.Contains(_DC, sp.Interval(-_B, _B), evaluate=False), ").")),
    ("safety gain", Text.of(
        sp.Eq(_DS, Inner(_v, _delta)), " is signed; 'safety improves' means ", sp.Gt(_DS, 0), ". Two safety "
        "objectives have gains ", sp.Symbol("Delta_S1"), ", ", sp.Symbol("Delta_S2"), ", compared in absolute terms "
        "unless a claim says normalised (", sp.Symbol("s_i"), ").")),
    ("tradeoff", Text.of(
        "a point of a frontier is a tradeoff when raising one gain lowers the other (negative slope); 'Pareto "
        "frontier' is the set of attainable points not dominated in both coordinates, larger being better in both.")),
    ("directions", Text.of(
        _v, " and every ", _ci, " are unit vectors (Defs 3.1, 3.2); the capability directions need not be orthonormal "
        "unless "
        "a claim says so (Rem 4.6's Gram form is the general tax rate); ",
        sp.Contains(_alpha, sp.Interval(0, sp.pi), evaluate=False), " with ", sp.Eq(sp.cos(_alpha), Inner(_v, _c)),
        ".")),
    ("budget", Text.of(
        "the budget is ", sp.Le(Norm(_delta), _B), " (Thm 4.1) unless a claim is about the Fisher budget: ",
        _fisher, " at most ", _B**2, " (Def 3.3, Sec 4.4).")),
    ("coherence", Text.of(
        "Def 5.3 is read as printed everywhere: ", _mu, " is the largest ",
        sp.Abs(Inner(sp.Symbol("f_i"), sp.Symbol("f_j"))), " over pairs with ", sp.Eq(sp.Symbol("gamma_ij"), 0),
        "; a bound that needs ", _mu, " to bound every residual states that as a corrected hypothesis.")),
    ("preservation", Text.of(
        "'preserving a capability c' means the update satisfies ", sp.Eq(Inner(_c, _delta), 0), "; Thm 6.4's C(c) "
        "is the cosine of the angle between the residuals of ", sp.Symbol("v_1_star"), ", ", sp.Symbol("v_2_star"),
        " in the orthogonal complement of ", _c, " (eq. (12)).")),
    ("random subspaces", Text.of(
        "random capability directions and subspaces are uniform (Haar) on the sphere or the Grassmannian; "
        "expectations and probabilities are exact laws, not fitted rates.")),
    ("rates", Text.of(
        "O(.) as ", _d, " grows is read through exponents of limits computed by SymPy from exact laws: the decay "
        "exponent ", sp.Eq(_kappa(_g), sp.Limit(-sp.log(_g) / sp.log(_d), _d, sp.oo)),
        ", and where log factors matter ", _lam(_g), ", the exponent of ", sp.log(_d), " against ",
        sp.Eq(sp.Symbol("b"), (sp.sqrt(sp.Symbol("m'") * sp.log(_d)) + sp.log(_d)) / _d), "; g = O(r) implies ",
        sp.Ge(_kappa(_g), _kappa(_r)), " and ", sp.Ge(_lam(_g), _lam(_r)), ". Each ", sp.Symbol("kappa"),
        " is confirmed by the slope of ", -sp.log(_g), " between ", sp.Eq(_d, sp.Pow(10, 100, evaluate=False)),
        " and ", sp.Pow(10, 200, evaluate=False),
        " at sampled values of the other parameters (SymPy may return one branch of a limit for every value of a "
        "symbolic exponent).")),
    ("with high probability", Text.of(
        "read both ways, each a sub-claim: in probability (for every failure probability a constant, prop-5.5.whp) "
        "and at confidence ", 1 - 1 / _d, " with one constant for every ", _d, " (Bernstein's reading at ",
        sp.Eq(sp.Symbol("t"), sp.log(_d)), ", prop-5.5.quantile); a bound that holds with probability ", 1 - 1 / _d,
        " bounds the mean too (prop-5.5.intrinsic).")),
    ("domains", Text.of(
        "a claim is audited on the domain the paper states, boundary values included where the paper includes them; "
        "conditions the paper does not state belong to a correction.")),
)

# What a reader is told about glosses, after the conventions.
GLOSSES = Text.of("Every gloss (a sentence that reads a result in words) is audited under these same conventions.")
