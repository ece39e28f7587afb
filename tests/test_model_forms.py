"""Every model form of the project saves an unchanged instance unchanged.

The forms are found, not listed: every ``forms``/``*_forms``/``views`` module of every app is imported
and ``ModelForm.__subclasses__()`` walked. Each form is rendered for a realistic instance (every field
filled, dates included) in Thai, the HTML is read back the way a browser submits it (input values,
checked boxes, selected options, textarea text with CRLF line breaks), and the bound form must be
valid, report no change, and give back every field as it was. A model form added later without an
entry in ``CASES`` fails here, naming itself.
"""
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.utils import timezone, translation

import bkklib
from bkklib.core import roles
from bkklib.network.models import District, Service

pytestmark = pytest.mark.django_db

FORM_MODULE_NAMES = ("forms", "views")


def project_model_forms() -> dict[str, type[forms.ModelForm]]:
    """Return every ModelForm class of the project (including formset forms), by a readable key."""
    modules = []
    for app in pkgutil.iter_modules(bkklib.__path__):
        if not app.ispkg:
            continue
        package = importlib.import_module(f"bkklib.{app.name}")
        for sub in pkgutil.iter_modules(package.__path__):
            if sub.name in FORM_MODULE_NAMES or sub.name.endswith(tuple("_" + n for n in FORM_MODULE_NAMES)):
                modules.append(importlib.import_module(f"bkklib.{app.name}.{sub.name}"))
    found = set()

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("bkklib.") and ".tests." not in sub.__module__:
                found.add(sub)
            walk(sub)

    walk(forms.ModelForm)
    # Forms made by formset factories live in django.forms.models: take them from the formsets.
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseFormSet) and hasattr(value, "form"):
                if issubclass(value.form, forms.ModelForm):
                    found.add(value.form)
    return {f"{cls.__name__}({cls._meta.model._meta.label})": cls for cls in found if cls._meta.model}


# --- Realistic instances -------------------------------------------------------------------------


def _admin_user(branch):
    from bkklib.network.tests.factories import staff_user

    return staff_user(roles.NETWORK_ADMIN, branch, first_name="มาลี", last_name="ศรีสุข")


def _branch(**extra):
    from bkklib.network.tests.factories import BranchFactory

    parent = BranchFactory(name_th="ห้องสมุดเมืองกรุงเทพมหานคร", kind="city_library")
    branch = BranchFactory(
        name_th="ห้องสมุดประชาชนเขตคลองเตย", name_en="Khlong Toei Public Library", kind="public_library",
        status="open", district=District.objects.get(code="1033"), parent=parent,
        address="เลขที่ 1 ถนนพระรามสี่\nแขวงคลองเตย เขตคลองเตย\nกรุงเทพมหานคร 10110",
        latitude=Decimal("13.722345"), longitude=Decimal("100.559876"), phone="02-249-1234",
        email="khlongtoei@example.org", website="https://library.example.org/khlongtoei",
        facebook="https://facebook.com/khlongtoeilibrary", line_id="@khlongtoeilib",
        description="ห้องสมุดสำหรับทุกวัย\n\nมีมุมเด็กและห้องคอมพิวเตอร์", **extra)
    branch.services.set(Service.objects.all()[:2])
    return branch


def branch_case():
    branch = _branch()
    return branch, {}


def item_case():
    from bkklib.catalog.tests.factories import ItemFactory

    branch = _branch()
    item = ItemFactory(branch=branch, shelving_location="REF", call_number="895.913 ส649ม", price=Decimal("385.50"),
                       acquired_on=date(2026, 12, 7), notes="ปกชำรุดเล็กน้อย\nบริจาคโดยผู้อ่าน")
    return item, {"user": _admin_user(branch), "perm": "catalog.change_item"}


def thai_patron_case():
    from bkklib.circulation.tests.factories import PatronFactory, category

    branch = _branch()
    patron = PatronFactory(
        category=category("adult"), home_branch=branch, birth_date=date(1987, 2, 28), phone="081-234-5678",
        line_user_id="Ud1234567890abcdef", address="99/1 ซอยสุขุมวิท 22\nคลองเตย กรุงเทพฯ 10110",
        district=District.objects.get(code="1033"), language="en", note="ต้องการหนังสืออักษรเบรลล์\nโทรก่อน 17 น.")
    return patron, {}


