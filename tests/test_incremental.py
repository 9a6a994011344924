"""Incremental builds: unchanged outputs are skipped, changed ones rebuilt, a bad cache never trusted."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.conftest import EVERY_OUTPUT, story_of
from toolkit import pipeline
from toolkit.cache import CACHE_FOLDER, FORMAT, MAGIC, Cache
from toolkit.render.products import TARGETS, products

FAST = ("outline", "report")  # no pandoc, no PDF: for tests that build many times


def build(root: Path, only: tuple[str, ...] = TARGETS, out: Path | None = None, cache: bool = True):
    """The pipeline's stages one by one, so that a test can look at the run's cache."""
    with pipeline.Run.open(root, out, use_cache=cache) as run:
        story = run.resolve(run.load())
        findings = run.check(story)
        parts = run.book_parts(story)
        counts = (lambda: run.stats_parts(story)) if run.cache is not None else None  # as pipeline.build
        report = run.render(story, *products(story, only, parts, counts))
    run.parts = parts  # for tests that count the chapters pandoc converted
    return report, findings, run


def names(paths) -> list[str]:
    return sorted(path.name for path in paths)


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def test_a_second_build_writes_nothing_and_keeps_every_file(sample_project: Path) -> None:
    first, _, _ = build(sample_project)
    assert names(first.written) == EVERY_OUTPUT
    stamps = {p.name: p.stat().st_mtime_ns for p in first.written}
    second, _, session = build(sample_project)
    assert second.written == () and names(second.unchanged) == sorted(stamps)
    assert {p.name: p.stat().st_mtime_ns for p in second.unchanged} == stamps
    assert session.cache is not None and session.cache.misses == 0  # every parse and the checks from cache


def test_editing_a_chapter_rebuilds_what_reads_chapters_only(sample_project: Path) -> None:
    build(sample_project)
    chapter = sample_project / "manuscript" / "3-hogmanay.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe lamps went out one by one.\n", encoding="utf-8")
    report, _, _ = build(sample_project)
    assert names(report.written) == [
        "book.epub",
        "book.pdf",
        "manuscript.docx",
        "outline.html",
        "outline.json",
        "outline.md",
        "report.html",
    ]
    assert names(report.unchanged) == ["screenplay.fdx", "screenplay.html", "screenplay.pdf"]


def test_editing_a_chapter_sends_only_that_chapter_through_pandoc_again(sample_project: Path) -> None:
    _, _, first = build(sample_project, ("book",))
    chapters = len(list((sample_project / "manuscript").glob("*.md")))
    assert first.parts.converted == 3 * chapters  # each chapter for the EPUB, the book PDF and the DOCX
    chapter = sample_project / "manuscript" / "3-hogmanay.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nThe lamps went out one by one.\n", encoding="utf-8")
    report, _, second = build(sample_project, ("book",))
    assert names(report.written) == ["book.epub", "book.pdf", "manuscript.docx"] and second.parts.converted == 3
    clean = sample_project / "clean"
    build(sample_project, ("book",), out=clean, cache=False)
    assert outputs(clean) == outputs(sample_project / "output")


def test_an_edit_finds_the_manuscripts_frame_in_the_cache(sample_project: Path, monkeypatch) -> None:
    """The DOCX manuscript's frame (pandoc's run over cover, headings and END) is made once: an
    edit that changes the word count finds it in the cache, and the manuscript is rebuilt."""
    from toolkit.render import manuscript_docx

    made: list[int] = []
    original = manuscript_docx._frame
    monkeypatch.setattr(manuscript_docx, "_frame", lambda *args: made.append(1) or original(*args))
    build(sample_project, ("book",))
    assert made == [1]
    chapter = sample_project / "manuscript" / "3-hogmanay.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + "More words. " * 200 + "\n", encoding="utf-8")
    report, _, _ = build(sample_project, ("book",))
    assert "manuscript.docx" in names(report.written) and made == [1]


def test_editing_the_screenplay_rebuilds_the_pdf_not_the_book(sample_project: Path) -> None:
    build(sample_project)
    scene = sample_project / "screenplay" / "2-the-glass-falls.fountain"
    scene.write_text(scene.read_text(encoding="utf-8") + "\nThe kettle clicks off.\n", encoding="utf-8")
    report, _, _ = build(sample_project)
    assert names(report.written) == [
        "outline.html",
        "outline.json",
        "outline.md",
        "report.html",
        "screenplay.fdx",
        "screenplay.html",
        "screenplay.pdf",
    ]
    assert names(report.unchanged) == ["book.epub", "book.pdf", "manuscript.docx"]


def test_a_new_title_on_the_title_page_reaches_the_book(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "screenplay").mkdir()
    (tmp_path / "manuscript" / "1.md").write_text("# One\n\nShe left.\n", encoding="utf-8")
    script = tmp_path / "screenplay" / "1.fountain"
    script.write_text("Title: First Title\n\nINT. ROOM - DAY\n\nShe sits.\n", encoding="utf-8")
    build(tmp_path, ("book",))
    script.write_text(script.read_text(encoding="utf-8").replace("First Title", "Second Title"), encoding="utf-8")
    report, _, _ = build(tmp_path, ("book",))
    assert names(report.written) == ["book.epub", "book.pdf", "manuscript.docx"]


def test_touching_a_file_without_changing_it_rebuilds_nothing(sample_project: Path) -> None:
    build(sample_project, FAST)
    chapter = sample_project / "manuscript" / "1-the-last-boat.md"
    chapter.write_bytes(chapter.read_bytes())
    report, _, _ = build(sample_project, FAST)
    assert report.written == ()


def test_a_changed_output_file_is_rebuilt(sample_project: Path) -> None:
    build(sample_project, FAST)
    target = sample_project / "output" / "outline.md"
    good = target.read_bytes()
    target.write_bytes(good + b"edited by hand\n")
    report, _, _ = build(sample_project, FAST)
    assert names(report.written) == ["outline.md"] and target.read_bytes() == good
    (sample_project / "output" / "report.html").unlink()
    assert names(build(sample_project, FAST)[0].written) == ["report.html"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated by a full disk
        lambda data: data[:-1] + bytes([data[-1] ^ 0xFF]),  # one flipped bit in the payload
        lambda data: b"not a cache file at all",
        lambda data: data.replace(b'"format": %d' % FORMAT, b'"format": 0'),  # an older cache format
        lambda data: b"",
    ],
    ids=["truncated", "flipped", "garbage", "old-format", "empty"],
)
def test_a_damaged_cache_is_discarded_and_the_build_still_matches_a_clean_one(sample_project: Path, damage) -> None:
    build(sample_project, FAST)
    cache_folder = sample_project / "output" / CACHE_FOLDER
    entries = sorted(cache_folder.iterdir())
    assert entries, "the first build left no cache"
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes()))
    chapter = sample_project / "manuscript" / "2-the-glass-falls.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("the", "tha", 3), encoding="utf-8")
    report, _, session = build(sample_project, FAST)
    assert session.cache is not None and session.cache.hits == 0
    assert names(report.written) == ["outline.html", "outline.json", "outline.md", "report.html"]
    clean = sample_project.parent / "clean"
    build(sample_project, FAST, out=clean, cache=False)
    assert outputs(sample_project / "output") == outputs(clean)
    for entry in sorted(cache_folder.iterdir()):  # every entry was rewritten whole
        assert entry.read_bytes().startswith(MAGIC)


def test_an_entry_from_other_fabula_code_is_not_trusted(sample_project: Path, monkeypatch) -> None:
    build(sample_project, FAST)
    import toolkit.cache

    monkeypatch.setattr(toolkit.cache, "code_fingerprint", lambda: "another version of fabula")
    report, _, session = build(sample_project, FAST)
    assert session.cache is not None and session.cache.hits == 0
    assert names(report.written) == ["outline.html", "outline.json", "outline.md", "report.html"]


def test_a_failed_build_leaves_cache_and_outputs_as_they_were(sample_project: Path) -> None:
    build(sample_project, FAST)
    before = {p.name: p.read_bytes() for p in (sample_project / "output" / CACHE_FOLDER).iterdir()}
    before_outputs = outputs(sample_project / "output")
    (sample_project / "manuscript" / "9-broken.md").write_bytes(b"# Broken\n\n\xff\xfe not UTF-8\n")
    with pytest.raises(Exception, match="not valid UTF-8"):
        build(sample_project, FAST)
    after = {p.name: p.read_bytes() for p in (sample_project / "output" / CACHE_FOLDER).iterdir()}
    assert after == before and outputs(sample_project / "output") == before_outputs


def test_check_results_come_from_the_cache_until_an_input_changes(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    chapter = tmp_path / "manuscript" / "1-one.md"
    chapter.write_text("# DAY 1 — Tuesday, 7 March 2023\n\nShe left.\n", encoding="utf-8")
    assert build(tmp_path, FAST)[1] == []
    _, findings, session = build(tmp_path, FAST)
    assert findings == [] and session.cache is not None and session.cache.misses == 0
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n*Saturday, 9 March.* Rain.\n", encoding="utf-8")
    _, findings, _ = build(tmp_path, FAST)
    assert [f.code for f in findings] == ["D102"]


def test_a_cached_parse_equals_a_fresh_one(sample_project: Path) -> None:
    build(sample_project, FAST)
    cached = pipeline.story(sample_project)
    fresh = story_of(sample_project)
    assert cached.project == fresh.project and cached.timeline == fresh.timeline


def test_entries_of_texts_that_no_longer_exist_are_pruned(sample_project: Path) -> None:
    build(sample_project, FAST)
    cache_folder = sample_project / "output" / CACHE_FOLDER
    count = len(list(cache_folder.iterdir()))
    for step in range(3):
        chapter = sample_project / "manuscript" / "4-arrangements.md"
        chapter.write_text(chapter.read_text(encoding="utf-8") + f"\nEdit {step}.\n", encoding="utf-8")
        build(sample_project, FAST)
    assert len(list(cache_folder.iterdir())) == count


def test_stats_keeps_the_check_results(sample_project: Path) -> None:
    from typer.testing import CliRunner

    from toolkit.cli import app

    build(sample_project, FAST)
    assert CliRunner().invoke(app, ["stats", str(sample_project), "--format", "json"]).exit_code == 0
    _, _, session = build(sample_project, FAST)
    assert session.cache is not None and session.cache.misses == 0


def test_an_unwritable_cache_degrades_to_no_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "file-not-folder" / CACHE_FOLDER)
    (tmp_path / "file-not-folder").write_text("in the way", encoding="utf-8")
    assert cache.remember("parse", "k", lambda: 42, int) == 42
    cache.flush()  # must not raise
    assert cache.get("parse", "k", int) == (False, None)


# ---------------------------------------------------------------- random edits


def _random_edit(rng: random.Random, root: Path) -> str:
    sources = sorted((root / "manuscript").glob("*.md")) + sorted((root / "screenplay").glob("*.fountain"))
    kind = rng.choice(["append", "delete-paragraph", "swap-words", "config", "bible", "cache", "new-chapter"])
    if kind == "config":
        config = root / "fabula.toml"
        text = config.read_text(encoding="utf-8")
        title = f'title = "Crossing {rng.randrange(1000)}"'
        config.write_text("\n".join(title if ln.startswith("title =") else ln for ln in text.splitlines()) + "\n")
        return kind
    if kind == "bible":
        bible = root / "characters.yaml"
        bible.write_text(bible.read_text(encoding="utf-8") + f"\n# note {rng.randrange(1000)}\n", encoding="utf-8")
        return kind
    if kind == "cache":
        entries = sorted((root / "output" / CACHE_FOLDER).glob("*"))
        if entries:
            victim = rng.choice(entries)
            data = victim.read_bytes()
            position = rng.randrange(len(data))
            victim.write_bytes(data[:position] + bytes([data[position] ^ 0x55]) + data[position + 1 :])
        return kind
    if kind == "new-chapter":
        (root / "manuscript" / f"{rng.randrange(7, 20)}-extra.md").write_text(
            "# DAY 12 — Sunday, 7 January 2024\n\nMaren walked to the pier alone.\n", encoding="utf-8"
        )
        return kind
    path = rng.choice(sources)
    paragraphs = path.read_text(encoding="utf-8").split("\n\n")
    index = rng.randrange(1, len(paragraphs))
    if kind == "append":
        paragraphs.insert(index, "Callum said nothing for a long time, and then he laughed.")
    elif kind == "delete-paragraph" and len(paragraphs) > 3:
        del paragraphs[index]
    else:
        words = paragraphs[index].split(" ")
        rng.shuffle(words)
        paragraphs[index] = " ".join(words)
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return f"{kind} {path.name}"


def test_random_edits_then_incremental_equals_clean_byte_for_byte(sample_project: Path, tmp_path: Path) -> None:
    rng = random.Random(20261125)
    build(sample_project)
    for round_number in range(6):
        edits = [_random_edit(rng, sample_project) for _ in range(rng.randint(1, 3))]
        only = pipeline.TARGETS if round_number in (2, 5) else FAST  # EPUB and PDF twice: they are slow
        build(sample_project, only)
        clean = tmp_path / f"clean-{round_number}"
        build(sample_project, only, out=clean, cache=False)
        incremental = outputs(sample_project / "output")
        for name, data in outputs(clean).items():
            assert incremental[name] == data, f"round {round_number} after {edits}: {name} differs"
        if only == pipeline.TARGETS:  # the manuscript spliced from chapters is pandoc's whole book
            assert incremental["manuscript.docx"] == _whole_book_manuscript(sample_project, tmp_path)
        shutil.rmtree(clean)


def _whole_book_manuscript(root: Path, folder: Path) -> bytes:
    from toolkit.render.manuscript_docx import ManuscriptCover, whole_book_docx
    from toolkit.render.resources import book_images

    story = story_of(root)
    book, chapters = story.config.book, story.project.chapters
    cover = ManuscriptCover(contact=book.contact, surname=book.surname, font=book.manuscript_font)
    target = folder / "whole.docx"
    whole_book_docx(chapters, story.meta, target, cover, book_images(root, chapters).for_pandoc())
    return target.read_bytes()


def test_a_changed_cover_or_linked_image_rebuilds_the_book(tmp_path: Path) -> None:
    from PIL import Image

    def png(path: Path, colour: str) -> None:
        Image.new("RGB", (8, 8), colour).save(path, format="PNG")

    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "1.md").write_text("# One\n\n![The harbour](map.png)\n\nShe left.\n", encoding="utf-8")
    (tmp_path / "fabula.toml").write_text('[book]\ncover = "cover.png"\n', encoding="utf-8")
    png(tmp_path / "map.png", "blue")
    png(tmp_path / "cover.png", "red")
    build(tmp_path, ("book",))
    assert build(tmp_path, ("book",))[0].written == ()
    png(tmp_path / "map.png", "green")
    assert names(build(tmp_path, ("book",))[0].written) == ["book.epub", "book.pdf", "manuscript.docx"]
    png(tmp_path / "cover.png", "black")  # only the EPUB has a cover
    assert names(build(tmp_path, ("book",))[0].written) == ["book.epub"]


# ---------------------------------------------------------------- a shared cache is data, never code


class _Payload:
    """A pickle that runs a command when loaded (the attack on the pickled cache of fabula < issue 14)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def _doctor(entry: Path, payload: bytes) -> None:
    """Give ``entry`` another payload with a matching checksum, its header otherwise intact."""
    import hashlib
    import json

    data = entry.read_bytes()
    header_end = data.index(b"\n", len(MAGIC))
    header = json.loads(data[len(MAGIC) : header_end])
    header["sha256"] = hashlib.sha256(payload).hexdigest()
    entry.write_bytes(MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + payload)


