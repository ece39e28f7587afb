"""The verbs of facilities: buildings, UD audits (answer with a photo, complete, raise works from gaps),
improvement works through their states, planting sites, plantings and survival checks.

Every verb is one transaction with audit (core.history) and the branch checked (network.access).
Photos go through core.images.prepare_photo (refuses non-images, shrinks, strips EXIF, returns the
location); a photo file written before a refusal or a database error is deleted again, so no answer
ever points to a missing file and no file is left behind by a refused answer.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bkklib.core.calendar import thai_date
from bkklib.core.history import audit
from bkklib.core.images import prepare_photo
from bkklib.network import access, geo
from bkklib.network.models import Branch

from . import rules
from .exceptions import (
    AuditClosed,
    AuditIncomplete,
    BadInput,
    ItemNotInChecklist,
    NoChecklist,
    NoGapChosen,
    NotAGap,
    NothingPlanted,
    PlantingRefused,
    SurvivalRefused,
    WorkTransitionRefused,
)
from .models import (
    Audit,
    AuditAnswer,
    Building,
    Checklist,
    ChecklistItem,
    Floor,
    Planting,
    Room,
    Species,
    SurvivalCheck,
    TreeSite,
    Work,
    WorkDocument,
    WorkPhoto,
)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


class _Files:
    """Files written during a verb: deleted if the verb fails, so nothing is stored half."""

    def __init__(self):
        self.written = []

    def save(self, field_file, content) -> None:
        field_file.save(content.name, content, save=False)
        self.written.append((field_file.storage, field_file.name))

    def discard(self) -> None:
        for storage, name in self.written:
            storage.delete(name)


def _with_files(verb):
    """Run ``verb(files, ...)`` in one transaction; on any error delete the files it wrote, then re-raise."""
    def wrapper(*args, **kwargs):
        files = _Files()
        try:
            with transaction.atomic():
                return verb(files, *args, **kwargs)
        except BaseException:
            files.discard()
            raise
    wrapper.__doc__, wrapper.__name__ = verb.__doc__, verb.__name__
    return wrapper


def _drop_later(field_file) -> None:
    """Delete a replaced file once the transaction that replaced it commits."""
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


# --- Buildings -----------------------------------------------------------------------------------

@transaction.atomic
def save_building(*, building: Building, by) -> Building:
    """Create or update a building (its branch checked)."""
    perm = "facilities.change_building" if building.pk else "facilities.add_building"
    access.require(by, perm, at=building.branch)
    audit(building, by, "building edited" if building.pk else "building added")
    building.full_clean()
    building.save()
    return building


@transaction.atomic
def add_floor(*, building: Building, level: int, name_th: str = "", area_m2: Decimal | None = None, by) -> Floor:
    access.require(by, "facilities.change_building", at=building.branch)
    floor = Floor(building=building, level=level, name_th=name_th, area_m2=area_m2)
    floor.full_clean()
    audit(floor, by, "floor added")
    floor.save()
    return floor


@transaction.atomic
def add_room(*, floor: Floor, name_th: str, area_m2: Decimal | None = None, space=None, by) -> Room:
    """Add a room to a floor; ``space`` (spaces.Space) links it to the booking system and must be the branch's."""
    branch = floor.building.branch
    access.require(by, "facilities.change_building", at=branch)
    if space is not None and space.branch_id != branch.pk:
        raise BadInput(_("The space {space} belongs to another branch."), code="space_elsewhere",
                                 space=space.name_th)
    room = Room(floor=floor, name_th=name_th, area_m2=area_m2, space=space)
    room.full_clean()
    audit(room, by, "room added")
    room.save()
    return room


# --- Audits --------------------------------------------------------------------------------------

@transaction.atomic
def start_audit(*, building: Building, by, on: date | None = None, checklist: Checklist | None = None) -> Audit:
    """Start a UD audit of ``building`` against the newest checklist; it is compared with the last completed one."""
    access.require(by, "facilities.add_audit", at=building.branch)
    checklist = checklist or Checklist.objects.order_by("-loaded_at", "-pk").first()
    if checklist is None:
        raise NoChecklist()
    previous = building.audits.filter(status=Audit.Status.COMPLETED).order_by("-audited_on", "-pk").first()
    new = Audit(building=building, branch=building.branch, checklist=checklist, previous=previous,
                audited_on=on or timezone.localdate(), auditor=by)
    audit(new, by, "audit started")
    new.save()
    return new


