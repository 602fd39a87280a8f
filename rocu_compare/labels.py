"""Display names of the ROCUs, for charts, tables and prose.

The data identify a ROCU by a short lower-case id (``nersou``); readers know the
units by their usual acronym or name (``NERSOU``, ``Tarian``). Charts use these
names by default; pass ``labels=`` to a chart to use others.

Examples
--------
>>> from rocu_compare import labels
>>> labels.rocu_label("tarian")
'Tarian'
>>> labels.rocu_label("not-a-rocu")      # an unknown id is shown as it is
'not-a-rocu'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["ROCU_LABELS", "rocu_label", "rocu_labels"]

#: Short display name of each bundled ROCU id (its usual acronym or name).
ROCU_LABELS: Mapping[str, str] = {
    "nersou": "NERSOU",
    "nwrocu": "NWROCU",
    "yhrocu": "YHROCU",
    "emsou": "EMSOU",
    "wmrocu": "WMROCU",
    "ersou": "ERSOU",
    "london": "London",
    "serocu": "SEROCU",
    "swrocu": "SWROCU",
    "tarian": "Tarian",
}


def rocu_label(rocu_id) -> str:
    """Short display name of a ROCU (its usual acronym); an unknown id as it is.

    Parameters
    ----------
    rocu_id : str

    Returns
    -------
    str
    """
    return ROCU_LABELS.get(str(rocu_id), str(rocu_id))


def rocu_labels(rocu_ids: Iterable) -> list[str]:
    """:func:`rocu_label` of each id, in order.

    >>> rocu_labels(["nersou", "london"])
    ['NERSOU', 'London']
    """
    return [rocu_label(r) for r in rocu_ids]
