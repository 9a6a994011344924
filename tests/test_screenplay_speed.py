"""Issue 16, Big Fish against afterwriting: the short cuts of a screenplay build give what the
long way gives (no timing here: benchmarks/speed.py times the build)."""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.layout.page import Line, LineKind, line_at, placed_line
from toolkit.layout.text import slice_runs, wrap
from toolkit.model import Action, Run, Span, plain


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


@pytest.mark.parametrize("side", [0, 1, 2])
def test_a_line_moved_to_a_row_is_the_line_its_constructor_makes(side: int) -> None:
    runs = (Run("INT. HOUSE", bold=True),)
    piece = dataclasses.replace(placed_line(LineKind.HEADING, runs, 0, 4, None, side), scene_number="12A")
    moved, made = line_at(piece, 7), Line(LineKind.HEADING, runs, 7, 4, "12A", side)
    assert moved == made and hash(moved) == hash(made) and repr(moved) == repr(made)
    assert dataclasses.asdict(moved) == dataclasses.asdict(made) and piece.row == 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        moved.row = 8  # type: ignore[misc]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(["a", "b", " ", "-", ".", "—"]), max_size=90),
    st.integers(min_value=1, max_value=30),
    st.tuples(st.booleans(), st.booleans(), st.booleans()),
)
def test_a_text_of_one_run_wraps_as_the_same_text_in_runs(text: str, width: int, styles: tuple[bool, ...]) -> None:
    """A text of one run is sliced directly (issue 16): the lines are the ones slicing the runs
    of the same text gives (here with an empty run beside it, which the slicing drops)."""
    italic, bold, underline = styles
    one = (Run(text, italic, bold, underline),)
    assert wrap(one, width) == wrap((*one, Run("", bold=True)), width)


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


PIL_PROBE = """
import sys
from pathlib import Path
from toolkit.metadata import Metadata
from toolkit.model import Action, Run, Screenplay, Span
from toolkit.render.screenplay_pdf import render_screenplay_pdf

meta = Metadata("T", "A", "en", "urn:uuid:00000000-0000-0000-0000-000000000001", 1700000000)
action = Action(Span("screenplay/a.fountain", 1), ((Run("She waits."),),), False)
render_screenplay_pdf(Screenplay(("screenplay/a.fountain",), (), (action,), ()), meta, "letter", Path(sys.argv[1]))
loaded = "PIL._imaging" in sys.modules  # Pillow's C core: loaded by PIL.Image's code
from PIL import Image
print(loaded, Image.new("RGB", (3, 2)).size, "PIL._imaging" in sys.modules)
"""


def test_a_screenplay_pdf_leaves_pillow_unloaded_until_used(tmp_path: Path) -> None:
    """ReportLab imports PIL.Image for bitmaps a screenplay never has: its code runs only when
    something reads from it, and then the whole module is there."""
    result = subprocess.run(
        [sys.executable, "-c", PIL_PROBE, str(tmp_path / "a.pdf")], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "(3,", "2)", "True"]
    assert pypdf.PdfReader(tmp_path / "a.pdf").pages[0].extract_text().strip() == "She waits."


