"""Recognises story-day markers (dates and DAY numbers) in headings and prose paragraphs."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from toolkit.model import DayMark, MarkKind, Span, StoryDate

# Strict patterns only: a fuzzy date parser would turn "May I come in?" or "in 1999" into days.
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}


def _names(table: dict[str, int]) -> str:
    # Longest first, so "Sept" is not read as "Sep" followed by a stray "t".
    return "|".join(sorted(table, key=len, reverse=True))


_ORDINAL = r"(?:st|nd|rd|th)"
_DATE = re.compile(
    rf"""(?<![\w-])
    (?:(?P<wd>{_names(_WEEKDAYS)})\b\.?,?\s+)?
    (?:
        (?:the\s+)?(?P<d1>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?(?P<m1>{_names(_MONTHS)})\b\.?
            (?:,?\s+(?P<y1>\d{{4}})(?!\d))?
      | (?P<m2>{_names(_MONTHS)})\b\.?\s+(?:the\s+)?(?P<d2>\d{{1,2}}){_ORDINAL}?\b
            (?:,?\s+(?P<y2>\d{{4}})(?!\d))?
      | (?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})(?![\d-])
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Case-sensitive on purpose: "DAY 4" and "Day 4" are markers, "the day 4 of us" is not.
_DAY = re.compile(r"(?<![\w-])(?:DAY|Day)\s+(?P<n>\d{1,4})(?![\w])")
# What may stand between the date and the DAY number of one marker.
# (One sign a repetition, never a run of signs inside a repetition: no two ways to read a run.)
_JOIN = re.compile(r"(?P<paren>\s*\(\s*)|\s*[-–—:,;|](?:\s*[-–—:,;|])*\s*|\s+(?:(?:was|is)\s+)?")
_CLOSE = re.compile(r"\s*\)")
# After a heading's marker: the end, or a separator before a title.
_HEADING_TAIL = re.compile(r"\s*(?:$|[-–—:.;|(])")
# Before a heading's text: Markdown/Fountain heading signs the caller may have left on.
_HEADING_LEAD = re.compile(r"\s*(?:(?:#+|=)\s*)?")
# Before a paragraph's opening date: block signs, then "On", "By", "It was".
_PARAGRAPH_LEAD = re.compile(r"\s*(?:[>#]\s*)*(?:(?:on|by|it\s+was|it\s+is)\s+)?", re.IGNORECASE)
_EMPHASIS_RE = re.compile(r"[*_]")
_DIGIT = re.compile(r"\d")
_NOT_EMPHASIS = re.compile(r"[^*_]", re.DOTALL)
_ORDINAL_SUFFIX = re.compile(_ORDINAL, re.IGNORECASE)
_WORD_AFTER = re.compile(r"\s+[^\W\d_]")


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    date: StoryDate | None = None
    weekday: int | None = None
    day: int | None = None


def heading_mark(text: str, span: Span) -> DayMark | None:
    """The marker a heading (chapter heading, Fountain section or synopsis) carries, if any.

    The heading must BE a marker or BEGIN with one followed by a separator and a title.
    """
    clean, where = _without_emphasis(text)
    found = _marker_at(clean, _lead_end(_HEADING_LEAD, clean))
    if found is None or not _HEADING_TAIL.match(clean, found.end):
        return None
    return _day_mark(text, where, found, span, "heading")


def inline_mark(text: str, span: Span) -> DayMark | None:
    """The marker a prose paragraph carries, if any.

    A paragraph that OPENS with a date or a DAY number (after emphasis and an optional
    "On", "By", "It was"), or that pairs a date with a DAY number anywhere. Other dates in
    prose (a birthday, a year in history) are not markers.
    """
    if _DIGIT.search(text) is None:  # every marker has one (a day of the month, a DAY number)
        return None
    clean, where = _without_emphasis(text)
    found = _marker_at(clean, _lead_end(_PARAGRAPH_LEAD, clean))
    if found is None:
        found = _first_pair(clean)
    return None if found is None else _day_mark(text, where, found, span, "inline")


def _lead_end(lead: re.Pattern[str], text: str) -> int:
    """Where the text after a lead (signs, "On") starts; the lead patterns also match nothing."""
    found = lead.match(text)
    return found.end() if found else 0


def whole_mark(text: str, span: Span, kind: MarkKind) -> DayMark | None:
    """``text`` read as nothing but a marker (e.g. a front-matter ``date``), else None."""
    clean, where = _without_emphasis(text)
    start = len(clean) - len(clean.lstrip())
    found = _marker_at(clean, start)
    if found is None or clean[found.end :].strip(" .") != "":
        return None
    return _day_mark(text, where, found, span, kind)


def _without_emphasis(text: str) -> tuple[str, Sequence[int]]:
    """The text without ``*``/``_`` and, for each kept character, its index in ``text``."""
    if "*" not in text and "_" not in text:
        # Most paragraphs have no emphasis: the identity map, without a list per character.
        return text, range(len(text))
    kept = [match.start() for match in _NOT_EMPHASIS.finditer(text)]
    return _EMPHASIS_RE.sub("", text), kept


def _date_at(text: str, pos: int) -> _Found | None:
    match = _DATE.match(text, pos)
    if match is None:
        return None
    groups = match.groupdict()
    year: int | None
    if groups["y3"]:
        year, month, day = int(groups["y3"]), int(groups["m3"]), int(groups["d3"])
        if not 1 <= month <= 12:
            return None
    else:
        suffix = "1" if groups["d1"] else "2"
        year_text = groups["y" + suffix]
        year = int(year_text) if year_text else None
        month, day = _MONTHS[groups["m" + suffix].lower()], int(groups["d" + suffix])
    if not 1 <= day <= 31:
        return None
    if _modal_may(text, match):
        return None
    weekday = _WEEKDAYS[groups["wd"].lower()] if groups["wd"] else None
    # A dot that ends the date ends the sentence too ("on *10 March.*"): not part of the marker.
    end = match.end() - 1 if match.group().endswith(".") else match.end()
    return _Found(match.start(), end, StoryDate(year, month, day), weekday)


def _modal_may(text: str, match: re.Match[str]) -> bool:
    """ "May 5 people come in?": the verb, not the month. A month-first "May N" with no weekday,
    year or ordinal, followed by a word, is read as the verb; "May 5, …", "May 5th" stay dates."""
    month = match["m2"]
    if month is None or month.lower() != "may" or match["wd"] or match["y2"]:
        return False
    if _ORDINAL_SUFFIX.match(text, match.end("d2"), match.end()):
        return False
    # Matched where the date ends, not on a copy of the rest of the text (a copy per date was
    # quadratic in a paragraph of many dates).
    return _WORD_AFTER.match(text, match.end()) is not None


def _day_at(text: str, pos: int) -> _Found | None:
    match = _DAY.match(text, pos)
    return None if match is None else _Found(match.start(), match.end(), day=int(match["n"]))


def _marker_at(text: str, pos: int) -> _Found | None:
    """A date, a DAY number, or both joined (``DAY 3 — 9 March``, ``9 March (DAY 3)``), at pos."""
    for first_at, second_at in ((_date_at, _day_at), (_day_at, _date_at)):
        first = first_at(text, pos)
        if first is None:
            continue
        joined = _second_part(text, first, second_at)
        return joined or first
    return None


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
    date = first.date or second.date
    weekday = first.weekday if first.date else second.weekday
    return _Found(first.start, end, date, weekday, first.day or second.day)


def _first_pair(text: str) -> _Found | None:
    """The first date paired with a DAY number anywhere in the text."""
    if _DAY.search(text) is None:  # no DAY number, no pair: skips the costly date scan
        return None
    candidates = []
    for pattern, first_at, second_at in ((_DATE, _date_at, _day_at), (_DAY, _day_at, _date_at)):
        for match in pattern.finditer(text):
            first = first_at(text, match.start())
            pair = first and _second_part(text, first, second_at)
            if pair is not None:
                candidates.append(pair)
                break
    return min(candidates, key=lambda found: found.start, default=None)


def _day_mark(text: str, where: Sequence[int], found: _Found, span: Span, kind: MarkKind) -> DayMark:
    start, end = where[found.start], where[found.end - 1] + 1
    before = text[:start]
    newline = before.rfind("\n")
    line = span.line + before.count("\n")
    col = span.col + start if newline < 0 else start - newline
    return DayMark(
        span=Span(span.path, line, col),
        text=text[start:end],
        kind=kind,
        date=found.date,
        weekday=found.weekday,
        day=found.day,
    )
