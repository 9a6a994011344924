"""fabula's screenplay pages against Final Draft's own, on scripts that came with Final Draft's PDF.

    python benchmarks/final_draft.py [--afterwriting DIR] [--verbose]

For each script of ../shared/corpus/fountain-pro (Fountain beside the PDF Final Draft made from
the same text) it prints: Final Draft's page count (title page included), ours with fabula's
defaults and with the blank lines above a heading that the PDF shows (Final Draft's current
template has two, Final Draft 7 and TV templates one: ``[screenplay] heading_space``), the
difference in per cent, how many of Final Draft's page breaks we reproduce, and how many of
its pages we end where it does when we start them where it does. screenplain's and
afterwriting's page counts (US letter) are printed beside them when they run here;
afterwriting comes from npm (``npm install afterwriting`` into DIR, or a temporary folder) and
is given each script without its long ``image:`` title-page line, on which it crashes.

A page break is reproduced when one of our pages ends on the same line (same words, same
place in the script) as a Final Draft page, and the next one starts on the same line as the
next Final Draft page. Pages are compared as text: Final Draft's PDF is read with pypdf, its
page number, "(MORE)", "CONTINUED" lines and scene numbers left out, and a continued speech's
"NAME (CONT'D)" at the head of a page is not counted as its first line. Quotes, apostrophes
(and the Mac Roman "Õ" some PDFs hold for them), case and spacing are not compared.

The tests (tests/layout/test_final_draft_pages.py) import this module and assert on it.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import functools
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toolkit.layout import Layout, LayoutOptions, LineKind, paginate, title_page_lines
from toolkit.model import Action, Dialogue, DualDialogue, SceneHeading, Screenplay, Transition, plain
from toolkit.parsers.fountain import parse_screenplay

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "fountain-pro"
SCRIPTS = ("bright", "deeper", "community-remedial-chaos-theory", "dexter-pilot")

ROW = 12.0  # 6 lines an inch
TOP_BASELINE = 711.0  # the first line of a US-letter page's text block, 1" from the top
COLUMN = 7.2
LEFT = 108.0
_CONTD = re.compile(r"\s*\((?:cont'd|continued)\)\s*$", re.IGNORECASE)
_FURNITURE = re.compile(r"\(MORE\)|\(CONTINUED\)|CONTINUED:(?: \(\d+\))?")
_HEADING = re.compile(r"(?:\d+[A-Z]?\s+)?\.?(?:INT|EXT|EST|I/E)[ ./]")  # a scene number may come first
_NUMBER = re.compile(r"(\d+)\.$")
_FOLD = str.maketrans({"Õ": "'", "Ô": "'", "Ò": '"', "Ó": '"', "’": "'", "‘": "'", "“": '"', "”": '"'})


@dataclass(frozen=True)
class PageLine:
    """One printed line of a page: its row (0 = the first of the text block) and column."""

    row: float
    column: int
    text: str


def normal(text: str) -> str:
    """A line as compared: quotes, apostrophes, case and spaces set aside."""
    return " ".join(text.translate(_FOLD).lower().split())


def final_draft_pages(pdf: Path) -> tuple[bool, list[list[PageLine]]]:
    """Whether the PDF opens with a title page, and the text lines of each script page.

    Script pages are numbered from the second ("2."), at the top right: the first page whose
    number is found tells how many pages come before script page 1.
    """
    from pypdf import PdfReader

    pages = [_page_lines(page) for page in PdfReader(pdf).pages]
    title = False
    for index, page in enumerate(pages):
        numbers = [
            int(found.group(1)) for line in page if line.row < -2 for found in [_NUMBER.search(line.text)] if found
        ]
        if numbers:
            title = index - (numbers[0] - 1) == 1
            break
    script = pages[1:] if title else pages
    return title, [[line for line in page if _is_text(line)] for page in script]


def _page_lines(page) -> list[PageLine]:
    pieces: dict[float, list[tuple[float, str]]] = {}

    def visit(text: str, cm, tm, font, size) -> None:
        if text.strip():
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.setdefault(round(y, 1), []).append((x, text))

    page.extract_text(visitor_text=visit)
    lines = []
    for y, parts in sorted(pieces.items(), reverse=True):
        parts.sort()
        start = round((parts[0][0] - LEFT) / COLUMN)
        text = ""
        for x, piece in parts:  # a monospace row: each piece goes at its column
            text = text.ljust(round((x - LEFT) / COLUMN) - start) + piece
        lines.append(PageLine(round((TOP_BASELINE - y) / ROW, 2), start, text.rstrip()))
    return lines


def _is_text(line: PageLine) -> bool:
    """Not page furniture: page number and running header above, (CONTINUED) below, (MORE)."""
    return -1.5 < line.row < 55.5 and not _FURNITURE.fullmatch(line.text.strip())


def heading_space(pages: list[list[PageLine]]) -> int:
    """Blank lines Final Draft put above a scene heading in this PDF (the commonest gap)."""
    gaps: Counter[int] = Counter()
    for page in pages:
        for before, line in itertools.pairwise(page):
            if line.column <= 0 and _HEADING.match(line.text):
                gaps[round(line.row - before.row) - 1] += 1
    return gaps.most_common(1)[0][0] if gaps else 2


@dataclass(frozen=True)
class Page:
    """A page as compared: its lines, normalised, a continued speech's NAME (CONT'D) left out."""

    lines: tuple[str, ...]

    @property
    def first(self) -> str:
        return self.lines[0] if self.lines else ""

    @property
    def last(self) -> str:
        return self.lines[-1] if self.lines else ""


def _cue(text: str) -> str:
    return _CONTD.sub("", normal(text))


def _final_draft_page(lines: list[PageLine]) -> Page:
    kept = [line for line in lines if not (line.row < 0 and _CONTD.search(normal(line.text)))]  # NAME (CONT'D) above
    return Page(tuple(_cue(line.text) if line.column >= 18 else normal(line.text) for line in kept))


def our_pages(layout: Layout) -> list[Page]:
    pages = []
    for page in layout.pages:
        lines = sorted(page.lines, key=lambda line: (line.row, line.side, line.column))
        texts = [
            _cue(line.text) if line.kind is LineKind.CHARACTER else normal(line.text)
            for line in lines
            if line.kind is not LineKind.MORE and line.row >= 0
        ]
        pages.append(Page(tuple(text for text in texts if text)))
    return pages


def _words(pages: list[Page]) -> tuple[list[str], list[int]]:
    """The words of the pages in order, and where each page starts in them."""
    words: list[str] = []
    starts = []
    for page in pages:
        starts.append(len(words))
        for line in page.lines:
            words.extend(line.split())
    return words, starts


@dataclass(frozen=True)
class Break:
    page: int  # Final Draft's page number (the title page counted) that this break ends
    last: str  # its last line
    first: str  # the first line of the next page
    matched: bool


@dataclass(frozen=True)
class Comparison:
    name: str
    final_draft_pages: int  # title page included, as Final Draft counts
    our_pages: int  # title page included
    breaks: tuple[Break, ...]
    resync_matched: int  # pages we end where Final Draft does, starting them where it does
    resync_total: int

    @property
    def matched(self) -> int:
        return sum(item.matched for item in self.breaks)

    @property
    def difference(self) -> float:
        """Our page count against Final Draft's, in per cent (positive: we print more)."""
        return 100.0 * (self.our_pages - self.final_draft_pages) / self.final_draft_pages


