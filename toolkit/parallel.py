"""Rendering a build's products on two cores: the main process and one forked worker.

The products of a build are independent: each renders the loaded project into its own file in
the staging folder. Once the project is loaded, a worker forked from the main process holds
the same project without reading or pickling anything, so both processes take products from
one shared list, the next unclaimed one each time, until none is left; the main process may
first do other work (``alongside``: the checks) while the worker is already drawing.

The list is a pipe holding one byte per product, the product's index: a read from a pipe is
atomic, so each byte, each product, goes to one process. The worker sends back, through a
second pipe, the pickled (index, seconds) of what it rendered and the failure if one failed,
then leaves with ``os._exit`` (no inherited atexit handler, no buffered output flushed twice).
This is ``os.fork`` by hand rather than ``concurrent.futures.ProcessPoolExecutor``: the
executor's imports and start-up (multiprocessing, its queues and threads) took ~25 ms, as much
as it saved on a small build (measured with benchmarks/screenplay.py and the sample; see the
README).

Forking is used only where it is safe and can pay (``can_fork``); otherwise, and with fewer
than two things to do, everything runs in order in the main process, as before. A failure
stops both processes from claiming more; the first failure in product order is raised once
the worker has ended, so the caller's staging folder is removed with nothing still writing
into it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol, TypeVar

from toolkit import children
from toolkit.errors import FabulaError

T = TypeVar("T")


class Job(NamedTuple):
    name: str  # shown in progress
    write: Callable[[Path], None]
    path: Path


class Step(Protocol):
    """Progress: ``name`` is about to be rendered here, or with ``seconds``, was rendered in that time."""

    def __call__(self, name: str, seconds: float | None = None) -> None: ...


Outcome = tuple[list[tuple[int, float]], tuple[int, BaseException] | None]  # rendered; the failure

_MAX_JOBS = 256  # one byte per product in the claims pipe
# How long the main process waits for the worker once its own share is done. Each of pandoc's and
# Typst's runs has a limit of its own (render/pandoc.py, render/book_pdf.py); this one bounds the
# rest (the screenplay PDF, the report), with the room a large project needs on a busy machine.
WORKER_SECONDS = 600.0
WORKER_SECONDS_PER_MEGABYTE = 120.0


def cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a forked worker is safe and can pay: Linux, two cores, no other thread.

    Only Linux: macOS offers fork but its system libraries are not safe in a forked child, and
    Windows has none. A process with a second thread must not fork either. The child gets a
    copy of every lock as it was, held or not, and only the forking thread: after a book build
    typst's compiler keeps two threads, and a child forked then waits for them forever (as a
    second build in one process would: ``fabula watch``, the tests). Python 3.12 and later warn
    (DeprecationWarning) on any fork from a process with more than one thread, Python's or a
    native library's, counted as Linux counts them. So does this: /proc/self/task must hold
    this thread alone. fabula's own progress timer starts after the fork (toolkit/progress.py).
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or cores() < 2:
        return False
    try:
        tasks = [int(task) for task in os.listdir("/proc/self/task")]
    except (OSError, ValueError):
        return False
    return tasks == [threading.get_native_id()]


def render(
    jobs: Sequence[Job], progress: Step | None = None, alongside: Callable[[], None] | None = None, size: int = 0
) -> None:
    """Run ``alongside()`` and every job's ``write(path)``; concurrently when it can pay.

    ``size`` (characters of the project's sources) sets how long the worker may run past the
    main process's share before it is stopped and the build fails with a one-line error.
    """
    if len(jobs) + (alongside is not None) < 2 or len(jobs) > _MAX_JOBS or not can_fork():
        if alongside is not None:
            alongside()
        for job in jobs:
            if progress is not None:
                progress(job.name)
            job.write(job.path)
        return
    _concurrently(jobs, progress, alongside, children.time_limit(WORKER_SECONDS, WORKER_SECONDS_PER_MEGABYTE, size))


def _claim(claims: int) -> int | None:
    try:
        byte = os.read(claims, 1)
    except BlockingIOError:
        return None
    return byte[0] if byte else None


def _stop(claims: int) -> None:
    """Take every unclaimed product off the list, so that neither process starts another."""
    while _claim(claims) is not None:
        pass


def _drain(jobs: Sequence[Job], claims: int, progress: Step | None = None) -> Outcome:
    """Render claimed jobs until none is left; on a failure stop claiming and return it."""
    done: list[tuple[int, float]] = []
    while (index := _claim(claims)) is not None:
        job = jobs[index]
        started = time.perf_counter()
        try:
            job.write(job.path)
        except Exception as error:  # handed to the caller, which raises it
            _stop(claims)
            return done, (index, error)
        done.append((index, time.perf_counter() - started))
        if progress is not None:
            progress(job.name, done[-1][1])
    return done, None


def _work(jobs: Sequence[Job], claims: int, results: int) -> None:
    """The forked worker: render, send the outcome, leave without running the parent's cleanup.

    It leads a process group of its own (its pandoc and Typst children join it), so that the
    main process can stop it and them at once; and the kernel kills it if the main process
    ends first, however that ends (``kill -9`` too).
    """
    import pickle
    import signal

    try:
        children.die_with_parent()
        os.setpgid(0, 0)
        # Ctrl-C and SIGTERM are the main process's to handle: it stops this process group.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            data = pickle.dumps(_drain(jobs, claims))
        except BaseException as error:  # an unpicklable error, an interrupt: still an answer
            _stop(claims)
            data = pickle.dumps(([], (-1, FabulaError(f"the build's worker process failed: {error!r}"))))
        with os.fdopen(results, "wb") as stream:
            stream.write(data)
    finally:
        os._exit(0)


def _collect(pid: int, results: int, count: int, seconds: float) -> Outcome:
    """The worker's outcome, once it has ended; past ``seconds`` it is stopped and that is the failure.

    The answer is a pickle from our own forked child, through a pipe only the two hold.
    """
    import pickle

    data, overdue, status = _read_until_ended(pid, results, seconds)
    if overdue:
        return [], (
            count,
            FabulaError(f"the build's worker process ran past its time limit ({seconds:.0f} s) and was stopped"),
        )
    if not data:
        return [], (count, FabulaError(f"the build's worker process ended without an answer (status {status})"))
    outcome: Outcome = pickle.loads(data)
    return outcome


def _read_until_ended(pid: int, results: int, seconds: float) -> tuple[bytes, bool, int]:
    """Everything the forked worker ``pid`` writes to ``results`` until it closes it, then its
    exit status once it has ended; past ``seconds`` it is stopped (its group killed) and the
    second value is True. ``results`` is closed either way."""
    chunks: list[bytes] = []
    overdue, status = _take_until_ended(pid, results, seconds, chunks.append)
    return b"".join(chunks), overdue, status


def _take_until_ended(pid: int, results: int, seconds: float, take: Callable[[bytes], None]) -> tuple[bool, int]:
    """Each chunk the forked worker ``pid`` writes to ``results`` handed to ``take`` until it
    closes it (a non-blocking ``results`` with nothing to read yet is waited on again); past
    ``seconds`` the worker is stopped (its group killed). Returned: whether it was overdue, and
    its exit status once it has ended. ``results`` is closed either way."""
    deadline = time.monotonic() + seconds
    overdue = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([results], [], [], left)[0]:
                overdue = True
                break
            try:
                chunk = os.read(results, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                break
            take(chunk)
    finally:
        os.close(results)
        if overdue:
            children.kill_group(pid)
        _, status = os.waitpid(pid, 0)
    return overdue, status


def _fork() -> int:
    """``os.fork`` with Ctrl-C and SIGTERM held back while it runs. One that came inside fork's
    after-fork hooks (logging's lock release) would be printed as "Exception ignored" and lost,
    and the build would run on; held back, it is raised in this process as fork returns, after
    the new worker is stopped. The worker starts with no signal held (none is pending in it)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, children.HELD)
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    if pid == 0:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return pid
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    except BaseException:
        children.kill_group(pid)
        raise
    return pid


def _concurrently(
    jobs: Sequence[Job], progress: Step | None, alongside: Callable[[], None] | None, seconds: float
) -> None:
    claims, filling = os.pipe()
    os.write(filling, bytes(range(len(jobs))))
    os.close(filling)
    os.set_blocking(claims, False)
    results, answering = os.pipe()
    children.prepare()  # prctl looked up here: the child only calls it
    pid = _fork()
    if pid == 0:
        os.close(results)
        _work(jobs, claims, answering)
    os.close(answering)
    failures: list[tuple[int, BaseException]] = []
    try:
        try:
            if alongside is not None:
                with in_order():  # the worker renders meanwhile
                    alongside()
            _, failure = _drain(jobs, claims, progress)
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM) or failed here: the worker and its pandoc stop now,
            # so that the caller's staging folder is removed with nothing writing into it.
            _stop(claims)
            children.kill_group(pid)
            raise
        finally:
            theirs, their_failure = _collect(pid, results, len(jobs), seconds)
    finally:
        os.close(claims)
    if failure is not None:
        failures.append(failure)
    if their_failure is not None:
        failures.append(their_failure)
    if failures:
        raise min(failures, key=lambda failure: failure[0])[1]
    if progress is not None:
        for index, seconds in theirs:
            progress(jobs[index].name, seconds)


