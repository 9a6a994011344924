"""One parse, one resolved story, one pipeline: every output agrees on what the text is."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from tests.conftest import FIXTURES, story_of
from toolkit import parallel, pipeline
from toolkit.diagnostics import Diagnostic
from toolkit.model import BlockKind
from toolkit.resolve import Story

INDENTED = FIXTURES / "indented"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/indented built as a book: a letter indented in flush prose, a chapter
    indented throughout, a spaced and indented scene break, two setext chapters in one file."""
    out = tmp_path_factory.mktemp("indented")
    pipeline.build(INDENTED, out, ("book", "outline", "report"), use_cache=False)
    return out


def epub_chapters(epub: Path) -> list[str]:
    with zipfile.ZipFile(epub) as archive:
        names = sorted(n for n in archive.namelist() if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n))
        texts = [archive.read(name).decode("utf-8") for name in names]
    return [text for text in texts if 'body epub:type="bodymatter"' in text]  # the front pages left out


def test_the_letter_is_a_block_quote_in_the_epub_and_nothing_is_code(book: Path) -> None:
    letter, habit, arrival, departure = epub_chapters(book / "book.epub")
    assert "<pre" not in "".join((letter, habit)) and "<code" not in "".join((letter, habit))
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", letter, re.DOTALL)
    assert len(quotes) == 1  # one letter, three paragraphs
    assert (
        re.findall(r"<p>(.*?)</p>", quotes[0], re.DOTALL)[0].split()
        == (
            "Dear Maren, the council has written again about the school. They say the roll is too small "
            "and the roof too old, and that the children could take the boat each morning."
        ).split()
    )
    assert "Your father" in quotes[0] and "She folded it" not in quotes[0]
    assert letter.count("<hr") == 1  # the indented "*   *   *"
    assert "<blockquote" not in habit and habit.count("<p>") == 3
    assert "She counted the cups, then counted them again,\nas if" in habit or "again, as if" in habit
    assert ">Arrival<" in arrival and ">Departure<" in departure


def test_the_print_pdf_sets_no_line_in_a_monospace_font(book: Path) -> None:
    reader = pypdf.PdfReader(book / "book.pdf")
    fonts = set()
    for page in reader.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and not any("Mono" in font or "Courier" in font for font in fonts), fonts
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Dear Maren" in text and "The kettle was on before the light." in text


def test_the_manuscript_quotes_the_letter_and_sets_no_code(book: Path) -> None:
    styles = [(p.style.name, p.text) for p in docx.Document(str(book / "manuscript.docx")).paragraphs]
    assert not [text for style, text in styles if "Source" in style or "Code" in style]
    quoted = [text for style, text in styles if style == "Block Text"]
    assert quoted[0].startswith("Dear Maren,") and quoted[-1] == "Your father"
    assert ("Body Text", "None had.") in styles or any(text == "None had." for _, text in styles)


def test_setext_chapters_agree_in_outline_stats_and_book(book: Path) -> None:
    outline = (book / "outline.md").read_text(encoding="utf-8")
    assert "**Arrival**" in outline and "**Departure**" in outline
    story = story_of(INDENTED)
    assert [c.title for c in story.project.chapters] == ["The Letter", "Habit", "Arrival", "Departure"]
    nav = zipfile.ZipFile(book / "book.epub").read("EPUB/nav.xhtml").decode("utf-8")
    assert nav.count("<li") - nav.count('epub:type="landmarks"') >= 4
    for title in ("The Letter", "Habit", "Arrival", "Departure"):
        assert f">{title}<" in nav


FLASHBACK_SCRIPT = """\
# 30 December 2023

INT. KITCHEN - NIGHT

Snow at the window.

# 5 June

[[flashback]]

EXT. BEACH - DAY

Summer, long ago.

# 2 January

INT. KITCHEN - DAY

The snow is gone.
"""

FLASHBACK_PROSE = {
    "1.md": "# 30 December 2023\n\nSnow at the window.\n",
    "2.md": "---\nflashback: true\n---\n# 5 June\n\nSummer, long ago.\n",
    "3.md": "# 2 January\n\nThe snow is gone.\n",
}


