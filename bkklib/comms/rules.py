"""Pure decisions of comms: who may move a post where, how long a channel's text may be, retry backoff.

No ORM, no clock: values in, values out (docs/architecture.md, Layers of an app).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

# Post states (the values of models.Post.Status).
DRAFT, REVIEW, APPROVED, SCHEDULED, PUBLISHED, FAILED = "draft", "review", "approved", "scheduled", "published", "failed"

# action -> (states it may start from, state it leads to, permission it needs)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": ((DRAFT,), REVIEW, "comms.change_post"),
    "approve": ((REVIEW,), APPROVED, "comms.approve_post"),
    "return": ((REVIEW, APPROVED, SCHEDULED), DRAFT, "comms.approve_post"),
    "schedule": ((APPROVED,), SCHEDULED, "comms.change_post"),
    "unschedule": ((SCHEDULED,), APPROVED, "comms.change_post"),
    "retry": ((FAILED,), SCHEDULED, "comms.approve_post"),
}
EDITABLE = (DRAFT,)


@dataclass(frozen=True)
class Actor:
    user_id: int
    perms: frozenset[str]


def refusal(action: str, *, state: str, author_id: int, actor: Actor) -> str | None:
    """Return why ``actor`` may not do ``action`` to a post in ``state`` written by ``author_id`` (None: may).

    Codes: ``unknown_action``, ``wrong_state``, ``no_permission``, ``own_post`` (an author never
    approves their own post: four eyes on everything the division says in public).
    """
    if action not in TRANSITIONS:
        return "unknown_action"
    starts, _to, perm = TRANSITIONS[action]
    if perm not in actor.perms:
        return "no_permission"
    if action == "approve" and actor.user_id == author_id:
        return "own_post"
    if state not in starts:
        return "wrong_state"
    return None


def next_state(action: str) -> str:
    return TRANSITIONS[action][1]


# ---- text per channel ---------------------------------------------------------------------------

LIMITS = {"facebook": 63206, "line": 5000, "x": 280, "website": 20000}
X_URL_LENGTH = 23  # X counts every link as 23 (t.co)
# X's weighted length (twitter-text v3): these code points count 1, everything else 2.
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_URL = re.compile(r"https?://\S+")
HASHTAG = re.compile(r"^[^\W_][\w]{0,99}$")


def x_length(text: str) -> int:
    """Return the length X counts for ``text``: links 23, Thai and Latin 1, other scripts and emoji 2."""
    total = 0
    for part in _URL.split(text):
        for ch in part:
            cp = ord(ch)
            total += 1 if any(lo <= cp <= hi for lo, hi in _X_LIGHT) else 2
    return total + X_URL_LENGTH * len(_URL.findall(text))


def length(kind: str, text: str) -> int:
    return x_length(text) if kind == "x" else len(text)


def over_limit(kind: str, text: str) -> tuple[int, int] | None:
    """Return (length, limit) when ``text`` is too long for a channel of ``kind``, else None."""
    n, limit = length(kind, text), LIMITS[kind]
    return (n, limit) if n > limit else None


def compose(*, text: str, link: str = "", hashtags: list[str] = ()) -> str:
    """The master text as a channel receives it: text, a blank line, the link, the hashtags."""
    parts = [text.strip()]
    if link:
        parts.append(link)
    if hashtags:
        parts.append(" ".join(f"#{t}" for t in hashtags))
    return "\n\n".join(p for p in parts if p)


def merge_hashtags(*groups: list[str]) -> list[str]:
    """Hashtags of every group in order, each once (case-insensitive)."""
    seen, out = set(), []
    for group in groups:
        for tag in group:
            tag = tag.lstrip("#").strip()
            if tag and tag.casefold() not in seen:
                seen.add(tag.casefold())
                out.append(tag)
    return out


def bad_hashtag(tags: list[str]) -> str | None:
    """Return the first tag that is not a hashtag every channel accepts (letters, marks, digits, _)."""
    for tag in tags:
        if not re.fullmatch(r"[\w\u0E00-\u0E7F]+", tag) or len(tag) > 100:
            return tag
    return None


# ---- publishing -----------------------------------------------------------------------------------

MAX_ATTEMPTS = 5
BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=2)


def backoff(attempts: int, *, retry_after: int | None = None) -> timedelta:
    """Delay before attempt ``attempts + 1``: 1, 2, 4, 8... minutes (at most 2 hours), or what the service asked."""
    delay = min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def after_failure(*, attempts: int, kind: str, now: datetime, retry_after: int | None = None
                  ) -> tuple[str, datetime | None]:
    """Return the variant's next state and next attempt after a failed attempt (``attempts`` made so far).

    ``kind`` is the adapter's error kind: ``auth`` (expired or revoked token) and ``rejected`` (the
    service refuses this content) fail at once: retrying cannot help until someone acts; so does
    ``unknown`` (the request went out, no answer came, and the service takes no idempotency key):
    a retry could publish twice, so a person checks the channel first.
    ``rate_limit`` and ``temporary`` (5xx, network) are retried with backoff up to MAX_ATTEMPTS.
    """
    if kind in ("auth", "rejected", "unknown") or attempts >= MAX_ATTEMPTS:
        return "failed", None
    return "retry", now + backoff(attempts, retry_after=retry_after)


def post_state(variant_states: list[str]) -> str | None:
    """The post's state from its variants' states: published when all are, failed when one failed for
    good and none is still on its way; None: leave the post as it is (still scheduled)."""
    if not variant_states:
        return None
    if all(s == "published" for s in variant_states):
        return PUBLISHED
    if any(s == "failed" for s in variant_states) and not any(s in ("pending", "sending", "retry")
                                                              for s in variant_states):
        return FAILED
    return None


def engagement(*, reactions: int, comments: int, shares: int, clicks: int) -> int:
    return reactions + comments + shares + clicks