# ---------------------------------------------------------------- results of pure work, in order

# Work on this many characters (~30,000 words) is shared with a worker (``each``) by its callers:
# below it, forking and sending the results back costs more than it saves.
CONCURRENT_CHARACTERS = 200_000
_MAX_EACH = 8192  # four bytes a job in the claims pipe, which holds 64 KiB
_INDEX = 4


_IN_ORDER: list[bool] = [False]


@contextlib.contextmanager
def in_order() -> Iterator[None]:
    """Inside, ``each`` runs its jobs one after another in this process: for work done while
    other processes of the build keep both cores busy (the checks, while pandoc converts and
    Typst sets the book, or while the build's worker renders), where a worker forked for it
    would add the fork and the pickled results to the build's time and take no core of its own."""
    before = _IN_ORDER[0]
    _IN_ORDER[0] = True
    try:
        yield
    finally:
        _IN_ORDER[0] = before


def each(
    jobs: Sequence[Callable[[], T]],
    order: Sequence[int] | None = None,
    size: int = 0,
    here: Callable[[], object] | None = None,
) -> list[T]:
    """Every job's result, in the jobs' order, as running them one after another gives them;
    on two cores where fork is safe (``can_fork``).

    The jobs are pure (a file parsed, a chapter's words counted): the main process and a worker
    forked from it take the next unclaimed job each, in ``order`` (largest first balances the
    two), from one list: a pipe holding each job's index. The worker pickles each result, as
    soon as it has it, into a file in memory, then says where it ends through a pipe (through
    a pipe, megabytes went 64 KiB a turn, each turn waiting for the other process to be
    scheduled); this process takes the results in between jobs of its own (``_Handed``), so
    pickling and unpickling are shared out with the jobs while both processes work, instead of
    done at the end, one process after the other, the other waiting. Any job without a result
    from either (it failed, or the worker did, or ran past its time limit, or its result could
    not be pickled) is run again here, in the jobs' order, so a failure is raised as running the
    jobs in order raises it: the first failing job's own exception, after the jobs before it.
    ``size`` (characters the jobs read) sets how long the worker may take past the main
    process's share. ``here`` (work that is not pure: what it keeps, say in a memo, must stay in
    this process) is run in this process first, before it takes any job, while the worker takes
    the first; without a worker, before the jobs.
    """
    if len(jobs) + (here is not None) < 2 or len(jobs) > _MAX_EACH or _IN_ORDER[0] or not can_fork():
        if here is not None:
            here()
        return [job() for job in jobs]
    claims, filling = os.pipe()
    sequence = list(range(len(jobs))) if order is None else list(order)
    os.write(filling, b"".join(index.to_bytes(_INDEX, "little") for index in sequence))
    os.close(filling)
    os.set_blocking(claims, False)
    store = _scratch()
    results, answering = os.pipe()
    children.prepare()  # prctl looked up here: the child only calls it
    pid = _fork()
    if pid == 0:
        os.close(results)
        _each_worker(jobs, claims, store, answering)
    os.close(answering)
    done: dict[int, T] = {}
    handed = _Handed(results, store)
    try:
        if here is not None:
            here()
        _each_share(jobs, claims, done, handed.take)
    except BaseException:
        children.kill_group(pid)  # interrupted or failed here: the worker stops too
        raise
    finally:
        os.close(claims)
        try:
            seconds = children.time_limit(WORKER_SECONDS, WORKER_SECONDS_PER_MEGABYTE, size)
            theirs = _each_collect(pid, handed, seconds)
        finally:
            os.close(store)
    done.update(theirs)
    return [done[index] if index in done else job() for index, job in enumerate(jobs)]


