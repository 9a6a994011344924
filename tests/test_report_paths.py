"""GitHub annotations and SARIF name files from the repository root, wherever the book lives in it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.report import repository_root

runner = CliRunner()
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "continuity"
SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-2.1.0-rtm.5.json"


def git_repository(folder: Path) -> Path:
    """A real repository (git init) when git is installed, else the marker git itself looks for."""
    folder.mkdir(parents=True)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
        top = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True
        )
        assert Path(top.stdout.strip()).resolve() == folder.resolve()
    else:
        (folder / ".git").mkdir()
    return folder


@pytest.fixture
def book_in_repository(tmp_path: Path) -> Path:
    """The continuity fixture at books/winter crossing/ inside a repository (a space, to be quoted)."""
    repo = git_repository(tmp_path / "repo")
    book = repo / "books" / "winter crossing"
    shutil.copytree(FIXTURE, book)
    return book


def check(project: Path, *args: str, cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return runner.invoke(app, ["check", str(project), *args], catch_exceptions=False)


@pytest.mark.parametrize("where", ["project", "repository root", "outside"])
def test_github_annotations_are_relative_to_the_repository_root(
    book_in_repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """Run from the book's folder, the repository root or elsewhere: the same file= paths."""
    cwd = {"project": book_in_repository, "repository root": tmp_path / "repo", "outside": tmp_path}[where]
    result = check(book_in_repository, "--format", "github", cwd=cwd, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    first = next(line for line in result.stdout.splitlines() if "D102" in line)
    assert first.startswith("::error file=books/winter crossing/manuscript/03-chapter.md,line=19,col=2,")
    # Relative to the repository, every annotation names a file that is there.
    files = {line.split("file=", 1)[1].split(",line=", 1)[0] for line in result.stdout.splitlines()}
    assert files and all((tmp_path / "repo" / file).is_file() for file in files)


def test_sarif_locations_are_relative_to_the_repository_root(
    book_in_repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jsonschema import Draft4Validator

    result = check(book_in_repository, "--format", "sarif", cwd=book_in_repository, monkeypatch=monkeypatch)
    log = json.loads(result.stdout)
    Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    run = log["runs"][0]
    root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == (book_in_repository.parents[1].resolve().as_uri() + "/")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "books/winter%20crossing/manuscript/03-chapter.md" in uris
    assert all(uri.startswith("books/winter%20crossing/") for uri in uris)
    fingerprints = {r["partialFingerprints"]["fabulaFinding/v1"] for r in run["results"]}
    assert all(":books/winter crossing/" in fingerprint for fingerprint in fingerprints)


def test_text_and_json_keep_paths_relative_to_the_project(
    book_in_repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = check(book_in_repository, cwd=book_in_repository.parent, monkeypatch=monkeypatch).stdout
    assert any(line.startswith("manuscript/03-chapter.md:19:2: D102 ") for line in text.splitlines())
    records = json.loads(
        check(book_in_repository, "--format", "json", cwd=book_in_repository, monkeypatch=monkeypatch).stdout
    )
    assert "manuscript/03-chapter.md" in {record["path"] for record in records}


def test_outside_a_repository_paths_are_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    book = work / "story"
    shutil.copytree(FIXTURE, book)
    line = next(
        line
        for line in check(book, "--format", "github", cwd=work, monkeypatch=monkeypatch).stdout.splitlines()
        if "D102" in line
    )
    assert line.startswith("::error file=story/manuscript/03-chapter.md,line=19,")
    # Run from somewhere the project is not under: the project folder is all there is.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    line = next(
        line
        for line in check(book, "--format", "github", cwd=elsewhere, monkeypatch=monkeypatch).stdout.splitlines()
        if "D102" in line
    )
    assert line.startswith("::error file=manuscript/03-chapter.md,line=19,")


def test_a_worktree_or_submodule_marks_its_root_with_a_git_file(tmp_path: Path) -> None:
    """``.git`` is a file in a linked worktree or a submodule; that folder is still the top level."""
    outer = tmp_path / "outer"
    inner = outer / "vendor" / "book"
    (inner / "manuscript").mkdir(parents=True)
    (outer / ".git").mkdir()
    (inner / ".git").write_text("gitdir: ../../.git/modules/book\n", encoding="utf-8")
    assert repository_root(inner / "manuscript") == inner.resolve()
    assert repository_root(outer / "vendor") == outer.resolve()
