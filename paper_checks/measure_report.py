"""The report of ``alignment-tax measure``: a JSON-ready dict (schema ``alignment-tax-measure/2``) built from the
estimates.

Per layer the per-capability <v*, c_i> and tau_i with intervals, the joint tau (Rem 4.6) and the principal
angle, the tax-free safety, the capabilities ranked by predicted cost (an effect is ``uncertain`` when the
signed interval contains 0), the effective angle of every further safety direction; across layers the
variation of tau (Prediction 3's quantity); warnings when the data cannot support the estimates.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from paper_checks.measure_config import DEFAULT_FOLDS, DirectionKind, MeasureConfig
from paper_checks.measure_estimate import Estimates, estimate
from paper_checks.measure_input import CAPABILITY_PREFIX, SAFETY_PREFIX, MeasureInput
from verify import probes as P

__all__ = ["SCHEMA", "SIGN_CONVENTION", "MODEL_NOTE", "COR66_NOTE", "DIRECTION_NOTE", "ESTIMATOR_NOTES", "measure"]

SCHEMA = "alignment-tax-measure/2"
SIGN_CONVENTION = ("every direction points from the negative class (label 0) to the positive class (label 1): "
                   "<direction, mean(positive) - mean(negative)> > 0; label the safe behaviour 1 for safety and "
                   "the capable behaviour 1 for a capability")
MODEL_NOTE = ("Predicted change: in the paper's model the safety-maximising perturbation delta = B v* changes "
              "capability i by Delta_C_i = B <v*, c_i> = -B sqrt(tau_i) when <v*, c_i> < 0 (predicted to degrade) "
              "and +B sqrt(tau_i) when <v*, c_i> > 0 (predicted to improve); 'uncertain' when the interval of "
              "<v*, c_i> contains 0. So the model predicts degradation "
              "proportional to sqrt(tau_i), not to tau_i as Prediction 1 prints (audit finding pred-1.model); the "
              "ordering of the degraded capabilities is the same under both. Capabilities are ranked by "
              "<v*, c_i>, most negative (costliest) first.")
COR66_NOTE = ("max_min_gain_per_B is the audit's corrected Cor 6.6 (cor-6.6): max min(Delta_S1, Delta_S2) = "
              "B' dist(0, [v~1, v~2]) under preservation of every capability; eq17_rhs_per_B is eq. (17)'s right "
              "side, a lower bound of it (equal iff the two tax rates are equal), not an upper bound.")
DIRECTION_NOTE = ("The paper's v* and c_i are readout directions (Def 3.1: <v*, h> measures safety; Def 3.2: c_i is "
                  "the gradient of a capability metric). 'encoding' directions are differences of class means, which "
                  "agree with readout directions only under isotropic noise; 'readout' applies the inverse of the "
                  "Ledoit-Wolf shrinkage covariance of the activations to them (a regularised discriminant).")
ESTIMATOR_NOTES = {
    "cross-fit": ("cross-fitted: every inner product between two mean differences (squared norms included) is "
                  "averaged over pairs of different folds, so its two factors come from independent samples and "
                  "it is unbiased for the population inner product (the cross-validated distance of representational "
                  "similarity analysis); tau_i, the joint tau, angles follow from them. Intervals: for the signed "
                  "<v*, c_i>, the unbiased variance of its U-statistic over pairs of folds with Student's t on "
                  "Satterthwaite's degrees of freedom; the interval of tau_i is its image under squaring (it reaches "
                  "0 when the signed one contains 0); for the joint tau and the angles, the delete-one-fold "
                  "jackknife with Student's t on K - 1 degrees of freedom."),
    "plug-in": ("plug-in: inner products of the all-sample directions. Their noise (squared norm about "
                "4 sigma^2 d / n) shrinks every cosine toward 0 when d is not small against n; kept for comparison. "
                "Intervals: percentile bootstrap over resamples of the samples (difference of means only)."),
    "precomputed": "precomputed directions only: the quantities are exact functions of the given vectors; no "
                   "sampling, so no interval.",
}

# A direction less than this share of whose squared norm replicates across folds is mostly noise.
_LOW_RELIABILITY = 0.5
_DEGREES = 180.0 / np.pi             # radians to degrees: the report's angles are in degrees


def _num(x: Any, digits: int = 12) -> float | None:
    """A JSON number (None where the estimate is undefined: NaN)."""
    x = float(x)
    return float(np.round(x, digits)) if np.isfinite(x) else None


def _interval(value: Any, ci: tuple[np.ndarray, np.ndarray] | None, index: tuple, scale: float = 1.0) -> dict:
    """An estimate times ``scale`` and its interval at ``index`` (None without one), as JSON numbers."""
    return {"value": _num(value * scale),
            "ci": None if ci is None else [_num(ci[0][index] * scale), _num(ci[1][index] * scale)]}


def _stats(series: np.ndarray, scale: float = 1.0) -> dict:
    """The variation of a quantity across layers: mean, standard deviation, extremes and their layers (NaN
    layers left out; all None when every layer is NaN)."""
    s = series * scale
    if not np.isfinite(s).any():
        return {"mean": None, "std": None, "min": None, "max": None, "argmin_layer": None, "argmax_layer": None}
    return {"mean": _num(np.nanmean(s)), "std": _num(np.nanstd(s)), "min": _num(np.nanmin(s)),
            "max": _num(np.nanmax(s)), "argmin_layer": int(np.nanargmin(s)), "argmax_layer": int(np.nanargmax(s))}


_DEFAULT_CONFIG = MeasureConfig()


def measure(inp: MeasureInput, cfg: MeasureConfig = _DEFAULT_CONFIG) -> dict[str, Any]:
    """The report (a JSON-ready dict, schema ``alignment-tax-measure/2``)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                           # pragma: no cover - comes with scikit-learn
        return _measure(inp, cfg)
    with threadpool_limits(cfg.threads):
        return _measure(inp, cfg)


