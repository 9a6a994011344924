"""Parses one Markdown manuscript file into chapters, typed blocks and day-marked passages.

The block structure comes from markdown-it-py, a CommonMark parser (with its footnote plugin),
run once per file with its inline stage switched off: every later stage reads the blocks it
leaves in the model, and none looks at the Markdown again. Two rules of our own sit on top,
because writers are not programmers:

- Indented text is prose, never code (markdown-it's indented-code rule is off): a chapter
  whose paragraphs are mostly indented (a tab or four spaces, the word-processor habit) is
  ordinary paragraphs; where only some paragraphs are indented in a chapter of flush prose
  (a letter, a telegram, a verse), each run of them is one block quote. A writer who really
  wants code uses a fence.
- A line of spaced asterisks (``*     *     *``), indented or not, is a scene break.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from toolkit.errors import FabulaError, excerpt
from toolkit.model import MAX_DAY, PROSE_KINDS, Block, BlockKind, Chapter, Comment, DayMark, FrontMatter, Passage, Span
from toolkit.parsers.calendar_words import calendar_words
from toolkit.parsers.documents import document_title, heading_year
from toolkit.parsers.markers import heading_mark, inline_mark, whole_mark
from toolkit.sources import clean_text
from toolkit.words import count_words

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_FRONT_KEYS = ("title", "date", "day", "summary", "pov", "flashback", "language", "year", "stream")
_NEWLINE = re.compile(r"\r\n?|\n")  # CommonMark's line endings, as markdown-it splits them
_TAB = 4
_INDENT = 4  # columns of indentation that CommonMark would read as code


@functools.cache
def _markdown() -> MarkdownIt:
    """markdown-it for block structure only: CommonMark, pipe tables, footnotes, no indented code.

    The inline stage is off (the book's inline Markdown is pandoc's to read), and so is the
    footnote plugin's tail, which would move footnote definitions to the end: they stay
    where the writer put them, with their lines. Its "normalize" rule is off too: the text
    comes split into lines (no carriage returns), and ``_blocks`` replaces any NUL as it would.
    """
    return new_parser()


def prepare(language: str) -> None:
    """The parse's one-time set-up done now (markdown-it imported and built, ``language``'s
    calendar words read from CLDR): before a fork, so that the processes that then parse share it."""
    _markdown()
    calendar_words(language)


def new_parser(one_terminator: bool = True) -> MarkdownIt:
    """A parser as ``_markdown`` has it; without ``one_terminator``, with markdown-it's own
    chains of rules where a block starts and where a paragraph may end (tests compare the two)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    parser = MarkdownIt("commonmark").disable("code").enable("table").use(footnote_plugin)
    parser.core.ruler.disable(["normalize", "inline", "text_join", "footnote_tail"])
    if one_terminator:
        _one_terminator(parser)
        _one_block_rule(parser)
    return parser


# What a line must start with (its first character after indentation) for each block rule to
# take it: the first test each of markdown-it's rules makes. A table is told by the line after
# it ("|", "-" or ":").
_RULE_STARTS = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "footnote_def": "[",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}
_TABLE_RULE_STARTS = "|-:"
RuleFunction = Callable[[Any, int, int, bool], bool]


