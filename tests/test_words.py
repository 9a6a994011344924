"""count_words counts without its regular expression: the two must agree on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.words import count_words

# The definition (toolkit/words.py): a word has a letter or digit; inner apostrophes and hyphens join.
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def by_definition(text: str) -> int:
    return len(WORD.findall(text))


# Letters and digits of several scripts, the joiners, underscores, spaces, punctuation, a
# combining accent (no letter of its own), superscript two (a digit), controls.
ALPHABET = "ab Z9_-'’ \n\t.,é\u0301²ßЖ中—“”\x00\x7f\u00a0"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30))
def test_count_words_agrees_with_its_definition(text: str) -> None:
    assert count_words(text) == by_definition(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_count_words_agrees_on_any_characters(text: str) -> None:
    assert count_words(text) == by_definition(text)


def test_count_words_on_joins_and_many_scripts() -> None:
    cases = {
        "Don't stop – well-known words": 4,
        "a--b a-'b -a- 'tis rock’n’roll": 7,
        "snake_case under_score": 4,
        "naïve café Zélie": 3,
        "中文 Жизнь ²": 3,
    }
    for text, words in cases.items():
        assert count_words(text) == words == by_definition(text), text
    # Many distinct characters beyond ASCII in one text (one translate pass, not a replace each).
    many = " ".join(chr(code) + "-" + chr(code + 1) for code in range(0x4E00, 0x4E00 + 400, 2))
    assert count_words(many) == by_definition(many) == 200


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(["a", "é", " ", "'", "’", "-", "_", "1", ".", "\n"]), max_size=12)))
def test_texts_joined_by_line_breaks_count_as_their_sum(texts: list[str]) -> None:
    """A scene's words are counted over its lines joined by line breaks (resolve/timeline.py):
    the sum of each line's count."""
    assert count_words("\n".join(texts)) == sum(count_words(text) for text in texts)
