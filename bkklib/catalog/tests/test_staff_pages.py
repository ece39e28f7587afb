"""Staff cataloguing pages: search, edit with the MARC field editor, items with branch scoping, imports, labels."""
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bkklib.catalog import services
from bkklib.catalog.marc import writer
from bkklib.catalog.models import ImportJob, Item, Record
from bkklib.core import roles
from bkklib.network.tests.factories import BranchFactory, staff_user

from .factories import ItemFactory, RecordFactory, marc_record

pytestmark = pytest.mark.django_db
LINT = Path(__file__).parent / "tools" / "marclint.pl"


@pytest.fixture
def branch():
    return BranchFactory()


@pytest.fixture
def librarian(client, branch):
    user = staff_user(roles.BRANCH_LIBRARIAN, branch)
    client.force_login(user)
    return user


def record_post(**overrides):
    data = {
        "title": "ลุงบุญมีระลึกชาติ", "subtitle": "บทภาพยนตร์", "responsibility": "อภิชาติพงศ์ วีระเศรษฐกุล",
        "author": "อภิชาติพงศ์ วีระเศรษฐกุล", "edition": "", "place": "กรุงเทพฯ", "publisher": "ไต้ฝุ่น",
        "year": "2010", "language": "tha", "isbns": "978-974-690-183-3", "call_number": "791.43 อ152ล",
        "series": "", "subjects": "ภาพยนตร์ไทย -- บทภาพยนตร์", "notes": "",
        "marc-TOTAL_FORMS": "2", "marc-INITIAL_FORMS": "0", "marc-MIN_NUM_FORMS": "0", "marc-MAX_NUM_FORMS": "1000",
        "marc-0-tag": "300", "marc-0-ind1": " ", "marc-0-ind2": " ", "marc-0-value": "$a 120 หน้า :$b ภาพประกอบ ;$c 21 ซม.",
        "marc-1-tag": "", "marc-1-ind1": "", "marc-1-ind2": "", "marc-1-value": "",
    }
    data.update(overrides)
    return data


def test_a_librarian_catalogues_a_thai_record_that_marc_lint_finds_no_problem_in(client, librarian, tmp_path):
    response = client.post(reverse("catalog:record-new"), record_post())

    record = Record.objects.get()
    assert response.status_code == 302 and response.url == reverse("catalog:record-detail", args=[record.pk])
    assert record.title == "ลุงบุญมีระลึกชาติ : บทภาพยนตร์" or record.title.startswith("ลุงบุญมีระลึกชาติ")
    assert record.isbns == ["9789746901833"] and record.year == 2010 and record.call_number == "791.43 อ152ล"
    assert {"300": {"ind1": " ", "ind2": " ", "subfields": [{"a": "120 หน้า :"}, {"b": "ภาพประกอบ ;"},
                                                             {"c": "21 ซม."}]}} in record.marc["fields"]
    assert record.history.first().history_user == librarian
    shown = client.get(response.url).content.decode()
    assert "<dd>ภาษาไทย · " in shown  # the language's name, not its MARC code "tha"
    if not shutil.which("perl"):
        pytest.skip("perl (MARC::Lint) is not installed")
    out = tmp_path / "new.mrc"
    out.write_bytes(writer.to_iso2709(record.marc))
    lint = subprocess.run(["perl", str(LINT), str(out)], capture_output=True, text=True, timeout=60)
    if "Can't locate" in lint.stderr:
        pytest.skip("MARC::Lint is not installed (libmarc-lint-perl)")
    assert [line for line in lint.stdout.splitlines() if "\t-1\t" not in line] == []


def test_the_marc_field_editor_refuses_a_bad_field_and_changes_nothing(client, librarian):
    response = client.post(reverse("catalog:record-new"), record_post(**{"marc-0-tag": "30", "marc-0-value": "a"}))

    assert response.status_code == 200 and not Record.objects.exists()
    assert "เขตข้อมูล 30" in response.content.decode()  # "Field 30: a tag is three digits", in Thai