def _asking(chain: list[Any], silent: bool) -> RuleFunction | None:
    """One rule for a chain of markdown-it's block rules: it asks, in their order and with the
    same arguments, only the rules that the line's first character lets take it (the others
    would say no at their first test, before changing anything); a rule ``_RULE_STARTS`` does
    not know is always asked. None when the chain is not as this expects (a table rule that
    is not the first)."""
    if not chain or any(rule.name == "table" for rule in chain[1:]):
        return None
    table = chain[0].fn if chain[0].name == "table" else None
    others = [rule for rule in chain if rule.name != "table"]
    if not silent and [rule.name for rule in others[-2:]] == ["lheading", "paragraph"]:
        # Every line's last two rules: one scan of the lines for both (see _setext_or_paragraph).
        joint = _setext_or_paragraph(others[-2].fn, others[-1].fn)
        others[-2:] = [_Rule("fabula_setext_or_paragraph", joint)]
    always = tuple(rule.fn for rule in others if rule.name not in _RULE_STARTS)
    by_start = {
        char: tuple(rule.fn for rule in others if char in _RULE_STARTS.get(rule.name, char))
        for char in "".join(_RULE_STARTS.values())
    }

    def ask(state: Any, line: int, end: int, called_silent: bool) -> bool:
        if bool(called_silent) != silent:
            return False  # asked as the other kind of chain: not this one's business
        if table is not None and line + 2 <= end:
            following = state.bMarks[line + 1] + state.tShift[line + 1]
            if (
                following < state.eMarks[line + 1]
                and state.src[following] in _TABLE_RULE_STARTS
                and table(state, line, end, silent)
            ):
                return True
        start = state.bMarks[line] + state.tShift[line]
        first = state.src[start] if start < state.eMarks[line] else ""
        return any(rule(state, line, end, silent) for rule in by_start.get(first, always))

    if silent and not always:
        # What a paragraph's scan needs to skip the call for a line this says no to without
        # asking any rule: the characters a line that ends it may start with (see _Ends).
        vars(ask)["ends"] = _Ends(frozenset(by_start), table is not None)
    return ask


@dataclass(frozen=True)
class _Ends:
    """The lines a paragraph's terminator (``_asking``'s silent rule) may say yes to: those whose
    first character (after indentation) is in ``starts``, and, with ``table``, those followed by
    a line that starts with one of ``_TABLE_RULE_STARTS``; it says no to every other line."""

    starts: frozenset[str]
    table: bool


@dataclass(frozen=True)
class _Rule:
    name: str
    fn: RuleFunction


def _setext_or_paragraph(lheading: RuleFunction, paragraph: RuleFunction) -> RuleFunction:
    """markdown-it's ``lheading`` rule, then its ``paragraph`` rule where that says no, in one
    scan of the lines. ``lheading`` reads the lines after the first until an empty one, a line
    that ends a paragraph (its terminator rules), or an underline (``===``, ``---``): without an
    underline it says no, and ``paragraph`` reads the very same lines again, asking the same
    rules, then makes the paragraph of them. This reads them once: an underline found is a
    heading, left to ``lheading`` itself; otherwise the paragraph is made here as ``paragraph``
    makes it. Only where the two would read the same lines (``paragraph`` reads to the end of the
    text, ``lheading`` to ``end``: inside a quote or list they may differ, and both are asked as
    before). ``parentType`` ends as the two leave it: ``lheading`` sets it to "paragraph" and
    does not set it back when it says no, so ``paragraph`` restores "paragraph".
    tests/parsers/test_markdown_rules.py compares the tokens with markdown-it's own rules'."""
    from markdown_it.common.utils import mdTrim

    def rule(state: Any, start: int, end: int, silent: bool) -> bool:
        if silent or end != state.lineMax or state.is_code_block(start):
            return bool(lheading(state, start, end, silent) or paragraph(state, start, end, silent))
        terminators = state.md.block.ruler.getRules("paragraph")
        ends: _Ends | None = getattr(terminators[0], "ends", None) if len(terminators) == 1 else None
        end_starts, end_table = (ends.starts, ends.table) if ends is not None else (None, False)
        before = state.parentType
        state.parentType = "paragraph"
        b_marks, e_marks, t_shift, s_count, src = state.bMarks, state.eMarks, state.tShift, state.sCount, state.src
        indent = state.blkIndent
        line = start + 1
        while line < end and b_marks[line] + t_shift[line] < e_marks[line]:  # not empty
            if s_count[line] - indent > 3:
                line += 1
                continue
            if s_count[line] >= indent:
                first = b_marks[line] + t_shift[line]
                if src[first] in "-=" and not src[first : e_marks[line]].rstrip(" \t").strip(src[first]):
                    # An underline: a setext heading, which lheading makes itself.
                    state.parentType = before
                    return bool(lheading(state, start, end, silent))
            if s_count[line] < 0:
                line += 1
                continue
            if (
                end_starts is not None
                and src[b_marks[line] + t_shift[line]] not in end_starts
                and not (
                    end_table
                    and line + 2 <= end
                    and (following := b_marks[line + 1] + t_shift[line + 1]) < e_marks[line + 1]
                    and src[following] in _TABLE_RULE_STARTS
                )
            ):
                line += 1  # a line no rule can end the paragraph at (the one rule would say no)
                continue
            if any(terminator(state, line, end, True) for terminator in terminators):
                break
            line += 1
        content = mdTrim(state.getLines(start, line, indent, False))
        state.line = line
        token = state.push("paragraph_open", "p", 1)
        token.map = [start, line]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [start, line]
        token.children = []
        state.push("paragraph_close", "p", -1)
        state.parentType = "paragraph"
        return True

    return rule


