"""Claims: the formulas of the course notes as written, each checked and given a verdict.

A :class:`~derive.claims.record.Claim` is a formula as someone wrote it, where it comes
from (note and section), and what it is compared with. :func:`~derive.claims.check.judge`
gives it a :class:`~derive.claims.record.Verdict`. :mod:`derive.claims.notes` transcribes
every formula and code fragment of the five notes; :mod:`derive.claims.audit` prints the
table and builds the errata for the report. :mod:`derive.claims.parse` turns a user's
string into SymPy without ``eval``; :func:`~derive.claims.check.check_identity` checks it.
"""

from .record import Claim, Counterexample, ErrataRow, Evidence, Outcome, Verdict

__all__ = ["Claim", "Counterexample", "ErrataRow", "Evidence", "Outcome", "Verdict"]
