"""A language's calendar words from CLDR (through Babel): month and weekday names, the word for a day, date order.

Nothing here is a hand-written table. For each language the Unicode CLDR data that Babel ships
gives the month and weekday names (wide and abbreviated, in their format and stand-alone forms),
the word for "day" (the unit pattern ``{0} day``, ``{0} jour``, ``{0} Tag``), and the order in which
the language writes a long date (``MMMM d, y`` in English, ``d. MMMM y`` in German). What we
derive from them, and why:

- Names are looked up folded: case-folded and without accents, so that "MARS", "Mars" and
  "mars", "März" and "Marz", "sábado" and "sabado" are one name (typewritten manuscripts drop
  accents; capitals are a style).
- An abbreviation is CLDR's, or any prefix of three letters or more of a full name that names
  one month (weekday) only: "Sept", "Tues", "Thurs", "janv", "Okt". CLDR lists one abbreviation
  per name; books use them all.
- Day-first dates ("9 March", "9. März", "9 de marzo") are read in every language; month-first
  dates ("March 9") only where CLDR's long date puts the month first (English).

CLDR in Babel has no ordinal suffixes (only the ordinal plural rules), so the marker patterns
accept any short suffix on a day number (1st, 1er, 2e, 1º, 1ste): see markers.py. Babel is
imported on first use, so that commands whose parses come from the cache never load it.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# Every language reads the English "DAY N" as well as its own: it is fabula's own marker.
_ENGLISH = "en"
_PREFIX = 3  # shortest prefix of a name read as its abbreviation
_NEAR = 5  # shortest month name (and word) that a misspelling check compares


def fold(word: str) -> str:
    """``word`` case-folded and without accents: "März" -> "marz", "Décembre" -> "decembre"."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class CalendarWords:
    """What a language calls its months, weekdays and days, folded for lookup."""

    language: str  # the CLDR locale the words come from ("fr", "pt_BR")
    months: Mapping[str, int]  # folded name or abbreviation -> 1..12
    weekdays: Mapping[str, int]  # folded name or abbreviation -> 0 (Monday)..6
    day_words: frozenset[str]  # "DAY", "Day", "JOUR", "Jour", ...: upper and title case only
    month_first: bool  # the long date puts the month before the day ("March 9, 2023")
    full_months: tuple[tuple[str, int, str], ...]  # (folded, number, as CLDR writes it): the misspelling check
    year_glue: frozenset[str] = frozenset()  # words CLDR writes between month and year: "de"
    extended: Mapping[str, int] = field(default_factory=dict)  # full names of 4+ letters, for old forms

    def month(self, word: str) -> int | None:
        """The month a name, an abbreviation or an old extended form names ("Junius", "Julius",
        "Aprilis": a full name of four letters or more and one or two letters more)."""
        folded = fold(word.rstrip("."))
        found = self.months.get(folded)
        if found is None and len(folded) >= _PREFIX + 3:
            found = self.extended.get(folded[:-1]) or self.extended.get(folded[:-2])
        return found

    def weekday(self, word: str) -> int | None:
        return self.weekdays.get(fold(word.rstrip(".")))

    def near_month(self, word: str) -> tuple[int, str] | None:
        """(month, its name) when ``word`` is one edit (a letter added, dropped, changed, or two
        swapped) from a full month name of five letters or more and names no month itself."""
        folded = fold(word.rstrip("."))
        if len(folded) < _NEAR or not folded.isalpha() or folded in self.months:
            return None
        for name, number, written in self.full_months:
            if abs(len(name) - len(folded)) <= 1 and _one_edit(folded, name):
                return number, written
        return None


def _one_edit(word: str, name: str) -> bool:
    """Whether ``word`` and ``name`` differ by exactly one edit (optimal string alignment)."""
    if word == name:
        return False
    if len(word) == len(name):
        diffs = [k for k in range(len(word)) if word[k] != name[k]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and (word[diffs[0]], word[diffs[1]]) == (name[diffs[1]], name[diffs[0]])
        )
    short, long = (word, name) if len(word) < len(name) else (name, word)
    k = 0
    while k < len(short) and short[k] == long[k]:
        k += 1
    return short[k:] == long[k + 1 :]


