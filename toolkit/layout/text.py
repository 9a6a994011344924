"""Word wrapping of styled text on a monospace grid (one column = one character)."""

from __future__ import annotations

import re

from toolkit.model import RichText, Run

_Style = tuple[bool, bool, bool]  # italic, bold, underline
# A line may break after a sentence: . ? ! … (closing quotes/brackets allowed) or a dash.
_SENTENCE_END = re.compile(r"""(?:[.?!…]["'”’)\]]*|--|—)\s*$""")


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def wrap(text: RichText, width: int) -> list[RichText]:
    """Greedy word wrap of ``text`` to ``width`` columns; a word longer than a line is cut.

    Styles follow their characters onto the wrapped lines. Spaces at a break are dropped;
    an empty text gives one empty line (it still takes a row on the page).
    """
    chars: list[tuple[str, _Style]] = [
        (char, (run.italic, run.bold, run.underline)) for run in text for char in run.text
    ]
    lines: list[RichText] = []
    start = 0
    while len(chars) - start > width:
        cut = next((i for i in range(start + width, start, -1) if chars[i][0] == " "), None)
        if cut is None:
            end = following = start + width
        else:
            end, following = cut, cut + 1
        while end > start and chars[end - 1][0] == " ":
            end -= 1
        lines.append(_runs(chars[start:end]))
        start = following
        while start < len(chars) and chars[start][0] == " ":
            start += 1
    lines.append(_runs(chars[start:]))
    return lines


def _runs(chars: list[tuple[str, _Style]]) -> RichText:
    runs: list[Run] = []
    for char, style in chars:
        if runs and (runs[-1].italic, runs[-1].bold, runs[-1].underline) == style:
            runs[-1] = Run(runs[-1].text + char, *style)
        else:
            runs.append(Run(char, *style))
    return tuple(runs)


def length(text: RichText) -> int:
    return sum(len(run.text) for run in text)


def upper(text: RichText) -> RichText:
    return tuple(Run(run.text.upper(), run.italic, run.bold, run.underline) for run in text)
