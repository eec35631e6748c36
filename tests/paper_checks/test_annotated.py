"""The annotated paper (report/annotated.py): every mapped sentence marked in place, coloured by its claims' most
severe verdict and linked to their findings in index.html, exempt sentences plain with their reason on hover; the
page rendered in headless Chromium with every link landing on a finding; ``report --html DIR --paper``."""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from paper_checks import coverage as K
from paper_checks.cli import main
from paper_checks.finding import AuditConfig, Finding, Item, Kind, Verdict
from paper_checks.registry import IDS, bare
from paper_checks.report.annotated import SEVERITY, annotated_page
from paper_checks.report.html import html_report
from paper_checks.text import Text

ROOT = Path(__file__).parents[2]
PAPER = ROOT.parent / "shared" / "paper" / "000_8e731f340f38ae51.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

TEXT = """A Title

1 Intro

The bound is $x \\le 1$. It was cited (Smith, 2020). A new sentence. The gap is $y > 0$.
"""


def _finding(claim_id: str, verdict: Verdict, kind: Kind = Kind.THEOREM, printed: str = "x") -> Finding:
    return Finding(claim_id, "Section 1", kind, printed, None, verdict, None, None, (), (Item(Text.of("evidence")),),
                   None, None, None, 0.0)


def _small_map() -> K.CoverageMap:
    s = {x.at: x for x in K.split(TEXT)}
    return K.CoverageMap((K.Anchor("1/0/0", s["1/0/0"].hash, claims=("thm-a", "thm-b")),
                          K.Anchor("1/0/1", s["1/0/1"].hash, exempt=K.Exemption.CITATION, note="their result"),
                          K.Anchor("1/0/3", s["1/0/3"].hash, claims=("thm-c",))),
                         (("front", K.Exemption.FRONT_MATTER),))


class _Dom(HTMLParser):
    """Sentence elements (class ``s``) with their classes, links and titles; every element id and link."""

    def __init__(self) -> None:
        super().__init__()
        self.sentences: list[dict[str, str]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if "s" in attrs.get("class", "").split():
            self.sentences.append({"tag": tag, **attrs})


def _dom(page: str) -> _Dom:
    d = _Dom()
    d.feed(page)
    return d


def test_sentences_are_marked_by_the_map_and_coloured_by_the_most_severe_verdict() -> None:
    findings = [_finding("thm-a", Verdict.VERIFIED), _finding("thm-b", Verdict.REFUTED)]
    d = _dom(annotated_page(TEXT, findings, _small_map()))
    by_id = {x["id"]: x for x in d.sentences}
    covered = by_id["s-1-0-0"]
    assert covered["tag"] == "a" and "refuted" in covered["class"].split()     # refuted outranks verified
    assert covered["href"] == "index.html#claim-thm-b"
    assert "index.html#claim-thm-a" in d.links and "index.html#claim-thm-b" in d.links
    exempt = by_id["s-1-0-1"]
    assert exempt["tag"] == "span" and "exempt" in exempt["class"].split()
    assert exempt["title"].startswith("exempt, citation:") and "their result" in exempt["title"]
    assert "unmapped" in by_id["s-1-0-2"]["class"].split()
    # A sentence whose claims are not in this report is marked, not linked to a finding that is not there.
    assert "unaudited" in by_id["s-1-0-3"]["class"].split() and "index.html#claim-thm-c" not in d.links
    assert by_id["s-0-0-0".replace("s-0", "s-front")]["title"].startswith("exempt, front-matter")


def test_severity_order_covers_every_verdict() -> None:
    assert set(SEVERITY) == set(Verdict) and SEVERITY[0] is Verdict.REFUTED


def test_the_test_would_see_a_wrong_colour() -> None:
    findings = [_finding("thm-a", Verdict.VERIFIED), _finding("thm-b", Verdict.VERIFIED)]
    covered = next(x for x in _dom(annotated_page(TEXT, findings, _small_map())).sentences if x["id"] == "s-1-0-0")
    assert "refuted" not in covered["class"].split() and "verified" in covered["class"].split()


def _all_findings() -> list[Finding]:
    """A finding for every registered claim (verdicts in turn), without auditing: the page's structure is what
    is tested here, not the verdicts."""
    order = list(Verdict)
    return [_finding(c.id, order[k % len(order)], c.kind, c.printed) for k, c in enumerate(bare())]


def _site(directory: Path) -> tuple[Path, Path]:
    findings = _all_findings()
    index = directory / "index.html"
    index.write_text(html_report(findings, AuditConfig(samples=6), {}, (), "paper.html"))
    paper = directory / "paper.html"
    paper.write_text(annotated_page(PAPER.read_text(), findings, None, IDS))
    return index, paper


@pytest.mark.skipif(not PAPER.exists(), reason=f"the paper's text is not at {PAPER}")
def test_every_claim_of_the_map_is_linked_and_every_link_lands(tmp_path: Path) -> None:
    index, paper = _site(tmp_path)
    d, i = _dom(paper.read_text()), _dom(index.read_text())
    linked = {h.split("#claim-")[1] for h in d.links if "#claim-" in h}
    assert linked == K.load_map().claim_ids()
    assert {f"claim-{c}" for c in linked} <= i.ids and "paper.html" in i.links
    assert len(d.sentences) == len(K.split(PAPER.read_text()))
    assert "math" in d.tags and not re.search(r"\$|\\[A-Za-z]+", re.sub(r"<[^>]*>", "", paper.read_text()
                                                                         .split("</style>")[1]))


def _chromium(*args: str, user_data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={user_data}", *args], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH (Debian: apt-get install chromium)")
@pytest.mark.skipif(not PAPER.exists(), reason=f"the paper's text is not at {PAPER}")
def test_the_annotated_paper_renders_in_chromium_with_every_claim_linked(tmp_path: Path) -> None:
    index, paper = _site(tmp_path)
    rendered = _chromium("--dump-dom", paper.as_uri(), user_data=tmp_path / "profile")
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    d = _dom(rendered.stdout)
    assert len(d.sentences) == len(K.split(PAPER.read_text()))
    linked = {h.split("#claim-")[1] for h in d.links if "#claim-" in h}
    assert linked == K.load_map().claim_ids()
    assert "math" in d.tags     # the MathML survived the browser's parser
    landed = _dom(_chromium("--dump-dom", index.as_uri(), user_data=tmp_path / "profile").stdout)
    assert {f"claim-{c}" for c in linked} <= landed.ids and "paper.html" in landed.links


def test_report_refuses_a_missing_paper_before_auditing(tmp_path: Path, capsys, judged) -> None:
    assert main(["report", "--html", str(tmp_path / "site"), "--paper", str(tmp_path / "none.txt"),
                 "--only", "def-3.4"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alignment-tax: error: --paper") and err.count("\n") == 1 and not judged


@pytest.mark.skipif(not PAPER.exists(), reason=f"the paper's text is not at {PAPER}")
def test_report_command_writes_the_annotated_paper(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert main(["report", "--html", str(out), "--paper", str(PAPER), "--only", "def-3.4", "--quiet"]) == 0
    page, index = (out / "paper.html").read_text(), (out / "index.html").read_text()
    assert 'href="index.html#claim-def-3.4"' in page and 'href="paper.html"' in index
    assert 'id="claim-def-3.4"' in index
