"""The annotated paper: the paper's text as a static page (``paper.html`` beside ``index.html``), every sentence
marked in place by what the coverage map says of it.

* a sentence formalised by claims is coloured by its claims' most severe verdict (refuted, undecided, conditional,
  verified, not-checkable, in that order) and links to each claim's finding, ``index.html#claim-ID``;
* an exempt sentence is plain, its reason on hover (the ``title`` attribute);
* an unmapped sentence is marked as such.

The text comes from the user's copy of the paper (``paper_checks.coverage.split``); the package holds only
anchors.  Maths reaches the page as MathML (``latex2mathml``), a formula the converter does not know as
plain text without its markup.  No script, no network.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from collections.abc import Sequence

from paper_checks.coverage import FRONT, Coverage, CoverageMap, Exemption, Sentence, cover, load_map, outline, split
from paper_checks.finding import Finding, Verdict
from paper_checks.report.graph import COLOURS
from paper_checks.report.json_report import PAPER

__all__ = ["annotated_page", "write_annotated", "PAGE", "SEVERITY"]

PAGE = "paper.html"
#: Verdicts from the most to the least severe: a sentence takes the colour of the first among its claims'.
SEVERITY = (Verdict.REFUTED, Verdict.UNDECIDED, Verdict.CONDITIONAL, Verdict.VERIFIED, Verdict.NOT_CHECKABLE)

_CSS = """
body { font-family: Georgia, serif; max-width: 900px; margin: 0 auto; padding: 0 24px 48px; color: #222;
       line-height: 1.6; }
