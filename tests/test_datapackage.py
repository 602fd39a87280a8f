"""data/datapackage.json is a standard Frictionless Data Package, generated from one template."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import set_cell

from etl.descriptor import PARTIAL_DATE_PATTERN, SHARED_FIELDS, TEMPLATE_PATH, expand_descriptor
from rocu_compare.schema import DATA_DIR, package


def test_descriptor_is_the_expanded_template():
    expected = (
        json.dumps(
            expand_descriptor(json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))), indent=2, ensure_ascii=False
        )
        + "\n"
    )
    assert (DATA_DIR / "datapackage.json").read_text(encoding="utf-8") == expected, "run `make data`"


def test_shared_fields_are_defined_once():
    pkg = package()
    partial = [f for t in pkg.tables.values() for f in t.fields if f.partial_date]
    assert len(partial) >= 8 and {f.pattern for f in partial} == {PARTIAL_DATE_PATTERN}
    template = TEMPLATE_PATH.read_text(encoding="utf-8")
    assert PARTIAL_DATE_PATTERN.replace("\\", "\\\\") not in template  # written once, in descriptor.py
    rocu_ids = [f for t in pkg.tables.values() for f in t.fields if f.name == "rocu_id"]
    assert {f.enum for f in rocu_ids} == {tuple(SHARED_FIELDS["rocu_id"]["constraints"]["enum"])}


def test_patterns_are_whole_value_patterns():
    for t in package().tables.values():
        for f in t.fields:
            if f.pattern:
                assert not f.pattern.startswith("^") and not f.pattern.endswith("$"), (t.name, f.name)
                re.compile(f.pattern)


def test_single_source_references_are_foreign_keys():
    for t in package().tables.values():
        single = {f.name for f in t.fields if f.source_ref == "single"}
        fks = {fk.fields for fk in t.foreign_keys if fk.resource == "sources"}
        assert single == fks, t.name
        assert not any(fk.exceptions for fk in t.foreign_keys), "exceptions are not standard Table Schema"


@pytest.mark.parametrize(
    "table, column, value",
    [
        ("forces", "ons_code", "E23000013X"),  # a prefix match would accept it
        ("sources", "url", "https://example.org/a b"),
        ("rocu_resources", "financial_year", "2015-16-17"),
    ],
)
def test_validator_matches_patterns_against_the_whole_value(data_copy, table, column, value):
    import rocu_compare as rc

    if table == "rocu_resources":
        (data_copy / "rocu_resources.csv").write_text(
            "rocu_id,financial_year,budget_gbp,home_office_grant_gbp,officers_fte,staff_fte,is_estimate,"
            "estimate_method,source_id,notes\n"
            f"nersou,{value},,,,,false,,hmic-2015-report-docplayer,\n",
            encoding="utf-8",
        )
    else:
        set_cell(data_copy, table, 2, column, value)
    with pytest.raises(rc.RocuDataError) as err:
        rc.load(data_copy)
    hits = [p for p in err.value.problems if p.column == column and p.value == value]
    assert [p.rule for p in hits] == ["pattern"]


@pytest.mark.slow
def test_frictionless_validates_the_bundled_package(tmp_path):
    frictionless = pytest.importorskip("frictionless")  # a dev dependency, not a runtime one
    pkg_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, pkg_dir)
    report = frictionless.validate(str(pkg_dir / "datapackage.json"))
    errors = [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors] + [
        f"{e.type}: {e.message}" for e in report.errors
    ]
    assert report.valid, errors[:20]
