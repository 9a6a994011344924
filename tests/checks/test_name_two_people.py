"""Issue 12: two spellings in real use, both written in one sentence, are two people (King James's
Shebaniah beside Shemaiah in the lists of Levites). Every text here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def _levites(*extra: str) -> str:
    return _prose(
        *["Then Shemaiah went up to the gate, and said Shemaiah: go."] * 9,
        *["And Jeshua, Kadmiel and Hodijah stood by the wall."] * 3,
        *extra,
    )


def test_two_spellings_in_real_use_written_in_one_sentence_are_two_people(tmp_path: Path) -> None:
    """Shebaniah, four times, beside Shemaiah, eighteen: both in real use, and one list names
    both ("Shemaiah, Jeshua, and Shebaniah"). One sentence does not name one man twice
    spelled two ways: two people, and no "also spelled" at each use."""
    prose = _levites(
        "Of the Levites: Shemaiah, Jeshua,\n\nKadmiel, and Shebaniah, the singers.",
        *["And Shebaniah kept the doors."] * 3,
    )
    assert _both(tmp_path, prose) == ([], [])


def test_two_spellings_never_in_one_sentence_are_still_one_name_spelled_two_ways(tmp_path: Path) -> None:
    """The same spellings, never written in one sentence (nor in one within a long stretch
    of text): the writer is asked which is right, at every use of the rarer."""
    prose = _levites(
        "Of the Levites: Shemaiah, Jeshua, and Kadmiel.",
        "And Shebaniah kept the doors, and Jeshua and Hodijah with him.",
        *["And Shebaniah kept the doors."] * 3,
    )
    without, _ = _both(tmp_path, prose)
    assert _spellings(without) == ["Shebaniah"] * 4
    assert all("also spelled Shemaiah" in finding.message for finding in without)
