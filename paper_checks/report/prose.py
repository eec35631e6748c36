"""Prose with ASCII mathematics ("||P_C v*||^2 <= 1", "d^2 KL / d eps^2"), split into text and LaTeX maths.

The checks and derivations write their rules, assumptions and evidence in plain ASCII so that the
terminal can show them; the documents typeset them.  ``segments`` finds the mathematical runs (a
run holds a symbol with a script, a Greek letter or a relation) and translates each to LaTeX; the
HTML writer turns that LaTeX into MathML, the LaTeX writer puts it between dollars; ``mixed`` also reads a
field that is already LaTeX.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["segments", "ascii_latex", "mixed"]

_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "kappa", "lambda", "mu", "nu",
          "xi", "pi", "rho", "sigma", "tau", "phi", "psi", "omega", "chi", "Gamma", "Delta", "Theta", "Lambda",
          "Pi", "Sigma", "Phi", "Psi", "Omega"}
_ALIASES = {"eps": r"\varepsilon", "epsilon": r"\varepsilon"}
_FUNCTIONS = {"log": r"\log", "exp": r"\exp", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "arccos": r"\arccos",
              "max": r"\max", "min": r"\min", "sup": r"\sup", "inf": r"\inf", "det": r"\det", "lim": r"\lim"}
_OPERATOR_NAMES = {"dist", "diag", "span", "sgn", "softmax", "tr", "rank", "argmax", "argmin", "KL", "Var", "Cov", "Beta",
                   "arcsin"}
_BIG = {"sum": r"\sum", "prod": r"\prod"}
# Words that are mathematics only as function heads, "span(v*, c)", never in "the span of".
_HEADS = {"dist", "span", "rank", "min", "max", "sup", "inf", "det", "tr", "Var", "Cov", "Beta", "softmax", "sgn", "diag",
          "log", "exp", "sin", "cos", "tan", "arccos", "arcsin", "sqrt", "O", "o", "E", "Theta", "Omega", "KL"}
_SCRIPT = r"[_^](?:\{(?:[^{}]|\{[^{}]*\})*\}|\([^()]*\)|-?[A-Za-z0-9]+|\*)"
_TOKEN = re.compile(
    rf"(?P<ident>[A-Za-z]+(?:~(?=[\d_]))?\d*'*(?:\*|{_SCRIPT})*)"
    rf"|(?P<num>\d+(?:\.\d+)?(?:e[-+]?\d+(?![A-Za-z]))?)"
    rf"|(?P<op>(?:<=|>=|!=|==|->|=>|\.\.\.|\.\.|\|\||[-+*/=<>|()\[\]{{}},~%])(?:{_SCRIPT})*)"
    rf"|(?P<space>\s+)|(?P<other>.)", re.S)
_STRONG_OPS = {"=", "<=", ">=", "!=", "==", "<", ">", "->", "=>", "~", "||", "^", "_"}
_OPENERS, _CLOSERS = {"(": ")", "[": "]", "{": "}"}, {")": "(", "]": "[", "}": "{"}


@dataclass
class _Tok:
    text: str
    kind: str          # ident, num, op, space, other
    cls: str = "text"  # strong, weak, op, space, text


def _base(ident: str) -> str:
    return re.match(r"[A-Za-z]+", ident).group(0)


def _classify(toks: list[_Tok]) -> None:
    for i, t in enumerate(toks):
        prev = next((u for u in reversed(toks[:i]) if u.kind != "space"), None)
        nxt = next((u for u in toks[i + 1:] if u.kind != "space"), None)
        glued_next = toks[i + 1] if i + 1 < len(toks) else None
        if t.kind == "space":
            t.cls = "space"
        elif t.kind == "num":
            t.cls = "weak"
        elif t.kind == "op":
            op = re.match(r"[^_^]+", t.text).group(0) if t.text[0] not in "_^" else t.text
            hyphen = op in ("-", "/") and i > 0 and toks[i - 1].kind == "ident" and glued_next is not None \
                and glued_next.kind == "ident" and toks[i - 1].cls == "text"
            t.cls = "text" if hyphen else ("strong" if op in _STRONG_OPS or t.text != op else "op")
        elif t.kind == "ident":
            base = _base(t.text)
            rest = t.text[len(base):]
            head = glued_next is not None and glued_next.text[:1] in "([" and glued_next.kind == "op"
            if base in _GREEK or base in _ALIASES:
                t.cls = "strong"
            elif rest and rest.strip("'") and (len(base) == 1 or "~" in rest or base in _GREEK or "_" in rest
                                               or "^" in rest
                                               or "*" in rest or rest[0].isdigit()):
                t.cls = "strong"
            elif base in _HEADS and head:
                t.cls = "strong" if len(base) > 1 else "weak"
            elif base == "in" and prev is not None and nxt is not None and prev.cls in ("strong", "weak") \
                    and (nxt.kind in ("ident", "num") or nxt.text[:1] in "([{|<"):
                t.cls = "op"
            elif len(base) == 1 and rest in ("", "'") and base not in "aA":
                t.cls = "weak"
            elif len(base) <= 2 and base.isalpha() and base not in _SHORT_WORDS and (
                    _is_operator(prev) or _is_operator(nxt) or (prev is not None and prev.text.endswith("^T"))):
                t.cls = "weak"     # "a", "I", "ab" are symbols beside an operator: "a^T a", "rho - ab"
            elif base in _FUNCTIONS or base in _OPERATOR_NAMES:
                t.cls = "weak"
            else:
                t.cls = "text"
        else:
            t.cls = "text"


def _is_operator(t: _Tok | None) -> bool:
    return t is not None and t.kind == "op" and t.text not in (",", "(", ")")


_SHORT_WORDS = {"in", "of", "to", "is", "at", "on", "or", "as", "by", "if", "be", "we", "an", "so", "no", "it", "up",
                "do", "go", "me", "my", "us", "A", "eq", "cf", "ie", "eg"}


def _runs(toks: list[_Tok]) -> list[tuple[bool, list[_Tok]]]:
    """Maximal runs of mathematical tokens, trimmed and split at top-level ', '; (is_math, tokens)."""
    out: list[tuple[bool, list[_Tok]]] = []
    i = 0
    while i < len(toks):
        if toks[i].cls in ("text",) or (toks[i].cls == "space"):
            out.append((False, [toks[i]]))
            i += 1
            continue
        j = i
        while j < len(toks) and toks[j].cls != "text":
            j += 1
        run = toks[i:j]
        i = j
        for piece, sep in _split_commas(run):
            out.extend(_trim(piece))
            if sep:
                out.append((False, sep))
    return out


def _split_commas(run: list[_Tok]) -> list[tuple[list[_Tok], list[_Tok]]]:
    pieces, depth, start = [], 0, 0
    for k, t in enumerate(run):
        glued_next = k + 1 < len(run) and run[k + 1].kind != "space"
        glued_prev = k > 0 and run[k - 1].kind != "space"
        if t.text in _OPENERS or (t.text == "<" and glued_next):
            depth += 1
        elif t.text in _CLOSERS or (t.text.startswith(">") and glued_prev and depth):
            depth = max(0, depth - 1)
        elif t.text == "," and depth == 0 and k + 1 < len(run) and run[k + 1].kind == "space":
            pieces.append((run[start:k], [run[k], run[k + 1]]))
            start = k + 2
    pieces.append((run[start:], []))
    return pieces


def _trim(run: list[_Tok]) -> list[tuple[bool, list[_Tok]]]:
    head: list[_Tok] = []
    tail: list[_Tok] = []
    while run and (run[0].cls == "space" or (run[0].cls == "op" and run[0].text not in "([{|-<" and
                                                run[0].text != "||")):
        head.append(run.pop(0))
    while run and (run[-1].cls == "space" or (run[-1].cls == "op" and run[-1].text not in ")]}|%" and
                                                 run[-1].text != "||") or run[-1].text in ("in",)):
        tail.insert(0, run.pop())
    # Unmatched brackets belong to the prose, "(P_C an orthogonal projection)": split the run there.
    while run and run[0].text in _OPENERS and not _closes(run, 0):
        head.append(run.pop(0))
    while run and _bare(run[-1]) in _CLOSERS and not _opened(run, len(run) - 1):
        tail.insert(0, run.pop())
    for k, t in enumerate(run):
        if (t.text in _OPENERS and not _closes(run, k)) or (_bare(t) in _CLOSERS and not _opened(run, k)):
            cut = k if t.text in _OPENERS else k + 1
            out = [(False, head)] if head else []
            out += _trim(run[:cut]) + _trim(run[cut:])
            return out + ([(False, tail)] if tail else [])
    strong = any(t.cls == "strong" for t in run)
    atoms = any(t.kind in ("ident", "num") and t.cls != "op" for t in run)
    is_math = strong and atoms
    # A lone ASCII relation in prose ("it is >= eq. (17)") is typeset too: ASCII maths never reaches a page.
    is_math = is_math or (len(run) == 1 and run[0].text in ("<=", ">=", "!=", "->", "=>"))
    out = [(False, head)] if head else []
    if run:
        out.append((is_math, run))
    if tail:
        out.append((False, tail))
    return out


def _bare(t: _Tok) -> str:
    """An operator token without its scripts: ')^2' -> ')'."""
    return re.sub(rf"(?:{_SCRIPT})+$", "", t.text) if t.kind == "op" and t.text[0] not in "_^" else t.text


def _closes(run: list[_Tok], k: int) -> bool:
    depth = 0
    for t in run[k:]:
        depth += _bare(t) in _OPENERS
        depth -= _bare(t) in _CLOSERS
        if depth == 0:
            return True
    return False


def _opened(run: list[_Tok], k: int) -> bool:
    depth = 0
    for t in reversed(run[:k + 1]):
        depth += _bare(t) in _CLOSERS
        depth -= _bare(t) in _OPENERS
        if depth == 0:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Translation of one run to LaTeX.


def _word(base: str) -> str:
    m = re.fullmatch(r"([A-Za-z]+?)(\d+)", base)
    if m and (len(m.group(1)) == 1 or m.group(1) in _GREEK):
        return f"{_word(m.group(1))}_{{{m.group(2)}}}"
    if base in _GREEK:
        return "\\" + base
    if base in _ALIASES:
        return _ALIASES[base]
    if base in _FUNCTIONS:
        return _FUNCTIONS[base]
    if base in _BIG:
        return _BIG[base]
    if base == "KL":
        return r"\mathrm{KL}"
    if base in _OPERATOR_NAMES:
        return rf"\operatorname{{{base}}}"
    if len(base) == 1 or (len(base) == 2 and base.islower()):
        return base     # a symbol, or a product of two ("ab")
    return rf"\mathrm{{{base}}}"


def _script(body: str) -> str:
    if body[:1] + body[-1:] in ("{}", "()"):
        body = body[1:-1]
    return {"T": r"\top", "perp": r"\perp", "*": "*"}.get(body, ascii_latex(body))


def _scripts(suffix: str) -> tuple[list[str], list[str]]:
    subs, sups = [], []
    for m in re.finditer(rf"\*|{_SCRIPT}", suffix):
        s = m.group(0)
        if s == "*":
            sups.append("*")
        elif s[0] == "^":
            sups.append(_script(s[1:]))
        else:
            subs.append(_script(s[1:]))
    return subs, sups


def _attach(base: str, subs: list[str], sups: list[str]) -> str:
    out = base
    if subs:
        sub = subs[0]
        for s in subs[1:]:
            sub = f"{sub}_{{{s}}}"
        out += f"_{{{sub}}}"
    if sups:
        out += "^{" + " ".join(sups) + "}"
    return out


def _number(text: str) -> str:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)e([-+]?\d+)", text)
    if not m:
        return text
    mant, exp = m.group(1), int(m.group(2))
    return f"10^{{{exp}}}" if mant == "1" else f"{mant} \\times 10^{{{exp}}}"


def _run_latex(run: list[_Tok]) -> str:
    out: list[str] = []
    sqrt_depth: list[bool] = []      # for each open '(': does it close a \sqrt{...}?
    angles = 0
    for k, t in enumerate(run):
        prev_glued = run[k - 1].kind != "space" if k else False
        next_glued = k + 1 < len(run) and run[k + 1].kind != "space"
        if t.kind == "space":
            out.append(" ")
        elif t.kind == "num":
            out.append(_number(t.text))
        elif t.kind == "ident":
            base = _base(t.text)
            rest = t.text[len(base):]
            digits = re.match(r"\d*", rest).group(0)
            rest = rest[len(digits):]
            primes = len(rest) - len(rest.lstrip("'"))
            rest = rest.lstrip("'")
            if base == "in" and t.cls == "op":
                out.append(r"\in")
                continue
            if base == "sqrt" and next_glued and run[k + 1].text == "(":
                out.append(r"\sqrt")
                continue
            if base == "E" and next_glued and run[k + 1].text.startswith("["):
                out.append(r"\mathbb{E}")
                continue
            tilde = rest.startswith("~")      # "v~1": the paper's tilde-v_1
            if tilde:
                digits = re.match(r"\d*", rest[1:]).group(0)
                rest = rest[1 + len(digits):]
            subs, sups = _scripts(rest)
            if digits:
                subs.insert(0, digits)
            if tilde:
                base_tex = rf"\tilde{{{_word(base)}}}"
                out.append(_attach(base_tex, subs, sups))
                continue
            if primes and sups:     # B'^2 is a double superscript in LaTeX: B^{\prime 2}
                sups.insert(0, r"\prime" * primes)
                primes = 0
            out.append(_attach(_word(base) + "'" * primes, subs, sups))
        else:
            op = re.match(r"[^_^]+", t.text).group(0) if t.text[0] not in "_^" else ""
            subs, sups = _scripts(t.text[len(op):])
            if op == "(" and k and run[k - 1].kind == "ident" and _base(run[k - 1].text) == "sqrt":
                sqrt_depth.append(True)
                out.append("{")
                continue
            if op == "(":
                sqrt_depth.append(False)
            if op == ")" and sqrt_depth:
                if sqrt_depth.pop():
                    out.append(_attach("}", subs, sups))
                    continue
            if op == "<" and next_glued and _has_close_angle(run, k):
                angles += 1
                out.append(r"\langle ")
                continue
            if op == ">" and prev_glued and angles:
                angles -= 1
                out.append(_attach(r"\rangle", subs, sups))
                continue
            sym = {"<=": r"\le", ">=": r"\ge", "!=": r"\ne", "==": "=", "->": r"\to", "=>": r"\Rightarrow",
                   "||": r"\|", "...": r"\ldots", "..": r"\ldots", "%": r"\%", "~": r"\sim", "*": r"\cdot",
                   "{": r"\{", "}": r"\}"}.get(op, op)
            out.append(_attach(sym, subs, sups) if (subs or sups) else sym + (" " if sym[:1] == "\\" else ""))
    return re.sub(r" +", " ", "".join(out)).strip()


def _has_close_angle(run: list[_Tok], k: int) -> bool:
    return any(t.text.startswith(">") and run[j - 1].kind != "space" for j, t in enumerate(run) if j > k)


def segments(text: str) -> list[tuple[bool, str]]:
    """The prose as (is_math, piece) parts; a math piece is LaTeX, a text piece is the original text."""
    toks = [_Tok(m.group(0), m.lastgroup or "other") for m in _TOKEN.finditer(text)]
    _classify(toks)
    out: list[tuple[bool, str]] = []
    for is_math, run in _runs(toks):
        piece = _run_latex(run) if is_math else "".join(t.text for t in run)
        if out and out[-1][0] == is_math and not is_math:
            out[-1] = (False, out[-1][1] + piece)
        else:
            out.append((is_math, piece))
    return out


def ascii_latex(text: str) -> str:
    """An ASCII formula ("tau_i = <v*, c_i>^2") as LaTeX, all of it mathematics."""
    toks = [_Tok(m.group(0), m.lastgroup or "other") for m in _TOKEN.finditer(text)]
    _classify(toks)
    for t in toks:
        if t.cls == "text" and t.kind == "ident":
            t.cls = "weak"
    return _run_latex(toks)


def mixed(text: str) -> list[tuple[bool, str]]:
    """Any text field of a finding as (is_math, piece) parts: prose with $...$ LaTeX (the registry's
    convention), a bare LaTeX formula (rendered from a formal statement), or prose with ASCII maths."""
    if "$" in text:
        parts = text.split("$")
        out: list[tuple[bool, str]] = []
        for i, p in enumerate(parts):
            if i % 2:
                out.append((True, p))
            elif p:
                out += segments(p)
        return out
    if re.search(r"\\[A-Za-z]+", text):     # ASCII prose writes "P_{C^perp}" but never a backslash
        return [(True, text)]
    return segments(text)
