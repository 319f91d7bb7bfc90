"""The LaTeX that the report writes, read back as a tree, for the web page and the terminal.

The handout's formulas are written once, as LaTeX (:mod:`derive.latex` prints the
SymPy expressions; the claims and prose carry their own ``$...$``). The HTML page
(MathML) and the audit's terminal table (Unicode) are two more views of the same text,
so they read that LaTeX back instead of printing the formulas a second way: this
module parses the subset the report uses into a small tree, and
:mod:`derive.texrender` writes the tree as MathML or as plain Unicode text.

Nodes (tuples, first item the kind):

* ``("row", [node, ...])``: a sequence;
* ``("id", text)``, ``("num", text)``, ``("op", text)``: identifier, number, operator
  (Unicode: ``\\alpha`` is ``("id", "α")``, ``\\cdot`` is ``("op", "·")``);
* ``("text", [("str", text) | node, ...])``: text mode, possibly with inline math;
* ``("frac", num, den)`` (a fourth item ``"nobar"`` for a binomial), ``("sqrt", body)``,
  ``("root", body, index)``, ``("accent", combining mark, body)``;
* ``("fn", name)``: log, exp, tanh...; ``("style", command, body)``: mathbf, mathcal...;
* ``("textstyle", tag, ("text", ...))``: emphasis, bold, typewriter (an HTML tag name);
* ``("link", target, parts)``: a cross-reference; ``("math", row)``: ``$...$`` in text;
* ``("scripts", base, sub, sup)`` (``sub``/``sup`` may be ``None``);
* ``("fence", open, body, close)``: ``\\left( ... \\right)`` (``open``/``close`` may be "");
* ``("table", [[cell, ...], ...], open, close, kind)``: matrices, cases, aligned rows;
* ``("big", symbol)``: a large operator (sum, integral) that takes limits; a third item
  ``"limits"`` or ``"nolimits"`` where the source says where they go;
* ``("box", body)``: ``\\boxed``; ``("space", ems)``.

Anything outside the subset is kept as its name (``("id", "foo")``, never the
backslash) and recorded in :data:`UNKNOWN`, which the tests keep empty for the report.
"""

from __future__ import annotations

import re

__all__ = ["parse_math", "parse_text", "UNKNOWN", "TexError"]

UNKNOWN: set[str] = set()

_MAX_LENGTH = 200_000   # characters: the longest formula of the report is ~5,000
_MAX_DEPTH = 200        # nested groups


class TexError(ValueError):
    """Unbalanced braces, environments or delimiters."""


GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ",
    "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
    "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "ell": "ℓ",
    "nabla": "∇", "partial": "∂", "infty": "∞", "emptyset": "∅",
}

OPERATORS = {
    "cdot": "·", "times": "×", "odot": "⊙", "otimes": "⊗", "circ": "∘", "pm": "±", "mp": "∓",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "equiv": "≡", "sim": "∼", "propto": "∝", "gg": "≫", "ll": "≪", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "iff": "⇔", "mapsto": "↦",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆", "cap": "∩", "cup": "∪",
    "forall": "∀", "exists": "∃", "dots": "…", "ldots": "…", "cdots": "⋯", "vdots": "⋮",
    "ddots": "⋱", "prime": "′", "lVert": "‖", "rVert": "‖", "|": "‖", "Vert": "‖",
    "vert": "|", "lvert": "|", "rvert": "|", "backslash": "∖", "setminus": "∖",
    "{": "{", "}": "}", "langle": "⟨", "rangle": "⟩", "top": "⊤", "mid": "|",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "#": "#", "%": "%",
    "&": "&", "_": "_", "$": "$", "colon": ":", "ast": "∗", "star": "⋆", "bullet": "∙",
    "checkmark": "✓", "wedge": "∧", "vee": "∨", "neg": "¬", "lnot": "¬",
}

BIG = {"sum": "∑", "prod": "∏", "int": "∫", "lim": "lim", "max": "max", "min": "min",
       "sup": "sup", "inf": "inf", "argmax": "argmax", "argmin": "argmin"}

