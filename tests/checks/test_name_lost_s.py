"""Issue 12: a name's final "s" lost once, where the name is no plural, is a slip though the
lists know the spelling ("Jona" for a Jonas written many times). Every text here is our own
short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def test_a_names_last_s_lost_once_is_a_slip(tmp_path: Path) -> None:
    """Jonas speaks ten times; "Jona" once (a given name the lists know): found with the bible
    and without it."""
    prose = _prose(
        *["“Mind the nets,” said Jonas, and Jonas coiled the rope."] * 5,
        "The skipper handed Jona the lamp.",
    )
    for found in _both(tmp_path, prose, bible="- name: Jonas\n"):
        assert _spellings(found) == ["Jona"]
        assert "did you mean Jonas?" in found[0].message


def test_the_singular_of_a_name_written_after_the_is_no_slip(tmp_path: Path) -> None:
    """ "the Jonas" again and again (a family, a boat): its singular once is the word, not a slip."""
    prose = _prose(
        *["Then the Jonas came down to the quay, and the Jonas sailed at dawn."] * 5,
        "The skipper handed Jona the lamp.",
    )
    assert _both(tmp_path, prose) == ([], [])


def test_a_possessive_written_without_the_names_s_is_no_slip(tmp_path: Path) -> None:
    """ "Mr. Jona's house" beside Jonas: the possessive of a name in "s", written as it often was."""
    prose = _prose(
        *["“Mind the nets,” said Jonas, and Jonas coiled the rope."] * 5,
        "We stopped at Mr. Jona's house on the way.",
    )
    assert _both(tmp_path, prose) == ([], [])
