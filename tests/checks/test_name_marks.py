"""Issue 12: a name finding in a Fountain line with emphasis marks ("*", "**", "_") is reported at
the name's own column: the marks are in the source, not in the text the name check reads. Every
script here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both


def test_a_slip_after_an_emphasis_mark_is_reported_at_its_own_column(tmp_path: Path) -> None:
    """The Fountain line "\t*Did you know Brick and Stel are retired?*": the plain text has no
    "*", the source has; the finding points at "Stel", not one column before it."""
    script = "INT. CAR - DAY\n\n" + "".join(
        f"STEEL\nWe go in {n}.\n\nBRICK\nSteel, wait.\n\n" for n in ("now", "fast", "low", "quiet", "first")
    )
    line = "\t*Did you know Brick and Stel are retired?*"
    script += f"JACK\n{line}\n\n_Steel's face_ fills the *scope* and Stel turns.\n"
    without, _ = _both(tmp_path, fountain=script)
    lines = script.split("\n")
    places = [(d.span.line, d.span.col) for d in without if d.code == "N101"]
    expected = [(n + 1, text.index("Stel ") + 1) for n, text in enumerate(lines) if "Stel " in text]
    assert places == expected