FUNCTIONS = {"log", "ln", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "det", "tr",
             "diag", "sgn", "arg", "dim", "ker", "Pr", "erf"}

SPACES = {",": 0.17, ":": 0.22, ";": 0.28, "!": 0.0, " ": 0.25, "quad": 1.0, "qquad": 2.0,
          "enspace": 0.5, "thinspace": 0.17}

ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303",
           "bar": "\u0304", "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307",
           "ddot": "\u0308"}

STYLES = {"mathbf", "boldsymbol", "bm", "mathcal", "mathbb", "mathrm", "mathsf", "mathit",
          "mathfrak", "mathscr", "operatorname"}

# Commands that change only the size or the spacing of what follows: no content.
_IGNORED = {"displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "left.",
            "allowbreak", "small", "footnotesize", "normalsize", "large", "sloppy", "par",
            "raggedright", "noindent", "centering", "nobreak", "strut", "relax", "hfill",
            "medskip", "smallskip", "bigskip", "newline", "linebreak", "break"}

# \big( and friends: the delimiter, at its natural size.
_SIZED = {"big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
          "Biggl", "Biggr", "bigm", "Bigm"}

_TEXT_COMMANDS = {"text", "textrm", "mbox", "textnormal", "textup", "hbox"}
_TEXT_STYLES = {"textit": "i", "emph": "em", "textbf": "b", "texttt": "code", "textsf": "span",
                "textsl": "i", "textsc": "span"}

_ENV_FENCES = {"matrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
               "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"),
               "cases": ("{", ""), "aligned": ("", ""), "align*": ("", ""), "align": ("", ""),
               "gathered": ("", ""), "array": ("", ""), "split": ("", ""),
               "smallmatrix": ("", ""), "alignedat": ("", "")}

_TOKEN = re.compile(r"\\([A-Za-z]+\*?|.)|(\d+(?:\.\d+)?)|(\s+)|(.)", re.S)


def _tokens(src: str) -> list[tuple[str, str]]:
    """``("cmd", name)``, ``("num", digits)``, ``("ws", " ")`` or ``("chr", c)``."""
    if len(src) > _MAX_LENGTH:
        raise TexError(f"formula of {len(src)} characters: at most {_MAX_LENGTH}")
    out = []
    for m in _TOKEN.finditer(src):
        cmd, num, ws, ch = m.groups()
        if cmd is not None:
            out.append(("cmd", cmd))
        elif num is not None:
            out.append(("num", num))
        elif ws is not None:
            out.append(("ws", " "))
        else:
            out.append(("chr", ch))
    return out


