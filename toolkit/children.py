"""Processes fabula starts (pandoc, Typst's compile, the build's worker): time limits, and none outlives fabula.

Each child is bound to fabula's life: on Linux the kernel sends it SIGKILL the moment its parent
ends, however that ends (``kill -9`` included: no cleanup code of ours runs then). A child that
runs past its time limit is killed and its caller raises a one-line FabulaError saying which
step took too long: input that makes a library's time grow faster than its length stops there,
not after hours.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import FabulaError

_PR_SET_PDEATHSIG = 1

# The beginning of the name of every folder a build keeps its temporary files in (staging, the
# chapters' pandoc runs, the frames): ``.fabula-stage-PID-…``, named for the process that made it,
# so that the next build removes those of a process that is gone (pipeline.remove_stale_staging).
STAGE_PREFIX = ".fabula-stage-"


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once, before any fork (a child must not load libraries)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        function: Callable[..., int] = libc.prctl
    except (OSError, AttributeError):
        return None
    return function


def die_with_parent() -> None:
    """In a child process: be killed when the parent ends (Linux; elsewhere nothing happens).

    The parent calls ``prepare()`` before forking, so that the child only calls a function.
    """
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def prepare() -> bool:
    """Look prctl up in this process, before a fork; whether children can be bound to it."""
    return _prctl() is not None


# Ctrl-C and SIGTERM: held back while this process forks (``_popen``, ``parallel``'s worker).
HELD = frozenset({signal.SIGINT, signal.SIGTERM})


def _child_setup(mask: set[int | signal.Signals]) -> None:
    """In a child ``_popen`` forked, before it runs its program: bound to fabula's life, then
    the signals the parent held back while forking let through again (a mask outlives exec)."""
    die_with_parent()
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _popen(args: Sequence[str], **options: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen`` of a child bound to fabula's life.

    Binding it needs a function run in the child, and with one Python runs its at-fork hooks
    (logging's lock) around the fork: a Ctrl-C or SIGTERM raised inside one is printed as
    "Exception ignored" and lost, and the build ran on. So both are held back while the child
    starts and raised here as it has started (the child is then stopped: none outlives an
    interrupted start).
    """
    if not prepare():
        return subprocess.Popen(list(args), **options)
    held = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        process: subprocess.Popen[Any] = subprocess.Popen(
            list(args), preexec_fn=functools.partial(_child_setup, held), **options
        )
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return process


def time_limit(base: float, per_megabyte: float, size: int) -> float:
    """Seconds allowed for work on ``size`` characters: a fixed part, and a part that grows with it."""
    return base + per_megabyte * size / 1_000_000


def run(
    args: Sequence[str],
    seconds: float,
    what: str,
    *,
    stdin: str | bytes | None = None,
    env: Mapping[str, str] | None = None,
    text: bool = True,
) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run`` with a time limit and the child bound to fabula's life.

    Past the limit the child is killed and a FabulaError says that ``what`` took too long.
    """
    process = _popen(
        args,
        stdin=subprocess.PIPE if stdin is not None else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env) if env is not None else None,
        text=text,
        encoding="utf-8" if text else None,
        errors="replace" if text else None,
    )
    with process:
        try:
            output, errors = process.communicate(stdin, timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise FabulaError(f"{what} ran past its time limit ({seconds:.0f} s) and was stopped") from None
        except BaseException:  # Ctrl-C, SIGTERM: the child goes with us
            process.kill()
            raise
    return subprocess.CompletedProcess(process.args, process.wait(), output, errors)


def start(
    args: Sequence[str], *, stdin: Path, stdout: Path, stderr: Path, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a child bound to fabula's life that reads ``stdin`` and writes ``stdout`` and
    ``stderr`` (files: the caller does other work meanwhile, with no pipe to keep flowing).
    ``wait`` ends it."""
    with stdin.open("rb") as source, stdout.open("wb") as answer, stderr.open("wb") as errors:
        return _popen(
            args,
            stdin=source,
            stdout=answer,
            stderr=errors,
            env=dict(env) if env is not None else None,
        )


# How much less CPU a child that ``yield_cpu`` lowered gets. In Linux's scheduler nice 4 weighs
# 423 against nice 0's 1024: two such processes together weigh less than one at nice 0, which
# therefore keeps a core to itself on two cores. No lower: the build's processes together then
# still weigh about as much as before against other programs' on a busy machine.
YIELDED_NICENESS = 4


