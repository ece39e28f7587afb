"""Pure decisions of the public website: hashtags, social-media text, distances (no ORM, no clock)."""
import unicodedata
from dataclasses import dataclass

from bkklib.network.rules import distance_km  # noqa: F401  (the directory sorts by it; one formula)

# Character limits of the channels PR staff paste into. Facebook refuses a post longer than
# 63,206 characters; a LINE text message (Messaging API and OA Manager) holds 5,000.
CHANNEL_LIMITS = {"facebook": 63206, "line": 5000}
MAX_HASHTAGS = 30
MAX_HASHTAG_LENGTH = 60


class HashtagError(ValueError):
    """A hashtag contains a character that would cut it short on Facebook or LINE."""

    def __init__(self, tag: str):
        super().__init__(tag)
        self.tag = tag


def _is_tag_char(ch: str) -> bool:
    # Letters, digits and combining marks: Thai vowels and tone marks (category Mn) must stay
    # inside the tag, or "#อ่านหนังสือ" would be cut at its first mark.
    return ch == "_" or unicodedata.category(ch)[0] in {"L", "N", "M"}


def parse_hashtags(text: str) -> list[str]:
    """Return the hashtags of ``text`` ("#a #b", "a, b" or one per line) without "#", deduplicated.

    Raise HashtagError naming the first tag with a character Facebook or LINE would not keep
    in a hashtag (punctuation, emoji), or a tag that is too long.
    """
    tags: list[str] = []
    seen: set[str] = set()
    for raw in text.replace(",", " ").replace("，", " ").split():
        tag = unicodedata.normalize("NFC", raw.lstrip("#"))
        if not tag:
            continue
        if len(tag) > MAX_HASHTAG_LENGTH or not all(_is_tag_char(ch) for ch in tag):
            raise HashtagError(raw)
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


@dataclass(frozen=True)
class SocialText:
    """Text ready to paste into a channel, with its length against the channel's limit."""

    channel: str
    text: str
    limit: int
    was_shortened: bool

    @property
    def length(self) -> int:
        return len(self.text)


def social_text(*, channel: str, title: str, body: str, url: str, hashtags: list[str]) -> SocialText:
    """Compose the post for ``channel`` ("facebook" or "line"): title, body, link, then hashtags.

    The link and every hashtag are always kept; when the whole is over the channel's limit the
    body is shortened at a paragraph or word boundary and ends with "…".
    """
    limit = CHANNEL_LIMITS[channel]
    tags = " ".join(f"#{t}" for t in hashtags)
    tail = "\n\n".join(part for part in (url, tags) if part)
    head = title.strip()
    text_body = body.strip().replace("\r\n", "\n")

    def compose(b: str) -> str:
        return "\n\n".join(part for part in (head, b, tail) if part)

    full = compose(text_body)
    if len(full) <= limit:
        return SocialText(channel, full, limit, False)
    room = limit - len(compose("")) - len("\n\n") - len("…")
    cut = text_body[: max(room, 0)]
    for sep in ("\n\n", "\n", " "):
        at = cut.rfind(sep)
        if at > room * 0.6:
            cut = cut[:at]
            break
    return SocialText(channel, compose(cut.rstrip() + "…"), limit, True)


# Sign-in protection for card + PIN (a 4-digit PIN has only 10,000 values: guessing must be slow).
LOCK_AFTER_FAILURES = 5
LOCK_MINUTES = (15, 60, 24 * 60)  # the 5th, 10th and 15th+ consecutive failure
IP_ATTEMPTS_PER_WINDOW = 30
IP_WINDOW_SECONDS = 15 * 60
RESET_CODE_MINUTES = 15
RESET_CODE_TRIES = 5


def lock_minutes(failed_attempts: int) -> int:
    """Return how long the card is locked after ``failed_attempts`` consecutive failures (0 = not locked)."""
    if failed_attempts < LOCK_AFTER_FAILURES or failed_attempts % LOCK_AFTER_FAILURES:
        return 0
    step = failed_attempts // LOCK_AFTER_FAILURES - 1
    return LOCK_MINUTES[min(step, len(LOCK_MINUTES) - 1)]
