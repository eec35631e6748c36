"""The claims' dependency graph, a reviewer's map of the audit: edges read from data, a layout by the paper's
sections that fits the page at full size, and an inline SVG whose nodes are coloured by verdict, show their
statement on hover and link to their sections.

An edge goes from the claim used to the claim that uses it:

* ``reads``: a sub-claim ``<id>.<word>`` reads its claim ``<id>`` (the nearest ancestor in the report);
* ``reuses``: two claims built from the same derivation (``registry.derivation_sources``: sec-7.1 reuses
  cor-4.4's ``maximum_tax_free``), from the earlier claim to the later;
* ``cites``: a step of the claim's derivation cites a lemma derived for another claim (derive's CITE and
  OPTIMUM steps: prop-6.5 cites thm-6.1's ``thm-6.1.plane``);
* ``follows``: the paper derives the claim from another (``registry.FOLLOWS``: a corollary from its theorem).

A pair of claims gets one edge, the first of these that holds.  A claim with no edge is listed under the graph
with the reason.
"""
from __future__ import annotations

import enum
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from paper_checks.claim import Claim, Kind
from paper_checks.finding import Finding, Verdict
from paper_checks.registry import FOLLOWS, SECTION_OF, SECTIONS, derivation_sources

__all__ = ["Relation", "Edge", "Placed", "edges", "apart", "layout", "svg", "figure", "COLOURS", "STYLES"]

COLOURS = {Verdict.VERIFIED: "#2e7d32", Verdict.CONDITIONAL: "#b25e00", Verdict.REFUTED: "#c62828",
           Verdict.NOT_CHECKABLE: "#6b6b6b", Verdict.UNDECIDED: "#ad1457"}


class Relation(enum.Enum):
    """Why one claim uses another, in the order an edge between two claims is chosen."""

    READS = "reads"
    REUSES = "reuses"
    CITES = "cites"
    FOLLOWS = "follows"


# (colour, SVG dash pattern, what a line of that style says) for each relation.
STYLES = {Relation.READS: ("#8d8d8d", "", "a sub-claim reads its claim"),
          Relation.REUSES: ("#7b1fa2", "7 4", "the same derivation"),
          Relation.CITES: ("#1565c0", "2 3", "a derivation cites its lemma"),
          Relation.FOLLOWS: ("#37474f", "", "the paper derives it from it")}


@dataclass(frozen=True)
class Edge:
    source: str         # the claim used
    target: str         # the claim that uses it
    kind: Relation


def _ancestor(claim_id: str, present: Iterable[str]) -> str | None:
    """The nearest claim of ``present`` that ``claim_id`` extends by ``.<word>`` parts (itself excluded)."""
    ids = set(present)
    head = claim_id
    while "." in head:
        head, _, word = head.rpartition(".")
        if not re.fullmatch(r"[a-z][a-z-]*", word):
            return None
        if head in ids:
            return head
    return None


def _owner(lemma_claim: str, present: set[str]) -> str | None:
    """The claim of the report a cited lemma belongs to: itself, or the claim it extends (thm-6.1.plane: thm-6.1)."""
    return lemma_claim if lemma_claim in present else _ancestor(lemma_claim, present)


def _cited(finding: Finding) -> list[str]:
    """The claims named by the cites of a finding's derivations and of their steps and result (derive.core), and,
    through each cited lemma, by the lemmas it cites in turn (prop-6.5's maximum cites its own bound lemma, which
    cites thm-6.1.plane)."""
    out: list[str] = []
    seen: set[int] = set()
    todo = [deriv for deriv, _ in finding.derivations]
    while todo:
        deriv = todo.pop()
        if id(deriv) in seen:
            continue
        seen.add(id(deriv))
        for cites in (getattr(deriv, "cites", None), *(getattr(step, "cites", None)
                                                       for step in getattr(deriv, "chain", ()))):
            lemma = _lemma(cites)
            if hasattr(lemma, "claim"):
                todo.append(lemma)
            out += _claim_ids(lemma)
    return out


def _lemma(cites: object) -> object:
    """A ``cites`` attribute with a function that builds a derivation (a CITE step's lemma, derive.core) called."""
    return cites() if callable(cites) and not hasattr(cites, "claim") else cites


