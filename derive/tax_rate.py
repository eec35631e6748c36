"""The alignment tax rate tau = ||P_C v*||^2: Def 3.4, Cor 4.5, Rem 4.6 (dimension-free where possible)."""
from __future__ import annotations

import functools

import sympy as sp

from derive.core import Derivation, Op, Rule, Solution, Start, Step

NEW = Start.DEFINITION

__all__ = ["tax_range", "single_direction", "gram_form", "normal_equations", "tax_rate_one_from_definition",
           "tax_rate_two_from_definition"]

_d = sp.Symbol("d", integer=True, positive=True)
_m = sp.Symbol("m", integer=True, positive=True)


@functools.cache
def tax_range() -> Derivation:
    """Def 3.4: tau in [0, 1], from ||v||^2 = ||P_C v||^2 + ||P_{C^perp} v||^2 with ||v|| = 1."""
    C = sp.MatrixSymbol("C", _d, _m)
    v = sp.MatrixSymbol("v", _d, 1)
    P = C * (C.T * C).I * C.T
    Pv = sp.MatMul(P, v, evaluate=False)
    tau = sp.MatMul(sp.Transpose(Pv), Pv, evaluate=False)          # ||P_C v*||^2, as defined
    steps = (
        Step("pythagoras", v.T * v, (P * v).T * (P * v) + (v - P * v).T * (v - P * v),
             "||v||^2 = ||P_C v||^2 + ||P_{C^perp} v||^2 (P_C an orthogonal projection)", start=NEW),
        Step("tau-gram", tau, v.T * C * (C.T * C).I * C.T * v,
             "tau = v*^T C (C^T C)^{-1} C^T v*: zero iff C^T v* = 0 (v* orthogonal to C)", start=NEW),
        Step("nonnegative", sp.ZeroMatrix(1, 1), tau, "tau = ||P_C v*||^2 is a squared norm", Op.LE,
             witness=Pv, by=Rule.SQUARED_NORM, start=NEW),
    )
    # tau <= ||v*||^2 = 1: the gap is the squared norm of P_{C^perp} v*.
    result = Step("at-most-one", tau, v.T * v, "tau = ||v*||^2 - ||P_{C^perp} v*||^2 <= ||v*||^2 = 1 for unit v*",
                  Op.LE, witness=v - P * v, by=Rule.SQUARED_NORM, start=NEW)
    return Derivation("def-3.4", "Definition 3.4: the tax rate lies in [0, 1]", (
        "C of full column rank", "||v*|| = 1"), steps, result, invertible=(C.T * C,),
                      domain=(sp.Le(_m, _d),))


@functools.cache
def single_direction() -> Derivation:
    """Cor 4.5: for one unit direction c_i, ||P_{c_i} v*||^2 = <v*, c_i>^2."""
    v = sp.Matrix(sp.symbols("v1:4", real=True))
    c = sp.Matrix(sp.symbols("c1:4", real=True))
    proj = c * (c.T * c).inv() * c.T * v
    steps = (
        Step("projection", proj, c * c.dot(v),
             "P_{c} v = c (c^T c)^{-1} c^T v = <c, v> c for |c| = 1 (coordinates in R^3 span any v, c)", start=NEW),
    )
    result = Step("eq-6", proj.dot(proj), c.dot(v)**2, "tau_i = ||P_{c_i} v*||^2 = <v*, c_i>^2, eq. (6)", start=NEW)
    return Derivation("cor-4.5", "Corollary 4.5: per-task tax rate", ("|c_i| = 1",), steps, result,
                      relations=(c.dot(c) - 1,))


@functools.cache
def gram_form() -> Derivation:
    """Rem 4.6: tau = a^T (C^T C)^{-1} a with a = C^T v*; the gap to sum_i tau_i."""
    C = sp.MatrixSymbol("C", _d, _m)
    v = sp.MatrixSymbol("v", _d, 1)
    G = C.T * C
    P = C * G.I * C.T
    a = C.T * v
    steps = (
        Step("projection-norm", sp.MatMul(sp.Transpose(sp.MatMul(P, v, evaluate=False)),
                                          sp.MatMul(P, v, evaluate=False), evaluate=False), a.T * G.I * a,
             "||P_C v*||^2 = a^T (C^T C)^{-1} C^T C (C^T C)^{-1} a = a^T (C^T C)^{-1} a", start=NEW),
    )
    result = Step("gap-to-sum", a.T * G.I * a - a.T * a, a.T * (G.I - sp.Identity(_m)) * a,
                  "with unit columns sum_i tau_i = a^T a, so tau - sum_i tau_i = a^T ((C^T C)^{-1} - I) a:"
                  " zero for orthonormal C, but also whenever a is isotropic for (C^T C)^{-1} - I", start=NEW)
    return Derivation("rem-4.6", "Remark 4.6: the multi-capability tax rate", ("C of full column rank",),
                      steps, result, invertible=(G,), domain=(sp.Le(_m, _d),))


