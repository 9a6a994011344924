"""What an edit build no longer does twice or from scratch (issue 16, the edit build's tail):
whether the book may fetch an image or raw HTML is asked once a build, and the EPUB's files whose
text is the same as in the EPUB the last build wrote are not compressed again (their compressed
bytes are copied: the same bytes); a chapter without a "[" is not searched for references."""

from __future__ import annotations

import toolkit.parallel
import toolkit.render.pandoc
from tests.conftest import chapter_of
from toolkit import pipeline


def test_may_fetch_is_worked_out_once_for_the_chapters_of_a_build(monkeypatch) -> None:
    looked = []
    real = toolkit.render.pandoc._may_fetch
    monkeypatch.setattr(toolkit.render.pandoc, "_may_fetch", lambda found: looked.append(1) or real(found))
    chapters = (chapter_of("# One\n\nA ![lamp](lamp.png) burned.\n"), chapter_of("# Two\n\nDark.\n"))
    assert toolkit.render.pandoc.may_fetch(chapters) and toolkit.render.pandoc.may_fetch(chapters)
    assert len(looked) == 1
    others = (chapter_of("# One\n\nA lamp burned.\n"), chapter_of("# Two\n\nDark.\n"))
    assert not toolkit.render.pandoc.may_fetch(others) and len(looked) == 2
    assert toolkit.render.pandoc.may_fetch(list(chapters)) and len(looked) == 3  # a list may change


def test_a_book_build_asks_whether_pandoc_may_fetch_once(sample_project, monkeypatch) -> None:
    looked = []
    real = toolkit.render.pandoc._may_fetch
    monkeypatch.setattr(toolkit.render.pandoc, "_may_fetch", lambda found: looked.append(1) or real(found))
    monkeypatch.setattr(toolkit.parallel, "can_fork", lambda: False)  # every product renders here
    pipeline.build(sample_project, targets=("book",))
    assert len(looked) == 1


# ---------------------------------------------------------------- the EPUB's compressed files


def _zip(entries, kept=None) -> bytes:
    """A zip of (name, data, compress_type) written by writestr (``kept`` None) or write_entry."""
    import io
    import zipfile

    from toolkit.render.epub import write_entry

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data, compress_type in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 3, 1, 12, 0, 0))
            info.compress_type = compress_type
            if kept is None:
                archive.writestr(info, data)
            else:
                write_entry(archive, info, data, kept)
    return out.getvalue()


def test_write_entry_copies_compressed_bytes_and_writes_what_writestr_writes(tmp_path) -> None:
    import hashlib
    import zipfile

    from toolkit.render.epub import deflated_entries

    text = "".join(f"<p>The boats came in, {n} of them, before the storm.</p>\n" for n in range(3000)).encode()
    entries = [
        ("mimetype", b"application/epub+zip", zipfile.ZIP_STORED),
        ("EPUB/text/ch001.xhtml", text, zipfile.ZIP_DEFLATED),
        ("EPUB/text/ch002.xhtml", text[::-1], zipfile.ZIP_DEFLATED),
        ("EPUB/text/chapître.xhtml", "Noël à Paris\n".encode() * 50, zipfile.ZIP_DEFLATED),
        ("EPUB/empty.css", b"", zipfile.ZIP_DEFLATED),
    ]
    first = _zip(entries)
    path = tmp_path / "book.epub"
    path.write_bytes(first)
    kept = deflated_entries(path, hashlib.sha256(first).hexdigest())
    assert set(kept) == {"EPUB/text/ch001.xhtml", "EPUB/text/ch002.xhtml", "EPUB/text/chapître.xhtml", "EPUB/empty.css"}
    assert deflated_entries(path, "0" * 64) == {}  # not the file recorded: nothing is copied from it
    assert _zip(entries, kept) == first
    # A file whose text changed is compressed again; one whose kept bytes are another's too.
    changed = [*entries[:2], ("EPUB/text/ch002.xhtml", text + b"<p>More.</p>\n", zipfile.ZIP_DEFLATED), *entries[3:]]
    assert _zip(changed, kept) == _zip(changed)
    swapped = {**kept, "EPUB/text/ch001.xhtml": kept["EPUB/text/ch002.xhtml"]}
    assert _zip(entries, swapped) == first
    assert _zip(entries, {name: b"\x00garbage" for name in kept}) == first


def test_an_edit_compresses_only_the_epub_files_it_changed(sample_project, monkeypatch) -> None:
    import zipfile

    monkeypatch.setattr(toolkit.parallel, "can_fork", lambda: False)  # every product renders here
    compressed: list[str] = []
    real = zipfile.ZipFile.writestr

    def writestr(archive, info, data, *args, **kwargs):
        name = info.filename if isinstance(info, zipfile.ZipInfo) else info
        if name.startswith("EPUB/") and archive.filename and archive.filename.endswith("book.epub"):
            compressed.append(name)
        return real(archive, info, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)
    pipeline.build(sample_project, targets=("book",))
    everything = set(compressed)
    assert len(everything) > 8
    edited = sample_project / "manuscript" / "3-hogmanay.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe boats came in late.\n", encoding="utf-8")
    compressed.clear()
    pipeline.build(sample_project, targets=("book",))
    assert len(compressed) == 1 and compressed[0].startswith("EPUB/text/ch")  # the edited chapter's file
    clean = sample_project.parent / "clean"
    pipeline.build(sample_project, out=clean, targets=("book",), use_cache=False)
    assert (sample_project / "output" / "book.epub").read_bytes() == (clean / "book.epub").read_bytes()
    # A book.epub changed since it was written is not the one recorded: nothing is copied from it.
    epub = sample_project / "output" / "book.epub"
    epub.write_bytes(epub.read_bytes() + b"\0")
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAnd left early.\n", encoding="utf-8")
    compressed.clear()
    pipeline.build(sample_project, targets=("book",))
    assert set(compressed) == everything
    pipeline.build(sample_project, out=clean, targets=("book",), use_cache=False)
    assert epub.read_bytes() == (clean / "book.epub").read_bytes()


