"""Rewrites that make the checks faster find what the plainer code they replace finds."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import pytest

from toolkit.checks.names import _full_names
from toolkit.model import Span

GIVEN = ["Anna", "Paul", "John", "Jo", "Ann", "Élise"]
WORDS = ["Anna", "Paul", "John", "Jones", "Smith", "Élise", "Ann", "Jo", "the", "said", "XAnna", "McPaul", "anna"]
GLUE = [" ", "  ", "\n", ", ", "-", "_", "2", "’", ". ", "\t"]


@dataclass
class _Text:
    """What _full_names reads of the name statistics: the text, the bible, places."""

    joined: str
    bible: dict[str, object] = field(default_factory=dict)

    def place(self, offset: int) -> Span:
        return Span(f"part-{offset // 200}", 1, 1)

    def path_at(self, offset: int) -> str:
        return self.place(offset).path


def _full_names_by_lookbehind(
    stats: _Text, given: set[str], candidates: dict[str, int]
) -> dict[tuple[str, str, str], int]:
    """The rule as first written: a lookbehind at every position."""
    names = "|".join(re.escape(name) for name in sorted(given, key=len, reverse=True))
    pattern = re.compile(rf"(?<![^\W\d_])({names})\s+([^\W\d_]+)(?![^\W\d_])")
    seen: dict[tuple[str, str, str], int] = {}
    for match in pattern.finditer(stats.joined):
        surname = match.group(2)
        if surname in candidates or surname in stats.bible:
            seen.setdefault((match.group(1), surname, stats.place(match.start()).path), match.start())
    return seen


@pytest.mark.parametrize("seed", range(30))
def test_full_names_are_found_as_the_lookbehind_found_them(seed: int) -> None:
    rng = random.Random(seed)
    text = _Text("".join(rng.choice(WORDS) + rng.choice(GLUE) for _ in range(400)))
    candidates = {word: 1 for word in WORDS if word[0].isupper() and rng.random() < 0.7}
    given = {name for name in GIVEN if rng.random() < 0.8} or {"Paul"}
    assert _full_names(text, given, candidates) == _full_names_by_lookbehind(text, given, candidates)  # type: ignore[arg-type]


def test_the_memos_copy_of_evidence_is_a_deep_copy() -> None:
    import copy

    from toolkit.checks.evidence_memo import _copied
    from toolkit.resolve.name_evidence import gather

    text = "Mr. Okonkwo said so. Captain Okonkwo Adeyemi went out, the son of Ezeulu. " * 3
    for uses in gather(text, ["Okonkwo", "Adeyemi"], {"Okonkwo", "Adeyemi", "Ezeulu"}, "en").values():
        copied, deep = _copied(uses), copy.deepcopy(uses)
        assert copied == deep == uses
        for name, value in vars(uses).items():
            if isinstance(value, set | list | dict):
                assert getattr(copied, name) is not value
        copied.after.add("Kovacs")
        assert "Kovacs" not in uses.after


@pytest.mark.parametrize("seed", range(10))
def test_word_counts_are_the_patterns_words_in_order_of_first_use(seed: int) -> None:
    from collections import Counter

    from toolkit.resolve.name_evidence import WORD, word_counts

    rng = random.Random(seed)
    pieces = ["Emma", "the", "Zélie", "Ze\u0301lie", "x²", "½", "Ⅻ", "a_b", "don't", "Margot’s", "door—Margot", "42"]
    pieces += ["ǅemal", "İstanbul", "ß", "Ω", "日本", "٣", "co-op", "ﬁne", "e\u0301", "\u00a0", "", "AB12cd"]
    pieces += ["“Yes!”", "(Emma)", "‘tis", "Emma’s.", "—", "...", "_Emma_", "«Zélie»", "x²,", "\u00a0Emma,"]
    glue = [" ", "\n", "", ",", ". ", "\t", "“", "”", "!", "’", "(", ")", "—", "_"]
    text = "".join(rng.choice(pieces) + rng.choice(glue) for _ in range(3000))
    expected = Counter(WORD.findall(text))
    found = word_counts(text)
    assert found == expected and list(found) == list(expected)


def test_the_punctuation_stripped_around_a_word_holds_no_letter() -> None:
    from toolkit.resolve.name_evidence import _EDGES, WORD

    assert not WORD.findall(_EDGES)
    assert all(not char.isalpha() for char in _EDGES)


def test_only_the_listed_characters_match_an_ascii_letter_case_insensitively() -> None:
    """_ASCII_LOOKALIKES holds every character outside ASCII that re's IGNORECASE takes for an
    ASCII letter (or a space or hyphen): the pointers' pre-filter is exact only then."""
    from toolkit.resolve.name_evidence import _ASCII_LOOKALIKES

    ascii_letter = re.compile(r"[a-z \-]", re.IGNORECASE)
    found = {chr(code) for code in range(128, 0x110000) if ascii_letter.fullmatch(chr(code))}
    assert found == set(_ASCII_LOOKALIKES.pattern.strip("[]"))


