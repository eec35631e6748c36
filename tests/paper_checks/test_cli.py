"""The command line: exit codes, messages, the JSON contract and determinism."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from paper_checks.cli import main

SCHEMA = json.loads((Path(__file__).parents[2] / "paper_checks" / "schema.json").read_text())


def test_unknown_id_exits_2_with_message(capsys) -> None:
    assert main(["audit", "--only", "thm-9.9", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "alignment-tax: error: claim id 'thm-9.9' is not in the registry; known ids: def-3.3, def-3.4," in err


def test_unwritable_json_path_exits_2(capsys, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "r.json"
    assert main(["audit", "--only", "rem-6.2", "--quiet", "--json", str(target)]) == 2
    assert f"--json {str(target)!r}: the directory {str(target.parent)!r} does not exist." in capsys.readouterr().err


def test_negative_seed_exits_2(capsys) -> None:
    assert main(["audit", "--seed", "-1", "--quiet"]) == 2
    assert "--seed -1 must be a nonnegative integer." in capsys.readouterr().err


def _report(tmp_path: Path, name: str, seed: int) -> dict:
    path = tmp_path / name
    assert main(["audit", "--only", "rem-6.2", "cor-6.3", "--quiet", "--seed", str(seed), "--json", str(path)]) == 0
    return json.loads(path.read_text())


def test_json_report_validates_and_is_deterministic(tmp_path: Path) -> None:
    first, second = _report(tmp_path, "a.json", 3), _report(tmp_path, "b.json", 3)
    jsonschema.validate(first, SCHEMA)
    for claims in (first["claims"], second["claims"]):
        for c in claims:
            c.pop("seconds")
    assert first == second
    assert [c["id"] for c in first["claims"]] == ["rem-6.2", "cor-6.3"]


def test_derive_prints_every_step(capsys) -> None:
    assert main(["derive", "cor-6.3"]) == 0
    out = capsys.readouterr().out
    assert "root-minus-spurious" in out and "eq-14" in out
