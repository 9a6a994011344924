"""Issue 12: a spelling a word list knows, written once in the phrase its name is written in again
and again, is the name's slip ("Orelli's Christmas Concerto" beside "Corelli's Christmas
Concerto"). Every text here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def _diary(slip: str) -> str:
    return _prose(
        *["In the evening we heard Corelli’s Christmas Concerto at the abbey."] * 3,
        *["After supper I played Corelli again, badly, and went to bed."] * 5,
        slip,
    )


def test_a_listed_word_in_the_names_usual_phrase_is_a_slip(tmp_path: Path) -> None:
    """Corelli, a composer the diary names eight times (no character: he never speaks or acts),
    is three times in "Corelli's Christmas Concerto"; "Orelli" once, in that very phrase, is
    his slip though a word list knows it. Found with the bible and without it."""
    prose = _diary("On Sunday the choir sang Orelli’s Christmas Concerto in the nave.")
    for found in _both(tmp_path, prose, bible="- name: Corelli\n"):
        assert _spellings(found) == ["Orelli"]
        assert "did you mean Corelli?" in found[0].message


def test_a_listed_word_outside_the_names_phrases_is_left_alone(tmp_path: Path) -> None:
    """ "Orelli" once in a phrase of its own: nothing says it is the composer's slip."""
    prose = _diary("On Sunday the choir sang with Orelli in the nave.")
    without, _ = _both(tmp_path, prose)
    assert without == []
