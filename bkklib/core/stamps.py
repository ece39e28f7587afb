"""Per-process caches that are never stale: a change stamp per topic, kept in the database.

Hot paths — the permission check of every staff request, a circulation desk verb — read the same
slow-changing rows again and again: permissions, staff assignments, loan policies, opening hours
and closures. A process may keep what it read for as long as the topic's stamp is unchanged:

- every save or delete of a watched model (``watch``) writes a new random stamp for its topic in
  the same transaction, so other processes see the new stamp exactly when they can see the new
  rows (bulk writes that send no signals call ``bump`` themselves);
- a process reads all stamps in one query, once per request (``StampMiddleware``) or at every
  call outside a request, and forgets what it kept under an older stamp.

Stamps are random, not counters, so a rolled-back change (or a test's rollback) can never make an
old stamp current again.
"""
from __future__ import annotations

import contextvars
import functools
import secrets
import threading
from collections.abc import Callable

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("bkklib_stamps", default=None)
_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("bkklib_stamps_request", default=False)
_caches: dict[str, list[_TopicCache]] = {}


def read() -> dict[str, str]:
    """Return ``{topic: stamp}``; within a request, read once and remembered until a bump."""
    memo = _memo.get()
    if memo is not None:
        return memo
    with connection.cursor() as cursor:
        cursor.execute("SELECT topic, token FROM core_changestamp")
        stamps = dict(cursor.fetchall())
    if _in_request.get():
        _memo.set(stamps)
    return stamps


def bump(topic: str) -> None:
    """Give ``topic`` a new stamp (in the caller's transaction): every process drops what it kept."""
    token = secrets.token_hex(8)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_changestamp (topic, token) VALUES (%s, %s) "
            "ON CONFLICT (topic) DO UPDATE SET token = excluded.token", [topic, token])
    memo = _memo.get()
    if memo is not None:
        memo[topic] = token
    forget(topic)


def forget(topic: str | None = None) -> None:
    """Drop what this process kept for ``topic`` (every topic when None), e.g. after a flush."""
    for name, caches in _caches.items():
        if topic is None or name == topic:
            for cache in caches:
                cache.clear()


def forget_after_migrate(**kwargs) -> None:
    """post_migrate receiver: ``migrate`` and ``flush`` (tests) replace rows without signals."""
    forget()


def watch(topic: str, *senders) -> None:
    """Bump ``topic`` whenever a row of one of ``senders`` is saved or deleted (or an m2m link changes)."""
    def changed(sender, **kwargs):
        if kwargs.get("raw"):  # fixture loading (loaddata): no stamp row is written, this process forgets
            forget(topic)
            return
        action = kwargs.get("action")
        if action is not None and not action.startswith("post_"):
            return
        bump(topic)

    for sender in senders:
        uid = f"bkklib.stamps.{topic}.{sender._meta.label}"
        if sender._meta.auto_created:  # an m2m "through" table
            m2m_changed.connect(changed, sender=sender, weak=False, dispatch_uid=uid)
        else:
            post_save.connect(changed, sender=sender, weak=False, dispatch_uid=uid)
            post_delete.connect(changed, sender=sender, weak=False, dispatch_uid=uid)


class _TopicCache:
    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self.stamp: str | None = None
        self.values: dict = {}
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.stamp, self.values = None, {}


def cached(topic: str, *, maxsize: int = 10_000) -> Callable:
    """Decorate a function of hashable arguments whose answer depends only on ``topic``'s rows.

    The answer is kept per process until the topic's stamp changes. Return immutable values
    (tuples, frozensets, frozen dataclasses): every caller shares them.
    """
    def decorate(fn):
        cache = _TopicCache(maxsize)
        _caches.setdefault(topic, []).append(cache)

        @functools.wraps(fn)
        def wrapper(*args):
            stamp = read().get(topic, "")
            with cache.lock:
                if cache.stamp != stamp:
                    cache.stamp, cache.values = stamp, {}
                elif args in cache.values:
                    return cache.values[args]
            value = fn(*args)
            with cache.lock:
                if cache.stamp == stamp:
                    if len(cache.values) >= cache.maxsize:
                        cache.values.clear()
                    cache.values[args] = value
            return value

        wrapper.cache_clear = cache.clear
        return wrapper

    return decorate


class StampMiddleware:
    """Read the stamps at most once per request (lazily, at the first cached look-up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_request, memo = _in_request.set(True), _memo.set(None)
        try:
            return self.get_response(request)
        finally:
            _memo.reset(memo)
            _in_request.reset(in_request)
