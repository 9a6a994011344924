"""characters.yaml: entries, exits, and errors with file and line."""

from __future__ import annotations

import pytest

from toolkit.errors import FabulaError
from toolkit.model import StoryDate
from toolkit.parsers.bible import parse_bible

BIBLE = """\
# a comment
characters:
  - name: Margot Lane
    aliases: [Mags, Mo]
    cue: MARGOT
    exits: DAY 9
    distinct: [Margo]
    note: the eldest
  - name: Wendell Price
    exits: 2024-01-04
  - Solo Name
"""


def test_entries_are_read_with_their_lines() -> None:
    margot, wendell, solo = parse_bible("characters.yaml", BIBLE)
    assert margot.name == "Margot Lane" and margot.aliases == ("Mags", "Mo")
    assert margot.cue_name == "MARGOT" and margot.distinct == ("Margo",)
    assert margot.exits is not None and margot.exits.day == 9 and margot.exits.date is None
    assert margot.span.line == 3
    assert wendell.exits is not None and wendell.exits.date == StoryDate(2024, 1, 4)
    assert wendell.cue_name == "WENDELL"
    assert solo.name == "Solo Name" and solo.span.line == 11


def test_a_plain_list_is_accepted() -> None:
    (only,) = parse_bible("characters.yaml", "- name: Ada\n  cue: ADDIE\n")
    assert only.cue_name == "ADDIE"


def test_empty_bible_is_no_characters() -> None:
    assert parse_bible("characters.yaml", "# nothing yet\n") == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("characters:\n  - name: A\n    alias: [B]\n", "characters.yaml:3: unknown key 'alias'"),
        ("characters:\n  - name: A\n    aliases: [B\n", "characters.yaml:4: invalid YAML"),
        ("characters:\n  - cue: A\n", "characters.yaml:2: character without a 'name'"),
        ("characters:\n  - name: A\n    exits: soon\n", "characters.yaml:3: 'exits' must be a date"),
        ("people:\n  - name: A\n", "characters.yaml:1: unknown key 'people'"),
        ("characters:\n  - name: Ann\n  - name: Bo\n    aliases: [ann]\n", "characters.yaml:3: 'ann' names two"),
        ("characters: 3\n", "characters.yaml:1: expected a list of characters"),
    ],
)
def test_bad_bible(text: str, expected: str) -> None:
    with pytest.raises(FabulaError) as caught:
        parse_bible("characters.yaml", text)
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("name", "cue"),
    [
        ("Margot Lane", "MARGOT"),
        ("The Captain", "THE CAPTAIN"),
        ("Dr. Ifeoma Okafor", "DR. IFEOMA OKAFOR"),
        ("Bob", "BOB"),
    ],
)
def test_default_cue_is_never_a_common_word(name: str, cue: str) -> None:
    (character,) = parse_bible("characters.yaml", f"- name: {name}\n")
    assert character.cue_name == cue
