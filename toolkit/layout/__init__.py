"""Screenplay pagination: the model in, pages of positioned lines out (pure: no drawing, no I/O)."""

from toolkit.layout.screenplay import (
    Bookmark,
    Layout,
    LayoutOptions,
    Line,
    LineKind,
    Page,
    Position,
    SceneExtent,
    dump,
    paginate,
)
from toolkit.layout.title_page import TitleLine, title_page_lines

__all__ = [
    "Bookmark",
    "Layout",
    "LayoutOptions",
    "Line",
    "LineKind",
    "Page",
    "Position",
    "SceneExtent",
    "TitleLine",
    "dump",
    "paginate",
    "title_page_lines",
]
