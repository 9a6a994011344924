"""The GitHub Action (action.yml): installs fabula-check and annotates a pull request with `fabula check`.

GitHub is not here to run it, so the test runs what it can of it the way a runner would: the
check step's script, in bash, with the action's inputs in its environment, from the root of a
repository that keeps its book in a subfolder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def step(name: str) -> dict:
    return next(step for step in ACTION["runs"]["steps"] if step.get("name") == name)


def test_the_action_is_a_composite_that_installs_the_light_fabula() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["runs"]["steps"][0]["uses"].startswith("actions/setup-python@")
    install = step("Install fabula-check")["run"]
    assert '"$GITHUB_ACTION_PATH/packaging/fabula-check"' in install
    assert (REPO / "packaging" / "fabula-check" / "pyproject.toml").is_file()
    assert set(ACTION["inputs"]) == {"path", "args", "python-version"}
    # An input is never pasted into a script (a pull request could inject commands through it).
    for each in ACTION["runs"]["steps"]:
        assert "${{" not in each.get("run", "")


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's steps run in bash")
def test_the_check_step_annotates_files_from_the_repository_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)  # what a checkout leaves; fabula looks for it
    shutil.copytree(FIXTURES / "continuity", repo / "books" / "winter crossing")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "fabula"  # what pip install puts on PATH, running this checkout's fabula
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m toolkit "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    check = step("fabula check")
    inputs = {"path": "books/winter crossing", "args": "--ignore N105 --fail-on error"}
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
        **{
            key: value.replace("${{ inputs.path }}", inputs["path"]).replace("${{ inputs.args }}", inputs["args"])
            for key, value in check["env"].items()
        },
    }
    result = subprocess.run(
        ["bash", "-e", "-c", check["run"]], capture_output=True, text=True, check=False, cwd=repo, env=env
    )
    assert result.returncode == 1, result.stderr  # errors: the job fails, as it should
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert any(
        line.startswith("::error file=books/winter crossing/manuscript/03-chapter.md,line=19,") for line in lines
    )
    assert not any("N105" in line for line in lines)  # the args input reached fabula
