"""Submission manuscript (standard manuscript format) as DOCX: pandoc with a reference DOCX we make;
the chapters, each converted on its own, spliced into the frame pandoc writes (render/docx_parts.py)."""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.metadata import Metadata
from toolkit.model import Chapter
from toolkit.render.chapters import BookParts, Conversion, guarded, scratch_temporary
from toolkit.render.docx_parts import DocxChapter, Frame
from toolkit.render.pandoc import (
    INPUT_FORMAT,
    BookStyle,
    book_filter_args,
    book_filters,
    book_markdown,
    book_pandoc_input,
    filter_path,
    frame_headings,
    markdown_escape,
    may_fetch,
    references_across,
    run_pandoc,
    typed_dashes_back,
)

FONTS = {"courier": "Courier New", "times": "Times New Roman"}


@dataclass(frozen=True)
class ManuscriptCover:
    """What an agent needs on page one, from fabula.toml's [book] table."""

    contact: tuple[str, ...] = ()  # name, address, e-mail, phone: one line each
    surname: str | None = None  # running head; default the surname of the author or the contact's name
    font: str = "courier"  # a key of FONTS


def render_manuscript_docx(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    cover: ManuscriptCover = ManuscriptCover(),
    images: Mapping[str, str] | None = None,
    parts: BookParts | None = None,
) -> None:
    """Write ``chapters`` as a standard-format manuscript: cover page, then a chapter a new page.

    ``images``: each image as written -> the file fabula checked (pandoc reads no other).
    ``parts`` holds the chapters as pandoc converted each (render/chapters.py), worked out here
    when not given: pandoc writes the manuscript's frame (cover, styles, running head, END and
    the chapters' headings), and each chapter's own DOCX goes into it (render/docx_parts.py),
    numbered as pandoc numbers the whole book. When that cannot give the very bytes pandoc's
    whole-book run gives (``Unspliceable``), the manuscript is that run.
    """
    from toolkit.render.docx_parts import Unspliceable

    if references_across(chapters):  # known before any chapter goes through pandoc
        whole_book_docx(chapters, meta, target, cover, images)
        return
    guard = dict(images or {}) if may_fetch(chapters) else None
    conversion = docx_conversion(meta.language, guard)
    converted = (parts or BookParts(tuple(chapters), meta.epoch, dict(images or {}))).docx_chapters(conversion)
    try:
        _spliced_docx(chapters, meta, target, cover, converted, guard, parts)
    except Unspliceable:
        whole_book_docx(chapters, meta, target, cover, images)


def docx_conversion(language: str, guard: Mapping[str, str] | None = None) -> Conversion:
    """What the manuscript asks pandoc to make of each chapter: a DOCX of its own, with the
    manuscript's filters, after the guard when ``guard`` lists the images (as written -> file).

    No reference DOCX: the chapters' paragraphs name their styles the same either way, and the
    styles are the frame's (a custom style the frame's reference DOCX lacks is ``Unspliceable``).
    """
    filters, meta = book_filters(language, _TYPED)
    return Conversion("docx", "docx", (*filters, "manuscript.lua"), (*meta, ("lang", language)), (), guarded(guard))


# A Courier manuscript keeps "--" as typed: it is how a typewriter writes a dash.
_TYPED = BookStyle(dash="typed")


def _pandoc_args(meta: Metadata, target: Path, reference: Path, temp: str) -> list[str]:
    return [
        "--from",
        INPUT_FORMAT,
        "--to",
        "docx",
        "--output",
        str(target),
        "--reference-doc",
        str(reference),
        *book_filter_args(meta.language, _TYPED),
        "--lua-filter",
        str(filter_path("manuscript.lua")),
        "--metadata",
        f"lang={meta.language}",
        f"--resource-path={temp}",  # every image pandoc may read is on the guard's list
        # No pandoc title block: our cover page below is the manuscript's first page.
    ]


