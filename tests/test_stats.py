"""Stats: screenplay pages and eighths, who speaks how much, words per chapter and story day."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from toolkit import pipeline
from toolkit.cli import app
from toolkit.layout import paginate
from toolkit.model import Dialogue, DualDialogue
from toolkit.parsers.fountain import parse_screenplay
from toolkit.resolve import layout_options
from toolkit.stats import eighths_label, project_stats, scene_lengths, split_heading

runner = CliRunner()


@pytest.fixture(scope="module")
def sample():
    from tests.conftest import REPO

    loaded = pipeline.story(REPO, use_cache=False)
    return loaded, project_stats(loaded)


def test_screenplay_totals_agree_with_the_model(sample) -> None:
    loaded, stats = sample
    screenplay = loaded.project.screenplay
    assert stats.screenplay is not None and len(stats.screenplay.scenes) == len(screenplay.scenes) == 28
    speeches = sum(
        2 if isinstance(e, DualDialogue) else 1 for e in screenplay.elements if isinstance(e, Dialogue | DualDialogue)
    )
    assert sum(c.speeches for c in stats.screenplay.characters) == speeches
    assert sum(c.share for c in stats.screenplay.characters) == pytest.approx(1.0)
    assert sum(count for _, count in stats.screenplay.settings) == 28
    assert dict(stats.screenplay.settings) == {"INT": 14, "EXT": 14}
    assert dict(stats.screenplay.day_night) == {"DAY": 14, "NIGHT": 5, "other": 9}  # 6 CONTINUOUS, 3 LATER
    assert stats.screenplay.eighths == sum(s.eighths for s in stats.screenplay.scenes)
    assert stats.screenplay.runtime_minutes == round(stats.screenplay.eighths / 8)


def test_page_estimate_is_close_to_the_real_pdf(sample, tmp_path: Path) -> None:
    from pypdf import PdfReader

    _, stats = sample
    report = pipeline.build(REPO, tmp_path, ("screenplay",), use_cache=False).report
    pdf_pages = len(PdfReader(report.written[0]).pages) - 1  # the title page carries no script
    assert stats.screenplay is not None and abs(stats.screenplay.pages - pdf_pages) <= 1


def test_big_fish_pages_and_scene_pages_are_those_of_the_pdf(corpus_dir: Path, tmp_path: Path) -> None:
    """The stats paginate as the PDF does: same page count, each scene on the page the PDF prints it."""
    from pypdf import PdfReader

    (tmp_path / "screenplay").mkdir()
    shutil.copy(corpus_dir / "big-fish.fountain", tmp_path / "screenplay")
    loaded = pipeline.story(tmp_path, use_cache=False)
    stats = project_stats(loaded)
    pdf = pipeline.build(tmp_path, None, ("screenplay",), use_cache=False).report.written[0]
    pages = [page.extract_text() for page in PdfReader(pdf).pages[1:]]  # the title page is not counted
    # 124 script pages: Final Draft's pagination (afterwriting and screenplain print 121, at 55 lines).
    assert stats.screenplay is not None and stats.screenplay.pages == len(pages) == 124
    headed = [scene for scene in stats.screenplay.scenes if scene.heading.startswith(("INT", "EXT"))]
    assert len(headed) > 150
    for scene in headed:
        assert scene.heading.split(" - ")[0] in pages[scene.page - 1], (scene.number, scene.heading, scene.page)
    # Within 7%: the blank lines above each of 190 headings, and the foot of a page a scene does
    # not reach, belong to no scene.
    assert sum(scene.eighths for scene in stats.screenplay.scenes) == pytest.approx(124 * 8, rel=0.07)


SCRIPT_WITH_AN_OPENING = """\
FADE IN:

Rain on a tin roof, before anything else.

INT. BOATHOUSE - NIGHT

MAREN
Who's there?

EXT. PIER - NIGHT #7A#

The ferry comes in.

INT. KITCHEN - DAY

