"""Times the book renderers against the raw tools underneath them, on the same input in the same run.

    python benchmarks/book.py [--runs 3] [--words 300000]

A generated manuscript (benchmarks/generate.py) is loaded once, then:
- EPUB: fabula's render_epub vs raw pandoc (the binary pypandoc-binary ships) with the same
  options that matter (smart, TOC, split per chapter), from the same joined Markdown;
- PDF: fabula's render_book_pdf vs raw pandoc → Typst (pandoc's standalone Typst output,
  default template) compiled by the same typst library.
Every figure is the median wall time; the ratio is ours / raw. Loading (reading and parsing
the chapters) is printed on its own: it is shared by every output of a build.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generate import write_manuscript

from toolkit.build import load
from toolkit.render.book_pdf import compile_typst, render_book_pdf
from toolkit.render.epub import render_epub
from toolkit.render.pandoc import book_markdown, pandoc_path


def median_time(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(label: str, ours: float, raw: float, raw_name: str) -> None:
    print(f"{label:<28} fabula {ours:7.3f} s   {raw_name} {raw:7.3f} s   ratio {ours / raw:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--words", type=int, default=300_000)
    args = parser.parse_args()
    pandoc = str(pandoc_path())
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        book = work / "book"
        write_manuscript(book, args.words)
        start = time.perf_counter()
        loaded = load(book)
        load_time = time.perf_counter() - start
        chapters = loaded.project.chapters
        words = sum(chapter.words for chapter in chapters)
        source = work / "book.md"
        source.write_text(book_markdown(chapters), encoding="utf-8")
        print(f"{words:,} words in {len(chapters)} chapters; load (read + parse) {load_time:.3f} s")

        ours = median_time(lambda: render_epub(chapters, loaded.meta, work / "ours.epub"), args.runs)
        epub = [pandoc, "-f", "markdown+smart", "-t", "epub3", "--toc", "--toc-depth=1", "--split-level=1"]
        epub += ["-M", "title=Benchmark", "-M", "lang=en", "-o", str(work / "raw.epub"), str(source)]
        raw = median_time(lambda: subprocess.run(epub, check=True), args.runs)
        row("EPUB", ours, raw, "pandoc")

        def raw_pdf() -> None:
            typst = [pandoc, "-f", "markdown+smart", "-t", "typst", "-s", "--toc", "-M", "title=Benchmark", str(source)]
            text = subprocess.run(typst, check=True, capture_output=True, text=True).stdout
            (work / "raw.pdf").write_bytes(compile_typst(text, loaded.meta.epoch))

        ours = median_time(lambda: render_book_pdf(chapters, loaded.meta, work / "ours.pdf"), args.runs)
        raw = median_time(raw_pdf, args.runs)
        row("PDF (Typst)", ours, raw, "pandoc→typst")
        import pypdf

        pages = (len(pypdf.PdfReader(work / "ours.pdf").pages), len(pypdf.PdfReader(work / "raw.pdf").pages))
        print(f"pages: fabula {pages[0]}, raw {pages[1]}; whole fabula PDF incl. load {load_time + ours:.2f} s")


if __name__ == "__main__":
    main()