def _one_terminator(parser: MarkdownIt) -> None:
    """Every line of a paragraph is offered to each rule that may end it (eight, in turn, and
    twice: a paragraph is first read as a possible setext heading), which was a third of the
    parse of a book with its paragraphs wrapped in lines. One rule (``_asking``) takes their
    place in that chain. tests/parsers/test_markdown_rules.py compares the tokens with
    markdown-it's own chain's."""
    ruler = parser.block.ruler
    chain = [rule for rule in ruler.__rules__ if rule.enabled and "paragraph" in rule.alt]
    terminates = _asking(chain, silent=True)
    if terminates is None:
        return
    for rule in chain:
        ruler.at(rule.name, rule.fn, {"alt": [name for name in rule.alt if name != "paragraph"]})
    ruler.before(chain[0].name, "fabula_paragraph_end", terminates, {"alt": ["paragraph"]})


def _one_block_rule(parser: MarkdownIt) -> None:
    """Where a block starts, markdown-it asks every rule in turn (a paragraph after ten that
    say no). One rule (``_asking``) is put first: it asks the rules the line's first
    character allows, the paragraph last, and so always takes the line; the rules stay where
    they were for the chains that end a quote or a list item."""
    ruler = parser.block.ruler
    chain = [rule for rule in ruler.__rules__ if rule.enabled and not rule.name.startswith("fabula_")]
    starts = _asking(chain, silent=False)
    if starts is not None and chain[-1].name == "paragraph":
        ruler.before(ruler.__rules__[0].name, "fabula_block", starts)


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` without their endings, as CommonMark (and every editor) counts them."""
    lines = text.split("\n") if "\r" not in text else _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_chapters(path: str, text: str, language: str = "en") -> tuple[Chapter, ...]:
    """The chapters of one ``manuscript/*.md`` file; ``path`` is relative to the project root.

    A level-1 heading (``# Title`` or ``Title`` over ``=====``) outside any quote, list or
    fence starts a chapter; text before the first one is a chapter titled by front matter
    ``title`` or the file name. Front matter applies to the file's first chapter, except its
    ``language``, which is the whole file's (day markers are read in it; default ``language``,
    fabula.toml's). A file always gives at least one chapter, even when empty.
    """
    lines = split_lines(text)
    front, front_mark, body_start = _front_matter(path, lines, language)
    language = front.language or language
    blocks = list(_blocks(path, lines, body_start))
    starts = [index for index, block in enumerate(blocks) if block.kind is BlockKind.HEADING and block.level == 1]
    pieces: list[tuple[Block | None, list[Block]]] = []
    preamble = blocks[: starts[0]] if starts else blocks
    if not starts or preamble:
        pieces.append((None, preamble))
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(blocks)
        pieces.append((blocks[start], blocks[start + 1 : end]))

    chapters = []
    for number, (heading, body) in enumerate(pieces):
        first = number == 0
        chapter_front = front if first else FrontMatter()
        mark = None
        if heading is not None:
            mark = heading_mark(heading.title, Span(path, heading.span.line, heading.span.col), language)
        if mark is None and first:
            mark = front_mark
        span = heading.span if heading is not None else Span(path, 1)
        chapters.append(
            Chapter(
                span=Span(path, span.line),
                title=(heading.title.strip() if heading else "") or chapter_front.title or _title_from_file(path),
                front=chapter_front,
                passages=_passages(_prose_or_letters(body), mark, Span(path, span.line), language),
                heading=heading,
            )
        )
    return tuple(chapters)


def _title_from_file(path: str) -> str:
    """``manuscript/03-the-ferry.md`` → "The Ferry"."""
    stem = PurePosixPath(path).stem
    words = re.sub(r"^\d+[-_. ]*", "", clean_text(stem)).replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or stem


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class _Top:
    """One top-level construct of markdown-it's token stream, with its lines in the body (0-based,
    end excluded)."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    title: str = ""
    label: str = ""


def _blocks(path: str, lines: list[str], body_start: int) -> Iterator[Block]:
    """Every top-level block after the front matter, in order, as the model keeps it."""
    body = "\n".join(lines[body_start:])
    if "\0" in body:  # as markdown-it's "normalize" rule does (off: see _markdown)
        body = body.replace("\0", "\ufffd")
    covered = body_start
    tokens = _markdown().parse(body)
    _check_depth(path, tokens, body_start)
    for top in _top_level(tokens):
        start, end = top.start + body_start, top.end + body_start
        # Lines no token covers are link reference definitions ("[id]: https://..."): pandoc
        # needs them, so they are kept as blocks of their own.
        yield from _references(path, lines, covered, start)
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        yield _block(path, lines[start:end], start + 1, top)
        covered = max(covered, end)
    yield from _references(path, lines, covered, len(lines))


def _check_depth(path: str, tokens: Sequence[Token], body_start: int) -> None:
    """Block quotes and lists nested deeper than markdown-it reads (its ``maxNesting``) are an
    error naming the line: markdown-it would skip what is inside, and pandoc, which has no such
    limit, took minutes on ten thousand levels. No real book nests quotes and lists so deep."""
    deepest = _markdown().options["maxNesting"] - 1  # a container opened here has its content skipped
    line = body_start
    for token in tokens:
        if token.map is not None:
            line = body_start + token.map[0]
        if token.level >= deepest and token.type in _CONTAINERS:
            raise FabulaError(
                f"block quotes and lists nested too deep: fabula reads up to {deepest} block quotes, "
                f"or {deepest // 2} lists, one inside another",
                Span(path, line + 1),
            )


# What markdown-it reads the content of as blocks of their own (and stops reading at maxNesting).
_CONTAINERS = frozenset({"blockquote_open", "list_item_open", "footnote_reference_open"})


def _top_level(tokens: Sequence[Token]) -> Iterator[_Top]:
    kinds = {
        "paragraph_open": BlockKind.PARAGRAPH,
        "heading_open": BlockKind.HEADING,
        "blockquote_open": BlockKind.QUOTE,
        "bullet_list_open": BlockKind.LIST,
        "ordered_list_open": BlockKind.LIST,
        "table_open": BlockKind.TABLE,
        "footnote_reference_open": BlockKind.FOOTNOTE,
        "fence": BlockKind.CODE,
        "hr": BlockKind.BREAK,
        "html_block": BlockKind.HTML,
    }
    for index, token in enumerate(tokens):
        if token.level != 0 or token.nesting == -1 or token.map is None:
            continue
        kind = kinds.get(token.type, BlockKind.PARAGRAPH)
        start, end = token.map
        if kind is BlockKind.HEADING:
            title = " ".join(line.strip() for line in tokens[index + 1].content.split("\n"))
            yield _Top(kind, start, end, level=int(token.tag[1:]), title=title)
        elif kind is BlockKind.FOOTNOTE:
            yield _Top(kind, start, end, label=str(token.meta.get("label", "")))
        elif kind is BlockKind.HTML and _only_comments(token.content):
            yield _Top(BlockKind.COMMENT, start, end)
        else:
            yield _Top(kind, start, end)


def _only_comments(html: str) -> bool:
    rest = html.strip()
    while rest.startswith("<!--"):
        close = rest.find("-->", 4)
        if close < 0:
            return True  # an unclosed comment runs to the end of the block
        rest = rest[close + 3 :].lstrip()
    return not rest


def _references(path: str, lines: list[str], start: int, end: int) -> Iterator[Block]:
    group: list[int] = []
    for index in range(start, end + 1):
        if index < end and lines[index].strip():
            group.append(index)
        elif group:
            source = "\n".join(lines[group[0] : group[-1] + 1])
            yield Block(Span(path, group[0] + 1), BlockKind.REFERENCE, source, last_line=group[-1] + 1)
            group = []


def _block(path: str, lines: list[str], line: int, top: _Top) -> Block:
    span = Span(path, line, _indent_of(lines[0]) + 1)
    source = "\n".join(lines)
    last = line + len(lines) - 1
    if top.kind is BlockKind.CODE:
        return Block(span, top.kind, _valid_references(_closed_fence(_dedented(lines))), last_line=last)
    if top.kind is BlockKind.BREAK:
        return Block(span, top.kind, "* * *", last_line=last)
    prose, comments, images = read_inline(source, Span(path, line))
    if top.kind is BlockKind.COMMENT:
        return Block(span, top.kind, source, comments=comments, last_line=last)
    year = document = None
    if top.kind is BlockKind.HEADING:
        span = Span(path, line, _title_column(lines[0]) if lines[0].lstrip().startswith("#") else span.col)
        markdown = "#" * top.level + " " + top.title
        year, document = heading_year(top.title), document_title(top.title)
    elif top.kind is BlockKind.PARAGRAPH and _indent_of(lines[0]) >= _INDENT:
        markdown = "\n".join(text.lstrip(" \t") for text in lines)
    else:
        markdown = _dedented(lines)
    if top.kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE) and len(lines) <= 2:
        document = document_title(" ".join(_unquoted(text) for text in prose.split("\n")))
    if top.kind is BlockKind.FOOTNOTE:
        # The label is not a word of the note: "[^1]: The light..." counts from "The".
        colon = prose.find("]:")
        prose = " " * (colon + 2) + prose[colon + 2 :] if colon >= 0 else prose
    return _new_block(
        span,
        top.kind,
        _valid_references(markdown),
        prose,
        count_words(prose) if top.kind in PROSE_KINDS or top.kind is BlockKind.HTML else 0,
        top.level,
        top.title,
        top.label,
        False,
        comments,
        images,
        last,
        year,
        document,
    )


_BLOCK_FIELDS = tuple(field.name for field in fields(Block))


def _new_block(*values: Any) -> Block:
    """``Block(*values)``, every field given in order, without the frozen dataclass's
    ``__init__`` (one ``object.__setattr__`` call a field: 14 of them took a tenth of the
    parse of a book). Block has no ``__post_init__``; a test checks the two are equal."""
    block: Block = object.__new__(Block)
    block.__dict__.update(zip(_BLOCK_FIELDS, values, strict=True))
    return block


def _closed_fence(markdown: str) -> str:
    """A fenced code block with its closing fence: CommonMark runs an unclosed fence to the end
    of the file, pandoc reads it as no fence at all (and the code as Markdown)."""
    first, _, rest = markdown.partition("\n")
    opening = first.lstrip(" ")
    sign = opening[:1]
    fence = opening[: len(opening) - len(opening.lstrip(sign))] if sign in ("`", "~") else ""
    last = rest.rstrip("\n").rpartition("\n")[2].strip() if rest else ""
    if not fence or (rest and last and last.startswith(fence) and not last.strip(sign)):
        return markdown
    return markdown.rstrip("\n") + "\n" + fence