def test_a_flashback_is_one_rule_for_prose_screenplay_calendar_and_checks(tmp_path: Path) -> None:
    """Screenplay sections with a [[flashback]] note and prose with ``flashback: true`` give the
    same calendar: the year runs on from 30 December 2023 into 2 January 2024."""
    script = tmp_path / "script"
    (script / "screenplay").mkdir(parents=True)
    (script / "screenplay" / "1.fountain").write_text(FLASHBACK_SCRIPT, encoding="utf-8")
    prose = tmp_path / "prose"
    (prose / "manuscript").mkdir(parents=True)
    for name, text in FLASHBACK_PROSE.items():
        (prose / "manuscript" / name).write_text(text, encoding="utf-8")
    for root in (script, prose):
        story, findings = pipeline.check(root, use_cache=False)
        dates = [p.day.date for p in story.timeline.placements if p.day is not None and p.day.date is not None]
        assert [date.iso() for date in dates] == [
            "2023-12-30",
            "--06-05",
            "2024-01-02",
        ], root.name
        assert findings == []
        assert [flagged.flashback for stream in story.streams for flagged in stream.marks] == [False, True, False]


def test_a_build_resolves_the_story_once(sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The outline, the stats and the PDF read one resolved story: the outline is built once, the
    screenplay paginated once, the calendar worked out once (in order, in one process)."""
    import toolkit.layout as layout
    import toolkit.resolve as resolve
    import toolkit.resolve.outline as outline

    calls = {"calendar": 0, "outline": 0, "paginate": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    monkeypatch.setattr(resolve, "story_calendar", counted("calendar", resolve.story_calendar))
    # The story imports these where it first uses them (a screenplay build needs no outline).
    monkeypatch.setattr(outline, "build_outline", counted("outline", outline.build_outline))
    monkeypatch.setattr(layout, "paginate", counted("paginate", layout.paginate))
    built = pipeline.build(sample_project, tmp_path / "out", use_cache=False)
    assert len(built.report.written) == 10 and built.findings == ()
    assert calls == {"calendar": 1, "outline": 1, "paginate": 1}


def worked_out_when_shared(monkeypatch: pytest.MonkeyPatch, parts: set[str]) -> tuple[list[Story], list[set[str]]]:
    """The stories the next build resolves, and which of ``parts`` of its story were worked out
    when its products were shared out (pipeline.render called)."""
    stories: list[Story] = []
    worked_out: list[set[str]] = []
    resolve, render = pipeline.resolve, pipeline.render

    def resolving(*args):
        stories.append(resolve(*args))
        return stories[-1]

    def rendering(jobs, progress=None, alongside=None, size=0):
        worked_out.append(set(stories[0].__dict__) & parts)
        render(jobs, progress, alongside, size)

    monkeypatch.setattr(pipeline, "resolve", resolving)
    monkeypatch.setattr(pipeline, "render", rendering)
    return stories, worked_out


def test_parts_two_products_share_are_worked_out_before_they_are_shared_out(
    sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the products are split between two processes, the outline and the layout (each read
    by two products) are worked out in this one, so that the forked worker inherits them."""
    _, worked_out = worked_out_when_shared(monkeypatch, {"outline", "layout"})
    pipeline.build(sample_project, tmp_path / "out", use_cache=False)
    assert worked_out == [{"outline", "layout"}]
    # A check needs neither: nothing is worked out that nobody reads.
    story, _ = pipeline.check(sample_project, use_cache=False)
    assert not set(story.__dict__) & {"outline", "layout"}


def test_a_screenplay_build_works_the_timeline_and_cast_out_where_the_checks_run(
    sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the checks and the summary of a screenplay build read the timeline and the cast: they
    are not worked out before the products are shared out (the PDF's process would wait for
    them, issue 16), but in this process, where the checks run; the same ones as before."""
    from toolkit.resolve.presence import character_index, screenplay_cues
    from toolkit.resolve.timeline import build_timeline

    stories, worked_out = worked_out_when_shared(monkeypatch, {"timeline", "cast"})
    built = pipeline.build(sample_project, tmp_path / "out", ("screenplay",), use_cache=False)
    (story,) = stories
    assert worked_out == [set()] and {"timeline", "cast"} <= set(story.__dict__)
    assert [path.name for path in built.report.written] == ["screenplay.pdf", "screenplay.fdx", "screenplay.html"]
    scenes = [placement for placement in story.timeline.placements if placement.scene is not None]
    assert story.project.screenplay is not None and len(scenes) == len(story.project.screenplay.scenes) > 0
    assert story.timeline == build_timeline(story.project, story.calendar, story.streams, story.memo)
    cues = tuple(screenplay_cues(story.project))
    assert story.cast == character_index(story.project) and story.cast.order and cues


def test_a_session_works_the_timeline_and_cast_out_in_the_round_that_checks(sample_project: Path) -> None:
    """A language server's check works the timeline and the cast out in the round that checks
    (every rule runs, [check] select only filters the findings), so its memo keeps the cast for
    the next round, as when the story worked them out at once."""
    from toolkit.resolve.presence import screenplay_cues

    session = pipeline.Session(sample_project, pipeline.Overrides(select=("D101",)))
    checked = session.check()
    assert {"timeline", "cast"} <= set(checked.story.__dict__)
    project = checked.story.project
    assert session._memo.holds("cast", (project.characters,), tuple(screenplay_cues(project)))
    again = session.check()
    assert again.story.cast is checked.story.cast


def test_no_block_of_the_sample_is_code_or_lost(sample_project: Path) -> None:
    story = story_of(sample_project)
    kinds = {block.kind for chapter in story.project.chapters for block in chapter.blocks}
    assert kinds == {BlockKind.PARAGRAPH, BlockKind.BREAK}


def test_outline_goes_through_the_cache_as_every_command_does(sample_project: Path) -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    assert CliRunner().invoke(app, ["outline", str(sample_project)]).exit_code == 0
    entries = sorted(path.name.split("-")[0] for path in (sample_project / "output" / ".cache").iterdir())
    scenes = len(list((sample_project / "screenplay").glob("*.fountain")))
    # six chapter files, each scene file (parsed one by one), the bible
    assert set(entries) == {"parse"} and len(entries) == 6 + scenes + 1


def test_a_session_reads_a_file_again_only_when_it_changed(sample_project: Path) -> None:
    """Files unchanged since the last check are not read again; a file written since is."""
    from toolkit import sources

    session = pipeline.Session(sample_project)
    session.check()
    chapter = sample_project / "manuscript" / "1-the-last-boat.md"
    read: list[Path] = []
    original = sources.read_text

    def counting(root: Path, path: Path) -> str:
        read.append(path)
        return original(root, path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "read_text", counting)
        session.check()
        assert read == []
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nMaire said so.\n", encoding="utf-8")
        checked = session.check()
    assert read == [chapter]
    assert "Maire said so." in checked.texts["manuscript/1-the-last-boat.md"]


def test_a_session_lists_the_sources_again_when_a_folder_changes(sample_project: Path, tmp_path: Path) -> None:
    """Files added, removed, or replaced by a link leading out of the project between checks."""
    from toolkit.errors import FabulaError

    session = pipeline.Session(sample_project)
    session.check()
    added = sample_project / "manuscript" / "7-after.md"
    added.write_text("# After\n\nMaire said so.\n", encoding="utf-8")
    assert "manuscript/7-after.md" in session.check().texts
    added.unlink()
    assert "manuscript/7-after.md" not in session.check().texts
    outside = tmp_path / "outside.md"
    outside.write_text("# Elsewhere\n\nA secret.\n", encoding="utf-8")
    chapter = sample_project / "manuscript" / "6-slack-water.md"
    chapter.unlink()
    chapter.symlink_to(outside)
    with pytest.raises(FabulaError, match="outside the project"):
        session.check()
    with pytest.raises(FabulaError, match="outside the project"):
        pipeline.check(sample_project, use_cache=False)


def test_a_session_checks_again_where_a_link_leads(sample_project: Path, tmp_path: Path) -> None:
    """A chapter that is a link inside the project, whose target becomes a link out of it while
    the chapters' folder stays as it was: the check refuses it, as a fresh one does."""
    from toolkit.errors import FabulaError

    notes = sample_project / "notes"
    notes.mkdir()
    real = notes / "real.md"
    real.write_text("# Real\n\nMaire said so.\n", encoding="utf-8")
    (sample_project / "manuscript" / "7-linked.md").symlink_to(real)
    session = pipeline.Session(sample_project)
    assert "Maire said so." in session.check().texts["manuscript/7-linked.md"]
    outside = tmp_path / "outside.md"
    outside.write_text("# Elsewhere\n\nA secret.\n", encoding="utf-8")
    real.unlink()
    real.symlink_to(outside)
    with pytest.raises(FabulaError, match="outside the project"):
        session.check()


def test_a_check_leaves_the_loaded_story_out_of_collections_while_its_rules_run(
    sample_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The story's objects are frozen (gc.freeze) while the rules run, so the first collection the
    rules start does not scan the whole model, and put back afterwards; a cycle made before the
    check is still collected after it."""
    import gc
    import weakref

    from toolkit.checks import run

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    seen: list[int] = []
    real = run.run_checks

    def watched(story: Story, size: int = 0) -> list[Diagnostic]:
        seen.append(gc.get_freeze_count())
        return real(story, size)

    monkeypatch.setattr(run, "run_checks", watched)
    made = Cycle()
    collected: list[bool] = []
    weakref.finalize(made, collected.append, True)
    del made
    before = gc.get_freeze_count()
    pipeline.check(sample_project, use_cache=False)
    assert seen and seen[0] > before
    assert gc.get_freeze_count() == before
    gc.collect()
    assert collected == [True]
