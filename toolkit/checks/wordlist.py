"""Word frequencies from wordfreq's "small" lists, read without importing the wordfreq module.

The name rules ask one thing of wordfreq: how common a single capitalised word is. Importing
``wordfreq`` to ask it costs ~0.1 s (langcodes' tables, ftfy, and the regex tokenizer's big
Unicode patterns), more than the rest of the checks on a feature-length script. Its word
lists are plain data shipped inside the package, in the "cBpack" format its ``read_cBpack``
documents: a gzipped msgpack list whose first item is the header ``{"format": "cB",
"version": 1}`` and whose item ``i`` after it holds the words of frequency ``10 ** (-i / 100)``.
We read that with msgpack (the library wordfreq itself reads it with) and do the lookup as
wordfreq's ``zipf_frequency`` does it.

Only where the answer cannot differ: a word of ASCII letters alone, which wordfreq's tokenizer
turns into one token, its lower case, in a language whose list is there under its own code
and that does nothing special to those letters. Anything else (accents, apostrophes, digits,
Turkish dotless i, Chinese, Japanese and Korean tokenizers, a code wordfreq would match to a
neighbour) returns None, and the caller asks wordfreq itself. A list that is not in the
format described above raises a FabulaError rather than giving a wrong answer; a test
compares our answers with ``wordfreq.zipf_frequency`` on thousands of words in every language.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import itertools
import math
import re
from pathlib import Path

from toolkit.errors import FabulaError

_ASCII_WORD = re.compile(r"[A-Za-z]+")
# Languages whose handling of plain ASCII letters differs from "one token, lower-cased":
# MeCab (ja, ko) and jieba (zh) tokenizers, and the dotless i of Turkish, Azerbaijani, Kazakh
# (wordfreq's language_info.get_language_info).
_SPECIAL = frozenset({"ja", "ko", "zh", "tr", "az", "kk"})
HEADER = {"format": "cB", "version": 1}


@functools.cache
def data_folder() -> Path | None:
    """wordfreq's data folder, found without running the package's ``__init__``."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_cbpack(path: Path) -> list[list[str]]:
    """The frequency buckets of a cBpack file (index = minus the frequency in centibels)."""
    import msgpack

    try:
        # Read whole, then unpacked at once (as msgpack.load does with the stream's bytes): a
        # third faster than gzip's stream read a chunk at a time.
        data = msgpack.unpackb(gzip.decompress(path.read_bytes()), raw=False)
    except (OSError, ValueError, msgpack.UnpackException) as error:
        raise FabulaError(f"cannot read wordfreq's word list: {error}", path=str(path)) from error
    if not isinstance(data, list) or not data or data[0] != HEADER:
        header = data[0] if isinstance(data, list) and data else data
        raise FabulaError(
            f"wordfreq's word list is not in the cBpack format {HEADER} (header {header!r:.80})", path=str(path)
        )
    buckets = data[1:]
    # isinstance of every word, by map in C (a generator over the large list's 321,000 words took ~40 ms).
    lists = all(isinstance(bucket, list) for bucket in buckets)
    if not lists or not all(map(isinstance, itertools.chain.from_iterable(buckets), itertools.repeat(str))):
        raise FabulaError(
            "wordfreq's word list is not in the cBpack format: a bucket is not a list of words", path=str(path)
        )
    return buckets


@functools.cache
def _centibels(language: str) -> dict[str, int] | None:
    """Word -> minus its frequency in centibels, for ``language``'s small list (None: no such file)."""
    folder = data_folder()
    path = folder / f"small_{language}.msgpack.gz" if folder is not None else None
    if path is None or not path.is_file():
        return None
    return {word: index for index, bucket in enumerate(read_cbpack(path)) for word in bucket}


def zipf(word: str, language: str) -> float | None:
    """wordfreq's ``zipf_frequency(word, language, wordlist="small")``, or None where only wordfreq can say."""
    if language in _SPECIAL or not _ASCII_WORD.fullmatch(word):
        return None
    table = _centibels(language)
    if table is None:
        return None
    index = table.get(word.lower())
    if index is None:
        return 0.0  # wordfreq's minimum for a word it does not know
    return _zipf_at(index)


def _zipf_at(index: int) -> float:
    """The Zipf frequency of the words of bucket ``index`` of a cBpack list."""
    # The same arithmetic as wordfreq's _word_frequency and zipf_frequency, so the same float.
    freq = max(1.0 / (1.0 / 10 ** (-index / 100)), 10**0 / 1e9)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


@functools.cache
def frequent(language: str, threshold: float) -> frozenset[str]:
    """The words of ``language``'s small list (lower case, as the list writes them) whose Zipf
    frequency is ``threshold`` or more: one set, made once, for rules that try many changes of
    a word against the language ("prave": is "brave" a common word?). Empty where the list is
    not there. Made from ``zipf``'s own table of the list, not a second reading of the file."""
    table = _centibels(language)
    if table is None:
        return frozenset()
    kept = {index for index in set(table.values()) if _zipf_at(index) >= threshold}
    return frozenset(word for word, index in table.items() if index in kept)


# Every word of wordfreq's large lists read so far, by language (``every_word``).
_EVERY: dict[str, str | frozenset[str]] = {}


def every_word(language: str) -> str | frozenset[str]:
    """Every word of wordfreq's large list for ``language`` (its small list where there is no
    large one): each between newlines in one string, which a few look-ups search in C (a set of
    the 321,000 words took longer to make, hashing each, than the list takes to read); a set
    where a word holds a newline itself. Read once a process, or handed over (``keep_every_word``)."""
    words = _EVERY.get(language)
    if words is None:
        words = _EVERY[language] = _every_word(language)
    return words


def keep_every_word(language: str, words: str | frozenset[str]) -> None:
    """Take ``every_word(language)``'s answer worked out in another process (a worker forked
    before this one read the list: toolkit/checks/run.py), so that this one does not read it."""
    _EVERY.setdefault(language, words)


def _every_word(language: str) -> str | frozenset[str]:
    folder = data_folder()
    if folder is None:
        return frozenset()
    for size in ("large", "small"):
        path = folder / f"{size}_{language}.msgpack.gz"
        if path.is_file():
            words = list(itertools.chain.from_iterable(read_cbpack(path)))
            joined = "\n".join(words)
            if joined.count("\n") != len(words) - 1:
                return frozenset(words)
            return f"\n{joined}\n"
    return frozenset()


def listed(word: str, language: str) -> bool:
    """Whether wordfreq knows ``word`` at all, however rare ("Pegu", "Henty"; not "Chopihn").

    The large list (~0.1 s to read, once a process) is read only when a near miss of a name
    that has no evidence of being a character needs it."""
    lowered = word.lower()
    every = every_word(language.split("-")[0].lower())
    if isinstance(every, str):
        return "\n" not in lowered and f"\n{lowered}\n" in every
    return lowered in every
