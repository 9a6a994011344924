"""The parser's own rules for "where a block starts" and "what may end a paragraph" give markdown-it's tokens.

toolkit/parsers/markdown.py puts one rule before markdown-it's chain of block rules, and one
in place of its chain of rules that may end a paragraph (each asks only the rules that the
line's first character lets take it); these tests parse the same text with both parsers and
compare every token.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.parsers.markdown import new_parser

REPO = Path(__file__).resolve().parents[2]
FAST, OWN = new_parser(), new_parser(one_terminator=False)

# Line starts of every block kind, and lines that almost are one.
LINES = [
    "",
    "Prose goes on",
    "  two spaces in",
    "    four spaces in",
    "\tA tab in",
    "> a quote",
    ">no space",
    "   > indented quote",
    "> - quoted item",
    "- item",
    "-no item",
    "* item",
    "+ item",
    "-",
    "1. one",
    "2) two",
    "10. ten",
    "9. nine",
    "1.",
    "# Heading",
    "#hashtag",
    "###### six",
    "####### seven",
    "```",
    "```python",
    "~~~",
    "``",
    "***",
    "---",
    "___",
    "- - -",
    "* * *",
    "===",
    "Title",
    "| a | b |",
    "|---|---|",
    "-:|",
    ":--|--:",
    "a | b",
    "<div>",
    "<!-- a comment -->",
    "</p>",
    "<span>inline</span> start",
    "[^1]: a note",
    "[^long]:",
    "[id]: http://example.org",
    "[a link](x) starts",
]


def tokens(parser, text: str) -> list[tuple[object, ...]]:
    return [
        (t.type, t.tag, t.nesting, t.level, t.map, t.content, t.markup, t.info, t.meta, t.block, t.hidden)
        for t in parser.parse(text)
    ]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=25))
def test_same_tokens_on_any_mix_of_block_starts(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert tokens(FAST, text) == tokens(OWN, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab #>*-+_=|:`~<>[]^!1.\t\n ", max_size=80))
def test_same_tokens_on_any_text_of_signs(text: str) -> None:
    assert tokens(FAST, text) == tokens(OWN, text)


def test_same_tokens_on_the_sample_fixtures_and_published_books() -> None:
    paths = [
        *sorted((REPO / "manuscript").glob("*.md")),
        *sorted((REPO / "tests" / "fixtures").rglob("*.md")),
        *sorted((REPO / "benchmarks" / "corpus" / "names").glob("*.md")),
    ]
    assert len(paths) > 20
    for path in paths:
        text = path.read_text(encoding="utf-8")[:60_000]  # the books' first pages: wrapped lines
        assert tokens(FAST, text) == tokens(OWN, text), path


def test_the_parser_has_its_two_rules_and_markdown_its_own_has_neither() -> None:
    def names(parser) -> list[str]:
        return [rule.name for rule in parser.block.ruler.__rules__ if rule.enabled]

    assert names(FAST)[:2] == ["fabula_block", "fabula_paragraph_end"]
    assert not [name for name in names(OWN) if name.startswith("fabula_")]


def test_a_paragraph_is_read_once_for_setext_heading_and_paragraph() -> None:
    """At the top level a paragraph's lines are scanned once (markdown-it's lheading and
    paragraph rules are asked only for an underlined heading, or inside a quote or list), and
    the tokens are theirs."""
    from markdown_it.rules_block.state_block import StateBlock

    from toolkit.parsers.markdown import _setext_or_paragraph

    asked: list[str] = []

    def lheading(state, start, end, silent):
        asked.append("lheading")
        return False

    def paragraph(state, start, end, silent):
        asked.append("paragraph")
        return False

    rule = _setext_or_paragraph(lheading, paragraph)
    text = "A paragraph\nwrapped over\nthree lines.\n\nTitle\n=====\n"
    state = StateBlock(text, FAST, {}, [])
    assert rule(state, 0, state.lineMax, False) and state.line == 3 and not asked
    assert [token.type for token in state.tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert state.tokens[1].content == "A paragraph\nwrapped over\nthree lines." and state.parentType == "paragraph"
    assert not rule(state, 4, state.lineMax, False) and asked == ["lheading"]  # the underline: lheading's
    assert not rule(state, 0, 2, False) and asked == ["lheading", "lheading", "paragraph"]  # not to the end
    text = "> quoted and\n> wrapped\nlazy line\nTitle\n---\n\n> Quoted\n> ===\n"
    assert tokens(FAST, text) == tokens(OWN, text)


def test_the_paragraph_scan_skips_lines_by_their_first_character() -> None:
    """The one terminator rule says which lines it may end a paragraph at (``_Ends``), so that the
    scan of a paragraph's lines (compared with markdown-it's own above) skips the others unasked."""
    (terminator,) = FAST.block.ruler.getRules("paragraph")
    ends = terminator.ends
    assert ends.table
    assert set("`~>*-_+0123456789[<#") <= ends.starts
    assert not set("Pa \t|:=") & ends.starts
