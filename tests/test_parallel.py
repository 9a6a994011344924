"""Products rendered on two cores (toolkit/parallel.py): the same bytes, the same errors, nothing left behind.

The concurrent path runs in a fresh process (a subprocess): pytest's own process may already
hold native threads (typst's, after a book build), and then a build rightly renders in order.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO
from toolkit import parallel, pipeline
from toolkit.errors import FabulaError

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], capture_output=True, text=True, check=False, cwd=REPO
    )


def fabula(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run(
        [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True, check=False, cwd=REPO, env=env
    )


# Jobs that prove they ran at the same time: the first waits until the second has started,
# which in one process, in order, it never would (it gives up after 60 s and says so).
JOBS = """
import os, sys, time
from pathlib import Path
from toolkit import parallel
from toolkit.errors import FabulaError
from toolkit.model import Span

folder = Path(sys.argv[1])
parallel.cores = lambda: 2  # the worker even on a one-core runner

def first(path):
    deadline = time.monotonic() + 60
    while not (folder / "second.started").exists():
        if time.monotonic() > deadline:
            raise SystemExit("the second job never started while the first ran")
        time.sleep(0.005)
    path.write_text(str(os.getpid()))

def second(path):
    (folder / "second.started").write_text("")
    path.write_text(str(os.getpid()))

def failing(path):
    path.write_text("partial")
    raise FabulaError("no such font", Span("screenplay/a.fountain", 3, 1))
"""


def test_two_processes_render_at_once(tmp_path: Path) -> None:
    result = python(
        JOBS
        + """
assert parallel.can_fork()
seen = []
jobs = [parallel.Job("first", first, folder / "first"), parallel.Job("second", second, folder / "second")]
parallel.render(jobs, lambda name, seconds=None: seen.append((name, seconds)))
print((folder / "first").read_text() != (folder / "second").read_text(), sorted(name for name, _ in seen))
assert all(seconds is not None and seconds >= 0 for _, seconds in seen)
""",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=1) == ["True", "['first', 'second']\n"]


def test_a_failure_in_the_worker_reaches_the_caller_whole(tmp_path: Path) -> None:
    """The worker claims "second" while the main process runs ``alongside``, then the failing job;
    its FabulaError comes back with its span, after the worker has stopped."""
    result = python(
        JOBS
        + """
def alongside():
    deadline = time.monotonic() + 60
    while not (folder / "second").exists() or not (folder / "failing").exists():
        assert time.monotonic() < deadline, "the worker did not take the jobs"
        time.sleep(0.005)

jobs = [parallel.Job("second", second, folder / "second"), parallel.Job("failing", failing, folder / "failing")]
try:
    parallel.render(jobs, None, alongside)
except FabulaError as error:
    print(error, error.span.line, (folder / "failing").read_text())
""",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "screenplay/a.fountain:3: no such font 3 partial\n"


def test_a_worker_killed_from_outside_is_a_one_line_error(tmp_path: Path) -> None:
    """A worker that dies without answering (killed, out of memory) is a FabulaError, not a traceback."""
    result = python(
        JOBS
        + """
import signal

def killed(path):
    (folder / "killed.started").write_text("")
    os.kill(os.getpid(), signal.SIGKILL)

def alongside():
    deadline = time.monotonic() + 60
    while not (folder / "killed.started").exists():
        assert time.monotonic() < deadline, "the worker did not take a job"
        time.sleep(0.005)

# The worker claims the first job while the main process waits in alongside(), then dies in it.
jobs = [parallel.Job("killed", killed, folder / "killed"), parallel.Job("second", second, folder / "second")]
try:
    parallel.render(jobs, None, alongside)
except FabulaError as error:
    print(error)