@functools.cache
def load(name: str) -> tuple[Screenplay, bool, list[list[PageLine]]]:
    text = (CORPUS / f"{name}.fountain").read_text(encoding="utf-8-sig")
    title, pages = final_draft_pages(CORPUS / f"{name}.pro.pdf")
    return parse_screenplay([(f"screenplay/{name}.fountain", text)]), title, pages


def compare(name: str, options: LayoutOptions | None = None) -> Comparison:
    """Our pagination of ``name`` against Final Draft's PDF of it."""
    options = options or LayoutOptions()
    screenplay, title, pdf_pages = load(name)
    theirs = [_final_draft_page(page) for page in pdf_pages]
    layout = paginate(screenplay, options)
    ours = our_pages(layout)
    their_words, their_starts = _words(theirs)
    our_words, our_starts = _words(ours)
    at = _alignment(their_words, our_words)
    our_breaks = set(our_starts[1:])
    breaks = []
    for number, (start, page, following) in enumerate(zip(their_starts[1:], theirs, theirs[1:], strict=False)):
        ours_at = at.get(start)
        matched = False
        if ours_at in our_breaks:
            index = our_starts.index(ours_at)
            matched = ours[index - 1].last == page.last and ours[index].first == following.first
        breaks.append(Break(number + 1 + title, page.last, following.first, matched))
    resync_matched, resync_total = _resync(screenplay, options, theirs)
    our_count = len(layout.pages) + (1 if title_page_lines(screenplay.title_page) else 0)
    return Comparison(name, len(pdf_pages) + title, our_count, tuple(breaks), resync_matched, resync_total)


def _alignment(theirs: list[str], ours: list[str]) -> dict[int, int]:
    """Word index in Final Draft's text -> the same word's index in ours, where they agree."""
    # autojunk: a word as common as "the" may not start a match (it may lie inside one); on
    # these scripts it changes one resynchronised page of 240 and halves the time.
    matcher = difflib.SequenceMatcher(None, theirs, ours)
    return {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}


def _resync(screenplay: Screenplay, options: LayoutOptions, theirs: list[Page]) -> tuple[int, int]:
    """Start a page where Final Draft starts one: do we end it where Final Draft ends it?

    This measures the page-break rules alone: the text before the page (a line more or less
    here or there in the source, a poem that Final Draft set on the title page) cannot shift it.
    Only pages that start with a paragraph of the Fountain file are tried.
    """
    elements = screenplay.elements
    element_words: list[str] = []
    element_start: dict[int, int] = {}
    for index in range(len(elements)):
        element_start[len(element_words)] = index
        element_words.extend(_element_words(screenplay, index))
    their_words, their_starts = _words(theirs)
    at = _alignment(their_words, element_words)
    matched = total = 0
    for page, start in enumerate(their_starts[:-1]):
        index = element_start.get(at.get(start, -1))
        if index is None:
            continue
        total += 1
        window = dataclasses.replace(screenplay, elements=elements[index : index + 120], scenes=())
        first = our_pages(paginate(window, options))[0]
        # It ends after the same words (the last line may be wrapped a word differently).
        matched += first.last.split()[-3:] == theirs[page].last.split()[-3:]
    return matched, total


