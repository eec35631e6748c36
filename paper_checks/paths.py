"""What a command of the CLI refuses before it runs: a ``UsageError`` (printed on one line, exit code 2), and the
output paths, checked before the work so that a run does not end in an error after it is done.

Light on purpose (no numpy, no SymPy): the CLI and the commands in modules of their own (``certificates``,
``measure``) import it at start-up.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["UsageError", "PathError", "STDOUT", "output_file", "output_directory"]


class UsageError(Exception):
    """A command that cannot run as asked; its message is printed on one line and the exit code is 2."""


STDOUT = "-"   # an output path meaning standard output, where a command offers it


class PathError(UsageError, ValueError):
    """An output path that cannot be written: a directory for a file, a missing parent, no permission."""


def output_file(option: str, path: Path, *, stdout: bool = False) -> Path | None:
    """``path``, after making sure a file can be created or overwritten there; None for ``-`` when the option
    offers ``stdout``.  ``option`` names the option in the message (``--json``)."""
    if stdout and str(path) == STDOUT:
        return None
    if path.is_dir():
        raise PathError(f"{option} {str(path)!r} is a directory; give a file path"
                        f"{' (or ' + repr(STDOUT) + ' for stdout)' if stdout else ''}.")
    parent = path.parent
    if not parent.is_dir():
        raise PathError(f"{option} {str(path)!r}: the directory {str(parent)!r} does not exist.")
    # Opening for append is the only check that cannot disagree with the later write (os.access says
    # yes to root in /proc); it neither truncates an existing file nor leaves a new one behind.
    existed = path.exists()
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise PathError(f"{option} {str(path)!r} cannot be written: {exc.strerror}.") from None
    if not existed:
        with contextlib.suppress(OSError):
            path.unlink()
    return path


def output_directory(option: str, path: Path, *, parents: bool = True) -> Path:
    """``path`` as a directory that exists (created if need be, with its parents unless ``parents`` is
    False) and in which a file can be created (a file is created and removed: the test that counts)."""
    if path.exists() and not path.is_dir():
        raise PathError(f"{option} {str(path)!r} is a file; give a directory.")
    if not parents and not path.parent.is_dir():
        raise PathError(f"{option} {str(path)!r}: the directory {str(path.parent)!r} does not exist.")
    try:
        path.mkdir(parents=parents, exist_ok=True)
    except OSError as exc:
        raise PathError(f"{option} {str(path)!r} cannot be created: {exc.strerror}.") from None
    probe = path / f".alignment-tax-write-test-{os.getpid()}"
    try:
        with open(probe, "ab"):
            pass
        probe.unlink()
    except OSError as exc:
        raise PathError(f"{option} {str(path)!r} is not a writable directory: {exc.strerror}.") from None
    return path
