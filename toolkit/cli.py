"""The command line: a thin Typer layer that parses options, calls the pipeline, maps exit codes."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from toolkit import __version__
from toolkit.errors import FabulaError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="fabula",
    help="Compile a Fountain screenplay and a Markdown book, outline the story day by day, and check its continuity.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Target(StrEnum):
    screenplay = "screenplay"
    book = "book"
    outline = "outline"


class Paper(StrEnum):
    letter = "letter"
    a4 = "a4"


class OutlineFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


ProjectArg = Annotated[
    Path | None,
    typer.Argument(
        help="Project folder (default: the current folder, or the nearest parent with fabula.toml, "
        "manuscript/ or screenplay/).",
        show_default=False,
    ),
]


def _fail(error: FabulaError) -> NoReturn:
    typer.echo(f"fabula: error: {error}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _root(project: Path | None) -> Path:
    from toolkit.build import find_root

    if project is None:
        return find_root(Path.cwd())
    if not project.is_dir():
        raise FabulaError("no such project folder", path=str(project))
    return project.resolve()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fabula {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Compile a Fountain screenplay and a Markdown book, outline the story, check continuity."""


@app.command()
def new(path: Annotated[Path, typer.Argument(help="Folder to create (must not exist, or be empty).")]) -> None:
    """Create a small working project: one chapter, one scene, commented fabula.toml and characters.yaml.

    Example: fabula new my-novel && cd my-novel && fabula build
    """
    from toolkit.scaffold import create_project

    try:
        written = create_project(path)
    except FabulaError as error:
        _fail(error)
    for file in written:
        typer.echo(f"created {file}")
    typer.echo(f"next: cd {path} && fabula build")


@app.command()
def build(
    project: ProjectArg = None,
    only: Annotated[
        list[Target] | None,
        typer.Option("--only", help="Build only this (repeatable): screenplay, book (EPUB, PDF, DOCX) or outline."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Output folder (default: output/ in the project).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) when the checks find anything.")] = False,
    paper: Annotated[
        Paper | None, typer.Option("--paper", help="Screenplay paper, overriding fabula.toml: letter or a4.")
    ] = None,
    notes: Annotated[bool, typer.Option("--notes", help="Print [[notes]] in the screenplay.")] = False,
) -> None:
    """Write output/screenplay.pdf|fdx|html, output/book.epub|pdf, output/manuscript.docx, output/outline.md|html|json.

    The continuity checks run first; their findings are printed but do not stop the build
    unless --strict. Example: fabula build --only outline --out /tmp/preview
    """
    from toolkit import build as pipeline
    from toolkit.checks import run_checks

    try:
        root = _root(project)
        loaded = pipeline.load(root)
        findings = run_checks(loaded.project, loaded.config, loaded.timeline)
        for finding in findings:
            typer.echo(finding.format(), err=True)
        targets = tuple(target.value for target in only) if only else pipeline.TARGETS
        loaded = pipeline.with_screenplay_options(loaded, paper=paper.value if paper else None, notes=notes)
        report = pipeline.build(loaded, out, targets)
    except FabulaError as error:
        _fail(error)
    except OSError as error:  # the output folder cannot be written: a full disk, no permission
        _fail(FabulaError(f"cannot write build output: {error.strerror}", path=error.filename))
    for reason in report.skipped:
        typer.echo(f"skipped {reason}")
    for path in report.written:
        typer.echo(f"wrote {_shown(path)}")
    typer.echo(pipeline.summary(loaded))
    if strict and findings:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def check(
    project: ProjectArg = None,
    output_format: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = CheckFormat.text,
) -> None:
    """Check story continuity: weekdays, DAY numbers and impossible dates.

    Prints one finding a line as path:line:col: CODE message; exits 0 when clean, 1 with findings,
    2 on bad input. Example: fabula check --format json
    """
    import json

    from toolkit import build as pipeline
    from toolkit.checks import run_checks

    try:
        loaded = pipeline.load(_root(project))
    except FabulaError as error:
        _fail(error)
    findings = run_checks(loaded.project, loaded.config, loaded.timeline)
    if output_format is CheckFormat.json:
        records = [
            {
                "path": f.span.path,
                "line": f.span.line,
                "col": f.span.col,
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
            }
            for f in findings
        ]
        typer.echo(json.dumps(records, indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            typer.echo(finding.format())
    if findings:
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def outline(
    project: ProjectArg = None,
    output_format: Annotated[OutlineFormat, typer.Option("--format", help="Output format.")] = OutlineFormat.md,
) -> None:
    """Print the day-by-day outline of the story (Markdown by default) to standard output.

    Example: fabula outline --format json > outline.json
    """
    from toolkit import build as pipeline

    try:
        loaded = pipeline.load(_root(project))
        text = pipeline.outline_text(pipeline.build_outline_of(loaded), output_format.value, loaded.config.language)
    except FabulaError as error:
        _fail(error)
    sys.stdout.write(text)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main() -> None:
    """Console-script entry point."""
    app()
