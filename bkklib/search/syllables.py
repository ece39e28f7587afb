"""Thai words wherever they stand: the syllable runs inside the pieces the word list does not know.

ICU's dictionary segmenter cuts names and loanwords it does not know into pieces that are not
syllables ("ดาวอัลเดรามิน" as "ดา วอัลเด รา มิน", "สึซึมิยะ" as "สึ ซึมิ ยะ"); a reader who types
"อัล" or "สึซึ" would find nothing. ``inner_words`` gives, for each Thai run, the strings that start
or end at a syllable boundary inside such a piece (a piece the word list does not hold) and run over
whole syllables up to MAX_PIECES segmenter words: "อัล", "อัลเด", "ดาว", "สึซึ", "สึซึมิ"... They are
indexed as weak words beside the others (analysis.weak_words), so typing any of them finds the record.

Words of the word list are never entered from inside: "จังหวัด" gives no "หวัด" (a cold), "ประเทศ"
no "เทศ". Syllable boundaries come from the spelling alone (``syllable_starts``): a syllable starts at
a leading vowel (เ แ โ ใ ไ), or at the consonant that carries a vowel or tone mark or is followed by
ะ า ำ, or at the first of two consonants of a cluster (คร, กล, หว ...) that carry them; a consonant
after a leading vowel, and one silenced by ์, start none. That is not a full syllabifier (a syllable
written with อ, ว, ย as its vowel, "รอ", "ตัว", is not cut), only one that never cuts inside one.
"""
from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterable

from . import text

_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
_FOLLOWING = frozenset("\u0e30\u0e32\u0e33\u0e45")  # ะ า ำ ๅ
_ABOVE_BELOW = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47")
_TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
_SILENT = "\u0e4c"  # ์ thanthakhat: the consonant it sits on is not pronounced
_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))
# The first consonants of true clusters (with ร ล ว) and of ห/อ leading a sonorant (ห นำ, อ นำ).
_CLUSTER_FIRST = {**dict.fromkeys("กขคตปผพ", frozenset("รลว")), "ห": frozenset("งญนมยรลว"), "อ": frozenset("ย")}
MAX_PIECES = 3  # an inner word spans at most this many of the segmenter's words
MAX_LENGTH = 24
MIN_LENGTH = 3  # two letters ("มิ", "เด") tile almost any Thai text


def _carries_vowel(s: str, i: int) -> bool:
    """Return True when the consonant at ``i`` carries a vowel or tone mark or is followed by ะ า ำ."""
    return i + 1 < len(s) and (s[i + 1] in _TONES or s[i + 1] in _ABOVE_BELOW or s[i + 1] in _FOLLOWING)


@functools.lru_cache(maxsize=65536)
def syllable_starts(s: str) -> tuple[int, ...]:
    """Return the positions of ``s`` (a Thai run) where a syllable starts, 0 included."""
    starts = {0}
    for i, ch in enumerate(s):
        if i == 0:
            continue
        if ch in _LEADING:
            starts.add(i)
            continue
        if ch not in _CONSONANTS or s[i - 1] in _LEADING or not _carries_vowel(s, i):
            continue
        if i >= 2 and s[i - 2] in _LEADING and s[i - 1] in _CONSONANTS and ch in "รลว":
            continue  # the second consonant of a cluster after a leading vowel: "เปลี่ยน", "เศร้า"
        if i + 1 < len(s) and s[i + 1] == _SILENT:
            continue
        first = s[i - 1]
        if ch in _CLUSTER_FIRST.get(first, ()):
            # A cluster: the syllable starts at its first consonant, unless that one ends the syllable
            # before (it follows a vowel of its own: "ตาก|ลาง" is not decided here, so no cut at all).
            if i - 1 == 0 or s[i - 2] in _LEADING or (i - 1) in starts:
                starts.discard(i)
                continue
            if s[i - 2] in _CONSONANTS:
                starts.add(i - 1)
            continue
        starts.add(i)
    return tuple(sorted(starts))


@functools.lru_cache(maxsize=65536)
def _inner(run: tuple[str, ...]) -> tuple[str, ...]:
    s = "".join(run)
    bounds = list(itertools.accumulate(map(len, run), initial=0))
    known = text.dictionary()
    inner: set[int] = set()
    for (start, end), word in zip(itertools.pairwise(bounds), run, strict=True):
        if word not in known and len(word) > 1:
            inner.update(p for p in syllable_starts(s) if start < p < end)
    if not inner:
        return ()
    cuts = sorted(set(bounds) | inner)
    seen = set(run)
    out: list[str] = []
    for a, p in enumerate(cuts):
        for q in cuts[a + 1:]:
            # the segmenter words [p, q) overlaps: from the one holding p to the one holding q - 1
            if q - p > MAX_LENGTH or bisect.bisect_right(bounds, q - 1) - bisect.bisect_right(bounds, p) >= MAX_PIECES:
                break
            if p not in inner and q not in inner:
                continue  # whole segmenter words: indexed already (words, pairs, phrases)
            word = s[p:q]
            if len(word) >= MIN_LENGTH and word not in seen:
                seen.add(word)
                out.append(word)
    return tuple(out)


def inner_words(word_runs: Iterable[list[str]]) -> list[str]:
    """Return the inner words of the Thai runs among ``word_runs`` (see the module's docstring)."""
    out: list[str] = []
    for run in word_runs:
        if run and text.has_thai(run[0]):
            out.extend(_inner(tuple(run)))
    return out