POINTER_PIECES = (
    "instead of|Instead  of|INSTEAD OF|rather than|sic|Sic|sick|basic|[sic]|misspelt|MIS-SPELLED|spelt|spelled"
    "|spelling|typo|typos|accent|Accents|pronounced|drawl|lisp|lisping|statt|anstatt|Schreibfehler|Akzent"
    "|aussprach|en vez de|mal escrito|au lieu de|\u017fic|\u0130nstead of|in\u017ftead of|ty\u0131po|\u212a"
    "|Zélie|’|—|the|Smith|Smyth|wrote|sentence|.| |\n|a|s|ic|spel|l"
).split("|")


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "nl"])
def test_the_pointers_prefilter_answers_as_the_search_does(language: str) -> None:
    """_may_point: every window's answer is the pointers pattern's own, windows that start or
    end inside a word or a pointer included, and with characters outside ASCII that match ASCII
    letters."""
    from toolkit.resolve.name_evidence import _may_point, _pattern, _pointer_words

    pointers = _pattern("pointers", language)
    words = _pointer_words(language)
    assert (words is not None) == (language in ("en", "de", "nl"))  # es and fr have accented words
    rng = random.Random(language)
    for _ in range(300):
        text = "".join(rng.choice(POINTER_PIECES) + rng.choice(["", " ", "  ", ", "]) for _ in range(40))
        for _ in range(20):
            low = rng.randrange(len(text))
            high = low + rng.randrange(1, 140)
            assert _may_point(text, low, high, words, pointers) == (pointers.search(text, low, high) is not None)


# Words and glue around a use that the patterns read back from it: their own words in any case,
# names, initials, white space that ends a line, letters outside ASCII.
_BEFORE_PIECES = (
    "of|OF|Of|de|del|the|von|des|der|la|son|daughter|wife|sons|children|father|hijo|hijos|Sohn|fils|city|Mount"
    "|place|pozo|rey|king|named|NAMED|Named|called|llamado|nombre|namens|hieß|nommé|appelée|man|Jesse|David|A"
    "|Mr|Zélie|\u017fon|o\u0130f|calle\u0131|x|renamed|3of|a_of|son of|the son of|Jesse, son of|hijo de|Sohn des"
    "|Tochter von|fils de|city of|city of the|ville de|pozo de|pozo de la|king of|sons of|a man named"
).split("|")
_BEFORE_GLUE = [" ", "  ", "\t", " \n", "\n", ". ", ", ", ",", "-", "’", " \t \n", ""]