""",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("the build's worker process ended without an answer"), result.stdout


def test_the_first_failure_in_product_order_is_raised(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """In order (no fork), the first failing product stops the build, as it always did."""
    monkeypatch.setattr(parallel, "can_fork", lambda: False)

    def fail(message: str):
        def write(path: Path) -> None:
            raise FabulaError(message)

        return write

    jobs = [parallel.Job("a", fail("first"), tmp_path / "a"), parallel.Job("b", fail("second"), tmp_path / "b")]
    with pytest.raises(FabulaError, match="first"):
        parallel.render(jobs)


def test_a_fabula_error_survives_pickling() -> None:
    import pickle

    from toolkit.model import Span

    error = pickle.loads(pickle.dumps(FabulaError("bad", Span("a.fountain", 2, 5))))
    assert (str(error), error.span, error.path) == ("a.fountain:2: bad", Span("a.fountain", 2, 5), "a.fountain")
    assert str(pickle.loads(pickle.dumps(FabulaError("gone", path="x.ttf")))) == "x.ttf: gone"


def test_a_concurrent_build_writes_the_bytes_of_a_sequential_one(
    sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fabula build in its own process (two cores) against the same build in order, in this one."""
    result = fabula("build", str(sample_project), "-v", "--no-cache", "--out", str(tmp_path / "concurrent"))
    assert result.returncode == 0, result.stderr
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    pipeline.build(sample_project, tmp_path / "sequential", use_cache=False)
    names = sorted(path.name for path in (tmp_path / "sequential").iterdir())
    assert len(names) == 10 and names == sorted(path.name for path in (tmp_path / "concurrent").iterdir())
    for name in names:
        assert (tmp_path / "concurrent" / name).read_bytes() == (tmp_path / "sequential" / name).read_bytes(), name
    # -v: each product once, with its time, whichever process rendered it.
    built = sorted(line.split()[1] for line in result.stderr.splitlines() if line.startswith("built "))
    assert built == names


def test_a_renderer_error_in_a_concurrent_build_is_one_line_and_leaves_nothing(sample_project: Path) -> None:
    toml = sample_project / "fabula.toml"
    font = '[screenplay]\nfont = "fonts/missing.ttf"'
    toml.write_text(toml.read_text(encoding="utf-8").replace("[screenplay]", font), encoding="utf-8")
    result = fabula("build", str(sample_project))
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("fabula: error:")]
    assert errors == ["fabula: error: fonts/missing.ttf: file not found (set by screenplay.font in fabula.toml)"]
    assert "Traceback" not in result.stderr
    output = sample_project / "output"
    assert not output.exists() or list(output.iterdir()) == []


def test_no_fork_while_another_thread_runs() -> None:
    """Python 3.12+ warns on a fork from a process with a second thread, and the child may hang."""
    import threading

    assert parallel.can_fork() in (True, False)  # pytest's process may hold typst's threads
    released = threading.Event()
    other = threading.Thread(target=released.wait)
    other.start()
    try:
        assert not parallel.can_fork()
    finally:
        released.set()
        other.join()


def test_a_build_with_a_progress_bar_forks_without_a_warning(tmp_path: Path) -> None:
    """Python 3.12+ warns on a fork beside a live thread: the progress bar of a terminal build
    starts its timer only after the worker is forked, and the two processes still render at once.

    Warnings are errors here, except DeprecationWarning, which is printed: CPython drops the fork
    warning without a word when it is made an error (the fork has already happened), so only a
    printed one can be seen.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-W",
            "always::DeprecationWarning",
            "-c",
            textwrap.dedent(
                """
                import io, os, sys, time
                from pathlib import Path
                from toolkit import parallel
                from toolkit.progress import Progress, Verbosity

                class Terminal(io.StringIO):
                    def isatty(self):
                        return True

                folder = Path(sys.argv[1])
                parallel.cores = lambda: 2

                def first(path):
                    deadline = time.monotonic() + 20
                    while not (folder / "second.started").exists():
                        if time.monotonic() > deadline:
                            raise SystemExit("the jobs ran one after the other: no fork")
                        time.sleep(0.005)
                    path.write_text(str(os.getpid()))

                def second(path):
                    (folder / "second.started").write_text("")
                    path.write_text(str(os.getpid()))

                progress = Progress(2, Verbosity.NORMAL, Terminal())
                jobs = [parallel.Job(name, job, folder / name) for name, job in (("first", first), ("second", second))]
                parallel.render(jobs, progress.step)
                progress.finish()
                print((folder / "first").read_text() != (folder / "second").read_text())
                """
            ),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "True\n", "")


# ---------------------------------------------------------------- each: pure work on two cores

EACH = """
import os, sys, time
from pathlib import Path
from toolkit import parallel
from toolkit.errors import FabulaError
from toolkit.model import Span

folder = Path(sys.argv[1])
parallel.cores = lambda: 2  # the worker even on a one-core runner

def first():
    deadline = time.monotonic() + 60
    while not (folder / "second.started").exists():
        if time.monotonic() > deadline:
            raise SystemExit("the second job never started while the first ran")
        time.sleep(0.005)
    return ("first", os.getpid())

