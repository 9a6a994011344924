"""The incremental cache at the pipeline's edge: parses, check results and outputs under output/.cache/.

Every cache entry is one file: a header naming the cache format, the cache's fingerprint (fabula's
own code, the versions of the libraries and the pandoc binary that shape a result, the project's
folder), the entry's key and the SHA-256 of its payload, then the payload: JSON of plain records
written and read by toolkit/codec.py, checked field by field against the model's types. Nothing in
an entry is ever run (no pickle, no eval): an entry whose header, key, checksum or shape does not
match (damaged, from another version or another project, doctored) is deleted and recomputed,
never trusted. Keys are content hashes, never timestamps: an edit that restores a file's old text
finds the old entry again, and a touched-but-unchanged file costs nothing.

Outputs are skipped when the key of everything they were made from (declared source folders,
extra files such as a cover, fabula.toml, the metadata, the fingerprint) equals the key recorded
when they were written, and the file on disk still has the SHA-256 recorded then.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from toolkit import __version__
from toolkit.codec import decode, encode
from toolkit.diagnostics import Diagnostic
from toolkit.digests import digest
from toolkit.model import Chapter, Character, Screenplay, ScreenplayPart
from toolkit.sources import CONFIG_NAME

if TYPE_CHECKING:
    from toolkit.config import Config
    from toolkit.metadata import Metadata
    from toolkit.render.products import Product

CACHE_FOLDER = ".cache"
FORMAT = 2  # bump when the layout of an entry changes (1: pickles, never read again)
MAGIC = b"fabula-cache\n"
SUFFIX = ".entry"
MANIFEST = "manifest"
T = TypeVar("T")

# What each kind of entry holds: the type its payload is read back as (toolkit/codec.py).
PARSES: dict[str, Any] = {
    "chapters": tuple[Chapter, ...],
    "screenplay": Screenplay,
    "scene": ScreenplayPart,  # one scene file ("scene/first": the one that may hold the title page)
    "bible": tuple[Character, ...],
}
FINDINGS = list[Diagnostic]
RECORDED = dict[str, tuple[str, str]]  # output name -> (input key, output SHA-256)

# The distributions whose versions shape a parse, a finding or an output; their upgrade must
# not be answered from an older run's cache.
LIBRARIES = (
    "screenplain",
    "markdown_it_py",
    "mdit_py_plugins",
    "pyyaml",
    "babel",  # month and weekday names of every language (CLDR): day markers
    "wordfreq",
    "ftfy",
    "rapidfuzz",
    "msgpack",
    "jinja2",
    "markupsafe",
    "pypandoc_binary",
    "typst",
    "reportlab",
    "python_docx",
)


@functools.cache
def code_fingerprint() -> str:
    """A hash of fabula's version and code, Python's version, and the libraries that shape results.

    A changed parser or model (even in an editable install whose version did not move), a newer
    screenplain, Typst or pandoc: none must ever be answered from an older run.
    """
    package = Path(__file__).resolve().parent
    files = fingerprinted_files(package)
    # zlib's version too: a build copies the compressed files of the EPUB it wrote (render/epub.py).
    parts: list[str | bytes] = [__version__, f"{sys.version_info[0]}.{sys.version_info[1]}", str(FORMAT)]
    parts.append(f"zlib {zlib.ZLIB_RUNTIME_VERSION}")
    parts += [f"{name}={version}" for name, version in library_versions().items()]
    parts.append(_pandoc_binary())
    for path in files:
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


def fingerprinted_files(package: Path) -> list[Path]:
    """Every file of the package but Python's bytecode: the code, the templates, and the data that
    shapes results as code does (the lists of names the name rules read, the fonts of the PDFs),
    ~1 ms more to read than the code alone. A new list of names must not be answered from a check
    made with the old one."""
    return sorted(path for path in package.rglob("*") if path.is_file() and "__pycache__" not in path.parts)


def library_versions() -> dict[str, str]:
    """The installed version of each of LIBRARIES ("missing" when not found), from the names of the
    ``*.dist-info`` folders on sys.path: a folder listing, not importlib.metadata (0.1 s to import)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name[: -len(".dist-info")].partition("-")
                found.setdefault(project.lower().replace("-", "_").replace(".", "_"), version)
    return {name: found.get(name, "missing") for name in LIBRARIES}


