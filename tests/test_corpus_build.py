"""Every real screenplay in the shared corpus goes through the whole pipeline: PDF and outline."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.loader import load_project
from toolkit.model import DualDialogue, SceneHeading, plain, speakers

# US-letter page counts of screenplain 0.12.0 and afterwriting 1.17.3 (they agree on every
# script), title page included, from ../shared/corpus/fountain/REFERENCE.md. A loose check, not
# an exact one: fabula paginates as Final Draft does (54 lines a page, two blank lines above a
# heading, see toolkit/layout), and on the four scripts that came with Final Draft's own PDF
# (../shared/corpus/fountain-pro) both peers printed 2-4% fewer pages than Final Draft, up to
# 9.5% on one. So ours may not be fewer than the peers', and at most 10% more, plus one page
# (a page is a quarter of Brick & Steel: one heading's two blank lines can start a new one).
PAGES = {
    "big-fish": 122,
    "the-last-birthday-card": 20,
    "my-living-memory": 16,
    "printing-trouble": 12,
    "complete-and-utter-nonsense": 8,
    "our-many-masks": 7,
    "nemesis": 6,
    "brick-and-steel": 4,
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_corpus_script_builds(corpus_dir: Path, tmp_path: Path, name: str) -> None:
    (tmp_path / "screenplay").mkdir()
    shutil.copy(corpus_dir / f"{name}.fountain", tmp_path / "screenplay" / f"{name}.fountain")
    result = CliRunner().invoke(
        app,
        ["build", str(tmp_path), "--only", "screenplay", "--only", "outline"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "output" / "screenplay.pdf")
    assert PAGES[name] <= len(reader.pages) <= PAGES[name] * 1.10 + 1, len(reader.pages)
    _assert_nothing_lost(reader, tmp_path)
    outline = json.loads((tmp_path / "output" / "outline.json").read_text(encoding="utf-8"))
    entries = [entry for row in outline["rows"] for entry in row.get("entries", [])] + outline["undated"]
    text = (corpus_dir / f"{name}.fountain").read_text(encoding="utf-8-sig")
    assert entries, "no scene reached the outline"
    for entry in entries:
        path, line = entry["location"].rsplit(":", 1)
        assert path == f"screenplay/{name}.fountain"
        source_line = text.splitlines()[int(line) - 1].strip().upper().lstrip(".")
        assert entry["title"].startswith("(") or source_line.startswith(entry["title"].split(" #")[0][:12])


def _squash(text: str) -> str:
    # A line may break after a hyphen inside a word ("555-" / "1332"): no space there either side.
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


def _assert_nothing_lost(reader: PdfReader, root: Path) -> None:
    """Every scene heading and dialogue line is in the PDF text, in order (dual sides each in order)."""
    project = load_project(root)
    assert project.screenplay is not None
    text = _squash(" ".join(page.extract_text() for page in reader.pages))
    # A speech split across pages reads "(MORE) 2. NAME (CONT'D)" in the middle: take that out.
    text = re.sub(r" \(MORE\) (?:\d+\. )?[^a-z]*?\(CONT'D\)", "", text)
    position = 0
    for element in project.screenplay.elements:
        wanted: list[str] = []
        if isinstance(element, SceneHeading):
            wanted = [plain(element.text).upper()]
        for speaker in speakers(element):
            wanted += [plain(line.text) for line in speaker.lines if plain(line.text).strip()]
        start = position
        for item in wanted:
            found = text.find(_squash(item), start)
            assert found >= 0, f"not in the PDF (or out of order): {item!r}"
            start = found
        # The two sides of dual dialogue are read one after the other; the next element follows both.
        position = start if not isinstance(element, DualDialogue) else position
