"""Printed documents of acquisitions through core.pdf (Thai shaped by HarfBuzz, Sarabun): the purchase order,
the donation acknowledgement letter and the monthly follow-up report.

They are official Thai documents, so their fixed text is Thai whatever the screen's language; dates are
Buddhist Era and amounts are in figures and in Thai words (``rules.baht_text``).
"""
from __future__ import annotations

from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from bkklib.core import pdf
from bkklib.core.calendar import thai_date

from .models import Donation, Order, OrderCopy
from .queries import FollowUp
from .rules import baht_text, copy_cost

DIVISION_TH = "สำนักวัฒนธรรม กีฬา และการท่องเที่ยว กรุงเทพมหานคร"
OFFICE_TH = "สำนักงานนันทนาการและส่งเสริมการเรียนรู้"


def baht(value: Decimal) -> str:
    return f"{value:,.2f}"


def _letterhead(doc: pdf.Document, title: str) -> None:
    doc.paragraph(DIVISION_TH, font=pdf.BOLD, size=13, align="centre", space_after=0)
    doc.paragraph(OFFICE_TH, size=12, align="centre", space_after=0.6)
    doc.heading(title, size=18)


def _row(doc: pdf.Document, cells: list[tuple[str, float, str]], *, font: str = pdf.REGULAR, size: float = 10.5):
    """One table row: ``cells`` are (text, width in mm, align); long text is cut with an ellipsis."""
    metrics = pdf.line_metrics(font, size)
    doc.need(metrics.leading)
    x = doc.margin
    baseline = doc.y - metrics.ascent
    for text, width, align in cells:
        w = width * mm
        pdf.draw_text(doc.canvas, x + 1, baseline, text, font=font, size=size, width=w - 2, align=align,
                      overflow="truncate" if align == "left" else "shrink")
        x += w
    doc.y -= metrics.leading


def purchase_order(order: Order) -> bytes:
    """The purchase order (ใบสั่งซื้อ) sent to the vendor: lines, copies per branch, totals in figures and words."""
    doc = pdf.Document(title=f"ใบสั่งซื้อ {order.number}")
    _letterhead(doc, "ใบสั่งซื้อหนังสือ")
    vendor = order.vendor
    when = thai_date(order.ordered_on, long=True) if order.ordered_on else "—"
    due = thai_date(order.expected_by, long=True) if order.expected_by else "—"
    doc.paragraph(f"เลขที่ {order.number}    ปีงบประมาณ {order.fiscal_year.year}    วันที่สั่งซื้อ {when}")
    doc.paragraph(f"ผู้ขาย {vendor.name}  เลขประจำตัวผู้เสียภาษี {vendor.tax_id}")
    if vendor.address:
        doc.paragraph(f"ที่อยู่ {vendor.address}")
    doc.paragraph(f"หน่วยงานผู้สั่งซื้อ {order.branch.name_th}    กำหนดส่งของภายใน {due}", space_after=0.8)
    widths = [(10, "centre"), (72, "left"), (14, "right"), (22, "right"), (14, "right"), (12, "right"),
              (26, "right")]
    head = ["ลำดับ", "รายการ", "จำนวน", "ราคา/หน่วย", "ส่วนลด %", "VAT %", "จำนวนเงิน"]
    _row(doc, [(h, w, a) for h, (w, a) in zip(head, widths, strict=True)], font=pdf.BOLD)
    total = Decimal(0)
    lines = order.lines.select_related("record").prefetch_related("copies__branch").order_by("pk")
    for n, line in enumerate(lines, start=1):
        copies = [c for c in line.copies.all() if c.status != OrderCopy.Status.CANCELLED]
        amount = copy_cost(line.unit_price, line.discount_pct, line.vat_pct) * len(copies)
        total += amount
        title = line.record.title or "—"
        if line.record.isbns:
            title += f" (ISBN {line.record.isbns[0]})"
        values = [str(n), title, str(len(copies)), baht(line.unit_price), f"{line.discount_pct:g}",
                  f"{line.vat_pct:g}", baht(amount)]
        _row(doc, [(v, w, a) for v, (w, a) in zip(values, widths, strict=True)])
        per_branch: dict[str, int] = {}
        for c in copies:
            per_branch[c.branch.name_th] = per_branch.get(c.branch.name_th, 0) + 1
        where = ", ".join(f"{name} {count} เล่ม" for name, count in per_branch.items())
        _row(doc, [("", 10, "left"), (f"ส่งที่: {where}", 160, "left")], size=9)
    doc.space(3 * mm)
    doc.paragraph(f"รวมเป็นเงินทั้งสิ้น {baht(total)} บาท", font=pdf.BOLD, size=12, align="right", space_after=0)
    doc.paragraph(f"({baht_text(total)})", font=pdf.BOLD, size=12, align="right", space_after=1.5)
    if order.note:
        doc.paragraph(f"หมายเหตุ {order.note}")
    doc.paragraph("ผู้ขายต้องส่งหนังสือให้ครบตามรายการภายในกำหนด พร้อมใบส่งของและใบแจ้งหนี้ "
                  "คณะกรรมการตรวจรับพัสดุจะตรวจรับทีละรายการ", size=10, space_after=2)
    doc.paragraph("ลงชื่อ ……………………………………… ผู้สั่งซื้อ", align="right", space_after=0)
    approver = order.approved_by.get_full_name() if order.approved_by else ""
    doc.paragraph(f"({approver or '……………………………………'})", align="right", space_after=0)
    if order.approved_at:
        doc.paragraph(f"อนุมัติเมื่อ {thai_date(order.approved_at, long=True)}", align="right")
    return doc.finish()


