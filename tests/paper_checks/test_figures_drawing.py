"""Drawing the figures: ``drawn_while`` (two processes sharing the figures once the work is done) draws what
``write_figures`` draws, in the formats asked for, and a figure that fails is an error, not a gap."""
from __future__ import annotations

from pathlib import Path

import pytest

import paper_checks.figures as figures

IDS = ["rem-4.2.quarter", "ellipse.sphere"]   # the two cheapest figures, one task each


def test_shared_drawing_gives_what_write_figures_gives(tmp_path: Path) -> None:
    alone = figures.write_figures(tmp_path / "alone", IDS)
    result, shared = figures.drawn_while(tmp_path / "shared", IDS, lambda: "audited", formats=("pdf",))
    assert result == "audited" and shared == alone and sorted(shared) == sorted(IDS)
    files = sorted(p.name for p in (tmp_path / "shared").iterdir())
    assert files == sorted([f"{f.name}.pdf" for fs in shared.values() for f in fs] + ["VERSION"])
    both = sorted(p.suffix for p in (tmp_path / "alone").iterdir() if p.name != "VERSION")
    assert both == sorted([".png", ".pdf"] * len(IDS))


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="figure formats"):
        figures.write_figures(tmp_path, IDS[:1], formats=("svg",))


def test_a_failing_figure_is_an_error(tmp_path: Path, monkeypatch) -> None:
    def broken(directory: Path):
        raise ValueError("boom")

    monkeypatch.setitem(figures.FIGURES, IDS[-1], (broken,))
    with pytest.raises((RuntimeError, ValueError), match="boom"):
        figures.drawn_while(tmp_path, IDS, lambda: None, formats=("pdf",))
