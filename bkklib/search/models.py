"""The search index's own tables (the full-text structures beside them are made per engine).

``SearchDoc`` holds one row per indexed catalog record: the normalised, segmented words of each
field (what the full-text index is built from and what ranking reads), facet values, year and the
Thai collation key for sorting. On SQLite an FTS5 table ``search_fts`` indexes it (external
content); on PostgreSQL a ``tsv`` tsvector column with a GIN index does. Both are created by the
migrations of this app behind ``connection.vendor`` (backends/).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDoc(models.Model):
    """The indexed form of one catalog record (the id is the record's primary key)."""

    id = models.BigIntegerField(primary_key=True)
    # Space-separated normalised words per field; *_x hold the joined neighbours of Thai runs.
    title = models.TextField(default="")
    title_x = models.TextField(default="")
    author = models.TextField(default="")
    author_x = models.TextField(default="")
    subject = models.TextField(default="")
    subject_x = models.TextField(default="")
    rest = models.TextField(default="")  # series, publisher, notes, call number...
    rest_x = models.TextField(default="")  # the words inside compounds of title, author, subject (text.sub_words)
    keys = models.TextField(default="")  # "isbn9786161234567"-style identifier keys
    # One "name<TAB>value" line per facet value.
    facets = models.TextField(default="")
    year = models.IntegerField(null=True)
    sort_key = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["sort_key", "id"], name="search_doc_sort_key"),
            models.Index(fields=["year", "id"], name="search_doc_year"),
        ]

    def __str__(self):
        return f"search doc {self.id}"


class SearchLog(models.Model):
    """Which documents one index change touched: lets a process refresh its in-memory facet data.

    ``xid`` is the PostgreSQL transaction id of the change (0 on SQLite, where writers are
    serialised and the row id gives commit order).
    """

    xid = models.BigIntegerField(default=0, db_index=True)
    doc_ids = models.TextField()

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")

    def __str__(self):
        return f"search index change {self.pk}"


class SearchState(models.Model):
    """Small named values of the index (its epoch: a new one whenever it is rebuilt or emptied)."""

    key = models.CharField(max_length=40, primary_key=True)
    value = models.TextField()

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index states")

    def __str__(self):
        return self.key


class SearchTerm(models.Model):
    """A word of the index vocabulary, for did-you-mean suggestions."""

    term = models.CharField(max_length=64, primary_key=True)
    head = models.CharField(max_length=1)
    tail = models.CharField(max_length=1, default="")
    length = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [
            models.Index(fields=["head", "length"], name="search_term_head_length"),
            models.Index(fields=["tail", "length"], name="search_term_tail_length"),
        ]

    def __str__(self):
        return self.term
