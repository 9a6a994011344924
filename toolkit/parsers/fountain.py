"""Parses Fountain scene files into the screenplay model, giving every element its source line."""

from __future__ import annotations

import array
import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from screenplain import types as sp_types
from screenplain.parsers import fountain as sp
from screenplain.richstring import Bold, Italic, RichString, Segment, Underline
from screenplain.richstring import parse_emphasis as _screenplain_emphasis

from toolkit.model import (
    Action,
    DayMark,
    Dialogue,
    DialogueLine,
    DualDialogue,
    Element,
    Note,
    PageBreak,
    RichText,
    Run,
    SceneHeading,
    Screenplay,
    ScreenplayPart,
    Section,
    Span,
    Synopsis,
    TitleField,
    Transition,
    cue_key,
)
from toolkit.parsers import fountain_intent
from toolkit.parsers.scenes import scenes_of

# screenplain uses U+E700..U+E706 as in-band emphasis markers; a stray one in the source makes
# parse_emphasis raise, so such characters (never typed by a writer) become U+FFFD. U+E707 is
# ours: the underscore of a "\_" escape, kept from screenplain's underlining.
_MAGIC_RE = re.compile("[\ue700-\ue707]")
_MAGIC = tuple(chr(code) for code in range(0xE700, 0xE708))
_UNDERSCORE = "\ue707"
_STAR = "\ue706"  # screenplain's own literal star, which it prints as "*"

# screenplain reads every line's emphasis with its parse_emphasis: a replace, three pattern
# substitutions with a template, another replace, a search for its markers, then a Segment and a
# RichString, even for a line with no "*" or "_" (most lines of a script): ~117 M instructions of
# Big Fish's 527 M parse (issue 16). A line holding none of the characters that function acts on
# ("*", "_" and its markers U+E700..U+E706: a "\\*" escape holds a "*") is one plain segment, as
# it would make it; every other line still goes to screenplain's own, which its parser calls by
# this module-level name.
_EMPHASIS_CHARS = re.compile("[*_\ue700-\ue706]")


def _parse_emphasis(source: str) -> RichString:
    """screenplain's ``parse_emphasis``, without its work for a line that has no emphasis."""
    if _EMPHASIS_CHARS.search(source) is not None:
        return _screenplain_emphasis(source)
    return RichString(Segment(source, ())) if source else RichString()


sp.parse_emphasis = _parse_emphasis


class _Line(NamedTuple):
    """One line as screenplain sees it, with the source offset of each of its characters.

    A named tuple rather than a frozen dataclass: one is made for every line of the script,
    and a tuple is made without a Python ``__init__`` (issue 16)."""

    text: str
    offsets: Sequence[int]  # a range where the line is the source as written (the usual case)
    start: int  # source offset where the line begins: the place of an empty line


