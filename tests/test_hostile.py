"""Hostile, huge and broken input (issue 14): no hang, no traceback, no code run, nothing read or
written outside the project. Every case is made here, at test time, in a temporary folder."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import EVERY_OUTPUT
from toolkit.cli import app

runner = CliRunner()


@dataclass(frozen=True)
class Case:
    """A project of a few files and what ``fabula check`` must answer: exit code and words of the line."""

    name: str
    files: dict[str, str | bytes]
    exit_code: int
    says: tuple[str, ...] = ()
    command: tuple[str, ...] = ("check",)
    seconds: float = 20.0  # far above the linear time, far below what the old quadratic code took


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(root: Path, *args: str) -> tuple[int, list[str], str]:
    """Exit code, the lines of standard error, standard output; asserts the invariants of any run."""
    result = runner.invoke(app, [*args, str(root)])
    errors = [line for line in result.stderr.splitlines() if line.strip()] if result.stderr else []
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output[-500:])
    assert "Traceback" not in result.output, result.output[-2000:]
    if result.exit_code == 2:
        assert len(errors) == 1 and errors[0].startswith("fabula: error: "), errors[:3]
        assert len(errors[0]) <= 420, errors[0][:200]
    return result.exit_code, errors, result.stdout


CHAPTER = "# One\n\nShe left on the last boat.\n"
ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdefg", "bcdefgh", strict=False)
)

CASES = [
    Case(
        "yaml-alias-bomb-in-front-matter",
        {"manuscript/1.md": "---\na: &a [x, x, x, x, x, x, x, x, x]\n" + ALIAS_BOMB + "title: *h\n---\n\n" + CHAPTER},
        2,
        ("manuscript/1.md:3:", "aliases"),
    ),
    Case(
        "yaml-alias-in-the-bible",
        {"manuscript/1.md": CHAPTER, "characters.yaml": "- &ann {name: Ann}\n- *ann\n"},
        2,
        ("characters.yaml:2:", "aliases"),
    ),
    Case("front-matter-day-1e30", {"manuscript/1.md": "---\nday: 1e30\n---\n\n" + CHAPTER}, 2, ("'day'", "1e30")),
    Case("front-matter-day-ten-million", {"manuscript/1.md": "---\nday: 10000000\n---\n\n" + CHAPTER}, 2, ("9999",)),
    Case(
        "front-matter-day-of-5000-digits",
        {"manuscript/1.md": "---\nday: " + "9" * 5000 + "\n---\n\n" + CHAPTER},
        2,
        ("manuscript/1.md:2:", "digits"),
    ),
    Case(
        "bible-exits-a-huge-day",
        {"manuscript/1.md": CHAPTER, "characters.yaml": "- name: Ann\n  exits: DAY " + "9" * 30 + "\n"},
        2,
        ("characters.yaml:2:", "DAY 9999"),
    ),
    Case(
        "day-one-9999-with-day-9999",
        {"manuscript/1.md": "# DAY 9999\n\nLate.\n", "fabula.toml": "[calendar]\nday_one = 9999-01-01\n"},
        0,
    ),
    Case(
        "day-one-0001-with-day-0",
        {"manuscript/1.md": "# DAY 0\n\nEarly.\n", "fabula.toml": "[calendar]\nday_one = 0001-01-01\n"},
        0,
    ),
    Case("year-0000-in-prose", {"manuscript/1.md": "# 0000-03-01\n\nNever.\n"}, 1),
    Case(
        "year-0000-in-fountain",
        {"manuscript/1.md": CHAPTER, "screenplay/1.fountain": "# 0000-03-01\n\nINT. ROOM - DAY\n\nNothing.\n"},
        1,
    ),
    Case(
        "yaml-front-matter-5000-deep",
        {"manuscript/1.md": "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n\n" + CHAPTER},
        2,
        ("manuscript/1.md:2:", "nested"),
    ),
    Case(
        "yaml-bible-5000-deep",
        {"manuscript/1.md": CHAPTER, "characters.yaml": "characters: " + "[" * 5000 + "]" * 5000 + "\n"},
        2,
        ("characters.yaml:1:", "nested"),
    ),
    Case(
        "toml-5000-deep",
        {"manuscript/1.md": CHAPTER, "fabula.toml": 'title = "x"\nx = ' + "[" * 5000 + "]" * 5000 + "\n"},
        2,
        ("fabula.toml:2:", "nested"),
    ),
    Case(
        "toml-number-of-5000-digits",
        {"manuscript/1.md": CHAPTER, "fabula.toml": 'title = "x"\n\n[check]\nout_of_span_days = ' + "9" * 5000 + "\n"},
        2,
        ("fabula.toml:4:", "number"),
    ),
    Case(
        "toml-deep-inside-a-string-is-text",
        {"manuscript/1.md": CHAPTER, "fabula.toml": 'title = "' + "[" * 5000 + '"\n'},
        0,
    ),
    Case(
        "toml-header-of-a-million-spaces",
        {"manuscript/1.md": CHAPTER, "fabula.toml": "[" + " " * 1_000_000 + "\n"},
        2,
        ("fabula.toml:1:", "invalid TOML"),
    ),
    Case(
        "a-long-value-quoted-back-short",
        {"manuscript/1.md": CHAPTER, "fabula.toml": '[screenplay]\npaper = "' + "x" * 1_000_000 + '"\n'},
        2,
        ("fabula.toml:2:", "paper"),
    ),
    Case(
        "escapes-making-lone-surrogates-and-controls",
        {
            "manuscript/1.md": '---\ntitle: "\\ud800 \\x01 \\uffff"\n---\n\nText.\n',
            "fabula.toml": 'title = "A\\u0001B"\nauthor = "C\\uFFFFD"\n',
            "characters.yaml": '- name: "Ann\\ud800"\n',
        },
        0,
        command=("build", "--only", "outline", "--only", "report"),
    ),
    Case(
        "a-bible-name-of-a-megabyte",
        {"manuscript/1.md": CHAPTER, "characters.yaml": "- name: " + "A" * 1_000_000 + "\n"},
        2,
        ("characters.yaml:1:", "200 characters"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_hostile_case_is_answered_in_one_line(case: Case, tmp_path: Path) -> None:
    root = write(tmp_path / "project", case.files)
    started = time.perf_counter()
    code, errors, _ = run(root, *case.command)
    seconds = time.perf_counter() - started
    assert code == case.exit_code, (code, errors)
    for words in case.says:
        assert errors and words in errors[0], (words, errors)
    assert seconds < case.seconds, f"{case.name} took {seconds:.1f} s"


def test_dates_at_the_ends_of_the_calendar_render(tmp_path: Path) -> None:
    """DAY 0 before 0001-01-01, DAY 9999 after 9999-12-31, year 0: outline and report still build."""
    root = write(
        tmp_path / "project",
        {
            "manuscript/1.md": "# 0000-03-01\n\nNever.\n\n# DAY 9999\n\nLate.\n\n# DAY 0\n\nEarly.\n",
            "fabula.toml": "[calendar]\nday_one = 0001-01-01\n",
        },
    )
    code, errors, _ = run(root, "build", "--only", "outline", "--only", "report")
    assert code == 0, errors
    outline = (root / "output" / "outline.md").read_text(encoding="utf-8")
    assert "DAY 9999" in outline and "DAY 0" in outline


# ---------------------------------------------------------------- the project is the sandbox

SECRET = b"SECRET-OUTSIDE-THE-PROJECT-7f3a"


def secret_png(path: Path) -> Path:
    """A real PNG whose bytes hold SECRET (a text chunk), outside the project."""
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 4), "red").save(path, format="PNG", pnginfo=info)
    return path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding files that must never reach an output."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_bytes(b"# Secret\n\n" + SECRET + b"\n")
    (folder / "secret.css").write_bytes(b"/* " + SECRET + b" */\n")
    (folder / "secret.ttf").write_bytes(SECRET)
    secret_png(folder / "secret.png")
    return folder


def project_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    return write(tmp_path / "project", {"manuscript/1.md": CHAPTER, **files})


def fails_naming(root: Path, words: tuple[str, ...], *args: str) -> None:
    code, errors, _ = run(root, *args)
    assert code == 2, errors
    for word in words:
        assert word in errors[0], (word, errors[0])
    output = root / "output"
    assert not output.exists() or not [p for p in output.iterdir() if p.name != ".cache"], "an output was written"


def test_a_chapter_linked_to_a_file_outside_is_refused(tmp_path: Path, outside: Path) -> None:
    root = project_with(tmp_path, {})
    (root / "manuscript" / "2.md").symlink_to(outside / "secret.md")
    for command in (("check",), ("build",)):
        fails_naming(root, ("manuscript/2.md", "outside the project"), *command)


@pytest.mark.parametrize("name", ["manuscript", "screenplay", "characters.yaml", "fabula.toml"])
def test_a_source_folder_or_file_linked_outside_is_refused(tmp_path: Path, outside: Path, name: str) -> None:
    root = write(
        tmp_path / "project",
        {"screenplay/1.fountain": "INT. ROOM - DAY\n\nText.\n"}
        if name != "screenplay"
        else {"manuscript/1.md": CHAPTER},
    )
    target = {"manuscript": outside, "screenplay": outside, "characters.yaml": outside / "secret.md"}.get(name)
    if name == "screenplay":
        (outside / "scenes").mkdir()
        (outside / "scenes" / "1.fountain").write_bytes(b"INT. ROOM - DAY\n\n" + SECRET + b"\n")
        target = outside / "scenes"
    if name == "fabula.toml":
        (outside / "fabula.toml").write_bytes(b'title = "' + SECRET + b'"\n')
        target = outside / "fabula.toml"
    assert target is not None
    (root / name).symlink_to(target)
    fails_naming(root, (name, "outside the project"), "check")


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("[book]\ncss = '{}'\n", "book.css"),
        ("[book]\ncover = '{}'\n", "book.cover"),
        ("[screenplay]\nfont = '{}'\n", "screenplay.font"),
    ],
    ids=["css", "cover", "font"],
)
@pytest.mark.parametrize("how", ["absolute", "dot-dot", "link"])
def test_files_named_in_fabula_toml_must_be_inside(
    tmp_path: Path, outside: Path, setting: str, key: str, how: str
) -> None:
    suffix = {"book.css": "css", "book.cover": "png", "screenplay.font": "ttf"}[key]
    secret = outside / f"secret.{suffix}"
    root = project_with(tmp_path, {"screenplay/1.fountain": "INT. ROOM - DAY\n\nText.\n"})
    if how == "link":
        (root / f"mine.{suffix}").symlink_to(secret)
        name = f"mine.{suffix}"
    else:
        name = str(secret) if how == "absolute" else f"../outside/secret.{suffix}"
    (root / "fabula.toml").write_text(setting.format(name), encoding="utf-8")
    fails_naming(root, ("outside the project", key), "build")


@pytest.mark.parametrize(
    ("chapter", "says"),
    [
        ("![A map](../outside/secret.png)", "image '../outside/secret.png'"),
        ("![A map]({outside}/secret.png)", "outside the project"),
        ('<img src="{outside}/secret.png" alt="x">', "outside the project"),
        ("![A map](https://example.org/map.png)", "never fetches"),
        ("![A map](file:///etc/passwd)", "never fetches"),
        ("![A map](linked.png)", "outside the project"),
        ("![A map](%2E%2E/%2E%2E/outside/secret.png)", "outside the project"),
        ("![A map](nowhere.png)", "not found"),
    ],
    ids=["dot-dot", "absolute", "raw-img", "web", "file-url", "link", "escaped", "missing"],
)
def test_images_must_be_files_of_the_project(tmp_path: Path, outside: Path, chapter: str, says: str) -> None:
    root = project_with(tmp_path, {"manuscript/1.md": f"# One\n\nText.\n\n{chapter.format(outside=outside)}\n"})
    (root / "linked.png").symlink_to(outside / "secret.png")
    fails_naming(root, ("manuscript/1.md:5:", says), "build", "--only", "book")


def test_the_output_folder_is_refused_where_a_build_must_not_write(tmp_path: Path, monkeypatch) -> None:
    from toolkit.errors import FabulaError
    from toolkit.pipeline import output_folder

    root = project_with(tmp_path, {})
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    refused = {
        Path("/"): "root",
        home: "home folder",
        root: "project folder",
        tmp_path: "holds it|home folder",  # it holds both
        root / "manuscript": "sources",
        root / "manuscript" / "part": "sources",
    }
    for folder, reason in refused.items():
        with pytest.raises(FabulaError, match=reason):
            output_folder(root, folder)
    assert output_folder(root, tmp_path / "elsewhere") == (tmp_path / "elsewhere").resolve()
    assert output_folder(root, home / "drafts") == (home / "drafts").resolve()
    # Through the command line: nothing is written, and the message names the rule.
    before = sorted(p.name for p in tmp_path.iterdir())
    fails_naming(root, ("refusing to write build output",), "build", "--out", str(tmp_path))
    fails_naming(root, ("refusing to write build output into the project folder",), "build", "--out", str(root))
    monkeypatch.chdir(root / "manuscript")
    fails_naming(root, ("refusing", "holds it"), "build", "--out", "..")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_output_folder_linked_out_of_the_project_is_refused(tmp_path: Path, outside: Path) -> None:
    root = project_with(tmp_path, {})
    (root / "output").symlink_to(outside)
    before = sorted(p.name for p in outside.iterdir())
    code, errors, _ = run(root, "build", "--only", "outline")
    assert code == 2 and "outside the project" in errors[0], errors
    assert sorted(p.name for p in outside.iterdir()) == before


# ---------------------------------------------------------------- a hostile book: every output valid, text as typed

HOSTILE_CHAPTER = """---
title: "Odd\\x01 title <b>"
summary: "Bell\\x07 and \\x0c"
---

