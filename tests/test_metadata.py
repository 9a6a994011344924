"""Document metadata: where the title and author come from, and the build timestamp."""

from __future__ import annotations

import pytest

from toolkit.config import Config
from toolkit.errors import FabulaError
from toolkit.metadata import DEFAULT_EPOCH, project_metadata, source_date_epoch
from toolkit.model import Project, Screenplay, Span, TitleField


def project_with_title_page(**fields: str) -> Project:
    title_page = tuple(TitleField(Span("s.fountain", 1), key, (value,)) for key, value in fields.items())
    return Project("/work/my-story", (), Screenplay(("s.fountain",), title_page, (), ()))


def test_config_wins_over_the_title_page() -> None:
    meta = project_metadata(project_with_title_page(Title="OTHER", Author="X"), Config(title="Mine", author="Me"))
    assert (meta.title, meta.author) == ("Mine", "Me")


def test_capitals_of_a_title_page_become_headline_case() -> None:
    meta = project_with_title_page(Title="**THE WINTER CROSSING**", Author="_A. Writer_")
    assert (project_metadata(meta, Config()).title, project_metadata(meta, Config()).author) == (
        "The Winter Crossing",
        "A. Writer",
    )


def test_folder_name_when_nothing_else() -> None:
    meta = project_metadata(Project("/work/the-long-night", (), None), Config())
    assert (meta.title, meta.author) == ("The Long Night", None)


def test_identifier_is_stable_and_depends_on_title() -> None:
    first = project_metadata(Project("/a", (), None), Config(title="One"))
    again = project_metadata(Project("/b", (), None), Config(title="One"))
    other = project_metadata(Project("/a", (), None), Config(title="Two"))
    assert first.identifier == again.identifier != other.identifier
    assert first.identifier.startswith("urn:uuid:")


def test_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date_epoch() == DEFAULT_EPOCH
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch() == 1700000000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(FabulaError, match="SOURCE_DATE_EPOCH must be a whole number"):
        source_date_epoch()


def test_isbn_from_config_is_the_identifier() -> None:
    from toolkit.config import BookConfig

    project = project_with_title_page(Title="Salt")
    with_isbn = project_metadata(project, Config(book=BookConfig(isbn="9780306406157")))
    assert with_isbn.identifier == "urn:isbn:9780306406157"
    assert project_metadata(project, Config()).identifier.startswith("urn:uuid:")
