"""The code stays ruff-clean and ruff-formatted (rules in pyproject.toml), so style never drifts."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

FOLDERS = ("toolkit", "tests", "benchmarks")


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *FOLDERS], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_ruff_check() -> None:
    result = ruff("check", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = ruff("format", "--check")
    assert result.returncode == 0, "run 'ruff format toolkit tests benchmarks':\n" + result.stdout
