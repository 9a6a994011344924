"""Issue 12: how a near miss is written says it is another word than the name (a ship after "the",
a place before "castle", a plural in "-men", an adjective), a slip of the first or last letter
makes letters no name of the text has, a line in capitals that runs on is no cue, and a word of the
language that starts a line of verse is the word. Every text here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import FILLER, _both, _prose, _spellings


def test_a_ship_written_after_the_article_is_no_slip(tmp_path: Path) -> None:
    """Antonius is never "the Antonius"; "the Antoniad" is a ship, a book, an inn named after him."""
    prose = _prose(
        *["“Hold the line,” said Antonius, and Antonius climbed the rigging."] * 6,
        "Late that night the Antoniad ran before the wind.",
    )
    assert _both(tmp_path, prose) == ([], [])


def test_the_same_spelling_without_the_article_or_one_letter_off_is_still_a_slip(tmp_path: Path) -> None:
    """Without the article, "Antoniad" is Antonius mistyped; and "the Antonias", one letter off, is
    a slip where the name was written after "the" once (an inn, a ship of that name)."""
    for n, line in enumerate(("Late that night Antoniad ran before the wind.", "That night the Antonias sank.")):
        prose = _prose(*["“Hold the line,” said Antonius, and Antonius climbed the rigging."] * 6, line)
        for found in _both(tmp_path / str(n), prose):
            assert len(_spellings(found)) == 1


def test_a_place_named_after_someone_is_no_slip(tmp_path: Path) -> None:
    """Lord Berkeley is never written before "castle" or "'s Inn": "Berkley castle" and "Berkley's
    Inn" are places, whatever their spelling."""
    prose = _prose(
        *["“Stand fast,” said Lord Berkeley, and Berkeley drew his sword."] * 6,
        "They rode on to Berkley castle by night.",
    )
    assert _both(tmp_path, prose) == ([], [])
    inn = prose.replace("Berkley castle", "the lanes behind Berkley's Inn")
    assert _both(tmp_path / "inn", inn) == ([], [])


def test_a_slip_beside_a_word_of_place_the_name_is_written_with_is_still_a_slip(tmp_path: Path) -> None:
    """Berkeley castle is written so: "Berkley castle" is its slip."""
    prose = _prose(
        *["“Stand fast,” said Lord Berkeley, and Berkeley drew his sword."] * 6,
        "They rode on to Berkeley castle by night.",
        "They rode on to Berkley castle by noon.",
    )
    for found in _both(tmp_path, prose):
        assert _spellings(found) == ["Berkley"]


def test_a_plural_in_men_is_no_slip(tmp_path: Path) -> None:
    """The Boatman speaks; "the two Boatmen" are his fellows."""
    prose = _prose(
        *["“Mind the oars,” said Boatman, and Boatman pushed off."] * 6,
        "The two Boatmen came forward with the lantern.",
    )
    assert _both(tmp_path, prose) == ([], [])
    slip = prose.replace("The two Boatmen came", "Then Boatmen came")
    for found in _both(tmp_path / "slip", slip):
        assert _spellings(found) == ["Boatmen"]


def test_an_adjective_made_from_a_name_is_no_slip(tmp_path: Path) -> None:
    """ "his Tarvessan sword", after the general Tarvessi: two letters changed, as an adjective is made; one
    letter changed is a slip ("Tarvessa")."""
    prose = _prose(
        *["“To arms,” said Tarvessi, and Tarvessi led the legion out at dawn."] * 6,
        "He wore his Tarvessan sword to the feast.",
    )
    assert _both(tmp_path, prose) == ([], [])
    slip = prose.replace("Tarvessan", "Tarvessa")
    for found in _both(tmp_path / "slip", slip):
        assert _spellings(found) == ["Tarvessa"]


def test_a_place_beside_a_name_no_evidence_makes_a_character_is_no_slip(tmp_path: Path) -> None:
    """Harbona is given letters and is never somewhere; "they dwelt in Harbana." is a place."""
    prose = _prose(
        *["Then the queen gave Harbona the letter for the gate."] * 5,
        "And the men of the city dwelt in Harbana.",
    )
    assert _both(tmp_path, prose) == ([], [])
    slip = prose.replace("dwelt in Harbana.", "gave Harbana the seal.")
    for found in _both(tmp_path / "slip", slip):
        assert _spellings(found) == ["Harbana"]