def _valid_references(markdown: str) -> str:
    """``&#1;``, ``&#xFFFE;``: numeric character references to characters no XML document may
    hold (control characters, non-characters, surrogates) become ``&#xFFFD;``, the replacement
    character, so that pandoc writes none of them into an EPUB or a DOCX."""
    if "&#" not in markdown:
        return markdown
    parts = []
    position = 0
    while (start := markdown.find("&#", position)) >= 0:
        end = markdown.find(";", start, start + 12)
        if end < 0:
            parts.append(markdown[position : start + 2])
            position = start + 2
            continue
        digits = markdown[start + 2 : end]
        hexadecimal = digits[:1] in ("x", "X")
        number = digits[1:] if hexadecimal else digits
        valid_digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        if (
            number
            and all(char in valid_digits for char in number)
            and not _xml_char(int(number, 16 if hexadecimal else 10))
        ):
            parts.append(markdown[position:start] + "&#xFFFD;")
        else:
            parts.append(markdown[position : end + 1])
        position = end + 1
    parts.append(markdown[position:])
    return "".join(parts)


def _xml_char(code: int) -> bool:
    """Whether XML 1.0 allows the character ``code`` (and it is not a C1 control)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code < 0x7F
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _unquoted(line: str) -> str:
    """A line of a block quote without its ``>`` signs."""
    return line.lstrip(" >")


def _indent_of(line: str) -> int:
    """Columns of leading white space, a tab reaching the next multiple of four."""
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += _TAB - width % _TAB
        else:
            break
    return width


def _title_column(line: str) -> int:
    """The 1-based column where an ATX heading's text starts (after ``#`` and spaces)."""
    position = len(line) - len(line.lstrip(" "))
    position += len(line[position:]) - len(line[position:].lstrip("#"))
    return position + len(line[position:]) - len(line[position:].lstrip(" \t")) + 1