Tea.
"""


def test_scene_numbers_are_those_the_pdf_prints(tmp_path: Path) -> None:
    """What comes before the first heading is no scene of the PDF's: the report numbered every
    scene one ahead. A forced number is printed as written, and the count goes on after it."""
    from pypdf import PdfReader

    (tmp_path / "screenplay").mkdir()
    (tmp_path / "screenplay" / "1.fountain").write_text(SCRIPT_WITH_AN_OPENING, encoding="utf-8")
    (tmp_path / "fabula.toml").write_text("[screenplay]\nscene_numbers = true\n", encoding="utf-8")
    stats = project_stats(pipeline.story(tmp_path, use_cache=False))
    assert stats.screenplay is not None
    assert [(s.number, s.heading) for s in stats.screenplay.scenes] == [
        ("", "(before the first scene heading)"),
        ("1", "INT. BOATHOUSE - NIGHT"),
        ("7A", "EXT. PIER - NIGHT"),
        ("3", "INT. KITCHEN - DAY"),
    ]
    pdf = pipeline.build(tmp_path, None, ("screenplay",), use_cache=False).report.written[0]
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)  # no title page here
    for number, heading in (("1", "INT. BOATHOUSE"), ("7A", "EXT. PIER"), ("3", "INT. KITCHEN")):
        assert re.search(rf"\b{number}\s+{heading}", text), (number, heading, text)
    maren = next(c for c in stats.screenplay.characters if c.name == "Maren")
    assert maren.first.scene == "1"
    from toolkit.render.report import render_report

    html = render_report(stats)
    assert '<td class="n">7A</td><td>EXT. PIER - NIGHT</td>' in html
    assert "p. 1, scene 1" in html


def test_eighths_grow_with_the_text_and_never_drop_below_one() -> None:
    from toolkit.config import ScreenplayConfig

    short = parse_screenplay([("a.fountain", "INT. ROOM - DAY\n\nShe sits.\n")])
    long_text = "INT. ROOM - DAY\n\n" + "\n\n".join("She stands up and walks to the window again." for _ in range(60))
    long = parse_screenplay([("b.fountain", long_text + "\n")])
    settings = ScreenplayConfig()
    assert scene_lengths(paginate(short, layout_options(settings)), 1) == [(1, 1)]
    ((page, eighths),) = scene_lengths(paginate(long, layout_options(settings)), 1)
    assert page == 1 and 8 * 2 <= eighths <= 8 * 3  # 60 one-line actions with blank lines: 121 rows


def test_split_heading() -> None:
    assert split_heading("INT. KITTIWAKE - WHEELHOUSE - DAY") == ("INT", "KITTIWAKE - WHEELHOUSE", "DAY")
    assert split_heading("EXT. PIER - NIGHT") == ("EXT", "PIER", "NIGHT")
    assert split_heading("INT./EXT. CAR - MOVING") == ("INT/EXT", "CAR", "MOVING")
    assert split_heading("I/E CAR - DAY") == ("INT/EXT", "CAR", "DAY")
    assert split_heading(".FLASHBACK") == ("", ".FLASHBACK", "")


def test_day_or_night() -> None:
    from toolkit.stats import day_or_night

    assert [day_or_night(t) for t in ("DAY", "NIGHT (1973)", "EARLY MORNING", "DUSK", "CONTINUOUS", "")] == [
        "DAY",
        "NIGHT",
        "DAY",
        "NIGHT",
        "other",
        "other",
    ]


def test_eighths_label() -> None:
    assert [eighths_label(n) for n in (1, 7, 8, 19)] == ["1/8", "7/8", "1", "2 3/8"]


def test_character_appearances_are_in_story_and_page_order(sample) -> None:
    _, stats = sample
    assert stats.screenplay is not None
    for character in stats.screenplay.characters:
        assert int(character.first.scene) <= int(character.last.scene) and character.first.page <= character.last.page
    maren = next(c for c in stats.screenplay.characters if c.name == "Maren Brinn")
    assert (maren.first.day, maren.last.day) == ("DAY 1", "DAY 13")


def test_prose_numbers(sample) -> None:
    loaded, stats = sample
    assert stats.prose is not None
    assert stats.prose.words == sum(chapter.words for chapter in loaded.project.chapters)
    assert [c.pov for c in stats.prose.chapters][:3] == ["Maren Brinn", "Duncan Brinn", "Callum Reid"]
    assert all(0 < c.dialogue_share < 1 for c in stats.prose.chapters)
    assert stats.prose.reading_minutes == pytest.approx(stats.prose.words / 250)


def test_dialogue_share_counts_words_inside_quotation_marks(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "1.md").write_text(
        '# One\n\n"Come in out of the rain," she said. He did not move at all.\n', encoding="utf-8"
    )
    loaded = pipeline.story(tmp_path, use_cache=False)
    stats = project_stats(loaded)
    assert stats.prose is not None and stats.prose.chapters[0].dialogue_share == pytest.approx(6 / 14)


def test_story_days_add_up(sample) -> None:
    loaded, stats = sample
    assert stats.screenplay is not None
    dated_scenes = sum(1 for s in stats.screenplay.scenes if s.day is not None)
    assert sum(d.scenes for d in stats.days) == dated_scenes
    outline = loaded.outline
    assert [d.words for d in stats.days] == [d.words for d in outline.days]
    assert stats.prose is not None and sum(d.prose_words for d in stats.days) == stats.prose.words  # all dated
    assert all(d.prose_words <= d.words for d in stats.days)


def test_stats_json_golden(sample, golden) -> None:
    from toolkit.stats_text import stats_json

    golden("sample/stats.json", stats_json(sample[1]))


def test_cli_stats_formats(sample_project: Path) -> None:
    table = runner.invoke(app, ["stats", str(sample_project)])
    assert table.exit_code == 0, table.output
    assert "The Winter Crossing" in table.output and "Lachlan Brinn" in table.output and "\x1b[" not in table.output
    assert "Screenplay: 14 pages, 28 scenes, about 13 min;" in table.output
    assert "Prose: 6,524 words in 6 chapters, about 26 min to read" in table.output
    as_json = json.loads(runner.invoke(app, ["stats", str(sample_project), "--format", "json"]).output)
    assert as_json["screenplay"]["pages"] >= 1 and len(as_json["screenplay"]["scenes"]) == 28
    scenes = runner.invoke(app, ["stats", str(sample_project), "--format", "csv", "--table", "scenes"])
    rows = list(csv.DictReader(io.StringIO(scenes.output)))
    assert len(rows) == 28 and rows[0]["heading"] == "EXT. PORT ARDEL SLIPWAY - DAY" and rows[0]["setting"] == "EXT"
    for table_name in ("characters", "locations", "chapters", "days"):
        result = runner.invoke(app, ["stats", str(sample_project), "--format", "csv", "--table", table_name])
        assert result.exit_code == 0 and len(result.output.splitlines()) > 2, table_name


def test_cli_stats_of_a_one_page_project_reads_as_english(tmp_path: Path) -> None:
    (tmp_path / "screenplay").mkdir()
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "screenplay" / "1.fountain").write_text("INT. ROOM - NIGHT\n\nShe sits.\n", encoding="utf-8")
    (tmp_path / "manuscript" / "1.md").write_text("# One\n\nShe left.\n", encoding="utf-8")
    result = runner.invoke(app, ["stats", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Screenplay: 1 page, 1 scene, under a minute;" in result.output
    assert "Prose: 2 words in 1 chapter, under a minute to read" in result.output


def test_cli_stats_on_bad_input_is_one_line(sample_project: Path) -> None:
    (sample_project / "fabula.toml").write_text("title = \n", encoding="utf-8")
    result = runner.invoke(app, ["stats", str(sample_project)])
    assert result.exit_code == 2 and result.output.startswith("fabula: error: fabula.toml:1")


def corpus_scripts() -> list[str]:
    from tests.conftest import SHARED

    return sorted(p.name for p in (SHARED / "corpus" / "fountain").glob("*.fountain"))


@pytest.mark.parametrize("name", corpus_scripts() or ["(no corpus)"])
def test_every_corpus_screenplay_gets_stats_and_a_report(corpus_dir: Path, tmp_path: Path, name: str) -> None:
    from toolkit.render.report import render_report

    (tmp_path / "screenplay").mkdir()
    shutil.copy(corpus_dir / name, tmp_path / "screenplay" / name)
    loaded = pipeline.story(tmp_path, use_cache=False)
    stats = project_stats(loaded)
    assert stats.screenplay is not None and len(stats.screenplay.scenes) == len(loaded.project.screenplay.scenes)
    assert all(scene.eighths >= 1 for scene in stats.screenplay.scenes)
    pages = [scene.page for scene in stats.screenplay.scenes]
    assert pages == sorted(pages) and pages[-1] <= stats.screenplay.pages
    spoken = sum(c.words for c in stats.screenplay.characters)
    assert spoken == 0 or sum(c.share for c in stats.screenplay.characters) == pytest.approx(1.0)
    assert render_report(stats).rstrip().endswith("</html>")


def test_stats_help_has_an_example() -> None:
    result = runner.invoke(app, ["stats", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--table" in result.output
