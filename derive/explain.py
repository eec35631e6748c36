"""Plain-text account of a checked derivation: each step's rule, formula, obligations and certificate."""
from __future__ import annotations

import sympy as sp
from rich.markup import escape

from derive.core import Derivation, Discharge, Start, Status

__all__ = ["describe"]

_MARK = {Status.OK: "[green]ok[/]", Status.NUMERIC: "[yellow]numeric-only[/]", Status.FAILED: "[red]FAILED[/]"}


def _short(e: object, width: int = 150) -> str:
    text = sp.sstr(e) if isinstance(e, sp.Basic) else str(e)
    return escape(text if len(text) <= width else text[: width - 3] + "...")


def describe(deriv: Derivation, files: dict[tuple[str, str], list[str]] | None = None) -> list[str]:
    """Rich-markup lines: per step its status, rule and where its chain segment starts, the relation
    checked, how it was decided, each obligation with how it was discharged, and the certificate
    files (``files`` maps (derivation, step) to file names, as ``certificates`` writes them)."""
    lines = [f"[bold]{escape(deriv.claim)}[/]: {escape(deriv.title)}"]
    lines += [f"  assume {escape(a)}" for a in deriv.assumptions]
    cons = deriv.consistency()
    lines.append(f"  hypotheses consistent: {cons.how.value} ({_short(cons.detail, 120)})")
    for check in deriv.check():
        s = check.step
        where = "" if check.link is Start.CONTINUE else f"; {check.link.value}"
        lines.append(f"  {_MARK[check.status]} [bold]{escape(s.name)}[/] by {check.rule.value}{where}: "
                     f"{escape(s.rule)}")
        lines.append(f"      checks  {_short(s.lhs)}  {s.op.value}  {_short(s.rhs)}"
                     + (f"   (witness {_short(s.witness, 60)})" if s.witness is not None else ""))
        lines.append(f"      how     {escape(check.method)}"
                     + (f" (residual {check.residual})" if check.residual else ""))
        if check.status is Status.FAILED and check.counterexample:
            lines.append("      [red]sides differ at[/] "
                         + escape(", ".join(f"{k} = {v}" for k, v in check.counterexample)))
        for ob in check.obligations:
            if ob.obligation.kind == "consistency":
                continue
            colour = {Discharge.REFUTED: "red", Discharge.OPEN: "red", Discharge.NUMERIC: "yellow"}.get(ob.how, "green")
            lines.append(f"      [{colour}]{ob.how.value:>19}[/]  {_short(ob.obligation, 110)}")
        if check.cofactors:
            lines.append(f"      cofactors: {len(check.cofactors)} ideal-membership certificate(s),"
                         " checked by expansion")
        for f in (files or {}).get((deriv.claim, s.name), []):
            lines.append(f"      certificate {escape(f)}")
    lines.append(f"  [bold]concludes[/] {_short(deriv.conclusion, 200)}")
    return lines