def _dedented(lines: list[str]) -> str:
    """The lines without the indentation they share, so that pandoc never reads code into them."""
    if _indent_of(lines[0]) < _INDENT:
        return "\n".join(lines)
    common = min(_indent_of(text) for text in lines if text.strip())
    out = [_drop_columns(text, common) for text in lines]
    if _indent_of(out[0]) >= _INDENT:
        out[0] = out[0].lstrip(" \t")
    return "\n".join(out)


def _drop_columns(line: str, columns: int) -> str:
    width = 0
    for index, char in enumerate(line):
        if width >= columns or char not in " \t":
            return " " * (width - columns) + line[index:]
        width += 1 if char == " " else _TAB - width % _TAB
    return ""


def _prose_or_letters(blocks: list[Block]) -> list[Block]:
    """Indented paragraphs are prose: the chapter's habit, or a letter set in flush prose.

    Indentation is how the writer starts a paragraph when every paragraph of the chapter is
    indented, when only the first line of a paragraph is (the word-processor habit), or when
    most paragraphs are one-line paragraphs indented (the first after a heading often is
    not): then they all stay paragraphs. Otherwise the indented paragraphs stand apart from
    the prose around them, as a letter, a telegram or a verse does, and each run of them is
    one block quote, its paragraphs joined.
    """
    paragraphs = [b for b in blocks if b.kind is BlockKind.PARAGRAPH]
    indented = {id(b) for b in paragraphs if b.span.col > _INDENT}
    if not indented or len(indented) == len(paragraphs):
        return blocks
    lines = {id(b): b.text.split("\n") for b in paragraphs if id(b) in indented}
    if any(_indent_of(line) < _INDENT for found in lines.values() for line in found[1:] if line.strip()):
        return blocks  # first-line indents
    if all(len(found) == 1 for found in lines.values()) and 2 * len(indented) > len(paragraphs):
        return blocks
    result = []
    for index, block in enumerate(blocks):
        if id(block) not in indented:
            result.append(block)
            continue
        quoted = "\n".join("> " + line for line in block.markdown.split("\n"))
        joined = index > 0 and id(blocks[index - 1]) in indented
        result.append(replace(block, kind=BlockKind.QUOTE, markdown=quoted, joined=joined))
    return result


