"""Recognises story-day markers (dates and DAY numbers) in headings and prose paragraphs, in any language.

Strict patterns only: a fuzzy date parser would turn "May I come in?" or "in 1999" into days.
Month and weekday names come from CLDR (calendar_words.py). Every pattern here is anchored at
a position and has no nested repetition, so any text is read in linear time; the date itself
is read token by token (a number, a word looked up by name), never by one large alternation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import NamedTuple

from toolkit.model import DayMark, MarkForm, MarkKind, Span, StoryDate
from toolkit.parsers.calendar_words import CalendarWords, calendar_words

# A day of the month with an optional ordinal suffix: 5th, 1er, 2e, 1ste, 1º, 1.º (CLDR has no
# ordinal suffixes, so any short one is read).
_NUMBER = re.compile(r"(?P<n>\d{1,2})(?!\d)(?:[^\W\d_]{1,3}(?![^\W\d_])|\.?[ºª°])?")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_SHORT_WORD = re.compile(r"[^\W\d_]{1,3}\s+")  # an article or preposition: "the", "den", "le", "de"
_YEAR = re.compile(r"(?P<y>\d{4})(?![\d])")
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")
_SPACE = re.compile(r"\s+")
_DOT = re.compile(r"\.")
_DASH = re.compile(r"\s*[-–—]\s*")
_COMMA_SPACE = re.compile(r",?\s+")
_WEEKDAY_GAP = re.compile(r"\.?,?\s+")
_TRAIL_WEEKDAY = re.compile(r",\s*|\s*\(\s*|\s+")
_CLOSE = re.compile(r"\s*\)")
# What may stand between the date and the DAY number of one marker.
# (One sign a repetition, never a run of signs inside a repetition: no two ways to read a run.)
_JOIN = re.compile(r"(?P<paren>\s*\(\s*)|\s*[-–—:,;|](?:\s*[-–—:,;|])*\s*|\s+(?:(?:was|is)\s+)?")
# After a heading's marker: the end, or a separator before a title.
_HEADING_TAIL = re.compile(r"\s*(?:$|[-–—:.;|(])")
# Before a heading's text: Markdown/Fountain heading signs the caller may have left on.
_HEADING_LEAD = re.compile(r"\s*(?:(?:#+|=)\s*)?")
# Before a paragraph's opening date: block and quotation signs, brackets, then "On", "It was",
# or any word of one to three letters ("By", "Am", "Den", "Le", "El", "Op").
_PARAGRAPH_SIGNS = re.compile(r"[\s>#“”„‟\"«»‹›‘’‚'(\[{]*")
_PARAGRAPH_WORDS = re.compile(r"(?:it\s+(?:was|is)\s+|[^\W\d_]{1,3}\s+)", re.IGNORECASE)
# What follows a dateline: the end of the line or a stop; anything else runs on into a sentence.
_AFTER = re.compile(r"[ \t]*(?P<next>.?)")
_STOPS = frozenset(".,:;!?—–-)]}»”\"'’…|/")
_EMPHASIS_RE = re.compile(r"[*_]")
_DIGIT = re.compile(r"\d")
_NOT_EMPHASIS = re.compile(r"[^*_]", re.DOTALL)
_WORD_START = re.compile(r"(?<![\w-])\w")
_WORD_AFTER = re.compile(r"\s+[^\W\d_]")
_PAIR_WINDOW = 60  # how far before a DAY number its date may start ("Wednesday, 13 September 2023 was")


class _Found(NamedTuple):  # a named tuple: ``_replace`` is cheaper than dataclasses.replace
    start: int
    end: int
    date: StoryDate | None = None
    weekday: int | None = None
    day: int | None = None
    until: StoryDate | None = None
    misspelt: tuple[str, str] | None = None


@functools.cache
def _day_pattern(words: frozenset[str]) -> re.Pattern[str]:
    # Case-sensitive on purpose: "DAY 4" and "Day 4" are markers, "the day 4 of us" is not.
    names = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{names})\s+(?P<n>\d{{1,4}})(?![\w])")


def heading_mark(text: str, span: Span, language: str = "en") -> DayMark | None:
    """The marker a heading (chapter heading, Fountain section or synopsis) carries, if any.

    The heading must BE a marker or BEGIN with one followed by a separator and a title.
    """
    reader = _Reader(calendar_words(language))
    clean, where = _without_emphasis(text)
    found = reader.marker_at(clean, _lead_end(_HEADING_LEAD, clean))
    if found is None or not _HEADING_TAIL.match(clean, found.end):
        return None
    return _day_mark(text, where, found, span, "heading", "dateline")


def inline_mark(text: str, span: Span, language: str = "en") -> DayMark | None:
    """The marker a prose paragraph carries, if any.

    A paragraph that OPENS with a date or a DAY number (after block quote signs, quotation
    marks, brackets, emphasis and a short word such as "On", "Am", "Le", or "It was"), or
    that pairs a date with a DAY number anywhere. A date that opens a sentence as its subject
    ("March 12 was fixed for the wedding", "3 May was her birthday") is what the sentence is
    about, not the day it happens on: not a marker. Other dates in prose are not markers.
    """
    if not _has_digit(text):  # every marker has one (a day of the month, a DAY number): the fast path
        return None
    reader = _Reader(calendar_words(language))
    clean, where = _without_emphasis(text)
    start = _lead_end(_PARAGRAPH_SIGNS, clean)
    words = _PARAGRAPH_WORDS.match(clean, start)
    if words is not None and words.group().rstrip() in reader.words.day_words:
        words = None  # "DAY 5 – 10 March" opens with a DAY number, not with a word before a date
    found = reader.marker_at(clean, start)
    form = _form(clean, found, False) if found is not None else None
    if words is not None and reader.words.weekday(words.group().rstrip()) is None:
        # "On 10 March", "Am 4. Mai": the marker starts after the word (unless the word was the
        # weekday of "Sat 4 Nov").
        after_word = reader.marker_at(clean, words.end())
        if after_word is not None:
            found, form = after_word, _form(clean, after_word, True)
    if found is None or form is None:
        found, form = reader.first_pair(clean), "dateline"
    return None if found is None else _day_mark(text, where, found, span, "inline", form)


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit (``\\d``): in ASCII text, ten searches for one character
    each, four times faster than the regular expression."""
    if text.isascii():
        return any(digit in text for digit in "0123456789")
    return _DIGIT.search(text) is not None


