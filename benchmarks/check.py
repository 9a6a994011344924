"""Times `fabula check` on 100k, 300k and 1M words of generated prose + Fountain + bible.

    python benchmarks/check.py [--runs 3] [--sizes 100000,300000,1000000] [--real] [--then DIR]

Each size is a clean story from benchmarks/story.py (80% prose chapters, 20% Fountain
scenes, a bible). Figures are medians for the whole command in a fresh process (interpreter
start-up, parsing, calendar and every rule): CPU time, which is one core's work, and wall
time; then, in-process, loading (read + parse + calendar) and checking apart (the modules
already imported and the loading's one-time set-up done: the whole command's figure is more
than their sum by start-up, imports and that set-up; each check runs on a story just loaded,
as the command's does, since a story keeps the name statistics its first check works out).
Goal: 1M words
under 2 s on one core, growing linearly: the script prints the 1M/100k ratio of CPU times
(10 would be exactly linear; start-up costs make it less).

``--real`` times it too on a project of published text of about a million words: the
novels of benchmarks/corpus/names (Austen's six, Moby-Dick) as chapters, and the real
screenplays of ../shared/corpus/fountain* as scenes (many names, wrapped lines, findings:
the name rules run on real prose). ``--then DIR`` times the same commands with the toolkit/
of DIR (e.g. /work/main or a checkout of main) on PYTHONPATH, each run in turn with this
one's, and prints the ratio of the medians (this one / DIR's).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
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
NOVELS = REPO / "benchmarks" / "corpus" / "names"
SHARED = REPO.parent / "shared" / "corpus"
PUBLISHED = (
    "austen-emma",
    "austen-mansfield-park",
    "austen-northanger-abbey",
    "austen-persuasion",
    "austen-pride-and-prejudice",
    "austen-sense-and-sensibility",
    "melville-moby-dick",
)


def write_published(root: Path) -> None:
    """A project of published text: the novels as chapter files, the real screenplays as scenes."""
    (root / "manuscript").mkdir(parents=True)
    (root / "screenplay").mkdir()
    for number, name in enumerate(PUBLISHED, 1):
        shutil.copyfile(NOVELS / f"{name}.md", root / "manuscript" / f"{number:02d}-{name}.md")
    scripts = [SHARED / "fountain" / "big-fish.fountain", *sorted((SHARED / "fountain-pro").glob("*.fountain"))]
    for number, script in enumerate(scripts, 1):
        if script.is_file():
            shutil.copyfile(script, root / "screenplay" / f"{number:02d}-{script.name}")


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--real", action="store_true", help="also a project of published novels and screenplays")
    parser.add_argument("--then", type=Path, help="also time the toolkit/ of this folder, in turns (PYTHONPATH)")
    args = parser.parse_args()
    from toolkit import pipeline

    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else []
    whole: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        # Python's bytecode caches as an installed tool has them, even where the environment says
        # PYTHONDONTWRITEBYTECODE (this sandbox does): fabula should not recompile itself every run.
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = str(REPO)  # from a folder that holds no toolkit/: PYTHONPATH decides which one runs
        env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        then_env = None
        if args.then is not None:
            then_env = {**env, "PYTHONPATH": str(args.then.resolve())}
            then_env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache-then")
        projects: list[tuple[str, Path, int | None]] = []
        for size in sizes:
            root = Path(scratch) / str(size)
            write_story(root, size)
            projects.append((f"{size:>9,} words", root, size))
        if args.real:
            root = Path(scratch) / "published"
            write_published(root)
            projects.append(("published", root, None))
        for environment in [env] if then_env is None else [env, then_env]:
            # Once, untimed: Python compiles the modules into its bytecode caches.
            first = projects[0][1]
            subprocess.run(
                [sys.executable, "-m", "toolkit", "check", "--no-cache", str(first)],
                cwd=first.parent,
                capture_output=True,
                env=environment,
            )
        for label, root, size in projects:
            words = sum(len(path.read_text(encoding="utf-8").split()) for path in root.rglob("*.*"))
            # --no-cache: every run parses and checks everything, as a first check of the day does.
            command = [sys.executable, "-m", "toolkit", "check", "--no-cache", str(root)]
            clean = size is not None  # a generated story is clean; published text has name findings
            ours = _timed(command, env, args.runs, clean, then_env)
            cpu, wall = ours[0]
            line = f"{label} ({words:,} in files): fabula check {cpu:6.3f} s CPU, {wall:6.3f} s wall"
            if then_env is not None:
                then_cpu, then_wall = ours[1]
                line += (
                    f";  {args.then}: {then_cpu:6.3f} s CPU, {then_wall:6.3f} s wall;  "
                    f"ratio {cpu / then_cpu:4.2f} CPU, {wall / then_wall:4.2f} wall"
                )
            else:
                load = median_time(lambda root=root: pipeline.story(root, use_cache=False), args.runs)
                # Each time on a story just loaded: a story keeps what its checks worked out (name
                # statistics, evidence) for the next check, so a second check of one story is cheap.
                check = statistics.median(_first_check(pipeline.story(root, use_cache=False)) for _ in range(args.runs))
                line += f"   (in-process wall: load and resolve {load:6.3f} s + checks {check:6.3f} s)"
            print(line, flush=True)
            if size is not None:
                whole[size] = cpu
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


def _first_check(story) -> float:
    from toolkit.checks.run import run_checks

    start = time.perf_counter()
    run_checks(story)
    return time.perf_counter() - start


def _timed(
    command: list[str], env: dict[str, str], runs: int, clean: bool, then_env: dict[str, str] | None
) -> list[tuple[float, float]]:
    """Median (CPU, wall) of ``command`` in a fresh process, and with ``then_env`` too (each
    run of one in turn with a run of the other, so that a machine's load falls on both)."""
    envs = [env] if then_env is None else [env, then_env]
    cwd = Path(command[-1]).parent
    cpu: list[list[float]] = [[] for _ in envs]
    wall: list[list[float]] = [[] for _ in envs]
    for _ in range(runs):
        for index, environment in enumerate(envs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=environment)
            wall[index].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[index].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if result.returncode not in ((0,) if clean else (0, 1)):
                raise SystemExit(f"fabula check failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return [(statistics.median(c), statistics.median(w)) for c, w in zip(cpu, wall, strict=True)]


if __name__ == "__main__":
    main()
