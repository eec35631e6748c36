"""Figures (matplotlib, Agg; PNG and PDF): the frontier ellipse with certified optima, the two-safety
frontiers with and without capability preservation, and pictures of certified counterexamples.

``FIGURES`` is the table claim id -> the functions that draw its figures; ``CAPTIONS`` says what each
figure shows; ``write_figures`` draws them and ``drawn_while`` draws them in a second process while
the caller audits (and in both processes once the audit is done).  Both take the formats to write: the
LaTeX document needs only the PDFs, and a PNG costs as much to write as a PDF.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from paper_checks.report.json_report import VERSION

__all__ = ["FIGURES", "CAPTIONS", "PICTURED", "FORMATS", "Figure", "write_figures", "drawn_while", "certified_point"]

FORMATS = ("png", "pdf")
_formats: tuple[str, ...] = FORMATS   # what _save writes: set around the drawing by write_figures and drawn_while

T = TypeVar("T")


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


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _legend(ax, ncol: int = 1, fontsize: float = 7, handles: list | None = None) -> None:
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


def _ticks(ax, n: int = 5) -> None:
    # Few ticks: equal-aspect panels are narrow, and dense tick labels run into each other (Sec 4.4).
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(n))
    ax.yaxis.set_major_locator(MaxNLocator(n))


def _save(fig, directory: Path, name: str) -> list[Figure]:
    directory.mkdir(parents=True, exist_ok=True)
    for fmt in _formats:
        fig.savefig(directory / f"{name}.{fmt}", bbox_inches="tight", **({"dpi": 130} if fmt == "png" else {}))
    width = float(fig.get_size_inches()[0])
    _plt().close(fig)
    return [Figure(name, CAPTIONS[name], width)]


def frontier(directory: Path) -> list[Figure]:
    """For several alpha: the ellipse Q = 0, curve (3), its Pareto-efficient arc, and certified SOCP optima."""
    from verify import frontier as VF

    plt = _plt()
    fig, axes = plt.subplots(1, 4, figsize=(11, 3.9), sharey=True)
    B = 1.0
    for ax, alpha in zip(axes, (np.pi / 6, np.pi / 3, np.pi / 2, 2 * np.pi / 3), strict=False):
        dc = np.linspace(-B, B, 400)
        upper = dc * np.cos(alpha) + np.sin(alpha) * np.sqrt(B**2 - dc**2)
        lower = dc * np.cos(alpha) - np.sin(alpha) * np.sqrt(B**2 - dc**2)
        ax.plot(dc, lower, color="0.75", lw=1, label="rest of the ellipse $Q = 0$")
        ax.plot(dc, upper, color="tab:blue", lw=1.2, label="curve (3): max safety at fixed capability")
        eff = dc >= B * np.cos(alpha)
        ax.plot(dc[eff], upper[eff], color="tab:red", lw=3, label="Pareto-efficient arc")
        v, c = VF.plane_geometry(alpha, 3)
        pts = VF.max_safety_gains(v, c, list(np.linspace(-0.95, 0.95, 9)), B)
        ax.plot([p.Delta_C for p in pts], [float(p.enclosure.lower) for p in pts], "ko", ms=4,
                label="certified SOCP optima")
        ax.set_title(rf"$\alpha = {alpha / np.pi:.3g}\,\pi$", fontsize=10)
        ax.set_xlabel(r"capability change $\Delta_C$")
        ax.set_aspect("equal")
        _ticks(ax)
    axes[0].set_ylabel(r"safety gain $\Delta_S$")
    _legend(axes[0], ncol=4, fontsize=8)
    return _save(fig, directory, "frontier")


def safety_pair(directory: Path) -> list[Figure]:
    """Two-safety frontiers with and without preserving c, in normalised and in absolute gains."""
    from verify import safety_pair as VP

    plt = _plt()
    v1, v2, c = np.eye(3)[0], np.eye(3)[1], np.array([0.6, -0.8, 0.0])
    s2 = list(np.linspace(-0.98, 0.98, 25))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 4.8))
    for C, label, colour in ((None, "unconstrained", "tab:blue"), (c[:, None], "preserving $c$", "tab:red")):
        if C is None:
            Cm = np.zeros((3, 1))
            Cm[2, 0] = 1.0                                  # no-op constraint outside span(v1, v2)
        else:
            Cm = C
        pts = VP.pair_frontier(v1, v2, Cm, s2, 1.0)
        n1, n2 = pts[0].norms
        s1 = [float(p.enclosure.lower) / n1 for p in pts]
        ax1.plot(s2, s1, "o-", ms=3, color=colour, label=f"{label}")
        ax2.plot([s * n2 for s in s2], [x * n1 for x in s1], "o-", ms=3, color=colour, label=label)
        mm = VP.max_min_gain(v1, v2, Cm, 1.0, normalised=False)
        ax2.plot([v2 @ mm.delta], [v1 @ mm.delta], "*", ms=14, color=colour,
                 label=f"{label}: max-min point, min gain {float(mm.enclosure.lower):.3f}")
    ax1.set_xlabel("$s_2$")
    ax1.set_ylabel("$s_1$")
    ax1.set_title(r"normalised gains: $\cos\theta$ rises from 0 to 1", fontsize=10)
    ax2.set_xlabel(r"$\Delta_{S_2}$")
    ax2.set_ylabel(r"$\Delta_{S_1}$")
    ax2.set_title("absolute gains: the constrained frontier lies inside", fontsize=10)
    for ax in (ax1, ax2):
        ax.set_aspect("equal")
        _ticks(ax)
    _legend(ax1, ncol=2)
    return _save(fig, directory, "safety_pair")


def certified_point(claim_id: str, seed: int = 0) -> dict[str, float]:
    """The certified counterexample of ``claim_id``'s finding, in floats for plotting: the audit's own search of the
    claim's statement (same seed, same key, same sample size), so the point is the one in the finding's JSON."""
    import sympy as sp

    from paper_checks import definitions, margin, registry
    from paper_checks.finding import AuditConfig
    claim = registry.by_id(claim_id)
    found = margin.search(claim.statement, definitions.expand, seed, claim.id,
                          samples=AuditConfig(seed=seed).search_samples).failure
    if found is None:
        raise ValueError(f"claim_id={claim_id!r} has no certified counterexample to plot")
    return {k: float(sp.sympify(v)) for k, v in found.point.items()}


def _values(statement: Any, point: dict[str, float]) -> tuple[float, float]:
    """The two sides of ``statement``'s relation at ``point`` (its variables by name; a variable an equality
    hypothesis fixes is computed from it), from the defined quantities' closed forms."""
    import sympy as sp

    from paper_checks import definitions
    env = {v.symbol: sp.Float(point[v.symbol.name]) for v in statement.variables if v.symbol.name in point}
    for h in statement.hypotheses:
        if isinstance(h, sp.Eq) and isinstance(h.lhs, sp.Symbol):
            env[h.lhs] = definitions.expand(h.rhs).xreplace(env)
    rel = statement.conclusion.args[1] if isinstance(statement.conclusion, sp.Implies) else statement.conclusion
    lhs, rhs = (float(definitions.expand(side).xreplace(env)) for side in (rel.lhs, rel.rhs))
    return lhs, rhs