@pytest.mark.parametrize("seed", range(12))
def test_the_word_before_a_use_is_what_the_pattern_finds(seed: int) -> None:
    """_word_before reads the window backwards and finds what _BEFORE's search of it finds, at
    every place of texts with white space before a line's end, windows that cut a word, dots."""
    from toolkit.resolve.name_evidence import _BEFORE, _word_before

    rng = random.Random(seed)
    text = "".join(rng.choice(_BEFORE_PIECES) + rng.choice(_BEFORE_GLUE) for _ in range(300))
    text += "x" * 45 + "  "  # a word longer than the window
    for start in range(len(text) + 1):
        found = _BEFORE.search(text, max(0, start - 40), start)
        expected = None if found is None else (found.group(1), found.group(2), found.start())
        assert _word_before(text, start) == expected


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "nl"])
def test_a_pattern_left_unsearched_would_have_found_nothing(language: str) -> None:
    """gather searches the patterns that end at a use only where the word before it is one they
    can end with (_ends): wherever the search finds something, that word is one of them."""
    from toolkit.resolve.name_evidence import (
        _OF_BEFORE,
        _OF_BEFORE_ENDS,
        _PARENT_OF,
        _PARENT_OF_ENDS,
        _ends,
        _pattern,
        _word_before,
    )

    kin = _ends("kin", language)
    checks = [
        (_pattern("place", language), 30, _ends("place", language), False),
        (_pattern("kin before", language), 60, kin, False),
        (_pattern("kin object", language), 30, kin, False),
        (_pattern("introduced", language), 40, _ends("introduced", language), True),
        (_OF_BEFORE, 30, _OF_BEFORE_ENDS, False),
        (_PARENT_OF, 30, _PARENT_OF_ENDS, False),
    ]
    rng = random.Random(language)
    matched = [0] * len(checks)
    for _ in range(60):
        text = "".join(rng.choice(_BEFORE_PIECES) + rng.choice(_BEFORE_GLUE) for _ in range(60))
        for start in range(len(text) + 1):
            before = _word_before(text, start)
            for number, (pattern, window, ends, caseless) in enumerate(checks):
                if ends is None or pattern.search(text, max(0, start - window), start) is None:
                    continue
                matched[number] += 1
                assert before is not None
                word = before[0].lower() if caseless else before[0]
                assert word in ends or (caseless and not word.isascii()), (pattern.pattern, text[start - 60 : start])
    assert all(matched)  # the texts give every pattern something to find


@pytest.mark.parametrize("project", ["sample", "fixture", "big-fish"])
def test_the_file_of_an_offset_is_its_places_file(tmp_path, project: str) -> None:
    """NameStats.path_at (what _full_names asks) is place(offset).path, at every piece's start and
    end and at offsets between, in chapters and in scene files (dialogue, action, synopses)."""
    import shutil
    from pathlib import Path

    from toolkit import pipeline
    from toolkit.checks.name_text import name_stats

    repo = Path(__file__).resolve().parents[2]
    if project == "sample":
        root = repo
    elif project == "fixture":
        root = repo / "tests" / "fixtures" / "continuity"
    else:
        root = tmp_path
        (root / "screenplay").mkdir()
        shutil.copy(repo.parent / "shared" / "corpus" / "fountain" / "big-fish.fountain", root / "screenplay")
    story = pipeline.story(root, use_cache=False)
    stats = name_stats(story.project, story.config)
    offsets = {start + at for start, group in zip(stats.starts, stats.groups, strict=True) for at in group.starts}
    offsets |= {offset - 1 for offset in offsets if offset} | set(range(0, len(stats.joined), 97))
    assert len({stats.path_at(offset) for offset in offsets}) > 1 or project == "big-fish"
    for offset in sorted(offsets):
        assert stats.path_at(offset) == stats.place(offset).path, offset


# ---------------------------------------------------------------- a strange tongue, the screenplay read first

_FRENCH = (
    "Je ne sais pas pourquoi il pleut toujours quand nous partons. La voiture attend devant la porte, "
    "les valises sont prêtes, et personne ne veut descendre. Dites-moi, madame, est-ce que vous "
    "voulez du thé avant le départ? Nous avons encore une heure, peut-être deux, si le train est en retard."
)
_TONGUE_WORDS = ["Hartvell", "HARTVELL", "Hartwell", "Odile", "Pell", "Anglish", "Nobody"]
_TONGUE_GLUE = [" ", ", ", "’s ", "2", "_", "-", "é", ". "]


