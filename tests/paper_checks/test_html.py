"""The HTML report: every claim on the page, no LaTeX source left in its text, MathML for the maths, and the
``report --html`` command (the dependency graph it opens with: tests/paper_checks/test_graph.py)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from paper_checks.cli import main
from paper_checks.figures import Figure
from paper_checks.finding import AuditConfig
from paper_checks.registry import CLAIMS
from paper_checks.report.html import html_report

CFG = AuditConfig()
IDS = ["cor-6.6", "def-3.4", "pred-1", "def-3.4.loss", "sec-7.3"]


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
    from proofs.findings import audited
    return [audited(i) for i in IDS]          # the run's findings under CFG, judged once per run


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
    from latex2mathml.converter import convert
    for claim in CLAIMS:
        for k, piece in enumerate(claim.printed.split("$")):
            if k % 2:
                assert "\\" not in re.sub(r"<[^>]+>", "", convert(piece)), (claim.id, piece)


def test_a_findings_formulas_are_mathml(findings) -> None:
    """Conditions, counterexample values and the claimed relation reach the page as MathML, never as text."""
    source = html_report(findings, CFG, {}, CLAIMS)
    for f in findings:
        section = source.split(f'id="claim-{f.id}"')[1].split("</section>")[0]
        if f.conditions:
            conditions = section.split("<dt>Conditions</dt><dd>")[1].split("</dd>")[0]
            assert conditions.startswith("<math") and "<=" not in re.sub(r"<[^>]+>", "", conditions)
        if f.counterexample:
            claimed = section.split("<th>claimed</th><td>")[1].split("</td>")[0]
            assert claimed.startswith("<math"), (f.id, claimed[:80])


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