# One\x01 of <b>Two</b>

Mail ann@example.org or @home, #tag, $5 and $10, $x$, a < b, C:\\Users\\me, 50 %, \\today, (@) and [@key].

Form\x0cfeed and bell\x07 and &#x1; and &#xFFFE; and &#0; in a line.

A <script>alert(1)</script> and <iframe src="https://example.org/"></iframe> here,
<a href="#" onclick="alert(1)">link</a>, <span style="color: red" onmouseover="steal()">red</span>.

<script>
document.write("away")
</script>

<!-- a -- comment -- with dashes, and fabula: ignore N101 -->

<div>
unclosed div

<video src="../outside/secret.png"></video> <object data="x.swf"></object> <embed src="x.swf">
<form action="https://example.org"><input name="q"></form> <style>p { color: red }</style>

Bold <b>**strong**</b>, a<br>break, 2<sup>10</sup>, <b>never closed.

![by reference][id] and ![shortcut]

[id]: ../outside/secret.png
[shortcut]: {outside}/secret.png
"""

HOSTILE_SCENE = """Title: Odd\x01 <b>Title</b> & "Co"
Author: A\x0cB

INT. ROOM\x0c - DAY

Text \x01 with <tag> & ampersand, ann@example.org, @home, #tag, $5, a < b, C:\\Users.

