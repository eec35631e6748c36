"""Coverage of the paper's text: every sentence either formalised by claims or exempt with a reason.

The paper reaches the package as a PDF extraction (plain text, display equations as ``$$...$$`` blocks,
inline mathematics as ``$...$``).  ``split`` cuts it into sections (numbered headings, ``Abstract``,
``References``; the text before the first heading is ``front``), paragraphs (blocks between blank lines,
a display equation and a block that continues a sentence across it, or across a page break, joined to the
block before) and sentences (a full stop, ``?`` or ``!`` followed by space and a word that does not start
in lower case, outside inline mathematics, not after an abbreviation such as ``e.g.``, ``Eq.``, ``Thm.``,
``et al.`` or a list label ``1.``).

The coverage map (``coverage_map.json`` beside this module) holds anchors, never the paper's text: a
sentence's place ``section/paragraph/sentence`` (0-based indices within the section and the paragraph)
and a short hash of its normalised text (lower case, letters and digits only, so that spacing, quotes
and hyphenation do not change it).  Each anchor names the claims that formalise the sentence, or an
``Exemption`` with its reason; a whole section can be exempt (the references).  An anchor matches the
sentence at its place with its hash, or else the one sentence anywhere with its hash (a sentence that
moved); an anchor that matches no sentence is stale.

``alignment-tax coverage PAPER.txt`` prints covered / exempt / unmapped counts per section, the unmapped
sentences and the stale anchors; exit 1 when any sentence is unmapped, any anchor stale or any claim id
unknown, 2 when the file cannot be read.
"""
from __future__ import annotations

import argparse
import enum
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable, Sequence

__all__ = ["Exemption", "Sentence", "Anchor", "CoverageMap", "Coverage", "split", "outline", "normalise", "digest",
           "load_map", "read_paper", "cover", "render", "MAP_PATH", "add_parser", "command"]

MAP_PATH = Path(__file__).with_name("coverage_map.json")
FRONT = "front"          # the section before the first heading (title, author, affiliation)
HASH_LENGTH = 10         # hex digits of the sentence hash: 40 bits, no collision among a paper's sentences


class Exemption(enum.Enum):
    """Why a sentence needs no formal claim: its reason, in words a referee would accept."""

    MOTIVATION = "motivation"
    CITATION = "citation"
    EXPERIMENT = "experiment"
    STRUCTURE = "structure"
    NOTATION = "notation"
    SCOPE = "scope"
    CONJECTURE = "conjecture"
    OPINION = "opinion"
    FRONT_MATTER = "front-matter"
    BIBLIOGRAPHY = "bibliography"

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    Exemption.MOTIVATION: "motivation or framing: why the question matters, no statement about the model",
    Exemption.CITATION: "reports what other work did or found, or points to it",
    Exemption.EXPERIMENT: "reports or proposes an experiment on trained models; nothing to derive in the model",
    Exemption.STRUCTURE: "structure or roadmap: what the paper does where, a heading, a label",
    Exemption.NOTATION: "introduces symbols or a modelling assumption that the claims' statements carry as "
                        "variables and hypotheses; it asserts nothing",
    Exemption.SCOPE: "states a limit of the model's scope or an assumption's status, not a consequence of the model",
    Exemption.CONJECTURE: "a hypothesis about trained models or the world, such as which features overlap and "
                          "why; outside the mathematics",
    Exemption.OPINION: "an evaluation or recommendation in words, with no quantity, sign or comparison to check",
    Exemption.FRONT_MATTER: "title, author and affiliation",
    Exemption.BIBLIOGRAPHY: "the list of references",
}


# ---------------------------------------------------------------------------------------------- splitting


@dataclass(frozen=True)
class Sentence:
    """One sentence of the paper at its place: section id, paragraph and sentence index (0-based within the
    section and the paragraph), and its text as extracted (display equations inside it kept)."""

    section: str
    paragraph: int
    index: int
    text: str

    @property
    def at(self) -> str:
        return f"{self.section}/{self.paragraph}/{self.index}"

    @property
    def hash(self) -> str:
        return digest(self.text)


