"""Parse the search box's query language into a tree every backend compiles (docs/api/search.md).

Words (all must match), "phrases", AND / OR / NOT (upper case) and a leading ``-``, parentheses,
field prefixes ``title:`` ``author:`` ``subject:`` ``isbn:`` (also ``ชื่อเรื่อง:`` ``ผู้แต่ง:``
``หัวเรื่อง:``), Thai and English mixed. The parser is forgiving: an unclosed quote or parenthesis
closes at the end, a dangling operator is dropped; only a query with nothing to look for (empty,
punctuation only, only NOT) or far too long is refused, with a friendly message, never an exception.

A Thai run typed without spaces becomes a ``Match`` with two alternatives: the whole run as one
word (it may be a word of the index, or the joined pair of two index words, see text.compounds)
and the phrase of its segmented words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum import isbn as stdnum_isbn
from stdnum import issn as stdnum_issn

from . import text

MAX_QUERY_LENGTH = 500
MAX_MATCHES = 24

FIELD_NAMES = {
    "title": "title", "ti": "title", "ชื่อเรื่อง": "title",
    "author": "author", "au": "author", "ผู้แต่ง": "author",
    "subject": "subject", "su": "subject", "หัวเรื่อง": "subject",
    "isbn": "isbn", "issn": "isbn",
}
_FIELD_PREFIX = re.compile("(" + "|".join(sorted(map(re.escape, FIELD_NAMES), key=len, reverse=True)) + r")\s*:", re.I)
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201d": "\u201d", "\u00ab": "\u00bb"}
_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}
_ISBN_CHARS = re.compile(r"^[0-9Xx\- ]{8,17}$")
_ISBN_SPAN = re.compile(r"[0-9][0-9Xx\- ]*[0-9Xx]")


class QueryError(ValueError):
    """The query has nothing to search for or is unreasonable; the message is for the reader."""


@dataclass(frozen=True)
class Match:
    """Words to find: any one of ``alternatives`` (each a phrase of one or more words)."""

    alternatives: tuple[tuple[str, ...], ...]
    field: str | None = None  # title, author, subject, isbn, or None for every field


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


def _isbn13_valid(digits: str) -> bool:
    return (sum(map(int, digits[0::2])) + 3 * sum(map(int, digits[1::2]))) % 10 == 0


def identifier_key(value: str) -> str | None:
    """Return the index key of an ISBN (any form, as ISBN-13) or ISSN, or None if it is neither."""
    if len(value) == 13 and value.isdigit() and value.startswith(("978", "979")):
        return "isbn" + value if _isbn13_valid(value) else None
    compact = re.sub(r"[\s\-]", "", value or "").upper()
    if stdnum_isbn.is_valid(compact):
        return "isbn" + stdnum_isbn.to_isbn13(compact).replace("-", "")
    if len(compact) == 8 and stdnum_issn.is_valid(compact):
        return "isbn" + compact.lower()
    return None


def _word_node(raw: str, field: str | None):
    """Return the node for one space-free word (or None when it holds nothing searchable)."""
    if field == "isbn" or (field is None and _ISBN_CHARS.match(raw) and any(c.isdigit() for c in raw)):
        key = identifier_key(raw)
        if key:
            return Match(((key,),), None)
        if field == "isbn":
            digits = re.sub(r"[^0-9xX]", "", raw).lower()
            return Match((("isbn" + digits,),), None) if digits else None
    word_runs = text.runs(text.normalise(raw))
    if not word_runs:
        return None
    if len(word_runs) > 1 and all(len(r) == 1 and not text.has_thai(r[0]) for r in word_runs):
        # "e-book", "covid-19": the parts side by side.
        return Match((tuple(r[0] for r in word_runs),), field)
    nodes = [_run_match(r, field) for r in word_runs]
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def _run_match(run: list[str], field: str | None) -> Match:
    if len(run) > 1 and text.has_thai(run[0]):
        return Match((("".join(run),), tuple(run)), field)
    return Match((tuple(run),), field)


def _phrase_node(raw: str, field: str | None):
    if field == "isbn":
        return _word_node(raw, field)
    word_runs = text.runs(text.normalise(raw))
    words = tuple(w for r in word_runs for w in r)
    if not words:
        return None
    if len(word_runs) == 1 and len(words) > 1 and text.has_thai(words[0]):
        return Match((("".join(words),), words), field)
    return Match((words,), field)


def _negates(query: str, i: int) -> bool:
    """Return True when the ``-`` at ``i`` starts a word and reads as NOT: "-word", not "-word-"
    (a title's dashes, as in "86 -เอทตี้ซิกซ์- เล่ม 1", pasted from a shop or a cover) nor "--"."""
    starts_word = i == 0 or query[i - 1].isspace() or query[i - 1] == "("
    if not starts_word or i + 1 >= len(query) or query[i + 1].isspace() or query[i + 1] == "-":
        return False
    end = i + 1
    while end < len(query) and not query[end].isspace() and query[end] not in '()"\u201c\u201d\u00ab':
        end += 1
    return end == i + 1 or not query[i:end].endswith("-")  # -"a phrase", -(a group): NOT


def _lex(query: str, *, plain: bool = False) -> list[tuple[str, object]]:
    """Return the tokens of ``query``: (kind, value) with kinds ( ) AND OR NOT WORD PHRASE FIELD.

    ``plain`` reads punctuation as text, not as operators: no leading-dash NOT, no quotes,
    parentheses or field prefixes (the upper-case words AND, OR, NOT are still operators).
    """
    tokens, i, n = [], 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif plain and (ch in "()" or ch in _QUOTES or ch in _QUOTES.values()):
            i += 1
        elif ch in "()":
            tokens.append((ch, None))
            i += 1
        elif ch in _QUOTES:
            close = query.find(_QUOTES[ch], i + 1)
            end = n if close < 0 else close
            tokens.append(("PHRASE", query[i + 1:end]))
            i = end + 1
        elif ch == "-" and not plain and _negates(query, i):
            tokens.append(("NOT", None))
            i += 1
        elif not plain and (m := _FIELD_PREFIX.match(query, i)) and (i == 0 or not query[i - 1].isalnum()):
            field = FIELD_NAMES[m.group(1).lower()]
            i = m.end()
            while i < n and query[i].isspace():
                i += 1
            if field == "isbn" and (digits := _ISBN_SPAN.match(query, i)):
                # "isbn:978 0 306 40615 7": an ISBN may be typed with spaces.
                tokens.append(("WORD_ISBN", digits.group(0).strip()))
                i = digits.end()
                continue
            tokens.append(("FIELD", field))
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in '()"\u201c\u201d\u00ab':
                j += 1
            word = query[i:j]
            if word in _OPERATORS:
                tokens.append((_OPERATORS[word], None))
            else:
                tokens.append(("WORD", word.lstrip("+")))
            i = j
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.pos = 0

    def peek(self):
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self):
        node = self.or_expr()
        while self.pos < len(self.tokens):  # a stray ")" : skip it and go on
            self.take()
            more = self.or_expr()
            node = _combine(And, [node, more])
        return node

    def or_expr(self):
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.and_expr())
        return _combine(Or, parts)

    def and_expr(self):
        parts = []
        while (kind := self.peek()) not in (None, ")", "OR"):
            if kind == "AND":
                self.take()
                continue
            parts.append(self.unary())
        return _combine(And, parts)

    def unary(self):
        if self.peek() == "NOT":
            self.take()
            child = self.unary() if self.peek() not in (None, ")", "OR", "AND") else None
            return Not(child) if child is not None else None
        return self.primary(None)

    def primary(self, field):
        kind, value = self.take()
        if kind == "(":
            node = self.or_expr()
            if self.peek() == ")":
                self.take()
            return _with_field(node, field) if field else node
        if kind == "FIELD":
            if self.peek() in (None, ")", "OR", "AND"):
                return None
            if self.peek() == "NOT":
                self.take()
                inner = self.primary(value) if self.peek() not in (None, ")", "OR", "AND") else None
                return Not(inner) if inner is not None else None
            return self.primary(value)
        if kind == "PHRASE":
            return _phrase_node(value, field)
        if kind == "WORD":
            return _word_node(value, field)
        if kind == "WORD_ISBN":
            return _word_node(value, "isbn")
        return None  # a lone operator where a word was expected


