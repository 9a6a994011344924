"""What a paginated screenplay is: styled lines at rows and columns of numbered pages."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from toolkit.model import RichText, plain


class LineKind(StrEnum):
    HEADING = "heading"
    ACTION = "action"
    CENTERED = "centered"
    LYRIC = "lyric"
    CHARACTER = "character"
    PARENTHETICAL = "parenthetical"
    DIALOGUE = "dialogue"
    MORE = "more"
    TRANSITION = "transition"
    NOTE = "note"


@dataclass(frozen=True)
class LayoutOptions:
    # Final Draft's page: 54 lines between 1" margins, with (MORE) allowed on the line below
    # them and the NAME (CONT'D) of a continued speech on the line above (both in the margin).
    lines_per_page: int = 54
    heading_space: int = 1  # blank lines before a scene heading ([screenplay] heading_space)
    contd: bool = True  # add (CONT'D) when a character speaks again after only action
    notes: bool = False  # print [[notes]] on the page
    scene_numbers: bool = False  # number every scene (forced "#12#" numbers are always shown)


@dataclass(frozen=True)
class Line:
    """Styled text at a row (0 = top of the text block) and column of a page."""

    kind: LineKind
    runs: RichText
    row: int  # -1: a continued speech's NAME (CONT'D), in the top margin
    column: int
    scene_number: str | None = None  # on a scene heading: printed in both margins
    side: int = 0  # dual dialogue: 1 left, 2 right (a reader of the page takes one side, then the other)

    @property
    def text(self) -> str:
        return plain(self.runs)


def placed_line(
    kind: LineKind, runs: RichText, row: int, column: int, scene_number: str | None = None, side: int = 0
) -> Line:
    """``Line(kind, runs, row, column, scene_number, side)``, made without the frozen dataclass's
    ``__init__`` (six ``object.__setattr__`` calls): the layout makes two for every printed row
    of a script, ~17,000 for a feature (issue 16). Equal, with the same hash, and as frozen."""
    line: Line = object.__new__(Line)
    line.__dict__.update(kind=kind, runs=runs, row=row, column=column, scene_number=scene_number, side=side)
    return line


def line_at(line: Line, row: int) -> Line:
    """``placed_line`` of ``line``'s fields at ``row``: the paginator places each line of a block
    at its row this way, copying the fields rather than passing them one by one (half the time)."""
    placed: Line = object.__new__(Line)
    fields = placed.__dict__
    fields.update(line.__dict__)
    fields["row"] = row
    return placed


@dataclass(frozen=True)
class Page:
    number: int  # 1 for the first script page (a title page is not counted)
    lines: tuple[Line, ...]


@dataclass(frozen=True, order=True)
class Position:
    page: int  # 1-based, as Page.number
    row: int


@dataclass(frozen=True)
class SceneExtent:
    """Where one scene of ``Screenplay.scenes`` is printed: its first and last occupied rows."""

    scene: int  # index into Screenplay.scenes
    title: str
    start: Position
    end: Position

    def rows(self, lines_per_page: int) -> int:
        """Rows from the scene's first printed line to its last, page breaks counted as full pages."""
        return (self.end.page - self.start.page) * lines_per_page + self.end.row - self.start.row + 1

    def eighths(self, lines_per_page: int = 54) -> int:
        """Length in eighths of a page, as a breakdown counts it: rounded, at least 1."""
        return max(1, (self.rows(lines_per_page) * 8 + lines_per_page // 2) // lines_per_page)


@dataclass(frozen=True)
class Bookmark:
    level: int  # 1 = top (act), sections nest by their "#" count, scenes one below their section
    title: str
    position: Position


@dataclass(frozen=True)
class Layout:
    """A paginated screenplay: ``pages``, where each scene starts and ends, and bookmarks."""

    options: LayoutOptions
    pages: tuple[Page, ...]
    scenes: tuple[SceneExtent, ...]
    bookmarks: tuple[Bookmark, ...]
