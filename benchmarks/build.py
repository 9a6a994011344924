"""Times `fabula build` against the raw tools underneath it, on the same input in the same run.

    python benchmarks/build.py [--runs 3] [--words 300000]

Big Fish (from ../shared/corpus) → PDF: `fabula build --only screenplay` vs `screenplain` CLI.
A generated manuscript → EPUB: `fabula build --only book` vs raw pandoc (the binary that
pypandoc-binary ships), and the outline on its own. Every figure is the median wall time of
whole processes (interpreter start-up included), printed with the ratio ours / peer.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_manuscript

REPO = Path(__file__).resolve().parent.parent
BIG_FISH = REPO.parent / "shared" / "corpus" / "fountain" / "big-fish.fountain"


def timed(command: list[str], runs: int, cwd: Path) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(label: str, ours: float, peer: float, peer_name: str) -> None:
    print(f"{label:<34} fabula {ours:7.3f} s   {peer_name} {peer:7.3f} s   ratio {ours / peer:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--words", type=int, default=300_000)
    args = parser.parse_args()
    fabula = [sys.executable, "-m", "toolkit"]
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        if BIG_FISH.is_file():
            script = work / "fish"
            (script / "screenplay").mkdir(parents=True)
            shutil.copy(BIG_FISH, script / "screenplay" / "big-fish.fountain")
            ours = timed([*fabula, "build", "--no-cache", "--only", "screenplay"], args.runs, script)
            peer = timed(["screenplain", str(BIG_FISH), str(work / "sp.pdf")], args.runs, work)
            row("Big Fish → screenplay PDF", ours, peer, "screenplain")
        else:
            print(f"Big Fish not found at {BIG_FISH}: screenplay row left out")

        book = work / "book"
        chapters = write_manuscript(book, args.words)
        sources = sorted((book / "manuscript").glob("*.md"), key=lambda p: int(p.name.split("-")[0]))
        ours = timed([*fabula, "build", "--no-cache", "--only", "book"], args.runs, book)
        raw = [
            pandoc,
            "-f",
            "markdown+smart",
            "-t",
            "epub3",
            "--toc",
            "--toc-depth=1",
            "--split-level=1",
            "--metadata",
            "title=Benchmark",
            "--metadata",
            "lang=en",
            "-o",
            str(work / "raw.epub"),
            *map(str, sources),
        ]
        peer = timed(raw, args.runs, book)
        # `--only book` writes book.epub, book.pdf and manuscript.docx; the peer writes the EPUB only.
        # benchmarks/book.py compares each book output with its own raw tool.
        row(f"{args.words:,} words ({chapters} ch.) → book", ours, peer, "pandoc EPUB")
        outline = timed([*fabula, "build", "--no-cache", "--only", "outline"], args.runs, book)
        print(f"{'same manuscript → outline md/html/json':<34} fabula {outline:7.3f} s")


if __name__ == "__main__":
    main()
