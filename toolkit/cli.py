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
    github = "github"
    sarif = "sarif"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    never = "never"


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


def _code_list(values: list[str] | None) -> tuple[str, ...]:
    """``--select N101,N103 --select D`` -> ("N101", "N103", "D"); unknown codes are an error."""
    from toolkit.checks.rules import unknown_codes

    codes = tuple(code.strip().upper() for value in values or () for code in value.split(",") if code.strip())
    unknown = unknown_codes(codes)
    if unknown:
        raise FabulaError(f"no rule is {', '.join(unknown)} (see fabula check --explain CODE)")
    return codes


@app.command()
def check(
    project: ProjectArg = None,
    output_format: Annotated[CheckFormat, typer.Option("--format", help="Output format.")] = CheckFormat.text,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these rules: codes or prefixes, e.g. N101,D.")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Leave out these rules (codes or prefixes).")
    ] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="Exit 1 on findings at or over this severity (default: warning).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report only findings not recorded in FILE; a missing FILE records today's."),
    ] = None,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Rewrite the --baseline FILE with today's findings.")
    ] = False,
    explain: Annotated[
        str | None, typer.Option("--explain", metavar="CODE", help="Print what a rule checks, and exit.")
    ] = None,
) -> None:
    """Check story continuity: dates (D101-D105) and character names (N101-N105).

    Prints one finding a line as path:line:col: CODE message; exits 0 when clean, 1 with findings
    at or over --fail-on, 2 on bad input. Example: fabula check --format github --ignore N105
    """
    import gc
    from dataclasses import replace

    from toolkit import baseline as baselines
    from toolkit import build as pipeline
    from toolkit import report
    from toolkit.checks import run_checks

    try:
        if explain is not None:
            typer.echo(report.explain(explain), nl=False)
            return
        if update_baseline and baseline is None:
            raise FabulaError("--update-baseline needs --baseline FILE")
        selected, ignored = _code_list(select), _code_list(ignore)
        # One short run that builds a large model of acyclic dataclasses: collect cycles rarely,
        # as mypy does (a fifth less time on a 1M-word project; reference counting still frees).
        previous = gc.get_threshold()
        gc.set_threshold(200_000, 50, 100)
        try:
            loaded = pipeline.load(_root(project))
            settings = loaded.config.check
            settings = replace(settings, select=selected or settings.select, ignore=settings.ignore + ignored)
            findings = run_checks(loaded.project, replace(loaded.config, check=settings), loaded.timeline)
        finally:
            gc.set_threshold(*previous)
        if baseline is not None and (update_baseline or not baseline.exists()):
            baselines.write_baseline(baseline, findings)
            typer.echo(
                f"fabula: recorded {len(findings)} finding(s) in {baseline}; only new ones are reported now", err=True
            )
            return
        if baseline is not None:
            findings = baselines.new_findings(findings, baselines.read_baseline(baseline))
    except FabulaError as error:
        _fail(error)
    sys.stdout.write(report.FORMATTERS[output_format.value](findings))
    if report.fails(findings, (fail_on.value if fail_on else settings.fail_on)):
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
