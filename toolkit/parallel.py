"""Rendering a build's products on two cores: the main process and one forked worker.

The products of a build are independent: each renders the loaded project into its own file in
the staging folder. Once the project is loaded, a worker forked from the main process holds
the same project without reading or pickling anything, so both processes take products from
one shared list, the next unclaimed one each time, until none is left; the main process may
first do other work (``alongside``: the checks), while the worker is already drawing.
``concurrent.futures.ProcessPoolExecutor`` with the "fork" start method runs the worker and
carries its exceptions back. Where fork is not available (Windows, macOS), on a single core,
or with fewer than two things to do, everything runs in order in the main process.

A failure stops both processes from claiming more; the first failure in product order is
raised once the worker has stopped, so the caller's staging folder is removed with nothing
still writing into it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol


class Job(NamedTuple):
    name: str  # shown in progress
    write: Callable[[Path], None]
    path: Path


class Step(Protocol):
    """Progress: ``name`` is about to be rendered here, or with ``seconds``, was rendered in that time."""

    def __call__(self, name: str, seconds: float | None = None) -> None: ...


# Set in the main process just before the worker is forked; the worker inherits them.
_jobs: Sequence[Job] = ()
_next: Any = None  # multiprocessing.Value("i"): index of the next unclaimed job


def cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether a forked worker is safe and can pay: fork available, two cores, no native threads.

    macOS offers fork but its system libraries are not safe in a forked child (CPython's
    default there is "spawn", which would re-import and pickle everything: no gain). A process
    in which a native library runs threads of its own must not fork either: after a book build
    typst's compiler keeps two threads, and a child forked then waits for them forever (as a
    second build in one process would: ``fabula watch``, the tests). Linux lists a process's
    threads in /proc/self/task; every one must be a Python thread (an idle progress timer is
    harmless: the child never touches it). Without /proc, no fork.
    """
    import multiprocessing

    if sys.platform == "darwin" or "fork" not in multiprocessing.get_all_start_methods() or cores() < 2:
        return False
    try:
        tasks = {int(task) for task in os.listdir("/proc/self/task")}
    except (OSError, ValueError):
        return False
    return tasks <= {thread.native_id for thread in threading.enumerate()}


def render(jobs: Sequence[Job], progress: Step | None = None, alongside: Callable[[], None] | None = None) -> None:
    """Run ``alongside()`` and every job's ``write(path)``; concurrently when it can pay."""
    if len(jobs) + (alongside is not None) < 2 or not can_fork():
        if alongside is not None:
            alongside()
        for job in jobs:
            if progress is not None:
                progress(job.name)
            job.write(job.path)
        return
    _concurrently(jobs, progress, alongside)


def _claim() -> int:
    with _next.get_lock():
        index = _next.value
        _next.value = index + 1
    return index


def _stop() -> None:
    with _next.get_lock():
        _next.value = len(_jobs)


def _drain(
    progress: Step | None = None,
) -> tuple[list[tuple[int, float]], tuple[int, BaseException] | None]:
    """Render unclaimed jobs until none is left: (index, seconds) of each, and the failure if one failed."""
    done: list[tuple[int, float]] = []
    while (index := _claim()) < len(_jobs):
        job = _jobs[index]
        started = time.perf_counter()
        try:
            job.write(job.path)
        except Exception as error:  # handed to the main process, which raises it
            _stop()
            return done, (index, error)
        done.append((index, time.perf_counter() - started))
        if progress is not None:
            progress(job.name, done[-1][1])
    return done, None


def _concurrently(jobs: Sequence[Job], progress: Step | None, alongside: Callable[[], None] | None) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _jobs, _next
    context = multiprocessing.get_context("fork")
    _jobs, _next = tuple(jobs), context.Value("i", 0)
    failures: list[tuple[int, BaseException]] = []
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            worker = pool.submit(_drain)
            try:
                if alongside is not None:
                    alongside()
                _, failure = _drain(progress)
            except BaseException:
                _stop()  # the worker claims nothing more; the pool's exit waits for it to finish
                raise
            if failure is not None:
                failures.append(failure)
            theirs, failure = worker.result()
            if failure is not None:
                failures.append(failure)
            elif not failures and progress is not None:
                for index, seconds in theirs:
                    progress(_jobs[index].name, seconds)
    finally:
        _jobs, _next = (), None
    if failures:
        raise min(failures, key=lambda failure: failure[0])[1]
