"""pandoc for every book output: the bundled binary, our Lua filters, the book as Markdown written from the model."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from toolkit import children
from toolkit.errors import FabulaError
from toolkit.model import Block, BlockKind, Chapter

# Markdown as the parser wrote each block back, with "smart" quotes and dashes; front matter is
# already removed, so a "---" line further down must never be taken for a YAML block. Text is
# text: pandoc's extensions that turn ordinary characters into something else are off, so that
# "@home" and an e-mail address are not citations (which break the book PDF without a
# bibliography), "$5 and $10" is not mathematics, "\today" is not LaTeX, a "%" line is not a
# title block and "(@)" not a numbered example. Documented Markdown stays: emphasis, footnotes,
# lists, tables, raw HTML (made safe by filters/guard.lua) and backslash escapes.
INPUT_FORMAT = (
    "markdown+smart-yaml_metadata_block-citations-tex_math_dollars-raw_tex-latex_macros"
    "-raw_attribute-pandoc_title_block-example_lists"
)

# pandoc's time limit: a 300k-word book (1.5 MB) takes about 8 s of one core for the EPUB. The
# limit leaves room for any real book on a slow, busy machine, and stops input that makes pandoc's
# time grow faster than its length (thousands of unclosed "<!--" took minutes).
TIME_LIMIT_SECONDS = 120.0
TIME_LIMIT_PER_MEGABYTE = 60.0


@dataclass(frozen=True)
class CopyrightPage:
    """The copyright page (the title page's verso), from fabula.toml's [book] table."""

    notice: str | None = None  # "Copyright © 2024 Ada Byron"
    rights: str = "All rights reserved."
    edition: str | None = None
    publisher: str | None = None
    isbn: str | None = None  # the digits of the ISBN-13
    printer: str | None = None  # the print edition only

    def groups(self, printed: bool) -> tuple[tuple[str, ...], ...]:
        """The page's lines, in groups a blank line apart; ``printed``: the print edition's page."""
        groups = (
            tuple(line for line in (self.notice, self.rights) if line),
            tuple(line for line in (self.edition, self.publisher and f"Published by {self.publisher}") if line),
            (f"ISBN {self.isbn}",) if self.isbn else (),
            (self.printer,) if self.printer and printed else (),
        )
        return tuple(group for group in groups if group)


@dataclass(frozen=True)
class BookFront:
    """The pages before chapter one that the writer sets in fabula.toml's [book] table.

    Both books set them in one order: half-title, title page (with the publisher's name at its
    foot), copyright page on its verso, dedication, epigraph, contents.
    """

    dedication: str | None = None
    epigraph: str | None = None
    epigraph_source: str | None = None
    copyright: CopyrightPage | None = None
    publisher: str | None = None  # the imprint line at the foot of the title page


NO_FRONT = BookFront()


@dataclass(frozen=True)
class BookStyle:
    """How the chapters' text is set in every book output (fabula.toml's [book] table)."""

    dash: str = "em"  # what "--" becomes: "em", "spaced-en", or "typed" (kept as "--")
    small_caps_headings: bool = False  # chapter titles typed in capitals set in small capitals


BOOK_STYLE = BookStyle()

# An en dash the writer typed, while pandoc reads the book: its "smart" reading makes "--" an
# en dash too, and book.lua must tell the two apart. U+FDD0 is a Unicode noncharacter, set
# aside for a program's internal use, so no text means it; book.lua turns it back.
_TYPED_EN_DASH = "\u2013"
_PROTECTED_EN_DASH = "\ufdd0"


# A dash with the spaces around it; the spaces are taken only from where a run of them starts
# ("(?<!\s)"), so a long run of spaces with no dash after it is read once, not once a space.
_TYPED_DASHES = re.compile(r"(?P<range>(?<=\d)--(?=\d))|(?<!\s)\s*(?P<dash>---?)\s*")


def plain_dashes(text: str, dash: str) -> str:
    """Plain text from fabula.toml (a title, a dedication) with "--" set as book.lua sets it in
    the chapters: an em dash, a spaced en dash, or as typed; "---" is an em dash in every style."""

    def dash_for(match: re.Match[str]) -> str:
        if match.group("range"):
            return "\u2013"
        if match.group("dash") == "---" or dash == "em":
            return "\u2014"
        return "\u00a0\u2013 "

    if dash == "typed":
        return text
    return _TYPED_DASHES.sub(dash_for, text).strip()


def book_pandoc_input(markdown: str) -> str:
    """The Markdown as pandoc reads it with ``book_filter_args``: typed en dashes set aside.

    What pandoc writes from it must go through ``typed_dashes_back``.
    """
    return markdown.replace(_TYPED_EN_DASH, _PROTECTED_EN_DASH)


def typed_dashes_back(written: str) -> str:
    """pandoc's output (XHTML, Typst, DOCX XML) with the set-aside en dashes typed again, also
    where a link's address carries one (percent-encoded). Done on the output, not in book.lua:
    a Lua pass over every word of the book would cost a third of the run."""
    return written.replace(_PROTECTED_EN_DASH, _TYPED_EN_DASH).replace("%EF%B7%90", "%E2%80%93")


def book_filters(language: str, style: BookStyle = BOOK_STYLE) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The Lua filters that every book output runs (names in toolkit/filters, in their order),
    and the metadata that sets them.

    Every pandoc run over ``book_pandoc_input`` text must include these: only book.lua knows
    that an en dash in pandoc's reading came from "--".
    """
    filters = (*typography_filters(language), "book.lua")
    meta = (
        ("fabula-dash", style.dash),
        ("fabula-caps-headings", "true" if style.small_caps_headings else "false"),
    )
    return filters, meta


