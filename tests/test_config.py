"""fabula.toml: defaults, every key, and errors that name the key and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from toolkit.config import Config, load_config, parse_config
from toolkit.errors import FabulaError


def test_no_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config()
    assert config.language == "en" and config.screenplay.paper == "letter"


def test_every_key_is_read() -> None:
    config = parse_config(
        'title = "The Ferry"\nauthor = "A. Writer"\nlanguage = "fr"\n'
        "[calendar]\nday_one = 2023-12-27\nyear = 2023\n"
        '[screenplay]\npaper = "a4"\n[book]\ncover = "cover.png"\ncss = "my.css"\n'
    )
    assert (config.title, config.author, config.language) == ("The Ferry", "A. Writer", "fr")
    assert config.calendar.day_one == dt.date(2023, 12, 27) and config.calendar.year == 2023
    assert config.screenplay.paper == "a4"
    assert (config.book.cover, config.book.css) == ("cover.png", "my.css")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "x"\n\n[calendar]\nday_on = 2023-01-01\n', "fabula.toml:4: unknown key 'calendar.day_on'"),
        ('title = "x"\nauthr = "y"\n', "fabula.toml:2: unknown key 'authr'"),
        ('[screenplay]\npaper = "b5"\n', "fabula.toml:2: screenplay.paper must be one of 'letter', 'a4'"),
        ('[calendar]\nday_one = "next tuesday"\n', "fabula.toml:2: calendar.day_one must be a date"),
        ("\n\n[books]\ncover = 'x'\n", "fabula.toml:3: unknown table [books]"),
        ('title = "x"\nlanguage = "english language"\n', "fabula.toml:2: language must be a language tag"),
        ('title = "x"\nauthor = \n', "fabula.toml:2: invalid TOML"),
        ('title = "x"\n\nauthor = ', "fabula.toml:3: invalid TOML: Invalid value"),
    ],
)
def test_bad_config_names_key_and_line(text: str, expected: str) -> None:
    with pytest.raises(FabulaError) as caught:
        parse_config(text)
    assert str(caught.value).startswith(expected)


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "fabula.toml").write_bytes(b'title = "ok"\nauthor = "Ren\xe9e"\n')
    with pytest.raises(FabulaError, match=r"^fabula.toml:2: not valid UTF-8"):
        load_config(tmp_path)


def test_book_keys() -> None:
    config = parse_config(
        "[book]\n"
        'isbn = "978-0-306-40615-7"\n'
        'dedication = "For M."\n'
        'epigraph = "The sea."\n'
        'epigraph_source = "Anon"\n'
        'trim = "a5"\n'
        "small_caps = false\n"
        'contact = """\nA. Writer\n1 Road\n"""\n'
        'surname = "Writer"\n'
        'manuscript_font = "times"\n'
    )
    book = config.book
    assert book.isbn == "9780306406157"
    assert (book.dedication, book.epigraph, book.epigraph_source) == ("For M.", "The sea.", "Anon")
    assert (book.trim, book.small_caps, book.surname, book.manuscript_font) == ("a5", False, "Writer", "times")
    assert book.contact == ("A. Writer", "1 Road")
    assert parse_config('[book]\ncontact = ["A", "B"]\n').book.contact == ("A", "B")
    defaults = Config().book
    assert (defaults.trim, defaults.small_caps, defaults.manuscript_font, defaults.contact) == (
        "5.5x8.5",
        True,
        "courier",
        (),
    )


def test_isbn_10_becomes_isbn_13() -> None:
    assert parse_config('[book]\nisbn = "0-306-40615-2"\n').book.isbn == "9780306406157"
    assert parse_config('[book]\nisbn = "0 8044 2957 X"\n').book.isbn == "9780804429573"


def test_screenplay_options_are_read() -> None:
    config = parse_config(
        "[screenplay]\n"
        'paper = "a4"\n'
        'font = "fonts/My Mono.ttf"\n'
        "scene_numbers = true\n"
        "contd = false\n"
        "notes = true\n"
        'watermark = "DRAFT"\n'
        'header = "The Lighthouse"\n'
        'footer = "Byron & Lind"\n'
        'stamp = "BLUE REVISION"\n'
        'stamp_pages = "3-7"\n'
    )
    settings = config.screenplay
    assert (settings.paper, settings.font, settings.scene_numbers, settings.contd, settings.notes) == (
        "a4",
        "fonts/My Mono.ttf",
        True,
        False,
        True,
    )
    assert (settings.watermark, settings.header, settings.footer) == ("DRAFT", "The Lighthouse", "Byron & Lind")
    assert (settings.stamp, settings.stamp_pages) == ("BLUE REVISION", (3, 7))
    assert parse_config('[screenplay]\nstamp_pages = "4"\n').screenplay.stamp_pages == (4, 4)
    assert settings.heading_space == 1  # the page counts Final Draft gives (README)
    assert parse_config("[screenplay]\nheading_space = 2\n").screenplay.heading_space == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[book]\nisbn = "978-0-306-40615-8"\n', "fabula.toml:2: book.isbn: '978-0-306-40615-8' is not a valid ISBN"),
        ('[book]\nisbn = "0-306-40615-3"\n', "fabula.toml:2: book.isbn: '0-306-40615-3' is not a valid ISBN"),
        ('[book]\nisbn = "12345"\n', "fabula.toml:2: book.isbn must be an ISBN-13"),
        ('\n[book]\ntrim = "letter"\n', "fabula.toml:3: book.trim must be one of '5.5x8.5', '6x9', 'a5'"),
        ('[book]\nsmall_caps = "yes"\n', "fabula.toml:2: book.small_caps must be true or false"),
        ("[book]\ncontact = [1, 2]\n", "fabula.toml:2: book.contact must be a list of non-empty strings"),
        (
            '[book]\nmanuscript_font = "arial"\n',
            "fabula.toml:2: book.manuscript_font must be one of 'courier', 'times'",
        ),
    ],
)
def test_bad_book_keys(text: str, expected: str) -> None:
    with pytest.raises(FabulaError) as caught:
        parse_config(text)
    assert str(caught.value).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[screenplay]\nnotes = "yes"\n', r"fabula.toml:2: screenplay.notes must be true or false"),
        ("[screenplay]\nheading_space = 3\n", r"fabula.toml:2: screenplay.heading_space must be 1 or 2"),
        (
            '[screenplay]\n\nstamp_pages = "7-3"\n',
            r"fabula.toml:3: screenplay.stamp_pages must be a page or a page range",
        ),
        ("[screenplay]\nstamp_pages = true\n", r"fabula.toml:2: screenplay.stamp_pages must be"),
        ('[screenplay]\nfonts = "x.ttf"\n', r"fabula.toml:2: unknown key 'screenplay.fonts'"),
    ],
)
def test_bad_screenplay_option_names_key_and_line(text: str, expected: str) -> None:
    with pytest.raises(FabulaError, match=expected):
        parse_config(text)
