"""Runs every continuity rule on a resolved story and keeps what [check] and suppressions allow."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.diagnostics import Diagnostic
    from toolkit.resolve import Story


def run_checks(story: Story, size: int = 0) -> list[Diagnostic]:
    """Every finding of every rule family, sorted by place then code.

    ``[check]`` in the config decides which rules run (select, ignore) and how loud each is
    (severity); findings under an in-source ``fabula: ignore`` comment are left out. Pure:
    the same project and config always give the same list.

    ``size`` (characters of the sources; 0: not said) lets a large project be checked on two
    cores (toolkit/parallel.py): its dates and exits in a worker while the name rules run here,
    and their many pairs judged half in each (name_variants.find_variants).
    """
    from toolkit import parallel
    from toolkit.checks.dates import check_dates
    from toolkit.checks.encoding import check_encoding, mojibake_files
    from toolkit.checks.names import check_after_exit, check_names
    from toolkit.checks.rules import RULES, matches
    from toolkit.checks.suppress import suppressions

    settings = story.config.check
    mojibake = mojibake_files(story.project, story.memo)  # once per file; the name rules leave those files out
    names: list[Diagnostic] = []

    def name_findings() -> None:
        names.extend(check_names(story, frozenset(mojibake), exits=False, size=size))

    def dates_and_exits() -> list[Diagnostic]:  # both read the story's timeline
        return [*check_dates(story), *check_after_exit(story)]

    if size >= parallel.CONCURRENT_CHARACTERS:
        (timed,) = parallel.each([dates_and_exits], size=size, here=name_findings)
    else:
        name_findings()
        timed = dates_and_exits()
    found = [*timed, *names, *check_encoding(mojibake)]
    suppressed = suppressions(story.project)
    kept = []
    for finding in set(found):
        if settings.select and not matches(finding.code, settings.select):
            continue
        if matches(finding.code, settings.ignore) or suppressed.covers(finding):
            continue
        severity = RULES[finding.code].severity
        # The most specific pattern wins: N104 = "error" over N1 = "warning", in any order.
        for pattern, level in sorted(settings.severity, key=lambda item: len(item[0])):
            if finding.code.startswith(pattern):
                severity = level
        kept.append(replace(finding, severity=severity))
    return sorted(kept)
