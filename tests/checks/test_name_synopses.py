"""Issue 12: a screenplay's sections (``# …``) and synopses (``= …``) are the writer's own prose.

A name misspelt there ("= Baxtre finds the card" for Baxter) is a slip the writer wants to know
about, reported where the misspelt word is on the line, after the ``#``s or ``=`` and spaces.
Every text here is our own short example.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _spellings

_SCENE = "INT. KITCHEN - DAY\n\nBaxter opens the drawer. Baxter reads the card.\n\nBAXTER\nFrom Dad.\n\n"


def _script(*extra: str) -> str:
    return "".join([_SCENE] * 4) + "\n\n".join(extra) + "\n"


def test_a_name_misspelt_in_a_synopsis_is_found_where_it_is(tmp_path: Path) -> None:
    script = _script("INT. HALL - NIGHT", "=   The card: Baxtre finds it again.", "Baxter sleeps.")
    line = script.splitlines().index("=   The card: Baxtre finds it again.") + 1
    for found in _both(tmp_path, fountain=script, bible="- name: Baxter\n"):
        assert _spellings(found) == ["Baxtre"]
        assert (found[0].span.path, found[0].span.line, found[0].span.col) == ("screenplay/01-one.fountain", line, 15)


def test_a_name_misspelt_in_a_section_heading_is_found_where_it_is(tmp_path: Path) -> None:
    script = _script("##  Baxtre and the card", "INT. HALL - NIGHT", "Baxter sleeps.")
    line = script.splitlines().index("##  Baxtre and the card") + 1
    for found in _both(tmp_path, fountain=script, bible="- name: Baxter\n"):
        assert _spellings(found) == ["Baxtre"]
        assert (found[0].span.line, found[0].span.col) == (line, 5)


def test_a_synopsis_standing_alone_at_the_top_of_a_file_is_read_too(tmp_path: Path) -> None:
    """A ``=`` line that belongs to no heading (the top of the file) is a synopsis the writer keeps."""
    script = "= Baxtre and the card.\n\n" + _script("Baxter sleeps.")
    for found in _both(tmp_path, fountain=script, bible="- name: Baxter\n"):
        assert _spellings(found) == ["Baxtre"]
        assert (found[0].span.line, found[0].span.col) == (1, 3)


def test_names_spelt_right_in_sections_and_synopses_are_no_finding(tmp_path: Path) -> None:
    script = _script(
        "# ACT ONE", "## Baxter and the card", "INT. HALL - NIGHT", "= Baxter finds the card.", "Baxter sleeps."
    )
    assert _both(tmp_path, fountain=script, bible="- name: Baxter\n") == ([], [])
