"""The continuity rules by code: default severity, title, and the docstring that documents each."""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass

from toolkit.diagnostics import Severity


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # short kebab-case name, as SARIF and --explain show it
    severity: Severity  # default; [check.severity] in fabula.toml overrides it
    function: str  # "module:function" whose docstring documents the rule

    def doc(self) -> str:
        """The rule's documentation: the docstring of the function that checks it."""
        module_name, function_name = self.function.split(":")
        function = getattr(importlib.import_module(module_name), function_name)
        return inspect.cleandoc(function.__doc__ or "")

    @property
    def title(self) -> str:
        """The first line of the documentation without its code: "date order: a date earlier…"."""
        first = self.doc().splitlines()[0]
        return first.removeprefix(self.code).strip()


_DATES = "toolkit.checks.dates"
_NAMES = "toolkit.checks.names"
_ENCODING = "toolkit.checks.encoding"

# The order is the order of --explain and SARIF's rule list. Codes are stable: never reuse one.
RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("D101", "date-order", "error", f"{_DATES}:check_date_order"),
        Rule("D102", "weekday", "error", f"{_DATES}:check_weekday"),
        Rule("D103", "day-number", "error", f"{_DATES}:check_day_number"),
        Rule("D104", "impossible-date", "error", f"{_DATES}:check_impossible_date"),
        Rule("D105", "out-of-span", "warning", f"{_DATES}:check_out_of_span"),
        Rule("D106", "month-spelling", "warning", f"{_DATES}:check_month_spelling"),
        Rule("N101", "name-variant", "error", f"{_NAMES}:check_name_variants"),
        Rule("N102", "unknown-cue", "warning", f"{_NAMES}:check_unknown_cues"),
        Rule("N103", "given-name-conflict", "error", f"{_NAMES}:check_given_names"),
        Rule("N104", "after-exit", "error", f"{_NAMES}:check_after_exit"),
        Rule("N105", "cue-drift", "warning", f"{_NAMES}:check_cue_drift"),
        Rule("E101", "mojibake", "warning", f"{_ENCODING}:check_encoding"),
    )
}


def matches(code: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``code`` is one of ``patterns``, each a code ("N101") or a prefix ("N", "D10")."""
    return any(code.startswith(pattern) for pattern in patterns)


def unknown_codes(patterns: tuple[str, ...]) -> list[str]:
    """The patterns that select no rule at all: a typo such as "N110" should be an error."""
    return [pattern for pattern in patterns if not any(code.startswith(pattern) for code in RULES)]
