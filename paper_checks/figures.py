"""Figures (matplotlib, Agg; PNG and PDF): the frontier ellipse with certified optima, the two-safety
frontiers with and without capability preservation, and pictures of certified counterexamples.

``FIGURES`` is the table claim id -> the functions that draw its figures; ``CAPTIONS`` says what each
figure shows; ``write_figures`` draws them and ``drawn_while`` draws them in a second process while
the caller audits (and in both processes once the audit is done).  Both take the formats to write: the
LaTeX document needs only the PDFs, and a PNG costs as much to write as a PDF.

The drawing primitives and the formats being written are in ``paper_checks.figures_canvas``, the captions in
``paper_checks.figures_captions``; the figures themselves in ``figures_theory`` (the results as stated),
``figures_counterexamples`` (certified counterexamples at the finding's point), ``figures_small`` and
``figures_readings`` (small pictures, each drawn when one of its claims is wanted).
"""
from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from paper_checks.figures_canvas import FORMATS, Figure, writing
from paper_checks.figures_captions import CAPTIONS
from paper_checks.figures_counterexamples import _values as _values
from paper_checks.figures_counterexamples import (anisotropic_counterexample, certified_point, conflict_region,
                                                  cor_6_6_counterexample, expectation_counterexample,
                                                  half_circle_counterexample, pareto_counterexample,
                                                  sphere_section_counterexample, thm_5_4_counterexample)
from paper_checks.figures_readings import READING_PICTURES, READINGS
from paper_checks.figures_small import SMALL, SMALL_PICTURES
from paper_checks.figures_theory import coherence, frontier, safety_pair, scaling
from paper_checks.report.json_report import VERSION

__all__ = ["FIGURES", "CAPTIONS", "PICTURED", "FORMATS", "Figure", "write_figures", "drawn_while", "certified_point"]

T = TypeVar("T")

FIGURES: dict[str, tuple[Callable[[Path], list[Figure]], ...]] = {
    "sec-5.1": (coherence,),
    "cor-5.6": (scaling,),
    "thm-4.1": (frontier,),
    "thm-4.1.pareto": (pareto_counterexample,),
    "ellipse.sphere": (sphere_section_counterexample,),
    "rem-4.2.quarter": (half_circle_counterexample,),
    "sec-4.4": (anisotropic_counterexample,),
    "prop-5.5": (expectation_counterexample,),
    "thm-6.4.reading": (safety_pair,),
    "cor-6.6": (cor_6_6_counterexample,),
    "thm-6.4.i": (conflict_region,),
    "thm-5.4": (thm_5_4_counterexample,),
}


PICTURED = frozenset(FIGURES) | SMALL | READINGS


def _home(claim: str, ids: list[str] | None) -> str | None:
    """The audited claim a figure belongs to: its own id, else (a sub-claim not audited, e.g. not yet in
    the registry) its parent's; None when neither is wanted."""
    if ids is None or claim in ids:
        return claim
    parent = claim.rpartition(".")[0]
    return parent if parent in ids else None


Task = tuple[str | None, Callable[[Path], Any]]


def _tasks(ids: list[str] | None) -> list[Task]:
    """What to draw for ``ids``, in order: (the claim the figures belong to, the function drawing them); a small
    picture is drawn when one of its claims is wanted, and its figures go to their own claims (None)."""
    tasks: list[Task] = [(home, make) for claim, makers in FIGURES.items()
                         if (home := _home(claim, ids)) is not None for make in makers]
    return tasks + [(None, draw) for claims, draw in SMALL_PICTURES + READING_PICTURES
                    if any(_home(c, ids) for c in claims)]


def _assemble(tasks: Sequence[Task], drawn: Sequence[Any], ids: list[str] | None) -> dict[str, list[Figure]]:
    """Claim id -> its figures, from what each task drew."""
    out: dict[str, list[Figure]] = {}
    for (home, _), figures in zip(tasks, drawn, strict=False):
        if home is not None:
            out.setdefault(home, []).extend(figures)
            continue
        for claim, figs in figures.items():
            where = _home(claim, ids)
            if where is not None:
                out.setdefault(where, []).extend(f for f in figs if f not in out.get(where, []))
    return out


def write_figures(directory: Path, ids: list[str] | None = None,
                  formats: Sequence[str] = FORMATS) -> dict[str, list[Figure]]:
    """Draw the figures of ``ids`` (all when None) into ``directory``; returns claim id -> figures."""
    directory.mkdir(parents=True, exist_ok=True)
    tasks = _tasks(ids)
    with writing(formats):
        drawn = [make(directory) for _, make in tasks]
    (directory / "VERSION").write_text(VERSION + "\n")
    return _assemble(tasks, drawn, ids)


def _take(counter: Any) -> int:
    with counter.get_lock():
        counter.value += 1
        return counter.value - 1


def _draw_shared(directory: Path, tasks: Sequence[Task], counter: Any, formats: Sequence[str]) -> dict[int, Any]:
    """Draw tasks until none is left, taking each from the counter both processes share; task index -> figures."""
    done: dict[int, Any] = {}
    with writing(formats):
        while (i := _take(counter)) < len(tasks):
            done[i] = tasks[i][1](directory)
    return done


def _draw_into(conn, directory: Path, tasks: Sequence[Task], counter: Any, formats: Sequence[str]) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent stops this one, which says nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        conn.send(("ok", _draw_shared(directory, tasks, counter, formats)))
    except BaseException as exc:  # the parent re-raises it; a child must not die silently
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def drawn_while(directory: Path, ids: list[str] | None, work: Callable[[], T],
                formats: Sequence[str] = FORMATS) -> tuple[T, dict[str, list[Figure]]]:
    """Run ``work`` (the audit) here while a second process draws the figures; when ``work`` is done, this
    process draws the figures that are left too.  The audit and the figures take the two cores, and when
    the audit is short (its findings cached) the figures take both.

    A bare forked process, a pipe and a shared counter, not a pool: a pool keeps a thread in this process,
    and the audit forks its own workers, which must not happen in a process with threads."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return work(), write_figures(directory, ids, formats)
    directory.mkdir(parents=True, exist_ok=True)
    tasks = _tasks(ids)
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)   # the next task to draw
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_draw_into, args=(send, directory, tasks, counter, formats), daemon=True)
    child.start()
    send.close()
    try:
        result = work()
        mine = _draw_shared(directory, tasks, counter, formats)
        status, theirs = receive.recv()
    except BaseException:      # an error or Ctrl-C here: the drawing process is stopped, not waited for
        child.terminate()
        raise
    finally:
        child.join()
    if status != "ok":
        raise RuntimeError(f"drawing the figures into {directory} failed: {theirs}")
    drawn = {**theirs, **mine}
    (directory / "VERSION").write_text(VERSION + "\n")
    return result, _assemble(tasks, [drawn[i] for i in range(len(tasks))], ids)
