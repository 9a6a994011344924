"""The methods ``dataclasses`` writes for fabula's dataclasses, compiled ahead of time.

For each dataclass, ``dataclasses`` writes the source of its ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__``… as text and compiles it with ``exec``: some 330
functions before a screenplay build's worker forks and 25 more in each process after it, ~1 ms
of CPU a class, a tenth of the critical path of a Big Fish build (issue 16). Python caches the
bytecode of modules, never of those texts.

``toolkit/dataclass_compiled.py`` holds the very texts the installed Python's ``dataclasses``
writes for toolkit's classes (``python packaging/compile_dataclasses.py`` remakes it; a test
fails until it is remade after a dataclass changes), each followed by its code object, so that
they are compiled once with the module and cached as any module is. ``install`` gives
``dataclasses`` an ``exec`` that, for a text in that table and module globals as dataclasses
passes them, defines the function from the cached code, made exactly what ``exec`` would have
compiled (file ``<string>``, the text's own line numbers: the same code object); any other text
(another Python's dataclasses, a class changed since, anyone else's dataclass) goes to the
built-in ``exec`` as before. Nothing is written at run time.
"""

from __future__ import annotations

import builtins
import dataclasses
import os
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

_CACHED: dict[str, types.CodeType] = {}


def install() -> None:
    """Give ``dataclasses`` the ``exec`` below, unless it already has an ``exec`` of its own
    (installed before, or a tool's recorder: packaging/compile_dataclasses.py), or the table's
    bytecode is not cached and will not be (``PYTHONDONTWRITEBYTECODE`` with no up-to-date .pyc
    of it): compiling the whole table on every run would cost more than it saves."""
    if "exec" in vars(dataclasses) or not hasattr(dataclasses, "_create_fn"):
        return
    if sys.dont_write_bytecode and not _bytecode_cached("toolkit.dataclass_compiled"):
        return
    _install()


def _install() -> None:
    from toolkit.dataclass_compiled import CODE, PYTHON

    if tuple(sys.version_info[:2]) != PYTHON:  # another Python's dataclasses write other texts
        return
    _CACHED.update(CODE)
    setattr(dataclasses, "exec", _exec)  # noqa: B010 (dataclasses has no exec of its own to type)


def _bytecode_cached(name: str) -> bool:
    """Whether module ``name`` has a .pyc written after its source (where Python looks for it)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None or spec.cached is None:
        return False
    try:
        return os.stat(spec.cached).st_mtime_ns >= os.stat(spec.origin).st_mtime_ns
    except OSError:
        return False


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """``exec(source, globals, locals)`` as ``dataclasses._create_fn`` calls it: its text defines
    ``__create_fn__`` in ``locals``, a function of ``globals``."""
    code = _CACHED.get(source) if type(source) is str else None
    if code is None or type(globals) is not dict or "__builtins__" not in globals or type(locals) is not dict:
        builtins.exec(_as_exec_compiles(source), globals, locals)
        return
    function = types.FunctionType(as_compiled(code), globals)
    locals[function.__name__] = function


def _as_exec_compiles(source: Any) -> Any:
    """A text compiled as ``exec`` called from dataclasses compiles it: without the
    ``from __future__`` flags of this module, which ``exec`` called here would inherit."""
    return compile(source, "<string>", "exec", dont_inherit=True) if isinstance(source, str) else source


def as_compiled(code: types.CodeType) -> types.CodeType:
    """``code``, defined at some line of toolkit/dataclass_compiled.py, as ``exec`` compiles its
    text: in file ``<string>``, from line 1 (nested functions' lines moved alike)."""
    return _moved(code, code.co_firstlineno - 1)


def _moved(code: types.CodeType, lines: int) -> types.CodeType:
    consts = tuple(_moved(const, lines) if isinstance(const, types.CodeType) else const for const in code.co_consts)
    return code.replace(co_filename="<string>", co_firstlineno=code.co_firstlineno - lines, co_consts=consts)
