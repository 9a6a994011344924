"""The book PDF set chapter by chapter and joined (render/book_join.py), read back with pypdf:
the same pages as Typst setting the whole book, the contents' numbers and links, bookmarks,
footnotes numbered across the book, and an edit that sets only what it moved."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pypdf
import pytest

from tests.conftest import FIXTURES, chapter_of, story_of
from tests.render.test_book_pdf import META, long_chapter, page_texts
from toolkit.model import Chapter
from toolkit.parallel import cores
from toolkit.render.book_join import STORE_PREFIX, BookPieces
from toolkit.render.book_pdf import (
    _book_texts,
    book_pieces,
    book_typst,
    compile_typst,
    render_book_pdf,
    with_trim_box,
)
from toolkit.render.chapters import BookParts
from toolkit.render.pandoc import NO_FRONT, BookFront, BookStyle
from toolkit.render.products import book_front


def three_chapters(first: int = 50) -> list[Chapter]:
    return [
        long_chapter("Departure", first, "first"),
        long_chapter("The Ferry", 12, "second"),
        long_chapter("Home", 3, "third"),
    ]


def pieces_of(chapters: list[Chapter]) -> BookPieces | None:
    template, texts = _book_texts(
        chapters,
        META,
        trim="5.5x8.5",
        font_size=None,
        small_caps=True,
        front=NO_FRONT,
        style=BookStyle(),
        images=None,
        parts=None,
    )
    return book_pieces(template, texts, [""] * len(texts))


def whole_book(chapters: list[Chapter], target: Path, front: BookFront = NO_FRONT) -> Path:
    """The book as Typst sets it in one document (the path before chapter by chapter)."""
    target.write_bytes(with_trim_box(compile_typst(book_typst(chapters, META, front=front), META.epoch)))
    return target


def test_chapter_by_chapter_sets_the_pages_the_whole_book_sets(tmp_path: Path) -> None:
    fixture = story_of(FIXTURES / "book")
    notes = [
        chapter_of("# Notes One\n\nA claim.[^a] Another.[^b]\n\n[^a]: First.\n\n[^b]: Second.\n", "manuscript/n1.md"),
        chapter_of("# Notes Two\n\nA third claim.[^c]\n\n[^c]: Third.\n", "manuscript/n2.md"),
    ]
    books = {
        "fixture": (list(fixture.project.chapters), book_front(fixture)),
        "long": (three_chapters(), NO_FRONT),
        "notes": (notes, NO_FRONT),
    }
    for name, (chapters, front) in books.items():
        assert pieces_of(chapters) is not None, name  # this book takes the chapter-by-chapter path
        joined = tmp_path / f"{name}.pdf"
        render_book_pdf(chapters, META, joined, front=front)
        whole = whole_book(chapters, tmp_path / f"{name}-whole.pdf", front)
        assert page_texts(joined) == page_texts(whole), name
    # Footnotes are numbered across the book, as in one document: the second chapter's is 3.
    texts = page_texts(tmp_path / "notes.pdf")
    assert any(re.search(r"^3\s*Third", text, re.M) for text in texts), texts


def test_contents_bookmarks_and_folios_agree_with_the_chapters_pages(tmp_path: Path) -> None:
    target = tmp_path / "book.pdf"
    chapters = three_chapters()
    render_book_pdf(chapters, META, target)
    reader = pypdf.PdfReader(target, strict=True)
    assert len(reader.pages) % 2 == 0
    assert all("/TrimBox" in page and page.trimbox == page.mediabox for page in reader.pages)
    # Bookmarks: one per chapter, leading to the page where its title is.
    marks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [title for title, _ in marks] == ["Departure", "The Ferry", "Home"]
    texts = page_texts(target)
    for title, index in marks:
        assert texts[index].startswith(title)
        assert texts[index].rstrip().endswith(str(index + 1))  # the drop folio is the page's number
        assert (index + 1) % 2 == 1  # a recto
    # The contents: each title with its first page's number, linked to that page.
    contents = next(index for index, text in enumerate(texts) if text.startswith("Contents"))
    for title, index in marks:
        assert re.search(rf"{title}[ .]*{index + 1}\b", texts[contents]), texts[contents]
    names = reader.named_destinations
    links = [annot.get_object() for annot in reader.pages[contents]["/Annots"]]
    assert [reader.get_destination_page_number(names[str(link["/Dest"])]) for link in links] == [i for _, i in marks]
    # Running heads after each opening: the author on versos, the title on rectos.
    assert texts[marks[0][1] + 1].startswith("Ada Byron") and texts[marks[0][1] + 2].startswith("The Long Road")


def test_two_builds_with_and_without_a_store_are_byte_identical(tmp_path: Path) -> None:
    chapters = three_chapters()
    store = tmp_path / "store"
    first, second, bare = tmp_path / "1.pdf", tmp_path / "2.pdf", tmp_path / "bare.pdf"
    render_book_pdf(chapters, META, first, parts=BookParts(tuple(chapters), META.epoch, store=store))
    render_book_pdf(chapters, META, second, parts=BookParts(tuple(chapters), META.epoch, store=store))
    render_book_pdf(chapters, META, bare)
    assert first.read_bytes() == second.read_bytes() == bare.read_bytes()


def test_a_damaged_chapter_pdf_in_the_store_is_set_again(tmp_path: Path) -> None:
    chapters = three_chapters()
    store = tmp_path / "store"
    first, second, bare = tmp_path / "1.pdf", tmp_path / "2.pdf", tmp_path / "bare.pdf"
    render_book_pdf(chapters, META, first, parts=BookParts(tuple(chapters), META.epoch, store=store))
    kept = sorted(store.glob(f"{STORE_PREFIX}*"))
    assert kept
    for victim in kept:  # one byte flipped in each, past the PDF's header
        data = victim.read_bytes()
        middle = len(data) // 2
        victim.write_bytes(data[:middle] + bytes([data[middle] ^ 0x55]) + data[middle + 1 :])
    render_book_pdf(chapters, META, second, parts=BookParts(tuple(chapters), META.epoch, store=store))
    render_book_pdf(chapters, META, bare)
    assert second.read_bytes() == bare.read_bytes() == first.read_bytes()
    # Set again and stored again: each file's digest matches its PDF once more.
    for victim in kept:
        digest, _, pdf = victim.read_bytes().partition(b"\n")
        assert hashlib.sha256(pdf).hexdigest().encode("ascii") == digest


def stored(store: Path) -> dict[str, float]:
    return {path.name: path.stat().st_mtime_ns for path in store.glob(f"{STORE_PREFIX}*")}


def test_an_edit_sets_its_chapter_again_and_those_it_moved(tmp_path: Path) -> None:
    store = tmp_path / "store"

    def build(chapters: list[Chapter], name: str) -> tuple[bytes, set[str]]:
        before = stored(store) if store.is_dir() else {}
        target = tmp_path / name
        render_book_pdf(chapters, META, target, parts=BookParts(tuple(chapters), META.epoch, store=store))
        after = stored(store)
        clean = tmp_path / f"clean-{name}"
        render_book_pdf(chapters, META, clean)  # no store: every chapter set
        assert target.read_bytes() == clean.read_bytes()
        return target.read_bytes(), {name for name in after if name not in before}

    _, made = build(three_chapters(), "start.pdf")
    assert len(made) == 3 + 2  # the chapters, the front matter with and without its numbers
    # A word more in the second chapter: its pages stay as many, only it is set again.
    edited = three_chapters()
    edited[1] = long_chapter("The Ferry", 12, "second-edited")
    _, made = build(edited, "edit.pdf")
    assert len(made) == 1
    # More pages in the first chapter move the others: all set again, and the contents.
    longer = three_chapters(first=90)
    _, made = build(longer, "longer.pdf")
    assert len(page_texts(tmp_path / "longer.pdf")) > len(page_texts(tmp_path / "start.pdf"))
    assert len(made) == 3 + 1
    # What the store no longer needs is gone: one front matter pair and the chapters of the last build.
    assert len(stored(store)) == 3 + 2


@pytest.mark.parametrize(
    ("markdown", "why"),
    [
        ("# One\n\nSee [the harbour](#harbour).\n\n# Two\n\n## Harbour\n\nThe harbour.\n", "a link between chapters"),
        ("# One\n\nText.[^n]\n\n```\n#footnote[not a note]\n```\n\n[^n]: A note.\n", "raw text"),
    ],
)
def test_what_only_the_whole_book_can_set_is_set_whole(markdown: str, why: str, tmp_path: Path) -> None:
    chapters = [
        chapter_of(text if text.startswith("#") else "# " + text, f"manuscript/{n}.md")
        for n, text in enumerate(markdown.split("\n# "))
    ]
    assert pieces_of(chapters) is None, why
    target = tmp_path / "book.pdf"
    render_book_pdf(chapters, META, target)
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) % 2 == 0 and all("/TrimBox" in page for page in reader.pages)
    if "harbour" in markdown:
        assert "harbour" in reader.named_destinations


def test_a_book_set_chapter_by_chapter_is_untagged_and_one_set_whole_keeps_its_tags(tmp_path: Path) -> None:
    """The join cannot keep the chapters' tags (structure for screen readers), so their
    documents are set without them: no marked content left in the pages pointing at nothing."""
    import pikepdf

    def tagged(chapters: list[Chapter]) -> tuple[bool, bool]:
        target = tmp_path / "book.pdf"
        render_book_pdf(chapters, META, target)
        with pikepdf.open(target) as pdf:
            marked = any(b"/MCID" in page.obj.Contents.read_bytes() for page in pdf.pages if "/Contents" in page.obj)
            return "/StructTreeRoot" in pdf.Root, marked

    apart = three_chapters(8)
    assert pieces_of(apart) is not None
    assert tagged(apart) == (False, False)
    whole = [chapter_of("# One\n\nSee [the harbour](#harbour).\n", "manuscript/1.md")]
    whole.append(chapter_of("# Two\n\n## Harbour\n\nThe harbour.\n", "manuscript/2.md"))
    assert pieces_of(whole) is None
    assert tagged(whole) == (True, True)


def test_a_hyphen_reads_as_a_hyphen_after_a_word_broken_at_a_line_end(tmp_path: Path) -> None:
    """Typst reads the hyphen glyph as whatever it first drew it for: in a chapter whose first
    hyphen is a break at a line's end, "twenty-one" would copy as "twenty\u00adone"."""
    long_words = " ".join(["unquestionably incomprehensible extraordinarily circumstantial"] * 12)
    chapters = [chapter_of(f"# One\n\n{long_words}\n\nShe was twenty-one that winter.\n", "manuscript/1.md")]
    assert pieces_of(chapters) is not None
    target = tmp_path / "book.pdf"
    render_book_pdf(chapters, META, target)
    text = "".join(page_texts(target))
    assert re.search(r"\w\u00ad?-?\n\w", text)  # a word broken at a line's end
    assert "twenty-one" in text and "\u00ad" not in text


