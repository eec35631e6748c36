"""The claims' dependency graph (a blueprint's graph with computed statuses): edges read from data, a
layered layout, and an inline SVG whose nodes are coloured by verdict and link to their sections.

Edges, each from the claim used to the claim that uses it:

* ``reads``: a sub-claim ``<id>.<word>`` reads its claim ``<id>`` (when ``<id>`` is audited too);
* ``shares``: two claims whose registry entries list the same derivation function (the later one
  reuses the earlier one's derivation);
* ``cites``: a derivation (or one of its steps) with a ``cites`` attribute naming other claims.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Iterable

from paper_checks.finding import Claim, Finding, Verdict

__all__ = ["Edge", "edges", "layers", "svg", "COLOURS"]

COLOURS = {Verdict.VERIFIED: "#2e7d32", Verdict.CONDITIONAL: "#e08a00", Verdict.REFUTED: "#c62828",
           Verdict.NOT_CHECKABLE: "#8a8a8a", Verdict.UNDECIDED: "#ad1457"}


@dataclass(frozen=True)
class Edge:
    source: str   # the claim used
    target: str   # the claim that uses it
    kind: str     # reads | shares | cites


def _parent(claim_id: str) -> str | None:
    head, _, word = claim_id.rpartition(".")
    return head if head and word.isalpha() else None


def edges(findings: list[Finding], claims: Iterable[Claim] = ()) -> list[Edge]:
    """Every edge among the audited claims (see the module docstring), without duplicates."""
    ids = [f.id for f in findings]
    present = set(ids)
    out: list[Edge] = []

    def add(e: Edge) -> None:
        if e.source in present and e.target in present and e.source != e.target and e not in out:
            out.append(e)

    for i in ids:
        parent = _parent(i)
        if parent:
            add(Edge(parent, i, "reads"))
    owner: dict[object, str] = {}
    for c in claims:
        if c.id not in present:
            continue
        for make in c.derivations:
            if make in owner:
                add(Edge(owner[make], c.id, "shares"))
            else:
                owner[make] = c.id
    known = {c.id for c in claims}
    for f in findings:
        for deriv, checks in f.derivations:
            cited = _claim_ids(getattr(deriv, "cites", None))
            for c in checks:
                cited += _claim_ids(getattr(c.step, "cites", None))
            for other in cited:
                if other != f.id and other in known:
                    add(Edge(other, f.id, "cites"))
    return out


def _claim_ids(cites: object) -> list[str]:
    """Claim ids named by a ``cites`` attribute: ids, a derivation (its ``claim``), or a function that builds
    one (a CITE step's lemma, derive.core)."""
    if cites is None:
        return []
    if callable(cites) and not hasattr(cites, "claim"):
        cites = cites()
    if hasattr(cites, "claim"):
        return [str(cites.claim)]
    if isinstance(cites, str):
        return [cites]
    return [str(x) for x in cites]


def layers(ids: list[str], graph: list[Edge]) -> list[list[str]]:
    """Longest-path layers (a claim sits one row below the lowest claim it uses), each row ordered by
    the mean position of the claims it uses (one barycentre sweep keeps crossings few)."""
    uses: dict[str, list[str]] = {i: [] for i in ids}
    for e in graph:
        uses[e.target].append(e.source)
    depth: dict[str, int] = {}

    def level(i: str, seen: tuple[str, ...] = ()) -> int:
        if i not in depth:
            # A cycle (not expected in the data) is cut where it closes.
            depth[i] = 1 + max((level(j, seen + (i,)) for j in uses[i] if j not in seen), default=-1)
        return depth[i]

    for i in ids:
        level(i)
    rows: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for i in ids:
        rows[depth[i]].append(i)
    position: dict[str, float] = {}
    for row in rows:
        row.sort(key=lambda i: (sum(position[j] for j in uses[i]) / len(uses[i]) if uses[i] else ids.index(i)))
        for k, i in enumerate(row):
            position[i] = k
    return rows


_NODE_W, _NODE_H, _GAP_X, _GAP_Y, _PER_ROW = 150, 30, 14, 46, 7


def svg(findings: list[Finding], graph: list[Edge]) -> str:
    """The graph as inline SVG: connected claims in layers, then the claims with no edge in a grid."""
    verdict = {f.id: f.verdict for f in findings}
    kind = {f.id: f.kind.value for f in findings}
    ids = [f.id for f in findings]
    linked = {e.source for e in graph} | {e.target for e in graph}
    rows = layers([i for i in ids if i in linked], graph)
    loose = [i for i in ids if i not in linked]
    grid = [loose[k:k + _PER_ROW] for k in range(0, len(loose), _PER_ROW)]
    # A layer never wraps (a wrapped row would put a claim under one it does not use); the SVG is as wide
    # as its widest layer and scales down to the page.
    placed_rows = rows
    width = max([_PER_ROW] + [len(r) for r in rows]) * (_NODE_W + _GAP_X) + _GAP_X
    pos: dict[str, tuple[float, float]] = {}
    y = 20.0
    for row in placed_rows:
        x0 = (width - len(row) * (_NODE_W + _GAP_X) + _GAP_X) / 2
        for k, i in enumerate(row):
            pos[i] = (x0 + k * (_NODE_W + _GAP_X), y)
        y += _NODE_H + _GAP_Y
    separator = y - _GAP_Y / 2
    y += 18
    for row in grid:
        x0 = (width - len(row) * (_NODE_W + _GAP_X) + _GAP_X) / 2
        for k, i in enumerate(row):
            pos[i] = (x0 + k * (_NODE_W + _GAP_X), y)
        y += _NODE_H + 16
    height = y + 4
    dash = {"reads": "", "shares": ' stroke-dasharray="6 4"', "cites": ' stroke-dasharray="2 3"'}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'width="{width:.0f}" role="img" aria-label="dependency graph of the claims">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>']
    for e in graph:
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        sx, sy, tx, ty = x1 + _NODE_W / 2, y1 + _NODE_H, x2 + _NODE_W / 2, y2
        if y2 <= y1:   # not expected from the layering; drawn side to side rather than through a node
            sy, ty = y1 + _NODE_H / 2, y2 + _NODE_H / 2
            sx, tx = (x1 + _NODE_W, x2) if x2 > x1 else (x1, x2 + _NODE_W)
        mid = (sy + ty) / 2
        parts.append(f'<path d="M {sx:.1f} {sy:.1f} C {sx:.1f} {mid:.1f}, {tx:.1f} {mid:.1f}, {tx:.1f} {ty:.1f}" '
                     f'fill="none" stroke="#555" stroke-width="1.3"{dash[e.kind]} marker-end="url(#arrow)">'
                     f"<title>{html.escape(e.source)} {e.kind} -&gt; {html.escape(e.target)}</title></path>")
    if grid:
        parts.append(f'<line x1="10" y1="{separator:.0f}" x2="{width - 10:.0f}" y2="{separator:.0f}" '
                     f'stroke="#ccc"/><text x="12" y="{separator + 13:.0f}" font-size="11" fill="#666">'
                     f"claims with no edge</text>")
    for i, (x, y0) in pos.items():
        colour = COLOURS[verdict[i]]
        parts.append(f'<a href="#claim-{html.escape(i)}"><g class="node">'
                     f"<title>{html.escape(i)} ({kind[i]}): {verdict[i].value}</title>"
                     f'<rect x="{x:.1f}" y="{y0:.1f}" width="{_NODE_W}" height="{_NODE_H}" rx="6" fill="{colour}"/>'
                     f'<text x="{x + _NODE_W / 2:.1f}" y="{y0 + _NODE_H / 2 + 4:.1f}" text-anchor="middle" '
                     f'font-size="12" fill="#fff" font-family="sans-serif">{html.escape(i)}</text></g></a>')
    parts.append("</svg>")
    return "".join(parts)
