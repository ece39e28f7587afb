"""Turn a Document into the row the index stores: normalised, segmented words per field, keys, facets.

Pure Python with no database, so that bulk indexing can run it in a helper process (index.py).
"""
from __future__ import annotations

import re

from . import query, ranking, syllables, text
from .backends.base import MAX_WORDS_PER_COLUMN
from .documents import Document

_CONTROL = re.compile(r"[\t\r\n]+")


def _join(words: list[str]) -> str:
    return " ".join(words[:MAX_WORDS_PER_COLUMN])


def _field_runs(value: str) -> list[list[str]]:
    return [run for line in value.split("\n") if line.strip() for run in text.line_runs(line)]


def facet_text(facets: dict[str, list[str]] | None) -> str:
    """Return the stored form of a document's facet values: one ``name<TAB>value`` line each."""
    lines = []
    for name, values in (facets or {}).items():
        name = _CONTROL.sub(" ", name)
        for value in values or ():
            value = str(value)
            if "\t" in value or "\n" in value or "\r" in value:
                value = _CONTROL.sub(" ", value)
            value = value.strip()
            if value:
                lines.append(f"{name}\t{value}")
    return "\n".join(dict.fromkeys(lines))


def weak_words(title: list[str], author: list[str], subject: list[str], word_runs: list[list[str]]) -> list[str]:
    """Return the ``rest_x`` words: the parts of compounds (``text.sub_words``), the words of other
    readings of the Thai runs (``text.alternatives``) and the syllable runs inside pieces the word list
    does not know (``syllables.inner_words``) of the title, author and subject, each once."""
    return list(dict.fromkeys(text.sub_words(title + author + subject) + text.alternatives(word_runs)
                              + syllables.inner_words(word_runs)))


def stored_runs(words: str, pairs: str) -> list[list[str]]:
    """Return the runs of a stored word column (``title``) from it and its pair column (``title_x``):
    two neighbouring words are of one run exactly when their joined pair is the next stored pair."""
    pair_list = pairs.split()
    runs: list[list[str]] = []
    k = 0
    for word in words.split():
        if runs and k < len(pair_list) and pair_list[k] == runs[-1][-1] + word:
            runs[-1].append(word)
            k += 1
        else:
            runs.append([word])
    return runs


def prepare(doc: Document) -> tuple[tuple, list[str]]:
    """Return the row stored for ``doc`` (backends.base.ROW_COLUMNS order) and its vocabulary words."""
    title_keys, title_runs = ranking.title_keys(doc.title or "")
    author_runs = _field_runs(doc.author or "")
    subject_runs = _field_runs(doc.subject or "")
    series_runs = _field_runs(doc.series or "")
    rest_runs = series_runs + _field_runs(doc.other or "")
    title = [w for run in title_runs for w in run]
    author = [w for run in author_runs for w in run]
    subject = [w for run in subject_runs for w in run]
    rest = [w for run in rest_runs for w in run]
    vocabulary = title + author + subject + [w for run in series_runs for w in run]
    keys = []
    for value in doc.isbn or ():
        key = query.identifier_key(value)  # ISBN-13 digits (the catalog's form) take a quick path
        if key is None:
            digits = re.sub(r"[^0-9xX]", "", value or "").lower()
            key = "isbn" + digits if digits else None
        if key and key not in keys:
            keys.append(key)
    year = doc.year
    if year is None:
        year_values = (doc.facets or {}).get("year") or []
        year = int(year_values[0]) if year_values and str(year_values[0]).isdigit() else None
    row = (
        int(doc.id),
        _join(title), _join(text.compounds(title_runs)),
        _join(author), _join(text.compounds(author_runs)),
        _join(subject), _join(text.compounds(subject_runs)),
        # Publishers, notes and call numbers: words only (two-word runs there need no compounds).
        # Beside them, the words inside compounds of the title, author and subject ("ศาสตร์" of
        # "ประวัติศาสตร์") and the words of their Thai runs' other readings ("ตะวันตก ดิน" of the
        # segmenter's "ตะวัน ตกดิน"): they find the record, ranked as the rest field ranks (weak
        # evidence: "ครัว" of "ครอบครัว" must not rank beside a cookbook's "ครัว"), and no field query.
        _join(rest), _join(weak_words(title, author, subject, title_runs + author_runs + subject_runs)),
        " ".join(keys + title_keys),
        facet_text(doc.facets),
        year,
        text.sort_key(doc.sort_title or doc.title),
    )
    return row, vocabulary


def prepare_many(docs: list[Document]) -> list[tuple[tuple, list[str]]]:
    """Return ``prepare(doc)`` of each document (one call per chunk in a helper process)."""
    return [prepare(doc) for doc in docs]
