"""Findings in Jupyter: IPython shows a finding through the writers of report/jupyter.py, registered by the class's
name, so that the data model imports no writer (no import cycle through the reports)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import paper_checks

PACKAGE = Path(paper_checks.__file__).parent
# The data model: what a claim, a statement and a finding are, and the registry of claims.
DATA_MODEL = ("claim.py", "finding.py", "statement.py", "registry.py", "definitions.py", "conventions.py")
WRITERS = ("paper_checks.report", "paper_checks.figures", "paper_checks.explain", "paper_checks.cli")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return out


@pytest.mark.parametrize("name", DATA_MODEL)
def test_the_data_model_imports_no_writer(name: str) -> None:
    writers = {m for m in _imports(PACKAGE / name) if m.startswith(WRITERS)}
    assert not writers, (name, writers)


def test_the_test_sees_a_lazy_import(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from paper_checks.report.jupyter import finding_html\n")
    assert "paper_checks.report.jupyter" in _imports(source)


@pytest.mark.claim("pred-1")
def test_ipython_shows_a_finding_through_the_registered_writers() -> None:
    pytest.importorskip("IPython")
    code = """
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
from paper_checks.audit import judge
from paper_checks.finding import AuditConfig
from paper_checks.registry import by_id
from paper_checks.report.jupyter import finding_html, finding_latex
finding = judge(by_id("pred-1"), AuditConfig())
data, _ = shell.display_formatter.format(finding)
print(data["text/html"] == finding_html(finding), data["text/latex"] == finding_latex(finding))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]


def test_the_audit_registers_the_writers_in_an_ipython_shell() -> None:
    """With a stand-in for IPython (its formatters' ``for_type_by_name``), importing the audit registers
    ``finding_html`` and ``finding_latex`` for ``paper_checks.finding.Finding``."""
    code = """
import sys, types
registered = []
class Formatter:
    def __init__(self, mime): self.mime = mime
    def for_type_by_name(self, module, name, fn): registered.append((self.mime, module, name, fn.__name__))
shell = types.SimpleNamespace(display_formatter=types.SimpleNamespace(
    formatters={m: Formatter(m) for m in ("text/html", "text/latex")}))
sys.modules["IPython"] = types.SimpleNamespace(get_ipython=lambda: shell)
import paper_checks.audit
print(sorted(registered))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str([("text/html", "paper_checks.finding", "Finding", "finding_html"),
                               ("text/latex", "paper_checks.finding", "Finding", "finding_latex")])


def test_outside_ipython_the_audit_imports_no_writer() -> None:
    code = f"import sys, paper_checks.audit; print(sorted(m for m in sys.modules if m.startswith({WRITERS!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
