"""SMT-LIB 2 queries generated from SymPy expressions, decided by z3 and by cvc5 separately.

A query asks whether ``facts AND NOT goal`` has a real model (QF_NRA).  Every term is printed from
the SymPy expression itself (sums, products, integer powers, rationals); ``1/b`` becomes a fresh
variable ``i`` with ``i * b = 1``, which also asserts ``b != 0`` (so a query is only sent once the
denominators are known to be nonzero).  Nothing is written by hand, and a ``sat`` model is read back
under the SymPy symbols through the same name table that printed the query.

Both solvers are imported lazily: the symbolic checker needs them only when SymPy cannot decide.
"""
from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp

__all__ = ["NotPolynomial", "Answer", "Query", "build_query", "run_z3", "run_cvc5", "decide"]

_TIMEOUT_MS = 8000
# z3 is bounded by its deterministic resource limit, not by the clock, so a loaded machine cannot
# turn a proof into "unknown" (the certificates need at most ~2e5 units; this is 25 times more).
_Z3_RLIMIT = 5_000_000


class NotPolynomial(ValueError):
    """An expression that QF_NRA cannot state (a transcendental function, a symbolic exponent)."""


class Answer(enum.Enum):
    """A solver's answer to ``check-sat``."""

    UNSAT = "unsat"
    SAT = "sat"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Query:
    """One SMT-LIB 2 script, the names it declares (SMT name -> SymPy symbol), and whether every
    hypothesis made it into the script (only then is a ``sat`` model a counterexample)."""

    text: str
    names: tuple[tuple[str, sp.Symbol], ...]
    complete: bool
    expected: Answer = Answer.UNSAT

    def symbol(self, name: str) -> sp.Symbol | None:
        return dict(self.names).get(name)


@dataclass
class _Printer:
    """Prints SymPy terms as SMT-LIB terms, declaring each symbol once under a unique name."""

    names: dict[sp.Symbol, str] = field(default_factory=dict)
    inverses: dict[sp.Expr, str] = field(default_factory=dict)
    extra: list[str] = field(default_factory=list)

    def name(self, s: sp.Symbol) -> str:
        if s not in self.names:
            base = "".join(ch if ch.isalnum() or ch in "_." else "_" for ch in s.name) or "v"
            taken = set(self.names.values())
            n, k = base, 1
            while n in taken:                       # two SymPy symbols may share a name (rho, rho >= 0)
                n, k = f"{base}__{k}", k + 1
            self.names[s] = n
        return self.names[s]

    def term(self, e: sp.Basic) -> str:
        if e.is_Symbol:
            return self.name(e)
        if e.is_Integer:
            return str(e) if e >= 0 else f"(- {-e})"
        if e.is_Rational:
            t = f"(/ {abs(e.p)} {e.q})"
            return t if e > 0 else f"(- {t})"
        if e.is_Add:
            return "(+ " + " ".join(self.term(a) for a in e.args) + ")"
        if e.is_Mul:
            return "(* " + " ".join(self.term(a) for a in e.args) + ")"
        if e.is_Pow and e.exp.is_Integer:
            k = int(e.exp)
            if k == 0:
                return "1"
            base = self.term(e.base) if k > 0 else self.inverse(e.base)
            return base if abs(k) == 1 else "(* " + " ".join([base] * abs(k)) + ")"
        raise NotPolynomial(f"{e!s} is not a polynomial or rational term")

    def inverse(self, b: sp.Expr) -> str:
        if b not in self.inverses:
            v = f"inv{len(self.inverses)}"
            self.inverses[b] = v
            self.extra.append(f"(assert (= (* {v} {self.term(b)}) 1))")
        return self.inverses[b]


_RELATIONS = {">": ">", ">=": ">=", "=": "=", "<": "<", "<=": "<="}


def _atom(p: _Printer, expr: sp.Expr, rel: str) -> str:
    t = p.term(sp.sympify(expr))
    if rel == "!=":
        return f"(not (= {t} 0))"
    return f"({_RELATIONS[rel]} {t} 0)"


def _sign_facts(p: _Printer, s: sp.Symbol) -> list[str]:
    n = p.name(s)
    if s.is_positive:
        return [f"(> {n} 0)"]
    if s.is_nonnegative:
        return [f"(>= {n} 0)"]
    if s.is_negative:
        return [f"(< {n} 0)"]
    if s.is_nonpositive:
        return [f"(<= {n} 0)"]
    return []


def build_query(goal: tuple[sp.Expr, str] | None, facts: list[tuple[sp.Expr, str]],
                header: str = "", complete: bool = True) -> Query:
    """``facts AND NOT goal`` as an SMT-LIB 2 script (goal ``None``: are the facts satisfiable?).

    ``facts`` and ``goal`` are pairs ``(expression, relation to 0)`` with relation one of
    ``> >= = < <= !=``; each symbol's SymPy sign assumption becomes a fact too.  ``complete`` says
    whether the caller put every hypothesis into ``facts``; a fact that cannot be printed is left
    out and makes the query incomplete.
    """
    p = _Printer()
    body: list[str] = []
    for expr, rel in facts:
        try:
            body.append(f"(assert {_atom(p, expr, rel)})")
        except NotPolynomial:
            complete = False
    if goal is not None:
        body.append(f"(assert (not {_atom(p, goal[0], goal[1])}))")   # raises NotPolynomial: no query
    signs = [f"(assert {f})" for s in sorted(p.names, key=lambda s: p.names[s]) for f in _sign_facts(p, s)]
    lines = [f"; {line}" for line in header.splitlines() if line]
    lines += ["(set-logic QF_NRA)"]
    lines += [f"(declare-fun {n} () Real)" for n in sorted(p.names.values())]
    lines += [f"(declare-fun {v} () Real)" for v in p.inverses.values()]
    lines += signs + p.extra + body + ["(check-sat)"]
    names = tuple(sorted(((n, s) for s, n in p.names.items()), key=lambda t: t[0]))
    expected = Answer.UNSAT if goal is not None else Answer.SAT
    return Query("\n".join(lines) + "\n", names, complete, expected)