def _effect(cos: float, ci: list | None) -> str | None:
    """The predicted effect of delta = B v* on a capability: the sign of <v*, c_i>, ``uncertain`` when its
    interval contains 0, None when it is undefined."""
    if not np.isfinite(cos):
        return None
    if ci is not None and (None in ci or ci[0] <= 0 <= ci[1]):      # an undefined interval claims nothing either
        return "uncertain"
    return "degrade" if cos < 0 else "improve"


def _warnings(inp: MeasureInput, est: Estimates, cfg: MeasureConfig) -> list[str]:
    """What the data cannot support, in words: few samples per class against d, fewer folds than the intervals'
    measured coverage assumes, low reliability, no signal, a sign that depends on the kind of direction,
    directions without intervals."""
    L, n, d = inp.shape
    out = []
    if est.estimator == "cross-fit" and est.intervals and cfg.folds < DEFAULT_FOLDS:
        from verify.crossfit import dof_floor
        out.append(f"folds = {cfg.folds}: the interval of <v*, c_i> has few degrees of freedom with fewer than "
                   f"{DEFAULT_FOLDS} folds (as few as {dof_floor(cfg.folds):.2g} here), so it is wider than it needs "
                   f"to be and covers more than its level; its coverage was measured at {DEFAULT_FOLDS} folds "
                   f"(bench/bench_measure_coverage.py).")
    few = [(int(min(np.sum(y == P.POSITIVE), np.sum(y == P.NEGATIVE))), k, int(np.sum(y == P.POSITIVE)),
            int(np.sum(y == P.NEGATIVE))) for k, y in inp.labels.items()]
    few = [f"{k} ({p}/{q})" for least, k, p, q in sorted(few) if least < d]
    if len(few) > 4:                         # the fewest first; the count of the rest
        few = few[:3] + [f"{len(few) - 3} more"]
    if few:
        tail = ("the plug-in estimates are shrunk toward 0 here; use --estimator cross-fit"
                if est.estimator == "plug-in" else "the cross-fitted estimates stay unbiased, but their intervals "
                "are wide: read them before the point estimates")
        out.append(f"few samples per class relative to d = {d}: {', '.join(few)} (positive/negative) have fewer "
                   f"samples in a class than dimensions; {tail}.")
    if est.reliability is not None:
        keys = inp.keys
        bad = np.isnan(est.reliability) | (est.reliability <= 0)
        low = (est.reliability < _LOW_RELIABILITY) & ~bad
        for mask, what in ((bad, "no replicable signal (cross-fitted squared norm <= 0: its direction and every "
                                 "quantity with it are undefined, reported as null)"),
                           (low, f"low split-fold reliability (< {_LOW_RELIABILITY}: less than half of the squared "
                                 f"norm of its estimated direction replicates across independent folds)")):
            named = [f"{keys[j]} (layers {_layers(np.flatnonzero(mask[:, j]))})" for j in range(len(keys))
                     if mask[:, j].any() and keys[j] in inp.labels]
            if named:
                out.append(f"{what}: {', '.join(named)}.")
    if est.encoding_cos is not None:
        flips = [(c, np.flatnonzero(np.sign(est.encoding_cos[:, i]) != np.sign(est.point["cos"][:, i])))
                 for i, c in enumerate(inp.capability_names)]
        flips = [f"{c} (layers {_layers(ls)})" for c, ls in flips if ls.size]
        if flips:
            out.append(f"<v*, c_i> has a different sign for the readout and the encoding directions: "
                       f"{', '.join(flips)}; the paper's definitions are readout directions.")
    if inp.precomputed and est.estimator != "precomputed":
        out.append(f"no interval is available for the precomputed directions ({', '.join(inp.precomputed)}): they are "
                   f"taken as exact, so the intervals reflect the sampling of the labelled directions only.")
    elif inp.precomputed:
        out.append(f"no interval is available for precomputed directions ({', '.join(inp.precomputed)}): the "
                   f"quantities are exact functions of the given vectors.")
    return out


