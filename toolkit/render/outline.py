"""Writes an Outline as Markdown, a self-contained HTML page, or JSON; no parsing, no I/O."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import Environment

    from toolkit.model import StoryDay
    from toolkit.render.templates import Escape
    from toolkit.resolve.outline import Outline, OutlineDay, OutlineEntry, OutlineGap


class OutlineFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


def render_outline(outline: Outline, fmt: str, language: str) -> str:
    """The outline as Markdown ("md"), HTML ("html", marked as written in ``language``) or JSON ("json")."""
    if fmt == OutlineFormat.html:
        return render_outline_html(outline, language)
    return render_outline_json(outline) if fmt == OutlineFormat.json else render_outline_markdown(outline)


def render_outline_markdown(outline: Outline) -> str:
    return environment().get_template("outline.md.j2").render(**_context(outline))


def render_outline_html(outline: Outline, language: str = "en") -> str:
    """One page, inline CSS, no scripts and no external references; autoescaped."""
    return environment().get_template("outline.html.j2").render(language=language, **_context(outline))


def render_outline_json(outline: Outline) -> str:
    """Sorted keys, ISO dates (``--MM-DD`` when the story gives no year), a trailing newline."""
    from toolkit.resolve.outline import OutlineDay

    data = {
        "title": outline.title,
        "words": outline.words,
        "characters": list(outline.characters),
        "rows": [_day_json(row) if isinstance(row, OutlineDay) else _gap_json(row) for row in outline.rows],
        "undated": [_entry_json(entry) for entry in outline.undated],
    }
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- templates

# The outline's templates travel compiled by this environment (toolkit/render/templates.py:
# python packaging/compile_templates.py writes them): an edit build writes the outline again.
COMPILED_TEMPLATES = ("outline.md.j2", "outline.html.j2")
ESCAPE: Escape = "html"


@lru_cache(maxsize=1)
def environment() -> Environment:
    from toolkit.render.templates import template_environment
    from toolkit.resolve.outline import OutlineDay

    return template_environment(
        ESCAPE,
        filters={"count": _count, "anchor": _anchor, "md": _markdown_text},
        tests={"day": lambda row: isinstance(row, OutlineDay)},
    )


def _context(outline: Outline) -> dict[str, Any]:
    undated_characters: dict[str, None] = {}
    for entry in outline.undated:
        undated_characters.update(dict.fromkeys(entry.characters))
    return {
        "outline": outline,
        "days": outline.days,
        "undated_characters": tuple(undated_characters),
    }


def _count(number: int, noun: str) -> str:
    """``1 word``, ``1,234 words``: thousands separated the same way on every machine."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _markdown_text(text: str) -> str:
    """Plain text made literal in Markdown: ``<NEON SIGN>`` must not vanish as an HTML tag.

    Titles and names are plain text (scene headings arrive without their emphasis), so every
    character Markdown could read as syntax is backslash-escaped, as CommonMark allows.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)


_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>]")


def _anchor(day: StoryDay) -> str:
    """A stable fragment id for a day: ``day-3``, else ``date-2023-03-09`` / ``date---03-09``."""
    if day.number is not None:
        return f"day-{day.number}"
    assert day.date is not None
    # Two year-less days a year apart share a month and day; their cycle tells them apart.
    return f"date-{day.date.iso()}" + (f"-{day.date.cycle}" if day.date.cycle else "")


# ---------------------------------------------------------------- json


def _story_day_json(day: StoryDay) -> dict[str, Any]:
    return {"number": day.number, "date": day.date.iso() if day.date else None}


def _entry_json(entry: OutlineEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "title": entry.title,
        "location": entry.location,
        "words": entry.words,
        "characters": list(entry.characters),
        "summary": entry.summary,
        "marker": None
        if entry.marker is None
        else {"text": entry.marker.text, "location": entry.marker.location, "year": entry.marker.year},
    }


def _day_json(row: OutlineDay) -> dict[str, Any]:
    return {
        "type": "day",
        **_story_day_json(row.day),
        "weekday": row.weekday,
        "until": row.until.iso() if row.until else None,
        "label": row.label,
        "words": row.words,
        "characters": list(row.characters),
        "entries": [_entry_json(entry) for entry in row.entries],
    }


def _gap_json(row: OutlineGap) -> dict[str, Any]:
    return {
        "type": "gap",
        "label": row.label,
        "first": _story_day_json(row.first),
        "last": _story_day_json(row.last),
    }
