"""One normaliser and Thai segmenter, shared by indexing and querying (docs/architecture.md, Search).

``normalise`` makes the variants people and legacy systems type compare equal: Unicode NFC,
zero-width characters removed, Thai digits to Arabic, case folded, Latin accents removed, and
Thai combining marks put in one order (sara am written as nikhahit + sara aa, a tone mark typed
after sara am or before an above vowel, a doubled mark, "เเ" typed for "แ").

``words`` splits normalised text into index words: Thai runs (Thai has no spaces between
words) are segmented with a dictionary segmenter, everything else splits on word boundaries.
``compounds`` gives the joined neighbours of a Thai run, indexed beside the words so that two
words typed without a space still match even where the segmenter cuts them differently alone.
"""
from __future__ import annotations

import functools
import itertools
import re
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import icu

# Above/below vowels and maitaikhu come first in a cluster, then tone marks, then the rest.
_VOWEL_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47"
_TONE_MARKS = "\u0e48\u0e49\u0e4a\u0e4b"
_OTHER_MARKS = "\u0e4c\u0e4d\u0e4e"
_MARK_RANK = {**dict.fromkeys(_VOWEL_MARKS, 0), **dict.fromkeys(_TONE_MARKS, 1), **dict.fromkeys(_OTHER_MARKS, 2)}
_MARK_RUN = re.compile(f"[{_VOWEL_MARKS}{_TONE_MARKS}{_OTHER_MARKS}]{{2,}}")
_MISORDERED = re.compile(
    f"[{_TONE_MARKS}{_OTHER_MARKS}][{_VOWEL_MARKS}]|[{_OTHER_MARKS}][{_TONE_MARKS}]"
    f"|([{_VOWEL_MARKS}{_TONE_MARKS}{_OTHER_MARKS}])\\1"
)
_SARA_AM = "\u0e33"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_THAI_DIGITS = {0x0E50 + i: str(i) for i in range(10)}
_TRANSLATE = {**_ZERO_WIDTH, **_THAI_DIGITS}
_TO_TRANSLATE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u0e50-\u0e59]")
_LATIN_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")

# A Thai run: consonants, vowels and marks; ฯ (abbreviation), ๆ (repetition), ฿ and Thai
# punctuation end a run. Anything else that is a letter, digit or mark forms ordinary words.
THAI_RUN = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
_TOKEN = re.compile(f"([{THAI_RUN}]+)|([^\\W_\u0e00-\u0e7f]+)")
_HAS_THAI = re.compile(f"[{THAI_RUN}]")

# Words longer than this are noise (a pasted URL, a run of one letter): not indexed, not searched.
MAX_WORD_LENGTH = 60


def _order_marks(match: re.Match) -> str:
    """Return a run of Thai combining marks in canonical order, each mark once."""
    marks = sorted(dict.fromkeys(match.group(0)), key=_MARK_RANK.__getitem__)
    return "".join(marks)


def normalise(text: str) -> str:
    """Return ``text`` in the one form that indexing and querying compare."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFC", text)
    if _TO_TRANSLATE.search(text):
        text = text.translate(_TRANSLATE)
    if "\u0e4d" in text:
        # Sara am typed as nikhahit + sara aa (a tone mark may sit between them).
        text = re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1" + _SARA_AM, text)
    if _SARA_AM in text:
        # A tone mark belongs before sara am ("น้ำ"), whatever order it was typed in.
        text = re.sub(f"{_SARA_AM}([\u0e48-\u0e4b])", "\\1" + _SARA_AM, text)
    if _MISORDERED.search(text):
        text = _MARK_RUN.sub(_order_marks, text)
    if "\u0e40\u0e40" in text:
        text = text.replace("\u0e40\u0e40", "\u0e41")  # "เเ" (two sara e) typed for "แ"
    text = text.casefold()
    if _LATIN_ACCENTED.search(text):
        # "café" finds "cafe": strip accents of Latin letters only (Thai marks are letters' parts).
        decomposed = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize(
            "NFC", "".join(ch for ch in decomposed if not (unicodedata.combining(ch) and ch < "\u0370"))
        )
    return text


class _IcuSegmenter:
    """Segment Thai runs with ICU's dictionary-based word BreakIterator (one per thread)."""

    name = "icu"

    def __init__(self):
        self._local = threading.local()

    def iterator(self) -> icu.BreakIterator:
        """Return this thread's word break iterator."""
        it = getattr(self._local, "iterator", None)
        if it is None:
            it = self._local.iterator = icu.BreakIterator.createWordInstance(icu.Locale("th"))
        return it

    def segment(self, run: str) -> list[str]:
        """Return the words of one Thai run."""
        # Not the iterator of ``iterator()``: runs() may call this while walking with that one.
        it = getattr(self._local, "inner", None)
        if it is None:
            it = self._local.inner = icu.BreakIterator.createWordInstance(icu.Locale("th"))
        it.setText(run)
        # ICU reports UTF-16 offsets; Thai is in the BMP, so they are Python string offsets.
        words, start = [], it.first()
        for end in it:
            words.append(run[start:end])
            start = end
        return words


