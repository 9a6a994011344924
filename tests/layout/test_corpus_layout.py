"""Every real script of ../shared/corpus, paginated: no text lost, no (MORE) in mid-sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.layout import Layout, LineKind, paginate
from toolkit.layout.text import ends_sentence
from toolkit.model import Action, Dialogue, DualDialogue, SceneHeading, Screenplay, Transition, plain
from toolkit.parsers.fountain import parse_screenplay

SCRIPTS = [
    "fountain/big-fish",
    "fountain/brick-and-steel",
    "fountain/complete-and-utter-nonsense",
    "fountain/my-living-memory",
    "fountain/nemesis",
    "fountain/our-many-masks",
    "fountain/printing-trouble",
    "fountain/the-last-birthday-card",
    "fountain-pro/bright",
    "fountain-pro/community-remedial-chaos-theory",
    "fountain-pro/deeper",
    "fountain-pro/dexter-pilot",
]


def model_text(screenplay: Screenplay) -> str:
    """What the elements say, in printing order, without spaces (a line may break anywhere)."""
    parts: list[str] = []
    for element in screenplay.elements:
        if isinstance(element, SceneHeading | Transition):
            parts.append(plain(element.text).upper())
        elif isinstance(element, Action):
            parts += [plain(line) for line in element.lines]
        elif isinstance(element, Dialogue):
            parts += [plain(line.text) for line in element.lines]
        elif isinstance(element, DualDialogue):
            parts += [plain(line.text) for side in (element.left, element.right) for line in side.lines]
    return "".join("".join(parts).split())


def printed_text(layout: Layout) -> str:
    # Dual dialogue's sides come one after the other in a page's lines (Layout keeps them so).
    return "".join(
        "".join(line.text.split())
        for page in layout.pages
        for line in page.lines
        if line.kind not in (LineKind.MORE, LineKind.CHARACTER, LineKind.NOTE)
    )


@pytest.mark.parametrize("name", SCRIPTS)
def test_nothing_lost_and_no_more_in_mid_sentence(shared_dir: Path, name: str) -> None:
    text = (shared_dir / "corpus" / f"{name}.fountain").read_text(encoding="utf-8-sig")
    screenplay = parse_screenplay([(f"screenplay/{Path(name).name}.fountain", text)])
    layout = paginate(screenplay)
    assert printed_text(layout) == model_text(screenplay)
    for page, following in zip(layout.pages, layout.pages[1:], strict=False):
        lines = sorted(page.lines, key=lambda line: line.row)
        if lines and lines[-1].kind is LineKind.MORE:
            before = [line for line in lines if line.kind in (LineKind.DIALOGUE, LineKind.PARENTHETICAL)]
            last = before[-1]
            if last.kind is LineKind.PARENTHETICAL:  # "(beat)" above (MORE): the speech before it ends a sentence
                last = next(line for line in reversed(before) if line.kind is LineKind.DIALOGUE)
            assert ends_sentence(last.text), (page.number, last.text)
            top = min(following.lines, key=lambda line: line.row)
            assert top.kind is LineKind.CHARACTER and top.row == -1 and "(CONT" in top.text.upper()
        for line in page.lines:
            assert 0 <= line.row < 54 or (line.row == 54 and line.kind is LineKind.MORE) or line.row == -1
