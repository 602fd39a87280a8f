"""Which sources a row may cite, and the protective marking of what is built on them.

Every data row cites at least one source. A source is *citable* when a reader can follow it:

- it has a public URL (``url_basis`` ``as-cited`` or ``constructed-from-repository``);
- its text ships with the data (``shipped-document``, the file named in ``document`` exists);
- it is an analyst's internal return (``internal``: no URL, a protective marking required); or
- it marks made-up demonstration rows (``demonstration``).

Internal returns carry a ``classification`` under the UK Government Security Classifications
(``OFFICIAL``, ``OFFICIAL-SENSITIVE``). Anything built on a dataset holding a marked source
carries the highest marking involved (see :attr:`rocu_compare.Dataset.marking`). The bundled
data is public only.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem

#: Protective markings a source may carry, lowest first (blank = public).
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
#: ``url_basis`` values that promise a public URL.
PUBLIC_BASES = frozenset({"as-cited", "constructed-from-repository"})
#: ``url_basis`` values citable without a URL or a shipped document.
NO_URL_CITABLE = frozenset({"internal", "demonstration"})


def highest_marking(values) -> str | None:
    """The highest of the markings in ``values`` (blanks and None ignored), or None.

    Examples
    --------
    >>> highest_marking(["", "OFFICIAL", None, "OFFICIAL-SENSITIVE"])
    'OFFICIAL-SENSITIVE'
    >>> highest_marking(["", None]) is None
    True
    """
    found = {str(v) for v in values if v is not None and str(v) not in ("", "<NA>", "nan")}
    for level in reversed(MARKINGS):
        if level in found:
            return level
    return None


def _get(t, idx, r, col) -> str:
    j = idx.get(col)
    return r[j] if j is not None and j < len(r) else ""


def rule_source_citable(t, idx, rows):
    """Row rule on ``sources``: the fields a source's ``url_basis`` needs are there."""
    for i, r in rows:
        basis, url = _get(t, idx, r, "url_basis"), _get(t, idx, r, "url")
        cls, doc = _get(t, idx, r, "classification"), _get(t, idx, r, "document")
        if basis == "shipped-document" and not doc:
            yield Problem(
                t.label,
                i + 2,
                "document",
                "",
                "source_citable",
                "a shipped-document source names its document: give the path of its text, relative to "
                "the data folder, in `document`",
            )
        elif basis == "internal":
            if url:
                yield Problem(
                    t.label,
                    i + 2,
                    "url",
                    url,
                    "source_citable",
                    "an internal return has no public URL: leave url blank, or use url_basis as-cited "
                    "for a public page",
                )
            if not cls:
                yield Problem(
                    t.label,
                    i + 2,
                    "classification",
                    "",
                    "source_citable",
                    "an internal return carries a protective marking: OFFICIAL or OFFICIAL-SENSITIVE",
                )
        elif basis in PUBLIC_BASES and not url:
            yield Problem(
                t.label,
                i + 2,
                "url",
                "",
                "source_citable",
                f"url_basis {basis} needs a url (use internal for an internal return)",
            )


def citable_sources(sources, base_dir=None) -> tuple[set[str], set[str], list[Problem]]:
    """Known and citable source ids of a raw ``sources`` table, and missing-document problems.

    Parameters
    ----------
    sources : RawTable
        The raw ``sources`` table.
    base_dir : Path, sequence of Path, or None
        Folder(s) that ``document`` paths are relative to (found in any is enough); None skips
        the existence check.

    Returns
    -------
    (set, set, list of Problem)
        All source ids, the ids a row may cite, and one problem per shipped document not found.
    """
    h = sources.header
    idx = {c: h.index(c) for c in h}
    known, citable, probs = set(), set(), []
    dirs = (
        None
        if base_dir is None
        else [Path(base_dir)]
        if isinstance(base_dir, (str, Path))
        else [Path(d) for d in base_dir]
    )
    if "source_id" not in idx:
        return known, citable, probs
    for i, r in enumerate(sources.rows):
        if len(r) != len(h):
            continue
        sid = r[idx["source_id"]]
        known.add(sid)
        url, basis, doc = (
            _get(sources, idx, r, "url"),
            _get(sources, idx, r, "url_basis"),
            _get(sources, idx, r, "document"),
        )
        if url or basis in NO_URL_CITABLE:
            citable.add(sid)
        elif basis == "shipped-document" and doc:
            citable.add(sid)  # a missing document is reported once, here, not at every row citing it
            if dirs is not None and not any((d / doc).is_file() for d in dirs):
                probs.append(
                    Problem(
                        sources.label,
                        i + 2,
                        "document",
                        doc,
                        "document_exists",
                        f"shipped document not found: put the file at {doc} relative to the folder "
                        f"holding the data ({dirs[0].name or dirs[0]}/)",
                    )
                )
    return known, citable, probs
