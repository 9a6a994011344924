"""Generates large deterministic writing projects (prose chapters with day markers) for benchmarks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

WORDS = (
    "the harbour light went out over the water and she counted the boats one by one while "
    "her brother waited at the door with the keys in his hand the wind came off the sea "
    "cold and salt and nobody said what they all knew about the winter ahead of them"
).split()
NAMES = ("Ada", "Tomas", "Wren", "Ilse", "Corin", "Bea", "Osric", "Maud")


def paragraph(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    chosen[rng.randrange(words)] = rng.choice(NAMES)
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def write_manuscript(root: Path, total_words: int, chapter_words: int = 10_000, seed: int = 7) -> int:
    """Write ``root/manuscript/*.md`` with about ``total_words`` words; return the chapter count."""
    rng = random.Random(seed)
    folder = root / "manuscript"
    folder.mkdir(parents=True, exist_ok=True)
    day_one = dt.date(2023, 3, 6)
    chapters = max(1, total_words // chapter_words)
    for number in range(1, chapters + 1):
        day = (number - 1) * 2 + 1
        date = day_one + dt.timedelta(days=day - 1)
        lines = [f"# DAY {day} — {date:%A}, {date.day} {date:%B %Y}", ""]
        written = 0
        while written < chapter_words:
            size = rng.randint(40, 120)
            lines += [paragraph(rng, size), ""]
            written += size
            if written > chapter_words // 2 and not any(line.startswith("*") for line in lines):
                later = date + dt.timedelta(days=1)
                lines += [f"*{later:%A}, {later.day} {later:%B}.* The next morning came grey.", ""]
        (folder / f"{number}-chapter.md").write_text("\n".join(lines), encoding="utf-8")
    (root / "fabula.toml").write_text(
        'title = "Benchmark"\nauthor = "Generated"\n[calendar]\nday_one = 2023-03-06\n', encoding="utf-8"
    )
    return chapters
