"""Errors raised by rocu-compare."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input table.

    Attributes
    ----------
    file : str
        File name (CSV) or ``workbook.xlsx[sheet]``.
    row : int or None
        1-based row as a spreadsheet user sees it (the header is row 1); None for a
        problem with the whole table or a column.
    column : str or None
        Column name, where the problem is in one column.
    value : str or None
        The offending cell text, as read (never coerced).
    rule : str
        Short name of the rule broken (``type``, ``required``, ``enum``, ``foreign_key`` ...).
    message : str
        Plain-English explanation.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        val = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: [{self.rule}] {self.message}{val}"


class RocuDataError(ValueError):
    """Raised when input data break the schema; carries every problem found.

    Attributes
    ----------
    problems : list of Problem
        All problems, in file, row, column order.
    """

    def __init__(self, problems: list[Problem], source: str = "input"):
        self.problems = list(problems)
        self.source = source
        n = len(self.problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  ... and {n - 50} more" if n > 50 else ""
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in {source}:\n{shown}{more}")
