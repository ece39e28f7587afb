"""Helper processes for CPU-heavy bulk work (MARC import, index rebuilds) on every core.

One pool per process, started on first use with the ``spawn`` method (helpers import only the
ORM-free modules they are handed work from). ``BKKLIB_WORKERS`` sets how many helpers (default:
the number of cores; 0 turns them off, and the work runs in the calling process). Where no process
can be started (a daemon, a sandbox), callers fall back to doing the work themselves.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

_POOL = None
_SIZE = 0


def workers() -> int:
    """Return how many helper processes bulk work uses (0: none)."""
    default = os.cpu_count() or 1
    try:
        return max(0, int(os.environ.get("BKKLIB_WORKERS", default if default > 1 else 0)))
    except ValueError:
        return default


def pool():
    """Return the process's helper pool, or None when helpers are off or cannot be started."""
    global _POOL, _SIZE
    size = workers()
    if _POOL is not None and _SIZE == size:
        return _POOL or None
    if _POOL:
        _POOL.terminate()
    _SIZE = size
    _POOL = False
    if size > 0:
        try:
            _POOL = multiprocessing.get_context("spawn").Pool(size)
            atexit.register(_POOL.terminate)
        except (OSError, ValueError, AssertionError):  # no processes here
            _POOL = False
    return _POOL or None


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of ``size`` items (the last one shorter) from ``items``, read lazily."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ordered_map(function: Callable, tasks: Iterable, *, ahead: int | None = None) -> Iterator:
    """Yield ``function(task)`` for each task, in order, computed by the helpers (here when there are none).

    At most ``ahead`` tasks (default: two per helper, plus one) are handed out before their results are
    taken, so a long input is never read into memory whole and the helpers never wait for this process.
    """
    helpers = pool()
    if helpers is None:
        for task in tasks:
            yield function(task)
        return
    limit = ahead if ahead is not None else 2 * _SIZE + 1
    pending: deque = deque()
    for task in tasks:
        pending.append(helpers.apply_async(function, (task,)))
        if len(pending) > limit:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()
