"""Final Draft (.fdx) export of the screenplay, through a Jinja2 XML template."""

from __future__ import annotations

from toolkit.metadata import Metadata
from toolkit.model import Screenplay
from toolkit.render.screenplay_blocks import blocks, environment, title_entries

# Final Draft's paragraph types for ours; lyrics and notes have none, so they print as
# italic action and as General paragraphs.
FDX_TYPES = {
    "heading": "Scene Heading",
    "action": "Action",
    "centered": "Action",
    "lyric": "Action",
    "character": "Character",
    "parenthetical": "Parenthetical",
    "dialogue": "Dialogue",
    "transition": "Transition",
    "note": "General",
}
_CENTRED_TITLE = ("title", "credit", "author", "authors", "source")


def render_screenplay_fdx(screenplay: Screenplay, meta: Metadata, notes: bool = False) -> str:
    """The screenplay as a Final Draft 8+ document (XML, UTF-8)."""
    template = environment().get_template("screenplay.fdx.j2")
    return template.render(
        blocks=blocks(screenplay, notes),
        title_page=title_entries(screenplay),
        centred_keys=_CENTRED_TITLE,
        types=FDX_TYPES,
        meta=meta,
    )