# ---------------------------------------------------------------- inline: what is not read


def read_inline(source: str, span: Span) -> tuple[str, tuple[Comment, ...], tuple[str, ...]]:
    """The text of a block as a reader reads it, its HTML comments, and the images it shows.

    Comments, tags and image syntax are blanked to spaces, and so are link targets and
    footnote references, line breaks kept: every character left is where the writer typed
    it, so that a finding points at the right column. Each scan moves forward only (no
    regular expression backtracks over the text), so any text takes linear time.
    """
    if "<" not in source and "[" not in source:
        return source, (), ()
    chars = list(source)
    comments = _blank_comments(source, chars, span)
    images = [*_blank_tags(source, chars), *_blank_links(source, chars)]
    return "".join(chars), comments, tuple(images)


def _blank(chars: list[str], start: int, end: int) -> None:
    for index in range(start, end):
        if chars[index] != "\n":
            chars[index] = " "


def _blank_comments(source: str, chars: list[str], span: Span) -> tuple[Comment, ...]:
    comments = []
    places = _Places(source, span)
    position = source.find("<!--")
    while position >= 0:
        close = source.find("-->", position + 4)
        if close < 0:
            break
        comments.append(Comment(places.at(position), source[position + 4 : close]))
        _blank(chars, position, close + 3)
        position = source.find("<!--", close + 3)
    return tuple(comments)


