"""The planted-error story: every planted finding is reported where it was planted, nothing else."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from toolkit import pipeline
from toolkit.checks.rules import RULES
from toolkit.checks.run import run_checks

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "continuity"
REPO = Path(__file__).resolve().parent.parent.parent


def _found() -> list[tuple[str, int, int, str]]:
    loaded = pipeline.story(FIXTURE, use_cache=False)
    findings = run_checks(loaded)
    return [(f.span.path, f.span.line, f.span.col, f.code) for f in findings]


def _expected() -> list[tuple[str, int, int, str]]:
    records = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    return [(r["path"], r["line"], r["col"], r["code"]) for r in records]


def test_fixture_is_a_story_of_about_20k_words_in_prose_and_fountain() -> None:
    loaded = pipeline.story(FIXTURE, use_cache=False)
    prose = sum(chapter.words for chapter in loaded.project.chapters)
    assert loaded.project.screenplay is not None and len(loaded.project.screenplay.scenes) >= 20
    assert 15_000 <= prose <= 25_000
    assert loaded.project.characters  # with a bible


def test_every_rule_has_a_planted_error() -> None:
    assert {code for *_, code in _expected()} == set(RULES)


def test_every_planted_error_is_found_and_nothing_else() -> None:
    """Precision and recall both 100%: the exact list, place by place."""
    assert _found() == sorted(_expected())


def test_the_fixture_is_what_the_generator_writes(tmp_path: Path) -> None:
    """The checked-in fixture is benchmarks/story.py's output, so expected.json cannot drift."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from story import write_story
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    write_story(tmp_path, plant=True)
    for path in sorted(FIXTURE.rglob("*")):
        if path.is_file():
            relative = path.relative_to(FIXTURE)
            assert (tmp_path / relative).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), relative
