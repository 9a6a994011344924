"""Parses ``characters.yaml``, the optional character bible, into Character records."""

from __future__ import annotations

import datetime as _dt
import json
import re

import yaml

from toolkit.errors import FabulaError, excerpt
from toolkit.model import MAX_DAY, Character, DayMark, Span, StoryDate
from toolkit.parsers.yaml_text import compose
from toolkit.sources import clean_text

KEYS = ("name", "aliases", "cue", "exits", "distinct", "note")
_DAY = re.compile(r"(?i)day\s+(\d+)")
MAX_NAME = 200  # characters in a name, an alias or a cue: every name is searched for in the whole text


def parse_bible(path: str, text: str) -> tuple[Character, ...]:
    """Characters from the bible's text: a list of entries, or a mapping with a ``characters`` list.

    Each entry: ``name`` (required), ``aliases`` (list), ``cue``, ``exits`` (a date or ``DAY N``:
    the last day the character can appear), ``distinct`` (names that are not variants of this
    one), ``note`` (free text for the writer). Unknown keys are errors naming key and line.
    """
    try:
        root = compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or getattr(error, "context", None) or str(error)
        raise FabulaError(f"invalid YAML: {reason}", Span(path, line)) from None
    if root is None:
        return ()
    if isinstance(root, yaml.MappingNode):
        entries = None
        for key_node, value_node in root.value:
            if key_node.value != "characters":
                raise FabulaError(
                    f"unknown key {excerpt(key_node.value)} (the bible holds one list, 'characters')",
                    _span(path, key_node),
                )
            entries = value_node
        root = entries
        if root is None:
            return ()
    if not isinstance(root, yaml.SequenceNode):
        raise FabulaError("expected a list of characters", _span(path, root))
    characters = tuple(_character(path, node) for node in root.value)
    _check_unique(path, characters)
    return characters


def _span(path: str, node: yaml.Node) -> Span:
    return Span(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _character(path: str, node: yaml.Node) -> Character:
    if isinstance(node, yaml.ScalarNode) and node.value.strip():
        return Character(span=_span(path, node), name=_name(path, "name", node))
    if not isinstance(node, yaml.MappingNode):
        raise FabulaError("a character is a name or a mapping with 'name', 'aliases', 'cue'…", _span(path, node))
    names: dict[str, str] = {}
    lists: dict[str, tuple[str, ...]] = {}
    exits: DayMark | None = None
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in KEYS:
            raise FabulaError(f"unknown key {excerpt(key)} (known: {', '.join(KEYS)})", _span(path, key_node))
        if key in ("aliases", "distinct"):
            lists[key] = _names(path, key, value_node)
        elif key == "exits":
            exits = _exit_mark(path, value_node)
        elif key != "note":
            names[key] = _name(path, key, value_node)
    if "name" not in names:
        raise FabulaError("character without a 'name'", _span(path, node))
    return Character(
        span=_span(path, node),
        name=names["name"],
        aliases=lists.get("aliases", ()),
        cue=names.get("cue"),
        exits=exits,
        distinct=lists.get("distinct", ()),
    )


def _name(path: str, key: str, node: yaml.Node) -> str:
    name = clean_text(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
    if not name:
        raise FabulaError(f"'{key}' must be a name", _span(path, node))
    if len(name) > MAX_NAME:
        raise FabulaError(
            f"'{key}' must be a name of at most {MAX_NAME} characters, not {excerpt(name)}", _span(path, node)
        )
    return name


def _names(path: str, key: str, node: yaml.Node) -> tuple[str, ...]:
    if isinstance(node, yaml.ScalarNode):
        return (_name(path, key, node),) if node.value.strip() else ()
    if not isinstance(node, yaml.SequenceNode):
        raise FabulaError(f"'{key}' must be a list of names", _span(path, node))
    return tuple(_name(path, key, item) for item in node.value)


def _exit_mark(path: str, node: yaml.Node) -> DayMark:
    span = _span(path, node)
    text = node.value.strip() if isinstance(node, yaml.ScalarNode) else ""
    day = _DAY.fullmatch(text)
    if day:
        if len(day.group(1)) > len(str(MAX_DAY)):
            raise FabulaError(f"'exits' must be DAY 0 to DAY {MAX_DAY}, not {excerpt(text)}", span)
        return DayMark(span, text, "bible", day=int(day.group(1)))
    try:
        date = _dt.date.fromisoformat(text)
    except ValueError:
        from toolkit.parsers.markers import heading_mark

        mark = heading_mark(text, span) if text else None
        if mark is None or mark.date is None or mark.day is not None:
            raise FabulaError(f"'exits' must be a date (2024-01-04) or 'DAY N', not {excerpt(text)}", span) from None
        return DayMark(span, text, "bible", date=mark.date, weekday=mark.weekday)
    return DayMark(span, text, "bible", date=StoryDate.from_date(date))


def _check_unique(path: str, characters: tuple[Character, ...]) -> None:
    seen: dict[str, Character] = {}
    for character in characters:
        for name in {character.name, *character.aliases}:
            other = seen.get(name.lower())
            if other is not None and other is not character:
                raise FabulaError(
                    f"'{name}' names two characters ({other.name}, line {other.span.line}, and {character.name})",
                    character.span,
                )
            seen[name.lower()] = character


_PLAIN = re.compile(r"[^\W\d_][\w .'-]*")


def with_distinct(text: str, character: str, name: str, path: str = "characters.yaml") -> str | None:
    """The bible's text with ``name`` added to the ``distinct`` list of ``character``, the rest
    as it was; None when the entry cannot be changed so (a broken bible, an entry written as a
    bare name or in flow style) or the change would not say so."""
    try:
        before = {c.name: c for c in parse_bible(path, text)}
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (FabulaError, yaml.YAMLError):
        return None
    if character not in before:
        return None
    if name in before[character].distinct:
        return text
    if isinstance(root, yaml.MappingNode):
        root = next((value for key, value in root.value if key.value == "characters"), None)
    entries = root.value if isinstance(root, yaml.SequenceNode) else []
    entry = next(
        (
            node
            for node in entries
            if isinstance(node, yaml.MappingNode)
            and any(key.value == "name" and value.value.strip() == character for key, value in node.value)
        ),
        None,
    )
    if entry is None or entry.flow_style:
        return None
    quoted = name if _PLAIN.fullmatch(name) and not name.endswith(" ") else json.dumps(name, ensure_ascii=False)
    lines = text.splitlines(keepends=True)
    found = next((value for key, value in entry.value if key.value == "distinct"), None)
    if found is None:
        first_key, first_value = entry.value[0]
        after = first_value.end_mark.line + (first_value.end_mark.column > 0)
        indent = " " * first_key.start_mark.column
        lines.insert(after, f"{indent}distinct: [{quoted}]\n")
    elif isinstance(found, yaml.SequenceNode) and found.flow_style:
        line, col = found.start_mark.line, found.start_mark.column + 1
        lines[line] = f"{lines[line][:col]}{quoted}, {lines[line][col:]}"
    elif isinstance(found, yaml.SequenceNode) and found.value:
        item = found.value[0].start_mark
        lines.insert(item.line, f"{lines[item.line][: item.column]}{quoted}\n")
    else:
        return None
    changed = "".join(lines)
    try:
        after_parse = {c.name: c for c in parse_bible(path, changed)}
    except FabulaError:
        return None
    found_after = after_parse.get(character)
    return changed if found_after is not None and name in found_after.distinct else None
