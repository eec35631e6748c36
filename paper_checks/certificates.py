"""The ``certificates`` command: every SMT-LIB 2 certificate and cofactor file of the registry, with a manifest,
and (``--check``) each re-checked from disk.

The check trusts nothing the writer computed.  Each SMT-LIB 2 file is read back and given to z3 and to cvc5, each
query in a process of its own under a wall-clock limit; the answer must be the one the manifest expects (``unsat``
for an obligation or a step, ``sat`` for the consistency of the hypotheses).  An ``unsat`` file is also checked for
vacuity: its facts alone (the file without its last assertion, the negated goal) must have a model, since facts
with no common solution make every goal follow.  One solver's ``sat`` shows a model exists (z3 is asked first,
cvc5 only when z3 does not say ``sat``); a ``unsat`` from either, or no ``sat`` from both, is a disagreement.  Each
cofactor file is expanded exactly.  Progress goes to stderr, one line a file; the summary to stdout; any disagreement
makes the exit code 1.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from paper_checks.paths import UsageError, output_directory

__all__ = ["add_parser", "command", "FileCheck", "check_directory", "facts_only", "solve"]

# Seconds a solver may take on one query, by the clock (the writer exports only queries both decide in 3 s; the facts
# alone may take longer to satisfy than the certificate to refute).
_TIMEOUT = 60.0

# One query, one process: the script on stdin, the answer (sat, unsat, unknown) on stdout.  z3 runs under the same
# deterministic resource limit as in the checker; cvc5 tries its coverings procedure first, then its default one,
# as the checker does (``derive.smt``), each for its share of the time.
_Z3 = r"""
import sys, z3
s = z3.Solver()
s.set("timeout", int(float(sys.argv[1]) * 1000))
s.set("rlimit", int(sys.argv[2]))
s.from_string(sys.stdin.read())
print(s.check())
"""

_CVC5 = r"""
import sys, cvc5
tm = cvc5.TermManager()
solver = cvc5.Solver(tm)
solver.setOption("tlimit-per", str(int(float(sys.argv[1]) * 1000)))
for key, value in zip(sys.argv[2::2], sys.argv[3::2]):
    solver.setOption(key, value)
sm = cvc5.SymbolManager(tm)
parser = cvc5.InputParser(solver, sm)
parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, sys.stdin.read(), "certificate")
out = ""
while True:
    cmd = parser.nextCommand()
    if cmd.isNull():
        break
    res = cmd.invoke(solver, sm)
    if res:
        out = res.strip()
