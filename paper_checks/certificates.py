"""The ``certificates`` command: every SMT-LIB 2 certificate and cofactor file of the registry, with a manifest."""
from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["add_parser", "command"]


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("certificates", help="write every SMT-LIB 2 certificate and cofactor file, with a "
                              "manifest naming claim, derivation and step (re-checked by z3 and cvc5 in proofs/)")
    p.add_argument("directory", type=Path, metavar="DIR")
    p.add_argument("ids", nargs="*", metavar="ID", help="only these claim ids (default: every claim)")


def command(args: argparse.Namespace) -> int:
    from derive.certificates import write
    from paper_checks.paths import UsageError, output_directory
    from paper_checks.registry import CLAIMS
    known = {c.id for c in CLAIMS}
    unknown = [i for i in args.ids if i not in known]
    if unknown:
        raise UsageError(f"ID {unknown[0]!r} is not a claim id; `alignment-tax claims` lists them.")
    directory = output_directory("DIR", args.directory)
    claims = [c for c in CLAIMS if not args.ids or c.id in args.ids]
    try:
        manifest = write(directory, [(c.id, c.derivations) for c in claims])
    except OSError as exc:
        raise UsageError(f"DIR {str(directory)!r} cannot be written: {exc.strerror}.") from None
    print(f"certificates written to {directory}; manifest {manifest}")
    return 0
