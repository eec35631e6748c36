"""The registry builds a claim's check and statement from its own family on first use: the same claims as
the merged tables give, every named check resolves, and asking for one claim builds one family."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from paper_checks import statements


def test_lazy_claims_equal_the_merged_tables() -> None:
    from paper_checks import registry
    from paper_checks.statements import CORRECTIONS, STATEMENTS
    assert [c.id for c in registry.CLAIMS] == list(registry.IDS)
    for c in registry.CLAIMS:
        assert c.statement is STATEMENTS.get(c.id), c.id
        assert c.corrections == CORRECTIONS.get(c.id, ()), c.id
        assert registry.by_id(c.id) is c
    assert set(STATEMENTS) <= set(registry.IDS)   # no statement without its claim


def test_every_claim_has_its_family_check_function() -> None:
    from paper_checks import registry
    for c in registry.CLAIMS:
        ref = registry._BARE[c.id].check
        assert isinstance(ref, registry.CheckRef) and c.check is ref.function, c.id
        assert c.check.__module__ == f"paper_checks.checks.{ref.family}" and c.check.__name__ == ref.name


def test_unknown_id_names_the_known_ones() -> None:
    from paper_checks import registry
    with pytest.raises(KeyError, match="'thm-9.9' is not in the registry; known ids: def-3.3, "):
        registry.by_id("thm-9.9")


@pytest.mark.skipif(os.name != "posix", reason="subprocess with a clean interpreter")
def test_one_claim_builds_one_family() -> None:
    code = ("import sys; from paper_checks import audit; audit.select(['thm-4.3']); "
            "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('paper_checks.statements.')), "
            "'CLAIMS' in vars(sys.modules['paper_checks.registry']))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["['capability_constraint']", "False"]


def test_families_that_import_each_other_share_a_lane() -> None:
    # conflict reads safety_pair's statements and checks; frontier's claims build whitening's closed forms.
    from paper_checks import registry
    assert registry.lane_of("thm-6.4.i") == registry.lane_of("thm-6.1")
    assert registry.lane_of("def-3.3") == registry.lane_of("thm-4.1")
    assert registry.lane_of("def-3.4") != registry.lane_of("thm-4.1")
    assert registry.lane_of("not-a-claim") == "not-a-claim"      # a test's claim is a lane of its own
    assert set(registry.LANES) == set(statements.FAMILIES)


_LOADED = """
import os, sys
import numpy, sympy, derive.core   # shared by every family: imported once, before the forks (no family loads cvxpy)
for family in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        __import__(f"paper_checks.checks.{family}"); __import__(f"paper_checks.statements.{family}")
        kinds = ("paper_checks.checks.", "paper_checks.statements.")
        loaded = sorted({m.split(".")[2] for m in sys.modules if m.startswith(kinds)} - {"common", "notation"})
        print(family, *loaded, flush=True)
        os._exit(0)
    os.waitpid(pid, 0)
"""


# About 6 s (every family built in a fresh process): CI runs it in its slow tier.
@pytest.mark.slow
def test_declared_lanes_hold_every_family_a_family_loads() -> None:
    """LANES is data; a family whose checks or statements load another lane's family would make a parallel audit
    build that family in two processes.  Each family is imported in a fresh process and what it loads is read off
    ``sys.modules``."""
    from paper_checks import registry
    out = subprocess.run([sys.executable, "-c", _LOADED, *statements.FAMILIES], capture_output=True, text=True,
                         check=True).stdout
    loaded = {line.split()[0]: line.split()[1:] for line in out.splitlines()}
    assert set(loaded) == set(statements.FAMILIES)
    for family, families in loaded.items():
        assert family in families
        assert {registry.LANES[f] for f in families} == {registry.LANES[family]}, (family, families)
    # The test sees a cross-lane import: frontier and whitening load each other's modules, so apart they would
    # be two lanes that share work.
    split = {**registry.LANES, "frontier": "frontier"}
    assert any({split[f] for f in fs} != {split[fam]} for fam, fs in loaded.items())