def second():
    (folder / "second.started").write_text("")
    return ("second", os.getpid())

def plain(number):
    return lambda: (number, Span("manuscript/a.md", number, 2))

def failing(number):
    def job():
        raise FabulaError(f"bad {number}", Span("manuscript/a.md", number, 1))
    return job
"""


def test_each_works_on_two_cores_and_keeps_the_jobs_order(tmp_path: Path) -> None:
    result = python(
        EACH
        + """
assert parallel.can_fork()
found = parallel.each([first, second, *(plain(n) for n in range(1, 40))], order=[0, 1, *reversed(range(2, 41))])
assert [value[0] for value in found] == ["first", "second", *range(1, 40)], found
assert found[2:] == [plain(n)() for n in range(1, 40)]
print(found[0][1] != found[1][1], found[0][1] == os.getpid() or found[1][1] == os.getpid())
""",
        str(tmp_path),
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "True True\n", "")


def test_each_raises_the_first_failing_jobs_own_error_after_the_jobs_before_it(tmp_path: Path) -> None:
    result = python(
        EACH
        + """
ran = []
def noted(number):
    def job():
        ran.append((number, os.getpid()))
        return number
    return job
jobs = [first, second, noted(2), failing(3), noted(4), failing(5)]
try:
    parallel.each(jobs)
except FabulaError as error:
    print(error)
# What the worker could not send (a function) is worked out again here: the same results.
# (Which process claims ``second`` is a race: either may, so only its name is compared.)
again = parallel.each([lambda: (lambda: 1), second, lambda: 7])
assert again[0]() == 1 and again[1][0] == "second" and again[2] == 7, again
""",
        str(tmp_path),
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "manuscript/a.md:3: bad 3\n", "")


def test_each_keeps_what_the_worker_sent_before_it_ended(tmp_path: Path) -> None:
    """The worker hands each result over as soon as it has it: when it ends without finishing
    (here it dies in a job), what it sent before is kept, and only the rest is worked out again
    here. Jobs here are slow, so the worker takes most of them."""
    result = python(
        EACH
        + """
main = os.getpid()
def noted(number):
    def job():
        with open(folder / "ran", "a") as ran:
            ran.write(f"{number}\\n")
        if os.getpid() == main:
            time.sleep(0.2)
        return number
    return job
def killer():
    if os.getpid() != main:
        (folder / "killed").write_text("")
        os._exit(1)  # the worker ends, without a word
    return "killer"
for attempt in range(5):
    (folder / "ran").write_text("")
    assert parallel.each([*(noted(n) for n in range(10)), killer]) == [*range(10), "killer"]
    if (folder / "killed").exists():
        break
print((folder / "killed").exists(), sorted((folder / "ran").read_text().split(), key=int))
""",
        str(tmp_path),
    )
    expected = f"True {[str(n) for n in range(10)]}\n"
    assert (result.returncode, result.stdout, result.stderr) == (0, expected, "")


def test_each_runs_in_order_where_it_cannot_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    pids = parallel.each([os.getpid, os.getpid, os.getpid])
    assert pids == [os.getpid()] * 3


def test_the_models_slotted_dataclasses_come_back_from_the_worker_equal() -> None:
    import pickle

    from toolkit.model import Action, Dialogue, DialogueLine, Run, Span

    span = Span("screenplay/a.fountain", 3, 1)
    values = [
        span,
        Action(span, ((Run("She waits.", italic=True),),), lyric=True),
        Dialogue(span, "ANA (V.O.)", "ANA", (DialogueLine(span, (Run("No."),), parenthetical=False),)),
    ]
    back = pickle.loads(parallel._dumps(values))
    assert back == values and [hash(value) for value in back] == [hash(value) for value in values]
    assert [value.kind for value in back[1:]] == [value.kind for value in values[1:]]
    with pytest.raises(AttributeError):
        back[0].line = 4  # still frozen


# What the scripts below start with: the project's modules, two cores, every fork counted in ``forks``.
COUNTED_FORKS = """
import os, sys
from pathlib import Path
from toolkit import parallel, pipeline

parallel.cores = lambda: 2
forks = []
fork = os.fork
def counted():
    forks.append(1)
    return fork()
os.fork = counted
"""

LOAD = (
    COUNTED_FORKS
    + """
