"""Who the characters are (bible, then cues; with no bible, also the people the prose names),
and who is present in each chapter passage and scene."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from toolkit.model import PROSE_KINDS, Action, Passage, Placement, Project, Scene, cue_key, plain, speakers
from toolkit.resolve.name_evidence import (
    MAX_USES,
    NOT_NAMES,
    NOUNS_CAPITALISED,
    REACH_AFTER,
    REACH_BEFORE,
    TITLES,
    WORD,
    Uses,
    gather,
    known_given_name,
    word_counts,
)


@dataclass(frozen=True)
class CharacterIndex:
    """Every known character of a project and one compiled pattern that finds any of them.

    ``order`` lists canonical names: the bible's characters in bible order, then screenplay
    cue names the bible does not cover (title-cased), in order of first speech.
    """

    order: tuple[str, ...]
    pattern: re.Pattern[str] | None  # None when the project knows no character at all
    by_surface: dict[str, tuple[str, ...]]  # a form as written -> canonical names
    by_cue: dict[str, str]  # an upper-cased name -> canonical name, for Dialogue.name

    def find(self, text: str) -> list[tuple[int, str]]:
        """(offset, canonical name) of every mention in ``text``, in text order: the matches
        ``pattern.finditer`` gives. ``pattern`` opens with two lookbehinds, tried at every
        character; without them it opens with the names, and ``re`` skips to the characters a
        name can start with. So the names are searched without them, and each place found is
        matched again with ``pattern`` (the same name wins there: the same alternatives are
        tried in the same order), the search going on one character further when it fails
        there (``pattern`` matches nowhere before it). About nine times faster on a novel."""
        if self.pattern is None:
            return []
        found: list[tuple[int, str]] = []
        search, match = _unanchored(self.pattern).search, self.pattern.match
        position = 0
        while (candidate := search(text, position)) is not None:
            start = candidate.start()
            matched = match(text, start)
            if matched is None:
                position = start + 1
                continue
            # A name may be wrapped across lines in the source: "Maren\nBrinn" is "Maren Brinn".
            found.extend((start, name) for name in self.by_surface[" ".join(matched.group(0).split())])
            position = matched.end()
        return found

    def speaker(self, cue: str) -> str:
        """The canonical name of the character who speaks under ``cue`` (a speech's ``name``)."""
        return self.by_cue.get(cue) or title_case(cue)


# How ``character_index``'s pattern opens: a name touches no letter or digit before it, nor
# one and a hyphen ("Anne" is not in "Anne-Marie").
_NOT_AFTER_A_WORD = r"(?<![^\W_])(?<![^\W_]-)"


@functools.lru_cache(maxsize=8)
def _unanchored(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A character index's pattern without its opening lookbehinds (see ``CharacterIndex.find``)."""
    return re.compile(pattern.pattern.removeprefix(_NOT_AFTER_A_WORD), pattern.flags)


def title_case(cue: str) -> str:
    """``MARGOT`` -> ``Margot``, ``DR. O'HARA`` -> ``Dr. O'Hara``, ``WILL'S DATE`` -> ``Will's
    Date``: how prose writes a cue name. ``str.title`` capitalises every letter after an
    apostrophe; only a name's prefix (O', D', L') takes a capital after it."""
    return _AFTER_APOSTROPHE.sub(_apostrophe_case, cue.strip().title())


# A letter after an apostrophe that follows two or more letters of the same word ("Will's",
# "Don't"); after a one-letter prefix ("O'Hara", "D'Arcy", "l'Orient") the capital stays. A
# fixed-width lookbehind, not the word before it: each character is read once.
_AFTER_APOSTROPHE = re.compile(r"(?<=\w\w)(['’])(\w)")


def _apostrophe_case(match: re.Match[str]) -> str:
    mark, letter = match.groups()
    return mark + letter.lower()


def canonical_name(text: str, cast: CharacterIndex) -> str | None:
    """The character ``text`` names ("Maren", "MAREN", "Maren Brinn" -> "Maren Brinn"), if any."""
    found = cast.find(text)
    return found[0][1] if found else None


def characters_in_passage(passage: Passage, cast: CharacterIndex) -> tuple[str, ...]:
    """Characters named in a prose passage, canonical names in order of first mention."""
    seen: dict[str, None] = {}
    for block in passage.blocks:
        for _, name in cast.find(block.text):
            seen.setdefault(name, None)
    return tuple(seen)


def characters_in_scene(scene: Scene, cast: CharacterIndex) -> tuple[str, ...]:
    """Characters who speak in a scene or are named in its action, in order of first appearance.

    The heading, transitions, notes and what characters say are left out on purpose: "INT.
    MARGOT'S FLAT" or "Where is Margot?" do not put Margot in the room.
    """
    seen: dict[str, None] = {}
    for element in scene.elements:
        if isinstance(element, Action):
            for line in element.lines:
                for _, name in cast.find(plain(line)):
                    seen.setdefault(name, None)
        for speaker in speakers(element):
            seen.setdefault(cast.speaker(speaker.name), None)
    return tuple(seen)


def present_in(placement: Placement, cast: CharacterIndex) -> tuple[str, ...]:
    """Who is present in a placement of the timeline: a scene's or a passage's characters."""
    if placement.scene is not None:
        return characters_in_scene(placement.scene, cast)
    return characters_in_passage(placement.passage, cast) if placement.passage is not None else ()


# ---------------------------------------------------------------- building the index


def screenplay_cues(project: Project) -> list[str]:
    """Upper-cased cue names in order of first speech across the screenplay."""
    if project.screenplay is None:
        return []
    seen: dict[str, None] = {}
    for scene in project.screenplay.scenes:
        for cue in scene.cues:
            if cue:
                seen.setdefault(cue, None)
    return list(seen)


def character_index(project: Project, prose_names: Sequence[str] = ()) -> CharacterIndex:
    """Every character of the project: the bible's, then the cues it does not cover, then
    ``prose_names`` that are neither (see ``people_in_prose``)."""
    order: list[str] = []
    surfaces: dict[str, dict[str, None]] = {}
    by_cue: dict[str, str] = {}

    def add(canonical: str, forms: tuple[str, ...]) -> None:
        order.append(canonical)
        for form in forms:
            form = " ".join(form.split())
            if not form:
                continue
            # Screenplays write a character in capitals when they first enter ("MARGOT (40s)
            # sits"), so every name also counts in upper case; otherwise matching is exact.
            for variant in (form, form.upper()):
                surfaces.setdefault(variant, {}).setdefault(canonical, None)
            by_cue.setdefault(cue_key(form), canonical)

    for character in project.characters:
        # The cue is a name too (the bible says so), and prose writes it title-cased: "Maren"
        # for MAREN, as without a bible. The default cue is the name's first word, upper-cased.
        add(character.name, (*character.names, title_case(character.cue_name)))
    for cue in screenplay_cues(project):
        if cue not in by_cue:
            add(title_case(cue), (title_case(cue), cue))
    for name in prose_names:
        if name not in surfaces:
            add(name, (name,))

    if not surfaces:
        return CharacterIndex((), None, {}, {})
    # Longest first, so that "Anne-Marie" wins over "Anne" where both are characters.
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in form.split()) for form in sorted(surfaces, key=lambda s: (-len(s), s))
    )
    # A name is a whole word: no letter or digit touching it, and no hyphen joining it to one
    # ("Anne" is not in "Anne-Marie"), while "Margot's", "*Margot*", "_Margot_" and
    # "Margot--" (a typed dash) still count. Underscore is Markdown emphasis here, not a letter.
    pattern = re.compile(rf"(?<![^\W_])(?<![^\W_]-)(?:{alternatives})(?![^\W_])(?!-[^\W_])")
    return CharacterIndex(
        order=tuple(order),
        pattern=pattern,
        by_surface={form: tuple(names) for form, names in surfaces.items()},
        by_cue=by_cue,
    )


