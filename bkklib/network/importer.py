"""Import the division's own list of branches from CSV (``bkklib import_branches FILE.csv``).

Columns (header names in English or Thai; only ``name`` is required):
``code, name (ชื่อ), name_en, kind (ประเภท), district (เขต), address (ที่อยู่), lat (ละติจูด),
lng (ลองจิจูด), phone (โทรศัพท์), email (อีเมล), hours (เวลาเปิด), parent``.

- ``district``: a code 1001–1050 or a Thai/English district name. The BMA open-data list of
  learning libraries has only name, lat and lng: give ``--default-district`` for it (the report
  says which rows used it).
- ``kind``: a kind value (``public_library``...) or its Thai/English label; empty means the
  default kind (public library unless ``--default-kind``), said in the report.
- ``hours``: ``อ.-ส. 09:00-20:30; อา. 09:00-20:00`` (see ``rules.parse_hours``).

Each row is checked completely before anything is written, and written in its own savepoint:
a bad row never leaves half a branch (a branch without its hours). A row matching an existing
branch (same code, or same Thai name in the same district) updates it. Imported data is not
verified: the branches show as "never verified" until a librarian confirms them.
"""
import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from bkklib.core import stamps

from . import rules, services
from .exceptions import HOURS_SYNTAX_MESSAGES, INVALID_EMAIL, UNKNOWN_DISTRICT
from .forms import find_district
from .models import Branch, OpeningPeriod, phone_validator

COLUMNS = {
    "code": ("code", "รหัส", "branch_code"),
    "name": ("name", "name_th", "ชื่อ", "ชื่อห้องสมุด", "library", "library_name", "ชื่อสถานที่"),
    "name_en": ("name_en", "english_name", "ชื่อภาษาอังกฤษ"),
    "kind": ("kind", "type", "ประเภท"),
    "district": ("district", "district_code", "เขต", "รหัสเขต"),
    "address": ("address", "ที่อยู่"),
    "lat": ("lat", "latitude", "ละติจูด"),
    "lng": ("lng", "lon", "long", "longitude", "ลองจิจูด"),
    "phone": ("phone", "tel", "telephone", "โทรศัพท์"),
    "email": ("email", "e-mail", "อีเมล"),
    "hours": ("hours", "opening_hours", "เวลาเปิด", "เวลาทำการ", "เวลาเปิดทำการ"),
    "parent": ("parent", "parent_code", "ต้นสังกัด"),
}
# Model field → report column, so that model validation errors name the CSV column.
FIELD_COLUMN = {"name_th": "name", "name_en": "name_en", "kind": "kind", "district": "district",
                "address": "address", "latitude": "lat", "longitude": "lng", "phone": "phone", "email": "email",
                "code": "code", "parent": "parent"}

# Bangkok lies within these bounds; a point outside is probably a typo (reported, not refused).
BANGKOK_BOUNDS = ((Decimal("13.45"), Decimal("14.00")), (Decimal("100.30"), Decimal("100.95")))


@dataclass
class RowResult:
    """What happened to one data row (``row`` counts the header as row 1, like a spreadsheet)."""

    row: int
    name: str
    action: str = ""  # created, updated, unchanged, error
    code: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: str = ""
    dry_run: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


