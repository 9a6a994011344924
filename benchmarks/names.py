"""The name rules on real, published text: false alarms per 100,000 words, and recall of planted typos.

    python benchmarks/names.py [--set tune|held-out|all] [--plants 150] [--seed 12] [--only TEXT] [-v]

Per text (benchmarks/corpus/names/, ../shared/corpus/prose/ and the screenplays of
../shared/corpus/fountain*), it prints every name finding of `fabula check` on the text as
published. Published, copy-edited text is taken to be correct: each finding is a false alarm
unless it is listed in ``SLIPS`` below with our judgement of why it is a real slip of the
printed text. Then it plants single-edit typos (deletion, insertion, transposition,
substitution, at any position, the first and last letters included) into mid-sentence uses of
the characters' names (the words of the text's bible used 5 times or more), at most one a line,
and counts how many the check reports at the very place with the name meant, with and without
the bible. A planted typo that is already a word of the text, or a word of the language
(wordfreq Zipf 3 or more: "Jane" -> "Jade"), is not planted: no spelling check can tell it from
the word; the script counts those it skipped.

Texts marked held-out were not looked at while the rules were first tuned (see the closing
note of issue 12); their false alarms were looked at in the second round, so they are held out
no longer in the strict sense: report them apart, and say so. Goals: at most 1 false finding
per 100,000 words; 95% of planted typos found, with and without a bible.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CORPUS = REPO / "benchmarks" / "corpus" / "names"
SHARED = REPO.parent / "shared" / "corpus"

NAME_CODES = ("N", "E101")


@dataclass(frozen=True)
class Text:
    name: str
    source: Path
    held_out: bool
    language: str = "en"
    # spelling as reported -> why we judge it a real slip of the published text
    slips: dict[str, str] = field(default_factory=dict)

    @property
    def screenplay(self) -> bool:
        return self.source.suffix == ".fountain"

    @property
    def bible(self) -> Path | None:
        path = CORPUS / "bibles" / f"{self.name}.yaml"
        return path if path.is_file() else None


def _texts() -> list[Text]:
    texts = [
        Text("barbellion", SHARED / "prose" / "barbellion.txt", held_out=False),
        Text(
            "austen-pride-and-prejudice",
            CORPUS / "austen-pride-and-prejudice.md",
            held_out=False,
            slips={"Philips": "Mrs. Phillips is 'Philips' once (\"my sister Philips\"), 'Phillips' 31 times"},
        ),
        Text("austen-emma", CORPUS / "austen-emma.md", held_out=False),
        Text("melville-moby-dick", CORPUS / "melville-moby-dick.md", held_out=False),
        Text(
            "reina-valera-1909-narrativa",
            CORPUS / "reina-valera-1909-narrativa.md",
            held_out=False,
            language="es",
            slips={
                "Absalóm": "Absalom 99 times, once with an accent the edition gives him nowhere else (2 Samuel 13:37)",
                "Benahía": "Benaiah son of Jehoiada, over the Cherethites and Pelethites, is 'Benahía' in 2 Samuel "
                "8:18 and 'Benaía' in 20:23, 23:20, 23:22: one man spelled two ways",
            },
        ),
        Text("austen-mansfield-park", CORPUS / "austen-mansfield-park.md", held_out=True),
        Text("austen-northanger-abbey", CORPUS / "austen-northanger-abbey.md", held_out=True),
        Text("austen-persuasion", CORPUS / "austen-persuasion.md", held_out=True),
        Text("austen-sense-and-sensibility", CORPUS / "austen-sense-and-sensibility.md", held_out=True),
        Text(
            "reina-valera-1909-cartas",
            CORPUS / "reina-valera-1909-cartas.md",
            held_out=True,
            language="es",
            slips={
                "Tychîco": "Tychicus is 'Tichîco' and 'Tychîco' in this edition: one man spelled two ways",
                "Aristarchô": "Aristarchus is 'Aristarco' (Filemón) and 'Aristarchô' (Colosenses): the same man",
            },
        ),
        # Added in the second round, run for the first time after the rules' changes: unseen.
        Text("world-english-bible-narrative", CORPUS / "world-english-bible-narrative.md", held_out=True),
        # Added in the third round and run once before any rule was changed: see its closing note.
        Text(
            "king-james-version-narrative",
            CORPUS / "king-james-version-narrative.md",
            held_out=True,
            slips={
                "Berachiah": "Asaph's father: 'Asaph the son of Berachiah, the son of Shimea' (1 Chronicles 6:39), "
                "'Asaph the son of Berechiah' (15:17), Berechiah 8 times: one man spelled two ways",
                "Hasshub": "'Shemaiah the son of Hasshub, the son of Azrikam, the son of Hashabiah' (1 Chronicles "
                "9:14) is 'Shemaiah the son of Hashub, the son of Azrikam, the son of Hashabiah' in Nehemiah "
                "11:15: one man spelled two ways",
                "Hiram": "'Hiram king of Tyre' (1 Chronicles 14:1) is 'Huram the king of Tyre' everywhere else "
                "(2 Chronicles 2:3, 2:11, 12 uses): one man spelled two ways",
            },
        ),
        # Added in the fourth round and run once before any rule was changed: see SOURCES.md.
        Text("shakespeare-henriad", CORPUS / "shakespeare-henriad.fountain", held_out=True),
        # Added in the fifth round and run once before any rule was changed: see SOURCES.md.
        Text(
            "shakespeare-roman-plays",
            CORPUS / "shakespeare-roman-plays.fountain",
            held_out=True,
            slips={
                "Anthony": "Antony 201 times in the edition, 'thy thy Anthony' once (Antony and Cleopatra I.3): "
                "the same man, in a line that also doubles a word",
                "Tutus": "'Tutus Aufidius, is he within your walls?' (Coriolanus IV.5): Tullus Aufidius, 'Tullus' "
                "8 times; the check's guess (Titus) is wrong, but the word is a slip",
            },
        ),
        # Added in the sixth round and run once before any rule was changed: see SOURCES.md.
        Text(
            "shakespeare-first-tetralogy",
            CORPUS / "shakespeare-first-tetralogy.fountain",
            held_out=True,
            slips={
                "Humphry": "Humphrey, Duke of Gloucester, is 'Humphrey' 50 times in the edition and 'Humphry' once "
                "('How now, ambitious Humphry!', Henry VI Part 1, I.3): one man spelled two ways",
            },
        ),
        # Added in the seventh round and run once before any rule was changed: see SOURCES.md.
        Text(
            "shakespeare-tragedies",
            CORPUS / "shakespeare-tragedies.fountain",
            held_out=True,
            slips={
                "Bianco": "'Now, if this suit lay in Bianco's power' (Othello IV.1): Iago means Bianca, who is "
                "on stage, 'Bianca' everywhere else",
            },
        ),
        Text(
            "shakespeare-comedies",
            CORPUS / "shakespeare-comedies.fountain",
            held_out=True,
            slips={
                "HERNIA": "a cue of A Midsummer Night's Dream (I.1) for HERMIA, who speaks under her own cue 47 times",
                "JULlA": "'Enter JULlA and LUCETTA' (The Two Gentlemen of Verona): a lower-case l for the i of JULIA",
                "AEmilia": "the Abbess of The Comedy of Errors is 'AEmilia' in the lines and directions and AEMELIA "
                "in her 16 cues: one name spelled two ways, as the finding asks",
                "AEMILIA": "the same Abbess: AEMILIA in the directions, AEMELIA in the cues",
            },
        ),
        # Added in the eighth round and run once before any rule was changed: see SOURCES.md.
        Text(
            "shakespeare-problem-plays",
            CORPUS / "shakespeare-problem-plays.fountain",
            held_out=True,
            slips={
                "POMPHEY": "two cues of Measure for Measure for POMPEY, who speaks under his own cue 58 times",
                "KATARINA": "a cue and a direction of The Taming of the Shrew for KATHARINA (81 cues)",
                "Baptists": "'But now, Baptists, to your younger daughter' (The Taming of the Shrew II.1): "
                "Baptista is spoken to",
                "Binaca": "'His youngest daughter, beautiful Binaca' (The Taming of the Shrew I.2): Bianca",
                "Bianco": "'happy rivals in Bianco's love' (The Taming of the Shrew I.1): Bianca's",
                "Vincetino": "'Vincetino come of Bentivolii' (The Taming of the Shrew IV.2): Vincentio",
            },
        ),
        Text(
            "shakespeare-romances",
            CORPUS / "shakespeare-romances.fountain",
            held_out=True,
            slips={
                "Gailia": "'the legions garrison'd in Gailia' (Cymbeline IV.2): Gallia, 'Gallia' 7 times",
                "Comelius": "'What's this, Comelius?' (Cymbeline V.5): Cornelius, an m for rn",
                "Leonitus": "'Be call'd Posthumus Leonitus' (Cymbeline V.5): Leonatus",
            },
        ),
        # Added in the ninth round and run once before any rule was changed: see SOURCES.md.
        Text("shakespeare-other-histories", CORPUS / "shakespeare-other-histories.fountain", held_out=True),
    ]
    screenplay_slips = {
        "big-fish": {"Freeley": "Wilbur Freely is 'Freeley' once, 'Freely' 6 times"},
        "complete-and-utter-nonsense": {"Jaime": "Jamie is 'Jaime' once, 'Jamie' 29 times"},
        "bright": {
            "Rodriquez": "Rodriguez 29 times, 'Rodriquez' once: the usual misspelling",
            "Elvin": "'his Elvin reflexes' is the adjective the script spells ELVEN (ELVEN NURSE): 'Elven' is right",
        },
        "dexter-pilot": {"Jaworksi": "Jaworski 34 times, 'Jaworksi' once: two letters swapped"},
    }
    for folder, held_out in (("fountain", False), ("fountain-pro", True)):
        for script in sorted((SHARED / folder).glob("*.fountain")):
            texts.append(Text(script.stem, script, held_out=held_out, slips=screenplay_slips.get(script.stem, {})))
    return texts


# ---------------------------------------------------------------- running the check


def _project(root: Path, text: Text, content: str, bible: str | None) -> Path:
    if root.exists():
        shutil.rmtree(root)
    folder = root / ("screenplay" if text.screenplay else "manuscript")
    folder.mkdir(parents=True)
    (folder / (text.name + (".fountain" if text.screenplay else ".md"))).write_text(content, encoding="utf-8")
    (root / "fabula.toml").write_text(f'language = "{text.language}"\n', encoding="utf-8")
    if bible:
        (root / "characters.yaml").write_text(bible, encoding="utf-8")
    return root


def _findings(root: Path) -> list:
    from toolkit import pipeline
    from toolkit.checks.run import run_checks

    return [f for f in run_checks(pipeline.story(root, use_cache=False)) if f.code.startswith(NAME_CODES)]


def _bible_of(text: Text, content: str) -> str | None:
    """The text's bible: written by hand for prose; a screenplay's lists every cue that names
    someone (``names_someone``, as the check reads cues). It left out cues of four words or more
    until the eleventh round, and counted the N102 findings that made ("cue DON ADRIANO DE
    ARMADO names no character in characters.yaml") as false alarms: they were true of that bible."""
    if text.bible is not None:
        return text.bible.read_text(encoding="utf-8")
    if not text.screenplay:
        return None
    from toolkit import pipeline
    from toolkit.checks.name_text import names_someone
    from toolkit.model import speakers

    with tempfile.TemporaryDirectory() as scratch:
        story = pipeline.story(_project(Path(scratch) / "cues", text, content, None), use_cache=False)
    cues: dict[str, int] = {}
    for element in story.project.screenplay.elements if story.project.screenplay else ():
        for speaker in speakers(element):
            if speaker.name and names_someone(speaker.name):
                cues[speaker.name] = cues.get(speaker.name, 0) + 1
    names = sorted(cue.title() for cue, uses in cues.items() if uses >= 1)
    return "".join(f"- name: {name!r}\n" for name in names) or None


# ---------------------------------------------------------------- planting typos

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _typo(name: str, rng: random.Random) -> str:
    """One typist's edit anywhere in the name: first and last letters included."""
    kind = rng.choice(("deletion", "insertion", "transposition", "substitution"))
    at = rng.randrange(len(name) - (1 if kind == "transposition" else 0))
    letter = rng.choice(_LETTERS)
    if kind == "deletion":
        wrong = name[:at] + name[at + 1 :]
    elif kind == "insertion":
        at = rng.randrange(len(name) + 1)
        wrong = name[:at] + (letter.upper() if at == 0 else letter) + name[at:]
    elif kind == "transposition":
        wrong = name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    else:
        wrong = name[:at] + (letter.upper() if at == 0 else letter) + name[at + 1 :]
    if name.isupper():
        wrong = wrong.upper()
    elif wrong[0].islower():
        wrong = wrong[0].upper() + wrong[1:].lower()
    return wrong


def _targets(bible: str | None, content: str) -> list[str]:
    """Words of the bible's names used 5 times or more (four letters or longer)."""
    if not bible:
        return []
    import yaml

    words: set[str] = set()
    for entry in yaml.safe_load(bible) or []:
        for form in [entry["name"], *entry.get("aliases", [])]:
            words.update(w for w in re.findall(r"[^\W\d_]+", form) if len(w) >= 4 and w[0].isupper())
    words -= {"Lady", "Lord", "Colonel", "Captain", "General", "Miss"}
    return sorted(w for w in words if len(re.findall(rf"(?<!\w){re.escape(w)}(?!\w)", content)) >= 5)


def _plant(content: str, targets: list[str], count: int, rng: random.Random, language: str):
    """The text with typos planted, and [(line, col, typo, name)]; plus how many were skipped."""
    from wordfreq import zipf_frequency

    if not targets:
        return content, [], 0
    known = {w.lower() for w in re.findall(r"[^\W\d_]+", content)}
    pattern = re.compile(rf"(?<=[a-zà-ÿ,;] )({'|'.join(map(re.escape, targets))})(?![^\W\d_])")
    lines = content.split("\n")
    spots = [(n, m) for n, line in enumerate(lines) for m in pattern.finditer(line)]
    rng.shuffle(spots)
    # At most one typo for every five uses of a name, so that the name stays the one most used.
    uses = {name: len(re.findall(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", content)) for name in targets}
    left = {name: max(1, used // 5) for name, used in uses.items()}
    planted, used_lines, typos, skipped = [], set(), set(), 0
    for number, match in spots:
        if len(planted) >= count:
            break
        name = match.group(1)
        if number in used_lines or not left[name]:
            continue
        wrong = _typo(name, rng)
        if wrong.lower() in known or wrong in typos or zipf_frequency(wrong, language) >= 3.0:
            skipped += 1
            continue
        line = lines[number]
        lines[number] = line[: match.start(1)] + wrong + line[match.end(1) :]
        used_lines.add(number)
        left[name] -= 1
        typos.add(wrong)
        planted.append((number + 1, match.start(1) + 1, wrong, name))
    return "\n".join(lines), planted, skipped


def _recall(root: Path, text: Text, content: str, bible: str | None, planted, verbose: bool) -> int:
    found = {(f.span.line, f.span.col): f for f in _findings(_project(root, text, content, bible))}
    hits = 0
    for line, col, wrong, name in planted:
        finding = found.get((line, col))
        if finding is not None and finding.code == "N101" and f"did you mean {name}?" in finding.message:
            hits += 1
        elif verbose:
            print(f"    missed {wrong} for {name} (line {line})" + (f": {finding.message}" if finding else ""))
    return hits


# ---------------------------------------------------------------- the table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("tune", "held-out", "all"), default="all")
    parser.add_argument("--plants", type=int, default=100, help="typos planted per text and round")
    parser.add_argument("--rounds", type=int, default=3, help="runs with typos planted afresh")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--only", help="one text by name")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the planted typos missed")
    args = parser.parse_args()
    texts = [
        t
        for t in _texts()
        if (args.set == "all" or t.held_out == (args.set == "held-out")) and (not args.only or t.name == args.only)
    ]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        for text in texts:
            content = text.source.read_text(encoding="utf-8")
            words = len(content.split())
            bible = _bible_of(text, content)
            findings = _findings(_project(root, text, content, None))
            findings_bible = _findings(_project(root, text, content, bible)) if bible else []
            print(f"\n== {text.name}{' (held out)' if text.held_out else ''}: {words:,} words")
            real = {False: 0, True: 0}
            for label, found in (("without bible", findings), ("with bible", findings_bible)):
                for finding in found:
                    why = text.slips.get(_spelling(finding))
                    print(f"  {label}: {finding.span.line}:{finding.span.col} {finding.code} {finding.message}")
                    print(f"      -> {'REAL: ' + why if why else 'false alarm'}")
                real[label == "with bible"] += 0
            counts = []
            for found in (findings, findings_bible):
                slips = sum(1 for f in found if _spelling(f) in text.slips)
                counts.append((len(found), slips, len(found) - slips))
            # A file with mojibake (E101) is left out of the name checks until it is fixed: no planting.
            targets = [] if any(f.code == "E101" for f in findings) else _targets(bible, content)
            planted_all, skipped, found_without, found_with = 0, 0, 0, 0
            for round_number in range(args.rounds):
                rng = random.Random(f"{args.seed}-{round_number}-{text.name}")
                planted_text, planted, skips = _plant(content, targets, args.plants, rng, text.language)
                planted_all, skipped = planted_all + len(planted), skipped + skips
                if planted:
                    found_without += _recall(root, text, planted_text, None, planted, args.verbose)
                    found_with += _recall(root, text, planted_text, bible, planted, args.verbose)
            rows.append((text, words, counts, planted_all, skipped, found_without, found_with))
    _table(rows)


def _table(rows) -> None:
    print(
        "\n| text | set | words | findings | real | false | false /100k | planted (skipped) | found without bible "
        "| found with bible |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    totals: dict[bool, list[int]] = {False: [0] * 6, True: [0] * 6}
    for text, words, counts, planted, skipped, found_without, found_with in rows:
        (n0, r0, f0), (n1, r1, f1) = counts
        print(
            f"| {text.name} | {'held out' if text.held_out else 'tune'} | {words:,} | {n0} / {n1} | {r0} / {r1} "
            f"| {f0} / {f1} | {100_000 * max(f0, f1) / words:.2f} | {planted} ({skipped}) "
            f"| {_share(found_without, planted)} | {_share(found_with, planted)} |"
        )
        total = totals[text.held_out]
        for index, value in enumerate((words, max(f0, f1), planted, found_without, found_with, r0)):
            total[index] += value
    for held_out, (words, false, planted, without, with_, _) in totals.items():
        if words:
            print(
                f"| **all {'held-out' if held_out else 'tuning'} texts** | | {words:,} | | | {false} "
                f"| {100_000 * false / words:.2f} | {planted} | {_share(without, planted)} | {_share(with_, planted)} |"
            )
    print("\nfindings, real, false: without a bible / with one; false /100k counts the larger.")


def _spelling(finding) -> str:
    """What a finding is about, as ``SLIPS`` keys it: the spelling, or the code for E101."""
    return finding.code if finding.code == "E101" else finding.message.split(":")[0]


def _share(found: int, planted: int) -> str:
    return f"{found} ({100 * found / planted:.1f}%)" if planted else "—"


if __name__ == "__main__":
    main()
