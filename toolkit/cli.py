"""The command line: a thin Typer layer that parses options, calls the pipeline, prints, maps exit codes."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec

import typer
from typer.exceptions import TyperException

from toolkit import __version__
from toolkit.config import FailOn, Paper
from toolkit.errors import FabulaError
from toolkit.render.outline import OutlineFormat
from toolkit.render.products import TARGETS, Target
from toolkit.report import CheckFormat
from toolkit.stats_text import StatsFormat, StatsTable

if TYPE_CHECKING:
    from toolkit import pipeline
    from toolkit.diagnostics import Diagnostic
    from toolkit.progress import Verbosity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
P = ParamSpec("P")


HELP = "Compile a Fountain screenplay and a Markdown book, outline the story day by day, and check its continuity."


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="fabula",
        help=HELP,
        no_args_is_help=True,
        add_completion=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


app = _new_app()

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


def _one_line_errors(command: Callable[P, None]) -> Callable[P, None]:
    """Run a command so that whatever happens ends in one line and a clear exit code.

    A fabula error (bad input, an impossible request) and a file that cannot be read or written
    exit 2; so does anything unexpected, as one "internal error" line: exit 1 means findings,
    and a crash must never look like one in CI. Ctrl-C and SIGTERM stop the command through
    the same unwinding (staging folders removed, a worker process and pandoc stopped) and exit
    130 and 143.
    """

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            with _terminate_as_interrupt() as signals:
                command(*args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except FabulaError as error:
            _fail(error)
        except OSError as error:
            _fail(FabulaError(f"cannot read or write a file: {error.strerror or error}", path=error.filename))
        except KeyboardInterrupt:
            typer.echo("fabula: interrupted", err=True)
            raise typer.Exit(128 + signals[-1] if signals else EXIT_INTERRUPTED) from None
        except ModuleNotFoundError as error:  # a writer's library, absent from fabula-check, or a bug
            from toolkit.distribution import missing_build_library

            message = missing_build_library(error)
            _fail(FabulaError(message or f"internal error: {type(error).__name__}: {error} (please report it)"))
        except Exception as error:  # a bug of ours or a library's: still one line, still exit 2
            _fail(FabulaError(f"internal error: {type(error).__name__}: {error} (please report it)"))

    return run


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[list[int]]:
    """SIGTERM (``kill``, CI cancelling a job) raises KeyboardInterrupt, as Ctrl-C does, so that
    cleanup runs instead of the process vanishing; the signal's number is noted in the list."""
    received: list[int] = []

    def interrupt(number: int, frame: object) -> None:
        received.append(number)
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (a test runner's thread): leave SIGTERM alone
        yield received
        return
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


def _root(project: Path | None) -> Path:
    from toolkit.pipeline import find_root

    if project is None:
        return find_root(Path.cwd())
    if not project.is_dir():
        raise FabulaError("no such project folder", path=str(project))
    return project.resolve()


def _targets(only: list[Target] | None) -> tuple[str, ...]:
    return tuple(target.value for target in only) if only else TARGETS


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
@_one_line_errors
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
@_one_line_errors
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

    from toolkit import pipeline
    from toolkit.progress import progress_for
    from toolkit.report import fails

    verbosity = _verbosity(quiet, verbose)
    started = time.perf_counter()

    def show(findings: tuple[Diagnostic, ...]) -> None:
        for finding in findings:
            typer.echo(finding.format(), err=True)

    try:
        built = pipeline.build(
            _root(project),
            out,
            _targets(only),
            pipeline.Overrides(paper=paper.value if paper else None, notes=notes),
            use_cache=not no_cache,
            progress=lambda total: progress_for(total, verbosity),
            on_findings=show,
        )
    except FabulaError as error:
        _fail(error)
    except OSError as error:  # the output folder cannot be written: a full disk, no permission
        _fail(FabulaError(f"cannot write build output: {error.strerror or error}", path=error.filename))
    report = built.report
    if verbosity:
        for reason in report.skipped:
            typer.echo(f"skipped {reason}")
        for path in report.written:
            typer.echo(f"wrote {_shown(path)}")
        for path in report.unchanged if verbose else ():
            typer.echo(f"unchanged {_shown(path)}")
        if report.unchanged and not verbose:
            typer.echo(f"{len(report.unchanged)} unchanged since the last build (-v lists them, --no-cache rebuilds)")
        typer.echo(pipeline.summary(built.story))
    if verbose:
        typer.echo(f"done in {time.perf_counter() - started:.2f} s", err=True)
    if strict and fails(built.findings, built.story.config.check.fail_on):
        raise typer.Exit(EXIT_FINDINGS)


def _code_list(values: list[str] | None) -> tuple[str, ...]:
    """``--select N101,N103 --select D`` -> ("N101", "N103", "D"); unknown codes are an error."""
    from toolkit.checks.rules import unknown_codes

    codes = tuple(code.strip().upper() for value in values or () for code in value.split(",") if code.strip())
    unknown = unknown_codes(codes)
    if unknown:
        raise FabulaError(f"no rule is {', '.join(unknown)} (see fabula check --explain CODE)")
    return codes


def _verbosity(quiet: bool, verbose: bool) -> Verbosity:
    from toolkit.progress import Verbosity

    if quiet and verbose:
        _fail(FabulaError("--quiet and --verbose cannot be used together"))
    return Verbosity.QUIET if quiet else Verbosity.VERBOSE if verbose else Verbosity.NORMAL


@app.command()
@_one_line_errors
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
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help="Correct what has one right answer (a variant of a bible name, a weekday against a full date) "
            "in the sources, then report what is left.",
        ),
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the --fix corrections as a unified diff; change no file.")
    ] = False,
) -> None:
    """Check story continuity: dates (D101-D105) and character names (N101-N105).

    Prints one finding a line as path:line:col: CODE message; exits 0 when clean, 1 with findings
    at or over --fail-on, 2 on bad input. --fix corrects the sources where a finding has one
    right answer; --diff shows those corrections without writing (exit 1 when there are some).
    Example: fabula check --format github --ignore N105
    """
    from toolkit import pipeline, report
    from toolkit.baseline import apply_baseline

    try:
        if explain is not None:
            typer.echo(report.explain(explain), nl=False)
            return
        if update_baseline and baseline is None:
            raise FabulaError("--update-baseline needs --baseline FILE")
        if fix and diff:
            raise FabulaError("--fix and --diff cannot be used together (--diff shows what --fix would write)")
        overrides = pipeline.Overrides(select=_code_list(select), ignore=_code_list(ignore))
        if fix or diff:
            _fix(_root(project), overrides, write=fix, use_cache=not no_cache, output_format=output_format)
            return
        story, findings = pipeline.check(_root(project), overrides, use_cache=not no_cache)
        if baseline is not None:
            findings, recorded = apply_baseline(baseline, findings, update_baseline)
            if recorded is not None:
                typer.echo(
                    f"fabula: recorded {recorded} finding(s) in {baseline}; only new ones are reported now", err=True
                )
                return
    except FabulaError as error:
        _fail(error)
    sys.stdout.write(report.FORMATTERS[output_format.value](findings, Path(story.project.root)))
    if report.fails(findings, (fail_on.value if fail_on else story.config.check.fail_on)):
        raise typer.Exit(EXIT_FINDINGS)


