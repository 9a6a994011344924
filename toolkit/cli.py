"""The command line: a thin Typer layer that parses options, calls the pipeline, maps exit codes."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from toolkit import __version__
from toolkit.errors import FabulaError

if TYPE_CHECKING:
    from toolkit.build import Loaded
    from toolkit.diagnostics import Diagnostic

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    name="fabula",
    help="Compile a Fountain screenplay and a Markdown book, outline the story day by day, and check its continuity.",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Target(StrEnum):
    screenplay = "screenplay"
    book = "book"
    outline = "outline"
    report = "report"


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


class StatsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class StatsTable(StrEnum):
    characters = "characters"
    scenes = "scenes"
    locations = "locations"
    chapters = "chapters"
    days = "days"


QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only findings and errors.")]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also print each output's build time and what was unchanged.")
]
OnlyOption = Annotated[
    list[Target] | None,
    typer.Option(
        "--only",
        help="Build only this (repeatable): screenplay (PDF, FDX, HTML), book (EPUB, PDF, DOCX), outline or report.",
    ),
]
OutOption = Annotated[Path | None, typer.Option("--out", help="Output folder (default: output/ in the project).")]

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
    only: OnlyOption = None,
    out: OutOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) on findings at or over [check] fail_on (any, by default).")
    ] = False,
    paper: Annotated[
        Paper | None, typer.Option("--paper", help="Screenplay paper, overriding fabula.toml: letter or a4.")
    ] = None,
    notes: Annotated[bool, typer.Option("--notes", help="Print [[notes]] in the screenplay.")] = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Rebuild everything, ignoring and not updating output/.cache/.")
    ] = False,
) -> None:
    """Write output/screenplay.pdf|fdx|html, book.epub|pdf, manuscript.docx, outline.md|html|json, report.html.

    The continuity checks run first; their findings are printed but do not stop the build
    unless --strict. Outputs whose inputs did not change since the last build are left as they
    are (see output/.cache/). Example: fabula build --only outline --out /tmp/preview
    """
    import time

    from toolkit import build as pipeline
    from toolkit.incremental import Session
    from toolkit.progress import progress_for
    from toolkit.report import fails

    verbosity = _verbosity(quiet, verbose)
    started = time.perf_counter()
    try:
        session = Session.open(_root(project), out, use_cache=not no_cache)
        loaded = session.load()
        findings: list[Diagnostic] = []

        def check(checked: Loaded = loaded) -> None:
            # Run while the products render (on a second core where it can: toolkit/parallel.py).
            findings.extend(session.check(checked))
            for finding in findings:
                typer.echo(finding.format(), err=True)

        targets = tuple(target.value for target in only) if only else pipeline.TARGETS
        loaded = pipeline.with_screenplay_options(loaded, paper=paper.value if paper else None, notes=notes)
        with progress_for(len(pipeline.products(loaded, targets)[0]), verbosity) as step:
            report = session.build(loaded, targets, step, alongside=check)
        session.close()
    except FabulaError as error:
        _fail(error)
    except OSError as error:  # the output folder cannot be written: a full disk, no permission
        _fail(FabulaError(f"cannot write build output: {error.strerror}", path=error.filename))
    if verbosity:
        for reason in report.skipped:
            typer.echo(f"skipped {reason}")
        for path in report.written:
            typer.echo(f"wrote {_shown(path)}")
        for path in report.unchanged if verbose else ():
            typer.echo(f"unchanged {_shown(path)}")
        if report.unchanged and not verbose:
            typer.echo(f"{len(report.unchanged)} unchanged since the last build (-v lists them, --no-cache rebuilds)")
        typer.echo(pipeline.summary(loaded))
    if verbose:
        typer.echo(f"done in {time.perf_counter() - started:.2f} s", err=True)
    if strict and fails(findings, loaded.config.check.fail_on):
        raise typer.Exit(EXIT_FINDINGS)


def _code_list(values: list[str] | None) -> tuple[str, ...]:
    """``--select N101,N103 --select D`` -> ("N101", "N103", "D"); unknown codes are an error."""
    from toolkit.checks.rules import unknown_codes

    codes = tuple(code.strip().upper() for value in values or () for code in value.split(",") if code.strip())
    unknown = unknown_codes(codes)
    if unknown:
        raise FabulaError(f"no rule is {', '.join(unknown)} (see fabula check --explain CODE)")
    return codes


def _verbosity(quiet: bool, verbose: bool) -> int:
    from toolkit.progress import Verbosity

    if quiet and verbose:
        _fail(FabulaError("--quiet and --verbose cannot be used together"))
    return Verbosity.QUIET if quiet else Verbosity.VERBOSE if verbose else Verbosity.NORMAL


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
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse and check everything, ignoring and not updating output/.cache/.")
    ] = False,
) -> None:
    """Check story continuity: dates (D101-D105) and character names (N101-N105).

    Prints one finding a line as path:line:col: CODE message; exits 0 when clean, 1 with findings
    at or over --fail-on, 2 on bad input. Example: fabula check --format github --ignore N105
    """
    import gc
    from dataclasses import replace

    from toolkit import baseline as baselines
    from toolkit import report
    from toolkit.incremental import Session

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
            session = Session.open(_root(project), use_cache=not no_cache)
            loaded = session.load()
            settings = loaded.config.check
            settings = replace(settings, select=selected or settings.select, ignore=settings.ignore + ignored)
            # The options are part of the config, so the check cache keys on them too.
            findings = session.check(replace(loaded, config=replace(loaded.config, check=settings)))
            session.close()
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
    sys.stdout.write(report.FORMATTERS[output_format.value](findings, loaded.root))
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


@app.command()
def stats(
    project: ProjectArg = None,
    output_format: Annotated[StatsFormat, typer.Option("--format", help="table (terminal), json or csv.")] = (
        StatsFormat.table
    ),
    table: Annotated[
        StatsTable, typer.Option("--table", help="With --format csv: which table to print.")
    ] = StatsTable.characters,
) -> None:
    """Print the numbers: pages, scenes, runtime, who speaks how much, words per chapter and story day.

    Example: fabula stats --format csv --table scenes > scenes.csv
    """
    from toolkit.incremental import Session
    from toolkit.stats import project_stats
    from toolkit.stats_text import stats_csv, stats_json, stats_tables

    try:
        session = Session.open(_root(project))
        loaded = session.load()
        session.close()
    except FabulaError as error:
        _fail(error)
    numbers = project_stats(loaded.project, loaded.timeline, loaded.config, loaded.meta.title)
    if output_format is StatsFormat.json:
        sys.stdout.write(stats_json(numbers))
    elif output_format is StatsFormat.csv:
        sys.stdout.write(stats_csv(numbers, table.value))
    else:
        stats_tables(numbers, sys.stdout)


@app.command()
def watch(
    project: ProjectArg = None,
    only: OnlyOption = None,
    out: OutOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Build, then rebuild what changed whenever a file in manuscript/ or screenplay/, fabula.toml
    or characters.yaml is saved; print the findings and one summary line each time. Ctrl-C stops.

    Example: fabula watch --only outline --only report
    """
    import datetime as _dt

    from toolkit import build as pipeline
    from toolkit.watch import Cycle
    from toolkit.watch import watch as watch_project

    verbosity = _verbosity(quiet, verbose)
    targets = tuple(target.value for target in only) if only else pipeline.TARGETS

    def report(cycle: Cycle) -> None:
        for finding in cycle.findings:
            typer.echo(finding.format(), err=True)
        if verbosity and cycle.changed and verbose:
            typer.echo(f"changed: {', '.join(cycle.changed)}")
        if verbosity or cycle.error is not None:
            typer.echo(f"[{_dt.datetime.now():%H:%M:%S}] {cycle.summary()}")

    try:
        root = _root(project)
        pipeline.output_folder(root, out)
        if verbosity:
            typer.echo(f"watching {_shown(root)} (Ctrl-C to stop)")
        watch_project(root, out, targets, report)
    except FabulaError as error:
        _fail(error)
    except KeyboardInterrupt:  # during a rebuild: outputs are written atomically, so nothing is half done
        pass
    if verbosity:
        typer.echo("stopped watching")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main() -> None:
    """Console-script entry point."""
    import gc

    # A command builds a large model once and keeps it (few reference cycles): CPython's default
    # collection every 700 new objects spent ~15 ms of a 0.38 s Big Fish build re-scanning it.
    gc.set_threshold(50_000, 20, 20)
    try:
        app()
    except ModuleNotFoundError as error:  # a writer's library, absent from fabula-check
        from toolkit.distribution import missing_build_library

        message = missing_build_library(error)
        if message is None:
            raise
        typer.echo(f"fabula: error: {message}", err=True)
        raise SystemExit(EXIT_USAGE) from None
