"""`fabula watch`: a real watcher on a real folder rebuilds after edits, survives bad input, stops cleanly."""

from __future__ import annotations

import functools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from toolkit.watch import Cycle, is_source, watch

FAST = ("outline", "report")


class Watcher:
    """``watch()`` in a thread; cycles arrive on a queue; ``stop()`` sets the stop event."""

    def __init__(self, root: Path) -> None:
        self.cycles: queue.Queue[Cycle] = queue.Queue()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(
            target=watch,
            args=(root, None, FAST, self.cycles.put, self.stop_event),
            kwargs={"debounce_ms": 100},
            daemon=True,
        )
        self.thread.start()

    def next(self, timeout: float = 30) -> Cycle:
        return self.cycles.get(timeout=timeout)

    def after(self, edit, timeout: float = 30) -> Cycle:
        """Edit until the watcher reacts: the first edit may land before it is listening."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            edit()
            try:
                return self.cycles.get(timeout=2)
            except queue.Empty:
                continue
        raise AssertionError("no rebuild after the edit")

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=15)
        assert not self.thread.is_alive(), "watch() did not return after the stop event"


def test_watch_rebuilds_after_an_edit_and_survives_a_broken_file(sample_project: Path) -> None:
    watcher = Watcher(sample_project)
    try:
        first = watcher.next()
        assert first.error is None and first.changed == ()
        assert sorted(p.name for p in first.report.written) == [
            "outline.html",
            "outline.json",
            "outline.md",
            "report.html",
        ]
        outline = sample_project / "output" / "outline.json"
        words_before = json.loads(outline.read_text(encoding="utf-8"))["words"]
        chapter = sample_project / "manuscript" / "3-hogmanay.md"
        original = chapter.read_text(encoding="utf-8")
        marker = iter(range(1000))

        def edit_chapter() -> None:
            chapter.write_text(original + f"\nThe lamps went out, {next(marker)} of them.\n", encoding="utf-8")

        edited = watcher.after(edit_chapter)
        assert edited.error is None and "manuscript/3-hogmanay.md" in edited.changed
        assert "outline.md" in [p.name for p in edited.report.written]
        assert json.loads(outline.read_text(encoding="utf-8"))["words"] > words_before
        assert "rebuilt" in edited.summary() and " s" in edited.summary()

        config = sample_project / "fabula.toml"
        good_config = config.read_text(encoding="utf-8")
        broken = watcher.after(lambda: config.write_text(good_config + "\n[calendar\n", encoding="utf-8"))
        while broken.error is None:  # an editor may save in two steps; wait for the broken state
            broken = watcher.next()
        assert "fabula.toml" in str(broken.error) and broken.summary().startswith("error: ")
        assert "still watching" in broken.summary()

        fixed = watcher.after(lambda: config.write_text(good_config, encoding="utf-8"))
        while fixed.error is not None:
            fixed = watcher.next()
        assert fixed.error is None
    finally:
        watcher.stop()


def test_writes_into_output_do_not_trigger_a_rebuild(sample_project: Path) -> None:
    watcher = Watcher(sample_project)
    try:
        watcher.next()
        time.sleep(0.5)
        (sample_project / "output" / "notes.txt").write_text("scratch", encoding="utf-8")
        with pytest.raises(queue.Empty):
            watcher.cycles.get(timeout=1.5)
    finally:
        watcher.stop()


def test_which_files_count_as_sources(tmp_path: Path) -> None:
    root = tmp_path
    assert is_source(root, root / "manuscript" / "1.md")
    assert is_source(root, root / "screenplay" / "part" / "1.fountain")
    assert is_source(root, root / "fabula.toml") and is_source(root, root / "characters.yaml")
    assert not is_source(root, root / "output" / "outline.md")
    assert not is_source(root, root / "manuscript" / ".1.md.swp")
    assert not is_source(root, root / "manuscript" / "1.md~")
    assert not is_source(root, root / "README.md")
    assert not is_source(root, tmp_path.parent / "elsewhere.md")


def test_ctrl_c_stops_the_cli_cleanly(sample_project: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "watch", str(sample_project), "--only", "outline"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # Ctrl-C at its default, as in a terminal: a test run started in the background (a shell's
        # "&") ignores SIGINT, and a child inherits that, so the watch would never hear it.
        preexec_fn=functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL),
    )
    try:
        target = sample_project / "output" / "outline.md"
        deadline = time.monotonic() + 30
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert target.exists(), "the first build never happened"
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()  # its pipes closed here, not left to a later test's garbage
    assert process.returncode == 0, stderr
    assert "rebuilt outline.md, outline.html, outline.json" in stdout
    assert stdout.rstrip().endswith("stopped watching") and "Traceback" not in stderr


def test_watch_help_has_an_example() -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    result = CliRunner().invoke(app, ["watch", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--quiet" in result.output


def test_an_unexpected_error_is_reported_and_watching_goes_on(sample_project: Path, monkeypatch) -> None:
    from toolkit import pipeline
    from toolkit.watch import rebuild

    real = pipeline.build
    monkeypatch.setattr(pipeline, "build", lambda *args, **kwargs: (_ for _ in ()).throw(RecursionError("deep")))
    cycle = rebuild(sample_project, None, ("outline",), ["manuscript/1-the-last-boat.md"])
    assert cycle.error is not None and "internal error: RecursionError: deep" in cycle.summary()
    assert "still watching" in cycle.summary() and "\n" not in cycle.summary()
    monkeypatch.setattr(pipeline, "build", real)
    assert rebuild(sample_project, None, ("outline",)).error is None
