"""Where Typst's time goes in the book PDF of a full-length novel (issue 16).

    python benchmarks/book_typst.py [--words 300000] [--runs 3]

Generates the novel of benchmarks/speed.py (benchmarks/generate.py), writes the book's Typst as
fabula does, and times Typst on variants of it in turns, in this process after one untimed
compile (fonts loaded, nothing else kept: each variant's source differs). Each row is the median
wall and CPU time (Typst's threads included) of ``typst.compile`` to PDF:

- whole book: the template as fabula uses it (running heads that ask Typst's introspection
  about the chapters around each page, the contents, the even-page check at the end);
- no introspection: the same book without running heads and folios, contents or end check
  (one layout pass: what the introspection costs is the difference);
- layout only: ``typst.query`` of one label on the whole book (layout without PDF export);
- chapter by chapter: every chapter as its own document (render/book_join.py) and the one
  chapter an edit sets again (the middle one).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generate import write_manuscript

SECTION = "// ---------------------------------------------------------------- "


def book_source(root: Path) -> tuple[str, list[str]]:
    from toolkit import pipeline
    from toolkit.render import book_pdf
    from toolkit.render.products import book_front, book_style

    story = pipeline.story(root, use_cache=False)
    book = story.config.book
    options = {"trim": book.trim, "font_size": book.font_size, "small_caps": book.small_caps}
    template, texts = book_pdf._book_texts(
        story.project.chapters,
        story.meta,
        front=book_front(story),
        style=book_style(story),
        images=None,
        parts=None,
        **options,
    )
    pieces = book_pdf.book_pieces(template, texts, [""] * len(texts))
    assert pieces is not None
    from toolkit.render.book_join import chapter_document

    documents = [chapter_document(pieces, index, 9, 0) for index in range(len(texts))]
    return template.replace(book_pdf._BODY, "\n".join(texts)), documents


def without_introspection(source: str) -> str:
    start = source.index("#set page(\n  header: context")
    end = source.index(SECTION + "front matter")
    source = source[:start] + source[end:]
    source = source.replace("#outline(title: none, depth: 1, indent: 0pt)", "")
    return source.replace("#context if calc.odd(locate(<fabula-book-end>).page()) { pagebreak() }", "")


def timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    import typst

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    def pdf(source: str) -> Callable[[], object]:
        return lambda: typst.compile(source.encode("utf-8"), ignore_system_fonts=True, timestamp=0, format="pdf")

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_manuscript(root, args.words)
        whole, chapters = book_source(root)
    pdf("= Warm\n\nText.")()
    rows: dict[str, Callable[[], object]] = {
        "whole book": pdf(whole),
        "no introspection": pdf(without_introspection(whole)),
        "layout only (query)": lambda: typst.query(whole.encode(), "<fabula-book-end>", ignore_system_fonts=True),
        "chapter by chapter, all": lambda: [pdf(document)() for document in chapters],
        "chapter by chapter, one": pdf(chapters[len(chapters) // 2]),
    }
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in rows}
    for _ in range(args.runs):
        for name, work in rows.items():
            figures[name].append(timed(work))
    print(f"{len(chapters)} chapters, {args.words:,} words; median of {args.runs} runs in turns")
    base = statistics.median(cpu for _, cpu in figures["whole book"])
    for name, runs in figures.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"  {name:<26} wall {wall:6.2f} s   CPU {cpu:6.2f} s   CPU / whole book {cpu / base:5.2f}")


if __name__ == "__main__":
    main()