def test_a_buddhist_era_year_is_refused_with_the_ce_year_suggested(client, librarian):
    response = client.post(reverse("catalog:record-new"), record_post(year="2553"))
    assert response.status_code == 200 and "2010" in response.content.decode() and not Record.objects.exists()


def test_editing_keeps_fields_the_form_does_not_show(client, librarian):
    extra = [{"041": {"ind1": "0", "ind2": " ", "subfields": [{"a": "tha"}]}}]
    record = services.save_record(marc_record("ข้างหลังภาพ", control_number="b77", extra_fields=extra))
    page = client.get(reverse("catalog:record-edit", args=[record.pk]))
    assert "$atha" in page.content.decode()

    client.post(reverse("catalog:record-edit", args=[record.pk]), record_post(**{
        "title": "ข้างหลังภาพ", "marc-TOTAL_FORMS": "1", "marc-0-tag": "041", "marc-0-ind1": "0", "marc-0-value": "$atha"}))

    record.refresh_from_db()
    tags = [next(iter(f)) for f in record.marc["fields"]]
    assert "041" in tags and "001" in tags and "300" not in tags
    assert record.history.count() == 2


def test_search_page_finds_by_a_thai_word_and_a_barcode_opens_its_record(client, librarian):
    item = ItemFactory(record=RecordFactory(title="สี่แผ่นดิน", author="คึกฤทธิ์ ปราโมช"), barcode="31000000000031")

    page = client.get(reverse("catalog:record-list"), {"q": "แผ่นดิน"})
    assert "สี่แผ่นดิน" in page.content.decode()
    assert "หรือสแกนบาร์โค้ด" in page.content.decode()  # the search box's label is Thai too
    assert client.get(reverse("catalog:record-list"), {"q": "31000000000031"}).url == reverse(
        "catalog:record-detail", args=[item.record_id])


def test_deleting_a_record_with_items_is_refused_with_a_clear_message(client, librarian):
    item = ItemFactory()
    response = client.post(reverse("catalog:record-delete", args=[item.record_id]))
    assert Record.objects.filter(pk=item.record_id).exists()
    assert response.status_code == 422 and "ยังมีตัวเล่ม 1 เล่ม" in response.content.decode()


def test_copy_makes_a_new_record_without_identity_or_holdings(client, librarian):
    record = services.save_record(marc_record("ต้นฉบับ", control_number="c1"))
    client.post(reverse("catalog:record-copy", args=[record.pk]))
    copy = Record.objects.exclude(pk=record.pk).get()
    assert copy.title == "ต้นฉบับ" and copy.control_number == ""


def test_items_are_added_only_at_the_librarians_branches(client, librarian, branch):
    record = RecordFactory()
    other = BranchFactory()
    book = Item._meta.get_field("item_type").related_model.objects.get(code="book")
    post = {"barcode": "31000000000048", "branch": other.pk, "item_type": book.pk, "shelving_location": "",
            "call_number": "", "price": "", "acquired_on": "", "notes": ""}

    refused = client.post(reverse("catalog:item-add", args=[record.pk]), post)
    assert refused.status_code == 200 and not Item.objects.exists()

    post["branch"] = branch.pk
    post["barcode"] = "bad code"
    invalid = client.post(reverse("catalog:item-add", args=[record.pk]), post)
    assert invalid.status_code == 200 and not Item.objects.exists()

    post["barcode"] = "31000000000048"
    assert client.post(reverse("catalog:item-add", args=[record.pk]), post).status_code == 302
    assert Item.objects.get().branch == branch


def test_another_branchs_item_page_is_a_404(client, librarian):
    theirs = ItemFactory()
    assert client.get(reverse("catalog:item-edit", args=[theirs.pk])).status_code == 404


