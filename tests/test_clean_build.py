"""How a clean build schedules its work (issue 16): Typst's child starts before the sources are
parsed, and sets the book PDF from the chapters' Typst as soon as pandoc has written it, while
pandoc goes on with the EPUB's and the DOCX's; the PDF is the same bytes either way."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import toolkit.loader
import toolkit.parallel
from tests.conftest import chapter_of
from toolkit import children, pipeline
from toolkit.errors import FabulaError
from toolkit.render import book_pdf, chapters
from toolkit.render.chapters import chapter_source, convert_later
from toolkit.render.epub import epub_conversion


def _handed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Spy on hand-overs to a warm child: for each, how many chapter parts of pandoc's answers
    had been read back when it happened."""
    read_back: list[int] = []
    handed: list[int] = []
    part, hand = chapters._part, children.hand

    def reading(conversion, value):
        read_back.append(1)
        return part(conversion, value)

    def handing(name, request):
        handed.append(len(read_back))
        return hand(name, request)

    monkeypatch.setattr(chapters, "_part", reading)
    monkeypatch.setattr(children, "hand", handing)
    return handed


def test_a_clean_build_hands_typst_the_book_before_pandoc_ends(sample_project: Path, monkeypatch) -> None:
    """The book PDF goes to Typst's child before any of pandoc's answers is read back, and is
    the PDF of a build that hands it over when it renders (as an edit build does)."""
    handed = _handed(monkeypatch)
    pipeline.build(sample_project, targets=("book",))
    early = (sample_project / "output" / "book.pdf").read_bytes()
    assert handed == [0] and not children._WARM and not children._HANDED
    shutil.rmtree(sample_project / "output")
    monkeypatch.setattr(book_pdf, "hand_early", lambda *args, **kwargs: None)
    pipeline.build(sample_project, targets=("book",))
    assert (sample_project / "output" / "book.pdf").read_bytes() == early
    assert handed == [0]  # not handed early the second time


