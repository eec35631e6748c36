"""One small picture for each remaining certified counterexample: ``SMALL_PICTURES`` pairs the claims a picture
belongs to with the function drawing it, so that a report of some claims draws only theirs."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from paper_checks import figures_canvas as canvas
from paper_checks.figures_canvas import Figure

__all__ = ["SMALL", "SMALL_PICTURES"]

Drawer = Callable[[Path], dict[str, list[Figure]]]


def _thm_4_1_tight(directory: Path) -> dict[str, list[Figure]]:
    """The picture of thm-4.1.tight."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4.6, 2.4))
    ax.plot([-1, 1], [0, 0], "b|-", ms=20, label=r"the budget $|\delta| \leq B = 1$")
    ax.plot([0], [0], "ro", label=r"$d = 1$, $v^* = c = 1$, $\Delta_C = 0$: the only feasible $\delta$ is 0")
    ax.set_yticks([])
    ax.set_xlabel(r"$\delta \in \mathbb{R}^1$")
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_thm_4_1")
    return {"thm-4.1.tight": figs}


def _ellipse(directory: Path) -> dict[str, list[Figure]]:
    """The picture of ellipse."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4, 4.4))
    dc = np.linspace(-1, 1, 50)
    ax.plot(dc, -dc, lw=3, label=r"$\alpha = \pi$: the Pareto frontier is the segment $\Delta_S = -\Delta_C$")
    canvas.plane(ax)
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_ellipse")
    return {"ellipse": figs}


def _sec_7_3(directory: Path) -> dict[str, list[Figure]]:
    """The picture of sec-7.3."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4, 4.4))
    dc = np.linspace(-1, 1, 50)
    ax.plot(dc, -dc, lw=3, label=r"$\alpha = \pi$: every attainable point is on $\Delta_S = -\Delta_C$")
    lam = np.linspace(0, 1, 11)
    ax.plot(-0.5 * lam, 0.5 * lam, "r--o", ms=3,
            label=r"averaging $\lambda\delta$, $\langle v^*, \delta\rangle = 1/2$: Pareto-optimal")
    canvas.plane(ax)
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_sec_7_3")
    return {"sec-7.3": figs}


def _thm_4_3_maximiser(directory: Path) -> dict[str, list[Figure]]:
    """The picture of thm-4.3.maximiser."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4.2, 2.8))
    canvas.arrows(ax, {r"$v^* = c$ (in $C$)": (1, 0), r"$P_{C^\perp} v^* = 0$": (0.001, 0.001)})
    ax.set_xlim(-0.3, 1.5)
    ax.set_ylim(-0.5, 0.5)
    figs = canvas.save(fig, directory, "counterexample_thm_4_3")
    return {"thm-4.3.maximiser": figs}


def _def_3_4_loss(directory: Path) -> dict[str, list[Figure]]:
    """The picture of def-3.4.loss."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4.2, 3.2))
    canvas.arrows(ax, {r"$v^* = c$": (1, 0)})
    ax.annotate("", xy=(0.8, -0.12), xytext=(0, -0.12), arrowprops={"arrowstyle": "->", "color": "r", "lw": 1.5})
    ax.text(0.3, -0.25, r"$\delta = B v^*$", color="r", fontsize=9)
    ax.text(0.05, 0.3, r"$\Delta_S = 1 > 0$ and $\Delta_C = +1 > 0$:" "\n" r"the capability rises ($\tau = 1$)",
            fontsize=8)
    ax.set_xlim(-0.3, 1.5)
    ax.set_ylim(-0.5, 0.6)
    figs = canvas.save(fig, directory, "counterexample_def_3_4_loss")
    return {"def-3.4.loss": figs}


def _rem_4_6_additivity(directory: Path) -> dict[str, list[Figure]]:
    """The picture of rem-4.6.additivity."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4.2, 3.4))
    ax.bar([r"$\tau$", r"$\tau_1 + \tau_2$", r"$\langle c_1, c_2\rangle$"], [40 / 49, 40 / 49, 3 / 5],
           color=["tab:blue", "tab:orange", "0.6"])
    ax.set_ylabel("value")
    figs = canvas.save(fig, directory, "counterexample_rem_4_6")
    return {"rem-4.6.additivity": figs}


def _rem_4_6_subadditive(directory: Path) -> dict[str, list[Figure]]:
    """The picture of rem-4.6.subadditive: at <v*, c1> = 0, <v*, c2> = -1/2, <c1, c2> = -1/2 the joint tax
    tau = (a1^2 + a2^2 - 2 a1 a2 g)/(1 - g^2) = 1/3 exceeds tau_1 + tau_2 = 1/4."""
    plt = canvas.plt()
    a1, a2, g = 0.0, -0.5, -0.5
    fig, ax = plt.subplots(figsize=(4.2, 3.4))
    ax.bar([r"$\tau$", r"$\tau_1 + \tau_2$"], [(a1**2 + a2**2 - 2 * a1 * a2 * g) / (1 - g**2), a1**2 + a2**2],
           color=["tab:blue", "tab:orange"])
    ax.set_ylabel("value")
    figs = canvas.save(fig, directory, "counterexample_rem_4_6_subadditive")
    return {"rem-4.6.subadditive": figs}


def _sec_7_1_equivalence(directory: Path) -> dict[str, list[Figure]]:
    """The picture of sec-7.1.equivalence."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(4.2, 4))
    canvas.arrows(ax, {r"$v^*$ ($\tau = 16/25$)": (0.8, 0.6), "$c$": (1, 0), r"NSPO $\delta$ ($\Delta_C = 0$)": (0, 1)})
    ax.set_xlim(-0.3, 1.6)
    ax.set_ylim(-0.3, 1.3)
    figs = canvas.save(fig, directory, "counterexample_sec_7_1")
    return {"sec-7.1.equivalence": figs}


