"""Paginates a screenplay by the industry rules: pure, so tests and the stats feature can use it.

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
from enum import StrEnum

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


class LineKind(StrEnum):
    HEADING = "heading"
    ACTION = "action"
    CENTERED = "centered"
    LYRIC = "lyric"
    CHARACTER = "character"
    PARENTHETICAL = "parenthetical"
    DIALOGUE = "dialogue"
    MORE = "more"
    TRANSITION = "transition"
    NOTE = "note"


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


@dataclass(frozen=True)
class LayoutOptions:
    # 56 of the 55–57 lines the trade allows: the count at which the corpus paginates as the
    # peers do (REFERENCE.md); 55 adds a page to Big Fish and to Brick & Steel.
    lines_per_page: int = 56
    contd: bool = True  # add (CONT'D) when a character speaks again after only action
    notes: bool = False  # print [[notes]] on the page
    scene_numbers: bool = False  # number every scene (forced "#12#" numbers are always shown)


@dataclass(frozen=True)
class Line:
    """Styled text at a row (0 = top of the text block) and column of a page."""

    kind: LineKind
    runs: RichText
    row: int
    column: int
    scene_number: str | None = None  # on a scene heading: printed in both margins
    side: int = 0  # dual dialogue: 1 left, 2 right (a reader of the page takes one side, then the other)

    @property
    def text(self) -> str:
        return plain(self.runs)


@dataclass(frozen=True)
class Page:
    number: int  # 1 for the first script page (a title page is not counted)
    lines: tuple[Line, ...]


@dataclass(frozen=True, order=True)
class Position:
    page: int  # 1-based, as Page.number
    row: int


@dataclass(frozen=True)
class SceneExtent:
    """Where one scene of ``Screenplay.scenes`` is printed: its first and last occupied rows."""

    scene: int  # index into Screenplay.scenes
    title: str
    start: Position
    end: Position

    def rows(self, lines_per_page: int) -> int:
        """Rows from the scene's first printed line to its last, page breaks counted as full pages."""
        return (self.end.page - self.start.page) * lines_per_page + self.end.row - self.start.row + 1

    def eighths(self, lines_per_page: int = 56) -> int:
        """Length in eighths of a page, as a breakdown counts it: rounded, at least 1."""
        return max(1, (self.rows(lines_per_page) * 8 + lines_per_page // 2) // lines_per_page)


@dataclass(frozen=True)
class Bookmark:
    level: int  # 1 = top (act), sections nest by their "#" count, scenes one below their section
    title: str
    position: Position


@dataclass(frozen=True)
class Layout:
    """A paginated screenplay: ``pages``, where each scene starts and ends, and bookmarks."""

    options: LayoutOptions
    pages: tuple[Page, ...]
    scenes: tuple[SceneExtent, ...]
    bookmarks: tuple[Bookmark, ...]


def paginate(screenplay: Screenplay, options: LayoutOptions | None = None) -> Layout:
    """Lay ``screenplay`` out on pages of ``options.lines_per_page`` rows (default 56).

    Rules, as Final Draft applies them: a blank row between elements, none at the top of a
    page; a scene heading never ends a page (it moves with the first lines of what follows);
    a transition never opens a page (the element before it comes along); action breaks only
    after a sentence with two lines or more on each side; dialogue breaks only after a
    sentence, never after a parenthetical, with ``(MORE)`` at the foot and ``NAME (CONT'D)``
    at the head of the next page; dual dialogue never breaks. An element that fits on no
    page is cut where the page ends.

    The result tells, for each scene of ``screenplay.scenes``, the page and row of its first
    and last printed line (``Layout.scenes``; ``SceneExtent.eighths()`` gives its length in
    eighths of a page), so statistics can be computed without drawing anything.
    """
    options = options or LayoutOptions()
    paginator = _Paginator(options.lines_per_page)
    blocks = list(_blocks(screenplay, options))
    paginator.run(blocks)
    scenes = tuple(
        SceneExtent(index, screenplay.scenes[index].title, start, end)
        for index, (start, end) in sorted(paginator.scene_rows.items())
    )
    filled = paginator.pages
    while len(filled) > 1 and not filled[-1]:
        filled.pop()  # a page break at the very end opens no page
    pages = tuple(Page(number, tuple(lines)) for number, lines in enumerate(filled, start=1))
    return Layout(options, pages, scenes, tuple(paginator.bookmarks))


def dump(layout: Layout) -> str:
    """The pages as plain text, one row a line, columns as spaces: a preview and a golden file.

    A scene number stands right-aligned in a six-column gutter left of the text block.
    """
    out = []
    for page in layout.pages:
        out.append(f"---- page {page.number} ----")
        rows: dict[int, list[Line]] = {}
        for line in page.lines:
            rows.setdefault(line.row, []).append(line)
        for row in range(max(rows, default=-1) + 1):
            text, number = "", ""
            for line in sorted(rows.get(row, ()), key=lambda line: line.column):
                text = text.ljust(line.column) + line.text
                number = line.scene_number or number
            out.append(f"{number:>6} {text}".rstrip())
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- elements -> blocks of rows


Row = tuple[Line, ...]  # the pieces printed on one row (two for dual dialogue), row numbers 0


@dataclass
class _Block:
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
    rows = []
    for line in wrap(runs, where.width):
        column = where.indent
        if align == "right":
            column += where.width - length(line)
        elif align == "center":
            column += (where.width - length(line)) // 2
        rows.append((_piece(kind, line, column),))
    return rows


def _blocks(screenplay: Screenplay, options: LayoutOptions) -> Iterator[_Block]:
    scene_of = {id(element): index for index, scene in enumerate(screenplay.scenes) for element in scene.elements}
    elements = screenplay.elements
    last_speaker: str | None = None
    heading_count = 0
    section_level = 0
    for position, element in enumerate(elements):
        scene = scene_of.get(id(element))
        block: _Block | None = None
        if isinstance(element, SceneHeading):
            heading_count += 1
            last_speaker = None
            number = element.number or (str(heading_count) if options.scene_numbers else None)
            block = _heading(element, number)
            yield _Block([], bookmark=(section_level + 1, _heading_title(element, number)))
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
            block = _Block(_wrapped(LineKind.TRANSITION, upper(element.text), _ACTION, "right"))
            last_speaker = None
        elif isinstance(element, PageBreak):
            block = _Block([], page_break=True)
        elif isinstance(element, Section):
            section_level = element.level
            block = _Block([], bookmark=(element.level, element.text))
        elif isinstance(element, Note) and options.notes:
            block = _Block(_wrapped(LineKind.NOTE, (Run(f"[[{element.text}]]"),), _ACTION))
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


def _heading(heading: SceneHeading, number: str | None) -> _Block:
    rows = _wrapped(LineKind.HEADING, upper(heading.text), _ACTION)
    rows[0] = (dataclasses.replace(rows[0][0], scene_number=number),)
    return _Block(rows, keep_with_next=True)


def _action(action: Action) -> _Block:
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
    return _Block(rows, splits=splits)


def _speech_rows(dialogue: Dialogue, cue: str, cue_at: _Column, paren: _Column, speech: _Column) -> list[Row]:
    rows = [(_piece(LineKind.CHARACTER, (Run(cue.upper()),), cue_at.indent),)]
    for line in dialogue.lines:
        if line.parenthetical:
            rows.extend(_wrapped(LineKind.PARENTHETICAL, line.text, paren))
        else:
            rows.extend(_wrapped(LineKind.DIALOGUE, line.text, speech))
    return rows


def _dialogue(dialogue: Dialogue, cue: str) -> _Block:
    rows = _speech_rows(dialogue, cue, _CUE, _PAREN, _SPEECH)
    splits = frozenset(
        k
        for k in range(2, len(rows))
        if rows[k - 1][0].kind is LineKind.DIALOGUE and ends_sentence(rows[k - 1][0].text)
    )
    contd = cue if "CONT" in cue.upper() else f"{cue} (CONT'D)"
    contd_row = (_piece(LineKind.CHARACTER, (Run(contd.upper()),), _CUE.indent),)
    return _Block(rows, splits=splits, more=True, contd_cue=contd_row)


def _dual(dual: DualDialogue) -> _Block:
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
    return _Block(rows)


# ---------------------------------------------------------------- blocks -> pages


class _Paginator:
    def __init__(self, lines_per_page: int) -> None:
        self.size = lines_per_page
        self.pages: list[list[Line]] = [[]]
        self.row = 0  # next free row on the current page
        self.scene_rows: dict[int, tuple[Position, Position]] = {}
        self.bookmarks: list[Bookmark] = []
        self.pending: list[tuple[int, str]] = []  # bookmarks waiting for the next printed row

    def run(self, blocks: list[_Block]) -> None:
        index = 0
        while index < len(blocks):
            block = blocks[index]
            rest = self._place(block, self._need_after(blocks, index) if block.keep_with_next else 0)
            if rest is None:
                index += 1
            else:
                blocks[index] = rest
        for level, title in self.pending:
            self.bookmarks.append(Bookmark(level, title, Position(len(self.pages), self.row)))

    def _need_after(self, blocks: list[_Block], index: int) -> int:
        """Rows the next printed block needs on this page before it may start here."""
        for block in blocks[index + 1 :]:
            if block.page_break:
                return 0
            if block.rows:
                return block.space_before + _min_head(block, self.size)
        return 0

    def _place(self, block: _Block, need_after: int) -> _Block | None:
        """Places what fits of ``block``; returns the rest for the next page, or None when done."""
        if block.page_break:
            if self.row:
                self._new_page()
            return None
        if block.bookmark is not None:
            self.pending.append(block.bookmark)
            return None
        space = block.space_before if self.row else 0
        room = self.size - self.row - space
        count = len(block.rows)
        if count + need_after <= room or (self.row == 0 and count <= room):
            self._put(block, block.rows, space)
            return None
        split = max((k for k in block.splits if k + block.more <= room), default=None)
        if split is None and self.row == 0:
            split = max(room - block.more, 1)  # longer than a page and no rule allows a break: cut
        elif split is None and count > self.size and room - block.more >= 2:
            split = room - block.more  # it will be cut somewhere anyway: here, not after a gap
        if split is None:
            self._new_page()
            return block
        self._put(block, block.rows[:split], space)
        if block.more:
            self._put(block, [(_piece(LineKind.MORE, (Run("(MORE)"),), _CUE.indent),)], 0)
        self._new_page()
        rest = block.rows[split:]
        while rest and not any(piece.runs for piece in rest[0]):
            rest = rest[1:]
        head = [block.contd_cue] if block.more else []
        splits = frozenset(k - split + len(head) for k in block.splits if k > split)
        return dataclasses.replace(block, rows=head + rest, splits=splits, space_before=0)

    def _put(self, block: _Block, rows: list[Row], space: int) -> None:
        self.row += space
        page = len(self.pages)
        placed: list[Line] = []
        for row in rows:
            placed.extend(dataclasses.replace(piece, row=self.row) for piece in row)
            here = Position(page, self.row)
            for level, title in self.pending:
                self.bookmarks.append(Bookmark(level, title, here))
            self.pending.clear()
            if block.scene is not None:
                start, _ = self.scene_rows.get(block.scene, (here, here))
                self.scene_rows[block.scene] = (start, here)
            self.row += 1
        # Dual dialogue: the left speech, then the right, so that a reader of the page reads each whole.
        self.pages[-1].extend(sorted(placed, key=lambda line: line.side))

    def _new_page(self) -> None:
        self.pages.append([])
        self.row = 0


def _min_head(block: _Block, size: int) -> int:
    """The fewest rows of ``block`` that may stand at the foot of a page."""
    if block.splits:
        return min(block.splits) + block.more
    if len(block.rows) > size:
        return 2 + block.more  # cut wherever the page ends
    return len(block.rows)
