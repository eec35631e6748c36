"""Checks of Def 3.3 (KL as a Fisher form) and Section 4.4 (the ellipsoidal budget): the independent numeric route.

Def 3.3: the KL of softmax policies, computed at 50 digits from its definition for K = 2..7 outcomes (the
statement covers K = 3), against the Fisher form with the statement's coefficient.  Section 4.4: the SOCP with
the cone on F^(1/2) delta against the closed form of ``MaxSafetyGainEllipsoid``.  No check sets a verdict, a
counterexample or a correction: the statements and the rule do.
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from paper_checks.checks.common import DPS, SLACK, rng_for
from paper_checks.checks.frontier import closed_form
from paper_checks.checks import notation as nt
from paper_checks.text import Text
from paper_checks.finding import AuditConfig, Evidence, Method
from paper_checks.statements import whitening as SW
from verify import whitening as VW

__all__ = ["check_def_3_3", "check_sec_4_4"]


def _coefficient() -> sp.Rational:
    """The statement's coefficient c in KL ~ c u^T F u eps^2 (1/2 as printed), read from def-3.3's conclusion."""
    rhs = SW.STATEMENTS["def-3.3"].conclusion.rhs
    (form,) = rhs.atoms(SW.FisherForm)
    return sp.Rational(sp.simplify(rhs / form))


def check_def_3_3(cfg: AuditConfig) -> Evidence:
    """KL(softmax(z + eps u) || softmax(z)) / eps^2 -> c u^T F u, F = E[(e_y - p)(e_y - p)^T], for K = 2..7."""
    ev = Evidence()
    c = _coefficient()
    coef = mpmath.mpf(c.p) / c.q
    rng = rng_for(cfg.seed, "def-3.3")
    n, worst = max(4, cfg.samples // 3), mpmath.mpf(0)
    for _ in range(n):
        K = int(rng.integers(2, 8))
        z, u = rng.normal(0, 2, K), rng.standard_normal(K)
        with mpmath.workdps(DPS):
            zs = [mpmath.mpf(float(t)) for t in z]
            ps = [mpmath.exp(t) / sum(mpmath.exp(s) for s in zs) for t in zs]
            us = [mpmath.mpf(float(t)) for t in u]
            # u^T F u with F the Fisher information of the softmax in its logits: E_y[<e_y - p, u>^2]
            mean = sum(pi * ui for pi, ui in zip(ps, us, strict=False))
            quad = sum(pi * (ui - mean) ** 2 for pi, ui in zip(ps, us, strict=False))
            for eps in (mpmath.mpf(10) ** -6, mpmath.mpf(10) ** -9):
                kl = VW.kl_softmax(z, u, eps)
                # an O(eps) relative error (the next term is O(eps^3)) keeps this ratio bounded; a wrong
                # coefficient makes it ~ 1/eps, i.e. at least 1e6
                worst = max(worst, abs(kl / (eps**2 * coef * quad) - 1) / eps)
    ev.confirm(f"KL of softmax policies at {DPS} digits (K = 2..7, {n} draws, eps = 1e-6, 1e-9) against "
               f"{c} u^T F u eps^2: |ratio - 1| / eps <= {mpmath.nstr(worst, 3)} (bounded: "
               f"the error is O(eps^3))", worst < 100, Method.HIGH_PRECISION)
    ev.note("'to first order' in the paper means the leading term, which is second order in delta (the "
            "first-order term vanishes)")
    return ev


def _problems(cfg: AuditConfig):
    rng = rng_for(cfg.seed, "sec-4.4")
    for i in range(max(4, cfg.samples // 3)):
        d = int(rng.choice([2, 3, 5]))
        A = rng.standard_normal((d, d))
        F = A @ A.T + rng.uniform(0.05, 1) * np.eye(d)
        if i % 4 == 0:
            F = np.diag(rng.uniform(0.01, 100, d))                      # strongly anisotropic
        v, c = rng.standard_normal(d), rng.standard_normal(d)
        v, c = v / np.linalg.norm(v), c / np.linalg.norm(c)
        B = float(rng.uniform(0.5, 3))
        reach = B * np.sqrt(c @ np.linalg.solve(F, c))
        yield v, c, F, float(rng.uniform(-0.95, 0.95) * reach), B


def check_sec_4_4(cfg: AuditConfig) -> Evidence:
    """MaxSafetyGainEllipsoid's closed form (in g_vv, g_vc, g_cc) against the SOCP posed on F^(1/2) delta."""
    ev = Evidence()
    value = closed_form("MaxSafetyGainEllipsoid", 5)
    inside = total = 0
    for v, c, F, dc, B in _problems(cfg):
        enc = VW.max_safety_ellipsoid(v, c, F, dc, B)
        Fi = np.linalg.inv(F)
        with mpmath.workdps(DPS):
            derived = value(mpmath.mpf(v @ Fi @ v), mpmath.mpf(v @ Fi @ c), mpmath.mpf(c @ Fi @ c), mpmath.mpf(B),
                            mpmath.mpf(dc))
        inside += enc.contains(derived, SLACK * B * max(1.0, float(np.linalg.cond(F))))
        total += 1
    ev.confirm(f"SOCP with the cone on F^(1/2) delta, on {total} problems (d = 2..5, F up to 1e4-anisotropic): the "
               f"closed form of MaxSafetyGainEllipsoid inside the certified enclosure {inside}/{total} (1e-12 B "
               f"cond(F) allowed for F^(-1) in doubles)", inside == total, Method.SOCP)
    ev.methods.add(Method.INTERVAL)
    ev.note(Text.of("the tax rate in whitened space, ", sp.cos(nt.alpha_w) ** 2, ", differs from ",
                    sp.Eq(nt.tau, sp.cos(nt.alpha) ** 2), " unless ", nt.F,
                    " is a multiple of the identity on the span of ", nt.v, " and ", nt.c,
                    ": the tax rate itself is not invariant to the budget shape"))
    return ev
