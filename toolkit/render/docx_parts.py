"""The manuscript DOCX spliced from its chapters, each converted by pandoc's DOCX writer alone.

pandoc's DOCX writer numbers everything from one counter as it writes, in the order it writes:
footnotes, external links and images (their relationship ids, ``rId21``, which also name the
image files, ``media/rId21.png``), each picture's two drawing ids, and each section's bookmark
(given after the section's content). A link address or an image file met before takes the id it
had then, without counting. Lists count on their own (``w:numId`` 1001, 1002, ...), and each
kind of list marker gets one ``w:abstractNum``, in the order first met.

A chapter converted alone (render/chapters.py) is the text the writer makes of it in the whole
book but for those numbers, and for the identifiers of headings whose name an earlier chapter's
heading has ("morning" is "morning-1" there). ``DocxChapter`` keeps what is needed to number
them again: ``splice`` walks the chapters in order, counts as the writer counts, and puts each
chapter's body, notes, lists, links and images into the book's frame, which pandoc writes with
the cover, the styles of the reference DOCX, the closing END and, between them, every chapter's
headings (for their identifiers over the whole book) and a footnote that tells where the
counter stands when chapter one starts.

What cannot be spliced exactly is detected (``DocxChapter.problem``, ``Unspliceable``), and the
manuscript is then made by one pandoc run over the whole book, as before.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class Unspliceable(Exception):
    """The chapters cannot be put into the frame byte for byte as pandoc would write the book."""


@dataclass(frozen=True)
class DocxImage:
    """An image a chapter shows: its relationship id (a number), the file pandoc read (the
    image's ``src``, the key pandoc keeps images by), the part's extension, its content type
    override and the SHA-1 of its bytes."""

    number: int
    src: str
    extension: str
    content_type: str
    sha1: str


@dataclass(frozen=True)
class DocxChapter:
    """A chapter as pandoc's DOCX writer wrote it alone."""

    body: str  # word/document.xml's body, without the section properties
    notes: str  # its footnotes (w:footnote elements), in order
    first: int  # the first value of the writer's counter (the reference DOCX's relationships + 1)
    links: tuple[tuple[int, str, str], ...] = ()  # (id number, address as in the XML, relationship)
    images: tuple[DocxImage, ...] = ()
    abstracts: tuple[tuple[str, str], ...] = ()  # list markers' w:abstractNum (id, element), first met first
    nums: tuple[str, ...] = ()  # the w:num elements after 1000, in order
    headings: tuple[str, ...] = ()  # identifiers of its headings, as read (before filters)
    bookmarked: tuple[str, ...] = ()  # identifiers of the headings written (after filters)
    styles: tuple[str, ...] = ()  # custom styles pandoc added to styles.xml (names)
    problem: str = ""  # why it cannot be spliced; "" when it can


_NOTE = re.compile(r'<w:footnote w:id="\d+">')
_REL = re.compile(r"<Relationship [^>]*/>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_ABSTRACT = re.compile(r'<w:abstractNum w:abstractNumId="(\d+)">.*?</w:abstractNum>', re.S)
_NUM = re.compile(r'<w:num w:numId="(\d+)">.*?</w:num>', re.S)
_STYLE_NAME = re.compile(r'<w:style [^>]*w:customStyle="1"[^>]*>\s*<w:name w:val="([^"]*)"')
_NAME = re.compile(r'<w:name w:val="([^"]*)"')
_OVERRIDE = re.compile(r'<Override PartName="/word/(media/[^"]*)"[^>]*/>')
# Tags that carry the writer's counter: notes, bookmarks, drawings, links, pictures.
_COUNTED = re.compile(
    r"<(?:w:footnoteReference|w:footnote|w:bookmarkStart|w:bookmarkEnd|wp:docPr|pic:cNvPr|a:blip|w:hyperlink)\b[^>]*>"
)
_COUNTER = re.compile(r'(\b(?:w:id|id)="|r:(?:id|embed)="rId)(\d+)"')
_NUM_ID = re.compile(r'<w:numId w:val="(\d+)" />')
_BOOKMARK = re.compile(r'<w:bookmarkStart w:id="(\d+)" w:name="([^"]*)" />')
# What no chapter of ours should hold, and cannot be renumbered here: comments, tracked changes.
_FOREIGN = ("<w:commentRangeStart", "<w:commentReference", "<w:ins ", "<w:del ", "<w:fldSimple", "asvg:svgBlip")
_IMAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_LINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def docx_chapter(answer: Mapping[str, Any]) -> DocxChapter:
    """A chapter's part from what filters/chapters.lua took out of the DOCX pandoc wrote for it."""
    document, footnotes = str(answer["document"]), str(answer["footnotes"])
    opening, closing = document.find("<w:body>\n"), document.rfind("\n    <w:sectPr>")
    if opening < 0 or closing < opening:
        return DocxChapter("", "", 0, problem="pandoc wrote a chapter's DOCX fabula cannot read")
    body = document[opening + len("<w:body>\n") : closing + 1]
    problem = ""
    if "<w:comment " in str(answer.get("comments", "")) or any(mark in body for mark in _FOREIGN):
        problem = "a chapter holds comments, tracked changes or a field"
    notes_start = _NOTE.search(footnotes)
    notes = footnotes[notes_start.start() : footnotes.rindex("</w:footnotes>")] if notes_start else ""
    base, links, images_by_number = [], [], {}
    for element in _REL.findall(str(answer["rels"])):
        attrs = dict(_ATTR.findall(element))
        number = int(attrs.get("Id", "rId0").removeprefix("rId") or 0)
        if attrs.get("Type") == _LINK_TYPE:
            links.append((number, attrs.get("Target", ""), element))
        elif attrs.get("Type") == _IMAGE_TYPE:
            images_by_number[number] = attrs.get("Target", "")
        else:
            base.append(number)
    overrides = {match.group(1): match.group(0) for match in _OVERRIDE.finditer(str(answer["types"]))}
    shas = {str(path): str(sha) for path, sha in answer.get("media", [])}
    sources = _drawn(body + notes)
    images = []
    for number, target in sorted(images_by_number.items()):
        if number not in sources or target not in overrides or target not in shas:
            problem = problem or "an image fabula cannot place"
            continue
        content_type = dict(_ATTR.findall(overrides[target])).get("ContentType", "")
        images.append(DocxImage(number, sources[number], Path(target).suffix, content_type, shas[target]))
    numbering = str(answer["numbering"])
    abstracts = tuple((match.group(1), match.group(0)) for match in _ABSTRACT.finditer(numbering))
    nums = tuple(match.group(0) for match in _NUM.finditer(numbering) if int(match.group(1)) > 1000)
    styles = tuple(html.unescape(name) for name in _STYLE_NAME.findall(str(answer.get("styles", ""))))
    return DocxChapter(
        body=body,
        notes=notes,
        first=max(base, default=0) + 1,
        links=tuple(sorted(links)),
        images=tuple(images),
        abstracts=abstracts,
        nums=nums,
        headings=tuple(str(name) for name in answer.get("headings", [])),
        bookmarked=tuple(str(name) for name in answer.get("bookmarked", [])),
        styles=styles,
        problem=problem,
    )


def _drawn(text: str) -> dict[int, str]:
    """Each picture's relationship id (a number) -> its ``src`` (the descr of its pic:cNvPr)."""
    found: dict[int, str] = {}
    start = text.find(_PICTURE)
    while start >= 0:
        src_end = text.find('"', start + len(_PICTURE))
        blip = text.find(_BLIP, src_end)
        following = text.find(_PICTURE, src_end)
        if src_end < 0 or blip < 0 or (0 <= following < blip):
            start = following
            continue
        number_end = text.find('"', blip + len(_BLIP))
        digits = text[blip + len(_BLIP) : number_end]
        if digits.isdigit():
            found[int(digits)] = text[start + len(_PICTURE) : src_end]
        start = following
    return found


_PICTURE, _BLIP = '<pic:cNvPr descr="', '<a:blip r:embed="rId'


# ---------------------------------------------------------------- the frame

PROBE = "fabula-probe"  # the frame's footnote before chapter one: where the counter stands
CHAPTER_END = "FABULACHAPTEREND"  # the frame's paragraph after each chapter's headings


@dataclass(frozen=True)
class Frame:
    """The manuscript pandoc wrote around the chapters' headings: its parts by name, in order
    (each XML), and the settings of its zip entries (pandoc gives every entry the same)."""

    entries: tuple[tuple[str, str], ...]
    compress_type: int
    external_attr: int

    def text(self, name: str) -> str:
        return dict(self.entries)[name]


def splice(frame: Frame, chapters: Sequence[DocxChapter], heading_counts: Sequence[int]) -> list[tuple[str, bytes]]:
    """The manuscript's parts (name, bytes, in pandoc's order): the frame with the chapters in.

    ``heading_counts``: how many headings the frame holds of each chapter. Raises Unspliceable
    when the result could differ from pandoc's whole-book DOCX.
    """
    styles = {html.unescape(name).lower() for name in _NAME.findall(frame.text("word/styles.xml"))}
    for chapter in chapters:
        if chapter.problem:
            raise Unspliceable(chapter.problem)
        if any(style.lower() not in styles for style in chapter.styles):
            raise Unspliceable("a chapter has a custom style the reference DOCX lacks")
    document = frame.text("word/document.xml")
    lines = document.split("\n")
    probe = next((i for i, line in enumerate(lines) if f">{PROBE}<" in line), None)
    end = next((i for i, line in enumerate(lines) if '<w:pStyle w:val="TheEnd" />' in line), None)
    if probe is None or end is None:
        raise Unspliceable("the frame has no place for the chapters")
    counter_at = re.search(r'<w:footnoteReference w:id="(\d+)" />', lines[probe])
    if counter_at is None:
        raise Unspliceable("the frame's probe has no note")
    start = int(counter_at.group(1))
    # Each chapter's headings' identifiers over the whole book, from the frame.
    names: list[list[str]] = [[]]
    for line in lines[probe + 1 : end]:
        if f">{CHAPTER_END}<" in line:
            names.append([])
        else:
            names[-1].extend(name for _, name in _BOOKMARK.findall(line))
    names = names[: len(chapters)]
    if len(names) != len(chapters):
        raise Unspliceable("the frame's chapters are not the book's")
    after = end + 1
    while after < len(lines) and lines[after].startswith("    <w:bookmarkEnd "):
        after += 1

    counter = start
    taken_links: dict[str, int] = {}
    taken_images: dict[str, tuple[int, DocxImage]] = {}
    abstracts: dict[str, str] = {}
    nums: list[str] = []
    bodies: list[str] = []
    notes: list[str] = []
    for chapter, whole_names, count in zip(chapters, names, heading_counts, strict=True):
        if len(chapter.headings) != count or len(chapter.bookmarked) != len(whole_names):
            raise Unspliceable("a chapter has headings the frame does not (in a quote or a list)")
        used = _counted(chapter.body + chapter.notes)
        if used and used != list(range(chapter.first, used[-1] + 1)):
            raise Unspliceable("a chapter's DOCX skips a number")
        links = {number: target for number, target, _ in chapter.links}
        images = {image.number: image for image in chapter.images}
        mapping: dict[int, int] = {}
        for value in used:
            if value in links and links[value] in taken_links:
                mapping[value] = taken_links[links[value]]
            elif value in images and images[value].src in taken_images:
                mapping[value] = taken_images[images[value].src][0]
            else:
                mapping[value] = counter
                counter += 1
                if value in links:
                    taken_links[links[value]] = mapping[value]
                elif value in images:
                    taken_images[images[value].src] = (mapping[value], images[value])
        list_base = 1000 + len(nums)
        for identifier, element in chapter.abstracts:
            abstracts.setdefault(identifier, element)
        for element in chapter.nums:
            number = int(element.split('"', 2)[1])  # <w:num w:numId="1001">
            nums.append(element.replace(f'w:numId="{number}"', f'w:numId="{number - 1000 + list_base}"', 1))
        renamed = dict(zip(chapter.bookmarked, whole_names, strict=True))
        for alone, whole in renamed.items():
            # Over the whole book a heading keeps its name or takes a number ("morning-2").
            base = re.sub(r"-\d+$", "", alone)
            if whole != alone and not re.fullmatch(re.escape(base) + r"-\d+", whole):
                raise Unspliceable("the frame names a heading otherwise (a note in a heading)")
        bodies.append(_renumbered(chapter.body, mapping, list_base, renamed))
        notes.append(_renumbered(chapter.notes, mapping, list_base, {}))

    # pandoc's END closes the last chapter: it stands inside the sections still open there.
    body_lines = "".join(bodies).rstrip("\n").split("\n")
    closing = len(body_lines)
    while closing > 0 and body_lines[closing - 1].startswith("    <w:bookmarkEnd "):
        closing -= 1
    document_lines = lines[:probe] + body_lines[:closing] + [lines[end]] + body_lines[closing:] + lines[after:]
    parts = {name: text.encode("utf-8") for name, text in frame.entries}
    parts["word/document.xml"] = "\n".join(document_lines).encode("utf-8")
    parts["word/footnotes.xml"] = _footnotes(frame.text("word/footnotes.xml"), start, "".join(notes))
    parts["word/numbering.xml"] = _numbering(frame.text("word/numbering.xml"), abstracts, nums)
    placed = sorted((html.unescape(image.src), number, image) for number, image in taken_images.values())
    by_target: dict[str, str] = {}
    for chapter in chapters:
        for _, target, element in chapter.links:
            by_target.setdefault(target, _with_id(element, taken_links[target]))
    # pandoc lists links by address, images by file (the keys of its maps).
    link_rels = [by_target[target] for target in sorted(by_target, key=html.unescape)]
    image_rels = [
        f'<Relationship Type="{_IMAGE_TYPE}" Id="rId{number}" Target="media/rId{number}{image.extension}" />'
        for _, number, image in placed
    ]
    parts["word/_rels/document.xml.rels"] = _inserted(
        frame.text("word/_rels/document.xml.rels"), "</Relationships>", "".join(image_rels + link_rels)
    )
    parts["word/_rels/footnotes.xml.rels"] = _relationships(frame.text("word/_rels/footnotes.xml.rels"), link_rels)
    overrides = [
        f'<Override PartName="/word/media/rId{number}{image.extension}" ContentType="{image.content_type}" />'
        for _, number, image in placed
    ]
    parts["[Content_Types].xml"] = _inserted(frame.text("[Content_Types].xml"), "</Types>", "".join(overrides))
    media = [(f"word/media/rId{number}{image.extension}", _image_bytes(image)) for _, number, image in placed]
    ordered: list[tuple[str, bytes]] = []
    for name, _ in frame.entries:
        if name.startswith("word/media/"):
            raise Unspliceable("the frame has images of its own")
        ordered.append((name, parts[name]))
        if name == "word/settings.xml":
            ordered += media
    return ordered


def _renumbered(text: str, mapping: Mapping[int, int], list_base: int, renamed: Mapping[str, str]) -> str:
    def counted(match: re.Match[str]) -> str:
        tag = _COUNTER.sub(lambda m: f'{m.group(1)}{mapping.get(int(m.group(2)), int(m.group(2)))}"', match.group(0))
        if renamed and tag.startswith("<w:bookmarkStart"):
            tag = re.sub(r'w:name="([^"]*)"', lambda m: f'w:name="{renamed.get(m.group(1), m.group(1))}"', tag)
        return tag

    text = _COUNTED.sub(counted, text)

    def listed(match: re.Match[str]) -> str:
        number = int(match.group(1))  # 1000: no marker (an item's second paragraph), never renumbered
        return match.group(0) if number <= 1000 else f'<w:numId w:val="{number - 1000 + list_base}" />'

    return _NUM_ID.sub(listed, text) if list_base != 1000 else text


def _counted(text: str) -> list[int]:
    """The values of the writer's counter that ``text`` holds, in order."""
    return sorted({int(value) for tag in _COUNTED.findall(text) for _, value in _COUNTER.findall(tag)})


def _with_id(element: str, number: int) -> str:
    return re.sub(r'Id="rId\d+"', f'Id="rId{number}"', element, count=1)


def _rel_target(element: str) -> str:
    return dict(_ATTR.findall(element)).get("Target", "")


def _inserted(text: str, before: str, insertion: str) -> bytes:
    at = text.rindex(before)
    return (text[:at] + insertion + text[at:]).encode("utf-8")


def _relationships(text: str, rels: Sequence[str]) -> bytes:
    if not rels:
        return text.encode("utf-8")
    empty = re.search(r"<Relationships ([^>]*?) ?/>", text)
    if empty is not None:
        text = text[: empty.start()] + f"<Relationships {empty.group(1)}></Relationships>" + text[empty.end() :]
    return _inserted(text, "</Relationships>", "".join(rels))


def _footnotes(frame_notes: str, probe_id: int, notes: str) -> bytes:
    probe = frame_notes.find(f'<w:footnote w:id="{probe_id}">')
    closing = frame_notes.find("</w:footnote>", probe)
    if probe < 0 or closing < 0:
        raise Unspliceable("the frame's probe note is missing")
    return (frame_notes[:probe] + notes + frame_notes[closing + len("</w:footnote>") :]).encode("utf-8")


def _numbering(frame_numbering: str, abstracts: Mapping[str, str], nums: Sequence[str]) -> bytes:
    """The frame's numbering (its own "no marker" list, 990 and 1000) with the chapters' lists."""
    own_abstract = _ABSTRACT.search(frame_numbering)
    own_num = _NUM.search(frame_numbering)
    if own_abstract is None or own_num is None or own_abstract.group(1) != "990" or own_num.group(1) != "1000":
        raise Unspliceable("the frame's numbering is not pandoc's")
    added = "".join(element for identifier, element in abstracts.items() if identifier != "990")
    text = frame_numbering[: own_abstract.end()] + added + frame_numbering[own_abstract.end() : own_num.end()]
    return (text + "".join(nums) + frame_numbering[own_num.end() :]).encode("utf-8")


def _image_bytes(image: DocxImage) -> bytes:
    try:
        data = Path(html.unescape(image.src)).read_bytes()
    except OSError as error:
        raise Unspliceable(f"an image cannot be read: {error}") from None
    if hashlib.sha1(data).hexdigest() != image.sha1:
        raise Unspliceable("an image changed")
    return data
