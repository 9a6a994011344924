"""Issue 12: a name spoken by someone who speaks another language or a strong dialect (a fifth of
their words unknown to the project's language) is spelled as they say it, not mistyped: a French
princess's "Anglish". Every script here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _spellings

FRENCH = (
    "Je ne sais pas pourquoi il pleut toujours quand nous partons. La voiture attend devant la porte, "
    "les valises sont prêtes, et personne ne veut descendre. Dites-moi, madame, est-ce que vous "
    "voulez du thé avant le départ? Nous avons encore une heure, peut-être deux, si le train est en "
    "retard comme hier soir."
)


def _script(line: str, speaker: str) -> str:
    hartwell = "".join(
        f"INT. STATION - DAY {n}\n\nHartwell waits by the gate.\n\nHARTWELL\nThe train is late again.\n\n"
        f"{speaker}\n{FRENCH}\n\n"
        for n in range(5)
    )
    return hartwell + f"INT. STATION - NIGHT\n\n{speaker}\n{line}\n\nHARTWELL\nGood night.\n"


def test_a_name_in_the_mouth_of_a_speaker_of_another_language_is_spelled_as_said(tmp_path: Path) -> None:
    """Odile speaks French, and says "Monsieur Hartvell": her way of saying Hartwell, no slip."""
    without, _ = _both(tmp_path, fountain=_script("Bonne nuit, monsieur Hartvell, à demain.", "ODILE"))
    assert "Hartvell" not in _spellings(without)


def test_a_slip_in_the_speech_of_a_speaker_of_the_language_is_still_a_slip(tmp_path: Path) -> None:
    """The same line from Pell, who speaks English: "Hartvell" is Hartwell mistyped."""
    script = _script("Good night, Mr. Hartvell, see you tomorrow.", "PELL").replace(FRENCH, "The luggage is ready.")
    without, _ = _both(tmp_path, fountain=script)
    assert _spellings(without) == ["Hartvell"]
