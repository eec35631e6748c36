"""The project speaks of itself: no comment, docstring, test name or document line about how the code was made
(tracker numbers, work periods, rounds of reading, revision hashes); that history lives in CHANGELOG.md and the
commit log.  The patterns are assembled from their words so that this file does not itself match them."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_TRACKER, _PERIOD, _READING, _REVISION = "iss" + "ue", "sess" + "ion", "rev" + "iew", "com" + "mit"
HISTORY = re.compile(
    rf"\b{_TRACKER}\s*#?\d+|\({_TRACKER}\b|\b{_PERIOD}\s*\d+|\b{_READING} rounds?\b|\badversarial {_READING}\b"
    rf"|\bappended for\b|\bfirst build\b|\(\s*[0-9a-f]{{7,40}}\s*\)|\b{_REVISION} [0-9a-f]{{7,40}}\b"
    rf"|\b(it|this) was built on\b",
    re.IGNORECASE)
HISTORY_NAMES = re.compile(r"review|session|_f\d+\.py$|_more\.py$")


def _tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    # CHANGELOG.md is where that history belongs; this file names the patterns it looks for.
    return [ROOT / f for f in out.split() if f not in ("CHANGELOG.md", "tests/test_project_speaks_of_itself.py")
            and (f.endswith((".py", ".md", ".toml", ".json", ".txt", ".cfg")) or f == ".ci/run")]


def test_no_line_tells_how_the_code_was_made() -> None:
    hits = [f"{p.relative_to(ROOT)}:{i}: {line.strip()[:100]}"
            for p in _tracked() if p.exists()
            for i, line in enumerate(p.read_text(errors="replace").splitlines(), 1) if HISTORY.search(line)]
    assert not hits, "\n".join(hits)


def test_test_files_are_named_for_their_subject() -> None:
    named = [str(p.relative_to(ROOT)) for p in _tracked()
             if p.name.startswith("test_") and HISTORY_NAMES.search(p.name)]
    assert not named, named


def test_the_pattern_catches_what_it_is_for() -> None:
    for line in (f"# Appended for {_TRACKER} 8", f"({_TRACKER} 11)", f"{_READING} of {_PERIOD} 15's lanes",
                 "see (2c13d64)", f"an adversarial {_READING}'s reproductions", "verdict by the first build's rule"):
        assert HISTORY.search(line), line
    for line in ("the reviewer's replace(claim, statement=S)", "checked once per session", "Issue a warning"):
        assert not HISTORY.search(line), line
