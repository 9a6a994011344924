"""Processes fabula starts (pandoc, Typst's compile, the build's worker): time limits, and none outlives fabula.

Each child is bound to fabula's life: on Linux the kernel sends it SIGKILL the moment its parent
ends, however that ends (``kill -9`` included: no cleanup code of ours runs then). A child that
runs past its time limit is killed and its caller raises a one-line FabulaError saying which
step took too long: input that makes a library's time grow faster than its length stops there,
not after hours.
"""

from __future__ import annotations

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
    try:
        return subprocess.run(
            list(args),
            input=stdin,
            env=dict(env) if env is not None else None,
            capture_output=True,
            text=text,
            encoding="utf-8" if text else None,
            errors="replace" if text else None,
            check=False,
            timeout=seconds,
            preexec_fn=die_with_parent if prepare() else None,
        )
    except subprocess.TimeoutExpired:
        raise FabulaError(f"{what} ran past its time limit ({seconds:.0f} s) and was stopped") from None


def start(
    args: Sequence[str], *, stdin: Path, stdout: Path, stderr: Path, env: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a child bound to fabula's life that reads ``stdin`` and writes ``stdout`` and
    ``stderr`` (files: the caller does other work meanwhile, with no pipe to keep flowing).
    ``wait`` ends it."""
    with stdin.open("rb") as source, stdout.open("wb") as answer, stderr.open("wb") as errors:
        return subprocess.Popen(
            list(args),
            stdin=source,
            stdout=answer,
            stderr=errors,
            env=dict(env) if env is not None else None,
            preexec_fn=die_with_parent if prepare() else None,
        )


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


def kill_group(pid: int) -> None:
    """SIGKILL a child and everything in its process group (a worker and its pandoc); never raises."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (OSError, AttributeError):
            continue
        return