def whole_book_docx(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    cover: ManuscriptCover = ManuscriptCover(),
    images: Mapping[str, str] | None = None,
) -> None:
    """The manuscript as one pandoc run over the whole book (what the spliced one must equal)."""
    words = sum(chapter.words for chapter in chapters)
    guard = dict(images or {}) if may_fetch(chapters) else None
    with tempfile.TemporaryDirectory(prefix=".fabula-docx-", dir=target.parent) as temp:
        reference = Path(temp) / "reference.docx"
        write_reference_docx(reference, running_head(meta, cover), FONTS[cover.font], meta.epoch)
        run_pandoc(
            _pandoc_args(meta, target, reference, temp),
            meta.epoch,
            "manuscript DOCX",
            stdin=book_pandoc_input(cover_markdown(meta, cover, words) + book_markdown(chapters) + _THE_END),
            images=guard,
            workdir=Path(temp),
        )
    fix_zip_dates(target, meta.epoch, guard)


def _spliced_docx(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    cover: ManuscriptCover,
    converted: Sequence[DocxChapter],
    guard: Mapping[str, str] | None,
    parts: BookParts | None = None,
) -> None:
    """The frame from pandoc (or the cache: see ``manuscript_frame``), the chapters' DOCX parts
    spliced in (render/docx_parts.py)."""
    from toolkit.render.docx_parts import Unspliceable, splice

    if references_across(chapters):
        raise Unspliceable("a chapter refers to a link target another chapter defines")
    frame, counts = manuscript_frame(chapters, meta, cover, guard, parts)
    entries = splice(frame, converted, counts)
    write_zip(
        target, [(name, data, (frame.compress_type, frame.external_attr)) for name, data in entries], meta.epoch, guard
    )


# The word count the frame's cover gives, put right after pandoc: the frame stays the same
# (and in the cache) while the count changes.
_SOME_WORDS = 987_654_300


def manuscript_frame(
    chapters: Sequence[Chapter],
    meta: Metadata,
    cover: ManuscriptCover,
    guard: Mapping[str, str] | None,
    parts: BookParts | None = None,
) -> tuple[Frame, list[int]]:
    """The manuscript around the chapters (see render/docx_parts.py) and how many headings it
    holds of each chapter. Kept in ``parts`` (the pipeline's cache) by what pandoc reads for it:
    worked out before the outputs render (products.py), so an edit finds it there."""
    from toolkit.render.docx_parts import CHAPTER_END, PROBE, Unspliceable

    headings = [frame_headings(chapter) for chapter in chapters]
    probe = f"{PROBE}[^{PROBE}]\n\n[^{PROBE}]: {PROBE}\n\n"
    between = "".join(markdown + f"\n{CHAPTER_END}\n\n" for markdown, _ in headings)
    stdin = book_pandoc_input(cover_markdown(meta, cover, _SOME_WORDS) + probe + between + _THE_END)
    head, font = running_head(meta, cover), FONTS[cover.font]
    key = hashlib.sha256(repr((stdin, head, font, meta.language, meta.epoch, guard)).encode("utf-8")).hexdigest()

    def make() -> Frame:
        return _frame(meta, stdin, head, font, guard, parts.scratch if parts is not None else None)

    frame = parts.remembered("docx-frame", key, make, Frame) if parts is not None else make()
    words = sum(chapter.words for chapter in chapters)
    placeholder, count = (f">about {rounded_words(n):,} words<" for n in (_SOME_WORDS, words))
    document = frame.text("word/document.xml")
    if document.count(placeholder) != 1:
        raise Unspliceable("the frame's cover has no word count")
    entries = tuple(
        (name, document.replace(placeholder, count) if name == "word/document.xml" else text)
        for name, text in frame.entries
    )
    return dataclasses.replace(frame, entries=entries), [number for _, number in headings]


