"""Every source id used anywhere resolves to a source with a URL (or a shipped document)."""

from __future__ import annotations

import pandas as pd

from rocu_compare.schema import DATA_DIR, package


def _cited(ds):
    for name, schema in package().tables.items():
        for f in schema.fields:
            if not f.source_ref:
                continue
            for row, v in ds.tables[name][f.name].items():
                if pd.isna(v):
                    continue
                ids = [x.strip() for x in str(v).split(";")] if f.source_ref == "list" else [str(v)]
                yield name, row, ids


def test_every_row_cites_a_source(ds):
    for name, schema in package().tables.items():
        if name == "sources":
            continue
        ref = [f for f in schema.fields if f.source_ref]
        assert ref, f"{name} has no source column"
        assert ds.tables[name][ref[0].name].notna().all(), name


def test_every_source_id_resolves(ds):
    src = ds.sources.set_index("source_id")
    for name, row, ids in _cited(ds):
        for sid in ids:
            assert sid in src.index, (name, row, sid)
        urls = [src.loc[s, "url"] for s in ids]
        docs = [src.loc[s, "url_basis"] == "shipped-document" for s in ids]
        assert any(pd.notna(u) for u in urls) or any(docs), (name, row, ids)


def test_shipped_documents_exist(ds):
    s = ds.sources[ds.sources["url_basis"] == "shipped-document"]
    assert len(s) >= 1
    for note in s["notes"]:
        path = note.split("data/documents/")[1].rstrip(".")
        assert (DATA_DIR / "documents" / path).exists()


def test_urls_look_like_urls(ds):
    urls = ds.sources["url"].dropna()
    assert urls.str.match(r"^https?://").all()
