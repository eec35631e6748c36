"""Every rule of the closed vocabulary has exactly one checker."""
from __future__ import annotations

from derive.core import Rule
from derive.rules import CHECKERS


def test_every_rule_has_a_checker() -> None:
    assert set(CHECKERS) == set(Rule)
    assert len(set(CHECKERS.values())) == len(Rule)


def test_importing_the_data_model_loads_no_report_writer() -> None:
    import subprocess
    import sys
    code = "import sys, derive.core; print(sorted(m for m in sys.modules if m.startswith('paper_checks')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
