"""Note 000: a text-only copy of note 001, its formulas lost. One claim says so, checked.

The check: each excerpt of note 000 below is the matching excerpt of note 001 with its
formulas (``$$...$$``) and Markdown removed. Its formulas are audited once, as note 001.
"""

from __future__ import annotations

import re

from ..builders import numeric
from ._make import claim

__all__ = ["CLAIMS", "PAIRS"]

# (note 000 as it is, note 001 as it is) for passages that carry formulas in note 001.
PAIRS = (
    ("Suppose you have already calculated the derivative , then you want to get , and .",
     "Suppose you have already calculated the derivative $$dZ{[l]} = \\frac{\\partial{"
     "\\mathcal{L}}}{\\partial{Z^{[l]}}} $$, then you want to get $$dW^{[l]}$$, "
     "$$db^{[l]}$$ and $$dA^{[l-1]}$$."),
    ("Xavier initialization uses the factor instead of 0.01. And He et al. proposed the "
     "slightly adapted factor .",
     "Xavier initialization uses the factor $$\\sqrt{\\frac{1}{n_x}}$$ instead of 0.01. And "
     "He et al. proposed the slightly adapted factor $$\\sqrt{\\frac{2}{n_x}}$$."),
    ("For each node we have to add teh regularization term’s gradient .",
     "For each node we have to add teh regularization term's gradient $$(\\frac{d}{dW}"
     "(\\frac{1}{2}\\frac{\\lambda}{m}W^2) = \\frac{\\lambda}{m}W$$."),
    ("Multiply the derivative with the corresponding droupout matrix cached in the forward "
     "propagation.",
     "Multiply the derivative $$dA^{[i]}$$ with the corresponding droupout matrix cached "
     "in the forward propagation."),
)


def _strip(text: str) -> str:
    text = re.sub(r"\$\$.*?\$\$", "", text).replace("’", "'")
    return re.sub(r"\s+", " ", re.sub(r"\s+([,.])", r"\1", text)).strip()


def _is_copy():
    bad = [a for a, b in PAIRS if _strip(a) != _strip(b)]
    return not bad, (f"{len(PAIRS)} passages of note 000 equal note 001's without formulas"
                     if not bad else f"differs: {bad[0]!r}")


CLAIMS = (
    claim("N0-01", "(whole note)", r"\text{note 000} = \text{note 001 without its formulas}",
          numeric(_is_copy, "text comparison"), kind="text",
          why=r"Note 000 is a text-only copy of note 001: every formula slot is empty. Its "
              r"formulas are checked once, as claims N1-01 to N1-51.",
          source="Suppose you have already calculated the derivative , then you want to get"),
)
