"""The findings cache: each claim's finding, kept between runs, so that ``explain ID`` prints without SymPy
and the reports (``derive --latex``, ``report --html``) do not audit again what an earlier run audited.

Where: ``$ALIGNMENT_TAX_CACHE`` (a directory; ``off`` turns the cache off), else
``$XDG_CACHE_HOME/alignment-tax``, else ``~/.cache/alignment-tax``; the entries are in ``findings/`` there.

An entry holds only for the code and the environment that computed it.  Its key hashes every ``.py`` and
``.json`` file of paper_checks/, derive/ and verify/ (path and contents), the Python version and the
installed distributions (the ``*.dist-info`` names, which carry the versions); the file name carries the
claim id and the seed, and only audits with the default sample sizes (those ``explain`` and the reports
use) are stored.  Two files per claim and seed:

- ``<id>.seed<S>.json``: the finding's JSON (as the JSON report has it) and its ``Explanation`` (what
  ``explain`` prints), read without importing SymPy;
- ``<id>.seed<S>.pickle``: the ``Finding`` itself, derivations included, for the reports.  Its first line
  is the key, so a stale pickle is never unpickled; the directory is the user's own, as ``__pycache__`` is.

Writes are atomic (a temporary file in the same directory renamed over the entry), so a reader sees a whole
entry or none.  An entry that cannot be read, parsed or written is a miss, never an error: the caller
computes the finding instead.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
import contextlib

if TYPE_CHECKING:
    from paper_checks.finding import Finding

__all__ = ["FindingsCache", "ENV", "OFF", "directory", "source_key"]

ENV = "ALIGNMENT_TAX_CACHE"
OFF = "off"
FORMAT = "alignment-tax-cache/1"
SOURCES = ("paper_checks", "derive", "verify")
_SUFFIXES = (".py", ".json")


def directory() -> Path | None:
    """The cache's directory, or None when it is turned off (or there is no home directory to put it in)."""
    value = os.environ.get(ENV, "")
    if value.strip().lower() == OFF:
        return None
    if value:
        return Path(value).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):   # the XDG specification: a relative path is ignored
        return Path(xdg) / "alignment-tax"
    try:
        return Path.home() / ".cache" / "alignment-tax"
    except RuntimeError:
        return None


def _distributions() -> list[str]:
    names: list[str] = []
    for entry in sys.path:
        if os.path.basename(entry) in ("site-packages", "dist-packages") and os.path.isdir(entry):
            with contextlib.suppress(OSError):
                names += [n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info"))]
    return sorted(names)


def source_key(root: Path | None = None) -> str:
    """SHA-256 of the sources of the three packages under ``root`` (default: where this package is), the
    Python version and the installed distributions (about 2 ms for 80 files); OSError when a source cannot
    be read."""
    h = hashlib.sha256(FORMAT.encode())
    for part in (sys.version, *_distributions()):
        h.update(part.encode() + b"\0")
    root = root or Path(__file__).resolve().parent.parent
    for top in SOURCES:
        h.update(f"[{top}]".encode())
        for here, dirs, files in os.walk(root / top):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(_SUFFIXES):
                    data = Path(here, name).read_bytes()
                    h.update(os.path.relpath(os.path.join(here, name), root).encode() + b"\0")
                    h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


class FindingsCache:
    """The entries of one seed under one key (see the module's docstring)."""

    def __init__(self, root: Path, key: str, seed: int) -> None:
        self.root, self.key, self.seed = root, key, seed

    @classmethod
    def open(cls, seed: int) -> FindingsCache | None:
        """The cache of ``seed`` for the code as it is now; None when the cache is off or the sources
        cannot be read."""
        where = directory()
        if where is None:
            return None
        try:
            return cls(where / "findings", source_key(), seed)
        except OSError:
            return None

    def _path(self, claim_id: str, suffix: str) -> Path:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", claim_id):   # an id, never a path elsewhere
            raise OSError(f"not a claim id: {claim_id!r}")
        return self.root / f"{claim_id}.seed{self.seed}{suffix}"

    def _header(self, claim_id: str) -> bytes:
        return f"{FORMAT} {self.key} {claim_id} seed {self.seed}\n".encode()

    def explanation(self, claim_id: str) -> Any:
        """The stored explanation (``Explanation.as_json``) of ``claim_id``; None without a valid entry."""
        try:
            entry = json.loads(self._path(claim_id, ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):   # missing, unreadable, not UTF-8, not JSON
            return None
        if not isinstance(entry, dict) or [entry.get(k) for k in ("format", "key", "id", "seed")] != \
                [FORMAT, self.key, claim_id, self.seed]:
            return None
        return entry.get("explanation")

    def finding(self, claim_id: str) -> Finding | None:
        """The stored Finding of ``claim_id``; None without a valid entry."""
        import pickle

        from paper_checks.finding import Finding
        try:
            with open(self._path(claim_id, ".pickle"), "rb") as fh:
                if fh.readline() != self._header(claim_id):
                    return None
                found = pickle.load(fh)
        except Exception:   # a damaged pickle raises almost anything (EOFError, UnpicklingError, AttributeError, ...)
            return None
        return found if isinstance(found, Finding) and found.id == claim_id else None

    def store(self, finding: Finding, explanation: Any) -> bool:
        """Store ``finding`` and its explanation (JSON); False when either file could not be written."""
        import pickle
        entry = {"format": FORMAT, "key": self.key, "id": finding.id, "seed": self.seed,
                 "finding": finding.as_json(), "explanation": explanation}
        try:
            ok = _write(self._path(finding.id, ".json"), json.dumps(entry, ensure_ascii=False).encode("utf-8"))
            blob = self._header(finding.id) + pickle.dumps(finding, protocol=pickle.HIGHEST_PROTOCOL)
            return _write(self._path(finding.id, ".pickle"), blob) and ok
        except Exception:   # not an id, or not picklable: the reports audit this claim again
            return False


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically: a temporary file beside it, renamed over it."""
    import tempfile
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return False
    return True
