"""Templates that travel compiled (toolkit/templates/compiled/, issue 16): the package's files are
what Jinja2 makes of the templates as they are, a template is taken from them only where they
were made from its text by the Jinja2 in use, and what it renders is what Jinja2's own compile
renders, byte for byte."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import jinja2
import pytest

from tests.conftest import REPO, story_of
from toolkit.metadata import Metadata
from toolkit.parsers.fountain import parse_screenplay
from toolkit.render import outline, report, screenplay_blocks, templates
from toolkit.render.outline import render_outline_html, render_outline_markdown
from toolkit.render.report import render_report
from toolkit.render.screenplay_fdx import render_screenplay_fdx
from toolkit.render.screenplay_html import render_screenplay_html
from toolkit.stats import project_stats

RENDERERS = [importlib.import_module(name) for name in templates.COMPILED_BY]

SHOWCASE = Path(__file__).resolve().parents[1] / "fixtures" / "screenplay-export" / "showcase.fountain"
META = Metadata("The Lighthouse", "Ada Byron", "en", "urn:uuid:00000000-0000-0000-0000-000000000003", 1700000000)


@pytest.fixture
def compiled_by_jinja(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the templates Jinja2 compiles from their text (not from the package's files),
    each environment made afresh."""
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counted(
        self: jinja2.Environment,
        source: str,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> object:
        if not raw:  # a raw compile is the Python source (compiled_text), not a template's code
            compiled.append(str(name))
        return compile_template(self, source, name, filename, raw, defer_init)  # type: ignore[call-overload]

    _forget_environments()
    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    yield compiled
    _forget_environments()


def _forget_environments() -> None:
    """Each renderer's environment made again on its next use (it keeps the templates it loaded)."""
    for renderer in RENDERERS:
        renderer.environment.cache_clear()


def renders() -> tuple[str, str]:
    play = parse_screenplay([(SHOWCASE.name, SHOWCASE.read_bytes().decode("utf-8"))])
    return render_screenplay_fdx(play, META, notes=True), render_screenplay_html(play, META, notes=True)


def test_the_packages_compiled_templates_are_what_jinja2_makes_of_the_templates() -> None:
    """Each file is a header naming the template's text (its SHA-256), the Jinja2 version and
    the escape, then Jinja2's Python source for it; made again by ``python
    packaging/compile_templates.py`` whenever a template or the Jinja2 version changes."""
    names = [(renderer, name) for renderer in RENDERERS for name in renderer.COMPILED_TEMPLATES]
    assert sorted(path.name for path in templates.COMPILED.iterdir()) == sorted(
        templates.compiled_path(name).name for _, name in names
    )
    assert {name for _, name in names} >= {"outline.md.j2", "outline.html.j2", "report.html.j2"}
    for renderer, name in names:
        kept = templates.compiled_path(name).read_text(encoding="utf-8")
        made = templates.compiled_text(renderer.environment(), name, renderer.ESCAPE)
        header = made.partition("\n")[0]
        assert f"Jinja2 {jinja2.__version__}," in header and header.startswith(f"# {name}: sha256 ")
        if kept.partition("\n")[0] == header:
            assert kept == made, f"{name}: run python packaging/compile_templates.py"
        else:  # another Jinja2 than the files were made by: never used (see the next test)
            assert f"Jinja2 {jinja2.__version__}," not in kept.partition("\n")[0]


def test_a_compiled_template_renders_what_jinja2s_own_compile_renders(
    compiled_by_jinja: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The FDX and the HTML come from the package's compiled templates (Jinja2 compiles none
    of them) where those were made by this Jinja2; without them, Jinja2 compiles each, and the
    bytes are the same."""
    monkeypatch.setattr(templates, "COMPILED", tmp_path)
    templates.write_compiled(screenplay_blocks.environment(), screenplay_blocks.COMPILED_TEMPLATES, "all")
    _forget_environments()
    compiled_by_jinja.clear()
    from_package = renders()
    assert compiled_by_jinja == []
    shutil.rmtree(tmp_path)
    _forget_environments()
    assert renders() == from_package
    assert sorted(compiled_by_jinja) == sorted(screenplay_blocks.COMPILED_TEMPLATES)
    assert "<FinalDraft" in from_package[0] and "<html" in from_package[1]


def outline_and_report() -> tuple[str, str, str]:
    """The sample project's outline (Markdown and HTML) and report, rendered."""
    story = story_of(REPO)
    return (
        render_outline_markdown(story.outline),
        render_outline_html(story.outline, story.meta.language),
        render_report(project_stats(story), story.meta.language),
    )


@pytest.mark.parametrize("renderer", [outline, report], ids=["outline", "report"])
def test_the_outline_and_the_report_render_from_their_compiled_templates_what_jinja2_renders(
    renderer: ModuleType, compiled_by_jinja: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An edit build writes the outline and the report again: their templates come from the
    package's files (Jinja2 compiles none of them), and without the files the bytes are the same."""
    monkeypatch.setattr(templates, "COMPILED", tmp_path)
    templates.write_compiled(renderer.environment(), renderer.COMPILED_TEMPLATES, renderer.ESCAPE)
    _forget_environments()
    compiled_by_jinja.clear()
    from_package = outline_and_report()
    assert not set(compiled_by_jinja) & set(renderer.COMPILED_TEMPLATES)
    shutil.rmtree(tmp_path)
    _forget_environments()
    compiled_by_jinja.clear()
    assert outline_and_report() == from_package
    assert sorted(set(compiled_by_jinja) & set(renderer.COMPILED_TEMPLATES)) == sorted(renderer.COMPILED_TEMPLATES)
    assert from_package[0].startswith("# ") and "<html" in from_package[1] and "<svg" in from_package[2]


@pytest.mark.parametrize("change", ["template", "jinja2", "escape"])
def test_a_compiled_template_made_from_other_text_or_by_another_jinja2_is_not_used(
    change: str, compiled_by_jinja: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A template edited since its file was made, a file made by another Jinja2 or for another
    escape: Jinja2 compiles the template from its text, as it did before there were files."""
    name = "screenplay.fdx.j2"
    text = templates.compiled_text(screenplay_blocks.environment(), name, "all")
    header, _, code = text.partition("\n")
    header = {
        "template": header.replace("sha256 ", "sha256 0"),
        "jinja2": header.replace(f"Jinja2 {jinja2.__version__}", "Jinja2 0.0"),
        "escape": header.replace("escape all", "escape none"),
    }[change]
    # A file whose code would write something else: used, it would show.
    (tmp_path / templates.compiled_path(name).name).write_text(
        f"{header}\n{code.replace('<FinalDraft', '<Changed')}", encoding="utf-8"
    )
    monkeypatch.setattr(templates, "COMPILED", tmp_path)
    screenplay_blocks.environment.cache_clear()
    compiled_by_jinja.clear()
    fdx, _ = renders()
    assert "<FinalDraft" in fdx and "<Changed" not in fdx
    assert sorted(compiled_by_jinja) == sorted(screenplay_blocks.COMPILED_TEMPLATES)


def test_the_compiled_file_is_used_when_it_matches(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The same doctored file with a true header is used: the code the FDX runs is the file's."""
    name = "screenplay.fdx.j2"
    text = templates.compiled_text(screenplay_blocks.environment(), name, "all")
    (tmp_path / templates.compiled_path(name).name).write_text(
        text.replace("<FinalDraft", "<Changed"), encoding="utf-8"
    )
    monkeypatch.setattr(templates, "COMPILED", tmp_path)
    screenplay_blocks.environment.cache_clear()
    try:
        fdx, _ = renders()
    finally:
        screenplay_blocks.environment.cache_clear()
    assert "<Changed" in fdx and "<FinalDraft" not in fdx
