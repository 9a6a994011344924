"""EPUB 3 book: the chapters' Markdown through pandoc (pypandoc-binary), one chapter a file."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path

from toolkit.digests import digest
from toolkit.errors import FabulaError
from toolkit.metadata import Metadata
from toolkit.model import Chapter
from toolkit.render.chapters import BookParts, Conversion, EpubChapter, guarded, scratch_temporary
from toolkit.render.pandoc import (
    BOOK_STYLE,
    INPUT_FORMAT,
    NO_FRONT,
    BookFront,
    BookStyle,
    book_filter_args,
    book_filters,
    book_markdown,
    book_pandoc_input,
    frame_markdown,
    markdown_escape,
    markdown_title,
    may_fetch,
    plain_dashes,
    references_across,
    start_pandoc,
    typed_dashes_back,
    words_for,
)

__all__ = ["COVER_MAGIC", "BookFront", "book_markdown", "check_cover", "render_epub"]

COVER_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}

ACCESSIBILITY_SUMMARY = (
    "The text of this book is in reading order, with a table of contents and headings for "
    "navigation; it has no known accessibility hazards."
)
COVER_SUMMARY = " The cover is a picture; its title and author are also in the text."


def render_epub(
    chapters: Sequence[Chapter],
    meta: Metadata,
    target: Path,
    *,
    css: Path | None = None,
    cover: Path | None = None,
    images: Mapping[str, str] | None = None,
    front: BookFront = NO_FRONT,
    style: BookStyle = BOOK_STYLE,
    published: str | None = None,
    publisher: str | None = None,
    parts: BookParts | None = None,
    earlier: tuple[Path, str] | None = None,
) -> None:
    """Write ``chapters`` as an EPUB 3 book with a chapter TOC to ``target``.

    ``css`` replaces the packaged ``toolkit/styles/book.css``; ``cover`` is a PNG or JPEG;
    ``images`` maps each image as the chapters write it to the file fabula checked (see
    render/resources.py): pandoc reads those and no other; ``front`` holds the copyright page,
    dedication and epigraph; ``published`` ("2024" or "2024-03-01") is the publication date
    (dc:date), left out when not given. Temporary files go beside ``target`` (the build's
    staging folder). ``parts`` holds the chapters
    as pandoc converted each (render/chapters.py), worked out here when not given. ``earlier``:
    the book this code wrote before and its SHA-256 (see ``finish_epub``).

    pandoc writes the book's frame: the package, contents and landmarks, the front pages, and
    for each chapter a file holding its headings (and images); each chapter file's body is then
    the chapter's own conversion (``assemble_chapters``).
    """
    if cover is not None:
        check_cover(cover)
    if css is not None and not css.is_file():
        raise FabulaError("stylesheet not found", path=str(css))

    pages = front_pages(front, meta, style)
    conversion = epub_conversion(meta.language, style, dict(images or {}) if may_fetch(chapters) else None)
    # A chapter that refers to another chapter's heading or link definition ("[The Lamp]") is
    # linked only when pandoc reads the whole book: then pandoc writes the whole book, as the
    # DOCX manuscript does in that case (render/manuscript_docx.py).
    whole = references_across(chapters)
    converted = (
        () if whole else (parts or BookParts(tuple(chapters), meta.epoch, dict(images or {}))).epub_chapters(conversion)
    )
    run = frame_run(
        chapters,
        meta,
        css=css,
        cover=cover,
        images=images,
        front=front,
        style=style,
        published=published,
        publisher=publisher,
    )
    if whole or parts is None:
        frame = run.make(target.parent)
    else:  # from the cache, or started before the outputs render (products._epub_frame_first), or made now
        frame = parts.remembered("epub-frame", run.key, lambda: EpubFrame.of(run.make(target.parent)), EpubFrame).epub()
    finish_epub(target, pages, dated=published is not None, chapters=converted, frame=frame, earlier=earlier)


@dataclass(frozen=True)
class EpubFrame:
    """The book's frame as pandoc wrote it (the EPUB file's bytes, in base64): kept in the cache,
    so that an edit that leaves every heading and the front pages as they were runs no pandoc
    for it."""

    data: str

    @classmethod
    def of(cls, epub: bytes) -> EpubFrame:
        return cls(base64.b64encode(epub).decode("ascii"))

    def epub(self) -> bytes:
        return base64.b64decode(self.data.encode("ascii"), validate=True)


@dataclass(frozen=True)
class FrameRun:
    """pandoc's run for the book's frame (front pages, each chapter's headings and images alone;
    the whole book when a chapter refers to another's heading), and its key: everything pandoc
    reads for it (its input, its arguments, the stylesheet's, cover's and images' bytes, the date)."""

    text: str  # pandoc's input
    args: Callable[[Path], list[str]]  # its arguments, given the folder it runs in
    stylesheet: bytes | None  # the packaged stylesheet (None: the writer's own, ``css``)
    images: dict[str, str] | None  # the guard's list (as written -> file), None: no guard
    epoch: int
    key: str

    def make(self, folder: Path | None = None) -> bytes:
        """The frame's EPUB, pandoc run now (in a temporary folder inside ``folder``): the renderer's run."""
        return self._launch(folder)()

    def start(self, near: Path | None = None) -> Callable[[], bytes]:
        """Start pandoc on the frame now, before the outputs render, in a temporary folder made in
        ``near`` (chapters.scratch_temporary); what is returned waits for it and gives the EPUB."""
        return self._launch(near)

    def _launch(self, folder: Path | None) -> Callable[[], bytes]:
        temp = scratch_temporary("epub", folder)
        try:
            where = Path(temp.name)
            (where / "book.md").write_text(self.text, encoding="utf-8")
            if self.stylesheet is not None:
                (where / "book.css").write_bytes(self.stylesheet)
            wait = start_pandoc(
                [*self.args(where), str(where / "book.md")],
                self.epoch,
                "EPUB",
                images=self.images,
                size=len(self.text),
                workdir=where,
            )
        except BaseException:
            temp.cleanup()
            raise

        def epub() -> bytes:
            try:
                wait()
                return (where / FRAME_NAME).read_bytes()
            finally:
                temp.cleanup()

        return epub


FRAME_NAME = "frame.epub"


def frame_run(
    chapters: Sequence[Chapter],
    meta: Metadata,
    *,
    css: Path | None = None,
    cover: Path | None = None,
    images: Mapping[str, str] | None = None,
    front: BookFront = NO_FRONT,
    style: BookStyle = BOOK_STYLE,
    published: str | None = None,
    publisher: str | None = None,
) -> FrameRun:
    """pandoc's run for the frame of ``render_epub`` given the same arguments (see there)."""
    pages = front_pages(front, meta, style)
    whole = references_across(chapters)
    body = book_markdown(chapters) if whole else "\n".join(frame_markdown(chapter) for chapter in chapters)
    text = book_pandoc_input("".join(page.markdown for page in pages) + body)
    stylesheet = None if css is not None else resources.files("toolkit.styles").joinpath("book.css").read_bytes()
    guarded_images = dict(images or {}) if may_fetch(chapters) else None

    def args(folder: Path) -> list[str]:
        listed = [
            "--from",
            INPUT_FORMAT,
            "--to",
            "epub3",
            "--output",
            str(folder / FRAME_NAME),
            "--toc",
            "--toc-depth=1",
            "--split-level=1",
            # fabula's own title page (front_pages): pandoc's would print the build date.
            "--epub-title-page=false",
            "--css",
            str(css if css is not None else folder / "book.css"),
            *book_filter_args(meta.language, style),
            *_metadata_args(
                dataclasses.replace(meta, title=plain_dashes(meta.title, style.dash)),
                cover is not None,
                published,
                publisher,
            ),
            # Nothing to find by a relative path: every image pandoc may read is on the guard's list.
            f"--resource-path={folder}",
        ]
        if cover is not None:
            listed.append(f"--epub-cover-image={cover}")
        return listed

    read = [*([css] if css is not None else []), *([cover] if cover is not None else [])]
    read += [Path(path) for path in (guarded_images or {}).values()]
    key = digest(
        "epub-frame",
        text,
        *args(Path("/fabula-frame")),
        stylesheet or b"",
        str(meta.epoch),
        repr(sorted((guarded_images or {}).items())) if guarded_images is not None else "no guard",
        *(_file_key(path) for path in read),
    )
    return FrameRun(text, args, stylesheet, guarded_images, meta.epoch, key)


def _file_key(path: Path) -> bytes:
    """What the frame's key holds of a file pandoc reads: its path and bytes ("missing": none)."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b"\0missing"
    return str(path).encode("utf-8") + b"\0" + hashlib.sha256(data).digest()


def epub_conversion(language: str, style: BookStyle = BOOK_STYLE, guard: Mapping[str, str] | None = None) -> Conversion:
    """What the EPUB asks pandoc to make of each chapter: the body of its XHTML file, as the EPUB
    writer writes it with the book's filters (the same arguments as the frame's pandoc run),
    after the guard when ``guard`` lists the images (as written -> file)."""
    filters, meta = book_filters(language, style)
    return Conversion("epub", "epub3", filters, (*meta, ("lang", language)), (("split_level", 1),), guarded(guard))


@dataclass(frozen=True)
class FrontPage:
    """One page before chapter one: its Markdown (a level-1 section pandoc gives a file of its
    own), the title of that file, and its landmark (``epub:type`` in the landmarks), if any."""

    markdown: str
    title: str
    landmark: str | None = None


def front_pages(front: BookFront, meta: Metadata, style: BookStyle = BOOK_STYLE) -> list[FrontPage]:
    """Half-title, title page, copyright page, dedication and epigraph, in the print book's
    order, each an unlisted level-1 section of class "front": pandoc gives each its own file,
    marks it ``epub:type`` so reading systems know it is front matter, and book.lua does not
    take it for a chapter. The contents (pandoc's nav) follows them in the spine."""
    words = words_for(meta.language)
    title = markdown_title(meta.title)
    pages = [
        FrontPage(f"# {title} {{#fabula-halftitle .unlisted .front .halftitle epub:type=halftitlepage}}\n", meta.title),
    ]
    title_page = [f"# {title} {{#fabula-title .unlisted .front .titlepage epub:type=titlepage}}\n"]
    if meta.author:
        title_page.append(f"::: author\n{markdown_escape(meta.author)}\n:::\n")
    if front.publisher:
        title_page.append(f"::: publisher\n{markdown_escape(front.publisher)}\n:::\n")
    pages.append(FrontPage("\n".join(title_page), meta.title, "titlepage"))
    if front.copyright:
        groups = front.copyright.groups(printed=False)
        lines = "\n\n".join("\\\n".join(markdown_escape(line) for line in group) for group in groups)
        pages.append(
            FrontPage(
                f"# {words['copyright']} {{#fabula-copyright .unlisted .front epub:type=copyright-page}}\n\n"
                f"::: copyright\n{lines}\n:::\n",
                words["copyright"],
                "copyright-page",
            )
        )
    if front.dedication:
        dedication = markdown_escape(plain_dashes(front.dedication, style.dash))
        pages.append(
            FrontPage(
                f"# {words['dedication']} {{#fabula-dedication .unlisted .front epub:type=dedication}}\n\n"
                f"::: dedication\n{dedication}\n:::\n",
                words["dedication"],
            )
        )
    if front.epigraph:
        epigraph = markdown_escape(plain_dashes(front.epigraph, style.dash))
        quote = "\n".join("> " + line for line in epigraph.splitlines())
        source = ""
        if front.epigraph_source:
            said = markdown_escape(plain_dashes(front.epigraph_source, style.dash))
            source = f"\n>\n> ::: epigraph-source\n> — {said}\n> :::"
        pages.append(
            FrontPage(
                f"# {words['epigraph']} {{#fabula-epigraph .unlisted .front epub:type=epigraph}}\n\n"
                f"::: epigraph\n{quote}{source}\n:::\n",
                words["epigraph"],
            )
        )
    return [dataclasses.replace(page, markdown=page.markdown + "\n") for page in pages]


def front_markdown(front: BookFront, language: str) -> str:
    """The front pages' Markdown for a book titled "Untitled" (kept for callers that only want
    the dedication and epigraph)."""
    meta = Metadata("Untitled", None, language, "", 0)
    return "".join(page.markdown for page in front_pages(front, meta))


def finish_epub(
    target: Path,
    pages: Sequence[FrontPage],
    dated: bool,
    chapters: Sequence[EpubChapter] = (),
    frame: bytes | None = None,
    earlier: tuple[Path, str] | None = None,
) -> None:
    """What pandoc's EPUB writer cannot be told, done on the files it wrote (``target``, or the
    EPUB ``frame`` when given: the result is written to ``target``).

    - with ``chapters``, each chapter file's body is the chapter's own conversion (see
      ``assemble_chapters``);
    - each text file's ``<title>`` is its page's or chapter's title (pandoc writes the file name),
      and every front page's body is front matter (pandoc's own list leaves the epigraph out);
    - the contents (nav.xhtml) follow the front pages in the spine, as in the print book;
    - the landmarks name the title page, the copyright page and where the body starts;
    - the en dashes the writer typed are typed again (``book_pandoc_input`` set them aside);
    - no ``dc:date`` unless the writer gave a publication date (pandoc writes the build date,
      which stores show as the publication date).
    Each edit checks that pandoc wrote what it expects, and fails loudly otherwise.

    ``earlier`` is an EPUB this code wrote before (its path and the SHA-256 it had then: the
    pipeline's record of its outputs): a file whose text is the same as there is not compressed
    again, its compressed bytes are copied (``deflated_entries``).
    """
    with zipfile.ZipFile(io.BytesIO(frame) if frame is not None else target) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    files = {
        info.filename: typed_dashes_back(data.decode("utf-8"))
        for info, data in entries
        if info.filename.endswith((".xhtml", ".opf", ".ncx"))
    }
    titles = _chapter_titles(files[_NAV])
    text_files = sorted(name for name in files if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", name))
    if chapters:
        media = {hashlib.sha1(data).hexdigest(): info.filename for info, data in entries if "/media/" in info.filename}
        files.update(assemble_chapters(files, text_files[len(pages) :], chapters, media))
    for index, name in enumerate(text_files):
        title = pages[index].title if index < len(pages) else titles.get(name.removeprefix("EPUB/"), "")
        files[name] = _replace_once(
            files[name], f"<title>{Path(name).name}</title>", f"<title>{escape(title, quote=False)}</title>"
        )
        if index < len(pages):  # pandoc counts an epigraph as body matter
            files[name] = files[name].replace('<body epub:type="bodymatter">', '<body epub:type="frontmatter">')
    first_body = text_files[len(pages)].removeprefix("EPUB/") if len(text_files) > len(pages) else None
    files[_NAV] = _landmarks(files[_NAV], pages, text_files, first_body)
    opf = files[_OPF]
    if pages:
        opf = _replace_once(opf, '    <itemref idref="nav" />\n', "")
        last_front = Path(text_files[len(pages) - 1]).stem + "_xhtml"
        spine_entry = f'    <itemref idref="{last_front}" />\n'
        opf = _replace_once(opf, spine_entry, spine_entry + '    <itemref idref="nav" />\n')
    if not dated:
        opf, removed = re.subn(r"    <dc:date id=\"epub-date\">[^<]*</dc:date>\n", "", opf)
        if removed != 1:
            raise FabulaError("pandoc wrote an EPUB fabula cannot finish (dc:date)")
    files[_OPF] = opf
    kept = deflated_entries(*earlier) if earlier is not None else {}
    with zipfile.ZipFile(target, "w") as archive:
        for info, data in entries:
            write_entry(archive, info, files[info.filename].encode("utf-8") if info.filename in files else data, kept)


def deflated_entries(path: Path, sha256: str) -> dict[str, bytes]:
    """The compressed bytes of each deflated file of the zip at ``path``, by name, if the file
    still has the SHA-256 ``sha256`` (that of a zip ``write_entry`` wrote: the same code and the
    same zlib, which the cache's fingerprint holds); else, or if it cannot be read, none."""
    try:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            return {}
        found: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.compress_type != zipfile.ZIP_DEFLATED:
                    continue
                header = data[info.header_offset : info.header_offset + _LOCAL_HEADER]
                if len(header) < _LOCAL_HEADER or header[:4] != b"PK\x03\x04":
                    return {}
                start = info.header_offset + _LOCAL_HEADER
                start += int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
                found[info.filename] = data[start : start + info.compress_size]
        return found
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return {}


_LOCAL_HEADER = 30  # a zip's local file header before its name and extra field


def write_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, kept: Mapping[str, bytes]) -> None:
    """``archive.writestr(info, data)``, the same bytes; a deflated file whose compressed bytes
    ``kept`` holds (``deflated_entries``: written by this same code before) is not compressed
    again when they inflate to ``data``: zlib compresses the same bytes the same way."""
    deflated = kept.get(info.filename) if info.compress_type == zipfile.ZIP_DEFLATED else None
    if deflated is None or not _inflates_to(deflated, data):
        archive.writestr(info, data)
        return
    info.file_size = len(data)  # as writestr sets it before opening the entry
    with archive.open(info, "w") as entry:
        # zipfile writes the header, the CRC and the sizes as writestr does; the compressor it
        # would run hands over the kept bytes instead (tests/test_edit_build_tail.py compares).
        vars(entry)["_compressor"] = _Deflated(deflated)
        entry.write(data)


def _inflates_to(deflated: bytes, data: bytes) -> bool:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        return inflater.decompress(deflated, len(data) + 1) == data and inflater.eof and not inflater.unused_data
    except zlib.error:
        return False


class _Deflated:
    """A compressor that gives bytes compressed before (see ``write_entry``)."""

    def __init__(self, deflated: bytes) -> None:
        self.deflated = deflated

    def compress(self, data: bytes) -> bytes:
        deflated, self.deflated = self.deflated, b""
        return deflated

    def flush(self) -> bytes:
        return b""


_NAV, _OPF = "EPUB/nav.xhtml", "EPUB/content.opf"
# An identifier pandoc gives a heading: on its section, or on the heading itself.
# pandoc writes the identifier first: <section id="storm" class="level2">, <h2 id="storm">.
_HEADING_ID = re.compile(r'(<(?:section|h[1-6]) id=")([^"]*)(")')
_ID = re.compile(r' id="([^"]*)"')
_LOCAL_LINK = re.compile(r'href="#([^"]*)"')
_MEDIA = re.compile(r"media/[^\"'\s)]+")


def assemble_chapters(
    files: dict[str, str], chapter_files: Sequence[str], chapters: Sequence[EpubChapter], media: dict[str, str]
) -> dict[str, str]:
    """The chapter files of the book's frame with each chapter's own body put in.

    pandoc wrote the frame (render_epub) with a file for each chapter holding its heading; the
    body of each is replaced by the chapter's conversion (render/chapters.py), the same text
    pandoc writes for it in a whole book, but for what depends on the other chapters, which
    is done here as pandoc does it:
    - its headings' identifiers are the frame's (pandoc makes one taken before unique: "storm-1");
    - its media are the frame's copies of the same files (by their SHA-1: ``media``);
    - a link to an identifier of another file names that file ("ch004.xhtml#storm"), the first
      that has it.
    """
    bodies = [typed_dashes_back(body) for chapter in chapters for body in chapter.files]
    if len(bodies) != len(chapter_files):
        raise FabulaError("pandoc wrote an EPUB fabula cannot finish (a file for each chapter)")
    assembled: dict[str, str] = {}
    owners = iter(chapter for chapter in chapters for _ in chapter.files)
    for name, body in zip(chapter_files, bodies, strict=True):
        frame = files[name]
        found = _body(frame)
        if found is None:
            raise FabulaError("pandoc wrote an EPUB fabula cannot finish (a chapter's body)")
        start, end = found
        chapter = next(owners)
        body = _HEADING_ID.sub(_renamer(_heading_ids(body, frame[start:end]), group=2, around=True), body)
        renamed = {path: media.get(sha, "EPUB/" + path).removeprefix("EPUB/") for path, sha in chapter.media}
        if renamed:
            body = _MEDIA.sub(_renamer(renamed), body)
        assembled[name] = frame[:start] + body.rstrip("\n") + frame[end:]
    return _linked_across(files | assembled, chapter_files, assembled)


def _body(xhtml: str) -> tuple[int, int] | None:
    """Where the content of an XHTML file's <body> starts and ends (the lines between the tags)."""
    start = xhtml.find("<body")
    opened = xhtml.find(">\n", start) if start >= 0 else -1
    end = xhtml.rfind("\n</body>")
    if opened < 0 or end < opened + 2:
        return None
    return opened + 2, end


def _heading_ids(body: str, frame: str) -> dict[str, str]:
    """The identifier of each heading (section) of a chapter's own conversion -> the one pandoc
    gave the same heading in the book's frame, where it made each unique over the whole book.
    The frame has the chapter's headings in the same order (``frame_markdown``); should the
    counts ever differ, only the chapter's own section is matched."""
    own, framed = _heading_ids_in(body), _heading_ids_in(frame)
    pairs = zip(own, framed, strict=True) if len(own) == len(framed) else zip(own[:1], framed[:1], strict=True)
    return {old: new for old, new in pairs if old != new}


def _heading_ids_in(text: str) -> list[str]:
    """The identifiers of the headings, in order; the notes' section (pandoc's own) is not one."""
    found = []
    for match in _HEADING_ID.finditer(text):
        tag = text[match.start() : text.find(">", match.start())]
        if 'epub:type="footnotes"' not in tag:
            found.append(match.group(2))
    return found


def _renamer(renamed: dict[str, str], group: int = 0, around: bool = False) -> Callable[[re.Match[str]], str]:
    """A replacement for ``re.sub``: ``group`` of the match renamed (the rest kept when ``around``)."""

    def rename(match: re.Match[str]) -> str:
        new = renamed.get(match.group(group), match.group(group))
        return match.group(1) + new + match.group(3) if around else new

    return rename


def _linked_across(files: dict[str, str], chapter_files: Sequence[str], assembled: dict[str, str]) -> dict[str, str]:
    """Links to identifiers that a chapter's own file does not have, pointed at the file that has them."""
    text_files = sorted(name for name in files if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", name))
    ids = {name: set(_ID.findall(files[name])) for name in text_files}
    first: dict[str, str] = {}
    for name in text_files:
        for identifier in ids[name]:
            first.setdefault(identifier, name)

    def relinked(name: str, text: str) -> str:
        def target(match: re.Match[str]) -> str:
            identifier = match.group(1)
            if identifier in ids[name] or identifier not in first:
                return match.group(0)
            return f'href="{Path(first[identifier]).name}#{identifier}"'

        return _LOCAL_LINK.sub(target, text)

    return {name: relinked(name, text) for name, text in assembled.items()}


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise FabulaError(f"pandoc wrote an EPUB fabula cannot finish (expected {old.strip()!r} once)")
    return text.replace(old, new)


def _chapter_titles(nav: str) -> dict[str, str]:
    """Each chapter file's title, as the table of contents gives it: {"text/ch004.xhtml": "..."}."""
    from xml.etree import ElementTree

    xhtml = "{http://www.w3.org/1999/xhtml}"
    epub_type = "{http://www.idpf.org/2007/ops}type"
    titles: dict[str, str] = {}
    for nav_element in ElementTree.fromstring(nav).iter(f"{xhtml}nav"):
        if nav_element.get(epub_type) != "toc":
            continue
        for link in nav_element.iter(f"{xhtml}a"):
            name = (link.get("href") or "").split("#")[0]
            titles.setdefault(name, " ".join("".join(link.itertext()).split()))
    return titles


def _landmarks(nav: str, pages: Sequence[FrontPage], text_files: Sequence[str], body: str | None) -> str:
    items = [
        (text_files[index].removeprefix("EPUB/"), page.landmark, page.title)
        for index, page in enumerate(pages)
        if page.landmark
    ]
    if body is not None:
        items.append((body, "bodymatter", "Start of Content"))
    added = "".join(
        f'    <li>\n      <a href="{href}" epub:type="{kind}">{escape(label, quote=False)}</a>\n    </li>\n'
        for href, kind, label in items
    )
    anchor = '    <li>\n      <a href="#toc" epub:type="toc">'
    return _replace_once(nav, anchor, added + anchor) if added else nav


def _metadata_args(meta: Metadata, has_cover: bool, published: str | None, publisher: str | None) -> list[str]:
    # -M values are literal strings (a --metadata-file would read them as Markdown). Without a
    # date pandoc writes the build time as dc:date: finish_epub takes it out again.
    values: list[tuple[str, str]] = [
        ("title", meta.title),
        ("lang", meta.language),
        ("identifier", meta.identifier),
        *([("date", published)] if published else []),
        *([("publisher", publisher)] if publisher else []),
        ("toc-title", words_for(meta.language)["contents"]),
        # schema.org accessibility metadata (EPUB Accessibility 1.1), which stores ask for.
        # Repeating a -M key makes a list. A cover is a picture, but the text alone suffices.
        ("accessModes", "textual"),
        *([("accessModes", "visual")] if has_cover else []),
        ("accessModeSufficient", "textual"),
        ("accessibilityFeatures", "readingOrder"),
        ("accessibilityFeatures", "structuralNavigation"),
        ("accessibilityFeatures", "tableOfContents"),
        ("accessibilityHazards", "none"),
        ("accessibilitySummary", ACCESSIBILITY_SUMMARY + (COVER_SUMMARY if has_cover else "")),
    ]
    if meta.author:
        values.insert(1, ("author", meta.author))
    return [arg for key, value in values for arg in ("--metadata", f"{key}={value}")]


def check_cover(cover: Path) -> None:
    """A clear error when the cover is missing, unreadable, or not a PNG or JPEG."""
    try:
        with cover.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError:
        raise FabulaError("cover image not found", path=str(cover)) from None
    except OSError as error:
        raise FabulaError(f"cover image cannot be read: {error.strerror}", path=str(cover)) from None
    if not any(head.startswith(magic) for magic in COVER_MAGIC):
        raise FabulaError("cover image must be a PNG or JPEG file", path=str(cover))