def whole_mark(text: str, span: Span, kind: MarkKind, language: str = "en") -> DayMark | None:
    """``text`` read as nothing but a marker (e.g. a front-matter ``date``), else None."""
    clean, where = _without_emphasis(text)
    start = len(clean) - len(clean.lstrip())
    found = _Reader(calendar_words(language)).marker_at(clean, start)
    if found is None or clean[found.end :].strip(" .") != "":
        return None
    return _day_mark(text, where, found, span, kind, "dateline")


def _form(text: str, found: _Found, after_word: bool) -> MarkForm | None:
    """A dateline when a stop or the line's end follows the marker; a sentence when it runs on
    after "On", "It was" and the like; None when a bare date runs on as a sentence's subject."""
    after = _AFTER.match(text, found.end)
    following = after["next"] if after else ""
    if not following or following == "\n" or following in _STOPS or found.day is not None:
        return "dateline"
    if after_word or found.weekday is not None:
        return "sentence"
    return None


def _lead_end(lead: re.Pattern[str], text: str) -> int:
    """Where the text after a lead (signs, "On") starts; the lead patterns also match nothing."""
    found = lead.match(text)
    return found.end() if found else 0


def _without_emphasis(text: str) -> tuple[str, Sequence[int]]:
    """The text without ``*``/``_`` and, for each kept character, its index in ``text``."""
    if "*" not in text and "_" not in text:
        # Most paragraphs have no emphasis: the identity map, without a list per character.
        return text, range(len(text))
    kept = [match.start() for match in _NOT_EMPHASIS.finditer(text)]
    return _EMPHASIS_RE.sub("", text), kept


