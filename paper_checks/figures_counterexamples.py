"""The figures of certified counterexamples drawn at the finding's own point (``certified_point``: the audit's
search, same seed) or at the point its statement names: Thm 4.1's Pareto claim, Cor 6.6, Thm 6.4 (i),
Thm 5.4, the sphere of Section 11, Rem 4.2's half circle, Section 4.4's anisotropic budget and
Prop 5.5's expectation."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from paper_checks import figures_canvas as canvas
from paper_checks.figures_canvas import Figure

__all__ = ["certified_point", "pareto_counterexample", "cor_6_6_counterexample", "conflict_region",
           "thm_5_4_counterexample", "sphere_section_counterexample", "half_circle_counterexample",
           "anisotropic_counterexample", "expectation_counterexample"]


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
    plt = canvas.plt()
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
    canvas.legend(ax, fontsize=8)
    return canvas.save(fig, directory, "counterexample_pareto")


def cor_6_6_counterexample(directory: Path) -> list[Figure]:
    """cor-6.6's certified counterexample in the plane c^perp: the projected directions, the budget B', the max-min
    update (towards the point of the segment nearest 0: the corrected value B' dist(0, [v~_1, v~_2])), the bound."""
    plt = canvas.plt()
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
    canvas.ticks(ax)
    canvas.legend(ax, fontsize=8)
    return canvas.save(fig, directory, "counterexample_cor_6_6")


def conflict_region(directory: Path) -> list[Figure]:
    """Where Thm 6.4 (i) fails: C(c) - rho over (a, rho) at the finding's b, with its certified counterexample and
    the corrected statement's region rho >= 0."""
    plt = canvas.plt()
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
    canvas.legend(ax, fontsize=8, handles=handles)
    return canvas.save(fig, directory, "counterexample_thm_6_4_i")


def thm_5_4_counterexample(directory: Path) -> list[Figure]:
    """thm-5.4's certified counterexample: the residual |R| = |tau - tau_0| against eq. (9) with Def 5.3's mu, and
    against the corrected bound (mu over every pair's residual, intrinsic ones included)."""
    from paper_checks.registry import by_id
    plt = canvas.plt()
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
    return canvas.save(fig, directory, "counterexample_thm_5_4")


def sphere_section_counterexample(directory: Path) -> list[Figure]:
    plt = canvas.plt()
    alpha, t = np.pi / 3, np.linspace(0, 2 * np.pi, 400)
    fig, ax = plt.subplots(figsize=(4.6, 5.2))
    # boundary of {(<c,delta>, <v*,delta>) : |delta| <= 1}: delta = (cos t, sin t)
    ax.plot(np.cos(alpha) * np.cos(t) + np.sin(alpha) * np.sin(t), np.cos(t),
            label=r"boundary of the attainable set, $\alpha = \pi/3$")
    ax.plot(np.cos(t), np.sin(t), ":", color="0.5", label="a circle (any plane section of a sphere)")
    ax.plot([-1, 1], [-1, 1], "k--", lw=0.8, label="major axis")
    canvas.plane(ax)
    canvas.legend(ax)
    return canvas.save(fig, directory, "counterexample_ellipse_sphere")


def half_circle_counterexample(directory: Path) -> list[Figure]:
    plt = canvas.plt()
    dc = np.linspace(-1, 1, 400)
    fig, ax = plt.subplots(figsize=(4.6, 3.6))
    ax.plot(dc, np.sqrt(1 - dc**2), label=r"$\alpha = \pi/2$: $\Delta_S = \sqrt{1 - \Delta_C^2}$ on $[-1, 1]$")
    ax.plot(dc[dc >= 0], np.sqrt(1 - dc[dc >= 0] ** 2), lw=4, color="tab:red", label="Pareto-efficient quarter")
    ax.plot([-0.6], [0.8], "ks", label=r"$(-3/5, 4/5)$: on the curve, $\Delta_C < 0$")
    canvas.plane(ax)
    canvas.legend(ax)
    return canvas.save(fig, directory, "counterexample_rem_4_2")


def anisotropic_counterexample(directory: Path) -> list[Figure]:
    plt = canvas.plt()
    dc = np.linspace(-1, 1, 400)
    fig, ax = plt.subplots(figsize=(4.6, 3.8))
    ax.plot(dc, np.sqrt(1 - dc**2), "--", label=r"eq. (3) with $\tilde\alpha = \pi/2$, $B = 1$ (as printed)")
    dd = dc[np.abs(dc) <= 0.5]
    ax.plot(dd, 0.5 * np.sqrt(1 - 4 * dd**2), lw=2, label=r"true frontier for $F = 4I$ (rescaled by 1/2)")
    ax.plot([0], [0.5], "ks", label=r"$\Delta_C = 0$: maximum 1/2, not 1")
    canvas.plane(ax)
    canvas.legend(ax)
    return canvas.save(fig, directory, "counterexample_sec_4_4")


def expectation_counterexample(directory: Path) -> list[Figure]:
    from verify import random_subspace as VR

    plt = canvas.plt()
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
    canvas.legend(ax)
    return canvas.save(fig, directory, "counterexample_prop_5_5")
