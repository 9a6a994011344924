"""The screenplay as flat blocks of typed paragraphs: what the FDX and HTML templates walk."""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup, escape

from toolkit.model import (
    Action,
    Dialogue,
    DualDialogue,
    Note,
    PageBreak,
    RichText,
    Run,
    SceneHeading,
    Screenplay,
    Synopsis,
    Transition,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from toolkit.render.templates import Escape


# Paragraphs and blocks are named tuples rather than frozen dataclasses: one of each is made for
# every element of the script, and a frozen dataclass's __init__ (an object.__setattr__ a field)
# cost ~14,000 instructions a block, ~30 M of Big Fish's FDX and HTML (issue 16).
class Paragraph(NamedTuple):
    # heading, action, centered, lyric, character, parenthetical, dialogue, transition, note
    kind: str
    runs: RichText
    number: str | None = None  # scene number of a heading ("#12#")
    new_page: bool = False  # a forced page break ("===") comes before it
    summary: str | None = None  # a heading's synopsis ("= ..." right under it): FDX scene summary


class Block(NamedTuple):
    paragraphs: tuple[Paragraph, ...]
    right: tuple[Paragraph, ...] = ()  # the right-hand speech of dual dialogue

    @property
    def dual(self) -> bool:
        return bool(self.right)


@dataclass(frozen=True)
class TitleEntry:
    key: str  # lower case, indentation removed: "title", "draft date"
    lines: tuple[RichText, ...]


def title_entries(screenplay: Screenplay) -> tuple[TitleEntry, ...]:
    return tuple(
        TitleEntry(field.key.strip().lower(), field.rich or tuple((Run(v),) for v in field.values))
        for field in screenplay.title_page
    )


# The last screenplay's blocks (held weakly): the FDX and the HTML of one build, rendered in
# one process, walk the same blocks (issue 16).
_last: tuple[weakref.ref[Screenplay], bool, tuple[Block, ...]] | None = None


def blocks(screenplay: Screenplay, notes: bool = False) -> tuple[Block, ...]:
    """Printed elements in order; sections, synopses and (unless ``notes``) notes left out.

    An action element is one paragraph, its lines joined by "\\n" (as Final Draft keeps them);
    a synopsis right under a scene heading becomes that heading's ``summary``.
    """
    global _last
    if _last is not None and _last[0]() is screenplay and _last[1] == notes:
        return _last[2]
    found = _blocks(screenplay, notes)
    _last = (weakref.ref(screenplay), notes, found)
    return found


def _blocks(screenplay: Screenplay, notes: bool) -> tuple[Block, ...]:
    found: list[Block] = []
    new_page = False
    previous: object = None
    for element in screenplay.elements:
        block: Block | None = None
        if isinstance(element, SceneHeading):
            block = Block((Paragraph("heading", element.text, element.number),))
        elif isinstance(element, Action):
            block = Block((Paragraph(_action_kind(element), _action_runs(element)),))
        elif isinstance(element, Dialogue):
            block = Block(_speech(element))
        elif isinstance(element, DualDialogue):
            block = Block(_speech(element.left), _speech(element.right))
        elif isinstance(element, Transition):
            block = Block((Paragraph("transition", element.text),))
        elif isinstance(element, Note) and notes:
            block = Block((Paragraph("note", (Run(element.text),)),))
        elif isinstance(element, PageBreak):
            new_page = True
        elif isinstance(element, Synopsis) and isinstance(previous, SceneHeading) and found:
            heading = found[-1].paragraphs[0]
            found[-1] = Block((heading._replace(summary=element.text),))
        previous = element
        if block is None:
            continue
        if new_page:
            first = block.paragraphs[0]._replace(new_page=True)
            block = Block((first, *block.paragraphs[1:]), block.right)
            new_page = False
        found.append(block)
    return tuple(found)


def _action_kind(action: Action) -> str:
    return "lyric" if action.lyric else "centered" if action.centered else "action"


def _action_runs(action: Action) -> RichText:
    if not action.lyric:  # the lines' own runs, joined by line breaks (none made again)
        if len(action.lines) == 1:
            return action.lines[0]
        runs: list[Run] = [*action.lines[0]]
        for line in action.lines[1:]:
            runs.append(_LINE_BREAK)
            runs.extend(line)
        return tuple(runs)
    runs = []
    for index, line in enumerate(action.lines):
        if index:
            runs.append(_LINE_BREAK)
        # Lyrics print in italics wherever they go.
        runs.extend(Run(r.text, True, r.bold, r.underline) for r in line)
    return tuple(runs)


_LINE_BREAK = Run("\n")


def _speech(dialogue: Dialogue) -> tuple[Paragraph, ...]:
    lines = tuple(
        Paragraph("parenthetical" if line.parenthetical else "dialogue", line.text) for line in dialogue.lines
    )
    return (Paragraph("character", (Run(dialogue.cue),)), *lines)


# The FDX's and the HTML's templates travel compiled by this environment (toolkit/render/templates.py:
# python packaging/compile_templates.py writes them).
COMPILED_TEMPLATES = ("screenplay.fdx.j2", "screenplay.html.j2")
ESCAPE: Escape = "all"


@functools.cache
def environment() -> Environment:
    """Templates autoescaped, with the run filters: a macro per run is ten times slower.
    One a process: the FDX and the HTML share it."""
    from toolkit.render.templates import template_environment

    return template_environment(ESCAPE, filters={"fdx_texts": fdx_texts, "html_runs": html_runs})


def fdx_style(run: Run) -> str:
    """FDX's Style attribute: "Bold+Italic+Underline", or "" for plain text."""
    return _FDX_STYLES[run.bold, run.italic, run.underline]


def _fdx_style(bold: bool, italic: bool, underline: bool) -> str:
    return "+".join(name for name, on in (("Bold", bold), ("Italic", italic), ("Underline", underline)) if on)


def _html_tags(bold: bool, italic: bool, underline: bool) -> tuple[str, str]:
    tags = [tag for tag, on in (("b", bold), ("i", italic), ("u", underline)) if on]
    return "".join(f"<{tag}>" for tag in tags), "".join(f"</{tag}>" for tag in reversed(tags))


# The filters run once a paragraph (~5,000 times each for a feature): each run's style is looked
# up in a table of the eight, not worked out again (issue 16).
_STYLE_KEYS = [
    (bold, italic, underline) for bold in (False, True) for italic in (False, True) for underline in (False, True)
]
_FDX_STYLES = {key: _fdx_style(*key) for key in _STYLE_KEYS}
_FDX_OPEN = {key: f'<Text Style="{style}">' if style else "<Text>" for key, style in _FDX_STYLES.items()}
_HTML_TAGS = {key: _html_tags(*key) for key in _STYLE_KEYS}


def fdx_texts(runs: RichText) -> Markup:
    """``<Text Style="...">`` elements for the runs, text escaped."""
    return Markup("".join(f"{_FDX_OPEN[run.bold, run.italic, run.underline]}{escape(run.text)}</Text>" for run in runs))


def html_runs(runs: RichText) -> Markup:
    """The runs as HTML with <b>, <i> and <u>, text escaped."""
    parts = []
    for run in runs:
        opening, closing = _HTML_TAGS[run.bold, run.italic, run.underline]
        parts.append(f"{opening}{escape(run.text)}{closing}")
    return Markup("".join(parts))
