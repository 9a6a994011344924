"""Scene files parsed one by one and joined give the screenplay a parse of them all gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.model import Screenplay
from toolkit.parsers.fountain import parse_part, parse_screenplay
from toolkit.parsers.scenes import join_parts

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SAMPLE = Path(__file__).resolve().parent.parent.parent / "screenplay"


def _scene_sets() -> list[list[Path]]:
    found = [sorted(SAMPLE.glob("*.fountain"))]
    found += [sorted(folder.rglob("*.fountain")) for folder in sorted(FIXTURES.iterdir()) if folder.is_dir()]
    found += [[path] for path in sorted(FIXTURES.rglob("*.fountain"))]
    return [files for files in found if files]


def _joined(files: list[tuple[str, str]]) -> Screenplay | None:
    return join_parts([parse_part(path, text, number == 0) for number, (path, text) in enumerate(files)])


@pytest.mark.parametrize("paths", _scene_sets(), ids=lambda paths: paths[0].parent.name + f"-{len(paths)}")
def test_parts_joined_are_the_whole_parse(paths: list[Path]) -> None:
    files = [(path.name, path.read_text(encoding="utf-8")) for path in paths]
    joined = _joined(files)
    if joined is not None:
        assert joined == parse_screenplay(files)


def test_every_file_as_a_later_file_too() -> None:
    """A title page is read in the first file only; a later file's same lines are body text."""
    for paths in _scene_sets():
        files = [("a.fountain", "INT. HALL - DAY\n\nBob waits.\n")] + [(p.name, p.read_text("utf-8")) for p in paths]
        joined = _joined(files)
        if joined is not None:
            assert joined == parse_screenplay(files)


@pytest.mark.parametrize(
    "second",
    [
        "ALICE ^\nMe too.\n",  # a dual cue joins the last speech of the file before
        "= Day two.\n",  # at the top: a synopsis that stands alone (either way)
        "[[a note]]\n\n= Later that day.\n",  # after a note: may belong to the heading before
        "@McCLANE ^\nYes.\n",
    ],
)
def test_a_file_that_leans_on_the_one_before_is_parsed_whole(second: str) -> None:
    files = [("1.fountain", "INT. HALL - DAY\n\nBOB\nHello.\n"), ("2.fountain", second)]
    assert _joined(files) is None
    assert parse_screenplay(files).files == ("1.fountain", "2.fountain")


def test_files_that_stand_alone_are_joined() -> None:
    files = [
        ("1.fountain", "Title: The Lamp\n\nINT. HALL - DAY\n\n= Morning.\n\nBOB\nHello.\n"),
        ("2.fountain", "EXT. PIER - NIGHT\n\n= Night.\n\n# Act two\n\n= Later.\n\nALICE\nBye.\n\nBOB ^\nBye.\n"),
    ]
    joined = _joined(files)
    assert joined is not None and joined == parse_screenplay(files)
    assert joined.title_page and len(joined.scenes) == 2
