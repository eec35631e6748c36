"""The HTML report: every claim on the page, no LaTeX source left in its text, MathML for the maths, and the
``report --html`` command (the dependency graph it opens with: tests/paper_checks/test_graph.py)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from paper_checks.audit import run, select
from paper_checks.cli import main
from paper_checks.figures import Figure
from paper_checks.finding import AuditConfig
from paper_checks.registry import CLAIMS
from paper_checks.report.html import html_report
from paper_checks.report.mathml import UnknownLatex, latex_mathml

CFG = AuditConfig(samples=6)
IDS = ["cor-6.6", "def-3.4", "pred-1", "def-3.4.loss"]


class _Page(HTMLParser):
    """The page's text (outside <style>), its element ids and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.links: set[str] = set()
        self.tags: set[str] = set()
        self._style = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attrs = dict(attrs)
        self._style = tag == "style"
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.add(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._style = False

    def handle_data(self, data):
        if not self._style:
            self.text.append(data)


@pytest.fixture(scope="module")
def findings():
    return run(select(IDS), CFG)


@pytest.fixture(scope="module")
def page(findings) -> _Page:
    figures = {"cor-6.6": [Figure("counterexample_cor_6_6", "Corollary 6.6: eq. (17) against delta = (4/5, 3/5)", 4.6)]}
    parser = _Page()
    parser.feed(html_report(findings, CFG, figures, CLAIMS))
    return parser


def test_every_claim_has_a_section_a_node_and_a_row(page: _Page) -> None:
    text = " ".join(page.text)
    for claim_id in IDS:
        assert f"claim-{claim_id}" in page.ids
        assert f"#claim-{claim_id}" in page.links
        assert claim_id in text


def test_no_latex_source_is_left_in_the_text(page: _Page) -> None:
    text = " ".join(page.text)
    assert "$" not in text
    assert not re.search(r"\\[A-Za-z]+", text), re.search(r".{40}\\[A-Za-z]+.{40}", text)
    # The checks' ASCII mathematics is typeset: no "C^perp", "||v||", "<=" is left as ASCII.
    assert not re.search(r"\^perp|\|\||<=|!=", text), re.search(r".{40}(\^perp|\|\||<=|!=).{40}", text)


def test_maths_is_mathml_and_the_page_needs_no_network(findings, page: _Page) -> None:
    source = html_report(findings, CFG, {}, CLAIMS)
    assert {"math", "mrow", "msup", "svg"} <= page.tags
    assert "<script" not in source and "http://" not in source.replace("http://www.w3.org/", "")
    assert "https://" not in source


def test_the_test_would_see_raw_latex() -> None:
    parser = _Page()
    parser.feed(r"<p>the bound \frac{1}{2} and $x$</p>")
    text = " ".join(parser.text)
    assert "$" in text and re.search(r"\\[A-Za-z]+", text)


def test_every_printed_statement_converts_to_mathml() -> None:
    for claim in CLAIMS:
        for k, piece in enumerate(claim.printed.split("$")):
            if k % 2:
                assert "\\" not in re.sub(r"<[^>]+>", "", latex_mathml(piece)), (claim.id, piece)


def test_unknown_latex_is_refused() -> None:
    with pytest.raises(UnknownLatex):
        latex_mathml(r"\undefinedmacro{x}")
    assert "<mfrac>" in latex_mathml(r"\frac{a}{b}") and "<msqrt>" in latex_mathml(r"\sqrt{1 - \tau}")


def test_report_command_writes_a_static_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert main(["report", "--html", str(out), "--only", "rem-6.2", "cor-6.6"]) == 0
    page = (out / "index.html").read_text()
    assert 'id="claim-rem-6.2"' in page and 'src="figures/counterexample_cor_6_6.png"' in page
    assert (out / "figures" / "counterexample_cor_6_6.png").stat().st_size > 1000


def test_report_command_refuses_an_unusable_directory(tmp_path: Path, capsys) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["report", "--html", str(afile), "--only", "rem-6.2"]) == 2
    assert main(["report", "--html", str(afile / "sub"), "--only", "rem-6.2"]) == 2   # under a file: no mkdir
    err = capsys.readouterr().err
    assert "--html" in err and "Traceback" not in err
