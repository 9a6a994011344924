"""Issue 12: a name written again and again with another ending of one or two letters is the name
inflected, not a slip, even where the bible spells it otherwise (a Latin vocative "Saturnine", the
family plural "the Andronici"). Every text here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings

BIBLE = "- name: Corvinianus\n"


def _forum(*extra: str) -> str:
    return _prose(*["Then Corvinianus went up to the forum, and said Corvinianus: wait."] * 12, *extra)


def test_a_name_written_often_with_another_ending_is_the_name_inflected(tmp_path: Path) -> None:
    """ "Corviniane" five times beside Corvinianus twenty-four: the stem kept, "us" written "e" (two
    edits at the end), again and again, by a writer who means it: no finding, with the bible or
    without."""
    prose = _forum(*["Hear me, proud Corviniane, and answer the senate."] * 5)
    assert _both(tmp_path, prose, bible=BIBLE) == ([], [])


def test_a_one_letter_slip_at_the_end_typed_again_is_still_a_slip_with_the_bible(tmp_path: Path) -> None:
    """ "Corvinianux" three times (its last letter mistyped: one edit) is still reported with the bible,
    at every use: only a second edit at the end makes another ending."""
    prose = _forum(*["Hear me, proud Corvinianux, and answer the senate."] * 3)
    _, with_bible = _both(tmp_path, prose, bible=BIBLE)
    assert _spellings(with_bible) == ["Corvinianux"] * 3