@functools.cache
def calendar_words(language: str) -> CalendarWords:
    """The calendar words of ``language`` (a tag such as "fr" or "pt-BR"), English's for a
    language CLDR does not know. Made once per process."""
    locale = _locale(language)
    if locale is None:
        return calendar_words(_ENGLISH) if language != _ENGLISH else _empty()
    months = _names(
        (name, number)
        for context in ("format", "stand-alone")
        for width in ("wide", "abbreviated")
        for number, name in locale.months[context][width].items()
    )
    weekdays = _names(
        (name, number)
        for context in ("format", "stand-alone")
        for width in ("wide", "abbreviated", "short")
        for number, name in locale.days[context][width].items()
    )
    full = {fold(name): (number, name) for number, name in locale.months["format"]["wide"].items()}
    # The language's own order, not a territory's: en-GB writes "9 March", yet reads "March 9".
    long_date = (_locale(locale.language) or locale).date_formats["long"].pattern
    return CalendarWords(
        language=str(locale),
        months=months,
        weekdays=weekdays,
        day_words=frozenset(_day_words(locale) | (_day_words(_locale(_ENGLISH)) if locale.language != "en" else set())),
        month_first=long_date.find("M") < long_date.find("d"),
        full_months=tuple((name, *found) for name, found in full.items() if len(name) >= _NEAR),
        year_glue=frozenset(_quoted_words(format.pattern for format in locale.date_formats.values())),
        extended={name: number for name, (number, _) in full.items() if len(name) >= _PREFIX + 1},
    )


def _quoted_words(patterns: Iterable[str]) -> set[str]:
    """The words a CLDR date pattern quotes as literal text: "d 'de' MMMM 'de' y" -> {"de"}."""
    words: set[str] = set()
    for pattern in patterns:
        pieces = pattern.split("'")
        words.update(piece.strip().lower() for piece in pieces[1::2] if piece.strip().isalpha())
    return words


def _names(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Folded names (without a final dot) and their unambiguous prefixes, each to its number."""
    names: dict[str, int] = {}
    for name, number in pairs:
        folded = fold(name).rstrip(".")
        names[folded] = number
        if "-" in folded:  # "segunda-feira" is "segunda" too
            names.setdefault(folded.split("-")[0], number)
    prefixes: dict[str, set[int]] = {}
    for name, number in list(names.items()):
        if not name.isalpha():
            continue
        for end in range(_PREFIX, len(name)):
            prefixes.setdefault(name[:end], set()).add(number)
    for prefix, numbers in prefixes.items():
        if len(numbers) == 1 and prefix not in names:
            names[prefix] = numbers.pop()
    return names


def _day_words(locale: Locale | None) -> set[str]:
    """The language's word for a day, from its unit pattern (``{0} day``), upper and title case."""
    from babel.units import format_unit

    if locale is None:
        return set()
    text = format_unit(1, "duration-day", length="long", locale=locale)
    word = "".join(char for char in text if not char.isdigit()).strip()
    if not word or " " in word:
        return set()
    forms = {word.upper(), word[:1].upper() + word[1:]}
    return forms | {_without_accents(form) for form in forms}  # "DIA" as well as "DÍA"


def _without_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _locale(language: str) -> Locale | None:
    """Babel's locale for a language tag ("pt-BR" -> pt_BR, else pt), None when CLDR has none."""
    from babel import Locale, UnknownLocaleError

    parts = language.replace("-", "_").split("_")
    candidates = [parts[:2], parts[:1]] if len(parts) > 1 else [parts]
    for candidate in candidates:
        language_code = candidate[0].lower()
        territory = candidate[1].upper() if len(candidate) > 1 and len(candidate[1]) == 2 else None
        try:
            return Locale(language_code, territory)
        except (UnknownLocaleError, ValueError):
            continue
    return None


def _empty() -> CalendarWords:
    return CalendarWords(_ENGLISH, {}, {}, frozenset({"DAY", "Day"}), True, ())
