"""The command line: exit codes, messages, the JSON contract and determinism, '-' for stdout, --fail-on,
output paths checked before and after the run, and progress on stderr.

Only fast claims are audited here (def-3.4.loss refuted, thm-6.4.iii verified, pred-1 not-checkable: each
well under a second); a conditional finding is thm-6.4.iii's with its verdict replaced (fixture
``conditional``), since no claim that is conditional audits fast.
"""
from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from paper_checks import audit
from paper_checks.cli import FailOn, main
from paper_checks.finding import Verdict
from paper_checks.registry import IDS

SCHEMA = json.loads((Path(__file__).parents[2] / "paper_checks" / "schema.json").read_text())
FAST = ["def-3.4.loss", "thm-6.4.iii", "pred-1"]   # refuted, verified, not-checkable (registry order)


@pytest.fixture
def conditional(monkeypatch) -> str:
    """thm-6.4.iii comes back conditional (in forked workers too: the patch is in place before they fork)."""
    import dataclasses

    from paper_checks.finding import Failure
    real = audit.judge

    @functools.wraps(real)      # proofs.findings judges with the function it wraps
    def judge(claim, cfg):
        f = real(claim, cfg)
        if claim.id != "thm-6.4.iii":
            return f
        return dataclasses.replace(f, verdict=Verdict.CONDITIONAL, failure=Failure.MEASURE_ZERO, scope=None,
                                   conditions="rho > 0 (at rho = 0 both sides vanish)")

    monkeypatch.setattr(audit, "judge", judge)
    return "thm-6.4.iii"


def _one_error_line(err: str) -> str:
    """The one error line on stderr (progress lines may precede it), and no traceback."""
    lines = [line for line in err.strip().splitlines() if not line.startswith("alignment-tax: drawing")]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("alignment-tax: error: ")
    return lines[0]


# ---------------------------------------------------------------------------------------------- ids, seed