SEGMENTER = _IcuSegmenter()


def use_segmenter(segmenter=None) -> None:
    """Switch the process's Thai segmenter, for evaluation (bench/thai_segmenters.py): ``segmenter``
    has ``name`` and ``segment(run) -> list[str]``; None puts ICU's back.

    The index must be rebuilt after a switch: indexing and querying must segment alike.
    """
    global SEGMENTER
    SEGMENTER = _IcuSegmenter() if segmenter is None else segmenter


_DICTIONARY_PATH = Path(__file__).resolve().parent / "data" / "words_th.txt"
_DICTIONARY: frozenset[str] | None = None
# Split words of at least this many characters; parts must have at least MIN_PART characters.
SPLIT_FROM = 4
MIN_PART = 2
SPLIT_WORDS = True
# Words of the word list made of two of its words of at least this many characters each
# ("กรุงเทพมหานคร") also index those two (sub_words).
SUB_WORD_MIN = 4


def dictionary() -> frozenset[str]:
    """Return the Thai word list (data/words_th.txt, CC0, from PyThaiNLP), normalised."""
    global _DICTIONARY
    if _DICTIONARY is None:
        with _DICTIONARY_PATH.open(encoding="utf-8") as handle:
            _DICTIONARY = frozenset(normalise(line.strip()) for line in handle if line.strip())
    return _DICTIONARY


_NO_START = frozenset("\u0e30\u0e32\u0e33\u0e45") | frozenset(_MARK_RANK)  # vowels that follow a consonant
_NO_END = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # leading vowels: เ แ โ ใ ไ


def _split(word: str) -> list[str] | None:
    """Return a word the word list does not know cut into two words it knows, or None.

    The segmenter keeps some compounds and names whole (ICU: "ภูเขาทอง", "ขุนแผน"); a reader
    typing one of their words ("ภูเขา") must still find them, so such words are cut where the
    word list allows (the longest known first part wins), on the indexing and querying side alike.
    """
    return None if word in dictionary() else _cut(word, MIN_PART)


def _cut(word: str, min_part: int) -> list[str] | None:
    """Return ``word`` cut into two words of the word list of at least ``min_part`` characters
    (the longest first part that allows it), or None."""
    words = dictionary()
    for i in range(len(word) - min_part, min_part - 1, -1):
        head, tail = word[:i], word[i:]
        if head in words and tail in words and tail[0] not in _NO_START and head[-1] not in _NO_END:
            return [head, tail]
    return None


@functools.lru_cache(maxsize=65536)
def _sub_words(word: str) -> tuple[str, ...]:
    if len(word) < 2 * SUB_WORD_MIN or not _HAS_THAI.match(word) or word not in dictionary():
        return ()
    return tuple(_cut(word, SUB_WORD_MIN) or ())


def segment_thai(run: str) -> list[str]:
    """Return the dictionary words of one Thai run (no spaces, already normalised)."""
    if len(run) <= 1:
        return [run] if run else []
    return [part for word in SEGMENTER.segment(run) for part in _refine(word)]


_PURE_THAI = re.compile(f"[{THAI_RUN}]+")


def _refine(word: str) -> list[str]:
    if SPLIT_WORDS and len(word) >= SPLIT_FROM:
        parts = _split(word)
        if parts:
            return parts
    return [word]


