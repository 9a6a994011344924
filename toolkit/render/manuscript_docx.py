"""Submission manuscript (standard manuscript format) as DOCX: pandoc with a reference DOCX we make."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.metadata import Metadata
from toolkit.model import Chapter
from toolkit.render.pandoc import (
    INPUT_FORMAT,
    book_markdown,
    filter_path,
    markdown_escape,
    may_fetch,
    run_pandoc,
    typography_args,
)

FONTS = {"courier": "Courier New", "times": "Times New Roman"}


@dataclass(frozen=True)
class ManuscriptCover:
    """What an agent needs on page one, from fabula.toml's [book] table."""

    contact: tuple[str, ...] = ()  # name, address, e-mail, phone: one line each
    surname: str | None = None  # running head; default the author's last word
    font: str = "courier"  # a key of FONTS


def render_manuscript_docx(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    cover: ManuscriptCover = ManuscriptCover(),
    images: Mapping[str, str] | None = None,
) -> None:
    """Write ``chapters`` as a standard-format manuscript: cover page, then a chapter a new page.

    ``images``: each image as written -> the file fabula checked (pandoc reads no other).
    """
    words = sum(chapter.words for chapter in chapters)
    with tempfile.TemporaryDirectory(prefix=".fabula-docx-", dir=target.parent) as temp:
        reference = Path(temp) / "reference.docx"
        write_reference_docx(reference, running_head(meta, cover), FONTS[cover.font], meta.epoch)
        run_pandoc(
            [
                "--from",
                INPUT_FORMAT,
                "--to",
                "docx",
                "--output",
                str(target),
                "--reference-doc",
                str(reference),
                *typography_args(meta.language),
                "--lua-filter",
                str(filter_path("manuscript.lua")),
                "--metadata",
                f"lang={meta.language}",
                f"--resource-path={temp}",  # every image pandoc may read is on the guard's list
                # No pandoc title block: our cover page below is the manuscript's first page.
            ],
            meta.epoch,
            "manuscript DOCX",
            stdin=cover_markdown(meta, cover, words) + book_markdown(chapters),
            images=dict(images or {}) if may_fetch(chapters) else None,
            workdir=Path(temp),
        )
    fix_zip_dates(target, meta.epoch)


def fix_zip_dates(path: Path, epoch: int) -> None:
    """Give every entry of the zip at ``path`` the build time.

    pandoc dates its own parts from SOURCE_DATE_EPOCH but copies some parts of the reference
    DOCX (theme, font table, header) with the time python-docx wrote them: without this the
    same manuscript would differ byte for byte from one build to the next.
    """
    import datetime as _dt
    import zipfile

    when = max(_dt.datetime.fromtimestamp(epoch, _dt.UTC), _dt.datetime(1980, 1, 1, tzinfo=_dt.UTC))
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, data)


def rounded_words(words: int) -> int:
    """Word count as manuscripts give it: to the nearest hundred, never zero."""
    return max(100, (words + 50) // 100 * 100)


def running_head(meta: Metadata, cover: ManuscriptCover) -> str:
    """``Surname / TITLE / `` (the page number follows as a field)."""
    surname = cover.surname or (meta.author.split()[-1] if meta.author else "Anonymous")
    return f"{surname} / {meta.title.upper()} / "


def cover_markdown(meta: Metadata, cover: ManuscriptCover, words: int) -> str:
    """Contact block top left, word count top right, title and byline in the middle of the page."""
    contact = [markdown_escape(line) for line in (cover.contact or ((meta.author,) if meta.author else ()))]
    parts = [
        '::: {custom-style="Word Count"}\n' + f"about {rounded_words(words):,} words\n:::",
        '::: {custom-style="Contact"}\n' + ("\\\n".join(contact) if contact else "\\") + "\n:::",
        '::: {custom-style="Manuscript Title"}\n' + markdown_escape(meta.title) + "\n:::",
    ]
    if meta.author:
        parts.append('::: {custom-style="Byline"}\n' + f"by {markdown_escape(meta.author)}\n:::")
    return "\n\n".join(parts) + "\n\n"


def write_reference_docx(path: Path, head: str, font: str, epoch: int) -> None:
    """pandoc's own reference DOCX, restyled for standard manuscript format with python-docx.

    Made at build time (not shipped) so the running head, font and styles follow fabula.toml.
    """
    import docx
    from docx.enum.section import WD_SECTION_START
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt

    default = path.parent / "pandoc-reference.docx"
    run_pandoc(["--output", str(default), "--print-default-data-file", "reference.docx"], epoch, "manuscript DOCX")
    document = docx.Document(str(default))
    styles = document.styles

    def restyle(name: str, *, align=None, indent=True, before=0, after=0, double=True, page_break=False):
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        style.font.name = font
        style.font.size = Pt(12)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = None
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), font)
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attribute), None)
        paragraph = style.paragraph_format
        paragraph.line_spacing_rule = WD_LINE_SPACING.DOUBLE if double else WD_LINE_SPACING.SINGLE
        paragraph.first_line_indent = Inches(0.5) if indent else Inches(0)
        paragraph.space_before = Pt(before)
        paragraph.space_after = Pt(after)
        paragraph.page_break_before = page_break
        paragraph.keep_with_next = page_break
        if align is not None:
            paragraph.alignment = align
        return style

    restyle("Normal", align=WD_ALIGN_PARAGRAPH.LEFT)
    for name in ("Body Text", "First Paragraph", "Compact"):
        restyle(name, align=WD_ALIGN_PARAGRAPH.LEFT)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        # A chapter starts on a new page, its title about a third of the way down.
        restyle(
            name,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
            before=144 if name == "Heading 1" else 12,
            after=12,
            page_break=name == "Heading 1",
        )
    restyle("Scene Break", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    restyle("Block Text", align=WD_ALIGN_PARAGRAPH.LEFT)
    restyle("Footnote Text", double=False, indent=False)
    restyle("Word Count", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, double=False)
    restyle("Contact", align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, double=False)
    restyle("Manuscript Title", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=216)
    restyle("Byline", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)

    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    section.header_distance = Inches(0.5)
    # The cover page carries no running head; every page after it does, right-aligned.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.style = styles["Normal"]
    header.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    header.paragraph_format.first_line_indent = Inches(0)
    header.add_run(head)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    header._p.append(field)
    document.save(str(path))
