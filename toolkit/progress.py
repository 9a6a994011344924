"""Build progress on stderr: a rich bar on a terminal for builds over a second, plain lines otherwise."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.parallel import Step

BAR_DELAY = 1.0  # seconds: a build that finishes sooner never shows a bar


class Verbosity(IntEnum):
    QUIET = 0
    NORMAL = 1
    VERBOSE = 2


@dataclass
class Progress:
    """Told the name of each product before it is rendered (``step``), and ``finish`` at the end.

    On a terminal (and not quiet) a transient rich bar appears once the build has run for
    ``BAR_DELAY`` seconds; with ``verbose`` every product is also reported as a plain line with
    its time, which is what CI logs get. rich's Console honours NO_COLOR by itself.

    The timer that shows the bar is a thread, started at the first ``step``, not before: a build
    forks its worker before it renders (toolkit/parallel.py), and a process must not fork while
    a thread of its own runs (Python 3.12 warns that the child may deadlock).
    """

    total: int
    verbosity: Verbosity = Verbosity.NORMAL
    stream: IO[str] = field(default_factory=lambda: sys.stderr)
    terminal: bool | None = None  # None: ask the stream
    _bar: Any = None
    _task: Any = None
    _timer: threading.Timer | None = None
    _started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _current: tuple[str, float] | None = None
    _done: int = 0
    _shown: bool = False

    def __post_init__(self) -> None:
        if self.terminal is None:
            self.terminal = bool(getattr(self.stream, "isatty", lambda: False)())
        if self.terminal and self.verbosity >= Verbosity.NORMAL and self.total:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            console = Console(file=self.stream, force_terminal=True)
            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self._task = self._bar.add_task("building", total=self.total)

    def _start_timer(self) -> None:
        """Show the bar ``BAR_DELAY`` seconds after the build began (at once, if that is past)."""
        if self._bar is None or self._timer is not None:
            return
        self._timer = threading.Timer(max(0.0, BAR_DELAY - (time.monotonic() - self._started)), self._show)
        self._timer.daemon = True
        self._timer.start()

    def _show(self) -> None:
        with self._lock:
            if self._bar is not None and not self._shown:
                self._bar.start()
                self._shown = True

    def step(self, name: str, seconds: float | None = None) -> None:
        """``name`` is about to be rendered; or, given ``seconds``, was rendered in that time
        (by a concurrent build, which reports each product when it is done)."""
        self._start_timer()
        self._end_current()
        if seconds is not None:
            self._done += 1
            if self._bar is not None:
                self._bar.update(self._task, description="building", completed=self._done)
            if self.verbosity >= Verbosity.VERBOSE:
                self.line(f"built {name} in {seconds:.2f} s")
            return
        self._current = (name, time.perf_counter())
        if self._bar is not None:
            self._bar.update(self._task, description=f"building {name}", completed=self._done)

    def _end_current(self) -> None:
        if self._current is None:
            return
        name, started = self._current
        self._done += 1
        self._current = None
        if self._bar is not None:
            self._bar.update(self._task, completed=self._done)
        if self.verbosity >= Verbosity.VERBOSE:
            self.line(f"built {name} in {time.perf_counter() - started:.2f} s")

    def line(self, text: str) -> None:
        if self._bar is not None and self._shown:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=self.stream, flush=True)

    def finish(self, completed: bool = True) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()  # gone before the next build may fork (fabula watch builds again)
        if completed:
            self._end_current()
        with self._lock:
            if self._bar is not None and self._shown:
                self._bar.stop()
            self._bar = None


@contextlib.contextmanager
def progress_for(total: int, verbosity: Verbosity, stream: IO[str] | None = None) -> Iterator[Step]:
    """A ``step(name)`` callback for ``build()``; the bar is cleared even when the build fails."""
    progress = Progress(total, verbosity, stream if stream is not None else sys.stderr)
    try:
        yield progress.step
    except BaseException:
        progress.finish(completed=False)
        raise
    progress.finish()
