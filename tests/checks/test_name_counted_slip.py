"""Issue 12: the slip is one of the uses the writer typed. A name written four times and mistyped
once in its last letter was written five times, enough to judge the slip. Every text here is our
own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def _corwen(*extra: str) -> str:
    return _prose(
        *["“Bring the lantern,” said Corwen, and we followed him down."] * 2,
        *["At the mill Corwen stopped and listened."] * 2,
        "Mr. Howe kept the gate and said nothing.",
        *extra,
    )


def test_a_last_letter_slip_counts_among_its_names_uses(tmp_path: Path) -> None:
    """Corwen speaks and acts four times; "Corwe" once, known to no list, its one new run of
    letters ("we" at the end) also Howe's: with the slip the name was typed five times, the
    least a slip of the last letter needs. Found without the bible as with it."""
    for found in _both(tmp_path, _corwen("The miller waved to Corwe from the bridge."), bible="- name: Corwen\n"):
        assert _spellings(found) == ["Corwe"]
        assert "did you mean Corwen?" in found[0].message


def test_a_name_written_three_times_is_still_too_rare(tmp_path: Path) -> None:
    """Three uses and the slip are four: not enough without a bible."""
    prose = _prose(
        *["“Bring the lantern,” said Corwen, and we followed him down."] * 2,
        "At the mill Corwen stopped and listened.",
        "Mr. Howe kept the gate and said nothing.",
        "The miller waved to Corwe from the bridge.",
    )
    without, _ = _both(tmp_path, prose)
    assert without == []
