"""Paginates a screenplay as Final Draft does: pure, so tests and the stats feature can use it.

``toolkit.layout.blocks`` turns elements into blocks of rows (the geometry is there); this
module puts the blocks on pages, breaking them only where the rules allow.
"""

from __future__ import annotations

import dataclasses
import operator

from toolkit.layout.blocks import Block, Row, blocks, more_row
from toolkit.layout.breaks import breaks, first_break, rest_block
from toolkit.layout.page import Bookmark, Layout, LayoutOptions, Line, Page, Position, SceneExtent, line_at
from toolkit.model import Screenplay


def paginate(screenplay: Screenplay, options: LayoutOptions | None = None) -> Layout:
    """Lay ``screenplay`` out on pages of ``options.lines_per_page`` rows (default 54).

    Rules, as Final Draft applies them: a blank row between elements (``options.heading_space``
    above a scene heading), none at the top of a page; a scene heading never ends a page (it
    moves unless what may stand below it fits too); a transition never opens a page (the
    element before it comes along); action and dialogue break at a sentence end, inside a line
    too, with two lines or more on each side (``toolkit.layout.breaks``); a speech breaks with
    ``(MORE)`` on the row below the text block and ``NAME (CONT'D)`` on the row above the next
    page's (rows ``lines_per_page`` and -1); dual dialogue never breaks. An element that fits on
    no page is cut where the page ends.

    The result tells, for each scene of ``screenplay.scenes``, the page and row of its first
    and last printed line (``Layout.scenes``; ``SceneExtent.eighths()`` gives its length in
    eighths of a page), so statistics can be computed without drawing anything.
    """
    options = options or LayoutOptions()
    paginator = _Paginator(options.lines_per_page)
    paginator.run(list(blocks(screenplay, options)))
    scenes = tuple(
        SceneExtent(index, screenplay.scenes[index].title, Position(*start), Position(*end))
        for index, (start, end) in sorted(paginator.scene_rows.items())
    )
    filled = paginator.pages
    while len(filled) > 1 and not filled[-1]:
        filled.pop()  # a page break at the very end opens no page
    pages = tuple(Page(number, tuple(lines)) for number, lines in enumerate(filled, start=1))
    return Layout(options, pages, scenes, tuple(paginator.bookmarks))


def dump(layout: Layout) -> str:
    """The pages as plain text, one row a line, columns as spaces: a preview and a golden file.

    A scene number stands right-aligned in a six-column gutter left of the text block. A
    continued speech's NAME (CONT'D), in the top margin, is the page's first line.
    """
    out = []
    for page in layout.pages:
        out.append(f"---- page {page.number} ----")
        rows: dict[int, list[Line]] = {}
        for line in page.lines:
            rows.setdefault(line.row, []).append(line)
        for row in range(min(rows, default=0), max(rows, default=-1) + 1):
            text, number = "", ""
            for line in sorted(rows.get(row, ()), key=lambda line: line.column):
                text = text.ljust(line.column) + line.text
                number = line.scene_number or number
            out.append(f"{number:>6} {text}".rstrip())
    return "\n".join(out) + "\n"


class _Paginator:
    def __init__(self, lines_per_page: int) -> None:
        self.size = lines_per_page
        self.pages: list[list[Line]] = [[]]
        self.row = 0  # next free row on the current page
        self.scene_rows: dict[int, tuple[tuple[int, int], tuple[int, int]]] = {}  # (page, row) of each
        self.bookmarks: list[Bookmark] = []
        self.pending: list[tuple[int, str]] = []  # bookmarks waiting for the next printed row

    def run(self, queue: list[Block]) -> None:
        index = 0
        while index < len(queue):
            block = queue[index]
            rest = self._place(block, self._need_after(queue, index) if block.keep_with_next else 0)
            if rest is None:
                index += 1
            else:
                queue[index] = rest
        for level, title in self.pending:
            self.bookmarks.append(Bookmark(level, title, Position(len(self.pages), self.row)))

    def _need_after(self, queue: list[Block], index: int) -> int:
        """Rows the next printed block needs on this page before it may start here."""
        for after in range(index + 1, len(queue)):  # by index: a slice would copy the rest of the queue
            block = queue[after]
            if block.page_break:
                return 0
            if block.rows:
                return block.space_before + _min_head(block, self.size)
        return 0

    def _place(self, block: Block, need_after: int) -> Block | None:
        """Places what fits of ``block``; returns the rest for the next page, or None when done."""
        if block.page_break:
            if not self.empty:
                self._new_page()
            return None
        if block.bookmark is not None:
            self.pending.append(block.bookmark)
            return None
        space = 0 if self.empty else block.space_before
        room = self.size - self.row - space
        count = len(block.rows)
        if count + need_after <= room or (self.empty and count <= room):
            self._put(block, block.rows, space)
            return None
        # (MORE) may stand on the line below the text block: a break needs room for its rows only.
        chosen = next((found for found in reversed(breaks(block)) if len(found.first) <= room), None)
        if chosen is not None:
            return self._break(block, chosen.first, space, rest_block(block, chosen))
        if self.empty:
            cut = max(room, 1)  # longer than a page and no rule allows a break: cut
        elif count > self.size and room >= 2:
            cut = room  # it will be cut somewhere anyway: here, not after a gap
        else:
            self._new_page()
            return block
        rest = block.rows[cut:]
        while rest and not any(piece.runs for piece in rest[0]):
            rest = rest[1:]
        head = [block.contd_cue] if block.more else []
        cut_rest = dataclasses.replace(
            block, rows=head + rest, parts=(), sizes=(), rule=None, space_before=0, breaks=None
        )
        return self._break(block, block.rows[:cut], space, cut_rest)

    def _break(self, block: Block, first: list[Row], space: int, rest: Block) -> Block:
        """Ends the page after ``first`` (and (MORE)); ``rest`` opens the next one."""
        self._put(block, first, space)
        if block.more:
            self._put(block, [more_row()], 0)
        self._new_page()
        if block.more:
            self.row = -1  # NAME (CONT'D) stands on the line above the text block
        return rest

    def _put(self, block: Block, rows: list[Row], space: int) -> None:
        self.row += space
        if not rows:
            return
        page = len(self.pages)
        placed: list[Line] = []
        place = placed.append
        first = at = self.row
        for row in rows:
            # line_at, not dataclasses.replace: this runs for every line of the script.
            for piece in row:
                place(line_at(piece, at))
            if self.pending:
                here = Position(page, at)
                for level, title in self.pending:
                    self.bookmarks.append(Bookmark(level, title, here))
                self.pending.clear()
            at += 1
        self.row = at
        if block.scene is not None:  # the scene's first row ever placed, and this block's last
            last = (page, at - 1)
            start = self.scene_rows[block.scene][0] if block.scene in self.scene_rows else (page, first)
            self.scene_rows[block.scene] = (start, last)
        # Dual dialogue: the left speech, then the right, so that a reader of the page reads each whole.
        self.pages[-1].extend(sorted(placed, key=_side) if block.dual else placed)

    @property
    def empty(self) -> bool:
        """Nothing printed on the current page yet: no blank line goes before what comes first."""
        return not self.pages[-1]

    def _new_page(self) -> None:
        self.pages.append([])
        self.row = 0


_side = operator.attrgetter("side")


def _min_head(block: Block, size: int) -> int:
    """The fewest rows of ``block`` that may stand at the foot of a page ((MORE) goes below it)."""
    found = first_break(block)
    if found is not None:
        return len(found.first)
    if len(block.rows) > size:
        return 2  # cut wherever the page ends
    return len(block.rows)
