"""Finding and reading source files: natural order, UTF-8, unknown files."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.errors import FabulaError
from toolkit.sources import natural_key, read_text, source_files


def test_natural_order_puts_2_before_10() -> None:
    names = ["10-end.md", "2-middle.md", "1-start.md", "part-2/1-a.md", "part-10/1-a.md"]
    assert sorted(names, key=natural_key) == [
        "1-start.md",
        "2-middle.md",
        "10-end.md",
        "part-2/1-a.md",
        "part-10/1-a.md",
    ]


def test_source_files_sorted_and_hidden_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "manuscript"
    folder.mkdir()
    for name in ("10-c.md", "2-b.md", "1-a.md", ".DS_Store", "3-d.md~"):
        (folder / name).write_text("x", encoding="utf-8")
    found = [p.name for p in source_files(tmp_path, "manuscript", (".md",))]
    assert found == ["1-a.md", "2-b.md", "10-c.md"]


def test_unknown_file_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    (tmp_path / "manuscript" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FabulaError, match=r"^manuscript/notes.txt: unknown file in manuscript/"):
        source_files(tmp_path, "manuscript", (".md",))


def test_bad_utf8_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("# One\n\nCaf\u00e9 ok\nbad \xff here\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    with pytest.raises(FabulaError) as caught:
        read_text(tmp_path, path)
    assert str(caught.value).startswith("a.md:4: not valid UTF-8 (byte 0xff at column 5)")


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbf# One\n")
    assert read_text(tmp_path, path) == "# One\n"


def test_read_text_drops_every_control_character_the_text_does(tmp_path: Path) -> None:
    """read_text tells from the file's bytes that a text holds no control character; where it
    holds one (or a byte that may start one), the text is cleaned as clean_text cleans it."""
    import unicodedata

    from toolkit.sources import _CONTROL, clean_text

    # Every character _CONTROL drops that UTF-8 can hold (not a lone surrogate): 29 C0 controls,
    # DEL and the 32 C1 controls, U+FFFE and U+FFFF; and those around them, which stay.
    controls = [chr(code) for code in [*range(0x00, 0xA1), 0xFFFD, 0xFFFE, 0xFFFF] if _CONTROL.match(chr(code))]
    others = [chr(code) for code in range(0x00, 0xA1) if chr(code) not in controls]
    others += ["", "plain", "£5 and «quotes»\u00a0here", "é and e\u0301", "\ufeffmark", "\ufffd", "\uffef\uffee"]
    others.append("x\t\r\n")
    for number, char in enumerate([*controls, *others]):
        for text in (f"a{char}b", char, f"{char}\n£"):
            path = tmp_path / f"{number}.md"
            path.write_bytes(text.encode("utf-8"))
            expected = unicodedata.normalize("NFC", clean_text(text.removeprefix("\ufeff")))
            assert read_text(tmp_path, path) == expected, repr(text)
    assert len(controls) == 29 + 1 + 32 + 2