def test_pieces_written_directly_are_reportlabs_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text the drawing writes as ``(codes) Tj`` itself, escaped from its table, and lines placed
    by the operator kept for their row and column give the file that ReportLab's ``_textOut``
    and ``setTextOrigin`` give for every piece and line: styles, scene numbers, empty runs,
    characters PDF strings escape, characters only the fallback face has, and more distinct
    characters than a subset holds (a second subset)."""
    from toolkit.metadata import Metadata
    from toolkit.model import Action, Dialogue, DialogueLine, SceneHeading, Screenplay, Span
    from toolkit.render.screenplay_pdf import _Drawer, render_screenplay_pdf

    def at(line: int) -> Span:
        return Span("screenplay/a.fountain", line)

    many = "".join(chr(code) for code in range(0x100, 0x250))  # Latin Extended: past one subset of 256
    elements = (
        SceneHeading(at(1), (Run("INT. HOUSE (NIGHT) — 1"),), "12A"),
        Action(at(3), ((Run("She "), Run("runs", italic=True), Run(""), Run(" fast\\(ish)", bold=True)),), False),
        Action(at(5), ((Run("Привет, Ελλάδα: 10 ¾ € ‘quoted’ …"),), (Run(many),)), False),
        Dialogue(at(8), "MARGOT", "MARGOT", (DialogueLine(at(9), (Run("Well? ✓ ✗", underline=True),), False),)),
        SceneHeading(at(11), (Run("EXT. END"),), "13"),
    )
    screenplay = Screenplay(("screenplay/a.fountain",), (), elements * 30, ())
    meta = Metadata("T", "A", "en", "urn:uuid:00000000-0000-0000-0000-000000000001", 1700000000)
    direct, through = tmp_path / "direct.pdf", tmp_path / "through.pdf"
    written: list[str] = []
    show = _Drawer.show

    def counted(self: _Drawer, canvas: object, text: object, piece: str) -> None:
        written.append(piece)
        show(self, canvas, text, piece)

    from reportlab.pdfgen.textobject import PDFTextObject

    through_reportlab: list[str] = []
    text_out = PDFTextObject._textOut

    def text_out_counted(self: PDFTextObject, piece: str, TStar: int = 0) -> None:
        through_reportlab.append(piece)
        text_out(self, piece, TStar)

    placed: list[tuple[int, float]] = []
    origin = _Drawer.origin

    def origin_counted(self: _Drawer, text: object, row: int, column: float, x: float, y: float) -> None:
        placed.append((row, column))
        origin(self, text, row, column, x, y)

    monkeypatch.setattr(_Drawer, "show", counted)
    monkeypatch.setattr(_Drawer, "origin", origin_counted)
    monkeypatch.setattr(PDFTextObject, "_textOut", text_out_counted)
    render_screenplay_pdf(screenplay, meta, "letter", direct)
    monkeypatch.setattr(PDFTextObject, "_textOut", text_out)
    monkeypatch.setattr(_Drawer, "show", lambda self, canvas, text, piece: text._textOut(piece))
    monkeypatch.setattr(_Drawer, "origin", lambda self, text, row, column, x, y: text.setTextOrigin(x, y))
    render_screenplay_pdf(screenplay, meta, "letter", through)
    assert len(written) > 500 and len(through_reportlab) < len(written) * 0.8  # many written directly
    assert direct.read_bytes() == through.read_bytes()
    assert len(placed) >= 300 and len(set(placed)) < len(placed) / 2  # lines at places seen before


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(["a", " ", "\n", "\t", "é", "[", "]", "#", "="]), max_size=60),
    st.booleans(),
    st.integers(min_value=0, max_value=5),
)
def test_lines_split_at_line_feeds_as_at_every_break(text: str, as_tuple: bool, first: int) -> None:
    """Text with no carriage return is split by ``str.split``: the lines (text, offsets, start)
    are the ones the pattern of every break gives, with offsets as a range or a tuple."""
    from toolkit.parsers.fountain import _iter_broken_lines, _iter_lines

    offsets = tuple(range(first, first + len(text))) if as_tuple else range(first, first + len(text))
    assert list(_iter_lines(text, offsets, first)) == list(_iter_broken_lines(text, offsets, first))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "INT. HOUSE - DAY\n\nShe waits.\n\n\nBOB\nHi. [[a note\nover two lines]]\n(beat)\nBye.\n",
        "CUT TO:\nINT. HOUSE - DAY\nShe waits.\n\n[[only a note]]\n\n= synopsis\n\n#Act\n",
        "BOB\nHi.\n\nALICE ^\nHello.\n   \nShe goes.\n  \nEnd.",
        "Title: T\nAuthor: A\n\nINT. X\r\n\r\nAction.\rMore.\n",
    ],
)
def test_paragraphs_are_the_ones_grouping_blank_lines_gives(text: str) -> None:
    """Paragraphs cut by a loop over the lines, notes looked for only where "[[" is: the
    screenplay is the one the paragraphs cut by itertools.groupby gave (toolkit at issue 16's
    fourth round, kept here as the reference)."""
    from toolkit.parsers import fountain, fountain_intent

    def grouped(self: fountain._Builder, locator: fountain._Locator, lines: Iterable[fountain._Line]) -> None:
        self.file_start = True
        for blank, group in itertools.groupby(lines, key=lambda line: line.text == ""):
            if not blank:
                paragraph = list(group)
                cuts = [0, *fountain_intent.heading_splits([line.text for line in paragraph]), len(paragraph)]
                for start, end in itertools.pairwise(cuts):
                    lines_, notes = fountain._remove_notes(locator, paragraph[start:end])
                    if lines_ and "\n".join(line.text for line in lines_) not in ("", " "):
                        self._add_lines(locator, lines_)
                        del self.paragraphs[:-1], self.where[:-1]
                    self.elements.extend(notes)
                    self.file_start = False

    files = [("screenplay/a.fountain", text), ("screenplay/b.fountain", text)]
    quick = fountain.parse_screenplay(files)
    original = fountain._Builder.add_file
    try:
        fountain._Builder.add_file = grouped  # type: ignore[method-assign]
        reference = fountain.parse_screenplay(files)
    finally:
        fountain._Builder.add_file = original  # type: ignore[method-assign]
    assert quick == reference and repr(quick) == repr(reference)


def test_other_space_is_every_white_space_a_line_can_hold_besides_spaces_and_tabs() -> None:
    """``_OTHER_SPACE`` is what the pattern's ``\\s`` matches, less the space, the tab and the
    line breaks screenplain splits at: every other kind a tab-free line can hold."""
    import re

    from toolkit.parsers.fountain import _OTHER_SPACE

    every = "".join(map(chr, range(0x110000)))
    assert set(_OTHER_SPACE) == set(re.findall(r"\s", every)) - set(" \t\n\r")
    assert len(_OTHER_SPACE) == len(set(_OTHER_SPACE))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([" ", "\t", "\xa0", "\u3000", "\x0b", "\x85", "*", "_", "a", "\n", "\r"]),
            st.integers(min_value=1, max_value=130),
        ),
        max_size=8,
    )
)
def test_a_line_with_a_long_run_is_never_missed(pieces: list[tuple[str, int]]) -> None:
    """Whenever a line without a tab holds a run the pattern finds (what ``_short_runs`` cuts),
    ``_may_hold_long_runs`` says so, however the kinds of white space are mixed."""
    from screenplain.parsers import fountain as sp

    from toolkit.parsers.fountain import _LONG_RUN, _may_hold_long_runs

    text = "".join(char * count for char, count in pieces)
    lines = sp.linebreak_re.split(text)
    if any(_LONG_RUN.search(line) for line in lines if "\t" not in line):
        assert _may_hold_long_runs(text)
    if _LONG_RUN.search(text) is None:
        assert not _may_hold_long_runs(text)


@pytest.mark.parametrize(
    "text",
    [
        "INT. HOUSE - DAY\n\nShe\xa0waits." + " " * 50 + "\xa0" + " " * 60 + "x\n\nBOB\nHi" + "*" * 120 + "\n",
        "INT. HOUSE - DAY\n\nA gap:\t" + " " * 120 + "end.\n\nRuns " + " " * 60 + "\n" + " " * 60 + " over lines.\n",
        "INT. HOUSE - DAY\n\nNone here: " + "_" * 100 + " and \u3000" * 3 + ".\n",
    ],
)
def test_a_screenplay_is_the_one_the_whole_text_pattern_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse with runs looked for by substring searches is the parse with the pattern
    searched over the whole text (fabula before issue 16's sixth round)."""
    from toolkit.parsers import fountain

    quick = fountain.parse_screenplay([("screenplay/a.fountain", text)])
    monkeypatch.setattr(fountain, "_may_hold_long_runs", lambda text: fountain._LONG_RUN.search(text) is not None)
    reference = fountain.parse_screenplay([("screenplay/a.fountain", text)])
    assert quick == reference and repr(quick) == repr(reference)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", " ", "\n", "\r", "é", "\t"]), max_size=60))
