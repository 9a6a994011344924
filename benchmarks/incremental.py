"""Times clean, no-op and one-chapter-edit runs of `fabula build` and `fabula check`, in one run.

    python benchmarks/incremental.py [--runs 3] [--words 300000]

Projects: the repository's sample story, and a generated 300,000-word manuscript with Big Fish
(from ../shared/corpus) as its screenplay. Every figure is the median wall time of whole
processes (interpreter start-up included), printed with its ratio to the clean run of the same
command on the same project, and to the start-up floor: `fabula check` on a folder that does not
exist (Python starts, Typer parses the arguments, exit 2, no project read), measured right before
each figure so that both see the same load on a shared machine.

- clean: output/ removed first, so nothing is cached;
- no-op: nothing changed since the previous run;
- edit: one sentence appended to one chapter before each run (new text every time).

For the no-op and edit runs it also prints the in-process time: load, check and build through
the cache with fabula's modules already imported, which is the part the cache controls (the
rest is Python and Typer starting).
"""

from __future__ import annotations

import argparse
import itertools
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

REPO = Path(__file__).resolve().parent.parent
BIG_FISH = REPO.parent / "shared" / "corpus" / "fountain" / "big-fish.fountain"
FABULA = [sys.executable, "-m", "toolkit"]


IN_PROCESS = """
import sys, time
from pathlib import Path
import toolkit.cli
from toolkit import pipeline
start = time.perf_counter()
if sys.argv[2] == "build":
    pipeline.build(Path(sys.argv[1]))
else:
    pipeline.check(Path(sys.argv[1]))
print(time.perf_counter() - start)
"""


def in_process(command: str, runs: int, cwd: Path, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(runs):
        before()
        result = subprocess.run(
            [sys.executable, "-c", IN_PROCESS, str(cwd), command], capture_output=True, text=True, check=True
        )
        times.append(float(result.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def timed(command: list[str], runs: int, cwd: Path, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sample_project(work: Path) -> Path:
    root = work / "sample"
    root.mkdir()
    for name in ("fabula.toml", "characters.yaml"):
        shutil.copy2(REPO / name, root / name)
    for folder in ("manuscript", "screenplay"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def big_project(work: Path, words: int) -> tuple[Path, str]:
    root = work / "big"
    chapters = write_manuscript(root, words)
    label = f"{words:,} words ({chapters} ch.)"
    if BIG_FISH.is_file():
        (root / "screenplay").mkdir()
        shutil.copy(BIG_FISH, root / "screenplay" / "big-fish.fountain")
        label += " + Big Fish"
    else:
        print(f"Big Fish not found at {BIG_FISH}: the big project has no screenplay")
    return root, label


def measure(root: Path, label: str, runs: int, missing: Path) -> None:
    chapter = sorted((root / "manuscript").glob("*.md"))[len(list((root / "manuscript").glob("*.md"))) // 2]
    counter = itertools.count()

    def edit() -> None:
        with chapter.open("a", encoding="utf-8") as file:
            file.write(f"\nThe tide turned for the {next(counter)}th time.\n")

    def clean() -> None:
        shutil.rmtree(root / "output", ignore_errors=True)

    print(f"\n{label}")
    for command in ("build", "check"):
        floor = [*FABULA, "check", str(missing)]
        floors = [timed(floor, runs, root)]
        cold = timed([*FABULA, command], runs, root, clean)
        timed([*FABULA, command], 1, root)  # warm the cache
        floors.append(timed(floor, runs, root))
        noop = timed([*FABULA, command], runs, root)
        noop_inside = in_process(command, runs, root)
        floors.append(timed(floor, runs, root))
        edited = timed([*FABULA, command], runs, root, edit)
        edited_inside = in_process(command, runs, root, edit)
        for name, seconds, inside, base in (
            ("clean", cold, None, floors[0]),
            ("no-op", noop, noop_inside, floors[1]),
            ("one-chapter edit", edited, edited_inside, floors[2]),
        ):
            print(
                f"  {command:<5} {name:<17} {seconds:7.3f} s   vs clean {seconds / cold:5.2f}   "
                f"start-up floor {base:5.3f} s, ratio {seconds / base:5.2f}"
                + (f"   in-process {inside:6.3f} s" if inside is not None else "")
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--words", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        missing = work / "missing"
        measure(sample_project(work), "sample (The Winter Crossing)", args.runs, missing)
        root, label = big_project(work, args.words)
        measure(root, label, args.runs, missing)


if __name__ == "__main__":
    main()
