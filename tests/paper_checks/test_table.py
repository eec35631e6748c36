"""The terminal table: what is wrong in one line, ids never cut, counts by kind and verdict, a legend."""
from __future__ import annotations

import io

from rich.console import Console

from paper_checks.finding import Certified, Counterexample, Failure, Finding, Kind, Method, Scope, Verdict
from paper_checks.report.table import LEGEND, print_table, terminal_text, what_is_wrong


def _finding(id: str, verdict: Verdict, kind: Kind = Kind.THEOREM, **kw) -> Finding:
    fields = dict(id=id, location="Theorem 9.9, eq. (99) and a long location that has to wrap", kind=kind,
                  printed="$x$", statement=None, verdict=verdict, scope=None, failure=None,
                  methods=(Method.SYMBOLIC,), evidence="a derivation: 3 steps.", conditions=None,
                  counterexample=None, correction=None, seconds=0.5)
    fields.update(kw)
    return Finding(**fields)


FINDINGS = [
    _finding("sec-7.1.equivalence", Verdict.REFUTED, Kind.GLOSS, failure=Failure.OPEN_SET,
             correction="In the model, a perturbation confined to C^perp changes every capability by exactly 0, "
                        "whatever tau; tau << 1 is what makes its safety gain close to the full budget."),
    _finding("thm-4.1", Verdict.CONDITIONAL, failure=Failure.MEASURE_ZERO,
             conditions="d >= 2 (so that some direction can take up the budget); in d = 1 the tightness fails",
             counterexample=Counterexample({"d": "1"}, "a maximiser of norm B", "only 0", Certified.EXACT)),
    _finding("def-3.4", Verdict.VERIFIED, Kind.DEFINITION, scope=Scope.ALL_PARAMETERS),
    _finding("pred-1", Verdict.NOT_CHECKABLE, Kind.PREDICTION, methods=()),
]


def _render(width: int) -> str:
    console = Console(file=io.StringIO(), width=width, force_terminal=False)
    print_table(FINDINGS, console)
    return console.file.getvalue()


def test_what_is_wrong_is_the_condition_or_the_correction() -> None:
    refuted, conditional, verified, not_checkable = map(what_is_wrong, FINDINGS)
    assert refuted == ("correction: In the model, a perturbation confined to C^perp changes every capability by "
                       "exactly 0, whatever tau")
    assert conditional == "needs: d >= 2"
    assert verified == "" and not_checkable == ""


def test_what_is_wrong_falls_back_to_the_counterexample_and_is_one_short_line() -> None:
    f = _finding("x", Verdict.REFUTED, counterexample=Counterexample({}, "y " * 80, "z", Certified.EXACT))
    text = what_is_wrong(f)
    assert text.startswith("fails: claimed y y") and text.endswith("\u2026") and len(text) < 130
    assert "\n" not in text


def test_a_final_aside_goes_but_a_formula_stays() -> None:
    wrong = lambda text: what_is_wrong(_finding("x", Verdict.CONDITIONAL, conditions=text))   # noqa: E731
    assert wrong("0 < alpha < pi (at alpha = 0 or pi the ellipse degenerates)") == "needs: 0 < alpha < pi"
    assert wrong("tau < sqrt(1 - a (b))") == "needs: tau < sqrt(1 - a (b))"
    assert wrong("x = y (1 - z) (when z != 1)") == "needs: x = y (1 - z)"
    assert wrong("the map delta -> (a, b)") == "needs: the map delta -> (a, b)"


def test_a_correction_keeps_what_follows_its_colon() -> None:
    f = _finding("x", Verdict.REFUTED, correction="Under delta^T F delta <= B^2: Delta_S = n_v sqrt(1 - tau)")
    assert what_is_wrong(f) == "correction: Under delta^T F delta <= B^2: Delta_S = n_v sqrt(1 - tau)"
    g = _finding("x", Verdict.CONDITIONAL, conditions="Delta_C in [B cos(alpha), B]: the rest is dominated")
    assert what_is_wrong(g) == "needs: Delta_C in [B cos(alpha), B]"


def test_ids_are_never_cut_and_lines_fit() -> None:
    for width in (40, 60, 80, 120, 200):
        out = _render(width)
        assert max(map(len, out.splitlines())) <= width, width
        for f in FINDINGS:
            assert f"{f.id} " in out, (width, f.id)


def test_narrow_tables_drop_location_wide_ones_show_it() -> None:
    assert "where in the paper" not in _render(80)
    assert "where in the paper" in _render(120) and "methods" not in _render(120)
    assert "methods" in _render(160)


def test_counts_by_kind_and_verdict() -> None:
    out = _render(120)
    assert "4 claims by kind and verdict" in out
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()
            if line.split() and line.split()[0] in ("theorem", "gloss", "definition", "prediction", "all")}
    # columns: verified, conditional, refuted, not-checkable, total
    assert rows["theorem"] == [".", "1", ".", ".", "1"]
    assert rows["gloss"] == [".", ".", "1", ".", "1"]
    assert rows["all"] == ["1", "1", "1", "1", "4"]


def test_verified_claims_are_counted_by_scope() -> None:
    out = " ".join(_render(200).split())
    assert "verified: 1 proved for every parameter (all-parameters), 0 checked on sampled points (sampled)" in out
    FINDINGS.append(_finding("cor-4.5", Verdict.VERIFIED, Kind.COROLLARY, scope=Scope.SAMPLED))
    try:
        out = " ".join(_render(200).split())
    finally:
        FINDINGS.pop()
    assert "verified: 1 proved for every parameter (all-parameters), 1 checked on sampled points (sampled)" in out


def test_legend_names_every_verdict() -> None:
    out = " ".join(_render(200).split())
    for verdict, meaning in LEGEND.items():
        assert f"{verdict.value} {meaning}" in out


def test_latex_is_made_readable_for_the_terminal() -> None:
    assert terminal_text(r"\tau = 1,\ \Delta_S > 0 \implies \Delta_C \ne 0") == "tau = 1, Delta_S > 0 => Delta_C != 0"
    assert (terminal_text(r"\Delta_{C_i} = -B\sqrt{\tau_i}\ \text{when}\ \langle v^*, c_i\rangle \le 0")
            == "Delta_C_i = -B sqrt(tau_i) when <v^*, c_i> <= 0")
    assert terminal_text(r"$\frac{\rho - ab}{\sqrt{1-a^{2}}}$") == "(rho - ab)/(sqrt(1-a^2))"
    assert terminal_text("x_{1} (plain, kept as it is)") == "x_{1} (plain, kept as it is)"


def test_a_sentence_ends_before_a_capital_not_at_an_abbreviation() -> None:
    f = _finding("x", Verdict.REFUTED, correction="the frontier is eq. (3) for x >= 0. Elsewhere it is dominated.")
    assert what_is_wrong(f) == "correction: the frontier is eq. (3) for x >= 0"
