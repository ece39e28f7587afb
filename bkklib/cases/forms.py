"""Forms of casework: the public contact form, staff entry, and the staff actions on a case."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bkklib.core.forms import DateInput, HoneypotField
from bkklib.core.images import PhotoField
from bkklib.network.models import Branch, OrgUnit

from .models import Attachment, Case, Category, EvidenceItem

CITIZEN_KIND_CHOICES = [(k, Case.Kind(k).label) for k in ("request", "complaint", "suggestion", "compliment")]
STAFF_CHANNELS = [(c, Case.Channel(c).label) for c in ("phone", "walk_in", "line", "letter", "web")]


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it about?"), choices=CITIZEN_KIND_CHOICES,
                             widget=forms.RadioSelect, initial="request")
    category = forms.ModelChoiceField(label=pgettext_lazy("case", "Category"), queryset=Category.objects.none(),
                                      empty_label=_("Choose a category"))
    branch = forms.ModelChoiceField(label=_("Library"), queryset=Branch.objects.none(), required=False,
                                    empty_label=_("Not about one library"))
    title = forms.CharField(label=pgettext_lazy("case", "Subject"), max_length=200)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    photo = PhotoField(label=_("Photo (optional)"), required=False)
    requester_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    requester_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    requester_email = forms.EmailField(label=_("Email"), required=False)
    is_anonymous = forms.BooleanField(label=_("Keep my identity hidden from library staff"), required=False)
    website = HoneypotField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_public=True)
        self.fields["branch"].queryset = Branch.objects.exclude(status="closed").order_by("name_th")


class StaffCaseForm(ContactForm):
    channel = forms.ChoiceField(label=_("Received by"), choices=STAFF_CHANNELS)

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("website")
        self.fields["category"].queryset = Category.objects.all()
        if branches is not None:
            self.fields["branch"].queryset = branches.order_by("name_th")


class RouteForm(forms.Form):
    units = forms.ModelMultipleChoiceField(label=_("Responsible units"), queryset=OrgUnit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units if units is not None else OrgUnit.objects.none()


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("New status"), choices=Case.State.choices)
    note = forms.CharField(label=_("Note to the requester"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the requester"), widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    preventive_action = forms.CharField(label=_("Preventive action"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))
    is_public = forms.BooleanField(label=_("Show to the requester"), required=False)


class AttachForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Attachment.Stage.choices)
    photo = PhotoField(label=_("Photo"), required=False)
    document = forms.FileField(label=_("Or a document (PDF)"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("photo") and not data.get("document"):
            raise forms.ValidationError(_("Choose a photo or a document."))
        document = data.get("document")
        if document is not None and (document.size > 10 * 1024 * 1024 or not document.name.lower().endswith(".pdf")):
            raise forms.ValidationError(_("A document is a PDF of at most 10 MB."))
        return data


class DueForm(forms.Form):
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How satisfied are you?"), coerce=int,
                                    choices=[(n, str(n)) for n in range(5, 0, -1)], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    website = HoneypotField()


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput)
    title = forms.CharField(label=pgettext_lazy("case", "Title"), max_length=200)
    visitors = forms.CharField(label=_("Who visited"), max_length=300)
    branches = forms.ModelMultipleChoiceField(label=_("Branches"), queryset=Branch.objects.none())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = (branches if branches is not None else Branch.objects.all()).order_by(
            "name_th")


class VisitItemForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())
    title = forms.CharField(label=_("What the governor raised"), max_length=200)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = visit.branches.all() if visit else Branch.objects.none()


class AuditReportForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    title = forms.CharField(label=pgettext_lazy("case", "Title"), max_length=200)
    auditor = forms.CharField(label=_("Auditor"), max_length=200)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Finding"), max_length=200)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}))
    risk = forms.ChoiceField(label=_("Risk level"), choices=Case.Risk.choices)
    recommendation = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    agreed_action = forms.CharField(label=_("Agreed action"), widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=OrgUnit.objects.none())
    branch = forms.ModelChoiceField(label=_("Branch (optional)"), queryset=Branch.objects.all(), required=False)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()


class EvidenceForm(forms.Form):
    """Where a point of the GECC checklist stands (a plain form: the service writes the row)."""

    status = forms.ChoiceField(label=_("status"), choices=EvidenceItem.Status.choices)
    links = forms.CharField(label=_("evidence links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One address or page path a line."))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"status": instance.status, "links": instance.links, "note": instance.note})
        super().__init__(*args, **kwargs)
