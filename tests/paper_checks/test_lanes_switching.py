"""Lanes: a process declines another lane's item when building that lane costs more."""
from __future__ import annotations

import multiprocessing as mp
import os
import random
import time


import paper_checks.lanes as L

_CTX = mp.get_context("fork")


def _sleep(x: float) -> int:
    time.sleep(x)
    return os.getpid()


def _late_start(delay: float):
    real = L._work

    def work(k, *args):
        if k == 0:
            time.sleep(delay)       # process 0 starts late, as on a loaded machine
        real(k, *args)
    return work


def test_with_a_late_process_every_item_is_judged_once_and_in_order(monkeypatch) -> None:
    # Whatever the start order and switch cost, no item is lost or run twice and results keep the items' order.
    monkeypatch.setattr(L, "_work", _late_start(0.2))
    rng = random.Random(15)
    for switch in (0.0, 0.05, 10.0):
        n = 12
        lanes = [rng.choice("abcd") for _ in range(n)]
        costs = [rng.choice((0.001, 0.01, 0.03)) for _ in range(n)]
        seen = _CTX.Array("i", n, lock=True)

        def fn(i: int, seen=seen, costs=costs) -> int:
            with seen.get_lock():
                seen[i] += 1
            time.sleep(costs[i])
            return i * i

        out = L.run_in_lanes(fn, list(range(n)), lanes, costs, 3, switch_cost=switch)
        assert out == [i * i for i in range(n)]
        assert list(seen) == [1] * n


def test_a_process_out_of_work_takes_a_leftover_when_switching_is_free_independent_of_timing() -> None:
    # test_lanes.py's claim without its timing: item 0 (process 0's) waits until item 1 has started elsewhere, and
    # item 1 waits until item 0 has started, so process 1 cannot take both of lane a.  With switch_cost 0 process 1
    # takes item 1 from process 0's list.
    started = [_CTX.Event(), _CTX.Event()]

    def fn(i: int) -> int:
        if i < 2:
            started[i].set()
            started[1 - i].wait(5.0)
        return os.getpid()

    pids = L.run_in_lanes(fn, [0, 1, 2], ["a", "a", "b"], [0.4, 0.05, 0.05], 2, switch_cost=0.0)
    assert pids[0] != pids[1] == pids[2]
