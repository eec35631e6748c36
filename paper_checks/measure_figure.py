"""The figures of ``alignment-tax measure``: one PNG per layer of Thm 4.1's frontier at the measured angles.

At budget B = 1 the frontier against a direction at angle alpha to v* is
``Delta_S = Delta_C cos(alpha) + sin(alpha) sqrt(1 - Delta_C^2)``, Pareto-efficient for ``Delta_C >= cos(alpha)``;
against one capability cos(alpha) = <v*, c_i>, against the whole capability subspace cos(alpha) = sqrt(tau).
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from paper_checks.measure_output import number

__all__ = ["write_figures"]

_COLOURS = ("tab:red", "tab:orange", "tab:olive")      # the costliest capabilities, drawn one by one


def _band(ax: Any, x: np.ndarray, lo: float | None, hi: float | None, color: str) -> None:
    """The frontiers of every cos(alpha) in the interval [lo, hi]: their envelope, shaded."""
    if lo is None or hi is None:
        return
    cs = np.linspace(max(lo, -1.0), min(hi, 1.0), 25)[:, None]
    ys = x * cs + np.sqrt(np.clip(1 - cs * cs, 0, None)) * np.sqrt(1 - x * x)
    ax.fill_between(x, ys.min(axis=0), ys.max(axis=0), color=color, alpha=0.15, lw=0)


def _curve(ax: Any, x: np.ndarray, cos_a: float | None, **kw: Any) -> None:
    """The frontier at cos(alpha) = ``cos_a``: dashed, its Pareto-efficient arc solid; nothing when undefined."""
    if cos_a is None:
        return
    sin_a = np.sqrt(max(0.0, 1 - cos_a * cos_a))
    y = x * cos_a + sin_a * np.sqrt(1 - x * x)                     # Thm 4.1 at B = 1
    eff = x >= cos_a
    ax.plot(x, y, ls=(0, (3, 2)), lw=kw.get("lw", 1), color=kw["color"], alpha=kw.get("alpha", 1))
    ax.plot(x[eff], y[eff], lw=kw.get("lw", 1) + 1, color=kw["color"], alpha=kw.get("alpha", 1),
            label=kw.get("label"))


def _other_capabilities(ax: Any, x: np.ndarray, rest: np.ndarray) -> None:
    """The frontiers of the capabilities at cosines ``rest``, grey, as two collections (one artist each, fast to
    draw): the whole curves dashed, their efficient arcs solid."""
    from matplotlib.collections import LineCollection

    ys = rest[:, None] * x + np.sqrt(np.clip(1 - rest**2, 0, None))[:, None] * np.sqrt(1 - x * x)
    segs = [np.column_stack([x, y]) for y in ys]
    effs = [s_[x >= c] for s_, c in zip(segs, rest, strict=False)]
    ax.add_collection(LineCollection(segs, colors="0.75", linewidths=0.6, linestyles=(0, (3, 2))))
    ax.add_collection(LineCollection(effs, colors="0.7", linewidths=1.2, label=f"{rest.size} other capabilities"))


def _capabilities(ax: Any, x: np.ndarray, row: Mapping[str, Any], top: int) -> None:
    """A layer's capability frontiers: the ``top`` costliest in colour with their interval bands, the rest grey."""
    ranked = row["ranked_by_predicted_cost"]
    caps = {c["name"]: c for c in row["capabilities"]}
    rest = np.array([caps[name]["cos"]["value"] for name in ranked[top:]
                     if caps[name]["cos"]["value"] is not None], dtype=float)
    if rest.size:
        _other_capabilities(ax, x, rest)
    for name, colour in zip(ranked[:top], _COLOURS, strict=False):
        c = caps[name]
        if c["cos"]["ci"] is not None:
            _band(ax, x, *c["cos"]["ci"], colour)
        _curve(ax, x, c["cos"]["value"], color=colour,
               label=f"{name}: <v*,c> = {number(c['cos']['value'], '+.3f')}, "
                     f"tau = {number(c['tau']['value'], '.3f')}")


def _subspace(ax: Any, x: np.ndarray, row: Mapping[str, Any]) -> None:
    """The frontier against the whole capability subspace (cos(alpha) = sqrt(tau)) with its band, and the
    tax-free safety sqrt(1 - tau) marked at Delta_C = 0."""
    tau = row["tau"]["value"]
    if row["tau"]["ci"] is not None and None not in row["tau"]["ci"]:
        _band(ax, x, *np.sqrt(row["tau"]["ci"]), "tab:blue")
    _curve(ax, x, None if tau is None else np.sqrt(tau), color="tab:blue", lw=2,
           label=f"all capabilities: angle {number(row['principal_angle_deg']['value'], '.1f')} deg, "
                 f"tau = {number(tau, '.3f')}")
    free = row["tax_free_safety_per_B"]["value"]
    if free is None:
        free = float("nan")
    ax.plot([0], [free], "o", color="tab:blue", ms=6)
    ax.annotate(f"tax-free safety\nB sqrt(1 - tau) = {free:.3f} B", (0, free), textcoords="offset points",
                xytext=(-8, 8), ha="right", fontsize=8, color="tab:blue",
                bbox={"fc": "white", "ec": "none", "alpha": 0.85})


def _frame(ax: Any, row: Mapping[str, Any]) -> None:
    """Axes, labels, the title naming the layer and the token, and the legend."""
    ax.axhline(0, color="0.85", lw=0.8)
    ax.axvline(0, color="0.85", lw=0.8)
    ax.set_xlim(-1.02, 1.02)
    ax.set_ylim(-1.02, 1.08)
    ax.set_xlabel("capability change Delta_C / B (along c_i; for all: along P_C v*)")
    ax.set_ylabel("maximum safety gain Delta_S / B")
    where = row["layer_name"] or f"layer {row['layer']}"
    tok = "" if row["token_position"] is None else f", token {row['token_position']}"
    bands = "; shaded: over the interval" if row["tau"]["ci"] is not None else ""
    ax.set_title(f"Frontier (Thm 4.1) at {where}{tok}\nsolid: Pareto-efficient arc; dashed: rest of the curve"
                 f"{bands}",
                 fontsize=10)
    ax.legend(fontsize=7, loc="lower left")


def write_figures(report: Mapping[str, Any], directory: Path, top: int = 3) -> list[Path]:
    """One PNG per layer: Thm 4.1's frontier against the whole capability subspace (alpha = the principal angle)
    and against each capability (the ``top`` costliest labelled), efficient arcs solid."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    x = np.linspace(-1.0, 1.0, 401)
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for row in report["layers"]:
        ax.clear()
        _capabilities(ax, x, row, top)
        _subspace(ax, x, row)
        _frame(ax, row)
        path = directory / f"frontier_layer_{row['layer']:02d}.png"
        fig.savefig(path, dpi=100, metadata={"Software": None})
        written.append(path)
    plt.close(fig)
    return written
