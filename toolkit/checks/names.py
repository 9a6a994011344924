"""Name rules: one spelling per character, known cues, nobody on stage after their exit.

How names are found without a bible: a name is a capitalised word that the text never writes
in lower case ("Hemingway", not "The" or "Will"). Which spellings are typos of which is judged
from the evidence of the text (toolkit/checks/name_variants.py): only a character's name can
be mistyped, and a near miss that is used with its own given name or title, as a plural, as a
common word, or that the sentence points at, is someone or something else. A bible makes it
stricter, never weaker: its names are characters, any near miss of one is judged against it
however often it is used, and ``distinct`` keeps two people apart without exempting either's
typos.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

from toolkit.checks.name_text import NameStats, joint_speakers, name_stats, place_in
from toolkit.checks.name_variants import Variant, by_initial, find_variants, near, near_miss, variant_pairs
from toolkit.diagnostics import Diagnostic, Edit, Fix
from toolkit.model import (
    Action,
    Character,
    Dialogue,
    Passage,
    Project,
    Scene,
    Span,
    StoryDay,
    cue_key,
    plain,
    speakers,
)
from toolkit.resolve import Story
from toolkit.resolve.name_evidence import WORD, alternatives
from toolkit.resolve.presence import CharacterIndex, title_case

_SPEECH_VERBS = "said|says|asked|asks|replied|replies|answered|answers|whispered|shouted|called|added|told|tells"


def _occurrences(stats: NameStats, spellings: list[str]) -> Iterator[tuple[Span, str]]:
    """Every place a spelling is written, as it is written there (in capitals or not)."""
    forms = sorted({form for spelling in spellings for form in (spelling, spelling.upper())}, key=len, reverse=True)
    if not forms:
        return
    # The literals first and the word's start checked by hand: a lookbehind tried at every
    # position of a million-word text costs five times as much.
    # Only the groups whose words hold a spelling are read (NameStats.matches).
    pattern = re.compile(rf"{alternatives(forms)}(?![^\W\d_])")
    text = stats.joined
    for start, _, written in stats.matches(pattern, spellings):
        if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            yield stats.place(start), written


def _uses(variant: Variant) -> str:
    where = "characters.yaml" if variant.in_bible else ""
    count = f"{variant.uses} use{'s' * (variant.uses != 1)}"
    return f"({where}, {count})" if where else f"({count})"


def _message(written: str, model: str, variant: Variant) -> str:
    if variant.unsure:
        return (
            f"{written}: also spelled {model} ({variant.uses} uses, this spelling {variant.own_uses}); "
            f"one name spelled two ways? list the right one in characters.yaml"
        )
    return f"{written}: did you mean {model}? {_uses(variant)}"


def check_name_variants(stats: NameStats, variants: dict[str, Variant]) -> Iterator[Diagnostic]:
    """N101 name variant: a character's name mistyped.

    "Hemmingway" in a text where Hemingway speaks and acts 21 times is reported at each use:
    "did you mean Hemingway? (21 uses)". Only a character's name can be mistyped: a cue, a
    bible name, or a word the text uses as a person's ("said Emma", "Mr. Fennell", "Ahab
    went", a real given name). A near miss is someone or something else when it is written
    with a title or given name of its own ("Sir Thomas Baker" beside Mr. Barker), is a plural
    ("the Hallorans"), a common word of the project's language (any capitalised word of it in
    German), pointed at by its sentence ("Smyth's instead of Smith's", "[sic]"), or kept apart
    by the bible (``distinct``, both names in it) or by ``[check] names_ok``.

    Counts decide the rest: the name meant is used at least three times as often, or is in
    the bible. A slip of the first or last letter ("Carvet" for Carver, "Annabelk") needs more:
    the name used 8 times or more, the slip twice at most and no real given name or surname
    (Maria / Mario stay two people) unless it keeps the name's title or given name ("Mr.
    Fennel's"). When both spellings are in real use and nothing says which is right, the
    message asks instead of guessing; the bible's spelling is always the right one.
    Screenplay cues are checked too (OKONKOW where OKONKWO speaks), and so are names written
    in capitals in the action, against the cues and the bible ("ESTEFAN KOVACS enters").
    """
    # A use in capitals is of the spelling whose capitals it is: the title-case one (counts fold
    # capitals to it), or one written in mixed case ("AEmilia", whose capitals are AEMILIA).
    in_capitals = {spelling.upper(): spelling for spelling in variants}
    for span, written in _occurrences(stats, list(variants)):
        key = written if written in variants else written.title()
        variant = variants[key if key in variants else in_capitals[written]]
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
    fix = Fix(
        f"Replace {written} with {meant}", (Edit(span, written, meant),), safe=variant.in_bible and not variant.unsure
    )
    message = _message(written, meant, variant)
    return Diagnostic(span, "N101", message, "error", fix, (variant.spelling, variant.model))


def check_given_names(stats: NameStats, variants: dict[str, Variant]) -> Iterator[Diagnostic]:
    """N103 given-name conflict: one surname with two near-identical given names.

        "Stefan Kovacs" and "Stephan Kovacs" both in use (each spelling twice or more), neither an
        N101 variant: one person spelled two ways, unless both are characters of the bible (two
        people) or one is in ``names_ok``. Reported once in each file that writes the rarer full
    name, at its first use there: a book and its screenplay each get their copy.
        Names that differ only at the end (Anna / Anne), short names that differ in two places
        (Henry / Harry Dashwood) and people who merely share a surname (Anna / Paul Brandt)
        are not conflicts.
    """
    candidates = {word: uses for word, uses in stats.candidates().items() if word not in variants}
    # Both spellings in real use: a spelling used once is N101's to judge.
    pool = sorted(word for word, uses in candidates.items() if uses >= 2 and word not in stats.ok)
    groups = by_initial(pool)
    pairs = []
    for first in pool:
        for second, _ in near(first, groups):
            if (
                second > first
                and not (first in stats.bible and second in stats.bible)
                and near_miss(first, second, 2)
                and _one_spelling(first, second)
            ):
                pairs.append((first, second))
    if not pairs:
        return
    full_names = _full_names(stats, {name for pair in pairs for name in pair}, candidates)
    for first, second in pairs:
        for surname in sorted(
            {s for given, s, _ in full_names if given == first} & {s for g, s, _ in full_names if g == second}
        ):
            rare, common = sorted((first, second), key=lambda name: (candidates[name], name))
            for (given, name, _), offset in sorted(full_names.items()):
                if given != rare or name != surname:
                    continue
                yield Diagnostic(
                    stats.place(offset),
                    "N103",
                    f"{rare} {surname} and {common} {surname}: one person spelled two ways? "
                    f"did you mean {common} {surname}? ({common} {candidates[common]} uses, {rare} "
                    f"{candidates[rare]}); if they are two people, list one under [check] names_ok",
                    "error",
                    names=(rare, common),
                )


def _one_spelling(first: str, second: str) -> bool:
    """Whether two given names could be one name spelled two ways: in a short name the two
    edits must be one sound spelled otherwise (Stefan / Stephan: "f" for "ph"), not two letters
    changed (Henry / Harry, two names)."""
    a, b = first.lower(), second.lower()
    if min(len(a), len(b)) >= 8:
        return True
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    spots = (len(a) - start - end, len(b) - start - end)
    return max(spots) <= 2 and spots != (2, 2)


def _full_names(stats: NameStats, given: set[str], candidates: dict[str, int]) -> dict[tuple[str, str, str], int]:
    """(given name, surname, file) -> offset of its first use in that file, for the given names
    asked about: one scan of the text, whatever the number of pairs."""
    names = alternatives(given)
    # The literals first and the word's start checked by hand, the search going on from the next
    # character where a match starts inside a word (as the lookbehind "(?<![^\W\d_])" would have
    # it): that lookbehind tried at every position of a million-word text cost six times as much.
    pattern = re.compile(rf"({names})\s+([^\W\d_]+)(?![^\W\d_])")
    seen: dict[tuple[str, str, str], int] = {}
    text = stats.joined
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = match.start()
        if start and _LETTER.match(text, start - 1):
            position = start + 1
            continue
        position = match.end()
        surname = match.group(2)
        if surname in candidates or surname in stats.bible:
            seen.setdefault((match.group(1), surname, stats.path_at(start)), start)
    return seen


_LETTER = re.compile(r"[^\W\d_]")


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
    character shares; a joint cue ("TROY / BRITTA", "ANNIE AND ABED") names each of its
    speakers so. The bible's own forms name characters too: the plural of a word several of
    its names share is a group of them (CITIZENS beside First and Second Citizen), and a
    descriptor the bible puts before one character's name puts another's in its place (GHOST
    OF LADY ANNE, where it lists Ghost of Clarence beside Clarence). A line in capitals that
    the Fountain parser read as a cue (it holds a comma, "!", "--" or more than six words:
    "WINDOW, WHATEVER YOU DO, DO NOT") is no cue to judge.
    Reported once per cue, at its first speech, with how often it speaks. A near miss of a
    known cue is an N101 instead; minor speaking parts (WAITER, CROWD) can be listed in
    ``[check] names_ok``.
    """
    if not project.characters:
        return
    first: dict[str, Dialogue] = {}
    uses: Counter[str] = Counter()
    owners = cue_owners(project)
    forms = _CueForms(project, owners)
    for speaker, key in stats.cues:
        if not key or key in owners or all(forms.names(part) for part in joint_speakers(key)):
            continue
        words = [word.title() for word in WORD.findall(key)]
        if any(word in variants for word in words) or key.title() in stats.ok or key in stats.ok:
            continue
        first.setdefault(key, speaker)
        uses[key] += 1
    for key, speaker in first.items():
        count = uses[key]
        if count == 1 and _runs_on(stats, key, speaker):
            continue
        yield Diagnostic(
            speaker.span,
            "N102",
            f"cue {key} names no character in characters.yaml ({count} speech{'es' * (count != 1)}); "
            f"add it to the bible, as a character or an alias, or to [check] names_ok",
            "warning",
            names=(key,),
        )


