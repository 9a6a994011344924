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

    from toolkit.render.templates import Escape

# Charts are drawn at one SVG unit to one CSS pixel and never scaled, so their type is the size
# it says (12 px ticks, 13 px labels) at any screen width; a chart wider than its column
# scrolls inside it (see .scroll in report.html.j2) instead of shrinking its labels.
TICK_SIZE, LABEL_SIZE = 12, 13
CHAR_WIDTH = 7.5  # a 13 px system-ui character, generously: room for labels
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_HEIGHT = 56, 12, 12, 180
SLOT, GAP_SLOT = 40, 26  # a bar's slot; the narrower slot of a run of empty story days
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
class Gap:
    """Story days with no material, drawn on the time axis as a hatched slot between bars."""

    x: float
    width: float
    label: str  # "DAY 9–10"
    title: str  # "DAY 9–10: 2 days with nothing"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    baseline: float
    gaps: tuple[Gap, ...] = ()
    plot_right: float = 0  # where the grid lines end


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
    gaps: tuple[Gap, ...] = ()
    right: int = 0  # where the last column ends


def render_report(stats: ProjectStats, language: str = "en") -> str:
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            stats=stats,
            language=language,
            words_chart=words_per_day_chart(stats),
            heatmap=presence_heatmap(stats),
            share_chart=dialogue_share_chart(stats),
            length_chart=scene_length_chart(stats),
            reading_wpm=READING_WORDS_PER_MINUTE,
            tick_size=TICK_SIZE,
            label_size=LABEL_SIZE,
        )
    )


# ---------------------------------------------------------------- chart geometry


