"""The architecture stays visible: stages import one way, no cycles, one parse of the sources.

Imports are followed transitively and wherever they are written (at module level, inside a
function, under ``TYPE_CHECKING``), so that a forbidden dependency cannot hide in a function.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "toolkit"

# Where the Markdown and Fountain sources are read and parsed, and nowhere else.
PARSING = ("toolkit.parsers", "toolkit.loader")
# What knows Markdown syntax (comments, fences, image and link patterns): a string holding one
# outside the parsers means a second parser.
MARKDOWN_SYNTAX = ("<!--", "```", "~~~", "!\\[", "\\]\\(")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def imports(module: str) -> frozenset[str]:
    """The toolkit modules and the libraries (dotted names as written) ``module`` imports anywhere."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            # "from toolkit import pipeline" imports the module toolkit.pipeline.
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    ours = {name for name in found if name in MODULES}
    libraries = {name for name in found if not name.startswith("toolkit")}
    return frozenset(ours | libraries)


@functools.cache
def reachable(module: str) -> frozenset[str]:
    """Every module ``module`` imports, directly or through others (package __init__s included)."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        for name in imports(current):
            # Importing a.b.c runs a/__init__ and a/b/__init__ first, except those of packages
            # the importer is in: they are already running (a package re-exporting its modules).
            parents = [".".join(name.split(".")[:n]) for n in range(2, name.count(".") + 1)]
            parents = [p for p in parents if p in MODULES and not current.startswith(p + ".")]
            for reached in (name, *parents):
                if reached not in seen:
                    seen.add(reached)
                    if reached in MODULES:
                        todo.append(reached)
    return frozenset(seen)


def under(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def test_only_the_cli_imports_typer() -> None:
    assert [m for m in MODULES if any(under(name, "typer") for name in imports(m))] == ["toolkit.cli"]
    assert [m for m in MODULES if "toolkit.cli" in imports(m)] == ["toolkit.__main__"]


def test_the_model_imports_nothing_of_ours() -> None:
    assert not [name for name in imports("toolkit.model") if name.startswith("toolkit")]


def test_nothing_after_the_parsers_reaches_them_even_through_others() -> None:
    """Resolve, checks, renderers, layout and views work from the model: none reaches a parser,
    nor a parsing library, by any path."""
    later = (
        "toolkit.resolve",
        "toolkit.checks",
        "toolkit.render",
        "toolkit.layout",
        "toolkit.stats",
        "toolkit.stats_counts",
    )
    for module in (m for m in MODULES if under(m, *later)):
        reached = reachable(module)
        assert not [name for name in reached if under(name, *PARSING)], module
        parsing_libraries = ("markdown_it", "mdit_py_plugins", "screenplain.parsers", "yaml")
        assert not [name for name in reached if under(name, *parsing_libraries)], module


def test_renderers_and_checks_never_print() -> None:
    for module in (m for m in MODULES if under(m, "toolkit.render", "toolkit.checks", "toolkit.resolve")):
        assert "print(" not in MODULES[module].read_text(encoding="utf-8"), module


def test_no_import_cycle_anywhere() -> None:
    """Among toolkit modules, following every import statement (a package's own __init__ aside)."""
    for module in MODULES:
        for name in imports(module):
            # A package's __init__ importing its own submodules, and they their package, is no cycle.
            if name in MODULES and not module.startswith(name + ".") and not name.startswith(module + "."):
                assert module not in reachable(name) - {name}, f"{module} -> {name} -> ... -> {module}"


FACES = ("toolkit.cli", "toolkit.watch", "toolkit.lsp.server")


def test_only_the_pipeline_drives_the_stages() -> None:
    """cli, watch and the language server call the pipeline; nothing but the pipeline uses the
    cache or the loader."""
    for stage in ("toolkit.cache", "toolkit.loader"):
        assert [m for m in MODULES if stage in imports(m)] == ["toolkit.pipeline"], stage
    assert all("toolkit.pipeline" in imports(face) for face in FACES)
    assert not [m for m in MODULES if "toolkit.pipeline" in imports(m) and m not in FACES]


def test_the_language_server_is_a_face() -> None:
    """toolkit/lsp only reads what the pipeline made: it imports no parser, loader or cache
    (nor a parsing library), and only the command line starts it."""
    for module in (m for m in MODULES if under(m, "toolkit.lsp")):
        direct = imports(module)
        assert not [name for name in direct if under(name, *PARSING, "toolkit.cache")], module
        assert not [name for name in direct if under(name, "markdown_it", "screenplain", "yaml", "typer")], module
    assert [
        m for m in MODULES if any(under(name, "toolkit.lsp") for name in imports(m)) and not under(m, "toolkit.lsp")
    ] == ["toolkit.cli"]


def test_no_code_outside_the_parsers_reads_raw_source_text() -> None:
    """The files are read as text by the loader alone (and fabula.toml by config); no other
    module holds a pattern of Markdown syntax, which would mean it re-reads what the parser
    already decided; and the model keeps no raw text of a chapter (``source``)."""
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        if not under(module, *PARSING, "toolkit.sources", "toolkit.config"):
            assert not [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "read_text"], module
        if under(module, *PARSING):
            continue
        literals = [
            node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
        ]
        docstrings = {
            ast.get_docstring(node, clean=False)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        }
        patterns = [value for value in literals if value not in docstrings]
        assert not [v for v in patterns if any(sign in v for sign in MARKDOWN_SYNTAX)], module
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "source"], module
    chapter = next(
        n for n in ast.walk(ast.parse(MODULES["toolkit.model"].read_text())) if getattr(n, "name", "") == "Chapter"
    )
    fields = {n.target.id for n in chapter.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    assert "source" not in fields


def test_a_guard_that_can_fail() -> None:
    """The transitive follower sees a parser behind a renderer's indirect import (a self-check)."""
    assert under("toolkit.parsers.markdown", *PARSING)
    assert "toolkit.parsers.markdown" in reachable("toolkit.pipeline")
    assert "toolkit.resolve" in reachable("toolkit.render.products")
