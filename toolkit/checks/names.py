"""Name rules: one spelling per character, known cues, nobody on stage after their exit.

How names are found without a bible: a name is a capitalised word that the text never writes
in lower case ("Hemingway", not "The" or "Will"). A spelling is a variant of another when the
two are near misses (rapidfuzz's optimal-string-alignment distance: one edit, or two in
names of eight letters or more) and the other is used at least three times as often. Two
spellings are never variants of each other when they start with different letters
(Karen / Maren), when they differ only at the end (Maria / Mario, Juan / Juana, Margo /
Margot: name pairs, not typos), when both are in the bible, or when one is listed as
``distinct`` there or in ``[check] names_ok``. A bible makes it exact: any near miss of a
bible name that is not itself one is a variant, however often it is used.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# rapidfuzz (C++ edit distances) rather than a hand-written Levenshtein: it is fast on a
# 1M-word book and does the optimal-string-alignment distance, where a transposition
# (Okonkow / Okonkwo) is one edit, as a typist makes it.
from rapidfuzz import process
from rapidfuzz.distance import OSA

from toolkit.checks.name_text import WORD, NameStats, name_stats, place_in
from toolkit.diagnostics import Diagnostic, Edit, Fix
from toolkit.model import Action, Character, Dialogue, Project, Scene, Span, StoryDay, cue_key, plain, speakers
from toolkit.resolve import Story
from toolkit.resolve.presence import CharacterIndex, title_case

_RATIO = 3  # a variant's model is used at least this many times as often, and at least this often
_SPEECH_VERBS = "said|says|asked|asks|replied|replies|answered|answers|whispered|shouted|called|added|told|tells"


@dataclass(frozen=True)
class Variant:
    """A spelling judged a near miss of another."""

    spelling: str  # as counted: title case for a name in capitals ("Okonkow" for OKONKOW)
    model: str  # the spelling meant
    uses: int  # how often the model is used
    in_bible: bool


# ---------------------------------------------------------------- telling variants apart


def _allowed_edits(first: str, second: str) -> int:
    return 1 if min(len(first), len(second)) < 8 else 2


def _ending_only(first: str, second: str) -> bool:
    """Maria / Mario, Juan / Juana, Margo / Margot: the same but for the last letter."""
    first, second = first.lower(), second.lower()
    if len(first) == len(second):
        return first[:-1] == second[:-1]
    short, long = sorted((first, second), key=len)
    return len(long) - len(short) == 1 and long.startswith(short)


def near_miss(first: str, second: str, edits: int | None = None) -> bool:
    """Whether two spellings could be one name mistyped (see the module's rules)."""
    if first.lower() == second.lower() or first[0].lower() != second[0].lower() or _ending_only(first, second):
        return False
    limit = _allowed_edits(first, second) if edits is None else edits
    return OSA.distance(first.lower(), second.lower(), score_cutoff=limit) <= limit


Initials = dict[str, tuple[list[str], list[str]]]


def _by_initial(words: Iterable[str]) -> Initials:
    """Words grouped by first letter (variants share it), each group with its lower-case forms."""
    groups: Initials = {}
    for word in sorted(words):
        group = groups.setdefault(word[0].lower(), ([], []))
        group[0].append(word)
        group[1].append(word.lower())
    return groups


def _near(word: str, groups: Initials) -> Iterator[tuple[str, int]]:
    """The words of ``groups`` within two edits of ``word`` (itself included), with the distance."""
    words, lowered = groups.get(word[0].lower(), ([], []))
    for _, distance, index in process.extract_iter(word.lower(), lowered, scorer=OSA.distance, score_cutoff=2):
        yield words[index], int(distance)


def find_variants(stats: NameStats) -> dict[str, Variant]:
    """Every spelling that is a variant, with the spelling it misses."""
    candidates = stats.candidates()
    for word in stats.bible:
        candidates.setdefault(word, stats.counts.get(word, 0))
    models = _by_initial(word for word, uses in candidates.items() if uses >= _RATIO or word in stats.bible)
    found: dict[str, Variant] = {}
    for word, uses in candidates.items():
        if word in stats.bible or word in stats.ok or word not in stats.named:
            continue
        best: Variant | None = None
        for model, distance in _near(word, models):
            if model in stats.ok or distance > _allowed_edits(word, model) or not near_miss(word, model):
                continue
            in_bible = model in stats.bible
            model_uses = candidates[model]
            if not in_bible and (model_uses < _RATIO * uses or not _used_as_name(stats, model)):
                continue
            variant = Variant(word, model, model_uses, in_bible)
            if best is None or (variant.in_bible, variant.uses) > (best.in_bible, best.uses):
                best = variant
        if best is not None and not common_word(word, stats.language):
            found[word] = best
    return found


_COMMON = 4.5  # Zipf frequency: "When" 6.4, "Hall" 4.9 are words; "Katherine" 3.8 is a name


def common_word(word: str, language: str) -> bool:
    """Whether ``word`` is a common word of the language ("When" beside a character called Wren).

    wordfreq's word lists rather than a list of our own: they cover the language, not just
    the words our tests thought of. Loaded only when a variant is about to be reported.
    The "small" list gives the same answer as the "large" one in a twentieth of the time
    (6 ms against 117 ms for English): it holds every word of Zipf 3 or more with the very
    same frequency, and only words far under ``_COMMON`` are left out of it (a test checks).
    A plain ASCII word is looked up in that list without importing wordfreq (see wordlist.py).
    """
    from toolkit.checks.wordlist import zipf

    code = language.split("-")[0].lower()
    known = zipf(word, code)
    if known is not None:
        return known >= _COMMON
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, code, wordlist="small") >= _COMMON
    except LookupError:  # a language wordfreq does not know: no word is judged common
        return False