def outcome(root, threshold):
    parallel.CONCURRENT_CHARACTERS = threshold
    try:
        story, findings = pipeline.check(root, use_cache=False)
    except Exception as error:
        return type(error).__name__, str(error)
    return story.project, findings

unforked = []
for root in map(Path, sys.argv[1:]):
    before = len(forks)
    concurrent = outcome(root, 0)
    assert concurrent == outcome(root, 10**12), root
    sources = [path for folder in ("manuscript", "screenplay") for path in (root / folder).glob("*.*")]
    if len(sources) >= 2 and len(forks) == before:
        unforked.append(root.name)
print(unforked)
"""
)


def test_a_project_parsed_on_two_cores_is_the_project_parsed_in_order(sample_project: Path, tmp_path: Path) -> None:
    """Every file parsed in the worker or here: the same project, the same findings, the same
    errors, with each file's text read once."""
    broken = tmp_path / "broken"
    for name in ("manuscript", "screenplay"):
        (broken / name).mkdir(parents=True)
    (broken / "manuscript" / "01-a.md").write_text("# One\n\nAna said so.\n", encoding="utf-8")
    (broken / "manuscript" / "02-b.md").write_bytes(b"# Two\n\nBad \xff byte.\n")
    (broken / "screenplay" / "01-a.fountain").write_text("INT. ROOM - DAY\n\nAna waits.\n", encoding="utf-8")
    fixtures = sorted(
        path.parent for folder in ("manuscript", "screenplay") for path in (REPO / "tests" / "fixtures").rglob(folder)
    )
    assert len(fixtures) > 10
    result = python(LOAD, str(sample_project), *map(str, dict.fromkeys(fixtures)), str(broken))
    assert (result.returncode, result.stdout, result.stderr) == (0, "['broken']\n", "")


NAMES = (
    COUNTED_FORKS
    + """
from toolkit.checks.evidence_memo import gathered
from toolkit.checks.name_text import name_stats
from toolkit.resolve.memo import PartMemo

story = pipeline.story(Path(sys.argv[1]), use_cache=False)
spellings = ["Okonkwo", "Okonkow", "Margot", "Tobias", "Hemingway", "Hemmingway", "Euphemia"]
seen = []
for threshold in (0, 10**12):
    parallel.CONCURRENT_CHARACTERS = threshold
    before = len(forks)
    stats = name_stats(story.project, story.config, memo=PartMemo())
    text = stats.joined * 3
    evidence = gathered(text, spellings, set(stats.counts), "en", PartMemo())
    seen.append((stats, evidence, len(forks) - before))
(stats, evidence, forked), (alone, apart, none) = seen
assert stats == alone and evidence == apart
print(forked, none)
"""
)