def normalise(text: str) -> str:
    """The text a hash is taken of: NFKC, lower case, letters and digits only (spacing, punctuation, quotes,
    hyphens, LaTeX braces and emphasis marks do not change it; ``trade-off`` and ``tradeoff`` are one)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def digest(text: str) -> str:
    """A short hash of the normalised sentence: the first ``HASH_LENGTH`` hex digits of its SHA-256."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:HASH_LENGTH]


_HEADING = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\s+(?P<title>[A-Z][^\n]{0,80})$")
_NAMED = ("Abstract", "References", "Acknowledgements", "Acknowledgments")
# A display equation block, or a line an extraction left as a numbered equation: short, ends in "(n)".
_DISPLAY = re.compile(r"^\$\$.*\$\$$", re.S)
_NUMBERED = re.compile(r"^[^.?!]{1,200}\(\d+\)\s*$")
_INLINE = re.compile(r"\$[^$]+\$|\\\(.+?\\\)")
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset({
    "e.g", "i.e", "cf", "vs", "etc", "al", "eq", "eqs", "thm", "thms", "fig", "figs", "def", "prop", "cor", "rem",
    "sec", "secs", "lem", "no", "nos", "pp", "p", "vol", "ch", "approx", "resp", "proof", "dr", "mr", "ms", "prof",
    "st", "ref", "refs", "app", "ed", "eds"})
_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)*\]]*(?=\s+\S)")
_LABEL = re.compile(r"^(?:[-*\u2022]\s*)?(?:\(?\d+(?:\.\d+)*[.)]|\(?[ivx]+[.)]|\(?[a-z][.)])$")


def _heading(block: str) -> str | None:
    """The section id a heading block names (``4.1``, ``Abstract``), else None."""
    if "\n" in block or len(block) > 90:
        return None
    if block.strip() in _NAMED:
        return block.strip()
    m = _HEADING.match(block.strip())
    if m and not block.rstrip().endswith((".", ",", ";", ":")):
        return m.group("num")
    return None


def _is_display(block: str) -> bool:
    return bool(_DISPLAY.match(block)) or (bool(_NUMBERED.match(block)) and "\n" not in block
                                           and len(block.split()) <= 25)


def _dehyphenate(block: str) -> str:
    """One line per block: a word broken at a line end (``trade-\\noff``) is joined, other line breaks are spaces."""
    block = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", block)
    return re.sub(r"\s*\n\s*", " ", block).strip()


def _continues(previous: str, block: str) -> bool:
    """``block`` continues the sentence of ``previous``: after a display equation, or across a page break (the
    previous block ends without a full stop), when it starts in lower case."""
    first = block.lstrip("*_ ")[:1]
    if not first.islower():
        return False
    return _is_display(previous) or not previous.rstrip("*_ ").endswith((".", "?", "!"))


