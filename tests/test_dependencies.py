"""What fabula takes from inside its libraries is still there, and each such library is capped.

fabula reaches past the public API of six libraries: screenplain's parser internals, a private
ReportLab attribute and a font table, wordfreq's data files, ftfy's badness test, the pandoc
binary inside pypandoc-binary, and python-docx's paragraph element. pyproject.toml caps each below the next
release we have not checked. When an upgrade moves one of these things, the probe for it fails
and says what moved and which fabula module uses it, so raising a cap is a decision made with
this test, not a surprise in a writer's build.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

CAPPED = {
    "screenplain": "toolkit/parsers/fountain.py",
    "reportlab": "toolkit/render/screenplay_pdf.py",
    "wordfreq": "toolkit/checks/wordlist.py",
    "ftfy": "toolkit/checks/encoding.py",
    "pypandoc-binary": "toolkit/render/pandoc.py",
    "python-docx": "toolkit/render/manuscript_docx.py",
}


def requirements() -> dict[str, Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {canonicalize_name((req := Requirement(line)).name): req for line in project["dependencies"]}


@dataclass(frozen=True)
class Reach:
    """One thing fabula uses from inside a library: ``probe`` raises or returns False when it moved."""

    distribution: str
    what: str
    probe: Callable[[], object]

    def explain(self, problem: str) -> str:
        version = metadata.version(self.distribution)
        cap = next(str(s) for s in requirements()[self.distribution].specifier if s.operator in ("<", "<="))
        return (
            f"{self.distribution} {version}: {self.what}: {problem}. {CAPPED[self.distribution]} relies on it, "
            f"and pyproject.toml caps {self.distribution} at {cap} for that reason: adapt the code to the new "
            "release, then raise the cap."
        )


# ---------------------------------------------------------------- screenplain (the Fountain parser)


def _sp():
    from screenplain.parsers import fountain

    return fountain


def _paragraphs(*blocks: list[str]) -> list[object]:
    """Feed blocks to screenplain as toolkit/parsers/fountain.py does: one InputParagraph at a time."""
    paragraphs: list[object] = []
    for lines in blocks:
        _sp().InputParagraph(lines).update_list(paragraphs)
    return paragraphs


def _regexes() -> bool:
    names = ("linebreak_re", "boneyard_re", "title_page_key_re", "title_page_value_re", "page_break_re")
    names += ("section_re", "note_re")
    return all(isinstance(getattr(_sp(), name), re.Pattern) for name in names)


def _regex_behaviour() -> bool:
    sp = _sp()
    return (
        [m.group() for m in sp.linebreak_re.finditer("a\r\nb\nc")] == ["\r\n", "\n"]
        and sp.boneyard_re.search("x /* gone\nstill */ y").group() == "/* gone\nstill */"
        and sp.title_page_key_re.match("Title: Night").group(1, 2) == ("Title", "Night")
        and not sp.title_page_key_re.match("Credit:").group(2)
        and bool(sp.title_page_value_re.match("   Written by"))
        and bool(sp.page_break_re.match("==="))
        and sp.section_re.match("## Act Two").start(2) == 3
        and [m.group() for m in sp.note_re.finditer("a [[note]] b")] == ["[[note]]"]
    )


def _title_page() -> bool:
    values = _sp().parse_title_page(["Title: Night", "Credit:", "   Written by", "Author: A. Writer"])
    return dict(values) == {"Title": ["Night"], "Credit": ["Written by"], "Author": ["A. Writer"]}


def _emphasis() -> bool:
    from screenplain.richstring import Bold, Italic, RichString, Underline

    text = _sp().parse_emphasis("*a* **b** _c_")
    styles = [(segment.text, set(segment.styles)) for segment in text.segments]
    return isinstance(text, RichString) and styles == [
        ("a", {Italic}),
        (" ", set()),
        ("b", {Bold}),
        (" ", set()),
        ("c", {Underline}),
    ]


def _paragraph_types() -> bool:
    from screenplain import types

    slug, dialog, transition, page_break, action, centered = _paragraphs(
        ["INT. HOUSE - DAY #12#"], ["BOB", "(quietly)", "Hi."], ["CUT TO:"], ["==="], ["She waits."], ["> THE END <"]
    )
    return (
        isinstance(slug, types.Slug)
        and str(slug.line) == "INT. HOUSE - DAY"
        and str(slug.scene_number) == "12"
        and isinstance(dialog, types.Dialog)
        and str(dialog.character) == "BOB"
        and [(parenthetical, str(text)) for parenthetical, text in dialog.blocks]
        == [(True, "(quietly)"), (False, "Hi.")]
        and isinstance(transition, types.Transition)
        and str(transition.line) == "CUT TO:"
        and isinstance(page_break, types.PageBreak)
        and isinstance(action, types.Action)
        and [str(line) for line in action.lines] == ["She waits."]
        and not action.centered
        and centered.centered
    )


def _sections_synopses_dual() -> bool:
    from screenplain import types

    paragraphs = _paragraphs(["# Act One", "= The start"], ["EXT. PIER - NIGHT"], ["= Cold"])
    section, slug = paragraphs
    dual = _paragraphs(["BOB", "Hi."], ["ANN ^", "Hello."])
    return (
        isinstance(section, types.Section)
        and (str(section.text).strip(), section.level) == ("Act One", 1)
        and hasattr(slug, "set_synopsis")
        and slug.synopsis == "Cold"
        and len(dual) == 1
        and isinstance(dual[0], types.DualDialog)
        and str(dual[0].right.character) == "ANN"
    )


# ---------------------------------------------------------------- ReportLab (the screenplay PDF)


def _timestamp() -> bool:
    import io

    from reportlab.pdfbase.pdfdoc import TimeStamp
    from reportlab.pdfgen.canvas import Canvas

    from toolkit.render.screenplay_pdf import _timestamp as fabula_timestamp

    canvas = Canvas(io.BytesIO(), invariant=1)
    assert isinstance(canvas._doc._timeStamp, TimeStamp), type(canvas._doc._timeStamp)
    stamp = TimeStamp(invariant=1)
    assert all(hasattr(stamp, name) for name in ("t", "lt", "YMDhms", "dhh", "dmm", "tzname")), vars(stamp)
    canvas._doc._timeStamp = fabula_timestamp(TimeStamp, 1700000000)
    canvas.drawString(72, 72, "x")
    canvas.showPage()
    return b"/CreationDate (D:20231114221320+00'00')" in canvas.getpdfdata()


def _rl_config() -> bool:
    from reportlab import rl_config

    return hasattr(rl_config, "invariant") and hasattr(rl_config, "useA85")


def _char_to_glyph() -> bool:
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont("FabulaProbe", str(REPO / "toolkit" / "fonts" / "CourierPrime-Regular.ttf"))
    return ord("A") in font.face.charToGlyph and ord("Ж") not in font.face.charToGlyph


# ---------------------------------------------------------------- wordfreq, pandoc, python-docx


def _wordfreq_files() -> bool:
    from toolkit.checks import wordlist

    folder = wordlist.data_folder()
    assert folder is not None, "no wordfreq package found"
    path = folder / "small_en.msgpack.gz"
    assert path.is_file(), f"{path} is missing"
    buckets = wordlist.read_cbpack(path)  # checks the header {"format": "cB", "version": 1}
    return any("the" in bucket for bucket in buckets[:300])


def _wordfreq_agrees() -> bool:
    from wordfreq import zipf_frequency

    from toolkit.checks import wordlist

    words = ("the", "When", "ferry", "Hemmingway", "island")
    return all(wordlist.zipf(word, "en") == zipf_frequency(word, "en", wordlist="small") for word in words)


def _wordfreq_large_list() -> bool:
    from toolkit.checks import wordlist

    return wordlist.listed("Pegu", "en") and not wordlist.listed("Chopihn", "en")


def _ftfy_badness() -> bool:
    import ftfy
    from ftfy.badness import is_bad

    return is_bad("donâ€™t") and not is_bad("don’t") and ftfy.fix_encoding("donâ€™t") == "don’t"


def _pandoc_binary() -> bool:
    from toolkit.render.pandoc import pandoc_path

    path = pandoc_path()  # pypandoc/files/pandoc
    result = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=False)
    return result.returncode == 0 and result.stdout.startswith("pandoc")


def _docx_paragraph_element() -> bool:
    from docx import Document
    from docx.oxml import OxmlElement

    paragraph = Document().add_paragraph("x")
    paragraph._p.append(OxmlElement("w:fldSimple"))
    return paragraph._p.tag.endswith("}p") and paragraph._p[-1].tag.endswith("}fldSimple")


REACHES = [
    Reach("screenplain", "the module-level regexes of screenplain.parsers.fountain", _regexes),
    Reach(
        "screenplain", "what those regexes match (line breaks, boneyard, title keys, sections, notes)", _regex_behaviour
    ),
    Reach("screenplain", "parse_title_page() returning {key: [lines]}", _title_page),
    Reach("screenplain", "parse_emphasis() returning a RichString of styled segments", _emphasis),
    Reach("screenplain", "InputParagraph.update_list() and the paragraph types' attributes", _paragraph_types),
    Reach(
        "screenplain", "sections, synopses set on the previous paragraph, and DualDialog.right", _sections_synopses_dual
    ),
    Reach("reportlab", "Canvas._doc._timeStamp and TimeStamp's fields (the PDF's creation date)", _timestamp),
    Reach("reportlab", "rl_config.invariant and rl_config.useA85", _rl_config),
    Reach("reportlab", "TTFont.face.charToGlyph (which characters need the fallback font)", _char_to_glyph),
    Reach("wordfreq", "data/small_<language>.msgpack.gz in the cBpack format, version 1", _wordfreq_files),
    Reach("wordfreq", "zipf_frequency's arithmetic, which toolkit/checks/wordlist.py repeats", _wordfreq_agrees),
    Reach("wordfreq", "data/large_<language>.msgpack.gz, read for listed()", _wordfreq_large_list),
    Reach("ftfy", "ftfy.badness.is_bad and ftfy.fix_encoding (E101)", _ftfy_badness),
    Reach("pypandoc-binary", "the pandoc binary at pypandoc/files/pandoc", _pandoc_binary),
    Reach("python-docx", "Paragraph._p, the paragraph's XML element", _docx_paragraph_element),
]


@pytest.mark.parametrize("reach", REACHES, ids=lambda reach: f"{reach.distribution}:{reach.probe.__name__[1:]}")
def test_what_we_use_inside_a_library_is_still_there(reach: Reach) -> None:
    try:
        works = reach.probe()
    except Exception as error:  # an attribute, a file or a signature that moved
        pytest.fail(reach.explain(f"{type(error).__name__}: {error}"))
    assert works, reach.explain("it is there, but no longer behaves as fabula expects")


@pytest.mark.parametrize("distribution", sorted(CAPPED))
def test_each_library_we_reach_into_is_capped_and_the_installed_release_is_inside(distribution: str) -> None:
    requirement = requirements()[distribution]
    assert any(spec.operator in ("<", "<=") for spec in requirement.specifier), (
        f"pyproject.toml must cap {distribution} ({requirement}): {CAPPED[distribution]} uses its internals"
    )
    installed = metadata.version(distribution)
    assert requirement.specifier.contains(installed, prereleases=True), (
        f"{distribution} {installed} is installed, outside pyproject.toml's {requirement.specifier}: "
        "this test checked a release fabula does not admit"
    )


def test_a_moved_internal_is_named_with_its_user_and_its_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the failure of a probe says, shown on screenplain losing a regex."""
    monkeypatch.delattr(_sp(), "note_re")
    with pytest.raises(pytest.fail.Exception) as failure:
        test_what_we_use_inside_a_library_is_still_there(REACHES[0])
    message = str(failure.value)
    assert message.startswith(f"screenplain {metadata.version('screenplain')}: the module-level regexes")
    assert "toolkit/parsers/fountain.py relies on it" in message and "caps screenplain at <0.13" in message


def test_every_library_fabula_imports_is_declared() -> None:
    """A third-party module imported anywhere in toolkit/ belongs to a declared dependency."""
    import ast
    import sys

    declared = set(requirements())
    owners = metadata.packages_distributions()
    missing = {}
    for path in sorted((REPO / "toolkit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "toolkit" or top in sys.stdlib_module_names:
                    continue
                distributions = {canonicalize_name(owner) for owner in owners.get(top, [top])}
                if not distributions & declared:
                    missing[top] = str(path.relative_to(REPO))
    assert not missing, f"imported but not in pyproject.toml's dependencies: {missing}"