def _decode(data: bytes) -> str:
    """Return the text of a CSV export: UTF-8 (with or without BOM), else Thai Windows-874 (TIS-620)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp874")


def _header_map(header: list[str]) -> tuple[dict[str, int], list[str]]:
    wanted = {}
    unknown = []
    for index, raw in enumerate(header):
        key = re.sub(r"\s+", "_", raw.strip().lower())
        for column, aliases in COLUMNS.items():
            if key in aliases or raw.strip() in aliases:
                wanted.setdefault(column, index)
                break
        else:
            if raw.strip():
                unknown.append(raw.strip())
    return wanted, unknown


def _kind(value: str) -> str | None:
    text = value.strip().lower()
    for kind, label in Branch.Kind.choices:
        if text in (kind, str(label).lower()):
            return kind
    thai = {"ห้องสมุดประชาชน": Branch.Kind.PUBLIC_LIBRARY, "ห้องสมุดเพื่อการเรียนรู้": Branch.Kind.PUBLIC_LIBRARY,
            "ห้องสมุด": Branch.Kind.PUBLIC_LIBRARY, "หอสมุดเมือง": Branch.Kind.CITY_LIBRARY,
            "ศูนย์การเรียนรู้": Branch.Kind.LEARNING_CENTRE, "บ้านหนังสือ": Branch.Kind.READING_HOUSE,
            "บ้านหนังสือชุมชน": Branch.Kind.READING_HOUSE, "ห้องสมุดเคลื่อนที่": Branch.Kind.MOBILE_UNIT,
            "รถห้องสมุดเคลื่อนที่": Branch.Kind.MOBILE_UNIT, "พิพิธภัณฑ์": Branch.Kind.MUSEUM}
    return thai.get(value.strip())


def _next_code(district_code: str, taken: set[str]) -> str:
    n = 1
    while f"b{district_code}-{n:03d}" in taken:
        n += 1
    return f"b{district_code}-{n:03d}"


def import_branches(data: bytes, *, dry_run: bool = False, default_district: str | None = None,
                    default_kind: str = Branch.Kind.PUBLIC_LIBRARY, by=None) -> ImportReport:
    """Import branches from CSV bytes; return the per-row report. Nothing is written on ``dry_run``."""
    report = ImportReport(dry_run=dry_run)
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        report.fatal = _("The file is empty.")
        return report
    columns, unknown = _header_map(header)
    if unknown:
        report.notes.append(_("Columns ignored: {columns}.").format(columns=", ".join(unknown)))
    if "name" not in columns:
        report.fatal = _("The file has no name column (name or ชื่อ).")
        return report
    fallback = None
    if default_district:
        fallback = find_district(default_district)
        if fallback is None:
            report.fatal = str(UNKNOWN_DISTRICT).format(value=default_district)
            return report
    if "district" not in columns:
        if fallback is None:
            report.fatal = _("The file has no district column: give --default-district (a code or name) for all rows.")
            return report
        report.notes.append(_("The file has no district column: every branch is placed in district {district}; "
                              "correct each one afterwards.").format(district=fallback.name_th))
    if "kind" not in columns:
        report.notes.append(_("The file has no kind column: every branch is imported as “{kind}”.").format(
            kind=Branch.Kind(default_kind).label))
    with transaction.atomic():
        taken = set(Branch.objects.values_list("code", flat=True))
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            values = {col: (cells[i].strip() if i < len(cells) else "") for col, i in columns.items()}
            result = RowResult(row=number, name=values.get("name", ""))
            report.rows.append(result)
            if any(c.strip() for c in cells[len(header):]):
                # Usually a cell with a comma that is not quoted (hours "09:00-12:00, 13:00-17:00").
                result.errors.append(("", _("The row has {cells} cells but the header has {columns}: put cells "
                                            "that contain a comma in double quotes.").format(
                    cells=len(cells), columns=len(header))))
                result.action = "error"
                continue
            _import_row(values, result, fallback=fallback, default_kind=default_kind, taken=taken, by=by)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_row(values: dict, result: RowResult, *, fallback, default_kind, taken: set[str], by) -> None:
    errors = result.errors
    name = values.get("name", "")
    if not name:
        errors.append(("name", _("A name is required.")))
    district = None
    if values.get("district"):
        district = find_district(values["district"])
        if district is None:
            errors.append(("district", str(UNKNOWN_DISTRICT).format(value=values["district"])))
    elif fallback is not None:
        district = fallback
        if "district" in values:
            result.notes.append(_("no district given: placed in {district}").format(district=fallback.name_th))
    else:
        errors.append(("district", _("A district is required (or give --default-district).")))
    kind = default_kind
    if values.get("kind"):
        kind = _kind(values["kind"])
        if kind is None:
            errors.append(("kind", _("Unknown kind “{value}”: use one of {kinds}.").format(
                value=values["kind"], kinds=", ".join(Branch.Kind.values))))
    elif "kind" in values:
        result.notes.append(_("no kind given: imported as “{kind}”").format(kind=Branch.Kind(default_kind).label))
    lat = lng = None
    for column in ("lat", "lng"):
        raw = values.get(column, "").replace(",", ".")
        if not raw:
            continue
        try:
            number = Decimal(raw).quantize(Decimal("0.000001"))
        except InvalidOperation:
            errors.append((column, _("“{value}” is not a number of degrees, e.g. 13.756331.").format(value=raw)))
            continue
        limit = 90 if column == "lat" else 180
        if abs(number) > limit:
            errors.append((column, _("{value} is out of range (−{limit} to {limit}).").format(value=raw, limit=limit)))
        elif column == "lat":
            lat = number
        else:
            lng = number
    if (lat is None) != (lng is None) and not any(c in ("lat", "lng") for c, _r in errors):
        errors.append(("lng" if lng is None else "lat", _("Give both latitude and longitude, or neither.")))
    if lat is not None and lng is not None:
        (lat_lo, lat_hi), (lng_lo, lng_hi) = BANGKOK_BOUNDS
        if not (lat_lo <= lat <= lat_hi and lng_lo <= lng <= lng_hi):
            result.notes.append(_("the point {lat}, {lng} is outside Bangkok: check it").format(lat=lat, lng=lng))
    if values.get("phone"):
        try:
            phone_validator(values["phone"])
        except ValidationError as error:
            errors.append(("phone", " ".join(str(m) for m in error.messages)))
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(("email", str(INVALID_EMAIL)))
    periods = None
    if values.get("hours"):
        try:
            periods = rules.parse_hours(values["hours"])
        except rules.HoursSyntaxError as error:
            errors.append(("hours", str(HOURS_SYNTAX_MESSAGES[error.code]).format(part=error.part)))
        else:
            for problem in rules.hours_problems(periods):
                errors.append(("hours", services.hours_problem_text(problem, periods)))
    parent = None
    if values.get("parent"):
        parent = Branch.objects.filter(code=values["parent"]).first() or Branch.objects.filter(
            name_th=values["parent"]).first()
        if parent is None:
            errors.append(("parent", _("No branch “{value}” to attach this one to.").format(value=values["parent"])))
    code = values.get("code", "")
    if code:
        try:
            validate_slug(code)
        except ValidationError:
            errors.append(("code", _("A code has only letters, digits, hyphens and underscores.")))
    if errors:
        result.action = "error"
        return

    existing = None
    if code:
        existing = Branch.objects.filter(code=code).first()
    if existing is None:
        existing = Branch.objects.filter(name_th=name, district=district).first()
    branch = existing or Branch(code=code or _next_code(district.code, taken))
    branch.name_th, branch.district, branch.kind = name, district, kind
    for column, attribute in (("name_en", "name_en"), ("address", "address"), ("phone", "phone"),
                              ("email", "email")):
        if values.get(column):
            setattr(branch, attribute, values[column])
    if lat is not None:
        branch.latitude, branch.longitude = lat, lng
    if parent is not None:
        branch.parent = parent
    if existing is not None:
        branch.changed_since_verified = True
    try:
        branch.full_clean()
    except ValidationError as error:
        for name_, messages_ in error.message_dict.items():
            for message in messages_:
                errors.append((FIELD_COLUMN.get(name_, name_), message))
        result.action = "error"
        return
    # One savepoint per row: the branch and its hours are written together or not at all.
    with transaction.atomic():
        if by is not None:
            branch._history_user = by
        branch.save()
        if periods is not None:
            OpeningPeriod.objects.filter(branch=branch).delete()
            OpeningPeriod.objects.bulk_create([
                OpeningPeriod(branch=branch, weekday=p.weekday, opens_at=p.opens_at, closes_at=p.closes_at)
                for p in periods
            ])
            stamps.bump("calendar")  # bulk-created hours send no signals (bkklib.core.stamps)
    taken.add(branch.code)
    result.code = branch.code
    result.action = "updated" if existing is not None else "created"
