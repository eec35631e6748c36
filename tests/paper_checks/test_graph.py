"""The claims' dependency graph: edges read from the data (a sub-claim reads its claim, a derivation reused, a lemma
cited, what the paper derives a claim from), every claim connected or listed apart with the reason, a layout by
section that fits the page, statements on hover, and labels legible at 100% zoom in Chromium."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from paper_checks import registry
from paper_checks.audit import judge
from paper_checks.finding import AuditConfig, Finding, Verdict
from paper_checks.report import graph as G
from paper_checks.report.html import html_report

R = G.Relation


@pytest.fixture(scope="module")
def base() -> Finding:
    return judge(registry.by_id("pred-1"), AuditConfig())   # no mathematical content: judged in a moment


def _findings(base: Finding, ids, built=()) -> list[Finding]:
    """A finding per claim, its derivations built for the ids in ``built`` (the verdict does not matter here)."""
    out = []
    for entry in registry.bare(ids):
        derivations = tuple((make(), ()) for make in registry.by_id(entry.id).derivations) if entry.id in built else ()
        out.append(replace(base, id=entry.id, kind=entry.kind, location=entry.location, printed=entry.printed,
                           verdict=Verdict.VERIFIED, derivations=derivations))
    return out


IDS = ["def-3.4", "def-3.4.loss", "thm-4.1", "thm-4.3", "cor-4.4", "thm-6.1", "prop-6.5", "sec-7.1", "sec-7.2"]


@pytest.mark.claim("prop-6.5", "cor-4.4", "sec-7.1")
def test_edges_come_from_the_data(base) -> None:
    findings = _findings(base, IDS, built=("prop-6.5",))
    edges = G.edges(findings, registry.bare(IDS))
    assert G.Edge("def-3.4", "def-3.4.loss", R.READS) in edges
    assert G.Edge("cor-4.4", "sec-7.1", R.REUSES) in edges        # both end in derive's maximum_tax_free
    assert G.Edge("thm-6.1", "prop-6.5", R.CITES) in edges        # its CITE step's lemma is thm-6.1.plane
    assert G.Edge("thm-4.3", "cor-4.4", R.FOLLOWS) in edges       # Theorem 4.3 at delta_C* = 0
    assert len({frozenset((e.source, e.target)) for e in edges}) == len(edges)    # one edge per pair
    # Each edge goes when its data goes: no derivation built, no citation; no shared source, no reuse.
    unbuilt = G.edges(_findings(base, IDS), registry.bare(IDS))
    assert not any(e.kind is R.CITES for e in unbuilt)
    assert G.Edge("cor-4.4", "sec-7.1", R.REUSES) not in G.edges(findings, [c for c in registry.bare(IDS)
                                                                           if c.id != "sec-7.1"])


def test_claims_built_from_one_function_reuse_it(base) -> None:
    """A claim outside the registry (a reviewer's) lists derivation functions themselves; sharing one is reuse."""
    from derive import frontier as DF
    mine = [replace(c, derivations=(DF.ellipse,)) for c in registry.bare(["thm-4.3", "sec-7.2"])]
    findings = _findings(base, ["thm-4.3", "sec-7.2"])
    assert G.edges(findings, mine) == [G.Edge("thm-4.3", "sec-7.2", R.REUSES)]
    assert "derive.frontier.ellipse" in G.apart(findings, [], mine)[0][1]


def test_a_paper_reference_is_an_edge_only_while_the_registry_says_so(base, monkeypatch) -> None:
    findings = _findings(base, ["thm-4.3", "cor-4.4"])
    assert G.edges(findings) == [G.Edge("thm-4.3", "cor-4.4", R.FOLLOWS)]
    monkeypatch.setattr(G, "FOLLOWS", {})
    assert G.edges(findings) == []


def test_every_follows_entry_names_claims_of_the_registry() -> None:
    for claim_id, sources in registry.FOLLOWS.items():
        assert claim_id in registry.IDS and sources and set(sources) <= set(registry.IDS), claim_id
        assert all(registry.IDS.index(s) < registry.IDS.index(claim_id) for s in sources), claim_id


def test_every_claim_is_connected_or_listed_apart_with_the_reason(base) -> None:
    findings = _findings(base, None)
    claims = registry.bare()
    edges = G.edges(findings, claims)
    linked = {e.source for e in edges} | {e.target for e in edges}
    loose = dict(G.apart(findings, edges, claims))
    assert linked | set(loose) == set(registry.IDS) and not linked & set(loose)
    assert len(loose) <= 2, loose
    assert "random_subspace.lora_overlap" in loose["sec-7.2"]
    # A claim alone in the report is listed, with why.
    one = _findings(base, ["cor-4.5"])
    assert [i for i, _ in G.apart(one, G.edges(one, registry.bare(["cor-4.5"])), registry.bare(["cor-4.5"]))] == \
        ["cor-4.5"]


def test_the_layout_fits_the_page_by_section_without_overlaps() -> None:
    lay = G.layout(list(registry.IDS))
    nodes = lay.nodes
    assert all(p.x >= 10 and p.x + G._NODE_W <= G.WIDTH and p.y > 0 and p.y + G._NODE_H < lay.height
               for p in nodes.values())
    overlapping = [(a, b) for a in nodes for b in nodes if a < b
                   and abs(nodes[a].x - nodes[b].x) < G._NODE_W and abs(nodes[a].y - nodes[b].y) < G._NODE_H]
    assert not overlapping
    # Sections top to bottom in the paper's order; sub-claims under their claim.
    tops = {}
    for i, p in lay.nodes.items():
        s = G.section_of(i)
        tops[s] = min(tops.get(s, p.y), p.y)
    assert list(tops.values()) == sorted(tops.values())
    assert lay.nodes["thm-4.1.tight"].y > lay.nodes["thm-4.1"].y and lay.nodes["thm-4.1.tight"].under
    assert G.section_of("pred-1.model") == 8 and G.section_of("ellipse.conic") == 4 and G.section_of("x") is None


@pytest.mark.claim("thm-4.1")
def test_a_node_shows_its_statement_on_hover(base) -> None:
    findings = _findings(base, ["thm-4.1", "pred-1"])
    svg = G.svg(findings, [], [registry.by_id("thm-4.1"), registry.bare(["pred-1"])[0]])
    titles = re.findall(r'<g class="node"><title>([^<]*)</title>', svg)
    assert "MaxSafetyGain(\u03b1, B, \u0394_C) = \u0394_C*cos(\u03b1)" in titles[0]
    assert titles[0].startswith("thm-4.1 (theorem, Theorem 4.1") and "\u03b1 \u2208 [0, \u03c0]" in titles[0]
    assert "no formal statement; as printed: per-task tax" in titles[1]


def test_nodes_are_coloured_by_verdict_and_link_to_their_sections(base) -> None:
    verdicts = (Verdict.VERIFIED, Verdict.CONDITIONAL, Verdict.REFUTED)
    findings = [replace(f, verdict=v)
                for f, v in zip(_findings(base, ["def-3.4", "thm-4.1", "cor-6.6"]), verdicts, strict=True)]
    svg = G.svg(findings, G.edges(findings))
    for f in findings:
        assert re.search(rf'<a href="#claim-{re.escape(f.id)}"><g class="node"><title>[^<]*</title><rect [^>]*'
                         rf'fill="{G.COLOURS[f.verdict]}"', svg), f.id


def test_the_cites_of_a_cite_step_name_the_lemma_claim() -> None:
    # derive.core's CITE steps carry ``cites``: a function that builds the cited derivation.
    from derive import safety_pair as DS
    assert G._claim_ids(DS.plane_bound) == ["thm-6.1.plane"] and G._owner("thm-6.1.plane", {"thm-6.1"}) == "thm-6.1"
    assert G._claim_ids(("def-3.4",)) == ["def-3.4"] and G._claim_ids(None) == []


_MEASURE = """<script>
window.addEventListener('load', () => {
  const labels = [...document.querySelectorAll('svg.graph text')].map(t => t.getBoundingClientRect().height);
  const svg = document.querySelector('svg.graph').getBoundingClientRect();
  const first = document.querySelector('h2').textContent;
  const out = document.createElement('pre'); out.id = 'measured';
  out.textContent = JSON.stringify({smallest: Math.min(...labels), count: labels.length, width: svg.width,
                                    first: first, innerWidth: window.innerWidth});
  document.body.appendChild(out);
});
</script>"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium (Debian package chromium)")
def test_labels_are_legible_at_full_size_in_chromium(base) -> None:
    """Chromium lays the page out at 1280 px; every text of the graph is at least 10 px high on screen, the graph is
    drawn at its own width (not scaled down) and is the first thing the page shows."""
    import json
    page = html_report(_findings(base, None), AuditConfig(), None, registry.bare())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.html"
        path.write_text(page.replace("</body>", _MEASURE + "</body>"))
        dom = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp}/profile", "--window-size=1280,900", "--virtual-time-budget=5000", "--dump-dom",
             path.as_uri()], capture_output=True, text=True, timeout=120).stdout
    measured = json.loads(re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S).group(1).replace("&quot;", '"'))
    assert measured["count"] >= len(registry.IDS)
    assert measured["smallest"] >= 10, measured
    assert abs(measured["width"] - G.WIDTH) < 1, measured
    assert measured["first"] == "Dependency graph"
