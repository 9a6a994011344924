"""The screenplay PDF's quick TTFont gives ReportLab's own answer for every string it draws."""

from __future__ import annotations

from reportlab.pdfbase.ttfonts import TTFont

from tests.conftest import REPO
from toolkit.render.screenplay_pdf import _quick_font_class

FONT = REPO / "toolkit" / "fonts" / "CourierPrime-Regular.ttf"
# Placed characters, new ones, a no-break space before and after the space is placed, a
# character the face lacks (code 0), enough distinct characters to open a second subset,
# empty text, and repeats of all of these.
TEXTS = [
    "",
    "a\u00a0b",
    "INT. HOUSE - DAY",
    "INT. HOUSE - DAY",
    "\u00a0",
    "Edward\u00a0Bloom",
    "日本 ok",
    "".join(chr(code) for code in range(0x100, 0x250)),
    "Ā ok INT.",
    "INT. HOUSE - NIGHT ",
    "",
    "\u00a0INT.\u00a0",
]


class Doc:
    """A document, as ReportLab keys a font's state (weakly)."""


def _answers(font: TTFont, doc: object) -> list[object]:
    return [font.splitString(text, doc) for text in TEXTS]


def test_quick_split_is_reportlabs() -> None:
    plain = TTFont("PlainCourier", str(FONT))
    quick = _quick_font_class()("QuickCourier", str(FONT))
    assert _answers(quick, Doc()) == _answers(plain, Doc())
    # Two documents at once keep apart, as ReportLab's states do.
    first, second, one, two = Doc(), Doc(), Doc(), Doc()
    assert [quick.splitString("zebra", first), quick.splitString("q", second), quick.splitString("zq", first)] == [
        plain.splitString("zebra", one),
        plain.splitString("q", two),
        plain.splitString("zq", one),
    ]
