"""Plain frozen dataclasses for a writing project: no I/O, no printing, no library types."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The largest DAY number a story can give (a marker's "DAY N" has at most four digits).
MAX_DAY = 9999

# Year used to validate a year-less date: a leap year, so "29 February" stays possible.
_LEAP_YEAR = 2000
# Year-less stories count days in common years: their calendar has no 29 February to place.
_YEARLESS_START = _dt.date(2001, 1, 1)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A place in a source file: path relative to the project root, 1-based line and column."""

    path: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class StoryDate:
    """A calendar date as the story gives it; ``year`` is None where the story never says."""

    year: int | None
    month: int
    day: int
    # Year-less dates only: how many New Years the story has passed before this date, so that
    # "2 January" after "30 December" sorts after it. Never printed; 0 when the year is known.
    cycle: int = 0

    @property
    def is_valid(self) -> bool:
        """A date some calendar has: a real day of a year from 1 to 9999 (year 0 has none)."""
        try:
            _dt.date(self.year if self.year is not None else _LEAP_YEAR, self.month, self.day)
        except (ValueError, OverflowError):
            return False
        return True

    def to_date(self) -> _dt.date | None:
        """The real date, or None when the year is unknown or the date impossible."""
        return self._real

    # A date is frozen: its real date and day count are worked out once (the calendar and the
    # date rules ask for them thousands of times a check).
    @cached_property
    def _real(self) -> _dt.date | None:
        if self.year is None or not self.is_valid:
            return None
        return _dt.date(self.year, self.month, self.day)

    @property
    def weekday(self) -> int | None:
        """0 = Monday, as ``datetime``; None without a year."""
        real = self.to_date()
        return None if real is None else real.weekday()

    def day_index(self) -> int | None:
        """A running count of days, for order and arithmetic; None for a date that cannot be placed.

        A real date counts as its ``datetime`` ordinal; a year-less one as ``cycle`` years of
        365 days plus its day in the year (a year-less 29 February cannot be placed).
        """
        return self._index

    @cached_property
    def _index(self) -> int | None:
        if self.year is not None:
            real = self.to_date()
            return None if real is None else real.toordinal()
        try:
            within = (_dt.date(_YEARLESS_START.year, self.month, self.day) - _YEARLESS_START).days
        except ValueError:
            return None
        return self.cycle * 365 + within

    @classmethod
    def from_day_index(cls, index: int, yearless: bool) -> StoryDate | None:
        """The date ``day_index`` gives back: a real one, or year-less with its cycle; None past
        the calendar's ends (before 1 January of year 1, after 31 December 9999)."""
        if not yearless:
            if not 1 <= index <= _dt.date.max.toordinal():
                return None
            return cls.from_date(_dt.date.fromordinal(index))
        cycle, within = divmod(index, 365)
        date = _YEARLESS_START + _dt.timedelta(days=within)
        return cls(None, date.month, date.day, cycle)

    def iso(self) -> str:
        """``2023-03-10``, or ``--03-10`` (ISO 8601 without year) when the year is unknown."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def label(self) -> str:
        """``10 March 2023``, or ``10 March`` when the year is unknown."""
        text = f"{self.day} {MONTH_NAMES[self.month - 1]}"
        return text if self.year is None else f"{text} {self.year}"

    @classmethod
    def from_date(cls, value: _dt.date) -> StoryDate:
        return cls(value.year, value.month, value.day)


MarkKind = Literal["heading", "inline", "front-matter", "bible"]
# A dateline stands apart ("*10 March.* The rain…", a heading); a sentence mark opens a running
# sentence ("On 10 March the rain stopped"), and may be narration about another time.
MarkForm = Literal["dateline", "sentence"]


@dataclass(frozen=True)
class DayMark:
    """A story-day marker exactly as written: a date, a DAY number, or both.

    Values are what the text says, not what is right: a wrong weekday or an impossible
    date is kept so that checks can report it.
    """

    span: Span
    text: str  # the marker as written, e.g. "Wednesday, 8 March 2023" or "DAY 12"
    kind: MarkKind
    date: StoryDate | None = None  # year None when the text gives none
    weekday: int | None = None  # weekday named in the text, 0 = Monday
    day: int | None = None  # the N of "DAY N"
    until: StoryDate | None = None  # the last day of a range ("12–13 June"); the mark is on its first
    misspelt: tuple[str, str] | None = None  # (the month as written, the month read): "Novmber", "november"
    form: MarkForm = "dateline"

    # Marks key the calendar's and the date rules' tables: thousands of lookups a check, each
    # hashing the span and dates inside. A mark is frozen, so its hash (the one dataclass makes:
    # the fields' values in order) is worked out once, and a parse kept by a Session keeps it.
    @cached_property
    def _hash(self) -> int:
        return hash(
            (self.span, self.text, self.kind, self.date, self.weekday, self.day, self.until, self.misspelt, self.form)
        )

    def __hash__(self) -> int:
        return self._hash


# ---------------------------------------------------------------- rich text


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text with one set of emphasis styles."""

    text: str
    italic: bool = False
    bold: bool = False
    underline: bool = False