def _used_as_name(stats: NameStats, word: str) -> bool:
    """A cue, or a capitalised word inside a sentence (after a lower-case word or a comma), is a name."""
    known = stats.as_name.get(word)
    if known is None:
        known = any(word.upper() in key.split() for _, key in stats.cues) or (
            re.search(rf"[^\W\d_A-Z],?\s+{re.escape(word)}(?![^\W\d_])", stats.joined) is not None
        )
        stats.as_name[word] = known
    return known


def _occurrences(stats: NameStats, spellings: list[str]) -> Iterator[tuple[Span, str]]:
    """Every place a spelling is written, as it is written there (in capitals or not)."""
    forms = sorted({form for spelling in spellings for form in (spelling, spelling.upper())}, key=len, reverse=True)
    if not forms:
        return
    pattern = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, forms))})(?![^\W\d_])")
    for match in pattern.finditer(stats.joined):
        yield stats.place(match.start()), match.group()


def _uses(variant: Variant) -> str:
    where = "characters.yaml" if variant.in_bible else ""
    count = f"{variant.uses} use{'s' * (variant.uses != 1)}"
    return f"({where}, {count})" if where else f"({count})"


def check_name_variants(stats: NameStats, variants: dict[str, Variant]) -> Iterator[Diagnostic]:
    """N101 name variant: a near miss of a much more frequent name, or of a bible name.

    "Hemmingway" in a text that writes "Hemingway" 21 times is reported at each use: "did you
    mean Hemingway? (21 uses)". Works without a bible, from the names the prose and the cues
    use; with a bible, any near miss of a bible name is reported. Names that differ only at
    the end (Maria / Mario, Juan / Juana) or in the first letter are taken to be different
    people; so are names listed as ``distinct`` in the bible or in ``[check] names_ok``.
    Screenplay cues are checked too: OKONKOW where OKONKWO speaks.
    """
    for span, written in _occurrences(stats, list(variants)):
        variant = variants[written if written in variants else written.title()]
        model = variant.model.upper() if written.isupper() else variant.model
        yield _variant_found(span, written, model, variant)
    for speaker, key in stats.cues:
        for match in WORD.finditer(key):
            cue_variant = variants.get(match.group().title())
            if cue_variant is not None:
                span = Span(speaker.span.path, speaker.span.line, speaker.span.col + match.start())
                yield _variant_found(span, match.group(), cue_variant.model.upper(), cue_variant)


def _variant_found(span: Span, written: str, meant: str, variant: Variant) -> Diagnostic:
    """An N101 finding with its fix: safe (`fabula check --fix`) when the bible names the
    spelling meant, a guess from counts otherwise."""
    fix = Fix(f"Replace {written} with {meant}", (Edit(span, written, meant),), safe=variant.in_bible)
    message = f"{written}: did you mean {meant}? {_uses(variant)}"
    return Diagnostic(span, "N101", message, "error", fix, (variant.spelling, variant.model))


