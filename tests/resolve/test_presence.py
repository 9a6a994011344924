"""Who is present: bible names and aliases in prose, cues and action in scenes, cues alone without a bible."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import paragraph as Paragraph
from toolkit.config import Config
from toolkit.model import (
    Action,
    Character,
    Dialogue,
    DialogueLine,
    DualDialogue,
    Passage,
    Project,
    Run,
    Scene,
    SceneHeading,
    Screenplay,
    Span,
    cue_key,
)
from toolkit.parsers.markdown import parse_chapters
from toolkit.resolve import resolve
from toolkit.resolve.presence import _unanchored, character_index, people_in_prose
from toolkit.resolve.presence import characters_in_passage as _in_passage
from toolkit.resolve.presence import characters_in_scene as _in_scene

BIBLE = (
    Character(Span("characters.yaml", 1), "Margot Keller", aliases=("Margot", "Mags")),
    Character(Span("characters.yaml", 5), "Jo Adeyemi", aliases=("Jo",), cue="JO"),
    Character(Span("characters.yaml", 9), "Anne-Marie Roux", aliases=("Anne-Marie",), cue="ANNE-MARIE"),
    Character(Span("characters.yaml", 13), "Anne Byrne", aliases=("Anne",)),
)


def characters_in_passage(text: Passage, proj: Project) -> tuple[str, ...]:
    return _in_passage(text, character_index(proj))


def characters_in_scene(shot: Scene, proj: Project) -> tuple[str, ...]:
    return _in_scene(shot, character_index(proj))


def passage(*texts: str) -> Passage:
    paragraphs = tuple(Paragraph(Span("manuscript/01.md", 3 + 2 * i), text) for i, text in enumerate(texts))
    return Passage(Span("manuscript/01.md", 3), None, paragraphs, sum(len(t.split()) for t in texts))


def action(text: str, line: int = 2) -> Action:
    return Action(Span("screenplay/a.fountain", line), ((Run(text),),))


def speech(cue: str, text: str = "Hello.", line: int = 4) -> Dialogue:
    name = cue_key(cue)
    span = Span("screenplay/a.fountain", line)
    return Dialogue(span, cue, name, (DialogueLine(span, (Run(text),)),))


def scene(*elements, heading: str = "INT. FLAT - NIGHT") -> Scene:
    head = SceneHeading(Span("screenplay/a.fountain", 1), (Run(heading),))
    return Scene(Span("screenplay/a.fountain", 1), head, tuple(elements))


def project(bible=BIBLE, scenes: tuple[Scene, ...] = ()) -> Project:
    screenplay = Screenplay(("screenplay/a.fountain",), (), (), scenes) if scenes else None
    return Project("/tmp/p", (), screenplay, bible)


def test_prose_names_and_aliases_in_order_of_first_mention():
    text = passage("Mags put the kettle on.", "Jo came in. Margot Keller smiled at Jo.")
    assert characters_in_passage(text, project()) == ("Margot Keller", "Jo Adeyemi")


def test_prose_possessives_and_markdown_emphasis_count():
    text = passage("It was Jo's coat, and *Margot’s* keys, and _Anne_ at the door.")
    assert characters_in_passage(text, project()) == ("Jo Adeyemi", "Margot Keller", "Anne Byrne")


def test_prose_names_inside_other_words_do_not_count():
    text = passage("Joanna and Jonah went jogging; MargotX and the Annex were closed.")
    assert characters_in_passage(text, project()) == ()


def test_prose_is_case_sensitive_for_names():
    assert characters_in_passage(passage("jo, margot and mags were lower case."), project()) == ()


def test_hyphenated_name_is_one_character_not_two():
    assert characters_in_passage(passage("Anne-Marie waved."), project()) == ("Anne-Marie Roux",)
    assert characters_in_passage(passage("Anne--tired--waved."), project()) == ("Anne Byrne",)


def test_scene_speakers_and_action_names_in_order():
    shot = scene(
        action("MARGOT (40s) reads by the window."),
        speech("JO (O.S.)", "Where's Anne?"),
        speech("MAGS"),
    )
    assert characters_in_scene(shot, project()) == ("Margot Keller", "Jo Adeyemi")


def test_scene_heading_and_dialogue_mentions_do_not_put_a_character_in_the_room():
    shot = scene(speech("JO", "Margot left hours ago."), heading="INT. MARGOT'S FLAT - NIGHT")
    assert characters_in_scene(shot, project()) == ("Jo Adeyemi",)


def test_scene_dual_dialogue_counts_both_speakers():
    dual = DualDialogue(Span("screenplay/a.fountain", 4), speech("JO"), speech("ANNE-MARIE"))
    assert characters_in_scene(scene(dual), project()) == ("Jo Adeyemi", "Anne-Marie Roux")


def test_speaker_missing_from_the_bible_is_reported_title_cased():
    shot = scene(speech("WAITER"), speech("JO"))
    assert characters_in_scene(shot, project(scenes=(shot,))) == ("Waiter", "Jo Adeyemi")


def test_without_a_bible_cues_are_the_characters():
    shots = (scene(speech("MARGOT"), speech("DR. O'HARA")), scene(action("Margot waits. DR. O'HARA enters.")))
    proj = project(bible=(), scenes=shots)
    assert character_index(proj).order == ("Margot", "Dr. O'Hara")
    assert characters_in_scene(shots[1], proj) == ("Margot", "Dr. O'Hara")
    assert characters_in_passage(passage("Dr. O'Hara's car. Margot's bag."), proj) == ("Dr. O'Hara", "Margot")


def test_a_cue_with_an_apostrophe_is_title_cased_as_prose_writes_it():
    """str.title capitalises after every apostrophe ("Will'S Date"): only a one-letter prefix keeps it."""
    from toolkit.resolve.presence import title_case

    cues = ("WILL'S DATE", "DR. O'HARA", "D'ARCY", "MAREN'S DAD", "DON'T", "O’NEIL", "JEAN-LUC")
    assert [title_case(cue) for cue in cues] == [
        "Will's Date",
        "Dr. O'Hara",
        "D'Arcy",
        "Maren's Dad",
        "Don't",
        "O’Neil",
        "Jean-Luc",
    ]
    shot = scene(speech("WILL'S DATE"))
    assert characters_in_scene(shot, project(bible=(), scenes=(shot,))) == ("Will's Date",)


def test_no_characters_at_all():
    assert characters_in_passage(passage("Nobody here."), project(bible=())) == ()


def test_one_index_finds_every_name_of_a_large_cast():
    names = tuple(
        Character(Span("characters.yaml", i), f"Person{i} Surname", aliases=(f"Person{i}",)) for i in range(300)
    )
    cast = character_index(project(bible=names))
    text = passage(" ".join(f"Person{i} met Person{i + 1}." for i in range(0, 300, 7)))
    found = _in_passage(text, cast)
    assert found[:3] == ("Person0 Surname", "Person1 Surname", "Person7 Surname")
    assert len(found) == 2 * len(range(0, 300, 7))


def test_stray_cue_extensions_do_not_make_a_new_character():
    """One function names the character of a cue, for the parser and the bible alike."""
    assert cue_key("@Jo (V.O.) (CONT'D) ^") == cue_key("JO") == "JO"
    assert cue_key("Dr.  O'Hara (O.S.") == "DR. O'HARA"
    assert characters_in_scene(scene(speech("JO (V.O.) ^")), project()) == ("Jo Adeyemi",)


def test_prose_names_a_character_by_the_title_cased_cue():
    bible = (
        Character(Span("characters.yaml", 1), "Maren Brinn", aliases=("Minnow",), cue="MAREN"),
        Character(Span("characters.yaml", 5), "Ifeoma Okafor", cue="DR OKAFOR"),
        Character(Span("characters.yaml", 9), "Callum Reid"),  # default cue: CALLUM
    )
    text = passage("Callum ran. Dr Okafor came.", "Maren watched; Minnow, he called her.")
    found = characters_in_passage(text, project(bible=bible))
    assert found == ("Callum Reid", "Ifeoma Okafor", "Maren Brinn")


def test_a_full_name_wrapped_across_lines_still_counts():
    assert characters_in_passage(passage("and then Margot\nKeller left."), project()) == ("Margot Keller",)


NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(names=st.lists(NAMES, min_size=1, max_size=4), text=st.text(max_size=80))
def test_any_names_and_text_give_names_that_really_occur(names, text):
    bible = tuple(Character(Span("characters.yaml", i + 1), name, cue="X" * (i + 1)) for i, name in enumerate(names))
    found = characters_in_passage(passage(text), project(bible=bible))
    canonical = {c.name for c in bible}
    assert set(found) <= canonical and len(found) == len(set(found))
    squashed = " ".join(text.split())
    for name in found:
        forms = {" ".join(f.split()) for c in bible if c.name == name for f in (*c.names, c.cue_name.title())}
        assert any(form and (form in squashed or form.upper() in squashed) for form in forms)


# ---------------------------------------------------------------- no bible: the people the prose names

AUSTEN = Path(__file__).resolve().parents[2] / "benchmarks" / "corpus" / "names"


def _novel(name: str, language: str = "en") -> Project:
    text = (AUSTEN / f"{name}.md").read_text(encoding="utf-8")
    return Project(root=".", chapters=parse_chapters(f"manuscript/{name}.md", text, language), screenplay=None)


def test_without_a_bible_a_published_novel_outline_names_its_people():
    """Sense and Sensibility as published, no bible: the outline names the Dashwood sisters and
    the men they marry, every chapter names somebody, and what it names is people (measured on
    every corpus book by benchmarks/people.py)."""
    story = resolve(_novel("austen-sense-and-sensibility"), Config())
    people = story.people.order
    assert {"Elinor", "Marianne", "Edward", "Willoughby", "Brandon", "Dashwood"} <= set(people)
    # Bible words of the book's characters, or people it leaves out (Donavan, the apothecary).
    bible = {"Elinor", "Marianne", "Margaret", "Dashwood", "Edward", "Ferrars", "Robert", "Willoughby"}
    bible |= {"Brandon", "Jennings", "Middleton", "John", "Fanny", "Lucy", "Steele", "Palmer", "Charlotte"}
    bible |= {"Anne", "Sophia", "Grey", "Morton", "Smith", "Donavan", "Thomas", "Eliza"}
    assert set(people) <= bible, set(people) - bible
    rows = [entry for row in story.outline.rows for entry in getattr(row, "entries", ())]
    chapters = [entry for entry in story.outline.undated if entry.title.startswith("CHAPTER")] + rows
    assert len(chapters) == 50
    assert all(entry.characters for entry in chapters)
    # The checks still see the cast alone: no bible and no screenplay, no characters.
    assert story.cast.order == ()


def test_with_a_bible_only_its_characters_are_present():
    project = _novel("austen-northanger-abbey")
    bible = (Character(Span("characters.yaml", 1), "Catherine Morland", aliases=("Catherine",)),)
    story = resolve(dataclasses.replace(project, characters=bible), Config())
    assert story.people is story.cast
    assert {name for present in story.presence for name in present} == {"Catherine Morland"}


def test_a_family_and_a_place_are_not_people():
    text = (
        "# One\n\n"
        + "Admiral Croft came in, and Mrs. Croft said nothing. The Crofts went home. " * 3
        + "At Mount Kellynch the road went on. Mount Kellynch stood over the sea. " * 3
        + "Anne said so; Anne went out; Anne laughed. "
    )
    project = Project(root=".", chapters=parse_chapters("manuscript/1.md", text), screenplay=None)
    assert set(people_in_prose(project, "en")) == {"Croft", "Anne"}


def test_in_german_a_capitalised_noun_is_not_a_person():
    text = "# Eins\n\n" + "Der Mann ging hinaus, und der Hund kam. Anna sagte nichts. Anna ging. " * 3
    project = Project(root=".", chapters=parse_chapters("manuscript/1.md", text, "de"), screenplay=None)
    assert people_in_prose(project, "de") == ("Anna",)


def _finditer(cast, text: str) -> list[tuple[int, str]]:
    """What ``CharacterIndex.find`` gave before it searched without the lookbehinds."""
    assert cast.pattern is not None
    return [
        (match.start(), name)
        for match in cast.pattern.finditer(text)
        for name in cast.by_surface[" ".join(match.group(0).split())]
    ]


@settings(max_examples=300, deadline=None)
@given(
    names=st.lists(NAMES, min_size=1, max_size=4),
    pieces=st.lists(st.one_of(st.sampled_from(["-", " ", "\n", "_", "a", "1", "'s", "é", "—"]), st.text(max_size=6))),
    picks=st.lists(st.integers(min_value=0, max_value=3), max_size=12),
)
def test_finding_names_without_the_lookbehinds_first_finds_what_the_whole_pattern_finds(names, pieces, picks):
    """``find`` searches for the names alone (``re`` then skips to the letters a name starts with)
    and checks each place with the whole pattern: the same places and names as the pattern's
    own ``finditer``, for names and text of any characters (names touching letters, digits,
    hyphens and underscores included)."""
    bible = tuple(Character(Span("characters.yaml", i + 1), name, cue="X" * (i + 1)) for i, name in enumerate(names))
    cast = character_index(project(bible=bible))
    text = "".join(
        piece + (names[pick % len(names)] if index < len(picks) and (pick := picks[index]) else "")
        for index, piece in enumerate(pieces)
    )
    assert _unanchored(cast.pattern).pattern.startswith("(?:")
    assert cast.find(text) == _finditer(cast, text)


def test_names_in_a_large_text_are_found_as_the_whole_pattern_finds_them():
    text = (AUSTEN / "austen-persuasion.md").read_text(encoding="utf-8")
    names = ("Anne", "Anne Elliot", "Elliot", "Wentworth", "Frederick Wentworth", "Musgrove", "Lady Russell", "Mary")
    bible = tuple(Character(Span("characters.yaml", i + 1), name, cue="X" * (i + 1)) for i, name in enumerate(names))
    cast = character_index(project(bible=bible))
    found = cast.find(text)
    assert len(found) > 1000 and found == _finditer(cast, text)
