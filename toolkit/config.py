"""Reads ``fabula.toml`` into one frozen Config; the only module that knows option names."""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from toolkit.diagnostics import Severity
from toolkit.errors import FabulaError, excerpt
from toolkit.model import Span
from toolkit.sources import CONFIG_NAME, clean_text, read_text

__all__ = ["CONFIG_NAME", "Config", "load_config", "parse_config"]


class Paper(StrEnum):
    """Screenplay paper sizes."""

    letter = "letter"
    a4 = "a4"


PAPERS = tuple(paper.value for paper in Paper)
TRIMS = ("5.5x8.5", "6x9", "a5")  # book PDF page sizes: inches, or ISO A5
MANUSCRIPT_FONTS = ("courier", "times")
DASHES = ("em", "spaced-en")  # what "--" becomes in the book: "a—b", or "a – b" (British house style)
FONT_SIZES = (10, 10.5, 11, 11.5, 12)  # the book PDF's text size in points


@dataclass(frozen=True)
class CalendarConfig:
    day_one: _dt.date | None = None  # the date of DAY 1
    year: int | None = None  # year for dates written without one, where the story never says


@dataclass(frozen=True)
class ScreenplayConfig:
    paper: str = "letter"  # one of PAPERS
    font: str | None = None  # a TrueType file, relative to the project root; None: Courier Prime
    scene_numbers: bool = False  # number every scene in both margins ("#12#" numbers always print)
    contd: bool = True  # (CONT'D) when a character speaks again after only action
    notes: bool = False  # print [[notes]] on the page
    # Blank lines above a scene heading: 1 gives Final Draft's page counts on the scripts we have its
    # PDFs of (README, "Measured against Final Draft"); 2 is its current template line for line.
    heading_space: int = 1
    watermark: str | None = None
    header: str | None = None
    footer: str | None = None
    stamp: str | None = None  # e.g. "BLUE REVISION", printed at the top of stamp_pages
    stamp_pages: tuple[int, int] | None = None  # "3-7" in fabula.toml; None: every page


@dataclass(frozen=True)
class BookConfig:
    cover: str | None = None  # path relative to the project root
    css: str | None = None  # path relative to the project root
    isbn: str | None = None  # ISBN-13 digits, checksum verified; the EPUB identifier when set
    dedication: str | None = None  # front matter of the EPUB and PDF
    epigraph: str | None = None
    epigraph_source: str | None = None  # who said it, set under the epigraph
    trim: str = "5.5x8.5"  # book PDF page size
    small_caps: bool = True  # set the opening words of each chapter in small caps (PDF)
    contact: tuple[str, ...] = ()  # manuscript cover page: name, address, e-mail, one line each
    surname: str | None = None  # manuscript running head; default the author's surname, if a person's name
    manuscript_font: str = "courier"  # "courier" or "times"
    dash: str = "em"  # one of DASHES: what "--" becomes in the EPUB and PDF (the manuscript keeps "--")
    font_size: float | None = None  # one of FONT_SIZES; None: 10.5 pt, or 11 pt on 6x9
    small_caps_headings: bool = False  # chapter titles typed in capitals set in small capitals
    # The copyright page (EPUB and PDF), and the EPUB's publication date.
    published: str | None = None  # "2024" or "2024-03-01": dc:date, and the copyright year
    copyright_holder: str | None = None  # default the author
    copyright_year: int | None = None  # default the year of ``published``
    rights: str | None = None  # default "All rights reserved."
    edition: str | None = None  # "First edition"
    publisher: str | None = None  # publisher or imprint: copyright and title pages, dc:publisher
    printer: str | None = None  # "Printed in Scotland by ...": the print PDF only


@dataclass(frozen=True)
class CheckConfig:
    """``[check]``: which continuity rules run, how loud they are, and what is allowed."""

    select: tuple[str, ...] = ()  # rule codes or prefixes ("N", "D10"); empty: every rule
    ignore: tuple[str, ...] = ()  # codes or prefixes never reported
    severity: tuple[tuple[str, Severity], ...] = ()  # (code or prefix, "error"|"warning") overrides
    fail_on: Literal["error", "warning", "never"] = "warning"  # exit 1 at or over this severity
    names_ok: tuple[str, ...] = ()  # names that are never variants, unknown cues or conflicts
    out_of_span_days: int = 365  # D105: a date further than this from both neighbours