def _strange_tongue_by_the_whole_text(judge, variant: str) -> bool:
    """The test as first written: the whole joined text searched for the name's uses."""
    stats = judge.stats
    if not stats.cues:
        return False
    forms = {variant, variant.upper()}
    pattern = re.compile(rf"(?:{'|'.join(map(re.escape, sorted(forms, key=len, reverse=True)))})(?![^\W\d_])")
    joined = stats.joined
    starts = (match.start() for match in pattern.finditer(joined))
    keys = stats.speakers_at(at for at in starts if not at or not (joined[at - 1].isalnum() or joined[at - 1] == "_"))
    if not keys or "" in keys:
        return False
    return all(judge.strange_tongue(key) for key in keys)


@pytest.mark.parametrize("seed", range(16))
def test_a_strange_tongue_is_judged_as_reading_the_whole_text_judges_it(tmp_path, seed: int) -> None:
    """``in_strange_tongue`` reads the screenplay's files first and the chapters only when every
    use there is spoken in a strange tongue: the same answer as a search of the whole text, for
    names used in chapters, in action, in French and in English speech, next to letters, digits,
    "_" and accents."""
    from toolkit import pipeline
    from toolkit.checks.name_text import name_stats
    from toolkit.checks.name_variants import _Judge

    rng = random.Random(seed)

    def some(chance: float = 0.1) -> str:
        """Now and then (``chance``) a name or two, each with what follows it."""
        many = rng.randint(1, 2) if rng.random() < chance else 0
        return "".join(rng.choice(_TONGUE_WORDS) + rng.choice(_TONGUE_GLUE) for _ in range(many))

    (tmp_path / "manuscript").mkdir()
    (tmp_path / "screenplay").mkdir()
    for number in (1, 2):
        prose = "\n\n".join(f"The gate was shut. {some()}and the train was late." for _ in range(3))
        text = f"# Chapter {number}\n\n{prose}\n" if rng.random() < 0.7 else f"# Chapter {number}\n\nQuiet.\n"
        (tmp_path / "manuscript" / f"0{number}-chapter.md").write_text(text, encoding="utf-8")
        scenes = "".join(
            f"INT. STATION - DAY\n\n{some()}waits by the gate.\n\nHARTWELL\nThe train is late {some()}again.\n\n"
            f"ODILE\n{_FRENCH} {some(0.9)}\n\nPELL\nSo it is, {some()}so it is.\n\n"
            for _ in range(3)
        )
        (tmp_path / "screenplay" / f"0{number}-scenes.fountain").write_text(scenes, encoding="utf-8")
    story = pipeline.story(tmp_path, use_cache=False)
    judge = _Judge(name_stats(story.project, story.config), [])
    for word in _TONGUE_WORDS:
        expected = _strange_tongue_by_the_whole_text(_Judge(judge.stats, []), word)
        assert judge.in_strange_tongue(word) == expected, word


def test_a_name_every_screenplay_use_of_which_is_in_a_strange_tongue_is_still_looked_for_in_the_chapters(
    tmp_path,
) -> None:
    """Odile says "Hartvell" in every scene; a chapter writes it too: not her way of saying it alone."""
    from toolkit import pipeline
    from toolkit.checks.name_text import name_stats
    from toolkit.checks.name_variants import _Judge

    (tmp_path / "screenplay").mkdir()
    (tmp_path / "screenplay" / "01-scenes.fountain").write_text(
        f"INT. STATION - DAY\n\nHartwell waits.\n\nODILE\n{_FRENCH} Monsieur Hartvell.\n\nHARTWELL\nYes.\n\n" * 2,
        encoding="utf-8",
    )

    def judged() -> bool:
        story = pipeline.story(tmp_path, use_cache=False)
        return _Judge(name_stats(story.project, story.config), []).in_strange_tongue("Hartvell")

    assert judged()
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "01-one.md").write_text("# One\n\nThen Hartvell came in.\n", encoding="utf-8")
    assert not judged()


# ---------------------------------------------------------------- mojibake read from the joined text

