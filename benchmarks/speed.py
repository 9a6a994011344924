"""Issue 16's table: fabula's build and check times on a full-length book and long screenplays,
each beside a peer timed in turns in the same run.

    python benchmarks/speed.py [--runs 3] [--words 300000] [--afterwriting DIR] [--only ROWS]
                               [--check-sizes 1,10,50] [--repeats 1,4,8,40] [--beside DIR]

Every figure is the median wall time of whole processes (interpreter start-up included), fabula
and its peer run one after the other in each round, so that a change in the machine's load falls
on both; compare the ratios, not the seconds, between runs. Rows (``--only`` picks some):

- ``book``: a generated 300,000-word novel (benchmarks/generate.py) with Big Fish as its
  screenplay. edit: one sentence added to one chapter, then ``fabula build`` (every output);
  clean: ``fabula build`` with no output folder; epub: the EPUB alone from a clean start
  (``fabula build --only book`` writes three files, so this one is timed in-process: story,
  chapters through pandoc, EPUB); no-op: nothing changed. The peer is raw pandoc making an EPUB of
  the same chapters (``pandoc chapters.md -o book.epub``). Peak memory is the largest resident
  size of any one process of the build (fabula, a pandoc, Typst's child), from getrusage. With
  ``--beside DIR`` the clean row also times the toolkit/ in DIR (main's, say) in the same turns.
- ``book-clean``: the book row's clean build alone (with ``--beside``, the two in turns).
- ``book-edit``: the book row's edit build alone; with ``--beside``, the toolkit/ in DIR edits
  and builds a copy of the novel (its own output folder and cache) in the same turns.
- ``book-anew``: the book set anew: ``[book] font_size`` in fabula.toml switched between 10.5
  and 11 before each ``fabula build`` (every chapter's PDF set again; pandoc's parts and the
  other outputs' inputs as they were); with ``--beside``, the toolkit/ in DIR does the same to a
  copy of the novel in the same turns. Peer: raw pandoc, as above.
- ``book-leaf``: an edit that moves the chapters after it: about 1,000 words added to the
  second chapter, then taken out again, before each ``fabula build`` (the chapter gains or
  loses a sheet, so every chapter after it is set again at its new first page); with
  ``--beside``, the toolkit/ in DIR does the same to a copy of the novel in the same turns.
- ``screenplay``: Big Fish, ``fabula build --only screenplay --no-cache``, against afterwriting
  (npm, US letter; installed into DIR or a temporary folder: see benchmarks/screenplay.py) and
  screenplain; with ``--beside DIR`` also the toolkit/ in DIR (main's, say) in the same turns.
  Each row's ratio is to afterwriting; CPU seconds (every process) beside.
- ``pages``: Big Fish repeated (title page once) 1, 4, 8, 40 times: time per page of the same
  command, and the 5 MB / 1 MB ratio of times.
- ``check``: ``fabula check`` on a screenplay of 1, 10 and 50 MB (Big Fish repeated): time per
  MB, and peak memory against the input's size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_manuscript

from screenplay import afterwriting

REPO = Path(__file__).resolve().parent.parent
BIG_FISH = REPO.parent / "shared" / "corpus" / "fountain" / "big-fish.fountain"
FABULA = [sys.executable, "-m", "toolkit"]
SCREENPLAIN = str(Path(sys.executable).parent / "screenplain")
MB = 1_000_000

EPUB_ONLY = """
import sys
from pathlib import Path
from toolkit import pipeline
from toolkit.render.epub import render_epub
from toolkit.render.products import book_style
root = Path(sys.argv[1])
story = pipeline.story(root, use_cache=False)
target, style = Path(sys.argv[2]), book_style(story)
try:
    from toolkit.render.chapters import BookParts
    from toolkit.render.epub import epub_conversion
    from toolkit.render.resources import book_images
except ImportError:  # fabula before issue 16 (--then): one pandoc run over the whole book
    render_epub(story.project.chapters, story.meta, target, resource_paths=(root / "manuscript", root), style=style)
