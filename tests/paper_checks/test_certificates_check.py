"""``alignment-tax certificates DIR --check``: every file re-checked from disk by z3 and cvc5 in processes of their
own, a vacuous certificate caught, a wrong answer or a broken cofactor file a disagreement (exit 1)."""
from __future__ import annotations

import json

import pytest

from paper_checks.certificates import check_directory, facts_only, solve, summary
from paper_checks.cli import main

_HEAD = "(set-logic QF_NRA)\n(declare-fun x () Real)\n"


def _write(directory, files: dict[str, tuple[str, str]]) -> None:
    """Certificate files ``name -> (text, expected)`` and their manifest."""
    manifest = []
    for name, (text, expected) in files.items():
        (directory / name).write_text(text)
        manifest.append({"claim": "c", "derivation": "d", "step": "s", "kind": "obligation", "file": name,
                         "expected": expected, "description": ""})
    (directory / "manifest.json").write_text(json.dumps(manifest))


def test_facts_only_drops_the_negated_goal() -> None:
    text = _HEAD + "(assert (> x 1))\n(assert (not (> x 0)))\n(check-sat)\n"
    assert facts_only(text) == _HEAD + "(assert (> x 1))\n(check-sat)\n"
    with pytest.raises(ValueError, match="text= holds no assertion"):
        facts_only(_HEAD + "(check-sat)\n")


@pytest.mark.parametrize("solver", ["z3", "cvc5"])
def test_each_solver_answers_in_its_own_process(solver: str) -> None:
    assert solve(solver, _HEAD + "(assert (> x 1))\n(assert (not (> x 0)))\n(check-sat)\n", 20) == "unsat"
    assert solve(solver, _HEAD + "(assert (> x 1))\n(check-sat)\n", 20) == "sat"
    assert solve(solver, "(check-sat", 20) == "unknown"          # a broken script is no answer


def test_a_true_a_vacuous_and_a_wrong_certificate(tmp_path) -> None:
    _write(tmp_path, {
        "true.smt2": (_HEAD + "(assert (> x 1))\n(assert (not (> x 0)))\n(check-sat)\n", "unsat"),
        # unsat, but only because its facts contradict each other: it proves nothing.
        "vacuous.smt2": (_HEAD + "(assert (> x 1))\n(assert (< x 0))\n(assert (not (> x 5)))\n(check-sat)\n", "unsat"),
        "wrong.smt2": (_HEAD + "(assert (> x 0))\n(assert (not (> x 1)))\n(check-sat)\n", "unsat"),
        "cofactors.json": (json.dumps({"target": "Integer(1)", "generators": ["Integer(1)"],
                                       "cofactors": ["Integer(2)"]}), "zero"),
    })
    checks = {c.file: c for c in check_directory(tmp_path, timeout=20, workers=1)}
    assert checks["true.smt2"].agrees
    assert not checks["vacuous.smt2"].agrees and dict(checks["vacuous.smt2"].answers)["z3"] == "unsat"
    assert dict(checks["vacuous.smt2"].facts) == {"z3": "unsat", "cvc5": "unsat"} and checks["vacuous.smt2"].vacuous
    assert dict(checks["true.smt2"].facts) == {"z3": "sat"}               # one model is enough
    assert not checks["wrong.smt2"].agrees and dict(checks["wrong.smt2"].answers)["cvc5"] == "sat"
    assert not checks["cofactors.json"].agrees
    line = summary(list(checks.values()))
    assert "3 disagree" in line and "vacuous.smt2" in line and "true.smt2" not in line.split("disagree")[1]


def test_the_command_checks_what_it_wrote(tmp_path, capsys) -> None:
    assert main(["certificates", str(tmp_path), "thm-6.4.ii", "--check", "--timeout", "30"]) == 0
    out, err = capsys.readouterr()
    assert "all agree" in out and "none" not in out.split("certificates checked")[0]
    files = json.loads((tmp_path / "manifest.json").read_text())
    assert err.count("\n") == len(files) and f"[{len(files)}/{len(files)}]" in err


def test_bad_options_exit_2(tmp_path, capsys) -> None:
    assert main(["certificates", str(tmp_path), "--check", "--timeout", "0"]) == 2
    assert "--timeout 0.0 must be a positive number" in capsys.readouterr().err
