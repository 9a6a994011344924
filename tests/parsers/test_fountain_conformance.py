"""Conformance of the Fountain parser with other implementations' test suites (../shared peer-tests)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from toolkit.model import Action, Dialogue, DualDialogue, ElementKind, Note, Screenplay
from toolkit.parsers.fountain import parse_screenplay

PEER = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "fountain" / "peer-tests"


def peer_files(folder: str, pattern: str) -> list[str]:
    # Collected at import time for readable test ids; the corpus_dir fixture still decides skip/fail.
    return sorted(path.name for path in (PEER / folder).glob(pattern)) or [f"(no {folder} files)"]


def read(path: Path) -> str:
    # Bytes decoded by hand: read_text() would turn the sample's old Mac "\r" line ends into "\n".
    return path.read_bytes().decode("utf-8")


def parse_file(path: Path) -> Screenplay:
    return parse_screenplay([(path.name, read(path))])


def our_kinds(screenplay: Screenplay, *, drop: tuple[str, ...] = ()) -> list[str]:
    """Element kinds in order, notes left out (no peer emits them), runs of action merged."""
    kinds: list[str] = []
    for element in screenplay.elements:
        kind = "lyrics" if isinstance(element, Action) and element.lyric else element.kind.value
        if isinstance(element, Note) or kind in drop:
            continue
        if kind == "action" and kinds[-1:] == ["action"]:
            continue
        kinds.append(kind)
    return kinds


# ---------------------------------------------------------------- every input parses


@pytest.mark.parametrize("folder", ["screenplain", "nyousefi-fountain", "aw-parser", "afterwriting-fdx"])
def test_every_peer_input_parses(corpus_dir: Path, folder: str) -> None:
    inputs = sorted((corpus_dir / "peer-tests" / folder).glob("*.fountain"))
    assert inputs
    for path in inputs:
        screenplay = parse_file(path)
        assert screenplay.elements or screenplay.title_page, path.name


NYOUSEFI_EXPECT = {  # file -> a kind each must produce, and how many
    "DualDialogue.fountain": (ElementKind.DUAL_DIALOGUE, 1),
    "SceneNumbers.fountain": (ElementKind.HEADING, 7),
    "PageBreaks.fountain": (ElementKind.PAGE_BREAK, 2),
    # "CUT TO:  " (trailing spaces), "TO:" and "FADE TO BLACK." are not transitions, "> ..." is.
    "Transitions.fountain": (ElementKind.TRANSITION, 4),
}


@pytest.mark.parametrize("name", sorted(NYOUSEFI_EXPECT))
def test_nyousefi_inputs_produce_their_element(corpus_dir: Path, name: str) -> None:
    kind, count = NYOUSEFI_EXPECT[name]
    screenplay = parse_file(corpus_dir / "peer-tests" / "nyousefi-fountain" / name)
    assert sum(element.kind == kind for element in screenplay.elements) == count


# ---------------------------------------------------------------- screenplain's own HTML expectations

_HTML_TAG = re.compile(
    r'<h6|<h[1-5]|<span class="h\d-synopsis"|<div class="(?:page-break )?(action|dialog|dual|transition)'
)
_HTML_KIND = {"action": "action", "dialog": "dialogue", "dual": "dual_dialogue", "transition": "transition"}


def html_kinds(html: str) -> list[str]:
    kinds: list[str] = []
    for match in _HTML_TAG.finditer(html):
        tag = match.group(0)
        kind = (
            "heading"
            if tag == "<h6"
            else "synopsis"
            if "synopsis" in tag
            else "section"
            if tag.startswith("<h")
            else _HTML_KIND[match.group(1)]
        )
        if not (kind == "action" and kinds[-1:] == ["action"]):
            kinds.append(kind)
    return kinds


@pytest.mark.parametrize("name", peer_files("screenplain", "*.html"))
def test_screenplain_html_sequence(corpus_dir: Path, name: str) -> None:
    folder = corpus_dir / "peer-tests" / "screenplain"
    screenplay = parse_file(folder / name.replace(".html", ".fountain"))
    # screenplain's HTML marks a page break as a class on the next element, not an element.
    assert our_kinds(screenplay, drop=("page_break",)) == html_kinds((folder / name).read_text("utf-8"))


# ---------------------------------------------------------------- Jouvence token lists

_JOUVENCE_KIND = {
    "!": "action",
    "@": "dialogue",
    ".": "heading",
    ">": "transition",
    "#": "section",
    "+": "synopsis",
    "<": "page_break",
    "~": "lyrics",
}


def jouvence_kinds(tokens: list[str]) -> list[str]:
    kinds: list[str] = []
    for token in tokens:
        if token[0] in "=_" or (token[0] == "!" and not token[1:].strip()):
            continue  # dialogue lines and parentheticals belong to the cue; blank action is spacing
        kind = _JOUVENCE_KIND[token[0]]
        if not (kind == "action" and kinds[-1:] == ["action"]):
            kinds.append(kind)
    return kinds


def jouvence_cases() -> list[tuple[str, int]]:
    cases = []
    for path in sorted((PEER / "jouvence").glob("*.yaml")):
        documents = [doc for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]
        cases += [(path.name, index) for index in range(len(documents))]
    return cases or [("(no jouvence files)", 0)]


# Where screenplain (and so fabula) and Jouvence disagree, with the Fountain spec's say.
# Each value is (our kinds, Jouvence's kinds): the test asserts both, so a change shows.
# (">centered<" then a line of spaces was one: screenplain took the two lines for a speech. A
# line of spaces is blank to us, as to afterwriting and Jouvence: see fountain_intent.)
KNOWN_DIFFERENCES: dict[tuple[str, int], tuple[list[str], list[str]]] = {
    # (A lone "= text" is action to screenplain, which hangs synopses only on the heading or
    # section before them; we follow the spec and Jouvence: a synopsis, never printed.)
}


@pytest.mark.parametrize(("name", "index"), jouvence_cases())
def test_jouvence_sequence(corpus_dir: Path, name: str, index: int) -> None:
    text = read(corpus_dir / "peer-tests" / "jouvence" / name)
    documents = [doc for doc in yaml.safe_load_all(text) if doc]
    case = documents[index]
    screenplay = parse_screenplay([(name, case["in"])])
    ours, theirs = our_kinds(screenplay), jouvence_kinds(case["out"] or [])
    if (name, index) in KNOWN_DIFFERENCES:
        assert (ours, theirs) == KNOWN_DIFFERENCES[name, index]
    else:
        assert ours == theirs
    if case.get("title"):
        title = {field.key.lower(): "\n".join(field.values) for field in screenplay.title_page}
        assert title == {key: str(value).rstrip("\n") for key, value in case["title"].items()}


# ---------------------------------------------------------------- afterwriting's parser tokens, by line

# (line, kind) present in one parse and not the other, with the reason.
AW_KNOWN_DIFFERENCES: dict[tuple[str, int, str], str] = {
    # A [[note]] may span lines (spec: "Notes ... can span multiple lines"); aw reads the
    # opening note of sample.fountain as four lines of action, we as a Note (not compared).
    ("aw", 1, "action"): "multi-line note at the top of the file",
    # The spec puts the title page first in the document; aw still finds it after that
    # note, screenplain takes only the first paragraph, so the "Title:" block is action.
    ("ours", 6, "action"): "title page after a leading note",
    # "/* ... /* nested */ ... */": the spec defines no nesting; screenplain's boneyard ends
    # at the first "*/", like a C comment, so the tail is text. aw nests boneyards.
    ("ours", 53, "action"): "nested boneyard: text after the inner */",
    ("ours", 55, "action"): "nested boneyard: the outer */",
}


def aw_lines(tokens: list[dict]) -> set[tuple[int, str]]:
    action_lines = {token["line"] for token in tokens if token["type"] == "action"}
    return {
        (token["line"] + 1, token["type"])  # aw counts lines from 0
        for token in tokens
        if token["type"] != "separator"
        # aw gives an action token per line; compare where each action paragraph starts
        and not (token["type"] == "action" and token["line"] - 1 in action_lines)
    }


def our_lines(elements: tuple) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for element in elements:
        speakers = (element.left, element.right) if isinstance(element, DualDialogue) else (element,)
        for part in speakers:
            if isinstance(part, Dialogue):
                found.add((part.span.line, "character"))
                for line in part.lines:
                    found.add((line.span.line, "parenthetical" if line.parenthetical else "dialogue"))
            elif not isinstance(part, Note):
                kind = part.kind.value
                if kind == "action" and part.centered:
                    kind = "centered"
                found.add((part.span.line, "scene_heading" if kind == "heading" else kind))
    return found


def test_aw_parser_tokens_by_line(corpus_dir: Path) -> None:
    folder = corpus_dir / "peer-tests" / "aw-parser"
    source = read(folder / "sample.fountain")
    assert "\r" in source and "\n" not in source  # the sample uses old Mac line ends
    screenplay = parse_screenplay([("sample.fountain", source)])
    tokens = json.loads((folder / "sample.tokens.json").read_text("utf-8"))["tokens"]
    ours, theirs = our_lines(screenplay.elements), aw_lines(tokens)
    differences = {("aw", *entry) for entry in theirs - ours} | {("ours", *entry) for entry in ours - theirs}
    assert differences == set(AW_KNOWN_DIFFERENCES)
    assert len(ours & theirs) > 70