def _frame(
    meta: Metadata, stdin: str, head: str, font: str, guard: Mapping[str, str] | None, near: Path | None
) -> Frame:
    """pandoc's manuscript around the chapters, written in a folder in ``near`` (``scratch_temporary``)."""
    with scratch_temporary("docx", near) as temp:
        reference = Path(temp) / "reference.docx"
        write_reference_docx(reference, head, font, meta.epoch)
        framed = Path(temp) / "frame.docx"
        run_pandoc(
            _pandoc_args(meta, framed, reference, temp),
            meta.epoch,
            "manuscript DOCX",
            stdin=stdin,
            images=dict(guard) if guard is not None else None,
            workdir=Path(temp),
        )
        with zipfile.ZipFile(framed) as archive:
            infos = archive.infolist()
            entries = tuple((info.filename, archive.read(info).decode("utf-8")) for info in infos)
    return Frame(entries, infos[0].compress_type, infos[0].external_attr)


def fix_zip_dates(path: Path, epoch: int, images: Mapping[str, str] | None = None) -> None:
    """Give every entry of the zip at ``path`` the build time, and in its XML parts write the
    dashes as the writer typed them and the images' names as written (see ``write_zip``)."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        entries = [
            (info.filename, source.read(info), (info.compress_type, info.external_attr)) for info in source.infolist()
        ]
    write_zip(path, entries, epoch, images)


def _xml_attribute(text: str) -> str:
    """``text`` as pandoc's XML writers escape an attribute's value."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def images_as_written(document: str, images: Mapping[str, str] | None) -> str:
    """``document`` (a part of a DOCX: the body, the notes) with each image's description naming
    the image as the chapter wrote it, not the file fabula checked for it.

    pandoc's DOCX writer names a picture by its source (``<pic:cNvPr descr=...>``), and the
    guard hands pandoc the file's absolute path: the manuscript would change with the folder the
    project sits in, and tell whoever reads it where that is on the writer's disk. A file written
    two ways is named by the first of them in sorted order, the same in every build."""
    if not images:
        return document
    written: dict[str, str] = {}
    for name, file in sorted(images.items()):
        written.setdefault(file, name)
    for file, name in written.items():
        document = document.replace(f'descr="{_xml_attribute(file)}"', f'descr="{_xml_attribute(name)}"')
    return document


def write_zip(
    path: Path,
    entries: Sequence[tuple[str, bytes, tuple[int, int]]],
    epoch: int,
    images: Mapping[str, str] | None = None,
) -> None:
    """Write the parts (name, bytes, the compression and attributes pandoc gave it) as the zip at
    ``path``: every entry dated the build time, and in the XML parts the dashes as the writer
    typed them: "--" for pandoc's en dashes, the set-aside en dashes back (see ``book_pandoc_input``);
    and the images named as written (``images``: as written -> file; see
    ``images_as_written``).

    pandoc dates its own parts from SOURCE_DATE_EPOCH but copies some parts of the reference
    DOCX (theme, font table, header) with the time python-docx wrote them: without this the
    same manuscript would differ byte for byte from one build to the next.
    """
    import datetime as _dt
    import zipfile

    when = max(_dt.datetime.fromtimestamp(epoch, _dt.UTC), _dt.datetime(1980, 1, 1, tzinfo=_dt.UTC))
    with zipfile.ZipFile(path, "w") as target:
        for name, data, (compress_type, external_attr) in entries:
            if name.endswith(".xml"):
                text = images_as_written(data.decode("utf-8"), images)
                # "--" as typed: pandoc read every "--" as an en dash (BookStyle "typed"), and
                # the en dashes the writer typed come back after.
                data = typed_dashes_back(text.replace("\u2013", "--")).encode("utf-8")
            fixed = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            fixed.compress_type = compress_type
            fixed.external_attr = external_attr
            target.writestr(fixed, data)


