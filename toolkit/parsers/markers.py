"""Recognises story-day markers (dates and DAY numbers) in headings and prose paragraphs."""

from __future__ import annotations

from toolkit.model import DayMark, Span


def heading_mark(text: str, span: Span) -> DayMark | None:
    """The marker a heading (chapter heading, Fountain section or synopsis) carries, if any."""
    raise NotImplementedError


def inline_mark(text: str, span: Span) -> DayMark | None:
    """The marker a prose paragraph carries, if any."""
    raise NotImplementedError
