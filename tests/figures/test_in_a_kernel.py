"""In a fresh Jupyter kernel (no ``%matplotlib inline``) every chart shows once."""

import os

import pytest


def _run(cells):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    backend = os.environ.pop("MPLBACKEND", None)  # the kernel chooses its own (inline) backend
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    finally:
        if backend is not None:
            os.environ["MPLBACKEND"] = backend
    return nb


def _images(cell):
    return sum("image/png" in o.get("data", {}) for o in cell.outputs)


@pytest.mark.notebooks
def test_each_chart_shows_once_in_a_fresh_kernel():
    nb = _run(
        [
            "import pandas as pd\nfrom rocu_compare import figures as rf\ns = pd.Series({'nersou': 2.0, 'tarian': 1.0})",
            "rf.ski_slope(s)",  # a display object: one image
            "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nrf.ski_slope(s, ax=ax)",  # the Axes: one image
            "d = rf.ski_slope(s)",  # assigned: nothing shown
        ]
    )
    assert [_images(c) for c in nb.cells] == [0, 1, 1, 0]
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.outputs)