def book_filter_args(language: str, style: BookStyle = BOOK_STYLE) -> list[str]:
    """``book_filters`` as pandoc's command-line arguments."""
    filters, meta = book_filters(language, style)
    return [
        *(arg for name in filters for arg in ("--lua-filter", str(filter_path(name)))),
        *(arg for key, value in meta for arg in ("--metadata", f"{key}={value}")),
    ]


# Words that readers hear (screen readers) or see (the contents page) in the book's language.
_WORDS = {
    "en": {"contents": "Contents", "dedication": "Dedication", "epigraph": "Epigraph", "copyright": "Copyright"},
    "fr": {"contents": "Table des matières", "dedication": "Dédicace", "epigraph": "Épigraphe", "copyright": "Droits"},
    "de": {"contents": "Inhalt", "dedication": "Widmung", "epigraph": "Motto", "copyright": "Impressum"},
    "es": {"contents": "Índice", "dedication": "Dedicatoria", "epigraph": "Epígrafe", "copyright": "Créditos"},
}


def words_for(language: str) -> dict[str, str]:
    """Headings fabula adds, in the book's language (English where we have no translation)."""
    return _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])


def markdown_escape(text: str) -> str:
    """Plain text as Markdown that pandoc reads back as the same words (smart quotes still apply)."""
    escaped = "".join("\\" + char if char in "\\`*_{}[]<>#+-!|~^$@:" else char for char in text)
    return "\n".join(line.strip() or "\\" for line in escaped.strip().splitlines())


def markdown_title(text: str) -> str:
    """A title as an ATX heading's text: plain text, but "--" still a dash (a heading line can
    never start a list or a rule, so hyphens need no escape there)."""
    return markdown_escape(text).replace("\\-", "-")


def book_markdown(chapters: Sequence[Chapter]) -> str:
    """All chapters as one Markdown text, each starting with a level-1 heading (pandoc splits there).

    Written block by block from the model: the parser has decided what each block is, and
    each block's ``markdown`` can only be read as that (an indented paragraph comes dedented,
    a letter quoted), so pandoc reads the book as the outline and the checks do.

    A block whose prose has a typed "--" comes in a Div of class "fabula-dashes": book.lua sets
    the dashes in those blocks (and in headings) alone, rather than visiting every word of the
    book, which costs a pandoc run half as much again.
    """
    parts = []
    for number, chapter in enumerate(chapters, start=1):
        # Footnote labels are per chapter as written ("[^1]" in every chapter) but one namespace
        # in the joined text, where pandoc would keep only the first definition of each.
        labels = [block.label for block in chapter.blocks if block.kind is BlockKind.FOOTNOTE and block.label]
        # A note's text is set where the note is called: the calling block carries its dashes.
        dashed_notes = [
            block.label for block in chapter.blocks if block.kind is BlockKind.FOOTNOTE and _has_dashes(block)
        ]
        text = "\n".join(_chapter_heading(chapter))
        for group in _joined_groups(chapter.blocks):
            markdown = ""
            for block in group:
                written = block.markdown
                for label in labels if "[^" in written else ():
                    written = written.replace(f"[^{label}]", f"[^{number}.{label}]")
                # The paragraphs of one indented letter make one block quote.
                markdown += ("\n>\n" if markdown else "") + written
            dashed = any(
                _has_dashes(block) or any(f"[^{label}]" in block.markdown for label in dashed_notes)
                for block in group
                if block.kind not in _NOT_IN_A_DIV
            )
            text += "\n\n" + (f"::: fabula-dashes\n{markdown}\n:::" if dashed else markdown)
        parts.append(text + "\n")
    return "\n".join(parts)