# ---------------------------------------------------------------- without a bible

PROSE_MIN_USES = 3  # a name used once or twice is a passer-by, not a person of the outline
PROSE_MIN_ACTS = 2  # uses as one who speaks or acts: "said Emma", "Ahab went"


def people_in_prose(project: Project, language: str, remember: Remember | None = None) -> tuple[str, ...]:
    """With no bible, the people the chapters name, most used first.

    The name rules' evidence (name_evidence.gather) decides: a capitalised word the prose never
    writes in lower case (not a month, a weekday or a title), used at least ``PROSE_MIN_USES``
    times, that speaks or acts at least ``PROSE_MIN_ACTS`` times ("said Emma", "Ahab went") and
    never follows a place word ("Mount Sina", "the city of Corby") unless it is a known given
    name or has a title ("by the sea. Anne went" is Anne). A plural ("the Crofts") is a
    family, listed under the singular when the prose writes it too ("Admiral Croft"). In a
    language that capitalises its nouns (German), only a known given name, or a word written
    after a title, counts.

    ``remember`` (the pipeline's cache) keeps the evidence chapter by chapter, so that an edit
    gathers its own chapter's again (``_evidence_by_chapter``); the answer is the same.
    """
    texts = [
        "\n".join(block.text for block in blocks)
        for chapter in project.chapters
        if (blocks := [block for block in chapter.blocks if block.kind in PROSE_KINDS])
    ]
    text = "\n".join(texts)
    words = word_counts(text)
    lower = {word for word in words if word.islower()}
    candidates = {
        word: uses
        for word, uses in words.items()
        if len(word) >= 3
        and word[0].isupper()
        and not word.isupper()
        and uses >= PROSE_MIN_USES
        and word.lower() not in lower
        and word.lower() not in TITLES
        and word not in NOT_NAMES
    }
    code = language.split("-")[0].lower()
    if remember is None:
        evidence = gather(text, candidates, set(candidates), code)
    else:
        evidence = _evidence_by_chapter(texts, tuple(candidates), code, remember)
    people = {
        word
        for word, uses in evidence.items()
        if uses.acts >= PROSE_MIN_ACTS
        and (not uses.places or uses.titles or known_given_name(word))
        and (code not in NOUNS_CAPITALISED or uses.titles or known_given_name(word))
    }
    # "The Crofts" is the Croft family: listed under the name a person of it is written with.
    people = {word[:-1] if word.endswith("s") and word[:-1] in candidates else word for word in people}
    return tuple(sorted(people, key=lambda word: (-candidates[word], word)))


