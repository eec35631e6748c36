"""The command line: ``alignment-tax audit | explain | derive | figures | report | claims | measure``.

Exit codes:

* 0: the command ran; for ``audit``, no finding has a verdict named by ``--fail-on``;
* 1: ``audit --fail-on VERDICT`` (repeatable; refuted, conditional or undecided) and some finding has
  that verdict, so CI can gate on the paper's state; or ``audit --mutants`` and a mutant survives; or
  ``certificates DIR --check`` and a solver disagrees with a certificate (or one is vacuous);
* 2: the command could not run: bad arguments, an unknown claim id, an output path that cannot be
  written (checked before the run, and write failures caught after it).  One line on stderr,
  ``alignment-tax: error: ...``, names the option and the value; never a traceback.

This module imports only the standard library at start-up (``--help``, ``--version`` and ``claims`` must
answer in a fraction of a second): SymPy, cvxpy, rich and matplotlib are imported inside the commands
that use them.  A command is a ``_Command`` subclass listed in ``COMMANDS``, or a module listed in
``EXTERNAL`` (its own ``add_parser`` and ``command``, imported only when that command runs).
"""
from __future__ import annotations

import argparse
import enum
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from collections.abc import Callable, Sequence

from paper_checks.output import Outputs
from paper_checks.paths import STDOUT, UsageError

if TYPE_CHECKING:  # only for the annotations; importing them at run time is what makes start-up slow
    from rich.console import Console

    from paper_checks.cache import FindingsCache
    from paper_checks.explain import Explanation
    from paper_checks.finding import AuditConfig, Claim, Finding

__all__ = ["main", "FailOn", "UsageError", "COMMANDS", "EXTERNAL"]

PROG = "alignment-tax"


class FailOn(enum.Enum):
    """The verdicts ``audit --fail-on`` can turn into exit code 1 (a subset of ``finding.Verdict``)."""

    REFUTED = "refuted"
    CONDITIONAL = "conditional"
    UNDECIDED = "undecided"


_EXIT_CODES = ("exit codes: 0 the command ran (for audit: no finding has a --fail-on verdict); "
               "1 audit --fail-on VERDICT and some finding has that verdict (or audit --mutants and a mutant "
               "survives); "
               "2 the command could not run (bad option, unknown claim id, unwritable output path)")


# ---------------------------------------------------------------------------------------------
# Output paths: checked before the run and written as one transaction (paper_checks.output: an OutputError, which
# is a UsageError; what a failed or interrupted run created is removed), '-' meaning stdout.  One run at a time:
# ``main`` sets _RUN.

_RUN = Outputs()


def _output_file(option: str, path: Path) -> Path | None:
    """``path`` checked as a file the run can write (its directories may be missing); None for ``-`` (stdout)."""
    return None if str(path) == STDOUT else _RUN.file(option, path)


def _output_directory(option: str, path: Path) -> Path:
    """``path`` checked as a directory the run can create or write into."""
    return _RUN.directory(option, path)


def _write(option: str, path: Path | None, text: str) -> None:
    """Write ``text`` to ``path`` (stdout when None), creating its directories; a failure names the option."""
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    _RUN.write_text(option, path, text)


def _after_run(option: str, path: Path, action: Callable[[], Any]) -> Any:
    """Run a writer that writes under the directory ``path`` itself (figures, LaTeX), creating ``path`` first; an
    OSError names the option and the file."""
    return _RUN.run(option, path, action)


# ---------------------------------------------------------------------------------------------
# Progress: on stderr, so that stdout carries only results.