def test_one_compiler_sets_every_document_as_a_compiler_each_does(tmp_path: Path) -> None:
    """Typst's child (typst_compile.main, chapters mode) makes one typst.Compiler for the whole
    book, and a second only on a second core, for chapters set two at a time (book_join.Ahead);
    the book is the bytes of a compiler made for each document (untagged, as the child sets
    a book's documents chapter by chapter). (In a process of its own:
    typst's compiler leaves threads behind, and a process with threads does not fork.)"""
    import dataclasses
    import json
    import subprocess
    import sys

    pieces = pieces_of(three_chapters(8))
    assert pieces is not None
    (tmp_path / "pieces.json").write_text(json.dumps(dataclasses.asdict(pieces)), encoding="utf-8")
    script = f"""
import io, json, sys
from importlib.metadata import version
import typst
from toolkit.render import typst_compile
from toolkit.render.book_join import BookPieces, Store, set_book
raw = json.loads(open({str(tmp_path / "pieces.json")!r}, encoding="utf-8").read())
made, compiler = [], typst.Compiler
typst.Compiler = lambda *args, **kwargs: made.append(compiler(*args, **kwargs)) or made[-1]
written = io.BytesIO()
sys.stdin = io.TextIOWrapper(io.BytesIO(json.dumps(raw).encode()))
sys.stdout = io.TextIOWrapper(written)
assert typst_compile.main(["", "{META.epoch}", "chapters", ""]) == 0
sys.stdout.flush()
pieces = BookPieces(**{{key: tuple(value) if isinstance(value, list) else value for key, value in raw.items()}})
each = lambda source: typst.compile(
    source.encode(), ignore_system_fonts=True, timestamp={META.epoch}, format="pdf", pdf_tags=False
)
alone = set_book(pieces, {META.epoch}, version("typst"), each, Store(None))
sys.stderr.write(f"{{len(made)}} {{written.getvalue() == alone}}")
"""
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    made, same = ran.stderr.split()
    assert same == "True"
    assert 1 <= int(made) <= min(2, cores())
