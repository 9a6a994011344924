"""Issue 12: a file's mojibake finding (E101) in a Fountain line with emphasis marks points at
the damaged character itself, as the name findings do (tests/checks/test_name_marks.py): the
marks are in the source, not in the text the check reads. Our own short example: UTF-8 read
as Windows-1252 (a Fountain file's Mac Roman is repaired by its parse, fountain_intent)."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both


def test_mojibake_after_an_emphasis_mark_is_reported_at_its_own_column(tmp_path: Path) -> None:
    lines = ["INT. KITCHEN - NIGHT", "", "*Quiet.* Jaworskiâ€™s coat hangs by the door.", "", "MARA", "I donâ€™t know."]
    script = "\n".join(lines) + "\n"
    without, _ = _both(tmp_path, fountain=script)
    places = [(d.span.line, d.span.col) for d in without if d.code == "E101"]
    assert places == [(3, lines[2].index("â€™") + 1)]
