"""The rocu-compare command: problems printed without a traceback, non-zero exit."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import set_cell

from rocu_compare.cli import main


def test_validate_ok(capsys):
    assert main(["validate", "data"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK") and "forces" in out and " 43 rows" in out


def test_validate_bad_prints_every_problem(data_copy, capsys):
    set_cell(data_copy, "forces", 3, "officers_fte_2015_03_31", "many")
    set_cell(data_copy, "events", 4, "subject", "mars")
    assert main(["validate", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "forces.csv, row 3, column 'officers_fte_2015_03_31': [type]" in err
    assert "events.csv, row 4, column 'subject': [enum]" in err
    assert "Traceback" not in err


def test_validate_subprocess_exit_code(data_copy):
    set_cell(data_copy, "rocus", 2, "rocu_id", "atlantis")
    r = subprocess.run(
        [sys.executable, "-m", "rocu_compare.cli", "validate", str(data_copy)], capture_output=True, text=True
    )
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "rocus.csv, row 2, column 'rocu_id'" in r.stderr


def test_missing_path(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "nope")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


@pytest.mark.slow
def test_template_and_export(tmp_path, capsys):
    assert main(["template", str(tmp_path / "t.xlsx")]) == 0
    assert main(["export", str(tmp_path / "e.xlsx")]) == 0
    assert main(["validate", str(tmp_path / "e.xlsx")]) == 0


def test_sources_lists_urls(capsys):
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    assert "hmic-2015-news\t" in out and "https://" in out
