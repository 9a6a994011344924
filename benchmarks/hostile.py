"""Issue 14's hostile, huge and broken inputs, each run as a user would: exit code, time, what fabula said.

    python benchmarks/hostile.py            # a Markdown table, one row per case

Every case is made in a temporary folder, with a "secret" file beside the project that no
output may contain; each command runs in a fresh process (``python -m toolkit``). The tests
(tests/test_hostile.py, test_linear.py, test_children.py, test_fuzz.py) assert the same
behaviour; this script gives the figures for the issue's closing note.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHAPTER = "# One\n\nShe left on the last boat.\n"
SECRET = "SECRET-OUTSIDE-THE-PROJECT"
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdefg", "bcdefgh", strict=False)
)


def files(root: Path, content: dict[str, str | bytes]) -> None:
    for name, text in content.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def doctored_cache(root: Path) -> list[str]:
    """A shared project whose output/.cache holds a pickle that runs a command (fabula < issue 14)."""
    import hashlib
    import json
    import pickle

    files(root, {"manuscript/1.md": CHAPTER})
    run(["build", str(root), "--only", "outline"])
    marker = root.parent / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    payload = pickle.dumps(Payload())
    for entry in (root / "output" / ".cache").glob("*.entry"):
        data = entry.read_bytes()
        end = data.index(b"\n", len(b"fabula-cache\n"))
        header = json.loads(data[len(b"fabula-cache\n") : end])
        header["sha256"] = hashlib.sha256(payload).hexdigest()
        entry.write_bytes(b"fabula-cache\n" + json.dumps(header, sort_keys=True).encode() + b"\n" + payload)
    return ["check", str(root)]


def symlinked_chapter(root: Path) -> list[str]:
    files(root, {"manuscript/1.md": CHAPTER})
    (root / "manuscript" / "2.md").symlink_to(root.parent / "outside" / "secret.md")
    return ["build", str(root)]


def css_outside(root: Path) -> list[str]:
    files(root, {"manuscript/1.md": CHAPTER, "fabula.toml": "[book]\ncss = '../outside/secret.css'\n"})
    return ["build", str(root), "--only", "book"]


def raw_img_outside(root: Path) -> list[str]:
    files(root, {"manuscript/1.md": f'# One\n\n<img src="{root.parent}/outside/secret.png">\n'})
    return ["build", str(root), "--only", "book"]


def out_to(target: str) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        files(root, {"manuscript/1.md": CHAPTER})
        return ["build", str(root), "--only", "outline", "--out", target.replace("{root}", str(root))]

    return make


def chapter(text: str, command: str = "check", **more: str) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        files(root, {"manuscript/1.md": text, **more})
        return [command, str(root)] if command != "book" else ["build", str(root), "--only", "book"]

    return make


def scene(text: str, command: str = "check") -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        files(root, {"screenplay/1.fountain": text})
        return [command, str(root)]

    return make


def control_characters(root: Path) -> list[str]:
    files(
        root,
        {
            "manuscript/1.md": "# One\x01\n\nText \x01 and \x0c, &#x1;.\n",
            "screenplay/1.fountain": "Title: A\x01B\n\nINT. ROOM\x0c - DAY\n\nText \x01.\n",
        },
    )
    return ["build", str(root)]


CASES: list[tuple[str, Callable[[Path], list[str]]]] = [
    ("doctored pickle in a shared output/.cache", doctored_cache),
    ("chapter symlinked to a file outside the project", symlinked_chapter),
    ("[book] css = '../outside/secret.css'", css_outside),
    ('raw <img src="/abs/outside/secret.png">', raw_img_outside),
    ("--out .. (the project's parent)", out_to("{root}/..")),
    ("--out {root}/manuscript (the sources)", out_to("{root}/manuscript")),
    ("YAML alias bomb in front matter (362 bytes)", chapter("---\n" + ALIAS_BOMB + "title: *h\n---\n\n" + CHAPTER)),
    (
        "ignore comment and 40 HTML comments in one paragraph",
        chapter("# One\n\nText <!-- fabula: ignore N101 -->" + "<!-- x -->" * 40 + " end.\n"),
    ),
    ("'<!--' x 50,000 in one paragraph", chapter("# One\n\n" + "<!--" * 50_000 + "\n")),
    ("'“' x 200,000 in one paragraph, stats", chapter("# One\n\n" + "“" * 200_000 + "\n", "stats")),
    ("one 10 MB line (check)", chapter("# One\n\n" + "word " * 2_000_000 + "\n")),
    ("list nested 10,000 deep", chapter("# One\n\n" + "- " * 10_000 + "item\n")),
    ("block quote nested 10,000 deep", chapter("# One\n\n" + "> " * 10_000 + "deep\n")),
    ("front matter day: 1e30", chapter("---\nday: 1e30\n---\n\n" + CHAPTER)),
    ("front matter day: 10000000", chapter("---\nday: 10000000\n---\n\n" + CHAPTER)),
    (
        "bible exits: DAY of 30 digits",
        chapter(CHAPTER, **{"characters.yaml": "- name: Ann\n  exits: DAY " + "9" * 30 + "\n"}),
    ),
    (
        "day_one = 9999-01-01 with DAY 9999",
        chapter("# DAY 9999\n\nLate.\n", **{"fabula.toml": "[calendar]\nday_one = 9999-01-01\n"}),
    ),
    ("a date in year 0000 (prose)", chapter("# 0000-03-01\n\nNever.\n")),
    ("a date in year 0000 (Fountain)", scene("# 0000-03-01\n\nINT. ROOM - DAY\n\nNothing.\n")),
    (
        "day_one = 0001-01-01 with DAY 0",
        chapter("# DAY 0\n\nEarly.\n", **{"fabula.toml": "[calendar]\nday_one = 0001-01-01\n"}),
    ),
    ("YAML nested 5,000 deep", chapter("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n\n" + CHAPTER)),
    ("TOML nested 5,000 deep", chapter(CHAPTER, **{"fabula.toml": "x = " + "[" * 5000 + "]" * 5000 + "\n"})),
    ("control characters in a scene and a chapter (build)", control_characters),
    (
        "<script> and <iframe> in a chapter (book)",
        chapter("# One\n\nA <script>alert(1)</script> and <iframe src='x'></iframe>.\n", "book"),
    ),
    ("'@home', 'ann@example.org' in prose (book)", chapter("# One\n\nMail ann@example.org, or @home.\n", "book")),
    ("a Fountain line of a million spaces", scene("INT. ROOM -" + " " * 1_000_000 + "- DAY\n\nAction.\n")),
]


def run(args: list[str], timeout: float = 900) -> tuple[int | str, float, str]:
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "toolkit", *args], cwd=REPO, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - started, ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    said = lines[0] if result.returncode == 2 and lines else (f"{len(lines)} finding(s)" if lines else "")
    return result.returncode, time.perf_counter() - started, said


def stopped(signal_number: int) -> tuple[str, float, str]:
    """A book build stopped mid-way: are its worker and pandoc gone, and its staging folder?"""
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "book"
        paragraph = "The harbour light went out over the water and she counted the boats. " * 20
        files(root, {f"manuscript/{n}.md": f"# C{n}\n\n" + "\n\n".join([paragraph] * 700) for n in range(1, 4)})
        process = subprocess.Popen([sys.executable, "-m", "toolkit", "build", str(root), "--only", "book"], cwd=REPO)
        output = root / "output"
        while not output.is_dir() or not any(p.name.startswith(".fabula-stage") for p in output.iterdir()):
            time.sleep(0.05)
        time.sleep(1)
        started = time.perf_counter()
        process.send_signal(signal_number)
        code = process.wait()
        left_running = any(str(root).encode() in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in _pids())
        time.sleep(1)
        left_running = left_running and any(
            str(root).encode() in Path(f"/proc/{pid}/cmdline").read_bytes() for pid in _pids()
        )
        staging = [p.name for p in (root / "output").iterdir() if p.name.startswith(".fabula")]
        after = run(["build", str(root), "--only", "outline"])
        staging_after = [p.name for p in (root / "output").iterdir() if p.name.startswith(".fabula")]
        said = (
            f"children {'still running' if left_running else 'gone'} within 1 s; staging folders left: {len(staging)};"
            f" after the next build: {len(staging_after)} (its exit {after[0]})"
        )
        return str(code), time.perf_counter() - started, said


def _pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if state != "Z":
                found.append(int(entry.name))
    return found


def refused_folders() -> None:
    """``--out /`` and ``--out ~`` asked of the function that decides, not of a build: were the
    rule ever broken, this script must not be what writes into / or a home folder."""
    from toolkit.errors import FabulaError
    from toolkit.pipeline import output_folder

    sys.path.insert(0, str(REPO))
    for name, target in (("--out /", Path("/")), ("--out ~ (a home folder)", Path.home())):
        with tempfile.TemporaryDirectory() as temp:
            started = time.perf_counter()
            try:
                output_folder(Path(temp), target)
                said = "ACCEPTED"
            except FabulaError as error:
                said = f"fabula: error: {error}"
            print(f"| {name} | 2 | {time.perf_counter() - started:.1f} | {said} |", flush=True)


def main() -> None:
    print("| case | exit | seconds | what fabula said |")
    print("|---|---:|---:|---|")
    refused_folders()
    for name, make in CASES:
        with tempfile.TemporaryDirectory(prefix="fabula-hostile-") as temp:
            outside = Path(temp) / "outside"
            files(outside, {"secret.md": f"# Secret\n\n{SECRET}\n", "secret.css": f"/* {SECRET} */"})
            from PIL import Image

            Image.new("RGB", (4, 4)).save(outside / "secret.png")
            root = Path(temp) / "project"
            args = make(root)
            code, seconds, said = run(args)
            if name.startswith("doctored"):
                said += f" (command run: {'yes' if (root.parent / 'pwned').exists() else 'no'})"
            leaked = [
                path.name
                for path in (root / "output").glob("*")
                if path.is_file() and SECRET.encode() in path.read_bytes()
            ]
            if leaked:
                said += f" LEAKED into {leaked}"
        print(f"| {name} | {code} | {seconds:.1f} | {said[:160].replace('|', '/')} |", flush=True)
    if sys.platform.startswith("linux"):
        for name, number in (
            ("SIGTERM during a book build", signal.SIGTERM),
            ("kill -9 during a book", signal.SIGKILL),
        ):
            code, seconds, said = stopped(number)
            print(f"| {name} | {code} | {seconds:.1f} | {said} |", flush=True)


if __name__ == "__main__":
    main()
