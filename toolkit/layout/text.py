"""Word wrapping of styled text on a monospace grid (one column = one character)."""

from __future__ import annotations

import re

from toolkit.model import RichText, Run

# A sentence ends at . ? ! … (closing quotes/brackets allowed) or a dash.
_SENTENCE_END = re.compile(r"""(?:[.?!…]["'”’)\]]*|--|—)\s*$""")
# Inside a line: the same marks, then spaces, then what may open a sentence (no lower-case letter).
# A run of marks is taken whole, from its first mark, and never given back (possessive): tried
# from every mark of a long run of dots, the pattern took quadratic time.
_SENTENCE_BREAK = re.compile(r"""(?:(?<![.?!…])[.?!…]++["'”’)\]]*+|(?<!-)-{2,}+|—)(?= +([^ ]))""")
# A full stop after these is no sentence end ("Mr. Breen"), nor after an initial ("J. Edgar").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr lt sgt capt cpt col gen det prof rev fr vs no mt ft ave"
    " messrs hon gov sen rep supt insp cmdr adm maj".split()
)


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def sentence_breaks(text: str) -> list[tuple[int, int]]:
    """Where a sentence ends inside ``text`` and the next begins: (end of the one, start of the next).

    A page may break a paragraph there, as Final Draft does, re-wrapping what follows.
    """
    found = []
    for match in _SENTENCE_BREAK.finditer(text):
        if match.group(1).islower():
            continue
        if match.group().startswith(".") and _abbreviation(text, match.start()):
            continue
        found.append((match.end(), match.end(1) - 1))
    return found


def _abbreviation(text: str, dot: int) -> bool:
    word = text[:dot].rsplit(" ", 1)[-1].lstrip("\"'“‘(")
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def wrap(text: RichText, width: int) -> list[RichText]:
    """Greedy word wrap of ``text`` to ``width`` columns, breaking where Final Draft does.

    A line breaks at a run of spaces, dropped there, or after the hyphens inside a word
    ("clan-" / "blood"); a hyphen that ends a line may stand one column past the margin, as
    Final Draft lets it. A dash ("--", "—") after a space stays on the line of the word before
    it. A word longer than a line is cut. Styles follow their characters onto the wrapped
    lines; an empty text gives one empty line (it still takes a row on the page).
    """
    whole = "".join(run.text for run in text)
    size = len(whole)
    if size <= width and all(run.text for run in text):
        return [text]  # one line, its runs as they are (slice_runs would make equal ones)
    bounds: list[tuple[int, int]] = []
    start = 0
    last = len(whole.rstrip(" "))  # trailing spaces may stand past the margin
    while size - start > width:
        if last - start <= width + (whole[last - 1] == "-"):
            bounds.append((start, last))
            return _lines(text, whole, bounds)
        end, following = _line_end(whole, start, width)
        bounds.append((start, end))
        start = following
        while start < size and whole[start] == " ":
            start += 1
    bounds.append((start, size))
    return _lines(text, whole, bounds)


def _lines(text: RichText, whole: str, bounds: list[tuple[int, int]]) -> list[RichText]:
    """``slice_runs`` of ``text`` between each pair of ``bounds``; for a text of one run (most
    are) the run's text is sliced directly, giving the same runs."""
    if len(text) == 1:
        run = text[0]
        italic, bold, underline = run.italic, run.bold, run.underline
        return [(Run(whole[begin:end], italic, bold, underline),) if begin < end else () for begin, end in bounds]
    return [slice_runs(text, begin, end) for begin, end in bounds]


def _line_end(whole: str, start: int, width: int) -> tuple[int, int]:
    """Where the longest line from ``start`` ends, and where the next one starts."""
    limit = start + width  # the text of a line ends at or before limit (limit + 1 after "-")
    found: tuple[int, int] | None = None
    space = whole.rfind(" ", start + 1, limit + 2)
    while space > start:
        run, after = space, space + 1  # the run of spaces around it: [run, after)
        while run > start and whole[run - 1] == " ":
            run -= 1
        while after < len(whole) and whole[after] == " ":
            after += 1
        fits = run - start <= width + (whole[run - 1] == "-")
        if run > start and fits and not whole.startswith(("--", "—"), after):
            found = (run, after)
            break
        space = whole.rfind(" ", start + 1, run)
    hyphen = whole.rfind("-", start + 1, limit + 1)
    while hyphen > start and (found is None or hyphen >= found[0]):
        first = hyphen  # the first of a run of hyphens ("--" inside "time--his")
        while first > start and whole[first - 1] == "-":
            first -= 1
        inside = hyphen + 1 < len(whole) and whole[hyphen + 1] not in " -"
        if inside and first > start and whole[first - 1] != " ":
            return hyphen + 1, hyphen + 1
        hyphen = whole.rfind("-", start + 1, first)
    return found or (limit, limit)  # no place to break: cut the word


def slice_runs(text: RichText, begin: int, end: int) -> RichText:
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
