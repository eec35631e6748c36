"""Checks of maximum safety at a capability target (Thm 4.3, Cor 4.4, Cor 4.7, Section 7.1): independent numeric
evidence of the definitions the formal statements name.

The statements (paper_checks/statements/capability_constraint.py) are searched for counterexamples by the
audit itself; these checks confirm that the defined quantities' derived closed forms are what the definitions
give on random geometries, computed another way:

* ``MaxSafetyAtTarget(s, r, tau, B)``: the certified optimum of the SOCP ``max <v*, delta>`` s.t.
  ``C^T delta = C^T delta_C*``, ``||delta|| <= B`` (verify/capability_constraint.py), for m = 1..3
  non-orthonormal capabilities in d = 3..20, must contain the closed form evaluated at 50 digits on the
  stored data (s, r from the C-part the SOCP fixes, tau = 1 - ||P_{C^perp} v*||^2);
* ``NullSpaceCapabilityChange``: on random C and delta in C^perp, the capability changes ``C^T delta``
  computed at 50 digits must equal the closed form.

No formula of the paper is typed here: the closed forms come from ``paper_checks.definitions``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator

import mpmath
import numpy as np
import sympy as sp

from paper_checks.checks.common import DPS, EXACT_SLACK, rng_for
from paper_checks.definitions import DEFINITIONS
from paper_checks.checks import notation as nt
from paper_checks.text import Text
from paper_checks.finding import AuditConfig, Evidence, Method
from paper_checks.statements import capability_constraint as K
from verify import high_precision as HP
from verify.capability_constraint import max_safety_at_target

__all__ = ["check_thm_4_3", "check_cor_4_4", "check_cor_4_7", "check_sec_7_1", "check_sec_7_1_equivalence",
           "confirm_max_safety", "confirm_null_space"]


def _geometries(rng: np.random.Generator, count: int, zero_target: bool, positive_overlap: bool = False
                ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
    """(v*, C, delta_C*, B): d in {3, 6, 20}, m = 1..3 non-orthonormal columns, ||delta_C*|| up to 0.99 B;
    with ``positive_overlap`` the target's sign is chosen so that <v*, delta_C*> > 0 (Cor 4.7's premise)."""
    for i in range(count):
        d, m = int(rng.choice([3, 6, 20])), int(rng.integers(1, 3 if i % 2 else 4))
        C = rng.standard_normal((d, m)) * rng.uniform(0.3, 3, m)
        v = rng.standard_normal(d)
        v /= np.linalg.norm(v)
        B = float(rng.uniform(0.5, 5))
        target = np.zeros(d) if zero_target else C @ rng.standard_normal(m)
        if not zero_target:
            target *= rng.uniform(0.01, 0.99) * B / np.linalg.norm(target)
            if positive_overlap and v @ target < 0:
                target = -target
        yield v, C, target, B


def _data_parameters(v: np.ndarray, C: np.ndarray, target: np.ndarray) -> tuple[mpmath.mpf, mpmath.mpf, mpmath.mpf]:
    """(s, r, tau) of the stored data at 50 digits.  The SOCP fixes C^T delta = b with b = C^T delta_C* as
    doubles, i.e. the C-part t = C (C^T C)^{-1} b; tau = 1 - ||P_{C^perp} v*||^2 so that sqrt(1 - tau) is the
    stored v*'s residual exactly (v* is unit only to rounding)."""
    b = C.T @ target
    M = mpmath.matrix(C.tolist())
    t = M * mpmath.lu_solve(M.T * M, mpmath.matrix([mpmath.mpf(float(x)) for x in b]))
    vm = HP.vector(v)
    s = (vm.T * t)[0]
    r = HP.norm(t)
    tau = 1 - HP.norm(HP.residual(vm, C)) ** 2
    return s, r, tau


def _closed_form(name: str, symbols: tuple[sp.Symbol, ...]) -> Callable[..., mpmath.mpf]:
    return sp.lambdify(symbols, DEFINITIONS[name].closed_form(*symbols), modules="mpmath")


def confirm_max_safety(ev: Evidence, cfg: AuditConfig, claim: str, count: int, zero_target: bool,
                       positive_overlap: bool = False,
                       closed: Callable[..., mpmath.mpf] | None = None) -> bool:
    """The derived closed form of ``MaxSafetyAtTarget`` lies in the certified SOCP enclosure on ``count`` random
    geometries.  ``closed`` replaces the closed form (a test passes a broken one and watches this fail)."""
    closed = closed or _closed_form("MaxSafetyAtTarget", (K.s, K.r, K.tau, K.B))
    inside = 0
    rng = rng_for(cfg.seed, claim + "/socp")
    for v, C, target, B in _geometries(rng, count, zero_target, positive_overlap):
        enc = max_safety_at_target(v, C, target, B)
        with mpmath.workdps(DPS):
            value = closed(*_data_parameters(v, C, target), mpmath.mpf(B))
        inside += enc.contains(value, EXACT_SLACK)
    what = "delta_C* = 0" if zero_target else ("<v*, delta_C*> > 0" if positive_overlap else "delta_C* in C")
    ev.methods.add(Method.INTERVAL)
    return ev.confirm(
        f"definition of MaxSafetyAtTarget: certified SOCP optimum (max <v*, delta> s.t. C^T delta = C^T delta_C*, "
        f"||delta|| <= B; {what}) on {count} geometries, d = 3..20, m = 1..3 non-orthonormal capabilities, contains "
        f"the derived closed form at {DPS} digits on the stored data in {inside}/{count}", inside == count,
        Method.SOCP)