else:  # the EPUB's own conversion only (a build reads each chapter once for the EPUB and the PDF)
    images = book_images(root, story.project.chapters).for_pandoc()
    parts = BookParts(tuple(story.project.chapters), story.meta.epoch, images)
    parts.work_out(epub_conversion(story.meta.language, style))
    render_epub(story.project.chapters, story.meta, target, images=images, style=style, parts=parts)
"""


def pandoc() -> str:
    from toolkit.render.pandoc import pandoc_path

    return str(pandoc_path())


def once(command: list[str], cwd: Path, before: Callable[[], None] = lambda: None) -> tuple[float, int, float]:
    """Wall seconds, peak resident kilobytes (the largest process) and CPU seconds (every process,
    user and system: what a machine busy with other work does not inflate) of one run of ``command``."""
    before()
    probe = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(time.perf_counter() - start, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime)"
    )
    result = subprocess.run([sys.executable, "-c", probe, *command], cwd=cwd, capture_output=True, text=True)
    seconds, rss, code, cpu = result.stdout.split()
    if code not in ("0", "1"):  # 1: findings, which a generated story may have
        sys.exit(f"failed ({code}): {' '.join(command)}")
    return float(seconds), int(rss), float(cpu)


def in_turns(
    commands: dict[str, tuple[list[str], Path, Callable[[], None]]], runs: int
) -> dict[str, tuple[float, int, float]]:
    """Median seconds, the highest peak memory and median CPU seconds of each command, one run
    of each in turn."""
    samples: dict[str, list[tuple[float, int, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, cwd, before) in commands.items():
            samples[name].append(once(command, cwd, before))
    return {
        name: (
            statistics.median(v[0] for v in values),
            max(v[1] for v in values),
            statistics.median(v[2] for v in values),
        )
        for name, values in samples.items()
    }


def repeated_fish(target: Path, times: int) -> None:
    """Big Fish ``times`` over: the title page once, the body again and again."""
    text = BIG_FISH.read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(title + "\n\n" + "\n\n".join([body] * times), encoding="utf-8")


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def book_rows(
    work: Path,
    runs: int,
    words: int,
    beside: Path | None = None,
    clean_only: bool = False,
    edit_only: bool = False,
    anew_only: bool = False,
    leaf_only: bool = False,
) -> None:
    root = work / "novel"
    root.mkdir()
    write_manuscript(root, words)
    repeated_fish(root / "screenplay" / "big-fish.fountain", 1)
    if edit_only:
        edit_rows(work, root, runs, beside)
        return
    if anew_only or leaf_only:
        anew_rows(work, root, runs, beside, leaf=leaf_only)
        return
    chapters = _chapters(root)
    joined, raw = _raw_pandoc(work, chapters)
    counter = iter(range(10**6))
    middle = chapters[len(chapters) // 2]

    def edit() -> None:
        with middle.open("a", encoding="utf-8") as file:
            file.write(f"\nShe counted the boats again, {next(counter)} of them.\n")

    def clean() -> None:
        shutil.rmtree(root / "output", ignore_errors=True)

    build = [*FABULA, "build"]
    once(build, root)  # warm: the cache for the edit runs, the file cache for all
    clean_builds = {"fabula": (build, root, clean)}
    if beside is not None:  # another fabula (an older toolkit/, e.g. main's) in the same turns
        beside_build = ["env", f"PYTHONPATH={beside.resolve()}", *build]
        once(beside_build, root, clean)  # warm: Python compiles its modules into the fresh cache
        clean_builds["fabula beside"] = (beside_build, root, clean)
    rows: list[tuple[str, dict[str, tuple[float, int, float]], str]] = []
    if not clean_only:
        edits = in_turns({"fabula": (build, root, edit), "pandoc": raw}, runs)
        noop = in_turns({"fabula": (build, root, lambda: None), "pandoc": raw}, runs)
        rows.append(("edit one chapter, fabula build", edits, "≤ 2 s, ≤ 0.4 × pandoc"))
    cleans = in_turns({**clean_builds, "pandoc": raw}, runs)
    rows.append(("clean fabula build (all outputs)", cleans, "< 8 s, < 1 GB"))
    if beside is not None:
        rows.append(("  the same, fabula beside", {**cleans, "fabula": cleans["fabula beside"]}, "< 8 s, < 1 GB"))
    if not clean_only:
        epub_only = [sys.executable, "-c", EPUB_ONLY, str(root), str(work / "fabula.epub")]
        epubs = in_turns({"fabula": (epub_only, REPO, lambda: None), "pandoc": raw}, runs)
        rows += [("clean EPUB alone", epubs, "≤ 0.8 × pandoc"), ("no-op fabula build", noop, "")]
    written = len(joined.read_text(encoding="utf-8").split())
    print(f"\n{len(chapters)} chapters, {written:,} words ({joined.stat().st_size / MB:.1f} MB) + Big Fish;")
    print(f"median of {runs} runs in turns with raw pandoc (that text to EPUB only)")
    if beside is not None:
        print(f"  (fabula beside: the toolkit/ in {beside}, its clean builds in the same turns)")
    for label, figures, goal in rows:
        (ours, rss, cpu), (peer, _, peer_cpu) = figures["fabula"], figures["pandoc"]
        print(
            f"  {label:<34} {ours:6.2f} s  peak {rss / 1024:5.0f} MB   pandoc {peer:5.2f} s   "
            f"ratio {ours / peer:4.2f}   goal {goal}   (CPU {cpu:5.2f} s, pandoc {peer_cpu:5.2f} s)"
        )
    if beside is not None:
        ours, other = cleans["fabula"][0], cleans["fabula beside"][0]
        print(f"  clean build, fabula / fabula beside: {ours / other:4.2f}")


Change = Callable[[Path], Callable[[], None]]  # a project -> what changes it before each build


def edit_rows(work: Path, root: Path, runs: int, beside: Path | None) -> None:
    """The edit row alone: one sentence added to the middle chapter, then ``fabula build``; with
    ``beside``, the toolkit/ there does the same to a copy of the novel in the same turns."""
    chapters = _chapters(root)
    counter = iter(range(10**6))

    def edit(project: Path) -> Callable[[], None]:
        middle = project / "manuscript" / chapters[len(chapters) // 2].name

        def append() -> None:
            with middle.open("a", encoding="utf-8") as file:
                file.write(f"\nShe counted the boats again, {next(counter)} of them.\n")

        return append

    _changed_rows(work, root, runs, beside, edit, "one sentence added to a chapter", "edit one chapter", "≤ 2 s")


LEAF = " ".join(["She counted the boats again and again in the grey morning light."] * 90)


def anew_rows(work: Path, root: Path, runs: int, beside: Path | None, leaf: bool = False) -> None:
    """The book set anew after a change of type size (see ``book-anew`` above), or with ``leaf``
    the chapters after the second set again (``book-leaf``)."""
    chapters = _chapters(root)

    def switch(project: Path) -> Callable[[], None]:
        config = project / "fabula.toml"
        second = project / "manuscript" / chapters[1].name
        plain, text = config.read_text(encoding="utf-8"), second.read_text(encoding="utf-8")
        sizes = iter(["11", "10.5"] * runs * 2)
        longer = iter([True, False] * runs * 2)

        def change() -> None:
            if leaf:
                second.write_text(text + (f"\n{LEAF}\n" if next(longer) else ""), encoding="utf-8")
            else:
                config.write_text(f"{plain}\n[book]\nfont_size = {next(sizes)}\n", encoding="utf-8")

        return change

    if leaf:
        _changed_rows(work, root, runs, beside, switch, "a leaf gained or lost in chapter 2", "book leaf moved")
    else:
        _changed_rows(work, root, runs, beside, switch, "the type size changed", "book set anew")


def _chapters(root: Path) -> list[Path]:
    return sorted((root / "manuscript").glob("*.md"), key=lambda p: int(p.name.split("-")[0]))


def _raw_pandoc(work: Path, chapters: list[Path]) -> tuple[Path, tuple[list[str], Path, Callable[[], None]]]:
    """The chapters joined into one Markdown file, and the peer's command: raw pandoc making it an EPUB."""
    joined = work / "chapters.md"
    joined.write_text("\n\n".join(p.read_text(encoding="utf-8") for p in chapters), encoding="utf-8")
    return joined, ([pandoc(), str(joined), "-o", str(work / "raw.epub")], work, lambda: None)


