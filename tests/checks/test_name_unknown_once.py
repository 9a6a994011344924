"""Issue 12: a spelling used once that no word list or name list knows, beside a name the text
uses again and again, is a slip even where it acts ("as Bauderaire says" beside a Baudelaire a
diary quotes). Every text here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def test_a_spelling_no_list_knows_that_says_something_once_is_still_a_slip(tmp_path: Path) -> None:
    """A poet the diary quotes, six times, never a character; "as Verlaime says" once, known to no
    list: the quoting verb makes no new person of a slip."""
    prose = _prose(
        *["I went back to Verlaine after supper, and Verlaine was kind to me."] * 3,
        "Then the rain, as Verlaime says, on the town.",
    )
    without, _ = _both(tmp_path, prose)
    assert _spellings(without) == ["Verlaime"]