@dataclass(frozen=True)
class Config:
    title: str | None = None
    author: str | None = None
    language: str = "en"
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    screenplay: ScreenplayConfig = field(default_factory=ScreenplayConfig)
    book: BookConfig = field(default_factory=BookConfig)
    check: CheckConfig = field(default_factory=CheckConfig)


# table name -> {key: validator}; "" is the top level.
def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not clean_text(value).strip():
        raise ValueError(f"{where} must be a non-empty string")
    return clean_text(value)


def _language(value: Any, where: str) -> str:
    text = _text(value, where)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", text):
        raise ValueError(f"{where} must be a language tag such as 'en' or 'fr-CA', not {excerpt(text)}")
    return text


def _date(value: Any, where: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{where} must be a date such as 2023-03-07")


def _year(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9999:
        raise ValueError(f"{where} must be a year such as 2023")
    return value


def _one_of(choices: tuple[str, ...]) -> Callable[[Any, str], str]:
    """The check of a key that takes one of ``choices`` (paper, trim, manuscript font, dash)."""

    def check(value: Any, where: str) -> str:
        if value not in choices:
            raise ValueError(f"{where} must be one of {', '.join(map(repr, choices))}, not {excerpt(value)}")
        return value

    return check


_paper, _trim = _one_of(PAPERS), _one_of(TRIMS)
_manuscript_font, _dash = _one_of(MANUSCRIPT_FONTS), _one_of(DASHES)


def _font_size(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value not in FONT_SIZES:
        raise ValueError(f"{where} must be one of {', '.join(map(str, FONT_SIZES))} (points), not {excerpt(value)}")
    return float(value)


def _published(value: Any, where: str) -> str:
    """A year (2024) or a date (2024-03-01), as the EPUB's dc:date writes it."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(_year(value, where))
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        return str(_year(int(value), where))
    try:
        return _date(value, where).isoformat()
    except ValueError:
        raise ValueError(f"{where} must be a year such as 2024 or a date such as 2024-03-01") from None


def _heading_space(value: Any, where: str) -> int:
    if value not in (1, 2) or isinstance(value, bool):
        raise ValueError(f"{where} must be 1 or 2 (blank lines above a scene heading), not {value!r}")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{where} must be true or false")
    return value


def _lines(value: Any, where: str) -> tuple[str, ...]:
    """A list of strings, or one string with a line per entry."""
    if isinstance(value, str):
        value = value.strip().splitlines()
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and clean_text(v).strip() for v in value):
        raise ValueError(f"{where} must be a list of non-empty strings, one line each")
    return tuple(clean_text(line).strip() for line in value)


def _isbn(value: Any, where: str) -> str:
    """ISBN-13 (or ISBN-10, converted), hyphens and spaces allowed; the check digit must agree."""
    text = _text(value, where)
    digits = re.sub(r"[\s-]", "", text).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        if sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits)) % 11:
            raise ValueError(f"{where}: {excerpt(text)} is not a valid ISBN (check digit)")
        digits = "978" + digits[:9]
        digits += str(-sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits)) % 10)
    if not re.fullmatch(r"97[89]\d{10}", digits):
        raise ValueError(f"{where} must be an ISBN-13 such as 978-0-306-40615-7, not {excerpt(text)}")
    if sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits)) % 10:
        raise ValueError(f"{where}: {excerpt(text)} is not a valid ISBN (check digit)")
    return digits


def _page_range(value: Any, where: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", str(value)) if isinstance(value, str | int) else None
    first, last = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else (0, 0)
    if isinstance(value, bool) or not match or not 1 <= first <= last:
        raise ValueError(f"{where} must be a page or a page range such as '3-7', not {excerpt(value)}")
    return first, last


_CODE = re.compile(r"[A-Z](?:\d{1,3})?")
SEVERITIES = ("error", "warning")


class FailOn(StrEnum):
    """The lowest severity at which ``fabula check`` (and ``build --strict``) exits 1."""

    error = "error"
    warning = "warning"
    never = "never"


FAIL_ON = tuple(level.value for level in FailOn)


def _code(value: Any, where: str) -> str:
    """A rule code ("N101") or a prefix of codes ("N", "D10"), as ruff's --select takes."""
    from toolkit.checks.rules import unknown_codes

    if not isinstance(value, str) or not _CODE.fullmatch(value.strip().upper()):
        raise ValueError(f"{where} must hold rule codes such as 'N101' or prefixes such as 'N', not {excerpt(value)}")
    if unknown_codes((value.strip().upper(),)):
        raise ValueError(f"{where}: no rule is {excerpt(value)} (see fabula check --explain)")
    return value.strip().upper()


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list of rule codes such as ['N105']")
    return tuple(_code(item, where) for item in value)


def _names(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where} must be a list of names such as ['Mags']")
    return tuple(_text(item, where).strip() for item in value)


def _severities(value: Any, where: str) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(value, dict):
        raise ValueError(f'{where} must be a table such as {{ N105 = "error" }}')
    for code, level in value.items():
        if level not in SEVERITIES:
            raise ValueError(f"{where}.{code} must be 'error' or 'warning', not {excerpt(level)}")
    return tuple((_code(code, where), level) for code, level in value.items())


def _fail_on(value: Any, where: str) -> str:
    if value not in FAIL_ON:
        raise ValueError(f"{where} must be one of {', '.join(repr(f) for f in FAIL_ON)}, not {excerpt(value)}")
    return value


def _days(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{where} must be a whole number of days such as 365")
    return value


SCHEMA: dict[str, dict[str, Any]] = {
    "": {"title": _text, "author": _text, "language": _language},
    "calendar": {"day_one": _date, "year": _year},
    "book": {
        "cover": _text,
        "css": _text,
        "isbn": _isbn,
        "dedication": _text,
        "epigraph": _text,
        "epigraph_source": _text,
        "trim": _trim,
        "small_caps": _flag,
        "contact": _lines,
        "surname": _text,
        "manuscript_font": _manuscript_font,
        "dash": _dash,
        "font_size": _font_size,
        "small_caps_headings": _flag,
        "published": _published,
        "copyright_holder": _text,
        "copyright_year": _year,
        "rights": _text,
        "edition": _text,
        "publisher": _text,
        "printer": _text,
    },
    "screenplay": {
        "paper": _paper,
        "font": _text,
        "scene_numbers": _flag,
        "contd": _flag,
        "notes": _flag,
        "heading_space": _heading_space,
        "watermark": _text,
        "header": _text,
        "footer": _text,
        "stamp": _text,
        "stamp_pages": _page_range,
    },
    "check": {
        "select": _codes,
        "ignore": _codes,
        "severity": _severities,
        "fail_on": _fail_on,
        "names_ok": _names,
        "out_of_span_days": _days,
    },
}


def _key_lines(text: str) -> dict[tuple[str, str], int]:
    """The line where each key is first set, by (table, key); a table's header by (table, "").

    One pass over the lines, with no pattern that could backtrack: any fabula.toml takes time in
    proportion to its length.
    """
    found: dict[tuple[str, str], int] = {}
    current = ""
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            close = stripped.find("]")
            if close > 1:
                current = stripped[1:close].strip()
                found.setdefault((current, ""), number)
            continue
        equals = stripped.find("=")
        if equals > 0:
            found.setdefault((current, stripped[:equals].strip().strip("\"'")), number)
    return found


def _line_of(lines: dict[tuple[str, str], int], key: str, table: str) -> int:
    """The line where ``key`` is set (inside ``[table]`` when given); 1 when not found."""
    return lines.get((table, key), 1)


MAX_NESTING = 32  # arrays and inline tables inside one another: tomllib would recurse per level
_TOML_SIGNS = re.compile("[\\[\\]{}#\"'\n]")


def _too_deep(text: str) -> int | None:
    """The line where arrays and inline tables nest deeper than MAX_NESTING, else None.

    A linear scan that skips comments and strings (basic and literal, one-line and multi-line),
    made before tomllib, which recurses once per level and would exhaust the interpreter's
    recursion thousands of levels down. A malformed text left over is tomllib's to report.
    """
    depth = 0
    position = 0
    while (sign := _TOML_SIGNS.search(text, position)) is not None:
        char, at = sign.group(), sign.start()
        position = at + 1
        if char == "#":
            position = text.find("\n", at)
            if position < 0:
                return None
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, at) else char
            end = _string_end(text, at + len(quote), quote)
            if end < 0:
                return None
            position = end + len(quote)
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return text.count("\n", 0, at) + 1
        elif char in "]}":
            depth = max(0, depth - 1)
    return None


def _string_end(text: str, start: int, quote: str) -> int:
    """Where the string opened before ``start`` closes (a basic string's ``\\"`` is no close)."""
    position = start
    while (end := text.find(quote, position)) >= 0:
        backslashes = 0
        while quote[0] == '"' and end - backslashes > start and text[end - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            return end
        position = end + 1
    return -1


def load_config(root: Path, buffers: Mapping[str, str] | None = None) -> Config:
    """Read ``root/fabula.toml`` (or its text in ``buffers``, an editor's unsaved text); defaults
    when there is none. Raises FabulaError on bad input."""
    if buffers and CONFIG_NAME in buffers:
        return parse_config(buffers[CONFIG_NAME])
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config()
    text = read_text(root, path)
    return parse_config(text)


def parse_config(text: str, name: str = CONFIG_NAME) -> Config:
    import tomllib  # here: a project without fabula.toml does not wait for its patterns (issue 16)

    deep = _too_deep(text)
    if deep is not None:
        raise FabulaError(f"arrays or tables nested more than {MAX_NESTING} deep", Span(name, deep))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(error))
        # tomllib says "at end of document" for a value cut short on the last line.
        line = int(match.group(1)) if match else max(1, len(text.rstrip("\n").split("\n")))
        raise FabulaError(f"invalid TOML: {message}", Span(name, line)) from None
    except ValueError:  # int() refusing a number of thousands of digits, inside tomllib
        long_number = next((run for run in re.finditer("[0-9_]+", text) if len(run.group()) > 1000), None)
        line = text.count("\n", 0, long_number.start()) + 1 if long_number else 1
        raise FabulaError("invalid TOML: a number too long to be a setting", Span(name, line)) from None
    lines = _key_lines(text)

    values: dict[str, dict[str, Any]] = {table: {} for table in SCHEMA}
    for key, value in data.items():
        if isinstance(value, dict) and key in SCHEMA and key:
            table = key
            for sub_key, sub_value in value.items():
                _validate(lines, name, values, table, sub_key, sub_value)
        elif isinstance(value, dict):
            raise FabulaError(
                f"unknown table [{excerpt(key).strip(chr(39) + chr(34))}] "
                f"(known: {', '.join('[' + t + ']' for t in SCHEMA if t)})",
                Span(name, _line_of(lines, "", key)),
            )
        else:
            _validate(lines, name, values, "", key, value)

    return Config(
        title=values[""].get("title"),
        author=values[""].get("author"),
        language=values[""].get("language", "en"),
        calendar=CalendarConfig(**values["calendar"]),
        screenplay=ScreenplayConfig(**values["screenplay"]),
        book=BookConfig(**values["book"]),
        check=CheckConfig(**values["check"]),
    )


def _validate(
    lines: dict[tuple[str, str], int], name: str, values: dict[str, dict[str, Any]], table: str, key: str, value: Any
) -> None:
    where = f"{table}.{key}" if table else key
    line = _line_of(lines, key, table)
    if line == 1 and table:  # a sub-table such as [check.severity] is a key of its table
        line = _line_of(lines, "", f"{table}.{key}")
    span = Span(name, line)
    validator = SCHEMA[table].get(key)
    if validator is None:
        known = ", ".join(SCHEMA[table])
        shown = excerpt(where).strip("'\"")
        raise FabulaError(f"unknown key '{shown}' (known{' in [' + table + ']' if table else ''}: {known})", span)
    try:
        values[table][key] = validator(value, where)
    except ValueError as error:
        raise FabulaError(str(error), span) from None


def with_name_ok(text: str, name: str, path: str = CONFIG_NAME) -> str | None:
    """fabula.toml's text with ``name`` added to ``[check] names_ok``, the rest as it was; None
    when the text cannot be read (it is broken) or the change would not say so."""
    try:
        before = parse_config(text, path)
    except FabulaError:
        return None
    if name in before.check.names_ok:
        return text
    quoted = json.dumps(name, ensure_ascii=False)
    lines = text.splitlines(keepends=True)
    header = next((n for n, line in enumerate(lines) if re.match(r"\s*\[check\]\s*(#.*)?$", line)), None)
    if header is None:
        ending = "" if not text or text.endswith("\n") else "\n"
        changed = f"{text}{ending}{chr(10) if text else ''}[check]\nnames_ok = [{quoted}]\n"
    else:
        end = next((n for n in range(header + 1, len(lines)) if re.match(r"\s*\[", lines[n])), len(lines))
        key = next((n for n in range(header + 1, end) if re.match(r"\s*names_ok\s*=\s*\[", lines[n])), None)
        if key is None:
            lines.insert(header + 1, f"names_ok = [{quoted}]\n")
        else:
            opening = lines[key].index("[") + 1
            lines[key] = f"{lines[key][:opening]}{quoted}, {lines[key][opening:]}"
        changed = "".join(lines)
    try:
        after = parse_config(changed, path)
    except FabulaError:
        return None
    return changed if name in after.check.names_ok else None