def _pred_1_model(directory: Path) -> dict[str, list[Figure]]:
    """The picture of pred-1.model, pred-1.ordering."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(5, 3.8))
    cos = np.array([-0.5, -0.25, 0.5])
    ax.bar(np.arange(3) - 0.2, cos, width=0.4, label=r"$\Delta_{C_i}$ under $\delta = B v^*$ ($B = 1$)")
    ax.bar(np.arange(3) + 0.2, -cos**2, width=0.4, label=r"$-\tau_i$ (the printed proportionality)")
    ax.set_xticks(range(3), [r"$\langle v^*,c_1\rangle = -1/2$", r"$\langle v^*,c_2\rangle = -1/4$",
                             r"$\langle v^*,c_3\rangle = +1/2$"], fontsize=8)
    ax.set_ylabel("value")
    ax.axhline(0, color="0.5", lw=0.8)
    canvas.legend(ax, fontsize=8)
    figs = canvas.save(fig, directory, "counterexample_pred_1")
    return {"pred-1.model": figs, "pred-1.ordering": figs}


def _cor_5_6(directory: Path) -> dict[str, list[Figure]]:
    """The picture of cor-5.6, abstract-rate."""
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(5, 4.2))
    d = np.logspace(1, 6, 50)
    ax.loglog(d, 1 / d + 1 / np.sqrt(d), label=r"$R(d) = d^{-1/2} + d^{-1}$ ($\gamma = 1/2$, residual $d^{-1/2}$)")
    ax.loglog(d, 1 / d, "--", label=r"$m'/d$ ($m' = 1$)")
    ax.loglog(d, np.log(d) / d, ":", label=r"$\log d / d$")
    ax.set_xlabel("$d$")
    ax.set_ylabel("residual")
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_rate")
    return {"cor-5.6": figs, "abstract-rate": figs}


def _cor_5_6_linear(directory: Path) -> dict[str, list[Figure]]:
    """The picture of cor-5.6.linear."""
    from derive import random_subspace as DR
    plt = canvas.plt()
    fig, ax = plt.subplots(figsize=(5, 4.2))
    d = np.logspace(1, 5, 50)
    for tau_0 in (0.0, 0.25, 0.75, 1.0):
        expected = [float(DR.expected_tax(x / 2, x, tau_0, 1 if tau_0 else 0)) for x in d]
        ax.semilogx(d, np.array(expected) - tau_0, label=f"$\\tau_0 = {tau_0:g}$")
    ax.set_xlabel("$d$")
    ax.set_ylabel(r"$\mathbb{E}[\tau] - \tau_0$, $m' = d/2$")
    canvas.legend(ax)
    figs = canvas.save(fig, directory, "counterexample_cor_5_6_linear")
    return {"cor-5.6.linear": figs}


def _prop_5_5_quantile(directory: Path) -> dict[str, list[Figure]]:
    """The picture of prop-5.5.quantile."""
    from derive import random_subspace as DR
    import sympy as sp
    from paper_checks.checks import random_subspace as CR
    from paper_checks.statements import random_subspace as SR
    plt = canvas.plt()
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
    canvas.legend(ax, fontsize=6.5)
    figs = canvas.save(fig, directory, "counterexample_prop_5_5_quantile")
    return {"prop-5.5.quantile": figs}


def _prop_5_5_intrinsic(directory: Path) -> dict[str, list[Figure]]:
    """The picture of prop-5.5.intrinsic."""
    from derive import random_subspace as DR
    import sympy as sp
    from paper_checks.statements import random_subspace as SR
    plt = canvas.plt()
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
    canvas.legend(ax, fontsize=6.5)
    figs = canvas.save(fig, directory, "counterexample_prop_5_5_intrinsic")
    return {"prop-5.5.intrinsic": figs}


SMALL_PICTURES: tuple[tuple[frozenset[str], Drawer], ...] = (
    (frozenset({"thm-4.1.tight"}), _thm_4_1_tight),
    (frozenset({"ellipse"}), _ellipse),
    (frozenset({"sec-7.3"}), _sec_7_3),
    (frozenset({"thm-4.3.maximiser"}), _thm_4_3_maximiser),
    (frozenset({"def-3.4.loss"}), _def_3_4_loss),
    (frozenset({"rem-4.6.additivity"}), _rem_4_6_additivity),
    (frozenset({"rem-4.6.subadditive"}), _rem_4_6_subadditive),
    (frozenset({"sec-7.1.equivalence"}), _sec_7_1_equivalence),
    (frozenset({"pred-1.model", "pred-1.ordering"}), _pred_1_model),
    (frozenset({"cor-5.6", "abstract-rate"}), _cor_5_6),
    (frozenset({"cor-5.6.linear"}), _cor_5_6_linear),
    (frozenset({"prop-5.5.quantile"}), _prop_5_5_quantile),
    (frozenset({"prop-5.5.intrinsic"}), _prop_5_5_intrinsic),
)

# The claims pictured here; every claim with a figure is in figures.PICTURED.
SMALL = frozenset().union(*(ids for ids, _ in SMALL_PICTURES))