def _paragraphs(lines: Iterable[str],
                titles: list[tuple[str, str]] | None = None) -> list[tuple[str, list[list[str]]]]:
    """Sections in order, each a list of paragraphs, each a list of blocks (display equations apart); each
    section's heading as printed is appended to ``titles`` when given."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", "\n".join(lines))]
    sections: list[tuple[str, list[list[str]]]] = [(FRONT, [])]
    for raw in blocks:
        if not raw:
            continue
        name = _heading(raw)
        if name is not None:
            sections.append((name, []))
            if titles is not None:
                titles.append((name, raw.strip()))
            continue
        block = raw if _DISPLAY.match(raw) else _dehyphenate(raw)
        paragraphs = sections[-1][1]
        if paragraphs and (_is_display(block) or _QED.match(block) or _continues(paragraphs[-1][-1], block)):
            paragraphs[-1].append(block)
        else:
            paragraphs.append([block])
    return [(name, paras) for name, paras in sections if paras or name != FRONT]


def _protected(text: str) -> str:
    """``text`` with inline mathematics blanked (same length): a full stop inside ``$...$`` ends nothing."""
    return _INLINE.sub(lambda m: "_" * len(m.group()), text)


def _sentences(paragraph: list[str]) -> list[str]:
    """A paragraph's sentences.  A display equation belongs to the sentence it is in; after it, a block that
    starts a new sentence (not in lower case) ends the sentence."""
    out: list[str] = []
    current = ""
    for k, block in enumerate(paragraph):
        if _is_display(block):
            current = f"{current} {block}".strip()
            continue
        if current and k and _is_display(paragraph[k - 1]) and not block.lstrip("*_ ")[:1].islower():
            out.append(current)
            current = ""
        pieces = _cut(block)
        pieces[0] = f"{current} {pieces[0]}".strip()
        out.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        out.append(current)
    return _merged([s for s in out if normalise(s)])


# A result's label ("Theorem 4.1 (Single-capability Pareto frontier).") is not a sentence: it opens the next one;
# an end-of-proof mark closes the one before.
_RESULT_LABEL = re.compile(r"^\*?(?:Definition|Theorem|Lemma|Corollary|Proposition|Remark|Prediction|Example|"
                           r"Assumption|Conjecture)\s+[\d.]+\s*(?:\([^()]*\))?\.\*?$")
_QED = re.compile(r"^(?:\\square|\u25a1|\u220e|QED\.?)$")


def _merged(sentences: list[str]) -> list[str]:
    out: list[str] = []
    carry = ""
    for s in sentences:
        if _QED.match(s.strip()) and out and not carry:
            out[-1] = f"{out[-1]} {s}"
        elif _RESULT_LABEL.match(s.strip()):
            carry = f"{carry} {s}".strip()
        else:
            out.append(f"{carry} {s}".strip())
            carry = ""
    if carry:
        out.append(carry)
    return out


def _cut(text: str) -> list[str]:
    """``text`` cut at its sentence ends (see the module docstring)."""
    shadow = _protected(text)
    pieces, start = [], 0
    for m in _END.finditer(shadow):
        end = m.end()
        nxt = shadow[end:].lstrip()[:1]
        if nxt.islower():
            continue
        piece = text[start:end].strip()
        last = re.findall(r"[\w.]+(?=[.!?][\"'\u201d\u2019)*\]]*$)", piece.rstrip())
        word = last[-1].strip(".") if last else ""
        if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):   # "e.g.", "Paul F. Christiano"
            continue
        if _LABEL.match(piece.strip("*_ ")):
            continue
        pieces.append(piece)
        start = end
    pieces.append(text[start:].strip())
    return pieces


def split(text: str) -> list[Sentence]:
    """The paper's sentences in order, each with its place (section, paragraph, sentence index)."""
    out = []
    for name, paragraphs in _paragraphs(text.splitlines()):
        for p, paragraph in enumerate(paragraphs):
            out.extend(Sentence(name, p, i, s) for i, s in enumerate(_sentences(paragraph)))
    return out


def outline(text: str) -> list[tuple[str, str]]:
    """The sections' ids and headings as printed, in order: ``("4.1", "4.1 Single-Capability Frontier")``."""
    titles: list[tuple[str, str]] = []
    _paragraphs(text.splitlines(), titles)
    return titles


