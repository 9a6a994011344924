"""The name evidence kept from check to check is what gathering it afresh gives."""

from __future__ import annotations

import random
from typing import Any

import pytest

from toolkit.checks.evidence_memo import gathered
from toolkit.resolve.memo import PartMemo
from toolkit.resolve.name_evidence import Uses, gather

SENTENCES = [
    "Okonkwo walked to the door.",
    "The rain came, and Okonkwo waited.",
    "She looked at the sea for a long time.",
    "OKONKWO stood up.",
    "Nobody said anything about the lamp.",
]
INSERTS = [
    " Mr. Okonkwo said so.",
    " Captain Okonkwo went out.",
    " Okonkwo Adeyemi laughed.",
    " Okonkow Adeyemi laughed.",
    " Dr. Okonkow said nothing.",
    " the son of Okonkwo,",
    " Okonkow, instead of Okonkwo.",
    " Okonkwo-Smith",
    " Adeyemi Okonkwo",
]


@pytest.mark.parametrize("seed", range(4))
def test_evidence_from_the_memo_is_evidence_gathered_afresh(seed: int) -> None:
    rng = random.Random(seed)
    text = " ".join(rng.choice(SENTENCES) for _ in range(900))
    spellings = ["Adeyemi", "Okonkow", "Okonkwo"]
    memo = PartMemo()
    reused = 0
    for _ in range(40):
        at = rng.randrange(len(text))
        if rng.random() < 0.7:
            text = text[:at] + rng.choice(INSERTS) + text[at:]
        else:
            text = text[:at] + text[at + rng.randrange(1, 60) :]
        names = {"Okonkwo", "Okonkow"} | ({"Adeyemi"} if rng.random() < 0.5 else set())
        before = dict(memo.carried.get("evidence", {}))
        found = gathered(text, spellings, names, "en", memo)
        assert found == gather(text, spellings, names, "en")
        reused += sum(
            1 for key, (_, kept) in memo.carried["evidence"].items() if key in before and before[key][1] is kept
        )
    assert reused  # some evidence really came from the memo


def test_the_judge_may_add_to_what_the_memo_hands_back() -> None:
    memo = PartMemo()
    text = "Okonkwo walked. " * 400
    first = gathered(text, ["Okonkwo"], {"Okonkwo"}, "en", memo)
    first["Okonkwo"].after.add("Adeyemi")
    assert gathered(text, ["Okonkwo"], {"Okonkwo"}, "en", memo) == gather(text, ["Okonkwo"], {"Okonkwo"}, "en")


def test_every_spelling_to_gather_is_gathered_in_one_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan per spelling read a million-word text hundreds of times: the spellings not in the
    memo are gathered together, and give what each gathered alone gives."""
    import toolkit.checks.evidence_memo as evidence_memo

    calls: list[list[str]] = []

    def counted(text: str, spellings: list[str], *args: Any) -> dict[str, Uses]:
        calls.append(list(spellings))
        return gather(text, spellings, *args)

    monkeypatch.setattr(evidence_memo, "gather", counted)
    text = " ".join(SENTENCES * 50) + "".join(INSERTS * 3)
    spellings = ["Adeyemi", "Okonkow", "Okonkwo"]
    names = {"Okonkwo", "Okonkow", "Adeyemi"}
    memo = PartMemo()
    found = gathered(text, spellings, names, "en", memo)
    assert len(calls) == 1 and sorted(calls[0]) == spellings
    assert found == {spelling: gather(text, [spelling], names, "en")[spelling] for spelling in spellings}
    later = text + " Dr. Okonkow said nothing."
    assert gathered(later, spellings, names, "en", memo) == gather(later, spellings, names, "en")
