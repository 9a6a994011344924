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
    text = "".join(rng.choice(pieces) + rng.choice([" ", "\n", "", ",", ". ", "\t"]) for _ in range(3000))
    expected = Counter(WORD.findall(text))
    found = word_counts(text)
    assert found == expected and list(found) == list(expected)


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
