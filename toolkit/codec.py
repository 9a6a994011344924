"""Plain data for the model: frozen dataclasses to JSON values and back, checked against their type hints.

The incremental cache (toolkit/cache.py) keeps parses and findings as JSON written and read here:
data, never code (a pickle can run anything when loaded). Reading checks every value against the
type its dataclass declares, so a damaged or doctored entry raises CodecError instead of giving an
object of the wrong shape:

    dataclass          a list of its init fields in order (fields with ``init=False`` are derived);
                       a ``str`` field whose text an earlier ``str`` field of the same record holds
                       as ``{"same": n}``, n that field's place (a plain paragraph's ``text`` is its
                       ``markdown``: the parsed book is read back from half the JSON)
    union of records   ``[ClassName, fields]`` when more than one dataclass could be meant
    StrEnum, date      their value, their ISO text
    tuple, list        a list; a fixed tuple checks its length
    dict               a list of ``[key, value]`` pairs (keys need not be strings)
    str, int, bool     themselves, of exactly that type (``True`` is not an int here)
    Literal            one of the listed values

The reader for each type is built once from its hints and kept; it walks a value with no recursion
beyond the depth of the model's types, which the input cannot deepen.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import types
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

# A writer takes the value and the records written so far (id -> number); a reader takes the data
# and the records read so far, in the same order.
Writer = Callable[[Any, dict[int, int]], Any]
Reader = Callable[[Any, list[Any]], Any]


class CodecError(ValueError):
    """A value that does not have the shape its type declares."""


def encode(value: Any, kind: Any) -> Any:
    """``value`` (of type ``kind``) as JSON-ready lists, strings, numbers, booleans and None."""
    return _writer(kind)(value, {})


def decode(data: Any, kind: Any) -> Any:
    """The value of type ``kind`` that ``data`` holds; CodecError when its shape is wrong."""
    return _reader(kind)(data, [])


# ---------------------------------------------------------------- writers


@functools.cache
def _writer(kind: Any) -> Writer:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind in (str, int, bool, float, type(None)):
        return _same
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _enum_value
    if kind is _dt.date:
        return _iso
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _record_writer(kind)
    if origin is typing.Literal:
        return _same
    if origin in (tuple, list):
        items = _writer(args[0]) if origin is list or (len(args) == 2 and args[1] is Ellipsis) else None
        if items is not None:
            return lambda value, memo: [items(item, memo) for item in value]
        writers = [_writer(arg) for arg in args]
        return lambda value, memo: [write(item, memo) for write, item in zip(writers, value, strict=True)]
    if origin is dict:
        key_writer, value_writer = _writer(args[0]), _writer(args[1])
        return lambda value, memo: [[key_writer(k, memo), value_writer(v, memo)] for k, v in value.items()]
    if origin in (typing.Union, types.UnionType):
        return _union_writer(args)
    raise TypeError(f"codec: no plain form for {kind!r}")


def _same(value: Any, memo: dict[int, int]) -> Any:
    return value


def _enum_value(value: Enum, memo: dict[int, int]) -> Any:
    return value.value


def _iso(value: _dt.date, memo: dict[int, int]) -> str:
    return value.isoformat()


def _record_writer(kind: type) -> Writer:
    """A record as the list of its fields; one seen before in the same value as ``{"ref": n}``,
    so that what the model shares (a scene's elements are the screenplay's) stays shared."""
    hints = typing.get_type_hints(kind)
    fields = [(field.name, _writer(hints[field.name])) for field in dataclasses.fields(kind) if field.init]
    texts = [index for index, (name, _) in enumerate(fields) if hints[name] is str]
    # Each ``str`` field after the first, with the ``str`` fields before it.
    sharing = [(index, texts[:place]) for place, index in enumerate(texts) if place]

    def write(value: Any, memo: dict[int, int]) -> Any:
        seen = memo.get(id(value))
        if seen is not None:
            return {"ref": seen}
        data = [write_field(getattr(value, name), memo) for name, write_field in fields]
        for index, earlier in sharing:
            text = data[index]
            if len(text) >= _SHARED_TEXT:
                for before in earlier:
                    if data[before] == text:  # (one written as {"same": n} is no longer a text)
                        data[index] = {"same": before}
                        break
        memo[id(value)] = len(memo)  # numbered once written, as the reader numbers it once made
        return data

    return write


_SHARED_TEXT = 16  # a shorter text is written again: {"same": n} would be as long


def _records(args: tuple[Any, ...]) -> list[type]:
    return [arg for arg in args if isinstance(arg, type) and dataclasses.is_dataclass(arg)]


def _union_writer(args: tuple[Any, ...]) -> Writer:
    records = _records(args)
    others = [arg for arg in args if arg not in records]
    tagged = len(records) > 1
    by_class = {record: _writer(record) for record in records}
    plain = [(arg, _writer(arg)) for arg in others]

    def write(value: Any, memo: dict[int, int]) -> Any:
        record = by_class.get(type(value))
        if record is not None:
            return [type(value).__name__, record(value, memo)] if tagged else record(value, memo)
        for arg, write_plain in plain:
            if _is(value, arg):
                return write_plain(value, memo)
        raise TypeError(f"codec: {type(value).__name__} is not one of {args!r}")

    return write


def _is(value: Any, kind: Any) -> bool:
    if kind is type(None):
        return value is None
    origin = typing.get_origin(kind) or kind
    return isinstance(value, origin) if isinstance(origin, type) else True


# ---------------------------------------------------------------- readers


@functools.cache
def _reader(kind: Any) -> Reader:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind in (str, int, bool, float, type(None)):
        return _exact(kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _enum_reader(kind)
    if kind is _dt.date:
        return _date
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _record_reader(kind)
    if origin is typing.Literal:
        return _literal_reader(args)
    if origin in (tuple, list):
        return _sequence_reader(origin, args)
    if origin is dict:
        return _dict_reader(_reader(args[0]), _reader(args[1]))
    if origin in (typing.Union, types.UnionType):
        return _union_reader(args)
    raise TypeError(f"codec: no plain form for {kind!r}")


def _exact(kind: type) -> Reader:
    def read(data: Any, table: list[Any]) -> Any:
        if type(data) is not kind:
            raise CodecError(f"expected {kind.__name__}, found {type(data).__name__}")
        return data

    return read


def _enum_reader(kind: type[Enum]) -> Reader:
    def read(data: Any, table: list[Any]) -> Any:
        try:
            return kind(data)
        except ValueError:
            raise CodecError(f"not a {kind.__name__}: {str(data)[:40]!r}") from None

    return read


def _date(data: Any, table: list[Any]) -> _dt.date:
    if type(data) is not str:
        raise CodecError("expected a date")
    try:
        return _dt.date.fromisoformat(data)
    except ValueError:
        raise CodecError(f"not a date: {data[:40]!r}") from None


def _literal_reader(values: tuple[Any, ...]) -> Reader:
    def read(data: Any, table: list[Any]) -> Any:
        if not any(type(data) is type(value) and data == value for value in values):
            raise CodecError(f"expected one of {values!r}")
        return data

    return read


def _list(data: Any) -> list[Any]:
    if type(data) is not list:
        raise CodecError(f"expected a list, found {type(data).__name__}")
    return data


def _sequence_reader(origin: Any, args: tuple[Any, ...]) -> Reader:
    if origin is list or (len(args) == 2 and args[1] is Ellipsis):
        item = _reader(args[0])
        make: Callable[[Any], Any] = list if origin is list else tuple
        return lambda data, table: make([item(value, table) for value in _list(data)])
    readers = [_reader(arg) for arg in args]

    def read(data: Any, table: list[Any]) -> Any:
        values = _list(data)
        if len(values) != len(readers):
            raise CodecError(f"expected {len(readers)} values, found {len(values)}")
        return tuple(read_item(value, table) for read_item, value in zip(readers, values, strict=True))

    return read


def _dict_reader(key: Reader, value: Reader) -> Reader:
    def read(data: Any, table: list[Any]) -> Any:
        result = {}
        for pair in _list(data):
            if type(pair) is not list or len(pair) != 2:
                raise CodecError("expected a [key, value] pair")
            result[key(pair[0], table)] = value(pair[1], table)
        return result

    return read


_EXACT = (str, int, bool, float, type(None))


def _record_reader(kind: type) -> Reader:
    """A reader of ``kind``'s list of fields, written out for its fields (as dataclasses writes
    a record's ``__init__``): a field of an exact type (``str``, ``int | None``) is checked in
    place rather than by a reader's call, most of the time of reading a parsed book back. The
    code is made from the record's type hints alone, never from the data it reads."""
    hints = typing.get_type_hints(kind)
    fields = dataclasses.fields(kind)
    given = [field.name for field in fields if field.init]
    count = len(given)
    # Made without its ``__init__`` when that has nothing to work out (every field given, no
    # ``__post_init__``, no slots): a frozen dataclass's sets each field with object.__setattr__.
    plain = (
        count == len(fields)
        and getattr(vars(kind).get("__dataclass_params__"), "init", False)
        and not hasattr(kind, "__post_init__")
        and "__slots__" not in kind.__dict__
    )
    scope: dict[str, Any] = {
        "kind": kind,
        "new": object.__new__,
        "CodecError": CodecError,
        "_shared": _shared,
        "name": kind.__name__,
    }
    values = ", ".join(f"v{index}" for index in range(count))
    lines = [
        "def read(data, table):",
        "    if type(data) is not list:",
        "        if type(data) is dict:",
        "            return _shared(data, table, kind)",
        "        raise CodecError(f'expected a list, found {type(data).__name__}')",
        f"    if len(data) != {count}:",
        f"        raise CodecError(f'{{name}}: expected {count} fields, found {{len(data)}}')",
    ]
    if count:
        lines.append(f"    {values}{',' if count == 1 else ''} = data")
    texts: list[int] = []  # the ``str`` fields so far, which a later one may repeat ({"same": n})
    for index, field_name in enumerate(given):
        hint = hints[field_name]
        arms = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
        if all(arm in _EXACT for arm in arms):
            scope[f"t{index}"] = frozenset(arms)
            lines.append(f"    if type(v{index}) not in t{index}:")
            if hint is str and texts:
                scope[f"s{index}"] = frozenset(texts)
                earlier = ", ".join(f"{before}: v{before}" for before in texts)
                same = f"type(v{index}.get('same')) is int and v{index}['same'] in s{index}"
                lines += [
                    f"        if type(v{index}) is dict and len(v{index}) == 1 and {same}:",
                    f"            v{index} = {{{earlier}}}[v{index}['same']]",
                    "        else:",
                    f"            raise CodecError(f'{{name}}.{field_name}: not a {{type(v{index}).__name__}}')",
                ]
            else:
                lines.append(f"        raise CodecError(f'{{name}}.{field_name}: not a {{type(v{index}).__name__}}')")
            if hint is str:
                texts.append(index)
        else:
            scope[f"r{index}"] = _reader(hint)
            lines.append(f"    v{index} = r{index}(v{index}, table)")
    if plain:
        pairs = ", ".join(f"{name!r}: v{index}" for index, name in enumerate(given))
        lines += ["    record = new(kind)", f"    record.__dict__.update({{{pairs}}})"]
    else:
        lines += [
            "    try:",
            f"        record = kind({values})",
            "    except (TypeError, ValueError) as error:  # a check in the record's own __post_init__",
            "        raise CodecError(f'{name}: {error}') from None",
        ]
    lines += ["    table.append(record)", "    return record"]
    exec("\n".join(lines), scope)  # the reader's code, from the record's type hints (never from data)
    reader: Reader = scope["read"]
    return reader


