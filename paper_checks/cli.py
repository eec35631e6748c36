"""The command line: ``alignment-tax audit | derive | claims``.

Exit codes: 0 when the command ran (whatever the verdicts), 2 when it could not (bad arguments, an
unknown claim id, an unwritable output path).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from derive.core import Status
from paper_checks import audit
from paper_checks.finding import AuditConfig
from paper_checks.registry import CLAIMS

__all__ = ["main"]


class UsageError(Exception):
    """A command that cannot run as asked; its message is printed and the exit code is 2."""


def _writable(option: str, path: Path) -> Path:
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"{option} {str(path)!r} is a directory; give a file path.")
    if not parent.is_dir():
        raise UsageError(f"{option} {str(path)!r}: the directory {str(parent)!r} does not exist.")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{option} {str(path)!r} is not writable.")
    return path


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="alignment-tax", description="Audit 'What Is the Geometry of the "
                                "Alignment Tax?': derivations, certified optima and verdicts.")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("audit", help="give every claim a computed verdict")
    a.add_argument("--only", nargs="+", metavar="ID", help="audit only these claim ids")
    a.add_argument("--json", type=Path, metavar="PATH", help="write the JSON report here")
    a.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    a.add_argument("--samples", type=int, default=AuditConfig.samples,
                   help="random geometries per numeric confirmation")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    d = sub.add_parser("derive", help="print the derivations step by step, with how each was checked")
    d.add_argument("ids", nargs="*", metavar="ID")
    sub.add_parser("claims", help="list the claim ids")
    return p


def _audit(args: argparse.Namespace, console: Console) -> None:
    if args.seed < 0:
        raise UsageError(f"--seed {args.seed!r} must be a nonnegative integer.")
    if args.samples < 4:
        raise UsageError(f"--samples {args.samples!r} must be at least 4 (the edge cases need 3).")
    claims = _claims(args.only)
    json_path = _writable("--json", args.json) if args.json else None
    cfg = AuditConfig(seed=args.seed, samples=args.samples)
    from paper_checks.report import print_table, write_json
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True, disable=args.quiet) as bar:
        task = bar.add_task("auditing", total=len(claims))
        findings = audit.run(claims, cfg, on_done=lambda f: bar.update(
            task, advance=1, description=f"auditing (done: {f.id})"))
    print_table(findings, console)
    if json_path:
        write_json(findings, cfg, json_path)
        console.print(f"JSON report written to {json_path}")


def _claims(ids: Sequence[str] | None):
    try:
        return audit.select(ids)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def _derive(args: argparse.Namespace, console: Console) -> None:
    for claim in _claims(args.ids):
        for deriv in (make() for make in claim.derivations):
            console.print(f"[bold]{deriv.claim}[/]: {deriv.title}")
            for line in deriv.assumptions:
                console.print(f"  assume {line}", highlight=False)
            for check in deriv.check():
                mark = {Status.OK: "[green]ok[/]", Status.NUMERIC: "[yellow]numeric[/]",
                        Status.FAILED: "[red]FAILED[/]"}[check.status]
                console.print(f"  {mark} {check.step.name}: {check.step.rule}  ({check.method})", highlight=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Rich falls back to 80 columns when not on a terminal (CI logs); the table needs more.
    console = Console() if sys.stdout.isatty() else Console(width=160)
    try:
        if args.command == "audit":
            _audit(args, console)
        elif args.command == "derive":
            _derive(args, console)
        else:
            for c in CLAIMS:
                console.print(f"{c.id:16} {c.location}", highlight=False)
    except UsageError as exc:
        print(f"alignment-tax: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
