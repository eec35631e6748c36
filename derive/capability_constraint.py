"""Maximum safety at a fixed capability target: Thm 4.3, Cor 4.4, Cor 4.7, eq. (19) of Section 7.1.

Coordinates.  Split R^d = C + C^perp.  The constraint P_C delta = delta_C* fixes the C-part of delta;
the free part delta_perp lies in C^perp.  Rotate C^perp so that P_{C^perp} v* = n e_1 with
n = ||P_{C^perp} v*||; write delta_perp = y1 e_1 + (rest), ||rest||^2 = R^2.  Then, with
s = <v*, delta_C*> and r = ||delta_C*||:  Delta_S = s + n y1  and  ||delta||^2 = r^2 + y1^2 + R^2.
These coordinates lose no generality for any d, m.
"""
from __future__ import annotations

import functools

import sympy as sp

from derive.core import Derivation, Op, Rule, Start, Step

NEW = Start.DEFINITION

__all__ = ["s", "r", "n", "tau", "B", "B_res", "max_value", "fixed_capability", "tax_free",
           "negative_tax"]

s = sp.Symbol("s", real=True)                 # <v*, delta_C*>
r = sp.Symbol("r", nonnegative=True)          # ||delta_C*||
n = sp.Symbol("n", positive=True)             # ||P_{C^perp} v*|| (> 0: tau < 1)
tau = sp.Symbol("tau", nonnegative=True)      # ||P_C v*||^2
B = sp.Symbol("B", positive=True)
y1 = sp.Symbol("y1", real=True)
R = sp.Symbol("R", nonnegative=True)
slack = sp.Symbol("s_B", nonnegative=True)
B_res = sp.sqrt(B**2 - r**2)                  # B' of the paper

#: Eq. (4) as printed, with ||P_{C^perp} v*|| = n.
PRINTED_4 = s + sp.sqrt(B**2 - r**2) * n

_ASSUMPTIONS = ("v* unit; C of full column rank m; delta_C* in C with ||delta_C*|| = r < B",
                "tau < 1 (so P_{C^perp} v* != 0); any d > m")
_DOMAIN = (sp.Lt(r**2, B**2), sp.Lt(tau, 1))


def max_value() -> sp.Expr:
    """The derived maximum: s + n B' (attained at y1 = B', R = 0)."""
    return s + n * B_res


@functools.lru_cache(maxsize=None)
def fixed_capability() -> Derivation:
    """Thm 4.3: eq. (4) and its maximiser, from the problem max <v*, delta> s.t. P_C delta = delta_C*."""
    Bp = B_res
    steps = (
        Step("pythagoras", r**2 + y1**2 + R**2, B**2 - slack,
             "||delta||^2 = ||delta_C*||^2 + ||delta_perp||^2 (C and C^perp are orthogonal); s_B >= 0 is the"
             " unused budget", start=NEW),
        Step("attained", sp.Subs(s + n * y1, y1, Bp), s + n * Bp,
             "delta_perp = B' P_{C^perp} v*/||P_{C^perp} v*|| (y1 = B', R = 0) attains the bound", start=NEW),
        Step("saturates", r**2 + sp.Pow(Bp, 2, evaluate=False), B**2,
             "the maximiser spends the whole budget: ||delta*|| = B", start=NEW),
        Step("n-is-sqrt-1-minus-tau", sp.Pow(sp.sqrt(1 - tau), 2, evaluate=False), 1 - tau,
             "||P_{C^perp} v*||^2 = ||v*||^2 - ||P_C v*||^2 = 1 - tau, so n = sqrt(1 - tau)", start=NEW),
    )
    # The theorem is the last segment: every feasible delta has <v*, delta> <= eq. (4) as printed
    # (and 'attained' shows the bound is reached).
    result = Step("eq-4", s + n * y1, PRINTED_4,
                  "<v*, delta> = s + <P_{C^perp} v*, delta_perp> = s + n y1, and with budget B'^2 = B^2 - r^2 for"
                  " delta_perp, n y1 <= n B' (Cauchy-Schwarz): eq. (4) as printed bounds every feasible delta",
                  Op.LE, witness=n / (2 * Bp) * ((y1 - Bp)**2 + R**2 + slack), start=Start.HYPOTHESIS)
    return Derivation("thm-4.3", "Theorem 4.3: maximum safety gain under a capability constraint",
                      _ASSUMPTIONS, steps, result,
                      relations=(slack - (B**2 - r**2 - y1**2 - R**2),),
                      domain=(*_DOMAIN, sp.Le(r**2 + y1**2 + R**2, B**2)))