class _CueForms:
    """How the bible's own cues name characters beyond a name, alias or cue: a group by the
    plural of a word several of them share (CITIZENS for First and Second Citizen, in "LORD
    MAYOR & CITIZENS"), and a character with a descriptor the bible itself puts before another
    character's name (GHOST OF LADY ANNE, where the bible has Ghost of Clarence beside Clarence;
    YOUNG JACK beside Young Rose and Rose)."""

    def __init__(self, project: Project, owners: dict[str, Character]) -> None:
        self.owners = owners
        sharers: dict[str, set[int]] = {}
        for character in project.characters:
            for word in WORD.findall(character.name):
                sharers.setdefault(word.upper(), set()).add(id(character))
        # Roles: a word of two characters' names or more, or a character named by one word.
        self.roles = {word for word, characters in sharers.items() if len(characters) > 1}
        self.roles |= {key for key in owners if " " not in key}
        self.descriptors: set[tuple[str, ...]] = set()
        for key, character in owners.items():
            words = tuple(key.split())
            for cut in range(1, len(words)):
                other = owners.get(" ".join(words[cut:]))
                if other is not None and other is not character:
                    self.descriptors.add(words[:cut])

    def names(self, part: str) -> bool:
        """Whether a cue (or one speaker of a joint cue) names a character of the bible or a group of them."""
        if part in self.owners or self._group(part):
            return True
        words = part.split()
        return any(
            tuple(words[:cut]) in self.descriptors and " ".join(words[cut:]) in self.owners
            for cut in range(1, len(words))
        )

    def _group(self, part: str) -> bool:
        """CITIZENS, WATCHMEN: the plural of a role."""
        singulars = (part[:-1], part[:-2]) if part.endswith("ES") else (part[:-1],) if part.endswith("S") else ()
        if part.endswith("MEN"):
            singulars = (part[:-3] + "MAN",)
        return " " not in part and any(word in self.roles for word in singulars)