def read_paper(path: Path, name: str = "PAPER") -> str:
    """The text of ``path``; a missing or unreadable file is a ValueError naming it (as the option ``name``)."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{name} {str(path)!r} does not exist; give the paper's text file"
                         " (a PDF extraction)") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ValueError(f"{name} {str(path)!r} cannot be read as UTF-8 text: {reason}") from None


# ---------------------------------------------------------------------------------------------- the map


@dataclass(frozen=True)
class Anchor:
    """One entry of the coverage map: a sentence's place and hash, and either the claims that formalise it
    or the reason it is exempt (exactly one of the two)."""

    at: str
    hash: str
    claims: tuple[str, ...] = ()
    exempt: Exemption | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[\w.]+/\d+/\d+", self.at):
            raise ValueError(f"at={self.at!r} must be 'section/paragraph/sentence', e.g. '4.1/2/0'")
        if not re.fullmatch(rf"[0-9a-f]{{{HASH_LENGTH}}}", self.hash):
            raise ValueError(f"hash={self.hash!r} of {self.at} must be {HASH_LENGTH} lower-case hex digits")
        if bool(self.claims) == (self.exempt is not None):
            raise ValueError(f"anchor {self.at} must name claims or an exemption, exactly one of them; got "
                             f"claims={self.claims!r}, exempt={self.exempt!r}")

    @property
    def section(self) -> str:
        return self.at.split("/")[0]


@dataclass(frozen=True)
class CoverageMap:
    """The whole map: sentence anchors, and sections exempt as a whole (front matter, references)."""

    anchors: tuple[Anchor, ...]
    sections: tuple[tuple[str, Exemption], ...] = ()

    def claim_ids(self) -> set[str]:
        return {c for a in self.anchors for c in a.claims}


def load_map(path: Path = MAP_PATH) -> CoverageMap:
    """The coverage map stored at ``path`` (JSON: ``sections`` {id: reason}, ``sentences`` [{at, hash, claims |
    exempt, note?}])."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    anchors = []
    for entry in data["sentences"]:
        exempt = entry.get("exempt")
        anchors.append(Anchor(entry["at"], entry["hash"], tuple(entry.get("claims", ())),
                              Exemption(exempt) if exempt else None, entry.get("note", "")))
    ats = [a.at for a in anchors]
    if len(set(ats)) != len(ats):
        twice = sorted({a for a in ats if ats.count(a) > 1})
        raise ValueError(f"coverage map {str(path)!r} has two anchors at {twice[0]!r}; one sentence, one entry")
    return CoverageMap(tuple(anchors), tuple((k, Exemption(v)) for k, v in data.get("sections", {}).items()))


# ---------------------------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Coverage:
    """The map laid on a paper: each sentence with its anchor (or None: unmapped, or its section's exemption),
    and the anchors that matched nothing."""

    sentences: tuple[Sentence, ...]
    anchors: tuple[Anchor | None, ...]
    section_exempt: dict[str, Exemption]
    stale: tuple[Anchor, ...]
    stale_sections: tuple[str, ...]
    unknown_claims: tuple[tuple[str, str], ...]

    def status(self, i: int) -> str:
        """``covered``, ``exempt`` or ``unmapped`` for sentence ``i``."""
        anchor = self.anchors[i]
        if anchor is None:
            return "exempt" if self.sentences[i].section in self.section_exempt else "unmapped"
        return "covered" if anchor.claims else "exempt"

    def reason(self, i: int) -> Exemption | None:
        anchor = self.anchors[i]
        if anchor is not None:
            return anchor.exempt
        return self.section_exempt.get(self.sentences[i].section)

    def unmapped(self) -> list[Sentence]:
        return [s for i, s in enumerate(self.sentences) if self.status(i) == "unmapped"]

    def counts(self) -> list[tuple[str, dict[str, int]]]:
        """Per section, in the paper's order: covered, exempt, unmapped."""
        table: dict[str, dict[str, int]] = {}
        for i, s in enumerate(self.sentences):
            row = table.setdefault(s.section, {"covered": 0, "exempt": 0, "unmapped": 0})
            row[self.status(i)] += 1
        return list(table.items())

    @property
    def ok(self) -> bool:
        return not (self.unmapped() or self.stale or self.stale_sections or self.unknown_claims)


