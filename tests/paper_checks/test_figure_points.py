"""Every figure of a finding plots that finding's certified counterexample, computed from the finding."""
from __future__ import annotations

import pytest
import sympy as sp

from paper_checks import figures, figures_canvas
from paper_checks.registry import by_id
from proofs.findings import audited

# claim id -> (figure function, the parameters plotted as (x, y) of the marker, or None for a bar chart)
PLOTTED = {
    "thm-6.4.i": (figures.conflict_region, ("a", "rho")),
    "cor-6.6": (figures.cor_6_6_counterexample, None),
    "thm-4.1.pareto": (figures.pareto_counterexample, None),
    "thm-5.4": (figures.thm_5_4_counterexample, None),
}


@pytest.fixture
def drawn(monkeypatch):
    """The matplotlib figures the drawing functions save, kept open for inspection."""
    kept = []

    def save(fig, directory, name):
        kept.append(fig)
        return [figures.Figure(name, figures.CAPTIONS[name], 4.0)]
    monkeypatch.setattr(figures_canvas, "save", save)
    return kept


def _markers(fig) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for ax in fig.axes for line in ax.get_lines() if line.get_marker() not in ("None", "")
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=False)]


@pytest.mark.parametrize("claim_id", sorted(PLOTTED))
def test_the_figure_plots_the_findings_counterexample(claim_id: str, drawn, tmp_path) -> None:
    f = audited(claim_id)
    point = {k: float(sp.sympify(v)) for k, v in f.counterexample.parameters.items()}
    assert figures.certified_point(claim_id) == point
    draw, axes = PLOTTED[claim_id]
    draw(tmp_path)
    (fig,) = drawn
    marks = _markers(fig)
    if claim_id == "thm-6.4.i":
        assert (point["a"], point["rho"]) in marks
    elif claim_id == "thm-4.1.pareto":
        xs = {round(x, 12) for x, _ in marks}
        assert {round(point["Delta_C"], 12), round(point["Delta_C'"], 12)} <= xs
    elif claim_id == "cor-6.6":
        # The max-min update attains the corrected value; the legend states it and the bound at the finding's point.
        labels = " ".join(str(line.get_label()) for ax in fig.axes for line in ax.get_lines())
        lhs, rhs = figures._values(by_id(claim_id).statement, point)
        assert f"min gain {lhs:.3f}" in labels and f"bound: {rhs:.3f}" in labels and lhs > rhs
    else:
        heights = [p.get_height() for p in fig.axes[0].patches]
        lhs, rhs = figures._values(by_id(claim_id).statement, point)
        assert heights[:2] == pytest.approx([lhs, rhs]) and lhs > rhs      # the failure, as certified
