"""Word wrapping of styled text on a monospace grid (one column = one character)."""

from __future__ import annotations

import re

from toolkit.model import RichText, Run

# A line may break after a sentence: . ? ! … (closing quotes/brackets allowed) or a dash.
_SENTENCE_END = re.compile(r"""(?:[.?!…]["'”’)\]]*|--|—)\s*$""")


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def wrap(text: RichText, width: int) -> list[RichText]:
    """Greedy word wrap of ``text`` to ``width`` columns; a word longer than a line is cut.

    Styles follow their characters onto the wrapped lines. Spaces at a break are dropped;
    an empty text gives one empty line (it still takes a row on the page).
    """
    whole = "".join(run.text for run in text)
    bounds: list[tuple[int, int]] = []
    start, size = 0, len(whole)
    while size - start > width:
        cut = whole.rfind(" ", start + 1, start + width + 1)
        end, following = (start + width, start + width) if cut < 0 else (cut, cut + 1)
        while end > start and whole[end - 1] == " ":
            end -= 1
        bounds.append((start, end))
        start = following
        while start < size and whole[start] == " ":
            start += 1
    bounds.append((start, size))
    return [_slice(text, begin, end) for begin, end in bounds]


def _slice(text: RichText, begin: int, end: int) -> RichText:
    """The runs of ``text`` between two character offsets of its plain text."""
    runs: list[Run] = []
    offset = 0
    for run in text:
        low, high = max(begin, offset), min(end, offset + len(run.text))
        if low < high:
            runs.append(Run(run.text[low - offset : high - offset], run.italic, run.bold, run.underline))
        offset += len(run.text)
        if offset >= end:
            break
    return tuple(runs)


def length(text: RichText) -> int:
    return sum(len(run.text) for run in text)


def upper(text: RichText) -> RichText:
    return tuple(Run(run.text.upper(), run.italic, run.bold, run.underline) for run in text)