def test_line_starts_are_the_ones_the_pattern_of_every_break_gives(text: str) -> None:
    """The locator's line starts, summed from the lines' lengths when the text has no carriage
    return, are the ends of screenplain's line breaks."""
    from screenplain.parsers import fountain as sp

    from toolkit.parsers.fountain import _Locator

    expected = [0, *(match.end() for match in sp.linebreak_re.finditer(text))]
    assert list(_Locator("a.fountain", text).starts) == expected
    no_return = text.replace("\r", "")
    expected = [0, *(match.end() for match in sp.linebreak_re.finditer(no_return))]
    assert list(_Locator("a.fountain", no_return).starts) == expected


def test_screenplains_own_markers_in_the_source_become_replacement_characters() -> None:
    """A stray U+E700..U+E707 (screenplain's in-band emphasis markers, never typed) is U+FFFD,
    found by a substring search for each rather than the pattern's scan of the whole text."""
    from toolkit.parsers.fountain import parse_screenplay

    text = "INT. HOUSE - DAY\n\nShe \ue700waits\ue707 \ue703.\n"
    action = parse_screenplay([("screenplay/a.fountain", text)]).scenes[0].elements[1]
    assert "".join(run.text for row in action.lines for run in row) == "She \ufffdwaits\ufffd \ufffd."