def test_an_edit_build_hands_typst_the_book_before_the_checks(sample_project: Path, monkeypatch) -> None:
    """After an edit too the book goes to Typst's child as soon as pandoc has written the edited
    chapter's Typst: before pandoc's answers are read back and before the checks run; the PDF
    is a clean build's, and the chapters' PDFs no longer used leave the cache."""
    pipeline.build(sample_project, targets=("book",))
    store = sample_project / "output" / ".cache"
    before = {path.name for path in store.glob("typst-*.pdf")}
    chapter = next((sample_project / "manuscript").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe lamp went out.\n", encoding="utf-8")
    handed = _handed(monkeypatch)
    checked, check = [], pipeline.Run.check
    monkeypatch.setattr(pipeline.Run, "check", lambda self, story: (checked.append(len(handed)), check(self, story))[1])
    pipeline.build(sample_project, targets=("book",))
    assert handed == [0] and checked == [1] and not children._WARM and not children._HANDED
    after = {path.name for path in store.glob("typst-*.pdf")}
    assert len(after) == len(before) and len(after - before) >= 1  # the edited chapter's, set again
    assert not list(sample_project.joinpath("output").glob(".fabula-stage-*"))
    clean = sample_project.parent / "clean"
    pipeline.build(sample_project, out=clean, targets=("book",), use_cache=False)
    assert (sample_project / "output" / "book.pdf").read_bytes() == (clean / "book.pdf").read_bytes()


@pytest.mark.skipif(not toolkit.parallel.can_fork(), reason="the build's worker is forked on Linux only")
def test_the_worker_reads_the_book_typst_was_handed_early(sample_project: Path, monkeypatch, tmp_path: Path) -> None:
    """Whichever process renders book.pdf reads the answer of the child its parent handed the
    book: the forked worker too (through the inherited pipes; the parent reaps the child). The
    main process is held at a gate until the worker has read it."""
    import time

    import toolkit.render.products

    real, collect, main = toolkit.render.products.products, children.collect, os.getpid()
    readers = tmp_path / "readers"

    def gate(path: Path) -> None:
        # The main process waits here until book.pdf was read elsewhere; the worker, until the
        # main process holds the other gate (so it goes on to claim book.pdf).
        mine = os.getpid() == main
        (tmp_path / f"gate-{mine}").write_text("")
        deadline = time.monotonic() + 60
        while not (readers if mine else tmp_path / "gate-True").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        path.write_text("")

    def pdf_third(*args, **kwargs):
        chosen, skipped = real(*args, **kwargs)
        gates = [toolkit.render.products.Product(f"gate-{n}.txt", gate) for n in (1, 2)]
        return [*gates, *sorted(chosen, key=lambda p: p.name != "book.pdf")], skipped

    def collecting(name, seconds, what):
        with readers.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return collect(name, seconds, what)

    assert toolkit.parallel.can_fork(), "a thread an earlier test left running: this process cannot fork"
    monkeypatch.setattr(pipeline, "products", pdf_third)
    monkeypatch.setattr(children, "collect", collecting)
    handed = _handed(monkeypatch)
    pipeline.build(sample_project, targets=("book", "outline"))
    assert handed == [0] and not children._WARM and not children._HANDED
    assert len(readers.read_text().split()) == 1 and readers.read_text().split() != [str(os.getpid())]
    early = (sample_project / "output" / "book.pdf").read_bytes()
    shutil.rmtree(sample_project / "output")
    monkeypatch.setattr(book_pdf, "hand_early", lambda *args, **kwargs: None)
    pipeline.build(sample_project, targets=("book",))
    assert (sample_project / "output" / "book.pdf").read_bytes() == early


def test_a_clean_build_starts_typst_before_parsing(sample_project: Path, monkeypatch) -> None:
    events: list[str] = []
    warm, load = children.warm, toolkit.loader.load_project

    def warming(name, args):
        if name not in children._WARM:  # a child is started (not one already there)
            events.append("warm")
        warm(name, args)

    monkeypatch.setattr(children, "warm", warming)
    monkeypatch.setattr(pipeline, "load_project", lambda *a, **k: (events.append("load"), load(*a, **k))[1])
    pipeline.build(sample_project, targets=("book",))
    assert events == ["warm", "load"]
    events.clear()
    chapter = next((sample_project / "manuscript").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe lamp went out.\n", encoding="utf-8")
    later = (sample_project / "output" / "book.pdf").stat().st_mtime_ns + 1_000_000_000  # file times are coarse
    os.utime(chapter, ns=(later, later))
    pipeline.build(sample_project, targets=("book",))  # an edit: the child starts before loading too
    assert events == ["warm", "load"]
    events.clear()
    pipeline.build(sample_project, targets=("outline",))
    assert events == ["load"]


def test_a_clean_build_that_fails_to_load_leaves_no_warm_child(sample_project: Path) -> None:
    (sample_project / "manuscript" / "9-broken.md").write_bytes(b"# Broken\n\n\xff\xfe not UTF-8\n")
    with pytest.raises(FabulaError, match="not valid UTF-8"):
        pipeline.build(sample_project, targets=("book",))
    assert not children._WARM and not children._HANDED


def test_pandoc_writes_the_early_conversion_first_and_the_same(monkeypatch) -> None:
    """``convert_later(early=...)``: each process's early texts are the answers' texts, by the
    index of their source."""
    from toolkit.render.book_pdf import typst_conversion

    monkeypatch.setattr(chapters, "_cores", lambda: 2)
    typst = typst_conversion("en")
    sources = [chapter_source(chapter_of(f"# The Harbour {n}\n\nThe boats came in, {n}.\n"), {}) for n in range(3)]
    waits: list = []
    answers = convert_later([epub_conversion("en"), typst], sources, 0, None, typst, waits)
    early: dict[int, str] = {}
    for wait in waits:
        early.update(wait())
    answered = answers()
    assert len(waits) == 2 and early == {index: answer["typst"] for index, answer in enumerate(answered)}
    assert "= The Harbour 2" in early[2]
