"""The report's LaTeX as MathML (the web page) and as Unicode text (the terminal).

Both read the tree of :mod:`derive.texmath`. MathML here is *presentation* MathML in
the subset browsers draw natively (MathML Core: Chromium, Firefox, Safari), with no
script or font to fetch. The terminal form is one line of Unicode: ``∂J/∂W^[l]``,
``σ(z)(1 - σ(z))``, ``(1/m) ∑_(i=1)^m L``.
"""

from __future__ import annotations

from html import escape

from .texmath import parse_math, parse_text

__all__ = ["math_html", "text_html", "math_plain", "text_plain"]

# ---------------------------------------------------------------- letters in a style

_BOLD = {**{chr(ord("A") + k): chr(0x1D400 + k) for k in range(26)},
         **{chr(ord("a") + k): chr(0x1D41A + k) for k in range(26)},
         **{chr(ord("0") + k): chr(0x1D7CE + k) for k in range(10)}}
_SCRIPT_HOLES = {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ",
                 "R": "ℛ", "e": "ℯ", "g": "ℊ", "o": "ℴ"}
_SCRIPT = {**{chr(ord("A") + k): _SCRIPT_HOLES.get(chr(ord("A") + k), chr(0x1D49C + k))
              for k in range(26)},
           **{chr(ord("a") + k): _SCRIPT_HOLES.get(chr(ord("a") + k), chr(0x1D4B6 + k))
              for k in range(26)}}
_DOUBLE_HOLES = {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}
_DOUBLE = {**{chr(ord("A") + k): _DOUBLE_HOLES.get(chr(ord("A") + k), chr(0x1D538 + k))
              for k in range(26)},
           **{chr(ord("0") + k): chr(0x1D7D8 + k) for k in range(10)}}
_STYLE_LETTERS = {"mathbf": _BOLD, "boldsymbol": _BOLD, "bm": _BOLD, "mathcal": _SCRIPT,
                  "mathscr": _SCRIPT, "mathbb": _DOUBLE}

# Spacing forms of the accents (the tree holds combining marks).
_ACCENT_MARKS = {"\u0302": "^", "\u0303": "~", "\u0304": "¯", "\u0305": "¯", "\u20d7": "→",
                 "\u0307": "˙", "\u0308": "¨"}

_RELATIONS = set("=<>≤≥≠≈≡∼∝≫≪→←⇒⇔↦∈∉∋⊂⊆:")
_BINARY = set("+-±∓×·⊙⊗∘∩∪∖∗⋆∧∨")
_OPEN = set("([{⟨⌊⌈")


def _flat_text(node) -> str | None:
    """The characters of a node made of identifiers and numbers only, else ``None``."""
    kind = node[0]
    if kind in ("id", "num"):
        return node[1]
    if kind == "row":
        parts = [_flat_text(n) for n in node[1]]
        return None if any(p is None for p in parts) else "".join(parts)
    return None


def _styled(command: str, body) -> str | None:
    letters = _STYLE_LETTERS.get(command)
    text = _flat_text(body)
    if letters is None or text is None:
        return None
    return "".join(letters.get(ch, ch) for ch in text)


# ---------------------------------------------------------------- MathML

def _is_function(node) -> bool:
    """log, tanh, max, ... (or one with a script, tanh^2, max_i): a thin space either side."""
    if node[0] == "scripts":
        node = node[1]
    return (node[0] == "fn" or (node[0] == "big" and len(node[1]) > 1)
            or node[:2] == ("style", "operatorname"))


def _closes(node) -> bool:
    """Whether a thin space goes between ``node`` and a function after it (y log a, (x) log a),
    as TeX spaces an operator after an ordinary atom or a closing bracket."""
    if node[0] == "op":
        return node[1] in ")]}⟩⌋⌉"
    return node[0] not in ("space", "text")


def _opens(node) -> bool:
    """Whether ``node`` starts with a bracket: tanh(z), and SymPy's \\tanh{\\left(z\\right)},
    take no space after the function's name."""
    while node[0] in ("row", "scripts") and (node[0] == "scripts" or node[1]):
        node = node[1] if node[0] == "scripts" else node[1][0]
    return node[0] == "fence" or (node[0] == "op" and node[1] in _OPEN)


def _mo(text: str, **attrs) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<mo{extra}>{escape(text)}</mo>"


