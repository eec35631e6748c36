"""The README: its verdict table is the vocabulary the code defines."""
from __future__ import annotations

import re
from pathlib import Path

from paper_checks.conventions import VERDICTS
from paper_checks.finding import Verdict

README = Path(__file__).parents[2] / "README.md"


def _verdict_table(text: str) -> dict[str, str]:
    """The rows of the README's table headed "| verdict | when |"."""
    block = text.split("| verdict | when |", 1)[1].split("\n\n", 1)[0]
    return dict(re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", block, re.M))


def test_readme_verdict_table_is_the_defined_vocabulary() -> None:
    table = _verdict_table(README.read_text(encoding="utf-8"))
    assert list(table) == [v.value for v in Verdict if v.value in table]
    assert set(table) == {v.value for v in Verdict}
    for verdict, meaning in VERDICTS.items():
        assert table[verdict.value] == meaning.rule, verdict


def test_the_table_reader_sees_a_drifted_row() -> None:
    text = README.read_text(encoding="utf-8").replace("| `refuted` | a certified failure", "| `refuted` | a failure")
    assert _verdict_table(text)["refuted"] != VERDICTS[Verdict.REFUTED].rule