def pareto_counterexample(directory: Path) -> list[Figure]:
    """thm-4.1.pareto's certified counterexample: a point of (3) and a point with more capability and no less safety;
    the corrected statement's efficient arc, from ParetoLowerEnd, drawn bold."""
    plt = _plt()
    p = certified_point("thm-4.1.pareto")
    al, B, d1, d2 = p["alpha"], p["B"], p["Delta_C"], p["Delta_C'"]

    def curve(x: Any) -> Any:
        return x * np.cos(al) + np.sin(al) * np.sqrt(np.maximum(B**2 - x**2, 0))
    dc = np.linspace(-B, B, 400)
    fig, ax = plt.subplots(figsize=(4.6, 4.6))
    ax.plot(dc, curve(dc), color="tab:blue", label="curve (3)")
    arc = dc[dc >= B * np.cos(al)]
    ax.plot(arc, curve(arc), color="tab:red", lw=3.5, alpha=0.6, label=r"corrected: $\Delta_C \geq B\cos\alpha$")
    ax.plot([d1], [curve(d1)], "rs", label=rf"$\Delta_C = {d1:g}$: on (3), dominated")
    ax.plot([d2], [curve(d2)], "g^", ms=9, label=rf"$\Delta_C' = {d2:g}$: more of both")
    ax.annotate("", xy=(d2, curve(d2)), xytext=(d1, curve(d1)), arrowprops={"arrowstyle": "->", "color": "0.4"})
    ax.set_title(rf"$\alpha = {al:g}$, $B = {B:g}$", fontsize=10)
    ax.set_xlabel(r"capability change $\Delta_C$")
    ax.set_ylabel(r"safety gain $\Delta_S$")
    _legend(ax, fontsize=8)
    return _save(fig, directory, "counterexample_pareto")


def cor_6_6_counterexample(directory: Path) -> list[Figure]:
    """cor-6.6's certified counterexample in the plane c^perp: the projected directions, the budget B', the max-min
    update (towards the point of the segment nearest 0: the corrected value B' dist(0, [v~_1, v~_2])), the bound."""
    plt = _plt()
    p = certified_point("cor-6.6")
    rho, a, b, Bp = p["rho"], p["a"], p["b"], p["B'"]
    n1, n2 = np.sqrt(1 - a**2), np.sqrt(1 - b**2)
    theta = float(np.arccos(np.clip((rho - a * b) / (n1 * n2), -1, 1)))
    r1, r2 = n1 * np.array([1.0, 0.0]), n2 * np.array([np.cos(theta), np.sin(theta)])
    # The point of the segment [r1, r2] nearest 0; the max-min update is B' times its direction.
    t = float(np.clip(r1 @ (r1 - r2) / max((r1 - r2) @ (r1 - r2), 1e-300), 0, 1))
    near = r1 + t * (r2 - r1)
    delta = Bp * near / np.linalg.norm(near)
    attained, bound = Bp * np.linalg.norm(near), Bp * np.cos(theta / 2) * min(n1, n2)
    fig, ax = plt.subplots(figsize=(4.6, 5))
    ang = np.linspace(0, 2 * np.pi, 200)
    ax.plot(Bp * np.cos(ang), Bp * np.sin(ang), color="0.8", lw=1, label=rf"the budget $\|\delta\| = B' = {Bp:g}$")
    for r, name in ((r1, r"$B'\tilde v_1$"), (r2, r"$B'\tilde v_2$")):
        ax.annotate("", xy=Bp * r, xytext=(0, 0), arrowprops={"arrowstyle": "->"})
        ax.text(*(Bp * r * 1.05), name)
    ax.plot(*zip(Bp * r1, Bp * r2, strict=False), "k--", lw=1, label=r"segment $B'[\tilde v_1, \tilde v_2]$")
    ax.plot([delta[0]], [delta[1]], "g^", ms=9, label=rf"max-min $\delta$: min gain {attained:.3f} (corrected value)")
    ax.plot([], [], " ", label=f"eq. (17) bound: {bound:.3f}")
    ax.set_title(rf"$\rho = {rho:g}$, $a = {a:g}$, $b = {b:g}$", fontsize=10)
    ax.set_xlabel(r"first coordinate of $c^\perp$")
    ax.set_ylabel("second coordinate")
    ax.set_aspect("equal")
    _ticks(ax)
    _legend(ax, fontsize=8)
    return _save(fig, directory, "counterexample_cor_6_6")


def conflict_region(directory: Path) -> list[Figure]:
    """Where Thm 6.4 (i) fails: C(c) - rho over (a, rho) at the finding's b, with its certified counterexample and
    the corrected statement's region rho >= 0."""
    plt = _plt()
    p = certified_point("thm-6.4.i")
    b = p["b"]
    side = -np.sign(b) if b != 0 else 1.0          # opposite signs: a on the other side of 0 from b
    a = side * np.linspace(0.01, 0.99, 300)
    rho = np.linspace(-0.999, 0.999, 300)
    A, R = np.meshgrid(a, rho)
    det = 1 + 2 * R * A * b - R**2 - A**2 - b**2
    gap = (R - A * b) / np.sqrt((1 - A**2) * (1 - b**2)) - R
    gap[det <= 0] = np.nan
    fig, ax = plt.subplots(figsize=(4.8, 5))
    ax.contourf(A, R, np.sign(gap), levels=[-1.5, 0, 1.5], colors=["tab:red", "tab:green"], alpha=0.6)
    ax.contour(A, R, gap, levels=[0], colors="k", linewidths=1)
    ax.axhline(0, color="tab:blue", lw=1.5, ls="--", label=r"corrected: $\rho \geq 0$ above this line")
    ax.plot([p["a"]], [p["rho"]], "k*", ms=10,
            label=rf"$(a, \rho) = ({p['a']:g}, {p['rho']:g})$: $\mathcal{{C}}(c) < \rho$")
    from matplotlib.patches import Patch
    handles = [Patch(color="tab:green", alpha=0.6, label=r"$\mathcal{C}(c) > \rho$ (as claimed)"),
               Patch(color="tab:red", alpha=0.6, label=r"$\mathcal{C}(c) < \rho$ (claim fails)"),
               *ax.get_legend_handles_labels()[0]]
    ax.set_xlabel(rf"$a$ (with $b = {b:g}$)")
    ax.set_ylabel(r"$\rho$")
    _legend(ax, fontsize=8, handles=handles)
    return _save(fig, directory, "counterexample_thm_6_4_i")


