"""Printing a rich renderable to the terminal, or to a pipe without the padding rich leaves at line ends.

Only rich is imported here: ``explain`` prints a stored explanation through this without importing the
audit (``paper_checks.report`` imports every report writer, and they import SymPy).
"""
from __future__ import annotations

from rich.console import Console, RenderableType

__all__ = ["emit"]


def emit(console: Console, renderable: RenderableType) -> None:
    """Print ``renderable``; when piped (no colours anyway) without the padding rich leaves at line ends."""
    if console.is_terminal:
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    console.file.write("\n".join(line.rstrip() for line in captured.get().splitlines()) + "\n")