def donation_letter(donation: Donation, *, today) -> bytes:
    """The letter thanking a donor (หนังสือขอบคุณ), with what was received and accepted."""
    doc = pdf.Document(title="หนังสือขอบคุณผู้บริจาค")
    _letterhead(doc, "หนังสือขอบคุณ")
    doc.paragraph(f"{donation.branch.name_th}", align="right", space_after=0)
    doc.paragraph(f"วันที่ {thai_date(today, long=True)}", align="right", space_after=1)
    doc.paragraph("เรื่อง  ขอบคุณสำหรับการบริจาคหนังสือ")
    doc.paragraph(f"เรียน  {donation.donor_name}", space_after=1)
    accepted = donation.accepted_count
    body = (f"ตามที่ท่านได้บริจาคหนังสือจำนวน {donation.count} เล่ม ให้แก่{donation.branch.name_th} "
            f"เมื่อวันที่ {thai_date(donation.received_on, long=True)} นั้น ")
    if accepted:
        body += (f"ห้องสมุดได้รับหนังสือเข้าเป็นทรัพยากรของห้องสมุดจำนวน {accepted} เล่ม "
                 "เพื่อให้บริการแก่ประชาชนต่อไป ")
    if accepted < donation.count:
        body += f"ส่วนที่เหลือ {donation.count - accepted} เล่ม ห้องสมุดจะส่งต่อให้เกิดประโยชน์ตามความเหมาะสม "
    body += "ห้องสมุดขอขอบพระคุณในความอนุเคราะห์ของท่านเป็นอย่างสูงมา ณ โอกาสนี้"
    doc.paragraph(body, size=12, space_after=2)
    doc.paragraph("ขอแสดงความนับถือ", align="centre", space_after=3)
    doc.paragraph("(……………………………………)", align="centre", space_after=0)
    doc.paragraph(f"ผู้อำนวยการ{donation.branch.name_th}", align="centre")
    return doc.finish()


def follow_up_report(report: FollowUp) -> bytes:
    """The monthly follow-up of procurement per branch (A4 landscape)."""
    doc = pdf.Document(title=f"รายงานติดตามการจัดซื้อหนังสือ ปีงบประมาณ {report.year}", pagesize=landscape(A4),
                       margin=12 * mm)
    _letterhead(doc, f"รายงานติดตามการจัดซื้อหนังสือ ปีงบประมาณ {report.year}")
    doc.paragraph(f"เดือน {thai_date(report.month, long=True).split(' ', 1)[1]}    ข้อมูล ณ วันที่ "
                  f"{thai_date(report.today, long=True)}", space_after=0.8)
    widths = [(62, "left"), (18, "right"), (18, "right"), (18, "right"), (18, "right"), (16, "right"),
              (14, "right"), (30, "right"), (30, "right"), (30, "right"), (18, "right")]
    head = ["ห้องสมุด", "ขอซื้อ", "สั่งซื้อ", "ได้รับ", "ขึ้นชั้น", "ยกเลิก", "ล่าช้า", "งบประมาณ",
            "ผูกพัน", "เบิกจ่าย", "ใช้ไป %"]
    _row(doc, [(h, w, a) for h, (w, a) in zip(head, widths, strict=True)], font=pdf.BOLD, size=10)
    for row in [*report.rows, report.total]:
        name = row.branch.name_th if row.branch else "รวม"
        values = [name, f"{row.requested} ({row.requested_month})", f"{row.ordered} ({row.ordered_month})",
                  f"{row.received} ({row.received_month})", str(row.on_shelf), str(row.cancelled), str(row.late),
                  baht(row.budget), baht(row.committed), baht(row.spent), f"{row.used_pct}"]
        _row(doc, [(v, w, a) for v, (w, a) in zip(values, widths, strict=True)], font=pdf.BOLD if row.branch is None
             else pdf.REGULAR, size=10)
    doc.paragraph("ตัวเลขในวงเล็บคือจำนวนของเดือนที่รายงาน", size=9, space_after=1)
    if report.late_orders:
        doc.heading("ใบสั่งซื้อที่ส่งของล่าช้า", size=13)
        for order in report.late_orders:
            doc.paragraph(f"{order.number}  {order.vendor.name}  กำหนดส่ง {thai_date(order.expected_by)}  "
                          f"ค้างส่ง {order.outstanding} เล่ม", size=10, space_after=0)
    return doc.finish()