def _scratch() -> int:
    """A file in memory (an unlinked temporary file where there is no memfd) both processes hold."""
    if hasattr(os, "memfd_create"):
        with contextlib.suppress(OSError):
            return os.memfd_create("fabula-each", os.MFD_CLOEXEC)
    import tempfile

    with tempfile.TemporaryFile() as scratch:
        return os.dup(scratch.fileno())


def _each_claim(claims: int) -> int | None:
    try:
        data = os.read(claims, _INDEX)
    except BlockingIOError:
        return None
    return int.from_bytes(data, "little") if len(data) == _INDEX else None


def _each_share(
    jobs: Sequence[Callable[[], T]], claims: int, done: dict[int, T], between: Callable[[], None] | None = None
) -> None:
    """Run claimed jobs until none is left; a job that fails is left without a result (run again
    in order). ``between`` is called after each job (the main process takes in the worker's
    results there)."""
    while (index := _each_claim(claims)) is not None:
        try:
            done[index] = jobs[index]()
        except Exception:  # raised again when the job runs in order (each)
            continue
        finally:
            if between is not None:
                between()


# What the worker of ``each`` writes to its answering pipe for each result it pickled into the
# store: where the result ends there (the next begins at that offset).
_END = 8


def _each_worker(jobs: Sequence[Callable[[], T]], claims: int, store: int, answering: int) -> None:
    """The forked worker of ``each``: each result, as soon as it has it, pickled into ``store``
    after the one before, then where it ends written to ``answering`` (a result that cannot be
    pickled is left out: the main process runs that job itself). It leaves without the parent's
    cleanup."""
    import signal

    try:
        children.die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        end = 0

        def send() -> None:
            nonlocal end
            for index, result in done.items():
                try:
                    data = _dumps((index, result))
                except Exception:  # an unpicklable result (a function): worked out again in order
                    continue
                view = memoryview(data)
                while view:
                    view = view[os.write(store, view) :]
                end += len(data)
                os.write(answering, end.to_bytes(_END, "little"))
            done.clear()

        done: dict[int, T] = {}
        _each_share(jobs, claims, done, send)
    except BaseException:  # the main process runs whatever was not sent itself
        pass
    finally:
        os._exit(0)


