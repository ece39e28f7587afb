"""Terminals and sessions of the standard protocols (SIP2 self-check machines and gates)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bkklib.core.models import TimeStampedModel


class Sip2Terminal(TimeStampedModel):
    """A self-check machine, gate or sorter that logs in to the SIP2 server.

    The terminal acts through its own service account (``user``), assigned to ``branch`` with the
    self-check role, so every loan it makes goes through the circulation services with the same
    rules and audit as a desk, and is recorded as made by this terminal.
    """

    class Charset(models.TextChoices):
        UTF8 = "utf-8", "UTF-8"
        TIS620 = "tis-620", "TIS-620 (Windows-874)"

    class DateStyle(models.TextChoices):
        CE = "ce", _("Common Era (2022)")
        BE = "be", _("Buddhist Era (2565)")

    login = models.CharField(_("login (CN)"), max_length=60, unique=True)
    password_hash = models.CharField(_("password (hashed)"), max_length=200)
    name = models.CharField(_("name"), max_length=200, help_text=_("Where it stands, e.g. self-check by the entrance."))
    branch = models.ForeignKey("network.Branch", on_delete=models.PROTECT, related_name="sip2_terminals",
                               verbose_name=_("branch"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sip2_terminal",
                                verbose_name=_("service account"))
    institution_id = models.CharField(_("institution ID (AO)"), max_length=40, default="BKKLIB")
    charset = models.CharField(_("character set"), max_length=10, choices=Charset.choices, default=Charset.UTF8)
    date_style = models.CharField(_("dates"), max_length=2, choices=DateStyle.choices, default=DateStyle.CE)
    error_detection = models.BooleanField(_("error detection (AY/AZ checksums)"), default=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_seen_at"])

    class Meta:
        verbose_name = _("SIP2 terminal")
        verbose_name_plural = _("SIP2 terminals")
        ordering = ["branch__code", "login"]

    def __str__(self):
        return f"{self.login} ({self.name})"


class DeletedRecord(models.Model):
    """A catalog record that was deleted, kept for OAI-PMH harvesters (``deletedRecord: persistent``).

    Written when a ``catalog.Record`` row is deleted (a post_delete receiver), with the sets it
    belonged to, so an incremental harvest tells union catalogues to drop it.
    """

    record_id = models.BigIntegerField(_("record id"), unique=True)
    deleted_at = models.DateTimeField(_("deleted at"), db_index=True)
    set_specs = models.CharField(_("sets"), max_length=500, blank=True,
                                 help_text=_("The record's OAI sets when it was deleted, as |spec|spec|."))

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        ordering = ["record_id"]

    def __str__(self):
        return f"#{self.record_id}"


class CopyTarget(TimeStampedModel):
    """Another catalogue to copy records from: an SRU base URL, or a Z39.50 host:port/database."""

    class Kind(models.TextChoices):
        SRU = "sru", "SRU"
        Z3950 = "z3950", "Z39.50"

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("protocol"), max_length=8, choices=Kind.choices, default=Kind.SRU)
    address = models.CharField(_("address"), max_length=300,
                               help_text=_("SRU: the base URL (https://host/sru). Z39.50: host:port/database."))
    sru_version = models.CharField(_("SRU version"), max_length=4, default="1.2", blank=True)
    record_schema = models.CharField(_("record schema"), max_length=60, default="marcxml", blank=True)
    encoding = models.CharField(_("character set (Z39.50)"), max_length=20, default="utf-8", blank=True,
                                help_text=_("utf-8, or tis-620 for Thai systems that send TIS-620 records."))
    enabled = models.BooleanField(_("enabled"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("copy-cataloguing target")
        verbose_name_plural = _("copy-cataloguing targets")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
