"""Screenplay PDF: draws the pages of toolkit.layout with ReportLab (text, bookmarks, metadata)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from toolkit.errors import FabulaError
from toolkit.layout import Bookmark, Layout, LayoutOptions, LineKind, paginate, title_page_lines
from toolkit.metadata import Metadata
from toolkit.model import RichText, Screenplay

# reportlab.rl_config.invariant is process-wide: renders that flip it must not overlap.
_INVARIANT_LOCK = threading.Lock()

POINT_SIZE = 12
ROW = 12.0  # 6 lines an inch
COLUMN = 7.2  # 10 characters an inch
LEFT = 108.0  # the text block starts 1.5" from the left edge
TOP = 72.0  # on US letter, 1" from the top; A4 moves the same block down to centre it
ASCENT = 9.0  # baseline below the top of a row
PAPERS = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}
_FONTS = Path(__file__).resolve().parent.parent / "fonts"
FALLBACK = "FabulaFallback"  # DejaVu Sans Mono: Cyrillic, Greek, and most of Latin Extended


@dataclass(frozen=True)
class PdfOptions:
    layout: LayoutOptions = field(default_factory=LayoutOptions)
    font: Path | None = None  # a TrueType file for the regular face; None: Courier Prime
    watermark: str | None = None  # large grey text across every script page
    header: str | None = None  # top left of every script page
    footer: str | None = None  # centred at the foot of every script page
    stamp: str | None = None  # e.g. "BLUE REVISION": top centre of the pages in stamp_pages
    stamp_pages: tuple[int, int] | None = None  # first and last script page; None: every page


def render_screenplay_pdf(
    screenplay: Screenplay,
    meta: Metadata,
    paper: str,
    target: Path,
    options: PdfOptions | None = None,
    layout: Layout | None = None,
) -> Layout:
    """Write ``screenplay`` as a standard-format PDF on ``paper`` ("letter" or "a4") to ``target``.

    ``layout`` is the screenplay already paginated with ``options.layout`` (the story's, which
    the stats read too); without it the screenplay is paginated here. Returns the layout drawn.
    """
    if paper not in PAPERS:
        raise FabulaError(f"unknown paper {paper!r} (known: {', '.join(PAPERS)})")
    options = options or PdfOptions()
    if layout is None:
        layout = paginate(screenplay, options.layout)
    elif layout.options != options.layout:
        raise ValueError("the layout was paginated with other options than the PDF's")
    _pil_on_first_use()
    fonts = _register_fonts(str(options.font) if options.font else None)
    from reportlab import rl_config

    with _INVARIANT_LOCK:
        saved = rl_config.invariant, rl_config.useA85
        # Invariant mode fixes the document ID and other per-run values; the date comes from meta.epoch.
        # ASCII85 (on by default) only makes streams 25% larger and costs ~60 ms on a feature script.
        rl_config.invariant, rl_config.useA85 = 1, 0
        try:
            _Drawer(screenplay, meta, paper, options, fonts).draw(layout, target)
        finally:
            rl_config.invariant, rl_config.useA85 = saved
    return layout


@cache
def _pil_on_first_use() -> None:
    """Make ``PIL.Image`` a module that loads when something first reads from it.

    ReportLab imports it with its own first import (reportlab.lib.utils), for the bitmaps a
    screenplay never draws: a fifth of ReportLab's import, ~20 ms of every screenplay PDF
    (issue 16). The standard library's ``importlib.util.LazyLoader`` runs the module's code
    on the first attribute read instead, so ``from PIL import Image`` stays cheap and anything
    that does use Pillow later gets the whole module. Nothing is done when PIL.Image is
    already imported, or when Pillow cannot be found (ReportLab's import then fails as before).
    """
    import importlib.util
    import sys

    if "PIL.Image" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("PIL.Image")
    except ImportError:
        return
    if spec is None or spec.loader is None:
        return
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    loader.exec_module(module)
    vars(sys.modules["PIL"])["Image"] = module  # as an import binds a submodule to its package


# ---------------------------------------------------------------- fonts


class _Fonts:
    """The faces of one font family, each registered with ReportLab the first time it is drawn.

    Parsing a TrueType file costs ~15 ms; a script that never goes bold or leaves Latin script
    should not pay for those faces.
    """

    def __init__(self, custom: str | None) -> None:
        if custom is None:  # Courier Prime, shipped with fabula (toolkit/fonts/, OFL)
            self.files = {
                (False, False): _FONTS / "CourierPrime-Regular.ttf",
                (True, False): _FONTS / "CourierPrime-Bold.ttf",
                (False, True): _FONTS / "CourierPrime-Italic.ttf",
                (True, True): _FONTS / "CourierPrime-BoldItalic.ttf",
            }
            self.prefix = "CourierPrime"
        else:
            path = Path(custom)
            self.files = dict.fromkeys([(False, False), (True, False), (False, True), (True, True)], path)
            self.prefix = f"Custom-{path.stem}"
        self.registered: dict[tuple[bool, bool], str] = {}
        regular = _register(self.name(False, False), str(self.files[(False, False)]))
        self.glyphs = frozenset(map(chr, regular.face.charToGlyph))  # what the main face can draw

    def name(self, bold: bool, italic: bool) -> str:
        return f"{self.prefix}{'-Bold' if bold else ''}{'-Italic' if italic else ''}"

    def face(self, bold: bool, italic: bool) -> str:
        name = self.registered.get((bold, italic))
        if name is None:  # asked for once a run: remember it, so a script of 7,000 lines asks cheaply
            name = self.registered[(bold, italic)] = self.name(bold, italic)
            _register(name, str(self.files[(bold, italic)]))
        return name

    @cached_property
    def fallback(self) -> str:
        """The registered name of the fallback face (DejaVu Sans Mono, shipped with fabula)."""
        _register(FALLBACK, str(_FONTS / "DejaVuSansMono.ttf"))
        return FALLBACK

    @cached_property
    def fallback_scale(self) -> float:
        """Horizontal scale that gives the fallback face the main face's pitch."""
        from reportlab.pdfbase import pdfmetrics

        pitch = pdfmetrics.stringWidth("M", self.face(False, False), POINT_SIZE)
        return 100.0 * pitch / pdfmetrics.stringWidth("M", self.fallback, POINT_SIZE)


@cache
def _register(name: str, path: str) -> Any:
    _pil_on_first_use()
    from reportlab.pdfbase import pdfmetrics

    try:
        font = _quick_font_class()(name, path)
    except Exception as error:  # ReportLab raises its own TTFError and OSError alike
        raise FabulaError(f"cannot use font: {error}", path=path) from None
    pdfmetrics.registerFont(font)
    return font


@cache
def _quick_font_class() -> type:
    """ReportLab's TTFont, whose ``splitString`` (the subset and codes of each character drawn,
    a Python loop over every character of the script: a fifth of the PDF's time) answers text
    made of characters it has already placed in the first subset through ``str.translate``.
    Its answer is the same: a placed character keeps its code, and text of first-subset codes
    is one chunk. Anything else (a character not placed yet, a second subset) goes to ReportLab."""
    import weakref

    from reportlab.pdfbase.ttfonts import TTFont

    class QuickTTFont(TTFont):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # Per document, as ReportLab keeps its states: (codes placed, their characters, table).
            self._quick: weakref.WeakKeyDictionary[Any, tuple[int, frozenset[str], dict[int, str]]] = (
                weakref.WeakKeyDictionary()
            )

        def quick_table(self, doc: Any) -> tuple[int, frozenset[str], dict[int, str]] | None:
            """(codes placed, their characters, table) of ``doc``'s first subset; None before
            ReportLab has begun one."""
            state = self.state.get(doc)
            if state is None:
                return None
            quick = self._quick.get(doc)
            if quick is None or quick[0] != len(state.assignments):
                placed = {code: n for code, n in state.assignments.items() if n < 256}
                if 32 in placed:  # a no-break space is drawn as a space
                    placed[0xA0] = placed[32]
                quick = self._quick[doc] = (
                    len(state.assignments),
                    frozenset(map(chr, placed)),
                    {code: chr(n) for code, n in placed.items()},
                )
            return quick

        def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> Any:
            quick = self.quick_table(doc) if isinstance(text, str) else None
            if quick is None or not quick[1].issuperset(text):
                return super().splitString(text, doc, encoding)
            return [(0, text.translate(quick[2]).encode("latin-1"))] if text else []

    return QuickTTFont


@cache
def _register_fonts(custom: str | None) -> _Fonts:
    return _Fonts(custom)


def _segments(text: str, glyphs: frozenset[str]) -> Iterator[tuple[str, bool]]:
    """Splits text into stretches the main face draws (False) and ones for the fallback (True)."""
    if glyphs.issuperset(text):
        yield text, False  # the usual case: one stretch
        return
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or (text[index] in glyphs) != (text[start] in glyphs):
            yield text[start:index], text[start] not in glyphs and not text[start].isspace()
            start = index


# ---------------------------------------------------------------- drawing


class _Drawer:
    def __init__(self, screenplay: Screenplay, meta: Metadata, paper: str, options: PdfOptions, fonts: _Fonts) -> None:
        self.screenplay = screenplay
        self.meta = meta
        self.width, self.height = PAPERS[paper]
        self.top = TOP + (self.height - PAPERS["letter"][1]) / 2
        self.options = options
        self.fonts = fonts
        self.loaded: dict[str, Any] = {}  # ReportLab's font object of each face drawn, by name
        # Each face's quick_table for this document, with ReportLab's state of it (whose count
        # of codes placed says when the table must be made again), by name.
        self.quick: dict[str, tuple[int, frozenset[str], dict[int, str], Any]] = {}
        self.origins: dict[tuple[int, float], str] = {}  # what setTextOrigin writes, by row and column

    def baseline(self, row: int) -> float:
        return self.height - self.top - row * ROW - ASCENT

    def draw(self, layout: Layout, target: Path) -> None:
        from reportlab.pdfbase.pdfdoc import TimeStamp
        from reportlab.pdfgen.canvas import Canvas

        canvas = Canvas(
            str(target),
            pagesize=(self.width, self.height),
            invariant=1,
            lang=self.meta.language,
            initialFontName=self.fonts.face(False, False),  # no stray Helvetica resource
            initialFontSize=POINT_SIZE,
        )
        canvas._doc._timeStamp = _timestamp(TimeStamp, self.meta.epoch)
        canvas.setTitle(self.meta.title)
        canvas.setAuthor(self.meta.author or "")  # "" rather than None: ReportLab writes "(anonymous)"
        canvas.setCreator("fabula")
        canvas.setProducer("fabula")
        canvas.setSubject("Screenplay")  # ReportLab's default reads "unspecified"
        title_lines = title_page_lines(self.screenplay.title_page, layout.options.lines_per_page)
        # Page labels, so that a viewer's page 2 is the script's page 2: the title page is "Title".
        if title_lines:
            canvas.addPageLabel(0, prefix="Title")
        canvas.addPageLabel(1 if title_lines else 0, style="D", start=1)
        if title_lines:
            text = self.begin(canvas)
            for title_line in title_lines:
                # Centred on the paper, as Final Draft centres a title page (on A4 the text block,
                # 1.5" from the left edge, is 0.37" right of the middle of the sheet).
                column: float = title_line.column
                if title_line.align == "center":
                    column = (self.width / 2 - LEFT) / COLUMN - len(title_line.text) / 2
                self.text(canvas, text, title_line.runs, title_line.row, column)
            canvas.drawText(text)
            canvas.showPage()
        marks: dict[int, list[Bookmark]] = {}
        for bookmark in layout.bookmarks:
            marks.setdefault(bookmark.position.page, []).append(bookmark)
        level = -1
        for page in layout.pages:
            self.furniture(canvas, page.number)
            for index, bookmark in enumerate(marks.get(page.number, ())):
                key = f"p{page.number}b{index}"
                canvas.bookmarkPage(key, fit="XYZ", left=0, top=self.baseline(bookmark.position.row) + ROW)
                # PDF outlines may open at most one level deeper than the entry before.
                level = min(bookmark.level - 1, level + 1)
                canvas.addOutlineEntry(bookmark.title, key, level=level, closed=level > 0)
            # One text object a page: a text object a line costs a third of the drawing time.
            text = self.begin(canvas)
            for line in page.lines:
                if line.kind is LineKind.NOTE:
                    text.setFillGray(0.4)
                self.text(canvas, text, line.runs, line.row, line.column, line.scene_number)
                if line.kind is LineKind.NOTE:
                    text.setFillGray(0)
            canvas.drawText(text)
            canvas.showPage()
        if layout.bookmarks:
            canvas.showOutline()
        with _memoized_formatting():
            canvas.save()

    def furniture(self, canvas: Any, number: int) -> None:
        """Watermark, header, footer, draft stamp and page number of one script page."""
        options = self.options
        if options.watermark:
            canvas.saveState()
            canvas.setFillGray(0.88)
            canvas.setFont(self.fonts.face(True, False), 60)
            canvas.translate(self.width / 2, self.height / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -20, options.watermark)
            canvas.restoreState()
        above = self.height - self.top + 36 - ASCENT  # half an inch above the text block
        regular = self.fonts.face(False, False)
        canvas.setFont(regular, POINT_SIZE)
        if options.header:
            canvas.drawString(LEFT, above, options.header)
        if options.footer:
            canvas.drawCentredString(
                LEFT + 30 * COLUMN, self.baseline(self.options.layout.lines_per_page) - ROW, options.footer
            )
        first, last = options.stamp_pages or (1, 10**9)
        if options.stamp and first <= number <= last:
            canvas.drawCentredString(LEFT + 30 * COLUMN, above, options.stamp)
        if number >= 2:
            canvas.drawRightString(LEFT + 60 * COLUMN, above, f"{number}.")

    def show(self, canvas: Any, text: Any, piece: str) -> None:
        """``text._textOut(piece)``, writing the operator itself where the piece needs no font
        change and every character of it is placed in the face's first subset (the usual case):
        ``(codes) Tj``, as ReportLab's ``_formatText`` writes it for that one chunk, without its
        work for every piece (looking the font up, saving and restoring the text state, the
        branches for shaped and multi-byte fonts): a fifth of the drawing (issue 16). The codes
        come escaped from one table (what ReportLab's ``escapePDF`` makes of each code), so a
        piece is one ``str.translate``. The first piece after a font change, and anything else,
        goes through ReportLab."""
        if piece and text._curSubset == 0:
            quick = self.quick.get(text._fontname)
            if quick is None or quick[0] != len(quick[3].assignments):
                quick = self.quick_table(canvas, text._fontname)
            if quick is not None and quick[1].issuperset(piece):
                text._code.append(f"({piece.translate(quick[2])}) Tj")
                return
        text._textOut(piece)

    def quick_table(self, canvas: Any, name: str) -> tuple[int, frozenset[str], dict[int, str], Any] | None:
        """The face's ``quick_table`` for this document (its table giving each character's code
        escaped as ReportLab escapes it) and ReportLab's state of the face in it, kept until a
        code is placed (asked for each piece, it cost two look-ups in weak-keyed dictionaries a
        piece: a tenth of the drawing, issue 16); None before ReportLab has begun the face's
        first subset."""
        font = self.loaded.get(name)
        if font is None:
            from reportlab.pdfbase.pdfmetrics import getFont

            font = self.loaded[name] = getFont(name)
        table = font.quick_table(canvas._doc)
        if table is None:
            return None
        count, placed, codes = table
        escaped = {char: canvas._escape(code.encode("latin-1")) for char, code in codes.items()}
        quick = self.quick[name] = (count, placed, escaped, font.state[canvas._doc])
        return quick

    def begin(self, canvas: Any) -> Any:
        self.font: tuple[str, float] | None = None  # what the text object last set
        return canvas.beginText()

    def set_font(self, text: Any, name: str, scale: float = 100) -> None:
        if self.font != (name, scale):
            text.setFont(name, POINT_SIZE)
            text.setHorizScale(scale)
            self.font = (name, scale)

    def text(self, canvas: Any, text: Any, runs: RichText, row: int, column: float, number: str | None = None) -> None:
        """One row of styled text, each character on the column grid whatever font draws it.

        A scene number goes in both margins, moved to by relative offsets within the heading's
        line, so that text extraction reads "12 INT. HOUSE - DAY 12" with spaces.

        Text goes out through ReportLab's ``_textOut``: ``textOut`` writes the same operators and
        also measures the text to move its cursor, which nothing here reads (every line is placed
        by its origin, a scene number by offsets from the line's start): a tenth of the drawing.
        """
        y = self.baseline(row)
        x = LEFT + column * COLUMN
        if number:
            regular = self.fonts.face(False, False)
            number_x = LEFT - 0.5 * 72 - len(number) * COLUMN
            text.setTextOrigin(number_x, y)
            self.set_font(text, regular)
            self.show(canvas, text, number)
            text.setXPos(x - number_x)
        else:
            self.origin(text, row, column, x, y)
        at = column
        fonts = self.fonts
        glyphs, faces = fonts.glyphs, fonts.registered
        for run in runs:
            face = faces.get((run.bold, run.italic)) or fonts.face(run.bold, run.italic)
            if glyphs.issuperset(run.text):  # the usual case: the main face draws all of it
                if self.font != (face, 100):
                    self.set_font(text, face)
                self.show(canvas, text, run.text)
            else:
                for piece, fallback in _segments(run.text, glyphs):
                    if fallback:
                        self.set_font(text, self.fonts.fallback, self.fonts.fallback_scale)
                    else:
                        self.set_font(text, face)
                    self.show(canvas, text, piece)
            if run.underline and run.text.strip():
                canvas.setLineWidth(0.6)
                canvas.line(LEFT + at * COLUMN, y - 1.8, LEFT + (at + len(run.text)) * COLUMN, y - 1.8)
            at += len(run.text)
        if number:
            text.setXPos(LEFT + 61 * COLUMN - x)
            self.set_font(text, regular)
            self.show(canvas, text, number)

    def origin(self, text: Any, row: int, column: float, x: float, y: float) -> None:
        """``text.setTextOrigin(x, y)`` for a line at ``row`` and ``column``: the operator
        ReportLab writes there the first time (formatting the two numbers), kept for every later
        line at that place, of any page (a script has some hundreds of places for thousands of
        lines: a tenth of the drawing went to formatting them, issue 16)."""
        code = self.origins.get((row, column))
        if code is None:
            text.setTextOrigin(x, y)
            self.origins[(row, column)] = text._code[-1]
            return
        text._code.append(code)
        text._x0 = text._x = x  # as setTextOrigin leaves the cursor
        text._y0 = text._y = y


@contextlib.contextmanager
def _memoized_formatting() -> Iterator[None]:
    """Inside, ReportLab's ``pdfdoc.PDFName`` and ``pdfdoc.pdfdocEnc`` answer each string they
    have already been given from a memo: the same answer (both are pure functions of the one
    string), without working it out again. Saving a feature script's PDF asks them ~10,000
    times for a few hundred distinct strings (names, numbers, object references): a sixth of
    the drawing (issue 16). ReportLab's own functions are put back on the way out; the caller
    holds ``_INVARIANT_LOCK``, as for ReportLab's other process-wide settings."""
    from reportlab.pdfbase import pdfdoc

    name, encode = pdfdoc.PDFName, pdfdoc.pdfdocEnc
    names: dict[str, str] = {}
    encoded: dict[str, bytes] = {}

    def memo_name(data: str) -> str:
        found = names.get(data)
        if found is None:
            found = names[data] = name(data)
        return found

    def memo_encode(text: Any) -> Any:
        if type(text) is not str:  # bytes (a formatted object, a stream), or a kind of str: ReportLab's
            return encode(text)
        found = encoded.get(text)
        if found is None:
            found = encoded[text] = encode(text)
        return found

    pdfdoc.PDFName, pdfdoc.pdfdocEnc = memo_name, memo_encode
    try:
        yield
    finally:
        pdfdoc.PDFName, pdfdoc.pdfdocEnc = name, encode


def _timestamp(stamp_class: type, epoch: int) -> Any:
    """A ReportLab TimeStamp at ``epoch`` UTC, whatever SOURCE_DATE_EPOCH the process has."""
    stamp = stamp_class(invariant=1)
    stamp.t = epoch
    stamp.lt = time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    return stamp
