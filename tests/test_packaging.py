"""The package works without the checkout: data inside the wheel, no build pipeline at run time."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Loads the data and draws the map and a chart; prints where everything came from.
SMOKE = textwrap.dedent("""
    import json, sys
    import rocu_compare as rc
    from rocu_compare.figures import rocu_map, save_figure
    from rocu_compare.geometry import read_force_boundaries
    from rocu_compare.schema import DATA_DIR

    ds = rc.load()
    fig = rocu_map(read_force_boundaries(), ds.membership_at("2015-06-30"))
    save_figure(fig, sys.argv[1], formats=("png",), dpi=50)
    print(json.dumps({"package": rc.__file__, "data": str(DATA_DIR), "forces": len(ds.forces),
                      "build_modules": sorted(m for m in sys.modules if m.startswith("etl"))}))
""")


def _run(python: str, cwd: Path, out: Path) -> dict:
    import json

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ROCU_DATA")}
    env["MPLBACKEND"] = "Agg"
    res = subprocess.run([python, "-c", SMOKE, str(out)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_runtime_never_imports_the_build_pipeline(tmp_path):
    got = _run(sys.executable, tmp_path, tmp_path / "map")
    assert got["build_modules"] == []
    assert got["forces"] == 43
    assert (tmp_path / "map.png").stat().st_size > 10_000


@pytest.mark.wheel
def test_built_wheel_works_outside_the_checkout(tmp_path):
    """Build the wheel offline, install it into a fresh venv, load the data and draw a figure there.

    The fresh venv sees this environment's third-party packages through a ``.pth`` line (its
    ``.pth`` files, among them the editable install of the checkout, are not processed), so no
    package index is needed.
    """
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
        timeout=600,
    )
    wheels = list(dist.glob("rocu_compare-*.whl"))
    assert len(wheels) == 1

    import zipfile

    names = set(zipfile.ZipFile(wheels[0]).namelist())
    assert "rocu_compare/data/datapackage.json" in names
    assert "rocu_compare/data/force_boundaries.geojson" in names
    assert "rocu_compare/data/documents/000_85a5cf008e6fc99c.txt" in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    py = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "_deps_from_dev_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheels[0]),
        ],
        check=True,
        timeout=600,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    got = _run(str(py), elsewhere, elsewhere / "map")
    assert Path(got["package"]).is_relative_to(venv)
    assert Path(got["data"]).is_relative_to(venv) and Path(got["data"]).name == "data"
    assert got["forces"] == 43 and got["build_modules"] == []
    assert (elsewhere / "map.png").stat().st_size > 10_000
