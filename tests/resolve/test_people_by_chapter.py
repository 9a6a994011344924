"""The people a book with no bible names, gathered chapter by chapter and kept in the cache (issue 16).

``people_in_prose`` with the pipeline's cache gathers each chapter's evidence apart (with the
text of the chapters beside it as far as ``gather`` reads) and keeps it by that text: an edit
gathers its own chapter again. The answer must be what the whole text gives.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

import toolkit.resolve.presence
from tests.conftest import REPO, story_of
from toolkit import pipeline
from toolkit.model import PROSE_KINDS, Project
from toolkit.parsers.markdown import parse_chapters
from toolkit.resolve.name_evidence import MAX_USES, gather, word_counts
from toolkit.resolve.presence import _evidence_by_chapter, people_in_prose


class Store:
    """A cache's ``remember`` in memory, counting what it made."""

    def __init__(self) -> None:
        self.kept: dict[str, Any] = {}
        self.made = 0

    def __call__(self, kind: str, key: str, make, of) -> Any:
        if key not in self.kept:
            self.made += 1
            self.kept[key] = make()
        return self.kept[key]


def _texts(chapters) -> list[str]:
    return [
        "\n".join(block.text for block in blocks)
        for chapter in chapters
        if (blocks := [block for block in chapter.blocks if block.kind in PROSE_KINDS])
    ]


def _same_as_whole(texts: list[str], spellings: tuple[str, ...], language: str = "en") -> None:
    whole = gather("\n".join(texts), spellings, set(spellings), language)
    store = Store()
    assert _evidence_by_chapter(texts, spellings, language, store) == whole
    made = store.made
    assert _evidence_by_chapter(texts, spellings, language, store) == whole
    assert store.made == made  # all from the store the second time


def test_a_published_novel_gathered_by_chapter_is_the_whole_text() -> None:
    """Every capitalised word of Persuasion (its main characters' counts reached mid-chapter)."""
    path = REPO / "benchmarks" / "corpus" / "names" / "austen-persuasion.md"
    chapters = parse_chapters("manuscript/persuasion.md", path.read_text(encoding="utf-8"))
    texts = _texts(chapters)
    assert len(texts) > 20
    spellings = tuple(word for word in word_counts("\n".join(texts)) if word[0].isupper())
    _same_as_whole(texts, spellings)
    project = Project(root=".", chapters=tuple(chapters), screenplay=None, characters=())
    assert people_in_prose(project, "en", Store()) == people_in_prose(project, "en")


def test_what_a_use_reads_across_a_chapters_edge_is_read_the_same() -> None:
    """A list of children headed in the chapter before (300 characters back), "instead of" at
    the start of the chapter after, a count reached in the middle of a chapter, a name in capitals
    and two spellings that share their capitals: each as the whole text has it."""
    filler = "The tide came in over the flats and nobody spoke of it. " * 5
    sons = ", ".join(f"Ka{a}{b}" for a in "bdfgk" for b in "bdfgkmnp")  # 40 names: the head ~300 back
    texts = [
        "Corin said nothing. " * 40 + filler + f"The sons of Cush were: Seba, Havilah, {sons} and Sabtah",
        "Raamah, Sabteca and Dedan went. She wrote Smyth",
        "instead of Smith. CORIN shouted. McDonald came. Mcdonald went. MCDONALD said so. " + "Corin went on. " * 200,
        "Corin said yes. Sabteca went. Smith said no. " * 3,
    ]
    spellings = ("Corin", "Seba", "Havilah", "Sabtah", "Raamah", "Sabteca", "Smyth", "Smith", "McDonald", "Mcdonald")
    whole = gather("\n".join(texts), spellings, set(spellings), "en")
    assert "Cush" in whole["Sabteca"].parents and whole["Smyth"].pointed and whole["Corin"].capped
    _same_as_whole(texts, spellings)
    by_chapter = _evidence_by_chapter(texts, spellings, "en", Store())
    assert by_chapter["Corin"].acts == whole["Corin"].acts > 0
    assert MAX_USES == 150