_MOJIBAKE_TEXTS = [  # a chapter's text, and whether its pieces must be read to judge it
    ("# One\n\nIt was JaworskiÕs coat, and itÕs wet.\n", True),  # Mac Roman, twice
    ("# One\n\nIt was JaworskiÕs coat.\n\nThe rain came.\n", False),  # once: a name, maybe
    ("# One\n\nI donâ€™t know, said Jaworski.\n", True),  # UTF-8 read as Windows-1252
    ("# One\n\nPlain ASCII, nothing more.\n", False),
    ("# One\n\n“Curly quotes,” said Zélie, “and accents.”\n", False),
    ("# One\n\nItÕ\ns not one.\n\n# Two\n\nAnd JaworskiÕ\ns either.\n", False),  # cut by a line break
    ("# One\n\nShe wrote ÃÃ and Â.\n\n# Two\n\nTwo chapters, one file, itÕs ÕTÕs.\n", True),
]


@pytest.mark.parametrize(("text", "read"), _MOJIBAKE_TEXTS)
def test_mojibake_judged_from_the_joined_text_is_what_the_pieces_say(
    tmp_path, text: str, read: bool, monkeypatch
) -> None:
    """Where the memo holds each group's words (counted with the parse), a file is judged clean
    from their joined text without laying its pieces out again; a file that may hold mojibake is
    read piece by piece as before: the same answer either way."""
    from toolkit import pipeline
    from toolkit.checks.encoding import mojibake_files
    from toolkit.checks.name_text import NAME_WORDS, PieceGroup, group_words, piece_groups
    from toolkit.resolve.memo import PartMemo

    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "01-one.md").write_text(text, encoding="utf-8")
    (tmp_path / "screenplay").mkdir()
    (tmp_path / "screenplay" / "01-one.fountain").write_text(
        "INT. ROOM - DAY\n\n" + text.replace("#", "").strip() + "\n\nANA\nYes.\n", encoding="utf-8"
    )
    project = pipeline.story(tmp_path, use_cache=False).project
    expected = mojibake_files(project)
    memo = PartMemo()
    for group in piece_groups(project):
        memo.put(NAME_WORDS, group.parts, group_words(group.parts))
    laid = []
    pieces = PieceGroup.pieces
    monkeypatch.setattr(PieceGroup, "pieces", lambda self: laid.append(self.path) or pieces(self))
    assert mojibake_files(project, memo) == expected
    assert bool(laid) == read, laid  # a file surely clean: no pieces laid out


# ---------------------------------------------------------------- names looked for as a tree of their letters

_TREE_WORDS = ["Ann", "Anna", "Annabel", "Anne", "ANNA", "Annabelle", "Bo", "Bob", "Élise", "Éli", "Zoë", "Zoe"]
_TREE_WORDS += ["J\u030cane", "J"]  # a combining mark: no letter
_TREE_GLUE = [" ", "  ", "\n", "-", "’s ", "2", "_", "x", "é", "\u030c", ", said ", "", "Ann", "b"]


@pytest.mark.parametrize("seed", range(40))
def test_names_looked_for_as_a_tree_are_found_where_the_alternation_finds_them(seed: int) -> None:
    """``alternatives(forms)`` matches what the alternation of the forms longest first matches,
    followed by the same pattern (no letter, or a run of spaces and a word), at the same places:
    forms that begin one another, capitals, accents, a combining mark, words cut by digits."""
    from toolkit.resolve.name_evidence import alternatives

    rng = random.Random(seed)
    forms = {word for word in _TREE_WORDS if rng.random() < 0.6} or {"Ann"}
    text = "".join(rng.choice(_TREE_WORDS + _TREE_GLUE) + rng.choice(_TREE_GLUE) for _ in range(300))
    flat = "|".join(map(re.escape, sorted(forms, key=len, reverse=True)))
    for after in (r"(?![^\W\d_])", r"\s+([^\W\d_]+)(?![^\W\d_])"):
        tree = re.compile(rf"({alternatives(forms)}){after}")
        alternation = re.compile(rf"((?:{flat})){after}")
        assert [m.groups() + m.span() for m in tree.finditer(text)] == [
            m.groups() + m.span() for m in alternation.finditer(text)
        ]
        for start in range(0, len(text), 7):
            found, expected = tree.search(text, start), alternation.search(text, start)
            assert (found and found.span()) == (expected and expected.span())


