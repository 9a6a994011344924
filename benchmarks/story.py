"""Generates a story with prose, Fountain and a bible from sentence templates, errors planted or not.

    python benchmarks/story.py tests/fixtures/continuity --plant      # the checked-in fixture
    python benchmarks/story.py /tmp/big --words 1000000               # a clean story to time

With ``--plant`` the story carries one planted error of every kind (see ``PLANTED``) plus
traps that must stay quiet (Maria / Mario, Juan / Juana, two Brandts, a flashback, an
ignore comment, a "distinct" name), and ``expected.json`` lists every planted finding with
its file, line and column. Everything is deterministic: the same arguments give the same
bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

DAY_ONE = dt.date(2023, 3, 6)

BIBLE = """\
# The bible of "The Lamp Room": generated for fabula's continuity tests.
characters:
  - name: Katharine Vell
    note: keeper of the lighthouse
  - name: Okonkwo Adeyemi
    note: the engineer from the mainland
  - name: Stefan Kovacs
  - name: Maria Lindqvist
  - name: Mario Lindqvist
    note: Maria's brother; not a misspelling of her
  - name: Juan Ortega
  - name: Juana Ortega
  - name: Anna Brandt
  - name: Paul Brandt
  - name: Margot Hale
    aliases: [Mags]
    cue: MARGOT
    distinct: [Margit]  # Margit is her boat
  - name: Tobias Wren
    exits: DAY 8
