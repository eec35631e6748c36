"""``alignment-tax measure``: the paper's quantities per layer on directions probed from activations (Prediction
1's workflow).

The command reads an ``.npz`` (``paper_checks.measure_input``: ``acts`` (layers, n, d), ``safety``,
``capability_NAME``, optionally ``safety_NAME`` and precomputed ``direction_*``), estimates every quantity per
layer with its interval (``paper_checks.measure_estimate``: cross-fitted or plug-in inner products of
encoding or readout directions, configured by ``paper_checks.measure_config``), builds the report
(``paper_checks.measure_report``, schema ``alignment-tax-measure/2``: per layer <v*, c_i>, tau_i, the joint
tau, the principal angle, the tax-free safety, the capabilities ranked by predicted cost and the effective
angles; across layers the variation of tau; warnings) and writes it (``paper_checks.measure_output``: the
terminal, JSON and CSV; ``paper_checks.measure_figure``: a frontier figure per layer).  This module runs
the command and names the public interface of all of them.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from paper_checks.measure_config import DEFAULT_FOLDS, DirectionKind, Estimator, MeasureConfig
from paper_checks.measure_estimate import _directions as _directions
from paper_checks.measure_estimate import _gram_route as _gram_route
from paper_checks.measure_estimate import _quantities as _quantities
from paper_checks.measure_figure import write_figures
from paper_checks.measure_input import MeasureInput, load_npz, validate_arrays
from paper_checks.measure_output import format_report, write_csv, write_json
from paper_checks.measure_report import MODEL_NOTE, SCHEMA, measure
from paper_checks.paths import output_directory, output_file
from verify.validate import InputError

__all__ = ["SCHEMA", "Estimator", "DirectionKind", "MeasureInput", "MeasureConfig", "load_npz", "validate_arrays",
           "measure", "write_json", "write_csv", "format_report", "write_figures", "run", "add_parser", "command",
           "MODEL_NOTE"]


def run(file: Path, json_path: Path | None, figures: Path | None, cfg: MeasureConfig, detail_layer: int | None,
        out: TextIO, csv_path: Path | None = None) -> dict[str, Any]:
    """The ``measure`` command: check the outputs, load, measure, write.  Bad input raises InputError."""
    if json_path is not None:
        output_file("--json", json_path)
    if csv_path is not None:
        output_file("--csv", csv_path)
    if figures is not None:
        output_directory("--figures", figures)
    inp = load_npz(file)
    L = inp.shape[0]
    if detail_layer is not None and not 0 <= detail_layer < L:
        raise InputError(f"--layer {detail_layer!r} must lie in [0, {L - 1}] (acts has {L} layers).")
    report = measure(inp, cfg)
    if figures is not None:
        paths = write_figures(report, figures)
        for row, p in zip(report["layers"], paths, strict=False):
            row["figure"] = p.name
    print(format_report(report, detail_layer), file=out)
    if json_path is not None:
        write_json(report, json_path)
        print(f"JSON report written to {json_path}", file=out)
    if csv_path is not None:
        write_csv(report, csv_path)
        print(f"CSV table written to {csv_path}", file=out)
    if figures is not None:
        print(f"{len(report['layers'])} frontier figures written to {figures}", file=out)
    return report


def add_parser(sub: Any) -> None:
    """Register ``measure`` on the CLI's subparsers."""
    p = sub.add_parser("measure", help="the paper's quantities per layer on directions probed from activations "
                       "(.npz: acts, safety, capability_NAME, ...)")
    p.add_argument("file", type=Path, metavar="FILE.npz")
    p.add_argument("--json", type=Path, metavar="OUT", help="write the JSON report (schema alignment-tax-measure/2)")
    p.add_argument("--csv", type=Path, metavar="OUT", help="write a flat table, one row per layer and capability")
    p.add_argument("--figures", type=Path, metavar="DIR", help="write one frontier figure (PNG) per layer")
    p.add_argument("--estimator", choices=[x.value for x in Estimator], default="cross-fit",
                   help="cross-fit (default: unbiased inner products and intervals that cover) or plug-in")
    p.add_argument("--direction", choices=[x.value for x in DirectionKind], default="encoding",
                   help="encoding (difference of means, default) or readout (Ledoit-Wolf shrinkage discriminant; "
                        "the paper's definitions are readout directions)")
    p.add_argument("--folds", type=int, default=DEFAULT_FOLDS, metavar="K",
                   help="folds of the cross-fitted estimator (default 20, at least 5; every class needs K samples)")
    p.add_argument("--no-intervals", action="store_true", help="point estimates only (faster)")
    p.add_argument("--probe", choices=("diff-means", "logistic"), default="diff-means",
                   help="direction estimator (default diff-means; logistic: --estimator plug-in --direction readout)")
    p.add_argument("--bootstrap", type=int, default=200, metavar="N",
                   help="bootstrap resamples of the plug-in estimator's intervals (default 200; 0: none)")
    p.add_argument("--seed", type=int, default=0, help="seed of the folds and the bootstrap (default 0)")
    p.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--layer", type=int, metavar="N", help="also print layer N's capabilities by predicted cost")
    p.add_argument("--threads", type=int, default=1, metavar="N", help="BLAS threads (default 1)")


def command(args: argparse.Namespace) -> int:
    """Run ``measure``; bad input prints one line ``alignment-tax: error: ...`` and returns 2."""
    from verify.validate import AlignmentTaxError

    import warnings

    try:
        cfg = MeasureConfig(args.probe, args.bootstrap, args.seed, args.level, args.threads, args.estimator,
                            args.direction, args.folds, not args.no_intervals)
        with warnings.catch_warnings():
            # Non-finite activations are reported by the validators in one line; numpy's warnings on the way
            # there would only add lines before it.
            warnings.simplefilter("ignore", RuntimeWarning)
            run(args.file, args.json, args.figures, cfg, args.layer, sys.stdout, args.csv)
    except AlignmentTaxError as exc:
        msg = str(exc)
        for name in ("bootstrap", "seed", "level", "threads", "folds", "estimator", "direction", "probe"):
            msg = msg.replace(f"{name}=", f"--{name} ")
        print(f"alignment-tax: error: {msg}", file=sys.stderr)
        return 2
    return 0
