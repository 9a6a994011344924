"""The lists of real names (toolkit/resolve/data) read in one split: the names a line-by-line
reading gives (issue 16: the lists are read in every build that checks names)."""

from __future__ import annotations

from importlib import resources

import pytest

from toolkit.resolve.name_evidence import _name_list, given_to, known_given_name, known_name, names_writing


@pytest.mark.parametrize("name", ["given-names.txt", "surnames.txt", "female-given-names.txt", "male-given-names.txt"])
def test_a_name_list_is_its_lines_stripped_and_lowered(name: str) -> None:
    data = resources.files("toolkit.resolve").joinpath("data", name).read_text(encoding="utf-8")
    by_line = frozenset(line.strip().lower() for line in data.splitlines() if line.strip())
    assert _name_list(name) == by_line
    assert not any(len(line.split()) > 1 for line in data.splitlines())  # one name a line
    assert len(by_line) > 5_000


def test_known_names() -> None:
    assert known_given_name("Mario") and known_name("BAKER") and not known_name("Carvet")


def test_given_names_given_mostly_to_girls_or_to_boys() -> None:
    """Both lists are given names, apart; a name given to both (Jamie) is in neither."""
    female, male = _name_list("female-given-names.txt"), _name_list("male-given-names.txt")
    assert not female & male and female | male <= _name_list("given-names.txt")
    assert [given_to(name) for name in ("Joan", "JOHN", "Frances", "Francis", "Maria", "Mario")] == list("FMFMFM")
    assert given_to("Jamie") == given_to("Jaime") == given_to("Carvet") == ""


@pytest.mark.parametrize("pair", ["^jo", "n$", "oh", "ii", "jh", "hq", "^q", "x$"])
def test_names_writing_a_pair_counts_names_not_uses(pair: str) -> None:
    # Each name counted once however often it writes the pair ("ii" twice in a name is one name),
    # its start and end marked, as a table of every name's pairs counts them.
    names = _name_list("given-names.txt") | _name_list("surnames.txt")
    assert names_writing(pair) == sum(pair in f"^{name}$" for name in names)
    assert names_writing("^jo") > 100 and names_writing("jh") < names_writing("oh")