def test_a_doctored_cache_entry_never_runs_code(sample_project: Path, tmp_path: Path) -> None:
    import pickle

    build(sample_project, FAST)
    marker = tmp_path / "pwned"
    entries = sorted((sample_project / "output" / CACHE_FOLDER).glob("*.entry"))
    for entry in entries:
        _doctor(entry, pickle.dumps(_Payload(marker)))
    _, _, session = build(sample_project, FAST)
    assert not marker.exists()
    assert session.cache is not None and session.cache.hits == 0  # every entry dropped, then rebuilt
    clean = tmp_path / "clean"
    build(sample_project, FAST, out=clean, cache=False)
    assert outputs(sample_project / "output") == outputs(clean)


def test_a_well_formed_entry_of_the_wrong_shape_is_dropped(sample_project: Path) -> None:
    build(sample_project, FAST)
    for entry in sorted((sample_project / "output" / CACHE_FOLDER).glob("*.entry")):
        _doctor(entry, b'[["not", "a"], {"ref": 99}, true, 1e999]')
    _, _, session = build(sample_project, FAST)
    assert session.cache is not None and session.cache.hits == 0


def test_an_entry_from_another_project_is_foreign(sample_project: Path, tmp_path: Path) -> None:
    """A cache copied along with a project (a shared folder, a committed output/) is not trusted."""
    build(sample_project, FAST)
    moved = tmp_path / "moved"
    shutil.copytree(sample_project, moved)
    _, _, session = build(moved, FAST)
    assert session.cache is not None and session.cache.hits == 0