def thm_5_4_counterexample(directory: Path) -> list[Figure]:
    """thm-5.4's certified counterexample: the residual |R| = |tau - tau_0| against eq. (9) with Def 5.3's mu, and
    against the corrected bound (mu over every pair's residual, intrinsic ones included)."""
    from paper_checks.registry import by_id
    plt = _plt()
    claim = by_id("thm-5.4")
    p = certified_point("thm-5.4")
    residual, bound = _values(claim.statement, p)
    names, heights = [r"$|R| = |\tau - \tau_0|$", r"eq. (9), $\mu$ of Def 5.3"], [residual, bound]
    try:
        _, corrected = _values(claim.corrections[0], p)
        names.append("corrected bound")
        heights.append(corrected)
    except (TypeError, ValueError, ZeroDivisionError):
        # The corrected mu (every residual) makes m mu >= 1 here: outside the corrected statement's domain.
        names.append("corrected bound:\n$m\\mu \\geq 1$, n/a")
        heights.append(0.0)
    fig, ax = plt.subplots(figsize=(4.6, 3.4))
    ax.bar(names, heights, color=["tab:red", "tab:blue", "tab:green"])
    ax.set_title(rf"$\langle v^*, c_1\rangle = {p['x']:g}$, $\gamma_1 = {p['gamma_1']:g}$, "
                 rf"$\langle v^*, c_2\rangle = {p['y']:g}$, $\langle c_1, c_2\rangle = {p['z']:g}$", fontsize=9)
    ax.set_ylabel("value")
    return _save(fig, directory, "counterexample_thm_5_4")


def sphere_section_counterexample(directory: Path) -> list[Figure]:
    plt = _plt()
    alpha, t = np.pi / 3, np.linspace(0, 2 * np.pi, 400)
    fig, ax = plt.subplots(figsize=(4.6, 5.2))
    # boundary of {(<c,delta>, <v*,delta>) : |delta| <= 1}: delta = (cos t, sin t)
    ax.plot(np.cos(alpha) * np.cos(t) + np.sin(alpha) * np.sin(t), np.cos(t),
            label=r"boundary of the attainable set, $\alpha = \pi/3$")
    ax.plot(np.cos(t), np.sin(t), ":", color="0.5", label="a circle (any plane section of a sphere)")
    ax.plot([-1, 1], [-1, 1], "k--", lw=0.8, label="major axis")
    ax.set_aspect("equal")
    _ticks(ax)
    ax.set_xlabel(r"$\Delta_C$")
    ax.set_ylabel(r"$\Delta_S$")
    _legend(ax)
    return _save(fig, directory, "counterexample_ellipse_sphere")


def half_circle_counterexample(directory: Path) -> list[Figure]:
    plt = _plt()
    dc = np.linspace(-1, 1, 400)
    fig, ax = plt.subplots(figsize=(4.6, 3.6))
    ax.plot(dc, np.sqrt(1 - dc**2), label=r"$\alpha = \pi/2$: $\Delta_S = \sqrt{1 - \Delta_C^2}$ on $[-1, 1]$")
    ax.plot(dc[dc >= 0], np.sqrt(1 - dc[dc >= 0] ** 2), lw=4, color="tab:red", label="Pareto-efficient quarter")
    ax.plot([-0.6], [0.8], "ks", label=r"$(-3/5, 4/5)$: on the curve, $\Delta_C < 0$")
    ax.set_aspect("equal")
    _ticks(ax)
    ax.set_xlabel(r"$\Delta_C$")
    ax.set_ylabel(r"$\Delta_S$")
    _legend(ax)
    return _save(fig, directory, "counterexample_rem_4_2")


def anisotropic_counterexample(directory: Path) -> list[Figure]:
    plt = _plt()
    dc = np.linspace(-1, 1, 400)
    fig, ax = plt.subplots(figsize=(4.6, 3.8))
    ax.plot(dc, np.sqrt(1 - dc**2), "--", label=r"eq. (3) with $\tilde\alpha = \pi/2$, $B = 1$ (as printed)")
    dd = dc[np.abs(dc) <= 0.5]
    ax.plot(dd, 0.5 * np.sqrt(1 - 4 * dd**2), lw=2, label=r"true frontier for $F = 4I$ (rescaled by 1/2)")
    ax.plot([0], [0.5], "ks", label=r"$\Delta_C = 0$: maximum 1/2, not 1")
    ax.set_aspect("equal")
    _ticks(ax)
    ax.set_xlabel(r"$\Delta_C$")
    ax.set_ylabel(r"$\Delta_S$")
    _legend(ax)
    return _save(fig, directory, "counterexample_sec_4_4")


def expectation_counterexample(directory: Path) -> list[Figure]:
    from verify import random_subspace as VR

    plt = _plt()
    rng = np.random.default_rng(0)
    taus = VR.literal_taus(3, 1, 20000, rng, np.array([0.5]))
    est = VR.estimate(taus)
    fig, ax = plt.subplots(figsize=(5.2, 4.2))
    ax.hist(taus, bins=60, density=True, alpha=0.6, label=r"literal model: $d = 3$, $\gamma = 1/2$, $m' = 1$")
    ax.axvline(est.mean, color="k", label=f"Monte Carlo mean {est.mean:.4f} $\\pm$ {est.high - est.mean:.4f}")
    ax.axvline(5 / 8, color="tab:green", ls="--", label=r"exact: $\tau_0 + (1 - \tau_0)\, m'/(d - |I|) = 5/8$")
    ax.axvline(7 / 12, color="tab:red", ls=":", label=r"printed: $\tau_0 + m'/d = 7/12$")
    ax.set_xlabel(r"$\tau$")
    ax.set_ylabel("density")
    _legend(ax)
    return _save(fig, directory, "counterexample_prop_5_5")


