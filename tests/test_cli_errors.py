"""Each bad input: one line naming file (and line), exit 2, no traceback, no partial output."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


def fails_cleanly(root: Path, expected: str, *args: str) -> None:
    result = runner.invoke(app, ["build", str(root), *args], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [lines[0]] and lines[0].startswith("fabula: error: "), result.output
    assert expected in lines[0], lines[0]
    assert "Traceback" not in result.output
    output = root / "output"
    assert not output.exists() or list(output.iterdir()) == [], "partial output left behind"


def test_broken_toml(sample_project: Path) -> None:
    (sample_project / "fabula.toml").write_text('title = "x"\n[calendar\n', encoding="utf-8")
    fails_cleanly(sample_project, "fabula.toml:2: invalid TOML")


def test_unknown_toml_key(sample_project: Path) -> None:
    (sample_project / "fabula.toml").write_text('title = "x"\npaper = "a4"\n', encoding="utf-8")
    fails_cleanly(sample_project, "fabula.toml:2: unknown key 'paper'")


def test_broken_yaml(sample_project: Path) -> None:
    (sample_project / "characters.yaml").write_text("characters:\n  - name: A\n   cue: [\n", encoding="utf-8")
    fails_cleanly(sample_project, "characters.yaml:3: invalid YAML")


def test_broken_front_matter(sample_project: Path) -> None:
    chapter = sorted((sample_project / "manuscript").glob("*.md"))[0]
    chapter.write_text("---\ntitle: [unclosed\n---\n\n# One\n\nText.\n", encoding="utf-8")
    fails_cleanly(sample_project, f"manuscript/{chapter.name}:")


def test_non_utf8_chapter(sample_project: Path) -> None:
    chapter = sorted((sample_project / "manuscript").glob("*.md"))[-1]
    chapter.write_bytes(chapter.read_bytes() + b"\nCaf\xe9 au lait.\n")
    fails_cleanly(sample_project, f"manuscript/{chapter.name}:")
    fails_cleanly(sample_project, "not valid UTF-8")


def test_non_utf8_scene(sample_project: Path) -> None:
    scene = sorted((sample_project / "screenplay").glob("*.fountain"))[0]
    scene.write_bytes(b"INT. ROOM - DAY\n\n\xff\xfe\n")
    fails_cleanly(sample_project, f"screenplay/{scene.name}:3: not valid UTF-8")


def test_empty_project(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    fails_cleanly(tmp_path, "empty project")


def test_unknown_file(sample_project: Path) -> None:
    (sample_project / "screenplay" / "notes.docx").write_bytes(b"PK")
    fails_cleanly(sample_project, "screenplay/notes.docx: unknown file in screenplay/")


@pytest.mark.parametrize("content", [None, b"not an image at all"])
def test_unreadable_cover(sample_project: Path, content: bytes | None) -> None:
    config = sample_project / "fabula.toml"
    text = config.read_text(encoding="utf-8")
    assert "\n[book]\n" in text
    config.write_text(text.replace("\n[book]\n", '\n[book]\ncover = "cover.png"\n', 1), encoding="utf-8")
    if content is not None:
        (sample_project / "cover.png").write_bytes(content)
    fails_cleanly(sample_project, "cover.png")


def test_missing_project_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nope")], catch_exceptions=False)
    assert result.exit_code == 2 and "no such project folder" in result.output


def test_output_folder_that_is_a_file(sample_project: Path) -> None:
    (sample_project / "output").write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["build", str(sample_project)], catch_exceptions=False)
    assert result.exit_code == 2 and "cannot write build output" in result.output
    assert "Traceback" not in result.output
    assert (sample_project / "output").read_text(encoding="utf-8") == "not a folder"


# ---------------------------------------------------------------- whatever happens, one line


@pytest.mark.parametrize(
    "error",
    [RuntimeError("boom"), RecursionError("maximum recursion depth exceeded"), MemoryError(), ValueError("x\n" * 500)],
    ids=["runtime", "recursion", "memory", "long"],
)
def test_an_unexpected_error_is_one_line_and_exit_2(sample_project: Path, monkeypatch, error: Exception) -> None:
    """Exit 1 means findings: a crash must never look like findings in CI."""
    from toolkit import pipeline

    def crash(*args, **kwargs):
        raise error

    monkeypatch.setattr(pipeline, "check", crash)
    monkeypatch.setattr(pipeline, "build", crash)
    for command in ("check", "build"):
        result = runner.invoke(app, [command, str(sample_project)])
        assert result.exit_code == 2, (command, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("fabula: error: internal error: "), result.output
        assert len(lines[0]) <= 420 and "Traceback" not in result.output


def test_a_message_quoting_a_file_stays_one_short_line() -> None:
    from toolkit.errors import FabulaError, excerpt
    from toolkit.model import Span

    error = FabulaError(f"bad value {excerpt('x' * 10_000_000)}\nsecond line\x01", Span("manuscript/a\nb.md", 3))
    text = str(error)
    assert "\n" not in text and "\x01" not in text and len(text) <= 400
    assert excerpt(7) == "7"
    assert "digits" in excerpt(int("9" * 4000)) and len(excerpt(list(range(10**6)))) < 60
