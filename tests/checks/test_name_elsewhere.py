"""Issue 12, seventh round: near misses the uses of a text say are other names. A people named
after the spelling; a spelling written far from every use of the name it is near, and made of
the letters the book's names are made of.

Every text here is our own short example of the pattern, not a line of the books it was seen in.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_name_evidence import _both, _prose, _spellings


def _saul(*extra: str) -> str:
    return _prose(*["Then Saul went up to the hill, and Saul said nothing."] * 5, *extra)


def test_a_spelling_a_people_is_named_after_is_a_name_of_its_own(tmp_path: Path) -> None:
    """ "Shaul", once, beside Saul written ten times, is a slip; but a text that names a people
    after Shaul ("of Shaul, the family of the Shaulites") and none after Saul names a man of his
    own: a writer does not name a family after a slip."""
    assert _both(tmp_path / "people", _saul("Of Shaul, the family of the Shaulites.")) == ([], [])
    for found in _both(tmp_path / "slip", _saul("Of Shaul, the family of the Zerahites.")):
        assert _spellings(found) == ["Shaul"]


def _merriman(*extra: str) -> str:
    return _prose(*["“Not tonight,” said Merriman."] * 4, *["Then Merriman locked the shed."] * 4, *extra)


def test_a_spelling_written_twice_beside_a_name_its_near_name_never_meets_is_a_name_of_its_own(tmp_path: Path) -> None:
    """ "Merrinan", twice, each time beside Ottoline, whom Merriman (eight times) is never beside:
    a name copied with its company, as a roll is. A slip is seldom typed alike twice, and where
    the name is meant it keeps the name's company: once Ottoline is also beside Merriman, or
    beside only one of the two uses, "Merrinan" is reported again."""
    twice = ["Then Ottoline walked with Merrinan to the quay."] * 2
    assert _both(tmp_path / "apart", _merriman(*twice)) == ([], [])
    met = _merriman(*twice, "Then Ottoline walked with Merriman to the mill.")
    for found in _both(tmp_path / "met", met):
        assert _spellings(found) == ["Merrinan", "Merrinan"]
    once = _merriman("Then Ottoline walked with Merrinan to the quay.", "Then Merrinan went home alone.")
    for found in _both(tmp_path / "once", once):
        assert _spellings(found) == ["Merrinan", "Merrinan"]