def frame_markdown(chapter: Chapter) -> str:
    """The chapter reduced to what a book's frame needs of it: its level-1 heading (as
    ``book_markdown`` writes it), its other headings, and its images, each in a paragraph of its own.

    pandoc makes the EPUB's frame (package, contents, landmarks) of the front pages and every
    chapter's frame; the chapters' own text comes from each chapter's conversion on its own
    (render/chapters.py). The headings are there for their identifiers, which pandoc makes
    unique over the whole book ("morning", then "morning-1"); the images for the package's
    list of media.
    """
    images = [image for block in chapter.blocks for image in block.images]
    headings = [block.markdown for block in chapter.blocks if block.kind is BlockKind.HEADING]
    parts = ["\n".join(_chapter_heading(chapter)), *headings, *(f"![](<{image}>)" for image in dict.fromkeys(images))]
    return "\n\n".join(parts) + "\n"


def frame_headings(chapter: Chapter) -> tuple[str, int]:
    """The chapter's headings alone, as ``book_markdown`` writes them (its level-1 heading, a
    dateline under it, its other headings), and how many headings pandoc reads in them: a
    book's frame holds them for the identifiers pandoc makes unique over the whole book."""
    first = _chapter_heading(chapter)
    headings = [block.markdown for block in chapter.blocks if block.kind is BlockKind.HEADING]
    count = 1 + sum(line.startswith("::: fabula-dateline") for line in first) + len(headings)
    return "\n\n".join(["\n".join(first), *headings]) + "\n", count


# Text in square brackets, as a reference to a link target is written ("[The Lamp]",
# "[text][lamp]", "[lamp][]"), not an inline link's text; linear: no nesting, a bounded length.
_BRACKETED = re.compile(r"\[([^\[\]\n]{1,300})\](?!\()")


def references_across(chapters: Sequence[Chapter]) -> bool:
    """Whether a chapter may refer to a link target another chapter defines (see
    ``_references_across``); worked out once for the chapters of a build, which the book's
    three outputs and their preparation each ask about."""
    return _once_per_build(_ACROSS, chapters, _references_across)


_ACROSS: list[tuple[tuple[Chapter, ...], bool]] = []


def _once_per_build(
    last: list[tuple[tuple[Chapter, ...], bool]], chapters: Sequence[Chapter], work: Callable[[Sequence[Chapter]], bool]
) -> bool:
    """``work(chapters)``, remembered in ``last`` for the one tuple of chapters a build holds
    (asked again with the same tuple, the answer is not worked out again)."""
    if not isinstance(chapters, tuple):
        return work(chapters)
    if last and last[0][0] is chapters:
        return last[0][1]
    found = work(chapters)
    last[:] = [(chapters, found)]  # the chapters themselves are held: their id stays theirs
    return found


def _references_across(chapters: Sequence[Chapter]) -> bool:
    """Whether a chapter may refer to a link target another chapter defines: a heading's text
    (pandoc links "[The Lamp]" to the heading of that name) or a link definition ("[lamp]:
    https://..."). pandoc reading the whole book resolves such a reference, and reading the
    chapter alone does not (or finds the chapter's own target of that name), so a book made of
    chapters converted one by one would differ. Conservative: a bracketed text that names a
    target defined in another chapter, or in more than one, counts.
    """
    defined: list[set[str]] = []
    used: list[set[str]] = []
    for chapter in chapters:
        keys: set[str] = set()
        titles = [chapter.title, chapter.front.title or ""]
        titles += [block.title for block in (chapter.heading, *chapter.blocks) if block and block.title]
        for title in titles:
            keys.add(_key(title))
            keys.add(_key(title.split("{")[0]))
        for block in chapter.blocks:
            if block.kind is BlockKind.REFERENCE:
                for line in block.markdown.splitlines():
                    line = line.strip()
                    if line.startswith("[") and "]:" in line:
                        keys.add(_key(line[1 : line.index("]:")]))
        keys.discard("")
        defined.append(keys)
        text = "\n".join(block.markdown for block in chapter.blocks)
        # A reference is bracketed: a chapter with no "[" (most prose) is not read through again.
        used.append({_key(match) for match in _BRACKETED.findall(" ".join(text.split()))} if "[" in text else set())
    definers: dict[str, list[int]] = {}
    for number, keys in enumerate(defined):
        for key in keys:
            definers.setdefault(key, []).append(number)
    for number, keys in enumerate(used):
        for key in keys & definers.keys():
            if definers[key] != [number] and definers[key][0] != number:
                return True
            if len(definers[key]) > 1 and number != definers[key][0]:
                return True
    return False