h1 { font-family: system-ui, sans-serif; font-size: 1.5em; } h2 { font-family: system-ui, sans-serif;
       font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
.legend, .counts { font-family: system-ui, sans-serif; font-size: 0.9em; color: #444; }
.legend span.key { display: inline-block; padding: 0 8px; margin-right: 0.6em; border-radius: 3px; }
a.s { color: inherit; text-decoration: none; border-bottom: 2px solid; padding: 0 1px; }
span.exempt { color: #444; } span.unmapped { background: #fde0dc; outline: 1px dashed #c62828; }
span.unaudited { border-bottom: 2px dotted #8a8a8a; }
sup.ids { font-family: system-ui, sans-serif; font-size: 0.62em; } sup.ids a { color: #555; margin-right: 0.3em; }
.display { overflow-x: auto; overflow-y: hidden; margin: 0.3em 0 0.3em 1.5em; }
math { font-size: 1.02em; }
"""


def _text(s: str) -> str:
    return html.escape(s, quote=False)


def _math(tex: str, display: bool) -> str:
    """The paper's LaTeX as MathML (``latex2mathml``, as the report's printed sentences); a formula the converter
    cannot read is shown as its words."""
    from latex2mathml.converter import convert
    try:
        element = convert(tex, display="block" if display else "inline")
        return element
    except Exception:     # latex2mathml raises bare exceptions of several kinds on LaTeX it does not know
        plain = re.sub(r"\\([A-Za-z]+)", r"\1", tex).replace("{", "").replace("}", "").replace("\\", "")
        return f'<span class="math-text">{_text(plain)}</span>'


# A word of LaTeX the extraction left outside dollars ("uniform on \mathbb{S}^{d-1}", "in c^\perp"): typeset as
# inline maths, its trailing punctuation kept as text.
_STRAY = re.compile(r"(\S*\\[A-Za-z]+\S*?)([.,;:)]*)(?=\s|$)")


def _words(piece: str) -> str:
    """Prose between formulas: ``**bold**`` kept as bold, the extraction's stray emphasis stars dropped, stray
    LaTeX typeset, the end-of-proof mark as a box."""
    piece = piece.replace("\\square", "\u25a1")
    out = []
    for k, part in enumerate(re.split(r"\*\*(.+?)\*\*", piece)):
        pieces = _STRAY.split(part)
        # _STRAY.split gives text, maths, punctuation, text, ...
        html_ = "".join(_math(p, False) if j % 3 == 1 else _text(p.replace("*", "")) for j, p in enumerate(pieces))
        out.append(f"<strong>{html_}</strong>" if k % 2 else html_)
    return "".join(out)


def _body(sentence: str) -> str:
    """A sentence with its formulas as MathML: ``$$...$$`` displayed, ``$...$`` inline."""
    out = []
    for k, block in enumerate(re.split(r"\$\$(.+?)\$\$", sentence, flags=re.S)):
        if k % 2:
            out.append(f'<span class="display">{_math(block.strip(), True)}</span>')
            continue
        for j, piece in enumerate(re.split(r"\$([^$]+)\$", block)):
            out.append(_math(piece, False) if j % 2 else _words(piece))
    return "".join(out)


def _verdict(ids: Sequence[str], by_id: dict[str, Finding]) -> Verdict | None:
    present = {by_id[i].verdict for i in ids if i in by_id}
    return next((v for v in SEVERITY if v in present), None)


def _sentence(i: int, s: Sentence, cov: Coverage, by_id: dict[str, Finding]) -> str:
    anchor, status, sid = cov.anchors[i], cov.status(i), f"s-{s.at.replace('/', '-')}"
    body = _body(s.text)
    if status == "unmapped":
        return f'<span class="s unmapped" id="{sid}" title="unmapped: no claim and no exemption">{body}</span>'
    if status == "exempt":
        reason: Exemption = cov.reason(i)   # type: ignore[assignment]
        note = f" ({anchor.note})" if anchor is not None and anchor.note else ""
        title = html.escape(f"exempt, {reason.value}: {reason.meaning}{note}")
        return f'<span class="s exempt" id="{sid}" title="{title}">{body}</span>'
    assert anchor is not None
    ids = list(anchor.claims)
    verdict = _verdict(ids, by_id)
    audited = [c for c in ids if c in by_id]
    refs = " ".join(f'<a href="index.html#claim-{_text(c)}">{_text(c)}</a>' for c in audited)
    describe = "; ".join(f"{c}: {by_id[c].verdict.value}" if c in by_id else f"{c}: not in this report" for c in ids)
    title = html.escape(f"formalised by {describe}")
    if verdict is None:   # none of its claims is in this report (report --only)
        return f'<span class="s unaudited" id="{sid}" title="{title}">{body}</span>'
    colour, worst = COLOURS[verdict], next(c for c in audited if by_id[c].verdict is verdict)
    return (f'<a class="s covered {verdict.value}" id="{sid}" href="index.html#claim-{_text(worst)}" '
            f'title="{title}" style="border-color: {colour}; background: {colour}1f">{body}</a>'
            f'<sup class="ids">{refs}</sup>')


def annotated_page(text: str, findings: Sequence[Finding], cmap: CoverageMap | None = None,
                   known_claims: Sequence[str] | None = None) -> str:
    """The page: the paper's sections, paragraphs and sentences, each sentence marked by the map."""
    sentences = split(text)
    cov = cover(sentences, cmap if cmap is not None else load_map(), known_claims)
    by_id = {f.id: f for f in findings}
    titles = {FRONT: "Title and author", **dict(outline(text))}
    legend = "".join(f'<span class="key" style="background: {COLOURS[v]}1f; border-bottom: 2px solid {COLOURS[v]}">'
                     f"{v.value}</span>" for v in SEVERITY)
    totals = {k: sum(row[k] for _, row in cov.counts()) for k in ("covered", "exempt", "unmapped")}
    head = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_text(PAPER)}, annotated</title><style>{_CSS}</style></head><body>")
    intro = ('<p class="legend"><a href="index.html">The audit</a>. Each sentence that states mathematics is marked '
             "in the colour of its claims' most severe verdict and links to their findings; an exempt sentence is "
             f"plain, its reason on hover. {legend}</p>")
    counts = (f'<p class="counts">{len(sentences)} sentences: {totals["covered"]} formalised by claims, '
              f'{totals["exempt"]} exempt, {totals["unmapped"]} unmapped.</p>')
    out = [head, f"<h1>{_text(PAPER)}, annotated</h1>", intro, counts]
    section, paragraph = None, None
    for i, s in enumerate(sentences):
        if s.section != section:
            if paragraph is not None:
                out.append("</p>")
            section, paragraph = s.section, None
            out.append(f'<h2 id="sec-{_text(s.section)}">{_text(titles.get(s.section, s.section))}</h2>')
        if s.paragraph != paragraph:
            if paragraph is not None:
                out.append("</p>")
            paragraph = s.paragraph
            out.append("<p>")
        out.append(_sentence(i, s, cov, by_id) + " ")
    if paragraph is not None:
        out.append("</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def write_annotated(directory: Path, text: str, findings: Sequence[Finding]) -> Path:
    """Write ``directory/paper.html`` (the index links to it; see ``report.html.write_html``)."""
    from paper_checks.registry import IDS
    path = Path(directory) / PAGE
    path.write_text(annotated_page(text, findings, None, IDS), encoding="utf-8")
    return path
