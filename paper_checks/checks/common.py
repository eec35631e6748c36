"""Helpers shared by the checks: seeded randomness, precision constants, evidence text."""
from __future__ import annotations

import zlib

import mpmath
import numpy as np

from derive.core import Status
from paper_checks.finding import Evidence, Item
from paper_checks.text import Text

__all__ = ["rng_for", "random_rotation", "DPS", "SLACK", "EXACT_SLACK", "summary", "realisable_rho", "wilson"]

DPS = 50
# The SOCP data are unit vectors rounded to doubles, so the exact optimum of the data differs from
# the closed form at the nominal angle by a few ulps times B; 1e-12 B covers that with room, and is
# still a hundred thousand times smaller than any discrepancy a wrong formula would show.
SLACK = 1e-12
# When the closed form is evaluated on the stored data themselves (verify.high_precision), only the
# 50-digit evaluation error remains.
EXACT_SLACK = mpmath.mpf(10) ** -40


def rng_for(seed: int, claim: str) -> np.random.Generator:
    """A generator fixed by the audit seed and the claim id, so claims draw independently."""
    return np.random.default_rng([seed, zlib.crc32(claim.encode())])


def wilson(hits: int, n: int, z: float) -> tuple[float, float]:
    """Wilson's score interval for a proportion (sound near 0 and 1, where the normal interval collapses)."""
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def random_rotation(d: int, rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.sign(np.diag(r))


def realisable_rho(a: float, b: float, t: float) -> tuple[float, float, float]:
    """(rho, a, b) with rho = ab + t sqrt((1-a^2)(1-b^2)): realisable for |t| <= 1, and t = cos(theta) of eq. (12)."""
    return a * b + t * np.sqrt((1 - a * a) * (1 - b * b)), a, b


def summary(ev: Evidence) -> tuple[Item, ...]:
    """The evidence as items: what each derivation proved, what each numeric route found, then the notes."""
    items: list[Item] = []
    for deriv, checks in ev.derivations:
        counts = {s: sum(c.status is s for c in checks) for s in Status}
        text = (f"{deriv.claim} derivation: {len(checks)} steps, {counts[Status.OK]} proved symbolically"
                " (SymPy, z3 and cvc5, or a checked rule)")
        if counts[Status.NUMERIC]:
            names = ", ".join(c.step.name for c in checks if c.status is Status.NUMERIC)
            text += f", {counts[Status.NUMERIC]} numeric-only at 50 digits ({names})"
        if counts[Status.FAILED]:
            names = ", ".join(c.step.name for c in checks if c.status is Status.FAILED)
            text += f", {counts[Status.FAILED]} FAILED ({names})"
        items.append(Item(Text.of(text), False if counts[Status.FAILED] else None))
    items += ev.numeric
    if ev.not_checkable:
        items.append(Item(Text.of(ev.not_checkable)))
    items += [Item(n) for n in ev.notes]
    return tuple(items)
