"""When an edit build starts Typst's child (issue 16): before the project is loaded when a chapter
or fabula.toml was written after the book PDF (loading leaves a core idle meanwhile), not on a
build that will not set the book again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit import pipeline
from toolkit.render import book_pdf


def _order(root: Path, monkeypatch: pytest.MonkeyPatch, targets: tuple[str, ...] = ("book",)) -> list[str]:
    """What came first in a build: Typst's child started ("warm") or the project loaded ("load")."""
    seen: list[str] = []
    warm, load = book_pdf.warm_typst, pipeline.Run.load

    def warming(store: Path | None = None) -> None:
        seen.append("warm")
        warm(store)

    def loading(self, *args, **kwargs):
        seen.append("load")
        return load(self, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(book_pdf, "warm_typst", warming)
        patched.setattr(pipeline.Run, "load", loading)
        pipeline.build(root, targets=targets)
    return seen


def _touch_after(path: Path, output: Path) -> None:
    """``path`` written a second after ``output`` (file times are coarse)."""
    later = output.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(later, later))


def test_typst_starts_before_loading_on_an_edit(sample_project: Path, monkeypatch) -> None:
    pipeline.build(sample_project, targets=("book",))
    pdf = sample_project / "output" / "book.pdf"
    # Nothing written since: the child is started only where the book PDF is set, if it is.
    assert _order(sample_project, monkeypatch)[:1] == ["load"]
    chapter = sample_project / "manuscript" / "3-hogmanay.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe lamps were lit early.\n", encoding="utf-8")
    _touch_after(chapter, pdf)
    assert _order(sample_project, monkeypatch)[:2] == ["warm", "load"]
    # fabula.toml written again (the same text): started early too, and the build's outputs stay.
    _touch_after(sample_project / "fabula.toml", pdf)
    assert _order(sample_project, monkeypatch)[:2] == ["warm", "load"]
    clean = sample_project.parent / "clean"
    pipeline.build(sample_project, out=clean, targets=("book",), use_cache=False)
    assert pdf.read_bytes() == (clean / "book.pdf").read_bytes()


def test_typst_is_not_started_early_for_a_screenplay_edit(sample_project: Path, monkeypatch) -> None:
    pipeline.build(sample_project)
    scene = sorted((sample_project / "screenplay").glob("*.fountain"))[0]
    scene.write_text(scene.read_text(encoding="utf-8") + "\nThe wind drops.\n", encoding="utf-8")
    _touch_after(scene, sample_project / "output" / "book.pdf")
    assert "warm" not in _order(sample_project, monkeypatch, ("book", "screenplay"))
