"""Benchmark: ``alignment-tax derive --latex DIR --pdf`` as a user runs it, wall and CPU time, against the
30 s target, three ways side by side in one run:

- cold: an empty findings cache, a new DIR: every claim audited, every figure drawn, three pdflatex passes;
- warm cache: the findings the cold run stored, a new DIR: no audit, the figures drawn by two processes;
- rebuild: the same again into the cold run's DIR, whose .toc is already right: one pdflatex pass.

Wall time on a shared machine is mostly waiting for a core; CPU time (user + system of the command and
its children) is what the command costs, so both are printed, with the load average before each run.

Usage: python bench/bench_latex.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 30.0
COMMAND = [sys.executable, "-m", "paper_checks.cli", "derive", "--quiet", "--latex"]


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(directory: Path, cache: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``derive --latex directory --pdf`` with the findings cache in ``cache``."""
    env = dict(os.environ, ALIGNMENT_TAX_CACHE=str(cache))
    cpu, t = _children_cpu(), time.perf_counter()
    subprocess.run(COMMAND + [str(directory), "--pdf"], check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - t
    if not (directory / "alignment_tax_audit.pdf").exists():
        raise SystemExit("no PDF was written: is pdflatex (with breqn) installed?")
    return wall, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs of each way (medians are printed)")
    runs = parser.parse_args().runs
    times: dict[str, list[tuple[float, float]]] = {"cold": [], "warm cache": [], "rebuild": []}
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-latex-") as tmp:
        for i in range(runs):
            cache, out = Path(tmp, f"cache{i}"), Path(tmp, f"cold{i}")
            loads.append(os.getloadavg()[0])
            times["cold"].append(run(out, cache))
            times["warm cache"].append(run(Path(tmp, f"warm{i}"), cache))
            times["rebuild"].append(run(out, cache))
    print(f"derive --latex DIR --pdf on {os.cpu_count()} cores, load average {min(loads):.2f}-{max(loads):.2f}; "
          f"median of {runs} run(s); target {TARGET:.0f} s wall")
    print(f"{'':12} {'wall s':>8} {'cpu s':>8}  target")
    for name, pairs in times.items():
        wall = statistics.median(w for w, _ in pairs)
        cpu = statistics.median(c for _, c in pairs)
        verdict = "ok" if wall <= TARGET else ("over (cpu/cores under it)" if cpu / (os.cpu_count() or 1) <= TARGET
                                               else "over")
        print(f"{name:12} {wall:8.2f} {cpu:8.2f}  {verdict}")


if __name__ == "__main__":
    main()
