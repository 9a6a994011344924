"""Issue 12, ninth round: a speaker who writes one letter for another again and again in words
of the language ("prave", "pattle", "plood": b as p) speaks a dialect, and a name in his mouth
is spelled as he says it, not mistyped; unless he says the name right more often than not.

Every script here is our own short example of the pattern, not a line of the plays it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _spellings

PLAIN = (
    "It was a hard fight at the bridge, and the men are tired; we carry what bread we have left, "
    "and we will sleep when the watch is set and the fires are lit along the river."
)
# Seven words of the language with b written as p, none of them a word itself; the rest of his
# speech is plain English (a tenth of his words unknown: no other tongue, see test_name_tongue).
WELSH = (
    "Look you, it was a prave pattle at the pridge, and the plood ran down to the river; "
    "my pody is sore, and the poys are tired, and they pread no more than they can carry. " + PLAIN
)


def _script(last: str, speaker: str, speech: str = WELSH) -> str:
    """Five scenes of Hadley (a cue, named in the action) and a second speaker, then one line."""
    scenes = "".join(
        f"INT. CAMP - DAY {n}\n\nHadley sharpens a blade.\n\nHADLEY\nWe march at dawn.\n\n{speaker}\n{speech}\n\n"
        for n in range(5)
    )
    return scenes + f"INT. CAMP - NIGHT\n\n{speaker}\n{last}\n\nHADLEY\nGood night.\n"


def test_a_name_in_the_mouth_of_a_dialect_speaker_is_spelled_as_said(tmp_path: Path) -> None:
    """Gwilym writes b as p in seven words and says "Hatley" for Hadley: his way of saying it."""
    for found in _both(tmp_path, fountain=_script("Cot pless you, Hatley, and keep you.", "GWILYM")):
        assert "Hatley" not in _spellings(found)


def test_the_same_name_from_a_speaker_of_the_language_is_a_slip(tmp_path: Path) -> None:
    """Pell speaks plain English, but for two words with b as p ("prave", "pridge"): a slip or two
    is no dialect, and his "Hatley" is Hadley mistyped."""
    speech = PLAIN.replace("hard fight at the bridge", "prave fight at the pridge")
    script = _script("God bless you, Hatley, and keep you.", "PELL", speech)
    for found in _both(tmp_path, fountain=script):
        assert _spellings(found) == ["Hatley"]


def test_a_dialect_speaker_who_says_the_name_right_more_often_slipped(tmp_path: Path) -> None:
    """Gwilym says "Hadley" twice elsewhere and "Hatley" once: the usual spelling is his own too,
    so the one that differs is a slip, dialect or not."""
    speech = WELSH + " Hadley knows it."
    for found in _both(tmp_path, fountain=_script("Cot pless you, Hatley, and keep you.", "GWILYM", speech)):
        assert _spellings(found) == ["Hatley"]


def test_a_plain_speaker_is_judged_without_the_large_word_list(tmp_path: Path, monkeypatch) -> None:
    """Pell's two b-as-p words cannot make the six a dialect needs, so whether they are words of
    the language at all (the large list, ~0.1 s to read) is never asked, and the finding is the
    same; Gwilym's seven are asked about, and make his dialect."""
    import toolkit.checks.name_variants as name_variants

    asked: list[str] = []
    listed = name_variants.listed

    def spy(word: str, language: str) -> bool:
        asked.append(word)
        return listed(word, language)

    monkeypatch.setattr(name_variants, "listed", spy)
    speech = PLAIN.replace("hard fight at the bridge", "prave fight at the pridge")
    script = _script("God bless you, Hatley, and keep you.", "PELL", speech)
    for found in _both(tmp_path / "plain", fountain=script):
        assert _spellings(found) == ["Hatley"]
    assert not {"prave", "pridge"} & set(asked)
    for found in _both(tmp_path / "welsh", fountain=_script("Cot pless you, Hatley, and keep you.", "GWILYM")):
        assert "Hatley" not in _spellings(found)
    assert {"prave", "pattle", "pridge", "plood", "pody", "poys", "pread"} <= set(asked)
