"""The finding a check reports: where, which rule, what is wrong, how bad, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from toolkit.model import Span

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``old``, written at ``span``, with ``new``: one change to a source file.

    ``old`` is the text the rule saw there; an edit whose file no longer says ``old`` at that
    place is not applied (the file changed since the check), never applied blindly.
    """

    span: Span
    old: str
    new: str


@dataclass(frozen=True)
class Fix:
    """A finding's correction, made by the rule that knows the right answer."""

    title: str  # "Replace Hemmingway with Hemingway", as an editor's code action names it
    edits: tuple[Edit, ...]
    # One right answer (a variant of a bible name, a weekday against a date written in full):
    # `fabula check --fix` applies it. Otherwise it is a guess that only an editor offers.
    safe: bool


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding; sorts by place, then code, like a compiler's messages."""

    span: Span
    code: str  # stable rule code, e.g. "D102"
    message: str
    severity: Severity
    fix: Fix | None = field(default=None, compare=False)
    # The names a name finding is about, as written first ("Hemmingway", then "Hemingway"): what
    # an editor offers to add to [check] names_ok or to a bible entry's ``distinct``.
    names: tuple[str, ...] = field(default=(), compare=False)

    def format(self) -> str:
        """``path:line:col: CODE message``."""
        return f"{self.span}: {self.code} {self.message}"
