"""The book's chapters through pandoc (toolkit/render/chapters.py): how the pandoc runs are made."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, chapter_of
from toolkit import children
from toolkit.render import chapters
from toolkit.render.chapters import ChapterSource, Conversion, EpubChapter, chapter_source, convert
from toolkit.render.docx_parts import DocxChapter
from toolkit.render.epub import epub_conversion
from toolkit.render.manuscript_docx import docx_conversion
from toolkit.render.pandoc import book_pandoc_input, pandoc_path


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """The environment of every child process started (``children.start``), in order."""
    envs: list[dict[str, str]] = []
    start = children.start

    def starting(args, *, stdin: Path, stdout: Path, stderr: Path, env=None):
        envs.append(dict(env or {}))
        return start(args, stdin=stdin, stdout=stdout, stderr=stderr, env=env)

    monkeypatch.setattr(children, "start", starting)
    return envs


def test_the_chapters_pandoc_runs_with_a_larger_allocation_area(
    monkeypatch: pytest.MonkeyPatch, started: list[dict[str, str]]
) -> None:
    """pandoc's runtime collects garbage less often for the chapters (GHCRTS), 256 MB of
    allocation area shared between the processes, and this pandoc takes the setting: a pandoc
    that ignored it would warn on its standard error."""
    monkeypatch.setattr(chapters, "_cores", lambda: 2)
    sources = [chapter_source(chapter_of(f"# The Harbour {number}\n\nThe boats came in.\n"), {}) for number in (1, 2)]
    answer = convert([epub_conversion("en")], sources, 0)
    part = answer[1]["epub"]
    assert isinstance(part, EpubChapter) and "The boats came in." in part.files[0]
    assert [env["GHCRTS"] for env in started] == ["-A16m", "-A16m"]  # little text each (see below)
    assert [chapters.pandoc_runtime(n) for n in (1, 2, 4, 8, 64)] == ["-A256m", "-A128m", "-A64m", "-A32m", "-A16m"]
    env = {**os.environ, "GHCRTS": chapters.pandoc_runtime(2)}
    ran = subprocess.run([str(pandoc_path()), "--version"], env=env, capture_output=True, text=True, check=True)
    assert ran.stderr == ""
    ignored = subprocess.run([str(pandoc_path()), "--version"], env={**env, "GHCRTS": "-Zbogus"}, capture_output=True)
    assert ignored.returncode != 0 or ignored.stderr  # the check above can see a setting refused


def test_a_process_with_little_text_gets_an_allocation_area_in_proportion(started: list[dict[str, str]]) -> None:
    """An edit's one chapter does not get the whole book's 256 MB (which costs system time to
    map and is never filled): its area is in proportion to its text, 16 MB at least."""
    source = chapter_source(chapter_of("# The Harbour\n\nThe boats came in.\n"), {})
    convert([epub_conversion("en")], [source], 0)
    assert [env["GHCRTS"] for env in started] == ["-A16m"]
    assert [chapters.pandoc_runtime(1, size) for size in (1_000, 100_000, 400_000, 2_000_000)] == [
        "-A16m",
        "-A16m",
        "-A64m",
        "-A256m",
    ]
    assert chapters.pandoc_runtime(2, 2_000_000) == "-A128m"


def test_a_filter_runs_only_over_the_chapters_holding_one_of_its_words(tmp_path: Path) -> None:
    """A filter table's ``fabula_when`` (filters/chapters.lua): the filter is not run over a
    chapter whose Markdown holds none of the words, and is over one that holds one."""
    marker = tmp_path / "marker.lua"
    marker.write_text('return { { Str = function() return pandoc.Str("X") end, fabula_when = { "harbour" } } }\n')
    conversion = Conversion("typst", "typst", (str(marker),))
    titles = ("The harbour", "The Lamp")
    sources = [chapter_source(chapter_of(f"# {title}\n\nThe boats came in.\n"), {}) for title in titles]
    answer = convert([conversion], sources, 0)
    assert "boats" not in answer[0]["typst"] and "X" in answer[0]["typst"]
    assert "The boats came in." in answer[1]["typst"]


@pytest.mark.parametrize(
    "span",
    ["[]{.fabula-tab}", '<span class="fabula&#45;tab"></span>', '[]{class="fabula\\-tab"}'],
)
def test_the_manuscripts_tab_is_written_in_a_chapter_however_its_class_is_spelt(span: str) -> None:
    """manuscript.lua's cover filter is skipped over chapters that cannot hold its classes: one
    that names the class, or spells it through an escape or a character reference, still gets it."""
    source = chapter_source(chapter_of(f"# The Harbour\n\nName {span} 1,000 words\n"), {})
    part = convert([docx_conversion("en")], [source], 0)[0]["docx"]
    assert isinstance(part, DocxChapter) and part.body.count("<w:tab/>") == 1


# Chapters whose EPUB body pandoc's HTML writer writes as its EPUB writer does (filters/chapters.lua),
# and chapters the EPUB writer must write: notes, images, links, raw HTML, a text outside the
# chapter's section, a second level-1 heading, attributes on the chapter heading.
_AS_HTML = {
    "prose": '# The Harbour\n\nThe boats came in -- all of them... "Home," she said.\n\nA line\nbroken.\n',
    "styled": "# Styled\n\n*One* **two** `three` ~~four~~ H~2~O x^2^ and a \\\n hard break.\n",
    "sections": "# Parts {#parts .unnumbered}\n\n## Morning {lang=fr}\n\nText.\n\n### Deep {.dedication}\n\nMore.\n",
    "blocks": "# Blocks\n\n> A quote\n> on two lines.\n\n- one\n- two\n  - nested\n\n3. three\n4. four\n\n"
    "Term\n:   Definition\n\n| The limerick\n|    goes on.\n\n"
    "```python\nprint(1)\n```\n\n* * *\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "divs": "# Divs {.front}\n\n::: {.dedication epub:type=dedication}\nA div.\n:::\n\n"
    "::: {#mine .class lang=fr}\nFrench.\n:::\n",
    "entities": "# Entities & more\n\nAmpersand & less-than &lt; © — nbsp\u00a0here. Dr. Hawkins, aet. twenty.\n",
    "no text": "#\n\nA chapter whose heading is empty.\n",
}
_AS_EPUB = {
    "note": "# Notes\n\nA note.[^1] An inline one.^[Inline.]\n\n[^1]: The note.\n",
    "own link": "# Links\n\nSee [the storm](#storm).\n\n## Storm {#storm}\n\nText.\n",
    "web link": "# Links\n\nA [link](http://example.com) and <http://example.org>.\n",
    "raw HTML": '# Raw\n\n<img src="foo.png" alt="x" />\n\nInline <span>raw</span>.\n',
    "image": "# Image\n\n![A picture](missing.png)\n",
    "heading attributes": "# Attributes {lang=de dir=rtl}\n\nText.\n",
    "text first": "Before the heading.\n\n# Title\n\nBody.\n",
    "two chapters": "# One\n\nBody.\n\n# Two\n\nBody two.\n",
    "level two only": "## Only level two\n\nBody.\n",
    "no heading": "No heading at all.\n",
}


def _epub_parts(
    monkeypatch: pytest.MonkeyPatch, texts: dict[str, str], conversion: Conversion
) -> tuple[list[object], list[str]]:
    """Each text converted as a chapter: its EPUB part and the writer filters/chapters.lua used."""
    writers: list[str] = []
    part_of = chapters._part

    def part(conversion: Conversion, value):  # the answer as pandoc gave it
        writers.append(value.get("written_by", "epub3"))
        return part_of(conversion, value)

    monkeypatch.setattr(chapters, "_part", part)
    monkeypatch.setattr(chapters, "_cores", lambda: 1)  # one process: the answers in order
    sources = [ChapterSource(book_pandoc_input(text)) for text in texts.values()]
    answers = convert([conversion], sources, 0)
    return [answer[conversion.name] for answer in answers], writers


def test_a_chapter_of_prose_is_written_by_the_html_writer_as_the_epub_writer_writes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pandoc's EPUB writer costs about five times its HTML writer on a chapter (it chunks the
    document and zips a whole EPUB a chapter): a chapter that is one level-1 section without
    notes, images, links or raw HTML is written by the HTML writer, and its body is the same
    text, byte for byte. The EPUB writer is asked for whenever the writer's options are not
    exactly the book's (here a needless ``columns``, pandoc's default), which gives the text to
    compare with."""
    texts = _AS_HTML | _AS_EPUB
    conversion = epub_conversion("en")
    parts, writers = _epub_parts(monkeypatch, texts, conversion)
    assert dict(zip(texts, writers, strict=True)) == {name: "html5" for name in _AS_HTML} | {
        name: "epub3" for name in _AS_EPUB
    }
    forced = dataclasses.replace(conversion, options=(*conversion.options, ("columns", 72)))
    expected, writers = _epub_parts(monkeypatch, texts, forced)
    assert set(writers) == {"epub3"}
    for name, part, wanted in zip(texts, parts, expected, strict=True):
        assert part == wanted, name


