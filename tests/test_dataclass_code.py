"""dataclasses' methods for toolkit's classes come compiled with toolkit/dataclass_compiled.py
(toolkit/dataclass_code.py), and are exactly what dataclasses would have compiled."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import types

from tests.conftest import REPO
from toolkit import dataclass_code
from toolkit.dataclass_compiled import CODE, PYTHON


def _defined(source: str) -> types.CodeType:
    """The code of the function a text of dataclasses defines, as ``exec`` compiles it there (no
    ``from __future__`` flags: dataclasses has none)."""
    return next(
        const
        for const in compile(source, "<string>", "exec", dont_inherit=True).co_consts
        if isinstance(const, types.CodeType)
    )


def _shape(code: types.CodeType) -> tuple[object, ...]:
    """What tells two code objects apart, nested functions included (``==`` leaves out the file)."""
    nested = tuple(_shape(const) for const in code.co_consts if isinstance(const, types.CodeType))
    return (code, code.co_filename, code.co_qualname, code.co_firstlineno, nested)


THE_TABLES_PYTHON = tuple(sys.version_info[:2]) == PYTHON


def _installed_in_a_fresh_process() -> bool:
    probe = "import dataclasses, toolkit\nprint('exec' in vars(dataclasses))\n"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    return result.stdout.split() == ["True"]


def test_another_pythons_dataclasses_leave_the_table_alone(monkeypatch) -> None:
    """The table holds the texts of one Python's dataclasses (``PYTHON``): on another (the
    project runs on 3.11 and later) toolkit's classes compile their methods as ever."""
    from toolkit import dataclass_compiled

    monkeypatch.delattr(dataclasses, "exec", raising=False)
    monkeypatch.setattr(dataclass_compiled, "PYTHON", (3, 0))
    dataclass_code._install()
    assert "exec" not in vars(dataclasses)
    monkeypatch.setattr(dataclass_compiled, "PYTHON", tuple(sys.version_info[:2]))
    dataclass_code._install()
    assert vars(dataclasses)["exec"] is dataclass_code._exec


def test_the_compiled_texts_are_those_this_python_writes_for_toolkit() -> None:
    """Every text dataclasses writes for a class of toolkit is in the table, and nothing else:
    after a dataclass changes, ``python packaging/compile_dataclasses.py`` remakes the file.
    (On another Python than the table's, the table must be left alone instead.)"""
    if not THE_TABLES_PYTHON:
        assert not _installed_in_a_fresh_process()
        return
    probe = (
        "import sys\n"
        f"sys.path.insert(0, {str(REPO / 'packaging')!r})\n"
        "import compile_dataclasses as c\n"
        "texts = c.texts()\n"
        "print(c.module_text(texts) == c.TARGET.read_text(encoding='utf-8'), len(texts))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.split() == ["True", str(len(CODE))], "run: python packaging/compile_dataclasses.py"
    assert len(CODE) > 500


def test_each_compiled_function_is_the_code_exec_makes_of_its_text() -> None:
    for source, code in CODE.items():
        assert _shape(dataclass_code.as_compiled(code)) == _shape(_defined(source)), source


def test_no_dataclass_of_toolkit_is_compiled_at_run_time() -> None:
    """A build's modules (CLI, pipeline, parsers, checks, renderers) create their dataclasses
    without compiling a single text of dataclasses' (on the table's Python)."""
    if not THE_TABLES_PYTHON:
        assert not _installed_in_a_fresh_process()
        return
    probe = (
        "import builtins\n"
        "compiled = []\n"
        "def counting(source, globals=None, locals=None, /, _exec=builtins.exec):\n"
        "    module = globals.get('__name__') if isinstance(globals, dict) else None\n"
        "    if isinstance(source, str) and str(module).startswith('toolkit'):\n"
        "        compiled.append(source)\n"
        "    return _exec(source, globals, locals)\n"
        "builtins.exec = counting\n"
        "import dataclasses, toolkit\n"
        "assert vars(dataclasses)['exec'].__module__ == 'toolkit.dataclass_code'\n"
        "import toolkit.cli, toolkit.pipeline, toolkit.parsers.fountain, toolkit.parsers.markdown\n"
        "import toolkit.checks.run, toolkit.render.screenplay_pdf, toolkit.render.screenplay_html\n"
        "import toolkit.resolve.timeline, toolkit.resolve.presence, toolkit.cache, toolkit.lsp.features\n"
        "print(len(compiled))\n"
    )
    # Where Python may cache bytecode (the table is used once its .pyc is there: the first run writes it).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    for _ in range(2):
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, env=env)
    assert (result.returncode, result.stdout.split()) == (0, ["0"]), result.stderr


def test_without_cached_bytecode_the_table_is_left_alone(tmp_path) -> None:
    """With PYTHONDONTWRITEBYTECODE and no .pyc of the table (a fresh cache folder), compiling
    the table on every run would cost more than it saves: dataclasses compiles as ever."""
    probe = (
        "import dataclasses, toolkit, toolkit.model\n"
        "print('exec' in vars(dataclasses), toolkit.model.Span('a', 2) < toolkit.model.Span('a', 3))\n"
    )
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, env=env)
    assert (result.returncode, result.stdout.split()) == (0, ["False", "True"]), result.stderr


def test_the_table_is_what_runs_and_other_texts_are_compiled_as_before(monkeypatch) -> None:
    """A dataclass that is not toolkit's gets its methods compiled from dataclasses' texts as
    ever; put in the table, a text's code is what the class gets (a doctored ``__repr__``)."""
    asked: list[str] = []

    def recording(source: str, globals: object = None, locals: object = None, /) -> None:
        asked.append(source)
        dataclass_code._exec(source, globals, locals)

    monkeypatch.setattr(dataclasses, "exec", recording, raising=False)

    @dataclasses.dataclass(frozen=True)
    class Plain:
        x: int
        y: str = "y"

    assert (Plain(1), repr(Plain(2, "b")), Plain(1) == Plain(1, "y")) == (
        Plain(1, "y"),
        f"{Plain.__qualname__}(x=2, y='b')",
        True,
    )
    assert asked and not any(source in CODE for source in asked)
    (repr_text,) = [source for source in asked if " def __repr__(" in source]
    doctored = _defined("def __create_fn__():\n def __repr__(self):\n  return 'doctored'\n return __repr__")
    monkeypatch.setitem(dataclass_code._CACHED, repr_text, doctored)

    @dataclasses.dataclass(frozen=True)
    class Doctored:
        x: int
        y: str = "y"

    assert repr(Doctored(1)) == "doctored"
    assert Doctored(1) == Doctored(1, "y") and hash(Doctored(1)) == hash(Doctored(1, "y"))
