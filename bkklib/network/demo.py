"""Demo network for ``bkklib seed_demo``: a deterministic, synthetic library network.

Everything here is labelled demo data (``(ข้อมูลสาธิต)`` in names, ``is_demo=True``). The only
real facts used are public ones (docs/architecture.md, Domain facts): the Bangkok City Library (หอสมุดเมืองกรุงเทพมหานคร,
Phra Nakhon) and its hours from 1 Sep 2565 (Tue–Sat 09.00–20.30, Sun 09.00–20.00, closed
Mondays and public holidays), the division's name and its three groups, the counts of the
network (36 libraries, 117 reading houses, 4 mobile units in service). Every other name,
address, phone number, coordinate, hour and person is invented and says so.

Idempotent: a second run adds nothing (the demo branches are recognised by their codes).
Dates that must be "now" for the demo to show something (stale data, the understaffed week)
are relative to the day of the first run.
"""
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bkklib.core import notifications, roles, stamps

from . import services, tasks
from .models import (
    Assignment,
    Branch,
    District,
    OpeningPeriod,
    OrgUnit,
    OrgVersion,
    Position,
    Service,
    StaffingLevel,
    StaffMember,
    UnitBranch,
)

LABEL = "(ข้อมูลสาธิต)"
LABEL_EN = "(demo)"
SEED = 2565
CITY_LIBRARY = "demo-city"
OFFICE = "demo-office"

# The demo log-ins, printed by ``bkklib demo_logins`` (documented in docs/admin/README.md).
LOGINS = [
    {"username": "admin", "password": "demo-admin-2568", "role": roles.NETWORK_ADMIN,
     "what": "network admin of every branch, Django admin (superuser)"},
    {"username": "librarian", "password": "demo-librarian-2568", "role": roles.BRANCH_LIBRARIAN,
     "what": "branch librarian of the Bangkok City Library (demo)"},
    {"username": "staff", "password": "demo-staff-2568", "role": roles.BRANCH_STAFF,
     "what": "branch staff at the Bangkok City Library (demo)"},
    {"username": "rhlibrarian", "password": "demo-readinghouse-2568", "role": roles.BRANCH_LIBRARIAN,
     "what": "branch librarian of a reading house and its parent library (demo)"},
    {"username": "executive", "password": "demo-executive-2568", "role": roles.EXECUTIVE_VIEWER,
     "what": "executive viewer (read-only)"},
]

FIRST_NAMES = ["สมชาย", "สมศรี", "วิไลวรรณ", "ประเสริฐ", "สุนทร", "มาลี", "กมล", "ธนพร", "ณัฐวุฒิ", "ปิยะนุช",
               "ศิริพร", "อรุณี", "จันทร์เพ็ญ", "ชัยวัฒน์", "พรทิพย์", "สุดารัตน์", "กิตติพงษ์", "วรรณา", "อนุชา",
               "ปราณี", "ธีรวัฒน์", "นงลักษณ์", "เกศินี", "วีระ", "สมพร"]
LAST_NAMES = ["ใจดี", "รักเรียน", "บุญมา", "ศรีสุข", "แสงทอง", "มั่นคง", "วงศ์ไทย", "ทองดี", "สายสุวรรณ", "พึ่งบุญ",
              "อ่านมาก", "ปัญญาดี", "สมบูรณ์", "เรืองศรี", "ชื่นใจ"]

# Synthetic weekly hours (except the City Library's, which are the real ones).
CITY_HOURS = "อ.-ส. 09:00-20:30; อา. 09:00-20:00"
LIBRARY_HOURS = ["อ.-อา. 08:30-16:30", "อ.-ส. 09:00-18:00; อา. 09:00-17:00", "อ.-อา. 09:00-17:00"]
READING_HOUSE_HOURS = ["จ.-ศ. 09:00-12:00, 13:00-17:00", "อ.-ส. 10:00-18:00", "จ.-ส. 09:00-16:00"]
MOBILE_HOURS = "จ.-ศ. 09:00-15:00"


def _periods(text: str):
    from . import rules

    return rules.parse_hours(text)