def _changed_rows(
    work: Path, root: Path, runs: int, beside: Path | None, change: Change, what: str, label: str, goal: str = ""
) -> None:
    """``fabula build`` after each ``change`` of the novel, beside raw pandoc making its EPUB;
    with ``beside``, the toolkit/ there builds a copy of the novel, changed the same way, in the
    same turns."""
    chapters = _chapters(root)
    joined, raw = _raw_pandoc(work, chapters)
    build = [*FABULA, "build"]
    commands = {"fabula": (build, root, change(root))}
    if beside is not None:
        other = work / "novel-beside"
        shutil.copytree(root, other)
        commands["fabula beside"] = (["env", f"PYTHONPATH={beside.resolve()}", *build], other, change(other))
    for command, cwd, before in commands.values():
        once(command, cwd, before)  # warm: the cache, Python's bytecode, the file cache
    figures = in_turns({**commands, "pandoc": raw}, runs)
    written = len(joined.read_text(encoding="utf-8").split())
    print(f"\n{len(chapters)} chapters, {written:,} words + Big Fish, {what}; median of {runs} runs in turns")
    if beside is not None:
        print(f"  (fabula beside: the toolkit/ in {beside}, on a copy of the novel)")
    peer, _, peer_cpu = figures["pandoc"]
    aim = f"goal {goal}   " if goal else ""
    for name in commands:
        ours, rss, cpu = figures[name]
        print(
            f"  {label}, {name:<14} {ours:6.2f} s  peak {rss / 1024:5.0f} MB   pandoc {peer:5.2f} s   "
            f"ratio {ours / peer:4.2f}   {aim}(CPU {cpu:5.2f} s, pandoc {peer_cpu:5.2f} s)"
        )
    if beside is not None:
        print(f"  {label}, fabula / fabula beside: {figures['fabula'][0] / figures['fabula beside'][0]:4.2f}")


