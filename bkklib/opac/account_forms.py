"""Forms of the patron's account pages and of self-registration."""
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bkklib.circulation import rules as circulation_rules
from bkklib.circulation.models import Consent, Patron, PatronCategory
from bkklib.circulation.services import holds as hold_services
from bkklib.circulation.services import patrons as patron_services
from bkklib.core import forms as iso
from bkklib.network.forms import PickupBranchField
from bkklib.network.queries import PickupChoices

NOTICE_CHANNELS = [("email", _("Email")), ("sms", _("SMS")), ("line", _("LINE"))]


def _pin_field(label):
    return forms.CharField(
        label=label, min_length=4, max_length=6, strip=True,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password",
                                          "pattern": "[0-9๐-๙]{4,6}"}),
    )


def _check_pin(value: str) -> str:
    """Return the PIN in circulation's one format (Thai digits read as 0–9), or refuse it."""
    pin = circulation_rules.normalise_pin(value)
    if pin is None:
        raise forms.ValidationError(_("A PIN is 4 to 6 digits."), code="bad_pin")
    return pin


def _same_pin(first: str, second: str) -> bool:
    """Return True when two typed PINs are the same PIN ("๑๒๓๔" and "1234" are)."""
    return (circulation_rules.normalise_pin(first) or first) == (circulation_rules.normalise_pin(second) or second)


class SignInForm(forms.Form):
    card = forms.CharField(label=_("Library card number"), max_length=40,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}))
    pin = forms.CharField(label=_("PIN"), max_length=12, strip=True,
                          widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "current-password"}))


class PickupForm(forms.Form):
    """Where the patron collects a hold: any pickup point, the home and nearby libraries listed first;
    or a pickup place another app offers (a mobile library stop), which then replaces the library."""

    branch = PickupBranchField(label=_("Collect at"), to_field_name="code", required=False)
    place = forms.ChoiceField(label=_("Or at a mobile library stop"), required=False)

    def __init__(self, *args, pickup: PickupChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if pickup is not None:
            self.fields["branch"].set_pickup(pickup)
        groups: dict[str, list] = {}
        for place in hold_services.pickup_places():
            groups.setdefault(place.group, []).append((place.key, place.label))
        if groups:
            self.fields["place"].choices = [("", _("— no, at the library —")), *groups.items()]
        else:  # no place outside the libraries takes holds: no choice to show
            del self.fields["place"]

    def clean(self):
        data = super().clean()
        if not data.get("branch") and not data.get("place") and not self.errors:
            self.add_error("branch", _("Choose the library where you will collect the book."))
        return data

    def pickup(self) -> dict:
        """The keyword arguments of place_hold / change_pickup_branch for the choice made."""
        if self.cleaned_data.get("place"):
            return {"pickup_branch": None, "pickup_place": self.cleaned_data["place"]}
        return {"pickup_branch": self.cleaned_data["branch"]}

    @classmethod
    def for_patron(cls, patron: Patron, pickup: PickupChoices, *, current=None, current_place: str = "",
                   auto_id: str) -> "PickupForm":
        """Return the unbound form with ``current`` chosen (or the pickup place ``current_place``), else the
        home library, else the nearest pickup point."""
        if current_place:
            return cls(pickup=pickup, initial={"branch": None, "place": current_place}, auto_id=auto_id)
        default = current or (pickup.nearby[0] if pickup.nearby else None)
        return cls(pickup=pickup, initial={"branch": default}, auto_id=auto_id)


class PinResetRequestForm(forms.Form):
    card = forms.CharField(label=_("Library card number"), max_length=40,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}))