# ---------------------------------------------------------------- the evidence, chapter by chapter

# A store kept from one build to the next (resolve.Remember): ``remember(kind, key, make, type)``.
Remember = Callable[[str, str, Callable[[], Any], Any], Any]
# One chapter's evidence: per spelling used there, the uses read, then ``Uses``' counts and flags
# (as numbers) and its sets (sorted), each in the order of its fields.
EVIDENCE_PART = tuple[tuple[str, int, tuple[int, ...], tuple[tuple[str, ...], ...]], ...]
_SETS = tuple(f.name for f in fields(Uses) if isinstance(getattr(Uses(), f.name), set))
_NUMBERS = tuple(f.name for f in fields(Uses) if f.name not in _SETS)


def _evidence_by_chapter(
    texts: Sequence[str], spellings: tuple[str, ...], language: str, remember: Remember
) -> dict[str, Uses]:
    """What ``gather`` gives over the chapters' ``texts`` joined by line breaks, gathered a
    chapter at a time and each chapter's kept by ``remember``.

    A chapter's uses are gathered with the text of the chapters around it as far as ``gather``
    reads (REACH_BEFORE, REACH_AFTER), so each use reads what it reads in the whole text; a
    spelling's uses are its own (its matches never hide another's, see checks/evidence_memo.py),
    so a chapter is gathered for the spellings whose count (``MAX_USES``: the whole text reads
    a spelling's first uses only) the chapters before did not reach, with those that share a
    form in capitals. The key of a chapter's part is that text, where the chapter lies in it,
    the spellings gathered, every spelling (the names beside a use are asked of them) and the
    language. In the chapter where a spelling's count is reached, it is gathered again alone,
    up to the count left (kept the same way).
    """
    names = set(spellings)
    listed = digest_of(repr(spellings), language, repr(_NUMBERS), repr(_SETS))
    by_form: dict[str, list[str]] = {}
    for spelling in spellings:
        by_form.setdefault(spelling.upper(), []).append(spelling)
    found = {spelling: Uses() for spelling in spellings}
    read = dict.fromkeys(spellings, 0)

    def part(chosen: tuple[str, ...], most: int, around: str, within: tuple[int, int]) -> EVIDENCE_PART:
        # Only the spellings written in this text can be used in it (with those that share
        # their form in capitals): the rest cost a scan's set-up for nothing.
        written = _words_in(around)
        forms = {form for form in by_form if form in written or any(o in written for o in by_form[form])}
        chosen = tuple(spelling for spelling in chosen if spelling.upper() in forms)
        counted: dict[str, int] = {}
        uses = gather(around, chosen, names, language, within=within, most=most, counted=counted)
        return tuple(
            (
                spelling,
                counted[spelling],
                tuple(int(getattr(uses[spelling], name)) for name in _NUMBERS),
                tuple(tuple(sorted(getattr(uses[spelling], name))) for name in _SETS),
            )
            for spelling in chosen
            if counted.get(spelling)
        )

    def kept(chosen: tuple[str, ...], most: int, around: str, within: tuple[int, int]) -> EVIDENCE_PART:
        key = digest_of(listed, around, str(within[0]), str(within[1]), repr(chosen), str(most))
        return remember("evidence", key, functools.partial(part, chosen, most, around, within), EVIDENCE_PART)

    whole = "\n".join(texts)
    start = 0
    wanted, reached = spellings, False
    for text in texts:
        end = start + len(text)
        low, high = max(0, start - REACH_BEFORE), min(len(whole), end + REACH_AFTER)
        around, within = whole[low:high], (start - low, end - low)
        start = end + 1
        if reached:  # a count was reached in the chapter before: its spellings are left out now
            wanted = tuple(s for s in spellings if any(read[other] < MAX_USES for other in by_form[s.upper()]))
            reached = False
        if not wanted:
            break
        for spelling, count, numbers, sets in kept(wanted, MAX_USES, around, within):
            if spelling not in read or read[spelling] >= MAX_USES:
                continue
            if read[spelling] + count > MAX_USES:  # the count is reached inside this chapter
                left = MAX_USES - read[spelling]
                alone = tuple(by_form[spelling.upper()])
                mine = [entry for entry in kept(alone, left, around, within) if entry[0] == spelling] or [
                    entry for entry in part(alone, left, around, within) if entry[0] == spelling
                ]
                if not mine:
                    continue
                _, count, numbers, sets = mine[0]
            _add(found[spelling], numbers, sets)
            read[spelling] += count
            found[spelling].capped = read[spelling] >= MAX_USES
            reached = reached or found[spelling].capped
    return found


def _words_in(text: str) -> set[str]:
    """Every word a spelling's use can be in ``text``: each run of letters (as ``gather``'s pattern
    reads them) and, where a run holds a character that is not ``isalpha`` (a superscript digit),
    the rest of the run after it, where ``gather`` may see a use start."""
    runs = set(WORD.findall(text))
    return runs | {
        run[index + 1 :] for run in runs if not run.isalpha() for index, c in enumerate(run) if not c.isalpha()
    }


def _add(uses: Uses, numbers: tuple[int, ...], sets: tuple[tuple[str, ...], ...]) -> None:
    """One chapter's evidence of a spelling added to what the chapters before gave."""
    for name, number in zip(_NUMBERS, numbers, strict=True):
        value = getattr(uses, name)
        setattr(uses, name, (value or bool(number)) if isinstance(value, bool) else value + number)
    for name, items in zip(_SETS, sets, strict=True):
        getattr(uses, name).update(items)


def digest_of(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()