@functools.lru_cache(maxsize=None)
def tax_free() -> Derivation:
    """Cor 4.4 and eq. (19): delta_C* = 0 gives B sqrt(1 - tau)."""
    steps = (
        Step("small-tau", B - B * sp.sqrt(1 - tau), B * tau / (1 + sp.sqrt(1 - tau)),
             "the budget lost to the tax is B tau/(1 + sqrt(1 - tau)) <= B tau: almost all of B when tau << 1",
             start=NEW),
        Step("substitute", sp.Subs(max_value(), (s, r), (0, 0)), B * n, "delta_C* = 0: s = 0, r = 0, B' = B",
             start=NEW),
    )
    result = Step("eq-5", B * n, B * sp.sqrt(1 - tau), "n = ||P_{C^perp} v*|| = sqrt(1 - tau): the derived value is"
                  " eq. (5) and eq. (19) as printed", by=Rule.SUBSTITUTE, using=sp.Eq(n, sp.sqrt(1 - tau)))
    return Derivation("cor-4.4", "Corollary 4.4 / eq. (19): tax-free safety", _ASSUMPTIONS, steps, result,
                      domain=(*_DOMAIN, sp.Eq(n, sp.sqrt(1 - tau))))


@functools.lru_cache(maxsize=None)
def negative_tax() -> Derivation:
    """Cor 4.7: s > 0 gives Delta_S^max > B' sqrt(1 - tau); when it also beats B sqrt(1 - tau)."""
    sp_pos = sp.Symbol("s", positive=True)
    Bp = B_res
    steps = (
        Step("eq-7", n * Bp, sp_pos + n * Bp, "s = <v*, delta_C*> > 0 adds to the residual-budget term",
             Op.LT, witness=sp_pos, start=NEW),
        Step("versus-free", (s + n * Bp) - B * n, s - n * r**2 / (B + Bp),
             "Delta_S^max - B sqrt(1 - tau) = s - sqrt(1 - tau) r^2/(B + B'): the residual budget costs"
             " only O(r^2)", start=NEW),
        Step("cost-bound", n * r**2 / (B + Bp), n * r**2 / B, "the cost is at most sqrt(1 - tau) r^2 / B",
             Op.LE, witness=n * r**2 * Bp / (B * (B + Bp)), start=NEW),
    )
    result = Step("subsidy-condition", (s + n * Bp) - B * n, s - (B - Bp) * n,
                  "exact condition: capability work subsidises safety iff <v*, delta_C*> > (B - B') sqrt(1 - tau)",
                  start=NEW)
    return Derivation("cor-4.7", "Corollary 4.7: negative tax", _ASSUMPTIONS, steps, result, domain=_DOMAIN)


@functools.lru_cache(maxsize=None)
def null_space_update() -> Derivation:
    """Section 7.1 corrected: an update in C^perp changes no capability, whatever tau."""
    d_, m_ = sp.Symbol("d", integer=True, positive=True), sp.Symbol("m", integer=True, positive=True)
    C = sp.MatrixSymbol("C", d_, m_)
    w = sp.MatrixSymbol("w", d_, 1)
    P = C * (C.T * C).I * C.T
    steps = (
        Step("null-space", C.T * (w - P * w), sp.ZeroMatrix(m_, 1),
             "C^T (w - P_C w) = C^T w - C^T C (C^T C)^{-1} C^T w = 0: NSPO's delta leaves every capability unchanged"),
    )
    result = Step("tau-free", (C.T * (w - P * w)).T * (C.T * (w - P * w)), sp.ZeroMatrix(1, 1), start=NEW, rule=
                  "the capability change is 0 independently of tau; tau enters only the safety gain B sqrt(1 - tau)")
    return Derivation("sec-7.1.equivalence", "Section 7.1: null-space updates and the tax rate",
                      ("C of full column rank",), steps, result, invertible=(C.T * C,))


# ---------------------------------------------------------------------------------------------
# Appended for the formal statements (issue 8; paper_checks/statements/capability_constraint.py).
# Closed forms the statements' defined quantities need, derived here from the definitions; the
# code above is unchanged.


@functools.lru_cache(maxsize=None)
def perp_norm() -> sp.Expr:
    """||P_{C^perp} v*|| in terms of tau = ||P_C v*||^2, for unit v*: the non-negative root of Pythagoras'
    n^2 + tau = ||v*||^2 = 1 (solved by SymPy, not typed)."""
    roots = sp.solve(sp.Eq(n**2 + tau, 1), n)
    (root,) = [x for x in roots if x.subs(tau, sp.Rational(1, 2)).is_positive]
    return root


@functools.lru_cache(maxsize=None)
def max_safety_at_target() -> sp.Expr:
    """max <v*, delta> s.t. P_C delta = delta_C*, ||delta|| <= B, in (s, r, tau, B): the bound of
    ``fixed_capability`` (attained there) with n = ||P_{C^perp} v*|| from ``perp_norm``.  At tau = 1 the
    C^perp-part contributes nothing (n = 0) and the value is s, which the same expression gives."""
    return max_value().subs(n, perp_norm())


@functools.lru_cache(maxsize=None)
def null_space_capability_change() -> sp.Expr:
    """The largest |<c, delta>| over delta in C^perp: C^T (w - P_C w) computed for a general capability
    column c in R^3 and a general w (the step ``null-space`` of ``null_space_update``, in coordinates),
    simplified by SymPy; it is 0 identically, whatever v* and tau."""
    c = sp.Matrix(sp.symbols("c1:4", real=True))
    w = sp.Matrix(sp.symbols("w1:4", real=True))
    change = c.T * (w - c * (c.T * c).inv() * c.T * w)
    return sp.simplify(change[0, 0])