def test_a_library_upgrade_is_not_answered_from_the_cache(sample_project: Path, monkeypatch) -> None:
    import toolkit.cache

    build(sample_project, FAST)
    versions = toolkit.cache.library_versions()
    assert versions["screenplain"] != "missing" and versions["typst"] != "missing"
    assert versions["markdown_it_py"] != "missing" and versions["pypandoc_binary"] != "missing"
    monkeypatch.setattr(toolkit.cache, "library_versions", lambda: {**versions, "screenplain": "99.0"})
    toolkit.cache.code_fingerprint.cache_clear()
    try:
        _, _, session = build(sample_project, FAST)
    finally:
        toolkit.cache.code_fingerprint.cache_clear()
    assert session.cache is not None and session.cache.hits == 0


def test_the_code_fingerprint_covers_the_package_data() -> None:
    """The lists of names and the fonts shape results as the code does: each is in the fingerprint
    (toolkit/cache.py), bytecode is not."""
    import toolkit.cache

    package = Path(toolkit.cache.__file__).resolve().parent
    names = {path.relative_to(package).as_posix() for path in toolkit.cache.fingerprinted_files(package)}
    assert {"resolve/data/given-names.txt", "resolve/data/female-given-names.txt"} <= names
    assert "fonts/CourierPrime-Regular.ttf" in names
    assert {"cache.py", "templates/outline.md.j2"} <= names
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
