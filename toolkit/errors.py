"""The one error family raised inside fabula and printed once by the CLI."""

from __future__ import annotations

from toolkit.model import Span


class FabulaError(Exception):
    """Bad input or an impossible request: the CLI prints ``path:line: message`` and exits 2.

    ``span`` locates the problem where a line is known; ``path`` alone where only the file is.
    """

    def __init__(self, message: str, span: Span | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.path = path if path is not None else (span.path if span else None)

    def __reduce__(self) -> tuple[type[FabulaError], tuple[str, Span | None, str | None]]:
        # Pickled whole (span and path too) when a renderer in a worker process fails (parallel.py).
        return (type(self), (self.message, self.span, self.path))

    def __str__(self) -> str:
        if self.span is not None:
            return f"{self.span.path}:{self.span.line}: {self.message}"
        if self.path is not None:
            return f"{self.path}: {self.message}"
        return self.message
