"""Benchmark: start-up of the command line as a user meets it (one fresh process per run, as the
``alignment-tax`` script runs it), wall and CPU time, against the 0.3 s target.

Wall time on a loaded machine is mostly waiting for a core; CPU time (user + system of the child) is
what the command itself costs, so both are printed.  ``explain`` audits its claim, so its time is
split into the part every claim pays (imports) and the audit of that claim.

Usage: python bench/bench_cli.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

TARGET = 0.3
SCRIPT = [sys.executable, "-c", "import sys; from paper_checks.cli import main; sys.exit(main())"]

COMMANDS = [
    ["--help"],
    ["--version"],
    ["claims"],
    ["audit", "--help"],
    ["explain", "thm-6.4.iii"],    # the fastest claim to audit (about 0.02 s)
    ["explain", "def-3.4.loss"],   # a refuted gloss with a counterexample (about 0.05 s)
    ["explain", "cor-6.6"],        # a refuted corollary with SOCPs (about 0.5 s)
]

IMPORTS = ("import paper_checks.audit, paper_checks.explain, paper_checks.registry, paper_checks.report.table, "
           "rich.console")


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``runs`` fresh processes."""
    walls, cpus = [], []
    env = dict(os.environ, COLUMNS="100")
    for _ in range(runs):
        cpu, t = _child_cpu(), time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        walls.append(time.perf_counter() - t)
        cpus.append(_child_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; median of {runs} runs; target {TARGET} s")
    print(f"{'command':36} {'wall s':>8} {'cpu s':>8}  target")
    base_wall, base_cpu = measure([sys.executable, "-c", "pass"], runs)
    print(f"{'(python -c pass)':36} {base_wall:8.3f} {base_cpu:8.3f}")
    for argv in COMMANDS:
        wall, cpu = measure(SCRIPT + argv, runs if argv[0] != "explain" else max(1, runs // 2))
        verdict = "ok" if wall <= TARGET else ("cpu ok" if cpu <= TARGET else "over")
        print(f"{'alignment-tax ' + ' '.join(argv):36} {wall:8.3f} {cpu:8.3f}  {verdict}")
    wall, cpu = measure([sys.executable, "-c", IMPORTS], max(1, runs // 2))
    print(f"{'(imports explain needs)':36} {wall:8.3f} {cpu:8.3f}  the floor of any explain: the registry imports "
          "every check (SymPy, cvxpy, SciPy)")


if __name__ == "__main__":
    main()