def _value(v) -> Fraction | float:
    import z3
    if z3.is_rational_value(v):
        return Fraction(v.numerator_as_long(), v.denominator_as_long())
    if z3.is_algebraic_value(v):
        return float(v.approx(30).as_fraction())
    return float(str(v).rstrip("?"))


@functools.lru_cache(maxsize=4096)
def run_z3(text: str, timeout_ms: int = _TIMEOUT_MS) -> tuple[Answer, tuple[tuple[str, object], ...]]:
    """z3's answer on the script, and its model (SMT name -> value) when ``sat``."""
    import z3
    s = z3.Solver()
    s.set("timeout", timeout_ms)
    s.set("rlimit", _Z3_RLIMIT)
    s.from_string(text)
    r = s.check()
    if r == z3.unsat:
        return Answer.UNSAT, ()
    if r == z3.sat:
        m = s.model()
        # Only constants are variables of the query (z3 may add interpretations of division by 0).
        return Answer.SAT, tuple(sorted((d.name(), _value(m[d])) for d in m.decls() if d.arity() == 0))
    return Answer.UNKNOWN, ()


# cvc5's complete procedure for nonlinear real arithmetic, cylindrical algebraic coverings (``nl-cov``;
# Abraham, Davenport, England, Kremer 2021), settles all but one of the certificates in milliseconds,
# where the default procedure (incremental linearisation) runs on without end on some (Thm 6.1's
# Cauchy-Schwarz obligation); the default in turn settles the high-degree identity coverings stalls on
# (Cor 4.5's eq. (6)).  So each query tries coverings for a short while, then the default for the rest
# of its time: two strategies of one solver, each sound on its own.
_STRATEGIES: tuple[tuple[tuple[tuple[str, str], ...], float], ...] = (
    ((("nl-cov", "true"), ("nl-ext", "none")), 0.25),
    ((), 0.75),
)

_WORKER = r"""
import sys, cvc5
def run(text, options):
    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    for key, value in options:
        solver.setOption(key, value)
    sm = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(solver, sm)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "certificate")
    out = ""
    while True:
        cmd = parser.nextCommand()
        if cmd.isNull():
            break
        res = cmd.invoke(solver, sm)
        if res:
            out = res.strip()
    return out
while True:
    header = sys.stdin.readline()
    if not header:
        break
    n, *words = header.split()
    text = sys.stdin.read(int(n))
    try:
        ans = run(text, list(zip(words[::2], words[1::2])))
    except Exception as exc:
        ans = "error"
    sys.stdout.write(ans.splitlines()[-1] if ans else "unknown")
    sys.stdout.write("\n")
    sys.stdout.flush()
"""


class _Cvc5:
    """One long-lived cvc5 process (its in-process time limit is not honoured by every procedure, so
    a query that runs over is ended by killing the process, which the next query restarts)."""

    def __init__(self) -> None:
        self.proc = None

    def ask(self, text: str, timeout_ms: float, options: tuple[tuple[str, str], ...] = ()) -> Answer:
        import select
        import subprocess
        import sys
        fresh = self.proc is None or self.proc.poll() is not None
        if fresh:                               # the first query also waits for cvc5 to load (~0.1 s)
            self.proc = subprocess.Popen([sys.executable, "-c", _WORKER], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True, bufsize=1)
        data = text
        words = " ".join(f"{k} {v}" for k, v in options)
        self.proc.stdin.write(f"{len(data)} {words}\n{data}")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout_ms / 1000 + (1.0 if fresh else 0.0))
        if not ready:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            return Answer.UNKNOWN
        out = self.proc.stdout.readline().strip()
        return {"unsat": Answer.UNSAT, "sat": Answer.SAT}.get(out, Answer.UNKNOWN)


_CVC5 = _Cvc5()


@functools.lru_cache(maxsize=4096)
def run_cvc5(text: str, timeout_ms: int = _TIMEOUT_MS) -> Answer:
    """cvc5's answer on the same script, parsed by cvc5's own SMT-LIB 2 reader (in a worker process):
    the first strategy of ``_STRATEGIES`` that answers within its share of ``timeout_ms``."""
    for options, share in _STRATEGIES:
        answer = _CVC5.ask(text, timeout_ms * share, options)
        if answer is not Answer.UNKNOWN:
            return answer
    return Answer.UNKNOWN


def decide(q: Query) -> tuple[Answer, dict[sp.Symbol, object] | None]:
    """Both solvers on ``q``: ``UNSAT`` only when z3 and cvc5 both say so (``SAT`` likewise); a z3 model
    is returned under the SymPy symbols (counterexample only if ``q.complete``)."""
    a, model = run_z3(q.text)
    if a is Answer.UNKNOWN:
        return Answer.UNKNOWN, None
    b = run_cvc5(q.text)
    if a is Answer.SAT:
        point = {q.symbol(n): v for n, v in model if q.symbol(n) is not None}
        return (Answer.SAT if b is not Answer.UNSAT else Answer.UNKNOWN), point
    return (Answer.UNSAT if b is Answer.UNSAT else Answer.UNKNOWN), None
