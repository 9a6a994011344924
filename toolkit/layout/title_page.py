"""The title page on the same grid as the script pages: centred credits, contact and date at the foot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.layout.text import length, wrap
from toolkit.model import RichText, Run, TitleField, plain

# The Fountain spec: Title, Credit, Author(s) and Source centred; Contact and Draft date at the
# lower left. We put Contact lower left and the draft date lower right, as Final Draft does,
# so that a long address and the date never collide.
_CENTRED = ("title", "credit", "author", "authors", "source")
_LOWER_LEFT = ("contact",)
_LOWER_RIGHT = ("draft date", "date", "revision")
_TITLE_ROW = 18  # a third of the way down
_WIDTH = 60


@dataclass(frozen=True)
class TitleLine:
    runs: RichText
    row: int
    column: int  # on the script pages' grid; a centred line is centred on the paper when drawn
    align: str = "center"  # "center", "left" (contact) or "right" (draft date)

    @property
    def text(self) -> str:
        return plain(self.runs)


def _values(field: TitleField) -> tuple[RichText, ...]:
    return field.rich or tuple((Run(value),) for value in field.values)


def title_page_lines(fields: Sequence[TitleField], lines_per_page: int = 54) -> tuple[TitleLine, ...]:
    """Positioned lines of the title page; empty when no field has text."""
    # Keys are matched without their indentation: some writers indent the whole title page.
    by_key = {field.key.strip().lower(): field for field in fields}
    lines: list[TitleLine] = []
    row = 0
    for key in _CENTRED:
        field = by_key.get(key)
        if field is None:
            continue
        for value in _values(field):
            for part in wrap(value, _WIDTH):
                lines.append(TitleLine(part, row, (_WIDTH - length(part)) // 2))
                row += 1
        row += 1 if key != "title" else 2
    # Anything else the writer put on the title page (Notes, Copyright…) follows, centred.
    known = set(_CENTRED + _LOWER_LEFT + _LOWER_RIGHT)
    for field in fields:
        if field.key.strip().lower() in known:
            continue
        for value in _values(field):
            for part in wrap(value, _WIDTH):
                lines.append(TitleLine(part, row, (_WIDTH - length(part)) // 2))
                row += 1
        row += 1
    foot = _foot(by_key, _LOWER_LEFT, lines_per_page, right=False)
    foot += _foot(by_key, _LOWER_RIGHT, lines_per_page, right=True)
    # The centred block starts a third of the way down, or higher when it would run into the
    # contact block at the foot (a title page with more lines than a page holds still overlaps).
    height = max((line.row + 1 for line in lines), default=0)
    top_of_foot = min((line.row for line in foot), default=lines_per_page)
    shift = max(0, min(_TITLE_ROW, top_of_foot - 1 - height))
    centred = [TitleLine(line.runs, line.row + shift, line.column, "center") for line in lines]
    return tuple(line for line in centred + foot if line.runs)


def _foot(by_key: dict[str, TitleField], keys: tuple[str, ...], lines_per_page: int, right: bool) -> list[TitleLine]:
    parts = [part for key in keys if key in by_key for value in _values(by_key[key]) for part in wrap(value, 35)]
    first = lines_per_page - len(parts)
    return [
        TitleLine(part, first + index, _WIDTH - length(part) if right else 0, "right" if right else "left")
        for index, part in enumerate(parts)
    ]
