"""Issue 12: a name whose last letter is an "s" of its own, typed once without it, is a slip, not
the name's singular ("Brutu" for Brutus, "Lewi" for Lewis). Every text here is our own short
example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def test_a_name_that_ends_in_s_typed_once_without_it_is_a_slip(tmp_path: Path) -> None:
    """Aurelius speaks ten times; "Aureliu" once, known to no list: the name with its last
    letter lost, found with the bible and without it."""
    prose = _prose(
        *["“The grain is late,” said Aurelius, and Aurelius turned to the river."] * 5,
        "The legate bowed to Aureliu and left the tent.",
    )
    for found in _both(tmp_path, prose, bible="- name: Aurelius\n"):
        assert _spellings(found) == ["Aureliu"]
        assert "did you mean Aurelius?" in found[0].message


def test_the_singular_of_a_family_written_in_the_plural_is_no_slip(tmp_path: Path) -> None:
    """ "the Hallorans" again and again, and "Halloran" once (a surname the lists know): the
    singular of the family, not the plural's slip."""
    prose = _prose(
        *["The Hallorans came down to the quay, and the Hallorans said nothing."] * 5,
        "Old Halloran kept the lamp.",
    )
    assert _both(tmp_path, prose) == ([], [])


def test_the_singular_of_a_people_is_no_slip(tmp_path: Path) -> None:
    """ "the Gavrites" again and again, and "a Gavrite" once (known to no list): one of the
    people, not the plural's slip."""
    prose = _prose(
        *["Then the Gavrites came down to the ford, and the Gavrites camped there."] * 5,
        "And a Gavrite kept the gate.",
    )
    assert _both(tmp_path, prose) == ([], [])