def test_a_first_letter_slip_with_letters_no_name_has_is_found_beside_a_name_used_four_times(
    tmp_path: Path,
) -> None:
    """Corvalo is written four times; "Ocrvalo" ("^oc", "ocr", "crv": no name of the text has
    them) is the fifth, mistyped. A slip of the first or last letter needed eight uses before."""
    prose = _prose(
        *["The elders sent the letter with Corvalo to the church at the harbour."] * 4,
        "The elders sent the letter with Ocrvalo to the church at the harbour.",
    )
    without, _ = _both(tmp_path, prose)
    assert _spellings(without) == ["Ocrvalo"]


def test_a_last_letter_change_made_of_the_texts_letters_still_needs_more_uses(tmp_path: Path) -> None:
    """ "Corvali" ends as Natali, Rosali and Bengali do: made of the text's letters, it may be a
    name of its own, and four uses of Corvalo are too few to call it a slip."""
    prose = _prose(
        *["The elders sent the letter with Corvalo to the church at the harbour."] * 4,
        *[f"The elders greeted {name} at the harbour." for name in ("Natali", "Rosali", "Bengali")] * 2,
        "The elders sent the letter with Corvali to the church at the harbour.",
    )
    without, _ = _both(tmp_path, prose)
    assert without == []


SCRIPT = (
    "INT. FORUM - DAY\n\nCINNA\nGo you down this way towards the hill; this way will serve.\n\n"
    "CINNA\nI will go this way.\n\n{line}\ndisrobe the images, if you find them decked.\n\nCINNA\nGo.\n"
)


def test_a_line_in_capitals_the_sentence_runs_on_from_is_no_cue(tmp_path: Path) -> None:
    """ "THIS WAY WILL I" / "disrobe the images": half a line of verse set in capitals, no
    speaker; with a bible, no "unknown cue"."""
    _, with_bible = _both(tmp_path, fountain=SCRIPT.format(line="THIS WAY WILL I"), bible="- name: Cinna\n")
    assert with_bible == []


def test_a_name_that_speaks_once_in_lower_case_is_still_an_unknown_cue(tmp_path: Path) -> None:
    _, with_bible = _both(tmp_path, fountain=SCRIPT.format(line="MORWENNA"), bible="- name: Cinna\n")
    assert [(d.code, d.span.line) for d in with_bible] == [("N102", 9)]


def _verse(capitalised: bool) -> str:
    lines = ["and the tide comes over the stones,", "and the gulls go crying home", "over the harbour wall,"]
    verse = "\n".join((line[0].upper() + line[1:]) if capitalised else line for line in lines * 40)
    scenes = "".join(f"INT. HALL - DAY {n}\n\nDICK\nWe sail at dawn.\n\nMARGERY\n{verse}\n\n" for n in range(1, 4))
    duck = "Smile in their faces, and cog,\nDuck with a nod and a bow,\nAnd go."
    return scenes + f"INT. HALL - NIGHT\n\nMARGERY\n{duck if capitalised else duck.replace('Duck', 'duck')}\n"


def test_a_word_that_starts_a_line_of_verse_is_the_word(tmp_path: Path) -> None:
    """ "Duck with a nod" at a line's start in verse, where every line starts with a capital: the
    verb, not Dick mistyped, even with the bible (which makes a once-used word near a name a slip)."""
    _, with_bible = _both(tmp_path, fountain=_verse(True), bible="- name: Dick\n- name: Margery\n")
    assert "Duck" not in _spellings(with_bible)


def test_a_word_capitalised_at_a_line_start_in_prose_is_still_judged(tmp_path: Path) -> None:
    """In lines that go on in lower case (prose wrapped by hand), a capital at a line's start is
    the writer's: "Duck" once beside the bible's Dick is its slip."""
    script = _verse(False).replace("and cog,\nduck with", "and cog,\nDuck with")
    _, with_bible = _both(tmp_path, fountain=script, bible="- name: Dick\n- name: Margery\n")
    assert _spellings(with_bible) == ["Duck"]


def test_a_verb_with_its_pronoun_opening_a_sentence_is_no_slip(tmp_path: Path) -> None:
    """Spanish writes pronouns onto verbs: "Déos paz el Señor" (may He give you peace) opens a
    sentence beside Dios, used again and again; a slip inside a sentence is still a slip."""
    toml = 'language = "es"\n'
    lines = ["Y dijo Dios a los hombres que fuesen en paz, y Dios les habló otra vez."] * 6
    prose = _prose(*lines, "Déos paz el Señor en vuestra casa.").replace(FILLER, "")
    assert _both(tmp_path, prose, toml=toml) == ([], [])
    slip = _prose(*lines, "Y habló Déos a los hombres.").replace(FILLER, "")
    for found in _both(tmp_path / "slip", slip, toml=toml):
        assert _spellings(found) == ["Déos"]
