"""What an edit build's EPUB does again (issue 16): the book's frame (pandoc's EPUB of the front
pages and each chapter's headings) comes from the cache while the headings, the front pages and
the files pandoc reads for it stay as they were; it is made again, before the outputs render,
when any of them changes; the EPUB is always a clean build's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import toolkit.parallel
from toolkit import pipeline
from toolkit.errors import FabulaError
from toolkit.render import epub


def _frames_made(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where a build of the book ran pandoc for the EPUB's frame: "before" the outputs render
    (started while pandoc converts the chapters), or "rendering" (the renderer's own run)."""
    made: list[str] = []
    launch = epub.FrameRun._launch

    def started(self, near=None):
        made.append("before")
        return launch(self, near)

    def rendering(self, folder=None):
        made.append("rendering")
        return launch(self, folder)()

    with monkeypatch.context() as patched:
        patched.setattr(toolkit.parallel, "can_fork", lambda: False)  # every product rendered here
        patched.setattr(epub.FrameRun, "start", started)
        patched.setattr(epub.FrameRun, "make", rendering)
        pipeline.build(root, targets=("book",))
    return made


def _clean_epub(root: Path) -> bytes:
    clean = root.parent / "clean"
    pipeline.build(root, out=clean, targets=("book",), use_cache=False)
    return (clean / "book.epub").read_bytes()


def _append(root: Path, path: str, text: str) -> None:
    source = root / path
    source.write_text(source.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_epubs_frame_comes_from_the_cache(sample_project: Path, monkeypatch) -> None:
    # A first build makes the frame before the outputs render, where the cache is kept.
    assert _frames_made(sample_project, monkeypatch) == ["before"]
    assert list((sample_project / "output" / ".cache").glob("epub-frame-*"))
    # An edit to a chapter's prose: no pandoc run for the frame, the EPUB a clean build's.
    _append(sample_project, "manuscript/3-hogmanay.md", "\nThe lamps were lit early.\n")
    assert _frames_made(sample_project, monkeypatch) == []
    assert (sample_project / "output" / "book.epub").read_bytes() == _clean_epub(sample_project)


def test_the_epubs_frame_is_made_again_when_what_it_reads_changes(sample_project: Path, monkeypatch) -> None:
    assert _frames_made(sample_project, monkeypatch) == ["before"]
    # A new section heading in a chapter: the frame holds every chapter's headings.
    _append(sample_project, "manuscript/3-hogmanay.md", "\n## A Late Hour\n\nThe clock struck.\n")
    assert _frames_made(sample_project, monkeypatch) == ["before"]
    assert (sample_project / "output" / "book.epub").read_bytes() == _clean_epub(sample_project)
    # A stylesheet of the writer's own, then the same file with other bytes.
    (sample_project / "custom.css").write_text("p { margin: 0; }\n", encoding="utf-8")
    config = sample_project / "fabula.toml"
    text = config.read_text(encoding="utf-8")
    assert "[book]" in text
    config.write_text(text.replace("[book]", '[book]\ncss = "custom.css"', 1), encoding="utf-8")
    assert _frames_made(sample_project, monkeypatch) == ["before"]
    (sample_project / "custom.css").write_text("p { margin: 1em; }\n", encoding="utf-8")
    assert _frames_made(sample_project, monkeypatch) == ["before"]
    with zipfile.ZipFile(sample_project / "output" / "book.epub") as archive:
        assert b"margin: 1em" in b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".css"))
    assert (sample_project / "output" / "book.epub").read_bytes() == _clean_epub(sample_project)


def test_a_frame_that_fails_early_is_made_by_the_renderer(sample_project: Path, monkeypatch) -> None:
    """pandoc failing on the frame started early does not fail the build there: the renderer
    runs it again (whose error, if it fails too, is the build's, as without the early start)."""
    made: list[int] = []
    launch = epub.FrameRun._launch

    def failing(self, near=None):
        def wait() -> bytes:
            raise FabulaError("pandoc could not build the EPUB: planted")

        return wait

    def rendering(self, folder=None):
        made.append(1)
        return launch(self, folder)()

    monkeypatch.setattr(toolkit.parallel, "can_fork", lambda: False)
    monkeypatch.setattr(epub.FrameRun, "start", failing)
    monkeypatch.setattr(epub.FrameRun, "make", rendering)
    pipeline.build(sample_project, targets=("book",))
    assert made == [1]
    assert (sample_project / "output" / "book.epub").read_bytes() == _clean_epub(sample_project)
