"""What an edit build no longer does twice or from scratch (issue 16, the edit build's tail):
whether the book may fetch an image or raw HTML is asked once a build."""

from __future__ import annotations

import toolkit.parallel
import toolkit.render.pandoc
from tests.conftest import chapter_of
from toolkit import pipeline


def test_may_fetch_is_worked_out_once_for_the_chapters_of_a_build(monkeypatch) -> None:
    looked = []
    real = toolkit.render.pandoc._may_fetch
    monkeypatch.setattr(toolkit.render.pandoc, "_may_fetch", lambda found: looked.append(1) or real(found))
    chapters = (chapter_of("# One\n\nA ![lamp](lamp.png) burned.\n"), chapter_of("# Two\n\nDark.\n"))
    assert toolkit.render.pandoc.may_fetch(chapters) and toolkit.render.pandoc.may_fetch(chapters)
    assert len(looked) == 1
    others = (chapter_of("# One\n\nA lamp burned.\n"), chapter_of("# Two\n\nDark.\n"))
    assert not toolkit.render.pandoc.may_fetch(others) and len(looked) == 2
    assert toolkit.render.pandoc.may_fetch(list(chapters)) and len(looked) == 3  # a list may change


def test_a_book_build_asks_whether_pandoc_may_fetch_once(sample_project, monkeypatch) -> None:
    looked = []
    real = toolkit.render.pandoc._may_fetch
    monkeypatch.setattr(toolkit.render.pandoc, "_may_fetch", lambda found: looked.append(1) or real(found))
    monkeypatch.setattr(toolkit.parallel, "can_fork", lambda: False)  # every product renders here
    pipeline.build(sample_project, targets=("book",))
    assert len(looked) == 1
