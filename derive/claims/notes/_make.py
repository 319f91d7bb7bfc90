"""``claim(...)``: a :class:`Claim` whose note number comes from its id (``N1-..`` -> 001)."""

from __future__ import annotations

from ..record import Claim

__all__ = ["claim"]


def claim(id: str, section: str, written: str, check, **fields) -> Claim:
    return Claim(id=id, note=f"00{id[1]}", section=section, written=written, check=check,
                 **fields)
