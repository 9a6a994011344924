"""What a command-line user expects of any tool: -h, and completion for bash, zsh and fish."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()
COMMANDS = ("new", "build", "check", "outline", "stats", "watch")


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_dash_h_is_help(command: str) -> None:
    args = [command] if command else []
    short = runner.invoke(app, [*args, "-h"], prog_name="fabula")
    long = runner.invoke(app, [*args, "--help"], prog_name="fabula")
    assert (short.exit_code, long.exit_code) == (0, 0)
    assert short.output == long.output and "-h, --help" in short.output
    assert short.output.startswith(f"Usage: fabula {command}".rstrip() + " [OPTIONS]")


def test_help_offers_completion() -> None:
    output = runner.invoke(app, ["--help"], prog_name="fabula").output
    assert "--install-completion" in output and "--show-completion" in output


def complete(shell: str, words: str) -> list[str]:
    """What the shell's completion script gets from fabula for the command line ``words``."""
    if shell == "bash":
        parts = words.split(" ")
        env = {"COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    else:  # as typer's zsh and fish scripts call it
        env = {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = runner.invoke(app, [], prog_name="fabula", env={"_FABULA_COMPLETE": f"complete_{shell}", **env})
    assert result.exit_code == 0, result.output
    return result.output.split()


def test_bash_completes_commands_and_option_values() -> None:
    assert complete("bash", "fabula ch") == ["check"]
    assert complete("bash", "fabula check --format ") == ["text", "json", "github", "sarif"]
    assert complete("bash", "fabula build --pa") == ["--paper"]


def test_zsh_and_fish_complete_too() -> None:
    assert '"outline"' in " ".join(complete("zsh", "fabula build --only "))
    fish = complete("fish", "fabula check --fail")
    assert fish and fish[0].startswith("--fail-on")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_names_fabula(shell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Typer detects the user's shell; without detection --show-completion takes the shell's name.
    # (Set before invoke: Typer reads it when it builds the command.)
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = runner.invoke(app, ["--show-completion", shell], prog_name="fabula")
    assert result.exit_code == 0, result.output
    assert f"_FABULA_COMPLETE=complete_{shell}" in result.output.replace("complete_$", f"complete_{shell}")
