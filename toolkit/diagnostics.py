"""The finding a check reports: where, which rule, what is wrong, how bad."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from toolkit.model import Span

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding; sorts by place, then code, like a compiler's messages."""

    span: Span
    code: str  # stable rule code, e.g. "D102"
    message: str
    severity: Severity

    def format(self) -> str:
        """``path:line:col: CODE message``."""
        return f"{self.span}: {self.code} {self.message}"
