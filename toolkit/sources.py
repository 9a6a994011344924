"""A project's source files: where they are, in which order, their text as UTF-8, and a fixed text written back."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
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

# Control characters (Unicode Cc, but tab and the line endings), the non-characters U+FFFE and
# U+FFFF, and lone surrogates (a YAML or TOML escape can make one): invisible in any editor,
# forbidden in XML (so in FDX, EPUB and DOCX), not UTF-8, or read as line breaks by some tools
# and not others. A form feed from an old word processor, a NUL from a
# UTF-16 file saved without its mark: fabula drops them where text comes in.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_DROP = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
)


# The bytes of UTF-8 that hold one of _CONTROL's characters: a C0 control or DEL is one such
# byte; a C1 control (U+0080-U+009F) starts with 0xC2; U+FFFE and U+FFFF are EF BF BE and EF BF
# BF. (A lone surrogate is no valid UTF-8: a decoded file holds none.)
_CONTROL_BYTES = bytes(code for code in _DROP if code < 0x80)
_MAYBE_CONTROL = (b"\xc2", b"\xef\xbf\xbe", b"\xef\xbf\xbf")


def clean_text(text: str) -> str:
    """``text`` without control characters (tab and line endings kept): see _CONTROL."""
    return text.translate(_DROP) if _CONTROL.search(text) else text


def _clean_utf8(data: bytes, text: str) -> str:
    """``clean_text(text)``, where ``text`` is ``data`` decoded from UTF-8: the bytes tell in one
    C pass (deleting the control bytes) that most files hold no control character, which
    _CONTROL's search of the text took three times as long to tell (a 1M-word book: ~50 ms)."""
    if len(data.translate(None, _CONTROL_BYTES)) == len(data) and not any(sign in data for sign in _MAYBE_CONTROL):
        return text
    return clean_text(text)


def inside_project(root: Path, path: Path, what: str = "file", real_root: Path | None = None) -> Path:
    """``path`` with every link followed, when that is inside the project folder ``root``.

    The project is fabula's sandbox: its sources, and the images, stylesheets, fonts and covers
    they name, are read from inside it only, so that a shared project cannot have a link to
    ``/etc/passwd`` or to a file in the reader's home printed in its book. Anything else is a
    one-line error naming the file and the rule. ``real_root``: ``root`` with its links
    followed, when the caller has it already (a folder's files checked one by one).
    """
    shown = _shown(root, path)
    try:
        real, real_root = path.resolve(), real_root or root.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise FabulaError(f"cannot follow the links to this {what}", path=shown) from None
    if real != real_root and real_root not in real.parents:
        raise FabulaError(
            f"this {what} is outside the project folder (it leads to {real}); fabula reads sources, images, "
            "stylesheets, fonts and covers only from inside the project",
            path=shown,
        )
    return real


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


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
    inside_project(root, base, "folder")  # before walking it: a link to / would be walked whole
    inside = Sandbox(root).check

    found: list[tuple[tuple[tuple[int, int | str], ...], Path]] = []
    for path in base.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.name.endswith("~"):
            continue
        inside(path)
        if path.suffix.lower() not in suffixes:
            raise FabulaError(
                f"unknown file in {folder}/: expected {' or '.join(suffixes)} files",
                path=relative.as_posix(),
            )
        found.append((natural_key(relative.as_posix()), path))
    return [path for _, path in sorted(found, key=lambda item: item[0])]


class Sandbox:
    """``inside_project`` for many files of one project, its links followed once a folder.

    A file that is no link is where its folder really is: the folder's links are followed once
    for all its files. A link, or a file of a folder that leads out, is checked whole (and is
    an error when it leads out)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.folders: dict[Path, bool] = {}  # a folder -> whether its links lead inside the project

    def check(self, path: Path) -> None:
        if not path.is_symlink():
            folder_inside = self.folders.get(path.parent)
            if folder_inside is None:
                try:
                    real = path.parent.resolve()
                    folder_inside = real == self.real_root or self.real_root in real.parents
                except (OSError, RuntimeError):
                    folder_inside = False
                self.folders[path.parent] = folder_inside
            if folder_inside:
                return
        inside_project(self.root, path, real_root=self.real_root)


def read_text(root: Path, path: Path, sandbox: Sandbox | None = None) -> str:
    """The file's text in NFC without control characters; a one-line error naming the file and
    line when it is not UTF-8, or not inside the project once links are followed. ``sandbox``:
    the project's, when the caller reads many of its files (each folder's links followed once)."""
    relative = _shown(root, path)
    if sandbox is None:
        inside_project(root, path)
    else:
        sandbox.check(path)
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
    text = _clean_utf8(data, text)
    # NFC: a name typed as "Ze" + combining acute is the same name as "Zé", for the name
    # rules and the word counts alike.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


@dataclass
class Reads:
    """Files' texts as read before, for a face that reads the project again and again (the
    language server): a file whose identity and stamp (device, inode, size, modification time
    in nanoseconds, links followed) are as they were is not read again. A file replaced, a link
    pointed elsewhere, or one written since has another stamp and is read, and checked, anew."""

    texts: dict[Path, tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)
    used: dict[Path, tuple[tuple[int, int, int, int], str]] = field(default_factory=dict)
    # A folder's listing (source_files), with the stamp of every folder under it when it was
    # made: a file added, removed, renamed or replaced (by a link too) changes its folder's stamp.
    listings: dict[tuple[Path, str], tuple[dict[str, tuple[int, int, int]], list[Path]]] = field(default_factory=dict)

    def files(self, root: Path, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
        """``source_files(root, folder, suffixes)``, listed again only when a folder under it
        changed. A file whose link now leads elsewhere is still checked when it is read (``text``)."""
        key = (root, folder)
        known = self.listings.get(key)
        if known is not None and _folder_stamps(root / folder) == known[0]:
            return list(known[1])
        stamps = _folder_stamps(root / folder)
        found = source_files(root, folder, suffixes)
        self.listings[key] = (stamps, found)
        return list(found)

    def text(self, root: Path, path: Path) -> str:
        try:
            stat = path.stat()
        except OSError:
            return read_text(root, path)  # the one-line error
        stamp = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        known = self.texts.get(path)
        text = known[1] if known is not None and known[0] == stamp else read_text(root, path)
        self.used[path] = (stamp, text)
        return text

    def forget_unused(self) -> None:
        """Keep only the texts read since the last call: files deleted are let go."""
        self.texts, self.used = self.used, {}


def _folder_stamps(base: Path) -> dict[str, tuple[int, int, int]]:
    """(device, inode, modification time in ns) of ``base`` and every folder under it, links
    not followed; empty when there is no such folder."""
    stamps: dict[str, tuple[int, int, int]] = {}
    for folder, _, _ in os.walk(base):
        try:
            stat = os.lstat(folder)
        except OSError:
            continue
        stamps[folder] = (stat.st_dev, stat.st_ino, stat.st_mtime_ns)
    return stamps


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
    inside_project(root, path)
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