def _element_words(screenplay: Screenplay, index: int) -> list[str]:
    """The words an element prints, in the order a page reads them."""
    element = screenplay.elements[index]
    if isinstance(element, SceneHeading | Transition):
        return normal(plain(element.text)).split()
    if isinstance(element, Action):
        return [word for line in element.lines for word in normal(plain(line)).split()]
    if isinstance(element, Dialogue):
        lines = [_cue(element.cue), *(normal(plain(line.text)) for line in element.lines)]
        return [word for line in lines for word in line.split()]
    if isinstance(element, DualDialogue):  # printed side by side, row by row: lay it out
        alone = dataclasses.replace(screenplay, elements=(element,), scenes=())
        return _words(our_pages(paginate(alone)))[0]
    return []


# ---------------------------------------------------------------- peers, for the table


def screenplain_pages(name: str, work: Path) -> int | None:
    command = shutil.which("screenplain")
    if command is None:
        return None
    target = work / f"{name}.screenplain.pdf"
    subprocess.run([command, str(CORPUS / f"{name}.fountain"), str(target)], check=True, capture_output=True)
    return _pdf_pages(target)


def afterwriting_pages(name: str, work: Path, folder: Path | None) -> int | None:
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    folder = folder or work / "aw"
    script = folder / "node_modules" / "afterwriting" / "awc.js"
    if not script.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(folder), "afterwriting"],
            check=True,
            capture_output=True,
        )
    config = work / "letter.json"
    config.write_text(json.dumps({"print_profile": "usletter"}))
    target = work / f"{name}.afterwriting.pdf"
    # afterwriting 1.17 crashes (pdfkit: "unsupported number: NaN") on a title-page value as
    # long as these scripts' "image:" URLs: it is given the script without that one line.
    source = work / f"{name}.fountain"
    lines = (CORPUS / f"{name}.fountain").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    source.write_text("".join(line for line in lines if not line.lower().startswith("image:")), encoding="utf-8")
    command = [
        "node",
        str(script),
        "--source",
        str(source),
        "--pdf",
        str(target),
        "--overwrite",
        "--config",
        str(config),
    ]
    result = subprocess.run(command, capture_output=True, check=False)
    return _pdf_pages(target) if result.returncode == 0 and target.is_file() else None


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--afterwriting", type=Path, help="folder to install afterwriting in and reuse")
    parser.add_argument("--verbose", action="store_true", help="list the breaks we miss, first and last lines")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} not found")
    header = (
        f"{'script':<33}{'FD':>4}{'ours':>6}{'diff':>8}{'breaks':>9}{'resync':>9}"
        f"{'ours(PDF sp.)':>15}{'diff':>8}{'breaks':>9}{'resync':>9}{'screenplain':>13}{'afterwriting':>14}"
    )
    print(header)
    rows = []
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        for name in SCRIPTS:
            default = compare(name)
            spacing = heading_space(load(name)[2])
            own = compare(name, LayoutOptions(heading_space=spacing))
            peers = [screenplain_pages(name, work), afterwriting_pages(name, work, args.afterwriting)]
            rows.append((default, own, peers))
            print(
                f"{name:<33}{default.final_draft_pages:>4}{default.our_pages:>6}{default.difference:>+7.1f}%"
                f"{f'{default.matched}/{len(default.breaks)}':>9}"
                f"{f'{default.resync_matched}/{default.resync_total}':>9}"
                f"{f'{own.our_pages} ({spacing})':>15}{own.difference:>+7.1f}%{f'{own.matched}/{len(own.breaks)}':>9}"
                f"{f'{own.resync_matched}/{own.resync_total}':>9}"
                + "".join(
                    f"{'-' if pages is None else pages:>{width}}" for pages, width in zip(peers, (13, 14), strict=True)
                )
            )
            if args.verbose:
                for item in default.breaks:
                    if not item.matched:
                        print(f"    missed after FD page {item.page}: {item.last!r} | {item.first!r}")
    for label, pick in (("fabula defaults", 0), ("heading spacing of the PDF", 1)):
        differences = [abs(row[pick].difference) for row in rows]
        print(f"mean |difference|, {label}: {sum(differences) / len(differences):.2f}%")
    for index, peer in enumerate(("screenplain", "afterwriting")):
        counts = [(row[2][index], row[0].final_draft_pages) for row in rows if row[2][index] is not None]
        if counts:
            mean = sum(abs(ours - fd) / fd for ours, fd in counts) / len(counts) * 100
            print(f"mean |difference|, {peer}: {mean:.2f}%")


if __name__ == "__main__":
    main()