def _claim_ids(cites: object) -> list[str]:
    """Claim ids named by a ``cites`` attribute: ids, a derivation (its ``claim``), or a function that builds
    one (:func:`_lemma`)."""
    cites = _lemma(cites)
    if cites is None:
        return []
    if hasattr(cites, "claim"):
        return [str(cites.claim)]
    if isinstance(cites, str):
        return [cites]
    return [str(x) for x in cites]


def edges(findings: Sequence[Finding], claims: Iterable[Claim] = ()) -> list[Edge]:
    """Every edge among the reported claims (see the module docstring): one per pair, the first relation that
    holds, in the order reads, reuses, cites, follows.  Cites are read from the findings' derivations."""
    ids = [f.id for f in findings]
    present = set(ids)
    order = {i: k for k, i in enumerate(ids)}
    out: dict[frozenset[str], Edge] = {}

    def add(source: str | None, target: str, kind: Relation) -> None:
        if source is not None and source in present and source != target:
            out.setdefault(frozenset((source, target)), Edge(source, target, kind))

    for i in ids:
        add(_ancestor(i, present), i, Relation.READS)
    first: dict[object, str] = {}
    for c in sorted((c for c in claims if c.id in present), key=lambda c: order[c.id]):
        for source in derivation_sources(c):
            add(first.get(source), c.id, Relation.REUSES)
            first.setdefault(source, c.id)
    for f in findings:
        for lemma in _cited(f):
            add(_owner(lemma, present), f.id, Relation.CITES)
    for i in ids:
        for source in FOLLOWS.get(i, ()):
            add(source, i, Relation.FOLLOWS)
    return list(out.values())


def _source_name(source: object) -> str:
    """``family.name`` of a derivation source (a DerivationRef or a Chain), else the function's own name."""
    if hasattr(source, "family") and hasattr(source, "name"):
        return f"{source.family}.{source.name}"
    return f"{getattr(source, '__module__', '?')}.{getattr(source, '__qualname__', type(source).__name__)}"


def apart(findings: Sequence[Finding], graph: Sequence[Edge], claims: Iterable[Claim] = ()) -> list[tuple[str, str]]:
    """The claims with no edge, each with the reason, from the data the edges are read from."""
    linked = {e.source for e in graph} | {e.target for e in graph}
    by_id = {c.id: c for c in claims}
    out = []
    for f in findings:
        if f.id in linked:
            continue
        claim = by_id.get(f.id)
        sources = derivation_sources(claim) if claim is not None else ()
        why = ["the paper derives it from no other claim of this report, nor another from it"]
        if sources:
            names = ", ".join(_source_name(s) for s in sources)
            why.append(f"no other claim reads it, cites or reuses its derivation ({names})")
        else:
            why.append("it has no derivation to share" if f.kind is Kind.PREDICTION or not claim
                       else "no other claim reads it or cites it")
        if re.search(r"\.[a-z][a-z-]*$", f.id) and claim is not None and _ancestor(f.id, by_id) is None:
            why.append(f"its id reads as part of {f.id.rpartition('.')[0]}, which is not a claim of its own")
        out.append((f.id, "; ".join(why)))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Layout: one band per section of the paper; in a band, one column per claim with its sub-claims indented under it,
# columns in the paper's order, wrapped to the page width.  The columns of every row share one grid, so the gutters
# between them run from top to bottom, and a channel runs above every row: an edge leaves its claim to the right,
# runs down (or up) its gutter to the channel above the claim that uses it, along the channel, and in.  Nothing is
# scaled: the SVG is drawn at the size it is shown, so its labels keep their font size at 100% zoom.

WIDTH = 1100                     # px: within the page's 1132-px column
_NODE_W, _NODE_H, _PITCH, _INDENT, _GUTTER = 140, 24, 31, 12, 24
_COL_W = _INDENT + _NODE_W + _GUTTER
_COLUMNS = (WIDTH - 20) // _COL_W
_FONT = 12                       # px, node labels; band titles 13, the legend 12
_LEGEND, _BAND_HEAD, _CHANNEL = 58, 24, 30


