"""The registry's LaTeX prose as plain text, for a terminal or a notebook.

A derivation's title, source and summary are written once, in LaTeX, for the report.
``plain_text`` reads that LaTeX back as Unicode text: ``note 002 ($f' = f(1 - f)$)``
becomes ``note 002 (f' = f(1 - f))``, ``$\\frac{\\lambda}{m} W$`` becomes ``λ/m W``,
``\\texttt{np.sum(dZ)}`` becomes ``np.sum(dZ)``. It covers the commands that the
registry's prose uses (tests/unit/test_plain_text.py checks every entry); an unknown
command keeps its name without the backslash, so nothing is lost.
"""

from __future__ import annotations

import re

__all__ = ["plain_text"]

_SYMBOLS = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ",
    "Lambda": "Λ", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # operators and relations
    "partial": "∂", "nabla": "∇", "sum": "Σ", "prod": "Π", "odot": "⊙", "cdot": "·",
    "times": "×", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠",
    "approx": "≈", "equiv": "≡", "gg": "≫", "ll": "≪", "to": "→", "infty": "∞", "in": "∈",
    "dots": "…", "ldots": "…", "cdots": "⋯", "prime": "′", "pm": "±",
    # named functions: their names
    "log": "log", "ln": "ln", "exp": "exp", "max": "max", "min": "min", "tanh": "tanh",
    "cosh": "cosh", "sinh": "sinh", "sin": "sin", "cos": "cos", "tan": "tan",
    # sizing and spacing: nothing, or a space
    "left": "", "right": "", "quad": " ", "qquad": " ",
}
# Commands whose one argument is kept as it is (fonts, names, text).
_KEEP_ARGUMENT = {"texttt", "textit", "textbf", "emph", "text", "mathrm", "mathit", "mathbf",
                  "mathsf", "mathcal", "mathbb", "operatorname", "mathrel", "boldsymbol"}
# Accents: the argument, then a combining mark.
_ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303",
            "bar": "\u0304", "overline": "\u0304", "vec": "\u20d7", "dot": "\u0307"}
_FRACTIONS = {"frac", "tfrac", "dfrac"}
# One-character commands: escaped specials and spacing.
_CHARACTER = {",": " ", ";": " ", ":": " ", "!": "", " ": " ", "\\": " ",
              "_": "_", "%": "%", "&": "&", "#": "#", "$": "$", "{": "{", "}": "}"}
_OPERATORS = re.compile(r"[\s+\-*/=<>,]")
# A command's name (a space after it stays in the text) or one escaped character.
_COMMAND = re.compile(r"\\([A-Za-z]+)|\\(.)", re.S)


def _group(text: str) -> str:
    """Parentheses around a fraction's part or an exponent that is more than one term."""
    text = text.strip()
    if re.fullmatch(r"\[[^\]]*\]", text):  # a layer index, [l-1], is one term
        return text
    return f"({text})" if _OPERATORS.search(text) else text


class _Reader:
    def __init__(self, latex: str):
        self.s, self.i = latex, 0

    def until(self, closing: str | None) -> str:
        """Plain text up to ``closing`` (a ``}``) or the end; consumes the closing brace."""
        out = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if closing is not None and ch == closing:
                self.i += 1
                break
            if ch == "\\":
                out.append(self.command())
            elif ch == "{":
                self.i += 1
                out.append(self.until("}"))
            elif ch == "$":
                self.i += 1  # math shift: the math reads as text
            elif ch in "^_":
                self.i += 1
                out.append(ch + _group(self.argument()) if self.peek_group() else ch)
            else:
                out.append(ch)
                self.i += 1
        return "".join(out)

    def peek_group(self) -> bool:
        return self.i < len(self.s) and self.s[self.i] == "{"

    def argument(self) -> str:
        """One argument: a {group}, a command, or one character (spaces before it skipped)."""
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1
        if self.i >= len(self.s):
            return ""
        ch = self.s[self.i]
        if ch == "{":
            self.i += 1
            return self.until("}")
        if ch == "\\":
            return self.command()
        self.i += 1
        return ch

    def command(self) -> str:
        match = _COMMAND.match(self.s, self.i)
        if match is None:  # a lone backslash at the end
            self.i += 1
            return ""
        self.i = match.end()
        name, char = match.group(1), match.group(2)
        if char is not None:
            return _CHARACTER.get(char, char)
        if name in _FRACTIONS:
            numerator, denominator = self.argument(), self.argument()
            return f"{_group(numerator)}/{_group(denominator)}"
        if name == "sqrt":
            return "√" + _group(self.argument())
        if name in _KEEP_ARGUMENT:
            return self.argument()
        if name in _ACCENTS:
            return self.argument() + _ACCENTS[name]
        return _SYMBOLS.get(name, name)


def plain_text(latex: str) -> str:
    """``latex`` (prose with ``$...$`` math, as in the registry) as plain Unicode text."""
    return re.sub(r"  +", " ", _Reader(latex).until(None)).strip()
