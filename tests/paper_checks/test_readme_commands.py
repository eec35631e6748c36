"""Every command line of the README's "Use" section, run as a user runs it: in a fresh directory, through the installed
command, with its exit code and what it writes checked.  Commands over every claim are restricted to a couple of
claims (cor-6.6, refuted; thm-6.4.iii, verified) so that the test takes minutes, not a full audit per line."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from collections.abc import Callable

import jsonschema
import pytest

ROOT = Path(__file__).parents[2]
README = ROOT / "README.md"
SCHEMA = json.loads((ROOT / "paper_checks" / "schema.json").read_text())
FEW = ["cor-6.6", "thm-6.4.iii"]
# The README's PAPER.txt: the paper's text beside the project, where the maintainers keep it (a run needing it is
# skipped, saying so, when it is not there).
PAPER = ROOT.parent / "shared" / "paper" / "000_8e731f340f38ae51.txt"


def use_commands() -> list[str]:
    """The command lines of the README's Use section (comments and continuation lines dropped)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Use", 1)[1].split("```", 2)[1]
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()]
    return [line for line in lines if line.startswith("alignment-tax")]


# For each README line: the arguments it is run with (the line itself, restricted to a few claims where it would
# audit or draw everything), the exit code expected, and a check of what it wrote (cwd, stdout).
Check = Callable[[Path, str], None]


def _table(cwd: Path, out: str) -> None:
    assert "what is wrong" in out and "cor-6.6" in out


