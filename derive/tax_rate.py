"""The alignment tax rate tau = ||P_C v*||^2: Def 3.4, Cor 4.5, Rem 4.6 (dimension-free where possible)."""
from __future__ import annotations

import functools

import sympy as sp

from derive.core import Derivation, Op, Rule, Start, Step

NEW = Start.DEFINITION

__all__ = ["tax_range", "single_direction", "gram_form"]

_d = sp.Symbol("d", integer=True, positive=True)
_m = sp.Symbol("m", integer=True, positive=True)


@functools.lru_cache(maxsize=None)
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
        "C of full column rank", "||v*|| = 1"), steps, result, invertible=(C.T * C,))


@functools.lru_cache(maxsize=None)
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


@functools.lru_cache(maxsize=None)
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
                      steps, result, invertible=(G,))


@functools.lru_cache(maxsize=None)
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
                      " downwards", ("C of full column rank", "v* = C w in C"), steps, result, invertible=(C.T * C,))


@functools.lru_cache(maxsize=None)
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
