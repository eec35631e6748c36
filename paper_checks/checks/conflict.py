"""Checks of the conflict theorem: Thm 6.4 (i)-(iii), and the reading of 'preserving ... improves' (Section 9.4,
Prediction 4)."""
from __future__ import annotations

from fractions import Fraction


from paper_checks.checks.common import dot, realisable_rho, rng_for
from paper_checks.finding import AuditConfig, Certified, Counterexample, Evidence, Method
from verify import safety_pair as VP
from verify import search as S


def _admissible(p, M) -> bool:
    rho, a, b = p
    det = 1 + 2 * rho * a * b - rho * rho - a * a - b * b
    return bool(abs(a) < 1) and bool(abs(b) < 1) and bool(abs(rho) <= 1) and bool(det > 0)


def _gain(p, M):
    """C(c) - rho, eq. (12) minus rho."""
    rho, a, b = p
    return (rho - a * b) / M.sqrt((1 - a * a) * (1 - b * b)) - rho


def _opposite(rng):
    a, b = rng.uniform(0, 0.999), -rng.uniform(0, 0.999)
    if rng.random() < 0.5:
        a, b = -a, -b
    return realisable_rho(a, b, rng.uniform(-1, 1))


def _opposite_space(nonneg_rho: bool = False) -> S.Space:
    def admissible(p, M):
        rho = p[0]
        return _admissible(p, M) and bool(p[1] * p[2] < 0) and (bool(rho >= 0) if nonneg_rho else True)
    return S.Space(("rho", "a", "b"), _opposite, admissible, _gain)


def _z3_opposite(nonneg_rho: bool):
    def build(z):
        rho, a, b, D = z.Reals("rho a b D")
        cond = [a * b < 0, a * a < 1, b * b < 1, 1 + 2 * rho * a * b - rho * rho - a * a - b * b > 0,
                D > 0, D * D == (1 - a * a) * (1 - b * b), rho - a * b <= rho * D]
        if nonneg_rho:
            cond.append(rho >= 0)
        return z.And(*cond)
    return build


