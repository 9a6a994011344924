"""Issue 12, ninth round: a list of names whose end says what they are ("…, the sons of X";
"…, Levites"; "…; thirteen cities") names people and places of their own, not slips of a near
name used elsewhere; a slip in such a list that makes letters no name has is still found.

Every text here is our own short example of the pattern (names of our own making), not a line
of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import FILLER, _both, _spellings

BIBLE = "- name: Berenath\n"


def _verses(*verses: str) -> str:
    """A chapter of verses, one a paragraph (a list may run on from one verse to the next), with
    names that share the letters of the lists' names (Zerach, Kreamon, Shirel), as a book's
    names do: a slip that makes letters no name has is judged apart (the last test)."""
    story = [f"Then Berenath rose early, and said Berenath: go. {FILLER}"] * 22
    story.append(f"And Zerach, and Kreamon, and Shirel dwelt by the river. {FILLER}")
    return "# One\n\n" + "\n\n".join([*story, *verses]) + "\n"


def test_a_list_that_ends_with_whose_children_they_are(tmp_path: Path) -> None:
    """ "And Adrimel, and Berenach, and Tolvash, the sons of Hemmoth;" beside Berenath, who
    speaks 44 times: Hemmoth's son, no slip; the same list ending in a deed is a slip."""
    prose = _verses("And Adrimel, and Berenach, and Tolvash, the sons of Hemmoth;", FILLER)
    for found in _both(tmp_path, prose, bible=BIBLE):
        assert _spellings(found) == []
    slip = _verses("And Adrimel, and Berenach, and Tolvash went up to the gate.", FILLER)
    for found in _both(tmp_path / "slip", slip, bible=BIBLE):
        assert _spellings(found) == ["Berenach"]


def test_a_list_runs_on_across_verses_to_its_end(tmp_path: Path) -> None:
    """The list goes on over three verses before it says what its names are ("three cities
    and their villages"; "Korvites", a people): every name of it is a place or man of its own."""
    prose = _verses(
        "And they had in their lot Hazrek, and Ulgath,",
        "And Dorvale, and Berenach, and Orbin,",
        "And Melzar, and Kesmin; seven cities and their villages:",
        "And he sent with them Adrimel, and Bereath, and Tolvash, and Tob-zimmon, Korvites; and the priests.",
    )
    for found in _both(tmp_path, prose, bible=BIBLE):
        assert _spellings(found) == []
    slip = prose.replace("seven cities and their villages:", "and they went out at dawn.").replace(
        "Korvites; and", "and Korvah went with"
    )
    for found in _both(tmp_path / "slip", slip, bible=BIBLE):
        assert _spellings(found) == ["Berenach", "Bereath"]


def test_a_spanish_list_ends_with_whose_sons_they_are(tmp_path: Path) -> None:
    """ "Y á Phorzam, y á Abirel, y á Vaizon, / Diez hijos de Amrán": Amrán's son, no slip of the
    Abidel who speaks; the same list ending in a deed is his slip."""
    story = ["Entonces Abidel se levantó, y dijo Abidel: id. Y el pueblo volvió á sus tiendas."] * 22
    story.append("Y Zerach, y Kreamon, y Shirel habitaban junto al río.")
    verses = ["Y mataron á Dorzam, y á Pelmoth,", "Y á Phorzam, y á Abirel, y á Vaizon,", "Diez hijos de Amrán."]
    prose = "# Uno\n\n" + "\n\n".join([*story, *verses]) + "\n"
    for found in _both(tmp_path, prose, bible="- name: Abidel\n", toml='language = "es"\n'):
        assert _spellings(found) == []
    slip = prose.replace("Diez hijos de Amrán.", "Y se fueron de noche.")
    for found in _both(tmp_path / "slip", slip, bible="- name: Abidel\n", toml='language = "es"\n'):
        assert _spellings(found) == ["Abirel"]


def test_a_slip_in_a_named_list_with_letters_no_name_has_is_still_found(tmp_path: Path) -> None:
    """ "Berxnath" among the sons of Hemmoth: "rxn" and "xna" are in no name of the text, so it is
    Berenath mistyped, wherever the writer typed it."""
    prose = _verses("And Adrimel, and Berxnath, and Tolvash, the sons of Hemmoth;", FILLER)
    for found in _both(tmp_path, prose, bible=BIBLE):
        assert _spellings(found) == ["Berxnath"]