@dataclass(frozen=True)
class Placed:
    """A node's box on the page: its top-left corner, its column on the grid (``slot``, the same in every row) and
    its column of claims (``column``), the row of columns it is in, and whether it sits under its claim."""

    x: float
    y: float
    slot: int
    column: int
    row: int
    under: bool


def section_of(claim_id: str) -> int | None:
    """The section a claim is drawn in: the one its id numbers (thm-4.1: 4), else ``SECTION_OF``, else its claim's."""
    m = re.match(r"[a-z]+-(\d+)\.\d", claim_id)
    if m:
        return int(m.group(1))
    head = claim_id
    while True:
        if head in SECTION_OF:
            return SECTION_OF[head]
        if "." not in head:
            return None
        head = head.rpartition(".")[0]


def _columns(ids: Sequence[str]) -> list[list[str]]:
    """Each claim with the sub-claims under it; sub-claims of an id that is no claim (thm-6.4.i, thm-6.4.ii) share
    one column."""
    columns: dict[str, list[str]] = {}
    for i in ids:
        root = i
        while (up := _ancestor(root, ids)) is not None:
            root = up
        if root == i and re.search(r"\.[a-z][a-z-]*$", i):
            root = i.rpartition(".")[0]
        columns.setdefault(root, []).append(i)
    return list(columns.values())


@dataclass(frozen=True)
class Layout:
    nodes: dict[str, Placed]
    titles: tuple[tuple[float, str], ...]    # (baseline, title) of each section's band
    channels: tuple[float, ...]              # y of the channel above each row of columns
    height: float


def layout(ids: Sequence[str]) -> Layout:
    """Each node's box, each band's title, the channels and the total height."""
    bands: dict[int | None, list[str]] = {}
    for i in ids:
        bands.setdefault(section_of(i), []).append(i)
    nodes: dict[str, Placed] = {}
    titles: list[tuple[float, str]] = []
    channels: list[float] = []
    y, column = float(_LEGEND), 0
    for section in sorted(bands, key=lambda s: (s is None, s or 0)):
        title = f"Section {section}: {SECTIONS[section]}" if section in SECTIONS else (
            f"Section {section}" if section is not None else "Elsewhere in the paper")
        titles.append((y + 15, title))
        y += _BAND_HEAD
        cols = _columns(bands[section])
        for start in range(0, len(cols), _COLUMNS):
            row = cols[start:start + _COLUMNS]
            channels.append(y + _CHANNEL / 2)
            y += _CHANNEL
            for slot, col in enumerate(row):
                for depth, i in enumerate(col):
                    under = depth > 0 and _ancestor(i, ids) is not None
                    nodes[i] = Placed(10 + slot * _COL_W + (_INDENT if under else 0), y + depth * _PITCH, slot,
                                      column, len(channels) - 1, under)
                column += 1
            y += max(len(c) for c in row) * _PITCH - (_PITCH - _NODE_H)
        y += 8
    return Layout(nodes, tuple(titles), tuple(channels), y + 10)


def _rounded(points: list[tuple[float, float]], radius: float = 5.0) -> str:
    """An SVG path through ``points`` (each turn a right angle) with rounded corners."""
    out = [f"M {points[0][0]:.1f} {points[0][1]:.1f}"]
    for (x0, y0), (x1, y1), (x2, y2) in zip(points, points[1:], points[2:], strict=False):
        r = min(radius, abs(x1 - x0 + y1 - y0) / 2, abs(x2 - x1 + y2 - y1) / 2)
        ax = x1 - r * _sign(x1 - x0)
        ay = y1 - r * _sign(y1 - y0)
        bx = x1 + r * _sign(x2 - x1)
        by = y1 + r * _sign(y2 - y1)
        out.append(f"L {ax:.1f} {ay:.1f} Q {x1:.1f} {y1:.1f} {bx:.1f} {by:.1f}")
    out.append(f"L {points[-1][0]:.1f} {points[-1][1]:.1f}")
    return " ".join(out)


def _sign(v: float) -> float:
    return (v > 0) - (v < 0)


