"""Checks of the tax rate (Def 3.4, Cor 4.5, Rem 4.6, Prediction 1's model): independent numeric evidence of the
definitions the formal statements name, and the not-checkable predictions.

The statements (paper_checks/statements/tax_rate.py) are searched by the audit; these checks confirm at
50 digits, on random vectors in d = 3..12, that each defined quantity's derived closed form is what its
definition gives when computed another way:

* ``TaxRate2(a1, a2, g)`` and ``TaxRate1(a)``: ||P_C v*||^2 = ||v*||^2 - ||v* - P_C v*||^2 by least squares
  (verify/high_precision.py), some capability pairs nearly dependent;
* ``SafetyGain(a, Delta_C, y)``: <v*, delta> for random v*, c, delta;
* ``CapabilityChangeAtMaxSafety(a, B)``: <c, delta*> for the maximiser delta* of <v*, delta> over ||delta|| <= B,
  found by projected gradient ascent from a random start (not by the derivation's Cauchy-Schwarz step).

No formula of the paper is typed here: the closed forms come from ``paper_checks.definitions``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import mpmath
import numpy as np
import sympy as sp

from paper_checks.checks.common import DPS, rng_for
from paper_checks.definitions import DEFINITIONS
from paper_checks.checks import notation as nt
from paper_checks.text import Text
from paper_checks.finding import AuditConfig, Evidence, Method
from paper_checks.statements import tax_rate as T
from verify import high_precision as HP

__all__ = ["check_def_3_4", "check_def_3_4_loss", "check_cor_4_5", "check_rem_4_6", "check_rem_4_6_additivity",
           "check_pred_1", "check_pred_1_model", "check_pred_2", "check_pred_3", "confirm_tax_rate_two",
           "confirm_tax_rate_one", "confirm_safety_gain", "confirm_capability_change", "confirm_angle",
           "check_sec_9_3_entangled", "check_sec_9_3_tradeoff", "check_sec_7_5_tradeoff", "check_sec_7_4_angle",
           "check_rem_5_7_decrease"]

# Only the 50-digit rounding separates the two computations; a wrong closed form is off by far more.
_TOL = mpmath.mpf(10) ** -30


def _closed_form(name: str, symbols: tuple[sp.Symbol, ...]) -> Callable[..., mpmath.mpf]:
    return sp.lambdify(symbols, DEFINITIONS[name].closed_form(*symbols), modules="mpmath")


def _unit(x: np.ndarray) -> mpmath.matrix:
    m = HP.vector(x)
    return m / HP.norm(m)


def _dot(x: mpmath.matrix, y: mpmath.matrix) -> mpmath.mpf:
    return (x.T * y)[0]


def _pairs(rng: np.random.Generator, count: int) -> Iterator[tuple[mpmath.matrix, mpmath.matrix, mpmath.matrix]]:
    """(v*, c1, c2) unit at 50 digits in d in {3, 5, 12}; every third pair nearly dependent (c2 ~ c1)."""
    for i in range(count):
        d = int(rng.choice([3, 5, 12]))
        c1 = rng.standard_normal(d)
        c2 = c1 + 1e-3 * rng.standard_normal(d) if i % 3 == 0 else rng.standard_normal(d)
        yield _unit(rng.standard_normal(d)), _unit(c1), _unit(c2)


def confirm_tax_rate_two(ev: Evidence, cfg: AuditConfig, claim: str, count: int,
                         closed: Callable[..., mpmath.mpf] | None = None) -> bool:
    """``TaxRate2``'s closed form at (<v*, c1>, <v*, c2>, <c1, c2>) equals ||v*||^2 - ||P_{C^perp} v*||^2 by least
    squares; ``closed`` replaces the closed form (a test passes a broken one and watches this fail)."""
    closed = closed or _closed_form("TaxRate2", (T.a1, T.a2, T.g))
    worst = mpmath.mpf(0)
    with mpmath.workdps(DPS):
        for v, c1, c2 in _pairs(rng_for(cfg.seed, claim + "/tax-rate"), count):
            C = np.array([[float(x) for x in c1], [float(x) for x in c2]]).T
            # The least-squares projection onto the span of the columns as stored (doubles); the inner products
            # are taken with the same stored columns so that both sides see one geometry.
            c1d, c2d = HP.vector(C[:, 0]), HP.vector(C[:, 1])
            n1, n2 = HP.norm(c1d), HP.norm(c2d)
            projection = 1 - HP.norm(HP.residual(v, C)) ** 2
            value = closed(_dot(v, c1d) / n1, _dot(v, c2d) / n2, _dot(c1d, c2d) / (n1 * n2))
            worst = max(worst, abs(projection - value))
    return ev.confirm(
        f"definition of TaxRate2: on {count} random (v*, c1, c2), d = 3..12, some nearly dependent, the derived "
        f"closed form differs from ||P_C v*||^2 by least squares at {DPS} digits by {mpmath.nstr(worst, 3)}",
        worst < _TOL, Method.HIGH_PRECISION)


def confirm_tax_rate_one(ev: Evidence, cfg: AuditConfig, claim: str, count: int,
                         closed: Callable[..., mpmath.mpf] | None = None) -> bool:
    """``TaxRate1``'s closed form at <v*, c> equals ||P_c v*||^2 by least squares on one column."""
    closed = closed or _closed_form("TaxRate1", (T.a,))
    worst = mpmath.mpf(0)
    rng = rng_for(cfg.seed, claim + "/tax-rate-1")
    with mpmath.workdps(DPS):
        for _ in range(count):
            d = int(rng.integers(2, 30))
            v, c = _unit(rng.standard_normal(d)), rng.standard_normal(d)
            cd = HP.vector(c)
            projection = 1 - HP.norm(HP.residual(v, c[:, None])) ** 2
            worst = max(worst, abs(projection - closed(_dot(v, cd) / HP.norm(cd))))
    return ev.confirm(
        f"definition of TaxRate1: on {count} random (v*, c), d = 2..29, the derived closed form differs from "
        f"||P_c v*||^2 by least squares at {DPS} digits by {mpmath.nstr(worst, 3)}", worst < _TOL,
        Method.HIGH_PRECISION)


