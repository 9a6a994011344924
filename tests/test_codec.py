"""The cache's plain-data codec: the model round-trips whole (sharing kept), and a wrong shape is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, Literal

import pytest

from tests.conftest import REPO
from toolkit.cache import FINDINGS, PARSES, RECORDED
from toolkit.codec import CodecError, decode, encode
from toolkit.diagnostics import Diagnostic
from toolkit.loader import load_project
from toolkit.model import BlockKind, DayMark, ElementKind, Span, StoryDate


def round_trip(value: Any, kind: Any) -> Any:
    return decode(json.loads(json.dumps(encode(value, kind))), kind)


def test_the_sample_round_trips_equal_and_keeps_what_it_shares() -> None:
    project = load_project(REPO)
    assert project.screenplay is not None and project.chapters and project.characters
    chapters = round_trip(project.chapters, PARSES["chapters"])
    screenplay = round_trip(project.screenplay, PARSES["screenplay"])
    assert chapters == project.chapters and screenplay == project.screenplay
    assert round_trip(project.characters, PARSES["bible"]) == project.characters
    # A scene's elements are the screenplay's own objects, as the parser made them (the outline
    # finds a scene's leading synopsis by identity).
    elements = {id(element) for element in screenplay.elements}
    assert all(id(element) in elements for scene in screenplay.scenes for element in scene.elements)
    title_fields = screenplay.title_page
    assert [field.rich for field in title_fields] == [field.rich for field in project.screenplay.title_page]


def test_findings_manifests_dates_and_enums() -> None:
    finding = Diagnostic(Span("manuscript/1.md", 3, 7), "D102", "wrong weekday", "error")
    assert round_trip([finding], FINDINGS) == [finding]
    assert round_trip({"book.epub": ("k", "s")}, RECORDED) == {"book.epub": ("k", "s")}
    assert round_trip(dt.date(2023, 3, 7), dt.date) == dt.date(2023, 3, 7)
    mark = DayMark(Span("a.md", 1), "DAY 3", "heading", StoryDate(None, 3, 9), None, 3)
    assert round_trip(mark, DayMark) == mark
    assert round_trip(BlockKind.QUOTE, BlockKind) is BlockKind.QUOTE


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (True, int),  # a bool is not an int here
        (1, bool),
        ("3", int),
        (["x", 1], Span),  # too few fields
        (["x", 1, 2, 3], Span),
        (["x", "1", 2], Span),
        ("sonnet", BlockKind),
        ("2023-02-30", dt.date),
        ("warning!", Literal["error", "warning"]),
        ([["Nope", []]], tuple[ElementKind, ...]),
        ({"ref": 0}, Span),  # a reference to nothing read yet
        ([[["a", 1, 1], "D1", "m", "error"], {"ref": 0}], FINDINGS),  # a reference to a Span, not a Diagnostic
        ({"__reduce__": "os.system"}, Span),
        ([["k", "v", "extra"]], RECORDED),
        ([], PARSES["screenplay"]),
    ],
)
def test_a_value_of_the_wrong_shape_is_refused(data: Any, kind: Any) -> None:
    with pytest.raises(CodecError):
        decode(data, kind)


def test_an_element_of_another_kind_is_refused() -> None:
    project = load_project(REPO)
    data = encode(project.screenplay, PARSES["screenplay"])
    elements = data[2]
    assert elements[0][0] in {"SceneHeading", "Action", "Section", "Synopsis", "Note", "Dialogue"}
    elements[0][0] = "Chapter"  # a record, but not an Element
    with pytest.raises(CodecError):
        decode(data, PARSES["screenplay"])


def test_records_read_without_their_init_are_the_same_frozen_records() -> None:
    """A record with nothing to work out in its ``__init__`` is read without it (codec.py): the
    records are equal, hash alike, stay frozen; a field of an exact type is checked in place."""
    from toolkit.model import Block, Chapter

    project = load_project(REPO)
    chapters = round_trip(project.chapters, PARSES["chapters"])
    block = chapters[0].blocks[0]
    assert type(block) is Block and type(chapters[0]) is Chapter
    assert block == project.chapters[0].blocks[0] and hash(block) == hash(project.chapters[0].blocks[0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        block.text = "changed"  # type: ignore[misc]
    data = encode(block, Block)
    for index, wrong in ((2, 3), (4, "3"), (4, True), (8, None), (12, "1903"), (13, 5)):
        doctored = list(data)
        doctored[index] = wrong  # markdown, words, words (a bool), joined, year, document
        with pytest.raises(CodecError):
            decode(doctored, Block)
    assert decode([*data[:12], 1903, "journal"], Block).year == 1903
    # A record whose __post_init__ checks its values is still made by its __init__.
    assert decode([2], _Checked) == _Checked(2)
    with pytest.raises(CodecError, match="negative"):
        decode([-1], _Checked)


@dataclasses.dataclass(frozen=True)
class _Checked:
    count: int

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("negative")


def test_a_text_an_earlier_field_holds_is_written_once() -> None:
    """A plain paragraph's ``text`` is its ``markdown``: written as {"same": 2}, read back as the
    same string (the same object); a reference to anything but an earlier text is refused."""
    from toolkit.model import Block

    prose = "The boats came in late, and the harbour lights went out one by one."
    block = Block(Span("manuscript/1.md", 3), BlockKind.PARAGRAPH, prose, prose, words=14)
    data = json.loads(json.dumps(encode(block, Block)))
    assert data[2] == prose and data[3] == {"same": 2} and json.dumps(data).count("harbour") == 1
    read = decode(data, Block)
    assert read == block and read.text is read.markdown
    other = Block(Span("manuscript/1.md", 3), BlockKind.PARAGRAPH, prose, prose.upper(), words=14)
    assert encode(other, Block)[3] == prose.upper()
    short = Block(Span("manuscript/1.md", 3), BlockKind.PARAGRAPH, "Dark.", "Dark.", words=1)
    assert encode(short, Block)[3] == "Dark."  # {"same": 2} would be as long
    wrongs = ({"same": 3}, {"same": 6}, {"same": 0}, {"same": "2"}, {"same": [2]}, {"same": True}, {"same": 2, "x": 1})
    for wrong in wrongs:
        doctored = list(data)
        doctored[3] = wrong
        with pytest.raises(CodecError):
            decode(doctored, Block)


def test_the_sample_chapters_are_written_with_each_plain_text_once() -> None:
    project = load_project(REPO)
    written = json.dumps(encode(project.chapters, PARSES["chapters"]))
    repeated = sum(1 for chapter in project.chapters for block in chapter.blocks if block.text == block.markdown)
    assert repeated and written.count('{"same": 2}') >= repeated - 5  # all but the shortest
    assert round_trip(project.chapters, PARSES["chapters"]) == project.chapters
