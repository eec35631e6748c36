"""Benchmark: start-up of the command line as a user meets it (one fresh process per run, as the
``alignment-tax`` script runs it), wall and CPU time, against the 0.3 s target.

``explain ID`` is measured two ways side by side: warm (the claim's finding is in the findings cache, as
after ``alignment-tax audit``: no SymPy, no audit) and cold (``ALIGNMENT_TAX_CACHE=off``: the registry
builds the claim's family, the audit judges that claim).  The target is the warm one's; the cold one costs
the claim's audit, which for thm-4.1 (a KKT system solved by SymPy) is seconds.

Every round runs every command once, so the commands share the machine's load alike; the medians over
the rounds are printed.  Wall time on a loaded machine is mostly waiting for a core; CPU time (user +
system of the child) is what the command itself costs, so both are printed.

Usage: python bench/bench_cli.py [--runs N] [--claims ID ...]
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

TARGET = 0.3
SCRIPT = [sys.executable, "-c", "import sys; from paper_checks.cli import main; sys.exit(main())"]
CLAIMS = ["thm-6.4.iii", "def-3.4.loss", "cor-6.6", "thm-4.1"]   # verified; refuted glosses; SOCPs; a KKT solve
PLAIN = [["--help"], ["--version"], ["claims"], ["audit", "--help"]]


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def once(argv: list[str], cache: str) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process, with the findings cache ``cache`` (a directory, or off)."""
    env = dict(os.environ, COLUMNS="100", ALIGNMENT_TAX_CACHE=cache)
    cpu, t = _child_cpu(), time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t, _child_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--claims", nargs="+", default=CLAIMS, metavar="ID")
    args = parser.parse_args()
    rows: list[tuple[str, list[str], str]] = [("(python -c pass)", [sys.executable, "-c", "pass"], "off")]
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as cache:
        rows += [("alignment-tax " + " ".join(a), SCRIPT + a, "off") for a in PLAIN]
        for claim in args.claims:
            once(SCRIPT + ["explain", claim], cache)   # fills the cache: the warm runs read this entry
            rows.append((f"alignment-tax explain {claim}  warm", SCRIPT + ["explain", claim], cache))
            rows.append((f"alignment-tax explain {claim}  cold", SCRIPT + ["explain", claim], "off"))
        loads = []
        times: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in rows}
        for _ in range(args.runs):
            loads.append(os.getloadavg()[0])
            for name, argv, where in rows:
                times[name].append(once(argv, where))
    print(f"load average {min(loads):.2f}-{max(loads):.2f} on {os.cpu_count()} cores; median of {args.runs} rounds; "
          f"target {TARGET} s wall")
    print(f"{'command':44} {'wall s':>8} {'cpu s':>8}  target {TARGET} s")
    for name, _, _ in rows:
        wall = statistics.median(w for w, _ in times[name])
        cpu = statistics.median(c for _, c in times[name])
        if name.startswith("("):
            verdict = "(interpreter start-up alone)"
        elif name.endswith("cold"):
            verdict = "(not a target: audits the claim)"
        else:
            verdict = "ok" if wall <= TARGET else ("over (cpu ok)" if cpu <= TARGET else "over")
        print(f"{name:44} {wall:8.3f} {cpu:8.3f}  {verdict}")


if __name__ == "__main__":
    main()