RichText = tuple[Run, ...]


def plain(rich: RichText) -> str:
    """The text of a rich string without its styles."""
    return "".join(run.text for run in rich)


# ---------------------------------------------------------------- screenplay


class ElementKind(StrEnum):
    HEADING = "heading"
    ACTION = "action"
    DIALOGUE = "dialogue"
    DUAL_DIALOGUE = "dual_dialogue"
    TRANSITION = "transition"
    SECTION = "section"
    SYNOPSIS = "synopsis"
    NOTE = "note"
    PAGE_BREAK = "page_break"


@dataclass(frozen=True, slots=True)
class SceneHeading:
    span: Span
    text: RichText
    number: str | None = None  # forced scene number from "#12#"
    kind: ElementKind = field(default=ElementKind.HEADING, init=False)


@dataclass(frozen=True, slots=True)
class Action:
    span: Span
    lines: tuple[RichText, ...]
    centered: bool = False
    kind: ElementKind = field(default=ElementKind.ACTION, init=False)
    lyric: bool = False  # every line began with "~" (the "~" is not kept in ``lines``)


@dataclass(frozen=True, slots=True)
class DialogueLine:
    span: Span
    text: RichText
    parenthetical: bool = False


@dataclass(frozen=True, slots=True)
class Dialogue:
    span: Span  # the line of the character cue
    cue: str  # as written, without "@" or "^": "MARGOT (V.O.)"
    name: str  # the cue without extensions: "MARGOT"
    lines: tuple[DialogueLine, ...]
    kind: ElementKind = field(default=ElementKind.DIALOGUE, init=False)


@dataclass(frozen=True, slots=True)
class DualDialogue:
    span: Span
    left: Dialogue
    right: Dialogue
    kind: ElementKind = field(default=ElementKind.DUAL_DIALOGUE, init=False)


@dataclass(frozen=True, slots=True)
class Transition:
    span: Span
    text: RichText
    kind: ElementKind = field(default=ElementKind.TRANSITION, init=False)


@dataclass(frozen=True, slots=True)
class Synopsis:
    span: Span  # the "=" (the line's first character)
    text: str
    mark: DayMark | None = None
    text_col: int = 0  # the column where ``text`` starts, after "=" and spaces (0: the span's)
    kind: ElementKind = field(default=ElementKind.SYNOPSIS, init=False)


@dataclass(frozen=True, slots=True)
class Section:
    span: Span  # the first "#"
    text: str
    level: int
    mark: DayMark | None = None
    text_col: int = 0  # the column where ``text`` starts, after the "#"s and spaces (0: the span's)
    kind: ElementKind = field(default=ElementKind.SECTION, init=False)


@dataclass(frozen=True, slots=True)
class Note:
    """A ``[[note]]``; screenplain drops notes, we keep them for flashback and ignore markers."""

    span: Span
    text: str
    kind: ElementKind = field(default=ElementKind.NOTE, init=False)


@dataclass(frozen=True, slots=True)
class PageBreak:
    span: Span
    kind: ElementKind = field(default=ElementKind.PAGE_BREAK, init=False)


Element = SceneHeading | Action | Dialogue | DualDialogue | Transition | Synopsis | Section | Note | PageBreak


_CUE_EXTENSION = re.compile(r"\([^)]*\)?")


def cue_key(cue: str) -> str:
    """The character a cue names, as every stage compares cues: ``@Margot (V.O.) (CONT'D) ^`` ->
    ``MARGOT``. Extensions in brackets, the forcing ``@`` and the dual-dialogue ``^`` go; spaces
    are collapsed. The Fountain parser gives each speech's ``name`` by it, and a bible cue is
    read by it too, so that the two always compare."""
    key = " ".join(_CUE_EXTENSION.sub(" ", cue).split()).upper()
    return key.lstrip("@").rstrip("^").strip()