def _json_file(cwd: Path, out: str) -> None:
    report = json.loads((cwd / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    assert [c["id"] for c in report["claims"]] == ["thm-6.4.iii", "cor-6.6"]


def _json_stdout(cwd: Path, out: str) -> None:
    jsonschema.validate(json.loads(out), SCHEMA)


def _markdown(cwd: Path, out: str) -> None:
    text = (cwd / "out" / "audit.md").read_text()
    assert text.startswith("# Audit of") and "## `cor-6.6`" in text
    assert all((cwd / "out" / name).is_file() for name in re.findall(r"\]\((figures/[^)]+)\)", text))


def _mutants(cwd: Path, out: str) -> None:
    assert "mutation score" in out and "no survivor" in out


def _explain(cwd: Path, out: str) -> None:
    assert out.startswith("cor-6.6") and "Counterexample" in out and "What holds" in out


def _explain_figures(cwd: Path, out: str) -> None:
    drawn = sorted(p.name for p in (cwd / "fig").iterdir() if p.suffix in (".png", ".pdf"))
    assert drawn and all(name in out for name in drawn)


def _derive(cwd: Path, out: str) -> None:
    assert "Derivation" in out or "1." in out


def _latex(cwd: Path, out: str) -> None:
    assert (cwd / "out" / "tex" / "alignment_tax_audit.tex").is_file()
    if shutil.which("pdflatex"):
        assert (cwd / "out" / "tex" / "alignment_tax_audit.pdf").is_file()


def _certificates(cwd: Path, out: str) -> None:
    assert any((cwd / "out" / "cert").iterdir()) and "manifest" in out


def _html(cwd: Path, out: str) -> None:
    page = (cwd / "out" / "html" / "index.html").read_text()
    assert 'id="claim-cor-6.6"' in page and "<math" in page


def _annotated(cwd: Path, out: str) -> None:
    _html(cwd, out)
    page = (cwd / "out" / "html" / "paper.html").read_text()
    assert "index.html#claim-cor-6.6" in page


def _coverage(cwd: Path, out: str) -> None:
    assert "covered" in out and "total" in out


def _checked(cwd: Path, out: str) -> None:
    _certificates(cwd, out)
    assert "z3" in out and "cvc5" in out


def _figures(cwd: Path, out: str) -> None:
    assert list((cwd / "out" / "fig").glob("*.png"))


def _claims(cwd: Path, out: str) -> None:
    assert "thm-4.1" in out and "cor-6.6" in out


def _version(cwd: Path, out: str) -> None:
    assert re.search(r"\d+\.\d+", out)


def _referee(cwd: Path, out: str) -> None:
    text = (cwd / "referee.md").read_text()
    assert text.startswith("# Referee report") and re.findall(r"^\d+\. .*\(`([^`]+)`", text, flags=re.M) == ["cor-6.6"]


def _any(cwd: Path, out: str) -> None:
    assert out.strip()


# README line (as printed, comment removed) -> (arguments run, exit code, check)
RUNS: dict[str, tuple[list[str], int, Check]] = {
    "alignment-tax audit": (["audit", "--only", *FEW], 0, _table),
    "alignment-tax audit --only thm-4.1 cor-6.3": (["audit", "--only", "thm-4.1", "cor-6.3"], 0, _any),
    "alignment-tax audit --fail-on refuted": (["audit", "--only", *FEW, "--fail-on", "refuted"], 1, _table),
    "alignment-tax audit --sort paper": (["audit", "--only", *FEW, "--sort", "paper"], 0, _table),
    "alignment-tax audit --json report.json": (["audit", "--only", *FEW, "--json", "report.json"], 0, _json_file),
    "alignment-tax audit --json - | jq .": (["audit", "--only", *FEW, "--json", "-"], 0, _json_stdout),
    "alignment-tax audit --seed 7": (["audit", "--only", *FEW, "--seed", "7"], 0, _table),
    "alignment-tax audit --markdown out/audit.md": (["audit", "--only", *FEW, "--markdown", "out/audit.md"], 0,
                                                    _markdown),
    "alignment-tax audit --mutants": (["audit", "--only", "thm-6.4.iii", "--mutants"], 0, _mutants),
    "alignment-tax explain cor-6.6": (["explain", "cor-6.6"], 0, _explain),
    "alignment-tax explain cor-6.6 --figures fig": (["explain", "cor-6.6", "--figures", "fig"], 0, _explain_figures),
    "alignment-tax derive thm-4.1": (["derive", "thm-4.1"], 0, _derive),
    "alignment-tax derive --latex out/tex --pdf": (["derive", "--latex", "out/tex", "--pdf", *FEW], 0, _latex),
    "alignment-tax certificates out/cert": (["certificates", "out/cert", "cor-6.3"], 0, _certificates),
    "alignment-tax certificates out/cert --check": (["certificates", "out/cert", "cor-6.3", "--check"], 0, _checked),
    "alignment-tax coverage PAPER.txt": (["coverage", str(PAPER)], 0, _coverage),
    "alignment-tax report --html out/html --paper PAPER.txt": (
        ["report", "--html", "out/html", "--paper", str(PAPER), "--only", *FEW], 0, _annotated),
    "alignment-tax report --html out/html": (["report", "--html", "out/html", "--only", *FEW], 0, _html),
    "alignment-tax report --referee referee.md": (["report", "--referee", "referee.md", "--only", *FEW], 0, _referee),
    "alignment-tax figures out/fig": (["figures", "out/fig", "cor-6.6"], 0, _figures),
    "alignment-tax claims": (["claims"], 0, _claims),
    "alignment-tax --version": (["--version"], 0, _version),
}


def test_every_use_command_has_a_run() -> None:
    """A command added to the README without a run here fails, as does a run whose README line is gone."""
    assert set(use_commands()) == set(RUNS)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("readme")


def _argv(args: list[str]) -> list[str]:
    exe = shutil.which("alignment-tax")
    return [exe, *args] if exe else [sys.executable, "-m", "paper_checks.cli", *args]


@pytest.mark.slow
@pytest.mark.parametrize("line", list(RUNS), ids=list(RUNS))
def test_readme_command_runs(line: str, workdir: Path) -> None:
    args, code, check = RUNS[line]
    if str(PAPER) in args and not PAPER.exists():
        pytest.skip(f"the paper's text is not at {PAPER}")
    env = {**os.environ, "ALIGNMENT_TAX_CACHE": str(workdir / "cache"), "COLUMNS": "120"}
    run = subprocess.run(_argv(args), cwd=workdir, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == code, (line, run.stderr[-2000:])
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    out = run.stdout
    if "--json -" in line:
        assert run.stdout.lstrip().startswith("{")
        if shutil.which("jq"):       # the README pipes it through jq: it must be JSON jq reads
            subprocess.run(["jq", "."], input=run.stdout, text=True, capture_output=True, check=True)
    check(workdir, out)
