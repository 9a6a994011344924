"""report.html: self-contained, every chart drawn from the numbers, escaped, reproducible."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from toolkit import pipeline
from toolkit.render.report import (
    dialogue_share_chart,
    presence_heatmap,
    render_report,
    scene_length_chart,
    vertical_bars,
)
from toolkit.resolve import Story
from toolkit.stats import project_stats


class Page(HTMLParser):
    """Counts each chart's marks and collects every attribute that could load something."""

    def __init__(self) -> None:
        super().__init__()
        self.chart: str | None = None
        self.marks: dict[str, list[dict[str, str | None]]] = {}
        self.references: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append(tag)
        if tag == "svg":
            self.chart = values.get("data-chart")
            self.marks.setdefault(self.chart or "", [])
        elif tag == "rect" and self.chart and values.get("class") in {"bar", "heat"}:
            self.marks[self.chart].append(values)
        for name in ("src", "href", "xlink:href"):
            if values.get(name) and not str(values[name]).startswith("#"):
                self.references.append(str(values[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.chart = None


@pytest.fixture(scope="module")
def sample():
    from tests.conftest import REPO

    loaded = pipeline.story(REPO, use_cache=False)
    stats = project_stats(loaded)
    page = Page()
    html = render_report(stats, loaded.config.language)
    page.feed(html)
    return stats, page, html


def test_every_chart_is_drawn_from_the_numbers(sample) -> None:
    stats, page, _ = sample
    assert set(page.marks) == {"words-per-day", "dialogue-share", "scene-lengths", "presence-heatmap"}
    assert len(page.marks["words-per-day"]) == len(stats.days) == 11
    heights = [float(str(bar["height"])) for bar in page.marks["words-per-day"]]
    words = [day.words for day in stats.days]
    tallest = words.index(max(words))
    assert heights.index(max(heights)) == tallest and all(h > 0 for h in heights)
    speakers = [c for c in stats.screenplay.characters if c.words]
    assert len(page.marks["dialogue-share"]) == min(15, len(speakers))
    assert len(page.marks["presence-heatmap"]) == sum(len(day.presence) for day in stats.days)
    length_chart = scene_length_chart(stats)
    assert length_chart is not None
    assert sum(int(re.match(r"\d+", bar.value).group()) for bar in length_chart.bars) == 28


def test_the_page_loads_nothing_and_runs_nothing(sample) -> None:
    _, page, html = sample
    assert page.references == []
    assert "script" not in page.tags and "@import" not in html and "url(" not in html


def titled(story: Story, title: str) -> Story:
    return dataclasses.replace(story, meta=dataclasses.replace(story.meta, title=title))


def test_names_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "screenplay").mkdir()
    (tmp_path / "screenplay" / "1.fountain").write_text(
        "INT. <B>BAR</B> - NIGHT\n\n@<SCRIPT>\nHello there.\n", encoding="utf-8"
    )
    loaded = pipeline.story(tmp_path, use_cache=False)
    html = render_report(project_stats(titled(loaded, "<i>T</i>")))
    assert "<script>" not in html.lower() and "&lt;i&gt;T&lt;/i&gt;" in html and "&lt;B&gt;BAR" in html


def test_no_material_no_chart() -> None:
    assert vertical_bars([]) is None


def test_the_heatmap_leaves_out_characters_never_on_a_dated_day(tmp_path: Path) -> None:
    from toolkit.render.report import presence_heatmap

    (tmp_path / "screenplay").mkdir()
    (tmp_path / "screenplay" / "1.fountain").write_text(
        "INT. ROOM - DAY\n\nANNA\nHello.\n\n# DAY 2\n\nINT. HALL - DAY\n\nBEN\nHi.\n", encoding="utf-8"
    )
    loaded = pipeline.story(tmp_path, use_cache=False)
    stats = project_stats(loaded)
    heatmap = presence_heatmap(stats)
    assert set(stats.characters) == {"Anna", "Ben"}  # Anna speaks only before the first day marker
    assert heatmap is not None and [name for _, name in heatmap.rows] == ["Ben"] and len(heatmap.cells) == 1


def test_share_bars_are_scaled_to_the_top_speaker(sample) -> None:
    stats, _, _ = sample
    chart = dialogue_share_chart(stats)
    assert chart is not None
    widths = [bar.width for bar in chart.bars]
    assert widths == sorted(widths, reverse=True) and widths[0] == max(widths)


def test_report_golden(sample, golden) -> None:
    golden("sample/report.html", sample[2])


def test_the_time_axis_shows_the_empty_story_days(sample) -> None:
    """The sample skips DAY 9 and 10: the words-per-day chart and the heatmap keep a narrow
    dashed slot for them, and the story-days table a row."""
    from toolkit.render.report import words_per_day_chart

    stats, _, html = sample
    day11 = next(day for day in stats.days if day.short_label == "DAY 11")
    assert (day11.gap_before, day11.gap_days) == ("DAY 9–10", 2)
    chart = words_per_day_chart(stats)
    assert chart is not None and [gap.label for gap in chart.gaps] == ["DAY 9–10"]
    (gap,) = chart.gaps
    before = next(bar for bar in chart.bars if bar.label == "DAY 8")
    after = next(bar for bar in chart.bars if bar.label == "DAY 11")
    assert before.x + before.width < gap.x < gap.x + gap.width < after.x
    heatmap = presence_heatmap(stats)
    assert heatmap is not None and [g.label for g in heatmap.gaps] == ["DAY 9–10"]
    assert html.count("<title>DAY 9–10: 2 days with nothing</title>") == 2
    assert '<tr class="gap-row"><td colspan="6">DAY 9–10: nothing</td></tr>' in html


def test_charts_are_drawn_at_their_own_size(sample) -> None:
    """One SVG unit to one CSS pixel: no chart is scaled to its column, so its 12 and 13 px type
    stays that size on any screen (the browser test measures it)."""
    _, _, html = sample
    charts = re.findall(r'<svg data-chart="[^"]+" width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"', html)
    assert len(charts) == 4
    assert all((width, height) == (box_width, box_height) for width, height, box_width, box_height in charts)
    assert "svg text { fill: var(--ink); font: 13px" in html and "font-size: 12px" in html
    assert "preserveAspectRatio" not in html
