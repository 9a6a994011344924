"""Issue 12: a variant spelled in mixed case ("AEmilia", as an edition prints Æmilia) is reported
where it is written, in capitals too, without a crash. Found by the seventh round's texts: the
check stopped with ``KeyError: 'Aemilia'`` on Shakespeare's comedies."""

from __future__ import annotations

from pathlib import Path

from toolkit import pipeline
from toolkit.checks.name_text import name_stats
from toolkit.checks.name_variants import Variant
from toolkit.checks.names import check_name_variants

SCRIPT = (
    "INT. ABBEY - DAY\n\n"
    + "AEMELIA\nI keep the abbey and its gate.\n\nDROMIO\nI know the gate, good lady.\n\n" * 16
    + "Enter the Lady Abbess, AEMILIA.\n\n"
    + "EGEON\nThat hadst a wife once called AEmilia,\nAnd speak unto the same AEmilia!\n"
)


def test_a_variant_in_mixed_case_is_reported_where_its_capitals_are_written(tmp_path: Path) -> None:
    """The uses of "AEmilia" are its own three and "AEMILIA" in the action, whose title case
    ("Aemilia") is no variant here: each is reported with the model in the same case."""
    (tmp_path / "screenplay").mkdir()
    (tmp_path / "screenplay" / "play.fountain").write_text(SCRIPT, encoding="utf-8")
    story = pipeline.story(tmp_path, use_cache=False)
    stats = name_stats(story.project, story.config)
    variant = Variant("AEmilia", "Aemelia", 16, False, unsure=True, own_uses=2)
    found = list(check_name_variants(stats, {"AEmilia": variant}))
    assert [(f.span.line, f.message.split(":")[0]) for f in found] == [
        (99, "AEMILIA"),
        (102, "AEmilia"),
        (103, "AEmilia"),
    ]
    assert "also spelled AEMELIA" in found[0].message and "also spelled Aemelia" in found[1].message
