"""Each rebuilt table equals its committed data/ file (runs where ../shared/reference is present)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from etl.pipeline import DEFAULT_REFERENCE, build_all
from rocu_compare.schema import DATA_DIR, package

REFERENCE = Path(os.environ.get("ROCU_REFERENCE_DIR") or DEFAULT_REFERENCE)
pytestmark = pytest.mark.skipif(
    not (REFERENCE / "raw").is_dir(), reason=f"reference folder with raw files not found at {REFERENCE}"
)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("data")
    result = build_all(REFERENCE, out)
    return out, result


@pytest.mark.parametrize("name", list(package().tables))
def test_rebuilt_table_equals_committed(rebuilt, name):
    out, _ = rebuilt
    assert (out / f"{name}.csv").read_bytes() == (DATA_DIR / f"{name}.csv").read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        "datapackage.json",
        "force_boundaries.geojson",
        "log/set_aside.csv",
        "provenance.json",
        "documents/000_85a5cf008e6fc99c.txt",
    ],
)
def test_rebuilt_artefacts_equal_committed(rebuilt, name):
    out, _ = rebuilt
    assert (out / name).read_bytes() == (DATA_DIR / name).read_bytes()


def test_every_set_aside_row_has_a_reason(rebuilt):
    _, result = rebuilt
    assert result["set_aside"] and all(r["reason"] for r in result["set_aside"])


def test_provenance_records_every_output(rebuilt):
    out, _ = rebuilt
    prov = json.loads((out / "provenance.json").read_text())
    assert set(prov["outputs"]) == {f"{n}.csv" for n in package().tables} | {"force_boundaries.geojson"}
    assert all(len(r["sha256"]) == 64 for r in prov["raw_inputs"])
