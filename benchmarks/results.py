"""What a benchmark hands to the report: tables, notes, and the raw numbers for targets."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Table", "Section"]


@dataclass
class Table:
    """A markdown table: a caption, a header row, rows of already formatted cells."""

    caption: str
    header: list
    rows: list = field(default_factory=list)


@dataclass
class Section:
    """One benchmark's part of the report.

    ``data`` keeps the raw measurements (seconds, bytes, ratios) that the targets table
    and the plot read, so they never parse formatted text.
    """

    title: str
    intro: str = ""
    tables: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    data: dict = field(default_factory=dict)
