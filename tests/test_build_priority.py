"""Who yields the CPU to Typst's child (issue 16). A build that hands the child the book once
pandoc has written every chapter's Typst has the chapters' pandoc processes yield to it from
then on: setting the book is then the longest path. A clean build hands it the book as pandoc
starts (it sets each chapter as pandoc writes its Typst): pandoc keeps its priority there, and
so it does after an edit of one chapter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import children, pipeline
from toolkit.render import chapters

needs_priorities = pytest.mark.skipif(not hasattr(os, "setpriority"), reason="no process priorities here")


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


@needs_priorities
def test_yield_cpu_lowers_a_running_child_once_and_leaves_an_ended_one() -> None:
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    running, ended = _sleeper(), subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    try:
        children.yield_cpu([running, ended])
        lowered = os.getpriority(os.PRIO_PROCESS, running.pid)
        assert lowered == min(19, mine + children.YIELDED_NICENESS)
        children.yield_cpu([running])  # once: not lowered again
        assert os.getpriority(os.PRIO_PROCESS, running.pid) == lowered
        assert os.getpriority(os.PRIO_PROCESS, 0) == mine  # fabula's own priority stays
    finally:
        running.kill()
        running.wait()


def _spy(monkeypatch: pytest.MonkeyPatch) -> tuple[list[list[int]], list[int], list[str]]:
    """What yield_cpu was asked to lower (pids, each call), the chapters' pandoc processes started,
    and how many hand-overs to Typst's child had happened at each call."""
    lowered: list[list[int]] = []
    started: list[int] = []
    handed: list[str] = []
    start, hand, yield_cpu = children.start, children.hand, children.yield_cpu

    def starting(args, **kwargs):
        process = start(args, **kwargs)
        if any(str(arg).endswith("chapters.lua") for arg in args):
            started.append(process.pid)
        return process

    def handing(name, request):
        handed.append(name)
        return hand(name, request)

    def yielding(processes):
        lowered.append([process.pid for process in processes])
        return yield_cpu(processes)

    monkeypatch.setattr(children, "start", starting)
    monkeypatch.setattr(children, "hand", handing)
    monkeypatch.setattr(children, "yield_cpu", yielding)
    return lowered, started, handed


@needs_priorities
def test_a_build_handed_every_chapters_typst_has_pandoc_yield_to_typst(sample_project: Path, monkeypatch) -> None:
    """With the early texts handed all at once (as a build whose Typst cannot stream: see
    book_pdf._streamable), pandoc yields right after the hand-over."""
    from toolkit.render import book_pdf

    monkeypatch.setattr(book_pdf, "_streamable", lambda *args: False)
    lowered, started, handed = _spy(monkeypatch)
    after: list[int] = []
    yield_to_book = chapters.BookParts.yield_to_book

    def yielding(self):
        after.append(len(handed))
        return yield_to_book(self)

    monkeypatch.setattr(chapters.BookParts, "yield_to_book", yielding)
    pipeline.build(sample_project, targets=("book",))
    assert started and lowered == [started]  # every chapter's pandoc process, once
    assert after == [1]  # right after Typst's child was handed the book
    assert (sample_project / "output" / "book.pdf").is_file()


@needs_priorities
def test_a_clean_build_hands_typst_the_book_as_pandoc_starts_and_pandoc_keeps_its_priority(
    sample_project: Path, monkeypatch
) -> None:
    lowered, started, handed = _spy(monkeypatch)
    hand = children.hand
    running_at_hand: list[int] = []

    def handing(name, request):
        running_at_hand.append(len(started))
        return hand(name, request)

    monkeypatch.setattr(children, "hand", handing)
    pipeline.build(sample_project, targets=("book",))
    assert handed == ["typst"] and started and running_at_hand == [len(started)]  # pandoc had started
    assert lowered == []
    assert (sample_project / "output" / "book.pdf").is_file()


@needs_priorities
def test_after_an_edit_of_one_chapter_pandoc_keeps_its_priority(sample_project: Path, monkeypatch) -> None:
    pipeline.build(sample_project, targets=("book",))
    chapter = next((sample_project / "manuscript").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe lamp went out.\n", encoding="utf-8")
    lowered, started, handed = _spy(monkeypatch)
    pipeline.build(sample_project, targets=("book",))
    assert len(started) == 1 and handed and lowered == []