def run(stdout=None, scale: float = 1.0) -> None:
    """Create the demo network unless it exists; always make sure the demo log-ins work."""
    write = stdout.write if stdout else (lambda *_a, **_k: None)
    roles.sync_roles()
    services.load_holidays()
    _ensure_templates()
    if Branch.objects.filter(code=CITY_LIBRARY).exists():
        write("  network demo already present")
    else:
        with transaction.atomic():
            counts = _build(today=timezone.localdate())
            stamps.bump("access")  # bulk-created rows send no signals (bkklib.core.stamps)
            stamps.bump("calendar")
        write("  " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    _ensure_logins()


def _ensure_templates() -> None:
    tasks.ensure_reminder_template()
    notifications.ensure_template(
        "network.secondment", subject_th="คำสั่งช่วยราชการชั่วคราว: {{ branch }}",
        body_th="เรียน {{ name }}\n\nท่านได้รับมอบหมายให้ไปช่วยปฏิบัติงานที่ {{ branch }} ตั้งแต่ {{ starts_on }} ถึง {{ ends_on }}",
        subject_en="Temporary secondment: {{ branch }}",
        body_en="Dear {{ name }},\n\nYou are seconded to {{ branch }} from {{ starts_on }} to {{ ends_on }}.",
        description="Sent to a staff member when a secondment is accepted.",
    )


def _coord(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.6f}")


def _build(today: date) -> dict:
    rng = random.Random(SEED)
    now = timezone.now()
    districts = list(District.objects.order_by("code"))
    service_by_code = {s.code: s for s in Service.objects.all()}
    all_services = sorted(service_by_code)
    branches: list[Branch] = []
    hours: dict[str, str] = {}
    offered: dict[str, list[str]] = {}

    def add(code, name_th, name_en, kind, district, text, parent=None, **extra):
        branch = Branch(
            code=code, name_th=f"{name_th} {LABEL}", name_en=f"{name_en} {LABEL_EN}", kind=kind, district=district,
            parent=parent, address=f"ที่อยู่สาธิต เขต{district.name_th} กรุงเทพมหานคร {district.postal_code}",
            latitude=_coord(rng, 13.60, 13.90), longitude=_coord(rng, 100.40, 100.85),
            phone=f"02 000 {len(branches):04d}", email=f"{code}@demo.bkklib.invalid", is_demo=True,
            verified_at=now - timedelta(days=(len(branches) * 7) % 80), **extra,
        )
        branches.append(branch)
        hours[code] = text
        return branch

    # The division office (synthetic address), the Bangkok City Library (real name and hours).
    office = add(OFFICE, "สำนักงานส่วนห้องสมุดและการเรียนรู้", "Library and Learning Division office",
                 Branch.Kind.OFFICE, districts[0], "จ.-ศ. 08:30-16:30")
    offered[OFFICE] = []
    city = add(CITY_LIBRARY, "หอสมุดเมืองกรุงเทพมหานคร", "Bangkok City Library", Branch.Kind.CITY_LIBRARY,
               districts[0], CITY_HOURS)
    offered[CITY_LIBRARY] = [c for c in all_services if c != "parking"]
    # 35 more libraries, one per district, spread over the districts other than Phra Nakhon.
    others = districts[1:]
    library_districts = [others[round(i * (len(others) - 1) / 34)] for i in range(35)]
    libraries = [city]
    for n, district in enumerate(library_districts, start=1):
        lib = add(f"demo-lib-{n:02d}", f"ห้องสมุดเพื่อการเรียนรู้เขต{district.name_th}",
                  f"{district.name_en} Learning Library", Branch.Kind.PUBLIC_LIBRARY, district,
                  LIBRARY_HOURS[n % len(LIBRARY_HOURS)])
        picked = {"internet", "children", "periodicals", "reading-activities", "e-library"}
        picked |= set(rng.sample(all_services, 3))
        if n <= 11:  # the policy's "co-working in 12 libraries first": the City Library and 11 more
            picked.add("co-working")
        else:
            picked.discard("co-working")
        offered[lib.code] = sorted(picked)
        libraries.append(lib)
    library_of_district = {lib.district_id: lib for lib in libraries}
    # 117 reading houses over all 50 districts, each under the nearest library (by district order).
    reading_houses = []
    for n in range(1, 118):
        district = districts[(n - 1) % len(districts)]
        parent = library_of_district.get(district.pk)
        if parent is None:
            index = districts.index(district)
            parent = min(libraries, key=lambda lib: (abs(districts.index(lib.district) - index), lib.code))
        house = add(f"demo-rh-{n:03d}", f"บ้านหนังสือ{district.name_th} {1 + (n - 1) // len(districts)}",
                    f"{district.name_en} Reading House {1 + (n - 1) // len(districts)}",
                    Branch.Kind.READING_HOUSE, district, READING_HOUSE_HOURS[n % len(READING_HOUSE_HOURS)],
                    parent=parent)
        offered[house.code] = ["periodicals", "internet", "reading-activities"] + (["children"] if n % 2 else [])
        reading_houses.append(house)
    mobiles = []
    for n in range(1, 5):
        unit = add(f"demo-mobile-{n}", f"รถห้องสมุดเคลื่อนที่ คันที่ {n}", f"Mobile library unit {n}",
                   Branch.Kind.MOBILE_UNIT, districts[(n * 11) % len(districts)], MOBILE_HOURS, parent=office)
        offered[unit.code] = ["reading-activities", "children"]
        mobiles.append(unit)

    # A few stale branches for the freshness page: never verified, verified long ago, edited since.
    for branch in reading_houses[:3]:
        branch.verified_at = None
    for branch in libraries[5:8]:
        branch.verified_at = now - timedelta(days=120)
    for branch in reading_houses[10:12]:
        branch.changed_since_verified = True
    libraries[-1].status = Branch.Status.UNDER_RENOVATION

    # Parents first: a reading house points at its library, a mobile unit at the office.
    bulk_create_with_history([b for b in branches if b.parent is None], Branch, batch_size=500)
    first = {b.code: b for b in Branch.objects.filter(code__in=[b.code for b in branches])}
    children = [b for b in branches if b.parent is not None]
    for branch in children:
        branch.parent = first[branch.parent.code]
    bulk_create_with_history(children, Branch, batch_size=500)
    saved = {b.code: b for b in Branch.objects.filter(code__in=[b.code for b in branches]).select_related(
        "district", "parent__district")}
    Through = Branch.services.through
    Through.objects.bulk_create([
        Through(branch_id=saved[code].pk, service_id=service_by_code[s].pk)
        for code, codes in offered.items() for s in codes
    ])
    periods = []
    for code, text in hours.items():
        periods += [OpeningPeriod(branch=saved[code], weekday=p.weekday, opens_at=p.opens_at, closes_at=p.closes_at)
                    for p in _periods(text)]
    OpeningPeriod.objects.bulk_create(periods)

    # Minimum staff per open day.
    levels = []
    for code, text in hours.items():
        branch = saved[code]
        need = {Branch.Kind.CITY_LIBRARY: 8, Branch.Kind.PUBLIC_LIBRARY: 3, Branch.Kind.READING_HOUSE: 1,
                Branch.Kind.MOBILE_UNIT: 1, Branch.Kind.OFFICE: 6}.get(branch.kind)
        if need:
            levels += [StaffingLevel(branch=branch, weekday=d, minimum_staff=need)
                       for d in sorted({p.weekday for p in _periods(text)})]
    StaffingLevel.objects.bulk_create(levels)

    # Closures: a renovation next month at one library, a half-day event week at another.
    services.add_closure(branch=saved["demo-lib-03"], starts_on=today + timedelta(days=30),
                         ends_on=today + timedelta(days=44), reason_th=f"ปรับปรุงอาคาร {LABEL}",
                         reason_en=f"Building works {LABEL_EN}")
    services.add_closure(branch=saved["demo-rh-005"], starts_on=today + timedelta(days=10),
                         ends_on=today + timedelta(days=10), reason_th=f"กิจกรรมชุมชน {LABEL}",
                         reason_en=f"Community event {LABEL_EN}")

    staff_count, posts = _build_staff(rng, saved, today)
    _build_structure(saved, posts, today)
    return {"branches": len(branches), "libraries": len(libraries), "reading houses": len(reading_houses),
            "mobile units": len(mobiles), "staff": staff_count}


def _build_staff(rng: random.Random, saved: dict, today: date):
    """Create ~300 staff with users and primary posts, and the understaffed week."""
    User = get_user_model()
    plan: list[tuple[str, int]] = [(OFFICE, 10), (CITY_LIBRARY, 12)]
    for code, branch in saved.items():
        if branch.kind == Branch.Kind.PUBLIC_LIBRARY:
            plan.append((code, 5))
        elif branch.kind == Branch.Kind.READING_HOUSE:
            plan.append((code, 1))
        elif branch.kind == Branch.Kind.MOBILE_UNIT:
            plan.append((code, 2))
    plan.sort()
    users, members, posts = [], [], []
    n = 0
    for code, count in plan:
        for _i in range(count):
            n += 1
            first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7) % len(LAST_NAMES)]
            user = User(username=f"demo.staff{n:04d}", first_name=first, last_name=last,
                        email=f"staff{n:04d}@demo.bkklib.invalid")
            user.set_unusable_password()
            users.append(user)
            members.append(StaffMember(
                employee_code=f"DEMO-{n:04d}", first_name_th=first, last_name_th=last,
                work_email=user.email, work_phone=f"02 000 {n:04d}",
                birth_date=date(1965 + n % 35, 1 + n % 12, 1 + n % 28),
                home_address=f"ที่อยู่สาธิต {n} {LABEL}", is_demo=True,
            ))
            posts.append(code)
    User.objects.bulk_create(users, batch_size=500)
    user_ids = dict(User.objects.filter(username__startswith="demo.staff").values_list("username", "pk"))
    for user, member in zip(users, members, strict=True):
        member.user_id = user_ids[user.username]
    StaffMember.objects.bulk_create(members, batch_size=500)
    member_ids = dict(StaffMember.objects.filter(is_demo=True).values_list("employee_code", "pk"))
    started = today - timedelta(days=365)
    Assignment.objects.bulk_create([
        Assignment(staff_id=member_ids[m.employee_code], branch=saved[code], starts_on=started)
        for m, code in zip(members, posts, strict=True)
    ], batch_size=500)
    # Roles: librarians head each library and reading house; the rest are branch staff.
    librarian_group, staff_group = roles.group_for(roles.BRANCH_LIBRARIAN), roles.group_for(roles.BRANCH_STAFF)
    first_at: dict[str, int] = {}
    for user, code in zip(users, posts, strict=True):
        first_at.setdefault(code, user_ids[user.username])
    lib_ids = set(first_at.values())
    Membership = User.groups.through
    Membership.objects.bulk_create([
        Membership(user_id=uid, group_id=(librarian_group.pk if uid in lib_ids else staff_group.pk))
        for uid in user_ids.values()
    ])
    # The understaffed week: from next Tuesday, three staff of each of three libraries are away
    # on a training course at the division office, leaving them below their minimum of three.
    start = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    away = []
    for code in ("demo-lib-02", "demo-lib-09", "demo-lib-17"):
        staff_here = [member_ids[m.employee_code] for m, c in zip(members, posts, strict=True) if c == code]
        away += [Assignment(staff_id=pk, branch=saved[OFFICE], kind=Assignment.Kind.SECONDMENT, starts_on=start,
                            ends_on=start + timedelta(days=5), note=f"อบรมหลักสูตรบรรณารักษ์ {LABEL}")
                 for pk in staff_here[-3:]]
    Assignment.objects.bulk_create(away)
    return len(members), {code: [member_ids[m.employee_code] for m, c in zip(members, posts, strict=True) if c == code]
                          for code in saved}