def _key(text: str) -> str:
    return " ".join(text.split()).lower()


# Blocks that stay out of a Div: headings (book.lua sets their dashes anyway; a chapter heading
# must stay at the top level), and definitions pandoc reads only at the top level.
_NOT_IN_A_DIV = frozenset({BlockKind.HEADING, BlockKind.FOOTNOTE, BlockKind.REFERENCE})


def _has_dashes(block: Block) -> bool:
    """A typed "--" in the block's prose (the parser has blanked comments and link targets)."""
    return "--" in block.text


def _joined_groups(blocks: Sequence[Block]) -> list[list[Block]]:
    """The blocks, each with the blocks joined to it (the paragraphs of one letter)."""
    groups: list[list[Block]] = []
    for block in blocks:
        if block.joined and groups:
            groups[-1].append(block)
        else:
            groups.append([block])
    return groups


def _chapter_heading(chapter: Chapter) -> list[str]:
    """The chapter's level-1 heading; front matter ``title`` names it, its own heading stays below.

    A writer who opens a chapter with "# DAY 1 — Wednesday, 27 December 2023" and gives it
    ``title: The Last Boat`` means the chapter to be called "The Last Boat" in the contents, as
    the outline calls it: the dated heading stays, one level down, as a dateline.
    """
    heading = chapter.heading
    if heading is None:
        return [f"# {chapter.title}"]
    if chapter.front.title and chapter.front.title.strip() != chapter.title:
        # book.lua sets the dated heading under the title ("fabula-dateline"), in every output.
        dateline = ["::: fabula-dateline", "#" + heading.markdown, ":::"]
        return [f"# {markdown_title(chapter.front.title)}", "", *dateline]
    return [heading.markdown]


def filter_path(name: str) -> Path:
    """One of our Lua filters in ``toolkit/filters`` (pandoc needs a file on disk)."""
    return Path(str(resources.files("toolkit").joinpath("filters", name)))


# Languages whose quotation marks typography.lua sets (French also gets its spacing there).
QUOTED_LANGUAGES = frozenset({"fr", "de", "cs", "da", "es", "fi", "it", "nb", "no", "pl", "ru", "sv", "uk"})


def typography_filters(language: str) -> tuple[str, ...]:
    """typography.lua for the languages it sets quotation marks for (see ``typography_args``)."""
    return ("typography.lua",) if language.split("-")[0].lower() in QUOTED_LANGUAGES else ()


def typography_args(language: str) -> list[str]:
    """The Lua filter for languages whose typography pandoc's "smart" does not do.

    pandoc's smart quotes are English ones in every language: French gets guillemets and its
    spacing, German „…“, Spanish and Italian «…», and so on (see typography.lua). Left out for
    other languages: pandoc hands the whole document to Lua and back for every filter, which
    costs a quarter of an EPUB build on a 300k-word book for no change.
    """
    if language.split("-")[0].lower() not in QUOTED_LANGUAGES:
        return []
    return ["--lua-filter", str(filter_path("typography.lua"))]


@functools.cache
def pandoc_path() -> Path:
    """The pandoc that pypandoc-binary ships: a system pandoc may be any version. Found where
    Python would import pypandoc from, without importing it (its imports took ~40 ms of CPU
    before the edited chapter could go to pandoc)."""
    import importlib.util

    name = "pandoc.exe" if sys.platform == "win32" else "pandoc"
    try:
        spec = importlib.util.find_spec("pypandoc")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:  # as importing it would say (fabula-check, the light install)
        raise ModuleNotFoundError("No module named 'pypandoc'", name="pypandoc")
    path = Path(spec.origin).resolve().parent / "files" / name
    if not path.is_file():
        raise FabulaError("pandoc not found: install the pypandoc-binary package")
    return path


def may_fetch(chapters: Sequence[Chapter]) -> bool:
    """Whether pandoc could find raw HTML or an image to read in the book, so that the guard
    filter must run: a conservative test on the text pandoc will read (no "<" and no image
    mark, nothing of the sort), not a parse. The filter costs a quarter of an EPUB's time,
    so a book without either is spared it. Worked out once for the chapters of a build (as
    ``references_across``): the book's outputs, their preparation and the frame each ask."""
    return _once_per_build(_FETCH, chapters, _may_fetch)


