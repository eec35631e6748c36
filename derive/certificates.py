"""Certificates: every polynomial obligation and step as an SMT-LIB 2 file, and ideal-membership cofactors.

Each file is generated from the same SymPy expressions the checker decided (never written by hand):

* an obligation ``e rel 0`` (radicand, denominator, divisor, slack, lemma hypothesis) becomes
  ``hypotheses AND NOT (e rel 0)``, expected ``unsat``; one decided as a quotient ``n/d`` becomes one such file per
  part, ``d > 0`` (or ``-d > 0``) and ``n rel 0`` (or ``-n rel 0``, or the sign of each factor of ``n``), each
  expected ``unsat``;
* the consistency of a derivation's hypotheses becomes ``hypotheses``, expected ``sat``;
* a step proved as a polynomial identity becomes ``hypotheses AND numerator != 0`` (an inequality
  step ``hypotheses AND NOT (rhs - lhs >= 0)``, or ``> 0``), expected ``unsat``; exported when both
  solvers decide it, otherwise its cofactors certify it;
* a Groebner ideal-membership step gives its cofactors: ``target == sum q_i g_i`` over Q, checked by
  exact expansion (JSON), so SymPy's Groebner code is not trusted.

``proofs/test_smt_certificates.py`` re-checks every file with z3 and with cvc5 separately.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterable

import sympy as sp

from derive import smt
from derive.algebra import Algebra, prepare
from derive.core import Derivation, Discharge, Op, Status
from derive.expressions import differences
from derive.rules import checked_under

__all__ = ["Certificate", "collect", "write", "recheck_smt", "recheck_cofactors", "MANIFEST"]

MANIFEST = "manifest.json"
# A step or SymPy-discharged obligation is exported when both solvers decide it within this time: the step is
# already proved, the file is a second, independent certificate of it.  (Every file exported so far is decided
# in under 1.2 s; a query neither solver settles would otherwise cost the solvers' full time at every export.)
_EXPORT_MS = 3000


@dataclass(frozen=True)
class Certificate:
    """One certificate file: which claim, derivation and step it belongs to, and what it must give."""

    claim: str
    derivation: str
    step: str
    kind: str          # obligation | consistency | step | cofactors
    description: str
    text: str
    expected: str      # unsat | sat | zero

    @property
    def filename(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{self.derivation}__{self.step}__{self.kind}")
        return safe + (".json" if self.expected == "zero" else ".smt2")


def _header(claim: str, deriv: Derivation, step: str, what: str) -> str:
    return f"claim {claim}; derivation {deriv.claim}; step {step}\n{what}"


def _with_header(q: smt.Query, header: str) -> str:
    return "".join(f"; {line}\n" for line in header.splitlines()) + q.text


def _step_query(deriv: Derivation, step_check) -> smt.Query | None:
    """A proved step as an SMT query: ``hypotheses AND NOT (lhs op rhs)``, both sides algebraized.

    An equality asks whether the numerator of ``lhs - rhs`` can be nonzero.  When that numerator
    expands to zero by itself, it is sent unexpanded: the solvers then redo the expansion SymPy did,
    rather than receive a query that states nothing.  An inequality asks whether ``rhs - lhs`` can be
    negative (``<=``) or nonpositive (``<``).  A cited step is its lemma's (certified there); a matrix
    step or a non-polynomial one has no query here.
    """
    step = step_check.step
    if step_check.status is not Status.OK or step.cites is not None:
        return None
    try:
        entries = prepare(differences(step.lhs, step.rhs))
    except (TypeError, ValueError, AttributeError):
        return None
    if len(entries) != 1:
        return None
    alg = Algebra(deriv)
    try:
        e = alg.algebraize(entries[0])
        if step.op is not Op.EQ:
            return smt.build_query((e, ">=" if step.op is Op.LE else ">"), alg.all_facts())
        num, _ = sp.fraction(sp.together(e))
        if sp.expand(num) != 0:
            num = sp.expand(num)
        elif e.is_polynomial(*e.free_symbols):
            num = e                         # ``together`` may already have cancelled it to 0
        if not sp.sympify(num).free_symbols:
            return None
        return smt.build_query((num, "="), alg.all_facts())
    except (smt.NotPolynomial, sp.PolynomialError, TypeError):
        return None


def _obligation_query(ob, alg: Algebra) -> smt.Query | None:
    """A SymPy-discharged polynomial obligation as a query both solvers decide, else ``None``."""
    try:
        e = alg.algebraize(ob.expr)
        if not sp.sympify(e).free_symbols:
            return None
        q = smt.build_query((e, ob.rel), alg.all_facts())
    except (smt.NotPolynomial, sp.PolynomialError, TypeError):
        return None
    a, _ = smt.run_z3(q.text, _EXPORT_MS)
    if a is smt.Answer.UNSAT and smt.run_cvc5(q.text, _EXPORT_MS) is smt.Answer.UNSAT:
        return q
    return None


def _part_certificates(claim_id: str, deriv: Derivation, step: str, k: int, ob, done: set[str]
                       ) -> list[Certificate]:
    """An obligation decided from its parts (a quotient: the denominator's sign, then the numerator's or its
    factors'): one file per part, each a query both solvers decide, under the same hypotheses."""
    out = []
    for j, (label, q) in enumerate(ob.parts):
        if q.text in done:
            continue
        a, _ = smt.run_z3(q.text, _EXPORT_MS)
        if a is not smt.Answer.UNSAT or smt.run_cvc5(q.text, _EXPORT_MS) is not smt.Answer.UNSAT:
            continue
        done.add(q.text)
        what = f"{ob.obligation}, part {j + 1} of {len(ob.parts)}: the sign of {label}"
        out.append(Certificate(claim_id, deriv.claim, step, f"obligation{k}.part{j + 1}", what,
                               _with_header(q, _header(claim_id, deriv, step, what)), "unsat"))
    return out


def _cofactor_json(c) -> str:
    return json.dumps({"target": sp.srepr(c.target), "generators": [sp.srepr(g) for g in c.generators],
                       "cofactors": [sp.srepr(q) for q in c.cofactors]}, indent=1)


def collect(claims: Iterable[tuple[str, Iterable[Callable[[], Derivation]]]]) -> list[Certificate]:
    """Every certificate of the derivations of ``claims`` (pairs of claim id and derivation factories)."""
    out: list[Certificate] = []
    seen: set[str] = set()
    for claim_id, makers in claims:
        queue = [make() for make in makers]
        while queue:                            # the derivations, and the lemmas they cite (certified there)
            deriv = queue.pop(0)
            if deriv.claim in seen:
                continue
            seen.add(deriv.claim)
            out += _of_derivation(claim_id, deriv)
            queue += [step.cites() for step in deriv.chain if step.cites is not None]
    names: dict[str, int] = {}
    unique = []
    for c in out:                               # one file name per certificate
        n = names.get(c.filename, 0)
        names[c.filename] = n + 1
        unique.append(c if n == 0 else Certificate(c.claim, c.derivation, f"{c.step}.{n}", c.kind,
                                                   c.description, c.text, c.expected))
    return unique


def _of_derivation(claim_id: str, deriv: Derivation) -> list[Certificate]:
    out: list[Certificate] = []
    cons = deriv.consistency()
    if cons.query is not None and cons.how is Discharge.SMT:
        head = _header(claim_id, deriv, "-", "the hypotheses have a common real solution")
        out.append(Certificate(claim_id, deriv.claim, "hypotheses", "consistency", str(cons.obligation),
                               _with_header(cons.query, head), "sat"))
    done: set[str] = set()
    algebras: dict[int, Algebra] = {}
    # Each step stated under the hypotheses it was checked under (with named inner products, the facts proved before).
    for check, under in zip(deriv.check(), checked_under(deriv), strict=True):
        for k, ob in enumerate(check.obligations):
            if ob.obligation.kind == "consistency" or ob.how not in (Discharge.SMT, Discharge.SYMPY):
                continue
            if ob.parts:
                out += _part_certificates(claim_id, deriv, check.step.name, k, ob, done)
                continue
            if ob.how is Discharge.SYMPY:
                # Decided by SymPy's sign rules: state it for the solvers too, from the same expression.
                if id(under) not in algebras:
                    algebras[id(under)] = Algebra(under)
                alg = algebras[id(under)]
                q = _obligation_query(ob.obligation, alg)
                if q is None:
                    continue
                ob = type(ob)(ob.obligation, ob.how, ob.detail, q)
            if ob.query is None or ob.query.text in done:
                continue
            done.add(ob.query.text)
            head = _header(claim_id, deriv, check.step.name, str(ob.obligation))
            out.append(Certificate(claim_id, deriv.claim, check.step.name, f"obligation{k}", str(ob.obligation),
                                   _with_header(ob.query, head), "unsat"))
        q = _step_query(under, check)
        if q is not None:
            a, _ = smt.run_z3(q.text, _EXPORT_MS)
            if a is smt.Answer.UNSAT and smt.run_cvc5(q.text, _EXPORT_MS) is smt.Answer.UNSAT:
                op = check.step.op.value
                head = _header(claim_id, deriv, check.step.name, f"{check.step.lhs} {op} {check.step.rhs}")
                out.append(Certificate(claim_id, deriv.claim, check.step.name, "step",
                                       f"{check.step.name}: lhs {op} rhs under the hypotheses",
                                       _with_header(q, head), "unsat"))
        for k, c in enumerate(check.cofactors):
            out.append(Certificate(claim_id, deriv.claim, check.step.name, f"cofactors{k}" if k else "cofactors",
                                   "numerator of lhs - rhs = sum_i q_i g_i over the side relations g_i",
                                   _cofactor_json(c), "zero"))
    return out


def write(directory: Path, claims: Iterable[tuple[str, Iterable[Callable[[], Derivation]]]]) -> Path:
    """Write every certificate and ``manifest.json`` (claim, derivation, step, kind, file, expected)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    certs = collect(claims)
    manifest = []
    for c in certs:
        (directory / c.filename).write_text(c.text)
        manifest.append({"claim": c.claim, "derivation": c.derivation, "step": c.step, "kind": c.kind,
                         "file": c.filename, "expected": c.expected, "description": c.description})
    path = directory / MANIFEST
    path.write_text(json.dumps(manifest, indent=1) + "\n")
    return path


def recheck_smt(text: str, solver: str) -> str:
    """``sat``/``unsat``/``unknown`` from one solver (``z3`` or ``cvc5``) on an SMT-LIB 2 script, fresh."""
    if solver == "z3":
        return smt.run_z3.__wrapped__(text, 10000)[0].value
    if solver == "cvc5":
        return smt.run_cvc5.__wrapped__(text, 10000).value
    raise ValueError(f"solver={solver!r} is not one of 'z3', 'cvc5'.")


def recheck_cofactors(text: str) -> bool:
    """Exact expansion: ``target - sum q_i g_i`` is the zero polynomial."""
    data = json.loads(text)
    parse = sp.sympify
    target = parse(data["target"])
    total = sum((parse(q) * parse(g) for q, g in zip(data["cofactors"], data["generators"], strict=False)),
                sp.Integer(0))
    return sp.expand(target - total) == 0 and len(data["cofactors"]) == len(data["generators"])
