"""Screenplay pagination: the model in, pages of positioned lines out (pure: no drawing, no I/O)."""

from toolkit.layout.blocks import scene_numbers
from toolkit.layout.page import (
    Bookmark,
    Layout,
    LayoutOptions,
    Line,
    LineKind,
    Page,
    Position,
    SceneExtent,
)
from toolkit.layout.screenplay import dump, paginate
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
    "scene_numbers",
    "title_page_lines",
]