_FETCH: list[tuple[tuple[Chapter, ...], bool]] = []


def _may_fetch(chapters: Sequence[Chapter]) -> bool:
    for chapter in chapters:
        blocks = (chapter.heading, *chapter.blocks) if chapter.heading is not None else chapter.blocks
        if any(block.images or "<" in block.markdown or "![" in block.markdown for block in blocks):
            return True
    return False


@functools.cache
def default_abbreviations() -> tuple[str, ...]:
    """pandoc's own abbreviations ("Dr.", "aet.", "vs."), from its data file. Its command line
    reads them and puts a no-break space after each; ``pandoc.read`` in Lua knows only a few
    unless given the list, so render/chapters.py hands it over (one small run a process)."""
    written = run_pandoc(["--print-default-data-file=abbreviations"], 0, "book")
    return tuple(line.strip() for line in written.splitlines() if line.strip())


def start_pandoc(
    args: Sequence[str],
    epoch: int,
    product: str,
    *,
    images: Mapping[str, str] | None = None,
    size: int = 0,
    workdir: Path,
) -> Callable[[], None]:
    """Start pandoc as ``run_pandoc`` runs it (no standard input; it writes its output to a file
    its arguments name) and return at once: what is returned waits for it, and raises the same
    FabulaError as ``run_pandoc`` when it fails. ``workdir`` holds its errors, the guard's list
    and pandoc's own temporary files."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "TMPDIR": str(workdir)}
    env.pop("FABULA_IMAGES", None)
    seconds = children.time_limit(TIME_LIMIT_SECONDS, TIME_LIMIT_PER_MEGABYTE, size)
    if images is not None:
        listed = workdir / "images.json"
        listed.write_text(json.dumps(dict(images), ensure_ascii=False), encoding="utf-8")
        env["FABULA_IMAGES"] = str(listed)
        args = ["--lua-filter", str(filter_path("guard.lua")), *args]
    (workdir / "nothing.txt").write_bytes(b"")
    started = time.monotonic()
    what = f"pandoc, building the {product},"
    process = children.start(
        [str(pandoc_path()), *args],
        stdin=workdir / "nothing.txt",
        stdout=workdir / "printed.txt",
        stderr=workdir / "errors.txt",
        env=env,
    )

    def wait() -> None:
        if children.wait(process, seconds, what, started) != 0:
            message = (workdir / "errors.txt").read_bytes().decode("utf-8", "replace").strip()
            raise FabulaError(f"pandoc could not build the {product}: {message}")

    return wait


def run_pandoc(
    args: Sequence[str],
    epoch: int,
    product: str,
    stdin: str | None = None,
    *,
    images: Mapping[str, str] | None = None,
    size: int = 0,
    workdir: Path | None = None,
) -> str:
    """Run pandoc and return what it printed; a failure is one FabulaError naming ``product``.

    With ``images`` (written -> file: the images fabula checked), the guard filter runs first
    and pandoc reads those files and no other (see filters/guard.lua). ``size`` (characters of
    the book) sets the time limit; ``workdir`` holds the filter's list (the staging folder).
    """
    # Pandoc takes every date it writes (dcterms:modified, zip entries) from SOURCE_DATE_EPOCH;
    # a subprocess env leaves our own process environment alone.
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    env.pop("FABULA_IMAGES", None)
    seconds = children.time_limit(TIME_LIMIT_SECONDS, TIME_LIMIT_PER_MEGABYTE, size or len(stdin or ""))
    # A folder for the guard's list only when there is one to hand over (nothing else is written).
    guarding = tempfile.TemporaryDirectory(prefix=".fabula-pandoc-", dir=workdir) if images is not None else None
    with guarding or contextlib.nullcontext() as temp:
        if images is not None:
            assert temp is not None
            listed = Path(temp) / "images.json"
            listed.write_text(json.dumps(dict(images), ensure_ascii=False), encoding="utf-8")
            env["FABULA_IMAGES"] = str(listed)
            args = ["--lua-filter", str(filter_path("guard.lua")), *args]
        result = children.run(
            [str(pandoc_path()), *args], seconds, f"pandoc, building the {product},", stdin=stdin, env=env
        )
    if result.returncode != 0:
        raise FabulaError(f"pandoc could not build the {product}: {result.stderr.strip()}")
    return result.stdout
