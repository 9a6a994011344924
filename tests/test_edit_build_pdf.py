"""What an edit build's book PDF does again (issue 16): its Typst template comes from the cache
(no Jinja2, no template compiled), made again when what it is rendered from changes; the checks
on each chapter's Typst that decide whether the book is set chapter by chapter."""

from __future__ import annotations

from pathlib import Path

import pytest

import toolkit.parallel
from tests.render.test_book_join import three_chapters
from tests.render.test_book_pdf import META
from toolkit import pipeline
from toolkit.render import book_pdf
from toolkit.render.pandoc import NO_FRONT, BookStyle


def _templates_rendered(root: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many times a build of the book rendered the book PDF's template (in this process)."""
    rendered = []
    real = book_pdf._environment

    def counting():
        rendered.append(1)
        return real()

    monkeypatch.setattr(toolkit.parallel, "can_fork", lambda: False)  # every product rendered here
    monkeypatch.setattr(book_pdf, "_environment", counting)
    pipeline.build(root, targets=("book",))
    monkeypatch.setattr(book_pdf, "_environment", real)
    return len(rendered)


def _append(root: Path, path: str, text: str) -> None:
    source = root / path
    source.write_text(source.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_book_pdfs_template_comes_from_the_cache(sample_project: Path, monkeypatch) -> None:
    assert _templates_rendered(sample_project, monkeypatch) == 1
    _append(sample_project, "manuscript/3-hogmanay.md", "\nThe lamps were lit early.\n")
    assert _templates_rendered(sample_project, monkeypatch) == 0
    # A new title is rendered again, and the PDF is a clean build's.
    config = sample_project / "fabula.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        "\n".join('title = "The Far Crossing"' if line.startswith("title =") else line for line in text.splitlines())
        + "\n",
        encoding="utf-8",
    )
    assert _templates_rendered(sample_project, monkeypatch) == 1
    clean = sample_project.parent / "clean"
    pipeline.build(sample_project, out=clean, targets=("book",), use_cache=False)
    assert (sample_project / "output" / "book.pdf").read_bytes() == (clean / "book.pdf").read_bytes()
    assert "The Far Crossing" in book_pdf.book_template(pipeline.story(sample_project).meta)


def test_a_chapters_typst_decides_how_the_book_is_set() -> None:
    """Set chapter by chapter only when each chapter opens on its one level-1 heading, holds no
    footnote beside raw text, and links only to its own labels."""
    template, (first, *rest) = book_pdf._book_texts(
        three_chapters(3),
        META,
        trim="5.5x8.5",
        font_size=None,
        small_caps=True,
        front=NO_FRONT,
        style=BookStyle(),
        images=None,
        parts=None,
    )
    keys = [""] * (1 + len(rest))
    label = first.split("\n")[1].strip("<>")

    def decided(text: str) -> bool:
        return book_pdf.book_pieces(template, [text, *rest], keys) is not None

    assert decided(first)
    assert not decided(first + "\n= Another\n<another>\n")  # a second level-1 heading
    assert decided(first + "\n== A section\n<a-section>\n")  # a level-2 heading is not one
    assert decided(first + "\nA line with = inside and a \\= sign.\n")
    assert decided(first + "\n`code`\n") and decided(first + "\nA note.#footnote[Here.]\n")
    assert not decided(first + "\n`code`\nA note.#footnote[Here.]\n")  # raw text and a footnote
    assert decided(first + "\n\\`escaped\\` and a note.#footnote[Here.]\n")  # an escaped backtick is text
    assert decided(first + f"\n#link(<{label}>)[back]\n")
    assert not decided(first + "\n#link(<elsewhere>)[there]\n")  # a label another chapter defines


def _jobs_in_order(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The products a build hands its two processes, in the order they are taken."""
    taken: list[list[str]] = []
    real = pipeline.render

    def recording(jobs, *args, **kwargs):  # type: ignore[no-untyped-def]
        taken.append([job.name for job in jobs])
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(pipeline, "render", recording)
    pipeline.build(root)
    monkeypatch.setattr(pipeline, "render", real)
    (names,) = taken
    return names


def test_the_book_pdf_is_taken_last_when_typsts_child_sets_it(sample_project: Path, monkeypatch) -> None:
    """Typst's child has the book (book_pdf.hand_early): writing book.pdf is a wait for its
    answer, so both processes render the other products first; otherwise the usual order. The
    outputs are a clean build's either way."""
    first = _jobs_in_order(sample_project, monkeypatch)
    assert first[-1] == "book.pdf" and len(first) == 10
    _append(sample_project, "manuscript/3-hogmanay.md", "\nThe lamps were lit early.\n")
    edit = _jobs_in_order(sample_project, monkeypatch)
    assert edit == [
        "book.epub",
        "manuscript.docx",
        "outline.md",
        "outline.html",
        "outline.json",
        "report.html",
        "book.pdf",
    ]
    _append(sample_project, "manuscript/3-hogmanay.md", "\nAnd the boats came in.\n")
    monkeypatch.setattr(book_pdf, "hand_early", lambda *args, **kwargs: None)  # the child is not handed it
    assert _jobs_in_order(sample_project, monkeypatch)[:3] == ["book.epub", "book.pdf", "manuscript.docx"]
    clean = sample_project.parent / "clean"
    pipeline.build(sample_project, out=clean, use_cache=False)
    for name in ("book.pdf", "book.epub", "manuscript.docx", "outline.md", "report.html"):
        assert (sample_project / "output" / name).read_bytes() == (clean / name).read_bytes(), name


def test_an_edit_build_sets_up_jinja2_once_before_its_worker_forks(sample_project: Path) -> None:
    """After an edit to a chapter the outline's two templated files and the report are written
    again, by either of the build's two processes: Jinja2 and their environments are set up
    before the worker forks (Product.setup), not in each process."""
    import subprocess
    import sys

    from tests.conftest import REPO

    probe = (
        "import sys, toolkit.parallel\n"
        "seen = []\n"
        "def concurrently(*args, _run=toolkit.parallel._concurrently):\n"
        "    from toolkit.render import outline, report\n"
        "    made = outline.environment.cache_info().currsize, report.environment.cache_info().currsize\n"
        "    seen.append(('jinja2' in sys.modules, made))\n"
        "    return _run(*args)\n"
        "toolkit.parallel._concurrently = concurrently\n"
        "toolkit.parallel.can_fork = lambda: True\n"
        "from toolkit.cli import main\n"
        "sys.argv = ['fabula', 'build', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(seen, file=sys.stderr)\n"
    )
    pipeline.build(sample_project)
    _append(sample_project, "manuscript/3-hogmanay.md", "\nThe lamps were lit early.\n")
    result = subprocess.run(
        [sys.executable, "-c", probe, str(sample_project)], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.stderr.strip().splitlines()[-1] == "[(True, (1, 1))]", result.stderr
    clean = sample_project.parent / "clean"
    pipeline.build(sample_project, out=clean, use_cache=False)
    for name in ("outline.md", "outline.html", "report.html", "book.pdf"):
        assert (sample_project / "output" / name).read_bytes() == (clean / name).read_bytes(), name
