"""Figures (matplotlib, Agg; PNG and PDF): the frontier ellipse with certified optima, the two-safety
frontiers with and without capability preservation, and pictures of certified counterexamples.

``FIGURES`` is the table claim id -> the functions that draw its figures; ``write_figures`` draws them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from paper_checks.report.json_report import VERSION

__all__ = ["FIGURES", "write_figures"]


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, directory: Path, name: str) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    fig.savefig(directory / f"{name}.png", dpi=130, bbox_inches="tight")
    fig.savefig(directory / f"{name}.pdf", bbox_inches="tight")
    _plt().close(fig)
    return [f"{directory.name}/{name}.pdf"]


def frontier(directory: Path) -> list[str]:
    """For several alpha: the ellipse Q = 0, curve (3), its Pareto-efficient arc, and certified SOCP optima."""
    from verify import frontier as VF

    plt = _plt()
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.2), sharey=True)
    B = 1.0
    for ax, alpha in zip(axes, (np.pi / 6, np.pi / 3, np.pi / 2, 2 * np.pi / 3)):
        dc = np.linspace(-B, B, 400)
        upper = dc * np.cos(alpha) + np.sin(alpha) * np.sqrt(B**2 - dc**2)
        lower = dc * np.cos(alpha) - np.sin(alpha) * np.sqrt(B**2 - dc**2)
        ax.plot(dc, lower, color="0.75", lw=1, label="rest of the ellipse Q = 0")
        ax.plot(dc, upper, color="tab:blue", lw=1.2, label="curve (3): max safety at fixed capability")
        eff = dc >= B * np.cos(alpha)
        ax.plot(dc[eff], upper[eff], color="tab:red", lw=3, label="Pareto-efficient arc")
        v, c = VF.plane_geometry(alpha, 3)
        pts = VF.max_safety_gains(v, c, list(np.linspace(-0.95, 0.95, 9)), B)
        ax.plot([p.Delta_C for p in pts], [float(p.enclosure.lower) for p in pts], "ko", ms=4,
                label="certified SOCP optima")
        ax.set_title(f"alpha = {alpha / np.pi:.3g} pi")
        ax.set_xlabel("capability change Delta_C")
        ax.set_aspect("equal")
    axes[0].set_ylabel("safety gain Delta_S")
    axes[0].legend(fontsize=7, loc="lower left")
    fig.suptitle("Theorem 4.1: the frontier is the upper arc of an ellipse; only its red part is Pareto-efficient")
    return _save(fig, directory, "frontier")


def safety_pair(directory: Path) -> list[str]:
    """Two-safety frontiers with and without preserving c, in normalised and in absolute gains."""
    from verify import safety_pair as VP

    plt = _plt()
    v1, v2, c = np.eye(3)[0], np.eye(3)[1], np.array([0.6, -0.8, 0.0])
    s2 = list(np.linspace(-0.98, 0.98, 25))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.6))
    for C, label, colour in ((None, "unconstrained", "tab:blue"), (c[:, None], "preserving c", "tab:red")):
        if C is None:
            Cm = np.zeros((3, 1))
            Cm[2, 0] = 1.0                                  # no-op constraint outside span(v1, v2)
        else:
            Cm = C
        pts = VP.pair_frontier(v1, v2, Cm, s2, 1.0)
        n1, n2 = pts[0].norms
        s1 = [float(p.enclosure.lower) / n1 for p in pts]
        ax1.plot(s2, s1, "o-", ms=3, color=colour, label=f"{label} (normalised)")
        ax2.plot([s * n2 for s in s2], [x * n1 for x in s1], "o-", ms=3, color=colour, label=label)
        mm = VP.max_min_gain(v1, v2, Cm, 1.0, normalised=False)
        ax2.plot([v2 @ mm.delta], [v1 @ mm.delta], "*", ms=14, color=colour,
                 label=f"{label}: max-min point, min gain {float(mm.enclosure.lower):.3f}")
    ax1.set_xlabel("s_2")
    ax1.set_ylabel("s_1")
    ax1.set_title("normalised: cos(theta) rises from 0 to 1")
    ax2.set_xlabel("Delta_S2")
    ax2.set_ylabel("Delta_S1")
    ax2.set_title("absolute: the constrained frontier lies inside")
    for ax in (ax1, ax2):
        ax.legend(fontsize=7)
        ax.set_aspect("equal")
    fig.suptitle("v1* = e1, v2* = e2, c = (3/5, -4/5, 0): opposite-sign projections (Thm 6.4 (i), Section 9.4)")
    return _save(fig, directory, "safety_pair")


def pareto_counterexample(directory: Path) -> list[str]:
    plt = _plt()
    B, cos_a, sin_a = 5.0, 0.6, 0.8
    dc = np.linspace(-B, B, 400)
    fig, ax = plt.subplots(figsize=(5, 4.5))
    ax.plot(dc, dc * cos_a + sin_a * np.sqrt(B**2 - dc**2), color="tab:blue", label="curve (3)")
    ax.plot([-3], [1.4], "rs", label="(-3, 7/5): on (3), dominated")
    ax.plot([3], [5], "g^", ms=9, label="(3, 5): delta = 5 v*, better in both")
    ax.annotate("", xy=(3, 5), xytext=(-3, 1.4), arrowprops={"arrowstyle": "->", "color": "0.4"})
    ax.set_xlabel("Delta_C")
    ax.set_ylabel("Delta_S")
    ax.legend(fontsize=8)
    ax.set_title("cos(alpha) = 3/5, B = 5: the left part of (3) is not Pareto-efficient")
    return _save(fig, directory, "counterexample_pareto")


def cor_6_6_counterexample(directory: Path) -> list[str]:
    plt = _plt()
    r1, r2 = np.array([1.0, 0.0]), np.array([0.48, 0.36])
    fig, ax = plt.subplots(figsize=(5, 4.5))
    t = np.linspace(0, 2 * np.pi, 200)
    ax.plot(np.cos(t), np.sin(t), color="0.8", lw=1)
    for r, name in ((r1, "v~1"), (r2, "v~2")):
        ax.annotate("", xy=r, xytext=(0, 0), arrowprops={"arrowstyle": "->"})
        ax.text(*(r * 1.05), name)
    ax.plot(*zip(r1, r2), "k--", lw=1, label="segment [v~1, v~2]")
    ax.plot([0.8], [0.6], "g^", ms=9, label="delta = (4/5, 3/5): gains (4/5, 3/5), min 0.600")
    ax.set_title("Cor 6.6: eq. (17) bounds the min gain by 0.569; 0.600 is attained")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_aspect("equal")
    return _save(fig, directory, "counterexample_cor_6_6")


def conflict_region(directory: Path) -> list[str]:
    """Where Thm 6.4 (i) fails: C(c) - rho over (a, rho) for b = -0.1."""
    plt = _plt()
    a = np.linspace(0.01, 0.99, 300)
    rho = np.linspace(-0.999, 0.999, 300)
    A, R = np.meshgrid(a, rho)
    b = -0.1
    det = 1 + 2 * R * A * b - R**2 - A**2 - b**2
    gap = (R - A * b) / np.sqrt((1 - A**2) * (1 - b**2)) - R
    gap[det <= 0] = np.nan
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    im = ax.contourf(A, R, np.sign(gap), levels=[-1.5, 0, 1.5], colors=["tab:red", "tab:green"], alpha=0.6)
    ax.contour(A, R, gap, levels=[0], colors="k", linewidths=1)
    ax.plot([0.5], [-0.9], "k*", ms=10, label="(a, rho) = (1/2, -9/10): C(c) < rho")
    ax.set_xlabel("a (with b = -0.1)")
    ax.set_ylabel("rho")
    ax.set_title("Thm 6.4 (i): red where C(c) < rho despite opposite signs")
    ax.legend(fontsize=8)
    del im   # contourf's handle is not needed; the contour line marks C(c) = rho
    return _save(fig, directory, "counterexample_thm_6_4_i")


def sphere_section_counterexample(directory: Path) -> list[str]:
    plt = _plt()
    alpha, t = np.pi / 3, np.linspace(0, 2 * np.pi, 400)
    fig, ax = plt.subplots(figsize=(5, 5))
    # boundary of {(<c,delta>, <v*,delta>) : |delta| <= 1}: delta = (cos t, sin t)
    ax.plot(np.cos(alpha) * np.cos(t) + np.sin(alpha) * np.sin(t), np.cos(t), label="attainable set boundary, alpha = pi/3")
    ax.plot(np.cos(t), np.sin(t), ":", color="0.5", label="a circle (any plane section of a sphere)")
    ax.plot([-1, 1], [-1, 1], "k--", lw=0.8)
    ax.set_aspect("equal")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("semi-axes sqrt(3/2) and sqrt(1/2): an ellipse, not a circle")
    ax.set_xlabel("Delta_C")
    ax.set_ylabel("Delta_S")
    return _save(fig, directory, "counterexample_ellipse_sphere")


def half_circle_counterexample(directory: Path) -> list[str]:
    plt = _plt()
    dc = np.linspace(-1, 1, 400)
    fig, ax = plt.subplots(figsize=(5, 3.4))
    ax.plot(dc, np.sqrt(1 - dc**2), label="alpha = pi/2: Delta_S = sqrt(1 - Delta_C^2) on [-1, 1]")
    ax.plot(dc[dc >= 0], np.sqrt(1 - dc[dc >= 0] ** 2), lw=4, color="tab:red", label="Pareto-efficient quarter")
    ax.plot([-0.6], [0.8], "ks", label="(-3/5, 4/5): on the curve, Delta_C < 0")
    ax.set_aspect("equal")
    ax.legend(fontsize=7)
    ax.set_title("Remark 4.2: a half circle; a quarter only where efficient")
    return _save(fig, directory, "counterexample_rem_4_2")


def anisotropic_counterexample(directory: Path) -> list[str]:
    plt = _plt()
    dc = np.linspace(-1, 1, 400)
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(dc, np.sqrt(1 - dc**2), "--", label="eq. (3) with alpha~ = pi/2, B = 1 (the carry-over as printed)")
    dd = dc[np.abs(dc) <= 0.5]
    ax.plot(dd, 0.5 * np.sqrt(1 - 4 * dd**2), lw=2, label="true frontier, F = 4 I: rescaled by ||F^(-1/2) .|| = 1/2")
    ax.plot([0], [0.5], "ks", label="Delta_C = 0: maximum 1/2, not 1")
    ax.set_aspect("equal")
    ax.legend(fontsize=7)
    ax.set_title("Section 4.4: v* = e1, c = e2, delta^T (4I) delta <= 1")
    return _save(fig, directory, "counterexample_sec_4_4")


def expectation_counterexample(directory: Path) -> list[str]:
    from verify import random_subspace as VR

    plt = _plt()
    rng = np.random.default_rng(0)
    taus = VR.literal_taus(3, 1, 20000, rng, np.array([0.5]))
    est = VR.estimate(taus)
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    ax.hist(taus, bins=60, density=True, alpha=0.6, label="literal model: d = 3, gamma = 1/2, m' = 1")
    ax.axvline(est.mean, color="k", label=f"Monte Carlo mean {est.mean:.4f} +- {est.high - est.mean:.4f}")
    ax.axvline(5 / 8, color="tab:green", ls="--", label="exact: tau_0 + (1 - tau_0) m'/(d - |I|) = 5/8")
    ax.axvline(7 / 12, color="tab:red", ls=":", label="printed: tau_0 + m'/d = 7/12")
    ax.legend(fontsize=7)
    ax.set_xlabel("tau")
    ax.set_title("Proposition 5.5: m'/d is not exact in expectation with intrinsic overlap")
    return _save(fig, directory, "counterexample_prop_5_5")


def _arrows(ax, vectors: dict[str, tuple[float, float]], colours: str = "krbgm") -> None:
    for (name, vec), colour in zip(vectors.items(), colours):
        ax.annotate("", xy=vec, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.5})
        ax.text(vec[0] * 1.08, vec[1] * 1.08, name, color=colour)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", lw=0.8)
    ax.axvline(0, color="0.85", lw=0.8)


def small_counterexamples(directory: Path) -> dict[str, list[str]]:
    """One small picture for each remaining certified counterexample."""
    plt = _plt()
    out: dict[str, list[str]] = {}

    fig, ax = plt.subplots(figsize=(5, 2.2))
    ax.plot([-1, 1], [0, 0], "k-", lw=1)
    ax.plot([0], [0], "ro", label="d = 1, v* = c = 1, Delta_C = 0: the only feasible delta is 0")
    ax.plot([-1, 1], [0, 0], "b|", ms=20, label="the budget |delta| <= B = 1")
    ax.set_yticks([])
    ax.legend(fontsize=7, loc="upper center")
    ax.set_title("Thm 4.1 in d = 1: no maximiser has norm B")
    out["thm-4.1.tight"] = _save(fig, directory, "counterexample_thm_4_1")

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    dc = np.linspace(-1, 1, 50)
    ax.plot(dc, dc, lw=3, label="alpha = 0: attainable set = segment Delta_S = Delta_C")
    ax.set_aspect("equal")
    ax.legend(fontsize=7)
    ax.set_title("ellipse degenerates at alpha = 0")
    ax.set_xlabel("Delta_C")
    ax.set_ylabel("Delta_S")
    out["ellipse"] = _save(fig, directory, "counterexample_ellipse")

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    dc = np.linspace(-1, 1, 50)
    ax.plot(dc, dc, lw=3, label="alpha = 0: the frontier is the segment Delta_S = Delta_C")
    lam = np.linspace(0, 1, 11)
    ax.plot(0.5 * lam, 0.5 * lam, "r--o", ms=3, label="averaging lambda delta, <v*, delta> = 1/2: on the frontier")
    ax.set_aspect("equal")
    ax.legend(fontsize=7)
    ax.set_title("Sec 7.3 at alpha = 0: averaging is not strictly dominated")
    ax.set_xlabel("Delta_C")
    ax.set_ylabel("Delta_S")
    out["sec-7.3"] = _save(fig, directory, "counterexample_sec_7_3")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    _arrows(ax, {"v* = c (in C)": (1, 0), "P_(C^perp) v* = 0": (0.001, 0.001)})
    ax.set_xlim(-0.2, 1.4)
    ax.set_ylim(-0.5, 0.5)
    ax.set_title("Thm 4.3 at tau = 1: the maximiser formula is 0/0")
    out["thm-4.3"] = _save(fig, directory, "counterexample_thm_4_3")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    _arrows(ax, {"v* = c": (1, 0), "delta = B v*": (0.8, 0.0)})
    ax.text(0.1, 0.3, "Delta_S = 1 > 0 and Delta_C = +1 > 0:\nthe capability rises (tau = 1)", fontsize=8)
    ax.set_xlim(-0.2, 1.4)
    ax.set_ylim(-0.5, 0.6)
    ax.set_title("Def 3.4: tau = 1 without capability loss")
    out["def-3.4.loss"] = _save(fig, directory, "counterexample_def_3_4_loss")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.bar(["tau", "tau_1 + tau_2", "<c1, c2>"], [40 / 49, 40 / 49, 3 / 5], color=["tab:blue", "tab:orange", "0.6"])
    ax.set_title("Rem 4.6: c1 = e1, c2 = (3/5, 4/5, 0), v* = (2/7, 6/7, 3/7)\nadditive although not orthonormal",
                 fontsize=9)
    out["rem-4.6.additivity"] = _save(fig, directory, "counterexample_rem_4_6")

    fig, ax = plt.subplots(figsize=(4.5, 4))
    _arrows(ax, {"v* (tau = 16/25)": (0.8, 0.6), "c": (1, 0), "NSPO delta (Delta_C = 0)": (0, 1)})
    ax.set_xlim(-0.3, 1.5)
    ax.set_ylim(-0.3, 1.3)
    ax.set_title("Sec 7.1: zero capability change, tau not small")
    out["sec-7.1.equivalence"] = _save(fig, directory, "counterexample_sec_7_1")

    fig, ax = plt.subplots(figsize=(5, 3.6))
    cos = np.array([-0.5, -0.25, 0.5])
    ax.bar(np.arange(3) - 0.2, cos, width=0.4, label="Delta_C_i under delta = B v* (B = 1)")
    ax.bar(np.arange(3) + 0.2, -cos**2, width=0.4, label="-tau_i (the printed proportionality)")
    ax.set_xticks(range(3), ["<v*,c1> = -1/2", "<v*,c2> = -1/4", "<v*,c3> = +1/2"])
    ax.legend(fontsize=7)
    ax.set_title("Prediction 1's model: |Delta_C| = B sqrt(tau), sign of <v*, c>", fontsize=9)
    out["pred-1.model"] = _save(fig, directory, "counterexample_pred_1")

    fig, ax = plt.subplots(figsize=(4.5, 3.6))
    ax.bar(["R = tau - tau_0", "eq. (9) with mu of Def 5.3"], [11 / 100, 0.0], color=["tab:red", "tab:blue"])
    ax.set_title("Thm 5.4 under the literal definitions:\nv* = e1, c1 = (3/5, 4/5, 0), gamma_1 = 1/2, c2 = e3",
                 fontsize=9)
    out["thm-5.4"] = _save(fig, directory, "counterexample_thm_5_4")

    fig, ax = plt.subplots(figsize=(5, 3.8))
    d = np.logspace(1, 6, 50)
    ax.loglog(d, 1 / d + 1 / np.sqrt(d), label="R(d) = 1/sqrt(d) + 1/d (gamma = 1/2, residual d^(-1/2))")
    ax.loglog(d, 1 / d, "--", label="m'/d (m' = 1)")
    ax.loglog(d, np.log(d) / d, ":", label="log d / d")
    ax.legend(fontsize=7)
    ax.set_xlabel("d")
    ax.set_title("Cor 5.6 / abstract: R(d) is not O(m'/d) with intrinsic residuals", fontsize=9)
    out["cor-5.6"] = out["abstract-rate"] = _save(fig, directory, "counterexample_rate")
    return out


def scaling(directory: Path) -> list[str]:
    """tau against d for each regime of Cor 5.6, with and without intrinsic overlap: Monte Carlo (exact-law
    sampler, 99% bands) and the exact expectation; plus the residual model.  Also writes sweeps.json."""
    import json

    from verify import sweeps as SW

    plt = _plt()
    rng = np.random.default_rng(0)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
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
    for ax, title in zip(axes, ("no intrinsic overlap: E tau", "tau_0 = 1/4: E[tau - tau_0] and E|tau - tau_0|")):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("d")
        ax.set_title(title)
        ax.legend(fontsize=6)
    fig.suptitle("Corollary 5.6: regimes m' = 4, m' = sqrt(d), m' = d/2")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sweeps.json").write_text(json.dumps(data, indent=1) + "\n")
    return _save(fig, directory, "tau_vs_d")


def coherence(directory: Path) -> list[str]:
    from verify import packing as VK
    from verify import sweeps as SW

    plt = _plt()
    rng = np.random.default_rng(0)
    series, welch, ref = SW.coherence_sweep(rng)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.plot(series.d, series.mean, "o-", label="random packing, N = 4d")
    ax.plot(series.d, ref, "--", label="sqrt(log N / d)")
    ax.plot(series.d, welch, ":", label="Welch bound")
    etf = [VK.coherence(VK.simplex_frame(d)) for d in series.d]
    ax.plot(series.d, etf, "s", ms=4, label="simplex ETF (N = d + 1): meets its Welch bound 1/d")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("d")
    ax.set_ylabel("coherence mu")
    ax.legend(fontsize=7)
    ax.set_title("Section 5.1: coherence of packings")
    return _save(fig, directory, "coherence_vs_d")


FIGURES: dict[str, tuple[Callable[[Path], list[str]], ...]] = {
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
}


def write_figures(directory: Path, ids: list[str] | None = None) -> dict[str, list[str]]:
    """Draw the figures of ``ids`` (all when None) into ``directory``; returns claim id -> PDF paths
    relative to the directory's parent (as the LaTeX document includes them)."""
    out: dict[str, list[str]] = {}
    directory.mkdir(parents=True, exist_ok=True)
    for claim, makers in FIGURES.items():
        if ids is None or claim in ids:
            out[claim] = [p for make in makers for p in make(directory)]
    for claim, paths in small_counterexamples(directory).items():
        if ids is None or claim in ids:
            out.setdefault(claim, []).extend(paths)
    (directory / "VERSION").write_text(VERSION + "\n")
    return out
