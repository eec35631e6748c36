"""Claim ids on pytest items: every test of a claim carries the id (with dashes) as a keyword, so that
``python -m pytest -k cor-6.6`` replays all of that claim.

Where the id comes from, for each collected test:

* a ``@pytest.mark.claim("thm-4.1", ...)`` marker;
* the id itself in the test's name or parameter id (``test_claim_is_decided[cor-6.6]``,
  ``test_step_follows[thm-4.1.pareto]``);
* the id spelled with underscores in the function name (``test_cor_6_6_corrected`` is cor-6.6,
  ``test_thm_6_1_rem_6_2_cor_6_3`` is all three).

The longest id wins where ids nest: ``test_thm_4_1_pareto_corrected`` is thm-4.1.pareto, not thm-4.1.

``-k`` matches substrings, so plain pytest would let ``-k thm-6.4.i`` run thm-6.4.ii and thm-6.4.iii
too.  When the whole ``-k`` expression is one claim id (or ids joined by ``or``), the selection here is
exact instead: the tests of that claim and of its sub-claims (``<id>.<word>``: ``-k thm-4.1`` includes
thm-4.1.pareto, a reading of the theorem; ``-k "thm-4.1 and not pareto"`` leaves it out).  Any other ``-k``
expression is pytest's own.
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache

import pytest

from paper_checks.registry import IDS

__all__ = ["claims_in_name", "claims_of", "selects", "exact_ids", "pytest_configure", "pytest_collection_modifyitems",
           "pytest_runtest_makereport"]

# Where the claim tests live: each test here must name at least one claim (tests/paper_checks/test_claim_keywords.py).
CLAIM_TEST_PATHS = ("proofs/", "tests/test_claim_properties.py")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    out = []
    for claim_id in IDS:
        dashed = re.compile(r"(?<![\w.-])" + re.escape(claim_id) + r"(?![\w-])")
        underscored = re.compile(r"(?:(?<=_)|^)" + re.escape(re.sub(r"[-.]", "_", claim_id)) + r"(?=_|$)")
        out.append((claim_id, dashed, underscored))
    return tuple(out)


def claims_in_name(name: str) -> set[str]:
    """The claim ids a test's name or parameter id spells, longest match first where ids nest."""
    function, _, params = name.partition("[")
    spans: list[tuple[int, int, str]] = []
    for claim_id, dashed, underscored in _patterns():
        spans += [(m.start(), m.end(), claim_id) for m in dashed.finditer(name)]
        # Underscores only in the function name: a parameter id is data, "a_1" there is no claim.
        spans += [(m.start(), m.end(), claim_id) for m in underscored.finditer(function)]
    return {c for s, e, c in spans if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in spans)}


def claims_of(item: pytest.Item) -> set[str]:
    """The claims a collected test checks: its markers, then its name."""
    marked = {str(a) for m in item.iter_markers("claim") for a in m.args}
    return marked | claims_in_name(item.name)


def selects(claim_id: str, claims: set[str]) -> bool:
    """Whether ``-k claim_id`` selects a test of ``claims``: the claim itself or one of its sub-claims."""
    return any(c == claim_id or c.startswith(claim_id + ".") for c in claims)


def exact_ids(expression: str) -> list[str]:
    """The claim ids of a ``-k`` expression made only of ids joined by ``or``; [] for any other expression."""
    words = expression.split()
    ids = words[::2]
    known = set(IDS)
    if not words or any(w != "or" for w in words[1::2]) or len(words) % 2 == 0 or not set(ids) <= known:
        return []
    return ids


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "claim(*ids): the claim ids this test checks (for `pytest -k ID`)")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unnamed = [i.nodeid for i in items if i.nodeid.startswith(CLAIM_TEST_PATHS) and not claims_of(i)]
    if unnamed:
        # A warning, not an error: one forgotten marker should not stop the proof checker; the suite's
        # own test (tests/paper_checks/test_claim_keywords.py) fails on it.
        warnings.warn(pytest.PytestWarning(
            f"{len(unnamed)} claim test(s) check no claim id: {', '.join(unnamed)}; name the test after the claim "
            "(test_cor_6_6_...) or mark it @pytest.mark.claim('cor-6.6')"), stacklevel=1)
    for item in items:
        for claim_id in claims_of(item):
            item.extra_keyword_matches.add(claim_id)   # what `-k` reads (item.keywords is not matched)
            item.user_properties.append(("claim", claim_id))   # shown in JUnit XML
    wanted = exact_ids(config.getoption("keyword") or "")
    if wanted:
        keep = [i for i in items if any(selects(w, claims_of(i)) for w in wanted)]
        dropped = [i for i in items if not any(selects(w, claims_of(i)) for w in wanted)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = keep
        config.option.keyword = ""   # done: pytest's substring match would add thm-6.4.ii to thm-6.4.i


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failing test's report names the claims it checks, and how to replay each."""
    outcome = yield
    report = outcome.get_result()
    claims = sorted(claims_of(item))
    if report.failed and claims:
        report.sections.append(("claims", "\n".join(f"{c}: replay with `python -m pytest -k {c}`, "
                                                     f"explain with `alignment-tax explain {c}`" for c in claims)))
