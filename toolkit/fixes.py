"""Applies findings' edits to a source text: pure, no files (the pipeline reads and writes them)."""

from __future__ import annotations

from collections.abc import Iterable

from toolkit.diagnostics import Edit


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def offset_of(text: str, starts: list[int], line: int, col: int) -> int | None:
    """The offset of 1-based ``line`` and ``col`` in ``text``; None past the end."""
    if not 1 <= line <= len(starts) or col < 1:
        return None
    offset = starts[line - 1] + col - 1
    return offset if offset <= len(text) else None


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, tuple[Edit, ...]]:
    """``text`` with every edit that still fits applied, and the edits applied.

    An edit fits when the text says its ``old`` at its place; of two edits that overlap, the
    first in the file wins. Edits are applied from the end, so earlier places do not move.
    """
    starts = _line_starts(text)
    placed: list[tuple[int, int, Edit]] = []
    for edit in sorted(set(edits)):
        start = offset_of(text, starts, edit.span.line, edit.span.col)
        if start is None or text[start : start + len(edit.old)] != edit.old:
            continue
        end = start + len(edit.old)
        if placed and start < placed[-1][1]:
            continue
        placed.append((start, end, edit))
    for start, end, edit in reversed(placed):
        text = text[:start] + edit.new + text[end:]
    return text, tuple(edit for _, _, edit in placed)
