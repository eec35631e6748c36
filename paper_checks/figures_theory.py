"""The figures of the paper's results as stated: Thm 4.1's frontier with certified optima, the two-safety
frontiers of Section 6 with and without preserving a capability, tau against d in the regimes of Cor 5.6
(with ``sweeps.json``), and the coherence of random packings of Section 5.1."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from paper_checks import figures_canvas as canvas
from paper_checks.figures_canvas import Figure

__all__ = ["frontier", "safety_pair", "scaling", "coherence"]


def frontier(directory: Path) -> list[Figure]:
    """For several alpha: the ellipse Q = 0, curve (3), its Pareto-efficient arc, and certified SOCP optima."""
    from verify import frontier as VF

    plt = canvas.plt()
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
        canvas.ticks(ax)
    axes[0].set_ylabel(r"safety gain $\Delta_S$")
    canvas.legend(axes[0], ncol=4, fontsize=8)
    return canvas.save(fig, directory, "frontier")


def safety_pair(directory: Path) -> list[Figure]:
    """Two-safety frontiers with and without preserving c, in normalised and in absolute gains."""
    from verify import safety_pair as VP

    plt = canvas.plt()
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
        canvas.ticks(ax)
    canvas.legend(ax1, ncol=2)
    return canvas.save(fig, directory, "safety_pair")


def scaling(directory: Path) -> list[Figure]:
    """tau against d for each regime of Cor 5.6, with and without intrinsic overlap: Monte Carlo (exact-law
    sampler, 99% bands) and the exact expectation; plus the residual model.  Also writes sweeps.json."""
    import json

    from verify import sweeps as SW

    plt = canvas.plt()
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
    canvas.legend(axes[0], fontsize=7, ncol=2)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "sweeps.json").write_text(json.dumps(data, indent=1) + "\n")
    return canvas.save(fig, directory, "tau_vs_d")


def coherence(directory: Path) -> list[Figure]:
    from verify import packing as VK
    from verify import sweeps as SW

    plt = canvas.plt()
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
    canvas.legend(ax)
    return canvas.save(fig, directory, "coherence_vs_d")
