"""Build hook: ship the top-level ``data/`` inside the wheel as ``rocu_compare/data``.

``data/`` stays where the README and the design card show it (the source of truth, rebuilt by
``make data``); a built wheel carries a copy so that ``rocu_compare.load()`` works from any
installation. Editable installs read ``data/`` in place (see ``rocu_compare.schema``).
Everything else about the package is declared in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    """``build_py`` that also copies ``data/`` into the built package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        src, dst = HERE / "data", Path(self.build_lib) / "rocu_compare" / "data"
        if dst.exists():
            shutil.rmtree(dst)
        shutil.copytree(src, dst)


setup(cmdclass={"build_py": BuildPyWithData})