# Characters that the page draws with no space either side: brackets and bars hug what
# they enclose, a slash is ordinary (1/m), a prime sits on its letter (TeX spaces all as
# ordinary atoms; the browser's operator dictionary would space some like binary operators).
_TIGHT = set("()[]{}|‖⟨⟩⌊⌋⌈⌉/′″‴")
_HUG = {"lspace": "0", "rspace": "0"}

# Large operators whose limits go to the side unless the source says \limits (TeX's rule).
_SIDE_LIMITS = set("∫∬∭∮")

# A superscript that ends in a transposed bracket, W^{[l]^T}, means W^{[l]T}: one row.
_TRANSPOSE = ("T", "⊤")


def _tall(node) -> bool:
    """Whether a node reaches well above or below a letter (a fraction, a sum with limits, a
    matrix, a root): only then does a \\left( ... \\right) bracket grow, as TeX's does."""
    kind = node[0]
    if kind in ("frac", "table", "sqrt", "root"):
        return True
    if kind == "scripts":
        return node[1][0] == "big" or _tall(node[1])
    if kind == "row":
        return any(_tall(n) for n in node[1])
    if kind in ("fence", "accent"):
        return _tall(node[2])
    if kind in ("box", "math"):
        return _tall(node[1])
    if kind == "style":
        return _tall(node[2])
    return False


def _is_prime(node) -> bool:
    return node[0] == "op" and bool(node[1]) and set(node[1]) <= set("′″‴")


def _split_primes(sup):
    """``(primes, rest)`` of a superscript that starts with primes: g'^{[l]} is g′ with the
    superscript [l], f^{\\prime\\prime} is f″ with none (``rest`` is then ``None``)."""
    if sup is None:
        return "", None
    if _is_prime(sup):
        return sup[1], None
    if sup[0] != "row":
        return "", sup
    items = list(sup[1])
    primes = ""
    while items and _is_prime(items[0]):
        primes += items.pop(0)[1]
    if not primes:
        return "", sup
    rest = None if not items else items[0] if len(items) == 1 else ("row", items)
    return primes, rest


def _flat_transpose(sup):
    """``[l]^T`` inside a superscript as the one row ``[l]T``; anything else unchanged."""
    if sup[0] != "row" or not sup[1]:
        return sup
    last = sup[1][-1]
    if (last[0] == "scripts" and last[2] is None and last[1][0] == "op"
            and last[1][1] in ")]" and _flat_text(last[3]) in _TRANSPOSE):
        return ("row", sup[1][:-1] + [last[1], last[3]])
    return sup