_IMG_SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def _blank_tags(source: str, chars: list[str]) -> Iterator[str]:
    """``<span>``, ``</p>``, ``<img src="x.png">``: blanked; an ``img``'s source is returned."""
    close_angle = _Next(source, ">")
    position = source.find("<")
    while position >= 0:
        close = close_angle.after(position)
        if close < 0:
            return  # no ">" anywhere after: no more tags
        opened = position + 1 + (source[position + 1 : position + 2] == "/")
        name = source[opened : opened + 1]
        if chars[position] == "<" and name.isascii() and name.isalpha():
            tag = source[position : close + 1]
            if tag[1:4].lower() == "img":
                found = _IMG_SRC.search(tag)
                if found:
                    yield next(group for group in found.groups() if group is not None)
            _blank(chars, position, close + 1)
            position = source.find("<", close + 1)
        else:
            position = source.find("<", position + 1)


class _Next:
    """The next place of one character at or after a position, found once per stretch of text."""

    def __init__(self, source: str, char: str) -> None:
        self.source, self.char, self.found = source, char, -2

    def after(self, position: int) -> int:
        if self.found != -1 and self.found < position:
            self.found = self.source.find(self.char, position)
        return self.found


def _blank_links(source: str, chars: list[str]) -> Iterator[str]:
    """``![alt](path)`` blanked whole (its path returned); ``[text](target)`` keeps its text;
    ``[^note]`` references blanked. Link text holds no ``]``, a target no ``)``."""
    close_bracket, close_paren = _Next(source, "]"), _Next(source, ")")
    position = source.find("[")
    while position >= 0:
        close = close_bracket.after(position + 1)
        if close < 0:
            return
        if chars[position] != "[":  # inside a comment or a tag, already blanked
            position = source.find("[", position + 1)
            continue
        image = position > 0 and source[position - 1] == "!" and chars[position - 1] == "!"
        if source[position + 1 : position + 2] == "^" and not image:
            if source[close + 1 : close + 2] != ":":
                _blank(chars, position, close + 1)
            position = source.find("[", close + 1)
            continue
        end = close_paren.after(close + 2) if source[close + 1 : close + 2] == "(" else -1
        if end < 0:
            position = source.find("[", position + 1)
            continue
        if image:
            _blank(chars, position - 1, end + 1)
            target = source[close + 2 : end].strip().split(maxsplit=1)
            if target:
                yield target[0].strip("<>")
        else:
            _blank(chars, position, position + 1)
            _blank(chars, close, end + 1)
        position = source.find("[", end + 1)


class _Places:
    """Where each of a rising series of offsets of ``text`` is, given that ``text`` starts at
    ``span``: lines are counted from the offset before, never from the start again (ten
    thousand comments in one paragraph would otherwise take quadratic time)."""

    def __init__(self, text: str, span: Span) -> None:
        self.text, self.span = text, span
        self.offset, self.lines, self.newline = 0, 0, -1  # counted up to offset; the last newline before it

    def at(self, offset: int) -> Span:
        newline = self.text.rfind("\n", self.offset, offset)
        if newline >= 0:
            self.lines += self.text.count("\n", self.offset, offset)
            self.newline = newline
        self.offset = offset
        if self.newline < 0:
            return Span(self.span.path, self.span.line, self.span.col + offset)
        return Span(self.span.path, self.span.line + self.lines, offset - self.newline)


# ---------------------------------------------------------------- passages