def _shared(data: dict[str, Any], table: list[Any], kind: type) -> Any:
    """The record that ``{"ref": n}`` names: one read before, and of the type expected here."""
    number = data.get("ref")
    if len(data) != 1 or type(number) is not int or not 0 <= number < len(table):
        raise CodecError("not a reference to an earlier record")
    record = table[number]
    if type(record) is not kind:
        raise CodecError(f"reference to a {type(record).__name__}, not a {kind.__name__}")
    return record


def _union_reader(args: tuple[Any, ...]) -> Reader:
    records = _records(args)
    others = [arg for arg in args if arg not in records]
    if records and any(typing.get_origin(arg) in (tuple, list, dict) for arg in others):
        raise TypeError(f"codec: cannot tell the arms of {args!r} apart")
    by_name = {record.__name__: _reader(record) for record in records}
    single = _reader(records[0]) if len(records) == 1 else None
    plain = [_reader(arg) for arg in others]
    # Arms that are exact types (``int | None``, ``str | None``): the value's type looked up
    # at once, not each arm tried in turn (one failed arm, one exception).
    exact = {arg for arg in others if arg in (str, int, bool, float, type(None))}
    if not records and len(exact) == len(others):
        exact_types = frozenset(exact)

        def read_exact(data: Any, table: list[Any]) -> Any:
            if type(data) not in exact_types:
                raise CodecError(f"no arm of {args!r} fits")
            return data

        return read_exact

    def read(data: Any, table: list[Any]) -> Any:
        if type(data) in (list, dict) and records:
            if single is not None:
                return single(data, table)
            if type(data) is not list or len(data) != 2 or type(data[0]) is not str or data[0] not in by_name:
                raise CodecError(f"expected one of {sorted(by_name)}")
            return by_name[data[0]](data[1], table)
        for read_plain in plain:
            try:
                return read_plain(data, table)
            except CodecError:
                continue
        raise CodecError(f"no arm of {args!r} fits")

    return read