def rounded_words(words: int) -> int:
    """Word count as manuscripts give it: to the nearest hundred, never zero."""
    return max(100, (words + 50) // 100 * 100)


# Words in an author field that make it a company, a group or no one, not a person's name.
_NOT_A_PERSON = frozenset(
    "anonymous anon unknown various authors writers press books publishing publishers publications "
    "editions collective studio studios group team company co ltd llc inc society club association "
    "foundation university committee staff house media".split()
)


def person_surname(name: str | None) -> str | None:
    """The surname of a person's name ("Ada M. Byron" -> "Byron"); None for "Anonymous Press",
    "The Fabula Authors" or anything else that does not look like one person's name."""
    words = (name or "").replace(",", " ").split()
    if not words or len(words) > 5 or words[0].lower() == "the" or "&" in words:
        return None
    if any(word.lower().strip(".") in _NOT_A_PERSON or word.lower() == "and" for word in words):
        return None
    if not all(word[:1].isupper() for word in words if word[:1].isalpha()) or any(c.isdigit() for c in name or ""):
        return None
    return words[-1]


def running_head(meta: Metadata, cover: ManuscriptCover) -> str:
    """``Surname / TITLE / `` (the page number follows as a field): the surname from
    ``[book] surname``, else the author's, else the contact block's name, when it is a person's
    name; without one, ``TITLE / ``."""
    surname = (
        cover.surname or person_surname(meta.author) or person_surname(cover.contact[0] if cover.contact else None)
    )
    return f"{surname} / {meta.title.upper()} / " if surname else f"{meta.title.upper()} / "


def cover_markdown(meta: Metadata, cover: ManuscriptCover, words: int) -> str:
    """The contact block top left, its first line (the name) with the word count at the right
    margin, as standard manuscript format sets them; title and byline in the middle of the page."""
    contact = [markdown_escape(line) for line in (cover.contact or ((meta.author,) if meta.author else ()))]
    first = (contact[0] if contact else "") + _TAB + f"about {rounded_words(words):,} words"
    parts = [
        '::: {custom-style="Contact"}\n' + "\\\n".join([first, *contact[1:]]) + "\n:::",
        '::: {custom-style="Manuscript Title"}\n' + markdown_escape(meta.title) + "\n:::",
    ]
    if meta.author:
        parts.append('::: {custom-style="Byline"}\n' + f"by {markdown_escape(meta.author)}\n:::")
    # manuscript.lua ends the cover's section here: the text's pages are numbered from 1.
    parts.append("::: fabula-cover-end\n:::")
    return "\n\n".join(parts) + "\n\n"


# What follows w:pgNumType in a w:sectPr (ECMA-376, CT_SectPr).
_AFTER_PAGE_NUMBERING = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)

# A tab to the right margin's tab stop (the "Contact" style's).
_TAB = "[]{.fabula-tab}"  # a tab stop: filters/manuscript.lua writes it (raw OpenXML is off)
# Standard manuscript format ends the text with "END", centred a line below the last line.
_THE_END = '\n::: {custom-style="The End"}\nEND\n:::\n'


def write_reference_docx(path: Path, head: str, font: str, epoch: int) -> None:
    """pandoc's own reference DOCX, restyled for standard manuscript format with python-docx.

    Made at build time (not shipped) so the running head, font and styles follow fabula.toml.
    """
    import docx
    from docx.enum.section import WD_SECTION_START
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
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
    restyle("Dateline", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, after=12)
    restyle("The End", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=24)
    contact = restyle("Contact", align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, double=False)
    # The word count on the name's line, against the right margin (6.5" of text).
    contact.paragraph_format.tab_stops.add_tab_stop(Inches(6.5), WD_TAB_ALIGNMENT.RIGHT)
    restyle("Manuscript Title", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, before=216)
    restyle("Byline", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)

    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    section.header_distance = Inches(0.5)
    # The text's section (the cover is a section of its own, with no running head, which
    # manuscript.lua ends): every page carries the running head, numbered from 1.
    section.different_first_page_header_footer = False
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    # In the place OOXML's schema gives it among the section's properties (Word checks).
    section._sectPr.insert_element_before(numbering, *_AFTER_PAGE_NUMBERING)
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