def _pandoc_binary() -> str:
    """The pandoc binary pypandoc-binary ships, by size and time: a replaced binary is a new one."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("pypandoc")
    except (ImportError, ValueError):  # fabula-check, the light install, keeps pandoc out
        return "pandoc missing"
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for name in ("pandoc", "pandoc.exe"):
            with contextlib.suppress(OSError):
                stat = (Path(folder) / "files" / name).stat()
                return f"pandoc {stat.st_size} {stat.st_mtime_ns}"
    return "pandoc missing"


@dataclass
class Cache:
    """The entries of one output folder's cache; every method degrades to "no cache" on an OSError."""

    folder: Path
    project: str = ""  # the project folder, resolved: an entry from another project is foreign
    sources: dict[str, str] = field(default_factory=dict)  # input path -> SHA-256 of its text
    used: set[str] = field(default_factory=set)  # entry file names read or written this run
    pending: dict[Path, bytes] = field(default_factory=dict)  # written by flush(), after a run succeeds
    hits: int = 0
    misses: int = 0
    usable: bool = True  # False: the folder is a link (planted in a shared output/): never read or written

    @classmethod
    def open(cls, output: Path, root: Path) -> Cache:
        cache = cls(output / CACHE_FOLDER, str(root.resolve()))
        cache.usable = not cache.folder.is_symlink()
        config = root / CONFIG_NAME
        with contextlib.suppress(OSError):
            cache.sources[CONFIG_NAME] = digest(config.read_bytes()) if config.is_file() else "none"
        return cache

    # ------------------------------------------------------------ entries

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key[:40]}{SUFFIX}"

    def get(self, kind: str, key: str, of: Any) -> tuple[bool, Any]:
        """(True, value) from a sound entry holding an ``of``; (False, None) when missing, damaged,
        foreign or stale."""
        path = self._path(kind, key)
        try:
            if not self.usable or path.is_symlink():  # a link leads out of the cache: not ours to read
                raise FileNotFoundError(path)
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return False, None
        found, value = _decode(data, self._header(kind, key), of)
        if not found:
            with contextlib.suppress(OSError):
                path.unlink()
            self.misses += 1
            return False, None
        self.used.add(path.name)
        self.hits += 1
        return True, value

    def holds(self, kind: str, key: str) -> bool:
        """Whether an entry for ``key`` is there to read (a file, not a link), without reading it:
        ``get`` may still find it unsound."""
        try:
            return self.usable and stat.S_ISREG(os.lstat(self._path(kind, key)).st_mode)
        except OSError:
            return False

    def put(self, kind: str, key: str, value: Any, of: Any) -> None:
        path = self._path(kind, key)
        try:
            payload = json.dumps(encode(value, of), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except (TypeError, ValueError):  # a value the codec cannot write: kept out of the cache
            return
        header = {**self._header(kind, key), "sha256": hashlib.sha256(payload).hexdigest()}
        self.pending[path] = MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + payload
        self.used.add(path.name)

    def _header(self, kind: str, key: str) -> dict[str, Any]:
        return {"format": FORMAT, "code": code_fingerprint(), "project": self.project, "kind": kind, "key": key}

    def flush(self) -> None:
        """Write the new entries and drop unused ones; a run that failed never calls this, so a
        failed build leaves the output folder as it was."""
        if not self.usable:
            self.pending.clear()
            return
        try:
            if self.pending:
                self.folder.mkdir(parents=True, exist_ok=True)
            for path, data in sorted(self.pending.items()):
                _write_atomically(path, data)
        except OSError:
            return  # a read-only output folder makes the cache useless, not the command
        finally:
            self.pending.clear()
        self.prune()

    def remember(self, kind: str, key: str, compute: Callable[[], T], of: Any) -> T:
        """The entry's value, or ``compute()`` (kept for flush) when there is no sound entry."""
        found, value = self.get(kind, key, of)
        if found:
            return value
        value = compute()
        self.put(kind, key, value, of)
        return value

    def prune(self) -> None:
        """Delete entries of the kinds this run used that it did not use itself: parses of texts
        that no longer exist, check results of older texts. A run that never checked (``fabula
        stats``) keeps the check results."""
        kinds = {name.split("-", 1)[0] for name in self.used} - {MANIFEST}
        try:
            entries = list(self.folder.glob(f"*{SUFFIX}"))
        except OSError:
            return
        for path in entries:
            if path.name not in self.used and path.name.split("-", 1)[0] in kinds:
                with contextlib.suppress(OSError):
                    path.unlink()

    # ------------------------------------------------------------ keys

    def memo(self, kind: str, sources: tuple[tuple[str, str], ...], parse: Callable[[], T]) -> T:
        """The loader's memo hook: a parse keyed by the texts (and paths) it was made from."""
        for path, text in sources:
            self.sources[path] = digest(text)
        key = digest(code_fingerprint(), kind, *(part for source in sources for part in source))
        # "chapters/fr": chapters parsed with French day markers, still chapters.
        return self.remember("parse", key, parse, PARSES[kind.partition("/")[0]])

    def inputs_digest(self, folders: Iterable[str] | None = None) -> str:
        """A hash over every input read so far (fabula.toml always), or those under ``folders``."""
        wanted = None if folders is None else tuple(folders)
        chosen = [
            (path, sha)
            for path, sha in sorted(self.sources.items())
            if wanted is None or path == CONFIG_NAME or any(path == f or path.startswith(f + "/") for f in wanted)
        ]
        return digest(code_fingerprint(), *(part for item in chosen for part in item))


def _decode(data: bytes, expected: dict[str, Any], of: Any) -> tuple[bool, Any]:
    """(True, value) when ``data`` is a sound entry with the ``expected`` header holding an ``of``."""
    if not data.startswith(MAGIC):
        return False, None
    header_end = data.find(b"\n", len(MAGIC))
    if header_end < 0:
        return False, None
    payload = data[header_end + 1 :]
    try:
        header = json.loads(data[len(MAGIC) : header_end])
        if not isinstance(header, dict) or any(header.get(name) != value for name, value in expected.items()):
            return False, None
        if header.get("sha256") != hashlib.sha256(payload).hexdigest():
            return False, None
        return True, decode(json.loads(payload), of)
    except (ValueError, RecursionError):  # not JSON, too deep, or not the shape of an ``of`` (CodecError)
        return False, None


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def file_sha256(path: Path) -> str | None:
    """The file's SHA-256; None when it is missing, unreadable or a link (an output replaced by a
    link to another file is not ours: it is rebuilt, and the file it names is never read)."""
    try:
        if path.is_symlink():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


# ---------------------------------------------------------------- outputs


@dataclass
class OutputCache:
    """Which outputs of an output folder are still what their inputs would give."""

    cache: Cache
    settings: str  # the config and metadata the outputs are made with, as one string
    recorded: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (input key, output sha)

    @classmethod
    def open(cls, cache: Cache, config: Config, meta: Metadata) -> OutputCache:
        found, value = cache.get(MANIFEST, "outputs", RECORDED)
        recorded = value if found else {}
        return cls(cache, repr(config) + "\n" + repr(meta), dict(recorded))

    def key(self, product: Product) -> str:
        extra = [part for path in product.files for part in (str(path), file_sha256(path) or "missing")]
        return digest("product", product.name, self.cache.inputs_digest(product.sources), self.settings, *extra)

    def fresh(self, product: Product, target: Path) -> bool:
        entry = self.recorded.get(product.name)
        return entry is not None and entry[0] == self.key(product) and file_sha256(target) == entry[1]

    def record(self, product: Product, target: Path) -> None:
        sha = file_sha256(target)
        if sha is not None:
            self.recorded[product.name] = (self.key(product), sha)

    def save(self) -> None:
        self.cache.put(MANIFEST, "outputs", dict(sorted(self.recorded.items())), RECORDED)