def _fix(root: Path, overrides: pipeline.Overrides, write: bool, use_cache: bool, output_format: CheckFormat) -> None:
    """``check --fix`` and ``--diff``: apply (or show) the safe fixes, then report what is left."""
    import difflib

    from toolkit import pipeline, report

    fixed = pipeline.fix(root, overrides, write=write, use_cache=use_cache)
    count = sum(len(change.fixed) for change in fixed.changes)
    files = f"{len(fixed.changes)} file{'s' * (len(fixed.changes) != 1)}"
    if not write:
        for change in fixed.changes:
            sys.stdout.writelines(
                difflib.unified_diff(
                    change.before.splitlines(keepends=True),
                    change.after.splitlines(keepends=True),
                    f"a/{change.path}",
                    f"b/{change.path}",
                )
            )
        typer.echo(f"fabula: {count} fix{'es' * (count != 1)} would change {files} (--fix writes them)", err=True)
        if fixed.changes:
            raise typer.Exit(EXIT_FINDINGS)
        return
    remaining = fixed.remaining
    sys.stdout.write(report.FORMATTERS[output_format.value](remaining, root))
    typer.echo(f"fabula: fixed {count} finding{'s' * (count != 1)} in {files}, {len(remaining)} left", err=True)
    if report.fails(remaining, fixed.story.config.check.fail_on):
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
@_one_line_errors
def outline(
    project: ProjectArg = None,
    output_format: Annotated[OutlineFormat, typer.Option("--format", help="Output format.")] = OutlineFormat.md,
) -> None:
    """Print the day-by-day outline of the story (Markdown by default) to standard output.

    Example: fabula outline --format json > outline.json
    """
    from toolkit import pipeline
    from toolkit.render.outline import render_outline

    try:
        story = pipeline.story(_root(project))
    except FabulaError as error:
        _fail(error)
    sys.stdout.write(render_outline(story.outline, output_format.value, story.config.language))