def _arrows(ax, vectors: dict[str, tuple[float, float]], colours: str = "krbgm") -> None:
    for (name, vec), colour in zip(vectors.items(), colours, strict=False):
        ax.annotate("", xy=vec, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.5})
        ax.text(vec[0] * 1.08, vec[1] * 1.08 + 0.03, name, color=colour, fontsize=9)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", lw=0.8)
    ax.axvline(0, color="0.85", lw=0.8)
    ax.set_xlabel("first coordinate")
    ax.set_ylabel("second coordinate")
    _ticks(ax)


def small_counterexamples(directory: Path) -> dict[str, list[Figure]]:
    """One small picture for each remaining certified counterexample."""
    plt = _plt()
    out: dict[str, list[Figure]] = {}

    fig, ax = plt.subplots(figsize=(4.6, 2.4))
    ax.plot([-1, 1], [0, 0], "b|-", ms=20, label=r"the budget $|\delta| \leq B = 1$")
    ax.plot([0], [0], "ro", label=r"$d = 1$, $v^* = c = 1$, $\Delta_C = 0$: the only feasible $\delta$ is 0")
    ax.set_yticks([])
    ax.set_xlabel(r"$\delta \in \mathbb{R}^1$")
    _legend(ax)
    out["thm-4.1.tight"] = _save(fig, directory, "counterexample_thm_4_1")

    fig, ax = plt.subplots(figsize=(4, 4.4))
    dc = np.linspace(-1, 1, 50)
    ax.plot(dc, -dc, lw=3, label=r"$\alpha = \pi$: the Pareto frontier is the segment $\Delta_S = -\Delta_C$")
    ax.set_aspect("equal")
    _ticks(ax)
    ax.set_xlabel(r"$\Delta_C$")
    ax.set_ylabel(r"$\Delta_S$")
    _legend(ax)
    out["ellipse"] = _save(fig, directory, "counterexample_ellipse")

    fig, ax = plt.subplots(figsize=(4, 4.4))
    dc = np.linspace(-1, 1, 50)
    ax.plot(dc, -dc, lw=3, label=r"$\alpha = \pi$: every attainable point is on $\Delta_S = -\Delta_C$")
    lam = np.linspace(0, 1, 11)
    ax.plot(-0.5 * lam, 0.5 * lam, "r--o", ms=3,
            label=r"averaging $\lambda\delta$, $\langle v^*, \delta\rangle = 1/2$: Pareto-optimal")
    ax.set_aspect("equal")
    _ticks(ax)
    ax.set_xlabel(r"$\Delta_C$")
    ax.set_ylabel(r"$\Delta_S$")
    _legend(ax)
    out["sec-7.3"] = _save(fig, directory, "counterexample_sec_7_3")

    fig, ax = plt.subplots(figsize=(4.2, 2.8))
    _arrows(ax, {r"$v^* = c$ (in $C$)": (1, 0), r"$P_{C^\perp} v^* = 0$": (0.001, 0.001)})
    ax.set_xlim(-0.3, 1.5)
    ax.set_ylim(-0.5, 0.5)
    out["thm-4.3.maximiser"] = _save(fig, directory, "counterexample_thm_4_3")

    fig, ax = plt.subplots(figsize=(4.2, 3.2))
    _arrows(ax, {r"$v^* = c$": (1, 0)})
    ax.annotate("", xy=(0.8, -0.12), xytext=(0, -0.12), arrowprops={"arrowstyle": "->", "color": "r", "lw": 1.5})
    ax.text(0.3, -0.25, r"$\delta = B v^*$", color="r", fontsize=9)
    ax.text(0.05, 0.3, r"$\Delta_S = 1 > 0$ and $\Delta_C = +1 > 0$:" "\n" r"the capability rises ($\tau = 1$)",
            fontsize=8)
    ax.set_xlim(-0.3, 1.5)
    ax.set_ylim(-0.5, 0.6)
    out["def-3.4.loss"] = _save(fig, directory, "counterexample_def_3_4_loss")

    fig, ax = plt.subplots(figsize=(4.2, 3.4))
    ax.bar([r"$\tau$", r"$\tau_1 + \tau_2$", r"$\langle c_1, c_2\rangle$"], [40 / 49, 40 / 49, 3 / 5],
           color=["tab:blue", "tab:orange", "0.6"])
    ax.set_ylabel("value")
    out["rem-4.6.additivity"] = _save(fig, directory, "counterexample_rem_4_6")

    fig, ax = plt.subplots(figsize=(4.2, 4))
    _arrows(ax, {r"$v^*$ ($\tau = 16/25$)": (0.8, 0.6), "$c$": (1, 0), r"NSPO $\delta$ ($\Delta_C = 0$)": (0, 1)})
    ax.set_xlim(-0.3, 1.6)
    ax.set_ylim(-0.3, 1.3)
    out["sec-7.1.equivalence"] = _save(fig, directory, "counterexample_sec_7_1")

    fig, ax = plt.subplots(figsize=(5, 3.8))
    cos = np.array([-0.5, -0.25, 0.5])
    ax.bar(np.arange(3) - 0.2, cos, width=0.4, label=r"$\Delta_{C_i}$ under $\delta = B v^*$ ($B = 1$)")
    ax.bar(np.arange(3) + 0.2, -cos**2, width=0.4, label=r"$-\tau_i$ (the printed proportionality)")
    ax.set_xticks(range(3), [r"$\langle v^*,c_1\rangle = -1/2$", r"$\langle v^*,c_2\rangle = -1/4$",
                             r"$\langle v^*,c_3\rangle = +1/2$"], fontsize=8)
    ax.set_ylabel("value")
    ax.axhline(0, color="0.5", lw=0.8)
    _legend(ax, fontsize=8)
    out["pred-1.model"] = out["pred-1.ordering"] = _save(fig, directory, "counterexample_pred_1")

    fig, ax = plt.subplots(figsize=(5, 4.2))
    d = np.logspace(1, 6, 50)
    ax.loglog(d, 1 / d + 1 / np.sqrt(d), label=r"$R(d) = d^{-1/2} + d^{-1}$ ($\gamma = 1/2$, residual $d^{-1/2}$)")
    ax.loglog(d, 1 / d, "--", label=r"$m'/d$ ($m' = 1$)")
    ax.loglog(d, np.log(d) / d, ":", label=r"$\log d / d$")
    ax.set_xlabel("$d$")
    ax.set_ylabel("residual")
    _legend(ax)
    out["cor-5.6"] = out["abstract-rate"] = _save(fig, directory, "counterexample_rate")

    from derive import random_subspace as DR
    fig, ax = plt.subplots(figsize=(5, 4.2))
    d = np.logspace(1, 5, 50)
    for tau_0 in (0.0, 0.25, 0.75, 1.0):
        expected = [float(DR.expected_tax(x / 2, x, tau_0, 1 if tau_0 else 0)) for x in d]
        ax.semilogx(d, np.array(expected) - tau_0, label=f"$\\tau_0 = {tau_0:g}$")
    ax.set_xlabel("$d$")
    ax.set_ylabel(r"$\mathbb{E}[\tau] - \tau_0$, $m' = d/2$")
    _legend(ax)
    out["cor-5.6.linear"] = _save(fig, directory, "counterexample_cor_5_6_linear")

    import sympy as sp

    from paper_checks.checks import random_subspace as CR
    from paper_checks.statements import random_subspace as SR
    term = sp.lambdify((SR.m_p, SR.d), SR.WHP_TERM, "numpy")            # eq. (11)'s term, from the statement
    mp_, d_ = sp.symbols("mp d", positive=True)
    bern = sp.lambdify((mp_, d_), DR.bernstein_scale(mp_, d_), "numpy")
    fig, ax = plt.subplots(figsize=(5, 4.2))
    d = np.logspace(2, 56, 28)
    for beta, colour, name in ((0.0, "tab:blue", "m' = 1"), (0.25, "tab:orange", "m' = d^{1/4}")):
        mp = np.array([1.0 if beta == 0 else float(round(x**beta)) for x in d])
        q = np.array([CR.exact_quantile(m, x) for m, x in zip(mp, d, strict=False)])
        ax.semilogx(d, q / term(mp, d), color=colour, label=f"$Q / (\\sqrt{{m' + \\log d}}/d)$, ${name}$")
        ax.semilogx(d, q / bern(mp, d), "--", color=colour,
                    label=f"$Q / ((\\sqrt{{m' \\log d}} + \\log d)/d)$, ${name}$")
    ax.set_xlabel("$d$")
    ax.set_ylabel(r"$(1 - 1/d)$-quantile $Q$ of $|\tau - m'/d|$ over a rate")
    _legend(ax, fontsize=6.5)
    out["prop-5.5.quantile"] = _save(fig, directory, "counterexample_prop_5_5_quantile")

    g_, b_, x_ = sp.symbols("g b x", positive=True)
    offset = sp.lambdify((g_, b_, x_), DR.mean_offset(g_, b_, x_), "numpy")
    terms = sp.lambdify((SR.gamma, SR.m_p, SR.d), SR.EQ_11_TERMS, "numpy")   # eq. (11)'s O-terms, from the statement
    fig, ax = plt.subplots(figsize=(5, 4.2))
    d = np.logspace(2, 12, 40)
    for beta, colour in ((0.25, "tab:blue"), (0.75, "tab:red")):
        ax.loglog(d, offset(0.5, beta, d), color=colour,
                  label=f"$|\\mathbb{{E}}[\\tau] - \\tau_0 - m'/d|$, $m' = d^{{{beta:g}}}$")
        ax.loglog(d, terms(0.5, d**beta, d), "--", color=colour, label=f"eq. (11)'s O-terms, $m' = d^{{{beta:g}}}$")
    ax.set_xlabel("$d$")
    ax.set_ylabel(r"one intrinsic capability, $\gamma_1 = 1/2$")
    _legend(ax, fontsize=6.5)
    out["prop-5.5.intrinsic"] = _save(fig, directory, "counterexample_prop_5_5_intrinsic")
    out.update(reading_counterexamples(directory))
    return out


