"""Paginates a screenplay by the industry rules: pure, so tests and the stats feature can use it.

``toolkit.layout.blocks`` turns elements into blocks of rows (the geometry is there); this
module puts the blocks on pages, breaking them only where the rules allow.
"""

from __future__ import annotations

import dataclasses

from toolkit.layout.blocks import Block, Row, blocks, more_row
from toolkit.layout.page import Bookmark, Layout, LayoutOptions, Line, Page, Position, SceneExtent
from toolkit.model import Screenplay


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
    paginator.run(list(blocks(screenplay, options)))
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


class _Paginator:
    def __init__(self, lines_per_page: int) -> None:
        self.size = lines_per_page
        self.pages: list[list[Line]] = [[]]
        self.row = 0  # next free row on the current page
        self.scene_rows: dict[int, tuple[Position, Position]] = {}
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
        for block in queue[index + 1 :]:
            if block.page_break:
                return 0
            if block.rows:
                return block.space_before + _min_head(block, self.size)
        return 0

    def _place(self, block: Block, need_after: int) -> Block | None:
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
            self._put(block, [more_row()], 0)
        self._new_page()
        rest = block.rows[split:]
        while rest and not any(piece.runs for piece in rest[0]):
            rest = rest[1:]
        head = [block.contd_cue] if block.more else []
        splits = frozenset(k - split + len(head) for k in block.splits if k > split)
        return dataclasses.replace(block, rows=head + rest, splits=splits, space_before=0)

    def _put(self, block: Block, rows: list[Row], space: int) -> None:
        self.row += space
        page = len(self.pages)
        placed: list[Line] = []
        for row in rows:
            # The constructor, not dataclasses.replace: this runs for every line of the script.
            placed.extend(Line(p.kind, p.runs, self.row, p.column, p.scene_number, p.side) for p in row)
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


def _min_head(block: Block, size: int) -> int:
    """The fewest rows of ``block`` that may stand at the foot of a page."""
    if block.splits:
        return min(block.splits) + block.more
    if len(block.rows) > size:
        return 2 + block.more  # cut wherever the page ends
    return len(block.rows)
