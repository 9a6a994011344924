"""`fabula watch`: rebuild through the cache whenever a source changes, and say what happened in one line."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import FabulaError
from toolkit.sources import BIBLE, CONFIG_NAME, MANUSCRIPT, SCREENPLAY

if TYPE_CHECKING:
    from toolkit.diagnostics import Diagnostic
    from toolkit.pipeline import BuildReport

WATCHED_FOLDERS = (MANUSCRIPT, SCREENPLAY)
WATCHED_FILES = (CONFIG_NAME, BIBLE)


@dataclass(frozen=True)
class Cycle:
    """One rebuild: what changed, what the checks found, what was written, or the input error."""

    changed: tuple[str, ...]  # paths relative to the project; empty for the first build
    findings: tuple[Diagnostic, ...]
    report: BuildReport | None
    error: FabulaError | None
    seconds: float
    title: str | None = None

    def summary(self) -> str:
        """One line: ``rebuilt outline.md, report.html (6 unchanged) · 0 findings · 0.21 s``."""
        if self.error is not None:
            return f"error: {self.error} · still watching · {self.seconds:.2f} s"
        assert self.report is not None
        written = ", ".join(path.name for path in self.report.written) or "nothing"
        unchanged = f" ({len(self.report.unchanged)} unchanged)" if self.report.unchanged else ""
        findings = len(self.findings)
        return f"rebuilt {written}{unchanged} · {findings} finding{'s' * (findings != 1)} · {self.seconds:.2f} s"


def rebuild(root: Path, out: Path | None, only: tuple[str, ...], changed: Iterable[str] = ()) -> Cycle:
    """Load, check and build through the cache; an error is returned, never raised.

    An input error, a file that cannot be written, and anything unexpected (an internal error,
    reported in one line as the command line reports it): ``watch`` reports it and keeps watching.
    """
    from toolkit import pipeline

    started = time.perf_counter()
    try:
        built = pipeline.build(root, out, only)
    except FabulaError as error:
        return Cycle(tuple(changed), (), None, error, time.perf_counter() - started)
    except OSError as error:
        failure = FabulaError(f"cannot write build output: {error.strerror or error}", path=error.filename)
        return Cycle(tuple(changed), (), None, failure, time.perf_counter() - started)
    except Exception as error:  # a bug must not end the session: the next save may build again
        failure = FabulaError(f"internal error: {type(error).__name__}: {error} (please report it)")
        return Cycle(tuple(changed), (), None, failure, time.perf_counter() - started)
    seconds = time.perf_counter() - started
    return Cycle(tuple(changed), built.findings, built.report, None, seconds, built.story.meta.title)


def is_source(root: Path, path: Path) -> bool:
    """A file whose change matters: under manuscript/ or screenplay/ (not hidden, not a backup),
    or fabula.toml / characters.yaml at the top."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    parts = relative.parts
    if not parts or any(part.startswith(".") for part in parts) or parts[-1].endswith("~"):
        return False
    return (len(parts) == 1 and parts[0] in WATCHED_FILES) or (len(parts) > 1 and parts[0] in WATCHED_FOLDERS)


def watch(
    root: Path,
    out: Path | None,
    only: tuple[str, ...],
    on_cycle: Callable[[Cycle], None],
    stop: threading.Event | None = None,
    debounce_ms: int = 200,
) -> None:
    """Build once, then rebuild after every batch of source changes until ``stop`` is set or Ctrl-C.

    The project folder is watched as a whole and filtered (``is_source``), so that a manuscript/
    folder or a fabula.toml created after the start is noticed too; writes into output/ are ignored.
    """
    import watchfiles

    on_cycle(rebuild(root, out, only))
    for changes in watchfiles.watch(
        root,
        watch_filter=lambda _change, path: is_source(root, Path(path)),
        stop_event=stop,
        debounce=debounce_ms,
        raise_interrupt=False,
    ):
        changed = sorted({Path(path).resolve().relative_to(root.resolve()).as_posix() for _, path in changes})
        on_cycle(rebuild(root, out, only, changed))