def _route(e: Edge, lay: Layout, lane: int) -> str:
    """The path of an edge: a bracket in the right gutter within one column; otherwise out of the used claim to the
    right, along its gutter to the channel above the using claim's row, along the channel, and in from above (a
    claim at the top of its column) or from its gutter (a claim under another).  ``lane`` spreads edges that share a
    gutter or a channel a few pixels apart."""
    s, t = lay.nodes[e.source], lay.nodes[e.target]
    shift = (lane % 5 - 2) * 3.5
    sy, ty = s.y + _NODE_H / 2, t.y + _NODE_H / 2
    gutter_s = 10 + s.slot * _COL_W + _INDENT + _NODE_W + _GUTTER / 2 + shift
    if s.column == t.column:
        return _rounded([(s.x + _NODE_W, sy), (gutter_s, sy), (gutter_s, ty), (t.x + _NODE_W, ty)])
    channel = lay.channels[t.row] + shift
    start = [(s.x + _NODE_W, sy), (gutter_s, sy), (gutter_s, channel)]
    if not t.under and t.y == min(n.y for n in lay.nodes.values() if n.column == t.column):
        tx = t.x + _NODE_W / 2 + shift
        return _rounded([*start, (tx, channel), (tx, t.y)])
    gutter_t = 10 + t.slot * _COL_W + _INDENT + _NODE_W + _GUTTER / 2 - shift
    return _rounded([*start, (gutter_t, channel), (gutter_t, ty), (t.x + _NODE_W, ty)])


def _tree(parent: Placed, child: Placed) -> str:
    """The connector of a sub-claim to its claim, in the indent under the claim, as a file tree draws it."""
    x = parent.x + _INDENT / 2
    return _rounded([(x, parent.y + _NODE_H), (x, child.y + _NODE_H / 2), (child.x, child.y + _NODE_H / 2)], 4)


def _legend() -> list[str]:
    parts, x = [], 10.0
    for rel, (colour, dash, words) in STYLES.items():
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        label = f"{rel.value}: {words}"
        parts.append(f'<g class="legend"><line x1="{x:.0f}" y1="14" x2="{x + 30:.0f}" y2="14" stroke="{colour}" '
                     f'stroke-width="1.6"{dash_attr} marker-end="url(#arrow-{rel.value})"/>'
                     f'<text x="{x + 36:.0f}" y="18" font-size="12" fill="#333">{html.escape(label)}</text></g>')
        x += 36 + 7 * len(label) + 20
    x = 10.0
    for verdict, colour in COLOURS.items():
        parts.append(f'<g class="legend"><rect x="{x:.0f}" y="30" width="14" height="14" rx="3" fill="{colour}"/>'
                     f'<text x="{x + 19:.0f}" y="41" font-size="12" fill="#333">{verdict.value}</text></g>')
        x += 19 + 7 * len(verdict.value) + 22
    return parts


def _hover_text(expr: object) -> str:
    """One line of Unicode for a node's tooltip (plain text: an SVG title holds no markup), by SymPy's str
    printer with Greek letters and relation signs."""
    from sympy.printing.pretty.pretty_symbology import pretty_symbol
    from sympy.printing.str import StrPrinter

    class Hover(StrPrinter):
        _OPS = {"==": "=", "<=": "\u2264", ">=": "\u2265", "!=": "\u2260", "<": "<", ">": ">"}

        def _print_Symbol(self, expr):
            head, sep, rest = expr.name.partition("_")
            return pretty_symbol(head) + sep + rest

        def _print_Relational(self, expr):
            return f"{self._print(expr.lhs)} {self._OPS.get(expr.rel_op, expr.rel_op)} {self._print(expr.rhs)}"

        def _print_Implies(self, expr):
            return f"{self._print(expr.args[0])} \u21d2 {self._print(expr.args[1])}"

        def _print_Pi(self, expr):
            return "\u03c0"

        def _print_Infinity(self, expr):
            return "\u221e"

        def _print_NegativeInfinity(self, expr):
            return "-\u221e"

    return Hover().doprint(expr).replace("**", "^")


def _domain_text(variable: object) -> str:
    d = variable.domain
    if d.inf.is_infinite and d.sup.is_infinite:
        return f"{_hover_text(variable.symbol)} real"
    text = (f"{_hover_text(variable.symbol)} \u2208 {'(' if d.left_open else '['}{_hover_text(d.inf)}, "
            f"{_hover_text(d.sup)}{')' if d.right_open else ']'}")
    return text + (" integer" if variable.integer else "")


