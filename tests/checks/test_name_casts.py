"""Issue 12: two cues a letter apart, each speaking in scenes of its own with people the other
never meets, are two people of two casts (a volume of plays: Titus's son MARTIUS and Coriolanus's
MARCIUS). Every script here is our own short example."""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _spellings


def _scene(heading: str, *speeches: tuple[str, str]) -> str:
    return f"{heading}\n\n" + "".join(f"{cue}\n{line}\n\n" for cue, line in speeches)


def _harbour(*scenes: str) -> str:
    """Kestran's play: KESTRAN speaks with ODILE and CASPAR in seven scenes."""
    kestran = [
        _scene(f"INT. HARBOUR OFFICE - DAY {n}", ("KESTRAN", "The boats are late."), ("ODILE", "As ever, Kestran."))
        for n in range(6)
    ]
    last = _scene("EXT. QUAY - NIGHT", ("CASPAR", "Kestran, the lamps."), ("KESTRAN", "I see."))
    return "".join([*kestran, *scenes, last])


def test_two_cues_that_never_share_a_scene_or_a_speaker_are_two_casts(tmp_path: Path) -> None:
    """KESTREN speaks in two scenes of another story, with MIRELLE and TOBIN, whom KESTRAN never meets,
    and KESTRAN's people never meet him: two men of two casts, not one name typed two ways."""
    script = _harbour(
        _scene("INT. MILL - DAY", ("KESTREN", "The wheel is stuck."), ("MIRELLE", "Then free it, Kestren.")),
        _scene("EXT. MILL RACE - DAY", ("TOBIN", "Kestren, the water."), ("KESTREN", "I hear it.")),
    )
    without, _ = _both(tmp_path, fountain=script)
    assert "Kestren" not in _spellings(without)


def test_a_cue_typed_otherwise_among_the_same_people_is_still_one_name(tmp_path: Path) -> None:
    """KESTREN in two scenes again, but speaking with ODILE, who is KESTRAN's company: the same man,
    his cue typed two ways, and the writer is asked which is right."""
    script = _harbour(
        _scene("INT. MILL - DAY", ("KESTREN", "The wheel is stuck."), ("ODILE", "Then free it, Kestren.")),
        _scene("EXT. MILL RACE - DAY", ("TOBIN", "Kestren, the water."), ("KESTREN", "I hear it.")),
    )
    without, _ = _both(tmp_path, fountain=script)
    assert "Kestren" in _spellings(without) or "KESTREN" in _spellings(without)
