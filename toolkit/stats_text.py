"""ProjectStats as text for `fabula stats`: rich tables for people, JSON and CSV for scripts."""

from __future__ import annotations

import dataclasses
import io
import json
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.stats import ProjectStats


class StatsFormat(StrEnum):
    """How ``fabula stats`` prints: terminal tables, JSON, or one table as CSV."""

    table = "table"
    json = "json"
    csv = "csv"


class StatsTable(StrEnum):
    """The tables of the stats, each one CSV file."""

    characters = "characters"
    scenes = "scenes"
    locations = "locations"
    chapters = "chapters"
    days = "days"


CSV_TABLES = tuple(table.value for table in StatsTable)


def stats_json(stats: ProjectStats) -> str:
    """Every number, as nested objects with sorted keys; shares as fractions 0..1."""
    return json.dumps(dataclasses.asdict(stats), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def table_rows(stats: ProjectStats, table: str) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of one table; empty rows when the project has no such material."""
    sp, prose = stats.screenplay, stats.prose
    if table == "characters":
        header = ["name", "scenes", "speeches", "words", "share", "first_page", "first_scene", "first_day"]
        header += ["last_page", "last_scene", "last_day"]
        rows = [
            [c.name, c.scenes, c.speeches, c.words, round(c.share, 4), *_seen(c.first), *_seen(c.last)]
            for c in (sp.characters if sp else ())
        ]
    elif table == "scenes":
        header = ["number", "heading", "setting", "location", "time", "page", "eighths", "words", "day", "characters"]
        rows = [
            [s.number, s.heading, s.setting, s.location, s.time, s.page, s.eighths, s.words, s.day, _names(s)]
            for s in (sp.scenes if sp else ())
        ]
    elif table == "locations":
        header = ["location", "scenes", "eighths", "characters"]
        rows = [[loc.name, loc.scenes, loc.eighths, "; ".join(loc.characters)] for loc in (sp.locations if sp else ())]
    elif table == "chapters":
        header = ["title", "location", "words", "reading_minutes", "dialogue_share", "pov"]
        rows = [
            [c.title, c.location, c.words, round(c.reading_minutes, 1), round(c.dialogue_share, 4), c.pov]
            for c in (prose.chapters if prose else ())
        ]
    elif table == "days":
        header = ["day", "scenes", "eighths", "words", "prose_words", "characters"]
        rows = [[d.label, d.scenes, d.eighths, d.words, d.prose_words, _names(d)] for d in stats.days]
    else:
        raise ValueError(f"unknown table {table!r}")
    return header, rows


def _seen(appearance: Any) -> list[Any]:
    return [appearance.page, appearance.scene, appearance.day]


def _names(record: Any) -> str:
    return "; ".join(record.characters)


def stats_csv(stats: ProjectStats, table: str) -> str:
    header, rows = table_rows(stats, table)
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue()


def stats_tables(stats: ProjectStats, stream: IO[str]) -> None:
    """Tables for a terminal (rich); plain text when the stream is not one. NO_COLOR is honoured by rich."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=stream, highlight=False)
    console.print(f"[bold]{_escape(stats.title)}[/bold]")
    sp, prose = stats.screenplay, stats.prose
    if sp is not None:
        settings = ", ".join(f"{name} {count}" for name, count in sp.settings)
        times = ", ".join(f"{name} {count}" for name, count in sp.day_night)
        console.print(
            f"Screenplay: {_count(sp.pages, 'page')}, {_count(len(sp.scenes), 'scene')}, "
            f"{_minutes(sp.eighths / 8)}; "
            f"{_escape(settings)}; {_escape(times)}"
        )
    if prose is not None:
        console.print(
            f"Prose: {_count(prose.words, 'word')} in {_count(len(prose.chapters), 'chapter')}, "
            f"{_minutes(prose.reading_minutes)} to read"
        )
    for title, columns, rows in _terminal_tables(stats):
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        for column, numeric in columns:
            # Lists of names wrap; everything else stays whole.
            table.add_column(column, justify="right" if numeric else "left", no_wrap=column != "characters")
        for row in rows:
            table.add_row(*(_escape(cell) for cell in row))
        console.print(table)


def _terminal_tables(stats: ProjectStats) -> list[tuple[str, list[tuple[str, bool]], list[list[str]]]]:
    """(title, [(column, numeric)], rows of text): fewer, shorter columns than the CSV, for 80 columns."""
    from toolkit.stats import eighths_label

    sp, prose = stats.screenplay, stats.prose

    def seen(appearance: Any) -> str:
        return f"p. {appearance.page}" + (f", {appearance.day}" if appearance.day else "")

    characters = [
        [c.name, str(c.scenes), str(c.speeches), f"{c.words:,}", f"{c.share:.0%}", seen(c.first), seen(c.last)]
        for c in (sp.characters if sp else ())
    ]
    locations = [
        [loc.name, str(loc.scenes), eighths_label(loc.eighths), _names(loc)] for loc in (sp.locations if sp else ())
    ]
    chapters = [
        [c.title, f"{c.words:,}", f"{round(c.reading_minutes)} min", f"{c.dialogue_share:.0%}", c.pov or ""]
        for c in (prose.chapters if prose else ())
    ]
    days = [
        [d.short_label, str(d.scenes), eighths_label(d.eighths), f"{d.words:,}", f"{d.prose_words:,}", _names(d)]
        for d in stats.days
    ]
    text, number = False, True
    seen_columns = [("first", text), ("last", text)]
    names_column = ("characters", text)
    return [
        (
            "Characters (screenplay)",
            [("name", text), ("scenes", number), ("spch", number), ("words", number), ("share", number), *seen_columns],
            characters,
        ),
        ("Locations", [("location", text), ("scenes", number), ("pages", number), ("characters", text)], locations),
        (
            "Chapters",
            [("chapter", text), ("words", number), ("reading", number), ("dialogue", number), ("POV", text)],
            chapters,
        ),
        (
            "Story days",
            [("day", text), ("scenes", number), ("pages", number), ("words", number), ("prose", number), names_column],
            days,
        ),
    ]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _count(number: int, noun: str) -> str:
    """``1 page``, ``2 pages``, ``6,524 words``."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _minutes(minutes: float) -> str:
    """``about 13 min``, or ``under a minute`` rather than ``about 0 min``."""
    return "under a minute" if minutes < 0.5 else f"about {round(minutes)} min"