def check_thm_6_4_i(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rng = rng_for(cfg.seed, "thm-6.4.i")
    rep = S.search(_opposite_space(), rng, samples=40 * cfg.samples, z3_negation=_z3_opposite(False))
    ev.note(f"search over opposite-sign geometries (every sign of a, b, rho): {rep.describe()}")
    if rep.found is not None:
        p = rep.found.parameters
        ev.counterexample = Counterexample(p, "sgn(a) != sgn(b) implies C(c) > rho",
                                           f"C(c) - rho <= {rep.found.margin_upper} (interval arithmetic)",
                                           Certified.INTERVAL)
        ev.conditions = ("rho >= 0; in general, for ab < 0, C(c) > rho iff rho (1 - sqrt((1-a^2)(1-b^2))) > ab. "
                         "The paper's proof divides rho - ab by a number < 1, which increases it only if "
                         "rho - ab > 0")
        ev.correction = ("If sgn(a) != sgn(b) (both nonzero) and rho >= 0, then C(c) > rho. For rho < 0 preserving "
                         "the capability can lower the effective correlation.")
    rep_ok = S.search(_opposite_space(True), rng, samples=20 * cfg.samples, z3_negation=_z3_opposite(True))
    ev.correction_verified = ev.confirm(f"the corrected statement (rho >= 0): {rep_ok.describe()}",
                                        rep_ok.found is None and rep_ok.z3 is not None and "unsat" in rep_ok.z3,
                                        Method.EXACT)
    # Edge: a = 0 has sgn(a) = 0 != sgn(b); with rho = 0 the inequality is not strict.
    edge = (Fraction(0), Fraction(0), Fraction(1, 2))
    ev.note(f"edge a = 0 (sgn 0 != sgn b): (rho, a, b) = (0, 0, 1/2) gives C(c) = rho exactly "
            f"({(edge[0] - edge[1] * edge[2])} = 0), so 'strictly' also needs a, b != 0")
    return ev


def check_thm_6_4_ii(cfg: AuditConfig) -> Evidence:
    ev = Evidence()

    def sample(rng):
        a = rng.uniform(-0.999, 0.999)
        return (rng.uniform(-1, 1), a)

    def adm(p, M):
        rho, a = p
        return _admissible((rho, a, a), M)

    space = S.Space(("rho", "a"), sample, adm, lambda p, M: p[0] - _gain((p[0], p[1], p[1]), M) - p[0],
                    strict=False)

    def z3_neg(z):
        rho, a = z.Reals("rho a")
        return z.And(a * a < 1, rho <= 1, rho >= -1, 1 + 2 * rho * a * a - rho * rho - 2 * a * a > 0,
                     (rho - a * a) > rho * (1 - a * a))
    rep = S.search(space, rng_for(cfg.seed, "thm-6.4.ii"), samples=40 * cfg.samples, z3_negation=z3_neg)
    ev.confirm(f"counterexample search for C(c) <= rho when a = b: {rep.describe()}",
               rep.found is None and rep.z3 is not None and "unsat" in rep.z3, Method.EXACT)
    return ev


def check_thm_6_4_iii(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    rho, a, b = 0.99, 0.1, 0.001
    v1, v2, c = VP.realise(rho, a, b, 4)
    C_num = VP.effective_cos(v1, v2, c[:, None])
    ev.confirm(f"numeric projections of realised vectors: C(c) = {C_num:.6f} > rho = 0.99 and within 0.0005 of 0.995",
               C_num > 0.99 and abs(C_num - 0.995) < 5e-4, Method.HIGH_PRECISION)
    return ev


def check_preservation_reading(cfg: AuditConfig) -> Evidence:
    """'preserving this capability strictly improves the safety tradeoff' (Thm 6.4 (i), Section 9.4, Pred. 4)
    read on the attainable safety gains themselves."""
    ev = Evidence()
    # v1 = e1, v2 = e2 (rho = 0), c = (3/5, -4/5, 0): a = 3/5, b = -4/5, C(c) = 1 > rho.
    v1, v2, c = (1, 0, 0), (0, 1, 0), (Fraction(3, 5), Fraction(-4, 5), 0)
    u = (Fraction(4, 5), Fraction(3, 5), 0)            # c^perp = span(u, e3); v1, v2 are orthogonal to e3
    g = (sum(x * y for x, y in zip(v1, u)), sum(x * y for x, y in zip(v2, u)))
    in_c_perp = dot(u, c) == 0 and dot(u, u) == 1                    # u spans c^perp with e3, and v1, v2 _|_ e3
    constrained = min(g)                               # delta = t u + s e3, |t| <= 1: min gain <= min(g) t
    unconstrained_sq = Fraction(1, 2)                  # delta = (e1 + e2)/sqrt 2: min gain 1/sqrt 2
    if in_c_perp and constrained**2 < unconstrained_sq:
        ev.counterexample = Counterexample(
            {"v1": ["1", "0", "0"], "v2": ["0", "1", "0"], "c": ["3/5", "-4/5", "0"], "B": "1"},
            "preserving c (opposite-sign projections a = 3/5, b = -4/5) improves the safety-safety tradeoff",
            f"C(c) = 1 > rho = 0, but the best equal safety gain falls from 1/sqrt(2) (unconstrained) to "
            f"{constrained} under <c, delta> = 0", Certified.EXACT)
        ev.correction = ("Preserving a capability never enlarges the set of attainable safety-gain pairs (it is a "
                         "subset of the unconstrained one). What rises when C(c) > rho is the correlation of the "
                         "projected objectives, i.e. the frontier in units of ||P_(c^perp) v_i*||; the absolute "
                         "frontier can only shrink.")
    rng = rng_for(cfg.seed, "thm-6.4.reading")
    ok = n = 0
    for _ in range(cfg.samples):
        rho_, a_, b_ = _opposite(rng)
        v1_, v2_, c_ = VP.realise(rho_, a_, b_, 4)
        con = VP.max_min_gain(v1_, v2_, c_[:, None], 1.0, normalised=False).enclosure
        unc = VP.max_min_gain(v1_, v2_, None, 1.0, normalised=False).enclosure
        ok += con.lower <= unc.upper
        n += 1
    ev.correction_verified = ev.confirm(
        f"SOCP on {n} opposite-sign geometries: the certified constrained max-min never exceeds the unconstrained "
        f"one ({ok}/{n})", ok == n, Method.SOCP)
    return ev


def check_pred_4(cfg: AuditConfig) -> Evidence:
    ev = Evidence()
    ev.not_checkable = ("Prediction 4 is an experiment on trained models; its mathematical part (preserving an "
                        "opposite-sign capability improves the joint safety frontier) is audited as thm-6.4.reading")
    return ev