def _bibleless(tmp_path: Path) -> Path:
    """The sample with no bible: its people come from its prose (and its screenplay's cues)."""
    root = tmp_path / "sample"
    root.mkdir()
    shutil.copy2(REPO / "fabula.toml", root / "fabula.toml")
    for folder in ("manuscript", "screenplay"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _people(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[set[str], tuple[str, ...]]:
    """The chapters whose evidence was gathered (not found in the cache), and the people."""
    gathered: set[int] = set()
    real = toolkit.resolve.presence.gather

    def counting(text, spellings, names, language, complete=None, **options):
        if options.get("within") is not None:
            gathered.add(hash(text[options["within"][0] : options["within"][1]]))
        return real(text, spellings, names, language, complete, **options)

    monkeypatch.setattr(toolkit.resolve.presence, "gather", counting)
    with pipeline.Run.open(root) as run:
        story = run.resolve(run.load())
        people = story.people.order
        texts = {hash(text): chapter.span.path for chapter in story.project.chapters for text in _texts([chapter])}
    monkeypatch.setattr(toolkit.resolve.presence, "gather", real)
    return {texts[key] for key in gathered}, people


def _append(root: Path, path: str, text: str) -> None:
    source = root / path
    source.write_text(source.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_edit_gathers_its_own_chapters_evidence_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _bibleless(tmp_path)
    gathered, people = _people(root, monkeypatch)
    assert len(gathered) == 6 and people == story_of(root).people.order
    assert _people(root, monkeypatch) == (set(), people)
    source = root / "manuscript/3-hogmanay.md"
    text = source.read_text(encoding="utf-8")
    middle = text.index("\n\n", len(text) // 2)
    source.write_text(text[:middle] + "\n\nMaren and Callum watched the lights.\n" + text[middle:], encoding="utf-8")
    gathered, people = _people(root, monkeypatch)
    assert gathered == {"manuscript/3-hogmanay.md"}
    assert people == story_of(root).people.order
    # At its end, the edit is also in what the next chapter's first uses read (REACH_BEFORE).
    _append(root, "manuscript/3-hogmanay.md", "\nMaren and Callum watched the harbour lights.\n")
    gathered, people = _people(root, monkeypatch)
    assert gathered == {"manuscript/3-hogmanay.md", "manuscript/4-arrangements.md"}
    assert people == story_of(root).people.order


def test_a_new_name_in_one_chapter_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new person (a word now used three times, twice acting) changes whom every chapter's
    evidence is asked about: it is gathered again, and the person is found."""
    root = _bibleless(tmp_path)
    _, before = _people(root, monkeypatch)
    assert "Torquil" not in before
    _append(root, "manuscript/5-the-crossing.md", "\nTorquil said nothing. Torquil went down. Torquil waited.\n")
    gathered, people = _people(root, monkeypatch)
    assert "Torquil" in people and people == story_of(root).people.order
    assert len(gathered) == 6
    # And taken out again: the earlier answer (and its entries' keys) comes back.
    source = root / "manuscript/5-the-crossing.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Torquil", "He"), encoding="utf-8")
    _, people = _people(root, monkeypatch)
    assert people == before == story_of(root).people.order


def test_a_name_that_stops_acting_in_one_chapter_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A person whose acting uses are all in one chapter, renamed there: no longer a person."""
    root = _bibleless(tmp_path)
    _append(root, "manuscript/2-the-glass-falls.md", "\nWilla said so. Willa went. Willa laughed.\n")
    _, people = _people(root, monkeypatch)
    assert "Willa" in people
    source = root / "manuscript/2-the-glass-falls.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Willa said so. Willa went.", "The willa."), encoding="utf-8"
    )
    _, people = _people(root, monkeypatch)
    assert "Willa" not in people and people == story_of(root).people.order


def test_random_edits_to_a_book_with_no_bible_then_incremental_equals_clean(tmp_path: Path) -> None:
    """The outline and the report (who is present, by the people the prose names) after edits
    here and there, with the cache, are byte for byte those of a build without it."""
    from tests.test_incremental import FAST, build, outputs

    root = _bibleless(tmp_path)
    rng = random.Random(20261202)
    build(root, FAST)
    lines = [
        "Torquil said nothing, and Maren went out.",
        "Callum laughed. Torquil went down to the boats.",
        "Nobody spoke of Hector again.",
    ]
    for round_number in range(8):
        chapters = sorted((root / "manuscript").glob("*.md"))
        path = rng.choice(chapters)
        paragraphs = path.read_text(encoding="utf-8").split("\n\n")
        index = rng.randrange(1, len(paragraphs) + 1)
        kind = rng.choice(["add", "add", "delete", "swap"])
        if kind == "add" or len(paragraphs) < 4:
            paragraphs.insert(index, rng.choice(lines))
        elif kind == "delete":
            del paragraphs[min(index, len(paragraphs) - 1)]
        else:
            words = paragraphs[index - 1].split(" ")
            rng.shuffle(words)
            paragraphs[index - 1] = " ".join(words)
        path.write_text("\n\n".join(paragraphs), encoding="utf-8")
        build(root, FAST)
        clean = tmp_path / f"clean-{round_number}"
        build(root, FAST, out=clean, cache=False)
        incremental = outputs(root / "output")
        for name, data in outputs(clean).items():
            assert incremental[name] == data, f"round {round_number} after {kind} in {path.name}: {name} differs"
