"""Parses one Markdown manuscript file into chapters, paragraphs and day-marked passages."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from toolkit.errors import FabulaError
from toolkit.model import Chapter, DayMark, FrontMatter, Paragraph, Passage, Span
from toolkit.parsers.markers import heading_mark, inline_mark, whole_mark

_CHAPTER_HEADING = re.compile(r" {0,3}#(?=[ \t]|$)[ \t]*(?P<title>.*?)(?:[ \t]+#+)?[ \t]*$")
_ANY_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(?P<fence>`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
# A word has a letter or digit; inner apostrophes and hyphens join ("don't", "well-known").
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_FRONT_KEYS = ("title", "date", "day", "summary", "pov", "flashback")


@functools.cache
def _no_dates_loader() -> type:
    """A SafeLoader that leaves dates as written, so "2023-02-30" reaches the D104 check.

    Made on first use: importing PyYAML costs ~10 ms, which a screenplay-only build never needs.
    """
    import yaml

    class _NoDatesLoader(yaml.SafeLoader):
        pass

    _NoDatesLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _NoDatesLoader


@dataclass(frozen=True)
class _Block:
    line: int  # 1-based line in the file
    text: str
    code: bool  # a fenced code block: no markers, no words


def parse_chapters(path: str, text: str) -> tuple[Chapter, ...]:
    """The chapters of one ``manuscript/*.md`` file; ``path`` is relative to the project root.

    A ``# `` heading (outside fenced code) starts a chapter; text before the first one is a
    chapter titled by front matter ``title`` or the file name. Front matter applies to the
    file's first chapter. A file always gives at least one chapter, even when empty.
    """
    lines = text.splitlines(keepends=True)
    front, front_mark, body_start = _front_matter(path, lines)
    starts = _chapter_starts(lines, body_start)
    preamble_end = starts[0] if starts else len(lines)
    pieces: list[tuple[int, int, re.Match[str] | None]] = []
    if not starts or any(line.strip() for line in lines[body_start:preamble_end]):
        pieces.append((body_start, preamble_end, None))
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        pieces.append((start, end, _CHAPTER_HEADING.match(lines[start].rstrip("\r\n"))))

    chapters = []
    for number, (start, end, heading) in enumerate(pieces):
        first = number == 0
        chapter_front = front if first else FrontMatter()
        title = heading["title"].strip() if heading else ""
        mark = None
        if heading:
            mark = heading_mark(title, Span(path, start + 1, heading.start("title") + 1))
        if mark is None and first:
            mark = front_mark
        span = Span(path, start + 1 if heading else 1)
        chapters.append(
            Chapter(
                span=span,
                title=title or chapter_front.title or _title_from_file(path),
                front=chapter_front,
                passages=_passages(lines, start + 1 if heading else start, end, mark, span),
                source="".join(lines[start:end]),
            )
        )
    return tuple(chapters)


def _title_from_file(path: str) -> str:
    """``manuscript/03-the-ferry.md`` → "The Ferry"."""
    stem = PurePosixPath(path).stem
    words = re.sub(r"^\d+[-_. ]*", "", stem).replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or stem


def _chapter_starts(lines: list[str], body_start: int) -> list[int]:
    """0-based indexes of the ``# `` heading lines, skipping fenced code."""
    starts = []
    fence = None
    for index in range(body_start, len(lines)):
        line = lines[index].rstrip("\r\n")
        fence = _next_fence(line, fence)
        if fence is None and _CHAPTER_HEADING.match(line) and not _FENCE.match(line):
            starts.append(index)
    return starts


def _next_fence(line: str, fence: str | None) -> str | None:
    """The fence open after ``line``, given the one open before it (CommonMark's rule)."""
    match = _FENCE.match(line)
    if fence is None:
        return match["fence"] if match else None
    closes = match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence)
    return None if closes and not line[match.end() :].strip() else fence


def _blocks(lines: list[str], start: int, end: int) -> list[_Block]:
    """Blank-line separated blocks; a fenced code block or an ATX heading is one block."""
    blocks: list[_Block] = []
    current: list[int] = []
    fence = None

    def flush() -> None:
        if current:
            first = lines[current[0]]
            text = "".join(lines[i] for i in current).rstrip("\r\n")
            blocks.append(_Block(current[0] + 1, text, bool(_FENCE.match(first))))
            current.clear()

    for index in range(start, end):
        line = lines[index].rstrip("\r\n")
        was_open = fence is not None
        fence = _next_fence(line, fence)
        if was_open or fence is not None:
            if not was_open:
                flush()
            current.append(index)
            if fence is None:
                flush()
        elif not line.strip():
            flush()
        elif _ANY_HEADING.match(line):
            flush()
            current.append(index)
            flush()
        else:
            current.append(index)
    flush()
    return blocks


def _passages(lines: list[str], start: int, end: int, mark: DayMark | None, chapter_span: Span) -> tuple[Passage, ...]:
    """Split a chapter at every paragraph that carries an inline marker."""
    path = chapter_span.path
    groups: list[tuple[Span, DayMark | None, list[_Block]]] = [(chapter_span, mark, [])]
    for block in _blocks(lines, start, end):
        span = Span(path, block.line)
        found = None if block.code else inline_mark(_blank_comments(block.text), span)
        if found is not None:
            _, last_mark, last_blocks = groups[-1]
            if last_blocks or last_mark is not None:
                groups.append((span, found, []))
            else:  # nothing before this marker: it marks the chapter's first passage
                groups[-1] = (span, found, [])
        groups[-1][2].append(block)
    return tuple(
        Passage(
            span=span,
            mark=passage_mark,
            paragraphs=tuple(Paragraph(Span(path, b.line), b.text) for b in blocks),
            words=sum(count_words(b.text) for b in blocks if not b.code),
        )
        for span, passage_mark, blocks in groups
    )


def _blank_comments(text: str) -> str:
    """HTML comments replaced by spaces, so markers inside them are not read but columns hold."""
    return _COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)


def count_words(markdown: str) -> int:
    """Words of prose in a Markdown block: no comments, image alt text, link targets or tags.

    Subheadings count (the reader reads them); the ``# `` chapter title is not passed here.
    """
    text = markdown
    if "<" in text:
        text = _TAG.sub(" ", _COMMENT.sub(" ", text))
    if "](" in text:
        text = _LINK.sub(r" \1 ", _IMAGE.sub(" ", text))
    return len(_WORD.findall(text))


# ---------------------------------------------------------------- front matter


def _front_matter(path: str, lines: list[str]) -> tuple[FrontMatter, DayMark | None, int]:
    """Front matter, its day mark, and the 0-based index of the first body line."""
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(), None, 0
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        raise FabulaError("front matter opened with '---' is never closed", Span(path, 1))
    raw = lines[1:close]
    import yaml

    try:
        data = yaml.load("".join(raw), Loader=_no_dates_loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        # An unclosed bracket is found at the end of the text: point at the last line, not past it.
        line = min(2 + mark.line, close) if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        raise FabulaError(f"invalid YAML in front matter: {problem}", Span(path, line)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FabulaError("front matter must be a mapping of keys such as 'title:' and 'date:'", Span(path, 2))

    def span_of(key: str) -> Span:
        pattern = re.compile(rf"""\s*["']?{re.escape(key)}["']?\s*:""")
        line = next((i for i, text in enumerate(raw) if pattern.match(text)), -1)
        return Span(path, line + 2 if line >= 0 else 1)

    # Writers keep their own keys (tags, status) here, as in novelWriter and Obsidian: ignored.
    values = {key: _front_value(key, data[key], span_of(key)) for key in _FRONT_KEYS if data.get(key) is not None}
    front = FrontMatter(**values)
    return front, _front_mark(front, raw, span_of), close + 1


def _front_value(key: str, value: Any, span: Span) -> Any:
    if key == "day":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FabulaError(f"front matter 'day' must be a whole number such as 4, not {value!r}", span)
        return value
    if key == "flashback":
        if not isinstance(value, bool):
            raise FabulaError(f"front matter 'flashback' must be true or false, not {value!r}", span)
        return value
    if isinstance(value, dict | list | bool):
        raise FabulaError(f"front matter '{key}' must be text, not {value!r}", span)
    return str(value).strip()


def _front_mark(front: FrontMatter, raw: list[str], span_of: Callable[[str], Span]) -> DayMark | None:
    """The mark that front matter ``date`` and ``day`` give; its text is their lines as written."""
    if front.date is None and front.day is None:
        return None
    keys = [key for key in ("date", "day") if getattr(front, key) is not None]
    spans = [span_of(key) for key in keys]
    text = "; ".join(raw[span.line - 2].strip() for span in spans if span.line >= 2)
    date = weekday = day = None
    if front.date is not None:
        parsed = whole_mark(front.date, spans[0], "front-matter")
        if parsed is None or parsed.date is None:
            raise FabulaError(
                f"front matter 'date' must be a date such as 2023-03-08 or 8 March 2023, not {front.date!r}",
                spans[0],
            )
        date, weekday, day = parsed.date, parsed.weekday, parsed.day
    if front.day is not None:
        day = front.day
    return DayMark(span=spans[0], text=text, kind="front-matter", date=date, weekday=weekday, day=day)
