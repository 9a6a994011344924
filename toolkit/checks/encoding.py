"""E101 mojibake: a file whose text went through the wrong encoding once, found once per file.

Two kinds are found. UTF-8 read as Windows-1252 or Latin-1 and saved again ("donâ€™t",
"Ã©tÃ©"): ftfy, the library that wordfreq itself uses, confirms it and gives the text as it
should read. Mac Roman read as Latin-1 ("JaworskiÕs", "(CONTÕD)": Mac Roman's curly
apostrophe is byte 0xD5, Latin-1's Õ), which ftfy does not undo: an apostrophe-shaped Õ inside
a word, before the ending of a contraction or a possessive, twice or more in a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.checks.name_text import NAME_WORDS, Piece, PieceGroup, piece_groups
from toolkit.diagnostics import Diagnostic
from toolkit.model import Project, Span
from toolkit.resolve.memo import PartMemo

# A lead byte of a UTF-8 sequence (Â..ô) shown as Windows-1252, then a continuation byte
# (0x80..0xBF) shown the same way: the mark of UTF-8 read as Windows-1252 or Latin-1. A cheap
# filter in one character class each, so that ftfy only looks at the few places it picks.
_UTF8_AS_1252 = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_MAC_ROMAN = re.compile(r"(?<=[^\W\d_])[ÕÔ](?=(?:s|t|d|m|ll|re|ve|S|T|D|M|LL|RE|VE)(?![^\W\d_]))")
_MAC_ROMAN_MIN = 2  # one Õ could be a name; two apostrophes that are Õ are a file read wrong


@dataclass(frozen=True)
class Mojibake:
    """What went wrong with one file's text, and the first place it shows."""

    span: Span
    written: str  # the word as written: "JaworskiÕs"
    meant: str  # as it should read: "Jaworski’s"
    places: int
    how: str  # "Mac Roman read as Latin-1"
    fix: str


def mojibake_files(project: Project, memo: PartMemo | None = None) -> dict[str, Mojibake]:
    """The files whose text shows mojibake, by path (a file judged once while its parts stay
    the same, with ``memo``)."""
    memo = memo if memo is not None else PartMemo()
    by_path: dict[str, list[PieceGroup]] = {}
    for group in piece_groups(project):
        by_path.setdefault(group.path, []).append(group)
    found: dict[str, Mojibake] = {}
    for path, groups in by_path.items():
        parts = [part for group in groups for part in group.parts]
        result = memo.get("mojibake", parts, functools.partial(_mojibake, groups, memo))
        if result is not None:
            found[path] = result
    return found


def _mojibake(groups: list[PieceGroup], memo: PartMemo) -> Mojibake | None:
    if _clean(groups, memo):
        return None
    texts = [piece for group in groups for piece in group.pieces() if not piece.text.isascii()]
    return (_utf8_as_1252(texts) or _mac_roman(texts)) if texts else None


def _clean(groups: list[PieceGroup], memo: PartMemo) -> bool:
    """Whether the file's text is surely free of both kinds, read from the pieces' text joined
    (the name rules' words of each group, counted with the parse: ``NAME_WORDS``) without laying
    the pieces out again. Neither pattern matches a newline or reaches across one, so the joined
    text holds exactly the pieces' matches. False where the memo does not hold every group's
    words (then the pieces are read)."""
    joined = [memo.peek(NAME_WORDS, group.parts) for group in groups]
    texts = [words.joined for words in joined if words is not None]
    if len(texts) < len(groups):
        return False
    if any(_UTF8_AS_1252.search(text) for text in texts if not text.isascii()):
        return False
    # The pattern opens with a lookbehind, tried at every character: first a search for its Õ or Ô.
    marked = [text for text in texts if "Õ" in text or "Ô" in text]
    return sum(len(_MAC_ROMAN.findall(text)) for text in marked) < _MAC_ROMAN_MIN


def _word_at(text: str, start: int, end: int) -> str:
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    right = min((i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0), default=len(text))
    return text[left:right].strip('.,;:!?()[]"“”')


def _utf8_as_1252(texts: list[Piece]) -> Mojibake | None:
    hits = [(piece, match) for piece in texts for match in _UTF8_AS_1252.finditer(piece.text)]
    if not hits:
        return None  # ftfy (~0.1 s to import) only where the cheap filter found something
    import ftfy
    from ftfy.badness import is_bad

    first: tuple[Piece, int, int] | None = None
    places = 0
    for piece, match in hits:
        window = piece.text[max(0, match.start() - 12) : match.end() + 12]
        if is_bad(window):
            places += 1
            if first is None:
                first = (piece, match.start(), match.end())
    if first is None:
        return None
    piece, start, end = first
    written = _word_at(piece.text, start, end)
    meant = ftfy.fix_encoding(written)
    return Mojibake(
        piece.at(start),
        written,
        meant,
        places,
        "UTF-8 read as Windows-1252",
        "fix it with ftfy, which comes with fabula: ftfy FILE -o FIXED",
    )


def _mac_roman(texts: list[Piece]) -> Mojibake | None:
    matches = [(piece, match) for piece in texts for match in _MAC_ROMAN.finditer(piece.text)]
    if len(matches) < _MAC_ROMAN_MIN:
        return None
    piece, match = matches[0]
    written = _word_at(piece.text, match.start(), match.end())
    try:
        meant = written.encode("latin-1").decode("mac_roman")
    except UnicodeError:
        meant = written.replace("Õ", "’").replace("Ô", "‘")
    return Mojibake(
        piece.at(match.start()),
        written,
        meant,
        len(matches),
        "Mac Roman read as Latin-1",
        "convert it: iconv -f UTF-8 -t LATIN1 FILE | iconv -f MACINTOSH -t UTF-8 > FIXED",
    )


def check_encoding(found: dict[str, Mojibake]) -> Iterator[Diagnostic]:
    """E101 mojibake: a file's text went through the wrong encoding once.

    A file saved from text that a program had decoded wrongly shows it everywhere: "donâ€™t"
    for don’t (UTF-8 read as Windows-1252), "JaworskiÕs" and "(CONTÕD)" for Jaworski’s and
    (CONT’D) (Mac Roman read as Latin-1). Reported once per file, at the first place, with
    the word as it should read, how many places show it, and the command that fixes the
    file. Until it is fixed, the name rules leave that file out: its broken words would
    otherwise come back as name variants.
    """
    for mojibake in found.values():
        yield Diagnostic(
            mojibake.span,
            "E101",
            f"mojibake, {mojibake.how}: {mojibake.written!r} should read {mojibake.meant!r} "
            f"({mojibake.places} place{'s' * (mojibake.places != 1)} in this file); {mojibake.fix}; "
            f"the name checks skip this file until then",
            "warning",
        )
