"""Counting words in plain text: the one definition every stage uses."""

from __future__ import annotations

import re

# A word has a letter or digit; inner apostrophes and hyphens join ("don't", "well-known").
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_JOINERS = "'’-"

# The same count without the regular expression (which reads a 1M-word book in a third of a
# second): every character becomes its class, "a" (a letter or digit: what [^\W_] matches, which
# is str.isalnum), "j" (a joiner) or " " (anything else), and the words are counted with
# bytes.count. A word starts at a run of "a" that no single joiner after an "a" joins to the
# word before it: after " " (" a", " ja"), after two joiners ("jja"), or at the very start.
_CLASS_OF_ASCII = bytes(
    ord("a") if chr(code).isalnum() else ord("j") if chr(code) in _JOINERS else ord(" ") for code in range(128)
)
_ASCII_CLASSES = bytes.maketrans(bytes(range(128)), _CLASS_OF_ASCII)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_REPLACES = 16  # up to this many characters beyond ASCII, one str.replace each
_CLASS_OF: dict[str, str] = {}  # a character beyond ASCII -> an ASCII one of its class ("a", "-", " ")
_KEPT = 4096  # classes kept (a text in any script has fewer distinct characters)


def count_words(text: str) -> int:
    """Words in ``text``, which holds no markup (the Markdown parser blanks it out first):
    the matches of ``_WORD`` (tests/test_words.py compares the two)."""
    if not text.isascii():
        others = set(_NOT_ASCII.findall(text))
        if len(others) <= _REPLACES:
            for char in others:
                text = text.replace(char, _class_of(char))
        else:  # one pass, however many characters (str.translate is slower per character)
            text = text.translate({ord(char): _class_of(char) for char in others})
    classes = text.encode("ascii").translate(_ASCII_CLASSES)
    return (
        classes.count(b" a")
        + classes.count(b" ja")
        + classes.count(b"jja")
        + classes.startswith(b"a")
        + classes.startswith(b"ja")
    )


def _class_of(char: str) -> str:
    found = _CLASS_OF.get(char)
    if found is None:
        found = "a" if char.isalnum() else "-" if char in _JOINERS else " "
        if len(_CLASS_OF) < _KEPT:
            _CLASS_OF[char] = found
    return found
