"""The outputs of ``alignment-tax measure``: the report for a terminal (at most 80 columns), the JSON file and
the flat CSV table (one row per layer and capability)."""
from __future__ import annotations

import csv
import json
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from verify.validate import InputError

__all__ = ["format_report", "write_json", "write_csv", "number"]

_CSV_COLUMNS = ("layer", "layer_name", "token_position", "direction", "estimator", "capability", "source",
                "cos", "cos_lo", "cos_hi", "tau_i", "tau_i_lo", "tau_i_hi", "predicted_effect", "cost_rank",
                "reliability", "encoding_cos", "tau", "tau_lo", "tau_hi", "principal_angle_deg",
                "tax_free_safety_per_B")
_CLOSING = ("tau_i = <v*, c_i>^2. In the paper's model delta = B v* changes capability i by B <v*, c_i>: degradation "
            "in proportion to sqrt(tau_i), not tau_i (audit finding pred-1.model); capabilities with <v*, c_i> > 0 "
            "are predicted to improve, 'uncertain' when the interval of <v*, c_i> contains 0.")


def write_json(report: Mapping[str, Any], path: Path) -> None:
    """Write the report; a failed write (a full disk) is an InputError naming --json and the path."""
    try:
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(f"--json {str(path)!r}: writing failed: {exc.strerror}.") from None


def number(x: float | None, fmt: str) -> str:
    """A report number in the format ``fmt``; ``nan`` where it is undefined (None)."""
    return "nan" if x is None else f"{x:{fmt}}"


def _fmt_ci(x: dict, fmt: str = ".3f") -> str:
    """An estimate and its interval, ``value [lo,hi]``; the value alone without an interval."""
    if x["ci"] is None:
        return number(x["value"], fmt)
    return f"{number(x['value'], fmt)} [{number(x['ci'][0], fmt)},{number(x['ci'][1], fmt)}]"


def _short(text: str | None, width: int) -> str:
    """``text`` cut to ``width`` characters (``~`` marks the cut); ``-`` for None."""
    text = "-" if text is None else text
    return text if len(text) <= width else text[:width - 1] + "~"


def _wrap(text: str, width: int = 80, indent: str = "") -> list[str]:
    """``text`` wrapped to ``width`` columns, its continuation lines indented by ``indent``."""
    return textwrap.wrap(text, width, subsequent_indent=indent)


def _header(report: Mapping[str, Any]) -> list[str]:
    """The input's shape, the kind of direction, the estimator and the intervals, then the warnings."""
    inp, cfg = report["input"], report["config"]
    size = f"{inp['samples']} samples, " if inp["samples"] else ""
    lines = [f"alignment-tax measure {_short(inp['file'], 28)}: {inp['layers']} layers, {size}"
             f"d = {inp['dimension']}" + (f" ({inp['dtype']})" if inp["dtype"] else ""),
             f"{cfg['direction']} directions, {cfg['estimator']} estimator; "
             + (f"{cfg['level']:.0%} intervals: {cfg['intervals']}" if cfg["intervals"] else "no intervals")
             + (f" ({cfg['valid_resamples']} resamples, seed {cfg['seed']})" if cfg["bootstrap"] else "")]
    for w in report["warnings"]:
        lines += _wrap("warning: " + w, indent="  ")
    return lines


def _layer_table(layers: list[dict]) -> list[str]:
    """One line per layer: tau with its interval, the principal angle, the tax-free safety and the costliest
    capability predicted to degrade."""
    lines = ["", "Per layer: joint tax rate tau (Rem 4.6), principal angle, tax-free safety",
             f"{'layer':>5} {'name':<24} {'tau [CI]':<19} {'angle':>6} {'free/B':>6} {'costliest':<14}"]
    for row in layers:
        degrade = [x for x in row["capabilities"] if x["predicted_effect"] == "degrade"]
        costly = min(degrade, key=lambda x: x["cost_rank"])["name"] if degrade else "-"
        lines.append(f"{row['layer']:>5} {_short(row['layer_name'], 24):<24} {_fmt_ci(row['tau']):<19} "
                     f"{number(row['principal_angle_deg']['value'], '>5.1f')}d "
                     f"{number(row['tax_free_safety_per_B']['value'], '>6.3f')} {_short(costly, 14):<14}")
    return lines


