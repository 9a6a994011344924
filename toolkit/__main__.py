"""``python -m toolkit``: the fabula command line."""

from toolkit.cli import run

run()
