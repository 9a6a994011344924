"""mypy type-checks toolkit/ with no error, and no check is switched off in the code."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_mypy_finds_no_error_in_toolkit() -> None:
    # In its own process, with the settings of pyproject.toml ([tool.mypy]).
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_no_type_check_is_silenced() -> None:
    ignored = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "toolkit").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "type: ignore" in line
    ]
    assert ignored == []
