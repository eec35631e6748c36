"""Coverage of the paper's text: the splitter on small texts with the extraction's artefacts, the map laid on a
text (covered, exempt, unmapped, stale, moved), the command's exit codes, and the real paper fully mapped."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from paper_checks import coverage as K
from paper_checks.cli import main

ROOT = Path(__file__).parents[2]
PAPER = ROOT.parent / "shared" / "paper" / "000_8e731f340f38ae51.txt"

TEXT = """A Title

Author Name

Abstract

We study a tax. It is small, e.g. below one per cent.

1 Introduction

The frontier is an ellipse (Eq. 3 and Thm. 4.1 of Smith et al. 2020). Its value is $x = 0.5$ at most.
A trade-
off appears when

$$\\Delta_S = \\Delta_C \\cos \\alpha, \\quad (1)$$

where $\\alpha$ is an angle. When $\\alpha = 0$ the line is straight.

2.1 Results

Theorem 2.1 (Bound). *The bound holds.* Proof. Trivial.

\\square

1. First regime: small tau.
2. Second regime: large tau.

The results give

this intuition a meaning.

References

- A. Author. A book. 2020.
"""


def _sentences() -> dict[str, K.Sentence]:
    return {s.at: s for s in K.split(TEXT)}


def test_sections_paragraphs_and_sentences_of_a_small_text() -> None:
    s = _sentences()
    assert [k for k in s if k.startswith(("front", "Abstract"))] == ["front/0/0", "front/1/0", "Abstract/0/0",
                                                                      "Abstract/0/1"]
    assert s["Abstract/0/1"].text == "It is small, e.g. below one per cent."
    # Abbreviations, a reference with "et al." and a full stop inside inline mathematics end no sentence.
    assert s["1/0/0"].text.startswith("The frontier") and s["1/0/0"].text.endswith("2020).")
    assert s["1/0/1"].text == "Its value is $x = 0.5$ at most."
    # A word broken at a line end is joined; a display equation belongs to the sentence it is in, and the
    # lower-case block after it continues that sentence.
    assert s["1/0/2"].text.startswith("A tradeoff appears when $$") and s["1/0/2"].text.endswith("is an angle.")
    assert s["1/0/3"].text == "When $\\alpha = 0$ the line is straight."
    # A result's label opens its sentence; an end-of-proof mark closes the one before.
    assert s["2.1/0/0"].text == "Theorem 2.1 (Bound). *The bound holds.*"
    assert s["2.1/0/1"].text == "Proof. Trivial. \\square"
    # List labels "1." end no sentence; a page break in mid-sentence is joined.
    assert s["2.1/1/0"].text == "1. First regime: small tau."
    assert s["2.1/1/1"].text == "2. Second regime: large tau."
    assert s["2.1/2/0"].text == "The results give this intuition a meaning."
    # Initials in a reference end no sentence.
    assert s["References/0/0"].text == "- A. Author."


def test_a_numbered_equation_line_without_dollars_is_a_display() -> None:
    text = "1 Intro\n\nThe frontier is\n\nDS = DC cos a + sin a sqrt(B^2 - DC^2) (1)\n\nwhere a is the angle. Next.\n"
    s = K.split(text)
    assert [x.text for x in s] == ["The frontier is DS = DC cos a + sin a sqrt(B^2 - DC^2) (1) where a is the angle.",
                                   "Next."]


def test_the_hash_ignores_spacing_quotes_and_hyphens_but_not_words() -> None:
    assert K.digest("A trade-off ‘‘here’’.") == K.digest("A  tradeoff \u201chere\u201d")
    assert K.digest("tau > 0") != K.digest("tau > 1")
    assert len(K.digest("x")) == K.HASH_LENGTH


def _map(*anchors: K.Anchor, sections=(("front", K.Exemption.FRONT_MATTER),
                                       ("References", K.Exemption.BIBLIOGRAPHY))) -> K.CoverageMap:
    return K.CoverageMap(tuple(anchors), tuple(sections))


def _full_map() -> K.CoverageMap:
    anchors = []
    for s in K.split(TEXT):
        if s.section in ("front", "References"):
            continue
        if s.section == "1":
            anchors.append(K.Anchor(s.at, s.hash, claims=("thm-4.1",)))
        else:
            anchors.append(K.Anchor(s.at, s.hash, exempt=K.Exemption.STRUCTURE))
    return _map(*anchors)


def test_a_full_map_covers_every_sentence() -> None:
    cov = K.cover(K.split(TEXT), _full_map(), ["thm-4.1"])
    assert cov.ok and not cov.unmapped() and not cov.stale
    counts = dict(cov.counts())
    assert counts["1"] == {"covered": 4, "exempt": 0, "unmapped": 0}
    assert counts["References"] == {"covered": 0, "exempt": 3, "unmapped": 0}
    assert cov.reason(0) is K.Exemption.FRONT_MATTER


def test_a_missing_anchor_is_unmapped_and_a_wrong_hash_is_stale() -> None:
    full = _full_map()
    dropped = _map(*full.anchors[1:], sections=full.sections)
    cov = K.cover(K.split(TEXT), dropped, ["thm-4.1"])
    assert [s.at for s in cov.unmapped()] == [full.anchors[0].at] and not cov.ok
    wrong = replace(full.anchors[0], hash="0" * K.HASH_LENGTH)
    cov = K.cover(K.split(TEXT), _map(wrong, *full.anchors[1:], sections=full.sections), ["thm-4.1"])
    assert cov.stale == (wrong,) and [s.at for s in cov.unmapped()] == [wrong.at]


def test_a_sentence_that_moved_keeps_its_anchor() -> None:
    moved = TEXT.replace("1 Introduction\n\n", "1 Introduction\n\nA new opening paragraph.\n\n")
    cov = K.cover(K.split(moved), _full_map(), ["thm-4.1"])
    assert [s.text for s in cov.unmapped()] == ["A new opening paragraph."]
    assert not cov.stale


def test_unknown_claims_and_absent_exempt_sections_are_reported() -> None:
    full = _full_map()
    cov = K.cover(K.split(TEXT), full, ["cor-6.6"])
    assert cov.unknown_claims and {c for _, c in cov.unknown_claims} == {"thm-4.1"} and not cov.ok
    cov = K.cover(K.split(TEXT), _map(*full.anchors, sections=(*full.sections, ("Appendix", K.Exemption.STRUCTURE))),
                  ["thm-4.1"])
    assert cov.stale_sections == ("Appendix",) and not cov.ok


def test_an_anchor_names_claims_or_an_exemption() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        K.Anchor("1/0/0", "0" * K.HASH_LENGTH)
    with pytest.raises(ValueError, match="exactly one"):
        K.Anchor("1/0/0", "0" * K.HASH_LENGTH, claims=("x",), exempt=K.Exemption.CITATION)
    with pytest.raises(ValueError, match="at='1.0.0'"):
        K.Anchor("1.0.0", "0" * K.HASH_LENGTH, claims=("x",))
    with pytest.raises(ValueError, match="hash='xyz'"):
        K.Anchor("1/0/0", "xyz", claims=("x",))


def _write_map(path: Path, cmap: K.CoverageMap) -> Path:
    data = {"sections": {k: v.value for k, v in cmap.sections},
            "sentences": [{"at": a.at, "hash": a.hash, **({"claims": list(a.claims)} if a.claims else
                                                          {"exempt": a.exempt.value})} for a in cmap.anchors]}
    path.write_text(json.dumps(data))
    return path


def test_a_map_with_two_anchors_at_one_place_is_refused(tmp_path: Path) -> None:
    full = _full_map()
    path = _write_map(tmp_path / "map.json", _map(full.anchors[0], *full.anchors, sections=full.sections))
    with pytest.raises(ValueError, match="two anchors"):
        K.load_map(path)


def test_command_exit_codes(tmp_path: Path, capsys) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(TEXT)
    full = _full_map()
    good = _write_map(tmp_path / "good.json", full)
    assert main(["coverage", str(paper), "--map", str(good)]) == 0
    out = capsys.readouterr().out
    assert "total" in out and "unmapped sentences" not in out
    short = _write_map(tmp_path / "short.json", _map(*full.anchors[:-1], sections=full.sections))
    assert main(["coverage", str(paper), "--map", str(short)]) == 1
    out = capsys.readouterr().out
    assert "unmapped sentences (1):" in out and full.anchors[-1].at in out
    assert main(["coverage", str(tmp_path / "absent.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("alignment-tax: error: PAPER") and "Traceback" not in err
    (tmp_path / "binary.txt").write_bytes(b"\xff\xfe\x00")
    assert main(["coverage", str(tmp_path / "binary.txt")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_every_claim_id_in_the_map_is_in_the_registry() -> None:
    from paper_checks.registry import IDS
    cmap = K.load_map()
    assert cmap.anchors and cmap.claim_ids() <= set(IDS), sorted(cmap.claim_ids() - set(IDS))


def test_the_map_holds_no_text_of_the_paper() -> None:
    data = json.loads(K.MAP_PATH.read_text())
    assert set(data) <= {"paper", "sections", "sentences"}
    for entry in data["sentences"]:
        assert set(entry) <= {"at", "hash", "claims", "exempt", "note"}, entry


@pytest.mark.skipif(not PAPER.exists(), reason=f"the paper's text is not at {PAPER}")
def test_every_sentence_of_the_paper_is_mapped_and_every_anchor_matches(capsys) -> None:
    from paper_checks.registry import IDS
    cov = K.cover(K.split(PAPER.read_text()), K.load_map(), IDS)
    assert not cov.unmapped(), [s.at for s in cov.unmapped()]
    assert not cov.stale and not cov.stale_sections and not cov.unknown_claims
    # Each anchor sits at its own place: the map is current, not rescued by hash.
    assert all(a is None or a.at == s.at for a, s in zip(cov.anchors, cov.sentences, strict=False))
    assert main(["coverage", str(PAPER)]) == 0
    capsys.readouterr()


@pytest.mark.skipif(not PAPER.exists(), reason=f"the paper's text is not at {PAPER}")
def test_a_sentence_of_the_paper_left_out_of_the_map_fails_the_command(tmp_path: Path, capsys) -> None:
    cmap = K.load_map()
    victim = next(a for a in cmap.anchors if a.at.startswith("9.3/"))
    path = _write_map(tmp_path / "map.json", K.CoverageMap(tuple(a for a in cmap.anchors if a is not victim),
                                                           cmap.sections))
    assert main(["coverage", str(PAPER), "--map", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"  {victim.at}  {victim.hash}" in out


def test_the_readme_names_every_exemption_reason() -> None:
    readme = " ".join((ROOT / "README.md").read_text().split())
    for reason in K.Exemption:
        assert f"`{reason.value}` ({reason.meaning})" in readme, reason
