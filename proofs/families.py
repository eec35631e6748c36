"""The claims an exhaustive proofs/ test replays in the default run: one per family, the rest marked ``slow``.

Each such test has a command that covers every claim (``alignment-tax audit --mutants``, ``alignment-tax
certificates DIR --check``) and CI runs the ``slow`` rest; the default run keeps one claim of every family so that
a change to any family's derivations or statements is still exercised there."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pytest

__all__ = ["one_per_family", "params"]


def one_per_family(claims: Iterable[Any]) -> set[str]:
    """Per family, the claim ``audit.cost`` expects cheapest (the first in the given order on a tie)."""
    from paper_checks.audit import cost
    from paper_checks.registry import family_of
    chosen: dict[str, str] = {}
    for c in claims:
        family = family_of(c.id)
        if family not in chosen or cost(c.id) < cost(chosen[family]):
            chosen[family] = c.id
    return set(chosen.values())


def params(rows: Sequence[tuple[Any, ...]], ids: Sequence[str], claims: Sequence[Any]) -> list[Any]:
    """``rows`` as pytest parameters named ``ids``; a row whose first item is a claim outside ``one_per_family`` of
    ``claims`` is marked ``slow``."""
    default = one_per_family(claims)
    return [pytest.param(*row, id=i, marks=() if row[0].id in default else pytest.mark.slow)
            for row, i in zip(rows, ids, strict=True)]
