"""Load the patron categories, fee tiers, default loan policy and settings every network starts with.

All of it is editable afterwards (admin pages, audited). Fees follow the BMA portal's example
(under 5 years: 10 baht a year); the other amounts are starting values for the division to set.
"""
from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    # code, Thai, English, requires guardian, institution, card years, block at (baht)
    ("child", "เด็ก", "Child", True, False, 1, Decimal("50")),
    ("student", "นักเรียน นักศึกษา", "Student", False, False, 1, Decimal("100")),
    ("adult", "บุคคลทั่วไป", "Adult", False, False, 1, Decimal("100")),
    ("senior", "ผู้สูงอายุ", "Senior", False, False, 2, Decimal("100")),
    ("staff", "บุคลากร กทม.", "BMA staff", False, False, 2, Decimal("200")),
    ("institution", "หน่วยงาน / โรงเรียน", "Institution / school", False, True, 1, Decimal("500")),
]

FEE_TIERS = [  # category code or None, min age, max age, annual fee
    (None, 0, 4, Decimal("10")),
    (None, 5, 14, Decimal("20")),
    (None, 15, 59, Decimal("50")),
    (None, 60, None, Decimal("0")),
    ("staff", 0, None, Decimal("0")),
    ("institution", 0, None, Decimal("200")),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("circulation", "PatronCategory")
    FeeTier = apps.get_model("circulation", "FeeTier")
    LoanPolicy = apps.get_model("circulation", "LoanPolicy")
    Settings = apps.get_model("circulation", "CirculationSettings")
    ItemType = apps.get_model("catalog", "ItemType")
    by_code = {}
    for code, name_th, name_en, guardian, institution, years, block in CATEGORIES:
        by_code[code], _created = Category.objects.get_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "requires_guardian": guardian,
                                 "is_institution": institution, "card_valid_years": years,
                                 "fines_block_amount": block})
    if not FeeTier.objects.exists():
        for category, low, high, fee in FEE_TIERS:
            FeeTier.objects.create(category=by_code.get(category), min_age=low, max_age=high, annual_fee=fee)
    if not LoanPolicy.objects.filter(branch=None, category=None, item_type=None).exists():
        LoanPolicy.objects.create(loan_days=14, max_loans=10, renewals_allowed=2, fine_per_day=Decimal("5"),
                                  max_fine=Decimal("100"), grace_days=0, max_holds=5, hold_shelf_days=7,
                                  note="ค่าเริ่มต้นของเครือข่าย")
    reference = ItemType.objects.filter(code="reference").first()
    if reference and not LoanPolicy.objects.filter(branch=None, category=None, item_type=reference).exists():
        LoanPolicy.objects.create(item_type=reference, loan_days=0, holds_allowed=False,
                                  note="หนังสืออ้างอิง ใช้ในห้องสมุดเท่านั้น")
    magazine = ItemType.objects.filter(code="magazine").first()
    if magazine and not LoanPolicy.objects.filter(branch=None, category=None, item_type=magazine).exists():
        LoanPolicy.objects.create(item_type=magazine, loan_days=7, renewals_allowed=1, max_loans_of_type=3,
                                  note="วารสาร ยืมได้ 7 วัน")
    child = by_code["child"]
    if not LoanPolicy.objects.filter(branch=None, category=child, item_type=None).exists():
        LoanPolicy.objects.create(category=child, loan_days=14, max_loans=5, fine_per_day=Decimal("1"),
                                  max_fine=Decimal("20"), max_holds=3, note="สมาชิกเด็ก")
    if not Settings.objects.exists():
        Settings.objects.create()


class Migration(migrations.Migration):
    dependencies = [
        ("circulation", "0001_circulation_models"),
        ("catalog", "0002_default_item_types"),
    ]

    # Reverse is a no-op: the rows may already be used by patrons and loans.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