def _layers(idx: np.ndarray) -> str:
    """Layer indices as text: all of them up to six, else the first five and the count."""
    idx = [int(i) for i in idx]
    return ", ".join(map(str, idx)) if len(idx) <= 6 else f"{', '.join(map(str, idx[:5]))}, ... ({len(idx)} in all)"


def _layer(inp: MeasureInput, est: Estimates, ci: dict[str, Any], layer: int) -> dict[str, Any]:
    """One layer's entry: the joint tau, the principal angle and the tax-free safety with their intervals, the
    capabilities ranked by <v*, c_i> (most negative, the costliest, first; undefined ones last) and the
    further safety directions."""
    point = est.point
    m = len(inp.capability_names)
    cos_l = np.where(np.isfinite(point["cos"][layer]), point["cos"][layer], np.inf)
    order = np.argsort(cos_l, kind="stable")
    rank = np.empty(m, dtype=int)
    rank[order] = np.arange(1, m + 1)
    return {"layer": layer,
            "layer_name": None if inp.layer_names is None else inp.layer_names[layer],
            "token_position": None if inp.token_position is None else inp.token_position[layer],
            "safety_reliability": None if est.reliability is None else _num(est.reliability[layer, 0]),
            "tau": _interval(point["tau"][layer], ci["tau"], (layer,)),
            "principal_angle_deg": _interval(point["angle"][layer], ci["angle"], (layer,), _DEGREES),
            "tax_free_safety_per_B": _interval(point["free"][layer], ci["free"], (layer,)),
            "capabilities": [_capability(inp, est, ci, layer, i, int(rank[i])) for i in range(m)],
            "ranked_by_predicted_cost": [inp.capability_names[i] for i in order],
            "safety_pairs": [_safety_pair(inp, point, ci, layer, j) for j in range(len(inp.extra_safety_names))],
            "figure": None}


def _capability(inp: MeasureInput, est: Estimates, ci: dict[str, Any], layer: int, i: int,
                rank: int) -> dict[str, Any]:
    """Capability i at a layer: <v*, c_i> and tau_i = <v*, c_i>^2 with intervals, the predicted change per unit
    budget B <v*, c_i> / B and its effect, the class counts, the reliability and the encoding direction's sign."""
    name = inp.capability_names[i]
    y = inp.labels.get(CAPABILITY_PREFIX + name)
    point = est.point
    cos = _interval(point["cos"][layer, i], ci["cos"], (layer, i))
    enc = None if est.encoding_cos is None else est.encoding_cos[layer, i]
    return {"name": name,
            "source": "labels" if y is not None else "precomputed",
            "n_positive": None if y is None else int(np.sum(y == P.POSITIVE)),
            "n_negative": None if y is None else int(np.sum(y == P.NEGATIVE)),
            "reliability": None if est.reliability is None else _num(est.reliability[layer, 1 + i]),
            "cos": cos,
            "tau": _interval(point["tau_i"][layer, i], ci["tau_i"], (layer, i)),
            "encoding_cos": None if enc is None else _num(enc),
            "sign_differs_from_encoding": (None if enc is None or cos["value"] is None
                                           else bool(np.sign(enc) != np.sign(cos["value"]))),
            "predicted_change_per_B": cos["value"],
            "predicted_effect": _effect(point["cos"][layer, i], cos["ci"]),
            "cost_rank": rank}