def passport_patron_case():
    from bkklib.circulation.models import Patron
    from bkklib.circulation.tests.factories import PatronFactory, category

    patron = PatronFactory(
        category=category("student"), home_branch=_branch(), id_type=Patron.IdType.PASSPORT, national_id="",
        passport_number="TR1234567", passport_country="JPN", first_name_th="", last_name_th="",
        first_name_en="Haruki", last_name_en="Sato", birth_date=date(2004, 11, 30), phone="+66 89 000 1111",
        address="Sukhumvit 39", note="exchange student")
    return patron, {}


def template_case():
    from bkklib.core.models import MessageTemplate

    template = MessageTemplate.objects.create(
        code="test.roundtrip", description="overdue reminder", subject_th="หนังสือเกินกำหนดส่ง",
        body_th="เรียน {{ patron }}\n\nหนังสือ {{ title }} เกินกำหนดส่งแล้ว", subject_en="Overdue",
        body_en="Dear {{ patron }},\n\n{{ title }} is overdue.")
    return template, {}


def stocktake_case():
    from bkklib.catalog.models import Stocktake

    branch = _branch()
    user = _admin_user(branch)
    stocktake = Stocktake.objects.create(branch=branch, shelving_location="CHILD", note="ตรวจนับประจำปี 2569",
                                         started_by=user)
    return stocktake, {"user": user}


def withdrawal_case():
    from bkklib.catalog.models import Withdrawal
    from bkklib.catalog.tests.factories import ItemFactory

    branch = _branch()
    item = ItemFactory(branch=branch, acquired_on=date(2001, 1, 15))
    withdrawal = Withdrawal.objects.create(item=item, reason="damaged", disposal="donate",
                                           note="น้ำท่วมชั้นล่าง\nส่งบ้านหนังสือ", requested_by=_admin_user(branch))
    return withdrawal, {}


def _news_post(**extra):
    from bkklib.opac.models import NewsPost

    return NewsPost.objects.create(
        slug="reading-month-2026", title_th="เดือนแห่งการอ่าน", title_en="Reading month",
        body_th="กิจกรรมตลอดเดือน\n\nเชิญทุกท่าน", body_en="Events all month.\n\nEveryone welcome.",
        hashtags="ห้องสมุดกรุงเทพ อ่านเปลี่ยนโลก", branch=_branch(), image="news/2026/12/poster.jpg",
        image_alt_th="โปสเตอร์งาน", image_alt_en="Poster", status="published",
        publish_at=timezone.make_aware(datetime(2026, 12, 7, 9, 30)), **extra)


def news_post_case():
    return _news_post(), {}


def news_image_case():
    from bkklib.opac.models import NewsImage

    image = NewsImage.objects.create(post=_news_post(), image="news/2026/12/crowd.jpg", alt_th="ผู้อ่านในงาน",
                                     alt_en="Readers at the fair", position=3)
    return image, {}


def info_page_case():
    from bkklib.opac.models import InfoPage

    page, _created = InfoPage.objects.update_or_create(slug="membership", defaults={
        "title_th": "ระเบียบสมาชิก", "title_en": "Membership",
        "body_th": "สมัครฟรี\n- บัตรประชาชน\n- รูปถ่าย", "body_en": "Free.\n- ID card"})
    return page, {}


def sip2_terminal_case():
    from bkklib.interop import services

    terminal = services.create_terminal(login="gate-01", password="gate-pass-01", name="ประตูทางออก ชั้น 1",
                                        branch=_branch(), charset="tis-620", date_style="be", institution_id="1901")
    return terminal, {}
def festival_case():
    from bkklib.events.models import Festival

    return Festival.objects.create(year=2026, month=3, name_th="เทศกาลหนังสือกรุงเทพฯ", name_en="Bangkok Book Festival",
                                   theme="อ่านและเรียนรู้\nทั้งเมือง", starts_on=date(2026, 3, 1),
                                   ends_on=date(2026, 3, 31)), {}


