"""MathML (presentation, MathML Core): SymPy expressions through SymPy's printer, LaTeX strings through a
small parser of the LaTeX the registry and SymPy write.

The HTML report shows no LaTeX source: every formula reaches the page as MathML, which Chromium renders
natively, so the page needs neither a network nor a script.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import sympy as sp
from sympy.printing.mathml import MathMLPresentationPrinter

__all__ = ["expr_mathml", "latex_mathml", "math_element", "UnknownLatex"]


class UnknownLatex(ValueError):
    """A LaTeX command this converter does not know; the writer then shows the source as text."""


# ---------------------------------------------------------------------------------------------
# SymPy expressions: SymPy's presentation printer, with an evaluation bar for Subs (SymPy prints
# ``subs(...)``, which hides what is evaluated where).


class _Printer(MathMLPresentationPrinter):
    def _print_Subs(self, e: sp.Subs):  # noqa: N802 (SymPy's naming)
        row = self.dom.createElement("mrow")
        row.appendChild(self._print(e.expr))
        sub = self.dom.createElement("msub")
        bar = self.dom.createElement("mo")
        bar.setAttribute("stretchy", "true")
        bar.appendChild(self.dom.createTextNode("|"))
        sub.appendChild(bar)
        at = self.dom.createElement("mrow")
        for i, (v, p) in enumerate(zip(e.variables, e.point)):
            if i:
                comma = self.dom.createElement("mo")
                comma.appendChild(self.dom.createTextNode(","))
                at.appendChild(comma)
            at.appendChild(self._print(sp.Eq(v, p, evaluate=False)))
        sub.appendChild(at)
        row.appendChild(sub)
        return row


def expr_mathml(expr: sp.Basic) -> str:
    """The presentation MathML of a SymPy expression (the inner ``mrow``; wrap with ``math_element``)."""
    return _Printer({"mat_delim": "["}).doprint(expr)


def math_element(inner: str, display: bool = False) -> str:
    block = ' display="block"' if display else ""
    return f'<math xmlns="http://www.w3.org/1998/Math/MathML"{block}>{inner}</math>'


# ---------------------------------------------------------------------------------------------
# LaTeX strings: a recursive-descent parser of the subset the registry's printed statements, the
# prose converter and SymPy's ``latex()`` use.  An unknown command raises UnknownLatex.

_GREEK = {n: chr(c) for n, c in (
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3F5),
    ("varepsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("vartheta", 0x3D1),
    ("iota", 0x3B9), ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE),
    ("pi", 0x3C0), ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4), ("upsilon", 0x3C5), ("phi", 0x3D5),
    ("varphi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9))}
_GREEK_UPPER = {n: chr(c) for n, c in (
    ("Gamma", 0x393), ("Delta", 0x394), ("Theta", 0x398), ("Lambda", 0x39B), ("Xi", 0x39E), ("Pi", 0x3A0),
    ("Sigma", 0x3A3), ("Upsilon", 0x3A5), ("Phi", 0x3A6), ("Psi", 0x3A8), ("Omega", 0x3A9))}
_OPERATORS = {
    "le": "\u2264", "leq": "\u2264", "ge": "\u2265", "geq": "\u2265", "ne": "\u2260", "neq": "\u2260",
    "in": "\u2208", "notin": "\u2209", "approx": "\u2248", "ll": "\u226A", "gg": "\u226B", "to": "\u2192",
    "rightarrow": "\u2192", "Rightarrow": "\u21D2", "implies": "\u21D2", "iff": "\u21D4",
    "Leftrightarrow": "\u21D4", "propto": "\u221D", "sim": "\u223C", "cdot": "\u22C5", "times": "\u00D7",
    "pm": "\u00B1", "mp": "\u2213", "langle": "\u27E8", "rangle": "\u27E9", "|": "\u2016", "Vert": "\u2016",
    "lVert": "\u2016", "rVert": "\u2016", "vert": "|", "lvert": "|", "rvert": "|", "mid": "|",
    "{": "{", "}": "}", "perp": "\u22A5", "top": "\u22A4", "infty": "\u221E", "partial": "\u2202",
    "sum": "\u2211", "prod": "\u220F", "int": "\u222B", "ldots": "\u2026", "cdots": "\u22EF",
    "dots": "\u2026", "setminus": "\u2216", "subseteq": "\u2286", "subset": "\u2282", "cup": "\u222A",
    "cap": "\u2229", "emptyset": "\u2205", "neg": "\u00AC", "forall": "\u2200", "exists": "\u2203",
    "wedge": "\u2227", "land": "\u2227", "vee": "\u2228", "lor": "\u2228", "equiv": "\u2261",
    "circ": "\u2218", "nabla": "\u2207", "square": "\u25A1", "lfloor": "\u230A", "rfloor": "\u230B",
    "lceil": "\u2308", "rceil": "\u2309", "%": "%", "#": "#", "&": "&", "_": "_", "$": "$",
    "colon": ":", "ast": "*", "star": "\u22C6", "prime": "\u2032", "mapsto": "\u21A6", "geqslant": "\u2265",
    "leqslant": "\u2264", "succ": "\u227B", "prec": "\u227A", "cong": "\u2245", "simeq": "\u2243",
}
_FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "arccos", "arcsin", "arctan",
              "sinh", "cosh", "tanh", "max", "min", "sup", "inf", "det", "lim", "arg", "dim", "ker", "gcd",
              "Pr", "liminf", "limsup", "deg"}
_SPACES = {",": "0.1667em", ";": "0.2778em", ":": "0.2222em", "!": "0", "quad": "1em", "qquad": "2em",
           " ": "0.25em", "enspace": "0.5em", "thinspace": "0.1667em"}
_IGNORED = {"displaystyle", "textstyle", "limits", "nolimits", "left", "right", "big", "Big", "bigg", "Bigg",
            "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "middle", "nonumber", "notag"}
_ACCENTS = {"tilde": "~", "widetilde": "~", "bar": "\u00AF", "overline": "\u00AF", "hat": "^", "widehat": "^",
            "vec": "\u2192", "dot": "\u02D9", "ddot": "\u00A8"}
_FONTS = {"mathbb": "double-struck", "mathcal": "script", "mathbf": "bold", "boldsymbol": "bold-italic",
          "mathrm": "normal", "operatorname": "normal", "mathit": "italic", "mathsf": "sans-serif",
          "mathfrak": "fraktur", "mathtt": "monospace"}
_TEXT = {"text", "textrm", "textit", "textbf", "mbox", "textnormal", "texttt"}
_ENVIRONMENTS = {"matrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"), "vmatrix": ("|", "|"),
                 "Bmatrix": ("{", "}"), "aligned": ("", ""), "array": ("", ""), "cases": ("{", ""),
                 "smallmatrix": ("", ""), "gathered": ("", ""), "align*": ("", ""), "split": ("", "")}
_TOKEN = re.compile(r"\\([A-Za-z]+\*?|.)|(\d+(?:\.\d+)?)|(\s+)|(.)", re.S)


@dataclass
class _Tok:
    kind: str   # "cmd", "num", "space", "char"
    text: str


def _tokens(tex: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(tex):
        if m.group(1) is not None:
            out.append(_Tok("cmd", m.group(1)))
        elif m.group(2) is not None:
            out.append(_Tok("num", m.group(2)))
        elif m.group(3) is not None:
            out.append(_Tok("space", " "))
        else:
            out.append(_Tok("char", m.group(4)))
    return out


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def _mi(s: str, variant: str | None = None) -> str:
    # Several letters in one <mi> are upright in MathML; a single letter is italic unless told otherwise.
    attr = f' mathvariant="{variant}"' if variant else ""
    return f"<mi{attr}>{_esc(s)}</mi>"


def _mo(s: str, **attrs: str) -> str:
    a = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<mo{a}>{_esc(s)}</mo>"


def _row(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"<mrow>{''.join(items)}</mrow>"


_FENCE_CHARS = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", ".": "", "<": "\u27E8", ">": "\u27E9"}


class _Parser:
    def __init__(self, tex: str) -> None:
        self.toks = _tokens(tex)
        self.i = 0
        self.tex = tex

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def skip_space(self) -> None:
        while (t := self.peek()) is not None and t.kind == "space":
            self.i += 1

    def group_text(self) -> str:
        """The raw text of a braced argument (for \\text, \\mathrm, \\begin{...})."""
        self.skip_space()
        t = self.take()
        if not (t.kind == "char" and t.text == "{"):
            return t.text
        depth, parts = 1, []
        while True:
            t = self.take()
            if t.kind == "char" and t.text == "{":
                depth += 1
            elif t.kind == "char" and t.text == "}":
                depth -= 1
                if depth == 0:
                    return "".join(parts)
            parts.append("\\" + t.text if t.kind == "cmd" else t.text)

    def argument(self) -> str:
        """One argument: a braced group or a single token (``\\tfrac12``, ``x^2``)."""
        self.skip_space()
        t = self.peek()
        if t is None:
            raise UnknownLatex(f"argument missing at the end of {self.tex!r}")
        if t.kind == "char" and t.text == "{":
            self.take()
            inner = self.sequence(stop="}")
            self.take()
            return _row(inner or ["<mrow></mrow>"])
        if t.kind == "num" and len(t.text) > 1 and "." not in t.text:
            # \tfrac12: each digit is one argument
            self.toks[self.i] = _Tok("num", t.text[1:])
            return f"<mn>{t.text[0]}</mn>"
        return self.atom()

    def sequence(self, stop: str | None = None, stop_cmds: tuple[str, ...] = ()) -> list[str]:
        items: list[str] = []
        in_table = "end" in stop_cmds
        while (t := self.peek()) is not None:
            if t.kind == "char" and stop is not None and t.text == stop:
                break
            if t.kind == "cmd" and t.text in stop_cmds:
                break
            if in_table and ((t.kind == "char" and t.text == "&") or (t.kind == "cmd" and t.text == "\\")):
                break
            if t.kind == "space":
                self.take()
                continue
            items.append(self.scripted())
        return items

    def scripted(self) -> str:
        base = self.atom()
        sub = sup = None
        while (t := self.peek()) is not None and t.kind == "char" and t.text in "^_'":
            self.take()
            if t.text == "'":
                sup = _mo("\u2032") if sup is None else _row([sup, _mo("\u2032")])
            elif t.text == "^":
                sup = self.argument()
            else:
                sub = self.argument()
        if sub is not None and sup is not None:
            return f"<msubsup>{base}{sub}{sup}</msubsup>"
        if sub is not None:
            return f"<msub>{base}{sub}</msub>"
        if sup is not None:
            return f"<msup>{base}{sup}</msup>"
        return base

    def fence(self) -> str:
        self.skip_space()
        t = self.take()
        if t.kind == "cmd":
            if t.text in ("{", "}"):
                return t.text
            if t.text in _OPERATORS:
                return _OPERATORS[t.text]
            raise UnknownLatex(f"unknown delimiter \\{t.text} in {self.tex!r}")
        return _FENCE_CHARS.get(t.text, t.text)

    def atom(self) -> str:  # noqa: C901 (one branch per construct is the clearest form)
        self.skip_space()
        t = self.take()
        if t.kind == "num":
            return f"<mn>{t.text}</mn>"
        if t.kind == "char":
            c = t.text
            if c == "{":
                inner = self.sequence(stop="}")
                self.take()
                return _row(inner or ["<mrow></mrow>"])
            if c.isalpha():
                return _mi(c)
            if c == "~":
                return '<mspace width="0.25em"></mspace>'
            if c == "}":
                raise UnknownLatex(f"unbalanced '}}' in {self.tex!r}")
            if c == "-":
                return _mo("\u2212")
            if c == "|":   # an absolute value bar: no operator spacing inside |x|
                return _mo(c, stretchy="false", lspace="0", rspace="0")
            if c in "()[]":
                # Only \left ... \right stretches: a bare bracket keeps its size, as in TeX.
                return _mo(c, stretchy="false")
            return _mo(c)
        name = t.text
        if name == "left":
            open_ = self.fence()
            inner = self.sequence(stop_cmds=("right",))
            self.take()
            close = self.fence()
            parts = ([_mo(open_, stretchy="true")] if open_ else []) + inner
            parts += [_mo(close, stretchy="true")] if close else []
            return f"<mrow>{''.join(parts)}</mrow>"
        if name in ("frac", "tfrac", "dfrac", "cfrac"):
            return f"<mfrac>{self.argument()}{self.argument()}</mfrac>"
        if name == "binom":
            return (f"<mrow>{_mo('(')}<mfrac linethickness=\"0\">{self.argument()}{self.argument()}</mfrac>"
                    f"{_mo(')')}</mrow>")
        if name == "sqrt":
            self.skip_space()
            t2 = self.peek()
            if t2 is not None and t2.kind == "char" and t2.text == "[":
                self.take()
                index = self.sequence(stop="]")
                self.take()
                return f"<mroot>{self.argument()}{_row(index)}</mroot>"
            return f"<msqrt>{self.argument()}</msqrt>"
        if name in _GREEK:
            return _mi(_GREEK[name])
        if name in _GREEK_UPPER:
            return _mi(_GREEK_UPPER[name], "normal")
        if name in _OPERATORS:
            sym = _OPERATORS[name]
            if name in ("sum", "prod", "int"):
                return _mo(sym, largeop="true")
            if name in ("infty", "partial", "emptyset", "nabla"):
                return _mi(sym)
            if name in ("|", "Vert", "lVert", "rVert", "vert", "lvert", "rvert", "langle", "rangle", "{", "}"):
                return _mo(sym, stretchy="false")
            return _mo(sym)
        if name in _FUNCTIONS:
            # TeX's \cos is followed by a thin space ("cos alpha"); MathML Core gives U+2061 none.  Not
            # before a script, which must attach to the name itself (\cos^{2}).
            nxt = self.peek()
            if nxt is not None and nxt.kind == "char" and nxt.text in "^_":
                return _mi(name)
            return _row([_mi(name), _mo("\u2061"), '<mspace width="0.1667em"></mspace>'])
        if name in _SPACES:
            return f'<mspace width="{_SPACES[name]}"></mspace>'
        if name in _IGNORED:
            return "<mrow></mrow>"
        if name in _ACCENTS:
            return f"<mover accent=\"true\">{self.argument()}{_mo(_ACCENTS[name], stretchy='true')}</mover>"
        if name in _FONTS:
            text = self.group_text()
            if re.fullmatch(r"[A-Za-z0-9 ]+", text):
                return _mi(text.strip(), _FONTS[name])
            sub = _Parser(text)
            return f'<mstyle mathvariant="{_FONTS[name]}">{_row(sub.sequence() or ["<mrow></mrow>"])}</mstyle>'
        if name in _TEXT:
            return f"<mtext>{_esc(self.group_text())}</mtext>"
        if name == "begin":
            env = self.group_text()
            if env not in _ENVIRONMENTS:
                raise UnknownLatex(f"unknown environment {env!r} in {self.tex!r}")
            if env == "array":
                self.group_text()   # the column specification
            return self.table(env)
        if name == "end":
            raise UnknownLatex(f"\\end without \\begin in {self.tex!r}")
        if name == "\\":
            return "<mrow></mrow>"
        if name == "substack":   # SymPy's evaluation point under a bar: one line in practice
            return self.argument()
        raise UnknownLatex(f"unknown command \\{name} in {self.tex!r}")

    def table(self, env: str) -> str:
        rows: list[list[str]] = [[]]
        while True:
            cell = self.sequence(stop_cmds=("end",))
            rows[-1].append(_row(cell) if cell else "<mrow></mrow>")
            t = self.take()
            if t.kind == "cmd" and t.text == "end":
                self.group_text()
                break
            if t.kind == "cmd" and t.text == "\\":
                rows.append([])
        if rows[-1] == ["<mrow></mrow>"] and len(rows) > 1:
            rows.pop()
        align = ' columnalign="right left"' if env in ("aligned", "align*", "split") else ""
        body = "".join("<mtr>" + "".join(f"<mtd>{c}</mtd>" for c in r) + "</mtr>" for r in rows)
        open_, close = _ENVIRONMENTS[env]
        table = f"<mtable{align}>{body}</mtable>"
        parts = ([_mo(open_, stretchy="true")] if open_ else []) + [table]
        parts += [_mo(close, stretchy="true")] if close else []
        return f"<mrow>{''.join(parts)}</mrow>"


def latex_mathml(tex: str) -> str:
    """The presentation MathML of a LaTeX formula (no ``$``); raises UnknownLatex on a command it does not know."""
    parser = _Parser(tex)
    items = parser.sequence()
    if parser.peek() is not None:
        raise UnknownLatex(f"unbalanced braces in {tex!r}")
    return _row(items or ["<mrow></mrow>"])
