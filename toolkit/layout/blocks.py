"""Screenplay elements turned into blocks of wrapped rows, each row placed in its columns.

The page is a grid: rows of 1/6" (12 pt Courier, 6 lines an inch) and columns of 1/10"
(Courier's pitch), counted from the left edge of the text block, 1.5" from the paper's edge.
Where each element sits, in columns from that edge (inches on the page in brackets):

    action, scene heading   0 (1.5")  to 61 (7.6")
    character cue          22 (3.7")
    parenthetical          16 (3.1")  to 42 (5.7")
    dialogue               10 (2.5")  to 45 (6.0")
    transition             flush right at 60 (7.5")
    dual dialogue           0 to 29 and 31 to 60, each cue centred over its column

Widths are the ones Final Draft wraps at (measured on its PDFs: 61 columns of action, 35 of
dialogue, a 26-character parenthetical on one line), so that a paragraph takes as many lines
as it does in Final Draft. The renderers turn rows and columns into points; nothing here knows
about paper or fonts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from toolkit.layout.page import LayoutOptions, Line, LineKind, placed_line
from toolkit.layout.text import length, upper, wrap
from toolkit.model import (
    Action,
    Dialogue,
    DualDialogue,
    Element,
    Note,
    PageBreak,
    RichText,
    Run,
    SceneHeading,
    Screenplay,
    Section,
    Transition,
    plain,
)

BODY_COLUMNS = 60


class _Column(NamedTuple):
    indent: int
    width: int


_ACTION = _Column(0, BODY_COLUMNS + 1)  # Final Draft lets action run one column past 7.5"
_ALIGNED = _Column(0, BODY_COLUMNS)  # transitions flush right at 7.5", centred text about 4.5"
_CUE = _Column(22, BODY_COLUMNS - 22)
_PAREN = _Column(16, 26)
_SPEECH = _Column(10, 35)
# Dual dialogue as Final Draft sets it: two columns of 29, the second 31 columns in, each cue
# centred over its column.
_DUAL_RIGHT = 31
_DUAL = {"cue": _Column(0, 29), "paren": _Column(4, 22), "speech": _Column(0, 29)}

Row = tuple[Line, ...]  # the pieces printed on one row (two for dual dialogue), row numbers 0


class Part(NamedTuple):
    """One source line of a paragraph (a line of action, a speech, a parenthetical) to be wrapped.

    A page may break a paragraph inside a part, at a sentence; the two halves are wrapped anew.
    A named tuple, as ``_Column``: a script makes thousands, and a frozen dataclass's are four
    times as slow to make (and each such class costs its import a millisecond, issue 16).
    """

    kind: LineKind
    runs: RichText
    where: _Column
    align: str = "left"

    def rows(self) -> list[Row]:
        return _wrapped(self.kind, self.runs, self.where, self.align)


@dataclass
class Block:
    rows: list[Row]
    scene: int | None = None
    space_before: int = 1
    keep_with_next: bool = False
    # A paragraph that may break across pages: ``rows`` are ``head`` rows (a speech's cue), then
    # the rows of each of ``parts`` in turn, ``sizes`` of them each (so that the break rules need
    # not wrap the parts again). ``rule`` names the break rules (toolkit.layout.breaks).
    parts: tuple[Part, ...] = ()
    head: int = 0
    sizes: tuple[int, ...] = ()
    rule: str | None = None  # "action" or "dialogue"; None: the block never breaks
    more: bool = False  # dialogue: (MORE) at a break, the cue repeated with (CONT'D) after
    contd_cue: Row = ()
    page_break: bool = False
    bookmark: tuple[int, str] | None = None  # a section: (level, title), no rows
    breaks: list | None = None  # filled in by toolkit.layout.breaks when first asked
    dual: bool = False  # dual dialogue: rows of two pieces, one a side


def _piece(kind: LineKind, runs: RichText, column: int, scene_number: str | None = None) -> Line:
    return placed_line(kind, runs, 0, column, scene_number)


def _wrapped(kind: LineKind, runs: RichText, where: _Column, align: str = "left") -> list[Row]:
    rows: list[Row] = []
    for line in wrap(runs, where.width):
        column = where.indent
        if align == "right":
            column += where.width - length(line)
        elif align == "center":
            column += (where.width - length(line)) // 2
        rows.append((_piece(kind, line, column),))
    return rows


def heading_numbers(screenplay: Screenplay) -> dict[int, str]:
    """The number of each scene heading (by ``id``) as the PDF prints it with scene numbers on:
    a forced ``#12A#`` as written, else the heading's place among all the script's headings."""
    numbers: dict[int, str] = {}
    for element in screenplay.elements:
        if isinstance(element, SceneHeading):
            numbers[id(element)] = element.number or str(len(numbers) + 1)
    return numbers


def scene_numbers(screenplay: Screenplay) -> tuple[str | None, ...]:
    """Each scene's number, as ``heading_numbers`` gives it; None for a scene with no heading
    (what comes before the script's first heading), which the PDF never numbers."""
    numbers = heading_numbers(screenplay)
    return tuple(numbers[id(scene.heading)] if scene.heading is not None else None for scene in screenplay.scenes)