def confirm_safety_gain(ev: Evidence, cfg: AuditConfig, claim: str, count: int,
                        closed: Callable[..., mpmath.mpf] | None = None) -> bool:
    """``SafetyGain``'s closed form at (<v*, c>, <c, delta>, <u, delta>) equals <v*, delta> for random v*, c, delta
    (u: the unit vector of span(v*, c) orthogonal to c, oriented so that <v*, u> >= 0)."""
    closed = closed or _closed_form("SafetyGain", (T.a, T.Delta_C, T.y))
    worst = mpmath.mpf(0)
    rng = rng_for(cfg.seed, claim + "/safety-gain")
    with mpmath.workdps(DPS):
        for _ in range(count):
            d = int(rng.integers(2, 12))
            v, c, delta = (_unit(rng.standard_normal(d)), _unit(rng.standard_normal(d)),
                           HP.vector(rng.standard_normal(d)))
            w = v - _dot(v, c) * c
            u = w / HP.norm(w)
            worst = max(worst, abs(_dot(v, delta) - closed(_dot(v, c), _dot(c, delta), _dot(u, delta))))
    return ev.confirm(
        f"definition of SafetyGain: on {count} random (v*, c, delta), d = 2..11, the derived closed form differs from "
        f"<v*, delta> at {DPS} digits by {mpmath.nstr(worst, 3)}", worst < _TOL, Method.HIGH_PRECISION)