def yield_cpu(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """Lower the priority of those of ``processes`` that still run (their niceness raised by
    YIELDED_NICENESS, once), so that another child, on the build's longest path, gets a core
    of its own meanwhile. Only their share of the CPU changes, never what they do; a process
    that ended, or a system without priorities, is left as it is."""
    if not hasattr(os, "setpriority"):
        return
    for process in processes:
        if process.poll() is not None:
            continue
        with contextlib.suppress(OSError):
            now = os.getpriority(os.PRIO_PROCESS, process.pid)
            if now < os.getpriority(os.PRIO_PROCESS, 0) + YIELDED_NICENESS:
                os.setpriority(os.PRIO_PROCESS, process.pid, min(19, now + YIELDED_NICENESS))


def wait(process: subprocess.Popen[bytes], seconds: float, what: str, started: float) -> int:
    """The exit status of a child ``start`` started at ``started`` (time.monotonic()); past
    ``seconds`` from then it is killed and a FabulaError says that ``what`` took too long."""
    import time

    try:
        return process.wait(timeout=max(0.0, started + seconds - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise FabulaError(f"{what} ran past its time limit ({seconds:.0f} s) and was stopped") from None


# Children started ahead of their work (``warm``), by name, with the process that started them.
_WARM: dict[str, tuple[int, subprocess.Popen[bytes]]] = {}


def warm(name: str, args: Sequence[str]) -> None:
    """Start a child bound to fabula's life now, with pipes, to be handed its work later by
    ``take_warm`` (its interpreter's start-up and imports run meanwhile, on another core).
    One a name; ``drop_warm`` ends those never taken."""
    if name in _WARM:
        return
    process = _popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _WARM[name] = (os.getpid(), process)


def take_warm(name: str) -> subprocess.Popen[bytes] | None:
    """The child ``warm`` started under ``name``, handed out once. In a forked worker it is the
    parent's child: the worker may write to it and read from it (``answer``), not wait for it."""
    entry = _WARM.pop(name, None)
    if entry is None:
        return None
    if entry[0] != os.getpid():
        _BORROWED.add(entry[1].pid)
    return entry[1]


_BORROWED: set[int] = set()  # warm children of the parent, taken by this (forked) process
# Warm children handed their work ahead (``hand``), by name, whose answer is not read yet.
_HANDED: dict[str, tuple[int, subprocess.Popen[bytes]]] = {}


def hand(name: str, request: bytes) -> bool:
    """Hand the warm child ``name`` its ``request`` now, in the process that started it: the
    child works while this process (or its forked worker) does other work, and ``collect``
    reads the answer. False: there is no such child here."""
    entry = _WARM.get(name)
    if entry is None or entry[0] != os.getpid() or name in _HANDED:
        return False
    del _WARM[name]
    process = entry[1]
    assert process.stdin is not None
    try:
        process.stdin.write(request)
        process.stdin.close()
    except OSError:  # the child ended before reading it all: its error says why
        pass
    process.stdin = None  # closed: the answer is read without writing more
    _HANDED[name] = entry
    return True


def handed(name: str) -> bool:
    """Whether ``hand`` gave the child ``name`` its work and nothing has collected the answer."""
    return name in _HANDED


def collect(name: str, seconds: float, what: str) -> tuple[bytes, bytes] | None:
    """What the child ``hand`` gave its work writes (standard output, error), under the time
    limit; None: no child was handed work under ``name``. In a forked worker it is read to its
    end and left for the parent to reap, as ``answer`` does."""
    entry = _HANDED.pop(name, None)
    if entry is None:
        return None
    owner, process = entry
    if owner != os.getpid():
        _BORROWED.add(process.pid)
    return answer(process, b"", seconds, what)


def drop_warm() -> None:
    """End the children ``warm`` started in this process that nothing took (a build that failed
    first, or did not need them), and those handed work whose answer nothing read."""
    for warmed in (_WARM, _HANDED):
        for name, (owner, process) in list(warmed.items()):
            if owner != os.getpid():
                continue
            del warmed[name]
            _end(process)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Kill a child started with pipes, close them and reap it."""
    process.kill()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    process.wait()


def answer(process: subprocess.Popen[bytes], request: bytes, seconds: float, what: str) -> tuple[bytes, bytes]:
    """Hand a warm child its ``request`` and collect what it writes (standard output, error)
    under the time limit. A forked worker reads both to their end rather than waiting for the
    child (its parent's, which the parent reaps when the build ends)."""
    if process.pid not in _BORROWED:
        try:
            out, err = process.communicate(request if process.stdin is not None else None, timeout=seconds)
        except subprocess.TimeoutExpired:
            _end(process)
            raise FabulaError(f"{what} ran past its time limit ({seconds:.0f} s) and was stopped") from None
        return out, err
    import select
    import time

    deadline = time.monotonic() + seconds
    assert process.stdout is not None and process.stderr is not None
    if process.stdin is not None:
        try:
            process.stdin.write(request)
            process.stdin.close()
        except OSError:  # the child ended before reading it all: its error says why
            pass
    streams = {process.stdout.fileno(): bytearray(), process.stderr.fileno(): bytearray()}
    open_streams = set(streams)
    while open_streams:
        left = deadline - time.monotonic()
        ready = select.select(list(open_streams), [], [], max(0.0, left))[0] if left > 0 else []
        if not ready:
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGKILL)
            raise FabulaError(f"{what} ran past its time limit ({seconds:.0f} s) and was stopped")
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if chunk:
                streams[fd] += chunk
            else:
                open_streams.discard(fd)
    return bytes(streams[process.stdout.fileno()]), bytes(streams[process.stderr.fileno()])


def kill_group(pid: int) -> None:
    """SIGKILL a child and everything in its process group (a worker and its pandoc); never raises."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (OSError, AttributeError):
            continue
        return