class _Locator:
    """Turns source offsets of one file into Spans."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        # Machine integers, not a list of int objects: a 50 MB script has over a million lines.
        self.starts = array.array("q", [0])
        if "\r" not in text:  # line feeds only: each line starts one past the end of the one before
            self.starts.extend(itertools.accumulate(map((1).__add__, map(len, text.split("\n")[:-1]))))
        else:
            self.starts.extend(match.end() for match in sp.linebreak_re.finditer(text))

    def span(self, offset: int) -> Span:
        index = bisect.bisect_right(self.starts, offset) - 1
        return Span(self.path, index + 1, offset - self.starts[index] + 1)

    def line_span(self, line: _Line) -> Span:
        """The first non-space character of the line, or where it begins when it is blank."""
        indent = len(line.text) - len(line.text.lstrip())
        return self.span(line.offsets[indent] if indent < len(line.text) else line.start)

    def text_span(self, line: _Line, index: int) -> Span:
        """Where the character at ``index`` of the line is (a marker's span counts from there)."""
        return self.span(line.offsets[index]) if index < len(line.text) else self.line_span(line)

    def block_span(self, lines: Sequence[_Line]) -> Span:
        for line in lines:
            if line.text.strip():
                return self.line_span(line)
        return self.line_span(lines[0])


def _split_lines(text: str, offsets: Sequence[int], first_start: int) -> list[_Line]:
    """Splits located text at line breaks (the same breaks screenplain splits at)."""
    return list(_iter_lines(text, offsets, first_start))


def _iter_lines(text: str, offsets: Sequence[int], first_start: int) -> Iterator[_Line]:
    """``_split_lines`` one line at a time: a whole script's lines are never held at once."""
    if "\r" not in text:  # line feeds only (the usual case): str.split finds the same breaks
        begin = 0
        for piece in text.split("\n"):
            end = begin + len(piece)
            start = first_start if begin == 0 else offsets[begin - 1] + 1
            span = offsets[begin:end]
            yield _Line(piece, span if isinstance(span, range) else tuple(span), start)
            begin = end + 1
        return
    yield from _iter_broken_lines(text, offsets, first_start)


def _iter_broken_lines(text: str, offsets: Sequence[int], first_start: int) -> Iterator[_Line]:
    """``_iter_lines`` at every break screenplain splits at (``\\r\\n``, ``\\n``, ``\\r``)."""
    begin = 0
    for match in itertools.chain(sp.linebreak_re.finditer(text), (None,)):
        end = match.start() if match else len(text)
        start = first_start if begin == 0 else offsets[begin - 1] + 1
        span = offsets[begin:end]
        yield _Line(text[begin:end], span if isinstance(span, range) else tuple(span), start)
        if match:
            begin = match.end()


def _literal(text: str) -> str:
    """Text as printed: an escaped or URL underscore or star is itself again."""
    return text.replace(_UNDERSCORE, "_").replace(_STAR, "*")


def _as_written(line: _Line) -> _Line:
    """The line with a blank of spaces made empty, and the ``_`` and ``*`` of ``\\_`` escapes
    and of URLs kept from screenplain's emphasis (toolkit.parsers.fountain_intent says why)."""
    if line.text and fountain_intent.is_blank(line.text):
        return _Line("", (), line.start)
    drop = set(fountain_intent.escaped_underscores(line.text))
    literal = drop | fountain_intent.url_marks(line.text)
    if not literal:
        return line
    keep = [index for index in range(len(line.text)) if index not in drop]
    text = "".join(
        {"_": _UNDERSCORE, "*": _STAR}[line.text[index]] if index - 1 in drop or index in literal else line.text[index]
        for index in keep
    )
    return _Line(text, tuple(line.offsets[index] for index in keep), line.start)


def _expand_tabs(line: _Line) -> _Line:
    """``str.expandtabs(4)`` as screenplain does, each space keeping the tab's offset."""
    if "\t" not in line.text:
        return line
    chars: list[str] = []
    offsets: list[int] = []
    for char, offset in zip(line.text, line.offsets, strict=True):
        width = 4 - len(chars) % 4 if char == "\t" else 1
        chars.extend(" " * width if char == "\t" else char)
        offsets.extend([offset] * width)
    return _Line("".join(chars), tuple(offsets), line.start)


# A run of more than this many spaces (or other white space), asterisks or underscores in one line is cut to this
# length before screenplain reads the line: several of its patterns (a scene heading's
# ``(\S.*?)\s*$``, bold's ``(.+?[*_]*)\*\*``) take time in the square of such a run, and no
# page is wider than a few dozen of them.
MAX_RUN = 100


_LONG_RUN = re.compile(rf"\s{{{MAX_RUN + 1}}}|\*{{{MAX_RUN + 1}}}|_{{{MAX_RUN + 1}}}")
_RUNS = tuple(char * (MAX_RUN + 1) for char in " *_")
# White space (str.isspace, the pattern's \s) that a line can hold besides spaces and tabs: a
# line holds no line break, and a line with a tab is looked at alone (_prepared).
_OTHER_SPACE = (
    "\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def _may_hold_long_runs(text: str) -> bool:
    """Whether a line of ``text`` without a tab may hold a run that ``_short_runs`` cuts.

    Such a line holds no line break, so its run of white space is spaces and the kinds in
    ``_OTHER_SPACE``: with those made spaces (a replace each, of the few the text holds), every
    run is found by a plain substring search. The pattern searched over the whole text read
    every character several times: ~85 M instructions for Big Fish, a seventh of its parse
    (issue 16). A true answer only has each line looked at (``_short_runs``)."""
    for char in _OTHER_SPACE:
        if char in text:
            text = text.replace(char, " ")
    return any(run in text for run in _RUNS)


def _short_runs(line: _Line) -> _Line:
    """The line with each run of over MAX_RUN white space characters (of any kind, mixed),
    ``*`` or ``_`` cut to MAX_RUN (offsets kept)."""
    if _LONG_RUN.search(line.text) is None:
        return line
    chars: list[str] = []
    offsets: list[int] = []
    previous, run = "", 0
    for char, offset in zip(line.text, line.offsets, strict=True):
        kind = " " if char.isspace() else char
        run = run + 1 if kind == previous else 1
        previous = kind
        if run <= MAX_RUN or kind not in " *_":
            chars.append(char)
            offsets.append(offset)
    return _Line("".join(chars), tuple(offsets), line.start)


def _spans(text: str, opening: str, closing: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each ``opening … closing`` in ``text``, as the lazy pattern
    ``opening.*?closing`` (DOTALL) finds them, by a forward scan: an opening with no closing
    after it means no later one closes either (the pattern searched again from each opening
    took quadratic time)."""
    position = text.find(opening)
    while position >= 0:
        close = text.find(closing, position + len(opening))
        if close < 0:
            return
        yield position, close + len(closing)
        position = text.find(opening, close + len(closing))


def _source_lines(text: str) -> Iterator[_Line]:
    """The file's lines with boneyards removed but their line breaks kept.

    screenplain deletes ``/* ... */`` with the line breaks inside it; we keep those breaks so
    that every later line stays on its own source line (a writer counts lines in the editor).
    """
    if "/*" not in text:  # no boneyard: every character is where it was written
        return _prepared(text, _iter_lines(text, range(len(text)), 0))
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for start, end in _spans(text, "/*", "*/"):
        pieces.append(text[position:start])
        offsets.extend(range(position, start))
        for line_break in sp.linebreak_re.finditer(text, start, end):
            pieces.append(line_break.group())
            offsets.extend(range(line_break.start(), line_break.end()))
        position = end
    pieces.append(text[position:])
    offsets.extend(range(position, len(text)))
    kept = "".join(pieces)
    return _prepared(kept, _iter_lines(kept, offsets, 0))


def _prepared(text: str, lines: Iterator[_Line]) -> Iterator[_Line]:
    """Each of ``lines`` (of ``text``) through ``_expand_tabs``, ``_short_runs`` and ``_as_written``.

    What none of the lines can need is looked for once in the whole text, not line by line:
    a tab; a run too long (a line with a tab is looked at alone: its tab widens into spaces);
    an escaped underscore or a web address. Usually only the blank-line test is left for each line."""
    tabs = "\t" in text
    long_runs = _may_hold_long_runs(text)
    literal = "\\_" in text or "://" in text or "www." in text
    for line in lines:
        if tabs and "\t" in line.text:  # widened, its spaces may make a run too long
            line = _short_runs(_expand_tabs(line))
        elif long_runs:
            line = _short_runs(line)
        if literal:
            yield _as_written(line)
        elif line.text and fountain_intent.is_blank(line.text):
            yield _Line("", (), line.start)
        else:
            yield line


def _rich(value: RichString) -> RichText:
    return tuple(
        Run(_literal(segment.text), Italic in segment.styles, Bold in segment.styles, Underline in segment.styles)
        for segment in value.segments
    )


# toolkit.parsers.markers (its patterns, the calendar's words) is imported by the first
# section or synopsis: a script with neither does not wait for it (issue 16).


def _section_mark(text: str, span: Span) -> DayMark | None:
    from toolkit.parsers import markers

    return markers.heading_mark(text, span)


def _synopsis_mark(text: str, span: Span) -> DayMark | None:
    from toolkit.parsers import markers

    return markers.heading_mark(text, span) or markers.inline_mark(text, span)


def _title_values(head: list[_Line]) -> tuple[dict[str, list[str]], bool] | None:
    """The title page's keys and values, and whether screenplain read them (else our repair)."""
    texts = [line.text for line in head]
    values = sp.parse_title_page(texts)
    if values:
        return values, True
    values = fountain_intent.title_page(texts)
    return (values, False) if values else None


def _title_page(
    locator: _Locator, head: list[_Line], values: dict[str, list[str]], strict: bool
) -> tuple[TitleField, ...]:
    """Title fields, each located at the first line of its key."""
    spans: dict[str, Span] = {}
    if strict:
        index = 0
        # The walk mirrors screenplain's parse_title_page, only to learn where each key is.
        while index < len(head):
            key_match = sp.title_page_key_re.match(head[index].text)
            if not key_match:
                break
            spans.setdefault(key_match.group(1).capitalize(), locator.line_span(head[index]))
            index += 1
            if not key_match.group(2):
                while index < len(head) and sp.title_page_value_re.match(head[index].text):
                    index += 1
    else:
        for index in fountain_intent.title_key_lines([line.text for line in head]):
            key = head[index].text.split(":", 1)[0].strip().capitalize()
            spans.setdefault(key, locator.line_span(head[index]))
    return tuple(
        TitleField(
            spans.get(key, locator.line_span(head[0])),
            _literal(key),
            tuple(_literal(value) for value in key_values),
            tuple(_rich(sp.parse_emphasis(value.strip())) for value in key_values),
        )
        for key, key_values in values.items()
    )


class _Builder:
    """Feeds paragraphs to screenplain one at a time and converts what each one added."""

    def __init__(self) -> None:
        # screenplain's own list, as parse_body builds it (screenplain has no type information)
        self.paragraphs: list[Any] = []
        self.where: list[int] = []  # index in self.elements of each screenplain paragraph
        self.elements: list[Element] = []
        self.synopsis_owner: dict[int, int] = {}  # synopsis element index -> its heading/section (-1: none)
        # Each cue as written -> that text and its key, one string each however many speeches
        # it heads: a script's thousands of speeches have a few dozen cues (issue 16: memory).
        self.cues: dict[str, tuple[str, str]] = {}
        self.file_start = False
        # Set when a paragraph was read while no paragraph of this builder came before it, and
        # what came before could have changed its reading (a "^" dual cue, a "=" synopsis):
        # a file parsed alone (parse_part) then cannot be joined to the others as it is.
        self.leaned = False

    def add_file(self, locator: _Locator, lines: Iterable[_Line]) -> None:
        # A file boundary separates paragraphs as a blank line would.
        self.file_start = True
        # Lines of spaces are empty by now (_as_written): only an empty line separates paragraphs.
        paragraph: list[_Line] = []
        for line in itertools.chain(lines, (_Line("", (), 0),)):
            if line.text:
                paragraph.append(line)
                continue
            if not paragraph:
                continue
            splits = fountain_intent.heading_splits([line.text for line in paragraph]) if len(paragraph) > 1 else []
            if splits:
                for start, end in itertools.pairwise([0, *splits, len(paragraph)]):
                    self._add_paragraph(locator, paragraph[start:end])
                    self.file_start = False
            else:
                self._add_paragraph(locator, paragraph)
                self.file_start = False
            paragraph = []

    def _add_paragraph(self, locator: _Locator, group: list[_Line]) -> None:
        text = "\n".join(line.text for line in group)
        lines, notes = _remove_notes(locator, group) if "[[" in text else (group, [])
        if lines and (text if lines is group else "\n".join(line.text for line in lines)) not in ("", " "):
            self._add_lines(locator, lines)
            # screenplain (and this builder) only ever looks at the last paragraph: one it has
            # made; keeping every one for the whole script held 30 times its size in memory.
            del self.paragraphs[:-1], self.where[:-1]
        self.elements.extend(notes)

    def _add_lines(self, locator: _Locator, lines: list[_Line]) -> None:
        dual = lines[0].text.rstrip().endswith("^")
        if not self.paragraphs and (dual or all(line.text.startswith("=") for line in lines)):
            self.leaned = True
        if self._standalone_synopsis(lines):
            for line in lines:
                self.synopsis_owner[len(self.elements)] = -1
                self.elements.append(self._synopsis(locator, line, line.text[1:].lstrip()))
            return
        before = len(self.paragraphs)
        last = self.paragraphs[-1] if self.paragraphs else None
        sp.InputParagraph([line.text for line in lines]).update_list(self.paragraphs)
        added = self.paragraphs[before:]
        if added and isinstance(added[0], sp_types.Section):
            self._add_sections(locator, lines, added)
        elif added:
            self._append(self._convert(locator, lines, added[0]))
        elif self.paragraphs[-1] is last:
            # A lone "= text" paragraph became the synopsis of the previous heading or section.
            owner = self.where[-1]
            self.synopsis_owner[len(self.elements)] = owner
            synopsis = last.synopsis
            self.elements.append(self._synopsis(locator, lines[0], synopsis))
        else:
            # "NAME ^": screenplain popped the previous Dialog and appended a DualDialog.
            index = self.where.pop()
            left = self.elements[index]
            assert isinstance(left, Dialogue)
            right = self._dialogue(locator, lines, self.paragraphs[-1].right)
            self.elements[index] = DualDialogue(left.span, left, right)
            self.where.append(index)

    def _standalone_synopsis(self, lines: list[_Line]) -> bool:
        """A ``= …`` paragraph that belongs to no heading or section: at the top of a file, or
        after dialogue or action. screenplain would print it as action; a writer means a
        synopsis (never printed), and one that carries a day marker dates the scenes after it.
        """
        if not all(line.text.startswith("=") and not sp.page_break_re.match(line.text) for line in lines):
            return False
        attachable = bool(self.paragraphs) and hasattr(self.paragraphs[-1], "set_synopsis")
        return self.file_start or not attachable

    def _append(self, element: Element) -> None:
        self.where.append(len(self.elements))
        self.elements.append(element)

    def _add_sections(self, locator: _Locator, lines: list[_Line], added: list[object]) -> None:
        # append_sections_and_synopsises accepted every line: "#..." sections, "=" synopses.
        sections = iter(added)
        owner = -1
        for line in lines:
            match = sp.section_re.match(line.text)
            if match:
                section = next(sections)
                assert isinstance(section, sp_types.Section)
                text = _literal(str(section.text)).strip()
                mark = _section_mark(text, locator.text_span(line, match.start(2)))
                owner = len(self.elements)
                written = match.group(2)
                at = locator.text_span(line, match.start(2) + len(written) - len(written.lstrip()))
                self._append(Section(locator.line_span(line), text, section.level, mark, at.col))
            else:
                self.synopsis_owner[len(self.elements)] = owner
                self.elements.append(self._synopsis(locator, line, line.text[1:].lstrip()))

    @staticmethod
    def _synopsis(locator: _Locator, line: _Line, text: str) -> Synopsis:
        text = _literal(text).strip()
        # The marker's span is reckoned from where the text starts, after "= ".
        start = locator.text_span(line, len(line.text) - len(line.text[1:].lstrip()))
        return Synopsis(locator.line_span(line), text, _synopsis_mark(text, start), start.col)

    def _convert(self, locator: _Locator, lines: list[_Line], paragraph: object) -> Element:
        # Dialogue and action find their own spans: the first line's is made only where it is used.
        if isinstance(paragraph, sp_types.Dialog):
            return self._dialogue(locator, lines, paragraph)
        if isinstance(paragraph, sp_types.Slug):
            number = _literal(str(paragraph.scene_number)) if paragraph.scene_number is not None else None
            return SceneHeading(locator.line_span(lines[0]), _rich(paragraph.line), number)
        if isinstance(paragraph, sp_types.Transition):
            return Transition(locator.line_span(lines[0]), _rich(paragraph.line))
        if isinstance(paragraph, sp_types.PageBreak):
            return PageBreak(locator.line_span(lines[0]))
        assert isinstance(paragraph, sp_types.Action), type(paragraph)
        action_lines = tuple(_rich(line) for line in paragraph.lines)
        # Fountain lyrics: "~" opens every line. screenplain keeps them as action with the "~".
        lyric = bool(action_lines) and all(line and line[0].text.startswith("~") for line in action_lines)
        if lyric:
            action_lines = tuple(_without_tilde(line) for line in action_lines)
        return Action(locator.block_span(lines), action_lines, paragraph.centered, lyric=lyric)

    def _dialogue(self, locator: _Locator, lines: list[_Line], dialog: sp_types.Dialog) -> Dialogue:
        written = _literal(_without_caret(str(dialog.character)))
        known = self.cues.get(written)
        if known is None:
            known = self.cues[written] = written, cue_key(written)
        cue, name = known
        spoken = tuple(
            DialogueLine(locator.line_span(line), _rich(text), parenthetical)
            for line, (parenthetical, text) in zip(lines[1:], dialog.blocks, strict=True)
        )
        return Dialogue(locator.line_span(lines[0]), cue, name, spoken)


def _without_caret(cue: str) -> str:
    """The cue without the dual-dialogue "^" that ends it, and without outer spaces (string
    methods: a pattern for "spaces, ^, spaces, end" backtracked over every run of spaces)."""
    cue = cue.rstrip()
    return (cue[:-1] if cue.endswith("^") else cue).strip()


def _without_tilde(line: RichText) -> RichText:
    first = line[0]
    rest = Run(first.text[1:], first.italic, first.bold, first.underline)
    return (rest, *line[1:]) if rest.text else line[1:]


def _remove_notes(locator: _Locator, group: list[_Line]) -> tuple[list[_Line], list[Note]]:
    """The paragraph's lines without ``[[notes]]``, and the notes as elements.

    Unlike screenplain, a line that held nothing but notes is dropped rather than kept empty,
    so a note above a cue (``[[fabula: ignore N101]]``) does not turn dialogue into action.
    """
    text = "\n".join(line.text for line in group)
    matches = list(_spans(text, "[[", "]]")) if "[[" in text else []
    if not matches:
        return group, []
    offsets: list[int] = []
    for index, line in enumerate(group):
        offsets.extend(line.offsets)
        if index + 1 < len(group):
            offsets.append(group[index + 1].start - 1)  # the joining newline ends the line
    kept_text: list[str] = []
    kept_offsets: list[int] = []
    noted_lines: set[int] = set()
    kept_lines = 0  # line breaks kept so far: counted piece by piece, never the whole text again
    position = 0
    for start, end in matches:
        kept_text.append(text[position:start])
        kept_offsets.extend(offsets[position:start])
        kept_lines += text.count("\n", position, start)
        noted_lines.add(kept_lines)
        position = end
    kept_text.append(text[position:])
    kept_offsets.extend(offsets[position:])
    lines = _split_lines("".join(kept_text), kept_offsets, group[0].start)
    lines = [line for index, line in enumerate(lines) if line.text.strip() or index not in noted_lines]
    notes = [Note(locator.span(offsets[start]), _literal(text[start + 2 : end - 2]).strip()) for start, end in matches]
    return lines, notes


def parse_part(path: str, text: str, first: bool) -> ScreenplayPart:
    """One scene file parsed alone (``first``: the file that may open with a title page), for
    ``join_parts``: the same elements as the file's share of ``parse_screenplay``, unless the
    part ``leans`` on the file before it."""
    builder = _Builder()
    title_page = _add_file(builder, path, text, first)
    owners = tuple(sorted(builder.synopsis_owner.items()))
    return ScreenplayPart(path, title_page, tuple(builder.elements), owners, builder.leaned)


def _add_file(builder: _Builder, path: str, text: str, first: bool) -> tuple[TitleField, ...]:
    """Feed one file to ``builder``; its title page, if ``first`` and it has one."""
    text = text.removeprefix("\ufeff")
    if any(char in text for char in _MAGIC):  # a substring search each, not the pattern's scan
        text = _MAGIC_RE.sub("\ufffd", text)
    text = fountain_intent.repair_mojibake(text)
    locator = _Locator(path, text)
    lines: Iterable[_Line] = _source_lines(text)
    title_page: tuple[TitleField, ...] = ()
    if first:
        rest = iter(lines)
        head: list[_Line] = []
        ending: list[_Line] = []  # the empty line that ends the head, when there is one
        for line in rest:
            (ending if line.text == "" else head).append(line)
            if ending:
                break
        found = _title_values(head)
        if found:
            title_page = _title_page(locator, head, *found)
            lines = rest
        else:
            lines = itertools.chain(head, ending, rest)
    builder.add_file(locator, lines)
    return title_page


def parse_screenplay(files: Sequence[tuple[str, str]]) -> Screenplay:
    """Parses scene files, given as (path relative to project root, text) in reading order.

    The files are one screenplay read end to end: a paragraph never spans two files, but a
    ``^`` dual cue at the top of a file attaches to the last dialogue of the file before, as if
    the files were concatenated. A ``=`` synopsis at the top of a file, or one that follows
    action or dialogue, stands alone: it is not printed, and its day marker dates the scenes
    that follow it.

    Only the first file may open with a title page. The same lines at the top of a later file
    are parsed as body text, as screenplain would parse them after a blank line: raising an
    error would be wrong, because screenplain takes any first paragraph whose lines all hold a
    colon ("Note: Bob is late.") for a title page, and in the middle of a script a writer means
    such a paragraph as action.

    Where we knowingly differ from screenplain (every other classification is screenplain's):
    the line breaks inside a boneyard are kept, so text after ``*/`` stays on its own line; a
    line holding nothing but ``[[notes]]`` is dropped, not kept as an empty line; a paragraph
    of notes alone yields Note elements and no empty action.
    """
    builder = _Builder()
    title_page: tuple[TitleField, ...] = ()
    for number, (path, text) in enumerate(files):
        found = _add_file(builder, path, text, number == 0)
        title_page = found if number == 0 else title_page
    elements = tuple(builder.elements)
    return Screenplay(
        files=tuple(path for path, _ in files),
        title_page=title_page,
        elements=elements,
        scenes=scenes_of(elements, builder.synopsis_owner),
    )
