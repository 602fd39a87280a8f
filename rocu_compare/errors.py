"""Errors raised by rocu-compare."""

from __future__ import annotations

from dataclasses import dataclass


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with (or doubtful in) an input file or table.

    Attributes
    ----------
    file : str
        File name (CSV) or ``workbook.xlsx[sheet]``.
    row : int or None
        1-based row as a spreadsheet user sees it (the header is row 1); None for a
        problem with the whole file, table or a column.
    column : str or None
        Column name, where the problem is in one column.
    value : str or None
        The offending cell text, as read (never coerced).
    rule : str
        Short name of the rule broken (``type``, ``required``, ``enum``, ``foreign_key`` ...).
    message : str
        Plain-English explanation of what is wrong.
    severity : {"error", "warning"}
        An error rejects the data; a warning is reported but the data load
        (``rocu-compare validate --strict`` treats warnings as errors).
    fix : str or None
        How to fix it, where the library can tell (``did you mean 'nersou'?``).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    severity: str = "error"
    fix: str | None = None

    @property
    def place(self) -> str:
        """Where the problem is: ``file, row N, column 'c'`` (as much as is known)."""
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return where

    def __str__(self) -> str:
        val = "" if self.value is None else f" (value {self.value!r})"
        fix = "" if not self.fix else f"; fix: {_one_line(self.fix)}"
        return f"{self.place}: [{self.rule}] {_one_line(self.message)}{val}{fix}"


class RocuDataError(ValueError):
    """Raised when input data break the schema; carries every problem found.

    Attributes
    ----------
    problems : list of Problem
        All errors, in file, row, column order.
    source : str
        The folder, workbook or file that was read.
    warnings : list of Problem
        Plausibility and other warnings found alongside the errors (not errors themselves).
    """

    def __init__(self, problems: list[Problem], source: str = "input", warnings: list[Problem] | None = None):
        self.problems = list(problems)
        self.source = source
        self.warnings = list(warnings or [])
        n = len(self.problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  ... and {n - 50} more" if n > 50 else ""
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in {source}:\n{shown}{more}")


class NotApplicable(Exception):
    """An analysis that does not apply to the data in hand (e.g. a what-if that needs every force
    in a unit). A notebook raising it stops there with the reason shown, and the report lists it as
    not run on this data rather than failed."""
