"""The command line: ``alignment-tax audit | derive | certificates | claims``.

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
    a.add_argument("--markdown", type=Path, metavar="PATH", help="write the Markdown report here")
    a.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    a.add_argument("--samples", type=int, default=AuditConfig.samples,
                   help="random geometries per numeric confirmation")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    d = sub.add_parser("derive", help="print the derivations step by step, with how each was checked, or "
                       "write them as a LaTeX document")
    d.add_argument("ids", nargs="*", metavar="ID")
    d.add_argument("--latex", type=Path, metavar="DIR", help="write DIR/alignment_tax_audit.tex and its figures")
    d.add_argument("--pdf", action="store_true", help="also compile the document with pdflatex")
    d.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
    c = sub.add_parser("certificates", help="write every SMT-LIB 2 certificate and cofactor file, with a manifest")
    c.add_argument("directory", type=Path, metavar="DIR")
    f = sub.add_parser("figures", help="draw the figures (PNG and PDF) into a directory")
    f.add_argument("directory", type=Path, metavar="DIR")
    sub.add_parser("claims", help="list the claim ids")
    return p


def _run(claims, cfg: AuditConfig, console: Console, quiet: bool):
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True, disable=quiet) as bar:
        task = bar.add_task("auditing", total=len(claims))
        return audit.run(claims, cfg, on_done=lambda f: bar.update(
            task, advance=1, description=f"auditing (done: {f.id})"))


def _audit(args: argparse.Namespace, console: Console) -> None:
    if args.seed < 0:
        raise UsageError(f"--seed {args.seed!r} must be a nonnegative integer.")
    if args.samples < 4:
        raise UsageError(f"--samples {args.samples!r} must be at least 4 (the edge cases need 3).")
    claims = _claims(args.only)
    json_path = _writable("--json", args.json) if args.json else None
    md_path = _writable("--markdown", args.markdown) if args.markdown else None
    cfg = AuditConfig(seed=args.seed, samples=args.samples)
    from paper_checks.report import print_table, write_json, write_markdown
    findings = _run(claims, cfg, console, args.quiet)
    print_table(findings, console)
    if json_path:
        write_json(findings, cfg, json_path)
        console.print(f"JSON report written to {json_path}")
    if md_path:
        write_markdown(findings, cfg, md_path)
        console.print(f"Markdown report written to {md_path}")


def _claims(ids: Sequence[str] | None):
    try:
        return audit.select(ids)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None


def _derive(args: argparse.Namespace, console: Console) -> None:
    claims = _claims(args.ids)
    if args.latex is not None:
        _latex(args, claims, console)
        return
    from derive.certificates import collect
    from derive.explain import describe
    files: dict[tuple[str, str], list[str]] = {}
    for cert in collect((c.id, c.derivations) for c in claims):
        files.setdefault((cert.derivation, cert.step.split(".")[0]), []).append(cert.filename)
    for claim in claims:
        for deriv in (make() for make in claim.derivations):
            for line in describe(deriv, files):
                console.print(line, highlight=False)


def _latex(args: argparse.Namespace, claims, console: Console) -> None:
    from paper_checks.figures import write_figures
    from paper_checks.report import write_latex, write_pdf
    if args.seed < 0:
        raise UsageError(f"--seed {args.seed!r} must be a nonnegative integer.")
    directory: Path = args.latex
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--latex {str(directory)!r} is a file; give a directory.")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--latex {str(directory)!r} cannot be created: {exc.strerror}.") from None
    _writable("--latex", directory / "alignment_tax_audit.tex")
    cfg = AuditConfig(seed=args.seed)
    findings = _run(claims, cfg, console, quiet=not sys.stdout.isatty())
    figures = write_figures(directory / "figures", [c.id for c in claims])
    tex = write_latex(findings, cfg, directory, figures)
    console.print(f"LaTeX written to {tex}")
    if args.pdf:
        pdf = write_pdf(tex)
        if pdf is None:
            console.print("no TeX engine found (pdflatex): the .tex is written; install TeX Live "
                          "(Debian: texlive-latex-base texlive-latex-recommended) to build the PDF")
        else:
            console.print(f"PDF written to {pdf}")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Rich falls back to 80 columns when not on a terminal (CI logs); the table needs more.
    console = Console() if sys.stdout.isatty() else Console(width=160)
    try:
        if args.command == "audit":
            _audit(args, console)
        elif args.command == "derive":
            _derive(args, console)
        elif args.command == "certificates":
            from derive.certificates import write
            manifest = write(args.directory, ((c.id, c.derivations) for c in CLAIMS))
            console.print(f"certificates and {manifest} written")
        elif args.command == "figures":
            from paper_checks.figures import write_figures
            written = write_figures(args.directory)
            console.print(f"{sum(map(len, written.values()))} figures written to {args.directory}")
        else:
            for c in CLAIMS:
                console.print(f"{c.id:16} {c.location}", highlight=False)
    except UsageError as exc:
        print(f"alignment-tax: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
