"""`alignment-tax explain ID`: one finding in full, from an audit of that claim alone."""
from __future__ import annotations

from pathlib import Path


from paper_checks.cli import main
from paper_checks.printing import plain
from proofs.findings import audited


def _explain(capsys, monkeypatch, *argv: str) -> str:
    monkeypatch.setenv("COLUMNS", "200")   # one field per line, so that the assertions read whole sentences
    assert main(["explain", *argv]) == 0
    out = capsys.readouterr().out
    # Spacing is layout; the assertions read the words (one space between each).
    return "\n".join(" ".join(line.split()) for line in out.splitlines())


_finding = audited


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_refuted_claim_is_told_in_full(capsys, monkeypatch, judged) -> None:
    out = _explain(capsys, monkeypatch, "def-3.4.loss")
    assert judged == ["def-3.4.loss"]   # no other claim is audited
    f = _finding("def-3.4.loss")        # what explain must show, from the audit itself
    assert out.startswith("def-3.4.loss Definition 3.4 (gloss)")
    assert "as printed when \u03c4 = 1 ... any safety gain requires capability loss" in out   # LaTeX made readable
    assert "formalised for all " in out   # the formal statement in plain text
    assert "verdict refuted: a certified counterexample" in out
    assert "failure set open set: the claim fails on a box of positive volume" in out
    assert "severity a refuted gloss, failing on an open set" in out
    ce = f.counterexample
    assert f"Counterexample (certified: {ce.certified.value})" in out
    for name, value in ce.parameters.items():
        assert f"{name} = {value}" in out
    flat = _flat(out)
    assert f"claimed {plain(ce.claimed)}" in flat and f"actual {ce.actual}" in flat
    assert f"correction {f.correction[0].words} formally: for all " in flat
    assert "Evidence" in out and "\n- " in out
    assert "Derivation: " in out and "\n1. " in out and "[proved: " in out
    assert "--figures DIR` draws this claim's figures" in out


def test_conditional_claim_shows_its_conditions(capsys, monkeypatch) -> None:
    out = _explain(capsys, monkeypatch, "sec-7.3")   # the fastest conditional claim (about 2 s)
    f = _finding("sec-7.3")
    assert "verdict conditional: fails only on a measure-zero set" in out
    assert "failure set measure zero" in out and "severity a conditional gloss, failing on a set of measure zero" in out
    assert f"conditions {f.conditions_text}" in _flat(out)


def test_verified_claim_has_no_failure_set(capsys, monkeypatch) -> None:
    out = _explain(capsys, monkeypatch, "thm-6.4.iii")
    assert "verdict verified (" in out
    assert "failure set" not in out and "Counterexample" not in out and "What holds" not in out


def test_claim_without_derivation_says_so(capsys, monkeypatch) -> None:
    out = _explain(capsys, monkeypatch, "pred-1")
    assert "verdict not-checkable: no mathematical content" in out
    assert "none: this claim has no symbolic derivation (it is an experiment on trained models)." in out


def test_figures_option_draws_and_lists_the_files(capsys, monkeypatch, tmp_path: Path) -> None:
    """The real drawing, no stand-in: every path listed is a file the command drew into DIR."""
    out = _explain(capsys, monkeypatch, "cor-6.6", "--figures", str(tmp_path / "fig"))
    listed = [line.strip() for line in out.splitlines() if line.strip().startswith(str(tmp_path))]
    assert listed, out
    assert all(Path(p).is_file() and Path(p).parent == tmp_path / "fig" for p in listed)
    assert {Path(p).suffix for p in listed} == {".png", ".pdf"}


def test_unknown_id_is_refused_without_importing_the_audit(capsys, judged) -> None:
    assert main(["explain", "thm-4.9"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alignment-tax: error: ID 'thm-4.9' is not a claim id of the registry")
    assert judged == []


def test_evidence_is_one_line_per_item(capsys, monkeypatch) -> None:
    out = _explain(capsys, monkeypatch, "sec-7.3")
    f = _finding("sec-7.3")
    evidence = out.split("Evidence")[1].split("Derivation")[0]
    assert evidence.count("\n- ") == len(f.evidence)


def test_formal_statement_in_plain_text() -> None:
    import sympy as sp

    from paper_checks.explain import statement_text
    from paper_checks.statement import Statement, Variable
    a, n = sp.Symbol("a", real=True), sp.Symbol("n", integer=True)
    st = Statement((Variable(a, sp.Interval.Lopen(0, sp.pi)), Variable(n, sp.Interval(1, sp.oo), integer=True)),
                   (sp.Le(a, 1),), sp.Implies(sp.Gt(n, 1), sp.Eq(sp.sin(a) ** 2, 1 - sp.cos(a) ** 2)))
    assert statement_text(st) == ("for all a in (0, pi], n integer in [1, oo) with a <= 1:  "
                                  "n > 1 => sin(a)**2 = 1 - cos(a)**2")