def check_given_names(stats: NameStats, variants: dict[str, Variant]) -> Iterator[Diagnostic]:
    """N103 given-name conflict: one surname with two near-identical given names.

    "Stefan Kovacs" and "Stephan Kovacs" both in use (each spelling twice or more), neither an
    N101 variant: one person spelled two ways, unless both are characters of the bible (two
    people) or one is in ``names_ok``. Reported once, at the first use of the rarer full name.
    Names that differ only at the end (Anna / Anne) and people who merely share a surname
    (Anna / Paul Brandt) are not conflicts.
    """
    candidates = {word: uses for word, uses in stats.candidates().items() if word not in variants}
    # Both spellings in real use: a spelling used once is N101's to judge.
    pool = sorted(word for word, uses in candidates.items() if uses >= 2 and word not in stats.ok)
    groups = _by_initial(pool)
    pairs = []
    for first in pool:
        for second, _ in _near(first, groups):
            if second > first and not (first in stats.bible and second in stats.bible) and near_miss(first, second, 2):
                pairs.append((first, second))
    if not pairs:
        return
    full_names = _full_names(stats, {name for pair in pairs for name in pair}, candidates)
    for first, second in pairs:
        for surname in sorted(
            {s for given, s in full_names if given == first} & {s for g, s in full_names if g == second}
        ):
            rare, common = sorted((first, second), key=lambda name: (candidates[name], name))
            yield Diagnostic(
                stats.place(full_names[(rare, surname)]),
                "N103",
                f"{rare} {surname} and {common} {surname}: one person spelled two ways? "
                f"did you mean {common} {surname}? ({common} {candidates[common]} uses, {rare} {candidates[rare]}); "
                f"if they are two people, list one under [check] names_ok",
                "error",
                names=(rare, common),
            )


def _full_names(stats: NameStats, given: set[str], candidates: dict[str, int]) -> dict[tuple[str, str], int]:
    """(given name, surname) -> offset of its first use, for the given names asked about: one
    scan of the text, whatever the number of pairs."""
    names = "|".join(re.escape(name) for name in sorted(given, key=len, reverse=True))
    pattern = re.compile(rf"(?<![^\W\d_])({names})\s+([^\W\d_]+)(?![^\W\d_])")
    seen: dict[tuple[str, str], int] = {}
    for match in pattern.finditer(stats.joined):
        surname = match.group(2)
        if surname in candidates or surname in stats.bible:
            seen.setdefault((match.group(1), surname), match.start())
    return seen


# ---------------------------------------------------------------- with a bible: cues and exits


def cue_owners(project: Project) -> dict[str, Character]:
    """Cue key -> the bible character it names: by full name, alias or cue, else by a word of
    the name that no other character shares ("EUPHEMIA" for Euphemia Gault)."""
    owners: dict[str, Character] = {}
    words: dict[str, list[Character]] = {}
    for character in project.characters:
        for form in character.names:
            owners.setdefault(cue_key(form), character)
        for word in WORD.findall(character.name):
            words.setdefault(word.upper(), []).append(character)
    for word, characters in words.items():
        if len(characters) == 1:
            owners.setdefault(word, characters[0])
    return owners


def check_unknown_cues(stats: NameStats, variants: dict[str, Variant], project: Project) -> Iterator[Diagnostic]:
    """N102 unknown cue: with a bible, a screenplay cue that names no character.

    A cue must be a character's name, an alias, its cue, or a word of its name that no other
    character shares. Reported once per cue, at its first speech, with how often it speaks.
    A near miss of a known cue is an N101 instead; minor speaking parts (WAITER, CROWD) can be
    listed in ``[check] names_ok``.
    """
    if not project.characters:
        return
    first: dict[str, Dialogue] = {}
    uses: Counter[str] = Counter()
    owners = cue_owners(project)
    for speaker, key in stats.cues:
        if not key or key in owners:
            continue
        words = [word.title() for word in WORD.findall(key)]
        if any(word in variants for word in words) or key.title() in stats.ok or key in stats.ok:
            continue
        first.setdefault(key, speaker)
        uses[key] += 1
    for key, speaker in first.items():
        count = uses[key]
        yield Diagnostic(
            speaker.span,
            "N102",
            f"cue {key} names no character in characters.yaml ({count} speech{'es' * (count != 1)}); "
            f"add it to the bible, as a character or an alias, or to [check] names_ok",
            "warning",
            names=(key,),
        )