class _Handed:
    """The results the worker of ``each`` has sent so far, taken in as they come: the worker
    pickles each into ``store`` and then writes where it ends to ``results`` (see ``_each_worker``)."""

    def __init__(self, results: int, store: int) -> None:
        self.results = results
        self.store = store
        self.found: dict[int, Any] = {}
        self._start = 0  # where the next result begins in the store
        self._said = b""  # what was read of the pipe and not yet used (part of an end)
        os.set_blocking(results, False)

    def take(self) -> None:
        """Take in every result the worker has sent so far, without waiting for more."""
        while True:
            try:
                chunk = os.read(self.results, 1 << 16)
            except BlockingIOError:
                return
            if not chunk:
                return  # the worker closed its end: it has ended
            self.read(chunk)

    def read(self, chunk: bytes) -> None:
        """Use what was read of the pipe: each whole end read takes in one result."""
        import pickle

        said = self._said + chunk
        whole = len(said) - len(said) % _END
        self._said = said[whole:]
        for at in range(0, whole, _END):
            end = int.from_bytes(said[at : at + _END], "little")
            # A pickle from our own forked child, in a file only the two hold.
            index, result = pickle.loads(os.pread(self.store, end - self._start, self._start))
            self.found[index] = result
            self._start = end


def _each_collect(pid: int, handed: _Handed, seconds: float) -> dict[int, Any]:
    """Every result the worker sent, once it has ended (taken in as they come); past ``seconds``
    it is stopped, and what it did not send is worked out here (see ``each``)."""
    _take_until_ended(pid, handed.results, seconds, handed.read)
    return handed.found


def _dumps(value: object) -> bytes:
    """``pickle.dumps(value)``, the model's slotted dataclasses (a Span, a screenplay's elements)
    pickled as their fields' values: pickle's own way for them calls a dataclass's
    ``__setstate__`` per object when loaded, which took half of the loading's time."""
    import copyreg
    import io
    import pickle

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **_slotted()}
    pickler.dump(value)
    return buffer.getvalue()


@functools.cache
def _slotted() -> dict[type, Callable[[Any], tuple[Any, ...]]]:
    import dataclasses

    from toolkit import model

    def reducer(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
        return lambda value: (_rebuilt, (type(value), names, tuple([getattr(value, name) for name in names])))

    return {
        kind: reducer(tuple(field.name for field in dataclasses.fields(kind)))
        for kind in vars(model).values()
        if isinstance(kind, type) and dataclasses.is_dataclass(kind) and "__slots__" in vars(kind)
    }


def _rebuilt(kind: type, names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """A slotted dataclass from its fields' values, as pickle's own way makes it (no ``__init__``)."""
    made: Any = object.__new__(kind)
    for name, value in zip(names, values, strict=True):
        object.__setattr__(made, name, value)
    return made
