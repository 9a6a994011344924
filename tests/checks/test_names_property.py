"""Property: a correct text with misspellings injected at random gets every injection reported."""

from __future__ import annotations

import random
import re
from collections import Counter

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from toolkit.checks.name_variants import common_word
from toolkit.checks.names import check_names
from toolkit.config import Config
from toolkit.errors import FabulaError
from toolkit.model import Character, Project, Span
from toolkit.parsers.markdown import parse_chapters
from toolkit.resolve import resolve
from toolkit.resolve.name_evidence import known_name

CAST = ("Katharine", "Okonkwo", "Stefan", "Margot", "Hemingway", "Ifeoma")
WORDS = "the lamp went out over the water and she counted the boats while the wind came cold off the sea".split()


def _text(seed: int) -> str:
    """A correct chapter: forty paragraphs, each naming two of the cast, who speak ("and Ifeoma
    said"): every name used often, and as a character's."""
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(40):
        first, second = rng.sample(CAST, 2)
        words = [rng.choice(WORDS) for _ in range(30)]
        words[8:8] = ["and", first, "said"]
        words[22:22] = ["and", second, "said"]
        sentence = " ".join(words)
        paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
    return "# One\n\n" + "\n\n".join(paragraphs) + "\n"


_NAME = re.compile("|".join(CAST))


def _misspell(name: str, kind: int, where: int, letter: str) -> str:
    """One typist's edit: inside the name (kinds 0-3), or of its first or last letter (4, 5)."""
    if kind == 4:
        return letter.upper() + name[1:]
    if kind == 5:
        return name[:-1] + letter
    at = 1 + where % (len(name) - 2)
    if kind == 0:  # substitution
        return name[:at] + letter + name[at + 1 :]
    if kind == 1:  # insertion
        return name[:at] + letter + name[at:]
    if kind == 2:  # deletion
        return name[:at] + name[at + 1 :]
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]  # transposition


injection = st.tuples(
    st.integers(0, 10_000), st.integers(0, 5), st.integers(0, 20), st.sampled_from("abcdefghijklmnopqrstuvwxyz")
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 1000), injections=st.lists(injection, min_size=1, max_size=4), bible=st.booleans())
def test_every_injected_misspelling_is_reported(seed: int, injections: list, bible: bool) -> None:
    text = _text(seed)
    occurrences = list(_NAME.finditer(text))
    planted: dict[int, tuple[str, str]] = {}  # offset in the new text -> (misspelling, name meant)
    edge_slips: set[str] = set()  # names with a slip of their first or last letter
    for pick, kind, where, letter in injections:
        match = occurrences[pick % len(occurrences)]
        name = match.group()
        wrong = _misspell(name, kind, where, letter)
        # A misspelling, not another name or word: nearer to its own name than to any other,
        # not a word the text or the language has.
        assume(wrong != name and wrong.lower() not in text.lower() and not common_word(wrong, "en"))
        # A slip of the first or last letter that makes a real name (Margot / Margo) is a name.
        # and one is reported when the name is used 8 times or more (the strong evidence asked).
        assume(not (kind >= 4 and (known_name(wrong) or len(re.findall(rf"\b{name}\b", text)) < 8)))
        assume(all(OSA.distance(wrong.lower(), other.lower()) > 2 for other in CAST if other != name))
        planted[match.start()] = (wrong, name)
        if kind >= 4:
            edge_slips.add(name)
    # "Much more frequent": a spelling typed the same wrong way three times or more is a choice.
    assume(max(Counter(wrong for wrong, _ in planted.values()).values()) <= 2)
    # Apply from the end so that earlier offsets stay right, then re-find the new offsets.
    for start in sorted(planted, reverse=True):
        wrong, name = planted[start]
        text = text[:start] + wrong + text[start + len(name) :]
    # The 8 uses that make a first- or last-letter slip reportable are the name's uses left after
    # the slips (hypothesis found seed 4, where "Okonkwo" had 8 before and 7 after).
    assume(all(len(re.findall(rf"\b{name}\b", text)) >= 8 for name in edge_slips))
    chapters = parse_chapters("manuscript/01.md", text)
    characters = tuple(Character(Span("characters.yaml", 1), name) for name in CAST) if bible else ()
    project = Project(root=".", chapters=chapters, screenplay=None, characters=characters)
    found = list(check_names(resolve(project, Config())))

    lines = text.splitlines()
    reported = {(d.span.line, d.span.col): d for d in found}
    for wrong, name in planted.values():
        for number, line in enumerate(lines, start=1):
            for match in re.finditer(rf"\b{wrong}\b", line):
                finding = reported.get((number, match.start() + 1))
                assert finding is not None, f"{wrong} (for {name}) at line {number} not reported"
                assert finding.code == "N101" and f"did you mean {name}?" in finding.message
    assert {d.code for d in found} <= {"N101"}


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("Aa Bb Ée Zz'’-.,\n*_#<>!-[]()0123456789"), max_size=400))
def test_any_text_gives_findings_not_a_crash(text: str) -> None:
    """Every name rule runs on any prose, and every finding points inside the file."""
    try:
        chapters = parse_chapters("manuscript/01.md", text)
    except FabulaError:  # the parser's clean error for bad front matter: not the checks' concern
        return
    project = Project(root=".", chapters=chapters, screenplay=None)
    lines = text.splitlines() or [""]
    for finding in check_names(resolve(project, Config())):
        assert 1 <= finding.span.line <= len(lines) and finding.span.col >= 1
