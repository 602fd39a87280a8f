"""One reading of an analysis date, shared by every public function that takes one.

An analysis date ("as at", "on", "inspection date") must say which day it means. The
accepted forms are an ISO ``YYYY-MM-DD`` string, a :class:`datetime.date` (or
``datetime``) and a :class:`pandas.Timestamp`. Anything else is refused with an error
that shows the accepted forms, because each of the easy alternatives is silently
misread elsewhere: an int ``2015`` becomes 1970-01-01 plus 2015 nanoseconds, ``None``
becomes ``NaT``, and ``"05/12/2016"`` becomes 12 May.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

__all__ = ["ACCEPTED_FORMS", "parse_date", "tolerance_offset"]

ACCEPTED_FORMS = "an ISO date string 'YYYY-MM-DD' (e.g. '2015-06-30'), a datetime.date, or a pandas.Timestamp"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value, what: str = "date") -> pd.Timestamp:
    """Read an analysis date, refusing forms that would be misread.

    Parameters
    ----------
    value : str, datetime.date or pandas.Timestamp
        ``"YYYY-MM-DD"`` (exactly), a date or datetime, or a Timestamp (not ``NaT``).
    what : str, default "date"
        Name of the argument, used in the error message.

    Returns
    -------
    pandas.Timestamp
        Midnight of that day.

    Raises
    ------
    TypeError
        For an int, float, ``None`` or any other type.
    ValueError
        For a string not in ``YYYY-MM-DD`` form, an impossible day, or ``NaT``.

    Examples
    --------
    >>> parse_date("2015-06-30")
    Timestamp('2015-06-30 00:00:00')
    >>> parse_date(2015)
    Traceback (most recent call last):
    ...
    TypeError: date must be an ISO date string 'YYYY-MM-DD' (e.g. '2015-06-30'), a datetime.date, or a pandas.Timestamp; got int 2015
    """
    if value is pd.NaT or isinstance(value, pd.Timestamp):
        if value is pd.NaT or pd.isna(value):
            raise ValueError(f"{what} must be {ACCEPTED_FORMS}; got NaT")
        return value.tz_localize(None).normalize() if value.tzinfo else value.normalize()
    if isinstance(value, dt.date):  # also datetime.datetime
        return pd.Timestamp(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        if not _ISO.fullmatch(text):
            raise ValueError(f"{what} must be {ACCEPTED_FORMS}; got {value!r}")
        try:
            return pd.Timestamp(dt.date.fromisoformat(text))
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a day of the calendar; expected {ACCEPTED_FORMS}") from None
    shown = "None" if value is None else f"{type(value).__name__} {value!r}"
    raise TypeError(f"{what} must be {ACCEPTED_FORMS}; got {shown}")


def tolerance_offset(years) -> pd.DateOffset:
    """How far from the analysis date a series may be and still be used.

    Parameters
    ----------
    years : int
        Whole years (>= 0).

    Returns
    -------
    pandas.DateOffset

    Raises
    ------
    ValueError
        If ``years`` is not a non-negative whole number.
    """
    if isinstance(years, bool) or not isinstance(years, int) or years < 0:
        raise ValueError(f"tolerance_years must be a whole number of years >= 0, got {years!r}")
    return pd.DateOffset(years=years)
