"""The incremental cache at the pipeline's edge: parses, check results and outputs under output/.cache/.

Every cache entry is one file: a header naming the cache format, a fingerprint of fabula's own
code, the entry's key and the SHA-256 of its payload, then the payload (a pickle of our frozen
dataclasses). An entry whose header, key or checksum does not match is deleted and recomputed,
never trusted. Keys are content hashes, never timestamps: an edit that restores a file's old text
finds the old entry again, and a touched-but-unchanged file costs nothing.

Outputs are skipped when the key of everything they were made from (declared source folders,
extra files such as a cover, fabula.toml, the metadata, fabula's code) equals the key recorded
when they were written, and the file on disk still has the SHA-256 recorded then.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from toolkit import __version__
from toolkit.sources import CONFIG_NAME

if TYPE_CHECKING:
    from toolkit.config import Config
    from toolkit.metadata import Metadata
    from toolkit.render.products import Product

CACHE_FOLDER = ".cache"
FORMAT = 1  # bump when the layout of an entry changes
MAGIC = b"fabula-cache\n"
SUFFIX = ".entry"
MANIFEST = "manifest"
T = TypeVar("T")


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """A hash of fabula's version, Python's version and every module and template of the package.

    Cached parses are pickles of our dataclasses: a changed parser or model (even in an editable
    install whose version did not move) must never be answered from an older run.
    """
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".css", ".toml", ".lua"})
    parts: list[str | bytes] = [__version__, f"{sys.version_info[0]}.{sys.version_info[1]}", str(FORMAT)]
    for path in files:
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts)


@dataclass
class Cache:
    """The entries of one output folder's cache; every method degrades to "no cache" on an OSError."""

    folder: Path
    sources: dict[str, str] = field(default_factory=dict)  # input path -> SHA-256 of its text
    used: set[str] = field(default_factory=set)  # entry file names read or written this run
    pending: dict[Path, bytes] = field(default_factory=dict)  # written by flush(), after a run succeeds
    hits: int = 0
    misses: int = 0

    @classmethod
    def open(cls, output: Path, root: Path) -> Cache:
        cache = cls(output / CACHE_FOLDER)
        config = root / CONFIG_NAME
        with contextlib.suppress(OSError):
            cache.sources[CONFIG_NAME] = digest(config.read_bytes()) if config.is_file() else "none"
        return cache

    # ------------------------------------------------------------ entries

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key[:40]}{SUFFIX}"

    def get(self, kind: str, key: str) -> tuple[bool, Any]:
        """(True, value) from a sound entry; (False, None) when missing, corrupt or stale."""
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return False, None
        value = _decode(data, kind, key)
        if value is _BAD:
            with contextlib.suppress(OSError):
                path.unlink()
            self.misses += 1
            return False, None
        self.used.add(path.name)
        self.hits += 1
        return True, value

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        header = {"format": FORMAT, "code": code_fingerprint(), "kind": kind, "key": key}
        header["sha256"] = hashlib.sha256(payload).hexdigest()
        self.pending[path] = MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + payload
        self.used.add(path.name)

    def flush(self) -> None:
        """Write the new entries and drop unused ones; a run that failed never calls this, so a
        failed build leaves the output folder as it was."""
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

    def remember(self, kind: str, key: str, compute: Callable[[], T]) -> T:
        found, value = self.get(kind, key)
        if found:
            return value
        value = compute()
        self.put(kind, key, value)
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
        return self.remember("parse", key, parse)

    def inputs_digest(self, folders: Iterable[str] | None = None) -> str:
        """A hash over every input read so far (fabula.toml always), or those under ``folders``."""
        wanted = None if folders is None else tuple(folders)
        chosen = [
            (path, sha)
            for path, sha in sorted(self.sources.items())
            if wanted is None or path == CONFIG_NAME or any(path == f or path.startswith(f + "/") for f in wanted)
        ]
        return digest(code_fingerprint(), *(part for item in chosen for part in item))


_BAD = object()


def _decode(data: bytes, kind: str, key: str) -> Any:
    if not data.startswith(MAGIC):
        return _BAD
    header_end = data.find(b"\n", len(MAGIC))
    if header_end < 0:
        return _BAD
    try:
        header = json.loads(data[len(MAGIC) : header_end])
    except ValueError:
        return _BAD
    payload = data[header_end + 1 :]
    expected = {"format": FORMAT, "code": code_fingerprint(), "kind": kind, "key": key}
    if not isinstance(header, dict) or any(header.get(name) != value for name, value in expected.items()):
        return _BAD
    if header.get("sha256") != hashlib.sha256(payload).hexdigest():
        return _BAD
    try:
        return pickle.loads(payload)  # our own checksummed file, written by this code
    except Exception:  # a payload that passes the checksum yet does not load is still only a miss
        return _BAD


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
    try:
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
        found, value = cache.get(MANIFEST, "outputs")
        recorded = value if found and isinstance(value, dict) else {}
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
        self.cache.put(MANIFEST, "outputs", dict(sorted(self.recorded.items())))
