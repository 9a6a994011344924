"""Every real screenplay in the shared corpus goes through the whole pipeline: PDF and outline."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from toolkit.cli import app

# screenplain 0.12.0's own US-letter page counts, from ../shared/corpus/fountain/REFERENCE.md:
# we print through screenplain's writer for now, so they must match exactly.
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
    assert len(PdfReader(tmp_path / "output" / "screenplay.pdf").pages) == PAGES[name]
    outline = json.loads((tmp_path / "output" / "outline.json").read_text(encoding="utf-8"))
    entries = [entry for row in outline["rows"] for entry in row.get("entries", [])] + outline["undated"]
    text = (corpus_dir / f"{name}.fountain").read_text(encoding="utf-8-sig")
    assert entries, "no scene reached the outline"
    for entry in entries:
        path, line = entry["location"].rsplit(":", 1)
        assert path == f"screenplay/{name}.fountain"
        source_line = text.splitlines()[int(line) - 1].strip().upper().lstrip(".")
        assert entry["title"].startswith("(") or source_line.startswith(entry["title"].split(" #")[0][:12])
