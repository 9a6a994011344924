"""Progress and verbosity: a bar on a terminal (colourless under NO_COLOR), plain lines in logs, -q and -v."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toolkit.progress as progress_module
from toolkit.cli import app
from toolkit.progress import Progress, Verbosity

runner = CliRunner()
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7]|38;)[0-9;]*m")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_bar(monkeypatch: pytest.MonkeyPatch, no_color: bool) -> str:
    monkeypatch.setattr(progress_module, "BAR_DELAY", 0.0)
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    stream = Terminal()
    progress = Progress(2, Verbosity.NORMAL, stream)
    import time

    progress.step("outline.md")  # the first step starts the timer (after the build has forked)
    deadline = time.monotonic() + 5
    while not progress._shown and time.monotonic() < deadline:  # the bar starts on its timer thread
        time.sleep(0.01)
    progress.step("report.html")
    progress.finish()
    return stream.getvalue()


def test_a_terminal_gets_a_bar_in_colour_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    coloured = run_bar(monkeypatch, no_color=False)
    assert "building" in coloured and COLOUR.search(coloured)
    plain = run_bar(monkeypatch, no_color=True)
    assert "building" in plain and not COLOUR.search(plain)


def test_a_fast_build_never_shows_the_bar() -> None:
    stream = Terminal()
    progress = Progress(1, Verbosity.NORMAL, stream)  # BAR_DELAY is a second
    progress.step("outline.md")
    progress.finish()
    assert stream.getvalue() == ""


def test_a_log_gets_plain_lines_with_verbose() -> None:
    stream = io.StringIO()
    progress = Progress(2, Verbosity.VERBOSE, stream)
    progress.step("outline.md")
    progress.step("report.html")
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert [line.split(" in ")[0] for line in lines] == ["built outline.md", "built report.html"]
    assert "\x1b" not in stream.getvalue()


def test_quiet_build_prints_nothing_on_a_clean_project(sample_project: Path) -> None:
    result = runner.invoke(app, ["build", str(sample_project), "--only", "outline", "-q"])
    assert (result.exit_code, result.output) == (0, "")
    assert (sample_project / "output" / "outline.md").is_file()


def test_verbose_build_lists_timings_and_unchanged_files(sample_project: Path) -> None:
    first = runner.invoke(app, ["build", str(sample_project), "--only", "outline", "-v"])
    assert first.exit_code == 0 and "built outline.md in " in first.output and "done in " in first.output
    second = runner.invoke(app, ["build", str(sample_project), "--only", "outline", "-v"])
    assert second.output.count("unchanged ") == 3 and "wrote " not in second.output
    normal = runner.invoke(app, ["build", str(sample_project), "--only", "outline"])
    assert "3 unchanged since the last build" in normal.output
    rebuilt = runner.invoke(app, ["build", str(sample_project), "--only", "outline", "--no-cache"])
    assert rebuilt.output.count("wrote ") == 3


def test_quiet_and_verbose_together_is_a_usage_error(sample_project: Path) -> None:
    result = runner.invoke(app, ["build", str(sample_project), "-q", "-v"])
    assert result.exit_code == 2 and "--quiet and --verbose" in result.output


def test_no_thread_runs_until_the_first_step_and_none_after_the_end() -> None:
    """A build forks its worker before its first step: no timer thread may be alive then."""
    import threading

    before = threading.active_count()
    progress = Progress(2, Verbosity.NORMAL, Terminal())
    assert progress._bar is not None and threading.active_count() == before
    progress.step("outline.md")
    assert threading.active_count() == before + 1  # the timer, waiting out BAR_DELAY
    progress.finish()
    assert threading.active_count() == before