def _ml(node) -> str:
    kind = node[0]
    if kind == "row":
        items = node[1]
        pieces = []
        for k, n in enumerate(items):
            prev = items[k - 1] if k > 0 else None
            if _is_function(n) and prev is not None and _closes(prev):
                pieces.append('<mspace width="0.17em"/>')  # y log a, as TeX spaces it
            if n[0] == "op" and n[1] in ("-", "+", "±", "∓") and (
                    prev is None or (prev[0] == "op" and (
                        prev[1] in _RELATIONS | _BINARY | _OPEN | {",", ";"}
                        or prev[1][1:] == "="))):
                # a sign (−y, (−c, c), = −x), not a binary operator: no space after it
                pieces.append(_mo("\u2212" if n[1] == "-" else n[1], form="prefix", **_HUG))
            else:
                pieces.append(_ml(n))
            nxt = items[k + 1] if k + 1 < len(items) else None
            if _is_function(n) and nxt is not None and not _opens(nxt):
                pieces.append('<mspace width="0.17em"/>')  # log a, as TeX spaces it
        inner = "".join(pieces)
        return inner if len(pieces) == 1 else f"<mrow>{inner}</mrow>"
    if kind == "id":
        return f"<mi>{escape(node[1])}</mi>"
    if kind == "num":
        return f"<mn>{escape(node[1])}</mn>"
    if kind == "op":
        if not node[1]:
            return ""
        # Brackets written without \left/\right keep their size, as in TeX.
        if node[1] in "()[]{}|‖":
            return _mo(node[1], stretchy="false", **_HUG)
        if node[1] in _TIGHT:
            return _mo(node[1], **_HUG)
        return _mo("\u2212" if node[1] == "-" else node[1])  # a minus sign, not a hyphen
    if kind == "fn":
        return f"<mi>{node[1]}</mi>"
    if kind == "big":
        symbol = node[1]
        movable = "false" if node[2:] == ("limits",) else "true"
        return (_mo(symbol, largeop="true", movablelimits=movable) if len(symbol) == 1
                else _mo(symbol, movablelimits=movable, **_HUG))
    if kind == "frac":
        bar = ' linethickness="0"' if len(node) > 3 else ""
        return f"<mfrac{bar}>{_ml(node[1])}{_ml(node[2])}</mfrac>"
    if kind == "sqrt":
        return f"<msqrt>{_ml(node[1])}</msqrt>"
    if kind == "root":
        return f"<mroot>{_ml(node[1])}<mn>{escape(node[2])}</mn></mroot>"
    if kind == "scripts":
        base, sub, sup = node[1], node[2], node[3]
        under = base[0] == "big" and (node[1][2:] == ("limits",) if base[1] in _SIDE_LIMITS
                                      else node[1][2:] != ("nolimits",))
        b = _ml(base)
        primes, sup = _split_primes(sup)
        if primes:  # σ′, g′: a prime at the letter's size, as the fonts draw U+2032
            b = f"<mrow>{b}{_mo(primes, **_HUG)}</mrow>"
            if sub is None and sup is None:
                return b
        if sup is not None:
            sup = _flat_transpose(sup)
        if sub is None and sup is not None and sup[0] == "row" and len(sup[1]) > 1 and (
                _is_prime(sup[1][-1]) and not under):
            # g^{[l]\\prime}: the prime after the superscript, at the letter's size (a
            # superscript's own U+2032 is a speck)
            return (f"<mrow><msup>{b}{_ml(('row', sup[1][:-1]))}</msup>"
                    f"{_mo(sup[1][-1][1], **_HUG)}</mrow>")
        if sub is not None and sup is not None:
            tag = "munderover" if under else "msubsup"
            return f"<{tag}>{b}{_ml(sub)}{_ml(sup)}</{tag}>"
        if sub is not None:
            tag = "munder" if under else "msub"
            return f"<{tag}>{b}{_ml(sub)}</{tag}>"
        tag = "mover" if under else "msup"
        return f"<{tag}>{b}{_ml(sup)}</{tag}>"
    if kind == "accent":
        mark = _ACCENT_MARKS.get(node[1], node[1])
        # The fonts' → is an arrow as wide as an equals sign; over a letter TeX's \\vec is a
        # short one: draw the arrow smaller (the combining U+20D7 lands beside the letter).
        size = {"mathsize": "70%"} if mark == "→" else {}
        return f'<mover accent="true">{_ml(node[2])}{_mo(mark, stretchy="false", **size)}</mover>'
    if kind == "style":
        styled = _styled(node[1], node[2])
        if styled is not None:
            return f"<mi>{escape(styled)}</mi>"
        if node[1] in ("mathrm", "operatorname", "mathsf") and _flat_text(node[2]) is not None:
            return f'<mi mathvariant="normal">{escape(_flat_text(node[2]))}</mi>'
        if node[1] == "operatorname" and node[2][0] == "row" and all(
                n[0] == "space" or n == ("op", "_") or _flat_text(n) is not None
                for n in node[2][1]):
            # \\operatorname{arg\\,min}: one upright name, its spaces thin ones;
            # \\operatorname{log\\_cosh}: a user's name with its underscore
            name = "".join("\u2009" if n[0] == "space" else "_" if n == ("op", "_")
                           else _flat_text(n) for n in node[2][1])
            return f'<mi mathvariant="normal">{escape(name)}</mi>'
        return _ml(node[2])
    if kind == "text":
        return _ml_text(node[1])
    if kind == "math":
        return _ml(node[1])
    if kind == "textstyle":
        return _ml_text(node[2][1], _TEXT_CLASSES.get(node[1]))
    if kind == "link":
        return _ml_text(node[2])
    if kind == "fence":
        # A stretchy bracket around a letter is drawn a size up and apart from it (Chromium):
        # grow only around a tall body, and hug the body either way.
        stretchy = "true" if _tall(node[2]) else "false"
        left = (_mo(node[1], fence="true", stretchy=stretchy, form="prefix", **_HUG)
                if node[1] else "")
        right = (_mo(node[3], fence="true", stretchy=stretchy, form="postfix", **_HUG)
                 if node[3] else "")
        return f"<mrow>{left}{_ml(node[2])}{right}</mrow>"
    if kind == "table":
        rows, open_, close, style = node[1], node[2], node[3], node[4]
        align = ' columnalign="left left"' if style == "cases" else ""
        body = "".join("<mtr>" + "".join(f"<mtd>{_ml(c)}</mtd>" for c in row) + "</mtr>"
                       for row in rows)
        table = f"<mtable{align}>{body}</mtable>"
        if open_ or close:
            return _ml(("fence", open_, ("raw", table), close))
        return table
    if kind == "raw":
        return node[1]
    if kind == "box":
        return f'<mrow class="boxed">{_ml(node[1])}</mrow>'
    if kind == "space":
        return f'<mspace width="{node[1]}em"/>'
    raise ValueError(f"unknown node {kind!r}")  # pragma: no cover - a parser bug


