"""Who the characters are (bible, then cues), and who is present in each chapter passage and scene."""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.model import Action, Passage, Placement, Project, Scene, cue_key, plain, speakers


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
        """(offset, canonical name) of every mention in ``text``, in text order."""
        if self.pattern is None:
            return []
        found: list[tuple[int, str]] = []
        for match in self.pattern.finditer(text):
            # A name may be wrapped across lines in the source: "Maren\nBrinn" is "Maren Brinn".
            found.extend((match.start(), name) for name in self.by_surface[" ".join(match.group(0).split())])
        return found

    def speaker(self, cue: str) -> str:
        """The canonical name of the character who speaks under ``cue`` (a speech's ``name``)."""
        return self.by_cue.get(cue) or title_case(cue)


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


def _screenplay_cues(project: Project) -> list[str]:
    """Upper-cased cue names in order of first speech across the screenplay."""
    if project.screenplay is None:
        return []
    seen: dict[str, None] = {}
    for scene in project.screenplay.scenes:
        for cue in scene.cues:
            if cue:
                seen.setdefault(cue, None)
    return list(seen)


def character_index(project: Project) -> CharacterIndex:
    """Every character of the project: the bible's, then the cues it does not cover."""
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
    for cue in _screenplay_cues(project):
        if cue not in by_cue:
            add(title_case(cue), (title_case(cue), cue))

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
