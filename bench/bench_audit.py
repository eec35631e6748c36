"""Benchmark: wall time of the audit and of the mutation score, imports included, as a user runs them.

Usage: python bench/bench_audit.py
Serial and parallel runs are measured side by side in one run, so their ratio is meaningful on a shared machine.
Every run is cold: the findings cache is off (ALIGNMENT_TAX_CACHE=off), so every claim is audited.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time


def wall(args: list[str]) -> float:
    """Wall seconds of one audit; a run that fails is an error, never a time (a crash is fast)."""
    t = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "paper_checks.cli", "audit", "--quiet", *args],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
                         env=dict(os.environ, ALIGNMENT_TAX_CACHE="off"))
    if run.returncode != 0:
        raise SystemExit(f"audit {' '.join(args)} exited {run.returncode}: {run.stderr.strip()[-500:]}")
    return time.perf_counter() - t


def main() -> None:
    serial = wall(["--workers", "1"])
    parallel = wall([])
    print(f"full audit, one process:      {serial:6.2f} s")
    print(f"full audit, one per core:     {parallel:6.2f} s   (target 10 s; speed-up {serial / parallel:.2f}x)")
    print(f"audit --mutants:              {wall(['--mutants']):6.2f} s   (target 120 s)")


if __name__ == "__main__":
    main()
