"""The architecture stays visible: only the CLI imports Typer; the model imports nothing of ours."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "toolkit"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_cli_imports_typer() -> None:
    offenders = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name != "cli.py" and any(n.split(".")[0] == "typer" for n in _imports(path))
    ]
    assert offenders == []


def test_model_imports_nothing_of_ours() -> None:
    assert not [n for n in _imports(PACKAGE / "model.py") if n.startswith("toolkit")]


def test_renderers_and_checks_never_parse_or_print() -> None:
    for folder in ("render", "checks"):
        for path in (PACKAGE / folder).glob("*.py"):
            imports = _imports(path)
            assert not [n for n in imports if n.startswith("toolkit.parsers")], path
            assert "print(" not in path.read_text(encoding="utf-8"), path
