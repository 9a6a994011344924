"""Real Fountain files read as their writers meant them, where that and the strict spec part.

Each rule here is a conformance note: what the Fountain spec (and screenplain) would do with
the text, what the writer evidently meant, and which peer reads it the writer's way.

- **A line of spaces is a blank line.** The spec makes only an empty line blank, so a line of
  spaces (an editor's indentation left behind) glues the paragraphs around it: after a title
  page it turns the title page and the first heading into one paragraph of action. We take any
  line holding only spaces or tabs as blank, except exactly two spaces, the spec's own way to
  keep an empty line inside a speech. afterwriting (aw-parser) draws the line in the same place.
- **A title-page value may continue on an unindented line.** The spec indents continuation
  lines; one line without indentation (``Contact:`` then an address on the next lines, flush
  left) makes screenplain reject the whole title page and print it as action. When the block
  opens with a known key (``Title:``, ``Author:`` …), a line without a ``key:`` continues the
  value above, as afterwriting reads it.
- **``\\_`` is a literal underscore**, as ``\\*`` is a literal star (the spec escapes both;
  screenplain only the star), so ``snake\\_case`` prints ``snake_case`` without underlining.
  afterwriting does the same.
- **A transition right above a scene heading stays a transition.** ``CUT TO:`` with no blank
  line before ``INT. HOUSE - DAY`` is, to the spec, a two-line paragraph: screenplain makes it
  a speech by a character called "CUT TO:". The writer's tool and every reader see a transition
  and a heading; afterwriting, which reads line by line, does too.
- **A web address is taken as written**: its ``_`` and ``*`` are part of it, not emphasis
  (``image: https://…/MV5B…_V1_UY268_…jpg`` keeps its underscores). Both peers underline
  between them and drop them.
- **Mac Roman mojibake is repaired.** A file written on an old Mac and read as Windows-1252
  shows ``Õ`` for ``’`` (``DonÕt``, ``(CONTÕD)``), ``Ò``/``Ó`` for ``“``/``”``, ``É`` for ``…``.
  When contractions with ``Õ`` (``nÕt``, ``IÕm``, ``CONTÕD``) show the file is such a one, its
  punctuation is put back, so an author's ``(CONT’D)`` is read as one. No peer repairs it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Mac Roman punctuation as it reads when its bytes are taken for Windows-1252 (or Latin-1).
_MAC_ROMAN = {
    bytes([byte]).decode("cp1252"): bytes([byte]).decode("mac_roman")
    for byte in (0xA5, 0xC7, 0xC8, 0xC9, 0xCA, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5)
}  # ¥ Ç È É Ê Ð Ñ Ò Ó Ô Õ -> • « » … (no-break space) – — “ ” ‘ ’
_MOJIBAKE = str.maketrans(_MAC_ROMAN)
# An English contraction with Õ for its apostrophe: "donÕt", "IÕm", "weÕll", "(CONTÕD)".
_CONTRACTION = re.compile(r"[A-Za-z]Õ(?:[tsdmTSDM]\b|ll\b|re\b|ve\b|LL\b|RE\b|VE\b)")
MOJIBAKE_EVIDENCE = 2  # contractions it takes; Portuguese capitals (CORAÇÕES, PÕE) have none

_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_TITLE_KEYS = frozenset(
    "title credit author authors source draft date contact notes copyright revision format".split()
) | {"draft date"}
_TITLE_KEY = re.compile(r"\s*([^:]+):\s*(.*)")
_TITLE_VALUE = re.compile(r"(?:\s{3,}|\t)(.+)")  # screenplain's indented continuation
# A transition: upper-case and ending in "TO:" (the spec), or forced with ">" (not ">...<").
_TRANSITION = re.compile(r"^(?:[^a-z]*TO:|>(?!.*<\s*$).*)\s*$")
# A scene heading as screenplain knows one (INT, EXT, EST, INT./EXT., I/E), or forced with ".".
_HEADING = re.compile(r"^(?:(?:INT|EXT|EST|INT\.?/EXT\.?|I/E)[ .]|\.(?=[^.]))", re.IGNORECASE)


def repair_mojibake(text: str) -> str:
    """``text`` with Mac Roman punctuation put back, when its contractions show it needs it.

    One character stands for one character, so every offset into the text stays true.
    """
    if "Õ" not in text or len(_CONTRACTION.findall(text)) < MOJIBAKE_EVIDENCE:
        return text
    return text.translate(_MOJIBAKE)


def is_blank(line: str) -> bool:
    """A line that separates paragraphs: empty, or spaces and tabs other than the spec's two spaces."""
    return not line.strip() and line != "  "


def escaped_underscores(line: str) -> list[int]:
    """Indices of the backslashes of ``\\_`` escapes in ``line`` (to be dropped)."""
    return [match.start() for match in re.finditer(r"\\(?=_)", line)] if "\\_" in line else []


def url_marks(line: str) -> set[int]:
    """Indices of the ``_`` and ``*`` inside the web addresses of ``line``: part of the address."""
    if "://" not in line and "www." not in line:
        return set()
    return {
        match.start() + index
        for match in _URL.finditer(line)
        for index, char in enumerate(match.group())
        if char in "_*"
    }


def title_page(lines: Sequence[str]) -> dict[str, list[str]] | None:
    """Title-page keys and values, an unindented line continuing the value above.

    Only for a block that opens with a known key, so that a paragraph of action with a colon in
    it ("Note: Bob is late.") stays action. Keys are capitalised as screenplain does.
    """
    first = _TITLE_KEY.fullmatch(lines[0]) if lines else None
    if first is None or first.group(1).strip().lower() not in _TITLE_KEYS:
        return None
    result: dict[str, list[str]] = {}
    key = ""
    for line in lines:
        indented = _TITLE_VALUE.fullmatch(line)
        match = None if indented else _TITLE_KEY.fullmatch(line)
        if match:
            key = match.group(1).capitalize()
            values = result.setdefault(key, [])
            if match.group(2).strip():
                values.append(match.group(2).strip())
        elif line.strip():
            result.setdefault(key, []).append(line.strip())
    return result


def title_key_lines(lines: Sequence[str]) -> list[int]:
    """Indices of the lines of ``title_page(lines)`` that open a key."""
    return [
        index for index, line in enumerate(lines) if not _TITLE_VALUE.fullmatch(line) and _TITLE_KEY.fullmatch(line)
    ]


def heading_splits(lines: Sequence[str]) -> list[int]:
    """Where a paragraph splits in two: before a scene heading right under a transition, and
    after that heading when more lines follow it (a heading stands alone in its paragraph)."""
    splits: list[int] = []
    for index in range(1, len(lines)):
        if _TRANSITION.match(lines[index - 1].strip()) and _HEADING.match(lines[index].strip()):
            splits.append(index)
            if index + 1 < len(lines):
                splits.append(index + 1)
    return splits
