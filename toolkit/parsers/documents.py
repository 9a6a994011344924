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
    """The year a heading names as its last word, its only number (a date heading such as
    "9 March 1903" is a date, not a year), else None."""
    clean = title.replace("*", "").replace("_", "").rstrip(" ).:")
    if len(clean) > _TITLE_LENGTH or len(clean) < 4 or sum(char.isdigit() for char in clean) != 4:
        return None
    year, before = clean[-4:], clean[-5:-4]
    if not year.isdigit() or year[0] not in "12" or (before and (before.isalnum() or before in "-–")):
        return None
    return int(year)


def document_title(text: str) -> str | None:
    """The stream a title line opens ("journal: Dr. Seward", "letters: Anna"), else None."""
    line = text.strip()
    if not line or "\n" in line or len(line) > _TITLE_LENGTH:
        return None
    for pattern in (_DIARY, _LETTER):
        found = pattern.fullmatch(line)
        if found is not None and found["who"][:1].isupper():  # a name: "Note, however, …" is no letter
            return f"{_GROUPS.get(found['kind'].lower(), 'letters')}: {_who(found['who'])}"
    return None


# Titles before a name, left out of a stream's key so that "Miss Mina Murray" is "Mina Murray".
_HONORIFICS = frozenset("miss mrs mr ms mx dr hon the".split())


def _who(name: str) -> str:
    """A name as a stream key: titles dropped, capitals evened out ("MISS MINA MURRAY" -> "Mina Murray")."""
    words = name.replace("’", "'").strip(" .,").split()
    while len(words) > 1 and words[0].rstrip(".").lower() in _HONORIFICS:
        words = words[1:]
    return " ".join(word.capitalize() if word.isupper() and len(word) > 2 else word for word in words)
