"""Sentences of Sections 1, 5.7, 7 and 9 read as claims (``READINGS``): one small picture each, at the certified
point where the finding's is simple (sec-9.4.exactly, rem-5.7.decrease), else at a generic point of the
same failure set.
``READING_PICTURES`` pairs the claims a picture belongs to with the function drawing it."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from paper_checks import figures_canvas as canvas
from paper_checks.figures_canvas import Figure

__all__ = ["READINGS", "READING_PICTURES"]

Drawer = Callable[[Path], dict[str, list[Figure]]]


def _sec_9_3_entangled(directory: Path) -> dict[str, list[Figure]]:
    """The picture of sec-9.3.entangled."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4, 4.4))
    dc = np.linspace(-1, 1, 50)
    ax.plot(dc, dc, lw=3, label=r"$\alpha = 0$: $\Delta_S = \Delta_C$ for every $\delta$ ($B = 1$)")
    ax.fill_between([0, 1], [0, 0], [1, 1], color="tab:green", alpha=0.15,
                    label=r"$\Delta_S > 0$ comes with $\Delta_C > 0$: a capability gain")
    canvas.plane(ax)
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_sec_9_3_entangled")
    return {"sec-9.3.entangled": figs}


def _sec_9_3_tradeoff(directory: Path) -> dict[str, list[Figure]]:
    """The picture of sec-9.3.tradeoff, sec-7.5.tradeoff."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4.6, 3.6))
    a = np.linspace(-1, 1, 101)
    ax.plot(a, a, lw=2, label=r"$\langle c, B v^*\rangle = B a$: the optimum's capability change ($B = 1$)")
    ax.plot(a, -np.abs(a), "--", label=r"$-B\sqrt{\tau}$: a cost, as read")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_xlabel(r"$a = \langle v^*, c\rangle = \cos\alpha$")
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_sec_9_3_tradeoff")
    return {"sec-9.3.tradeoff": figs, "sec-7.5.tradeoff": figs}


def _sec_7_4_angle(directory: Path) -> dict[str, list[Figure]]:
    """The picture of sec-7.4.angle."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4.6, 3.6))
    alpha = np.linspace(0, np.pi, 181)
    ax.plot(alpha, np.cos(alpha) ** 2, lw=2, label=r"$\tau = \cos^2\alpha$")
    for x, name in ((3 * np.pi / 4, r"$\alpha_1 = 3\pi/4$, $\tau_1 = 1/2$"), (np.pi / 3, r"$\alpha_2 = \pi/3$, "
                                                                                         r"$\tau_2 = 1/4$")):
        ax.plot([x], [np.cos(x) ** 2], "o", label=name)
    ax.set_xlabel(r"$\alpha = \arccos\langle v^*, c\rangle$")
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_sec_7_4_angle")
    return {"sec-7.4.angle": figs}


def _sec_9_4_exactly(directory: Path) -> dict[str, list[Figure]]:
    """The picture of sec-9.4.exactly."""
    plt = canvas.plt()
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
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_sec_9_4_exactly")
    return {"sec-9.4.exactly": figs}


def _rem_5_7_decrease(directory: Path) -> dict[str, list[Figure]]:
    """The picture of rem-5.7.decrease."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(5, 3.8))
    d = np.logspace(0, 4, 60)
    ax.semilogx(d, (1 / 9 + (7 / 8) / np.sqrt(d)) ** 2, lw=2,
                label=r"intrinsic: $\tau_i = (\gamma_i + \eta d^{-1/2})^2$, $\gamma_i = 1/9$, $\eta = 7/8$")
    ax.semilogx(d, np.full_like(d, 1 / 81), ":", label=r"its limit $\gamma_i^2$")
    ax.semilogx(d, 1 / d, "--", label=r"incidental: $\mathbb{E}\,\tau_i = 1/d$")
    ax.set_xlabel("$d$")
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_rem_5_7_decrease")
    return {"rem-5.7.decrease": figs}


def _sec_7_2_percentage(directory: Path) -> dict[str, list[Figure]]:
    """The picture of sec-7.2.percentage."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4.6, 3.4))
    ax.bar([r"$r/d$ (printed)", r"$\sqrt{r/d}$ (RMS change)"], [100 * 8 / 4096, 100 * np.sqrt(8 / 4096)],
           color=["tab:orange", "tab:blue"])
    ax.axhline(1, color="tab:red", ls="--", label="the 1% it is compared with")
    ax.set_ylabel(r"% of the update's norm, $r = 8$, $d = 4096$")
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_sec_7_2_percentage")
    return {"sec-7.2.percentage": figs}


READING_PICTURES: tuple[tuple[frozenset[str], Drawer], ...] = (
    (frozenset({"sec-9.3.entangled"}), _sec_9_3_entangled),
    (frozenset({"sec-9.3.tradeoff", "sec-7.5.tradeoff"}), _sec_9_3_tradeoff),
    (frozenset({"sec-7.4.angle"}), _sec_7_4_angle),
    (frozenset({"sec-9.4.exactly"}), _sec_9_4_exactly),
    (frozenset({"rem-5.7.decrease"}), _rem_5_7_decrease),
    (frozenset({"sec-7.2.percentage"}), _sec_7_2_percentage),
)

# The claims pictured here; every claim with a figure is in figures.PICTURED.
READINGS = frozenset().union(*(ids for ids, _ in READING_PICTURES))