class _Parser:
    def __init__(self, src: str):
        self.toks = _tokens(src)
        self.i = 0
        self.depth = 0

    # ------------------------------------------------------------ helpers
    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self):
        tok = self.peek()
        self.i += 1
        return tok

    def skip_ws(self):
        while self.peek() and self.peek()[0] == "ws":
            self.i += 1

    def raw_group(self) -> str:
        """The source text of the next ``{...}`` group (or single token), braces dropped."""
        self.skip_ws()
        tok = self.next()
        if tok is None:
            raise TexError("a command lacks its argument")
        if tok != ("chr", "{"):
            return tok[1] if tok[0] != "cmd" else "\\" + tok[1]
        depth, parts = 1, []
        while True:
            tok = self.next()
            if tok is None:
                raise TexError("unbalanced braces")
            if tok == ("chr", "{"):
                depth += 1
            elif tok == ("chr", "}"):
                depth -= 1
                if depth == 0:
                    return "".join(parts)
            parts.append("\\" + tok[1] + (" " if tok[1][-1:].isalpha() else "")
                         if tok[0] == "cmd" else tok[1])

    def optional_arg(self) -> str | None:
        self.skip_ws()
        if self.peek() != ("chr", "["):
            return None
        self.next()
        parts = []
        while (tok := self.next()) not in (None, ("chr", "]")):
            parts.append(tok[1])
        return "".join(parts)

    # ------------------------------------------------------------ math
    def row(self, stop=()) -> tuple:
        """Atoms until one of ``stop`` (a token) or the end; the stop token is not consumed."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise TexError(f"groups nested deeper than {_MAX_DEPTH}")
        items = []
        while True:
            self.skip_ws()
            tok = self.peek()
            if tok is None or tok in stop:
                break
            if tok == ("chr", "}"):
                raise TexError("unbalanced braces: '}' without '{'")
            atom = self.atom()
            if atom is None:
                continue
            items.append(self.scripts(atom))
        self.depth -= 1
        return ("row", items)

    def argument(self) -> tuple:
        self.skip_ws()
        tok = self.peek()
        if tok is None:
            raise TexError("a command lacks its argument")
        if tok == ("chr", "{"):
            self.next()
            body = self.row(stop=(("chr", "}"),))
            if self.next() != ("chr", "}"):
                raise TexError("unbalanced braces: '{' without '}'")
            return body
        if tok[0] == "num" and len(tok[1]) > 1:
            # \frac14, x^23: a bare argument is one character, as in TeX.
            self.toks[self.i] = ("num", tok[1][1:])
            return ("num", tok[1][0])
        return self.atom() or ("row", [])

    def scripts(self, base) -> tuple:
        sub = sup = None
        primes = ""
        while True:
            self.skip_ws()
            tok = self.peek()
            if tok in (("cmd", "limits"), ("cmd", "nolimits")) and base[0] == "big":
                # \int\limits_0^1: where the limits go is the operator's business
                self.next()
                base = ("big", base[1], tok[1])
            elif tok == ("chr", "'"):
                self.next()
                primes += "′"
            elif tok == ("chr", "^") and sup is None:
                self.next()
                sup = self.argument()
            elif tok == ("chr", "_") and sub is None:
                self.next()
                sub = self.argument()
            else:
                break
        if primes:
            mark = ("op", primes)
            sup = mark if sup is None else ("row", [mark, sup])
        if sub is None and sup is None:
            return base
        return ("scripts", base, sub, sup)

    def delimiter(self) -> str:
        self.skip_ws()
        tok = self.next()
        if tok is None:
            raise TexError("\\left or \\right without a delimiter")
        if tok[0] == "cmd":
            return OPERATORS.get(tok[1], tok[1])
        return "" if tok[1] == "." else tok[1]

    def atom(self):
        tok = self.next()
        kind, value = tok
        if kind == "num":
            return ("num", value)
        if kind == "chr":
            if value == "{":
                body = self.row(stop=(("chr", "}"),))
                if self.next() != ("chr", "}"):
                    raise TexError("unbalanced braces: '{' without '}'")
                return body
            if value.isalpha():
                return ("id", value)
            if value == "~":
                return ("space", 0.25)
            if value in "&$":
                return None  # a column break outside a table; a stray dollar
            return ("op", value)
        return self.command(value)

    def command(self, name: str):
        if name in GREEK:
            return ("id", GREEK[name])
        if name in OPERATORS:
            return ("op", OPERATORS[name])
        if name in SPACES:
            return ("space", SPACES[name])
        if name in BIG:
            return ("big", BIG[name])
        if name in FUNCTIONS:
            return ("fn", name)
        if name in _IGNORED:
            if name in ("allowbreak",) and self.peek() == ("chr", "{"):
                self.raw_group()
            return None
        if name in ("frac", "tfrac", "dfrac", "cfrac"):
            return ("frac", self.argument(), self.argument())
        if name == "binom":
            return ("fence", "(", ("frac", self.argument(), self.argument(), "nobar"), ")")
        if name == "sqrt":
            index = self.optional_arg()
            body = self.argument()
            return ("sqrt", body) if index is None else ("root", body, index)
        if name in ACCENTS:
            return ("accent", ACCENTS[name], self.argument())
        if name in STYLES:
            return ("style", name, self.argument())
        if name == "left":
            open_ = self.delimiter()
            body = self.row(stop=(("cmd", "right"),))
            if self.next() != ("cmd", "right"):
                raise TexError("\\left without \\right")
            return ("fence", open_, body, self.delimiter())
        if name == "right":
            raise TexError("\\right without \\left")
        if name in _SIZED:
            return ("op", self.delimiter())
        if name in _TEXT_COMMANDS:
            return ("text", parse_text(self.raw_group()))
        if name in _TEXT_STYLES:
            tag = _TEXT_STYLES[name]
            return ("textstyle", tag, ("text", parse_text(self.raw_group(), tag == "code")))
        if name in ("boxed", "fbox"):
            return ("box", self.argument())
        if name == "fitto":
            self.raw_group()  # the width: the page's business, not the formula's
            return self.argument()
        if name == "mathrel":
            # \mathrel{+}= is one relation, +=, not a plus and an equals sign
            body = self.argument()
            op = body[1][0] if body[0] == "row" and len(body[1]) == 1 else body
            self.skip_ws()
            if op[0] == "op" and len(op[1]) == 1 and self.peek() == ("chr", "="):
                self.next()
                return ("op", op[1] + "=")
            return body
        if name in ("mathop", "mathbin", "mathord", "underline", "phantom",
                    "hphantom", "vphantom", "smash"):
            body = self.argument()
            return ("row", []) if name.endswith("phantom") else body
        if name in ("textcolor", "color"):
            self.raw_group()
            return self.argument() if name == "textcolor" else None
        if name in ("hyperref", "ref", "label", "eqref"):
            self.optional_arg()
            arg = self.raw_group()
            return ("text", parse_text(self.raw_group())) if name == "hyperref" else (
                None if name == "label" else ("text", [("str", arg)]))
        if name == "substack":
            return self.table_from(self.raw_group(), "", "")
        if name == "begin":
            env = self.raw_group()
            if env == "array" or env == "alignedat":
                self.raw_group()  # column spec
            if env not in _ENV_FENCES:
                UNKNOWN.add("\\begin{" + env + "}")
            body = self.env_body(env)
            open_, close = _ENV_FENCES.get(env, ("", ""))
            return self.table_from(body, open_, close, cases=(env == "cases"))
        if name == "end":
            raise TexError("\\end without \\begin")
        if name in ("\\", "cr"):
            return ("op", "")  # a line break outside a table: nothing to draw
        if name == "not":
            nxt = self.atom()
            return ("row", [nxt, ("op", "\u0338")]) if nxt else None
        if name == "mathstrut":
            return None
        UNKNOWN.add("\\" + name)
        return ("id", name)

    def env_body(self, env: str) -> str:
        """The raw source between ``\\begin{env}`` and its ``\\end{env}``."""
        depth, parts = 1, []
        while True:
            tok = self.next()
            if tok is None:
                raise TexError(f"\\begin{{{env}}} without \\end{{{env}}}")
            if tok == ("cmd", "begin"):
                inner = self.raw_group()
                depth += inner == env
                parts.append("\\begin{" + inner + "}")
                continue
            if tok == ("cmd", "end"):
                inner = self.raw_group()
                depth -= inner == env
                if depth == 0:
                    return "".join(parts)
                parts.append("\\end{" + inner + "}")
                continue
            parts.append("\\" + tok[1] + (" " if tok[1][-1:].isalpha() else "")
                         if tok[0] == "cmd" else tok[1])

    def table_from(self, body: str, open_: str, close: str, cases: bool = False):
        rows = []
        for line in _split_top(body, "\\\\"):
            if not line.strip():
                continue
            line = re.sub(r"^\s*\[[^\]]*\]", "", line)  # \\[0.3em]: spacing only
            cells = [parse_math(cell) for cell in _split_top(line, "&")]
            rows.append(cells)
        return ("table", rows, open_, close, "cases" if cases else "")


def _split_top(src: str, sep: str) -> list[str]:
    """Split ``src`` at ``sep`` outside braces and nested environments."""
    parts, depth, env, start, k = [], 0, 0, 0, 0
    while k < len(src):
        if src.startswith("\\begin", k):
            env += 1
        elif src.startswith("\\end", k):
            env -= 1
        if src[k] == "\\" and not src.startswith(sep, k):
            k += 2
            continue
        if src[k] == "{":
            depth += 1
        elif src[k] == "}":
            depth -= 1
        elif depth == 0 and env == 0 and src.startswith(sep, k):
            parts.append(src[start:k])
            k += len(sep)
            start = k
            continue
        k += 1
    parts.append(src[start:])
    return parts


def parse_math(src: str) -> tuple:
    """The tree of a math-mode formula (no ``$`` delimiters)."""
    p = _Parser(src)
    tree = p.row()
    return tree


_TEXT_SPECIALS = {"_": "_", "%": "%", "&": "&", "#": "#", "$": "$", "{": "{", "}": "}",
                  " ": " ", ",": "\u2009", ";": " ", "-": "", "/": "", "textbackslash": "\\",
                  "textasciitilde": "~", "textasciicircum": "^", "ldots": "…", "dots": "…",
                  "S": "§", "quad": "\u2003", "qquad": "\u2003\u2003", "\\": "\n",
                  "textendash": "–", "textemdash": "—", "LaTeX": "LaTeX", "TeX": "TeX",
                  "newline": "\n", "slash": "/"}


def parse_text(src: str, code: bool = False) -> list:
    """Text mode: ``[("str", text) | node, ...]``; ``$...$`` becomes a math row node.

    ``code``: typewriter text (``\\texttt``), where quotes and dashes stay as typed.
    """
    p = _Parser(src)
    out: list = []

    def add(text: str):
        if out and out[-1][0] == "str":
            out[-1] = ("str", out[-1][1] + text)
        else:
            out.append(("str", text))

    while (tok := p.next()) is not None:
        kind, value = tok
        if kind == "chr" and value == "$":
            start = p.i
            while p.peek() not in (None, ("chr", "$")):
                p.next()
            if p.next() is None:
                raise TexError("unbalanced $ in text")
            inner = "".join("\\" + t[1] + (" " if t[1][-1:].isalpha() else "") if t[0] == "cmd"
                            else t[1] for t in p.toks[start:p.i - 1])
            out.append(("math", parse_math(inner)))
        elif kind == "chr" and value in "{}":
            continue
        elif kind == "chr" and value == "~":
            add("\u00a0")
        elif code and kind == "chr" and value in "`'-":
            add(value)
        elif kind == "chr" and value in "`'":
            doubled = p.peek() == ("chr", value)
            if doubled:
                p.next()
            add(("“" if value == "`" else "”") if doubled else ("‘" if value == "`" else "’"))
        elif kind == "chr" and value == "-" and p.peek() == ("chr", "-"):
            p.next()
            if p.peek() == ("chr", "-"):
                p.next()
                add("—")
            else:
                add("–")
        elif kind == "cmd":
            if value.isalpha():
                p.skip_ws()  # TeX drops the spaces after a control word
            if value in _TEXT_SPECIALS:
                if value.isalpha() and p.peek() == ("chr", "{"):
                    p.raw_group()  # \textbackslash{}
                add(_TEXT_SPECIALS[value])
            elif value in _TEXT_STYLES:
                tag = _TEXT_STYLES[value]
                out.append(("textstyle", tag, ("text", parse_text(p.raw_group(), code or tag == "code"))))
            elif value in _TEXT_COMMANDS:
                out.extend(parse_text(p.raw_group()))
            elif value in ("textcolor", "color"):
                p.raw_group()
                if value == "textcolor":
                    out.extend(parse_text(p.raw_group()))
            elif value in ("hyperref", "ref", "label", "eqref", "cite"):
                target = p.optional_arg()
                arg = p.raw_group()
                if value == "hyperref":
                    out.append(("link", target or "", parse_text(p.raw_group())))
                elif value != "label":
                    out.append(("link", arg, [("str", "↗")]))
            elif value in _IGNORED:
                if p.peek() == ("chr", "{") and value == "allowbreak":
                    p.raw_group()
            elif value in ("paragraph", "subsection", "section", "subsection*", "section*",
                           "paragraph*"):
                out.append(("textstyle", "b", ("text", parse_text(p.raw_group()))))
                add(" ")
            elif value in GREEK or value in OPERATORS:
                add(GREEK.get(value) or OPERATORS[value])
            else:
                UNKNOWN.add("\\" + value)
                add(value)
        elif kind == "ws":
            add(" ")
        else:
            add(value)
    return out