def _passages(blocks: list[Block], mark: DayMark | None, chapter_span: Span, language: str) -> tuple[Passage, ...]:
    """Split a chapter at every block of prose that carries an inline marker."""
    groups: list[tuple[Span, DayMark | None, list[Block]]] = [(chapter_span, mark, [])]
    for block in blocks:
        found = _block_mark(block, language) if block.kind in PROSE_KINDS else None
        if found is not None:
            _, last_mark, last_blocks = groups[-1]
            if last_blocks or last_mark is not None:
                groups.append((Span(block.span.path, block.span.line), found, []))
            else:  # nothing before this marker: it marks the chapter's first passage
                groups[-1] = (Span(block.span.path, block.span.line), found, [])
        groups[-1][2].append(block)
    return tuple(
        Passage(span=span, mark=passage_mark, blocks=tuple(group), words=sum(b.words for b in group))
        for span, passage_mark, group in groups
    )


_QUOTE_PARAGRAPHS = 3  # a quoted letter's dateline comes after its title, at the latest its salutation


def _block_mark(block: Block, language: str) -> DayMark | None:
    """The block's marker: a heading's, a paragraph's opening one, or that of one of a quoted
    letter's first paragraphs (its title, then its dateline)."""
    span = Span(block.span.path, block.span.line)
    found = inline_mark(block.text, span, language)
    if found is not None or block.kind is not BlockKind.QUOTE or "\n" not in block.text:
        return found
    line = block.span.line
    paragraphs = 0
    start = 0
    lines = block.text.split("\n")
    for index, text in enumerate([*lines, ""]):
        if _unquoted(text).strip():
            continue
        if index > start:
            if paragraphs:
                piece = "\n".join(lines[start:index])
                found = inline_mark(piece, Span(block.span.path, line + start), language)
                if found is not None:
                    return found
            paragraphs += 1
            if paragraphs >= _QUOTE_PARAGRAPHS:
                return None
        start = index + 1
    return None


# ---------------------------------------------------------------- front matter


def _front_matter(path: str, lines: list[str], language: str) -> tuple[FrontMatter, DayMark | None, int]:
    """Front matter, its day mark, and the 0-based index of the first body line."""
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(), None, 0
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        raise FabulaError("front matter opened with '---' is never closed", Span(path, 1))
    import yaml

    from toolkit.parsers.yaml_text import load

    raw = lines[1:close]
    try:
        data = load("\n".join(raw))
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
    return front, _front_mark(front, raw, span_of, front.language or language), close + 1


def _front_value(key: str, value: Any, span: Span) -> Any:
    if key == "day":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAY:
            raise FabulaError(
                f"front matter 'day' must be a whole number from 0 to {MAX_DAY}, such as 4, not {excerpt(value)}", span
            )
        return value
    if key == "year":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9999:
            raise FabulaError(f"front matter 'year' must be a year such as 1903, not {excerpt(value)}", span)
        return value
    if key == "language" and (
        not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", value)
    ):
        raise FabulaError(
            f"front matter 'language' must be a language tag such as 'fr' or 'pt-BR', not {excerpt(value)}", span
        )
    if key == "flashback":
        if not isinstance(value, bool):
            raise FabulaError(f"front matter 'flashback' must be true or false, not {excerpt(value)}", span)
        return value
    if isinstance(value, dict | list | bool):
        raise FabulaError(f"front matter '{key}' must be text, not {excerpt(value)}", span)
    return clean_text(str(value)).strip()


def _front_mark(front: FrontMatter, raw: list[str], span_of: Callable[[str], Span], language: str) -> DayMark | None:
    """The mark that front matter ``date`` and ``day`` give; its text is their lines as written."""
    if front.date is None and front.day is None:
        return None
    keys = [key for key in ("date", "day") if getattr(front, key) is not None]
    spans = [span_of(key) for key in keys]
    text = "; ".join(raw[span.line - 2].strip() for span in spans if span.line >= 2)
    date = weekday = day = None
    if front.date is not None:
        parsed = whole_mark(front.date, spans[0], "front-matter", language)
        if parsed is None or parsed.date is None:
            raise FabulaError(
                f"front matter 'date' must be a date such as 2023-03-08 or 8 March 2023, not {excerpt(front.date)}",
                spans[0],
            )
        date, weekday, day = parsed.date, parsed.weekday, parsed.day
    if front.day is not None:
        day = front.day
    return DayMark(span=spans[0], text=text, kind="front-matter", date=date, weekday=weekday, day=day)
