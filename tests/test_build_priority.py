"""A clean build gives Typst's child the CPU once it has the book (issue 16): from the hand-over
on, setting the book chapter by chapter is the build's longest path, so the chapters' pandoc
processes, which have only their share of the EPUB's and DOCX's parts left, yield to it."""

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
def test_a_clean_build_has_the_chapters_pandoc_yield_to_typst_once_it_has_the_book(
    sample_project: Path, monkeypatch
) -> None:
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
def test_after_an_edit_of_one_chapter_pandoc_keeps_its_priority(sample_project: Path, monkeypatch) -> None:
    pipeline.build(sample_project, targets=("book",))
    chapter = next((sample_project / "manuscript").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe lamp went out.\n", encoding="utf-8")
    lowered, started, handed = _spy(monkeypatch)
    pipeline.build(sample_project, targets=("book",))
    assert len(started) == 1 and handed and lowered == []