def confirm_capability_change(ev: Evidence, cfg: AuditConfig, claim: str, count: int,
                              closed: Callable[..., mpmath.mpf] | None = None) -> bool:
    """``CapabilityChangeAtMaxSafety``'s closed form equals <c, delta*> for the maximiser delta* of <v*, delta> over
    ||delta|| <= B, found here by projected gradient ascent from a random start (not by the derivation's
    Cauchy-Schwarz step), then compared at 50 digits."""
    closed = closed or _closed_form("CapabilityChangeAtMaxSafety", (T.a, T.B))
    worst = 0.0
    rng = rng_for(cfg.seed, claim + "/capability-change")
    for _ in range(count):
        d = int(rng.integers(2, 20))
        v, c = rng.standard_normal(d), rng.standard_normal(d)
        v, c = v / np.linalg.norm(v), c / np.linalg.norm(c)
        B = float(rng.uniform(0.5, 5))
        delta = rng.standard_normal(d)
        for _ in range(120):        # ascend along v*, project back onto the ball: the part of delta orthogonal
            delta = delta + B * v   # to v* at least halves at each step, so delta converges to the maximiser
            delta *= min(1.0, B / np.linalg.norm(delta))
        with mpmath.workdps(DPS):
            value = closed(mpmath.mpf(float(v @ c)), mpmath.mpf(B))
        worst = max(worst, abs(float(c @ delta) - float(value)))
    return ev.confirm(
        f"definition of CapabilityChangeAtMaxSafety: on {count} random (v*, c, B), d = 2..19, <c, delta*> for the "
        f"maximiser delta* of <v*, delta> over ||delta|| <= B (projected gradient ascent) differs from the derived "
        f"closed form by {worst:.1e}", worst < 1e-9, Method.HIGH_PRECISION)