def _runs_on(stats: NameStats, key: str, speaker: Dialogue) -> bool:
    """A line in capitals that the sentence runs on from in lower case ("THIS WAY WILL I" /
    "disrobe the images,", a half line of verse set in bold), made of words the text writes in
    lower case: no speaker's name, though the Fountain parser read it as a cue."""
    line = plain(speaker.lines[0].text).strip() if speaker.lines else ""
    return line[:1].islower() and all(len(word) == 1 or word.lower() in stats.lower for word in WORD.findall(key))


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
                passage = placement.passage
                found = story.memo.get(
                    "speaks", (passage,), functools.partial(_speaking, passage, speaks, forms), (speaks.pattern, forms)
                )
                if found is not None:
                    yield _after_exit(character, found, placement.day)


def _speaking(passage: Passage, speaks: re.Pattern[str], forms: tuple[str, ...]) -> Span | None:
    """Where the passage first has the character speak (``_speaks``), if it does."""
    for block in passage.blocks:
        match = speaks.search(block.text) if any(f in block.text for f in forms) else None
        if match is not None:
            start = match.start("name") if match.group("name") else match.start("after")
            return place_in(block.span, block.text, start)
    return None


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


# The name statistics of a story and ``variant_pairs``'s answer for them (``name_pairs``).
NamePairs = tuple[NameStats, tuple[dict[str, int], list[tuple[str, str]]]]


def name_pairs(story: Story, skip: frozenset[str] = frozenset()) -> NamePairs:
    """What ``check_names`` works out first: the name statistics of the story (files in ``skip``
    left out) and the pairs of spellings its judge is to weigh."""
    stats = name_stats(story.project, story.config, skip, story.memo)
    return stats, variant_pairs(stats)


def check_names(
    story: Story, skip: frozenset[str] = frozenset(), exits: bool = True, size: int = 0, paired: NamePairs | None = None
) -> Iterator[Diagnostic]:
    """Every name finding: variants, conflicts, cues and (``exits``) exits; files in ``skip``
    (mojibake, E101) are left out. ``size``: see find_variants. ``paired``: ``name_pairs``'s
    answer for the same story and ``skip``, when the caller worked it out already."""
    stats, pairs = name_pairs(story, skip) if paired is None else paired
    variants = find_variants(stats, story.memo, size, pairs)
    yield from check_name_variants(stats, variants)
    yield from check_given_names(stats, variants)
    yield from check_unknown_cues(stats, variants, story.project)
    yield from check_cue_drift(stats, story.project)
    if exits:
        yield from check_after_exit(story)
