"""Issue 12, eighth round: a text crowded with names written alike (a book of genealogies and
rolls) makes a spelling used once one letter from a minor name one more name, not a slip; a
main character's slip, and a slip that makes letters no name has, are still found.

Every text here is our own short example of the pattern (names of our own making), not a line
of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import FILLER, _both, _prose, _spellings

# Fifty names of a roll, each far from the others, and six pairs written alike (Belmoth and
# Belnoth): twelve of the 62 names used three times have a near miss among them, as in a book of
# genealogies (a novel's names have about one in fifty).
_ROLL = (
    "Adonikam Bartimon Caphrel Dumoth Ephrael Gadmiel Horvath Ithrandel Jokmeam Kedumah Lotharin "
    "Mibsamon Nebarith Sidonia Pildorun Quillan Rabbuth Sabtecar Tarvisk Uzgalon Vashtiel Wendrik "
    "Yamburel Zifrona Arnoval Bezquith Cormantel Dovrinash Elkosmar Fendrabel Gulvarent Hastimor "
    "Izbodral Jormungel Kastelbon Lumquarit Morzafel Nithgrove Ospentiar Perdumek Hanniel "
    "Rostibald Sumpterin Tolkavish Ulmerond Vortigale Wistomber Yarrowhin Zanderbolt Ashkelmor"
).split()
_ALIKE = "Belmoth Belnoth Sheraiah Shemaiah Azuriel Amuriel Jedrael Jedmael Korvith Korbith Talmeron Talderon".split()
_APART = (
    "Belmoth Gershapel Sheraiah Dunkelwor Azuriel Pottiphan Jedrael Ombrastin Korvith Frumbesk Talmeron Xandrupel"
).split()


def _genealogy(*names: str) -> list[str]:
    """Verses of a genealogy using each name six times, two names a verse."""
    verses = []
    for _ in range(3):
        for first, second in zip(names[::2], names[1::2], strict=True):
            verses.append(f"And {first} begat {second}, and the sons of {second} dwelt with {first}.")
    return verses


def _roll(alike: bool, *more: str) -> str:
    names = [*_ROLL, *(_ALIKE if alike else _APART)]
    return _prose(
        *_genealogy(*names),
        *["And the sons of Hadoriel were numbered, and the daughters of Hadoriel with them."] * 3,
        *["Then Moranzeth went up to the hill, and said Moranzeth: go."] * 8,
        *more,
    )


def test_a_once_used_name_beside_a_minor_name_among_crowded_names(tmp_path: Path) -> None:
    """ "the lot came forth for Hadoniel" once, beside a Hadoriel who never acts, speaks or has a
    title: among crowded names one more name. In a text whose names are not crowded it is his slip."""
    crowded = _roll(True, "And the lot came forth for Hadoniel, and he took it.")
    for found in _both(tmp_path, crowded, bible="- name: Moranzeth\n"):
        assert _spellings(found) == []
    plain = _roll(False, "And the lot came forth for Hadoniel, and he took it.")
    for found in _both(tmp_path / "plain", plain, bible="- name: Moranzeth\n"):
        assert _spellings(found) == ["Hadoniel"]


def test_slips_among_crowded_names_are_still_found(tmp_path: Path) -> None:
    """A slip of a name that acts ("said Moranzeth") is found among crowded names, with the bible and
    without; so is a slip of a minor name that makes letters no name of the text has ("Hadxriel")."""
    main = _roll(True, "And the lot came forth for Moranzith, and he took it.")
    for found in _both(tmp_path, main, bible="- name: Moranzeth\n"):
        assert _spellings(found) == ["Moranzith"]
    strange = _roll(True, "And the lot came forth for Hadxriel, and he took it.")
    for found in _both(tmp_path / "strange", strange, bible="- name: Moranzeth\n"):
        assert _spellings(found) == ["Hadxriel"]


def test_a_rank_the_name_is_given_past_the_uses_read(tmp_path: Path) -> None:
    """ "Halvrd king of Norland" once, beside a Halvard first written "Halvard king of Norland" at
    his 161st use (past the uses the evidence reads): his rank, not another king's. A rank he is
    never given ("Halvrd king of Ostmark") is another man's."""
    cases = (
        ("Halvrd king of Norland", "Halvard king of Norland", ["Halvrd"]),
        ("Halvrd king of Ostmark", "Halvard of Norland", []),
    )
    for number, (slip, later, meant) in enumerate(cases):
        verses = [f"After the ordinance of {slip} the gates were shut."]
        verses += ["Then Halvard went up to the hill, and said Halvard: go."] * 80
        verses.append(f"And {later} slept with his fathers.")
        without, with_bible = _both(tmp_path / str(number), _prose(*verses), bible="- name: Halvard\n")
        assert _spellings(without) == meant
        if meant:
            assert _spellings(with_bible) == meant


def test_a_spelling_written_twice_among_crowded_names(tmp_path: Path) -> None:
    """ "Moranzith" twice, beside Moranzeth who speaks: among crowded names a slip is typed once,
    and a spelling written again is one more name of the rolls, with the bible and without. In a
    text whose names are not crowded it is still his slip; among crowded names too where it
    keeps his title ("Captain Moranzith" beside Captain Moranzeth)."""
    twice = ("And the lot came forth for Moranzith, and he took it.", "And Moranzith dwelt in the valley.")
    crowded = _roll(True, *twice)
    for found in _both(tmp_path, crowded, bible="- name: Moranzeth\n"):
        assert _spellings(found) == []
    plain = _roll(False, *twice)
    for found in _both(tmp_path / "plain", plain, bible="- name: Moranzeth\n"):
        assert _spellings(found) == ["Moranzith", "Moranzith"]
    titled = _roll(
        True, "Then Captain Moranzeth went down.", *(line.replace("for M", "for Captain M") for line in twice)
    )
    titled = titled.replace("And Moranzith dwelt", "And Captain Moranzith dwelt")
    for found in _both(tmp_path / "titled", titled, bible="- name: Moranzeth\n"):
        assert _spellings(found) == ["Moranzith", "Moranzith"]


def test_a_once_used_name_far_from_the_name_it_is_near_among_crowded_names(tmp_path: Path) -> None:
    """ "Moranteth" once, 21,000 words after the last of Moranzeth (who speaks): among crowded
    names a name of another part of the book. Near him, or in a text whose names are not
    crowded, it is his slip; so is one far from him that makes letters no name has ("Mxranzeth")."""
    far = " ".join([FILLER] * 1700)  # about 21,000 words with no name in them
    cases = (
        (True, far, "Moranteth", []),
        (True, "", "Moranteth", ["Moranteth"]),
        (False, far, "Moranteth", ["Moranteth"]),
        (True, far, "Mxranzeth", ["Mxranzeth"]),
    )
    for number, (alike, gap, slip, found_as) in enumerate(cases):
        text = _roll(alike, gap, f"And the lot came forth for {slip}, and he took it.")
        for found in _both(tmp_path / str(number), text, bible="- name: Moranzeth\n"):
            assert _spellings(found) == found_as, (alike, bool(gap), slip)
