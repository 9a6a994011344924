"""A day marker's kept hash is the hash dataclass would make: equal marks, equal hashes, same sets' order."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.conftest import story_of
from toolkit.model import DayMark


def test_a_marks_hash_is_its_fields_hash(sample_project: Path) -> None:
    marks = [resolved.mark for resolved in story_of(sample_project).timeline.marks]
    assert marks
    for mark in marks:
        values = tuple(getattr(mark, field.name) for field in dataclasses.fields(DayMark))
        assert hash(mark) == hash(values)
        twin = dataclasses.replace(mark)
        assert twin == mark and hash(twin) == hash(mark) and twin is not mark