# ---- Sentences of Sections 1, 5.7, 7 and 9 read as claims: one small picture each, at the certified point where
# the finding's is simple (sec-9.4.exactly, rem-5.7.decrease), else at a generic point of the same failure set.

READINGS = frozenset({"sec-9.3.entangled", "sec-9.3.tradeoff", "sec-7.5.tradeoff", "sec-7.4.angle", "sec-9.4.exactly",
                      "rem-5.7.decrease", "sec-7.2.percentage"})


def reading_counterexamples(directory: Path) -> dict[str, list[Figure]]:
    """The pictures of ``READINGS``."""
    plt = _plt()
    out: dict[str, list[Figure]] = {}

    fig, ax = plt.subplots(figsize=(4, 4.4))
    dc = np.linspace(-1, 1, 50)
    ax.plot(dc, dc, lw=3, label=r"$\alpha = 0$: $\Delta_S = \Delta_C$ for every $\delta$ ($B = 1$)")
    ax.fill_between([0, 1], [0, 0], [1, 1], color="tab:green", alpha=0.15,
                    label=r"$\Delta_S > 0$ comes with $\Delta_C > 0$: a capability gain")
    ax.set_aspect("equal")
    _ticks(ax)
    ax.set_xlabel(r"$\Delta_C$")
    ax.set_ylabel(r"$\Delta_S$")
    _legend(ax)
    out["sec-9.3.entangled"] = _save(fig, directory, "counterexample_sec_9_3_entangled")

    fig, ax = plt.subplots(figsize=(4.6, 3.6))
    a = np.linspace(-1, 1, 101)
    ax.plot(a, a, lw=2, label=r"$\langle c, B v^*\rangle = B a$: the optimum's capability change ($B = 1$)")
    ax.plot(a, -np.abs(a), "--", label=r"$-B\sqrt{\tau}$: a cost, as read")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel(r"$a = \langle v^*, c\rangle = \cos\alpha$")
    _legend(ax)
    out["sec-9.3.tradeoff"] = out["sec-7.5.tradeoff"] = _save(fig, directory, "counterexample_sec_9_3_tradeoff")

    fig, ax = plt.subplots(figsize=(4.6, 3.6))
    alpha = np.linspace(0, np.pi, 181)
    ax.plot(alpha, np.cos(alpha) ** 2, lw=2, label=r"$\tau = \cos^2\alpha$")
    for x, name in ((3 * np.pi / 4, r"$\alpha_1 = 3\pi/4$, $\tau_1 = 1/2$"), (np.pi / 3, r"$\alpha_2 = \pi/3$, "
                                                                                         r"$\tau_2 = 1/4$")):
        ax.plot([x], [np.cos(x) ** 2], "o", label=name)
    ax.set_xlabel(r"$\alpha = \arccos\langle v^*, c\rangle$")
    _legend(ax)
    out["sec-7.4.angle"] = _save(fig, directory, "counterexample_sec_7_4_angle")

    fig, ax = plt.subplots(figsize=(4.4, 4.6))
    rho = 15 / 16
    g = np.linspace(-0.99, 0.99, 241)
    A, Bv = np.meshgrid(g, g)
    gram = (1 - A**2) * (1 - Bv**2) - (rho - A * Bv) ** 2
    cos = (rho - A * Bv) / np.sqrt((1 - A**2) * (1 - Bv**2))
    ax.contourf(A, Bv, np.where(gram >= 0, np.where(cos > rho, 1.0, 0.0), np.nan), levels=[-0.5, 0.5, 1.5],
                colors=["0.85", "tab:green"])
    ax.plot([-8 / 13], [-4 / 5], "ro", label=r"$(a, b) = (-8/13, -4/5)$: same sign, $\mathcal{C}(c) > \rho$")
    ax.plot([], [], "s", color="tab:green", label=r"realisable, $\mathcal{C}(c) > \rho = 15/16$")
    ax.set_aspect("equal")
    ax.set_xlabel("$a$")
    ax.set_ylabel("$b$")
    _legend(ax)
    out["sec-9.4.exactly"] = _save(fig, directory, "counterexample_sec_9_4_exactly")

    fig, ax = plt.subplots(figsize=(5, 3.8))
    d = np.logspace(0, 4, 60)
    ax.semilogx(d, (1 / 9 + (7 / 8) / np.sqrt(d)) ** 2, lw=2,
                label=r"intrinsic: $\tau_i = (\gamma_i + \eta d^{-1/2})^2$, $\gamma_i = 1/9$, $\eta = 7/8$")
    ax.semilogx(d, np.full_like(d, 1 / 81), ":", label=r"its limit $\gamma_i^2$")
    ax.semilogx(d, 1 / d, "--", label=r"incidental: $\mathbb{E}\,\tau_i = 1/d$")
    ax.set_xlabel("$d$")
    _legend(ax)
    out["rem-5.7.decrease"] = _save(fig, directory, "counterexample_rem_5_7_decrease")

    fig, ax = plt.subplots(figsize=(4.6, 3.4))
    ax.bar([r"$r/d$ (printed)", r"$\sqrt{r/d}$ (RMS change)"], [100 * 8 / 4096, 100 * np.sqrt(8 / 4096)],
           color=["tab:orange", "tab:blue"])
    ax.axhline(1, color="tab:red", ls="--", label="the 1% it is compared with")
    ax.set_ylabel(r"% of the update's norm, $r = 8$, $d = 4096$")
    _legend(ax)
    out["sec-7.2.percentage"] = _save(fig, directory, "counterexample_sec_7_2_percentage")
    return out