def test_no_names_to_look_for_match_nothing() -> None:
    from toolkit.resolve.name_evidence import alternatives

    assert re.compile(alternatives([])).search("Ann and Bob") is None
    assert alternatives(["Ann", "Anna", "Annabel", "Anne", "Bo"]) == "(?:Ann(?:a(?:bel)?|e)?|Bo)"


# Words and what may stand between them, numerals and marks glued to names among them.
HELD_WORDS = ["Emma", "EMMA", "Gemma", "GEMMA", "Emmas", "Jane", "JANE", "Ann", "the", "said", "Élise", "ÉLISE"]
HELD_GLUE = [" ", "\n", ", ", "-", "_", "2", "½", "²", "’", "'", ". ", "\u0301", "“", "—", "Ⅻ"]


@dataclass
class _Group:
    joined: str
    words: dict[str, int]


@pytest.mark.parametrize("seed", range(30))
def test_a_scan_of_the_groups_holding_a_spelling_finds_what_a_scan_of_the_whole_text_finds(seed: int) -> None:
    """NameStats.holding: a spelling used as a word (no letter or digit right before it, no
    letter right after) is in no group whose word count lacks it, so the scans that read only
    the groups holding it find every use a scan of the whole text finds. (Not so where only a
    letter or a digit, str.isdigit, before a spelling is taken to glue it: a numeral such as
    "½" or "Ⅻ" glues it too, "½Emma" is no word Emma.)"""
    from toolkit.checks.name_text import NameStats
    from toolkit.resolve.name_evidence import alternatives, word_counts

    rng = random.Random(seed)
    sizes = [rng.randint(0, 40) for _ in range(8)]
    texts = ["".join(rng.choice(HELD_WORDS) + rng.choice(HELD_GLUE) for _ in range(size)) for size in sizes]
    groups = [_Group(text, word_counts(text)) for text in texts]
    starts = [sum(len(text) + 1 for text in texts[:index]) for index in range(len(texts))]
    joined = "\n".join(texts)
    stats = NameStats.__new__(NameStats)
    stats.groups, stats.starts, stats.joined = groups, starts, joined  # type: ignore[assignment]
    for spellings in (["Emma"], ["Jane", "Ann"], ["Élise"], ["Gemma", "Emma"], ["Nobody"]):
        forms = {form for spelling in spellings for form in (spelling, spelling.upper())}
        pattern = re.compile(rf"{alternatives(forms)}(?![^\W\d_])")

        def word_start(text: str, at: int) -> bool:
            return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")

        everywhere = [m.start() for m in pattern.finditer(joined) if word_start(joined, m.start())]
        held = [
            begin + m.start()
            for begin, text in stats.holding(spellings)
            for m in pattern.finditer(text)
            if word_start(text, m.start())
        ]
        assert held == everywhere, spellings


@pytest.mark.parametrize("seed", range(40))
def test_words_counted_up_to_a_number_answer_as_counting_them_all(seed: int) -> None:
    """``_words_at_least`` reads a bounded stretch first and splits at most the words it needs:
    it answers as a count of every word between the two offsets does, with words of one letter
    or of hundreds, runs of white space, and stretches longer or shorter than its first read."""
    from toolkit.checks.name_variants import _words_at_least

    rng = random.Random(seed)
    pieces = ["a", "word", "x" * rng.choice((1, 30, 400)), " ", "  ", "\n", "\n\n", "\t"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randrange(50, 3000)))
    for _ in range(30):
        low, high = sorted((rng.randrange(len(text) + 1), rng.randrange(len(text) + 1)))
        words = rng.choice((1, 5, 40, 300))
        assert _words_at_least(text, low, high, words) == (len(text[low:high].split()) >= words)
