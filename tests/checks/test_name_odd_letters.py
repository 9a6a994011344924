"""Issue 12: a spelling used once whose letters no name of the text has is a slip, though one
name beside it is new to the name meant ("Tobias Hqllam" where Hallam is only ever "Mr. Hallam").
Every text here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings

_HALLAM = [
    *["“The ferry is late again,” said Mr. Hallam, and Hallam looked at his watch."] * 5,
    *["We walked with Hallam to the pier, and Hallam bought the tickets."] * 3,
]


def test_odd_letters_beside_one_new_name_are_a_slip(tmp_path: Path) -> None:
    """Hallam is a character written sixteen times, never with a given name; "Hqllam" once,
    beside "Tobias": "hq" and "qll" are letters no name of the text has, so the one new name
    beside it does not make it someone else. Found with the bible and without it."""
    prose = _prose(*_HALLAM, "In the morning Tobias Hqllam wrote to the harbour master.")
    for found in _both(tmp_path, prose, bible="- name: Mr. Hallam\n"):
        assert _spellings(found) == ["Hqllam"]
        assert "did you mean Hallam?" in found[0].message


def test_a_name_of_the_texts_letters_beside_a_name_of_its_own_is_someone_else(tmp_path: Path) -> None:
    """ "Tobias Hallas" once, made of letters the text's names have (Hallam, Silas, Dallas): a
    person of his own, as before."""
    prose = _prose(
        *_HALLAM,
        "Silas came from Dallas with the mail.",
        "In the morning Tobias Hallas wrote to the harbour master.",
    )
    assert _both(tmp_path, prose) == ([], [])