"""

CAST = ["Katharine", "Okonkwo", "Stefan", "Maria", "Mario", "Juan", "Juana", "Margot"]
FULL = {"Stefan": "Stefan Kovacs", "Anna": "Anna Brandt", "Paul": "Paul Brandt", "Katharine": "Katharine Vell"}
PLACES = ["the lamp room", "the slipway", "the boathouse", "the store", "the radio shed", "the north path"]
THINGS = ["the logbook", "a coil of rope", "the spare lens", "a tin of paraffin", "the tide table", "a torch"]
WEATHER = ["the wind backed to the west", "rain came over the hill", "the fog sat on the water", "the sea went flat"]
VERBS = ["carried", "checked", "mended", "counted", "cleaned", "found", "lost", "wrapped"]
TEMPLATES = [
    "{a} {verb} {thing} in {place} while {b} watched from the door.",
    "By noon {weather}, and {a} said nothing about it to {b}.",
    "{a} and {b} walked down to {place} with {thing} between them.",
    "Nobody had asked {a} to stay, but {a} stayed, and {b} was glad of it.",
    "in the evening {a} wrote up {thing} by lamplight and {b} read over a shoulder.",
    "When {weather}, {a} went to {place} to see what the harbourmaster, old Hemingway, thought of it.",
    "{full} had kept {thing} for eleven years and meant to keep it for eleven more.",
    "It was {a} who noticed first that {thing} had been moved from {place}.",
    "{a} {verb} {thing} twice, because {b} had said once was never enough.",
    "the radio gave the shipping forecast and {a} turned it up so that {b} could hear.",
    "Hemingway came up from the harbour at dusk and told {a} the boat would be late again.",
    "{a} laughed at that, and for a while the two of them forgot about {place}.",
]


@dataclass
class Writer:
    """Lines of one file, and the planted findings found in them."""

    path: str
    lines: list[str] = field(default_factory=list)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def plant(self, expected: list[dict[str, object]], code: str, line: str, token: str, note: str) -> None:
        """Add ``line`` and expect ``code`` where ``token`` starts in it."""
        self.lines.append(line)
        expected.append(
            {"path": self.path, "line": len(self.lines), "col": line.index(token) + 1, "code": code, "planted": note}
        )

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _date(day: int) -> dt.date:
    return DAY_ONE + dt.timedelta(days=day - 1)


def _long(date: dt.date) -> str:
    return f"{date:%A}, {date.day} {date:%B %Y}"


def _sentence(rng: random.Random) -> str:
    a, b = rng.sample(CAST, 2)
    text = rng.choice(TEMPLATES).format(
        a=a,
        b=b,
        full=FULL[rng.choice(sorted(FULL))],
        verb=rng.choice(VERBS),
        thing=rng.choice(THINGS),
        place=rng.choice(PLACES),
        weather=rng.choice(WEATHER),
    )
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _prose(writer: Writer, rng: random.Random, words: int) -> None:
    written = 0
    while written < words:
        text = paragraph(rng, rng.randint(3, 7))
        writer.add(text, "")
        written += len(text.split())


def write_story(root: Path, words: int = 20_000, plant: bool = False, seed: int = 4) -> list[dict[str, object]]:
    """Write the story under ``root``; return the planted findings (none unless ``plant``)."""
    rng = random.Random(seed)
    expected: list[dict[str, object]] = []
    (root / "manuscript").mkdir(parents=True, exist_ok=True)
    (root / "screenplay").mkdir(parents=True, exist_ok=True)
    (root / "characters.yaml").write_text(BIBLE, encoding="utf-8")
    (root / "fabula.toml").write_text(
        f'title = "The Lamp Room"\nauthor = "Generated"\n\n[calendar]\nday_one = {DAY_ONE.isoformat()}\n',
        encoding="utf-8",
    )
    prose_words = words * 4 // 5
    chapters = 14 if plant else max(14, prose_words // 1_200)
    chapter_words = prose_words // chapters
    for number in range(1, chapters + 1):
        writer = Writer(f"manuscript/{number:02d}-chapter.md")
        _chapter(writer, rng, number, chapter_words // 2, plant, expected)
        (root / writer.path).write_text(writer.text(), encoding="utf-8")
    scenes_words = words - prose_words
    files = 4 if plant else max(4, scenes_words // 1_000)
    for number in range(1, files + 1):
        writer = Writer(f"screenplay/{number:02d}-scenes.fountain")
        _scenes(writer, rng, number, scenes_words // files, plant, expected)
        (root / writer.path).write_text(writer.text(), encoding="utf-8")
    if plant:
        expected.sort(key=lambda e: (str(e["path"]), int(e["line"]), int(e["col"]), str(e["code"])))  # type: ignore[call-overload]
        (root / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
    return expected


def _chapter(writer: Writer, rng: random.Random, number: int, half: int, plant: bool, expected: list) -> None:
    day = 2 * number - 1
    if plant and number == 8:  # a flashback, marked: an earlier date that must stay quiet
        writer.add("---", "flashback: true", "---", "", "# Monday, 2 January 2023", "")
        _prose(writer, rng, half * 2)
        writer.add("Tobias was there that winter, and Tobias said the lamp would outlast them all.", "")
        return
    if plant and number == 14:  # an epilogue a year on: the last date, far from the rest, is fine
        writer.add("# Sunday, 7 April 2024: a year after", "")
        _prose(writer, rng, half * 2)
        # Pasted from a Mac Roman file read as Latin-1: one E101 for the file, no name noise.
        line = "The keeperÕs logbook lay open; itÕs Katharine who wrote OkonkwoÕs name in it."
        writer.plant(expected, "E101", line, "Õ", "Mac Roman mojibake")
        writer.add("")
        return
    heading = f"# DAY {day} — {_long(_date(day))}"
    if plant and number == 4:
        writer.plant(expected, "D103", "# DAY 7 — Monday, 13 March 2023", "DAY 7", "DAY 7 is 12 March")
    elif plant and number == 7:
        writer.plant(expected, "D101", f"# DAY 10 — {_long(_date(10))}", "DAY 10", "goes back to DAY 10 after DAY 12")
    else:
        writer.add(heading)
    writer.add("")
    _prose(writer, rng, half)
    if plant:
        _plant_in_chapter(writer, number, expected)
    later = _date(day + 1)
    if plant and number == 3:
        writer.plant(
            expected, "D102", "*Friday, 11 March 2023.* The boat came in.", "Friday", "11 March was a Saturday"
        )
    elif plant and number == 5:
        writer.plant(expected, "D104", "*31 April 2023.* Nothing happened.", "31 April", "April has 30 days")
    elif plant and number == 10:
        writer.plant(expected, "D105", "*Saturday, 25 March 2032.* The boat came in.", "Saturday", "2032 for 2023")
    elif plant and number == 12:
        line = f"*{_long(later).replace('March', 'Mrach')}.* The next morning came grey."
        writer.plant(expected, "D106", line, _long(later).split(",")[0], "March misspelt Mrach")
    else:
        writer.add(f"*{_long(later)}.* The next morning came grey.")
    writer.add("")
    _prose(writer, rng, half)


def _plant_in_chapter(writer: Writer, number: int, expected: list) -> None:
    if number == 1:
        writer.add('"We light it at six," said Tobias. "Every night, whatever the sky does."', "")
        writer.add("Margit, the old blue boat, lay on the slip with her seams open. Margit would float again.", "")
    if number == 2:
        line = "Katherine took the first watch, as she always did."
        writer.plant(expected, "N101", line, "Katherine", "Katharine misspelt")
        writer.add("")
    if number == 6:
        writer.add("<!-- fabula: ignore N101 -->", "")
        writer.add("Okonkow, the sign on his crate said, in a stranger's hand: the writer means it.", "")
        writer.add("Anna Brandt and Paul Brandt came over on the supply boat; Anna stayed, Paul went back.", "")
    if number == 9:
        writer.plant(expected, "N101", "Okonkow checked the generator again.", "Okonkow", "Okonkwo misspelt")
        writer.add("")
    if number == 11:
        writer.add("Tobias's coat still hung by the door, and nobody moved it.", "")
        line = '"Leave the coat," Tobias said from the doorway.'
        writer.plant(expected, "N104", line, "Tobias", "Tobias speaks after DAY 8")
        writer.add("")
    if number == 12:
        line = "Up at the lamp, Hemmingway stamped his feet against the cold."
        writer.plant(expected, "N101", line, "Hemmingway", "Hemingway misspelt, no bible needed")
        writer.add("")
    if number == 13:
        line = "Stephan Kovacs signed the logbook in his careful hand."
        writer.plant(expected, "N103", line, "Stephan", "Stefan Kovacs spelt Stephan")
        writer.add("", "Later Stephan Kovacs signed it again.", "")


def _speech(writer: Writer, rng: random.Random, cue: str) -> None:
    writer.add(cue, paragraph(rng, 1), "")


def _scenes(writer: Writer, rng: random.Random, number: int, words: int, plant: bool, expected: list) -> None:
    day = 2 * number - 1 if plant else min(2 * number - 1, 27)
    writer.add(f"# DAY {day} — {_long(_date(day))}", "")
    written = 0
    scene = 0
    while written < words:
        scene += 1
        writer.add(f"INT. {rng.choice(PLACES).upper().removeprefix('THE ')} - DAY", "")
        text = paragraph(rng, 2)
        writer.add(text, "")
        for _ in range(4):
            _speech(writer, rng, rng.choice([name.upper() for name in CAST]))
        written += len(text.split()) * 5
        if plant and scene == 1:
            _plant_in_scenes(writer, rng, number, expected)


def _plant_in_scenes(writer: Writer, rng: random.Random, number: int, expected: list) -> None:
    if number == 1:
        _speech(writer, rng, "TOBIAS")
        writer.plant(expected, "N101", "OKONKOW", "OKONKOW", "cue OKONKWO misspelt")
        writer.add(paragraph(rng, 1), "")
    if number == 2:
        writer.plant(expected, "N105", "MAGS", "MAGS", "Margot cued by her alias")
        writer.add(paragraph(rng, 1), "")
        writer.plant(expected, "N102", "FERRYMAN", "FERRYMAN", "nobody in the bible")
        writer.add(paragraph(rng, 1), "")
        writer.add("[[fabula: ignore N101]]", "Katherine, the writer insists, in this one line.", "")
    if number == 3:
        # A flashback scene dated before the story so far: marked, so quiet.
        writer.add(f"# DAY 2 — {_long(_date(2))}", "", "[[flashback]]", "", "INT. LAMP ROOM - NIGHT", "")
        writer.add("Years before, the lamp room was new paint and brass.", "")
        writer.add(f"# DAY 6 — {_long(_date(6))}", "")
    if number == 4:  # Tobias exits on DAY 8, and speaks on DAY 10
        writer.add(f"# DAY 10 — {_long(_date(10))}", "", "EXT. NORTH PATH - DAY", "")
        writer.plant(expected, "N104", "TOBIAS", "TOBIAS", "Tobias speaks after DAY 8")
        writer.add("I said I'd come back for the coat.", "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--plant", action="store_true", help="plant errors and write expected.json")
    args = parser.parse_args()
    found = write_story(args.root, args.words, args.plant)
    print(f"wrote {args.root} ({len(found)} planted findings)")


if __name__ == "__main__":
    main()
