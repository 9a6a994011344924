"""What an edit build does again and what it takes from the cache (issue 16).

Who is present in each chapter's passages and the report's counts are kept per chapter: an
edit works out its own chapter's again; a changed cast or pagination works out everything
again; a damaged entry is made again, never trusted. pandoc's abbreviations are kept too (one
pandoc run less before the edited chapter goes to pandoc), and what the book's outputs each
ask of the chapters (references across chapters) is worked out once a build."""

from __future__ import annotations

from pathlib import Path

import pytest

import toolkit.parallel
import toolkit.render.chapters
import toolkit.render.pandoc
import toolkit.resolve.presence
import toolkit.stats_counts
from tests.conftest import story_of
from toolkit import pipeline
from toolkit.cache import CACHE_FOLDER, MAGIC
from toolkit.errors import FabulaError
from toolkit.stats import project_stats

HOGMANAY = "manuscript/3-hogmanay.md"


def _append(root: Path, path: str, text: str) -> None:
    source = root / path
    source.write_text(source.read_text(encoding="utf-8") + text, encoding="utf-8")


def _presence(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[set[str], tuple[tuple[str, ...], ...]]:
    """The chapters whose passages' presence was worked out (not found in the cache), and the presence."""
    worked: set[str] = set()
    real = toolkit.resolve.presence.present_in

    def counting(placement, people):
        if placement.passage is not None:
            worked.add(placement.span.path)
        return real(placement, people)

    # The story imports it from its module where it first works a presence out (Story.present).
    monkeypatch.setattr(toolkit.resolve.presence, "present_in", counting)
    with pipeline.Run.open(root) as run:
        presence = run.resolve(run.load()).presence
    monkeypatch.setattr(toolkit.resolve.presence, "present_in", real)
    return worked, presence


def _damage(root: Path, kind: str) -> int:
    entries = sorted((root / "output" / CACHE_FOLDER).glob(f"{kind}-*"))
    for entry in entries:
        data = entry.read_bytes()
        entry.write_bytes(data[:-2] + bytes([data[-2] ^ 0x20]) + data[-1:])
    return len(entries)


def test_an_edit_works_out_the_presence_of_its_own_chapter_only(sample_project: Path, monkeypatch) -> None:
    chapters = {f"manuscript/{p.name}" for p in (sample_project / "manuscript").glob("*.md")}
    worked, _ = _presence(sample_project, monkeypatch)
    assert worked == chapters
    worked, _ = _presence(sample_project, monkeypatch)
    assert worked == set()
    _append(sample_project, HOGMANAY, "\nMaren and Callum watched the harbour lights.\n")
    worked, presence = _presence(sample_project, monkeypatch)
    assert worked == {HOGMANAY}
    assert presence == story_of(sample_project).presence


def test_a_new_character_works_out_every_chapters_presence_again(sample_project: Path, monkeypatch) -> None:
    """Who is present depends on whom the story looks for: a character added to the bible
    (named in every chapter) is no cached chapter's answer."""
    _presence(sample_project, monkeypatch)
    _append(sample_project, "characters.yaml", "\n  - name: Kittiwake\n")
    worked, presence = _presence(sample_project, monkeypatch)
    assert worked == {f"manuscript/{p.name}" for p in (sample_project / "manuscript").glob("*.md")}
    assert presence == story_of(sample_project).presence
    assert any("Kittiwake" in names for names in presence)


def test_a_damaged_presence_entry_is_worked_out_again(sample_project: Path, monkeypatch) -> None:
    _presence(sample_project, monkeypatch)
    assert _damage(sample_project, "presence") == 6
    worked, presence = _presence(sample_project, monkeypatch)
    assert len(worked) == 6 and presence == story_of(sample_project).presence
    for entry in (sample_project / "output" / CACHE_FOLDER).glob("presence-*"):
        assert entry.read_bytes().startswith(MAGIC)
    assert _presence(sample_project, monkeypatch)[0] == set()


PLAIN = pipeline.Overrides()


def _counts(root: Path, monkeypatch: pytest.MonkeyPatch, overrides: pipeline.Overrides = PLAIN):
    """How many chapters and screenplays the report's counts were made for (not found in the
    cache), and the stats made with them."""
    made = {"chapters": 0, "screenplay": 0}
    chapter_counts, screenplay_counts = toolkit.stats_counts.chapter_counts, toolkit.stats_counts.screenplay_counts

    def count_chapter(chapter):
        made["chapters"] += 1
        return chapter_counts(chapter)

    def count_screenplay(screenplay, layout):
        made["screenplay"] += 1
        return screenplay_counts(screenplay, layout)

    monkeypatch.setattr(toolkit.stats_counts, "chapter_counts", count_chapter)
    monkeypatch.setattr(toolkit.stats_counts, "screenplay_counts", count_screenplay)
    with pipeline.Run.open(root) as run:
        story = run.resolve(run.load(), overrides)
        parts = run.stats_parts(story)
    monkeypatch.setattr(toolkit.stats_counts, "chapter_counts", chapter_counts)
    monkeypatch.setattr(toolkit.stats_counts, "screenplay_counts", screenplay_counts)
    return made, project_stats(story, parts)


def _clean_stats(root: Path, overrides: pipeline.Overrides = PLAIN):
    with pipeline.Run.open(root, root.parent / "clean", use_cache=False) as run:
        return project_stats(run.resolve(run.load(), overrides))


def test_the_reports_counts_are_made_for_the_edited_part_only(sample_project: Path, monkeypatch) -> None:
    made, stats = _counts(sample_project, monkeypatch)
    assert made == {"chapters": 6, "screenplay": 1} and stats == _clean_stats(sample_project)
    assert _counts(sample_project, monkeypatch)[0] == {"chapters": 0, "screenplay": 0}
    _append(sample_project, HOGMANAY, '\n"Not tonight," Maren said, and the lamps went out.\n')
    made, stats = _counts(sample_project, monkeypatch)
    assert made == {"chapters": 1, "screenplay": 0} and stats == _clean_stats(sample_project)
    _append(sample_project, "screenplay/3-hogmanay.fountain", "\nMAREN\nNot tonight.\n")
    made, stats = _counts(sample_project, monkeypatch)
    assert made == {"chapters": 0, "screenplay": 1} and stats == _clean_stats(sample_project)


def test_another_pagination_paginates_the_screenplay_again(sample_project: Path, monkeypatch) -> None:
    """Printed notes take lines (``--notes``): the screenplay's counts are not the unprinted ones."""
    _counts(sample_project, monkeypatch)
    notes = pipeline.Overrides(notes=True)
    made, stats = _counts(sample_project, monkeypatch, notes)
    assert made == {"chapters": 0, "screenplay": 1} and stats == _clean_stats(sample_project, notes)
    assert stats != _clean_stats(sample_project)


def test_a_damaged_count_entry_is_made_again(sample_project: Path, monkeypatch) -> None:
    _counts(sample_project, monkeypatch)
    assert _damage(sample_project, "stats") == 7
    made, stats = _counts(sample_project, monkeypatch)
    assert made == {"chapters": 6, "screenplay": 1} and stats == _clean_stats(sample_project)
    assert _counts(sample_project, monkeypatch)[0] == {"chapters": 0, "screenplay": 0}


def test_an_edit_build_writes_the_report_and_outline_of_a_clean_build(sample_project: Path) -> None:
    """End to end through ``pipeline.build`` (the counts read before the products are shared
    out between two processes): after an edit, every output equals a clean build's."""
    only = ("outline", "report")
    pipeline.build(sample_project, targets=only)
    _append(sample_project, HOGMANAY, '\n"Callum," said Maren, "the boat."\n')
    pipeline.build(sample_project, targets=only)
    clean = sample_project.parent / "clean"
    pipeline.build(sample_project, out=clean, targets=only, use_cache=False)
    for name in ("outline.md", "outline.html", "outline.json", "report.html"):
        assert (sample_project / "output" / name).read_bytes() == (clean / name).read_bytes(), name


def _abbreviations_asked(root: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How often a book build asked pandoc for its abbreviations."""
    asked = []
    real = toolkit.render.pandoc.default_abbreviations.__wrapped__

    def asking() -> tuple[str, ...]:
        asked.append(1)
        return real()

    monkeypatch.setattr(toolkit.render.chapters, "default_abbreviations", asking)
    pipeline.build(root, targets=("book",))
    monkeypatch.setattr(toolkit.render.chapters, "default_abbreviations", real)
    return len(asked)


def test_pandocs_abbreviations_come_from_the_cache(sample_project: Path, monkeypatch) -> None:
    assert _abbreviations_asked(sample_project, monkeypatch) == 1
    _append(sample_project, HOGMANAY, "\nDr. Reid came aboard.\n")
    assert _abbreviations_asked(sample_project, monkeypatch) == 0
    assert _damage(sample_project, "pandoc") == 1
    _append(sample_project, HOGMANAY, "\nMrs. Reid came too.\n")
    assert _abbreviations_asked(sample_project, monkeypatch) == 1
    clean = sample_project.parent / "clean"
    pipeline.build(sample_project, out=clean, targets=("book",), use_cache=False)
    for name in ("book.epub", "book.pdf", "manuscript.docx"):
        assert (sample_project / "output" / name).read_bytes() == (clean / name).read_bytes(), name


def test_references_across_chapters_are_looked_for_once_a_build(monkeypatch) -> None:
    from tests.conftest import chapter_of

    looked = []
    real = toolkit.render.pandoc._references_across
    monkeypatch.setattr(toolkit.render.pandoc, "_references_across", lambda found: looked.append(1) or real(found))
    chapters = (chapter_of("# The Lamp\n\nIt burned.\n"), chapter_of("# Two\n\nSee [The Lamp].\n"))
    assert toolkit.render.pandoc.references_across(chapters) and toolkit.render.pandoc.references_across(chapters)
    assert len(looked) == 1
    others = (chapter_of("# The Lamp\n\nIt burned.\n"), chapter_of("# Two\n\nSee the lamp.\n"))
    assert not toolkit.render.pandoc.references_across(others) and len(looked) == 2
    assert toolkit.render.pandoc.references_across(list(chapters)) and len(looked) == 3  # a list may change


def test_finding_pandoc_imports_no_pypandoc() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from toolkit.render.pandoc import pandoc_path; path = pandoc_path(); "
        "print(path, 'pypandoc' in sys.modules); import pypandoc; from pathlib import Path; "
        "print(Path(pypandoc.__file__).resolve().parent / 'files' / path.name)"
    )
    found, expected = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert found.endswith(" False") and found.removesuffix(" False") == expected


def test_a_warm_typst_child_sets_the_same_pdf(monkeypatch) -> None:
    """The book PDF's Typst child, started ahead while pandoc converts, is handed the book later
    and gives the bytes a child started then gives."""
    from toolkit import children
    from toolkit.render import book_pdf

    source = "= One\n\nText.\n"
    cold = book_pdf.compile_typst(source, 0)
    book_pdf.warm_typst()
    started = children._WARM[book_pdf.TYPST_CHILD][1]
    assert book_pdf.compile_typst(source, 0) == cold
    assert started.returncode == 0 and book_pdf.TYPST_CHILD not in children._WARM
    book_pdf.warm_typst()  # a warm child's time limit is counted from the hand-over
    monkeypatch.setattr(book_pdf, "TIME_LIMIT_SECONDS", 0.0)
    monkeypatch.setattr(book_pdf, "TIME_LIMIT_PER_MEGABYTE", 0.0)
    with pytest.raises(FabulaError, match=r"^Typst, setting the book PDF, ran past its time limit"):
        book_pdf.compile_typst(source, 0)


def test_a_warm_child_nothing_took_is_ended() -> None:
    from toolkit import children
    from toolkit.render import book_pdf

    book_pdf.warm_typst()
    process = children._WARM[book_pdf.TYPST_CHILD][1]
    children.drop_warm()
    assert process.returncode is not None and not children._WARM


@pytest.mark.skipif(not toolkit.parallel.can_fork(), reason="the build's worker is forked on Linux only")
def test_a_forked_worker_hands_the_parents_warm_child_the_book(tmp_path: Path) -> None:
    """The worker that renders the book PDF uses the Typst child its parent started: it writes
    the request and reads the answer through the inherited pipes (it cannot wait for its
    parent's child), and the parent reaps the child when the build ends."""
    import os

    from toolkit import children
    from toolkit.render import book_pdf

    source = "= One\n\nText.\n"
    cold = book_pdf.compile_typst(source, 0)
    book_pdf.warm_typst()
    process = children._WARM[book_pdf.TYPST_CHILD][1]
    written = tmp_path / "worker.pdf"
    pid = os.fork()
    if pid == 0:
        try:
            written.write_bytes(book_pdf.compile_typst(source, 0))
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert written.read_bytes() == cold
    assert book_pdf.TYPST_CHILD in children._WARM  # still the parent's to reap
    children.drop_warm()
    assert process.returncode is not None and not children._WARM


def test_a_build_that_fails_leaves_no_warm_child(sample_project: Path, monkeypatch) -> None:
    import toolkit.render.products
    from toolkit import children

    started = []
    warm = children.warm
    monkeypatch.setattr(
        children, "warm", lambda name, args: (warm(name, args), started.append(children._WARM[name][1]))
    )

    def failing(story, path, parts):
        raise FabulaError("the EPUB failed")

    monkeypatch.setattr(toolkit.render.products, "_book", failing)
    monkeypatch.setattr(toolkit.parallel, "can_fork", lambda: False)
    with pytest.raises(FabulaError, match="the EPUB failed"):
        pipeline.build(sample_project, targets=("book",))
    # One child (a clean build asks for it before parsing, and again where pandoc starts), ended.
    assert len({process.pid for process in started}) == 1 and started[0].returncode is not None
    assert not children._WARM
