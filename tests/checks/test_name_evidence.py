"""The name rules judge from evidence: one test a false-alarm or missed-typo pattern of issue 12.

Every text here is our own short example of the pattern, not a line of the books it was seen in.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from toolkit import pipeline
from toolkit.checks.run import run_checks
from toolkit.diagnostics import Diagnostic

FILLER = "The tide turned and the gulls went quiet over the harbour wall."


def _project(tmp_path: Path, prose: str = "", fountain: str = "", bible: str = "", toml: str = "") -> Path:
    if prose:
        (tmp_path / "manuscript").mkdir(parents=True, exist_ok=True)
        (tmp_path / "manuscript" / "01-one.md").write_text(prose, encoding="utf-8")
    if fountain:
        (tmp_path / "screenplay").mkdir(parents=True, exist_ok=True)
        (tmp_path / "screenplay" / "01-one.fountain").write_text(fountain, encoding="utf-8")
    tmp_path.mkdir(parents=True, exist_ok=True)
    if bible:
        (tmp_path / "characters.yaml").write_text(bible, encoding="utf-8")
    if toml:
        (tmp_path / "fabula.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def _names(root: Path) -> list[Diagnostic]:
    return [d for d in run_checks(pipeline.story(root, use_cache=False)) if d.code.startswith(("N", "E"))]


def _prose(*sentences: str) -> str:
    return "# One\n\n" + "\n\n".join(f"{sentence} {FILLER}" for sentence in sentences) + "\n"


def _both(tmp_path: Path, prose: str = "", fountain: str = "", bible: str = "", toml: str = "") -> tuple:
    """The name findings without the bible and with it (the same text)."""
    without = _names(_project(tmp_path / "without", prose, fountain, toml=toml))
    with_bible = _names(_project(tmp_path / "with", prose, fountain, bible, toml))
    return without, with_bible


def _spellings(found: list) -> list[str]:
    """The spelling each name finding reports, in order."""
    return [d.message.split(":")[0] for d in found]


# ---------------------------------------------------------------- false alarms


def test_another_person_with_a_given_name_or_title_of_their_own_is_no_typo(tmp_path: Path) -> None:
    """Sir Oswin Pell is no typo of Mr. Pelly; Dora Weller the singer none of Webber's; the
    village of Corbridge none of Mr. Corbridge... each is written with company the character
    never keeps."""
    prose = _prose(
        *["“Not tonight,” said Mr. Pelly, and Pelly locked the shed."] * 6,
        *["Then Webber walked down to the quay with Pelly."] * 6,
        "She read the life of Sir Oswin Pell by the stove.",
        "The wireless played Dora Webbar singing the old air.",
        "They drove through the village of Webbe before dark.",
    )
    assert _both(tmp_path, prose, bible="- name: Tom Pelly\n- name: Ada Webber\n") == ([], [])


def test_a_main_character_never_titled_keeps_a_slip_written_with_a_title(tmp_path: Path) -> None:
    """Paulina speaks and acts 25 times and is never titled: "the Lady Paulna's steward" is her
    name mistyped, not another lady's. A minor name (Dennis, 5 uses) written once with a title
    ("Saint Denis") is someone else; so is a main character's near miss with a title of its own
    where the name has another title ("Sir Tom Baker" beside Mr. Barker: the test above)."""
    main = _prose(
        *["“Good queen,” said Paulina, and Paulina went in."] * 12,
        "Paulina waited.",
        "Here comes the Lady Paulna's steward, with news.",
    )
    for found in _both(tmp_path, main, bible="- name: Paulina\n"):
        assert _spellings(found) == ["Paulna"]
    minor = _prose(*["“Bring the wine,” said Dennis, and went."] * 2, "Dennis slept.", "Saint Denis keep us all!")
    assert _both(tmp_path / "minor", minor)[0] == []


def test_plurals_and_family_names_are_the_name_itself(tmp_path: Path) -> None:
    prose = _prose(
        *["“Come in,” said Halloran, and Halloran lit the lamp."] * 8,
        "In the end the Hallorans went home.",
        "Later the Hallorans' dog barked.",
    )
    assert _both(tmp_path, prose, bible="- name: Mick Halloran\n") == ([], [])


def test_a_title_of_a_ship_book_or_song_is_no_typo(tmp_path: Path) -> None:
    """The *Corwin Belle* beside Mr. Corvin: a ship's name is written with its other words."""
    prose = _prose(
        *["“Hold the rope,” said Mr. Corvin, and Corvin held it."] * 8,
        "Out past the point the *Corwin Belle* rode at anchor.",
        "He whistled “Corwin Belle” all the way home.",
    )
    assert _both(tmp_path, prose, bible="- name: Ned Corvin\n") == ([], [])