def _safety_pair(inp: MeasureInput, point: dict[str, np.ndarray], ci: dict[str, Any], layer: int,
                 j: int) -> dict[str, Any]:
    """Safety against the further safety direction j at a layer: rho, the effective angle theta given all
    capabilities (Thm 6.4) and without them, Cor 6.3's equal gain s, the corrected Cor 6.6's max-min gain and
    eq. (17)'s right side, and the capabilities whose projections a = <v*, c_i>, b_i have opposite signs."""
    a, b = point["cos"][layer], point[f"b{j}"][layer]
    names = inp.capability_names
    return {"name": inp.extra_safety_names[j],
            "rho": _num(point[f"rho{j}"][layer]),
            "theta_deg": _interval(point[f"theta{j}"][layer], ci[f"theta{j}"], (layer,), _DEGREES),
            "theta_unconstrained_deg": _interval(point[f"theta0_{j}"][layer], ci[f"theta0_{j}"], (layer,),
                                                 _DEGREES),
            "max_equal_gain_s": _num(point[f"s{j}"][layer]),
            "max_min_gain_per_B": _num(point[f"maxmin{j}"][layer]),
            "eq17_rhs_per_B": _num(point[f"eq17_{j}"][layer]),
            "opposite_sign_capabilities": [names[i] for i in range(len(names)) if a[i] * b[i] < 0],
            "b": [_num(x) for x in b]}


def _input_summary(inp: MeasureInput) -> dict[str, Any]:
    """What was measured: the file, the shape (layers, samples, dimension), the dtype and the directions."""
    L, n, d = inp.shape
    keys = inp.keys
    return {"file": Path(inp.source).name, "layers": L, "samples": n, "dimension": d,
            "dtype": None if inp.acts is None else str(inp.acts.dtype), "capabilities": list(inp.capability_names),
            "safety_directions": [k for k in keys if k == "safety" or k.startswith(SAFETY_PREFIX)],
            "precomputed": [k for k in keys if k in inp.precomputed]}


def _config_summary(inp: MeasureInput, est: Estimates, cfg: MeasureConfig) -> dict[str, Any]:
    """How it was measured: the estimator actually used, the kind of direction, the intervals and the seed."""
    readout = f"readout ({'logistic probe' if cfg.probe == 'logistic' else 'Ledoit-Wolf'})"
    kind = "precomputed" if not inp.labels else readout if cfg.direction == DirectionKind.READOUT else "encoding"
    return {"estimator": est.estimator, "direction": kind, "probe": cfg.probe,
            "folds": cfg.folds if est.estimator == "cross-fit" else None,
            "intervals": est.intervals,
            "bootstrap": cfg.bootstrap if est.intervals == "percentile bootstrap" else 0,
            "valid_resamples": est.n_valid, "seed": cfg.seed, "level": cfg.level,
            "sign_convention": SIGN_CONVENTION}


def _measure(inp: MeasureInput, cfg: MeasureConfig) -> dict[str, Any]:
    """The report of the estimates: input, configuration, warnings, notes, one entry per layer and the
    variation of tau and of every tau_i across layers (mean, std, extremes and where they are)."""
    est = estimate(inp, cfg)
    point, ci = est.point, {k: est.ci.get(k) for k in est.point}
    layers = [_layer(inp, est, ci, layer) for layer in range(inp.shape[0])]
    cross = {"tau": _stats(point["tau"]), "principal_angle_deg": _stats(point["angle"], _DEGREES),
             "capabilities": {name: _stats(point["tau_i"][:, i]) for i, name in enumerate(inp.capability_names)}}
    return {"schema": SCHEMA,
            "input": _input_summary(inp),
            "config": _config_summary(inp, est, cfg),
            "warnings": _warnings(inp, est, cfg),
            "notes": {"predicted_change": MODEL_NOTE, "cor_6_6": COR66_NOTE, "directions": DIRECTION_NOTE,
                      "estimator": ESTIMATOR_NOTES[est.estimator]},
            "layers": layers, "cross_layer": cross}
