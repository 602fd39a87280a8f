"""Project hygiene: pins mirrored, CI runs make test, README dictionary current."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _lock():
    return {
        line.strip()
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


def test_environment_yml_mirrors_lock():
    yml = (ROOT / "environment.yml").read_text().splitlines()
    pins = {line.strip()[2:] for line in yml if re.match(r"^\s+- [A-Za-z0-9_.-]+==", line)}
    assert pins == _lock()


def test_every_declared_dependency_is_pinned():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {
        re.split(r"[<>=!\[ ]", d)[0].lower().replace("_", "-")
        for d in meta["dependencies"] + meta["optional-dependencies"]["dev"]
    }
    locked = {line.split("==")[0].lower().replace("_", "-") for line in _lock()}
    assert names <= locked, names - locked


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_data_dictionary_is_current():
    from rocu_compare.docs import readme_with_dictionary

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_dictionary(text) == text, "run `make docs` to regenerate the README data dictionary"
    for cmd in ("make report", "make test"):
        assert cmd in text