# Text styles inside a formula: a class the page's style sheet sets (typewriter, ...).
_TEXT_CLASSES = {"code": "tt", "em": "it", "i": "it", "b": "bf"}


def _mtext(text: str, css: str | None) -> str:
    # MathML trims the spaces at both ends of a token ("range for xrange" would lose
    # them): keep them as no-break spaces.
    stripped = text.strip(" ")
    text = "\u00a0" * (len(text) - len(text.lstrip(" "))) + stripped + (
        "\u00a0" * (len(text) - len(text.rstrip(" "))) if stripped else "")
    cls = f' class="{css}"' if css else ""
    return f"<mtext{cls}>{escape(text)}</mtext>"


def _ml_text(parts, css: str | None = None) -> str:
    out = []
    for part in parts:
        if part[0] == "str":
            out.append(_mtext(part[1], css))
        elif part[0] == "textstyle":
            out.append(_ml_text(part[2][1], _TEXT_CLASSES.get(part[1], css)))
        else:
            out.append(_ml(part))
    return out[0] if len(out) == 1 else "<mrow>" + "".join(out) + "</mrow>"


def math_html(tex: str, display: bool = False) -> str:
    """``<math>`` element of a LaTeX math-mode formula."""
    mode = ' display="block"' if display else ""
    return f"<math{mode}>{_ml(parse_math(tex))}</math>"


def _parts_html(parts) -> str:
    out = []
    for part in parts:
        kind = part[0]
        if kind == "str":
            out.append(escape(part[1]).replace("\n", "<br>"))
        elif kind == "math":
            out.append(f"<math>{_ml(part[1])}</math>")
        elif kind == "textstyle":
            out.append(f"<{part[1]}>{_parts_html(part[2][1])}</{part[1]}>")
        elif kind == "link":
            target = part[1].replace(":", "-")
            out.append(f'<a href="#{escape(target)}">{_parts_html(part[2])}</a>')
        else:
            out.append(_ml(part))
    return "".join(out)


def text_html(tex: str) -> str:
    """HTML of LaTeX text with inline math (``$...$`` as MathML)."""
    return _parts_html(parse_text(tex))


# ---------------------------------------------------------------- Unicode text