ANN
Hello\x0b there <script>alert(1)</script>.
"""


def test_a_hostile_book_gives_valid_outputs_with_the_text_as_typed(tmp_path: Path, outside: Path) -> None:
    """Control characters, raw script/iframe/forms, event attributes, comments with "--", images
    by reference from outside, "@", "$", "#", "<", "\\": every output is valid for its format
    (FDX and the EPUB's XHTML parse as XML, EPUBCheck passes), no outside file is in any, and
    the text reaches each as typed."""
    import xml.etree.ElementTree as ET
    import zipfile

    from tests.render.test_epub import BackgroundCheck, assert_valid

    root = write(
        tmp_path / "project",
        {
            "manuscript/1.md": HOSTILE_CHAPTER.replace("{outside}", str(outside)),
            "screenplay/1.fountain": HOSTILE_SCENE,
        },
    )
    code, errors, _ = run(root, "build", "--no-cache")
    assert code == 0, errors
    output = root / "output"
    assert sorted(p.name for p in output.iterdir() if not p.name.startswith(".")) == EVERY_OUTPUT
    # Nothing from outside the project, in any output or inside any archive.
    for path in output.iterdir():
        if path.is_file():
            assert SECRET not in path.read_bytes(), path.name
            if path.suffix in (".epub", ".docx"):
                with zipfile.ZipFile(path) as archive:
                    for name in archive.namelist():
                        assert SECRET not in archive.read(name), (path.name, name)
                        assert not name.startswith("EPUB/media/"), name
    # Final Draft: XML, with every character a valid one.
    fdx = ET.parse(output / "screenplay.fdx").getroot()
    fdx_text = "".join(fdx.itertext())
    for typed in ("ann@example.org", "@home", "#tag", "$5", "a < b", "C:\\Users", "<script>"):
        assert typed in fdx_text, typed
    # The EPUB: every XHTML document well formed, nothing that runs, the text as typed.
    with zipfile.ZipFile(output / "book.epub") as archive:
        documents = {name: archive.read(name) for name in archive.namelist() if name.endswith(".xhtml")}
    text = ""
    for name, data in documents.items():
        tree = ET.fromstring(data)
        text += " ".join(tree.itertext())
        lowered = data.lower()
        for banned in (b"<script", b"<iframe", b"<object", b"<embed", b"<form", b"<video", b"onclick", b"onmouseover"):
            assert banned not in lowered, (name, banned)
        assert b"<!--" not in data, name
    flat = " ".join(text.split())
    for typed in (
        "ann@example.org",
        "@home",
        "#tag",
        "$5 and $10",
        "$x$",
        "a < b",
        "C:\\Users\\me",
        "\\today",
        "(@)",
        "[@key]",
    ):
        assert typed in flat, typed
    assert "strong" in flat and "never closed" in flat and "alert(1)" not in flat and "away" not in flat
    assert "color: red" not in flat and "steal" not in flat
    assert_valid(BackgroundCheck(output / "book.epub"))
    # The manuscript and the print PDF say the same.
    with zipfile.ZipFile(output / "manuscript.docx") as archive:
        ET.fromstring(archive.read("word/document.xml"))
        docx_text = " ".join("".join(ET.fromstring(archive.read("word/document.xml")).itertext()).split())
    pdf_text = " ".join(
        " ".join(page.extract_text() for page in __import__("pypdf").PdfReader(output / "book.pdf").pages).split()
    )
    for typed in ("ann@example.org", "@home", "#tag", "$5 and $10", "a < b", "(@)", "[@key]"):
        assert typed in docx_text, ("docx", typed)
        assert typed in pdf_text.replace("‐", "-"), ("pdf", typed)


# ---------------------------------------------------------------- nesting and long lines

DEEP_CASES = [
    Case("a-quote-10000-deep", {"manuscript/1.md": "# One\n\n" + "> " * 10_000 + "deep\n"}, 2, ("1.md:3:", "nested")),
    Case("a-list-10000-deep", {"manuscript/1.md": "# One\n\n" + "- " * 10_000 + "item\n"}, 2, ("1.md:3:", "nested")),
    Case(
        "a-list-indented-3000-deep",
        {"manuscript/1.md": "# One\n\n" + "".join("  " * i + "- x\n" for i in range(3000))},
        2,
        ("nested",),
    ),
    Case("a-quote-19-deep-is-fine", {"manuscript/1.md": "# One\n\n" + "> " * 19 + "deep\n"}, 0),
    Case("a-list-9-deep-is-fine", {"manuscript/1.md": "# One\n\n" + "- " * 9 + "item\n"}, 0),
    Case(
        "a-chapter-of-one-4-mb-line",
        {"manuscript/1.md": "# One\n\n" + "word " * 800_000 + "\n"},
        0,
        seconds=60.0,
    ),
    Case(
        "a-scene-line-of-a-million-spaces-stars-and-underscores",
        {"screenplay/1.fountain": "INT. ROOM -" + " " * 10**6 + "- DAY\n\n**" + "_" * 10**6 + "*" * 10**6 + "\n"},
        0,
        seconds=60.0,
    ),
    Case(
        "ten-thousand-unclosed-boneyards-and-notes",
        {"screenplay/1.fountain": "INT. ROOM - DAY\n\n" + "/* [[ a " * 20_000 + "\n"},
        0,
        seconds=60.0,
    ),
]


@pytest.mark.parametrize("case", DEEP_CASES, ids=[case.name for case in DEEP_CASES])
def test_nesting_and_long_lines_are_bounded(case: Case, tmp_path: Path) -> None:
    test_each_hostile_case_is_answered_in_one_line(case, tmp_path)


def test_a_cache_folder_or_entry_linked_out_of_the_project_is_left_alone(tmp_path: Path, outside: Path) -> None:
    """A shared output/ whose .cache (or one of its entries) is a link: the build neither writes
    through it nor reads what it names; it just works without the cache."""
    root = project_with(tmp_path, {})
    (root / "output").mkdir()
    (root / "output" / ".cache").symlink_to(outside)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    code, errors, _ = run(root, "build", "--only", "outline")
    assert code == 0, errors
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    (root / "output" / ".cache").unlink()
    assert run(root, "build", "--only", "outline")[0] == 0
    for entry in (root / "output" / ".cache").glob("*.entry"):
        entry.unlink()
        entry.symlink_to(outside / "secret.md")
    chapter = root / "manuscript" / "1.md"
    chapter.write_text(CHAPTER + "\nMore.\n", encoding="utf-8")
    code, errors, _ = run(root, "build", "--only", "outline")
    assert code == 0, errors
    assert (outside / "secret.md").read_bytes().startswith(b"# Secret")
    assert SECRET not in (root / "output" / "outline.md").read_bytes()