class _Reader:
    """Reads dates and DAY numbers at a position, with one language's calendar words."""

    def __init__(self, words: CalendarWords) -> None:
        self.words = words
        self.day_re = _day_pattern(words.day_words)

    # ------------------------------------------------------------ dates

    def date_at(self, text: str, pos: int) -> _Found | None:
        """A date at ``pos``: an optional weekday before it, day-first, month-first or ISO, an
        optional range and year, an optional weekday after it."""
        weekday, core_at = self._weekday_before(text, pos)
        found = self._core(text, core_at, named_day=True) if weekday is not None else None
        if found is None:
            weekday, found = None, self._core(text, pos, named_day=False)
        if found is None:
            return None
        date = found.date
        assert date is not None
        if not 1 <= date.day <= 31:
            return None
        if weekday is not None:  # the marker starts at the weekday; otherwise at the day, after any article
            return found._replace(start=pos, weekday=weekday)
        weekday, end = self._weekday_after(text, found.end)
        return found._replace(end=end, weekday=weekday)

    def _weekday_before(self, text: str, pos: int) -> tuple[int | None, int]:
        word = _WORD.match(text, pos)
        if word is None:
            return None, pos
        weekday = self.words.weekday(word.group())
        gap = _WEEKDAY_GAP.match(text, word.end()) if weekday is not None else None
        if gap is None:
            return None, pos
        return weekday, gap.end()

    def _weekday_after(self, text: str, end: int) -> tuple[int | None, int]:
        """ "12 June, Monday", "12 June (Monday)": a weekday named after the date."""
        gap = _TRAIL_WEEKDAY.match(text, end)
        word = _WORD.match(text, gap.end()) if gap else None
        weekday = self.words.weekday(word.group()) if word else None
        if gap is None or word is None or weekday is None:
            return None, end
        if "(" in gap.group():
            close = _CLOSE.match(text, _skip(_DOT, text, word.end()))
            return (weekday, close.end()) if close else (None, end)
        return weekday, word.end()

    def _core(self, text: str, pos: int, named_day: bool) -> _Found | None:
        iso = _ISO.match(text, pos)
        if iso is not None:
            if not 1 <= int(iso["m"]) <= 12:
                return None
            return _Found(pos, iso.end(), StoryDate(int(iso["y"]), int(iso["m"]), int(iso["d"])))
        article = _SHORT_WORD.match(text, pos)  # "the 10th of March", "le 5 mars", "den 17. Mai"
        if article is not None and article.group().rstrip() in self.words.day_words:
            article = None  # "DAY 3 - 9 March" is a DAY number, not a range
        for start in (pos, article.end()) if article else (pos,):
            found = self._day_first(text, start)
            if found is None and self.words.month_first:
                found = self._month_first(text, start, named_day)
            if found is not None:
                return found._replace(start=pos)  # "the 10th of March" keeps its article
        return None

    def _month(self, text: str, pos: int) -> tuple[int, int, tuple[str, str] | None] | None:
        """(month, end, misspelling) of a month name at ``pos``; the end is before a dot after it,
        which may be an abbreviation's or the sentence's."""
        word = _WORD.match(text, pos)
        if word is None:
            return None
        end = word.end()
        month = self.words.month(word.group())
        if month is not None:
            return month, end, None
        near = self.words.near_month(word.group())
        if near is None:
            return None
        return near[0], end, (word.group(), near[1])

    def _day_first(self, text: str, pos: int) -> _Found | None:
        number = _NUMBER.match(text, pos)
        if number is None:
            return None
        day, at = int(number["n"]), _skip(_DOT, text, number.end())
        last_day, at = self._range_day(text, at)
        space = _SPACE.match(text, at)
        if space is None:
            return None
        at = space.end()
        month = self._month(text, at)
        if month is None:
            glue = _SHORT_WORD.match(text, at)  # "the 10th of March", "9 de marzo"
            month = self._month(text, glue.end()) if glue and not self.words.month(glue.group().strip()) else None
        if month is None:
            return None
        number_of_month, end, misspelt = month
        until = StoryDate(None, number_of_month, last_day) if last_day else None
        if until is None:
            until, end = self._range_month(text, end)
        year, end = self._year(text, end)
        return _dated(pos, end, year, number_of_month, day, until, misspelt)

    def _month_first(self, text: str, pos: int, named_day: bool) -> _Found | None:
        month = self._month(text, pos)
        if month is None or (month[2] is not None and not text[pos].isupper()):
            return None
        number_of_month, at, misspelt = month
        space = _SPACE.match(text, _skip(_DOT, text, at))
        if space is None:
            return None
        at = space.end()
        article = _SHORT_WORD.match(text, at)  # "March the 10th"
        number = _NUMBER.match(text, at) or (_NUMBER.match(text, article.end()) if article else None)
        if number is None:
            return None
        day = int(number["n"])
        last_day, at = self._range_day(text, number.end())
        if not named_day and _modal_may(text, number_of_month, pos, number, misspelt):
            return None
        year, end = self._year(text, at)
        until = StoryDate(None, number_of_month, last_day) if last_day else None
        return _dated(pos, end, year, number_of_month, day, until, misspelt)

    def _range_day(self, text: str, at: int) -> tuple[int | None, int]:
        """ "12–13 June": the last day of a range within one month."""
        dash = _DASH.match(text, at)
        number = _NUMBER.match(text, dash.end()) if dash else None
        if number is None:
            return None, at
        return int(number["n"]), _skip(_DOT, text, number.end())

    def _range_month(self, text: str, at: int) -> tuple[StoryDate | None, int]:
        """ "12 June – 3 July": the last day of a range into another month."""
        dash = _DASH.match(text, _skip(_DOT, text, at))
        number = _NUMBER.match(text, dash.end()) if dash else None
        space = _SPACE.match(text, _skip(_DOT, text, number.end())) if number else None
        month = self._month(text, space.end()) if space else None
        if number is None or month is None or month[2] is not None:
            return None, at
        return StoryDate(None, month[0], int(number["n"])), month[1]

    def _year(self, text: str, at: int) -> tuple[int | None, int]:
        gap = _COMMA_SPACE.match(text, _skip(_DOT, text, at))
        if gap is None:
            return None, at
        year = _YEAR.match(text, gap.end())
        if year is None:
            glue = _WORD.match(text, gap.end())  # "9 de marzo de 1916": CLDR's words between month and year
            space = _SPACE.match(text, glue.end()) if glue and glue.group().lower() in self.words.year_glue else None
            year = _YEAR.match(text, space.end()) if space else None
        return (int(year["y"]), year.end()) if year else (None, at)

    # ------------------------------------------------------------ DAY numbers and pairs

    def day_at(self, text: str, pos: int) -> _Found | None:
        match = self.day_re.match(text, pos)
        return None if match is None else _Found(match.start(), match.end(), day=int(match["n"]))

    def marker_at(self, text: str, pos: int) -> _Found | None:
        """A date, a DAY number, or both joined (``DAY 3 — 9 March``, ``9 March (DAY 3)``), at pos."""
        readers: tuple[tuple[Callable[[str, int], _Found | None], Callable[[str, int], _Found | None]], ...] = (
            (self.date_at, self.day_at),
            (self.day_at, self.date_at),
        )
        for first_at, second_at in readers:
            first = first_at(text, pos)
            if first is None:
                continue
            return _second_part(text, first, second_at) or first
        return None

    def first_pair(self, text: str) -> _Found | None:
        """The first date paired with a DAY number anywhere in the text."""
        for match in self.day_re.finditer(text):
            day = _Found(match.start(), match.end(), day=int(match["n"]))
            after = _second_part(text, day, self.date_at)
            before = None
            for word in _WORD_START.finditer(text, max(0, match.start() - _PAIR_WINDOW), match.start()):
                date = self.date_at(text, word.start())
                pair = _second_part(text, date, self.day_at) if date is not None else None
                if pair is not None and pair.end >= match.end():
                    before = pair
                    break
            if before is not None or after is not None:
                return before or after
        return None