def runs(text: str) -> list[list[str]]:
    """Return the words of normalised ``text`` grouped in runs (a Thai run gives several words).

    With ICU, one break-iterator pass covers the whole text (much cheaper than one per run);
    its word pieces are then checked: Thai pieces that touch form one run, anything else (a
    Latin word, a piece mixing scripts like "ภาษาPython") is split by script as ``_TOKEN`` says.
    """
    if not text:
        return []
    if SEGMENTER.name != "icu":
        return _runs_by_regex(text)
    it = SEGMENTER.iterator()
    it.setText(text)
    out: list[list[str]] = []
    current: list[str] | None = None
    previous_end = -1
    start = it.first()
    for end in it:
        if it.getRuleStatus() == 0:  # spaces and punctuation
            start = end
            continue
        piece = text[start:end]
        if _PURE_THAI.fullmatch(piece):
            if len(piece) <= MAX_WORD_LENGTH:
                words = _refine(piece)
                if current is not None and start == previous_end:
                    current.extend(words)
                else:
                    current = list(words)
                    out.append(current)
                previous_end = end
        else:
            current = None
            out.extend(_runs_by_regex(piece))
        start = end
    return out


def _runs_by_regex(text: str) -> list[list[str]]:
    out = []
    for thai, other in _TOKEN.findall(text):
        if thai:
            words = [w for w in segment_thai(thai) if len(w) <= MAX_WORD_LENGTH]
        else:
            words = [other] if len(other) <= MAX_WORD_LENGTH else []
        if words:
            out.append(words)
    return out


def words(text: str) -> list[str]:
    """Return the index words of raw ``text`` (normalised, Thai segmented)."""
    return [w for run in runs(normalise(text)) for w in run]


def sub_words(words: Iterable[str]) -> list[str]:
    """Return the two parts of each compound of the word list among ``words``, in order.

    The word list (and so the segmenter) keeps many compounds whole: "กรุงเทพมหานคร", "ประวัติศาสตร์",
    "หนังสือพิมพ์". A reader who types one of their words ("กรุงเทพ", "ศาสตร์") should still find
    them, so their parts are indexed too, as weak evidence (analysis.prepare). Both parts must have
    SUB_WORD_MIN characters: shorter cuts are often not the compound's words ("จังหวัด" is not
    about "หวัด", "ประเทศ" not about "เทศ").
    """
    return [part for word in words for part in _sub_words(word)]


_PREFIXES: frozenset[str] | None = None


def _dictionary_prefixes() -> frozenset[str]:
    """Return every proper prefix (2+ characters) of the word list's words: a scan for the words
    inside a run stops as soon as what it has read begins no word."""
    global _PREFIXES
    if _PREFIXES is None:
        _PREFIXES = frozenset(w[:k] for w in dictionary() for k in range(2, len(w)))
    return _PREFIXES


# Words of another reading have at least this many characters: two-character words ("กา", "รบ",
# "ริ") tile almost any Thai text ("การบริหาร" as "กา รบ ริ หาร") and would find it for nothing.
ALTERNATIVE_MIN = 3


def _word_edges(run: str) -> list[list[int]]:
    """Return, for each position of ``run``, the end positions of the word-list words starting there
    (of ALTERNATIVE_MIN characters or more).

    A word may not start with a vowel or mark that follows a consonant, nor end before one, nor end
    with a leading vowel (เ แ โ ใ ไ): those would cut a syllable.
    """
    words, prefixes, n = dictionary(), _dictionary_prefixes(), len(run)
    edges: list[list[int]] = [[] for _ in range(n + 1)]
    for i in range(n - ALTERNATIVE_MIN + 1):
        if run[i] in _NO_START:
            continue
        if run[i:i + ALTERNATIVE_MIN - 1] not in prefixes:
            continue
        for j in range(i + ALTERNATIVE_MIN, n + 1):
            piece = run[i:j]
            if piece in words and run[j - 1] not in _NO_END and (j == n or run[j] not in _NO_START):
                edges[i].append(j)
            if piece not in prefixes:
                break
    return edges


