"""Lists Barbellion's dated entries with their true dates: benchmarks/corpus/calendar/barbellion/truth.tsv.

    python benchmarks/corpus/calendar/truth_barbellion.py

Every entry of The Journal of a Disappointed Man opens with a dateline paragraph ("January 3",
two of them a range: "August 21—August 24"); its year is the year of the part heading above it
("# Part I At Home — 1903"), and the one heading without a year ("Part III Marriage — (continued)")
continues 1915, as the entries under it (September 12 to December 20, then "# … — 1916") show.
Checked by reading: no dateline in another shape, no date in running prose opens a paragraph.
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "prose" / "barbellion.txt"
OUT = Path(__file__).resolve().parent / "barbellion" / "truth.tsv"
MONTHS = "|".join(calendar.month_name[1:])
DATELINE = re.compile(rf"({MONTHS}) (\d{{1,2}})(?:—(?:{MONTHS}) \d{{1,2}})?")
HEADING = re.compile(r"# .*?(\d{4})?$")


def main() -> None:
    rows = ["path\tline\tdate\tnote"]
    year = None
    for number, line in enumerate(SOURCE.read_text(encoding="utf-8").split("\n"), 1):
        heading = HEADING.fullmatch(line)
        if heading:
            year = int(heading[1]) if heading[1] else year
            continue
        found = DATELINE.fullmatch(line)
        if found:
            month = list(calendar.month_name).index(found[1])
            rows.append(f"manuscript/barbellion.md\t{number}\t{year:04d}-{month:02d}-{int(found[2]):02d}\t{line}")
    OUT.write_text("\n".join(rows) + "\n", encoding="utf-8")
    print(f"{len(rows) - 1} entries -> {OUT}")


if __name__ == "__main__":
    main()
