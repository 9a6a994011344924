"""Times `fabula check` on 100k, 300k and 1M words of generated prose + Fountain + bible.

    python benchmarks/check.py [--runs 3] [--sizes 100000,300000,1000000]

Each size is a clean story from benchmarks/story.py (80% prose chapters, 20% Fountain
scenes, a bible). Figures are medians for the whole command in a fresh process (interpreter
start-up, parsing, calendar and every rule): CPU time, which is one core's work, and wall
time; then, in-process, loading (read + parse + calendar) and checking apart. Goal: 1M words
under 2 s on one core, growing linearly: the script prints the 1M/100k ratio of CPU times
(10 would be exactly linear; start-up costs make it less).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from story import write_story

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_cpu(action, runs: int) -> float:
    """CPU seconds (user + system) of the child processes ``action`` runs: one core's work,
    which a machine busy with other jobs does not inflate the way it inflates wall time."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        action()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100000,300000,1000000")
    args = parser.parse_args()
    from toolkit import pipeline
    from toolkit.checks.run import run_checks

    sizes = [int(size) for size in args.sizes.split(",")]
    whole: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        # Python's bytecode caches as an installed tool has them, even where the environment says
        # PYTHONDONTWRITEBYTECODE (this sandbox does): fabula should not recompile itself every run.
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        for size in sizes:
            root = Path(scratch) / str(size)
            write_story(root, size)
            words = sum(len(path.read_text(encoding="utf-8").split()) for path in root.rglob("*.*"))
            # --no-cache: every run parses and checks everything, as a first check of the day does.
            command = [sys.executable, "-m", "toolkit", "check", "--no-cache", str(root)]

            def process(command: list[str] = command) -> None:
                result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env)
                if result.returncode != 0:
                    raise SystemExit(f"fabula check found something in a clean story:\n{result.stdout}{result.stderr}")

            wall = median_time(process, args.runs)
            whole[size] = median_cpu(process, args.runs)
            story = pipeline.story(root, use_cache=False)
            load = median_time(lambda root=root: pipeline.story(root, use_cache=False), args.runs)
            check = median_time(lambda story=story: run_checks(story), args.runs)
            print(
                f"{size:>9,} words ({words:,} in files): fabula check {whole[size]:6.3f} s CPU, {wall:6.3f} s wall   "
                f"(in-process wall: load and resolve {load:6.3f} s + checks {check:6.3f} s)"
            )
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        ratio = whole[large] / whole[small]
        print(f"ratio {large:,}/{small:,} words: {ratio:5.2f} in CPU time for {large / small:5.2f} times the words")
        if len(sizes) > 2:
            # Start-up is paid once per run; what grows with the words should grow linearly.
            middle = sizes[1]
            growth = (whole[large] - whole[small]) / (whole[middle] - whole[small])
            linear = (large - small) / (middle - small)
            print(
                f"growth past start-up: ({large:,}-{small:,})/({middle:,}-{small:,}) = {growth:5.2f} "
                f"(linear: {linear:5.2f})"
            )


if __name__ == "__main__":
    main()