# Chapters the DOCX writer may write together (filters/chapters.lua), and chapters it writes alone.
_TOGETHER = {
    "storm": "# The Storm\n\nThe boats came in.\n\n* * *\n\nThe glass fell.\n",
    "storm again": "# The Storm\n\nA second chapter of the same name.\n",
    "sections": "# Parts\n\n## Morning\n\nText.\n\n### Deep\n\nMore.\n\n## Evening\n\nLast.\n",
    "poem": '# Poem\n\n::: {custom-style="Poem"}\nA line of verse.\n:::\n\n```\ncode\n```\n',
    "quote": "# Quoted\n\n> A quote\n> on two lines.\n\nA line -- *styled*.\n",
    "plain": "# Plain\n\nNothing else.\n",
}
_ALONE = {
    "list": "# Lists\n\n- one\n- two\n",
    "note": "# Notes\n\nA note.[^1]\n\n[^1]: The note.\n",
    "div id": "# Div\n\n::: {#mine}\nText.\n:::\n",
    "table": "# Table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "no heading": "No heading at all.\n",
    "cover's words": "# Escaped\n\nA line\\\nbroken.\n",  # a backslash: manuscript.lua's cover filter runs
}


def test_chapters_of_prose_are_written_to_docx_together_and_cut_as_each_is_written_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pandoc's DOCX writer costs ~32 ms a document however short: chapters of prose are
    written in one document and each chapter's parts cut out of it, its bookmarks numbered as
    when it is written alone and its styles without the custom styles other chapters use. Each
    part is the one the chapter gets converted alone (as an edit build converts it); chapters
    with what is numbered or shared across the book (lists, notes, a div's identifier, a table),
    a chapter without its heading first and one a filter asking for certain words ran over are
    written alone."""
    sample = [chapter_of(path.read_text(encoding="utf-8")) for path in sorted((REPO / "manuscript").glob("*.md"))]
    sources = [chapter_source(chapter, {}) for chapter in sample]
    texts = {**_TOGETHER, **_ALONE}
    sources += [ChapterSource(book_pandoc_input(text)) for text in texts.values()]
    names = [f"sample {number}" for number in range(1, len(sample) + 1)] + list(texts)
    conversion = docx_conversion("en")
    written: list[int] = []
    part_of = chapters._part

    def part(conversion: Conversion, value):  # the answer as pandoc gave it
        written.append(value.get("written_with", 1))
        return part_of(conversion, value)

    monkeypatch.setattr(chapters, "_part", part)
    monkeypatch.setattr(chapters, "_cores", lambda: 1)  # one process: the answers in order
    together = [answer["docx"] for answer in convert([conversion], sources, 0)]
    assert {name for name, count in zip(names, written, strict=True) if count > 1} == set(names) - set(_ALONE)
    assert max(written) == 8  # DOCX_BATCH: more chapters than that make two documents
    alone = [convert([conversion], [source], 0)[0]["docx"] for source in sources]
    for name, part_together, part_alone in zip(names, together, alone, strict=True):
        assert part_together == part_alone, name
    poem = together[names.index("poem")]
    assert isinstance(poem, DocxChapter) and "Poem" in poem.styles
    assert all("Poem" not in part.styles for part in together if isinstance(part, DocxChapter) and part is not poem)


def test_an_interrupt_while_the_next_pandoc_starts_stops_those_already_started(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Ctrl-C or SIGTERM that comes while the chapters' second pandoc process is being started
    stops the first (killed, its answer dropped) rather than waiting for it to convert its whole
    share: the build then ends at once (tests/test_children.py's SIGTERM test timed out on this)."""
    paragraph = "The harbour light went out over the water and she counted the boats. " * 20
    sources = [
        ChapterSource(book_pandoc_input(f"# Chapter {number}\n\n" + "\n\n".join([paragraph] * 400) + "\n"))
        for number in range(1, 3)
    ]
    first: list[subprocess.Popen[bytes]] = []
    start = chapters._start_chapters

    def starting(*args, **kwargs):  # type: ignore[no-untyped-def]
        if first:
            raise KeyboardInterrupt  # as the signal handler raises it in the second start
        answers, early, process = start(*args, **kwargs)
        first.append(process)
        return answers, early, process

    monkeypatch.setattr(chapters, "_cores", lambda: 2)
    monkeypatch.setattr(chapters, "_start_chapters", starting)
    with pytest.raises(KeyboardInterrupt):
        chapters.convert_later([epub_conversion("en")], sources, 0)
    (process,) = first
    assert process.returncode == -9  # killed, not run to its end (0) and then waited for