def test_unknown_id_exits_2_with_message(capsys, judged) -> None:
    assert main(["audit", "--only", "thm-9.9", "--quiet"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "--only 'thm-9.9' is not a claim id of the registry; known ids: def-3.3, def-3.4," in line
    assert judged == []


def test_negative_seed_exits_2(capsys) -> None:
    assert main(["audit", "--seed", "-1", "--quiet"]) == 2
    assert "--seed -1 must be a nonnegative integer." in _one_error_line(capsys.readouterr().err)


def test_external_command_is_loaded_when_called(capsys) -> None:
    assert main(["--help"]) == 0
    assert "measure" in capsys.readouterr().out
    assert main(["measure", "--help"]) == 0
    assert "FILE.npz" in capsys.readouterr().out


def test_version(capsys) -> None:
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("alignment-tax ") and out.split()[1][0].isdigit()


def test_claims_lists_every_registered_claim(capsys) -> None:
    from paper_checks.registry import CLAIMS
    assert main(["claims"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [r[0] for r in rows] == [c.id for c in CLAIMS]
    assert [r[1] for r in rows] == [c.kind.value for c in CLAIMS]


# ---------------------------------------------------------------------------------------------- JSON report


def _report(tmp_path: Path, name: str, seed: int) -> dict:
    path = tmp_path / name
    assert main(["audit", "--only", "rem-6.2", "cor-6.3", "--quiet", "--seed", str(seed), "--json", str(path)]) == 0
    return json.loads(path.read_text())


def test_json_report_validates_and_is_deterministic(tmp_path: Path) -> None:
    first, second = _report(tmp_path, "a.json", 3), _report(tmp_path, "b.json", 3)
    jsonschema.validate(first, SCHEMA)
    for claims in (first["claims"], second["claims"]):
        for c in claims:
            c.pop("seconds")
    assert first == second
    assert [c["id"] for c in first["claims"]] == ["rem-6.2", "cor-6.3"]


def test_json_to_stdout_is_the_report_alone(capsys, tmp_path: Path) -> None:
    assert main(["audit", "--only", *FAST, "--json", "-"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)   # nothing but the report on stdout
    jsonschema.validate(report, SCHEMA)
    assert [c["id"] for c in report["claims"]] == FAST
    # Progress goes to stderr; with one process per core, which claim starts first is the processes' race.
    assert "what is wrong" in captured.err and re.search(r"auditing def-3\.4\.loss \([123]/3\)", captured.err)
    assert not Path("-").exists()


def test_json_to_stdout_equals_the_file(capsys, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet", "--json", "-"]) == 0
    out = capsys.readouterr().out
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet", "--json", str(path)]) == 0
    drop = lambda r: [{k: v for k, v in c.items() if k != "seconds"} for c in r["claims"]]   # noqa: E731
    assert drop(json.loads(out)) == drop(json.loads(path.read_text()))


def test_markdown_to_stdout(capsys) -> None:
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet", "--markdown", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# Audit of *What Is the Geometry of the Alignment Tax?*")
    assert "what is wrong" not in captured.out and "what is wrong" in captured.err


def test_both_reports_to_stdout_is_an_error(capsys, judged) -> None:
    assert main(["audit", "--only", "thm-6.4.iii", "--json", "-", "--markdown", "-"]) == 2
    assert "--json '-' and --markdown '-'" in _one_error_line(capsys.readouterr().err)
    assert judged == []


# ---------------------------------------------------------------------------------------------- output paths


def test_missing_directories_are_created(capsys, tmp_path: Path) -> None:
    target = tmp_path / "out" / "deeper" / "r.json"
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet", "--json", str(target)]) == 0
    assert json.loads(target.read_text())["claims"][0]["id"] == "thm-6.4.iii"


def test_markdown_into_a_missing_directory_brings_its_figures(capsys, tmp_path: Path) -> None:
    target = tmp_path / "out" / "audit.md"
    assert main(["audit", "--only", "rem-4.2.quarter", "--quiet", "--markdown", str(target)]) == 0
    text = target.read_text()
    assert "](figures/" in text
    for name in re.findall(r"\]\((figures/[^)]+)\)", text):
        assert (tmp_path / "out" / name).is_file(), name


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_failed_write_leaves_nothing_beside_the_target(capsys, tmp_path: Path) -> None:
    assert not Path("/dev/figures").exists()
    assert main(["audit", "--only", "rem-4.2.quarter", "--quiet", "--markdown", "/dev/full"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "--markdown '/dev/full': writing failed: No space left on device." in line
    assert not Path("/dev/figures").exists()        # the figures drawn for it were removed again


def test_a_file_in_the_way_of_a_directory_is_named(capsys, tmp_path: Path, judged) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["report", "--html", str(afile / "sub"), "--only", "thm-6.4.iii", "--quiet"]) == 2
    assert f"{str(afile)!r} is a file, not a directory." in _one_error_line(capsys.readouterr().err)
    assert judged == [] and afile.read_text() == "x"


def test_ctrl_c_stops_quietly_and_leaves_no_partial_output(tmp_path: Path) -> None:
    """SIGINT to the whole process group, as a terminal sends it, once the run has created its output directory:
    one line, exit 130, and the directory it created is gone."""
    import signal
    import subprocess
    import sys
    import time
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "paper_checks.cli", "derive", "--latex", str(out / "tex"),
                             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "ALIGNMENT_TAX_CACHE": "off"})
    deadline = time.monotonic() + 120
    while not (out / "tex" / "figures").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    time.sleep(0.3)       # the workers are auditing and drawing
    group = os.getpgid(proc.pid)
    assert group != os.getpgrp()          # its own group: the signal never reaches this test's process
    os.killpg(group, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["alignment-tax: interrupted"], stderr
    assert not out.exists()


def test_directory_as_report_path_is_refused(capsys, tmp_path: Path, judged) -> None:
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet", "--markdown", str(tmp_path)]) == 2
    assert f"--markdown {str(tmp_path)!r} is a directory" in _one_error_line(capsys.readouterr().err)
    assert judged == []


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_json_in_proc_is_refused_before_the_run(capsys, judged) -> None:
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet", "--json", "/proc/report.json"]) == 2
    assert "--json '/proc/report.json' cannot be written" in _one_error_line(capsys.readouterr().err)
    assert judged == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_write_failure_after_the_run_is_one_line(capsys, judged) -> None:
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet", "--json", "/dev/full"]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "--json '/dev/full': writing failed: No space left on device." in line
    assert judged == ["thm-6.4.iii"]


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_figures_in_proc(capsys) -> None:
    assert main(["figures", "/proc/x"]) == 2
    assert "DIR '/proc/x' cannot be created" in _one_error_line(capsys.readouterr().err)


def test_figures_into_a_file(capsys, tmp_path: Path) -> None:
    existing = Path("/etc/hostname") if Path("/etc/hostname").is_file() else tmp_path / "a-file"
    existing.touch(exist_ok=True)
    assert main(["figures", str(existing)]) == 2
    assert f"DIR {str(existing)!r} is a file; give a directory." in _one_error_line(capsys.readouterr().err)


def test_figures_write_failure_is_one_line(capsys, tmp_path: Path, monkeypatch) -> None:
    import paper_checks.figures as figures

    def full(directory, ids=None):
        raise OSError(28, "No space left on device", str(directory / "frontier.png"))

    monkeypatch.setattr(figures, "write_figures", full)
    assert main(["figures", str(tmp_path / "fig")]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert f"DIR {str(tmp_path / 'fig')!r}: writing" in line and "No space left on device" in line


def test_latex_into_a_file_is_refused(capsys, tmp_path: Path, judged) -> None:
    (tmp_path / "f").touch()
    assert main(["derive", "thm-6.4.iii", "--latex", str(tmp_path / "f")]) == 2
    assert "--latex" in _one_error_line(capsys.readouterr().err)
    assert judged == []


# ---------------------------------------------------------------------------------------------- derive


def test_derive_prints_every_step(capsys) -> None:
    assert main(["derive", "rem-6.2"]) == 0
    out = capsys.readouterr().out
    from paper_checks.registry import by_id
    steps = [step.name for make in by_id("rem-6.2").derivations for step in make().steps]
    assert len(steps) > 5 and all(name in out for name in steps), [n for n in steps if n not in out]


def test_derive_pdf_without_latex_is_an_error(capsys) -> None:
    assert main(["derive", "--pdf"]) == 2
    assert "--pdf needs --latex DIR" in _one_error_line(capsys.readouterr().err)


def test_derive_says_when_a_claim_has_no_derivation(capsys) -> None:
    assert main(["derive", "pred-1"]) == 0
    assert "pred-1 (Prediction 1, prediction): no derivation" in capsys.readouterr().out


def test_derive_latex_piped_prints_one_line_per_stage(capsys, tmp_path: Path, monkeypatch) -> None:
    import paper_checks.figures as figures
    monkeypatch.setattr(figures, "drawn_while", lambda directory, ids, work, formats=None: (work(), {}))
    assert main(["derive", "thm-6.4.iii", "--latex", str(tmp_path / "tex")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == ["alignment-tax: auditing while a second process draws the figures",
                   "alignment-tax: auditing thm-6.4.iii (1/1)", "alignment-tax: writing the LaTeX document"]


# ---------------------------------------------------------------------------------------------- --fail-on


@pytest.mark.parametrize(("fail_on", "code", "named"), [
    ([], 0, []), (["refuted"], 1, ["def-3.4.loss (refuted)"]), (["conditional"], 1, ["thm-6.4.iii (conditional)"]),
    (["undecided"], 0, []), (["undecided", "refuted", "conditional"], 1,
                             ["def-3.4.loss (refuted)", "thm-6.4.iii (conditional)"])])
def test_fail_on(capsys, conditional, fail_on: list[str], code: int, named: list[str]) -> None:
    argv = ["audit", "--only", *FAST, "--quiet"] + [x for v in fail_on for x in ("--fail-on", v)]
    assert main(argv) == code
    err = capsys.readouterr().err
    if code:
        assert err.startswith("alignment-tax: --fail-on ") and f"{len(named)} finding(s): {', '.join(named)}" in err
    else:
        assert err == ""


def test_fail_on_rejects_other_verdicts(capsys) -> None:
    assert main(["audit", "--fail-on", "verified"]) == 2
    assert "invalid choice: 'verified'" in capsys.readouterr().err


def test_fail_on_vocabulary_is_made_of_verdicts() -> None:
    assert {v.value for v in FailOn} <= {v.value for v in Verdict}


def test_exit_codes_are_documented(capsys) -> None:
    import paper_checks.cli as cli
    assert main(["audit", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    readme = " ".join(readme.split())
    assert "0: the command ran" in readme and "1: `audit --fail-on VERDICT`" in readme
    assert "2: the command could not run" in readme
    doc = " ".join(cli.__doc__.split())
    assert "* 0: the command ran" in doc and "* 1: ``audit --fail-on VERDICT``" in doc and "* 2: the command" in doc
    assert "exit codes: 0" in text and "1 audit --fail-on VERDICT" in text and "2 the command could not run" in text


# ---------------------------------------------------------------------------------------------- the table


def test_table_at_80_columns_piped(capsys, monkeypatch, conditional) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["audit", "--only", *FAST, "sec-7.1.equivalence", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert max(map(len, out.splitlines())) <= 80
    for cid in (*FAST, "sec-7.1.equivalence"):
        assert f" {cid} " in out   # whole, never cut
    assert "needs: " in out and "correction: " in out   # the what-is-wrong column
    assert "by kind and verdict" in out and "refuted  a certified counterexample" in out   # counts, legend
    assert "location" not in out


def test_table_honours_wide_columns_when_piped(capsys, monkeypatch) -> None:
    # Wide enough for every column beside the cause and "what is wrong" (the optional columns go first when narrow).
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["audit", "--only", *FAST, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "location" in out and "methods" in out
    assert 100 < max(map(len, out.splitlines())) <= 200


# ---------------------------------------------------------------------------------------------- progress


def test_piped_progress_names_each_claim_before_it_runs(capsys, judged) -> None:
    assert main(["audit", "--only", *FAST]) == 0
    err = capsys.readouterr().err.splitlines()
    # One line per claim, counted 1..3 in the order the processes take them (which is their race).
    got = [re.fullmatch(r"alignment-tax: auditing (\S+) \((\d)/3\)", line).groups() for line in err]
    assert sorted(i for i, _ in got) == sorted(FAST) and [n for _, n in got] == ["1", "2", "3"]


def test_quiet_prints_no_progress(capsys) -> None:
    assert main(["audit", "--only", "thm-6.4.iii", "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def _events(ids: list[str], workers: int) -> list[str]:
    from paper_checks.finding import AuditConfig
    events: list[str] = []
    audit.run(audit.select(ids), AuditConfig(), workers=workers, on_done=lambda f: events.append("done " + f.id),
              on_start=lambda c: events.append("start " + c.id))
    return events


def test_run_announces_a_claim_before_judging_it() -> None:
    assert _events(["thm-6.4.iii", "pred-1"], 1) == ["start thm-6.4.iii", "done thm-6.4.iii", "start pred-1",
                                                      "done pred-1"]


def test_parallel_run_announces_only_the_claims_in_progress() -> None:
    ids = ["thm-6.4.iii", "pred-1", "pred-2", "pred-3", "pred-4"]
    events = _events(ids, 2)
    running: set[str] = set()
    for e in events:
        word, cid = e.split()
        if word == "start":
            running.add(cid)
            assert len(running) <= 2, events   # a claim announced is a claim a process is working on
        else:
            running.remove(cid)   # done only after its start
    assert not running and sorted(e.split()[1] for e in events if e.startswith("done")) == sorted(ids)


@pytest.mark.skipif(os.name != "posix", reason="subprocess with a clean interpreter")
def test_start_up_imports_nothing_heavy() -> None:
    """--help, --version and claims answer without SymPy, cvxpy, rich, matplotlib, z3 or numpy."""
    import subprocess
    import sys
    code = ("import sys; from paper_checks.cli import main; main(['--help']); main(['claims']); "
            "main(['audit', '--help']); "
            "print('HEAVY', sorted(m for m in ('sympy', 'cvxpy', 'rich', 'matplotlib', 'z3', 'numpy', "
            "'scipy', 'derive.core', 'paper_checks.measure') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "HEAVY []"


def test_the_registry_table_is_read_without_sympy() -> None:
    """The claim ids, kinds and locations are the registry's own table, importable without SymPy: derivations and
    checks are named there, imported only when built."""
    import subprocess
    import sys
    code = ("import sys; from paper_checks import registry; e = registry.bare(['thm-4.1'])[0]; "
            "print(e.kind.value, e.location, len(registry.IDS), 'sympy' in sys.modules, 'derive.core' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["theorem", "Theorem", "4.1,", "eq.", "(1)", "and", "(3)", str(len(IDS)), "False", "False"]