def _combine(cls, parts):
    parts = [p for p in parts if p is not None]
    flat = []
    for p in parts:
        flat.extend(p.children if isinstance(p, cls) else [p])
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else cls(tuple(flat))


def _with_field(node, field):
    if isinstance(node, Match):
        if node.field or node.alternatives[0][0].startswith("isbn"):
            return node
        return Match(node.alternatives, field)
    if isinstance(node, Not):
        return Not(_with_field(node.child, field))
    if node is None:
        return None
    return type(node)(tuple(_with_field(c, field) for c in node.children))


def _clean(node):
    """Drop negations from OR groups ("a OR NOT b" searches a): NOT only narrows an AND."""
    if isinstance(node, Or):
        kept = [_clean(c) for c in node.children if _positive(c)]
        return _combine(Or, kept)
    if isinstance(node, And):
        return _combine(And, [_clean(c) for c in node.children])
    if isinstance(node, Not):
        child = _clean(node.child)
        return Not(child) if child is not None else None
    return node


def _positive(node) -> bool:
    """Return True when ``node`` can match on its own (it is not only negations)."""
    if isinstance(node, Match):
        return True
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_positive(c) for c in node.children)
    return all(_positive(c) for c in node.children)


def matches(node) -> list[Match]:
    """Return the positive Match leaves of ``node`` (those under NOT excluded)."""
    if isinstance(node, Match):
        return [node]
    if isinstance(node, Not) or node is None:
        return []
    return [m for c in node.children for m in matches(c)]


def _count(node) -> int:
    if isinstance(node, Match):
        return 1
    if isinstance(node, Not):
        return _count(node.child)
    return sum(_count(c) for c in node.children)


def parse(query: str, *, plain: bool = False):
    """Return the query tree of ``query``, or None for an empty query (browse everything).

    ``plain`` reads its punctuation as text (``_lex``): the search's second reading of pasted
    text whose operator reading found nothing ("Spider-Man -Far From Home-", "C++ (3rd ed.)").
    Raise QueryError with a message for the reader when it cannot be searched.
    """
    query = (query or "").strip()
    if not query:
        return None
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(_("The search is too long: use at most {limit} characters.").format(limit=MAX_QUERY_LENGTH))
    node = _Parser(_lex(query, plain=plain)).parse()
    if node is not None and _positive(node):
        node = _clean(node)
    if node is None:
        raise QueryError(_("Type a word to search for: the search had no letters or digits in it."))
    if not _positive(node):
        raise QueryError(_("Say what to look for, not only what to leave out (NOT needs a word before it)."))
    if _count(node) > MAX_MATCHES:
        raise QueryError(_("The search has too many words: use at most {limit}.").format(limit=MAX_MATCHES))
    return node