class PinResetConfirmForm(forms.Form):
    card = forms.CharField(label=_("Library card number"), max_length=40,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}))
    code = forms.CharField(label=_("Code you received"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    new_pin = _pin_field(_("New PIN (4–6 digits)"))
    new_pin_again = _pin_field(_("New PIN again"))

    def clean_new_pin(self):
        return _check_pin(self.cleaned_data["new_pin"])

    def clean(self):
        data = super().clean()
        if data.get("new_pin") and data.get("new_pin_again") and not _same_pin(data["new_pin"], data["new_pin_again"]):
            self.add_error("new_pin_again", _("The two PINs are not the same."))
        return data


class ChangePinForm(PinResetConfirmForm):
    card = None
    code = None
    current_pin = forms.CharField(label=_("Current PIN"), max_length=12,
                                  widget=forms.PasswordInput(attrs={"inputmode": "numeric",
                                                                    "autocomplete": "current-password"}))
    field_order = ["current_pin", "new_pin", "new_pin_again"]


class PreferencesForm(forms.Form):
    """How the library sends notices (due soon, overdue, hold ready) and in which language."""

    channels = forms.MultipleChoiceField(label=_("Send my notices by"), choices=NOTICE_CHANNELS, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Language of notices"),
                                 choices=[("th", _("Thai")), ("en", pgettext_lazy("a language", "English"))])

    def __init__(self, *args, patron: Patron, **kwargs):
        self.patron = patron
        kwargs.setdefault("initial", {"channels": patron.notice_channels or [], "language": patron.language or "th"})
        super().__init__(*args, **kwargs)

    def clean_channels(self):
        channels = self.cleaned_data["channels"]
        missing = [dict(NOTICE_CHANNELS)[c] for c in circulation_rules.channels_without_address(
            channels, email=self.patron.email, phone=self.patron.phone, line_user_id=self.patron.line_user_id)]
        if missing:
            raise forms.ValidationError(
                _("We have no address for {channels}: ask a library desk to add it, or choose another way.").format(
                    channels=", ".join(str(m) for m in missing)), code="no_address")
        return channels

    def save(self):
        """Store the preferences through circulation's service (recorded in the patron's audit history)."""
        return patron_services.update_preferences(self.patron, notice_channels=self.cleaned_data["channels"],
                                                  language=self.cleaned_data["language"])


class ConsentForm(forms.Form):
    """The PDPA purposes beyond membership (which lending needs and cannot be withdrawn online)."""

    purposes = forms.MultipleChoiceField(
        label=_("I agree that the library may"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(p.value, p.label) for p in Consent.Purpose if p != Consent.Purpose.MEMBERSHIP],
    )


class RegistrationForm(forms.Form):
    """Apply for a library card online; the desk checks the identity document before the card works."""

    first_name_th = forms.CharField(label=_("First name (Thai)"), max_length=100, required=False)
    last_name_th = forms.CharField(label=_("Last name (Thai)"), max_length=100, required=False)
    first_name_en = forms.CharField(label=_("First name (English)"), max_length=100, required=False)
    last_name_en = forms.CharField(label=_("Last name (English)"), max_length=100, required=False)
    id_type = forms.ChoiceField(label=_("Identity document"), choices=Patron.IdType.choices)
    national_id = forms.CharField(label=_("Thai national ID (13 digits)"), max_length=17, required=False,
                                  widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    passport_number = forms.CharField(label=_("Passport number"), max_length=20, required=False)
    passport_country = forms.CharField(label=_("Passport country (3 letters, e.g. JPN)"), max_length=3, required=False)
    other_document = forms.CharField(label=_("Other document (school letter, institution)"), max_length=100,
                                     required=False)
    birth_date = forms.DateField(label=_("Birth date (Common Era, YYYY-MM-DD)"), required=False,
                                 widget=iso.DateInput())
    category = forms.ModelChoiceField(label=_("Membership category"), queryset=None, to_field_name="code")
    guardian_card = forms.CharField(label=_("Guardian's library card (for children)"), max_length=32,
                                    required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=32, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.EmailField(label=_("Email"), required=False)
    home_branch = forms.ModelChoiceField(label=_("Library where you will show your ID"), queryset=None,
                                         to_field_name="code")
    pin = _pin_field(_("Choose a PIN (4–6 digits) to sign in on this site"))
    pin_again = _pin_field(_("PIN again"))
    agree_membership = forms.BooleanField(
        label=_("I agree that the library keeps my data to run my membership and loans (required)."))
    purposes = ConsentForm.base_fields["purposes"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_branch"].queryset = branches
        # Institutions register at a desk with a letter, not online.
        self.fields["category"].queryset = PatronCategory.objects.filter(is_institution=False).order_by("pk")

    def clean_pin(self):
        return _check_pin(self.cleaned_data["pin"])

    def clean(self):
        data = super().clean()
        if data.get("pin") and data.get("pin_again") and not _same_pin(data["pin"], data["pin_again"]):
            self.add_error("pin_again", _("The two PINs are not the same."))
        return data

    def service_arguments(self) -> dict:
        """Return the keyword arguments of ``register_pending_patron`` from the cleaned form."""
        d = self.cleaned_data
        fields = {k: d[k] for k in ("first_name_th", "last_name_th", "first_name_en", "last_name_en", "id_type",
                                    "national_id", "passport_number", "passport_country", "other_document",
                                    "phone", "email") if d.get(k)}
        fields["id_type"] = d["id_type"]
        fields["category"] = d["category"]
        if d.get("birth_date"):
            fields["birth_date"] = d["birth_date"]
        if d.get("phone") or d.get("email"):
            fields["notice_channels"] = ["email"] if d.get("email") else ["sms"]
        return {"home_branch": d["home_branch"], "consent_purposes": list(d.get("purposes") or []),
                "pin": d["pin"], "guardian_card": d.get("guardian_card", ""), **fields}
