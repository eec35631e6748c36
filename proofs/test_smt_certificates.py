"""Re-checks every certificate: each SMT-LIB 2 file by z3 and by cvc5 separately, each cofactor file by expansion.

The files are written to disk and read back, as ``alignment-tax certificates DIR`` writes them, so the
solvers see exactly the text a reviewer would; neither SymPy's Groebner code nor one solver is trusted.
"""
from __future__ import annotations

import json

import pytest

from derive.certificates import MANIFEST, recheck_cofactors, recheck_smt, write
from paper_checks.registry import CLAIMS
from proofs.families import params

WITH_DERIVATIONS = [c for c in CLAIMS if c.derivations]


# One claim per family by default; `python -m pytest -m slow` (CI) and `alignment-tax certificates DIR --check`
# re-check every claim's files.
@pytest.mark.parametrize("claim", params([(c,) for c in WITH_DERIVATIONS], [c.id for c in WITH_DERIVATIONS],
                                         WITH_DERIVATIONS))
def test_certificates_recheck(claim, tmp_path) -> None:
    manifest = json.loads(write(tmp_path, [(claim.id, claim.derivations)]).read_text())
    for entry in manifest:
        assert entry["claim"] == claim.id and entry["step"] and entry["derivation"]
        text = (tmp_path / entry["file"]).read_text()
        where = f"{entry['derivation']}/{entry['step']} ({entry['description']})"
        if entry["expected"] == "zero":
            assert recheck_cofactors(text), f"{where}: cofactors do not expand to the target"
            continue
        for solver in ("z3", "cvc5"):
            got = recheck_smt(text, solver)
            assert got == entry["expected"], f"{where}: {solver} says {got}, expected {entry['expected']}"


@pytest.mark.claim("thm-4.3", "thm-6.4.ii")
def test_manifest_names_every_file(tmp_path) -> None:
    # thm-4.3's chain gives obligations only (its identities vanish once evaluated); thm-6.4.ii brings a step
    # query and Groebner cofactors, so that every kind of file is named.
    claims = [c for c in CLAIMS if c.id in ("thm-4.3", "thm-6.4.ii")]
    manifest = json.loads(write(tmp_path, [(c.id, c.derivations) for c in claims]).read_text())
    files = {p.name for p in tmp_path.iterdir()} - {MANIFEST}
    assert files == {e["file"] for e in manifest} and files
    assert {e["claim"] for e in manifest} == {"thm-4.3", "thm-6.4.ii"}
    assert any(e["kind"].startswith("obligation") for e in manifest if e["claim"] == "thm-4.3")
    assert ({e["kind"] for e in manifest} >= {"cofactors", "step"}
            and all(e["file"].endswith((".smt2", ".json")) for e in manifest))
