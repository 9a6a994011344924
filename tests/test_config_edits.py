"""The edits the language server offers to fabula.toml and characters.yaml: the rest stays as written."""

from __future__ import annotations

import pytest

from toolkit.config import parse_config, with_name_ok
from toolkit.parsers.bible import parse_bible, with_distinct


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", '[check]\nnames_ok = ["Hemmingway"]\n'),
        ('title = "T"\n', 'title = "T"\n\n[check]\nnames_ok = ["Hemmingway"]\n'),
        ('[check]\nfail_on = "error"\n', '[check]\nnames_ok = ["Hemmingway"]\nfail_on = "error"\n'),
        ('[check]  # rules\nnames_ok = ["Mags"]\n', '[check]  # rules\nnames_ok = ["Hemmingway", "Mags"]\n'),
        (
            '[check]\nnames_ok = [\n  "Mags",\n]\n[calendar]\nyear = 2023\n',
            '[check]\nnames_ok = ["Hemmingway", \n  "Mags",\n]\n[calendar]\nyear = 2023\n',
        ),
    ],
)
def test_a_name_goes_into_names_ok_and_nothing_else_moves(before: str, after: str) -> None:
    assert with_name_ok(before, "Hemmingway") == after
    assert "Hemmingway" in parse_config(after).check.names_ok


def test_names_ok_in_a_broken_or_dotted_toml_is_not_guessed() -> None:
    assert with_name_ok('title = "T\n', "X") is None
    assert with_name_ok('check.names_ok = ["A"]\n', "X") is None  # the edit would not parse: none offered
    assert with_name_ok('[check]\nnames_ok = ["X"]\n', "X") == '[check]\nnames_ok = ["X"]\n'


BIBLE = """\
characters:
  - name: Katharine Vell
    note: >
      keeper of the light
  - name: Margot Hale
    distinct: [Margit]
  - name: Tobias Wren
    distinct:
      - Tobiah
  - Okonkwo Adeyemi
"""


@pytest.mark.parametrize(
    ("character", "line"),
    [
        ("Katharine Vell", "    distinct: [Katherine]\n"),
        ("Margot Hale", "    distinct: [Katherine, Margit]\n"),
        ("Tobias Wren", "      - Katherine\n"),
    ],
)
def test_a_name_goes_into_a_characters_distinct(character: str, line: str) -> None:
    after = with_distinct(BIBLE, character, "Katherine")
    assert after is not None and line in after
    assert len(after.splitlines()) - len(BIBLE.splitlines()) in (0, 1)
    entry = {c.name: c for c in parse_bible("characters.yaml", after)}[character]
    assert "Katherine" in entry.distinct

    def entries(text: str) -> dict[str, tuple[object, ...]]:
        return {
            c.name: (c.aliases, c.cue, c.distinct) for c in parse_bible("characters.yaml", text) if c.name != character
        }

    assert entries(after) == entries(BIBLE)  # the others as they were (only their lines may move)


def test_an_entry_written_as_a_bare_name_is_not_rewritten() -> None:
    assert with_distinct(BIBLE, "Okonkwo Adeyemi", "Okonkow") is None
    assert with_distinct(BIBLE, "Nobody", "X") is None
    assert with_distinct("characters: [", "Nobody", "X") is None