def _count(cfg: AuditConfig, share: int) -> int:
    return max(3, cfg.samples // share)


def check_def_3_4(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    confirm_tax_rate_two(ev, cfg, "def-3.4", _count(cfg, 2))
    return ev


def check_def_3_4_loss(cfg: AuditConfig) -> Evidence:
    """'When tau = 1 ... any safety gain requires capability loss'."""
    ev = Evidence()
    confirm_tax_rate_one(ev, cfg, "def-3.4.loss", _count(cfg, 4))
    confirm_safety_gain(ev, cfg, "def-3.4.loss", _count(cfg, 2))
    return ev


def check_cor_4_5(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    confirm_tax_rate_one(ev, cfg, "cor-4.5", _count(cfg, 2))
    ev.note("'directly measurable via probing' is an empirical statement, not checked")
    return ev


def check_rem_4_6(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    confirm_tax_rate_two(ev, cfg, "rem-4.6", _count(cfg, 4))
    return ev


def check_rem_4_6_additivity(cfg: AuditConfig) -> Evidence:
    """'reduces to sum_i tau_i only when capabilities are orthonormal'; 'the joint tax can be less'."""
    ev = Evidence()
    confirm_tax_rate_two(ev, cfg, "rem-4.6.additivity", _count(cfg, 8))
    confirm_tax_rate_one(ev, cfg, "rem-4.6.additivity", _count(cfg, 8))
    k = sp.Symbol("k")
    ev.note(Text.of("'reduces to the sum of the ", nt.tau_i, " only when capabilities are orthonormal': as an identity "
                    "in ", nt.v, " it holds (", nt.tau - sp.Sum(nt.tau_i, (sp.Symbol("i"), 1, k)),
                    " is a quadratic form in ", nt.a, " that vanishes for all ", nt.a, " only when the Gram matrix of "
                    "the capabilities is the identity); pointwise it also vanishes on the cone ",
                    sp.Eq(nt.g * (nt.a1**2 + nt.a2**2), 2 * nt.a1 * nt.a2), " (e.g. ", sp.Eq(nt.c1, nt.e1), ", ",
                    sp.Eq(nt.c2, sp.Matrix([[sp.Rational(3, 5), sp.Rational(4, 5), 0]]), evaluate=False), ", ",
                    sp.Eq(nt.v, sp.Matrix([[sp.Rational(2, 7), sp.Rational(6, 7), sp.Rational(3, 7)]]), evaluate=False),
                    "), a measure-zero set"))
    return ev


def check_pred_1(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    ev.not_checkable = ("Prediction 1 is an empirical protocol (probe, align, compare); its mathematical part, "
                        "'Delta_C_i proportional to -tau_i', is audited as pred-1.model")
    return ev


def check_pred_1_model(cfg: AuditConfig) -> Evidence:
    """In the model, with the safety-maximising perturbation delta* = B v*: Delta_C_i = B <v*, c_i>."""
    ev = Evidence()
    confirm_capability_change(ev, cfg, "pred-1.model", _count(cfg, 2))
    confirm_tax_rate_one(ev, cfg, "pred-1.model", _count(cfg, 8))
    return ev


def check_pred_2(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    ev.not_checkable = ("Prediction 2 is about trained model families; its mathematical content (E tau = m'/d, "
                        "the plateau at tau_0) is Prop 5.5 / Cor 5.6 of the section-5 audit")
    return ev


def check_pred_3(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    ev.not_checkable = ("Prediction 3 (HMA outperforms uniform averaging when angles vary across layers) is "
                        "empirical; the model has no layers to check it in")
    return ev


# --------------------------------------------------------------------------------------------- Sections 1, 7, 9
# Readings of sentences that state signs of capability changes for one capability (statements/tax_rate.py,
# SECTIONS_1_7_9): the definitions they name, confirmed independently; the statement search decides them.


def check_sec_9_3_entangled(cfg: AuditConfig) -> Evidence:
    """'Any safety gain comes at nearly one-to-one capability cost' (alpha ~ 0); Section 1's alpha = 0 sentence."""
    ev = Evidence()
    confirm_safety_gain(ev, cfg, "sec-9.3.entangled", _count(cfg, 2))
    return ev


def check_sec_9_3_tradeoff(cfg: AuditConfig) -> Evidence:
    """'The optimal strategy allocates perturbation partly along the capability subspace (accepting some cost)'."""
    ev = Evidence()
    confirm_capability_change(ev, cfg, "sec-9.3.tradeoff", _count(cfg, 2))
    confirm_tax_rate_one(ev, cfg, "sec-9.3.tradeoff", _count(cfg, 8))
    return ev


def check_sec_7_5_tradeoff(cfg: AuditConfig) -> Evidence:
    """'... is exactly the non-zero tax regime (tau > 0)': the capability-optimal update's safety change."""
    ev = Evidence()
    confirm_capability_change(ev, cfg, "sec-7.5.tradeoff", _count(cfg, 2))
    confirm_tax_rate_one(ev, cfg, "sec-7.5.tradeoff", _count(cfg, 8))
    return ev


def confirm_angle(ev: Evidence, cfg: AuditConfig, claim: str, count: int) -> bool:
    """arccos(<v*, c>) equals the angle between v* and c computed as 2 atan2(|v - c|, |v + c|) (verify.high_precision,
    no arccos), on random unit pairs in d = 2..19, some nearly opposite."""
    worst = mpmath.mpf(0)
    rng = rng_for(cfg.seed, claim + "/angle")
    with mpmath.workdps(DPS):
        for i in range(count):
            d = int(rng.integers(2, 20))
            v = _unit(rng.standard_normal(d))
            c = -v + HP.vector(1e-3 * rng.standard_normal(d)) if i % 3 == 0 else HP.vector(rng.standard_normal(d))
            c = c / HP.norm(c)
            worst = max(worst, abs(mpmath.acos(_dot(v, c)) - HP.angle(v, c)))
    return ev.confirm(
        f"the angle alpha = arccos(<v*, c>): on {count} random unit (v*, c), d = 2..19, some nearly opposite, it "
        f"differs from 2 atan2(|v* - c|, |v* + c|) at {DPS} digits by {mpmath.nstr(worst, 3)}", worst < _TOL,
        Method.HIGH_PRECISION)


def check_sec_7_4_angle(cfg: AuditConfig) -> Evidence:
    """'higher tau_i ..., meaning they have smaller angles to the safety direction'."""
    ev = Evidence()
    confirm_tax_rate_one(ev, cfg, "sec-7.4.angle", _count(cfg, 4))
    confirm_angle(ev, cfg, "sec-7.4.angle", _count(cfg, 2))
    return ev


def check_rem_5_7_decrease(cfg: AuditConfig) -> Evidence:
    """'Tasks where tau_i decreases with d have incidental overlap': tau_i of one capability is TaxRate1."""
    ev = Evidence()
    confirm_tax_rate_one(ev, cfg, "rem-5.7.decrease", _count(cfg, 2))
    return ev