def _skip(pattern: re.Pattern[str], text: str, at: int) -> int:
    found = pattern.match(text, at)
    return found.end() if found else at


def _dated(
    start: int,
    end: int,
    year: int | None,
    month: int,
    day: int,
    until: StoryDate | None,
    misspelt: tuple[str, str] | None,
) -> _Found:
    return _Found(
        start,
        end,
        StoryDate(year, month, day),
        until=replace(until, year=year) if until is not None and year is not None else until,
        misspelt=misspelt,
    )


def _modal_may(text: str, month: int, start: int, number: re.Match[str], misspelt: object) -> bool:
    """ "May 5 people come in?": the verb, not the month. A month-first "May N" with no ordinal,
    followed by a word, is read as the verb; "May 5, …", "May 5th" stay dates."""
    if month != 5 or misspelt is not None or text[start : start + 3].lower() != "may":
        return False
    if number.end() > number.end("n"):  # an ordinal suffix: "May 5th"
        return False
    # Matched where the number ends, not on a copy of the rest of the text (a copy per date was
    # quadratic in a paragraph of many dates).
    return _WORD_AFTER.match(text, number.end()) is not None


def _second_part(text: str, first: _Found, second_at: Callable[[str, int], _Found | None]) -> _Found | None:
    join = _JOIN.match(text, first.end)
    if join is None:
        return None
    second = second_at(text, join.end())
    if second is None:
        return None
    end = second.end
    if join["paren"]:
        close = _CLOSE.match(text, end)
        if close is None:
            return None
        end = close.end()
    dated = first if first.date else second
    return dated._replace(start=first.start, end=end, day=first.day or second.day)


def _day_mark(text: str, where: Sequence[int], found: _Found, span: Span, kind: MarkKind, form: MarkForm) -> DayMark:
    start, stop = where[found.start], where[found.end - 1] + 1
    before = text[:start]
    newline = before.rfind("\n")
    line = span.line + before.count("\n")
    col = span.col + start if newline < 0 else start - newline
    return DayMark(
        span=Span(span.path, line, col),
        text=text[start:stop],
        kind=kind,
        date=found.date,
        weekday=found.weekday,
        day=found.day,
        until=found.until,
        misspelt=found.misspelt,
        form=form,
    )
