"""core.factsheet: the same facts on the page partial and in the Thai PDF, from live data."""
import io
import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from bkklib.core import factsheet
from bkklib.core.branchfacts import Fact, Section, sections
from bkklib.network.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


def _text(data: bytes) -> str:
    """The PDF's text without spaces and line breaks, sara am as one character (pypdf splits both)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return _plain(text)


def _plain(text: str) -> str:
    text = text.replace(" ", "").replace("\n", "")
    return re.sub("\u0e4d([\u0e48-\u0e4b]?)\u0e32", "\\1\u0e33", text)  # ต ํ ่ า -> ต ่ ำ


def test_the_pdf_prints_the_branch_name_and_every_section_in_thai():
    branch = BranchFactory(name_th="ห้องสมุดเมืองทดสอบปั้นญี่ปุ่น")
    with translation.override("th"):
        found = sections(branch, today=TODAY)
        text = _text(factsheet.render_pdf(branch, today=TODAY, found=found))
    assert "ห้องสมุดเมืองทดสอบปั้นญี่ปุ่น" in text
    assert "เอกสารข้อมูลห้องสมุด" in text  # the default title, in Thai
    assert [s.key for s in found][:3] == ["network.basic", "network.hours", "network.staff"]
    for section in found:
        assert _plain(section.title) in text
        for fact in section.facts:
            assert _plain(fact.label) in text and _plain(fact.value) in text
    assert "7ธ.ค.2569" in text  # printed on, in the Buddhist Era


def test_facts_and_tables_print_as_given_and_warnings_survive():
    given = [Section(key="x.one", title="ยอดยืม", facts=[Fact("ยืมเดือนนี้", "1,234", note="เกินกำหนด 3", warning=True)],
                     columns=("สถานะ", "จำนวน"), rows=[("พร้อมให้ยืม", "5,678")])]
    branch = BranchFactory()
    text = _text(factsheet.render_pdf(branch, today=TODAY, title="ชุดข้อมูลลงพื้นที่", found=given))
    for expected in ("ชุดข้อมูลลงพื้นที่", "ยืมเดือนนี้", "1,234 (เกินกำหนด 3)", "พร้อมให้ยืม", "5,678"):
        assert _plain(expected) in text


def test_the_page_partial_shows_the_same_values():
    branch = BranchFactory(name_th="ห้องสมุดทดสอบหน้าเว็บ")
    with translation.override("th"):
        found = sections(branch, today=TODAY)
        html = render_to_string("core/partials/branchfacts.html", {"sections": found})
    assert "ห้องสมุดทดสอบหน้าเว็บ" in html
    for section in found:
        assert f'id="facts-{section.key.replace(".", "")}"' in html
        for fact in section.facts:
            assert str(fact.value) in html