def test_adjectives_of_peoples_are_words_not_typos(tmp_path: Path) -> None:
    """The Welsh hills beside Mr. Walsh: a word of the language that never acts as a person."""
    prose = _prose(
        *["“We sail at dawn,” said Mr. Walsh, and Walsh went aboard."] * 9, "Beyond them rose the Welsh hills."
    )
    assert _both(tmp_path, prose)[0] == []


def test_capitalised_german_nouns_are_not_typos_of_names(tmp_path: Path) -> None:
    """German capitalises every noun: der Daumen is no typo of a character called Dauman."""
    prose = _prose(
        *["„Nein“, sagte Dauman, und Dauman ging hinaus."] * 9,
        "Sie hielt den Daumen in die Luft.",
    )
    assert _both(tmp_path, prose, bible="- name: Jens Dauman\n", toml='language = "de"\n') == ([], [])


def test_a_spelling_the_sentence_points_at_is_meant(tmp_path: Path) -> None:
    prose = _prose(
        *["“Tea,” said Mrs. Smithers, and Smithers poured it."] * 9,
        "On the sign she had painted Smither's Yard instead of Smithers', and left it so.",
        "The clerk wrote Smithres [sic] in the ledger.",
    )
    assert _both(tmp_path, prose, bible="- name: Ada Smithers\n") == ([], [])


def test_mojibake_is_one_warning_for_the_file_with_the_fix_and_no_name_noise(tmp_path: Path) -> None:
    prose = _prose(*["“Yes,” said Jaworski, and Jaworski smiled."] * 9, "It was JaworskiÕs coat, and itÕs wet.")
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "02-two.md").write_text(
        "# Two\n\nI donâ€™t know, said Jaworski. JaworskiÕs boat.\n", encoding="utf-8"
    )
    found = _names(_project(tmp_path, prose))
    assert [(d.span.path, d.span.line, d.code, d.severity) for d in found] == [
        ("manuscript/01-one.md", 21, "E101", "warning"),
        ("manuscript/02-two.md", 3, "E101", "warning"),
    ]
    assert "'JaworskiÕs' should read 'Jaworski’s'" in found[0].message and "iconv" in found[0].message
    assert "'donâ€™t' should read 'don’t'" in found[1].message and "ftfy" in found[1].message


def test_the_more_frequent_spelling_is_not_taken_for_the_right_one(tmp_path: Path) -> None:
    """A creature misspelt 20 times and right 3 times: without a bible nothing says which is
    right, so the finding asks; with one, the bible's spelling is right and the 20 are reported."""
    prose = _prose(
        *["Down in the dark the Gruntle stirred, and the Gruntle said nothing."] * 10,
        *["Then the Grumtle went back to sleep."] * 3,
    )
    without, with_bible = _both(tmp_path, prose, bible="- name: Grumtle\n")
    assert {d.message for d in without} == {
        (
            "Grumtle: also spelled Gruntle (20 uses, this spelling 3); one name spelled two ways? "
            "list the right one in characters.yaml"
        )
    }
    assert len(with_bible) == 20
    assert {d.message for d in with_bible} == {"Gruntle: did you mean Grumtle? (characters.yaml, 3 uses)"}


