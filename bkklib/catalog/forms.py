"""Forms of the cataloguing pages: common fields, the MARC field editor rows, items, imports, labels."""
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bkklib.core import forms as iso
from bkklib.network import access
from bkklib.network.models import Branch

from . import cataloguing
from .importer import POLICIES
from .marc.messages import translated
from .marc.reader import FORMATS
from .models import ImportJob, Item, ItemType, Stocktake, Withdrawal
from .services import STAFF_STATUSES

LANGUAGE_CHOICES = [
    ("tha", _("Thai")), ("eng", pgettext_lazy("a language", "English")), ("chi", _("Chinese")), ("jpn", _("Japanese")),
    ("fre", _("French")), ("ger", _("German")), ("mul", _("Multiple languages")), ("und", _("Undetermined")),
]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RecordForm(forms.Form):
    """The common fields of a book record (the rest is in the MARC field editor)."""

    title = forms.CharField(label=_("Title"), max_length=1000)
    subtitle = forms.CharField(label=_("Subtitle / other title information"), max_length=1000, required=False)
    responsibility = forms.CharField(label=_("Statement of responsibility"), max_length=500, required=False)
    author = forms.CharField(label=_("Main author"), max_length=300, required=False,
                             help_text=_("Thai names in direct order without titles (e.g. คึกฤทธิ์ ปราโมช)."))
    edition = forms.CharField(label=_("Edition"), max_length=300, required=False)
    place = forms.CharField(label=_("Place of publication"), max_length=300, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year of publication (CE)"), required=False, min_value=1000, max_value=9999,
                              help_text=_("In the Common Era: 2565 BE is 2022. Thai records show it in BE in 264 $c."))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="tha")
    isbns = forms.CharField(label=_("ISBNs (one a line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    call_number = forms.CharField(label=_("Call number"), max_length=100, required=False,
                                  help_text=_("e.g. 895.913 ส649ม"))
    series = forms.CharField(label=_("Series (one a line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    subjects = forms.CharField(label=_("Subjects (one a line, subdivisions after --)"),
                               widget=forms.Textarea(attrs={"rows": 3}), required=False)
    notes = forms.CharField(label=_("Notes (one a line)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year and year >= 2400:
            raise ValidationError(_("{year} looks like a Buddhist Era year: enter {ce} (CE).").format(
                year=year, ce=year - 543))
        if year and year > 2100:
            raise ValidationError(_("Enter a year between 1000 and 2100."))
        return year

    def clean_isbns(self):
        values = _lines(self.cleaned_data.get("isbns"))
        bad = cataloguing.isbn_problems(values)
        if bad:
            raise ValidationError(_("Not a valid ISBN: {isbns}").format(isbns=", ".join(bad)))
        return values

    def common(self) -> cataloguing.CommonFields:
        data = self.cleaned_data
        return cataloguing.CommonFields(
            title=data["title"], subtitle=data["subtitle"], responsibility=data["responsibility"],
            author=data["author"], edition=data["edition"], place=data["place"], publisher=data["publisher"],
            year=data["year"], language=data["language"], isbns=data["isbns"], call_number=data["call_number"],
            series=_lines(data["series"]), subjects=_lines(data["subjects"]), notes=_lines(data["notes"]),
        )

    @classmethod
    def initial_from(cls, common: cataloguing.CommonFields) -> dict:
        return {
            "title": common.title, "subtitle": common.subtitle, "responsibility": common.responsibility,
            "author": common.author, "edition": common.edition, "place": common.place, "publisher": common.publisher,
            "year": common.year, "language": common.language if common.language in dict(LANGUAGE_CHOICES) else "und",
            "isbns": "\n".join(common.isbns), "call_number": common.call_number, "series": "\n".join(common.series),
            "subjects": "\n".join(common.subjects), "notes": "\n".join(common.notes),
        }


class MarcFieldForm(forms.Form):
    """One row of the MARC field editor: tag, indicators and ``$a...$b...`` subfields (or a control value)."""

    tag = forms.CharField(label=_("Tag"), max_length=3, required=False,
                          widget=forms.TextInput(attrs={"size": 3, "class": "marc-tag"}))
    ind1 = forms.CharField(label=_("Ind. 1"), max_length=1, required=False, strip=False,
                           widget=forms.TextInput(attrs={"size": 1, "class": "marc-ind"}))
    ind2 = forms.CharField(label=_("Ind. 2"), max_length=1, required=False, strip=False,
                           widget=forms.TextInput(attrs={"size": 1, "class": "marc-ind"}))
    value = forms.CharField(label=_("Subfields ($a...) or value"), required=False, strip=False,
                            widget=forms.TextInput(attrs={"class": "marc-value", "size": 80}))

    def clean(self):
        data = super().clean()
        if not (data.get("tag") or "").strip() and not (data.get("value") or "").strip():
            data["field"] = None  # an empty row: ignored
            return data
        if (data.get("tag") or "").strip() in cataloguing.MANAGED_TAGS:
            raise ValidationError(_("Field {tag} is edited in the form above.").format(tag=data.get("tag")))
        try:
            data["field"] = cataloguing.line_to_field(data.get("tag", ""), data.get("ind1", " "), data.get("ind2", " "),
                                                      data.get("value", ""))
        except ValueError as exc:
            raise ValidationError(_("Field {tag}: {reason}").format(tag=data.get("tag") or "?",
                                                                    reason=translated(exc.args[0]))) from None
        return data


MarcFieldFormSet = forms.formset_factory(MarcFieldForm, extra=2, can_delete=True)


def marc_field_initial(marc: dict) -> list[dict]:
    """Return the editor rows of a record's other fields."""
    rows = []
    for fld in cataloguing.other_fields_of(marc):
        tag, ind1, ind2, value = cataloguing.field_to_line(fld)
        rows.append({"tag": tag, "ind1": ind1, "ind2": ind2, "value": value})
    return rows


class ItemForm(iso.ModelForm):
    """An item of a record; the branch list holds only the branches the user may add items at."""

    class Meta:
        model = Item
        fields = ["barcode", "branch", "shelving_location", "call_number", "item_type", "price", "acquired_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, user, perm: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = access.branches_for(user, perm).order_by("name_th")
        self.fields["item_type"].queryset = ItemType.objects.order_by("code")
        if self.instance.pk:
            choices = [(s.value, s.label) for s in STAFF_STATUSES]
            if self.instance.status not in STAFF_STATUSES:
                choices.insert(0, (self.instance.status, self.instance.get_status_display()))
            self.fields["status"].choices = choices
            self.fields["status"].initial = self.instance.status
        else:
            del self.fields["status"]

    def validate_unique(self):
        """Barcode uniqueness is checked by the service (it also guards against concurrent adds)."""


class ImportForm(forms.Form):
    file = forms.FileField(label=_("MARC file"),
                           help_text=_("ISO 2709 (.mrc), MARCXML (.xml), MARC-in-JSON (.json) or MarcMaker (.mrk)."))
    format = forms.ChoiceField(label=_("Format"), choices=[(f, f) for f in FORMATS], initial="auto")
    encoding = forms.ChoiceField(label=_("Character set (ISO 2709)"), initial="auto", choices=[
        ("auto", _("detect")), ("utf-8", "UTF-8"), ("marc-8", "MARC-8"), ("tis-620", "TIS-620 / windows-874"),
        ("windows-1251", "windows-1251"), ("iso-8859-1", "ISO-8859-1"),
    ])
    branch = forms.ModelChoiceField(label=_("Branch for holdings without a known branch"), required=False,
                                    queryset=Branch.objects.none())
    on_duplicate = forms.ChoiceField(label=_("When a record is already in the catalog"),
                                     choices=ImportJob.OnDuplicate.choices, initial="skip")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = access.branches_for(user, "catalog.add_item").order_by("name_th")
        assert set(dict(ImportJob.OnDuplicate.choices)) == set(POLICIES)


class LabelForm(forms.Form):
    KIND_CHOICES = [("spine", _("Spine labels (call number)")), ("barcode", _("Barcode labels"))]

    kind = forms.ChoiceField(label=_("Labels"), choices=KIND_CHOICES, initial="spine")
    barcodes = forms.CharField(label=_("Barcodes (one a line, or scan them)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 6}))
    branch = forms.ModelChoiceField(label=_("Or: items of branch"), required=False, queryset=Branch.objects.none())
    added_since = forms.DateField(label=_("added on or after"), required=False,
                                  widget=iso.DateInput())
    start = forms.IntegerField(label=_("Start at label number (partly used sheet)"), min_value=1, max_value=65,
                               initial=1)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = access.branches_for(user, "catalog.view_item").order_by("name_th")

    def clean(self):
        data = super().clean()
        data["barcode_list"] = _lines(data.get("barcodes"))
        if not data["barcode_list"] and not data.get("branch"):
            raise ValidationError(_("Give barcodes, or a branch (and a date) to print its new items."))
        return data


class StocktakeForm(iso.ModelForm):
    class Meta:
        model = Stocktake
        fields = ["branch", "shelving_location", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = access.branches_for(user, "catalog.add_stocktake").order_by("name_th")


class ScanForm(forms.Form):
    barcode = forms.CharField(label=_("Scan a barcode"), max_length=32,
                              widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))


class WithdrawalForm(iso.ModelForm):
    class Meta:
        model = Withdrawal
        fields = ["reason", "disposal", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DecisionForm(forms.Form):
    approve = forms.BooleanField(required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
