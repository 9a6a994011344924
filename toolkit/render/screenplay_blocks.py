"""The screenplay as flat blocks of typed paragraphs: what the FDX and HTML templates walk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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
    Transition,
)


@dataclass(frozen=True)
class Paragraph:
    # heading, action, centered, lyric, character, parenthetical, dialogue, transition, note
    kind: str
    runs: RichText
    number: str | None = None  # scene number of a heading ("#12#")
    new_page: bool = False  # a forced page break ("===") comes before it


@dataclass(frozen=True)
class Block:
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


def blocks(screenplay: Screenplay, notes: bool = False) -> tuple[Block, ...]:
    """Printed elements in order; sections, synopses and (unless ``notes``) notes left out."""
    return tuple(_blocks(screenplay, notes))


def _blocks(screenplay: Screenplay, notes: bool) -> Iterator[Block]:
    new_page = False
    for element in screenplay.elements:
        block: Block | None = None
        if isinstance(element, SceneHeading):
            block = Block((Paragraph("heading", element.text, element.number),))
        elif isinstance(element, Action):
            kind = "lyric" if element.lyric else "centered" if element.centered else "action"
            lines = element.lines
            if element.lyric:  # lyrics print in italics wherever they go
                lines = tuple(tuple(Run(r.text, True, r.bold, r.underline) for r in line) for line in lines)
            block = Block(tuple(Paragraph(kind, line) for line in lines))
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
        if block is None:
            continue
        if new_page:
            first = block.paragraphs[0]
            block = Block((Paragraph(first.kind, first.runs, first.number, True), *block.paragraphs[1:]), block.right)
            new_page = False
        yield block


def _speech(dialogue: Dialogue) -> tuple[Paragraph, ...]:
    lines = tuple(
        Paragraph("parenthetical" if line.parenthetical else "dialogue", line.text) for line in dialogue.lines
    )
    return (Paragraph("character", (Run(dialogue.cue),)), *lines)


def environment(autoescape: bool):  # -> jinja2.Environment, imported lazily
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("toolkit", "templates"),
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env