_EMPHASIS_TEXT = st.text(alphabet=st.sampled_from([*"aB *_\\.(:^~", "\ue706", "\ue707", "\xa0"]), max_size=40)


@settings(max_examples=400, deadline=None)
@given(_EMPHASIS_TEXT)
def test_a_lines_emphasis_is_screenplains(source: str) -> None:
    """Lines with no emphasis skip screenplain's parse_emphasis and come out equal to what it makes."""
    from screenplain.richstring import parse_emphasis

    from toolkit.parsers.fountain import _parse_emphasis

    quick, reference = _parse_emphasis(source), parse_emphasis(source)
    assert quick == reference and repr(quick) == repr(reference) and str(quick) == str(reference)
    assert [segment.styles for segment in quick.segments] == [segment.styles for segment in reference.segments]


@pytest.mark.parametrize("marker", [chr(code) for code in range(0xE700, 0xE706)])
def test_screenplains_own_markers_still_go_to_it(marker: str) -> None:
    from screenplain.richstring import parse_emphasis

    from toolkit.parsers.fountain import _parse_emphasis

    def outcome(parse: Callable[[str], object], source: str) -> str:
        try:
            return repr(parse(source))
        except Exception as error:  # screenplain raises on an unmatched marker of its own
            return repr(error)

    for source in (f"a{marker}b", f"{marker}", f"\ue700x{marker}"):
        assert outcome(_parse_emphasis, source) == outcome(parse_emphasis, source)


