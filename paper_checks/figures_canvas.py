"""The canvas of the figures of findings: the figure record, the formats written, and the drawing primitives
every figure shares (matplotlib on Agg, one legend below the axes, few ticks, named arrows, saving)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from paper_checks.figures_captions import CAPTIONS

__all__ = ["FORMATS", "Figure", "writing", "plt", "legend", "ticks", "plane", "arrows", "save"]

FORMATS = ("png", "pdf")
_formats: tuple[str, ...] = FORMATS   # what ``save`` writes: set around the drawing by ``writing``


@dataclass(frozen=True)
class Figure:
    """One drawn figure: its file stem in the figures directory, its caption, and its natural width (inches)."""

    name: str
    caption: str
    width: float

    @property
    def pdf(self) -> str:
        return f"figures/{self.name}.pdf"

    @property
    def png(self) -> str:
        return f"figures/{self.name}.png"


@contextlib.contextmanager
def writing(formats: Sequence[str]) -> Iterator[None]:
    """Draw in ``formats`` (a non-empty subset of ``FORMATS``) within the block; the formats before it after."""
    global _formats
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"figure formats {sorted(formats)}: choose from {', '.join(FORMATS)}")
    saved, _formats = _formats, tuple(formats)
    try:
        yield
    finally:
        _formats = saved


def plt():
    """matplotlib's pyplot on the Agg backend (no display), imported when a figure is first drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    return pyplot


def legend(ax, ncol: int = 1, fontsize: float = 7, handles: list | None = None) -> None:
    """One legend for the whole figure, outside and below the axes (constrained layout makes room for
    it): it never covers data or axis labels, whatever the data."""
    fig = ax.figure
    if handles is None:
        handles, seen = [], set()
        for a in fig.axes:
            for h, label in zip(*a.get_legend_handles_labels(), strict=False):
                if label not in seen:
                    seen.add(label)
                    handles.append(h)
    fig.set_layout_engine("constrained")
    fig.legend(handles=handles, fontsize=fontsize, loc="outside lower center", ncol=ncol, frameon=False)


def ticks(ax, n: int = 5) -> None:
    # Few ticks: equal-aspect panels are narrow, and dense tick labels run into each other (Sec 4.4).
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(n))
    ax.yaxis.set_major_locator(MaxNLocator(n))


def plane(ax) -> None:
    """The (Delta_C, Delta_S) plane of Thm 4.1's frontier: equal axes, few ticks, the two gains named."""
    ax.set_aspect("equal")
    ticks(ax)
    ax.set_xlabel(r"$\Delta_C$")
    ax.set_ylabel(r"$\Delta_S$")


def arrows(ax, vectors: dict[str, tuple[float, float]], colours: str = "krbgm") -> None:
    """Vectors from the origin, each named at its tip, on equal axes through 0."""
    for (name, vec), colour in zip(vectors.items(), colours, strict=False):
        ax.annotate("", xy=vec, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.5})
        ax.text(vec[0] * 1.08, vec[1] * 1.08 + 0.03, name, color=colour, fontsize=9)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", lw=0.8)
    ax.axvline(0, color="0.85", lw=0.8)
    ax.set_xlabel("first coordinate")
    ax.set_ylabel("second coordinate")
    ticks(ax)


def save(fig, directory: Path, name: str) -> list[Figure]:
    """Write ``fig`` as ``directory/name.FORMAT`` in the formats being written (PNG at 130 dpi), close it, and
    return it as a Figure with its caption."""
    directory.mkdir(parents=True, exist_ok=True)
    for fmt in _formats:
        fig.savefig(directory / f"{name}.{fmt}", bbox_inches="tight", **({"dpi": 130} if fmt == "png" else {}))
    width = float(fig.get_size_inches()[0])
    plt().close(fig)
    return [Figure(name, CAPTIONS[name], width)]