def speakers(element: Element) -> tuple[Dialogue, ...]:
    """The speeches an element holds: both sides of dual dialogue, one for dialogue, else none."""
    if isinstance(element, DualDialogue):
        return (element.left, element.right)
    if isinstance(element, Dialogue):
        return (element,)
    return ()


@dataclass(frozen=True)
class TitleField:
    span: Span
    key: str  # capitalised as screenplain does: "Title", "Credit", "Draft date"
    values: tuple[str, ...]
    # The values with their emphasis parsed, one per value: derived from ``values``, so not compared.
    rich: tuple[RichText, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Scene:
    """A scene heading and what follows it up to the next heading, section or synopsis mark.

    Elements before the first heading of the script form a scene with ``heading`` None.
    ``mark`` is the day marker in force (from the last marked section or synopsis before it).
    """

    span: Span
    heading: SceneHeading | None
    elements: tuple[Element, ...]
    mark: DayMark | None = None

    @property
    def title(self) -> str:
        return plain(self.heading.text) if self.heading else "(before the first scene heading)"

    @property
    def cues(self) -> tuple[str, ...]:
        """Character names that speak in the scene, in order of first speech, once each."""
        return tuple(dict.fromkeys(speaker.name for element in self.elements for speaker in speakers(element)))


@dataclass(frozen=True)
class ScreenplayPart:
    """One scene file parsed on its own, to be joined with the others into the ``Screenplay``
    (a keystroke in one scene re-parses that file alone). ``leans``: the file opens with
    something that joins the file before it (a ``^`` dual cue, a synopsis that may belong to
    the last heading): such a screenplay is parsed whole instead."""

    path: str
    title_page: tuple[TitleField, ...]
    elements: tuple[Element, ...]
    synopsis_owner: tuple[tuple[int, int], ...]  # synopsis index -> its heading/section index (-1: none)
    leans: bool = False


@dataclass(frozen=True)
class Screenplay:
    files: tuple[str, ...]
    title_page: tuple[TitleField, ...]
    elements: tuple[Element, ...]
    scenes: tuple[Scene, ...]

    def title_value(self, key: str) -> str | None:
        for title_field in self.title_page:
            if title_field.key.lower() == key.lower():
                return " ".join(title_field.values)
        return None


# ---------------------------------------------------------------- prose


class BlockKind(StrEnum):
    """What a block of a Markdown chapter is, as the parser decided it once for every stage."""

    PARAGRAPH = "paragraph"
    HEADING = "heading"
    QUOTE = "quote"  # a block quote: "> " lines, or a letter indented in a chapter of flush prose
    LIST = "list"
    TABLE = "table"
    BREAK = "break"  # a scene break: "* * *", "---", an indented "*     *     *"
    CODE = "code"  # fenced code only: indented text is prose, never code
    HTML = "html"  # raw HTML
    COMMENT = "comment"  # an HTML comment standing alone
    FOOTNOTE = "footnote"  # a footnote's definition, "[^1]: ..."
    REFERENCE = "reference"  # link reference definitions, "[id]: https://..."


# Kinds whose text a reader reads: word counts, day markers and names look only at these.
PROSE_KINDS = frozenset(
    {BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.QUOTE, BlockKind.LIST, BlockKind.TABLE, BlockKind.FOOTNOTE}
)


@dataclass(frozen=True)
class Comment:
    """An HTML comment in a chapter (``<!-- fabula: ignore N101 -->``), inner text and place."""

    span: Span
    text: str


@dataclass(frozen=True)
class Block:
    """A block of a Markdown chapter: its kind and place, and what each later stage needs of it.

    ``markdown`` is the block as pandoc is to read it, normalised by the parser (an indented
    paragraph dedented, an indented letter quoted, a heading in ATX form, a scene break as
    ``* * *``), so that no renderer ever decides a block's kind again. ``text`` is the prose as
    written, line for line and column for column, with what is not read blanked to spaces
    (comments, tags, image syntax, link targets): day markers, names and word counts read it.
    """

    span: Span
    kind: BlockKind
    markdown: str
    text: str = ""
    words: int = 0
    level: int = 0  # headings: 1 to 6
    title: str = ""  # headings: the heading's text (inline Markdown)
    label: str = ""  # footnotes: the label of "[^label]:"
    joined: bool = False  # a quoted paragraph that continues the block quote before it (one letter)
    comments: tuple[Comment, ...] = ()
    images: tuple[str, ...] = ()  # image paths and addresses as written, in order
    last_line: int = 0  # the block's last line in the source file
    year: int | None = None  # headings: the year the heading names ("# Part I — 1903")
    document: str | None = None  # the stream a title line opens ("journal: Dr. Seward", "letters: Anna")


@dataclass(frozen=True)
class Passage:
    """The part of a chapter set on one story day: from a marker to the next one."""

    span: Span
    mark: DayMark | None
    blocks: tuple[Block, ...]
    words: int


@dataclass(frozen=True)
class FrontMatter:
    title: str | None = None
    date: str | None = None
    day: int | None = None
    summary: str | None = None
    pov: str | None = None
    flashback: bool = False
    language: str | None = None  # the language of the file's chapters, when not fabula.toml's
    year: int | None = None  # the year of the chapter's year-less dates
    stream: str | None = None  # the narrator or document whose dates the chapter gives


@dataclass(frozen=True)
class Chapter:
    span: Span  # the level-1 heading (ATX or setext), or line 1 of the file
    title: str  # the heading's text, else front matter ``title``, else from the file name
    front: FrontMatter
    passages: tuple[Passage, ...]
    heading: Block | None = None  # the level-1 heading that opens the chapter, if it has one

    @property
    def words(self) -> int:
        return sum(passage.words for passage in self.passages)

    @property
    def blocks(self) -> tuple[Block, ...]:
        """Every block of the chapter after its heading, in order."""
        return tuple(block for passage in self.passages for block in passage.blocks)


# ---------------------------------------------------------------- bible and project


_NOT_A_FIRST_NAME = frozenset(
    "the a an dr mr mrs ms miss mx sir dame lady lord captain capt father mother sister brother "
    "aunt uncle auntie grandma grandpa granny old young little big saint st professor prof".split()
)


@dataclass(frozen=True)
class Character:
    span: Span
    name: str
    aliases: tuple[str, ...] = ()
    cue: str | None = None
    exits: DayMark | None = None
    distinct: tuple[str, ...] = ()

    @property
    def cue_name(self) -> str:
        """The cue as given, else the first name upper-cased ("Margot Lane" -> MARGOT); a name
        that opens with an article or a title keeps every word ("The Captain" -> THE CAPTAIN),
        so that the default cue is never a common word such as THE or DR."""
        if self.cue:
            return self.cue
        words = self.name.split()
        if len(words) > 1 and words[0].rstrip(".").lower() in _NOT_A_FIRST_NAME:
            return " ".join(words).upper()
        return words[0].upper()

    @property
    def names(self) -> tuple[str, ...]:
        """Every way the text may name this character: name, aliases, cue."""
        return (self.name, *self.aliases, self.cue_name)


@dataclass(frozen=True)
class Project:
    root: str
    chapters: tuple[Chapter, ...]
    screenplay: Screenplay | None
    characters: tuple[Character, ...] = ()


# ---------------------------------------------------------------- story calendar (resolved)


@dataclass(frozen=True, order=True)
class StoryDay:
    """A resolved place on the story calendar.

    ``number`` is the DAY number, ``date`` the date with its year filled in where the story
    gives one. Either may be None when the calendar cannot tie DAY numbers to dates.
    """

    number: int | None
    date: StoryDate | None

    def label(self) -> str:
        parts = []
        if self.date is not None:
            weekday = self.date.weekday
            prefix = f"{WEEKDAY_NAMES[weekday]}, " if weekday is not None else ""
            parts.append(prefix + self.date.label())
        if self.number is not None:
            parts.append(f"DAY {self.number}")
        return " – ".join(parts) or "undated"


@dataclass(frozen=True)
class ResolvedMark:
    """A marker as written beside the day the calendar puts it on."""

    mark: DayMark
    day: StoryDay


@dataclass(frozen=True)
class Placement:
    """A piece of material (a chapter passage or a screenplay scene) put on a story day."""

    span: Span
    kind: Literal["chapter", "scene"]
    title: str  # chapter title or scene heading text
    words: int
    chapter: Chapter | None = None
    passage: Passage | None = None
    scene: Scene | None = None
    mark: DayMark | None = None  # the marker in force, as written
    day: StoryDay | None = None  # None: undated


@dataclass(frozen=True)
class Timeline:
    """Every piece of material in reading order (chapters, then screenplay) with its day."""

    day_one: _dt.date | None
    placements: tuple[Placement, ...]
    marks: tuple[ResolvedMark, ...]