def scaling(directory: Path) -> list[Figure]:
    """tau against d for each regime of Cor 5.6, with and without intrinsic overlap: Monte Carlo (exact-law
    sampler, 99% bands) and the exact expectation; plus the residual model.  Also writes sweeps.json."""
    import json

    from verify import sweeps as SW

    plt = _plt()
    rng = np.random.default_rng(0)
    fig, axes = plt.subplots(1, 2, figsize=(10, 5.4))
    data = {}
    for kind, colour in (("fixed", "tab:blue"), ("sqrt", "tab:orange"), ("linear", "tab:green")):
        for tau_I, style in ((0.0, "-"), (0.25, "--")):
            s = SW.regime(kind, rng, tau_I=tau_I, n_intrinsic=int(tau_I > 0))
            data[s.label] = {"d": s.d, "mean": s.mean, "low": s.low, "high": s.high, "theory": s.theory,
                             "exponent": s.exponent() if kind != "linear" else None}
            ax = axes[0] if tau_I == 0 else axes[1]
            ax.fill_between(s.d, s.low, s.high, color=colour, alpha=0.25)
            ax.plot(s.d, s.mean, "o", ms=3, color=colour, label=f"{s.label}: Monte Carlo")
            ax.plot(s.d, s.theory, style, color=colour, lw=1, label=f"{s.label}: exact expectation")
    r = SW.residual_model(0.5, rng)
    data[r.label] = {"d": r.d, "mean": r.mean, "low": r.low, "high": r.high, "exponent": r.exponent()}
    axes[1].plot(r.d, r.mean, "k^", ms=4, label=f"{r.label} (slope {r.exponent():.2f})")
    ylabels = (r"$\mathbb{E}\,\tau$", r"$\mathbb{E}[\tau - \tau_0]$ and $\mathbb{E}|\tau - \tau_0|$")
    for ax, title, ylabel in zip(axes, (r"no intrinsic overlap", r"$\tau_0 = 1/4$"), ylabels, strict=False):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("$d$")
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
    _legend(axes[0], fontsize=7, ncol=2)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sweeps.json").write_text(json.dumps(data, indent=1) + "\n")
    return _save(fig, directory, "tau_vs_d")


def coherence(directory: Path) -> list[Figure]:
    from verify import packing as VK
    from verify import sweeps as SW

    plt = _plt()
    rng = np.random.default_rng(0)
    series, welch, ref = SW.coherence_sweep(rng)
    fig, ax = plt.subplots(figsize=(5.2, 4.8))
    ax.plot(series.d, series.mean, "o-", label="random packing, $N = 4d$")
    ax.plot(series.d, ref, "--", label=r"$\sqrt{\log N / d}$")
    ax.plot(series.d, welch, ":", label="Welch bound")
    # The simplex frame's coherence is exactly 1/d; building it is most of this figure's time beyond d = 256,
    # so its markers stop there (the random packings keep the whole range).
    etf_d = [d for d in series.d if d <= 256]
    etf = [VK.coherence(VK.simplex_frame(d)) for d in etf_d]
    ax.plot(etf_d, etf, "s", ms=4, label="simplex ETF ($N = d + 1$): meets its Welch bound $1/d$")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("$d$")
    ax.set_ylabel(r"coherence $\mu$")
    _legend(ax)
    return _save(fig, directory, "coherence_vs_d")


