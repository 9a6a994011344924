"""YAML as writers use it (front matter, the character bible): plain values, bounded in size and depth.

PyYAML's SafeLoader runs no code, but it still expands what a hostile file asks for: an alias
bomb (``a: &a [x, x]``, ``b: [*a, *a]``... nine levels of nine) is a few hundred bytes that become
billions of values as soon as anything walks or prints them, a number of thousands of digits
takes quadratic time to read, and nesting thousands deep exhausts Python's recursion. None of
these has a use in front matter or a bible, so this loader refuses each one with a YAML error
(a line and a reason), which the parsers report as a one-line fabula error:

- aliases (``*name``) are refused; anchors alone are harmless and left alone;
- nesting deeper than MAX_DEPTH lists and mappings is refused;
- an integer longer than MAX_INT_DIGITS characters is refused;
- timestamps are left as the text written, so "2023-02-30" reaches the D104 check.
"""

from __future__ import annotations

import functools
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent

MAX_DEPTH = 32
MAX_INT_DIGITS = 30


class WriterLoader(yaml.SafeLoader):
    """SafeLoader without aliases, deep nesting, long integers or timestamps (see the module)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise ComposerError(
                None,
                None,
                f"aliases such as *{event.anchor} are not allowed here; write the value out",
                event.start_mark,
            )
        opens = self.check_event(SequenceStartEvent, MappingStartEvent)
        if opens:
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} lists or mappings deep", self.peek_event().start_mark
                )
        try:
            return super().compose_node(parent, index)
        finally:
            if opens:
                self.depth -= 1

    def construct_yaml_int(self, node: Any) -> Any:
        if isinstance(node.value, str) and len(node.value) > MAX_INT_DIGITS:
            raise ConstructorError(
                None,
                None,
                f"a number of more than {MAX_INT_DIGITS} digits is not a value fabula reads",
                node.start_mark,
            )
        return super().construct_yaml_int(node)


WriterLoader.add_constructor("tag:yaml.org,2002:int", WriterLoader.construct_yaml_int)


@functools.cache
def _loader() -> type[WriterLoader]:
    """WriterLoader without the timestamp resolver (set up once, on first use)."""
    WriterLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return WriterLoader


def load(text: str) -> Any:
    """The plain value ``text`` holds (dicts, lists, strings, numbers); raises yaml.YAMLError."""
    return yaml.load(text, Loader=_loader())


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``, with each node's place; raises yaml.YAMLError."""
    return yaml.compose(text, Loader=_loader())
