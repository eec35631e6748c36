"""Benchmark: wall time of the audit, imports included, as a user runs it (one process per run).

Usage: python bench/bench_audit.py
"""
from __future__ import annotations

import subprocess
import sys
import time

PIPELINE = ["thm-4.1", "thm-4.1.pareto", "ellipse", "ellipse.sphere", "rem-4.2", "thm-6.1", "rem-6.2", "prop-6.5",
            "cor-6.3"]
SECTION_5 = ["sec-5.1", "thm-5.4", "prop-5.5", "cor-5.6", "rem-5.8", "prop-6.7", "sec-7.2", "abstract-rate"]


def wall(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "paper_checks.cli", "audit", "--quiet", *args], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    print(f"pipeline claims ({len(PIPELINE)}):  {wall(['--only', *PIPELINE]):6.2f} s   (target 10 s)")
    print(f"section-5 claims ({len(SECTION_5)}): {wall(['--only', *SECTION_5]):6.2f} s   (target 10 s)")
    print(f"full audit:                 {wall([]):6.2f} s   (target 20 s)")


if __name__ == "__main__":
    main()
