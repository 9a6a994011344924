"""A Session checked after edit upon edit finds what a fresh `fabula check` of the same text finds.

The Session keeps parses, file texts and what the resolve and the rules worked out from each
chapter and scene (resolve.PartMemo) from one check to the next: nothing it keeps may make a
finding differ from a check that starts from nothing. Edits are random (seeded) and of the
kinds that move findings: a name mistyped, a date, a cue, a line gone or doubled, a file saved.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import copy_fixture
from toolkit import pipeline
from toolkit.errors import FabulaError

EDITS = [
    " Okonkow said so.",
    " Katharine said so.",
    " Stefen said so.",
    "\n\n*Tuesday, 7 March 2023.* The next day.\n\n",
    "\n\n*Friday, 8 March 2023.* A wrong weekday.\n\n",
    "\n\nOKONKOW\nI was here.\n\n",
    "\n\nMARGOT ^\nMe too.\n\n",
    "\n\n= DAY 12\n\n",
    "\n\nTobias said nothing.\n\n",
    " JaworskiÕs coat, and JaworskiÕs hat.",
    "\n\n<!-- fabula: ignore N101 -->\nOkonkow again.\n\n",
    "\n\n# DAY 3\n\n",
    "\n\nWREN\nHello.\n\n",  # a new cue: a new member of the cast
    " Wren walks in.",
    " WREN walks in.",
]


def _edit(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    at = rng.randrange(len(lines))
    how = rng.randrange(4)
    if how == 0:  # type at the end of a line
        lines[at] += rng.choice(EDITS)
    elif how == 1 and len(lines) > 3:  # a line gone
        del lines[at]
    elif how == 2:  # a line doubled
        lines.insert(at, lines[at])
    else:  # a new paragraph
        lines.insert(at, rng.choice(EDITS).strip("\n") + "\n")
    return "\n".join(lines)


def _fresh(root: Path, scratch: Path, buffers: dict[str, str]) -> tuple[object, ...]:
    """`fabula check` from nothing (no cache) of the project with the buffers saved, and who is
    present where (the outline's cast, which the Session keeps from check to check too)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("output"))
    for relative, text in buffers.items():
        (scratch / relative).write_text(text, encoding="utf-8")
    story, findings = pipeline.check(scratch, use_cache=False)
    return (*findings, story.presence)


def _seen(checked: pipeline.Checked) -> tuple[object, ...]:
    return (*checked.findings, checked.story.presence)


def _outcome(run: Callable[[], tuple[object, ...]]) -> tuple[object, ...]:
    """What a check gives, or the input error it stops at (an edit inside front matter can
    break its YAML): the Session must stop at the same error, and recover with the next edit."""
    try:
        return run()
    except FabulaError as error:
        return ("input error", str(error))


@pytest.mark.parametrize("seed", [1, 2, 3, 11, 15])
def test_random_edits_through_a_session_find_what_a_fresh_check_finds(tmp_path: Path, seed: int) -> None:
    root = copy_fixture("continuity", tmp_path)
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.suffix in (".md", ".fountain"))
    rng = random.Random(seed)
    session = pipeline.Session(root)
    buffers: dict[str, str] = {}
    previous = _seen(session.check())
    assert previous == _fresh(root, tmp_path / "fresh", buffers)
    changed = 0
    for _ in range(16):
        relative = rng.choice(files)
        before = buffers.get(relative, (root / relative).read_text(encoding="utf-8"))
        after = _edit(rng, before)
        if rng.random() < 0.25:  # saved: the file on disk changes, the buffer goes
            (root / relative).write_text(after, encoding="utf-8")
            buffers.pop(relative, None)
        else:
            buffers[relative] = after
        found = _outcome(lambda: _seen(session.check(dict(buffers))))
        assert found == _outcome(lambda: _fresh(root, tmp_path / "fresh", buffers)), relative
        changed += found != previous
        previous = found
    assert changed  # the edits really moved the findings