def _nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` gridlines up to ``top``."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def _label_room(labels: list[str]) -> int:
    """Height under the axis for labels turned 45°: the longest label's run down the slope."""
    longest = max((len(label) for label in labels), default=0)
    return round(16 + CHAR_WIDTH * longest * 0.71 + LABEL_SIZE)


def vertical_bars(
    values: list[tuple[str, float, str, str]], gaps: dict[int, tuple[str, str]] | None = None
) -> BarChart | None:
    """(axis label, value, tooltip, value text) per bar, left to right; None when there is nothing.

    ``gaps`` maps a bar's index to the (label, tooltip) of the empty days just before it: a
    time axis shows that the story skips them.
    """
    if not values:
        return None
    gaps = gaps or {}
    step = _nice_step(max(v for _, v, _, _ in values))
    top = step * math.ceil(max(max(v for _, v, _, _ in values), 1) / step)
    every = max(1, math.ceil(len(values) / 24))  # at most ~24 axis labels
    baseline = PLOT_TOP + PLOT_HEIGHT
    bars, drawn_gaps = [], []
    x = float(PLOT_LEFT)
    for index, (label, value, title, shown) in enumerate(values):
        if index in gaps:
            gap_label, gap_title = gaps[index]
            drawn_gaps.append(Gap(round(x, 2), GAP_SLOT, gap_label, gap_title))
            x += GAP_SLOT
        height = PLOT_HEIGHT * value / top
        bars.append(
            Bar(
                x=round(x + SLOT * 0.12, 2),
                y=round(baseline - height, 2),
                width=round(SLOT * 0.76, 2),
                height=round(height, 2),
                label=label if index % every == 0 else "",
                title=title,
                value=shown,
            )
        )
        x += SLOT
    ticks = tuple(Tick(round(baseline - PLOT_HEIGHT * k * step / top, 2), f"{k * step:,.0f}") for k in range(5))
    room = _label_room([bar.label for bar in bars] + [gap.label for gap in drawn_gaps])
    # The last label runs down and to the right of its bar, at 45°.
    overhang = CHAR_WIDTH * len(bars[-1].label or "") * 0.71 - SLOT / 2
    return BarChart(
        width=round(x + PLOT_RIGHT + max(LABEL_SIZE, overhang)),
        height=round(baseline + room),
        bars=tuple(bars),
        ticks=ticks,
        baseline=baseline,
        gaps=tuple(drawn_gaps),
        plot_right=round(x, 2),
    )


def words_per_day_chart(stats: ProjectStats) -> BarChart | None:
    gaps = {
        index: (day.gap_before, f"{day.gap_before}: {day.gap_days} day{'s' * (day.gap_days != 1)} with nothing")
        for index, day in enumerate(stats.days)
        if day.gap_before
    }
    return vertical_bars([(d.short_label, d.words, d.label, f"{d.words:,} words") for d in stats.days], gaps)


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
    row, bars_width, right = 26, 220, 52
    left = round(12 + CHAR_WIDTH * max(len(c.name) for c in speakers))
    top_share = max(c.share for c in speakers)
    bars = tuple(
        Bar(
            x=left,
            y=PLOT_TOP + index * row,
            width=round(bars_width * c.share / top_share, 2),
            height=row - 8,
            label=c.name,
            title=f"{c.name}: {c.words:,} words, {c.speeches} speeches",
            value=f"{c.share:.0%}",
        )
        for index, c in enumerate(speakers)
    )
    return BarChart(
        width=left + bars_width + right, height=PLOT_TOP * 2 + row * len(speakers), bars=bars, ticks=(), baseline=left
    )


def presence_heatmap(stats: ProjectStats, cell: int = 20) -> Heatmap | None:
    """Characters down, story days across (runs of empty days as narrow hatched columns); a
    cell's strength is how many pieces they are in that day."""
    present = {name for day in stats.days for name, _ in day.presence}
    characters = [name for name in stats.characters if name in present]  # nobody only in undated material
    if not stats.days or not characters:
        return None
    # Names are set in 13 px type: room for the longest, within reason.
    left = min(280, 16 + round(CHAR_WIDTH * max(len(name) for name in characters)))
    labels = [day.short_label for day in stats.days] + [day.gap_before or "" for day in stats.days]
    top = round(12 + CHAR_WIDTH * max(len(label) for label in labels) * 0.87)  # labels turned 60°
    gap = GAP_SLOT // 2
    most = max((count for day in stats.days for _, count in day.presence), default=1)
    rows = tuple((top + index * cell, name) for index, name in enumerate(characters))
    columns, gaps, cells = [], [], []
    x = left
    for day in stats.days:
        if day.gap_before:
            gaps.append(Gap(x, gap, day.gap_before, f"{day.gap_before}: {day.gap_days} days with nothing"))
            x += gap
        columns.append((x, day.short_label))
        counts = dict(day.presence)
        for row_index, name in enumerate(characters):
            count = counts.get(name, 0)
            if count:
                cells.append(
                    Cell(
                        x=x,
                        y=top + row_index * cell,
                        opacity=round(0.25 + 0.75 * count / most, 3),
                        title=f"{name} — {day.label}: in {count} piece{'s' * (count != 1)}",
                    )
                )
        x += cell
    # The last column's label runs up and to the right, at 60°.
    overhang = round(CHAR_WIDTH * len(stats.days[-1].short_label) * 0.5)
    return Heatmap(
        width=x + 8 + overhang,
        height=top + cell * len(characters) + 8,
        cell=cell,
        left=left,
        top=top,
        rows=rows,
        columns=tuple(columns),
        cells=tuple(cells),
        gaps=tuple(gaps),
        right=x,
    )


# ---------------------------------------------------------------- templates

# The report's template travels compiled by this environment (toolkit/render/templates.py:
# python packaging/compile_templates.py writes it): an edit build writes the report again.
COMPILED_TEMPLATES = ("report.html.j2",)
ESCAPE: Escape = "html"


@lru_cache(maxsize=1)
def environment() -> Environment:
    from toolkit.render.templates import template_environment

    return template_environment(
        ESCAPE,
        filters={"eighths": eighths_label, "minutes": _minutes, "percent": lambda share: f"{share:.0%}"},
    )


def _minutes(minutes: float) -> str:
    """``1 h 05 min``, ``42 min``."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
