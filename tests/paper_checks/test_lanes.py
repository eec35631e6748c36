"""The process pool with affinity (paper_checks.lanes): whole lanes per process, stealing, errors, order."""
from __future__ import annotations

import os
import time

import pytest

from paper_checks.lanes import plan, run_in_lanes


def test_plan_keeps_each_lane_on_one_process_and_balances_the_load() -> None:
    lanes = ["a", "b", "a", "c", "b", "d"]
    costs = [3.0, 2.0, 3.0, 1.0, 2.0, 1.0]
    lists = plan(lanes, costs, 2)
    assert sorted(i for lst in lists for i in lst) == list(range(6))
    owners = {lanes[i]: k for k, lst in enumerate(lists) for i in lst}
    assert all(owners[lanes[i]] == k for k, lst in enumerate(lists) for i in lst)
    loads = [sum(costs[i] for i in lst) for lst in lists]
    assert loads == [6.0, 6.0]               # a (6) against b (4) + c (1) + d (1)
    assert lists == [[0, 2], [1, 4, 3, 5]]   # the costliest lane first, items of a lane in their order


def _pid_of(x: int) -> tuple[int, int]:
    time.sleep(0.02)     # long enough for the second process to start while work remains
    return x * x, os.getpid()


def test_results_come_back_in_order_and_a_process_takes_another_lanes_leftovers() -> None:
    # Lane "a" holds all the work: the second process, with nothing of its own, must take some of it.
    items = list(range(40))
    started: list[int] = []
    out = run_in_lanes(_pid_of, items, ["a"] * 40, [1.0] * 40, 2, on_start=started.append)
    assert [r for r, _ in out] == [x * x for x in items]
    assert sorted(started) == items
    assert len({pid for _, pid in out}) == 2 and os.getpid() not in {pid for _, pid in out}


def _fails_at_3(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_an_exception_in_a_worker_is_raised_with_its_traceback() -> None:
    with pytest.raises(RuntimeError, match="ValueError: three"):
        run_in_lanes(_fails_at_3, list(range(6)), ["a", "b"] * 3, [1.0] * 6, 2)


def _unpicklable(x: int):
    return lambda: x        # a closure cannot be pickled


def test_a_result_that_cannot_travel_is_an_error_naming_the_item() -> None:
    with pytest.raises(RuntimeError, match="judging item 0 failed"):
        run_in_lanes(_unpicklable, [0], ["a"], [1.0], 2)


def _sleep(x: float) -> int:
    time.sleep(x)
    return os.getpid()


def test_a_lane_is_left_to_its_owner_when_building_it_elsewhere_would_take_longer() -> None:
    # Process 0 plans lane "a" (one long item, then a short one); process 1 has the short lane "b".  Whichever
    # starts first, a switch cost larger than a's queued work leaves a's items to process 0 and b's to process 1.
    # (That with no switch cost process 1 takes a's leftover is test_lanes_switching.py's, without timing.)
    items, lanes, costs = [0.4, 0.05, 0.05], ["a", "a", "b"], [0.4, 0.05, 0.05]
    pids = run_in_lanes(_sleep, items, lanes, costs, 2, switch_cost=10.0)
    assert pids[0] == pids[1] != pids[2]
