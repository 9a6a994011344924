"""Where a paragraph may break across pages, as Final Draft breaks it.

Final Draft breaks action and dialogue at a sentence, wherever the sentence ends: at the end
of a line or inside one, in which case what follows the sentence is wrapped anew at the top
of the next page (read off its PDFs: a page ends "belong to the Government." although "It",
the next word, would have fitted on that line). On each side of the break stand at least two
lines of the paragraph. A speech may also break after a parenthetical that follows a
sentence ("(beat)" just above "(MORE)"). Dual dialogue, headings and transitions never break.

Each rule was checked against Final Draft's own pages (benchmarks/final_draft.py): starting a
page where Final Draft starts it, the page ends where Final Draft ends it on 91 of Bright's 95
pages and 73 of Deeper's 88. Allowing one line of action at the foot, or a speech broken with
one line above (MORE) or below it, made fewer pages agree (Final Draft leaves "Ward steels
himself as he tamps cornflakes into sour milk." whole for the next page with room for its
first line); on all four PDFs no (MORE) has fewer than two lines above it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import NamedTuple

from toolkit.layout.blocks import Block, Part, Row, paragraph
from toolkit.layout.page import LineKind
from toolkit.layout.text import ends_sentence, sentence_breaks, slice_runs
from toolkit.model import plain

MIN_LINES = 2  # lines of the paragraph on each side of a break


class Break(NamedTuple):
    first: list[Row]  # what stays on this page (a speech's cue included)
    rest: tuple[Part, ...]  # what goes on to the next page, to be wrapped there


def breaks(block: Block) -> list[Break]:
    """Every place ``block`` may break, fewest rows on this page first (computed once, when asked)."""
    if block.breaks is None:
        block.breaks = list(_find(block)) if block.rule else []
    return block.breaks


def first_break(block: Block) -> Break | None:
    """``breaks(block)[0]`` (None if there is none), found without looking for the others:
    asked of the block after every scene heading, which mostly fits whole (issue 16)."""
    if block.breaks is not None or not block.rule:
        return next(iter(breaks(block)), None)
    return next(_find(block), None)


def rest_block(block: Block, chosen: Break) -> Block:
    """What goes on to the next page: the rest of the paragraph, a speech under NAME (CONT'D)."""
    head = [block.contd_cue] if block.more else []
    rows, sizes = paragraph(chosen.rest, head)
    return dataclasses.replace(
        block, rows=rows, parts=chosen.rest, head=len(head), sizes=sizes, space_before=0, breaks=None
    )


def _find(block: Block) -> Iterator[Break]:
    """The places ``block`` may break, in order: fewest rows on this page first."""
    parts = block.parts
    sizes = block.sizes
    done = block.rows[: block.head]  # rows of the parts before the current one, cue first
    for index, part in enumerate(parts):
        after = sum(sizes[index + 1 :])
        if block.rule == "action" or part.kind is LineKind.DIALOGUE:
            text = plain(part.runs)
            for end, start in sentence_breaks(text):
                head = _part(part, 0, end).rows()
                first = done + head
                # What follows is counted in lines of the paragraph as it stands, after the line
                # where the sentence ends: Final Draft keeps "I'm being / real as fuck.  They're
                # gonna want / it to be Jakoby." whole rather than leave one line of it below.
                if _enough(block, first, sizes[index] - len(head) + after):
                    yield Break(first, (_part(part, start, len(text)), *parts[index + 1 :]))
        done = done + block.rows[len(done) : len(done) + sizes[index]]
        rest_parts = _without_blank_start(parts[index + 1 :])
        if (
            rest_parts
            and _may_break_after(block, index)
            and _enough(block, done, sum(sizes[len(parts) - len(rest_parts) :]))
        ):
            yield Break(done, rest_parts)


def _part(part: Part, begin: int, end: int) -> Part:
    return part._replace(runs=slice_runs(part.runs, begin, end))


def _enough(block: Block, first: list[Row], rest_rows: int) -> bool:
    return len(first) - block.head >= MIN_LINES and rest_rows >= MIN_LINES


def _may_break_after(block: Block, index: int) -> bool:
    """May the page end after the whole of part ``index``?"""
    parts = block.parts
    part = parts[index]
    if block.rule == "action":
        following = parts[index + 1]
        return not part.runs or not following.runs or ends_sentence(plain(part.runs))
    if part.kind is LineKind.PARENTHETICAL:
        before = parts[index - 1] if index else None
        return before is not None and before.kind is LineKind.DIALOGUE and ends_sentence(plain(before.runs))
    return ends_sentence(plain(part.runs))


def _without_blank_start(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    index = 0
    while index < len(parts) and not plain(parts[index].runs).strip():
        index += 1
    return parts[index:]