def _stat_row(name: str, st: dict, eff: str) -> str:
    """One quantity's variation across layers: mean, std, min and max with their layers, and an effect."""
    if st["mean"] is None:
        return f"{_short(name, 18):<18} {'nan':>7}"
    return (f"{_short(name, 18):<18} {st['mean']:>7.4f} {st['std']:>7.4f} {st['min']:>7.4f} "
            f"({st['argmin_layer']:>3}) {st['max']:>7.4f} ({st['argmax_layer']:>3})  {eff:<9}")


def _cross_layer_table(report: Mapping[str, Any]) -> list[str]:
    """The variation of the joint tau and of every tau_i across layers (Prediction 3's quantity), with each
    capability's predicted effect at the layer of its largest tau_i."""
    cross = report["cross_layer"]
    lines = ["", "Across layers (Prediction 3's quantity): tau and per-capability tau_i",
             f"{'capability':<18} {'mean':>7} {'std':>7} {'min (layer)':>13} {'max (layer)':>13}  {'at max':<9}",
             _stat_row("(joint tau)", cross["tau"], "")]
    for name, st in cross["capabilities"].items():
        eff = "-"
        if st["argmax_layer"] is not None:
            top = report["layers"][st["argmax_layer"]]
            eff = next(x for x in top["capabilities"] if x["name"] == name)["predicted_effect"] or "-"
        lines.append(_stat_row(name, st, eff))
    return lines


def _layer_detail(row: Mapping[str, Any], layer: int) -> list[str]:
    """One layer's capabilities by predicted cost (<v*, c_i> and tau_i with intervals, the effect; ``*`` where
    the encoding direction has the other sign) and its further safety directions' effective angles."""
    lines = [""] + _wrap(f"Layer {layer} ({row['layer_name'] or '-'}, token {row['token_position']}): "
                         f"capabilities by predicted cost")
    lines.append(f"{'rank':>4} {'capability':<16} {'<v*,c_i> [CI]':<26} {'tau_i [CI]':<20} {'effect':<9}")
    for name in row["ranked_by_predicted_cost"]:
        c = next(x for x in row["capabilities"] if x["name"] == name)
        flag = "*" if c["sign_differs_from_encoding"] else ""
        lines.append(f"{c['cost_rank']:>4} {_short(name, 16):<16} {_fmt_ci(c['cos'], '+.3f'):<26} "
                     f"{_fmt_ci(c['tau'], '.3f'):<20} {(c['predicted_effect'] or '-') + flag:<9}")
    if any(c["sign_differs_from_encoding"] for c in row["capabilities"]):
        lines.append("* the encoding direction (difference of means) gives the other sign")
    for p in row["safety_pairs"]:
        lines += _wrap(f"safety vs safety_{p['name']}: effective angle theta {_fmt_ci(p['theta_deg'], '.1f')} deg "
                       f"given all capabilities ({number(p['theta_unconstrained_deg']['value'], '.1f')} deg "
                       f"without); opposite-sign capabilities (Thm 6.4): "
                       f"{', '.join(p['opposite_sign_capabilities']) or 'none'}")
    return lines


def format_report(report: Mapping[str, Any], detail_layer: int | None = None) -> str:
    """The report for a terminal, at most 80 columns wide; ``detail_layer`` adds that layer's capabilities."""
    lines = _header(report) + _layer_table(report["layers"]) + _cross_layer_table(report)
    if detail_layer is not None:
        lines += _layer_detail(report["layers"][detail_layer], detail_layer)
    lines += [""] + _wrap(_CLOSING)
    return "\n".join(line.rstrip() for line in lines)


def write_csv(report: Mapping[str, Any], path: Path) -> None:
    """One row per layer and capability (the columns of ``_CSV_COLUMNS``; an empty cell where a value is absent)."""
    def ends(x: dict) -> list:
        return [x["value"], *(x["ci"] or [None, None])]

    cfg = report["config"]
    try:
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(_CSV_COLUMNS)
            for row in report["layers"]:
                for c in row["capabilities"]:
                    w.writerow(["" if x is None else x for x in
                                [row["layer"], row["layer_name"], row["token_position"], cfg["direction"],
                                 cfg["estimator"], c["name"], c["source"], *ends(c["cos"]), *ends(c["tau"]),
                                 c["predicted_effect"], c["cost_rank"], c["reliability"], c["encoding_cos"],
                                 *ends(row["tau"]), row["principal_angle_deg"]["value"],
                                 row["tax_free_safety_per_B"]["value"]]])
    except OSError as exc:
        raise InputError(f"--csv {str(path)!r}: writing failed: {exc.strerror}.") from None
