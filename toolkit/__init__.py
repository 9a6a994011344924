"""fabula: compile a screenplay and a book from plain text, and check the story's continuity."""

import gc as _gc

__version__ = "0.1.0"

# Reference cycles are collected rarely from the first import on, as every command of the
# pipeline sets it (pipeline._collect_rarely says why): fabula's own imports create some sixty
# dataclasses and their functions, and Python's default (a collection every 700 new objects)
# ran ~35 collections over them before a command started (~10 ms of a screenplay build, issue 16).
GC_THRESHOLD = (200_000, 50, 100)
if _gc.get_threshold()[0] < GC_THRESHOLD[0]:
    _gc.set_threshold(*GC_THRESHOLD)

# dataclasses' generated methods come compiled with a module of their own (dataclass_code.py).
from toolkit.dataclass_code import install as _install_dataclass_code  # noqa: E402

_install_dataclass_code()