def _statement_text(claim: Claim | None, finding: Finding) -> str:
    """What a node shows on hover: id, kind, place, verdict, then the formal statement (its variables' domains,
    its hypotheses, its conclusion) or, for a claim with none, the sentence as printed."""
    head = f"{finding.id} ({finding.kind.value}, {finding.location}): {finding.verdict.value}"
    if finding.scope is not None:
        head += f" ({finding.scope.value})"
    statement = getattr(claim, "statement", None)
    if statement is None:
        return f"{head}\nno formal statement; as printed: {finding.printed.replace('$', '')}"
    given = [_domain_text(v) for v in statement.variables] + [_hover_text(h) for h in statement.hypotheses]
    return f"{head}\nfor {', '.join(given)}:\n{_hover_text(statement.conclusion)}"


def svg(findings: Sequence[Finding], graph: Sequence[Edge], claims: Iterable[Claim] = ()) -> str:
    """The graph as inline SVG at its own size (``WIDTH`` px wide): a legend, then one band per section."""
    by_claim = {c.id: c for c in claims}
    lay = layout([f.id for f in findings])
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" viewBox="0 0 {WIDTH} {lay.height:.0f}" '
             f'width="{WIDTH}" height="{lay.height:.0f}" role="img" aria-label="dependency graph of the claims" '
             'font-family="sans-serif"><defs>']
    for rel, (colour, _, _) in STYLES.items():
        parts.append(f'<marker id="arrow-{rel.value}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
                     f'markerHeight="6" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
                     f'fill="{colour}"/></marker>')
    parts.append("</defs>")
    parts += _legend()
    for k, e in enumerate(graph):
        colour, dash, _ = STYLES[e.kind]
        if e.kind is Relation.READS and lay.nodes[e.target].under:
            d, width = _tree(lay.nodes[e.source], lay.nodes[e.target]), 1.2
        else:
            d, width = _route(e, lay, k), 1.4
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<path class="edge {e.kind.value}" d="{d}" fill="none" stroke="{colour}" '
                     f'stroke-width="{width}"{dash_attr} marker-end="url(#arrow-{e.kind.value})">'
                     f"<title>{html.escape(e.target)} {e.kind.value} {html.escape(e.source)}</title></path>")
    for y, title in lay.titles:     # over the edges that cross the band's head, on a white ground
        parts.append(f'<text class="band" x="10" y="{y:.0f}" font-size="13" font-weight="600" fill="#444" '
                     f'stroke="#fff" stroke-width="5" paint-order="stroke">{html.escape(title)}</text>')
    for f in findings:
        p = lay.nodes[f.id]
        parts.append(f'<a href="#claim-{html.escape(f.id)}"><g class="node">'
                     f"<title>{html.escape(_statement_text(by_claim.get(f.id), f))}</title>"
                     f'<rect x="{p.x:.1f}" y="{p.y:.1f}" width="{_NODE_W}" height="{_NODE_H}" rx="5" '
                     f'fill="{COLOURS[f.verdict]}"/>'
                     f'<text x="{p.x + _NODE_W / 2:.1f}" y="{p.y + _NODE_H / 2 + _FONT * 0.36:.1f}" '
                     f'text-anchor="middle" font-size="{_FONT}" fill="#fff">{html.escape(f.id)}</text></g></a>')
    parts.append("</svg>")
    return "".join(parts)


def figure(findings: Sequence[Finding], claims: Iterable[Claim] = ()) -> str:
    """The graph for the HTML page: the SVG, then the claims with no edge and why."""
    claims = tuple(claims)
    graph = edges(findings, claims)
    loose = apart(findings, graph, claims)
    listed = "".join(f'<li><a href="#claim-{html.escape(i)}"><code>{html.escape(i)}</code></a>: '
                     f"{html.escape(why)}.</li>" for i, why in loose)
    alone = (f'<p>Not connected ({len(loose)}):</p><ul class="apart">{listed}</ul>' if loose
             else "<p>Every claim is connected.</p>")
    return (f'<figure class="graph">{svg(findings, graph, claims)}<figcaption>Each node is a claim, coloured by '
            "its verdict; hover for its statement, click for its section. An arrow goes from a claim to a claim "
            f"that uses it.</figcaption></figure>{alone}")
