"""Continuity checks: pure functions from the model to diagnostics; they never print."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.config import Config
    from toolkit.diagnostics import Diagnostic
    from toolkit.model import Project, Timeline


def run_checks(project: Project, config: Config, timeline: Timeline) -> list[Diagnostic]:
    """Every finding of every rule family, sorted by place then code."""
    from toolkit.checks.dates import check_dates

    return sorted(set(check_dates(project, config, timeline)))
