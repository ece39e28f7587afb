"""core.xlsx: Thai headings, numbers kept numbers, Buddhist-Era dates, no formula from user text."""
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from bkklib.core import xlsx


def test_sheet_round_trips_through_openpyxl():
    data = xlsx.workbook_bytes([
        xlsx.Sheet("สถิติการยืม: ธ.ค.", ["สาขา", "วันที่", "จำนวน", "เงิน"],
                   [["ห้องสมุดเพื่อการเรียนรู้", date(2022, 6, 8), 12, Decimal("10.50")],
                    ["=HYPERLINK(\"http://x\")", date(2022, 6, 9), 3, Decimal("0")]],
                   notes=["ปีงบประมาณ 2565"], totals=["รวม", None, 15, Decimal("10.50")]),
        xlsx.Sheet("สถิติการยืม: ธ.ค.", ["a"], [[1]], dates="iso"),
    ])
    book = load_workbook(io.BytesIO(data))
    first, second = book.worksheets
    assert first.title == "สถิติการยืม  ธ.ค."  # ":" is not allowed in sheet names
    assert second.title.endswith("(2)")
    assert first["A1"].value == "ปีงบประมาณ 2565"
    assert [c.value for c in first[2]] == ["สาขา", "วันที่", "จำนวน", "เงิน"]
    assert first["A2"].font.bold
    assert first.freeze_panes == "A3"
    assert [c.value for c in first[3]] == ["ห้องสมุดเพื่อการเรียนรู้", "8 มิ.ย. 2565", 12, 10.5]
    assert first["A4"].data_type == "s"  # user text starting with "=" stays text
    assert [c.value for c in first[5]] == ["รวม", None, 15, 10.5]
    assert first["A5"].font.bold


def test_response_is_a_download():
    response = xlsx.xlsx_response("loans-2565", [xlsx.Sheet("x", ["a"], [[1]])])
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert 'filename="loans-2565.xlsx"' in response["Content-Disposition"]