@_with_files
def answer_item(files, *, audit_row: Audit, item: ChecklistItem, result: str, by, measured_value=None,
                note: str = "", photo=None, remove_photo: bool = False, now: datetime | None = None) -> AuditAnswer:
    """Record (or change) the answer to one item of a draft audit, with an optional photo upload.

    The photo is checked and prepared first (a non-image is refused with a Thai message naming the
    file, before anything is written); its EXIF location and time are kept on the answer.
    """
    now = now or timezone.now()
    prepared = prepare_photo(photo) if photo else None
    audit_row = Audit.objects.select_for_update().select_related("branch").get(pk=audit_row.pk)
    access.require(by, "facilities.add_audit", at=audit_row.branch)
    if audit_row.status != Audit.Status.DRAFT:
        raise AuditClosed()
    if item.checklist_id != audit_row.checklist_id:
        raise ItemNotInChecklist()
    if result not in AuditAnswer.Result.values:
        raise BadInput(_("Choose compliant, not compliant or not applicable."), code="bad_result")
    answer = AuditAnswer.objects.filter(audit=audit_row, item=item).first() or AuditAnswer(audit=audit_row,
                                                                                           item=item)
    answer.result, answer.note = result, (note or "").strip()
    answer.measured_value = measured_value if measured_value not in ("",) else None
    answer.answered_at, answer.answered_by = now, by
    if prepared is not None or remove_photo:
        _drop_later(answer.photo)
        answer.photo = ""
        answer.photo_latitude = answer.photo_longitude = answer.photo_taken_at = None
    if prepared is not None:
        files.save(answer.photo, prepared.content)
        answer.photo_latitude, answer.photo_longitude = prepared.latitude, prepared.longitude
        answer.photo_taken_at = _aware(prepared.taken_at)
    audit(answer, by, "answered")
    answer.save()
    return answer


@transaction.atomic
def complete_audit(*, audit_row: Audit, by, now: datetime | None = None) -> Audit:
    """Close a draft audit once every item is answered; its scores and gaps are then fixed."""
    audit_row = Audit.objects.select_for_update().select_related("branch").get(pk=audit_row.pk)
    access.require(by, "facilities.add_audit", at=audit_row.branch)
    if audit_row.status != Audit.Status.DRAFT:
        raise AuditClosed()
    answered = set(audit_row.answers.values_list("item_id", flat=True))
    missing = [i.topic_th for i in audit_row.checklist.items.all() if i.pk not in answered]
    if missing:
        raise AuditIncomplete(missing=", ".join(missing))
    audit_row.status, audit_row.completed_at = Audit.Status.COMPLETED, now or timezone.now()
    audit(audit_row, by, "audit completed")
    audit_row.save()
    return audit_row


# --- Works ---------------------------------------------------------------------------------------

@transaction.atomic
def propose_work(*, branch: Branch, title: str, by, building: Building | None = None, description: str = "",
                 gaps=(), now: datetime | None = None) -> Work:
    """Propose an improvement work, optionally closing UD gaps (answers "not compliant" of completed audits)."""
    access.require(by, "facilities.add_work", at=branch)
    gaps = list(AuditAnswer.objects.filter(pk__in=[g.pk for g in gaps]).select_related("audit", "item"))
    bad = [g for g in gaps if g.result != AuditAnswer.Result.NOT_COMPLIANT or g.audit.status != Audit.Status.COMPLETED
           or g.audit.branch_id != branch.pk]
    if bad:
        raise NotAGap(items=", ".join(g.item.topic_th for g in bad))
    work = Work(branch=branch, building=building, title=title.strip(), description=(description or "").strip(),
                created_by=by)
    work.full_clean(exclude=["gaps"])
    audit(work, by, "work proposed")
    work.save()
    if gaps:
        work.gaps.set(gaps)
    return work


@transaction.atomic
def raise_work_from_gaps(*, audit_row: Audit, answers, by, title: str = "", description: str = "") -> Work:
    """Turn gaps chosen from a completed audit into one proposed work for the audited building."""
    answers = list(answers)
    if not answers:
        raise NoGapChosen()
    if any(a.audit_id != audit_row.pk for a in answers):
        raise NotAGap(items=", ".join(a.item.topic_th for a in answers if a.audit_id != audit_row.pk))
    topics = ", ".join(a.item.topic_th for a in answers)
    title = (title or "").strip() or _("Universal Design: {topics}").format(topics=topics)[:200]
    if not description:
        description = "\n".join(f"- {a.item.topic_th}: {a.note}" if a.note else f"- {a.item.topic_th}"
                                for a in answers)
    return propose_work(branch=audit_row.branch, building=audit_row.building, title=title, by=by,
                        description=description, gaps=answers)


TRANSITION_PERMS = {
    "approved": "facilities.approve_work", "budgeted": "facilities.approve_work",
    "cancelled": "facilities.approve_work", "procured": "facilities.change_work",
    "in_progress": "facilities.change_work", "completed": "facilities.change_work",
    "inspected": "facilities.inspect_work",
}


@transaction.atomic
def advance_work(*, work: Work, to: str, by, today: date | None = None, fiscal_year: int | None = None,
                 budget: Decimal | None = None, contractor: str = "", contract_no: str = "",
                 starts_on: date | None = None, completed_on: date | None = None,
                 inspected_on: date | None = None) -> Work:
    """Move a work to its next state (or cancel it), with what that state needs (rules.NEEDS)."""
    today = today or timezone.localdate()
    work = Work.objects.select_for_update().select_related("branch").get(pk=work.pk)
    access.require(by, TRANSITION_PERMS.get(to, "facilities.change_work"), at=work.branch)
    values = {"fiscal_year": fiscal_year, "budget": budget, "contractor": (contractor or "").strip(),
              "starts_on": starts_on, "completed_on": completed_on, "inspected_on": inspected_on}
    reason = rules.transition_refusal(work.status, to, values, starts_on=work.starts_on,
                                      completed_on=work.completed_on, today=today)
    if reason:
        labels = dict(Work.Status.choices)
        needs = ", ".join(str(Work._meta.get_field(n).verbose_name) for n in rules.NEEDS.get(to, ()))
        raise WorkTransitionRefused(reason, status=labels.get(work.status, work.status), to=labels.get(to, to),
                                    needs=needs, starts=thai_date(work.starts_on) if work.starts_on else "",
                                    completed=thai_date(work.completed_on) if work.completed_on else "")
    for name in rules.NEEDS.get(to, ()):
        setattr(work, name, values[name])
    if to == "procured" and contract_no:
        work.contract_no = contract_no.strip()
    work.status = to
    work.full_clean(exclude=["gaps"])
    audit(work, by, f"work {to}")
    work.save()
    return work


@_with_files
def add_work_photo(files, *, work: Work, stage: str, photo, by, caption: str = "",
                   now: datetime | None = None) -> WorkPhoto:
    prepared = prepare_photo(photo)
    access.require(by, "facilities.change_work", at=work.branch)
    row = WorkPhoto(work=work, stage=stage, caption=(caption or "").strip(), latitude=prepared.latitude,
                    longitude=prepared.longitude, taken_at=_aware(prepared.taken_at), added_at=now or timezone.now())
    files.save(row.photo, prepared.content)
    row.full_clean()
    row.save()
    return row


DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".xlsx", ".docx", ".odt", ".ods")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@_with_files
def add_work_document(files, *, work: Work, title: str, upload, by, now: datetime | None = None) -> WorkDocument:
    """Attach a document (contract, bill of quantities, inspection report) to a work."""
    access.require(by, "facilities.change_work", at=work.branch)
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(DOCUMENT_TYPES):
        raise BadInput(_("{name}: attach a PDF, image, XLSX, DOCX, ODT or ODS file."), code="document_type",
                              name=name)
    if (upload.size or 0) > MAX_DOCUMENT_BYTES or not upload.size:
        raise BadInput(_("{name}: a document may be at most 20 MB and not empty."), code="document_size",
                              name=name)
    row = WorkDocument(work=work, title=(title or name).strip()[:200], added_at=now or timezone.now())
    files.save(row.file, upload)
    row.save()
    return row


# --- Trees ---------------------------------------------------------------------------------------

def district_for(latitude, longitude, branch: Branch) -> str:
    """The district (code) the coordinates fall in, from the shipped boundaries; the branch's otherwise."""
    return geo.district_of(float(latitude), float(longitude)) or branch.district.code


@transaction.atomic
def save_site(*, site: TreeSite, by) -> TreeSite:
    """Create or update a planting site; its district comes from its coordinates."""
    access.require(by, "facilities.change_treesite" if site.pk else "facilities.add_treesite", at=site.branch)
    site.district_code = district_for(site.latitude, site.longitude, site.branch)
    site.full_clean()
    audit(site, by, "site edited" if site.pk else "site surveyed")
    site.save()
    return site


@transaction.atomic
def plan_planting(*, site: TreeSite, species: Species, planned: int, by) -> Planting:
    access.require(by, "facilities.change_treesite", at=site.branch)
    planting = Planting(site=site, species=species, planned=planned)
    planting.full_clean()
    audit(planting, by, "planned")
    planting.save()
    return planting


@transaction.atomic
def record_planting(*, planting: Planting, planted: int, planted_on: date, by, today: date | None = None) -> Planting:
    planting = Planting.objects.select_for_update().select_related("site__branch").get(pk=planting.pk)
    access.require(by, "facilities.change_treesite", at=planting.site.branch)
    if planted is None or planted < 1 or planted_on is None or planted_on > (today or timezone.localdate()):
        raise PlantingRefused()
    planting.planted, planting.planted_on = planted, planted_on
    audit(planting, by, "planted")
    planting.save()
    return planting


@transaction.atomic
def check_survival(*, planting: Planting, checked_on: date, alive: int, by, note: str = "") -> SurvivalCheck:
    planting = Planting.objects.select_for_update().select_related("site__branch").get(pk=planting.pk)
    access.require(by, "facilities.change_treesite", at=planting.site.branch)
    if not planting.planted:
        raise NothingPlanted()
    if alive is None or alive < 0 or alive > planting.planted:
        raise SurvivalRefused(alive=alive, planted=planting.planted)
    if checked_on < planting.planted_on:
        raise BadInput(_("A survival check cannot be before the planting ({day})."), code="check_too_early",
                              day=thai_date(planting.planted_on))
    row, _created = SurvivalCheck.objects.update_or_create(planting=planting, checked_on=checked_on,
                                                           defaults={"alive": alive, "note": note[:200]})
    return row