def confirm_null_space(ev: Evidence, cfg: AuditConfig, claim: str, count: int,
                       closed: Callable[..., mpmath.mpf] | None = None) -> bool:
    """The derived closed form of ``NullSpaceCapabilityChange`` matches the largest |<c_i, delta>| over random C
    and delta = B w_perp/||w_perp|| in C^perp, computed at 50 digits (only the 50-digit rounding remains)."""
    closed = closed or _closed_form("NullSpaceCapabilityChange", (K.tau, K.B))
    rng = rng_for(cfg.seed, claim + "/null-space")
    worst = mpmath.mpf(0)
    with mpmath.workdps(DPS):
        for _ in range(count):
            d, m = int(rng.integers(3, 12)), int(rng.integers(1, 3))
            C, w, v = rng.standard_normal((d, m)), rng.standard_normal(d), rng.standard_normal(d)
            B = mpmath.mpf(float(rng.uniform(0.5, 5)))
            perp = HP.residual(HP.vector(w), C)
            delta = B * perp / HP.norm(perp)
            units = [HP.vector(C[:, j]) / HP.norm(HP.vector(C[:, j])) for j in range(m)]
            change = max(abs((u.T * delta)[0]) for u in units)
            vm = HP.vector(v) / HP.norm(HP.vector(v))
            tau = 1 - HP.norm(HP.residual(vm, C)) ** 2
            worst = max(worst, abs(change - closed(tau, B)))
    return ev.confirm(
        f"definition of NullSpaceCapabilityChange: on {count} random (C, delta in C^perp, ||delta|| = B), d = 3..11, "
        f"m = 1..2, the largest capability change |<c_i, delta>| at {DPS} digits differs from the derived closed form "
        f"by {mpmath.nstr(worst, 3)}", worst < EXACT_SLACK, Method.HIGH_PRECISION)


def _count(cfg: AuditConfig, share: int) -> int:
    # The SOCP confirmations are the slow part of the audit; one definition serves four claims, so each
    # claim takes a share of the geometries (at least 3).
    return max(3, cfg.samples // share)


def check_thm_4_3(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    confirm_max_safety(ev, cfg, "thm-4.3", _count(cfg, 3), zero_target=False)
    ev.note(Text.of(
        "the clause 'achieved by ",
        sp.Eq(sp.Symbol("delta_star"), nt.delta_C + nt.B2 * nt.P_perp * nt.v / nt.Norm(nt.P_perp * nt.v),
              evaluate=False),
        "' is 0/0 at ", sp.Eq(nt.tau, 1), " (", nt.v, " in ", nt.C, "); there every ",
        nt.delta_C + nt.delta_perp, " with ", nt.delta_perp, " in ", nt.C_perp, ", ",
        sp.Le(nt.Norm(nt.delta), nt.B), ", attains the maximum ", nt.Inner(nt.v, nt.delta_C),
        "; the formal statement is the value, eq. (4)"))
    return ev


def check_cor_4_4(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    confirm_max_safety(ev, cfg, "cor-4.4", _count(cfg, 8), zero_target=True)
    return ev


def check_sec_7_1(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    confirm_max_safety(ev, cfg, "sec-7.1", _count(cfg, 8), zero_target=True)
    return ev


def check_cor_4_7(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    confirm_max_safety(ev, cfg, "cor-4.7", _count(cfg, 8), zero_target=False, positive_overlap=True)
    ev.note(Text.of(
        "the 'in particular' needs ", nt.Inner(nt.v, nt.delta_C), " close to ", nt.Norm(nt.delta_C), ", which forces ",
        nt.tau, " close to 1 because ", sp.Le(nt.Inner(nt.v, nt.delta_C), sp.sqrt(nt.tau) * nt.Norm(nt.delta_C)),
        " for ",
        nt.delta_C, " in ", nt.C, "; capability work beats the zero target exactly when ",
        sp.Gt(nt.Inner(nt.v, nt.delta_C), (nt.B - nt.B2) * sp.sqrt(1 - nt.tau)),
        " (sub-claim cor-4.7.subsidy, derivation step subsidy)"))
    return ev


def check_sec_7_1_equivalence(cfg: AuditConfig) -> Evidence:
    """'< 1% capability degradation is equivalent to tau << 1', read in the paper's own model."""
    ev = Evidence()
    confirm_null_space(ev, cfg, "sec-7.1.equivalence", _count(cfg, 2))
    return ev
