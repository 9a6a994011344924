"""Screenplay PDF: our model converted to screenplain's types and printed by its ReportLab writer."""

from __future__ import annotations

import threading
import time
from functools import cache, partial
from pathlib import Path
from typing import Any

from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import (
    Action,
    Dialogue,
    DualDialogue,
    Element,
    PageBreak,
    RichText,
    Run,
    SceneHeading,
    Screenplay,
    Transition,
)

# reportlab.rl_config.invariant is process-wide: renders that flip it must not overlap.
_INVARIANT_LOCK = threading.Lock()


def render_screenplay_pdf(screenplay: Screenplay, meta: Metadata, paper: str, target: Path) -> None:
    """Write ``screenplay`` as a standard-format PDF on ``paper`` ("letter" or "a4") to ``target``."""
    from reportlab import rl_config
    from screenplain.export.pdf import Settings, to_pdf

    settings = Settings(page_size=_page_size(paper))
    converted = _to_screenplain(screenplay)
    template = partial(_template_class(), meta=meta)
    with _INVARIANT_LOCK:
        saved = rl_config.invariant
        # Invariant mode fixes the document ID and other per-run values; the date comes from meta.epoch.
        rl_config.invariant = 1
        try:
            to_pdf(converted, str(target), template_constructor=template, settings=settings)
        finally:
            rl_config.invariant = saved


def _page_size(paper: str) -> tuple[float, float]:
    from reportlab.lib import pagesizes

    sizes = {"letter": pagesizes.letter, "a4": pagesizes.A4}
    if paper not in sizes:
        raise FabulaError(f"unknown paper {paper!r} (known: {', '.join(sizes)})")
    return sizes[paper]


# ---------------------------------------------------------------- model -> screenplain


def _to_screenplain(screenplay: Screenplay) -> Any:
    from screenplain import types

    # screenplain reads title-page values as Fountain text and parses their emphasis itself.
    title_page: dict[str, list[str]] = {}
    for title_field in screenplay.title_page:
        title_page.setdefault(title_field.key, []).extend(title_field.values)
    paragraphs = [p for p in (_paragraph(element) for element in screenplay.elements) if p is not None]
    if not paragraphs and not title_page:
        # Nothing printable yet (only notes or sections): one blank page, not a zero-page PDF.
        paragraphs.append(types.Action([_rich([])]))
    return types.Screenplay(title_page, paragraphs)


def _paragraph(element: Element) -> Any:
    """The screenplain paragraph for one element; None for what is not printed."""
    from screenplain import types

    if isinstance(element, SceneHeading):
        number = _rich([Run(element.number)]) if element.number else None
        return types.Slug(_rich(element.text), number)
    if isinstance(element, Action):
        return types.Action([_rich(line) for line in element.lines], centered=element.centered)
    if isinstance(element, Dialogue):
        return _dialog(element)
    if isinstance(element, DualDialogue):
        return types.DualDialog(_dialog(element.left), _dialog(element.right))
    if isinstance(element, Transition):
        return types.Transition(_rich(element.text))
    if isinstance(element, PageBreak):
        return types.PageBreak()
    return None  # sections, synopses and notes are for the writer, not the page


def _dialog(dialogue: Dialogue) -> Any:
    from screenplain import types

    dialog = types.Dialog(_rich([Run(dialogue.cue)]))
    # Our parser already decided which lines are parentheticals; don't let screenplain guess again.
    dialog.blocks = [(line.parenthetical, _rich(line.text)) for line in dialogue.lines]
    return dialog


def _rich(text: RichText | list[Run]) -> Any:
    from screenplain.richstring import Bold, Italic, RichString, Segment, Underline

    segments = []
    for run in text:
        if not run.text:
            continue
        styles = {style for style, on in ((Bold, run.bold), (Italic, run.italic), (Underline, run.underline)) if on}
        segments.append(Segment(run.text, styles))
    return RichString(*segments)


# ---------------------------------------------------------------- the page template


@cache
def _template_class() -> type:
    """screenplain's DocTemplate, fixed: script frame width without a title page, metadata, date."""
    from reportlab.pdfbase.pdfdoc import TimeStamp
    from reportlab.pdfgen.canvas import Canvas
    from screenplain.export.pdf import DocTemplate

    class FabulaDocTemplate(DocTemplate):
        def __init__(self, *args: Any, meta: Metadata, **kwargs: Any) -> None:
            # Title and author come from fabula.toml/the title page via Metadata, not only the title page.
            kwargs.update(
                # "" rather than None: ReportLab writes "(anonymous)" for a missing author.
                title=meta.title,
                author=meta.author or "",
                lang=meta.language,
                creator="fabula",
                invariant=1,
            )
            super().__init__(*args, **kwargs)
            self.epoch = meta.epoch
            if not self.has_title_page:
                # screenplain lists the narrow 'title' template first, so a script without a title
                # page is laid out 5.5" wide; the first template is the one the first page uses.
                self.pageTemplates.sort(key=lambda template: template.id != "standard")

        def build(self, flowables: list[Any], filename: Any = None, canvasmaker: Any = Canvas) -> None:
            super().build(flowables, filename, canvasmaker=partial(_EpochCanvas, epoch=self.epoch))

    class _EpochCanvas(Canvas):
        def __init__(self, *args: Any, epoch: int, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _timestamp(TimeStamp, epoch)

    return FabulaDocTemplate


def _timestamp(stamp_class: type, epoch: int) -> Any:
    """A ReportLab TimeStamp at ``epoch`` UTC, whatever SOURCE_DATE_EPOCH the process has."""
    stamp = stamp_class(invariant=1)
    stamp.t = epoch
    stamp.lt = time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp
