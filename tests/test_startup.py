"""Start-up: `python -m toolkit` works, and --help and check load no heavy library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from toolkit import __version__

PROBE = """
import sys
from toolkit.cli import main
sys.argv = ["fabula", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = ("reportlab", "pypandoc", "jinja2", "pypdf", "PIL", "typst", "docx", "yaml", "screenplain", "pydantic")
print(",".join(sorted(name for name in heavy if name in sys.modules)), file=sys.stderr)
"""


def heavy_modules_after(*args: str, sequential: bool = False) -> list[str]:
    """The heavy libraries imported by the command in its own process (with ``sequential``, also
    the renderers': a build otherwise renders some products in a forked worker, toolkit/parallel.py)."""
    probe = "import toolkit.parallel\ntoolkit.parallel.can_fork = lambda: False\n" + PROBE if sequential else PROBE
    result = subprocess.run(
        [sys.executable, "-c", probe, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    return [name for name in last.split(",") if name]


def test_python_m_toolkit() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, f"fabula {__version__}")


def test_help_imports_no_heavy_library() -> None:
    assert heavy_modules_after("--help") == []
    assert heavy_modules_after("build", "--help") == []


def test_check_imports_no_renderer(sample_project) -> None:
    # The first check parses (yaml for front matter and the bible, screenplain for the scenes).
    assert set(heavy_modules_after("check", str(sample_project))) <= {"yaml", "screenplain"}


def test_a_no_op_build_parses_and_renders_nothing(sample_project) -> None:
    """Everything comes from output/.cache: no parser library, no renderer, no pydantic (Typer ≥ 0.29)."""
    assert "reportlab" in heavy_modules_after("build", str(sample_project), sequential=True)
    assert heavy_modules_after("build", str(sample_project)) == []
    assert heavy_modules_after("check", str(sample_project)) == []


def screenplay_build_probe(project: Path, out: Path, before_fork: str, after: str, fork: bool = False) -> str:
    """``fabula build PROJECT --only screenplay --no-cache --out OUT`` in a process of its own:
    the value of the expression ``before_fork`` each time the build's worker is about to fork
    (a list, empty where it runs in order), then the value of ``after`` once the command is done,
    on its last line of stderr. ``fork``: fork wherever the machine would not (one core)."""
    probe = (
        "import sys, toolkit.parallel\n"
        "seen = []\n"
        "def concurrently(*args, _run=toolkit.parallel._concurrently):\n"
        f"    seen.append({before_fork})\n"
        "    return _run(*args)\n"
        "toolkit.parallel._concurrently = concurrently\n"
        + ("toolkit.parallel.can_fork = lambda: True\n" if fork else "")
        + "from toolkit.cli import main\n"
        "sys.argv = ['fabula', 'build', sys.argv[1], '--only', 'screenplay', '--no-cache', '--out', sys.argv[2]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(seen, {after}, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(project), str(out)], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert (out / "screenplay.pdf").is_file(), result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_a_screenplay_build_loads_no_outline_or_stats(sample_project, tmp_path) -> None:
    """``build --only screenplay`` (issue 16's timed command) works out no outline and no stats,
    and the main process leaves the layout to the process that renders the PDF."""
    modules = "[m for m in ('toolkit.stats', 'toolkit.resolve.outline', 'csv') if m in sys.modules]"
    last = screenplay_build_probe(sample_project, tmp_path / "out", "'toolkit.layout' in sys.modules", modules)
    assert last in ("[] []", "[False] []"), last


def test_a_no_cache_screenplay_build_leaves_the_checks_parts_until_after_the_fork(sample_project, tmp_path) -> None:
    """``build --only screenplay --no-cache``: the cache's module is never imported, and the
    timeline's and the cast's (the checks read them) only after the PDF's worker has forked, in
    the process that runs the checks (issue 16); the build still writes all three files."""
    late = "[m for m in ('toolkit.cache', 'toolkit.resolve.presence', 'toolkit.resolve.timeline') if m in sys.modules]"
    last = screenplay_build_probe(sample_project, tmp_path / "out", late, late, fork=True)
    written = sorted(path.name for path in (tmp_path / "out").iterdir() if path.is_file())
    assert written == ["screenplay.fdx", "screenplay.html", "screenplay.pdf"]
    assert last == "[[]] ['toolkit.resolve.presence', 'toolkit.resolve.timeline']", last


def test_a_command_runs_in_an_app_holding_it_alone() -> None:
    """Typer works out the parameters of every command it holds before it runs one: the command
    named first runs in an app of its own, which parses, helps and fails as the whole app does."""
    from typer.testing import CliRunner

    from toolkit.cli import app, app_for

    names = ["new", "build", "check", "outline", "stats", "watch", "lsp"]
    for name in names:
        alone = app_for([name, "--help"])
        assert alone is not app
        assert [command.callback.__name__ for command in alone.registered_commands if command.callback] == [name]
    for args in ([], ["--help"], ["--version"], ["buil"], ["-q", "build"]):
        assert app_for(args) is app
    runner = CliRunner()
    for args in [[name, "--help"] for name in names] + [["build", "--bogus"], ["check", "--format", "nope"]]:
        whole, alone = runner.invoke(app, args), runner.invoke(app_for(args), args)
        assert (alone.exit_code, alone.output) == (whole.exit_code, whole.output)


def test_a_project_without_fabula_toml_does_not_load_tomllib(tmp_path) -> None:
    """A project of scenes alone (no fabula.toml) is built without importing tomllib (issue 16);
    its settings are the defaults."""
    (tmp_path / "screenplay").mkdir()
    (tmp_path / "screenplay" / "a.fountain").write_text("INT. HOUSE - DAY\n\nBOB\nHi.\n", encoding="utf-8")
    probe = (
        "import sys\n"
        "from toolkit.config import Config, load_config\n"
        "from pathlib import Path\n"
        "assert load_config(Path(sys.argv[1])) == Config()\n"
        "print('tomllib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert result.stdout.split() == ["False"]


def test_the_command_ends_at_once_with_its_status_output_and_atexit_handlers(tmp_path) -> None:
    """``python -m toolkit`` (and the ``fabula`` script) end the process as soon as the command
    is done, without tearing down every module (issue 16), yet as a normal exit would: the same
    status (0, 1 for findings, 2 for an error), stdout complete through a pipe, atexit handlers
    run once."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    (tmp_path / "screenplay").mkdir()
    scene = "INT. HOUSE - DAY\n\n= Monday, 8 March 2023\n\nBOB\nHi.\n" * 20  # a wrong weekday, 20 times
    (tmp_path / "screenplay" / "a.fountain").write_text(scene, encoding="utf-8")
    command = [sys.executable, "-m", "toolkit", "check", str(tmp_path), "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    whole = CliRunner().invoke(app, command[3:])
    assert (result.returncode, whole.exit_code) == (1, 1)
    assert result.stdout == whole.stdout and result.stdout.count('"D102"') == 20
    missing = subprocess.run(
        [sys.executable, "-m", "toolkit", "build", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (missing.returncode, missing.stderr.count("\n")) == (2, 1), missing.stderr
    clean = subprocess.run([sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True)
    assert (clean.returncode, clean.stdout) == (0, f"fabula {__version__}\n")
    ended = _version_run_after(
        "import atexit\natexit.register(print, 'atexit handler ran')\n", "print('not reached')\n"
    )
    assert ended == (0, f"fabula {__version__}\natexit handler ran\n")


def _version_run_after(before: str, after: str = "") -> tuple[int, str]:
    """Status and stdout of a process that runs ``before``, then ``fabula --version`` through
    ``toolkit.cli.run``, then ``after``."""
    probe = f"import sys\n{before}from toolkit.cli import run\nsys.argv = ['fabula', '--version']\nrun()\n{after}"
    ended = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    return ended.returncode, ended.stdout


def test_the_command_leaves_a_running_thread_or_an_odd_status_to_pythons_exit(monkeypatch) -> None:
    """A thread still running (a normal exit waits for it) or a status that is not a number
    (printed by Python's exit): ``run`` leaves those to the normal exit."""
    thread = (  # it prints once the main thread is done, as a normal exit waits for it
        "import threading\n"
        "def late():\n"
        "    threading.main_thread().join()\n"
        "    print('thread finished', flush=True)\n"
        "threading.Thread(target=late).start()\n"
    )
    assert _version_run_after(thread) == (0, f"fabula {__version__}\nthread finished\n")
    from toolkit import cli

    def failing() -> None:
        raise SystemExit("a message, not a number")

    monkeypatch.setattr(cli, "main", failing)
    with pytest.raises(SystemExit) as raised:
        cli.run()
    assert raised.value.code == "a message, not a number"
