"""Document metadata shared by every renderer: title, author, language, build timestamp."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from toolkit.config import Config
from toolkit.errors import FabulaError
from toolkit.model import Project

# Without SOURCE_DATE_EPOCH, outputs carry this fixed time (1980-01-01, the ZIP epoch, as wheel
# builds use) so that the same input gives the same bytes on any machine and any day.
DEFAULT_EPOCH = 315532800


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str | None
    language: str
    identifier: str  # urn:isbn from [book] isbn, else urn:uuid derived from title and author
    epoch: int  # seconds since 1970 for every timestamp written into outputs


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH from the environment (reproducible-builds.org), else DEFAULT_EPOCH."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return DEFAULT_EPOCH
    if not value.isdigit():
        raise FabulaError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
    return int(value)


def project_metadata(project: Project, config: Config) -> Metadata:
    """Title and author from fabula.toml, else the Fountain title page, else the folder name."""
    title_page = project.screenplay
    title = config.title or (title_page.title_value("Title") if title_page else None)
    author = config.author
    if author is None and title_page is not None:
        author = title_page.title_value("Author") or title_page.title_value("Authors")
    if title is None:
        title = Path(project.root).name.replace("-", " ").replace("_", " ").title()
    else:
        title = _strip_emphasis(title)
        if not config.title and title.isupper():
            # Title pages are set in capitals by convention; a book's metadata is not.
            title = _headline_case(title)
    author = _strip_emphasis(author) if author else None
    if config.book.isbn:
        identifier = f"urn:isbn:{config.book.isbn}"
    else:
        identifier = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"fabula:{title}\n{author or ''}"))
    return Metadata(title, author, config.language, identifier, source_date_epoch())


_MINOR_WORDS = frozenset("a an and as at but by for in nor of on or the to with".split())


def _headline_case(text: str) -> str:
    """``THE WINTER CROSSING`` -> ``The Winter Crossing`` (minor words lower, apostrophes kept)."""
    words = text.lower().split()
    return " ".join(
        word if 0 < index < len(words) - 1 and word in _MINOR_WORDS else word[:1].upper() + word[1:]
        for index, word in enumerate(words)
    )


def _strip_emphasis(text: str) -> str:
    for marker in ("**", "*", "_"):
        text = text.replace(marker, "")
    return " ".join(text.split())