def test_upload_runs_a_background_import_with_progress_and_a_downloadable_report(
        client, librarian, django_capture_on_commit_callbacks):
    data = b"".join(writer.to_iso2709(marc_record(t)) for t in ("หนึ่ง", "สอง"))
    upload = SimpleUploadedFile("two.mrc", data + b"00026     2200025   4500\x1e\x1d")

    with django_capture_on_commit_callbacks(execute=True):  # huey runs in immediate mode in tests
        response = client.post(reverse("catalog:import-list"), {"file": upload, "format": "auto", "encoding": "auto",
                                                                 "on_duplicate": "skip"})
    job = ImportJob.objects.get()
    assert response.url == reverse("catalog:import-detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.read, job.created, job.failed) == ("done", 3, 2, 1)
    progress = client.get(reverse("catalog:import-progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in progress  # polling stops when the job is done
    report = client.get(reverse("catalog:import-report", args=[job.pk]))
    assert "สรุป: อ่าน 3 สร้าง 2" in report.content.decode("utf-8")  # in the language of the page that started it


@pytest.mark.django_db(transaction=True)
def test_an_uploaded_import_runs_in_a_real_huey_consumer(huey_consumer, settings, tmp_path):
    import time

    from bkklib.catalog import jobs

    settings.MEDIA_ROOT = str(tmp_path)
    branch = BranchFactory()
    user = staff_user(roles.BRANCH_LIBRARIAN, branch)
    upload = SimpleUploadedFile("one.mrc", writer.to_iso2709(marc_record("ข้างหลังภาพ")))
    job = jobs.start_import(upload, user=user)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job.status == "done" and job.created == 1, job.error


def test_spine_labels_are_a_pdf_with_the_thai_call_number(client, librarian, branch, tmp_path):
    ItemFactory(branch=branch, barcode="31000000000055", call_number="895.913 ส649ม")
    response = client.post(reverse("catalog:labels"), {"kind": "spine", "barcodes": "31000000000055", "start": 1})

    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "spine.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "ส649ม" in text and "895.913" in text


def test_barcode_labels_refuse_unknown_barcodes(client, librarian):
    response = client.post(reverse("catalog:labels"), {"kind": "barcode", "barcodes": "NOPE-1234", "start": 1})
    assert response.status_code == 200 and "NOPE-1234" in response.content.decode()


def test_record_downloads_are_marc21_utf8(client, librarian):
    record = RecordFactory(title="ข้างหลังภาพ")
    mrc = client.get(reverse("catalog:record-download", args=[record.pk, "mrc"])).content
    assert mrc[9:10] == b"a" and int(mrc[:5]) == len(mrc)
    xml = client.get(reverse("catalog:record-download", args=[record.pk, "xml"])).content.decode()
    assert "ข้างหลังภาพ" in xml and 'xmlns="http://www.loc.gov/MARC21/slim"' in xml


def test_history_page_shows_who_changed_an_item(client, librarian, branch):
    item = ItemFactory(branch=branch)
    services.set_item_status(item, Item.Status.DAMAGED, user=librarian)
    page = client.get(reverse("catalog:record-history", args=[item.record_id])).content.decode()
    assert item.barcode in page and "ชำรุด" in page  # the status by its Thai label, not its code


def test_demo_records_are_records_marc_lint_finds_no_problem_in(tmp_path):
    from bkklib.catalog import demo

    if not shutil.which("perl"):
        pytest.skip("perl (MARC::Lint) is not installed")
    sample = tmp_path / "demo.mrc"
    sample.write_bytes(demo.demo_file(300, branches=[("b1", 1.0)]))
    lint = subprocess.run(["perl", str(LINT), str(sample)], capture_output=True, text=True, timeout=120)
    if "Can't locate" in lint.stderr:
        pytest.skip("MARC::Lint is not installed (libmarc-lint-perl)")
    assert [line for line in lint.stdout.splitlines() if "\t-1\t" not in line] == []
    assert "RECORDS 300" in lint.stdout


def test_the_demo_catalog_loads_through_the_import_path_and_only_once():
    from bkklib.catalog import demo

    BranchFactory(code="demo-x")
    demo.run(scale=0.002)  # 40 records
    demo.run(scale=0.002)

    assert Record.objects.filter(is_demo=True).count() == 40
    assert all(demo.DEMO_NOTE in str(r.marc) for r in Record.objects.all())
    assert Item.objects.filter(is_demo=True).exists()