@functools.lru_cache(maxsize=65536)
def _alternatives(run: tuple[str, ...]) -> tuple[str, ...]:
    """Return the word-list words of another reading of one Thai run, not among its words.

    The segmenter settles each ambiguity one way ("ตะวัน ตกดิน", "หาความ หมาย"); a person may read
    it the other ("ตะวันตก ดิน", "หา ความหมาย") and type those words. A word counts when some reading
    of the whole run uses it: a path from the run's start to its end through word-list words and the
    segmenter's own words, that crosses a boundary of the segmenter's somewhere. A path that only cuts
    one of the segmenter's words into smaller ones is not another reading ("จังหวัด" is not
    "จัง หวัด"; the compounds of ``sub_words`` are that case's exception).
    """
    if len(run) < 2:
        return ()
    s = "".join(run)
    n = len(s)
    bounds = list(itertools.accumulate(map(len, run), initial=0))  # the segmenter's cuts, 0 and n included
    is_bound = [False] * (n + 1)
    for at in bounds:
        is_bound[at] = True
    below = list(itertools.accumulate(is_bound[1:], initial=0))  # below[p]: the segmenter's cuts at 1..p
    edges = _word_edges(s)
    for start, end in itertools.pairwise(bounds):  # the segmenter's own words are edges too
        if end not in edges[start]:
            edges[start].append(end)
    if not any(below[q - 1] > below[p] for p in range(n) for q in edges[p]):
        return ()  # no word crosses a boundary of the segmenter's: no other reading

    # A path's state at position p: (p, start_kept, cut): whether the path has a boundary at the start
    # of the segmenter word p lies in, and whether it cut that word inside. Reaching the word's end
    # with both would only subdivide the word: not another reading.
    def step(p, start_kept, cut, q):
        if below[q - 1] > below[p]:  # crosses a boundary of the segmenter's
            return (q, True, False) if is_bound[q] else (q, False, True)
        if is_bound[q]:
            return None if (start_kept and cut) else (q, True, False)
        return (q, start_kept, True)

    states: list[set] = [set() for _ in range(n + 1)]
    states[0].add((0, True, False))
    for p in range(n):
        for state in states[p]:
            for q in edges[p]:
                nxt = step(*state, q)
                if nxt is not None:
                    states[q].add(nxt)
    good = set(states[n])  # states from which the run's end is reached
    if not good:
        return ()
    used: list[tuple[int, int]] = []
    for p in range(n - 1, -1, -1):
        for state in states[p]:
            for q in edges[p]:
                if step(*state, q) in good:
                    good.add(state)
                    used.append((p, q))
    seen = set(run)
    out: list[str] = []
    for p, q in sorted(set(used)):
        word = s[p:q]
        if word not in seen:
            seen.add(word)
            out.append(word)
    return tuple(out)


def alternatives(word_runs: Iterable[list[str]]) -> list[str]:
    """Return the words of other readings of the Thai runs among ``word_runs`` (``_alternatives``)."""
    out: list[str] = []
    for run in word_runs:
        if len(run) > 1 and _HAS_THAI.match(run[0]):
            out.extend(_alternatives(tuple(run)))
    return out


def compounds(word_runs: Iterable[list[str]]) -> list[str]:
    """Return each pair of neighbouring words of a Thai run joined, in order.

    Indexed beside the words, they let two words typed without a space match as one word even
    when the segmenter cuts them differently on their own than inside the title.
    """
    out = []
    for run in word_runs:
        if len(run) > 1 and _HAS_THAI.match(run[0]):
            out.extend(map(str.__add__, run, run[1:]))
    return out


@functools.lru_cache(maxsize=65536)
def line_runs(line: str) -> list[list[str]]:
    """Return ``runs(normalise(line))``, remembered: subject headings, publishers, series and
    author names repeat across a catalog. The result is shared: do not change it."""
    return runs(normalise(line))


def has_thai(text: str) -> bool:
    """Return True when ``text`` contains Thai letters."""
    return bool(_HAS_THAI.search(text))


_COLLATORS = threading.local()


def sort_key(title: str) -> bytes:
    """Return the ICU Thai collation key of ``title`` (Thai dictionary order, leading vowels right)."""
    collator = getattr(_COLLATORS, "th", None)
    if collator is None:
        collator = _COLLATORS.th = icu.Collator.createInstance(icu.Locale("th"))
    text = unicodedata.normalize("NFC", title or "")
    if _TO_TRANSLATE.search(text):
        text = text.translate(_TRANSLATE)
    text = text.strip()
    # Keys are compared bytewise by both databases; long titles sort by their first 200 letters.
    return bytes(collator.getSortKey(text[:200]))
