"""`make lab` serves the .py notebooks as notebooks; the README says how to use them from any Jupyter."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "jupyter-config" / "lab" / "settings"


def test_python_files_open_as_jupytext_notebooks():
    overrides = json.loads((SETTINGS / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]["python"] == "Jupytext Notebook"
    assert tomllib.loads((ROOT / "jupytext.toml").read_text(encoding="utf-8"))["formats"] == "ipynb,py:percent"
    lab = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "jupyter-config/lab/settings" in lab and "/lab/tree/notebooks" in lab


def test_readme_explains_jupyter_use():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for needle in ("make lab", "python -m ipykernel install --user --name rocu-compare", "ROCU_DATA="):
        assert needle in text, needle


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_lab_serves_the_notebooks_headless(tmp_path):
    pytest.importorskip("jupyterlab")
    port, token = _free_port(), "rocu-test-token"
    args = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={ROOT}",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        f"--LabApp.app_settings_dir={SETTINGS}",
        "--ServerApp.port_retries=0",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--allow-root")
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:

        def get(path):
            url = f"http://127.0.0.1:{port}{path}{'&' if '?' in path else '?'}token={token}"
            with urllib.request.urlopen(url, timeout=10) as r:
                return json.load(r)

        for _ in range(120):
            try:
                listing = get("/api/contents/notebooks")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        kinds = {c["name"]: c["type"] for c in listing["content"] if c["name"].endswith(".py")}
        assert len(kinds) >= 6 and set(kinds.values()) == {"notebook"}
        nb = get("/api/contents/notebooks/04_how_far_apart.py?type=notebook")
        assert nb["content"]["cells"][0]["cell_type"] == "markdown"
        viewers = get("/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
        assert viewers["schema"]["properties"]["defaultViewers"]["default"]["python"] == "Jupytext Notebook"
    finally:
        server.terminate()
        server.wait(timeout=30)