class _Progress:
    """What a run is doing: a bar naming the claim being audited on a terminal, one line per stage
    when stderr is piped (CI logs), nothing with ``--quiet``."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.live = not quiet and sys.stderr.isatty()

    def stage(self, text: str) -> None:
        if not self.quiet:
            print(f"{PROG}: {text}", file=sys.stderr, flush=True)

    def audit(self, claims: Sequence[Claim], cfg: AuditConfig, workers: int | None = None) -> list[Finding]:
        """Audit ``claims``; each finding is stored in the findings cache by the process that judged it."""
        from paper_checks import audit
        cache = _cache_for(cfg)
        store = None if cache is None else (lambda claim, finding: _remember(cache, [claim], [finding]))
        if not self.live:
            total = len(claims)
            counter = iter(range(1, total + 1))
            return audit.run(claims, cfg, workers=workers, store=store,
                             on_start=lambda c: self.stage(f"auditing {c.id} ({next(counter)}/{total})"))
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        running: list[str] = []   # several at once with --workers

        def start(claim: Claim) -> None:
            running.append(claim.id)
            bar.update(task, claims=", ".join(running))

        def done(finding: Finding) -> None:
            running.remove(finding.id)
            bar.update(task, advance=1, claims=", ".join(running))

        with Progress(TextColumn("auditing [bold]{task.fields[claims]}[/]"), BarColumn(),
                      TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("audit", total=len(claims), claims="")
            return audit.run(claims, cfg, workers=workers, on_start=start, on_done=done, store=store)


# ---------------------------------------------------------------------------------------------
# Commands.


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("alignment-tax")
    except PackageNotFoundError:   # run from a source tree that was never installed
        return "unknown (not installed)"


class _VersionAction(argparse.Action):
    """``--version``: importlib.metadata is looked up only when asked (it costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        print(f"{PROG} {_version()}")
        parser.exit()


def _known_ids(option: str, ids: Sequence[str] | None) -> list[str] | None:
    """``ids`` checked against the registry's ids (its table alone: no statement or check is built); None when none
    were given."""
    if not ids:
        return None
    from paper_checks.registry import IDS as known
    for i in ids:
        if i not in known:
            raise UsageError(f"{option} {i!r} is not a claim id of the registry; known ids: {', '.join(known)} "
                             f"(`{PROG} claims` lists them).")
    return list(ids)


def _claims(ids: list[str] | None) -> tuple[Claim, ...]:
    from paper_checks import audit
    return audit.select(ids)


# ---------------------------------------------------------------------------------------------
# The findings cache (paper_checks/cache.py): audit, derive --latex and report --html store what they audit;
# explain prints from it without the audit, and the reports reuse it.


def _cache_for(cfg: AuditConfig) -> FindingsCache | None:
    """The cache of ``cfg``'s seed; None when it is off, or for sample sizes other than the defaults (the
    only ones explain and the reports use)."""
    from paper_checks.cache import FindingsCache
    from paper_checks.finding import AuditConfig
    return FindingsCache.open(cfg.seed) if cfg == AuditConfig(seed=cfg.seed) else None


def _remember(cache: FindingsCache | None, claims: Sequence[Claim], findings: Sequence[Finding]) -> None:
    """Store each finding with its explanation (what ``explain`` prints) in ``cache``."""
    if cache is None:
        return
    from paper_checks.explain import explanation
    statements = {c.id: c.statement for c in claims}
    for f in findings:
        cache.store(f, explanation(f, statements.get(f.id)).as_json())


def _audited(progress: _Progress, claims: Sequence[Claim], cfg: AuditConfig) -> list[Finding]:
    """The findings of ``claims``: those the cache holds for this code and seed, the others audited (and stored)."""
    from paper_checks.cache import ENV, OFF
    cache = _cache_for(cfg)
    held = {c.id: f for c in claims if cache is not None and (f := cache.finding(c.id)) is not None}
    todo = [c for c in claims if c.id not in held]
    if held:
        progress.stage(f"{len(held)} of {len(claims)} findings from the cache of an earlier run ({cache.root}; "
                       f"{ENV}={OFF} audits every claim)")
    fresh = progress.audit(todo, cfg) if todo else []
    by_id = held | {f.id: f for f in fresh}
    return [by_id[c.id] for c in claims]


def _seed(seed: int) -> None:
    if seed < 0:
        raise UsageError(f"--seed {seed!r} must be a nonnegative integer.")


def _console(stderr: bool = False) -> Console:
    # Rich honours COLUMNS (also when piped), else the terminal's width, else 80.
    from rich.console import Console
    return Console(stderr=stderr, highlight=False)


class _Command:
    """One subcommand: its name, its help line, its options, and what it does (returns the exit code)."""

    name: ClassVar[str]
    help: ClassVar[str]

    def options(self, p: argparse.ArgumentParser) -> None:
        pass

    def run(self, args: argparse.Namespace) -> int:
        raise NotImplementedError


class Audit(_Command):
    name = "audit"
    help = "give every claim a computed verdict; print the table (--fail-on gates CI)"

    def options(self, p: argparse.ArgumentParser) -> None:
        p.add_argument("--only", nargs="+", metavar="ID", help="audit only these claim ids")
        p.add_argument("--json", type=Path, metavar="PATH",
                       help="write the JSON report here ('-': stdout; the table then goes to stderr)")
        p.add_argument("--markdown", type=Path, metavar="PATH",
                       help="write the Markdown report here ('-': stdout; the table then goes to stderr)")
        p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
        p.add_argument("--samples", type=int, default=None,
                       help="random geometries per numeric confirmation (default: AuditConfig.samples)")
        p.add_argument("--fail-on", action="append", default=[], metavar="VERDICT",
                       choices=[v.value for v in FailOn],
                       help="exit 1 if any finding has this verdict (repeatable): "
                            + ", ".join(v.value for v in FailOn))
        p.add_argument("--sort", choices=("severity", "paper"), default="severity",
                       help="rows of the table: most severe first (default) or in the paper's order")
        p.add_argument("--quiet", action="store_true", help="no progress (bar or per-claim lines) on stderr")
        p.add_argument("--workers", type=int, default=None, metavar="N",
                       help="processes that share the claims (default: one per core)")
        p.add_argument("--mutants", action="store_true",
                       help="audit mutants of every formal statement instead (killed/total per claim; exit 1 on a "
                            "survivor)")

    def run(self, args: argparse.Namespace) -> int:
        _seed(args.seed)
        if args.workers is not None and args.workers < 1:
            raise UsageError(f"--workers {args.workers!r} must be a positive integer.")
        if args.samples is not None and args.samples < 4:
            raise UsageError(f"--samples {args.samples!r} must be at least 4 (the edge cases need 3).")
        if args.json is not None and args.markdown is not None and str(args.json) == str(args.markdown) == STDOUT:
            raise UsageError("--json '-' and --markdown '-' both ask for stdout; send one of them to a file.")
        ids = _known_ids("--only", args.only)
        json_path = _output_file("--json", args.json) if args.json is not None else None
        md_path = _output_file("--markdown", args.markdown) if args.markdown is not None else None
        to_stdout = STDOUT in (str(args.json), str(args.markdown))
        from paper_checks.finding import AuditConfig
        cfg = AuditConfig(seed=args.seed) if args.samples is None else AuditConfig(seed=args.seed, samples=args.samples)
        if args.mutants:
            return self._mutants(_claims(ids), cfg, args.workers)
        from paper_checks import registry
        # Bare entries: each process builds the families it judges, not the parent all of them first.
        findings = _Progress(args.quiet).audit(registry.bare(ids), cfg, args.workers)
        from paper_checks.report import markdown_report, print_table, to_json
        # A report on stdout keeps stdout parseable: the table goes to stderr.
        console = _console(stderr=to_stdout)
        print_table(findings, console, args.sort)
        if args.json is not None:
            text = json.dumps(to_json(findings, cfg), indent=2, ensure_ascii=False) + "\n"
            _write("--json", json_path, text)
            if json_path is not None:
                console.print(f"JSON report written to {json_path}")
        if args.markdown is not None:
            figures = None
            if md_path is not None:
                # The figures are drawn into figures/ beside the Markdown file and embedded by relative path; if the
                # file then cannot be written, the run's rollback removes the figures again.
                from paper_checks.figures import write_figures
                fig_dir = md_path.parent / "figures"
                figures = _after_run("--markdown", fig_dir, lambda: write_figures(fig_dir, [f.id for f in findings]))
            _write("--markdown", md_path, markdown_report(findings, cfg, figures))
            if md_path is not None:
                console.print(f"Markdown report written to {md_path}")
        failing = {FailOn(v).value for v in args.fail_on}
        hits = [f for f in findings if f.verdict.value in failing]
        if hits:
            print(f"{PROG}: --fail-on {', '.join(sorted(failing))}: "
                  f"{len(hits)} finding(s): {', '.join(f'{f.id} ({f.verdict.value})' for f in hits)}",
                  file=sys.stderr)
            return 1
        return 0


    @staticmethod
    def _mutants(claims: Sequence[Claim], cfg: AuditConfig, workers: int | None = None) -> int:
        """Mutation score: each mutant of each formal statement must be refuted with a certified counterexample.

        A mutant that SymPy proves true (a loose claim strengthened by less than its slack) is *equivalent*:
        listed, not counted as killed, and not a failure; any other survivor is, and exits 1."""
        from paper_checks import mutation
        total = dead = 0
        survivors: list[str] = []
        equivalent: list[str] = []
        negations: list[str] = []
        for sc in mutation.score_all(tuple(claims), cfg, workers):
            total, dead = total + sc.total, dead + sc.killed
            survivors += [f"{sc.claim_id}/{name}" for name in sc.survivors]
            equivalent += [f"{sc.claim_id}/{name}" for name in sc.equivalent]
            negations += [f"{sc.claim_id}/{name}" for name in sc.negations]
            flag = "" if not sc.survivors else f"  SURVIVORS: {', '.join(sc.survivors)}"
            flag += "" if not sc.equivalent else f"  equivalent (proved true): {', '.join(sc.equivalent)}"
            flag += "" if not sc.negations else "  negation of a refuted claim, fails only off an open set"
            print(f"{sc.claim_id:22} {sc.killed}/{sc.total} killed{flag}")
        print(f"mutation score: {dead}/{total} killed"
              + (f", {len(equivalent)} equivalent (proved true)" if equivalent else "")
              + (f", {len(negations)} negations of refuted claims" if negations else "")
              + (f"; survivors: {', '.join(survivors)}" if survivors else "; no survivor"))
        return 1 if survivors else 0


class Explain(_Command):
    name = "explain"
    help = "one finding in full: statement, verdict and its meaning, counterexample, correction, evidence, steps"

    def options(self, p: argparse.ArgumentParser) -> None:
        p.add_argument("id", metavar="ID", help="a claim id (`alignment-tax claims` lists them)")
        p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
        p.add_argument("--figures", type=Path, metavar="DIR", help="also draw the claim's figures into DIR")

    def run(self, args: argparse.Namespace) -> int:
        _seed(args.seed)
        from paper_checks.cache import FindingsCache
        cache = FindingsCache.open(args.seed)
        # An entry holds only for the sources that wrote it, registry.py included, so a hit is a known id.
        shown = self._stored(cache, args.id)
        claim_id = args.id if shown is not None else (_known_ids("ID", [args.id]) or [""])[0]
        fig_dir = _output_directory("--figures", args.figures) if args.figures is not None else None
        shown = shown or self._judged(cache, claim_id, args.seed)
        figures: list[str] | None = None
        if fig_dir is not None:
            from paper_checks.figures import write_figures
            drawn = _after_run("--figures", fig_dir, lambda: write_figures(fig_dir, [claim_id]))
            from paper_checks.figures import FORMATS
            figures = [str(fig_dir / f"{fig.name}.{fmt}") for fig in drawn.get(claim_id, []) for fmt in FORMATS]
        from paper_checks.explain import render
        from paper_checks.terminal import emit
        emit(_console(), render(shown, figures))
        return 0

    @staticmethod
    def _stored(cache: FindingsCache | None, claim_id: str) -> Explanation | None:
        """The cached explanation: no SymPy, no audit (paper_checks/cache.py says when an entry holds)."""
        from paper_checks.explain import Explanation
        stored = cache.explanation(claim_id) if cache is not None else None
        try:
            return None if stored is None else Explanation.from_json(stored)
        except ValueError:   # an entry of another shape: computed again, and overwritten
            return None

    @staticmethod
    def _judged(cache: FindingsCache | None, claim_id: str, seed: int) -> Explanation:
        """Audit this claim alone, store its finding, and return its explanation as the cache holds it."""
        from paper_checks import audit
        from paper_checks.explain import Explanation, explanation
        from paper_checks.finding import AuditConfig
        (claim,) = _claims([claim_id])
        finding = audit.judge(claim, AuditConfig(seed=seed))
        stored = json.loads(json.dumps(explanation(finding, claim.statement).as_json()))
        if cache is not None:
            cache.store(finding, stored)
        # Printed from its stored form, so that this run and a later one that reads the cache print the same bytes.
        return Explanation.from_json(stored)


class Derive(_Command):
    name = "derive"
    help = "print the derivations step by step, with how each was checked, or write them as a LaTeX document"

    def options(self, p: argparse.ArgumentParser) -> None:
        p.add_argument("ids", nargs="*", metavar="ID", help="claim ids (default: every claim)")
        p.add_argument("--latex", type=Path, metavar="DIR", help="write DIR/alignment_tax_audit.tex and its figures")
        p.add_argument("--pdf", action="store_true", help="also compile the document with pdflatex (needs --latex)")
        p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
        p.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def run(self, args: argparse.Namespace) -> int:
        _seed(args.seed)
        if args.pdf and args.latex is None:
            raise UsageError("--pdf needs --latex DIR: the PDF is compiled from the LaTeX document written there.")
        ids = _known_ids("ID", args.ids)
        if args.latex is not None:
            return self._latex(args, ids)
        console = _console()
        from rich.markup import escape

        from derive.certificates import collect
        from derive.explain import describe
        from paper_checks.definitions import reductions_of
        files: dict[tuple[str, str], list[str]] = {}      # each step's certificate files, as `certificates` names them
        makers = {c.id: (*c.derivations, *reductions_of(c.statement)) for c in _claims(ids)}
        for cert in collect(makers.items()):
            files.setdefault((cert.derivation, cert.step.split(".")[0]), []).append(cert.filename)
        for claim in _claims(ids):
            if not claim.derivations:
                console.print(f"[bold]{claim.id}[/] ({escape(claim.location)}, {claim.kind.value}): no derivation; "
                              f"`{PROG} explain {claim.id}` shows how it is judged.")
                continue
            for deriv in (make() for make in makers[claim.id]):
                for line in describe(deriv, files):
                    console.print(line)
        return 0

    def _latex(self, args: argparse.Namespace, ids: list[str] | None) -> int:
        directory = _output_directory("--latex", args.latex)
        _output_file("--latex", directory / "alignment_tax_audit.tex")
        from paper_checks.finding import AuditConfig
        cfg = AuditConfig(seed=args.seed)
        progress = _Progress(args.quiet)
        claims = _claims(ids)
        from paper_checks.figures import drawn_while
        from paper_checks.report import write_latex, write_pdf
        progress.stage("auditing while a second process draws the figures")
        # The document includes the PDFs only: no PNG is drawn (about a third of the figures' time).
        findings, figures = _after_run("--latex", directory, lambda: drawn_while(
            directory / "figures", [c.id for c in claims], lambda: _audited(progress, claims, cfg), formats=("pdf",)))
        progress.stage("writing the LaTeX document")
        tex = _after_run("--latex", directory, lambda: write_latex(findings, cfg, directory, figures))
        console = _console()
        console.print(f"LaTeX written to {tex}")
        if args.pdf:
            progress.stage("compiling the PDF")
            pdf = _after_run("--latex", directory, lambda: write_pdf(tex))
            if pdf is None:
                console.print("no TeX engine found (pdflatex): the .tex is written; install TeX Live "
                              "(Debian: texlive-latex-base texlive-latex-recommended texlive-latex-extra)"
                              " to build the PDF")
            else:
                console.print(f"PDF written to {pdf}")
        return 0


class Figures(_Command):
    name = "figures"
    help = "draw the figures (PNG and PDF) into a directory"

    def options(self, p: argparse.ArgumentParser) -> None:
        p.add_argument("directory", type=Path, metavar="DIR")
        p.add_argument("ids", nargs="*", metavar="ID", help="only these claims' figures (default: every figure)")

    def run(self, args: argparse.Namespace) -> int:
        ids = _known_ids("ID", args.ids) if args.ids else None
        directory = _output_directory("DIR", args.directory)
        from paper_checks.figures import write_figures
        _Progress(quiet=False).stage(f"drawing the figures into {directory}")
        written = _after_run("DIR", directory, lambda: write_figures(directory, ids))
        print(f"{sum(map(len, written.values()))} figures written to {directory}")
        return 0


class Report(_Command):
    name = "report"
    help = ("write the HTML report (DIR/index.html: MathML, dependency graph, no network; DIR/figures) and/or the "
            "referee's report (Markdown: one numbered item per problem, most severe first)")

    def options(self, p: argparse.ArgumentParser) -> None:
        p.add_argument("--html", type=Path, metavar="DIR")
        p.add_argument("--paper", type=Path, metavar="PAPER.txt",
                       help="also write DIR/paper.html: the paper's text, each sentence marked by its claims' verdicts")
        p.add_argument("--referee", type=Path, metavar="FILE.md",
                       help="write the referee's report ('-': stdout): where, the paper's words, what is wrong and its "
                            "cause, the counterexample, the correction")
        p.add_argument("--only", nargs="+", metavar="ID", help="report only these claim ids")
        p.add_argument("--seed", type=int, default=0, help="seed of every random draw (default 0)")
        p.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def run(self, args: argparse.Namespace) -> int:
        _seed(args.seed)
        if args.html is None and args.referee is None:
            raise UsageError("report needs --html DIR or --referee FILE.md (or both).")
        if args.paper is not None and args.html is None:
            raise UsageError("--paper writes DIR/paper.html beside the HTML report: give --html DIR too.")
        ids = _known_ids("--only", args.only)
        referee = _output_file("--referee", args.referee) if args.referee is not None else None
        directory = None
        if args.html is not None:
            directory = _output_directory("--html", args.html)
            _output_file("--html", directory / "index.html")
        text = self._paper(args.paper)
        from paper_checks.finding import AuditConfig
        cfg, claims, progress = AuditConfig(seed=args.seed), _claims(ids), _Progress(args.quiet)
        findings: list[Finding] = []

        def audit() -> list[Finding]:
            if not findings:
                findings.extend(_audited(progress, claims, cfg))
            return findings
        if directory is not None:
            from paper_checks.report.html import build_html
            paper_page = None if text is None else "paper.html"
            page = _after_run("--html", directory, lambda: build_html(directory, claims, cfg, audit, paper_page))
            print(f"HTML report written to {page}")
            if text is not None:
                from paper_checks.report.annotated import write_annotated
                annotated = _after_run("--html", directory, lambda: write_annotated(directory, text, findings))
                print(f"annotated paper written to {annotated}")
        if args.referee is not None:
            from paper_checks.report.referee import referee_markdown
            _write("--referee", referee, referee_markdown(audit()))
            if referee is not None:
                print(f"referee's report written to {referee}")
        return 0

    @staticmethod
    def _paper(path: Path | None) -> str | None:
        """The paper's text for --paper, read before the audit (a missing file is exit 2 at once)."""
        if path is None:
            return None
        from paper_checks.coverage import read_paper
        try:
            return read_paper(path, "--paper")
        except ValueError as exc:
            raise UsageError(str(exc)) from None


class Claims(_Command):
    name = "claims"
    help = "list the claim ids, their kinds and where they are in the paper"

    def run(self, args: argparse.Namespace) -> int:
        from paper_checks.registry import bare
        entries = bare()
        width = max(len(e.id) for e in entries)
        for e in entries:
            print(f"{e.id:{width}}  {e.kind.value:11}  {e.location}")
        return 0


COMMANDS: tuple[type[_Command], ...] = (Audit, Explain, Derive, Figures, Report, Claims)

# Subcommands whose code lives in their own module, imported only when the command runs (their modules
# import numpy and more).  Each module has ``add_parser(subparsers)`` and ``command(args) -> int``; the
# help line is repeated here so that ``--help`` need not import it.  Adding one is one line.
EXTERNAL: dict[str, tuple[str, str]] = {
    "measure": ("paper_checks.measure", "the paper's quantities per layer on directions probed from activations"),
    "extract": ("paper_checks.extract", "hidden states per layer of a Hugging Face causal LM at one token, as the "
                "measure input"),
    "certificates": ("paper_checks.certificates", "write every SMT-LIB 2 certificate and cofactor file, with a manifest"
                     " (--check: re-check each by z3 and cvc5)"),
    "coverage": ("paper_checks.coverage", "which sentences of the paper are formalised by claims, exempt, or unmapped"),
}


def _command_word(argv: Sequence[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def _parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG, epilog=_EXIT_CODES,
        description="Audit 'What Is the Geometry of the Alignment Tax?': derivations, certified optima and verdicts.")
    p.add_argument("--version", action=_VersionAction)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cls in COMMANDS:
        command = cls()
        sp = sub.add_parser(cls.name, help=cls.help, description=cls.help, epilog=_EXIT_CODES)
        command.options(sp)
        sp.set_defaults(handler=command.run)
    word = _command_word(argv)
    for name, (module, help_line) in EXTERNAL.items():
        if name == word:
            import importlib
            mod = importlib.import_module(module)
            mod.add_parser(sub)
            sub.choices[name].set_defaults(handler=mod.command)
        else:
            sub.add_parser(name, help=help_line)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module docstring)."""
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        args = _parser(argv).parse_args(argv)
    except SystemExit as exc:   # argparse: --help, --version (0) or a bad option (2, message printed)
        return int(exc.code or 0)
    _tune()
    global _RUN
    _RUN = Outputs()
    try:
        with _RUN:      # a failure or an interrupt removes what the run created
            return args.handler(args)
    except BrokenPipeError:
        # The reader of stdout went away (`| head`): not an error of ours; silence the final flush.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except UsageError as exc:   # an output path refused before or during the run is one (OutputError)
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


def _tune() -> None:
    """Settings for a process that builds millions of short-lived SymPy objects (measured on the audit, one
    process: about 5% less CPU time together, the findings unchanged).

    * SymPy's expression cache holds 1,000 entries by default; the audit asks again for far more than that.
      Read by SymPy when it is first imported, which the commands do after this (an explicit setting wins).
    * Python's cycle collector runs a full pass over every live object (SymPy's caches included) every
      700 x 10 x 10 allocations; few of SymPy's objects are in cycles, so it rarely frees anything."""
    import gc
    os.environ.setdefault("SYMPY_CACHE_SIZE", "20000")
    gc.set_threshold(50_000, 20, 100)


if __name__ == "__main__":
    sys.exit(main())
