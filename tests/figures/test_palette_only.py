"""Colours come only from the palette module: no hex colour literal anywhere else in the package."""

import ast
import re
from pathlib import Path

import rocu_compare

PACKAGE = Path(rocu_compare.__file__).parent
HEX = re.compile(r"#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\b")


def _docstrings(tree) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def hex_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal (outside docstrings) holding a hex colour."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs and HEX.search(n.value)
    ]


def test_the_check_finds_literals_and_skips_docstrings():
    src = '"""Module doc: #12436D."""\nx = "#F46A25"\ncss = f"color:#0b0c0c;{x}"\nnot_a_colour = "#12"\n'
    assert [line for line, _ in hex_literals(src)] == [2, 3]


def test_no_hex_colour_outside_the_palette():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "palette.py" and path.parent.name == "figures":
            continue
        hits = hex_literals(path.read_text(encoding="utf-8"))
        if hits:
            found[str(path.relative_to(PACKAGE))] = hits
    assert not found, f"hex colours outside figures/palette.py: {found}"
