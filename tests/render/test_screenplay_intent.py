"""The real-file fixtures (tests/fixtures/fountain-intent) printed as the writer meant, in PDF, FDX and HTML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pytest

from toolkit.metadata import Metadata
from toolkit.model import Screenplay
from toolkit.parsers.fountain import parse_screenplay
from toolkit.render.screenplay_fdx import render_screenplay_fdx
from toolkit.render.screenplay_html import render_screenplay_html
from toolkit.render.screenplay_pdf import render_screenplay_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fountain-intent"
META = Metadata("The Night Ferry", "A. Writer", "en", "urn:uuid:00000000-0000-0000-0000-000000000015", 1700000000)


def parse(name: str) -> Screenplay:
    return parse_screenplay([(f"screenplay/{name}", (FIXTURES / name).read_bytes().decode("utf-8"))])


def pdf_pages(tmp_path: Path, name: str) -> list[str]:
    target = tmp_path / "out.pdf"
    render_screenplay_pdf(parse(name), META, "letter", target)
    return [page.extract_text() for page in pypdf.PdfReader(target).pages]


def fdx(name: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(Type, text) of the script paragraphs, and the text of the title page's paragraphs."""
    root = ET.fromstring(render_screenplay_fdx(parse(name), META).encode("utf-8"))
    body = [
        (paragraph.get("Type", ""), "".join(text.text or "" for text in paragraph.iter("Text")))
        for paragraph in root.iterfind("Content//Paragraph")
        if paragraph.get("Type")
    ]
    title = ["".join(text.text or "" for text in p.iter("Text")) for p in root.iterfind("TitlePage/Content/Paragraph")]
    return body, [line for line in title if line]


def html(name: str) -> str:
    return render_screenplay_html(parse(name), META)


def test_title_page_closed_by_spaces(tmp_path: Path) -> None:
    title, script = pdf_pages(tmp_path, "title-page-closed-by-spaces.fountain")
    assert "The Night Ferry" in title and "Title:" not in title + script
    assert script.splitlines()[0] == "INT. FERRY DECK - NIGHT"
    body, title_lines = fdx("title-page-closed-by-spaces.fountain")
    assert title_lines[:3] == ["The Night Ferry", "Written by", "A. Writer"]
    assert body[0] == ("Scene Heading", "INT. FERRY DECK - NIGHT")
    page = html("title-page-closed-by-spaces.fountain")
    assert '<h1 class="title">The Night Ferry</h1>' in page and "<h2>INT. FERRY DECK - NIGHT</h2>" in page


def test_title_page_with_an_unindented_continuation(tmp_path: Path) -> None:
    title, script = pdf_pages(tmp_path, "title-page-unindented-continuation.fountain")
    for line in ("The Night Ferry", "12 Harbour Road", "Portsmouth PO1 2AB", "a.writer@example.org", "1 May 2024"):
        assert line in title
    assert "Contact:" not in title + script and script.splitlines()[0] == "INT. FERRY DECK - NIGHT"
    body, title_lines = fdx("title-page-unindented-continuation.fountain")
    assert "Portsmouth PO1 2AB" in title_lines and body[0][0] == "Scene Heading"
    assert '<p class="contact">12 Harbour Road<br>Portsmouth PO1 2AB<br>' in html(
        "title-page-unindented-continuation.fountain"
    )


def test_escaped_underscore(tmp_path: Path) -> None:
    (script,) = pdf_pages(tmp_path, "escaped-underscore.fountain")
    flat = " ".join(script.split())
    assert "user_name not found" in flat and "snake_case, not *stars*." in flat and "\\" not in flat
    body, _ = fdx("escaped-underscore.fountain")
    root = ET.fromstring(render_screenplay_fdx(parse("escaped-underscore.fountain"), META).encode("utf-8"))
    underlined = [text.text for text in root.iter("Text") if text.get("Style") == "Underline"]
    assert underlined == ["underlined"]  # the writer's own underlining, and nothing else
    assert ("Dialogue", "Type snake_case, not *stars*.") in body
    page = html("escaped-underscore.fountain")
    assert "user_name not found" in page and page.count("<u>") == 1


def test_transition_before_heading(tmp_path: Path) -> None:
    (script,) = pdf_pages(tmp_path, "transition-before-heading.fountain")
    lines = [line.strip() for line in script.splitlines()]
    assert lines.index("CUT TO:") + 1 == lines.index("EXT. HARBOUR - NIGHT")
    assert lines.index("SMASH CUT TO:") + 1 == lines.index("INT. CABIN - NIGHT")
    body, _ = fdx("transition-before-heading.fountain")
    assert [kind for kind, _ in body] == [
        "Scene Heading",
        "Action",
        "Transition",
        "Scene Heading",
        "Action",
        "Transition",
        "Scene Heading",
        "Action",
    ]
    assert "Character" not in {kind for kind, _ in body}
    page = html("transition-before-heading.fountain")
    assert page.count("<h2>") == 3 and page.count('class="transition"') == 2 and 'class="character"' not in page


def test_mac_roman_mojibake(tmp_path: Path) -> None:
    (script,) = pdf_pages(tmp_path, "mac-roman-mojibake.fountain")
    assert "Õ" not in script and "Margot’s lamp flickers. She doesn’t move …" in script
    # The writer's (CONT'D) is read as one: no second one is added.
    assert re.findall(r"MARGOT.*", script) == ["MARGOT", "MARGOT (CONT’D)"]
    body, _ = fdx("mac-roman-mojibake.fountain")
    assert ("Character", "MARGOT (CONT’D)") in body and ("Dialogue", "I’m not leaving. “Not tonight,” I said.") in body
    page = html("mac-roman-mojibake.fountain")
    assert "Õ" not in page and "We’ll see." in page


def test_long_url_in_the_title_page(tmp_path: Path) -> None:
    url = (FIXTURES / "long-url-title.fountain").read_text("utf-8").splitlines()[2].removeprefix("image:")
    title, _ = pdf_pages(tmp_path, "long-url-title.fountain")
    assert url in "".join(title.split())  # wrapped over three lines, nothing lost, underscores kept
    _, title_lines = fdx("long-url-title.fountain")
    assert url in title_lines
    assert url in html("long-url-title.fountain")


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.glob("*.fountain")))
def test_every_fixture_renders_in_every_format(tmp_path: Path, name: str) -> None:
    assert pdf_pages(tmp_path, name) and fdx(name)[0] and "<h2>" in html(name)