def screenplay_rows(work: Path, runs: int, aw_folder: Path | None, beside: Path | None = None) -> None:
    project = work / "fish"
    repeated_fish(project / "screenplay" / "big-fish.fountain", 1)
    awc = afterwriting(aw_folder or work / "aw")
    (work / "letter.json").write_text(json.dumps({"print_profile": "usletter"}))
    aw = ["node", str(awc), "--source", str(BIG_FISH), "--pdf", str(work / "aw.pdf"), "--overwrite"]
    build = ["build", "--only", "screenplay", "--no-cache"]
    commands = {
        "fabula": ([*FABULA, *build], project, lambda: None),
        "afterwriting": ([*aw, "--config", str(work / "letter.json")], work, lambda: None),
        "screenplain": (
            [str(Path(sys.executable).parent / "screenplain"), str(BIG_FISH), "sp.pdf"],
            work,
            lambda: None,
        ),
    }
    if beside is not None:  # another fabula (an older toolkit/, e.g. main's) in the same turns
        commands["fabula beside"] = (["env", f"PYTHONPATH={beside.resolve()}", *FABULA, *build], project, lambda: None)
    for command, cwd, _ in commands.values():
        once(command, cwd)
    figures = in_turns(commands, runs)
    print(f"\nBig Fish clean, build --only screenplay --no-cache, median of {runs} runs in turns")
    if beside is not None:
        print(f"  (fabula beside: the toolkit/ in {beside})")
    for name, (seconds, _, cpu) in figures.items():
        ratio = seconds / figures["afterwriting"][0]
        print(f"  {name:<14} {seconds:6.2f} s  {name} / afterwriting = {ratio:4.2f}   (CPU {cpu:5.2f} s)")
    print("  goal: fabula ≤ 0.4 × afterwriting")


