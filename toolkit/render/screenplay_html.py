"""The screenplay as one self-contained HTML page (Jinja2 template, inline CSS, autoescaped)."""

from __future__ import annotations

from toolkit.metadata import Metadata
from toolkit.model import Screenplay
from toolkit.render.screenplay_blocks import blocks, environment, title_entries


def render_screenplay_html(screenplay: Screenplay, meta: Metadata, notes: bool = False) -> str:
    template = environment().get_template("screenplay.html.j2")
    return template.render(blocks=blocks(screenplay, notes), title_page=title_entries(screenplay), meta=meta)