@functools.cache
def full_tax_changes_capability() -> Derivation:
    """Def 3.4 corrected: with v* in C (tau = 1) a delta in C^perp has no safety gain, so every safety gain
    changes some capability; the sign of the change is not fixed."""
    C = sp.MatrixSymbol("C", _d, _m)
    w, x = sp.MatrixSymbol("w", _m, 1), sp.MatrixSymbol("x", _d, 1)
    P = C * (C.T * C).I * C.T
    v = C * w                                        # v* in C
    steps = (
        Step("in-C", sp.MatMul(P, v, evaluate=False), v, "v* = C w lies in C: P_C v* = v*", start=NEW),
        Step("perp-gain", v.T * (x - P * x), sp.ZeroMatrix(1, 1),
             "for delta = x - P_C x in C^perp: <v*, delta> = 0, so a safety gain needs C^T delta != 0", start=NEW),
    )
    result = Step("same-direction", sp.MatMul(sp.Transpose(v), v, evaluate=False), (C.T * v).T * w,
                  "delta = v* itself gives Delta_S = ||v*||^2 > 0 and C^T delta = C^T v*, whose sign pattern is that"
                  " of the capabilities' overlaps with v*: for m = 1 and v* = c the capability rises", start=NEW)
    return Derivation("def-3.4.loss", "Definition 3.4 (tau = 1): safety gains change capabilities, not necessarily"
                      " downwards", ("C of full column rank", "v* = C w in C"), steps, result, invertible=(C.T * C,),
                      domain=(sp.Le(_m, _d),))


@functools.cache
def safety_maximising_change() -> Derivation:
    """Prediction 1's model: delta = B v* changes capability i by B <v*, c_i>, of magnitude B sqrt(tau_i)."""
    B, t = sp.Symbol("B", positive=True), sp.Symbol("t", real=True)       # t = <v*, c_i>
    v = sp.Matrix(sp.symbols("v1:4", real=True))
    c = sp.Matrix(sp.symbols("c1:4", real=True))
    steps = (
        Step("change", c.dot(B * v), B * t, "Delta_C_i = <c_i, B v*> = B <v*, c_i>", start=NEW),
    )
    result = Step("magnitude", (B * t) ** 2, B**2 * c.dot(v) ** 2,
                  "Delta_C_i^2 = B^2 tau_i: the magnitude goes with sqrt(tau_i), the sign with <v*, c_i>", start=NEW)
    return Derivation("pred-1.model", "Prediction 1 in the model: capability change under delta = B v*", (
        "unit v*, c_i; t = <v*, c_i>",), steps, result, relations=(t - c.dot(v),))


# ---------------------------------------------------------------------------------------------
# For the formal statements (paper_checks/statements/tax_rate.py).  Closed forms of
# the defined quantities, computed from the definition tau = ||P_C v*||^2 in explicit coordinates:
# an orthonormal basis of C by Gram-Schmidt, the projection as the sum of squared coordinates on it.
# None of them types a formula of the paper.

a1, a2, g = sp.symbols("a1 a2 g", real=True)      # <v*, c1>, <v*, c2>, <c1, c2>


def _projection_norm_sq(columns: list[sp.Matrix], v: sp.Matrix) -> sp.Expr:
    """||P_C v||^2 = sum_j <v, q_j>^2 for the Gram-Schmidt basis q_j of span(columns)."""
    basis: list[sp.Matrix] = []
    for c in columns:
        w = c - sum((c.dot(q) * q for q in basis), sp.zeros(*c.shape))
        basis.append(w / sp.sqrt(sp.factor(w.dot(w))))
    return sp.together(sum(v.dot(q) ** 2 for q in basis))


@functools.cache
def tax_rate_one() -> sp.Expr:
    """tau for one unit capability c and unit v* with <v*, c> = a1: coordinates c = e1,
    v* = (a1, sqrt(1 - a1^2)) (any d: span(v*, c) is at most a plane)."""
    c = sp.Matrix([1, 0])
    v = sp.Matrix([a1, sp.sqrt(1 - a1**2)])
    return sp.cancel(_projection_norm_sq([c], v))


@functools.cache
def tax_rate_two() -> sp.Expr:
    """tau for two unit capabilities with <c1, c2> = g (|g| < 1) and unit v* with <v*, c_i> = a_i:
    coordinates c1 = e1, c2 = (g, sqrt(1 - g^2), 0), v* = (x, y, z) with x, y solved from the two inner
    products (z, the part of v* outside C, does not enter ||P_C v*||^2)."""
    x, y, z = sp.symbols("x y z", real=True)
    c1 = sp.Matrix([1, 0, 0])
    c2 = sp.Matrix([g, sp.sqrt(1 - g**2), 0])
    v = sp.Matrix([x, y, z])
    sol = sp.solve([sp.Eq(v.dot(c1), a1), sp.Eq(v.dot(c2), a2)], [x, y], dict=True)[0]
    return sp.factor(sp.cancel(_projection_norm_sq([c1, c2], v.subs(sol))))


