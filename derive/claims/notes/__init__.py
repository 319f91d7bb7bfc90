"""Every formula and code fragment of the five notes, transcribed as a claim.

One module per note (``n000`` ... ``n004``), each with ``CLAIMS``, in the note's order.
Note 000 is a text-only copy of note 001 (the formulas were lost in the copy): it has
one claim saying so, checked; its formulas are checked once, under note 001.
Notes 003's formulas were images and are lost too; its code is transcribed and run.
"""

from __future__ import annotations

from ..record import Claim
from . import n000, n001, n002, n003, n004

__all__ = ["CLAIMS", "NOTES", "by_id"]

NOTES = {
    "000": "The Basic Formulas in Neural Networks (text-only copy of note 001)",
    "001": "The Basic Formulas in Neural Networks (resema)",
    "002": "Note for Neural Networks (2)",
    "003": "Overview of Steps for Neural Networks",
    "004": "maths.md (notation, backpropagation, optimizers)",
}

CLAIMS: tuple[Claim, ...] = (*n000.CLAIMS, *n001.CLAIMS, *n002.CLAIMS, *n003.CLAIMS,
                             *n004.CLAIMS)


def by_id(claim_id: str) -> Claim:
    """The claim with id ``claim_id`` (e.g. ``"N1-08"``)."""
    for c in CLAIMS:
        if c.id == claim_id:
            return c
    raise KeyError(f"no claim {claim_id!r}")
