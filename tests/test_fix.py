"""`fabula check --fix` and `--diff`: only fixes with one right answer, written atomically, only with --fix."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import copy_fixture
from toolkit import pipeline
from toolkit.cli import app
from toolkit.diagnostics import Edit
from toolkit.fixes import apply_edits
from toolkit.model import Span

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def texts(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return copy_fixture("continuity", tmp_path)


def test_diff_shows_the_safe_fixes_and_writes_nothing(story: Path) -> None:
    before = texts(story)
    result = run("check", "--diff", "--no-cache", str(story))
    assert result.exit_code == 1
    assert texts(story) == before
    diff = result.stdout
    # Variants of bible names, and the weekday of a date written with its year.
    assert "-Katherine took the first watch" in diff and "+Katharine took the first watch" in diff
    assert "-Okonkow checked" in diff and "+Okonkwo checked" in diff
    assert "-OKONKOW\n+OKONKWO\n" in diff
    assert "-*Friday, 11 March 2023.*" in diff and "+*Saturday, 11 March 2023.*" in diff
    # Not one right answer: a variant found by counting (no bible entry), a year typo, an exit.
    assert "Hemmingway" not in diff and "2032" not in diff and "Tobias" not in diff
    assert diff.count("--- a/") == 4
    assert "4 fixes would change 4 files" in result.stderr


def test_fix_rewrites_the_sources_and_reports_what_is_left(story: Path) -> None:
    chapter = story / "manuscript" / "03-chapter.md"
    os.chmod(chapter, 0o640)
    before = run("check", "--no-cache", str(story)).stdout.count("\n")
    result = run("check", "--fix", "--no-cache", str(story))
    assert result.exit_code == 1  # Hemmingway, D103, ... remain
    assert f"fixed 4 findings in 4 files, {before - 4} left" in result.stderr
    assert "D102" not in result.stdout and "Okonkow" not in result.stdout and "N101 Hemmingway" in result.stdout
    assert "*Saturday, 11 March 2023.* The boat came in." in chapter.read_text(encoding="utf-8")
    assert stat.S_IMODE(chapter.stat().st_mode) == 0o640
    assert not [p for p in story.rglob("*.tmp")]
    # A second run finds nothing more to fix, and the check agrees with what --fix reported.
    again = run("check", "--diff", str(story))
    assert again.exit_code == 0 and again.stdout == ""
    assert run("check", str(story)).stdout.count("\n") == before - 4


def test_a_year_inferred_from_the_story_is_not_one_right_answer(tmp_path: Path) -> None:
    """'Friday, 10 March' in a story set in 2023: the weekday may be right and the date wrong."""
    root = tmp_path / "p"
    (root / "manuscript").mkdir(parents=True)
    (root / "manuscript" / "1.md").write_text(
        "# Monday, 6 March 2023\n\nText.\n\n# Friday, 11 March\n\nMore.\n", encoding="utf-8"
    )
    _, findings = pipeline.check(root, use_cache=False)
    (weekday,) = [f for f in findings if f.code == "D102"]
    assert weekday.fix is not None and not weekday.fix.safe
    assert weekday.fix.edits == (Edit(Span("manuscript/1.md", 5, 3), "Friday", "Saturday"),)
    assert pipeline.fix(root, use_cache=False).changes == ()


def test_a_bom_and_crlf_line_ends_survive_a_fix(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "manuscript").mkdir(parents=True)
    (root / "characters.yaml").write_text("- Katharine Vell\n", encoding="utf-8")
    text = "# Wednesday, 8 March 2023\r\n\r\nKatharine and Katherine.\r\n"
    (root / "manuscript" / "1.md").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert run("check", "--fix", "--no-cache", str(root)).exit_code == 0
    fixed = text.replace("Katherine", "Katharine")
    assert (root / "manuscript" / "1.md").read_bytes() == b"\xef\xbb\xbf" + fixed.encode("utf-8")


def test_an_edit_is_applied_only_where_the_text_still_says_what_the_rule_saw() -> None:
    text = "Katherine came.\nKatherine went.\n"
    edits = [
        Edit(Span("a.md", 1, 1), "Katherine", "Katharine"),
        Edit(Span("a.md", 2, 1), "Kathrine", "Katharine"),  # stale: the file says otherwise
        Edit(Span("a.md", 9, 1), "x", "y"),  # past the end
        Edit(Span("a.md", 1, 3), "therine", "x"),  # overlaps the first
    ]
    fixed, applied = apply_edits(text, edits)
    assert fixed == "Katharine came.\nKatherine went.\n"
    assert applied == (edits[0],)


def test_fix_and_diff_together_are_a_usage_error(story: Path) -> None:
    result = run("check", "--fix", "--diff", str(story))
    assert result.exit_code == 2 and "cannot be used together" in result.stderr


def test_a_file_not_in_nfc_is_left_alone_rather_than_renormalised(tmp_path: Path) -> None:
    """Reading makes every text NFC; writing that back would change more than the fix."""
    root = tmp_path / "p"
    (root / "manuscript").mkdir(parents=True)
    (root / "characters.yaml").write_text("- Katharine Vell\n", encoding="utf-8")
    raw = "# Wednesday, 8 March 2023\n\nKatharine met Katherine at the cafe\u0301.\n".encode()
    (root / "manuscript" / "1.md").write_bytes(raw)
    result = run("check", "--fix", "--no-cache", str(root))
    assert "fixed 0 findings in 0 files, 1 left" in result.stderr and result.exit_code == 1
    assert (root / "manuscript" / "1.md").read_bytes() == raw
    shown = run("check", "--diff", str(root))
    assert shown.exit_code == 0 and shown.stdout == ""  # --diff shows what --fix would write: nothing
