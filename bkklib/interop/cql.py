"""CQL (Contextual Query Language, the query language of SRU) read into a tree.

Grammar (CQL 1.2, without prefix assignments and sortBy, which are refused with a diagnostic)::

    query    := clause (boolean clause)*           left to right, no precedence
    boolean  := and | or | not | prox   [/modifiers]
    clause   := "(" query ")" | [index relation] term
    relation := = | == | <> | < | > | <= | >= | exact | all | any | adj | within  [/modifiers]
    term     := "quoted string" | word

Errors raise ``CqlError`` with the SRU diagnostic number (10 query syntax error, 16 unsupported
index, 19 unsupported relation, 27 empty term...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

RELATIONS = ("==", "<>", "<=", ">=", "=", "<", ">")
NAMED_RELATIONS = ("exact", "all", "any", "adj", "within", "encloses")
BOOLEANS = ("and", "or", "not", "prox")
_TOKEN = re.compile(r'\s*(?:(?P<q>"(?:[^"\\]|\\.)*")|(?P<p>[()])|(?P<r>==|<>|<=|>=|=|<|>)|(?P<s>/)|'
                    r'(?P<w>[^\s()="<>/]+))')


class CqlError(ValueError):
    def __init__(self, number: int, message: str, details: str = ""):
        super().__init__(message)
        self.number, self.message, self.details = number, message, details


@dataclass(frozen=True)
class Clause:
    index: str  # "" for a bare term (cql.serverChoice)
    relation: str
    term: str


@dataclass(frozen=True)
class Bool:
    op: str
    left: object
    right: object


def tokens(text: str) -> list[tuple[str, str]]:
    found, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise CqlError(10, "Query syntax error", text[pos:pos + 20])
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "q":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        found.append((kind, value))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return found


class _Parser:
    def __init__(self, text: str):
        self.items = tokens(text)
        self.at = 0

    def peek(self):
        return self.items[self.at] if self.at < len(self.items) else (None, None)

    def take(self):
        item = self.peek()
        self.at += 1
        return item

    def modifiers(self) -> None:
        while self.peek()[0] == "s":  # /modifier[relation value]: accepted and ignored
            self.take()
            if self.peek()[0] not in ("w", "q"):
                raise CqlError(10, "Query syntax error", "modifier")
            self.take()
            if self.peek()[0] == "r":
                self.take()
                self.take()

    def query(self):
        node = self.clause()
        while True:
            kind, value = self.peek()
            if kind == "w" and value.lower() in BOOLEANS:
                self.take()
                self.modifiers()
                node = Bool(value.lower(), node, self.clause())
            elif kind is None or (kind == "p" and value == ")"):
                return node
            elif kind == "w" and value.lower() == "sortby":
                raise CqlError(80, "Sort not supported")
            else:
                raise CqlError(10, "Query syntax error", str(value))

    def clause(self):
        kind, value = self.peek()
        if kind == "p" and value == "(":
            self.take()
            node = self.query()
            if self.take() != ("p", ")"):
                raise CqlError(13, "Invalid or unsupported use of parentheses")
            return node
        if kind not in ("w", "q"):
            raise CqlError(10, "Query syntax error", "a search term is missing")
        self.take()
        following = self.peek()
        if kind == "w" and (following[0] == "r" or (following[0] == "w" and following[1].lower() in NAMED_RELATIONS
                                                    and self._term_follows())):
            relation = self.take()[1].lower()
            self.modifiers()
            term_kind, term = self.take()
            if term_kind not in ("w", "q"):
                raise CqlError(10, "Query syntax error", "a search term is missing")
            return Clause(value, relation, term)
        if kind == "w" and value.startswith(">"):
            raise CqlError(10, "Query syntax error", "prefix assignments are not supported")
        return Clause("", "=", value)

    def _term_follows(self) -> bool:
        nxt = self.items[self.at + 1] if self.at + 1 < len(self.items) else (None, None)
        return nxt[0] in ("w", "q", "s")


def parse(text: str):
    if not (text or "").strip():
        raise CqlError(10, "Query syntax error", "empty query")
    parser = _Parser(text)
    node = parser.query()
    if parser.at < len(parser.items):
        raise CqlError(10, "Query syntax error", str(parser.items[parser.at][1]))
    return node
