"""The one Jinja2 set-up every renderer uses: fabula's packaged templates, StrictUndefined."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from jinja2 import Environment

Escape = Literal["all", "html", "none"]


def template_environment(
    escape: Escape,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    tests: Mapping[str, Callable[..., bool]] | None = None,
) -> Environment:
    """Templates from ``toolkit/templates``; a missing variable is an error, never an empty string.

    ``escape``: "all" for XML and HTML outputs, "html" for renderers with both Markdown and HTML
    templates (only ``*.html.j2`` is escaped), "none" for Typst, whose values are quoted by a filter.
    Jinja2 is imported here, not at module level, so that commands without templates start faster.
    """
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    choices: dict[str, bool | Callable[[str | None], bool]] = {
        "all": True,
        "html": select_autoescape(enabled_extensions=("html.j2",), default=False),
        "none": False,
    }
    autoescape = choices[escape]
    environment = Environment(
        loader=PackageLoader("toolkit", "templates"),
        undefined=StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(filters or {})
    environment.tests.update(tests or {})
    return environment