# ---------------------------------------------------------------- missed typos


def test_typos_of_the_last_letter_are_found_when_the_evidence_is_strong(tmp_path: Path) -> None:
    prose = _prose(
        *["“Enough,” said Carver, and Carver shut the door."] * 6,
        *["At noon Annabel came with Hiroshi and Mr. Fennell."] * 12,
        "Then the lamp went out and said Carvet nothing.",
        "At dusk Annabelk came in.",
        "At dawn Hiroshu left.",
        "It was Mr. Fennel's boat.",
    )
    for found in _both(tmp_path, prose, bible="- name: Ian Carver\n- name: Annabel Roy\n- name: Hiroshi Ito\n"):
        assert [d.message.split(":")[0] for d in found] == ["Carvet", "Annabelk", "Hiroshu", "Fennel"]


def test_names_that_differ_in_the_last_letter_are_still_two_people(tmp_path: Path) -> None:
    """Maria and Mario, Juan and Juana, Karen and Maren: real given names, so two people."""
    prose = _prose(*["At noon Maria sailed with Juan and Karen."] * 12, "By night Mario came, with Juana and Maren.")
    assert _both(tmp_path, prose)[0] == []


def test_distinct_keeps_two_people_apart_without_exempting_their_typos(tmp_path: Path) -> None:
    prose = _prose(
        *["“Ready,” said Ana Morales, and Morales went out."] * 8,
        *["Later Pedro Morales came."] * 2,
        "At dusk Moralse came back.",
    )
    bible = "- name: Ana Morales\n  distinct: [Pedro Morales]\n"
    without, with_bible = _both(tmp_path, prose, bible=bible)
    assert [d.message for d in without] == ["Moralse: did you mean Morales? (18 uses)"]
    assert [d.message for d in with_bible] == ["Moralse: did you mean Morales? (characters.yaml, 18 uses)"]


def test_names_in_capitals_in_the_action_are_checked_against_cues_and_the_bible(tmp_path: Path) -> None:
    fountain = (
        "INT. ROOM - DAY\n\n" + "STEFAN\nYes.\n\n" * 6 + "ESTEFAN KOVACS enters. A BOOM outside.\n\nSTEFAN\nNo.\n"
    )
    found = _names(_project(tmp_path, fountain=fountain, bible="- name: Stefan Kovacs\n"))
    assert [(d.span.line, d.code, d.message) for d in found] == [
        (21, "N101", "ESTEFAN: did you mean STEFAN? (characters.yaml, 7 uses)")
    ]


def test_a_given_name_conflict_is_reported_in_each_file(tmp_path: Path) -> None:
    """The book and the screenplay both write Stephan Kovacs: each file gets its finding."""
    prose = _prose(*["Then Stefan Kovacs spoke."] * 6, *["Then Stephan Kovacs spoke."] * 2)
    fountain = "INT. ROOM - DAY\n\nStephan Kovacs sits.\n\nStephan Kovacs stands.\n\nSTEFAN\nYes.\n"
    found = _names(_project(tmp_path, prose, fountain))
    assert [(d.span.path, d.code) for d in found] == [
        ("manuscript/01-one.md", "N103"),
        ("screenplay/01-one.fountain", "N103"),
    ]


def test_decomposed_accents_are_read_as_one_name(tmp_path: Path) -> None:
    """ "Zélie" typed with a combining accent is the same name as "Zélie": NFC on reading."""
    composed, decomposed = "Zélie", unicodedata.normalize("NFD", "Zélie")
    prose = _prose(*[f"“Yes,” said {composed}."] * 5, *[f"“No,” said {decomposed}."] * 5)
    root = _project(tmp_path, prose)
    assert _names(root) == []
    story = pipeline.story(root, use_cache=False)
    assert story.project.chapters[0].words == 10 * (3 + len(FILLER.split()))
