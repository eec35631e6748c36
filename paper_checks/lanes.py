"""A process pool with affinity: work of one lane stays on one process, which then takes the others' leftovers.

The claims of one family share most of their cost: the closed forms of the family's definitions, the lemmas
its chains cite, its SOCP set-up, its lambdified margins.  Each process builds these once for what it judges,
so handing the claims out one at a time to whichever process is free builds most of them twice (measured:
about a fifth of the audit's CPU time on 2 cores).  Here every process starts on its own lanes (families),
the costliest first, and a process that runs out takes the last item left on another process's list, so no
process idles while work remains, unless building that item's lane would take longer than leaving it to its
owner (``switch_cost``).

Results do not depend on which process computed what: every item is judged from its own seeded generator.
"""
from __future__ import annotations

import multiprocessing as mp
import pickle
import queue
import signal
import traceback
from typing import Generic, TypeVar
from collections.abc import Callable, Sequence

__all__ = ["run_in_lanes", "plan"]

T = TypeVar("T")
R = TypeVar("R")


def plan(lanes: Sequence[str], costs: Sequence[float], workers: int) -> list[list[int]]:
    """Item indices per process: whole lanes, the costliest lane first to the least loaded process (greedy
    longest-processing-time); on each process its lanes by decreasing cost, items of a lane in their order."""
    totals: dict[str, float] = {}
    for lane, cost in zip(lanes, costs, strict=False):
        totals[lane] = totals.get(lane, 0.0) + cost
    load = [0.0] * workers
    owner: dict[str, int] = {}
    for lane in sorted(totals, key=lambda k: (-totals[k], k)):
        k = min(range(workers), key=lambda w: (load[w], w))
        owner[lane] = k
        load[k] += totals[lane]
    order = sorted(range(len(lanes)), key=lambda i: (-totals[lanes[i]], lanes[i], i))
    return [[i for i in order if owner[lanes[i]] == k] for k in range(workers)]


class _Board(Generic[T]):
    """The per-process lists and, in shared memory, each list's next and last untaken positions."""

    def __init__(self, ctx: mp.context.BaseContext, lists: list[list[int]], lanes: Sequence[str],
                 costs: Sequence[float], switch_cost: float) -> None:
        self.lists, self.lanes, self.costs, self.switch_cost = lists, lanes, costs, switch_cost
        self.bounds = ctx.Array("i", [x for lst in lists for x in (0, len(lst))], lock=False)
        self.lock = ctx.Lock()

    def take(self, k: int, opened: set[str]) -> int | None:
        """The next item of process ``k``'s own list; else the last item of the list with most work left, if
        taking it finishes sooner: an item of a lane ``k`` has not opened costs ``switch_cost`` more there (the
        family is built again), so it is taken only when the owner has more than that much work still queued."""
        with self.lock:
            b = self.bounds
            if b[2 * k] < b[2 * k + 1]:
                b[2 * k] += 1
                return self.lists[k][b[2 * k] - 1]
            left = [(sum(self.costs[i] for i in self.lists[j][b[2 * j]:b[2 * j + 1]]), j)
                    for j in range(len(self.lists)) if b[2 * j] < b[2 * j + 1]]
            if not left:
                return None
            queued, j = max(left)
            i = self.lists[j][b[2 * j + 1] - 1]
            if self.lanes[i] not in opened and self.switch_cost + self.costs[i] > queued:
                return None
            b[2 * j + 1] -= 1
            return i


def _work(k: int, board: _Board, events: mp.Queue, fn: Callable, items: Sequence) -> None:
    # Ctrl-C reaches every process of the terminal's group: the parent stops the workers, which say nothing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One BLAS thread per process: the processes already fill the cores, and OpenBLAS's own threads on top of
    # them only contend (measured: slightly slower, never faster).
    from threadpoolctl import threadpool_limits
    threadpool_limits(1)
    opened: set[str] = set()
    while (i := board.take(k, opened)) is not None:
        opened.add(board.lanes[i])
        events.put(("start", i, None))
        try:
            # Pickled here, not by the queue's feeder thread, so that a result that cannot travel is an error
            # the parent reports, not a result silently lost.
            result = pickle.dumps(fn(items[i]))
        except BaseException:   # reported to the parent, which raises it; a worker never dies silently
            events.put(("error", i, traceback.format_exc()))
            return
        events.put(("done", i, result))
    events.put(("exit", k, None))


def run_in_lanes(fn: Callable[[T], R], items: Sequence[T], lanes: Sequence[str], costs: Sequence[float],
                 workers: int, on_start: Callable[[T], None] | None = None,
                 on_done: Callable[[R], None] | None = None, switch_cost: float = 0.0) -> list[R]:
    """``[fn(x) for x in items]``, computed by ``workers`` forked processes, lane by lane (see the module).

    ``costs`` are the items' estimated seconds; ``switch_cost`` the seconds a process spends on top of them when
    it takes its first item of a lane (see ``_Board.take``).  ``on_start(item)`` is called when a process takes
    an item, ``on_done(result)`` when its result is back; an exception in ``fn`` is raised here as a RuntimeError
    carrying the worker's traceback."""
    ctx = mp.get_context("fork")
    board = _Board(ctx, plan(lanes, costs, workers), lanes, costs, switch_cost)
    events: mp.Queue = ctx.Queue()
    procs = [ctx.Process(target=_work, args=(k, board, events, fn, items), daemon=True) for k in range(workers)]
    for p in procs:
        p.start()
    out: dict[int, R] = {}
    running = workers
    try:
        while running:
            try:
                kind, i, payload = events.get(timeout=1.0)
            except queue.Empty:
                if not any(p.is_alive() for p in procs):   # killed from outside, with its "exit" unsent
                    raise RuntimeError("a worker process died without reporting") from None
                continue
            if kind == "start" and on_start:
                on_start(items[i])
            elif kind == "done":
                out[i] = pickle.loads(payload)
                if on_done:
                    on_done(out[i])
            elif kind == "error":
                raise RuntimeError(f"judging item {i} failed in a worker process:\n{payload}")
            elif kind == "exit":
                running -= 1
    finally:
        for p in procs:
            if p.is_alive() and running:
                p.terminate()
            p.join()
    return [out[i] for i in range(len(items))]
