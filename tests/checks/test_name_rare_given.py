"""Issue 12: a rare real given name written once inside a sentence, one edit from a main
character's name and near its uses, is the name's slip ("Ector" beside a Hector written twenty
times), though the given-name list knows it. Every text here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def _hector(times: int, slip: str) -> str:
    return _prose(
        *["“Hold the rope,” said Hector, and Hector pulled the boat ashore."] * (times // 2),
        slip,
    )


def test_a_rare_given_name_one_edit_from_a_main_character_is_a_slip(tmp_path: Path) -> None:
    """Hector is written twenty-two times; "Ector" once, mid-sentence: found without the bible as
    with it."""
    prose = _hector(22, "Then the fisherman gave Ector the oars.")
    for found in _both(tmp_path, prose, bible="- name: Hector\n"):
        assert _spellings(found) == ["Ector"]
        assert "did you mean Hector?" in found[0].message


def test_a_given_name_beside_a_minor_name_stays_a_person(tmp_path: Path) -> None:
    """Hector written ten times is no main character: "Ector" stays a person of his own."""
    without, _ = _both(tmp_path, _hector(10, "Then the fisherman gave Ector the oars."))
    assert without == []
