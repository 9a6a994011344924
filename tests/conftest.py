"""Shared test fixtures: the ../shared corpus, golden files, fixture projects."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# EPUBCheck (a new Java VM for each file it checks) spends half its time in the JIT's optimising
# compiler, which a run of a few seconds never pays back: stopping at the quick compiler (C1)
# halves each check (20 s -> 10 s on the 2-core development machine). The java launcher reads
# JDK_JAVA_OPTIONS; what EPUBCheck reports does not depend on how its code is compiled. A stack
# overflow does change it: Jing recurses deeply while it compiles EPUBCheck's schemas, and when
# that overflows (as with -Xss512k) EPUBCheck reports no message at all, so a broken book would
# pass. C1's frames are larger than C2's, so the stack gets room to spare (4 MB, the default is
# 1 MB), and tests/render/test_epub.py checks that a broken book still fails.
os.environ.setdefault("JDK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m")
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
# What `fabula build` writes into output/ for a project with chapters and scenes, sorted.
EVERY_OUTPUT = [
    "book.epub",
    "book.pdf",
    "manuscript.docx",
    "outline.html",
    "outline.json",
    "outline.md",
    "report.html",
    "screenplay.fdx",
    "screenplay.html",
    "screenplay.pdf",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from the current output instead of comparing",
    )


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Tables a test left for the end of the run (tests/layout/test_final_draft_pages.py)."""
    for line in getattr(config, "fabula_summaries", []):
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo: skipped on a user's clone, a failure under CI=true."""
    if not SHARED.is_dir():
        message = f"{SHARED} not found: the shared corpus sits beside the repo only in CI and dev machines"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "fountain"


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """``golden(name, text)``: compare text with tests/golden/name, or rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.is_file(), f"golden file {path} missing: run pytest --update-golden and review the diff"
        assert text == path.read_text(encoding="utf-8"), (
            f"output differs from {path}; if the change is intended, run pytest --update-golden and review"
        )

    return check


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of the repo's own sample project (fabula.toml, characters.yaml, manuscript/, screenplay/)."""
    target = tmp_path / "sample"
    target.mkdir()
    for name in ("fabula.toml", "characters.yaml"):
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, target / name)
    for folder in ("manuscript", "screenplay"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def copy_fixture(name: str, tmp_path: Path) -> Path:
    """Copy tests/fixtures/<name> into tmp_path and return the copy."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def outline_of(project, timeline, title: str):
    """The outline of a hand-made project and timeline, as ``Story.outline`` would build it."""
    from toolkit.resolve.outline import build_outline
    from toolkit.resolve.presence import character_index, present_in

    cast = character_index(project)
    presence = tuple(present_in(placement, cast) for placement in timeline.placements)
    return build_outline(project, timeline, presence, cast, title)


def paragraph(span, text: str):
    """A prose block as the Markdown parser makes one of a plain paragraph."""
    from toolkit.model import Block, BlockKind
    from toolkit.words import count_words

    last = span.line + text.count("\n")
    return Block(span, BlockKind.PARAGRAPH, text, text=text, words=count_words(text), last_line=last)


def chapter_of(markdown: str, path: str = "manuscript/1.md"):
    """The first chapter of a Markdown text, parsed as fabula parses a chapter file."""
    from toolkit.parsers.markdown import parse_chapters

    return parse_chapters(path, markdown)[0]


def story_of(root: Path):
    """A project resolved without the cache (tests never write output/.cache into fixtures)."""
    from toolkit import pipeline

    return pipeline.story(root, use_cache=False)
