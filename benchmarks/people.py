"""Who the outline names in a book with no bible, on real published books: precision and recall.

    python benchmarks/people.py

With no bible, the outline and the report list in each chapter the people its prose names
(``toolkit.resolve.presence.people_in_prose``). For each book of benchmarks/corpus/names/ (and
the Barbellion diary of ../shared/corpus/prose/ when it is there), this runs it on the text as
published and compares with the bible written for the name benchmark (benchmarks/corpus/names/
bibles/), which lists the book's main characters:

- precision: the share of the people found that are a word of a bible character's names
  ("Knightley", "Emma"); a person the bible leaves out (a minor character, a family) counts
  against it, so the figure is a floor;
- recall: the share of the bible's characters found by one of their names' words.

The bible never takes part in the finding: it is ground truth only. No text here was used to
choose the thresholds beyond the Austen novels of the tuning set of issue 12.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.model import Project  # noqa: E402
from toolkit.parsers.bible import parse_bible  # noqa: E402
from toolkit.parsers.markdown import parse_chapters  # noqa: E402
from toolkit.resolve.name_evidence import TITLES, WORD  # noqa: E402
from toolkit.resolve.presence import people_in_prose  # noqa: E402

CORPUS = REPO / "benchmarks" / "corpus" / "names"
SHARED = REPO.parent / "shared" / "corpus" / "prose"
TEXTS = [
    ("austen-emma", CORPUS / "austen-emma.md", "en"),
    ("austen-mansfield-park", CORPUS / "austen-mansfield-park.md", "en"),
    ("austen-northanger-abbey", CORPUS / "austen-northanger-abbey.md", "en"),
    ("austen-persuasion", CORPUS / "austen-persuasion.md", "en"),
    ("austen-pride-and-prejudice", CORPUS / "austen-pride-and-prejudice.md", "en"),
    ("austen-sense-and-sensibility", CORPUS / "austen-sense-and-sensibility.md", "en"),
    ("melville-moby-dick", CORPUS / "melville-moby-dick.md", "en"),
    ("reina-valera-1909-narrativa", CORPUS / "reina-valera-1909-narrativa.md", "es"),
    ("barbellion", SHARED / "barbellion.txt", "en"),
]


def measure(name: str, path: Path, language: str) -> tuple[int, float, float, list[str], float]:
    chapters = parse_chapters(f"manuscript/{name}.md", path.read_text(encoding="utf-8"), language)
    started = time.process_time()
    people = people_in_prose(Project(root=".", chapters=chapters, screenplay=None, characters=()), language)
    seconds = time.process_time() - started
    bible_path = CORPUS / "bibles" / f"{name}.yaml"
    bible = parse_bible(str(bible_path), bible_path.read_text(encoding="utf-8"))
    words_of = [
        {word for form in character.names for word in WORD.findall(form) if word.lower() not in TITLES}
        for character in bible
    ]
    known = set().union(*words_of)
    right = [person for person in people if person in known]
    found = sum(1 for words in words_of if words & set(people))
    precision = len(right) / len(people) if people else 1.0
    recall = found / len(bible) if bible else 1.0
    return len(people), precision, recall, [person for person in people if person not in known], seconds


def main() -> None:
    print("| text | people found | precision (floor) | recall of the bible | CPU s | found, not in the bible |")
    print("|---|---:|---:|---:|---:|---|")
    for name, path, language in TEXTS:
        if not path.exists():
            print(f"| {name} | (not here: {path}) | | | | |")
            continue
        count, precision, recall, extra, seconds = measure(name, path, language)
        print(f"| {name} | {count} | {precision:.0%} | {recall:.0%} | {seconds:.2f} | {', '.join(extra)} |")


if __name__ == "__main__":
    main()