# What each figure shows, in the report's prose (ASCII mathematics is typeset by the writers).
CAPTIONS: dict[str, str] = {
    "frontier": "Theorem 4.1 for four angles alpha (B = 1): the curve (3) is the upper arc of the ellipse Q = 0; "
                "only its red part (Delta_C >= B cos alpha) is Pareto-efficient; the dots are certified SOCP optima.",
    "safety_pair": "Two safety directions v1* = e1, v2* = e2 and a capability c = (3/5, -4/5, 0) with "
                   "opposite-sign projections (Thm 6.4 (i), Section 9.4): frontiers with and without preserving c, "
                   "in normalised gains (left) and absolute gains (right); stars mark the max-min points.",
    "counterexample_pareto": "Theorem 4.1 (\"the Pareto frontier\") at the finding's certified counterexample: the "
                             "point of (3) at Delta_C is dominated by the point at Delta_C' (more capability, no "
                             "less safety); only the bold arc Delta_C >= B cos(alpha), the corrected statement, is "
                             "Pareto-efficient.",
    "counterexample_cor_6_6": "Corollary 6.6 at the finding's certified counterexample, in the plane c^perp: the "
                              "max-min update points to the point of the segment nearest 0 and attains B' "
                              "dist(0, [v~_1, v~_2]) (the corrected value), above the bound of eq. (17).",
    "counterexample_thm_6_4_i": "Theorem 6.4 (i) over (a, rho) at the finding's b (opposite signs): in the red "
                                "region the conflict C(c) is below rho, against the claim; the star is the "
                                "finding's certified counterexample; above the dashed line rho >= 0 the "
                                "corrected statement holds; white: no realisable Gram matrix.",
    "counterexample_ellipse_sphere": "Section 11: the attainable set for alpha = pi/3 is an ellipse with semi-axes "
                                     "sqrt(3/2) and sqrt(1/2), not a circle, so it is not a plane section of a "
                                     "sphere in these coordinates.",
    "counterexample_rem_4_2": "Remark 4.2 at alpha = pi/2: Delta_S = sqrt(1 - Delta_C^2) is a half circle on "
                              "[-1, 1]; only the quarter with Delta_C >= 0 is Pareto-efficient.",
    "counterexample_sec_4_4": "Section 4.4 with v* = e1, c = e2 and F = 4I: the frontier as carried over (dashed) "
                              "and the true frontier under delta^T F delta <= 1, half as large.",
    "counterexample_prop_5_5": "Proposition 5.5 in the literal model (d = 3, gamma = 1/2, m' = 1): the exact mean "
                               "of tau is 5/8, not the printed tau_0 + m'/d = 7/12; the Monte Carlo mean agrees "
                               "with the exact law.",
    "counterexample_thm_4_1": "Theorem 4.1 in d = 1 with v* = c = 1 and Delta_C = 0: the only feasible delta is 0, "
                              "so no maximiser has norm B.",
    "counterexample_sec_7_3": "Section 7.3 at alpha = pi: every attainable point lies on the line Delta_S = "
                              "-Delta_C, where more safety is less capability one for one, so every point is "
                              "Pareto-optimal and averaging stays Pareto-optimal; at alpha = 0 the averaged point is "
                              "dominated by (B, B).",
    "counterexample_ellipse": "At alpha = pi the Pareto frontier is the segment Delta_S = -Delta_C (at alpha = 0 the "
                              "single point (B, B)): no ellipse arc.",
    "counterexample_thm_4_3": "Theorem 4.3 at tau = 1 (v* = c in C): P_(C^perp) v* = 0, so the printed maximiser "
                              "divides 0 by 0.",
    "counterexample_def_3_4_loss": "Definition 3.4 at tau = 1: delta = B v* raises safety and the capability "
                                   "together (Delta_S = Delta_C = 1), so a safety gain need not cost capability.",
    "counterexample_rem_4_6": "Remark 4.6: c1 = e1, c2 = (3/5, 4/5, 0), v* = (2/7, 6/7, 3/7) gives "
                              "tau = tau_1 + tau_2 = 40/49 although <c1, c2> = 3/5: additivity without "
                              "orthonormality.",
    "counterexample_sec_7_1": "Section 7.1: the null-space update has Delta_C = 0 while tau = 16/25 is not small.",
    "counterexample_pred_1": "Prediction 1's model: under delta = B v* the capability change is "
                             "Delta_C_i = B <v*, c_i>, of either sign, while -tau_i is never positive; c1 and c3 have the "
                             "same tau_i = 1/4, yet one degrades and the other improves, so the degradation "
                             "does not follow the ordering of tau_i either.",
    "counterexample_thm_5_4": "Theorem 5.4 at the finding's certified counterexample: the residual |tau - tau_0| "
                              "exceeds eq. (9) with the coherence mu of Def 5.3; the corrected bound, whose mu covers "
                              "the intrinsic capability's residual too, needs m mu < 1 for that mu (n/a where it "
                              "fails).",
    "counterexample_cor_5_6_linear": "Corollary 5.6 (3), m' = d/2: E[tau] - tau_0 = (1 - tau_0) m'/(d - |I|) "
                                     "stays near (1 - tau_0)/2 as d grows, except at tau_0 = 1, where there is no "
                                     "incidental tax at any d.",
    "counterexample_prop_5_5_quantile": "Proposition 5.5, eq. (11) at confidence 1 - 1/d (I empty): the exact "
                                        "(1 - 1/d)-quantile Q of |tau - m'/d| over the printed term sqrt(m' + log d)/d "
                                        "grows without bound, like sqrt(log d); over Bernstein's (sqrt(m' log d) + "
                                        "log d)/d it tends to 2.",
    "counterexample_prop_5_5_intrinsic": "Proposition 5.5, eq. (11) with one intrinsic capability (gamma_1 = 1/2, "
                                         "exact overlap): the mean's offset from tau_0 + m'/d, about tau_0 m'/d, "
                                         "falls below eq. (11)'s O-terms for m' = d^(1/4) but not for m' = d^(3/4).",
    "counterexample_rate": "Corollary 5.6 and the abstract: with an intrinsic residual d^(-1/2) the residual R(d) "
                           "decays like d^(-1/2), not like m'/d or log d / d.",
    "tau_vs_d": "Corollary 5.6, regimes m' = 4, m' = sqrt(d), m' = d/2: Monte Carlo means (exact-law sampler, 99% "
                "bands) and exact expectations, without intrinsic overlap (left) and with tau_0 = 1/4 (right).",
    "coherence_vs_d": "Section 5.1: coherence of random packings (N = 4d) against sqrt(log N / d) and the Welch "
                      "bound; simplex equiangular tight frames meet their Welch bound.",
}

CAPTIONS.update({   # the pictures of READINGS
    "counterexample_sec_9_3_entangled": "Sections 1 and 9.3, alpha = 0: Delta_S = Delta_C for every update, so a safety "
                                        "gain is an equal capability gain, not a cost.",
    "counterexample_sec_9_3_tradeoff": "Sections 9.3 and 7.5: the safety-optimal update B v* changes capability by "
                                       "B <v*, c> (and the capability-optimal B c changes safety by the same), a cost "
                                       "only for <v*, c> < 0, while tau > 0 on both sides.",
    "counterexample_sec_7_4_angle": "Sections 7.1 and 7.4: tau = cos^2(alpha) is larger at alpha = 3 pi/4 than at "
                                    "pi/3; a higher tax rate is a smaller angle between lines, not a smaller alpha.",
    "counterexample_sec_9_4_exactly": "Section 9.4 at rho = 15/16: realisable (a, b) where preserving c raises the "
                                      "correlation (green) include same-sign projections, such as the certified "
                                      "(-8/13, -4/5).",
    "counterexample_sec_7_2_percentage": "Section 7.2 at r = 8, d = 4096: a unit rank-8 update changes a capability "
                                          "by up to ||P_U c||, 4.4% as a root mean square; the printed 0.2% = r/d is "
                                          "its square, the expected squared overlap.",
    "counterexample_rem_5_7_decrease": "Remark 5.7 at the certified gamma_i = 1/9, eta = 7/8: an intrinsic task's tau_i "
                                       "decreases with d too, towards gamma_i^2; the limit, not the decrease, tells the "
                                       "classes apart.",
})

