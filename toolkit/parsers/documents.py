"""Recognises what a heading or a title line says about the calendar: the year it names, the document it opens.

- A **year heading** (``# 1903``, ``# Part I — 1903``, ``## Spring 1916``): a heading whose last
  word is a year (1000–2999) and that is not itself a date. It gives that year to the year-less
  dates under it.
- A **document title** opens a stream of its own within the prose: a narrator's journal
  ("Dr. Seward’s Diary", "Jonathan Harker’s Journal—continued", "Mina Harker’s Memorandum") or
  a letter, telegram, memorandum, note, report or cutting ("Letter, Anna to Tom", "Letter from
  Miss Mina Murray to Miss Lucy Westenra", "Telegram, Arthur Holmwood to Seward"). The stream is
  named for the kind of document and whose it is: each narrator's journal is one stream, each
  writer's letters another, so that D101 checks each one's dates in order, and two narrators may
  tell the same days. These are English headings, the common epistolary forms; in any language a
  writer can name a stream in front matter (``stream: Mina``) or with a note
  (``<!-- fabula: stream Mina -->``).

Both patterns are anchored and free of nested repetition (linear on any text); both only look at
headings and one-line paragraphs short enough to be a title.
"""

from __future__ import annotations

import re

_TITLE_LENGTH = 120  # a title line is one line of at most this many characters
_YEAR_HEADING = re.compile(r"(?:.*[\s—–\-:,.(])?(?P<year>[12]\d{3})[\s).:]*")
_DIARY = re.compile(
    r"[\s>*_“”\"']*(?P<who>[^\W\d_][\w.\- ]{0,60}?)[’']s\s+(?:[^\W\d_]+\s+)?"
    r"(?P<kind>diary|journal|notebook|note-book|log|memorandum|memoranda|notes)"
    r"(?P<rest>[\s*_]*(?:$|[.,:;—–\-(].{0,60}))",
    re.IGNORECASE,
)
_LETTER = re.compile(
    r"[\s>*_“”\"']*(?P<kind>letter|telegram|cable|wire|memorandum|note|report|cutting|postcard|postscript)"
    r"(?:[\s*_]*[,.:—–\-]+[\s*_]*|\s+(?:from|by|of|left\s+by|written\s+by)\s+)"
    r"(?P<who>[^\W\d_][\w.’'&\- ]{0,80}?)"
    r"(?:\s+to\s+.{1,80}|[\s*_.,]*(?:$|[,(—–].{0,60}))",
    re.IGNORECASE,
)
_GROUPS = {
    "diary": "journal",
    "journal": "journal",
    "notebook": "journal",
    "note-book": "journal",
    "log": "journal",
    "notes": "journal",
    "memorandum": "letters",
    "memoranda": "letters",
}


def heading_year(title: str) -> int | None:
    """The year a heading names as its last word, else None."""
    clean = title.replace("*", "").replace("_", "").strip()
    if len(clean) > _TITLE_LENGTH:
        return None
    found = _YEAR_HEADING.fullmatch(clean)
    return int(found["year"]) if found else None


def document_title(text: str) -> str | None:
    """The stream a title line opens ("journal: Dr. Seward", "letters: Anna"), else None."""
    line = text.strip()
    if not line or "\n" in line or len(line) > _TITLE_LENGTH:
        return None
    found = _DIARY.fullmatch(line)
    if found is not None:
        return f"{_GROUPS[found['kind'].lower()]}: {_who(found['who'])}"
    found = _LETTER.fullmatch(line)
    if found is not None:
        return f"{_GROUPS.get(found['kind'].lower(), 'letters')}: {_who(found['who'])}"
    return None


def _who(name: str) -> str:
    """A name as a stream key: spaces and capitals evened out ("MINA HARKER" -> "Mina Harker")."""
    words = name.replace("’", "'").strip(" .,").split()
    return " ".join(word if not word.isupper() or len(word) < 3 else word.capitalize() for word in words)
