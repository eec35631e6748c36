"""Where a command writes, as one transaction: paths checked before the run, directories created when written,
and everything the run created removed again when it fails or is interrupted.

A command checks each output path before it starts (so a typo costs no audit), creates the directories it needs
(``audit --markdown out/audit.md`` makes ``out/``), and when a write fails or the user presses Ctrl-C, leaves
nothing behind: no half-written file, no ``figures/`` beside a report that could not be written, no partial
output directory.  What existed before the run is never removed.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import TypeVar
from collections.abc import Callable

from paper_checks.paths import UsageError

__all__ = ["Outputs", "OutputError"]

T = TypeVar("T")


class OutputError(UsageError, ValueError):
    """An output path that cannot be written; the message names the option and echoes the path."""


def _ancestor(path: Path) -> Path:
    """The nearest ancestor of ``path`` (or ``path`` itself) that exists."""
    p = path
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def _probe(option: str, path: Path, directory: Path, verb: str) -> None:
    """A file can be created in ``directory`` (created and removed: the only test that cannot disagree with the
    later write; ``os.access`` says yes to root in /proc)."""
    probe = directory / f".alignment-tax-write-test-{os.getpid()}"
    try:
        with open(probe, "ab"):
            pass
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"{option} {str(path)!r} cannot be {verb}: {exc.strerror}.") from None


class Outputs:
    """The outputs of one run.  ``file`` and ``directory`` check a path before the run; ``make_directory``,
    ``write_text`` and ``run`` write it; used as a context manager, an exception (a failed write, Ctrl-C) removes
    every file and directory the run created, then propagates."""

    def __init__(self) -> None:
        self.created: list[Path] = []

    # -- before the run

    def file(self, option: str, path: Path) -> Path:
        """``path`` as a file this run can create or overwrite; its missing directories are created on write."""
        if path.is_dir():
            raise OutputError(f"{option} {str(path)!r} is a directory; give a file path.")
        self._parents_ok(option, path, path.parent, "written")
        if path.exists():
            try:
                with open(path, "ab"):     # neither truncates nor leaves a file behind
                    pass
            except OSError as exc:
                raise OutputError(f"{option} {str(path)!r} cannot be written: {exc.strerror}.") from None
        return path

    def directory(self, option: str, path: Path) -> Path:
        """``path`` as a directory this run can create (with its parents) or write into."""
        if path.exists() and not path.is_dir():
            raise OutputError(f"{option} {str(path)!r} is a file; give a directory.")
        self._parents_ok(option, path, path, "written" if path.exists() else "created")
        return path

    @staticmethod
    def _parents_ok(option: str, path: Path, directory: Path, verb: str) -> None:
        base = _ancestor(directory)
        if not base.is_dir():
            raise OutputError(f"{option} {str(path)!r}: {str(base)!r} is a file, not a directory.")
        _probe(option, path, base, verb)

    # -- writing

    def make_directory(self, option: str, path: Path) -> Path:
        """Create ``path`` and its missing parents, each remembered (removed again if the run fails)."""
        missing = []
        p = path
        while not p.exists() and p != p.parent:
            missing.append(p)
            p = p.parent
        for d in reversed(missing):
            try:
                d.mkdir()
            except OSError as exc:
                raise OutputError(f"{option} {str(path)!r} cannot be created: {exc.strerror}.") from None
            self.created.append(d)
        return path

    def write_text(self, option: str, path: Path, text: str) -> None:
        """Write ``text`` to ``path`` (its directories created); a failure is an OutputError naming the option."""
        self.make_directory(option, path.parent)
        if not path.exists():
            self.created.append(path)
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"{option} {str(path)!r}: writing failed: {exc.strerror}.") from None

    def run(self, option: str, path: Path, action: Callable[[], T]) -> T:
        """Run a writer that writes under ``path`` itself (figures, LaTeX, HTML), ``path`` created first; an
        OSError becomes an OutputError naming the option and the file."""
        self.make_directory(option, path)
        try:
            return action()
        except OSError as exc:
            where = exc.filename or path
            raise OutputError(f"{option} {str(path)!r}: writing {str(where)!r} failed: {exc.strerror}.") from None

    # -- the transaction

    def rollback(self) -> None:
        """Remove what this run created, newest first."""
        for p in reversed(self.created):
            try:
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                elif p.exists():
                    p.unlink()
            except OSError:
                pass       # a path that cannot be removed is left as it is; the error that matters is raised
        self.created.clear()

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            self.rollback()
