"""Times Big Fish → screenplay PDF: fabula against screenplain and afterwriting, in the same run.

    python benchmarks/screenplay.py [--runs 5] [--afterwriting DIR]

Each figure is the median wall time of whole processes (interpreter start-up included, Python's
bytecode caches in use even when the shell sets PYTHONDONTWRITEBYTECODE), run in turn:
`fabula build --only screenplay` (which also writes screenplay.fdx and screenplay.html, and
runs the checks first), each run a clean build into a fresh output folder,
`screenplain big-fish.fountain out.pdf`, and `node awc.js --source … --pdf …` at US letter.
afterwriting comes from npm: `npm install afterwriting` into a temporary folder at benchmark
time (never from tests, never committed), or into DIR when given, where it is kept for reuse.
Goals (issue 5): fabula ≤ 0.5 × afterwriting, ≤ 1.5 × screenplain. Page counts are printed too.
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
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIG_FISH = REPO.parent / "shared" / "corpus" / "fountain" / "big-fish.fountain"


def run(command: list[str], cwd: Path, env: dict[str, str]) -> None:
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(command: list[str], cwd: Path, env: dict[str, str], fresh: Path | None = None) -> float:
    """Wall time of one run; ``fresh`` (an output folder) is removed first, untimed."""
    if fresh is not None:
        shutil.rmtree(fresh, ignore_errors=True)
    start = time.perf_counter()
    run(command, cwd, env)
    return time.perf_counter() - start


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def afterwriting(folder: Path) -> Path:
    """awc.js of afterwriting installed in ``folder`` (installed there by npm when missing)."""
    script = folder / "node_modules" / "afterwriting" / "awc.js"
    if not script.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"npm install afterwriting (into {folder}) …", flush=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(folder), "afterwriting"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return script


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--afterwriting", type=Path, help="folder to install afterwriting in and reuse")
    args = parser.parse_args()
    if not BIG_FISH.is_file():
        sys.exit(f"Big Fish not found at {BIG_FISH}")
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        project = work / "fish"
        (project / "screenplay").mkdir(parents=True)
        shutil.copy(BIG_FISH, project / "screenplay" / "big-fish.fountain")
        awc = afterwriting(args.afterwriting or work / "aw")
        (work / "letter.json").write_text(json.dumps({"print_profile": "usletter"}))

        commands = {
            "fabula": [sys.executable, "-m", "toolkit", "build", "--only", "screenplay"],
            "screenplain": ["screenplain", str(BIG_FISH), str(work / "sp.pdf")],
            "afterwriting": [
                "node",
                str(awc),
                "--source",
                str(BIG_FISH),
                "--pdf",
                str(work / "aw.pdf"),
                "--overwrite",
                "--config",
                str(work / "letter.json"),
            ],
        }
        cwd = {"fabula": project, "screenplain": work, "afterwriting": work}
        # Python as installed: with its bytecode caches. A shell with PYTHONDONTWRITEBYTECODE set
        # would have fabula (installed editable, so without .pyc files) compile its ~40 modules on
        # every run, which screenplain (compiled by pip) never does. The caches go in the temporary
        # folder, written by the untimed first run.
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        # One untimed run each: warm the file cache and check every tool works.
        for name, command in commands.items():
            run(command, cwd[name], env)
        # Every timed fabula run is a clean build: no output folder, so no cache from the run before.
        fresh = {"fabula": project / "output"}
        # Round-robin, one run of each tool in turn: a change in the machine's load falls on all three.
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                samples[name].append(timed(command, cwd[name], env, fresh.get(name)))
        times = {name: statistics.median(values) for name, values in samples.items()}
        counts = {
            "fabula": pages(project / "output" / "screenplay.pdf"),
            "screenplain": pages(work / "sp.pdf"),
            "afterwriting": pages(work / "aw.pdf"),
        }
    print(f"Big Fish → US-letter PDF, median of {args.runs} runs (whole process)")
    for name in commands:
        print(f"  {name:<13} {times[name]:7.3f} s   {counts[name]:4d} pages")
    print(f"  fabula / afterwriting = {times['fabula'] / times['afterwriting']:.2f}   (goal ≤ 0.50)")
    print(f"  fabula / screenplain  = {times['fabula'] / times['screenplain']:.2f}   (goal ≤ 1.50)")


if __name__ == "__main__":
    main()
