"""The findings cache (paper_checks/cache.py) as the command line uses it: ``explain`` prints the same bytes
from the cache as from the audit, recomputes a stale or damaged entry, never fails because of the cache;
``audit`` stores what ``explain`` reads; ``derive --latex`` and ``report --html`` reuse what is stored.

tests/paper_checks/conftest.py gives every test an empty cache of its own.  Only fast claims are audited
(thm-6.4.iii verified, def-3.4.loss refuted with a counterexample, pred-1 not-checkable).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from paper_checks import audit, cache
from paper_checks.cli import main


def _explain(capsys, monkeypatch, claim_id: str) -> str:
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["explain", claim_id]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def _entry(claim_id: str) -> Path:
    return Path(os.environ[cache.ENV]) / "findings" / f"{claim_id}.seed0.json"


def _without_seconds(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith("seconds")]


def test_cache_hit_prints_the_same_bytes_without_the_audit(capsys, monkeypatch, judged) -> None:
    first = _explain(capsys, monkeypatch, "def-3.4.loss")
    assert judged == ["def-3.4.loss"] and _entry("def-3.4.loss").exists()
    second = _explain(capsys, monkeypatch, "def-3.4.loss")
    assert judged == ["def-3.4.loss"]      # not audited again
    assert second == first                  # byte for byte, the seconds included
    assert "Counterexample (certified: " in first and "Derivation: " in first


def test_cache_off_audits_every_time(capsys, monkeypatch, judged) -> None:
    monkeypatch.setenv(cache.ENV, cache.OFF)
    first = _explain(capsys, monkeypatch, "thm-6.4.iii")
    second = _explain(capsys, monkeypatch, "thm-6.4.iii")
    assert judged == ["thm-6.4.iii", "thm-6.4.iii"]
    assert _without_seconds(first) == _without_seconds(second)


def test_stale_key_recomputes_and_replaces_the_entry(capsys, monkeypatch, judged) -> None:
    first = _explain(capsys, monkeypatch, "thm-6.4.iii")
    old_key = json.loads(_entry("thm-6.4.iii").read_text())["key"]
    monkeypatch.setattr(cache, "source_key", lambda root=None: "0" * 64)   # as if a source file had changed
    second = _explain(capsys, monkeypatch, "thm-6.4.iii")
    assert judged == ["thm-6.4.iii", "thm-6.4.iii"]
    assert _without_seconds(second) == _without_seconds(first)
    assert json.loads(_entry("thm-6.4.iii").read_text())["key"] == "0" * 64 != old_key
    assert _explain(capsys, monkeypatch, "thm-6.4.iii") == second and len(judged) == 2


def test_seed_is_part_of_the_entry(capsys, monkeypatch, judged) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["explain", "thm-6.4.iii"]) == 0 and main(["explain", "thm-6.4.iii", "--seed", "3"]) == 0
    assert judged == ["thm-6.4.iii", "thm-6.4.iii"]
    assert main(["explain", "thm-6.4.iii", "--seed", "3"]) == 0 and len(judged) == 2


@pytest.mark.parametrize("damage", [
    b'{"format": "alignment-tax-cache/1", "key": ',                # cut short
    b"\xff\xfe not text",                                           # not UTF-8
    b"[1, 2, 3]",                                                   # JSON of another shape
])
def test_corrupt_entry_falls_back_to_the_audit(capsys, monkeypatch, judged, damage: bytes) -> None:
    first = _explain(capsys, monkeypatch, "thm-6.4.iii")
    _entry("thm-6.4.iii").write_bytes(damage)
    again = _explain(capsys, monkeypatch, "thm-6.4.iii")   # exit 0 and nothing on stderr (checked there)
    assert judged == ["thm-6.4.iii", "thm-6.4.iii"]
    assert _without_seconds(again) == _without_seconds(first)
    assert json.loads(_entry("thm-6.4.iii").read_text())["id"] == "thm-6.4.iii"   # rewritten whole


def test_entry_with_the_right_key_but_a_damaged_explanation_falls_back(capsys, monkeypatch, judged) -> None:
    _explain(capsys, monkeypatch, "thm-6.4.iii")
    entry = json.loads(_entry("thm-6.4.iii").read_text())
    del entry["explanation"]["evidence"]
    entry["explanation"]["seconds"] = "fast"
    _entry("thm-6.4.iii").write_text(json.dumps(entry))
    _explain(capsys, monkeypatch, "thm-6.4.iii")
    assert judged == ["thm-6.4.iii", "thm-6.4.iii"]


def test_unwritable_cache_never_breaks_explain(capsys, monkeypatch, judged, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))   # cannot be created
    first = _explain(capsys, monkeypatch, "thm-6.4.iii")
    second = _explain(capsys, monkeypatch, "thm-6.4.iii")
    assert judged == ["thm-6.4.iii", "thm-6.4.iii"] and _without_seconds(first) == _without_seconds(second)


def test_writes_are_atomic_and_leave_no_temporary_file(capsys, monkeypatch) -> None:
    _explain(capsys, monkeypatch, "def-3.4.loss")
    names = sorted(p.name for p in _entry("def-3.4.loss").parent.iterdir())
    assert names == ["def-3.4.loss.seed0.json", "def-3.4.loss.seed0.pickle"]


def test_failed_rename_keeps_the_old_entry_and_removes_the_temporary(monkeypatch, tmp_path: Path) -> None:
    target = tmp_path / "entry.json"
    target.write_text("old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert cache._write(target, b"new") is False
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["entry.json"]


@pytest.mark.parametrize("claim_id", ["thm-4.9", "../findings/thm-6.4.iii", "thm-6.4.iii.seed0"])
def test_unknown_id_exits_2_with_one_line(capsys, monkeypatch, judged, claim_id: str) -> None:
    _explain(capsys, monkeypatch, "thm-6.4.iii")   # a cache with an entry in it
    assert main(["explain", claim_id]) == 2
    out, err = capsys.readouterr()
    assert out == "" and judged == ["thm-6.4.iii"]
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"alignment-tax: error: ID {claim_id!r} is not a claim id of the registry")


def test_audit_stores_what_explain_prints(capsys, monkeypatch, judged) -> None:
    assert main(["audit", "--only", "thm-6.4.iii", "pred-1", "--quiet", "--workers", "1"]) == 0
    capsys.readouterr()
    assert judged == ["thm-6.4.iii", "pred-1"]
    out = _explain(capsys, monkeypatch, "pred-1")
    assert judged == ["thm-6.4.iii", "pred-1"]   # from the cache
    assert "verdict      not-checkable" in out and "none: this claim has no symbolic derivation" in out


def test_audit_with_other_sample_sizes_stores_nothing(capsys, judged) -> None:
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet", "--samples", "8"]) == 0
    assert judged == ["thm-6.4.iii"] and not _entry("thm-6.4.iii").exists()


def test_reports_reuse_the_stored_findings(monkeypatch, judged) -> None:
    from paper_checks.cli import _audited, _claims, _Progress
    from paper_checks.finding import AuditConfig
    monkeypatch.setattr(os, "cpu_count", lambda: 1)   # judged here, where the spy sees it
    claims, cfg = _claims(["def-3.4.loss", "pred-1"]), AuditConfig()
    first = _audited(_Progress(quiet=True), claims, cfg)
    assert judged == ["def-3.4.loss", "pred-1"]
    (_entry("pred-1").parent / "pred-1.seed0.pickle").write_bytes(b"damaged")
    second = _audited(_Progress(quiet=True), claims, cfg)
    assert judged == ["def-3.4.loss", "pred-1", "pred-1"]   # the damaged one only
    assert [f.as_json() for f in second] == [f.as_json() for f in first]
    assert [len(f.derivations) for f in second] == [len(f.derivations) for f in first] == [1, 0]


def test_explanation_survives_its_json() -> None:
    from paper_checks.explain import Explanation, explanation
    from paper_checks.finding import AuditConfig
    from paper_checks.registry import by_id
    claim = by_id("def-3.4.loss")
    e = explanation(audit.judge(claim, AuditConfig()), claim.statement)
    assert e.counterexample is not None and e.derivations and e.evidence
    assert Explanation.from_json(json.loads(json.dumps(e.as_json()))) == e
    broken = e.as_json() | {"pictured": "yes"}
    with pytest.raises(ValueError):
        Explanation.from_json(broken)


def test_source_key_follows_the_sources_only(tmp_path: Path) -> None:
    for name, text in {"paper_checks/a.py": "x = 1\n", "derive/b.py": "y = 2\n", "verify/c.json": "{}"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    key = cache.source_key(tmp_path)
    (tmp_path / "derive" / "__pycache__").mkdir()
    (tmp_path / "derive" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "verify" / "notes.txt").write_text("not a source")
    assert cache.source_key(tmp_path) == key
    (tmp_path / "verify" / "c.json").write_text("{ }")
    assert cache.source_key(tmp_path) != key


def test_cache_directory_follows_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(cache.ENV, "OFF")
    assert cache.directory() is None and cache.FindingsCache.open(0) is None
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.directory() == tmp_path / "alignment-tax"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")   # ignored, as the XDG specification says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() == tmp_path / "home" / ".cache" / "alignment-tax"


@pytest.mark.skipif(os.name != "posix", reason="subprocess with a clean interpreter")
def test_explain_from_the_cache_imports_neither_sympy_nor_the_registry(capsys, monkeypatch) -> None:
    expected = _explain(capsys, monkeypatch, "def-3.4.loss")   # fills this test's cache
    code = ("import sys; from paper_checks.cli import main; main(['explain', 'def-3.4.loss']); "
            "print('HEAVY', sorted(m for m in ('sympy', 'numpy', 'cvxpy', 'scipy', 'matplotlib', 'derive.core', "
            "'paper_checks.registry', 'paper_checks.finding', 'paper_checks.report') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=dict(os.environ, COLUMNS="100"))
    *shown, heavy = run.stdout.splitlines()
    assert heavy == "HEAVY []" and run.stderr == ""
    assert "\n".join(shown) + "\n" == expected
