"""Runs every continuity rule on a resolved story and keeps what [check] and suppressions allow."""

from __future__ import annotations

import functools
import os
from dataclasses import replace
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from collections.abc import Callable

    from toolkit.diagnostics import Diagnostic
    from toolkit.resolve import Story


def run_checks(story: Story, size: int = 0) -> list[Diagnostic]:
    """Every finding of every rule family, sorted by place then code.

    ``[check]`` in the config decides which rules run (select, ignore) and how loud each is
    (severity); findings under an in-source ``fabula: ignore`` comment are left out. Pure:
    the same project and config always give the same list.

    ``size`` (characters of the sources; 0: not said) lets a large project be checked on two
    cores (toolkit/parallel.py): its dates and exits in a worker while the name rules work out
    their statistics here, and their many pairs judged half in each (name_variants.find_variants).
    """
    from toolkit import parallel
    from toolkit.checks.dates import check_dates
    from toolkit.checks.encoding import check_encoding, mojibake_files
    from toolkit.checks.names import NamePairs, check_after_exit, check_names, name_pairs
    from toolkit.checks.rules import RULES, matches
    from toolkit.checks.suppress import suppressions
    from toolkit.checks.wordlist import keep_every_word

    settings = story.config.check
    mojibake = mojibake_files(story.project, story.memo)  # once per file; the name rules leave those files out
    skip = frozenset(mojibake)

    def dates_and_exits() -> list[Diagnostic]:  # both read the story's timeline
        return [*check_dates(story), *check_after_exit(story)]

    paired: list[NamePairs] = []
    if size >= parallel.CONCURRENT_CHARACTERS:
        # Meanwhile this process works out the name statistics and the pairs to judge.
        language = story.config.language.split("-")[0].lower()
        jobs: list[Callable[[], object]] = [dates_and_exits]
        if size >= READ_AHEAD_CHARACTERS:
            jobs.append(functools.partial(_read_ahead, language, os.getpid()))
        dated, *words = parallel.each(jobs, size=size, here=lambda: paired.append(name_pairs(story, skip)))
        timed = cast("list[Diagnostic]", dated)
        if words and isinstance(words[0], (str, frozenset)):
            keep_every_word(language, words[0])
    else:
        timed = dates_and_exits()
    names = list(check_names(story, skip, exits=False, size=size, paired=paired[0] if paired else None))
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


# Where the worker that checks the dates also reads wordfreq's large list (``_read_ahead``). It
# reads it while the main process works out the name statistics and pairs, which take ~0.04 s a
# megabyte of text (the dates ~0.007 s a megabyte, the list ~0.09 s). On less text the main
# process, its pairs worked out, waited for the worker to finish reading a list that its judging
# may never ask for (a 300,000-word check took 6-8% longer, measured with benchmarks/check.py).
READ_AHEAD_CHARACTERS = 4_000_000


def _read_ahead(language: str, parent: int) -> str | frozenset[str] | None:
    """wordfreq's large list (wordlist.every_word), read by the worker that checks the dates once
    it has: judging a large text's near misses asks it (~0.1 s to read, once a process), and
    handed to the main process it is read in neither of the two that then judge the pairs (the
    judge's worker is forked from it). None where the main process (``parent``) runs this
    itself, having worked out its pairs first: it reads the list only if a pair asks for it."""
    if os.getpid() == parent:
        return None
    from toolkit.checks.wordlist import every_word

    return every_word(language)