def cover(sentences: Sequence[Sentence], cmap: CoverageMap, known_claims: Iterable[str] | None = None) -> Coverage:
    """Lay ``cmap`` on ``sentences``: an anchor takes the sentence at its place when the hashes agree, else the
    one sentence with its hash elsewhere; every other anchor is stale.  ``known_claims`` (the registry's ids)
    checks the claim ids the map names."""
    at = {s.at: i for i, s in enumerate(sentences)}
    by_hash: dict[str, list[int]] = {}
    for i, s in enumerate(sentences):
        by_hash.setdefault(s.hash, []).append(i)
    taken: list[Anchor | None] = [None] * len(sentences)
    stale, moved = [], []
    for anchor in cmap.anchors:
        i = at.get(anchor.at)
        if i is not None and sentences[i].hash == anchor.hash and taken[i] is None:
            taken[i] = anchor
        else:
            moved.append(anchor)
    for anchor in moved:
        free = [i for i in by_hash.get(anchor.hash, []) if taken[i] is None]
        if len(free) == 1:
            taken[free[0]] = anchor
        else:
            stale.append(anchor)
    present = {s.section for s in sentences}
    exempt = dict(cmap.sections)
    known = None if known_claims is None else set(known_claims)
    unknown = tuple((a.at, c) for a in cmap.anchors for c in a.claims if known is not None and c not in known)
    return Coverage(tuple(sentences), tuple(taken), exempt, tuple(stale),
                    tuple(k for k in exempt if k not in present), unknown)


# ---------------------------------------------------------------------------------------------- the command


def _clip(text: str, width: int = 110) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= width else text[: width - 3] + "..."


def render(cov: Coverage, name: str) -> str:
    """The command's report: counts per section, then the unmapped sentences, stale anchors, unknown claims."""
    rows = cov.counts()
    width = max([len("section"), *(len(k) for k, _ in rows)])
    lines = [f"coverage of {name}: {len(cov.sentences)} sentences in {len(rows)} sections",
             f"{'section':{width}}  {'covered':>7}  {'exempt':>6}  {'unmapped':>8}"]
    total = {"covered": 0, "exempt": 0, "unmapped": 0}
    for section, row in rows:
        lines.append(f"{section:{width}}  {row['covered']:>7}  {row['exempt']:>6}  {row['unmapped']:>8}")
        for k in total:
            total[k] += row[k]
    lines.append(f"{'total':{width}}  {total['covered']:>7}  {total['exempt']:>6}  {total['unmapped']:>8}")
    unmapped = cov.unmapped()
    if unmapped:
        lines.append(f"unmapped sentences ({len(unmapped)}):")
        lines += [f"  {s.at}  {s.hash}  {_clip(s.text)}" for s in unmapped]
    if cov.stale or cov.stale_sections:
        lines.append(f"stale anchors, matching no sentence ({len(cov.stale) + len(cov.stale_sections)}):")
        lines += [f"  {a.at}  {a.hash}" for a in cov.stale]
        lines += [f"  section {k} (exempt as a whole) is not in the paper" for k in cov.stale_sections]
    if cov.unknown_claims:
        lines.append(f"claim ids not in the registry ({len(cov.unknown_claims)}):")
        lines += [f"  {at}  {c}" for at, c in cov.unknown_claims]
    return "\n".join(lines)


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "coverage", help="which sentences of the paper are formalised by claims, exempt, or unmapped",
        description="Split PAPER.txt into sections, paragraphs and sentences and lay the package's coverage map on "
                    "it: counts per section, the unmapped sentences, the stale anchors.",
        epilog="exit codes: 0 every sentence mapped and every anchor matched; 1 some sentence unmapped, anchor stale "
               "or claim id unknown; 2 PAPER cannot be read")
    p.add_argument("paper", type=Path, metavar="PAPER.txt", help="the paper's text (a PDF extraction)")
    p.add_argument("--map", type=Path, default=MAP_PATH, metavar="JSON", help="a coverage map (default: the package's)")


def command(args: argparse.Namespace) -> int:
    from paper_checks.cli import UsageError
    from paper_checks.registry import IDS
    try:
        text = read_paper(args.paper)
        cmap = load_map(args.map)
    except FileNotFoundError:
        raise UsageError(f"--map {str(args.map)!r} does not exist") from None
    except (ValueError, KeyError, OSError) as exc:
        raise UsageError(str(exc) if isinstance(exc, ValueError) else f"--map {str(args.map)!r}: {exc!r}") from None
    cov = cover(split(text), cmap, IDS)
    print(render(cov, str(args.paper)))
    return 0 if cov.ok else 1
