"""The purchase order, donation letter and follow-up report print in Thai: extracted text keeps the Thai
heading and the amount in words intact."""
import io
import unicodedata
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from bkklib.acquisitions import printing, queries, services
from bkklib.network.models import Branch

from .conftest import NOW
from .helpers import placed_order


def text_of(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # ำ may be copied out as ํ + า (docs/admin/pdf.md): put it back; spaces between runs are dropped.
    return unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33").replace(" ", "").replace("\n", "")


def test_the_purchase_order_shows_the_thai_heading_be_dates_and_the_total_in_thai_words(site):
    order = placed_order(site, lines=((2, "350"), (1, "500")))  # 700 + 500 = 1,200 baht
    text = text_of(printing.purchase_order(order))
    assert "ใบสั่งซื้อหนังสือ" in text
    assert "สำนักวัฒนธรรมกีฬาและการท่องเที่ยวกรุงเทพมหานคร" in text
    assert "1,200.00" in text
    assert "(หนึ่งพันสองร้อยบาทถ้วน)" in text
    assert "3พฤศจิกายน2568" in text  # ordered on 3 Nov 2025 in Buddhist Era
    assert order.number in text


def test_the_purchase_order_writes_satang_in_words(site):
    order = services.create_order(vendor=site.vendor, branch=site.branch, year=2569, now=NOW)
    services.add_line(order=order, title="ภาษาไทยวันละคำ", quantity=1, unit_price=Decimal("21.50"),
                      allocations=[(site.branch, site.fund, "", 1)])
    text = text_of(printing.purchase_order(order))
    assert "(ยี่สิบเอ็ดบาทห้าสิบสตางค์)" in text


def test_the_donation_letter_thanks_the_donor_in_thai(site):
    donation = services.record_donation(branch=site.branch, donor_name="คุณสมศรี ใจบุญ", count=30,
                                        received_on=date(2025, 10, 15))
    donation = services.decide_donation(donation=donation, accepted_count=25, note="ชำรุด 5 เล่ม")
    text = text_of(printing.donation_letter(donation, today=date(2025, 10, 20)))
    assert "หนังสือขอบคุณ" in text and "คุณสมศรีใจบุญ" in text
    assert "จำนวน30เล่ม" in text, text
    assert "จำนวน25เล่ม" in text, text
    assert "20ตุลาคม2568" in text


def test_the_follow_up_report_prints_per_branch_in_thai(site):
    placed_order(site, lines=((2, "100"),))
    report = queries.follow_up(year=2569, month=date(2025, 11, 1), today=date(2025, 12, 31),
                               branches=Branch.objects.all())
    text = text_of(printing.follow_up_report(report))
    assert "รายงานติดตามการจัดซื้อหนังสือปีงบประมาณ2569" in text
    assert site.branch.name_th.replace(" ", "") in text
    assert "ใบสั่งซื้อที่ส่งของล่าช้า" in text  # due 18 Nov 2025, nothing received by 31 Dec
