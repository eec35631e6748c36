"""A statement search's outcome in words: a certified failure on an open set, one with no failing box found, none."""
from __future__ import annotations

from paper_checks.audit import _searched
from paper_checks.margin import Failure, SearchResult


def test_outcomes_are_told_apart() -> None:
    none = _searched("statement search", SearchResult(100, 0.5, None))
    boxed = _searched("statement search", SearchResult(100, -1.0, Failure({"a": "1/2"}, ("1", "2"), "-1", "1e-3")))
    bare = _searched("statement search", SearchResult(100, -1.0, Failure({"a": "0"}, ("1", "1"), "0", None)))
    assert (none.passed, none.result) == (True, "no failure certified")
    assert (boxed.passed, boxed.result) == (False, "failure certified on an open set")
    assert (bare.passed, bare.result) == (False, "failure certified, no failing box found (a measure-zero candidate)")
    assert str(boxed).endswith(": failure certified on an open set") and "a = 1/2" in str(boxed)
    assert "FAILED" not in str(boxed) + str(bare)
