"""Times `fabula lsp` as an editor drives it: keystroke to updated diagnostics on 300,000 words.

    python benchmarks/lsp.py [--words 300000] [--keys 30]

The project is a clean generated story (benchmarks/story.py: 80% prose chapters, 20% Fountain
scenes, a bible). A real LSP client (pygls's, as in tests/lsp/) starts `fabula lsp` over stdio,
opens a chapter and a scene, and types into each, one keystroke at a time (an incremental
change, as editors send them), waiting after each for the diagnostics the server publishes for
that version of the buffer, then pausing as a typist does. Every second keystroke makes a
misspelling of a bible name ("Okonkow"), and the next one removes it, so that the findings
really change.

Printed, for chapter and scene keystrokes apart: the median and 90th percentile of the wall
time from sending the change to receiving the diagnostics (the server's debounce included),
and the server's CPU time per keystroke (user + system, from /proc: the machine is shared and
loaded, and CPU time is what another job's load does not inflate). Then the server's memory
(resident set now, and at its peak), the time to the first diagnostics of a cold start, and
the peer: `fabula check` run as a process after one such edit (what an editor plugin that
shells out on every save pays), with the ratio of the two.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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

from tests.lsp.editor import Editor  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory(pid: int) -> tuple[int, int]:
    """(resident set, peak resident set) in MiB."""
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(status["VmRSS"].split()[0]) // 1024, int(status["VmHWM"].split()[0]) // 1024


async def keystrokes(editor: Editor, pid: int, relative: str, keys: int) -> tuple[list[float], list[float]]:
    """Type ``keys`` keystrokes at the end of a line of ``relative``; latency and CPU per keystroke."""
    lines = editor.texts[relative].split("\n")
    line = next(n for n in range(len(lines) // 2, len(lines)) if len(lines[n]) > 20 and not lines[n].isupper())
    walls, cpus = [], []
    for key in range(keys):
        await asyncio.sleep(0.25)  # a typist's pause: the previous check is over
        column = len(editor.texts[relative].split("\n")[line])
        typed = " Okonkow" if key % 2 == 0 else "."
        cpu = cpu_seconds(pid)
        start = time.perf_counter()
        if key % 2 == 0:
            version = editor.type_at(relative, line, column, typed)
        else:  # take the misspelling out again
            text = editor.texts[relative].split("\n")
            text[line] = text[line].removesuffix(" Okonkow") + typed
            version = editor.replace(relative, "\n".join(text))
        found = await editor.diagnostics(relative, version)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds(pid) - cpu)
        assert any(d.message.startswith("Okonkow") for d in found) == (key % 2 == 0), found
    return walls, cpus


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def show(label: str, walls: list[float], cpus: list[float]) -> None:
    print(
        f"{label}: keystroke -> diagnostics median {statistics.median(walls) * 1000:5.0f} ms wall, "
        f"90th percentile {p90(walls) * 1000:5.0f} ms; server CPU a keystroke median "
        f"{statistics.median(cpus) * 1000:5.0f} ms, 90th percentile {p90(cpus) * 1000:5.0f} ms, "
        f"mean {statistics.mean(cpus) * 1000:5.0f} ms (over {len(cpus)}, /proc's 10 ms ticks)"
    )


async def drive(root: Path, keys: int) -> tuple[list[float], list[float], list[float], list[float]]:
    editor = Editor(root)
    started = time.perf_counter()
    await editor.start()
    server = editor.client._server
    assert server is not None
    pid = server.pid
    chapter = sorted(p.relative_to(root).as_posix() for p in (root / "manuscript").glob("*.md"))[40]
    scene = sorted(p.relative_to(root).as_posix() for p in (root / "screenplay").glob("*.fountain"))[10]
    try:
        # The generated story is clean: the first check publishes nothing until a file is opened.
        editor.open(chapter)
        await editor.diagnostics(chapter, 1)
        print(f"cold start (no cache) to the first diagnostics: {time.perf_counter() - started:6.2f} s wall")
        editor.open(scene)
        await editor.diagnostics(scene, 1)
        prose = await keystrokes(editor, pid, chapter, keys)
        script = await keystrokes(editor, pid, scene, keys)
        rss, peak = memory(pid)
        print(f"server memory: {rss} MiB resident after the keystrokes, {peak} MiB at its peak")
        assert await editor.stop() == 0
    finally:
        editor.kill()
    return (*prose, *script)


def peer(root: Path, runs: int) -> tuple[float, float]:
    """`fabula check` as a process after a one-line edit (warm cache): median wall and CPU."""
    chapter = sorted((root / "manuscript").glob("*.md"))[41]
    walls, cpus = [], []
    for run in range(runs):
        with chapter.open("a", encoding="utf-8") as file:
            file.write(f"\nKatharine said so {run}.\n")
        before = os.times()
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "toolkit", "check", str(root)], cwd=REPO, capture_output=True, check=False
        )
        walls.append(time.perf_counter() - start)
        after = os.times()
        cpus.append(after.children_user - before.children_user + after.children_system - before.children_system)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=300_000)
    parser.add_argument("--keys", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3, help="runs of the peer, `fabula check`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "story"
        write_story(root, args.words)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in root.rglob("*.*") if p.is_file())
        print(
            f"{args.words:,}-word story ({words:,} words in its files), "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        prose_wall, prose_cpu, scene_wall, scene_cpu = asyncio.run(drive(root, args.keys))
        show("chapter", prose_wall, prose_cpu)
        show("scene  ", scene_wall, scene_cpu)
        wall, cpu = peer(root, args.runs)
        print(
            f"peer: `fabula check` after a one-line edit, as a process: "
            f"{wall * 1000:5.0f} ms wall, {cpu * 1000:5.0f} ms CPU"
        )
        print(
            f"ratio peer / server, chapter keystroke: {wall / statistics.median(prose_wall):4.1f}x in wall time, "
            f"{cpu / max(statistics.mean(prose_cpu), 1e-9):4.1f}x in CPU time"
        )


if __name__ == "__main__":
    main()
