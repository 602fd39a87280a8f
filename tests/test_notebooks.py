"""Every numbered notebook executes headless on the bundled data (Splink-style)."""

from __future__ import annotations

import pytest

from rocu_compare.report.run import notebook_paths

NOTEBOOKS = notebook_paths()
EXPECTED = [
    "01_structure",
    "02_capabilities",
    "03_resourcing",
    "04_how_far_apart",
    "05_piecemeal_development",
    "06_your_own_data",
    "07_what_if",
]


def test_the_numbered_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_shape(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# %% [markdown]\n# # ")
    assert "**What this answers:**" in text and "**Data:**" in text
    assert "## Caveats" in text and "## Next steps" in text
    code_lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    # notebooks hold short calls into the library, not analysis code
    assert not any(line.startswith(("def ", "class ")) for line in code_lines)


@pytest.mark.notebooks
@pytest.mark.report
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, report_runs):
    """Each notebook as the session's report executed it (conftest.report_runs), in its own kernel."""
    import nbformat

    nb = nbformat.read(report_runs.a / "notebooks" / f"{path.stem}.ipynb", as_version=4)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert not errors
    images = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    if "show(" in path.read_text(encoding="utf-8"):
        assert images, "figures should render inline"
