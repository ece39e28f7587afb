"""The documents the catalog hands to the search index, and what a search returns (docs/api/search.md, search contract)."""
from dataclasses import dataclass, field

# The facets the index counts, in the order people read them (availability first). Every caller
# that asks for "all facets" (the public search page, the records API, the search command) uses
# this one list.
FACETS = ("availability", "branch", "material_type", "language", "year")


@dataclass
class Document:
    """One catalog record as the index sees it: text fields, facet values and sort data."""

    id: int  # the catalog Record's primary key
    title: str = ""  # 245 $a$b$n$p (+ 880 vernacular title), 246, 240/130
    author: str = ""  # 100/110/111/700/710/711 (+ 880), 245 $c
    subject: str = ""  # 6XX, with " -- " subdivisions as in the record
    isbn: list[str] = field(default_factory=list)  # ISBN-13 normalised digits (also ISSN as given)
    series: str = ""
    other: str = ""  # publisher, notes (5XX), call number, etc.
    # keys: "branch", "material_type", "language", "year", "availability" (see the search contract in docs/api/search.md)
    facets: dict[str, list[str]] = field(default_factory=dict)
    sort_title: str = ""  # title for sorting (search computes the Thai collation key)
    year: int | None = None  # for sort "newest" and year-range filters


@dataclass
class Hit:
    """One matching record and its relevance score (higher is better)."""

    id: int
    score: float


@dataclass
class SearchResult:
    """One page of hits with the total, facet counts and did-you-mean suggestions."""

    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[tuple[str, int]]]  # value -> count, most frequent first
    suggestions: list[str]  # did-you-mean when total == 0 (Thai and English)
    query_error: str | None = None  # a friendly message when the query could not be parsed (never raise)
    # True when the query's operators (a leading "-", quotes, parentheses, field:) found nothing and
    # these are the hits of its text read as plain words (a pasted title: "86 -เอทตี้ซิกซ์ เล่ม 1").
    read_as_words: bool = False