def test_chapters_without_brackets_are_not_searched_for_references(monkeypatch) -> None:

    searched: list[str] = []
    real = toolkit.render.pandoc._BRACKETED

    class Spy:
        def findall(self, text: str) -> list[str]:
            searched.append(text)
            return real.findall(text)

    monkeypatch.setattr(toolkit.render.pandoc, "_BRACKETED", Spy())
    plain = chapter_of("# One\n\nThe lamp burned all night.\n")
    linking = chapter_of("# Two\n\nSee [One].\n")
    assert toolkit.render.pandoc._references_across([plain, linking])
    assert searched == ["See [One]."]
    assert not toolkit.render.pandoc._references_across([plain, chapter_of("# Two\n\nDark.\n")])
    assert len(searched) == 1  # the chapters without a "[" were not searched


# ---------------------------------------------------------------- pandoc started before the cache is read


def test_an_edit_starts_pandoc_before_reading_the_other_chapters_parts(sample_project, monkeypatch) -> None:
    import toolkit.render.chapters as chapters_module
    from tests.test_incremental import build, outputs

    build(sample_project, ("book",))
    events: list[str] = []
    real_start = chapters_module._start_chapters
    monkeypatch.setattr(
        chapters_module, "_start_chapters", lambda *a, **k: events.append(f"pandoc {len(a[1])}") or real_start(*a, **k)
    )
    real_begin = chapters_module.BookParts.begin

    def begin(parts, *conversions, early=None):
        lookup = parts.lookup
        if lookup is not None and not getattr(parts, "spied", False):
            parts.spied = True
            parts.lookup = lambda conversion, key: events.append("read") or lookup(conversion, key)
        return real_begin(parts, *conversions, early=early)

    monkeypatch.setattr(chapters_module.BookParts, "begin", begin)
    edited = sample_project / "manuscript" / "3-hogmanay.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe lamps went out one by one.\n", encoding="utf-8")
    _, _, second = build(sample_project, ("book",))
    chapters = len(list((sample_project / "manuscript").glob("*.md")))
    assert events[0] == "pandoc 1" and events[1:] == ["read"] * (3 * (chapters - 1))
    assert second.parts.converted == 3
    clean = sample_project / "clean"
    build(sample_project, ("book",), out=clean, cache=False)
    assert outputs(clean) == outputs(sample_project / "output")


def test_a_chapter_part_that_cannot_be_read_goes_to_pandoc_too(sample_project) -> None:
    from tests.test_edit_build import _damage
    from tests.test_incremental import build, outputs

    build(sample_project, ("book",))
    edited = sample_project / "manuscript" / "3-hogmanay.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe lamps went out one by one.\n", encoding="utf-8")
    chapters = len(list((sample_project / "manuscript").glob("*.md")))
    assert _damage(sample_project, "chapter") == 3 * chapters  # there, but none can be read
    _, _, second = build(sample_project, ("book",))
    assert second.parts.converted == 3 * chapters
    clean = sample_project / "clean"
    build(sample_project, ("book",), out=clean, cache=False)
    assert outputs(clean) == outputs(sample_project / "output")


# ---------------------------------------------------------------- no worker forked for the checks while others work


def _forks_for_each(monkeypatch) -> list[str]:
    """Where ``parallel.each`` forks a worker from, as it happens (every text counts as large):
    "checks" for the checks' own (not the loader's parses)."""
    import inspect

    forked: list[str] = []
    real = toolkit.parallel._fork

    def fork() -> int:
        frames = [frame.function for frame in inspect.stack()[1:]]
        if "each" in frames:
            forked.append("checks" if "run_checks" in frames else frames[frames.index("each") + 1])
        return real()

    monkeypatch.setattr(toolkit.parallel, "_fork", fork)
    monkeypatch.setattr(toolkit.parallel, "CONCURRENT_CHARACTERS", 0)
    return forked


def test_the_checks_fork_no_worker_of_their_own_while_the_build_runs_pandoc(sample_project, monkeypatch) -> None:

    assert toolkit.parallel.can_fork()
    forked = _forks_for_each(monkeypatch)
    pipeline.check(sample_project)  # words counted by the checks (with --no-cache, by the parse)
    assert "checks" in forked  # on its own, the check shares its work with a worker
    alone = sorted(pipeline.check(sample_project, use_cache=False)[1])
    forked.clear()
    built = pipeline.build(sample_project, out=sample_project.parent / "a")  # the checks run while pandoc converts
    assert "checks" not in forked
    assert sorted(built.findings) == alone
    forked.clear()
    built = pipeline.build(sample_project, targets=("outline", "report"), out=sample_project.parent / "b")
    assert "checks" not in forked
    assert sorted(built.findings) == alone


def test_each_runs_its_jobs_in_order_inside_in_order(monkeypatch) -> None:
    forked = _forks_for_each(monkeypatch)
    jobs = [lambda n=n: n * n for n in range(5)]
    with toolkit.parallel.in_order():
        assert toolkit.parallel.each(jobs) == [0, 1, 4, 9, 16]
    assert forked == []
    assert toolkit.parallel.each(jobs) == [0, 1, 4, 9, 16] and forked  # outside, a worker shares them
