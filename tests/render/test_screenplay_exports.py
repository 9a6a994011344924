"""Final Draft (FDX) and HTML exports: goldens, XML read-back, and conformance with peers' FDX."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from toolkit.metadata import Metadata
from toolkit.model import Screenplay
from toolkit.parsers.fountain import parse_screenplay
from toolkit.render.screenplay_fdx import render_screenplay_fdx
from toolkit.render.screenplay_html import render_screenplay_html

SHOWCASE = Path(__file__).resolve().parents[1] / "fixtures" / "screenplay-export" / "showcase.fountain"
META = Metadata("The Lighthouse", "Ada Byron", "en", "urn:uuid:00000000-0000-0000-0000-000000000003", 1700000000)


def parse(path: Path) -> Screenplay:
    # Bytes decoded by hand: read_text() would turn old Mac "\r" line ends into "\n".
    return parse_screenplay([(path.name, path.read_bytes().decode("utf-8"))])


def fdx_paragraphs(xml: str) -> list[tuple[str, str]]:
    """(Type, text) of every typed paragraph of the script body, in document order."""
    root = ET.fromstring(xml.encode("utf-8"))
    content = root.find("Content")
    assert content is not None
    return [
        (paragraph.get("Type", ""), "".join(text.text or "" for text in paragraph.iter("Text")))
        for paragraph in content.iter("Paragraph")
        if paragraph.get("Type")
    ]


def test_fdx_golden(golden) -> None:
    golden("screenplay/showcase.fdx", render_screenplay_fdx(parse(SHOWCASE), META))


def test_html_golden(golden) -> None:
    golden("screenplay/showcase.html", render_screenplay_html(parse(SHOWCASE), META))


def test_fdx_reads_back() -> None:
    xml = render_screenplay_fdx(parse(SHOWCASE), META)
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "FinalDraft" and root.get("DocumentType") == "Script"
    paragraphs = fdx_paragraphs(xml)
    assert paragraphs[0] == ("Scene Heading", "INT. KITCHEN - DAY")
    assert ("Dialogue", "It was always <ours>.") in paragraphs
    assert ("Parenthetical", "(quietly)") in paragraphs
    assert ("Transition", "CUT TO:") in paragraphs
    heading = next(p for p in root.iter("Paragraph") if p.get("Type") == "Scene Heading")
    assert heading.get("Number") == "1"
    styles = {text.get("Style") for text in root.iter("Text") if text.get("Style")}
    assert {"Italic", "Bold", "Underline"} <= styles
    dual = root.find("Content/Paragraph/DualDialogue")
    assert dual is not None
    assert [p.get("Type") for p in dual.iter("Paragraph")] == ["Character", "Dialogue", "Character", "Dialogue"]
    assert any(p.get("StartsNewPage") == "Yes" for p in root.iter("Paragraph"))
    centred = next(p for p in root.iter("Paragraph") if p.get("Alignment") == "Center" and p.get("Type") == "Action")
    assert "".join(t.text or "" for t in centred.iter("Text")) == "THE END OF THE BEGINNING"
    title = root.find("TitlePage")
    assert title is not None and "THE LIGHTHOUSE" in "".join(t.text or "" for t in title.iter("Text"))
    # Sections, synopses and (by default) notes are not script paragraphs.
    joined = " ".join(text for _, text in paragraphs)
    assert "Act One" not in joined and "Margot finds" not in joined and "weather" not in joined


def test_notes_are_exported_only_when_asked() -> None:
    assert "check the weather" not in render_screenplay_html(parse(SHOWCASE), META)
    assert ("General", "check the weather on this day") in fdx_paragraphs(
        render_screenplay_fdx(parse(SHOWCASE), META, notes=True)
    )
    assert "check the weather on this day" in render_screenplay_html(parse(SHOWCASE), META, notes=True)


class _Checker(HTMLParser):
    VOID = frozenset({"meta", "br", "link", "img"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.classes: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.classes.append(f"{tag}.{values.get('class') or ''}")
        for key in ("src", "href"):
            if values.get(key):
                self.external.append(values[key] or "")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()


def test_html_is_balanced_escaped_and_self_contained() -> None:
    html = render_screenplay_html(parse(SHOWCASE), META)
    checker = _Checker()
    checker.feed(html)
    assert checker.stack == [] and checker.external == []
    assert "It was always &lt;ours&gt;." in html and "dust</u> &amp; old jars" in html
    assert '<html lang="en">' in html
    for cls in ("h2.", "p.action", "p.character", "p.parenthetical", "p.dialogue", "p.transition", "p.centered"):
        assert cls in checker.classes, cls
    assert "p.lyric" in checker.classes and "div.dual" in checker.classes


def test_html_headings_and_viewport() -> None:
    """One h1 (the title), scene headings as h2: no level skipped; a viewport for phones."""
    html = render_screenplay_html(parse(SHOWCASE), META)
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1 and levels.count(1) == 1 and set(levels[1:]) == {2}
    assert '<h1 class="title"><b>THE LIGHTHOUSE</b></h1>' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    # Without a title page the page still opens with an h1, the project's title, out of sight.
    bare = render_screenplay_html(dataclasses.replace(parse(SHOWCASE), title_page=()), META)
    assert '<h1 class="visually-hidden">The Lighthouse</h1>' in bare


# ---------------------------------------------------------------- conformance with screenplain's FDX

PEER = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "fountain" / "peer-tests"


def peer_fdx(folder: str) -> list[str]:
    # Collected at import time for readable test ids; the corpus_dir fixture still decides skip/fail.
    return sorted(path.name for path in (PEER / folder).glob("*.fdx")) or [f"(no {folder} files)"]


@pytest.mark.parametrize("name", peer_fdx("screenplain"))
def test_fdx_matches_screenplains_expected_fdx(corpus_dir: Path, name: str) -> None:
    folder = corpus_dir / "peer-tests" / "screenplain"
    ours = fdx_paragraphs(render_screenplay_fdx(parse(folder / name.replace(".fdx", ".fountain")), META))
    theirs = fdx_paragraphs((folder / name).read_text("utf-8"))
    assert ours == theirs


# afterwriting writes notes as <ScriptNote> inside the paragraph they sit in; we leave notes out
# of the script (they are for the writer, and printed only on request), so only the script
# paragraphs are compared, their text with the note removed.
@pytest.mark.parametrize("name", peer_fdx("afterwriting-fdx"))
def test_fdx_matches_afterwritings_paragraphs(corpus_dir: Path, name: str) -> None:
    folder = corpus_dir / "peer-tests" / "afterwriting-fdx"
    ours = fdx_paragraphs(render_screenplay_fdx(parse(folder / name.replace(".fdx", ".fountain")), META))
    root = ET.fromstring((folder / name).read_bytes())
    for parent in root.iter():
        for note in parent.findall("ScriptNote"):
            parent.remove(note)
    theirs = fdx_paragraphs(ET.tostring(root, encoding="unicode"))
    assert [(kind, re.sub(r"\s+", " ", text).strip()) for kind, text in ours] == [
        (kind, re.sub(r"\s+", " ", text).strip()) for kind, text in theirs
    ]


def test_the_fdx_and_the_html_walk_one_set_of_blocks() -> None:
    """One build's FDX and HTML, rendered in one process, walk the blocks worked out once (issue 16);
    another screenplay, or notes asked for, gets its own."""
    from toolkit.render.screenplay_blocks import blocks

    play = parse_screenplay([("a.fountain", "INT. HOUSE - DAY\n\nBOB\nHi.\n\n[[a note]]\n")])
    first = blocks(play)
    assert blocks(play) is first
    assert blocks(play, notes=True) is not first and len(blocks(play, notes=True)) == len(first) + 1
    other = dataclasses.replace(play)
    assert blocks(other) is not first and blocks(other) == first
