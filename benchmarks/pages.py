"""Page images of the sample's book PDF and report, and how often facing pages end on different lines.

    python benchmarks/pages.py --label after [--images benchmarks/pages] [--copies 8]

Builds the sample project (copied to a temporary folder) with the fabula of this checkout, then
- writes small PNGs into ``<images>/<label>/``: the book PDF's title page, copyright page (when
  there is one), contents, the first chapter's opening page and a mid-chapter spread, rendered
  by poppler's ``pdftoppm`` (Debian's poppler-utils), and report.html as headless Chromium shows
  it at 1280 px and at 390 px (the top of the page, where the charts are);
- builds a long novel (the sample's chapters ``--copies`` times over, so scene breaks and dated
  subheads recur as in a real book) and prints how many of its mid-chapter spreads end on
  different lines: a verso and the recto facing it, both full pages of one chapter, whose last
  lines of text do not sit at the same height.

The images under benchmarks/pages/before/ were made by this script run on main before issue
17; those under after/ by the branch that closed it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdf

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit import pipeline  # noqa: E402

WIDTHS = (1280, 390)


def copy_sample(target: Path, copies: int = 1) -> Path:
    target.mkdir(parents=True)
    for name in ("fabula.toml", "characters.yaml"):
        shutil.copy2(REPO / name, target / name)
    shutil.copytree(REPO / "screenplay", target / "screenplay")
    chapters = sorted((REPO / "manuscript").glob("*.md"))
    (target / "manuscript").mkdir()
    for copy in range(copies):
        for index, chapter in enumerate(chapters, start=1):
            shutil.copy2(chapter, target / "manuscript" / f"{copy * len(chapters) + index:03d}-{chapter.name}")
    return target


def lines_of(page: pypdf.PageObject) -> list[tuple[float, str]]:
    """(baseline height in points, text) of each piece of text on a page, top first."""
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((round(tm[5] * cm[3] + cm[5], 2), text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(found, key=lambda item: -item[0])


def body_bottom(page: pypdf.PageObject) -> float | None:
    """The baseline of the last line of body text: the folio (digits at the foot) left out."""
    lines = [(y, text) for y, text in lines_of(page) if not (y < 45 and text.isdigit())]
    return lines[-1][0] if lines else None


def page_kinds(reader: pypdf.PdfReader, title: str, author: str) -> list[str]:
    """'head' for a page under a running head, 'other' for openings, blanks and front matter."""
    kinds = []
    for page in reader.pages:
        lines = lines_of(page)
        top = lines[0][1] if lines else ""
        kinds.append("head" if top.lower() in {title.lower(), author.lower()} and len(lines) > 3 else "other")
    return kinds


def uneven_spreads(pdf: Path, title: str, author: str) -> tuple[int, int]:
    """(spreads whose last lines differ, mid-chapter spreads): verso n (even) and recto n + 1,
    both under running heads, and the page after them too, so neither ends its chapter."""
    reader = pypdf.PdfReader(pdf)
    kinds = page_kinds(reader, title, author)
    uneven = total = 0
    for verso in range(2, len(kinds) - 1, 2):  # page numbers: verso is even, index verso - 1
        indices = (verso - 1, verso, verso + 1)
        if any(index >= len(kinds) or kinds[index] != "head" for index in indices):
            continue
        left, right = body_bottom(reader.pages[verso - 1]), body_bottom(reader.pages[verso])
        total += 1
        uneven += left is None or right is None or abs(left - right) > 0.5
    return uneven, total


def find_pages(pdf: Path) -> dict[str, list[int]]:
    """1-based page numbers of the pages worth a picture."""
    texts = [page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages]
    pages: dict[str, list[int]] = {}
    title = next(i for i, text in enumerate(texts, 1) if "The Fabula Authors" in text and "Winter" in text)
    pages["title"] = [title]
    copyright_page = next((i for i, text in enumerate(texts, 1) if "©" in text), None)
    if copyright_page:
        pages["copyright"] = [copyright_page]
    contents = next(i for i, text in enumerate(texts, 1) if text.strip().startswith("Contents"))
    pages["contents"] = [contents]
    opening = next(i for i, text in enumerate(texts, 1) if i > contents and text.strip().startswith("The Last Boat"))
    pages["opening"] = [opening]
    verso = opening + 1 if (opening + 1) % 2 == 0 else opening + 2
    pages["spread"] = [verso, verso + 1]
    return pages


def pdf_images(pdf: Path, folder: Path) -> list[Path]:
    from PIL import Image

    written = []
    with tempfile.TemporaryDirectory() as temp:
        for name, numbers in find_pages(pdf).items():
            images = []
            for number in numbers:
                stem = Path(temp) / f"{name}-{number}"
                pdftoppm = [
                    "pdftoppm",
                    "-r",
                    "60",
                    "-gray",
                    "-png",
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    "-singlefile",
                ]
                subprocess.run(
                    [*pdftoppm, str(pdf), str(stem)],
                    check=True,
                )
                images.append(Image.open(f"{stem}.png").convert("L"))
            width = sum(image.width for image in images) + 4 * (len(images) - 1)
            sheet = Image.new("L", (width, max(image.height for image in images)), 128)
            x = 0
            for image in images:
                sheet.paste(image, (x, 0))
                x += image.width + 4
            target = folder / f"book-{name}.png"
            sheet.quantize(16).save(target, optimize=True)
            written.append(target)
    return written


def report_images(report: Path, folder: Path) -> list[Path]:
    """report.html at each of WIDTHS. Headless Chromium lays a window out at least 500 px wide,
    so the page is shown in a frame of the width asked for, as tests/test_browser.py does."""
    from PIL import Image

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium: report images left out")
        return []
    written = []
    for width in WIDTHS:
        target = folder / f"report-{width}.png"
        height = 2400 if width < 600 else 1500
        with tempfile.TemporaryDirectory() as temp:
            frame = Path(temp) / "frame.html"
            frame.write_text(
                f'<!DOCTYPE html><body style="margin:0"><iframe src="{report.as_uri()}" '
                f'style="width:{width}px;height:{height}px;border:0;display:block"></iframe></body>',
                encoding="utf-8",
            )
            browser = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
            window = [f"--user-data-dir={temp}", f"--window-size={max(width, 500)},{height}"]
            subprocess.run(
                [*browser, *window, f"--screenshot={target}", frame.as_uri()],
                check=True,
                capture_output=True,
            )
        image = Image.open(target).convert("RGB").crop((0, 0, width, height))
        scale = 0.5 if width > 600 else 1.0
        image = image.resize((round(image.width * scale), round(image.height * scale)))
        image.quantize(32).save(target, optimize=True)
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--label", required=True, help="folder under --images: before, after")
    parser.add_argument("--images", type=Path, default=REPO / "benchmarks" / "pages")
    parser.add_argument("--copies", type=int, default=8, help="copies of the sample's chapters in the long novel")
    args = parser.parse_args()
    folder = args.images / args.label
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fabula-pages-") as temp:
        sample = copy_sample(Path(temp) / "sample")
        pipeline.build(sample, sample / "output", ("book", "report"), use_cache=False)
        written = pdf_images(sample / "output" / "book.pdf", folder)
        written += report_images(sample / "output" / "report.html", folder)
        for path in written:
            print(
                f"wrote {path.relative_to(REPO) if path.is_relative_to(REPO) else path} ({path.stat().st_size:,} bytes)"
            )
        novel = copy_sample(Path(temp) / "novel", args.copies)
        pipeline.build(novel, novel / "output", ("book",), use_cache=False)
        pdf = novel / "output" / "book.pdf"
        meta = pipeline.story(novel, use_cache=False).meta
        uneven, total = uneven_spreads(pdf, meta.title, meta.author or "")
        pages = len(pypdf.PdfReader(pdf).pages)
        print(f"long novel: {pages} pages; {uneven} of {total} mid-chapter spreads end on different lines")


if __name__ == "__main__":
    main()