def test_only_lines_with_emphasis_reach_screenplains_parse_emphasis(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse asks screenplain's own parse_emphasis only about lines that may hold emphasis."""
    from toolkit.parsers import fountain

    asked: list[str] = []
    original = fountain._screenplain_emphasis

    def recording(source: str) -> object:
        asked.append(source)
        return original(source)

    monkeypatch.setattr(fountain, "_screenplain_emphasis", recording)
    text = "INT. HOUSE - DAY\n\nShe waits by the *door*.\n\nBOB\n(quietly)\nNot _now_.\n\nHe leaves.\n\nCUT TO:\n"
    screenplay = fountain.parse_screenplay([("screenplay/a.fountain", text)])
    assert asked == ["She waits by the *door*.", "Not _now_."]
    action = screenplay.elements[1]
    assert isinstance(action, Action) and [plain(line) for line in action.lines] == ["She waits by the door."]


def test_blocks_reuse_the_parses_runs_and_are_plain_tuples() -> None:
    """The FDX and HTML blocks: an action's runs are the parse's own (lyrics alone made again, in
    italics), and paragraphs and blocks are named tuples, made without a dataclass's __init__."""
    from toolkit.model import SceneHeading
    from toolkit.parsers.fountain import parse_screenplay
    from toolkit.render.screenplay_blocks import Block, Paragraph, _blocks

    text = (
        "INT. HOUSE - DAY\n\n= The summary\n\nShe *waits*.\n\nHe leaves.\nThe door shuts.\n\n~Sing *low*\n~and long\n\n"
        "===\n\nBOB\n(quietly)\nHi.\n\nANN ^\nHo.\n\nCUT TO:\n"
    )
    play = parse_screenplay([("screenplay/a.fountain", text)])
    found = _blocks(play, False)
    assert all(isinstance(block, tuple) and all(isinstance(p, tuple) for p in block.paragraphs) for block in found)
    actions = [element for element in play.elements if isinstance(element, Action)]
    assert found[1].paragraphs[0].runs is actions[0].lines[0]
    assert found[2].paragraphs[0].runs == (*actions[1].lines[0], Run("\n"), *actions[1].lines[1])
    lyric = found[3].paragraphs[0]
    assert lyric.kind == "lyric" and all(run.italic == (run.text != "\n") for run in lyric.runs)
    assert [(run.text, run.bold) for run in lyric.runs] == [
        ("Sing ", False),
        ("low", False),
        ("\n", False),
        ("and long", False),
    ]
    dual = found[4]
    assert dual.dual and dual.paragraphs[0].new_page and [p.kind for p in dual.right] == ["character", "dialogue"]
    heading = play.elements[0]
    assert isinstance(heading, SceneHeading)
    assert found[0] == Block((Paragraph("heading", heading.text, None, False, "The summary"),))
    assert repr(found[5]) == (
        "Block(paragraphs=(Paragraph(kind='transition', runs=(Run(text='CUT TO:', italic=False, bold=False, "
        "underline=False),), number=None, new_page=False, summary=None),), right=())"
    )


@pytest.mark.parametrize("text", ["plain", "a < b & 'c' \"d\" > e", ""])
def test_the_run_filters_write_each_style_as_worked_out_one_by_one(text: str) -> None:
    """fdx_texts and html_runs look each run's style up in a table of the eight (issue 16): the
    same markup as working it out for each run."""
    from markupsafe import escape

    from toolkit.render.screenplay_blocks import _FDX_STYLES, _HTML_TAGS, fdx_texts, html_runs

    assert len(_FDX_STYLES) == len(_HTML_TAGS) == 8
    runs = tuple(
        Run(f"{text}{n}", italic, bold, underline)
        for n, (bold, italic, underline) in enumerate(itertools.product((False, True), repeat=3))
    )
    fdx, html = [], []
    for run in runs:
        style = "+".join(
            n for n, on in (("Bold", run.bold), ("Italic", run.italic), ("Underline", run.underline)) if on
        )
        fdx.append(f'<Text Style="{style}">{escape(run.text)}</Text>' if style else f"<Text>{escape(run.text)}</Text>")
        tags = [t for t, on in (("b", run.bold), ("i", run.italic), ("u", run.underline)) if on]
        html.append("".join(f"<{t}>" for t in tags) + str(escape(run.text)) + "".join(f"</{t}>" for t in tags[::-1]))
    assert str(fdx_texts(runs)) == "".join(fdx) and str(html_runs(runs)) == "".join(html)
    assert str(fdx_texts(())) == "" and type(fdx_texts(runs)).__name__ == type(html_runs(runs)).__name__ == "Markup"


def test_a_faces_table_is_made_again_only_when_a_code_is_placed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drawing keeps each face's quick table for the document and asks the font for it again
    only once ReportLab has placed a new code, not for every piece (issue 16)."""
    from toolkit.metadata import Metadata
    from toolkit.model import Action, Screenplay, Span
    from toolkit.render.screenplay_pdf import _Drawer, _quick_font_class, render_screenplay_pdf

    quick_font = _quick_font_class()
    asked: list[object] = []
    table = quick_font.quick_table

    def counted(self: object, doc: object) -> object:
        asked.append(doc)
        return table(self, doc)

    pieces: list[str] = []
    show = _Drawer.show

    def shown(self: _Drawer, canvas: object, text: object, piece: str) -> None:
        pieces.append(piece)
        show(self, canvas, text, piece)

    from reportlab.pdfgen.textobject import PDFTextObject

    through_reportlab: list[str] = []  # each asks the font for its table (QuickTTFont.splitString)
    text_out = PDFTextObject._textOut

    def text_out_counted(self: PDFTextObject, piece: str, TStar: int = 0) -> None:
        through_reportlab.append(piece)
        text_out(self, piece, TStar)

    monkeypatch.setattr(quick_font, "quick_table", counted)
    monkeypatch.setattr(_Drawer, "show", shown)
    monkeypatch.setattr(PDFTextObject, "_textOut", text_out_counted)
    lines = ((Run("She waits by the door."),), (Run("She "), Run("waits", bold=True), Run(".")))
    elements = tuple(Action(Span("screenplay/a.fountain", 2 * n + 1), lines, False) for n in range(100))
    meta = Metadata("T", "A", "en", "urn:uuid:00000000-0000-0000-0000-000000000001", 1700000000)
    render_screenplay_pdf(Screenplay(("screenplay/a.fountain",), (), elements, ()), meta, "letter", tmp_path / "a.pdf")
    assert len(pieces) >= 400 and len(pieces) - len(through_reportlab) >= 150  # many written directly
    assert 0 < len(asked) - len(through_reportlab) < 20


def test_the_parse_places_each_span_it_keeps_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every source place the parse works out is one the screenplay keeps: a dialogue's or an
    action's first line is not placed twice (issue 16)."""
    from toolkit.model import Dialogue, DualDialogue, SceneHeading, Transition
    from toolkit.parsers import fountain

    placed: list[Span] = []
    span = fountain._Locator.span

    def counted(self: fountain._Locator, offset: int) -> Span:
        placed.append(span(self, offset))
        return placed[-1]

    monkeypatch.setattr(fountain._Locator, "span", counted)
    text = "INT. HOUSE - DAY\n\nShe waits.\nThen leaves.\n\nBOB\n(quietly)\nHi.\n\nANN ^\nHo.\n\nCUT TO:\n\n===\n"
    play = fountain.parse_screenplay([("screenplay/a.fountain", text)])
    kept: list[Span] = []
    for element in play.elements:
        dialogues = (element.left, element.right) if isinstance(element, DualDialogue) else (element,)
        for each in dialogues:
            kept.append(each.span)
            if isinstance(each, Dialogue):
                kept.extend(line.span for line in each.lines)
    assert [type(e) for e in play.elements][:2] == [SceneHeading, Action] and isinstance(play.elements[-2], Transition)
    assert sorted(placed) == sorted(kept)


@pytest.mark.parametrize("name", ["fountain/big-fish", "fountain-pro/deeper"])
def test_blocks_keep_their_parts_sizes_and_first_break_is_the_first_of_all(shared_dir: Path, name: str) -> None:
    """A paragraph's blocks keep how many rows each part wrapped to, and the first place a
    block may break, found alone (asked of the block after every scene heading), is the first
    of the whole list of its breaks (issue 16)."""
    from toolkit.layout import LayoutOptions
    from toolkit.layout.blocks import blocks
    from toolkit.layout.breaks import breaks, first_break, rest_block
    from toolkit.parsers.fountain import parse_screenplay

    text = (shared_dir / "corpus" / f"{name}.fountain").read_text(encoding="utf-8-sig")
    screenplay = parse_screenplay([("screenplay/a.fountain", text)])
    made = [block for block in blocks(screenplay, LayoutOptions()) if block.parts]
    rests = [rest_block(block, found) for block in made for found in breaks(block)]
    assert len(made) > 500 and len(rests) > 100
    for block in made + rests:
        assert block.sizes == tuple(len(part.rows()) for part in block.parts)
        assert len(block.rows) == block.head + sum(block.sizes)
    fresh = [block for block in blocks(screenplay, LayoutOptions()) if block.parts]
    alone = [first_break(block) for block in fresh]
    assert all(block.breaks is None for block in fresh)  # found without making the whole list
    assert alone == [next(iter(breaks(block)), None) for block in fresh]
    assert sum(found is not None for found in alone) > 100


def test_saving_with_memoized_names_and_strings_gives_reportlabs_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF saved while ReportLab's ``PDFName`` and ``pdfdocEnc`` answer from a memo is the
    one ReportLab's own functions save (bookmarks, non-Latin titles, escapes), the memo answers
    most of the questions, and ReportLab's functions are back in place afterwards (issue 16)."""
    import contextlib

    from reportlab.pdfbase import pdfdoc

    from toolkit.metadata import Metadata
    from toolkit.model import Element, SceneHeading, Screenplay, Section
    from toolkit.render import screenplay_pdf

    name, encode = pdfdoc.PDFName, pdfdoc.pdfdocEnc
    asked: list[object] = []

    def counted_name(data: str) -> str:
        asked.append(data)
        return name(data)

    monkeypatch.setattr(pdfdoc, "PDFName", counted_name)
    at = Span("screenplay/a.fountain", 1)
    elements: list[Element] = [Section(at, "ACT ONE — Привет (1)", 1)]
    for n in range(60):
        elements.append(SceneHeading(at, (Run(f"INT. HOUSE \\ ROOM ({n}) — ΕΛΛΆΔΑ"),), None))
        elements.append(Action(at, ((Run("She waits "), Run("here.", bold=True)),), False))
    screenplay = Screenplay(("screenplay/a.fountain",), (), tuple(elements), ())
    meta = Metadata("Title (1) — é", "A", "en", "urn:uuid:00000000-0000-0000-0000-000000000001", 1700000000)
    memoized, plain_save = tmp_path / "memoized.pdf", tmp_path / "plain.pdf"
    screenplay_pdf.render_screenplay_pdf(screenplay, meta, "letter", memoized)
    assert (pdfdoc.PDFName, pdfdoc.pdfdocEnc) == (counted_name, encode)
    through_memo = len(asked)
    asked.clear()
    monkeypatch.setattr(screenplay_pdf, "_memoized_formatting", contextlib.nullcontext)
    screenplay_pdf.render_screenplay_pdf(screenplay, meta, "letter", plain_save)
    assert memoized.read_bytes() == plain_save.read_bytes()
    assert len(asked) > 500 and through_memo < len(asked) / 5  # the rest answered from the memo