# The claims ``small_counterexamples`` draws a picture for; every claim with a figure is in PICTURED.
SMALL = frozenset({"thm-4.1.tight", "sec-7.3", "ellipse", "thm-4.3.maximiser", "def-3.4.loss", "rem-4.6.additivity",
                   "sec-7.1.equivalence", "pred-1.model", "pred-1.ordering", "cor-5.6", "abstract-rate",
                   "cor-5.6.linear", "prop-5.5.quantile", "prop-5.5.intrinsic"})

FIGURES: dict[str, tuple[Callable[[Path], list[Figure]], ...]] = {
    "sec-5.1": (coherence,),
    "cor-5.6": (scaling,),
    "thm-4.1": (frontier,),
    "thm-4.1.pareto": (pareto_counterexample,),
    "ellipse.sphere": (sphere_section_counterexample,),
    "rem-4.2.quarter": (half_circle_counterexample,),
    "sec-4.4": (anisotropic_counterexample,),
    "prop-5.5": (expectation_counterexample,),
    "thm-6.4.reading": (safety_pair,),
    "cor-6.6": (cor_6_6_counterexample,),
    "thm-6.4.i": (conflict_region,),
    "thm-5.4": (thm_5_4_counterexample,),
}


PICTURED = frozenset(FIGURES) | SMALL | READINGS


def _home(claim: str, ids: list[str] | None) -> str | None:
    """The audited claim a figure belongs to: its own id, else (a sub-claim not audited, e.g. not yet in
    the registry) its parent's; None when neither is wanted."""
    if ids is None or claim in ids:
        return claim
    parent = claim.rpartition(".")[0]
    return parent if parent in ids else None


Task = tuple[str | None, Callable[[Path], Any]]


def _tasks(ids: list[str] | None) -> list[Task]:
    """What to draw for ``ids``, in order: (the claim the figures belong to, the function drawing them); the
    small counterexamples are one task whose figures go to their own claims (None)."""
    tasks: list[Task] = [(home, make) for claim, makers in FIGURES.items()
                         if (home := _home(claim, ids)) is not None for make in makers]
    if any(_home(c, ids) for c in SMALL | READINGS):
        tasks.append((None, small_counterexamples))
    return tasks


def _assemble(tasks: Sequence[Task], drawn: Sequence[Any], ids: list[str] | None) -> dict[str, list[Figure]]:
    """Claim id -> its figures, from what each task drew."""
    out: dict[str, list[Figure]] = {}
    for (home, _), figures in zip(tasks, drawn, strict=False):
        if home is not None:
            out.setdefault(home, []).extend(figures)
            continue
        for claim, figs in figures.items():
            where = _home(claim, ids)
            if where is not None:
                out.setdefault(where, []).extend(f for f in figs if f not in out.get(where, []))
    return out


@contextlib.contextmanager
def _writing(formats: Sequence[str]) -> Iterator[None]:
    global _formats
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"figure formats {sorted(formats)}: choose from {', '.join(FORMATS)}")
    saved, _formats = _formats, tuple(formats)
    try:
        yield
    finally:
        _formats = saved


def write_figures(directory: Path, ids: list[str] | None = None,
                  formats: Sequence[str] = FORMATS) -> dict[str, list[Figure]]:
    """Draw the figures of ``ids`` (all when None) into ``directory``; returns claim id -> figures."""
    directory.mkdir(parents=True, exist_ok=True)
    tasks = _tasks(ids)
    with _writing(formats):
        drawn = [make(directory) for _, make in tasks]
    (directory / "VERSION").write_text(VERSION + "\n")
    return _assemble(tasks, drawn, ids)


def _take(counter: Any) -> int:
    with counter.get_lock():
        counter.value += 1
        return counter.value - 1


def _draw_shared(directory: Path, tasks: Sequence[Task], counter: Any, formats: Sequence[str]) -> dict[int, Any]:
    """Draw tasks until none is left, taking each from the counter both processes share; task index -> figures."""
    done: dict[int, Any] = {}
    with _writing(formats):
        while (i := _take(counter)) < len(tasks):
            done[i] = tasks[i][1](directory)
    return done


def _draw_into(conn, directory: Path, tasks: Sequence[Task], counter: Any, formats: Sequence[str]) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent stops this one, which says nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(("ok", _draw_shared(directory, tasks, counter, formats)))
    except BaseException as exc:  # the parent re-raises it; a child must not die silently
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def drawn_while(directory: Path, ids: list[str] | None, work: Callable[[], T],
                formats: Sequence[str] = FORMATS) -> tuple[T, dict[str, list[Figure]]]:
    """Run ``work`` (the audit) here while a second process draws the figures; when ``work`` is done, this
    process draws the figures that are left too.  The audit and the figures take the two cores, and when
    the audit is short (its findings cached) the figures take both.

    A bare forked process, a pipe and a shared counter, not a pool: a pool keeps a thread in this process,
    and the audit forks its own workers, which must not happen in a process with threads."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return work(), write_figures(directory, ids, formats)
    directory.mkdir(parents=True, exist_ok=True)
    tasks = _tasks(ids)
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)   # the next task to draw
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_draw_into, args=(send, directory, tasks, counter, formats), daemon=True)
    child.start()
    send.close()
    try:
        result = work()
        mine = _draw_shared(directory, tasks, counter, formats)
        status, theirs = receive.recv()
    except BaseException:      # an error or Ctrl-C here: the drawing process is stopped, not waited for
        child.terminate()
        raise
    finally:
        child.join()
    if status != "ok":
        raise RuntimeError(f"drawing the figures into {directory} failed: {theirs}")
    drawn = {**theirs, **mine}
    (directory / "VERSION").write_text(VERSION + "\n")
    return result, _assemble(tasks, [drawn[i] for i in range(len(tasks))], ids)
