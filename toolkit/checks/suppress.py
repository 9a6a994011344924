"""In-source suppression: ``<!-- fabula: ignore N101 -->`` and ``[[fabula: ignore N101]]``.

Like ruff's ``# noqa``, scoped to what follows: in Markdown the next paragraph (or, when the
comment shares a paragraph with text, that paragraph); in Fountain the next element (a cue
with its whole speech, an action block, a heading). No codes (``fabula: ignore``) silences
every rule there.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from toolkit.diagnostics import Diagnostic
from toolkit.model import BlockKind, Element, Note, Project, speakers

# A comment's or a note's text: "fabula: ignore", then the codes. Anchored, with no nested
# repetition: linear on any text.
_IGNORE = re.compile(r"\s*fabula:\s*ignore\b(?P<codes>.*)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Scope:
    path: str
    first: int  # first line covered
    last: int  # last line covered
    codes: tuple[str, ...]  # empty: every code


@dataclass(frozen=True)
class Suppressions:
    scopes: tuple[Scope, ...] = ()
    _by_path: dict[str, list[Scope]] = field(default_factory=dict, compare=False, repr=False)

    def covers(self, finding: Diagnostic) -> bool:
        for scope in self._by_path.get(finding.span.path, ()):
            if scope.first <= finding.span.line <= scope.last and (
                not scope.codes or any(finding.code.startswith(code) for code in scope.codes)
            ):
                return True
        return False


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code.upper() for code in re.findall(r"[A-Za-z]\d{0,3}", text))


def suppressions(project: Project) -> Suppressions:
    """Every ``fabula: ignore`` scope of the project."""
    scopes = [*_markdown_scopes(project), *_fountain_scopes(project)]
    by_path: dict[str, list[Scope]] = {}
    for scope in scopes:
        by_path.setdefault(scope.path, []).append(scope)
    return Suppressions(tuple(scopes), by_path)


def _markdown_scopes(project: Project) -> list[Scope]:
    """A comment standing alone covers the next block; one inside a block covers that block.

    A comment that ends a chapter covers the next chapter's heading, in the same file.
    """
    scopes = []
    chapters = project.chapters
    for number, chapter in enumerate(chapters):
        blocks = chapter.blocks
        for index, block in enumerate(blocks):
            for comment in block.comments:
                found = _IGNORE.match(comment.text)
                if found is None:
                    continue
                codes = _codes(found["codes"])
                if block.kind is not BlockKind.COMMENT:
                    scopes.append(Scope(block.span.path, block.span.line, block.last_line, codes))
                elif index + 1 < len(blocks):
                    target = blocks[index + 1]
                    scopes.append(Scope(target.span.path, target.span.line, target.last_line, codes))
                elif number + 1 < len(chapters) and chapters[number + 1].span.path == chapter.span.path:
                    heading = chapters[number + 1].span
                    scopes.append(Scope(heading.path, heading.line, heading.line, codes))
    return scopes


def _last_line(element: Element) -> int:
    lines = [element.span.line]
    for speaker in speakers(element):
        lines.extend(line.span.line for line in speaker.lines)
    lines.append(element.span.line + len(getattr(element, "lines", ())) - 1)
    return max(lines)


def _fountain_scopes(project: Project) -> list[Scope]:
    if project.screenplay is None:
        return []
    notes = [n for n in project.screenplay.elements if isinstance(n, Note) and _IGNORE.match(n.text)]
    if not notes:
        return []
    # Per file, the other elements by line: the next one below a note is found by bisection.
    by_path: dict[str, list[tuple[int, int, Element]]] = {}
    for order, element in enumerate(project.screenplay.elements):
        if not isinstance(element, Note):
            by_path.setdefault(element.span.path, []).append((element.span.line, order, element))
    for elements in by_path.values():
        elements.sort(key=lambda item: (item[0], item[1]))
    scopes = []
    for note in notes:
        # The next element below the note in the same file; a note on the line above a cue
        # belongs to that speech, though the parser lists it after the speech.
        elements = by_path.get(note.span.path, [])
        index = bisect.bisect_right(elements, note.span.line, key=lambda item: item[0])
        if index < len(elements):
            target = elements[index][2]
            found = _IGNORE.match(note.text)
            codes = _codes(found["codes"]) if found else ()
            scopes.append(Scope(note.span.path, target.span.line, _last_line(target), codes))
    return scopes
