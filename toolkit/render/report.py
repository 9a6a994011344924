"""Writes ProjectStats as report.html: tables and inline SVG charts in one self-contained page.

The charts are drawn by a Jinja2 SVG template from geometry computed here, not by a plotting
library: four simple charts do not justify matplotlib's 40 MB and second-long import, its SVG
carries generated ids and dates that would break byte-identical builds, and a template gives
text that stays selectable and accessible (role="img", <title>) in every browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from toolkit.stats import READING_WORDS_PER_MINUTE, ProjectStats, eighths_label

if TYPE_CHECKING:
    from jinja2 import Environment

WIDTH = 720  # viewBox width of the bar charts; the page scales them to its column
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_HEIGHT = 56, 12, 12, 180
LENGTH_BINS = (
    (1, 1, "1/8"),
    (2, 2, "2/8"),
    (3, 3, "3/8"),
    (4, 4, "4/8"),
    (5, 6, "5–6/8"),
    (7, 8, "7/8–1"),
    (9, 16, "1–2 pp"),
    (17, 24, "2–3 pp"),
    (25, 10**9, "3+ pp"),
)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # axis label (may be blank when labels would crowd)
    title: str  # tooltip / accessible text
    value: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    baseline: float


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    opacity: float
    title: str


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    cell: int
    left: int
    top: int
    rows: tuple[tuple[int, str], ...]  # (y, character)
    columns: tuple[tuple[int, str], ...]  # (x, day label)
    cells: tuple[Cell, ...]


def render_report(stats: ProjectStats, language: str = "en") -> str:
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            stats=stats,
            language=language,
            words_chart=words_per_day_chart(stats),
            heatmap=presence_heatmap(stats),
            share_chart=dialogue_share_chart(stats),
            length_chart=scene_length_chart(stats),
            reading_wpm=READING_WORDS_PER_MINUTE,
        )
    )


# ---------------------------------------------------------------- chart geometry


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` gridlines up to ``top``."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def vertical_bars(values: list[tuple[str, float, str, str]]) -> BarChart | None:
    """(axis label, value, tooltip, value text) per bar, left to right; None when there is nothing."""
    if not values:
        return None
    step = _nice_step(max(v for _, v, _, _ in values))
    top = step * math.ceil(max(max(v for _, v, _, _ in values), 1) / step)
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    slot = plot_width / len(values)
    every = max(1, math.ceil(len(values) / 24))  # at most ~24 axis labels
    baseline = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for index, (label, value, title, shown) in enumerate(values):
        height = PLOT_HEIGHT * value / top
        bars.append(
            Bar(
                x=round(PLOT_LEFT + index * slot + slot * 0.12, 2),
                y=round(baseline - height, 2),
                width=round(max(slot * 0.76, 1), 2),
                height=round(height, 2),
                label=label if index % every == 0 else "",
                title=title,
                value=shown,
            )
        )
    ticks = tuple(Tick(round(baseline - PLOT_HEIGHT * k * step / top, 2), f"{k * step:,.0f}") for k in range(5))
    return BarChart(height=baseline + 64, bars=tuple(bars), ticks=ticks, baseline=baseline)


def words_per_day_chart(stats: ProjectStats) -> BarChart | None:
    return vertical_bars([(d.short_label, d.words, d.label, f"{d.words:,} words") for d in stats.days])


def scene_length_chart(stats: ProjectStats) -> BarChart | None:
    if stats.screenplay is None:
        return None
    lengths = [scene.eighths for scene in stats.screenplay.scenes]
    counts = [(label, sum(low <= n <= high for n in lengths)) for low, high, label in LENGTH_BINS]
    while counts and counts[-1][1] == 0 and len(counts) > 6:
        counts.pop()
    return vertical_bars(
        [(label, n, f"{label}: {n} scene{'s' * (n != 1)}", f"{n} scene{'s' * (n != 1)}") for label, n in counts]
    )


def dialogue_share_chart(stats: ProjectStats, limit: int = 15) -> BarChart | None:
    """Horizontal bars (x/width across, one row each): the top speakers' share of all dialogue."""
    if stats.screenplay is None:
        return None
    speakers = [c for c in stats.screenplay.characters if c.words][:limit]
    if not speakers:
        return None
    row, left, right = 24, 170, 70
    top_share = max(c.share for c in speakers)
    bars = tuple(
        Bar(
            x=left,
            y=PLOT_TOP + index * row,
            width=round((WIDTH - left - right) * c.share / top_share, 2),
            height=row - 6,
            label=c.name,
            title=f"{c.name}: {c.words:,} words, {c.speeches} speeches",
            value=f"{c.share:.0%}",
        )
        for index, c in enumerate(speakers)
    )
    return BarChart(height=PLOT_TOP * 2 + row * len(speakers), bars=bars, ticks=(), baseline=left)


def presence_heatmap(stats: ProjectStats, cell: int = 18) -> Heatmap | None:
    """Characters down, story days across; a cell's strength is how many pieces they are in that day."""
    present = {name for day in stats.days for name, _ in day.presence}
    characters = [name for name in stats.characters if name in present]  # nobody only in undated material
    if not stats.days or not characters:
        return None
    # Names are set in 11 px type, about 6.5 px a character: room for the longest, within reason.
    left, top = min(260, 16 + round(6.5 * max(len(name) for name in characters))), 70
    most = max((count for day in stats.days for _, count in day.presence), default=1)
    rows = tuple((top + index * cell, name) for index, name in enumerate(characters))
    columns = tuple((left + index * cell, day.short_label) for index, day in enumerate(stats.days))
    cells = []
    for column, day in enumerate(stats.days):
        counts = dict(day.presence)
        for row_index, name in enumerate(characters):
            count = counts.get(name, 0)
            if count:
                cells.append(
                    Cell(
                        x=left + column * cell,
                        y=top + row_index * cell,
                        opacity=round(0.25 + 0.75 * count / most, 3),
                        title=f"{name} — {day.label}: in {count} piece{'s' * (count != 1)}",
                    )
                )
    return Heatmap(
        width=left + cell * len(stats.days) + 8,
        height=top + cell * len(characters) + 8,
        cell=cell,
        left=left,
        top=top,
        rows=rows,
        columns=columns,
        cells=tuple(cells),
    )


# ---------------------------------------------------------------- templates


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from toolkit.render.templates import template_environment

    return template_environment(
        "html",
        filters={"eighths": eighths_label, "minutes": _minutes, "percent": lambda share: f"{share:.0%}"},
    )


def _minutes(minutes: float) -> str:
    """``1 h 05 min``, ``42 min``."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