def _build_structure(saved: dict, posts: dict, today: date) -> None:
    """The division's structure in force (since the start of fiscal year 2566) and a drafted restructuring."""
    version = OrgVersion.objects.create(
        name_th=f"โครงสร้างส่วนห้องสมุดและการเรียนรู้ {LABEL}", name_en=f"Division structure {LABEL_EN}",
        effective_from=date(2022, 10, 1), is_demo=True,
        note="ชื่อส่วนและกลุ่มงานตามข้อมูลสาธารณะ การแบ่งห้องสมุดระหว่างกลุ่มงานเป็นข้อมูลสาธิต",
    )
    division = OrgUnit.objects.create(version=version, code="division", kind=OrgUnit.Kind.DIVISION,
                                      name_th="ส่วนห้องสมุดและการเรียนรู้", name_en="Library and Learning Division")
    admin_group = OrgUnit.objects.create(version=version, parent=division, code="learning-resources", order=1,
                                         name_th="กลุ่มงานบริหารแหล่งเรียนรู้",
                                         name_en="Learning Resources Administration Group")
    group_1 = OrgUnit.objects.create(version=version, parent=division, code="library-1", order=2,
                                     name_th="กลุ่มงานห้องสมุดและการเรียนรู้ 1", name_en="Library and Learning Group 1")
    group_2 = OrgUnit.objects.create(version=version, parent=division, code="library-2", order=3,
                                     name_th="กลุ่มงานห้องสมุดและการเรียนรู้ 2", name_en="Library and Learning Group 2")
    links = []
    for branch in saved.values():
        if branch.kind in (Branch.Kind.OFFICE, Branch.Kind.MOBILE_UNIT):
            unit = admin_group
        else:
            anchor = branch.parent if branch.kind == Branch.Kind.READING_HOUSE else branch
            anchor_code = anchor.district.code if anchor is not None else branch.district.code
            unit = group_1 if int(anchor_code) <= 1025 else group_2
        links.append(UnitBranch(version=version, unit=unit, branch=branch))
    UnitBranch.objects.bulk_create(links)
    office_staff = posts[OFFICE]
    Position.objects.bulk_create([
        Position(unit=division, code="director", title_th="ผู้อำนวยการส่วนห้องสมุดและการเรียนรู้",
                 title_en="Director of the division", is_head=True, holder_id=office_staff[0]),
        Position(unit=admin_group, code="head", title_th="หัวหน้ากลุ่มงานบริหารแหล่งเรียนรู้",
                 title_en="Head of group", is_head=True, holder_id=office_staff[1]),
        Position(unit=group_1, code="head", title_th="หัวหน้ากลุ่มงานห้องสมุดและการเรียนรู้ 1",
                 title_en="Head of group", is_head=True, holder_id=office_staff[2]),
        Position(unit=group_2, code="head", title_th="หัวหน้ากลุ่มงานห้องสมุดและการเรียนรู้ 2",
                 title_en="Head of group", is_head=True, holder_id=office_staff[3]),
        Position(unit=admin_group, code="planner", title_th="นักวิเคราะห์นโยบายและแผน", title_en="Planner",
                 holder_id=office_staff[4]),
    ])
    # A drafted restructuring: mobile units move to a new outreach group (not scheduled yet).
    draft = OrgVersion.objects.create(
        name_th=f"ร่างปรับโครงสร้าง: กลุ่มงานห้องสมุดเคลื่อนที่ {LABEL}",
        name_en=f"Draft restructuring: mobile libraries group {LABEL_EN}", based_on=version, is_demo=True,
    )
    copies = {}
    for unit in (division, admin_group, group_1, group_2):
        copies[unit.pk] = OrgUnit.objects.create(
            version=draft, parent=copies.get(unit.parent_id), code=unit.code, kind=unit.kind,
            name_th=unit.name_th, name_en=unit.name_en, order=unit.order)
    outreach = OrgUnit.objects.create(version=draft, parent=copies[division.pk], code="outreach", order=4,
                                      name_th="กลุ่มงานห้องสมุดเคลื่อนที่และบ้านหนังสือ",
                                      name_en="Mobile Libraries and Reading Houses Group")
    UnitBranch.objects.bulk_create([
        UnitBranch(version=draft, branch_id=link.branch_id,
                   unit=outreach if link.branch.kind == Branch.Kind.MOBILE_UNIT else copies[link.unit_id])
        for link in links
    ])