def test_the_name_rules_count_words_and_gather_evidence_on_two_cores_as_in_order(tmp_path: Path) -> None:
    """Each chapter's words counted in the worker or here, the spellings' evidence gathered half
    in each: the same statistics and evidence as in one process."""
    result = python(NAMES, str(REPO / "tests" / "fixtures" / "continuity"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "2 0\n", "")


WORDS_WITH_PARSE = (
    COUNTED_FORKS
    + """
from toolkit.checks.name_text import NAME_WORDS, name_stats, piece_groups
from toolkit.resolve.memo import PartMemo

parallel.CONCURRENT_CHARACTERS = 0

root = Path(sys.argv[1])
with pipeline.Run.open(root, use_cache=False) as run:
    story = run.resolve(run.load(checks=True))
groups = list(piece_groups(story.project))
held = [story.memo.holds(NAME_WORDS, group.parts) for group in groups]
parsed = len(forks)
stats = name_stats(story.project, story.config, memo=story.memo)
counting = len(forks) - parsed
parallel.CONCURRENT_CHARACTERS = 10**12
alone = name_stats(story.project, story.config, memo=PartMemo())
places = [stats.place(offset) == alone.place(offset) for offset in range(0, len(stats.joined), 97)]
print(len(groups) > 5, all(held), parsed, counting, stats == alone, all(places))
"""
)


def test_the_name_rules_words_are_counted_with_each_files_parse() -> None:
    """Loaded for the checks on two cores, each chapter's and scene file's words are counted in
    the process that parsed it (no fork of their own later), and the statistics made from them
    are those made in order, places included."""
    project = REPO / "tests" / "fixtures" / "continuity"
    assert (project / "manuscript").is_dir() and (project / "screenplay").is_dir()
    result = python(WORDS_WITH_PARSE, str(project))
    assert (result.returncode, result.stdout, result.stderr) == (0, "True True 1 0 True True\n", "")


def test_each_runs_the_work_here_in_this_process_before_any_job(tmp_path: Path) -> None:
    """``here`` (work that keeps what it makes, in a memo) runs in this process, first; the jobs
    are shared as ever. Where it cannot fork, ``here`` runs first too, then the jobs in order."""
    result = python(
        EACH
        + """
main = os.getpid()
seen = []
def here():
    seen.append((os.getpid(), len(seen)))
    time.sleep(0.2)  # the worker takes the jobs meanwhile
found = parallel.each([plain(n) for n in range(1, 6)], here=here)
assert found == [plain(n)() for n in range(1, 6)], found
one = parallel.each([os.getpid], here=here)  # one job and the work here: forked too
parallel.can_fork = lambda: False
order = []
alone = parallel.each([lambda: order.append("job") or 1], here=lambda: order.append("here"))
print(seen == [(main, 0), (main, 1)], len(one) == 1, alone == [1], order)
""",
        str(tmp_path),
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "True True True ['here', 'job']\n", "")


CHECKS = (
    COUNTED_FORKS
    + """
from toolkit.checks import name_variants
from toolkit.checks.run import run_checks

name_variants._SHARED_PAIRS = 1
name_variants._PAIRS_A_JOB = 1

root = Path(sys.argv[1])
with pipeline.Run.open(root, use_cache=False) as run:
    story = run.resolve(run.load(checks=True))
alone = run_checks(story)
before = len(forks)
shared = run_checks(story, size=10**6)
forked = len(forks) - before
with pipeline.Run.open(root, use_cache=False) as run:
    story = run.resolve(run.load(checks=True))
    before = len(forks)
    in_session = run.check(story, concurrent=False)
print(shared == alone, forked, len(forks) - before, in_session == alone, len(alone) > 10)
"""
)


def test_the_checks_on_two_cores_find_what_they_find_in_order(tmp_path: Path) -> None:
    """A large project's dates and exits checked in a worker while the name rules run here, and
    the name pairs judged half in each: the very findings of one process. Two forks (the dates'
    worker, the pairs' worker); a session's check forks none."""
    result = python(CHECKS, str(REPO / "tests" / "fixtures" / "continuity"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "True 2 0 True True\n", "")


WORDLIST_AHEAD = (
    COUNTED_FORKS
    + """
import time
from toolkit.checks import names, wordlist
from toolkit.checks.run import READ_AHEAD_CHARACTERS, run_checks

main = os.getpid()
log = Path(sys.argv[2])
read = wordlist._every_word
def logged(language):
    with log.open("a", encoding="utf-8") as file:
        file.write(("here " if os.getpid() == main else "worker ") + language + "\\n")
    return read(language)
wordlist._every_word = logged
pairs = names.name_pairs
def slow(*args):  # the pairs take longer than the worker's dates: it reads the list meanwhile
    time.sleep(1)
    return pairs(*args)
names.name_pairs = slow

root = Path(sys.argv[1])
with pipeline.Run.open(root, use_cache=False) as run:
    story = run.resolve(run.load(checks=True))
smaller = run_checks(story, size=READ_AHEAD_CHARACTERS - 1)
read_smaller = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
wordlist._EVERY.clear()
log.unlink(missing_ok=True)
shared = run_checks(story, size=READ_AHEAD_CHARACTERS)
kept = wordlist._EVERY.get("en")
read_in = log.read_text(encoding="utf-8").splitlines()
wordlist._EVERY.clear()
names.name_pairs = pairs
alone = run_checks(story)
print("worker en" in read_smaller, read_in, isinstance(kept, str) and "\\nsaid\\n" in kept, shared == alone == smaller)
"""
)


def test_the_dates_worker_reads_the_large_word_list_for_the_name_rules(tmp_path: Path) -> None:
    """A large project's check: the worker that checks the dates also reads wordfreq's large list
    while this process works out the name pairs, and hands it here, where neither this process
    nor the judge's worker forked from it reads it again; not on a smaller one (READ_AHEAD_
    CHARACTERS). The findings are those of one process."""
    log = tmp_path / "read.txt"
    result = python(WORDLIST_AHEAD, str(REPO / "tests" / "fixtures" / "continuity"), str(log))
    assert (result.returncode, result.stdout, result.stderr) == (0, "False ['worker en'] True True\n", "")
