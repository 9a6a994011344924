"""The one error family raised inside fabula and printed once by the CLI."""

from __future__ import annotations

from typing import Any

from toolkit.model import Span

# The longest message fabula prints for one error: a value quoted back is cut well before this.
MAX_MESSAGE = 400
EXCERPT = 60  # characters of a user's value quoted in a message


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
            text = f"{self.span.path}:{self.span.line}: {self.message}"
        elif self.path is not None:
            text = f"{self.path}: {self.message}"
        else:
            text = self.message
        return one_line(text)


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` on one line (line breaks and control characters shown escaped), at most ``limit``
    characters: whatever a file holds, an error stays one short line."""
    if text.isprintable() and len(text) <= limit:
        return text
    shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A user's value quoted back in a message: its repr, cut to ``limit`` characters.

    The value is never expanded whole: a huge list, a string of megabytes or a number of
    thousands of digits costs no more than a short one.
    """
    if isinstance(value, str):
        shown = repr(value[: limit + 1])
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        shown = f"a number of about {int(value.bit_length() * 0.30103)} digits"
    elif isinstance(value, list | tuple | dict | set):
        shown = f"a {'mapping' if isinstance(value, dict) else 'list'} of {len(value)} item{'s' * (len(value) != 1)}"
    else:
        shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"
