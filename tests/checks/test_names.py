"""Name rules N101-N105: loud on real variants, quiet on different people and common words."""

from __future__ import annotations

from pathlib import Path

from toolkit import pipeline
from toolkit.checks.run import run_checks
from toolkit.diagnostics import Diagnostic

FILLER = "The wind came off the sea and nobody said a word about the winter."


def _project(tmp_path: Path, prose: str = "", fountain: str = "", bible: str = "", toml: str = "") -> Path:
    if prose:
        (tmp_path / "manuscript").mkdir()
        (tmp_path / "manuscript" / "01-one.md").write_text(prose, encoding="utf-8")
    if fountain:
        (tmp_path / "screenplay").mkdir()
        (tmp_path / "screenplay" / "01-one.fountain").write_text(fountain, encoding="utf-8")
    if bible:
        (tmp_path / "characters.yaml").write_text(bible, encoding="utf-8")
    if toml:
        (tmp_path / "fabula.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def _check(root: Path) -> list[Diagnostic]:
    return run_checks(pipeline.story(root, use_cache=False))


def _paragraphs(*sentences: str) -> str:
    return "# One\n\n" + "\n\n".join(f"{sentence} {FILLER}" for sentence in sentences) + "\n"


def test_variant_of_a_frequent_name_is_reported_at_each_use_with_the_name_meant(tmp_path: Path) -> None:
    prose = _paragraphs(*["In the end Hemingway went home."] * 21, "Then Hemmingway came.", "Later Hemmingwey left.")
    found = _check(_project(tmp_path, prose))
    assert [(d.span.line, d.span.col, d.code, d.message) for d in found] == [
        (45, 6, "N101", "Hemmingway: did you mean Hemingway? (21 uses)"),
        (47, 7, "N101", "Hemmingwey: did you mean Hemingway? (21 uses)"),
    ]


def test_different_people_are_not_variants(tmp_path: Path) -> None:
    """Maria / Mario, Juan / Juana (the ending), Karen / Maren (the first letter), two Brandts."""
    prose = _paragraphs(
        *["At noon Maria sailed, and Juan rowed with Maren and Anna Brandt."] * 12,
        "By night Mario came, with Juana and Karen and Paul Brandt.",
    )
    assert _check(_project(tmp_path, prose)) == []


def test_common_words_are_not_variants_of_names(tmp_path: Path) -> None:
    """A sentence that opens with "When" is no misspelling of a character called Wren."""
    prose = _paragraphs(*["When it rained the lamp went out."] * 3, *["At noon Wren came."] * 9)
    bible = "- name: Tobias Wren\n"
    assert _check(_project(tmp_path, prose, bible=bible)) == []


def test_bible_names_are_exact_whatever_the_counts(tmp_path: Path) -> None:
    prose = _paragraphs(*["At dusk Katherine lit the lamp."] * 5, "At dawn Katharine slept.")
    found = _check(_project(tmp_path, prose, bible="- name: Katharine Vell\n"))
    assert [d.code for d in found] == ["N101"] * 5
    assert found[0].message == "Katherine: did you mean Katharine? (characters.yaml, 1 use)"


def test_distinct_and_names_ok_silence_a_variant(tmp_path: Path) -> None:
    prose = _paragraphs(*["At noon Margot sailed."] * 9, "Then Margit sank.", "Then Margat sank.")
    root = _project(
        tmp_path, prose, bible="- name: Margot Hale\n  distinct: [Margit]\n", toml='[check]\nnames_ok = ["Margat"]\n'
    )
    assert _check(root) == []


def test_given_name_conflict_reported_once_at_the_rarer_full_name(tmp_path: Path) -> None:
    prose = _paragraphs(*["Then Stefan Kovacs spoke."] * 6, *["Then Stephan Kovacs spoke."] * 4)
    found = _check(_project(tmp_path, prose))
    assert [(d.span.line, d.code) for d in found] == [(15, "N103")]
    assert "did you mean Stefan Kovacs?" in found[0].message


def test_cue_variant_without_a_bible(tmp_path: Path) -> None:
    fountain = "INT. ROOM - DAY\n\n" + "OKONKWO\nYes.\n\n" * 10 + "OKONKOW\nNo.\n"
    found = _check(_project(tmp_path, fountain=fountain))
    assert [(d.span.line, d.code, d.message) for d in found] == [
        (33, "N101", "OKONKOW: did you mean OKONKWO? (10 uses)")
    ]


def test_unknown_cue_and_cue_drift_with_a_bible(tmp_path: Path) -> None:
    fountain = "INT. ROOM - DAY\n\nMARGOT\nYes.\n\nMARGOT\nYes.\n\nMAGS\nNo.\n\nWAITER\nTea?\n\nFERRYMAN\nAboard.\n"
    bible = "- name: Margot Hale\n  aliases: [Mags]\n  cue: MARGOT\n"
    found = _check(_project(tmp_path, fountain=fountain, bible=bible, toml='[check]\nnames_ok = ["WAITER"]\n'))
    assert [(d.span.line, d.code, d.severity) for d in found] == [(9, "N105", "warning"), (15, "N102", "warning")]


def test_after_exit_counts_speech_not_mentions(tmp_path: Path) -> None:
    prose = (
        "# DAY 1\n\n“We go at dawn,” said Tobias.\n\n"
        "# DAY 3\n\nTobias's coat hung by the door.\n\n“Leave it,” Tobias said.\n"
    )
    found = _check(_project(tmp_path, prose, bible="- name: Tobias Wren\n  exits: DAY 2\n"))
    assert [(d.span.line, d.span.col, d.code) for d in found] == [(9, 13, "N104")]


def test_real_screenplays_report_only_their_real_inconsistencies(corpus_dir: Path, tmp_path: Path) -> None:
    """Precision on real text, without a bible: of the shared corpus, two real slips are found
    (Big Fish spells Wilbur Freely once as Freeley; a script has Jaime for Jamie once), and
    nothing else: no sound effect in capitals (BOOM beside BLOOM), no common word, no pair of
    different people."""
    found: list[str] = []
    for script in sorted(corpus_dir.glob("*.fountain")):
        root = tmp_path / script.stem
        (root / "screenplay").mkdir(parents=True)
        (root / "screenplay" / script.name).write_bytes(script.read_bytes())
        found.extend(f"{script.stem}: {d.code} {d.message}" for d in _check(root))
    assert found == [
        "big-fish: N101 Freeley: did you mean Freely? (6 uses)",
        "complete-and-utter-nonsense: N101 Jaime: did you mean Jamie? (29 uses)",
    ]


def test_the_sample_is_clean_without_its_bible_too(sample_project: Path) -> None:
    """Without characters.yaml the names come from the prose and the cues alone: still quiet."""
    (sample_project / "characters.yaml").unlink()
    assert _check(sample_project) == []


def test_the_small_word_list_judges_common_words_as_the_large_one_does() -> None:
    """common_word reads wordfreq's "small" list for speed; for English, the sample's language,
    every word the "large" list puts at the threshold or over is in it with the same frequency."""
    from wordfreq import get_frequency_dict, zipf_frequency

    from toolkit.checks.name_variants import _COMMON, common_word

    small, large = get_frequency_dict("en", "small"), get_frequency_dict("en", "large")
    threshold = 10 ** (_COMMON - 0.01 - 9)  # zipf_frequency rounds to two decimals
    common = {word: freq for word, freq in large.items() if freq >= threshold}
    assert len(common) > 1000
    assert all(small.get(word) == freq for word, freq in common.items())
    for word in ("When", "Hall", "Freely", "Katherine", "Freeley", "Hemmingway"):
        assert common_word(word, "en") == (zipf_frequency(word, "en", wordlist="large") >= _COMMON)
