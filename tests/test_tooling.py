"""The tree is clean under ruff (configured in pyproject.toml, also run by pre-commit)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_check_is_clean():
    pytest.importorskip("ruff")  # a dev dependency
    res = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stdout[-3000:]


def test_pre_commit_runs_ruff_lint_and_format():
    text = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "ruff check" in text and "ruff format" in text
