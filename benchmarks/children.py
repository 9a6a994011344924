"""Where a clean build's time goes: a timeline of fabula's processes and their CPU (Linux).

    python benchmarks/children.py [--words 300000] [--project DIR] [--then DIR] [--edit]

Builds the benchmark book of benchmarks/speed.py (a generated 300,000-word novel with Big Fish
as its screenplay; or the project at ``--project``) from a clean output folder, and polls
/proc every 10 ms for the build's process tree: each process (fabula, its forked worker, the
pandoc runs over the chapters and the frames, Typst's child) with when it was first and last
seen, the CPU (user + system) it had used by then and by the end of the chapters' pandoc, and
the largest resident memory of the whole tree at once. On two cores the build's wall time can
be no less than its CPU over two, and a core is idle wherever fewer than two of these run:
before the chapters' pandoc starts, and while Typst sets the book alone at the end. CPU
seconds hold on a busy machine; the seconds of the timeline do not (compare the order and the
overlaps). ``--then DIR`` times an older ``toolkit/`` (PYTHONPATH), as speed.py does.
``--edit``: the timeline of an edit build instead (speed.py's edit row: one sentence added to
the middle chapter after a build), with the main process's CPU when the chapters' pandoc
started: what stands before pandoc on the build's longest path.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import write_manuscript
from speed import repeated_fish

TICKS = os.sysconf("SC_CLK_TCK")


PAGE = os.sysconf("SC_PAGE_SIZE")


def _stat(pid: int) -> tuple[int, float, int] | None:
    """A process's parent, its CPU seconds so far (user + system) and its resident bytes."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS, int(fields[21]) * PAGE


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def timeline(command: list[str], cwd: Path) -> tuple[float, float, dict[int, list], int]:
    """Run ``command``; its wall seconds, the CPU of every process it started, and each
    process seen: pid -> [first seen, last seen, CPU, command, parent, [(seconds, CPU so far)]];
    and the largest resident size of the whole tree at once (bytes, summed over its processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen: dict[int, list] = {}
    peak = 0
    while process.poll() is None:
        now = time.monotonic() - start
        stats = {pid: found for pid in map(int, filter(str.isdigit, os.listdir("/proc"))) if (found := _stat(pid))}
        tree, grown = {process.pid}, True
        while grown:
            grown = False
            for pid, (parent, _, _) in stats.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grown = True
        peak = max(peak, sum(stats[pid][2] for pid in tree & stats.keys()))
        for pid in tree & stats.keys():
            parent, cpu, _ = stats[pid]
            entry = seen.setdefault(pid, [now, now, cpu, _command(pid), parent, []])
            entry[1], entry[2] = now, cpu
            entry[5].append((now, cpu))
        time.sleep(0.01)
    wall = time.monotonic() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime, seen, peak


def _label(command: str) -> str:
    if "pandoc lua" in command:
        return "pandoc: the chapters (EPUB, Typst, DOCX)"
    if "pandoc" in command:
        return "pandoc: a frame (EPUB or DOCX)"
    if "typst_compile" in command:
        return "Typst's child: the book PDF"
    return "fabula (or a worker forked from it)" if "build" in command else command[:60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--project", type=Path, help="build this project instead of the generated book")
    parser.add_argument("--then", type=Path, help="a folder holding an older toolkit/ to time instead (PYTHONPATH)")
    parser.add_argument("--edit", action="store_true", help="an edit build (one chapter) instead of a clean one")
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        sys.exit("this benchmark reads /proc (Linux)")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    if args.then is not None:
        os.environ["PYTHONPATH"] = str(args.then.resolve())
    with tempfile.TemporaryDirectory() as temp:
        root = args.project
        if root is None:
            root = Path(temp) / "novel"
            write_manuscript(root, args.words)
            repeated_fish(root / "screenplay" / "big-fish.fountain", 1)
        elif args.edit:  # a copy is edited, never the project itself
            root = shutil.copytree(root, Path(temp) / "project", symlinks=True)
        build = [sys.executable, "-m", "toolkit", "build"]
        subprocess.run(build, cwd=root, capture_output=True, check=False)  # warm: bytecode, file cache
        if args.edit:
            chapters = sorted((root / "manuscript").glob("*.md"), key=lambda p: int(p.name.split("-")[0]))
            with chapters[len(chapters) // 2].open("a", encoding="utf-8") as file:
                file.write(f"\nShe counted the boats again, {time.time_ns()} of them.\n")
        else:
            shutil.rmtree(root / "output", ignore_errors=True)
        wall, cpu, seen, peak = timeline(build, root)
        if not args.edit:
            shutil.rmtree(root / "output", ignore_errors=True)
    # What each process had done by the time the chapters' pandoc processes ended: work that
    # overlapped them (Typst's child setting the book early, say) and work left for after.
    ends = [entry[1] for entry in seen.values() if "pandoc lua" in entry[3]]
    end = max(ends) if ends else wall
    kind = "edit" if args.edit else "clean"
    print(f"{kind} fabula build: wall {wall:.2f} s, CPU {cpu:.2f} s (every process, user + system)")
    starts = [entry[0] for entry in seen.values() if "pandoc lua" in entry[3]]
    main = min(seen.values(), key=lambda entry: entry[0])
    if starts:  # the main process's CPU by the time the chapters' pandoc was first seen (polled: ±10 ms)
        before = max((spent for at, spent in main[5] if at <= min(starts)), default=0.0)
        print(f"  the chapters' pandoc started at {min(starts):.2f} s, the main process's CPU by then {before:.2f} s")
    print(f"  peak memory of the whole process tree at once: {peak / 2**20:.0f} MB (resident, summed)")
    print(f"  {'from':>6} {'to':>7} {'CPU':>6} {'by pandoc end':>13}  process")
    for first, last, used, command, _, history in sorted(seen.values(), key=lambda entry: entry[0]):
        before = max((spent for at, spent in history if at <= end), default=0.0)
        print(f"  {first:6.2f} {last:7.2f} {used:6.2f} {before:13.2f}  {_label(command)}")


if __name__ == "__main__":
    main()