# ---------------------------------------------------------------------------------------------
# The closed forms from the definition.  P_C v* = C lambda where lambda solves the normal equations
# C^T (v* - C lambda) = 0, and ||P_C v*||^2 = lambda^T (C^T C) lambda: dimension-free steps, then the same equations
# in the Gram entries the quantity is a function of, solved at a point the checker verifies (rule SOLUTION).

_lam = sp.symbols("lambda_1:3", real=True)     # coefficients of P_C v* on the columns of C


def normal_equations(gram: sp.Matrix, inner: tuple[sp.Expr, ...], lam: tuple[sp.Symbol, ...]
                     ) -> tuple[tuple[sp.Expr, ...], sp.Expr]:
    """The normal equations of the projection onto span(c_1, ..., c_m) in the Gram form, and the squared norm of the
    projection: for ``gram`` = (<c_k, c_l>) and ``inner`` = (<v, c_l>), each ``<v - sum_k lambda_k c_k, c_l> =
    inner_l - sum_k gram_lk lambda_k`` (``== 0``), and ``||sum_k lambda_k c_k||^2 = lambda^T gram lambda``."""
    lv = sp.Matrix(lam)
    residual = sp.Matrix(inner) - gram * lv
    return tuple(sp.expand(e) for e in residual), sp.expand((lv.T * gram * lv)[0, 0])


@functools.cache
def _projection_in_gram_form(m: int) -> tuple[tuple[Step, ...], sp.Basic]:
    """Dimension-free, for C (d x m) of full column rank: lambda = (C^T C)^{-1} C^T v* solves the normal equations,
    and ||P_C v*||^2 = lambda^T (C^T C) lambda; and the Gram matrix whose inverse the steps take."""
    C = sp.MatrixSymbol("C", _d, m)
    v = sp.MatrixSymbol("v", _d, 1)
    gram = C.T * C
    lam = gram.I * C.T * v
    Pv = sp.MatMul(C * gram.I * C.T, v, evaluate=False)
    steps = (
        Step("normal-equations", C.T * (v - C * lam), sp.ZeroMatrix(m, 1),
             "lambda = (C^T C)^{-1} C^T v* solves the normal equations C^T (v* - C lambda) = 0: P_C v* = C lambda",
             start=NEW),
        Step("projection-norm", sp.MatMul(sp.Transpose(Pv), Pv, evaluate=False), lam.T * gram * lam,
             "||P_C v*||^2 = lambda^T (C^T C) lambda, the Gram form of ||C lambda||^2", start=NEW),
    )
    return steps, gram


def _projection_norm_proof(quantity: sp.Expr, inner: tuple[sp.Expr, ...], gram: sp.Matrix, closed: sp.Expr,
                           domain: tuple[sp.Basic, ...], title: str) -> Derivation:
    """``quantity = closed`` for ``quantity`` = ||P_C v*||^2 with Gram entries ``gram`` and ``inner``: the
    dimension-free steps, then rule SOLUTION on the normal equations in those entries, at the point SymPy solves
    them to (the checker verifies it; it trusts no solve)."""
    m = gram.shape[0]
    lam = _lam[:m]
    steps, gram_matrix = _projection_in_gram_form(m)
    equations, value = normal_equations(gram, inner, lam)
    (sol,) = sp.solve(equations, lam, dict=True)
    point = tuple(sp.factor(sol[x]) for x in lam)
    result = Step("closed-form", quantity, closed,
                  "the normal equations in the Gram entries, solved: the squared norm of the projection there is the "
                  "closed form", by=Rule.SOLUTION, using=Solution(lam, equations, value, point), start=NEW)
    return Derivation(str(quantity.func), title, (
        "C = [c_1 | ... | c_m] of full column rank with unit columns", "P_C v* = C lambda, lambda solving the normal "
        "equations"), steps, result, invertible=(gram_matrix,), domain=(sp.Le(m, _d), *domain))


@functools.cache
def tax_rate_one_from_definition(quantity: sp.FunctionClass) -> Derivation:
    """``quantity(a1) = tax_rate_one()``: ||P_c v*||^2 for unit c with <v*, c> = a1, from the normal equation
    <v* - lambda c, c> = a1 - lambda = 0."""
    return _projection_norm_proof(quantity(a1), (a1,), sp.Matrix([[1]]), tax_rate_one(), (),
                                  "||P_c v*||^2 from its definition: the normal equation of the projection onto c")