def _project():
    from bkklib.events.models import Project

    return Project.objects.create(fiscal_year=2569, name="โครงการเปิดโลกนิทาน", objectives="ส่งเสริมการอ่าน\nของเด็กปฐมวัย",
                                  budget=Decimal("80000.50"), target_activities=50)


def project_case():
    return _project(), {}


def target_case():
    from bkklib.events.models import ProjectTarget

    return ProjectTarget.objects.create(project=_project(), age_group="child", participants=600), {}


def _activity():
    from bkklib.events.models import Activity

    festival, _kwargs = festival_case()
    return Activity.objects.create(
        title="เปิดโลกนิทาน: ปั้นดินกับปู่ย่า", description="เล่านิทาน\n\nและระบายสี", branch=_branch(),
        place="โรงเรียนวัดบางบัว", audience="เด็กและครอบครัว", min_age=3, max_age=10, registration="required",
        capacity=25, waitlist=True, festival=festival, project=_project(), organiser="ห้องสมุดประชาชนเขตคลองเตย",
        partner="สำนักงานเขตคลองเตย", online_url="https://meet.example.org/story", status="published")


def activity_case():
    return _activity(), {}
def _etitle():
    from bkklib.catalog.services import save_record
    from bkklib.elibrary.models import Title

    record = save_record({"leader": "00000nmm a2200000 i 4500", "fields": [
        {"245": {"ind1": "0", "ind2": "0", "subfields": [{"a": "ตำนานแม่น้ำเจ้าพระยา"}]}}]})
    return Title.objects.create(record=record, title="ตำนานแม่น้ำเจ้าพระยา", format="epub", sha256="ab" * 32,
                                file_path=f"elibrary/files/ab/{'ab' * 32}.epub", created_at=timezone.now())


def licence_case():
    from bkklib.elibrary.models import Licence

    licence = Licence.objects.create(
        title=_etitle(), kind="metered", copies=2, loans_total=26, loans_used=3, starts_on=date(2026, 1, 1),
        expires_on=date(2027, 12, 31), price=Decimal("1250.50"), vendor="Ookbee", reference="L-2569-001",
        note="ต่ออายุทุกปี")
    return licence, {}


def collection_case():
    from bkklib.elibrary.models import Collection

    return Collection.objects.create(name="นิทานก่อนนอน", slug="bedtime", featured=True,
                                     description="นิทานสำหรับเด็ก\nอ่านก่อนนอน"), {}


def campaign_case():
    from bkklib.elibrary.models import Campaign, Collection

    collection = Collection.objects.create(name="เที่ยวกรุงเทพฯ", slug="bangkok")
    return Campaign.objects.create(name="เดือนแห่งการอ่านออนไลน์", description="ยืมฟรี\nทุกวัน",
                                   starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31), featured=True,
                                   festival="เทศกาลหนังสือกรุงเทพฯ", collection=collection), {}


@dataclass
class Case:
    build: Callable  # -> (instance, extra form kwargs)
    why: str = ""


# Form key -> the instances it must round-trip. A new model form needs an entry (or a reason to skip).
CASES: dict[str, list[Case]] = {
    "BranchForm(network.Branch)": [Case(branch_case)],
    "ItemForm(catalog.Item)": [Case(item_case)],
    "StocktakeForm(catalog.Stocktake)": [Case(stocktake_case)],
    "WithdrawalForm(catalog.Withdrawal)": [Case(withdrawal_case)],
    "PatronForm(circulation.Patron)": [Case(thai_patron_case), Case(passport_patron_case)],
    "TemplateForm(core.MessageTemplate)": [Case(template_case)],
    "NewsPostForm(opac.NewsPost)": [Case(news_post_case)],
    "NewsImageForm(opac.NewsImage)": [Case(news_image_case)],
    "InfoPageForm(opac.InfoPage)": [Case(info_page_case)],
    "TerminalForm(interop.Sip2Terminal)": [Case(sip2_terminal_case)],
    "FestivalForm(events.Festival)": [Case(festival_case)],
    "ProjectForm(events.Project)": [Case(project_case)],
    "TargetForm(events.ProjectTarget)": [Case(target_case)],
    "ProjectTargetForm(events.ProjectTarget)": [Case(target_case)],
    "ActivityForm(events.Activity)": [Case(activity_case)],
    "LicenceForm(elibrary.Licence)": [Case(licence_case)],
    "CollectionForm(elibrary.Collection)": [Case(collection_case)],
    "CampaignForm(elibrary.Campaign)": [Case(campaign_case)],
}


