"""Our reading of wordfreq's word lists gives wordfreq's answers, and refuses a list it cannot read."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import msgpack
import pytest

from toolkit.checks import wordlist
from toolkit.errors import FabulaError

_NOT_WORDS = ("Freeley", "Hemmingway", "Okonkow", "Xqzzv", "Jaime", "Katherine", "Wren", "A", "I", "Zz")


def _languages() -> list[str]:
    folder = wordlist.data_folder()
    assert folder is not None and folder.is_dir()
    return sorted(path.name.split(".")[0].split("_")[1] for path in folder.glob("small_*.msgpack.gz"))


def _sample(language: str, count: int) -> list[str]:
    """Every n-th word of the language's list (most common first), in three casings, and some non-words."""
    from wordfreq import iter_wordlist

    words = list(iter_wordlist(language, "small"))
    picked = words[:: max(1, len(words) // count)]
    return [form for word in picked for form in (word, word.title(), word.upper())] + list(_NOT_WORDS)


@pytest.mark.parametrize("language", _languages())
def test_zipf_equals_wordfreqs_own_lookup(language: str) -> None:
    """Where we answer, the answer is wordfreq's zipf_frequency to the last bit; elsewhere we defer."""
    from wordfreq import zipf_frequency

    sample = _sample(language, 3000 if language == "en" else 400)
    answered = 0
    for word in sample:
        ours = wordlist.zipf(word, language)
        if ours is not None:
            answered += 1
            assert ours == zipf_frequency(word, language, wordlist="small"), (word, language)
    if language in {"ja", "ko", "zh", "tr"}:  # tokenizers or a dotless i: always wordfreq's own call
        assert answered == 0
    else:  # every word of ASCII letters alone, and nothing else
        assert answered == sum(1 for word in sample if word.isascii() and word.isalpha()) >= len(_NOT_WORDS)
    if language == "en":
        assert answered > 8000


def test_only_plain_ascii_words_in_a_listed_language_are_answered() -> None:
    assert wordlist.zipf("Freeley", "en") == 0.0
    assert wordlist.zipf("When", "en") is not None and wordlist.zipf("When", "en") > 6
    for word in ("Zoë", "O'Brien", "R2D2", "Anne-Marie", ""):
        assert wordlist.zipf(word, "en") is None
    assert wordlist.zipf("Ilhan", "tr") is None  # Turkish lower-cases I to dotless ı
    assert wordlist.zipf("When", "no") is None  # wordfreq matches "no" to the nb list itself


def test_common_word_does_not_import_wordfreq_for_an_ascii_name() -> None:
    """The point of the module: the checks on an English script never pay for wordfreq's import."""
    code = (
        "import sys\n"
        "from toolkit.checks.name_variants import common_word\n"
        "assert common_word('When', 'en') and not common_word('Freeley', 'en-GB')\n"
        "print('wordfreq' in sys.modules, 'langcodes' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def _write_pack(path: Path, data: object) -> None:
    with gzip.open(path, "wb") as stream:
        stream.write(msgpack.packb(data))


@pytest.mark.parametrize(
    "data",
    [
        [{"format": "cB", "version": 2}, [], ["the"]],
        [{"format": "zipf", "version": 1}, ["the"]],
        ["the", "of"],
        {"format": "cB", "version": 1},
        [{"format": "cB", "version": 1}, [], "the"],
        [{"format": "cB", "version": 1}, [1, 2]],
        [{"format": "cB", "version": 1}, ["the"], ["of", b"and"]],
    ],
)
def test_a_word_list_in_another_format_fails_loudly(
    data: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_pack(tmp_path / "small_en.msgpack.gz", data)
    monkeypatch.setattr(wordlist, "data_folder", lambda: tmp_path)
    wordlist._centibels.cache_clear()
    try:
        with pytest.raises(FabulaError, match="cBpack") as caught:
            wordlist.zipf("When", "en")
        assert caught.value.path == str(tmp_path / "small_en.msgpack.gz")
    finally:
        wordlist._centibels.cache_clear()


def test_a_word_list_that_is_not_gzipped_msgpack_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "small_en.msgpack.gz").write_bytes(b"not a word list")
    monkeypatch.setattr(wordlist, "data_folder", lambda: tmp_path)
    wordlist._centibels.cache_clear()
    try:
        with pytest.raises(FabulaError, match="cannot read wordfreq's word list"):
            wordlist.zipf("When", "en")
    finally:
        wordlist._centibels.cache_clear()


def test_a_well_formed_list_is_read_as_wordfreq_documents_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """wordfreq's own docstring example, "red fish blue fish": fish at -30 cB, red and blue at -60 cB."""
    buckets: list[list[str]] = [[] for _ in range(61)]
    buckets[30], buckets[60] = ["fish"], ["blue", "red"]
    _write_pack(tmp_path / "small_en.msgpack.gz", [{"format": "cB", "version": 1}, *buckets])
    monkeypatch.setattr(wordlist, "data_folder", lambda: tmp_path)
    wordlist._centibels.cache_clear()
    try:
        assert wordlist.zipf("Fish", "en") == 8.7  # 10 ** -0.3 of all words: Zipf 9 - 0.3
        assert wordlist.zipf("RED", "en") == 8.4
        assert wordlist.zipf("green", "en") == 0.0
    finally:
        wordlist._centibels.cache_clear()


def test_frequent_words_are_those_at_or_above_the_threshold() -> None:
    """``frequent`` holds exactly the small list's words whose Zipf frequency reaches the threshold."""
    common = wordlist.frequent("en", 3.0)
    assert {"brave", "blood", "bridge"} <= common
    assert "prave" not in common and "pridge" not in common
    sample = [word for word in common if word.isascii() and word.isalpha()][:3000]
    assert all((wordlist.zipf(word, "en") or 0) >= 3.0 for word in sample)
    commoner = wordlist.frequent("en", 4.0)
    assert commoner < common
    assert "bridge" in commoner and "pry" in common - commoner
    between = [word for word in sorted(common - commoner) if word.isascii() and word.isalpha()][:2000]
    assert all(3.0 <= (wordlist.zipf(word, "en") or 0) < 4.0 for word in between)
    assert wordlist.frequent("xx", 3.0) == frozenset()