def blocks(screenplay: Screenplay, options: LayoutOptions) -> Iterator[Block]:
    scene_of = {id(element): index for index, scene in enumerate(screenplay.scenes) for element in scene.elements}
    elements = screenplay.elements
    numbers = heading_numbers(screenplay)
    last_speaker: str | None = None
    section_level = 0
    for position, element in enumerate(elements):
        scene = scene_of.get(id(element))
        block: Block | None = None
        if isinstance(element, SceneHeading):
            last_speaker = None
            number = element.number or (numbers[id(element)] if options.scene_numbers else None)
            block = _heading(element, number, options.heading_space)
            yield Block([], bookmark=(section_level + 1, _heading_title(element, number)))
        elif isinstance(element, Action):
            block = _action(element)
        elif isinstance(element, Dialogue):
            cue = element.cue
            if options.contd and element.name == last_speaker and "CONT" not in cue.upper():
                cue = f"{cue} (CONT'D)"
            block = _dialogue(element, cue)
            last_speaker = element.name
        elif isinstance(element, DualDialogue):
            block = _dual(element)
            last_speaker = None
        elif isinstance(element, Transition):
            block = Block(_wrapped(LineKind.TRANSITION, upper(element.text), _ALIGNED, "right"))
            last_speaker = None
        elif isinstance(element, PageBreak):
            block = Block([], page_break=True)
        elif isinstance(element, Section):
            section_level = element.level
            block = Block([], bookmark=(element.level, element.text))
        elif isinstance(element, Note) and options.notes:
            block = Block(_wrapped(LineKind.NOTE, (Run(f"[[{element.text}]]"),), _ACTION))
        if block is None:
            continue
        block.scene = scene
        if block.rows and isinstance(_next_printed(elements, position, options), Transition):
            block.keep_with_next = True
        yield block


def _next_printed(elements: Sequence[Element], position: int, options: LayoutOptions) -> Element | None:
    # By index, not over a slice: a slice copies the rest of the script for every element (time
    # in the square of the script's length: a 5 MB script took 15 times a 1 MB one).
    for index in range(position + 1, len(elements)):
        element = elements[index]
        if isinstance(element, SceneHeading | Action | Dialogue | DualDialogue | Transition | PageBreak):
            return element
        if isinstance(element, Note) and options.notes:
            return element
    return None


def _heading_title(heading: SceneHeading, number: str | None) -> str:
    title = plain(heading.text).upper()
    return f"{number}. {title}" if number else title


def _heading(heading: SceneHeading, number: str | None, space: int) -> Block:
    rows = _wrapped(LineKind.HEADING, upper(heading.text), _ACTION)
    rows[0] = (dataclasses.replace(rows[0][0], scene_number=number),)
    return Block(rows, keep_with_next=True, space_before=space)


def _action(action: Action) -> Block:
    kind = LineKind.LYRIC if action.lyric else LineKind.CENTERED if action.centered else LineKind.ACTION
    align = "center" if action.centered else "left"
    where = _ALIGNED if action.centered else _ACTION
    parts = tuple(
        Part(kind, tuple(Run(r.text, True, r.bold, r.underline) for r in line) if action.lyric else line, where, align)
        for line in action.lines
    )
    rows, sizes = paragraph(parts)
    return Block(rows, parts=parts, sizes=sizes, rule="action")


def paragraph(parts: Sequence[Part], head: Sequence[Row] = ()) -> tuple[list[Row], tuple[int, ...]]:
    """The rows of ``head`` and then of each of ``parts``, and how many rows each part gave."""
    rows: list[Row] = list(head)
    sizes = []
    for part in parts:
        wrapped = part.rows()
        rows.extend(wrapped)
        sizes.append(len(wrapped))
    return rows, tuple(sizes)


def _cue(cue: str, where: _Column, centred: bool = False) -> Row:
    column = where.indent + max(0, (where.width - len(cue)) // 2) if centred else where.indent
    return (_piece(LineKind.CHARACTER, (Run(cue.upper()),), column),)


def _speech_parts(dialogue: Dialogue, paren: _Column, speech: _Column) -> tuple[Part, ...]:
    return tuple(
        Part(LineKind.PARENTHETICAL, line.text, paren)
        if line.parenthetical
        else Part(LineKind.DIALOGUE, line.text, speech)
        for line in dialogue.lines
    )


def _dialogue(dialogue: Dialogue, cue: str) -> Block:
    parts = _speech_parts(dialogue, _PAREN, _SPEECH)
    contd = cue if "CONT" in cue.upper() else f"{cue} (CONT'D)"
    rows, sizes = paragraph(parts, [_cue(cue, _CUE)])
    return Block(rows, parts=parts, head=1, sizes=sizes, rule="dialogue", more=True, contd_cue=_cue(contd, _CUE))


def _dual(dual: DualDialogue) -> Block:
    sides = []
    for side, speaker in ((1, dual.left), (2, dual.right)):
        parts = _speech_parts(speaker, _DUAL["paren"], _DUAL["speech"])
        rows, _ = paragraph(parts, [_cue(speaker.cue, _DUAL["cue"], True)])
        shift = _DUAL_RIGHT if side == 2 else 0
        sides.append(
            [tuple(dataclasses.replace(piece, column=piece.column + shift, side=side) for piece in row) for row in rows]
        )
    left, right = sides
    rows = [
        (*(left[i] if i < len(left) else ()), *(right[i] if i < len(right) else ()))
        for i in range(max(len(left), len(right)))
    ]
    return Block(rows, dual=True)


def more_row() -> Row:
    """The ``(MORE)`` that ends a page where a speech breaks, in the cue's column."""
    return (_piece(LineKind.MORE, (Run("(MORE)"),), _CUE.indent),)