def subscription_case():
    from bkklib.reports.models import Subscription

    branch = _branch()
    user = _admin_user(branch)
    return Subscription.objects.create(user=user, report="monthly", branch=branch), {"user": user}


def _app_cases() -> None:
    """Apps that keep their round-trip cases beside their forms (``tests/form_cases.py``)."""
    from bkklib.facilities.tests.form_cases import facilities_cases
    from bkklib.volunteers.tests.form_cases import volunteers_cases

    CASES.update(facilities_cases())
    CASES.update(volunteers_cases())
    CASES["SubscriptionForm(reports.Subscription)"] = [Case(subscription_case)]


_app_cases()


# --- A browser's reading of a form --------------------------------------------------------------


class BrowserForm(HTMLParser):
    """Collect what a browser submits for rendered form controls (no JavaScript)."""

    TEXTLIKE_SKIPPED = {"submit", "button", "reset", "image", "file"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: list[tuple[str, str]] = []
        self.controls: list[str] = []
        self._select = None  # (name, multiple, options[(value, selected)])
        self._option = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self.controls.append(f'<input type="{kind}" name="{name}" value="{a.get("value")}">')
            if "disabled" in a or kind in self.TEXTLIKE_SKIPPED:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data.append((name, a.get("value") if a.get("value") is not None else "on"))
            else:
                self.data.append((name, sanitized(kind, a.get("value") or "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, [], "disabled" in a)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select[2].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = [name, "", "disabled" in a]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, options, disabled = self._select
            values = [(v if v is not None else text) for v, selected, text in options if selected]
            if not values and not multiple and options:
                first = options[0]
                values = [first[0] if first[0] is not None else first[2]]  # a single select submits its first option
            if not disabled:
                self.data.extend((name, v) for v in values)
            self.controls.append(f"<select name={name}> {values}")
            self._select = self._option = None
        elif tag == "textarea" and self._textarea is not None:
            name, text, disabled = self._textarea
            # The HTML parser drops one newline right after <textarea>; browsers submit CRLF line breaks.
            text = text[1:] if text.startswith("\n") else text
            if not disabled:
                self.data.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))
            self.controls.append(f"<textarea name={name}> {text!r}")
            self._textarea = None


# HTML's value sanitisation: a value a typed control cannot hold is dropped (the box shows empty).
VALID_VALUES = {
    "date": re.compile(r"\d{4,}-\d{2}-\d{2}"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "datetime-local": re.compile(r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "number": re.compile(r"-?(\d+|\d*\.\d+)([eE][-+]?\d+)?"),
}


def sanitized(kind: str, value: str) -> str:
    """Return the value a browser keeps for an ``<input type=kind value=value>``."""
    pattern = VALID_VALUES.get(kind)
    if pattern is None:
        return value
    return value if pattern.fullmatch(value) else ""


def submitted(html: str):
    """Return (QueryDict of what a browser posts for ``html``, the controls read)."""
    from django.http import QueryDict

    parser = BrowserForm()
    parser.feed(html)
    parser.close()
    post = QueryDict(mutable=True)
    for name, value in parser.data:
        post.appendlist(name, value)
    return post, parser.controls


def comparable(value):
    """Model values as compared: files by name, datetimes to the second the form shows."""
    if hasattr(value, "name") and hasattr(value, "storage"):
        return value.name
    return value


# --- The tests -------------------------------------------------------------------------------------


def test_every_model_form_has_a_round_trip_case():
    found = set(project_model_forms())
    missing = sorted(found - set(CASES))
    assert not missing, (
        f"Model forms without a round-trip case in {__name__}.CASES: {missing}. "
        "Add a realistic instance for each (every field filled), or list it with a reason.")
    stale = sorted(set(CASES) - found)
    assert not stale, f"CASES names forms that no longer exist: {stale}"


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("key", sorted(CASES))
def test_model_form_round_trips_an_unchanged_instance(key, language):
    form_class = project_model_forms()[key]
    for case in CASES[key]:
        instance, kwargs = case.build()
        model = type(instance)
        instance = model.objects.get(pk=instance.pk)  # as stored, not as the builder left it in memory
        with translation.override(language):
            html = form_class(instance=instance, **kwargs).as_div()
            post, controls = submitted(html)
            form = form_class(post, {}, instance=model.objects.get(pk=instance.pk), **kwargs)
            assert form.is_valid(), f"{key} ({case.build.__name__}, {language}): {form.errors.as_json()}\n" + \
                "\n".join(controls)
            assert form.changed_data == [], f"{key} ({case.build.__name__}): fields changed by an unchanged save: " \
                f"{form.changed_data}\n" + "\n".join(controls)
            saved = form.save(commit=False)
        model_fields = [f for f in model._meta.concrete_fields if f.name in form.fields]
        assert model_fields, f"{key}: no model field on the form?"
        for field in model_fields:
            before, after = comparable(field.value_from_object(instance)), comparable(field.value_from_object(saved))
            assert after == before, f"{key} ({case.build.__name__}, {language}): {field.name} {before!r} -> {after!r}"
            if field.name in form.cleaned_data and not field.is_relation:
                assert comparable(form.cleaned_data[field.name]) == before, field.name
        for field in model._meta.many_to_many:
            if field.name in form.fields:
                assert set(form.cleaned_data[field.name]) == set(getattr(instance, field.name).all()), field.name
        # Every date, time and date-time the form shows is a real value the browser's control accepts.
        for name, field in form.fields.items():
            if isinstance(field, forms.DateField | forms.TimeField | forms.DateTimeField):
                value = getattr(instance, name, None)
                if value is not None:
                    assert post.get(name), f"{key}: {name} rendered empty for {value!r}"


def test_date_widgets_render_iso_in_every_form_and_language():
    """Plain forms too: every date, time and date-time input of the project writes ISO values."""
    from bkklib.core import forms as iso

    classes = set()

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("bkklib.") and ".tests." not in sub.__module__:
                classes.add(sub)
            walk(sub)

    project_model_forms()  # imports the form modules
    walk(forms.Form)
    walk(forms.ModelForm)
    checked = 0
    values = {forms.DateTimeField: datetime(2026, 12, 7, 9, 30), forms.DateField: date(2026, 12, 7),
              forms.TimeField: time(9, 30)}
    expected = {forms.DateTimeField: "2026-12-07T09:30", forms.DateField: "2026-12-07", forms.TimeField: "09:30"}
    for cls in classes:
        for name, field in cls.base_fields.items():
            kind = next((k for k in values if isinstance(field, k)), None)
            if kind is None or isinstance(field.widget, forms.HiddenInput | forms.SplitHiddenDateTimeWidget):
                continue
            for language in ("th", "en"):
                with translation.override(language):
                    html = field.widget.render(name, values[kind])
                assert f'value="{expected[kind]}"' in html, f"{cls.__module__}.{cls.__name__}.{name}: {html}"
                assert isinstance(field.widget, iso.DateInput | iso.TimeInput | iso.DateTimeInput), \
                    f"{cls.__module__}.{cls.__name__}.{name}: use bkklib.core.forms widgets"
            checked += 1
    assert checked >= 10  # the project's date inputs (coverage, closures, items, patrons, ...) were seen


def test_times_with_seconds_keep_them():
    from bkklib.core import forms as iso

    with translation.override("th"):
        assert 'value="09:30:15"' in iso.TimeInput().render("t", time(9, 30, 15))
        assert 'value="2026-12-07T09:30:15"' in iso.DateTimeInput().render("t", datetime(2026, 12, 7, 9, 30, 15))
        assert forms.TimeField(widget=iso.TimeInput).clean("09:30:15") == time(9, 30, 15)


def test_textarea_line_breaks_are_stored_as_typed():
    from bkklib.core import forms as iso

    assert iso.MultilineField().clean("ก\r\nข\rค\nง") == "ก\nข\nค\nง"