@app.command()
@_one_line_errors
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
    from toolkit import pipeline
    from toolkit.stats import project_stats
    from toolkit.stats_text import stats_csv, stats_json, stats_tables

    try:
        numbers = project_stats(pipeline.story(_root(project)))
    except FabulaError as error:
        _fail(error)
    if output_format is StatsFormat.json:
        sys.stdout.write(stats_json(numbers))
    elif output_format is StatsFormat.csv:
        sys.stdout.write(stats_csv(numbers, table.value))
    else:
        stats_tables(numbers, sys.stdout)


@app.command()
@_one_line_errors
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

    from toolkit.pipeline import output_folder
    from toolkit.watch import Cycle
    from toolkit.watch import watch as watch_project

    verbosity = _verbosity(quiet, verbose)

    def report(cycle: Cycle) -> None:
        for finding in cycle.findings:
            typer.echo(finding.format(), err=True)
        if verbosity and cycle.changed and verbose:
            typer.echo(f"changed: {', '.join(cycle.changed)}")
        if verbosity or cycle.error is not None:
            typer.echo(f"[{_dt.datetime.now():%H:%M:%S}] {cycle.summary()}")

    try:
        root = _root(project)
        output_folder(root, out)
        if verbosity:
            typer.echo(f"watching {_shown(root)} (Ctrl-C to stop)")
        watch_project(root, out, _targets(only), report)
    except FabulaError as error:
        _fail(error)
    except KeyboardInterrupt:  # during a rebuild: outputs are written atomically, so nothing is half done
        pass
    if verbosity:
        typer.echo("stopped watching")


@app.command()
@_one_line_errors
def lsp(
    project: ProjectArg = None,
) -> None:
    """Run the language server on standard input and output, for an editor (see README, "In your editor").

    Findings as you type in manuscript/*.md and screenplay/*.fountain, unsaved text included;
    hover on a date or a name, go to a character, the outline of a file, completion of names
    and cues, and quick fixes. The project is PROJECT when given, else the editor's workspace folder.
    Example (Neovim): vim.lsp.start({name = "fabula", cmd = {"fabula", "lsp"}})
    """
    from toolkit.lsp.server import serve

    try:
        serve(_root(project) if project is not None else None)
    except FabulaError as error:
        _fail(error)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main() -> None:
    """Console-script entry point."""
    try:
        app_for(sys.argv[1:])()
    except ModuleNotFoundError as error:  # a writer's library, absent from fabula-check
        from toolkit.distribution import missing_build_library

        message = missing_build_library(error)
        if message is None:
            raise
        typer.echo(f"fabula: error: {message}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    finally:
        _leave_objects_to_exit()


def run() -> NoReturn:
    """The ``fabula`` command (console script, ``python -m toolkit``): ``main``, then the process
    ends at once with its exit status, its output flushed and its atexit handlers run.

    What a normal exit adds after that is tearing down every module and freeing, one object at
    a time, memory the system takes back anyway (the story, the checks' tables, the libraries):
    ~30 ms of CPU at the end of a Big Fish screenplay build, after its outputs are written
    (issue 16). Where that exit could do more (another thread still running, which it would
    wait for; the output cannot be flushed, which it reports), it is left to do it."""
    try:
        main()
    except SystemExit as done:
        code = done.code
    else:
        code = None
    _exit_now(code)


def _exit_now(code: object) -> NoReturn:
    import atexit
    import os
    import threading

    if not isinstance(code, int | None) or any(
        thread.is_alive() and not thread.daemon
        for thread in threading.enumerate()
        if thread is not threading.main_thread()
    ):
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe, a closed stream: Python's own exit reports it
        raise SystemExit(code) from None
    os._exit(code or 0)


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app that runs ``args``: when they open with a command's name, an app holding that
    command alone (and the app's options), else the whole app.

    Typer turns the signature of every command it holds into Click parameters before it runs
    one (type hints evaluated, signatures inspected): ~10 ms of each command's start-up for
    the six commands not run (issue 16). The command parses, helps and fails as it does in
    the whole app; ``fabula --help``, ``--version``, completion and a mistyped command's
    "did you mean" get the whole app."""
    from typer.main import get_command_name

    chosen = [
        command
        for command in app.registered_commands
        if args
        and command.callback is not None
        and (command.name or get_command_name(command.callback.__name__)) == args[0]
    ]
    if len(chosen) != 1:
        return app
    single = _new_app()
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return single


def _leave_objects_to_exit() -> None:
    """The command is over: its objects (a whole story, its layout, the libraries' tables) go
    with the process. Python's collections at exit would walk every one of them to free memory
    the system takes back anyway: 75 ms of a one-second screenplay build (issue 16), more on a
    long book. Frozen, they are left alone; what exit must do still happens (output flushed,
    atexit handlers run, each file closed as its last reference goes). Outputs were written,
    closed and moved into place before the command returned."""
    import gc

    gc.freeze()
