"""Issue 16, Big Fish against afterwriting: the short cuts of a screenplay build give what the
long way gives (no timing here: benchmarks/speed.py times the build)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from toolkit.layout.page import Line, LineKind, placed_line
from toolkit.layout.text import slice_runs, wrap
from toolkit.model import Run


def test_cycles_are_collected_rarely_from_the_first_import() -> None:
    """fabula's imports run with the pipeline's collection threshold, not Python's default."""
    probe = "import gc, toolkit; print(gc.get_threshold())"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(tuple(toolkit_threshold()))


def toolkit_threshold() -> tuple[int, int, int]:
    from toolkit import GC_THRESHOLD
    from toolkit.pipeline import _GC_THRESHOLD

    assert GC_THRESHOLD == _GC_THRESHOLD
    return GC_THRESHOLD


@pytest.mark.parametrize("side", [0, 1, 2])
def test_a_placed_line_is_the_line_its_constructor_makes(side: int) -> None:
    runs = (Run("INT. HOUSE", bold=True),)
    made = Line(LineKind.HEADING, runs, 7, 0, "12A", side)
    placed = placed_line(LineKind.HEADING, runs, 7, 0, "12A", side)
    assert placed == made and hash(placed) == hash(made) and repr(placed) == repr(made)
    assert dataclasses.asdict(placed) == dataclasses.asdict(made)
    assert placed_line(LineKind.ACTION, (), 3, 10) == Line(LineKind.ACTION, (), 3, 10)
    with pytest.raises(dataclasses.FrozenInstanceError):
        placed.row = 8  # type: ignore[misc]


def test_a_text_that_fits_comes_back_as_it_is() -> None:
    text = (Run("He runs "), Run("fast", italic=True), Run("."))
    assert wrap(text, 61) == [slice_runs(text, 0, 13)]
    assert wrap(text, 61)[0] is text  # no runs made again for a line that needs no wrapping
    assert wrap(text, 13)[0] is text


@pytest.mark.parametrize(
    "text",
    [
        (Run(""),),
        (Run("He runs"), Run(""), Run(" fast")),
        (Run(""), Run("x")),
        (),
    ],
)
def test_a_text_with_empty_runs_drops_them_as_slicing_does(text: tuple[Run, ...]) -> None:
    size = sum(len(run.text) for run in text)
    assert wrap(text, 61) == [slice_runs(text, 0, size)]
