"""Hostile, huge and broken input (issue 14): no hang, no traceback, no code run, nothing read or
written outside the project. Every case is made here, at test time, in a temporary folder."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


@dataclass(frozen=True)
class Case:
    """A project of a few files and what ``fabula check`` must answer: exit code and words of the line."""

    name: str
    files: dict[str, str | bytes]
    exit_code: int
    says: tuple[str, ...] = ()
    command: tuple[str, ...] = ("check",)
    seconds: float = 20.0  # far above the linear time, far below what the old quadratic code took


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(root: Path, *args: str) -> tuple[int, list[str], str]:
    """Exit code, the lines of standard error, standard output; asserts the invariants of any run."""
    result = runner.invoke(app, [*args, str(root)])
    errors = [line for line in result.stderr.splitlines() if line.strip()] if result.stderr else []
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-500:])
    assert "Traceback" not in result.output, result.output[-2000:]
    if result.exit_code == 2:
        assert len(errors) == 1 and errors[0].startswith("fabula: error: "), errors[:3]
        assert len(errors[0]) <= 420, errors[0][:200]
    return result.exit_code, errors, result.stdout


CHAPTER = "# One\n\nShe left on the last boat.\n"
ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdefg", "bcdefgh", strict=False)
)

CASES = [
    Case(
        "yaml-alias-bomb-in-front-matter",
        {"manuscript/1.md": "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + ALIAS_BOMB + "title: *h\n---\n\n" + CHAPTER},
        2,
        ("manuscript/1.md:3:", "aliases"),
    ),
    Case(
        "yaml-alias-in-the-bible",
        {"manuscript/1.md": CHAPTER, "characters.yaml": "- &ann {name: Ann}\n- *ann\n"},
        2,
        ("characters.yaml:2:", "aliases"),
    ),
    Case("front-matter-day-1e30", {"manuscript/1.md": "---\nday: 1e30\n---\n\n" + CHAPTER}, 2, ("'day'", "1e30")),
    Case("front-matter-day-ten-million", {"manuscript/1.md": "---\nday: 10000000\n---\n\n" + CHAPTER}, 2, ("9999",)),
    Case(
        "front-matter-day-of-5000-digits",
        {"manuscript/1.md": "---\nday: " + "9" * 5000 + "\n---\n\n" + CHAPTER},
        2,
        ("manuscript/1.md:2:", "digits"),
    ),
    Case(
        "bible-exits-a-huge-day",
        {"manuscript/1.md": CHAPTER, "characters.yaml": "- name: Ann\n  exits: DAY " + "9" * 30 + "\n"},
        2,
        ("characters.yaml:2:", "DAY 9999"),
    ),
    Case(
        "day-one-9999-with-day-9999",
        {"manuscript/1.md": "# DAY 9999\n\nLate.\n", "fabula.toml": "[calendar]\nday_one = 9999-01-01\n"},
        0,
    ),
    Case(
        "day-one-0001-with-day-0",
        {"manuscript/1.md": "# DAY 0\n\nEarly.\n", "fabula.toml": "[calendar]\nday_one = 0001-01-01\n"},
        0,
    ),
    Case("year-0000-in-prose", {"manuscript/1.md": "# 0000-03-01\n\nNever.\n"}, 1),
    Case(
        "year-0000-in-fountain",
        {"manuscript/1.md": CHAPTER, "screenplay/1.fountain": "# 0000-03-01\n\nINT. ROOM - DAY\n\nNothing.\n"},
        1,
    ),
    Case(
        "yaml-front-matter-5000-deep",
        {"manuscript/1.md": "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n\n" + CHAPTER},
        2,
        ("manuscript/1.md:2:", "nested"),
    ),
    Case(
        "yaml-bible-5000-deep",
        {"manuscript/1.md": CHAPTER, "characters.yaml": "characters: " + "[" * 5000 + "]" * 5000 + "\n"},
        2,
        ("characters.yaml:1:", "nested"),
    ),
    Case(
        "toml-5000-deep",
        {"manuscript/1.md": CHAPTER, "fabula.toml": 'title = "x"\nx = ' + "[" * 5000 + "]" * 5000 + "\n"},
        2,
        ("fabula.toml:2:", "nested"),
    ),
    Case(
        "toml-number-of-5000-digits",
        {"manuscript/1.md": CHAPTER, "fabula.toml": 'title = "x"\n\n[check]\nout_of_span_days = ' + "9" * 5000 + "\n"},
        2,
        ("fabula.toml:4:", "number"),
    ),
    Case(
        "toml-deep-inside-a-string-is-text",
        {"manuscript/1.md": CHAPTER, "fabula.toml": 'title = "' + "[" * 5000 + '"\n'},
        0,
    ),
    Case(
        "toml-header-of-a-million-spaces",
        {"manuscript/1.md": CHAPTER, "fabula.toml": "[" + " " * 1_000_000 + "\n"},
        2,
        ("fabula.toml:1:", "invalid TOML"),
    ),
    Case(
        "a-long-value-quoted-back-short",
        {"manuscript/1.md": CHAPTER, "fabula.toml": '[screenplay]\npaper = "' + "x" * 1_000_000 + '"\n'},
        2,
        ("fabula.toml:2:", "paper"),
    ),
    Case(
        "a-bible-name-of-a-megabyte",
        {"manuscript/1.md": CHAPTER, "characters.yaml": "- name: " + "A" * 1_000_000 + "\n"},
        2,
        ("characters.yaml:1:", "200 characters"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_hostile_case_is_answered_in_one_line(case: Case, tmp_path: Path) -> None:
    root = write(tmp_path / "project", case.files)
    started = time.perf_counter()
    code, errors, _ = run(root, *case.command)
    seconds = time.perf_counter() - started
    assert code == case.exit_code, (code, errors)
    for words in case.says:
        assert errors and words in errors[0], (words, errors)
    assert seconds < case.seconds, f"{case.name} took {seconds:.1f} s"


def test_dates_at_the_ends_of_the_calendar_render(tmp_path: Path) -> None:
    """DAY 0 before 0001-01-01, DAY 9999 after 9999-12-31, year 0: outline and report still build."""
    root = write(
        tmp_path / "project",
        {
            "manuscript/1.md": "# 0000-03-01\n\nNever.\n\n# DAY 9999\n\nLate.\n\n# DAY 0\n\nEarly.\n",
            "fabula.toml": "[calendar]\nday_one = 0001-01-01\n",
        },
    )
    code, errors, _ = run(root, "build", "--only", "outline", "--only", "report")
    assert code == 0, errors
    outline = (root / "output" / "outline.md").read_text(encoding="utf-8")
    assert "DAY 9999" in outline and "DAY 0" in outline