print(out.splitlines()[-1] if out else "unknown")
"""


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("certificates", help="write every SMT-LIB 2 certificate and cofactor file, with a "
                              "manifest naming claim, derivation and step (re-checked by z3 and cvc5 in proofs/)")
    p.add_argument("directory", type=Path, metavar="DIR")
    p.add_argument("ids", nargs="*", metavar="ID", help="only these claim ids (default: every claim, and the proofs "
                   "of the closed forms from their definitions)")
    p.add_argument("--check", action="store_true",
                   help="then re-check every file from disk: z3 and cvc5 each in a process of its own, the facts of "
                        "each unsat certificate shown satisfiable, the cofactors expanded; exit 1 on any disagreement")
    p.add_argument("--timeout", type=float, default=_TIMEOUT, metavar="SECONDS",
                   help=f"wall-clock limit of one solver on one query (default {_TIMEOUT:g})")
    p.add_argument("--workers", type=int, default=2, metavar="N", help="queries run at once (default 2)")


def command(args: argparse.Namespace) -> int:
    from derive.certificates import write
    from paper_checks.definitions import reductions_of
    from paper_checks.registry import CLAIMS
    known = {c.id for c in CLAIMS}
    unknown = [i for i in args.ids if i not in known]
    if unknown:
        raise UsageError(f"ID {unknown[0]!r} is not a claim id; `alignment-tax claims` lists them.")
    if not args.timeout > 0:
        raise UsageError(f"--timeout {args.timeout!r} must be a positive number of seconds.")
    if args.workers < 1:
        raise UsageError(f"--workers {args.workers!r} must be a positive integer.")
    directory = output_directory("DIR", args.directory)
    claims = [c for c in CLAIMS if not args.ids or c.id in args.ids]
    entries = [(c.id, (*c.derivations, *reductions_of(c.statement))) for c in claims]
    if not args.ids:
        # The closed forms proved from their definitions, under the definition's name.
        from paper_checks.closed_forms import derivations
        entries += derivations()
    try:
        manifest = write(directory, entries)
    except OSError as exc:
        raise UsageError(f"DIR {str(directory)!r} cannot be written: {exc.strerror}.") from None
    print(f"certificates written to {directory}; manifest {manifest}")
    if not args.check:
        return 0
    checks = check_directory(directory, args.timeout, args.workers, progress=sys.stderr)
    print(summary(checks))
    return 0 if all(c.agrees for c in checks) else 1


@dataclass(frozen=True)
class FileCheck:
    """What re-checking one certificate file gave: each solver's answer (or the expansion's), and for an ``unsat``
    file the answers on its facts alone."""

    file: str
    expected: str                          # unsat | sat | zero
    answers: tuple[tuple[str, str], ...]   # (solver, answer) on the file; ("expansion", "zero"/"nonzero")
    facts: tuple[tuple[str, str], ...] = ()   # (solver, answer) on the facts without the negated goal

    @property
    def vacuous(self) -> bool:
        """An ``unsat`` certificate whose facts are not shown to have a model (a solver found none, or neither
        found one)."""
        answers = [a for _, a in self.facts]
        return self.expected == "unsat" and ("unsat" in answers or "sat" not in answers)

    @property
    def agrees(self) -> bool:
        return all(a == self.expected for _, a in self.answers) and not self.vacuous

    def line(self) -> str:
        said = ", ".join(f"{s} {a}" for s, a in self.answers)
        facts = "; facts alone: " + ", ".join(f"{s} {a}" for s, a in self.facts) if self.facts else ""
        verdict = "ok" if self.agrees else f"DISAGREES (expected {self.expected})"
        return f"{self.file}: {said}{facts}: {verdict}"


def facts_only(text: str) -> str:
    """The script without its last assertion, the negated goal (``derive.smt.build_query`` asserts it last)."""
    lines = text.splitlines()
    last = max((i for i, line in enumerate(lines) if line.startswith("(assert ")), default=None)
    if last is None:
        raise ValueError("text= holds no assertion to remove; a certificate asserts its negated goal last.")
    return "\n".join(lines[:last] + lines[last + 1:]) + "\n"


def solve(solver: str, text: str, timeout: float) -> str:
    """``sat``, ``unsat`` or ``unknown`` from ``solver`` (``z3`` or ``cvc5``) on ``text``, in a fresh process ended
    after ``timeout`` seconds by the clock (a timeout or a crash is ``unknown``)."""
    if solver == "z3":
        from derive.smt import _Z3_RLIMIT
        runs = [([_Z3, str(timeout), str(_Z3_RLIMIT)], timeout)]
    elif solver == "cvc5":
        # The two strategies of derive.smt, each in its own process, for its share of the time.
        runs = [([_CVC5, str(timeout / 4), "nl-cov", "true", "nl-ext", "none"], timeout / 4),
                ([_CVC5, str(timeout * 3 / 4)], timeout * 3 / 4)]
    else:
        raise ValueError(f"solver={solver!r} is not one of 'z3', 'cvc5'.")
    for argv, seconds in runs:
        try:
            done = subprocess.run([sys.executable, "-c", *argv], input=text, capture_output=True, text=True,
                                  timeout=seconds + 2.0)   # the interpreter's start-up on top of the solver's time
        except subprocess.TimeoutExpired:
            continue
        answer = done.stdout.strip().splitlines()[-1] if done.returncode == 0 and done.stdout.strip() else "unknown"
        if answer in ("sat", "unsat"):
            return answer
    return "unknown"


def _check_file(directory: Path, entry: dict, timeout: float) -> FileCheck:
    path = directory / entry["file"]
    text = path.read_text()
    if entry["expected"] == "zero":
        from derive.certificates import recheck_cofactors
        return FileCheck(entry["file"], "zero", (("expansion", "zero" if recheck_cofactors(text) else "nonzero"),))
    answers = tuple((s, solve(s, text, timeout)) for s in ("z3", "cvc5"))
    facts: tuple[tuple[str, str], ...] = ()
    if entry["expected"] == "unsat":
        alone = facts_only(text)
        facts = (("z3", solve("z3", alone, timeout)),)
        if facts[0][1] != "sat":
            facts += (("cvc5", solve("cvc5", alone, timeout)),)
    return FileCheck(entry["file"], entry["expected"], answers, facts)


def check_directory(directory: Path, timeout: float = _TIMEOUT, workers: int = 2, progress=None) -> list[FileCheck]:
    """Re-check every file the manifest of ``directory`` names; one line a file on ``progress`` as it finishes."""
    from derive.certificates import MANIFEST
    entries = json.loads((Path(directory) / MANIFEST).read_text())
    out: list[FileCheck] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for k, check in enumerate(pool.map(lambda e: _check_file(Path(directory), e, timeout), entries), 1):
            out.append(check)
            if progress is not None:
                print(f"[{k}/{len(entries)}] {check.line()}", file=progress, flush=True)
    return out


def summary(checks: list[FileCheck]) -> str:
    """One line: how many files of each kind re-checked, and how many disagree."""
    smt = [c for c in checks if c.expected != "zero"]
    unsat = [c for c in smt if c.expected == "unsat"]
    cofactors = [c for c in checks if c.expected == "zero"]
    bad = [c for c in checks if not c.agrees]
    z3 = sum(dict(c.answers).get("z3") == c.expected for c in smt)
    cvc5 = sum(dict(c.answers).get("cvc5") == c.expected for c in smt)
    nonvacuous = sum(not c.vacuous for c in unsat)
    head = (f"certificates checked: {len(smt)} SMT-LIB files (z3 agrees on {z3}, cvc5 on {cvc5}; the facts of "
            f"{nonvacuous} of {len(unsat)} unsat certificates satisfiable), {len(cofactors)} cofactor files "
            f"({sum(c.agrees for c in cofactors)} expand exactly)")
    return head + (f"; {len(bad)} disagree: " + ", ".join(c.file for c in bad) if bad else "; all agree")
