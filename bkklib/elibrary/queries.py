"""The read side of the e-library: look-ups, availability in bulk, feeds' lists, staff lists, statistics."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from bkklib.search import index

from . import rules
from .exceptions import TitleNotFound
from .models import Campaign, Collection, EHold, ELoan, Licence, ReadingPosition, Title, TitleSubject

PAGE_SIZE = 50


def title_by_id(title_id) -> Title:
    try:
        return Title.objects.lendable().select_related("record").get(pk=int(title_id))
    except (Title.DoesNotExist, TypeError, ValueError):
        raise TitleNotFound()


def title_by_sha(sha256: str) -> Title:
    found = Title.objects.lendable().filter(sha256=sha256).first()
    if found is None:
        raise TitleNotFound()
    return found


def availability_of(title_ids, *, today: date) -> dict[int, rules.Availability]:
    """Return each title's availability in two queries (licences with their running loans, ready holds)."""
    title_ids = list(title_ids)
    if not title_ids:
        return {}
    running = ELoan.objects.filter(licence_id=OuterRef("pk"), returned_at__isnull=True).order_by().values(
        "licence_id").annotate(n=Count("pk")).values("n")
    licences = list(Licence.objects.filter(title_id__in=title_ids).order_by().annotate(
        active=Coalesce(Subquery(running), 0)).values(
        "pk", "title_id", "kind", "copies", "loans_total", "loans_used", "starts_on", "expires_on", "active"))
    active = {lic["pk"]: lic["active"] for lic in licences}
    ready = dict(EHold.objects.filter(title_id__in=title_ids, status=EHold.Status.READY)
                 .values_list("title_id").annotate(n=Count("pk")).order_by())
    terms: dict[int, list[rules.Terms]] = defaultdict(list)
    for lic in licences:
        terms[lic["title_id"]].append(rules.Terms(
            id=lic["pk"], kind=lic["kind"], copies=lic["copies"], loans_total=lic["loans_total"],
            loans_used=lic["loans_used"], starts_on=lic["starts_on"], expires_on=lic["expires_on"],
            active_loans=active.get(lic["pk"], 0)))
    return {tid: rules.availability(terms.get(tid, []), today=today, ready_holds=ready.get(tid, 0)) for tid in title_ids}


def new_titles() -> QuerySet[Title]:
    return Title.objects.lendable().order_by("-created_at", "-id")


def popular_titles() -> QuerySet[Title]:
    return Title.objects.lendable().order_by("-loans_count", "-id")


def titles_by_subject(subject: str) -> QuerySet[Title]:
    return new_titles().filter(pk__in=TitleSubject.objects.filter(name=subject).values("title_id"))


def subject_rows(subject: str) -> QuerySet:
    """The title ids of a subject, newest first, read from the (name, title) index alone (feeds page over these)."""
    return TitleSubject.objects.filter(name=subject).order_by("-title_id").values_list("title_id", flat=True)


def titles_in_order(ids) -> list[Title]:
    ids = list(ids)
    found = {t.pk: t for t in Title.objects.lendable().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def search_titles(q: str, *, limit: int = 500) -> list[Title]:
    """Titles whose record matches ``q`` in the catalog's search index, best first."""
    q = (q or "").strip()
    if not q:
        return []
    result = index.search(q, page_size=limit)
    ranks = {hit.id: n for n, hit in enumerate(result.hits)}
    titles = list(Title.objects.lendable().filter(record_id__in=ranks))
    return sorted(titles, key=lambda t: (ranks[t.record_id], t.pk))


def subjects(limit: int = 40) -> list[tuple[str, int]]:
    """The most common subjects of the e-library's titles, with counts."""
    rows = TitleSubject.objects.values_list("name").annotate(n=Count("pk")).order_by("-n", "name")[:limit]
    return [(name, n) for name, n in rows]


def collections(featured_only: bool = False) -> QuerySet[Collection]:
    qs = Collection.objects.annotate(n=Count("titles"))
    return qs.featured() if featured_only else qs


def collection_by_slug(slug: str) -> Collection:
    found = Collection.objects.filter(slug=slug).first()
    if found is None:
        raise TitleNotFound()
    return found


def running_campaigns(today: date, *, featured_only: bool = False) -> QuerySet[Campaign]:
    qs = Campaign.objects.running(today).select_related("collection")
    return qs.filter(featured=True) if featured_only else qs


# --- Patron ---------------------------------------------------------------------------------------------


def loans_of(patron) -> QuerySet[ELoan]:
    return ELoan.objects.active().filter(patron=patron).select_related("title").order_by("ends_at")


def holds_of(patron) -> list[EHold]:
    holds = list(EHold.objects.active().filter(patron=patron).select_related("title"))
    for hold in holds:
        hold.rank = 0 if hold.status == EHold.Status.READY else EHold.objects.filter(
            title_id=hold.title_id, status=EHold.Status.WAITING).filter(
            Q(placed_at__lt=hold.placed_at) | Q(placed_at=hold.placed_at, pk__lte=hold.pk)).count()
    return holds


def loan_of(patron, title) -> ELoan | None:
    return ELoan.objects.active().filter(patron=patron, title=title).first()


def position_of(patron, title) -> ReadingPosition | None:
    return ReadingPosition.objects.filter(patron=patron, title=title).first()


# --- Staff ----------------------------------------------------------------------------------------------


def licences_needing_attention(*, today: date) -> list[Licence]:
    """Licences ending within 30 days or with at most 10 % of their loans left (in force today)."""
    candidates = Licence.objects.in_force(today).exclude(kind=Licence.Kind.OPEN).filter(
        Q(expires_on__lte=date.fromordinal(today.toordinal() + rules.ATTENTION_DAYS)) | Q(loans_total__isnull=False)
    ).select_related("title").order_by("expires_on", "pk")
    found = []
    for lic in candidates:
        term = rules.Terms(id=lic.pk, kind=lic.kind, copies=lic.copies, loans_total=lic.loans_total,
                           loans_used=lic.loans_used, starts_on=lic.starts_on, expires_on=lic.expires_on)
        if rules.needs_attention(term, today=today):
            found.append(lic)
    return found


def count_licences_needing_attention(*, user=None, branch=None, today: date | None = None) -> int:
    """The staff home's to-do: e-book licences belong to the whole network, so every desk sees the same count."""
    return len(licences_needing_attention(today=today or timezone.localdate()))


def count_ready_holds() -> int:
    return EHold.objects.filter(status=EHold.Status.READY).count()


@dataclass
class TitleMonth:
    title_id: int
    title: str
    month: str  # YYYY-MM
    loans: int = 0
    readers: int = 0
    turnaways: int = 0
    holds_waiting: int = 0
