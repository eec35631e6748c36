"""A command that cannot run as asked: the error the command line prints on one line, with exit code 2."""
from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """A command that cannot run as asked; its message is printed on one line and the exit code is 2."""