@functools.cache
def tax_rate_two_from_definition(quantity: sp.FunctionClass) -> Derivation:
    """``quantity(a1, a2, g) = tax_rate_two()``: ||P_C v*||^2 for C = [c1 | c2] with unit columns, <c1, c2> = g
    (|g| < 1: full rank) and <v*, c_i> = a_i, from the normal equations a_l - sum_k G_lk lambda_k = 0 with
    G = [[1, g], [g, 1]]."""
    return _projection_norm_proof(quantity(a1, a2, g), (a1, a2), sp.Matrix([[1, g], [g, 1]]), tax_rate_two(),
                                  (sp.Lt(-1, g), sp.Lt(g, 1)),
                                  "||P_C v*||^2 from its definition: the normal equations of the projection onto "
                                  "span(c1, c2)")


@functools.cache
def safety_gain_in_plane() -> sp.Expr:
    """<v*, delta> for unit c, unit v* = a1 c + sqrt(1 - a1^2) u (u the unit vector of span(v*, c)
    orthogonal to c) and delta = x c + y u + (a part orthogonal to both, which meets neither)."""
    x, y = sp.symbols("x y", real=True)
    v = sp.Matrix([a1, sp.sqrt(1 - a1**2)])
    return sp.expand(v.dot(sp.Matrix([x, y])))


@functools.cache
def capability_change_at_max_safety() -> sp.Expr:
    """<c_i, delta*> for the safety-maximising delta* = B v* (Cauchy-Schwarz, the unconstrained maximiser of
    <v*, delta> over ||delta|| <= B), with <v*, c_i> = a1: the step ``change`` of
    ``safety_maximising_change``."""
    # the derivation names <v*, c_i> t (real); its step "change" gives <c_i, B v*> = B t
    return safety_maximising_change().step("change").rhs.subs({sp.Symbol("t", real=True): a1})


# ---------------------------------------------------------------------------------------------
# Chains that end in the formal statements' own conclusions.  Each takes
# the statement's conclusion, its hypotheses (``domain``) and the definition of the quantity it names
# (``definition``: ``Eq(F(args), closed form)``, handed in by paper_checks) and starts by substituting the
# definition; no formula of the paper is typed here.


def _gram_slacks(a1_: sp.Expr, a2_: sp.Expr, g_: sp.Expr) -> tuple[sp.Symbol, sp.Symbol, tuple[sp.Expr, ...]]:
    """Slacks of two unit capabilities: u = 1 - g^2 > 0 (c1, c2 independent) and s = det Gram(v*, c1, c2) >= 0."""
    u = sp.Symbol("u_g", positive=True)
    s = sp.Symbol("s_det", nonnegative=True)
    gram = sp.Matrix([[1, a1_, a2_], [a1_, 1, g_], [a2_, g_, 1]])
    return u, s, (u - (1 - g_**2), s - gram.det())


@functools.cache
def tax_range_chain(conclusion: sp.Basic, definitions: tuple[sp.Equality, ...], domain: tuple[sp.Basic, ...]
                    ) -> Derivation:
    """Def 3.4 for two unit capabilities, every (a1, a2, g) realisable: (tau - 1/2)^2 <= 1/4, i.e. tau in [0, 1].

    With u = 1 - g^2 > 0 and s = det Gram(v*, c1, c2) >= 0: tau = q/u with q = (a1 - g a2)^2 + u a2^2 >= 0 and
    1 - tau = s/u, so 1/4 - (tau - 1/2)^2 = tau (1 - tau) = q s / u^2 >= 0."""
    (definition,) = definitions
    a1_, a2_, g_ = definition.lhs.args
    u, s, relations = _gram_slacks(a1_, a2_, g_)
    lhs = conclusion.lhs
    closed = lhs.subs(definition.lhs, definition.rhs)
    q = (a1_ - g_ * a2_) ** 2 + u * a2_**2
    steps = (
        Step("definition", lhs, closed, "tau = ||P_C v*||^2 by its definition's closed form", by=Rule.SUBSTITUTE,
             using=definition, start=NEW),
    )
    result = Step("range", closed, conclusion.rhs, "1/4 - (tau - 1/2)^2 = tau (1 - tau) = q s / u^2 >= 0, with "
                  "q = (a1 - g a2)^2 + u a2^2, u = 1 - g^2 > 0 and s = det Gram(v*, c1, c2) >= 0 (realisable)",
                  Op.LE, witness=q * s / u**2)
    return Derivation("def-3.4.statement",
                      "Definition 3.4 for two capabilities: tau in [0, 1] for every realisable (a1, a2, g)",
                      ("c1, c2 unit, independent (|g| < 1)", "Gram(v*, c1, c2) positive semidefinite"), steps, result,
                      relations=relations, domain=(definition, *domain))
