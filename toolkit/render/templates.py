"""The one Jinja2 set-up every renderer uses: fabula's packaged templates, StrictUndefined.

Some templates also travel compiled (toolkit/templates/compiled/): the Python source Jinja2
makes of them, which ``python packaging/compile_templates.py`` writes and
tests/render/test_templates.py keeps in step with the templates. Jinja2's lexing, parsing and
code generation took ~25 ms of a screenplay build's CPU for the FDX and the HTML (issue 16),
on the critical path of every build, ``--no-cache`` too, and ~75 ms of an edit build's for the
outline's two templates and the report's (written again after every edit to a chapter): a
compiled template is used where it was made by the Jinja2 version in use, with the same
autoescape, from the template's text as it is now (else Jinja2 compiles the template, as it
always did).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from jinja2 import Environment
    from jinja2.bccache import Bucket, BytecodeCache

Escape = Literal["all", "html", "none"]

COMPILED = Path(__file__).resolve().parent.parent / "templates" / "compiled"

# The renderers whose templates travel compiled: each module names them (``COMPILED_TEMPLATES``)
# and their escape (``ESCAPE``), and ``environment()`` is the environment that renders them.
COMPILED_BY = ("toolkit.render.screenplay_blocks", "toolkit.render.outline", "toolkit.render.report")


def template_environment(
    escape: Escape,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    tests: Mapping[str, Callable[..., bool]] | None = None,
) -> Environment:
    """Templates from ``toolkit/templates``; a missing variable is an error, never an empty string.

    ``escape``: "all" for XML and HTML outputs, "html" for renderers with both Markdown and HTML
    templates (only ``*.html.j2`` is escaped), "none" for Typst, whose values are quoted by a filter.
    Jinja2 is imported here, not at module level, so that commands without templates start faster.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    choices: dict[str, bool | Callable[[str | None], bool]] = {
        "all": True,
        "html": select_autoescape(enabled_extensions=("html.j2",), default=False),
        "none": False,
    }
    autoescape = choices[escape]
    environment = Environment(
        loader=PackageLoader("toolkit", "templates"),
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_packaged(escape),
    )
    environment.filters.update(filters or {})
    environment.tests.update(tests or {})
    return environment


def _header(name: str, source: str, escape: Escape) -> str:
    """The first line of a compiled template: what it was made from and by."""
    import jinja2

    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    return f"# {name}: sha256 {digest}, Jinja2 {jinja2.__version__}, escape {escape}\n"


def compiled_text(environment: Environment, name: str, escape: Escape) -> str:
    """What toolkit/templates/compiled/ holds for template ``name`` compiled by ``environment``:
    a header line, then the Python source Jinja2 makes of it (which it compiles with ``compile``)."""
    assert environment.loader is not None
    source, filename, _ = environment.loader.get_source(environment, name)
    return _header(name, source, escape) + environment.compile(source, name, filename, raw=True)


def compiled_path(name: str) -> Path:
    return COMPILED / f"{name}.py.txt"


def _packaged(escape: Escape) -> BytecodeCache:
    """Jinja2's bytecode cache, as a read-only store of the compiled templates in the package:
    a template's code is the Python source there, compiled, where its header says it was made
    from this text of the template by this Jinja2 with this escape. Nothing is ever written."""
    from jinja2.bccache import Bucket, BytecodeCache

    class Packaged(BytecodeCache):
        def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
            bucket = Bucket(environment, name, self.get_source_checksum(source))
            try:
                text = compiled_path(name).read_text(encoding="utf-8")
            except FileNotFoundError:  # a template that does not travel compiled
                return bucket
            header = _header(name, source, escape)
            if text.startswith(header):  # as Environment.compile compiles its source
                bucket.code = compile(text[len(header) :], filename or "<template>", "exec")
            return bucket

        def load_bytecode(self, bucket: Bucket) -> None:
            """Nothing to load: ``get_bucket`` reads the package's file."""

        def dump_bytecode(self, bucket: Bucket) -> None:
            """Never written: the package's files are made by ``write_compiled``."""

    return Packaged()


def write_compiled(environment: Environment, names: Sequence[str], escape: Escape) -> list[Path]:
    """Write into toolkit/templates/compiled/ each of the templates ``names`` compiled by
    ``environment`` (the one that renders them, made with ``escape``)."""
    COMPILED.mkdir(exist_ok=True)
    written = []
    for name in names:
        path = compiled_path(name)
        path.write_text(compiled_text(environment, name, escape), encoding="utf-8")
        written.append(path)
    return written