def page_rows(work: Path, runs: int, repeats: list[int]) -> None:
    print(f"\nBig Fish repeated, build --only screenplay --no-cache, median of {runs} runs")
    per_page: dict[int, float] = {}
    sizes: dict[int, float] = {}
    for times in repeats:
        project = work / f"fish-{times}"
        script = project / "screenplay" / "big-fish.fountain"
        repeated_fish(script, times)
        command = [*FABULA, "build", "--only", "screenplay", "--no-cache"]
        if times == repeats[0]:
            once(command, project)  # untimed: Python compiles fabula's modules into the fresh cache
        seconds, rss, _ = in_turns({"fabula": (command, project, lambda: None)}, runs)["fabula"]
        count = pages(project / "output" / "screenplay.pdf")
        per_page[times], sizes[times] = seconds / count, script.stat().st_size / MB
        print(
            f"  ×{times:<3} {sizes[times]:5.2f} MB {count:6d} pages  {seconds:7.2f} s  "
            f"{1000 * seconds / count:6.2f} ms/page  peak {rss / 1024:6.0f} MB"
        )
    low, high = repeats[0], repeats[-1]
    print(f"  time per page ×{high} / ×{low}: {per_page[high] / per_page[low]:.2f} (goal ≤ 1.5)")


def check_rows(work: Path, runs: int, sizes_mb: list[int]) -> None:
    print(f"\nfabula check on one long screenplay (Big Fish repeated), median of {runs} runs")
    per_mb: dict[int, float] = {}
    fish = BIG_FISH.stat().st_size
    for size in sizes_mb:
        project = work / f"check-{size}"
        script = project / "screenplay" / "big-fish.fountain"
        repeated_fish(script, max(1, round(size * MB / fish)))
        megabytes = script.stat().st_size / MB
        seconds, rss, _ = in_turns({"fabula": ([*FABULA, "check", "--no-cache"], project, lambda: None)}, runs)[
            "fabula"
        ]
        per_mb[size] = seconds / megabytes
        print(
            f"  {megabytes:6.1f} MB  {seconds:7.2f} s  {seconds / megabytes:5.2f} s/MB  "
            f"peak {rss / 1024:6.0f} MB = {rss * 1024 / (megabytes * MB):5.1f} × the input"
        )
    low, high = sizes_mb[0], sizes_mb[-1]
    print(f"  time per MB {high} MB / {low} MB: {per_mb[high] / per_mb[low]:.2f} (linear: 1; goal memory ≤ 20 ×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--afterwriting", type=Path, help="folder to install afterwriting in and reuse")
    parser.add_argument("--only", default="book,screenplay,pages,check")
    parser.add_argument("--repeats", default="1,4,8,40")
    parser.add_argument("--check-sizes", default="1,10,50")
    parser.add_argument("--then", type=Path, help="a folder holding an older toolkit/ to time instead (PYTHONPATH)")
    parser.add_argument(
        "--beside",
        type=Path,
        help="screenplay and book rows (clean, edit, anew, leaf): also time the toolkit/ in this folder, in turns",
    )
    args = parser.parse_args()
    if not BIG_FISH.is_file():
        sys.exit(f"Big Fish not found at {BIG_FISH}")
    rows = args.only.split(",")
    # Python as installed, with its bytecode caches (see benchmarks/screenplay.py): a shell with
    # PYTHONDONTWRITEBYTECODE would have fabula compile its modules on every run.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.then is not None:
        os.environ["PYTHONPATH"] = str(args.then.resolve())
        print(f"fabula from {args.then} (PYTHONPATH)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        if "book" in rows or "book-clean" in rows or "book-edit" in rows:
            edit_only = "book-edit" in rows and "book" not in rows and "book-clean" not in rows
            book_rows(work, args.runs, args.words, args.beside, clean_only="book" not in rows, edit_only=edit_only)
        for row in ("book-anew", "book-leaf"):
            if row in rows:
                (work / row).mkdir()
                book_rows(work / row, args.runs, args.words, args.beside, anew_only=True, leaf_only=row == "book-leaf")
        if "screenplay" in rows:
            screenplay_rows(work, args.runs, args.afterwriting, args.beside)
        if "pages" in rows:
            page_rows(work, args.runs, [int(n) for n in args.repeats.split(",")])
        if "check" in rows:
            check_rows(work, args.runs, [int(n) for n in args.check_sizes.split(",")])
    print(f"\n(the benchmark took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