_SUPERSCRIPTS = dict(zip("0123456789+-=()niT′", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ′"))
_SUBSCRIPTS = dict(zip("0123456789+-=()aeijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))


def _script(text: str, table: dict, mark: str) -> str:
    if text and all(ch in table for ch in text):
        return "".join(table[ch] for ch in text)
    simple = len(text) == 1 or (text[:1] in "([" and text[-1:] in ")]"
                                and text.count(text[0]) == 1)
    return mark + (text if simple else "(" + text + ")")


def _compound(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and ch in " +-":
            return True
    return False


# Juxtaposed factors get a space after a closed-off one (W^[l] X, (1/m) dZ) and before
# one that opens (y log a, ... ∑ ...); a name and its script stay together (dW^[l]).
_SPACED_AFTER = {"frac", "scripts", "big", "fence", "table", "sqrt"}
_SPACED_BEFORE = {"frac", "fn", "big", "table", "sqrt"}


def _factor(node) -> bool:
    if node is not None and node[0] == "scripts":
        node = node[1]  # (h)^T: the bracket with its script is still a bracket
    return node is not None and node[0] not in ("op", "space")


def _pl(node) -> str:
    kind = node[0]
    if kind == "row":
        items = [n for n in node[1] if not (n[0] == "op" and not n[1])]
        out, prev = "", None
        for k, n in enumerate(items):
            piece = _pl(n)
            nxt = items[k + 1] if k + 1 < len(items) else None
            if n[0] == "op" and (n[1] in _RELATIONS | _BINARY or n[1][1:] == "="):
                unary = n[1] in "+-" and (prev is None or (prev[0] == "op" and prev[1] not in ")]}|‖"))
                out = out if unary else out.rstrip() + " "
                out += piece + ("" if unary else " ")
            elif n[0] == "op" and n[1] == ",":
                out += ", "
            else:
                if n[0] == "frac" and (_factor(prev) or _factor(nxt)) and "/" in piece:
                    piece = f"({piece})"  # (1/m) dZ, not 1/m dZ
                if _factor(prev) and _factor(n) and (prev[0] in _SPACED_AFTER
                                                     or n[0] in _SPACED_BEFORE):
                    out = out.rstrip() + " "
                out += piece
            prev = n
        return out.strip()
    if kind in ("id", "num"):
        return node[1]
    if kind == "op":
        return node[1]
    if kind == "fn":
        return node[1] + " "
    if kind == "big":
        return node[1]
    if kind == "frac":
        num, den = _pl(node[1]), _pl(node[2])
        if len(node) > 3:
            return f"C({num}, {den})"
        num = f"({num})" if _compound(num) else num
        den = f"({den})" if _compound(den) or "/" in den else den
        return f"{num}/{den}"
    if kind == "sqrt":
        body = _pl(node[1])
        return "√" + (f"({body})" if len(body) > 1 else body)
    if kind == "root":
        return f"{node[2]}√({_pl(node[1])})"
    if kind == "scripts":
        base, sub, sup = node[1], node[2], node[3]
        text = _pl(base)
        if base[0] in ("frac", "scripts") or (base[0] == "row" and len(base[1]) > 1):
            text = f"({text})"
        if sub is not None:
            text += _script(_pl(sub).replace(" ", ""), _SUBSCRIPTS, "_")
        if sup is not None:
            sup_text = _pl(sup).replace(" ", "")
            primes = len(sup_text) - len(sup_text.lstrip("′"))
            if primes and sub is None:  # g′^[l]: the primes first, as a reader says it
                text, sup_text = text + sup_text[:primes], sup_text[primes:]
            if sup_text:
                text += _script(sup_text, _SUPERSCRIPTS, "^")
        return text + (" " if base[0] == "big" else "")
    if kind == "accent":
        body = _pl(node[2])
        return body + node[1] if len(body) == 1 else f"{body}{_ACCENT_MARKS.get(node[1], '')}"
    if kind == "style":
        styled = _styled(node[1], node[2])
        return styled if styled is not None else _pl(node[2])
    if kind == "text":
        return "".join(p[1] if p[0] == "str" else _pl(p) for p in node[1])
    if kind == "math":
        return _pl(node[1])
    if kind == "textstyle":
        return _pl(node[2])
    if kind == "link":
        return _pl(("text", node[2]))
    if kind == "fence":
        return node[1] + _pl(node[2]) + node[3]
    if kind == "table":
        rows, open_, close, style = node[1], node[2], node[3], node[4]
        if style == "cases":
            body = "; ".join(" ".join(_pl(c) for c in row) for row in rows)
            return "{ " + body + " }"
        body = "; ".join(", ".join(_pl(c) for c in row) for row in rows)
        return (open_ or "[") + body + (close or "]")
    if kind == "box":
        return _pl(node[1])
    if kind == "space":
        return " " if node[1] >= 0.25 else ""
    raise ValueError(f"unknown node {kind!r}")  # pragma: no cover - a parser bug


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def math_plain(tex: str) -> str:
    """One line of Unicode text for a LaTeX math-mode formula."""
    return _squeeze(_pl(parse_math(tex)))


def text_plain(tex: str) -> str:
    """One line of Unicode text for LaTeX text with inline math."""
    return _squeeze("".join(p[1] if p[0] == "str" else _pl(p) for p in parse_text(tex)))
