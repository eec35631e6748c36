"""A defined quantity changed for one test (the closed-form proof tests)."""
from __future__ import annotations

import dataclasses

import pytest


def redefined(monkeypatch: pytest.MonkeyPatch, name: str, **changes) -> None:
    """The definition ``name`` with ``changes`` for this test, its proof to be judged again."""
    from paper_checks import closed_forms, definitions
    d = definitions.DEFINITIONS[name]
    monkeypatch.setitem(definitions.DEFINITIONS, name, dataclasses.replace(d, **changes))
    closed_forms.proof.cache_clear()