def _ensure_logins() -> None:
    """Create or repair the demo log-ins (idempotent) with their roles and branches."""
    User = get_user_model()
    city = Branch.objects.filter(code=CITY_LIBRARY).first()
    office = Branch.objects.filter(code=OFFICE).first()
    house = Branch.objects.filter(code="demo-rh-001").select_related("parent").first()
    for n, login in enumerate(LOGINS, start=1):
        user = User.objects.filter(username=login["username"]).first()
        if user is None:
            user = User(username=login["username"], email=f"{login['username']}@demo.bkklib.invalid",
                        first_name={"admin": "ผู้ดูแล", "librarian": "บรรณารักษ์", "staff": "เจ้าหน้าที่",
                                    "rhlibrarian": "บรรณารักษ์บ้านหนังสือ", "executive": "ผู้บริหาร"}[login["username"]],
                        last_name=LABEL)
        if login["username"] == "admin":
            user.is_staff = user.is_superuser = True
        user.set_password(login["password"])
        user.save()
        user.groups.add(roles.group_for(login["role"]))
        member, _created = StaffMember.objects.get_or_create(
            user=user, defaults={"employee_code": f"DEMO-L{n:02d}", "first_name_th": user.first_name,
                                 "last_name_th": LABEL, "work_email": user.email, "is_demo": True})
        # Everyone has a primary post; the admin and the executive work at the division office.
        places = {"admin": [office], "executive": [office], "librarian": [city], "staff": [city],
                  "rhlibrarian": [house, house.parent if house else None]}[login["username"]]
        for branch in places:
            if branch is not None:
                Assignment.objects.get_or_create(staff=member, branch=branch, kind=Assignment.Kind.PRIMARY,
                                                 defaults={"starts_on": date(2022, 10, 1)})

