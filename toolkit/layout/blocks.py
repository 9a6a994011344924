"""Screenplay elements turned into blocks of wrapped rows, each row placed in its columns.

The page is a grid: rows of 1/6" (12 pt Courier, 6 lines an inch) and columns of 1/10"
(Courier's pitch), counted from the left edge of the text block, 1.5" from the paper's edge.
Where each element sits, in columns from that edge (inches on the page in brackets):

    action, scene heading   0 (1.5")  to 60 (7.5")
    character cue          22 (3.7")
    parenthetical          16 (3.1")  to 41 (5.6")
    dialogue               10 (2.5")  to 45 (6.0")
    transition             flush right at 60 (7.5")

The renderers turn rows and columns into points; nothing here knows about paper or fonts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from toolkit.layout.page import LayoutOptions, Line, LineKind
from toolkit.layout.text import ends_sentence, length, upper, wrap
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


@dataclass(frozen=True)
class _Column:
    indent: int
    width: int


_ACTION = _Column(0, BODY_COLUMNS)
_CUE = _Column(22, BODY_COLUMNS - 22)
_PAREN = _Column(16, 25)
_SPEECH = _Column(10, 35)
# Dual dialogue: each side gets half the block, its own narrower cue/parenthetical/dialogue.
_DUAL_RIGHT = 31
_DUAL = {"cue": _Column(8, 21), "paren": _Column(4, 22), "speech": _Column(1, 27)}

Row = tuple[Line, ...]  # the pieces printed on one row (two for dual dialogue), row numbers 0


@dataclass
class Block:
    rows: list[Row]
    scene: int | None = None
    space_before: int = 1
    splits: frozenset[int] = frozenset()  # k: the first k rows may end a page
    keep_with_next: bool = False
    more: bool = False  # dialogue: (MORE) at a split, the cue repeated with (CONT'D) after
    contd_cue: Row = ()
    page_break: bool = False
    bookmark: tuple[int, str] | None = None  # a section: (level, title), no rows


def _piece(kind: LineKind, runs: RichText, column: int, scene_number: str | None = None) -> Line:
    return Line(kind, runs, 0, column, scene_number)


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


def blocks(screenplay: Screenplay, options: LayoutOptions) -> Iterator[Block]:
    scene_of = {id(element): index for index, scene in enumerate(screenplay.scenes) for element in scene.elements}
    elements = screenplay.elements
    last_speaker: str | None = None
    heading_count = 0
    section_level = 0
    for position, element in enumerate(elements):
        scene = scene_of.get(id(element))
        block: Block | None = None
        if isinstance(element, SceneHeading):
            heading_count += 1
            last_speaker = None
            number = element.number or (str(heading_count) if options.scene_numbers else None)
            block = _heading(element, number)
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
            block = Block(_wrapped(LineKind.TRANSITION, upper(element.text), _ACTION, "right"))
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
    for element in elements[position + 1 :]:
        if isinstance(element, SceneHeading | Action | Dialogue | DualDialogue | Transition | PageBreak):
            return element
        if isinstance(element, Note) and options.notes:
            return element
    return None


def _heading_title(heading: SceneHeading, number: str | None) -> str:
    title = plain(heading.text).upper()
    return f"{number}. {title}" if number else title


def _heading(heading: SceneHeading, number: str | None) -> Block:
    rows = _wrapped(LineKind.HEADING, upper(heading.text), _ACTION)
    rows[0] = (dataclasses.replace(rows[0][0], scene_number=number),)
    return Block(rows, keep_with_next=True)


def _action(action: Action) -> Block:
    kind = LineKind.LYRIC if action.lyric else LineKind.CENTERED if action.centered else LineKind.ACTION
    align = "center" if action.centered else "left"
    rows: list[Row] = []
    for line in action.lines:
        runs = tuple(Run(r.text, True, r.bold, r.underline) for r in line) if action.lyric else line
        rows.extend(_wrapped(kind, runs, _ACTION, align))
    splits = frozenset(
        k
        for k in range(2, len(rows) - 1)
        if not rows[k][0].runs or not rows[k - 1][0].runs or ends_sentence(rows[k - 1][0].text)
    )
    return Block(rows, splits=splits)


def _speech_rows(dialogue: Dialogue, cue: str, cue_at: _Column, paren: _Column, speech: _Column) -> list[Row]:
    rows: list[Row] = [(_piece(LineKind.CHARACTER, (Run(cue.upper()),), cue_at.indent),)]
    for line in dialogue.lines:
        if line.parenthetical:
            rows.extend(_wrapped(LineKind.PARENTHETICAL, line.text, paren))
        else:
            rows.extend(_wrapped(LineKind.DIALOGUE, line.text, speech))
    return rows


def _dialogue(dialogue: Dialogue, cue: str) -> Block:
    rows = _speech_rows(dialogue, cue, _CUE, _PAREN, _SPEECH)
    splits = frozenset(
        k
        for k in range(2, len(rows))
        if rows[k - 1][0].kind is LineKind.DIALOGUE and ends_sentence(rows[k - 1][0].text)
    )
    contd = cue if "CONT" in cue.upper() else f"{cue} (CONT'D)"
    contd_row = (_piece(LineKind.CHARACTER, (Run(contd.upper()),), _CUE.indent),)
    return Block(rows, splits=splits, more=True, contd_cue=contd_row)


def _dual(dual: DualDialogue) -> Block:
    left = [
        tuple(dataclasses.replace(piece, side=1) for piece in row)
        for row in _speech_rows(dual.left, dual.left.cue, _DUAL["cue"], _DUAL["paren"], _DUAL["speech"])
    ]
    right = [
        tuple(dataclasses.replace(piece, column=piece.column + _DUAL_RIGHT, side=2) for piece in row)
        for row in _speech_rows(dual.right, dual.right.cue, _DUAL["cue"], _DUAL["paren"], _DUAL["speech"])
    ]
    rows = [
        (*(left[i] if i < len(left) else ()), *(right[i] if i < len(right) else ()))
        for i in range(max(len(left), len(right)))
    ]
    return Block(rows)


def more_row() -> Row:
    """The ``(MORE)`` that ends a page where a speech breaks, in the cue's column."""
    return (_piece(LineKind.MORE, (Run("(MORE)"),), _CUE.indent),)
