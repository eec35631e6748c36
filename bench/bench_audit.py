"""Benchmark: wall and CPU time of the audit and of the mutation score, imports included, as a user runs them.

Usage: python bench/bench_audit.py
Serial and parallel runs are measured side by side in one run, so their ratio is meaningful on a shared machine.
Every run is cold: the findings cache is off (ALIGNMENT_TAX_CACHE=off), so every claim is audited.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time


def timed(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user and system, the audit's worker processes included) of one audit; a run that
    fails is an error, never a time (a crash is fast).  CPU seconds hardly move with the machine's other load,
    wall seconds do: the two side by side say whether a change saves work or only rearranges it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "paper_checks.cli", "audit", "--quiet", *args],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
                         env=dict(os.environ, ALIGNMENT_TAX_CACHE="off"))
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise SystemExit(f"audit {' '.join(args)} exited {run.returncode}: {run.stderr.strip()[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    serial, serial_cpu = timed(["--workers", "1"])
    parallel, parallel_cpu = timed([])
    mutants, mutants_cpu = timed(["--mutants"])
    print(f"full audit, one process:      {serial:6.2f} s   ({serial_cpu:6.2f} s CPU)")
    print(f"full audit, one per core:     {parallel:6.2f} s   ({parallel_cpu:6.2f} s CPU; target 10 s wall; "
          f"speed-up {serial / parallel:.2f}x)")
    print(f"audit --mutants:              {mutants:6.2f} s   ({mutants_cpu:6.2f} s CPU; target 120 s)")


if __name__ == "__main__":
    main()