def check_cue_drift(stats: NameStats, project: Project) -> Iterator[Diagnostic]:
    """N105 cue drift: one character cued by two different names (MARGOT here, MAGS there).

    Needs the bible to know that MAGS is Margot. The cue meant is the bible's ``cue`` when it
    gives one, else the cue the character speaks under most; every speech under another cue
    is reported, since a formatting program and an actor need one cue per character.
    """
    if not project.characters:
        return
    by_character: dict[str, Counter[str]] = {}
    cue_owner = cue_owners(project)
    owners: dict[str, Character] = {}
    for _, key in stats.cues:
        owner = cue_owner.get(key)
        if owner is not None:
            by_character.setdefault(owner.name, Counter())[key] += 1
            owners[owner.name] = owner
    for name, used in by_character.items():
        if len(used) < 2:
            continue
        character = owners[name]
        meant = cue_key(character.cue) if character.cue else max(sorted(used), key=lambda cue: used[cue])
        for speaker, key in stats.cues:
            if key in used and key != meant and cue_owner.get(key) is character:
                yield Diagnostic(
                    speaker.span,
                    "N105",
                    f"{key} cues {name}, who speaks as {meant} elsewhere ({used[meant]} speeches); use one cue",
                    "warning",
                )


def check_after_exit(story: Story) -> Iterator[Diagnostic]:
    """N104 after exit: a character present in a scene or passage after their ``exits`` day.

    The bible's ``exits`` (a date or ``DAY N``) is the last day a character can appear. In
    the screenplay a character is present who speaks or is named in the action of a scene
    set on a later day; in prose, one who speaks ("…," Lachlan said / said Lachlan). Being
    talked about is not presence: a funeral names the dead. Flashbacks are left out
    (``flashback: true`` chapters; undated scenes are never judged).
    """
    exits = [
        (character, story.calendar.resolve(character.exits))
        for character in story.project.characters
        if character.exits is not None
    ]
    if not exits:
        return
    speech = {character.name: _speaks(character) for character, _ in exits}
    for index, placement in enumerate(story.timeline.placements):
        if placement.day is None:
            continue
        for character, exit_day in exits:
            if not _after(placement.day, exit_day):
                continue
            if placement.scene is not None and character.name in story.present(index):
                yield _after_exit(character, _first_presence(placement.scene, character, story.cast), placement.day)
            elif placement.passage is not None and not (placement.chapter and placement.chapter.front.flashback):
                speaks, forms = speech[character.name]
                for block in placement.passage.blocks:
                    match = speaks.search(block.text) if any(f in block.text for f in forms) else None
                    if match is not None:
                        start = match.start("name") if match.group("name") else match.start("after")
                        yield _after_exit(character, place_in(block.span, block.text, start), placement.day)
                        break


def _after(day: StoryDay, exit_day: StoryDay) -> bool:
    if day.number is not None and exit_day.number is not None:
        return day.number > exit_day.number
    if day.date is not None and exit_day.date is not None:
        here, there = day.date.day_index(), exit_day.date.day_index()
        return here is not None and there is not None and here > there
    return False


def _speaks(character: Character) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A pattern for the character speaking ("Tobias said", "said Tobias"), and its name forms."""
    forms = tuple(sorted({*character.names, title_case(character.cue_name)}, key=len, reverse=True))
    names = "|".join(re.escape(form) for form in forms)
    pattern = re.compile(
        rf"(?<![^\W\d_])(?P<name>{names})(?![^\W\d_])\s+(?:{_SPEECH_VERBS})\b"
        rf"|\b(?:{_SPEECH_VERBS})\s+(?P<after>{names})(?![^\W\d_])"
    )
    return pattern, forms


def _first_presence(scene: Scene, character: Character, cast: CharacterIndex) -> Span:
    for element in scene.elements:
        for speaker in speakers(element):
            if cast.speaker(speaker.name) == character.name:
                return speaker.span
        if isinstance(element, Action):
            for number, line in enumerate(element.lines):
                found = [offset for offset, name in cast.find(plain(line)) if name == character.name]
                if found:
                    col = element.span.col + found[0] if number == 0 else 1 + found[0]
                    return Span(element.span.path, element.span.line + number, col)
    return scene.span


def _after_exit(character: Character, span: Span, day: StoryDay) -> Diagnostic:
    assert character.exits is not None
    return Diagnostic(
        span,
        "N104",
        f"{character.name} appears on {day.label()}, after their exit ({character.exits.text}, "
        f"characters.yaml line {character.exits.span.line})",
        "error",
    )


def check_names(story: Story) -> Iterator[Diagnostic]:
    """Every name finding: variants, conflicts, cues and exits."""
    stats = name_stats(story.project, story.config)
    variants = find_variants(stats)
    yield from check_name_variants(stats, variants)
    yield from check_given_names(stats, variants)
    yield from check_unknown_cues(stats, variants, story.project)
    yield from check_cue_drift(stats, story.project)
    yield from check_after_exit(story)
