"""Times the book renderers against the raw tools underneath them, on the same input in the same run.

    python benchmarks/book.py [--runs 3] [--words 300000]

A generated manuscript (benchmarks/generate.py) is loaded once, then:
- EPUB: fabula's render_epub vs raw pandoc (the binary pypandoc-binary ships) with the same
  options that matter (smart, TOC, split per chapter), from the same joined Markdown;
- PDF: fabula's render_book_pdf vs raw pandoc → Typst (pandoc's standalone Typst output,
  default template) compiled by the same typst library.
Every figure is a median, of wall time and of CPU time (ours and pandoc's together: on a
machine shared with other work the CPU time is the steadier figure); the ratio is ours / raw.
Loading (reading and parsing the chapters) is printed on its own: every output of a build
shares it.
"""

from __future__ import annotations

import argparse
import resource
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

from toolkit.pipeline import story as load
from toolkit.render.book_pdf import compile_typst, render_book_pdf
from toolkit.render.epub import render_epub
from toolkit.render.pandoc import book_markdown, pandoc_path


def cpu_seconds() -> float:
    """User + system time of this process and of the subprocesses it has waited for (pandoc)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def median_time(action: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time: on a shared machine the CPU time is the steadier."""
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), cpu_seconds()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def row(label: str, ours: tuple[float, float], raw: tuple[float, float], raw_name: str) -> None:
    for kind, index in (("wall", 0), ("cpu", 1)):
        print(
            f"{label + ' (' + kind + ')':<22} fabula {ours[index]:7.3f} s   {raw_name} {raw[index]:7.3f} s"
            f"   ratio {ours[index] / raw[index]:5.2f}"
        )


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
        loaded = load(book, use_cache=False)
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
        print(f"pages: fabula {pages[0]}, raw {pages[1]}; whole fabula PDF incl. load {load_time + ours[0]:.2f} s wall")


if __name__ == "__main__":
    main()
