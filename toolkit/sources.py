"""A project's source files: where they are, in which order, their text as UTF-8, and a fixed text written back."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from toolkit.errors import FabulaError
from toolkit.model import Span

# The project's folders and files, by convention (no option moves them).
CONFIG_NAME = "fabula.toml"
MANUSCRIPT = "manuscript"
SCREENPLAY = "screenplay"
BIBLE = "characters.yaml"
CHAPTER_SUFFIXES = (".md", ".markdown")
SCENE_SUFFIXES = (".fountain",)


def natural_key(path: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts ``2-x`` before ``10-x``: digit runs compare as numbers."""
    parts = re.split(r"(\d+)", path.lower())
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in parts if part)


def source_files(root: Path, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
    """The files of ``root/folder`` (subfolders included) in natural order.

    Hidden files (``.DS_Store``, editor swap files) are skipped; any other file whose suffix is
    not one of ``suffixes`` is an error, so that a chapter saved as ``.txt`` is never silently
    left out of the book.
    """
    base = root / folder
    if not base.is_dir():
        return []
    found: list[Path] = []
    for path in base.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.name.endswith("~"):
            continue
        if path.suffix.lower() not in suffixes:
            raise FabulaError(
                f"unknown file in {folder}/: expected {' or '.join(suffixes)} files",
                path=relative.as_posix(),
            )
        found.append(path)
    return sorted(found, key=lambda p: natural_key(p.relative_to(root).as_posix()))


def read_text(root: Path, path: Path) -> str:
    """The file's text in NFC; a one-line error naming the file and line when it is not UTF-8."""
    relative = path.relative_to(root).as_posix()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FabulaError(f"cannot read file: {error.strerror}", path=relative) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise FabulaError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x} at column {column}); save the file as UTF-8",
            Span(relative, line, column),
        ) from None
    # NFC: a name typed as "Ze" + combining acute is the same name as "Zé", for the name
    # rules and the word counts alike.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


_BOM = b"\xef\xbb\xbf"


def holds(root: Path, relative: str, text: str) -> bool:
    """Whether the file says ``text`` byte for byte (a byte-order mark aside): not edited since
    it was read, and in NFC, which reading makes of every text."""
    try:
        return (root / relative).read_bytes().removeprefix(_BOM) == text.encode("utf-8")
    except OSError:
        return False


def write_source(root: Path, relative: str, text: str, before: str) -> bool:
    """Replace a source file's text (``fabula check --fix``): atomically, through a temporary
    file beside it renamed over it, so that a crash leaves the old text or the new, never half;
    the file keeps its permissions and its byte-order mark, if it had one. Only when the file
    still holds ``before`` byte for byte (not changed since it was read, and already in NFC,
    which reading makes of every text): False, and the file left alone, otherwise."""
    path = root / relative
    try:
        data = path.read_bytes()
        bom = data.startswith(_BOM)
        if data.removeprefix(_BOM) != before.encode("utf-8"):
            return False
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write((_BOM if bom else b"") + text.encode("utf-8"))
            shutil.copymode(path, temp)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except OSError as error:
        raise FabulaError(f"cannot write file: {error.strerror}", path=relative) from None
    return True
